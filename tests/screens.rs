//! The live screen drawn into ratatui's TestBackend at the sizes a note-taker meets, checked
//! against snapshots: empty, mid-session, warning, end check, help, telephone mode, too small.

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta};
use topicguide::model::guide::{SessionKind, SessionMode};
use topicguide::model::session::Session;
use topicguide::ui::app::LiveApp;
use topicguide::ui::keymap::Keymap;
use topicguide::ui::theme::Palette;
use topicguide::ui::view;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0)
        .single()
        .expect("a valid time")
}

fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

fn app(guide_name: &str, mode: SessionMode, minutes: u32) -> LiveApp {
    let source = builtin(guide_name).expect("a built-in guide");
    let guide = source.load().expect("the built-in guide is valid");
    let meta = SessionMeta {
        kind: if mode == SessionMode::Telephone {
            SessionKind::Interview
        } else {
            SessionKind::FocusGroup
        },
        mode,
        site: Some("CR".into()),
        participants: if mode == SessionMode::Telephone {
            vec![]
        } else {
            (1..=5).map(|i| format!("P{i}")).collect()
        },
        planned_minutes: minutes,
        consent: true,
        guide_source: guide_name.into(),
        app_version: "test".into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    };
    let session = Session::from_records(
        guide,
        vec![Record {
            seq: 1,
            at: t0(),
            event: Event::Started(meta),
        }],
    )
    .expect("a started session");
    LiveApp::new(
        "20260310-1000-group-1".into(),
        "/tmp/sessions/x".into(),
        session,
        Keymap::default(),
    )
}

/// Marks every record so far as synced, as the loop does after a successful write.
fn saved(app: &mut LiveApp) {
    let last = app.session.records().last().map_or(0, |r| r.seq);
    app.saved_through(last);
}

fn key(app: &mut LiveApp, code: KeyCode, seconds: i64) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE), at(seconds));
}

fn type_text(app: &mut LiveApp, text: &str, seconds: i64) {
    for c in text.chars() {
        key(app, KeyCode::Char(c), seconds);
    }
}

fn chord(app: &mut LiveApp, c: char, modifiers: KeyModifiers, seconds: i64) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), modifiers), at(seconds));
}

fn ctrl(app: &mut LiveApp, c: char, seconds: i64) {
    chord(app, c, KeyModifiers::CONTROL, seconds);
}

fn alt(app: &mut LiveApp, c: char, seconds: i64) {
    chord(app, c, KeyModifiers::ALT, seconds);
}

fn note(app: &mut LiveApp, text: &str, seconds: i64) {
    type_text(app, text, seconds);
    key(app, KeyCode::Enter, seconds + 8);
}

/// A focus group twenty minutes in: two themes covered, one in discussion, notes from four of
/// five participants, a probe ticked, a recording mark.
fn mid_session() -> LiveApp {
    let mut a = app("cmp-patient-focus-group", SessionMode::InPerson, 60);
    key(&mut a, KeyCode::Enter, 10);
    ctrl(&mut a, 'r', 40);
    alt(&mut a, 'a', 60);
    note(&mut a, "@P1 happy to be recorded #nonverbal", 70);
    ctrl(&mut a, 'o', 200);
    key(&mut a, KeyCode::Down, 210);
    key(&mut a, KeyCode::Enter, 210);
    note(
        &mut a,
        "@P3 cardiac rehab, referred by the GP after the operation",
        300,
    );
    ctrl(&mut a, 'o', 500);
    key(&mut a, KeyCode::Down, 510);
    key(&mut a, KeyCode::Enter, 510);
    note(
        &mut a,
        "@P3 I changed my diet from the day I got told what the fault was #quote",
        700,
    );
    note(&mut a, "@P4 walking every day now, more agile #quote", 800);
    note(&mut a, "@P1 laughs, others nod #nonverbal", 900);
    note(&mut a, "ask P2 about medication later #followup", 1000);
    alt(&mut a, 'a', 1100);
    a.tick(at(1262));
    saved(&mut a);
    a
}

fn render(app: &LiveApp, cols: u16, rows: u16, seconds: i64) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("a test terminal");
    terminal
        .draw(|frame| view::draw(frame, app, at(seconds), &Palette::default()))
        .expect("drawing never fails");
    terminal
}

#[test]
fn empty_session_80x24() {
    let a = app("cmp-patient-focus-group", SessionMode::InPerson, 60);
    insta::assert_snapshot!(render(&a, 80, 24, 0).backend());
}

#[test]
fn mid_session_80x24() {
    insta::assert_snapshot!(render(&mid_session(), 80, 24, 1262).backend());
}

#[test]
fn mid_session_200x50() {
    insta::assert_snapshot!(render(&mid_session(), 200, 50, 1262).backend());
}

#[test]
fn too_small_20x6() {
    insta::assert_snapshot!(render(&mid_session(), 20, 6, 1262).backend());
}

#[test]
fn warning_near_the_end_80x24() {
    let mut a = mid_session();
    // 52 minutes in: 8 minutes left of 60, inside the guide's 10-minute warning point.
    a.tick(at(52 * 60));
    saved(&mut a);
    let screen = render(&a, 80, 24, 52 * 60);
    let text = format!("{}", screen.backend());
    assert!(
        text.contains("⚠ 08:00 left · 5 not addressed: Health experiences"),
        "{text}"
    );
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn overtime_80x24() {
    let mut a = mid_session();
    a.tick(at(63 * 60));
    let text = format!("{}", render(&a, 80, 24, 63 * 60).backend());
    assert!(text.contains("OVERTIME +03:00"), "{text}");
    assert!(text.contains("+03:00 over"), "{text}");
}

#[test]
fn end_check_80x24() {
    let mut a = mid_session();
    ctrl(&mut a, 'e', 1262);
    let screen = render(&a, 80, 24, 1262);
    let text = format!("{}", screen.backend());
    assert!(text.contains("Psychosocial wellbeing"), "{text}");
    assert!(text.contains("ask P2 about medication later"), "{text}");
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn help_80x24() {
    let mut a = mid_session();
    key(&mut a, KeyCode::F(1), 1262);
    insta::assert_snapshot!(render(&a, 80, 24, 1262).backend());
}

#[test]
fn help_scrolls_to_the_tags_at_80x24() {
    let mut a = mid_session();
    key(&mut a, KeyCode::F(1), 1262);
    for _ in 0..100 {
        key(&mut a, KeyCode::Down, 1262);
    }
    let bottom = format!("{}", render(&a, 80, 24, 1262).backend());
    assert!(bottom.contains("#followup"), "{bottom}");
    assert!(bottom.contains("◐ discussed, not covered"), "{bottom}");
    // At the last page already: one more Down changes nothing, and one Up scrolls back at once.
    key(&mut a, KeyCode::Down, 1262);
    assert_eq!(format!("{}", render(&a, 80, 24, 1262).backend()), bottom);
    key(&mut a, KeyCode::Up, 1262);
    assert_ne!(format!("{}", render(&a, 80, 24, 1262).backend()), bottom);
    key(&mut a, KeyCode::Esc, 1262);
    assert!(a.modals.is_empty());
}

#[test]
fn help_200x50() {
    let mut a = mid_session();
    key(&mut a, KeyCode::F(1), 1262);
    insta::assert_snapshot!(render(&a, 200, 50, 1262).backend());
}

#[test]
fn note_line_typing_80x24() {
    let mut a = mid_session();
    alt(&mut a, '2', 1262);
    type_text(
        &mut a,
        "first time P2 speaks, about the cost of the bus to the gym",
        1270,
    );
    let screen = render(&a, 80, 24, 1275);
    let text = format!("{}", screen.backend());
    assert!(
        text.contains("00:20:22 health"),
        "the note's time and theme: {text}"
    );
    assert!(text.contains("▸ @P2 first time P2 speaks"), "{text}");
    assert!(
        text.contains("Enter save"),
        "the footer shows the note line's keys: {text}"
    );
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn a_kept_draft_is_shown_as_a_draft_80x24() {
    let mut a = mid_session();
    type_text(&mut a, "@P5 half a thought about the bus", 1262);
    key(&mut a, KeyCode::Esc, 1263);
    let text = format!("{}", render(&a, 80, 24, 1264).backend());
    assert!(text.contains("draft d1: @P5 half a thought"), "{text}");
    assert!(text.contains("1 draft kept, Ctrl-x brings back"), "{text}");
}

#[test]
fn moving_a_note_shows_the_themes_and_its_time_80x24() {
    let mut a = mid_session();
    ctrl(&mut a, 'f', 1262);
    key(&mut a, KeyCode::Left, 1262);
    let screen = render(&a, 80, 24, 1262);
    let text = format!("{}", screen.backend());
    assert!(text.contains("File the note under"), "{text}");
    assert!(
        text.contains("n6 at 00:15:55"),
        "nudged 5 seconds earlier: {text}"
    );
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn telephone_mode_puts_the_prompt_first_80x24() {
    let mut a = app(
        "cmp-patient-telephone-interview",
        SessionMode::Telephone,
        30,
    );
    key(&mut a, KeyCode::Enter, 10);
    alt(&mut a, 'a', 30);
    saved(&mut a);
    insta::assert_snapshot!(render(&a, 80, 24, 95).backend());
}

#[test]
fn not_saved_is_shown() {
    let mut a = mid_session();
    note(&mut a, "@P5 this one did not reach the disk", 1300);
    a.save_failed("No space left on device (os error 28)".into());
    let text = format!("{}", render(&a, 80, 24, 1310).backend());
    assert!(text.contains("NOT SAVED"), "{text}");
    assert!(
        text.contains("(NOT SAVED)"),
        "the unsaved note is marked: {text}"
    );
}

#[test]
fn any_size_and_any_text_draws_without_panic() {
    let mut a = mid_session();
    note(
        &mut a,
        "混合 ✓ e\u{301} \u{200f}עברית\u{200f} 👩‍👩‍👧 \u{7}\u{1b}[2J tab\there #タグ",
        1300,
    );
    a.on_paste(&"very long paste ".repeat(500), at(1310));
    for cols in [1u16, 2, 5, 20, 49, 50, 51, 79, 80, 81, 120, 200, 300] {
        for rows in [1u16, 2, 6, 13, 14, 15, 24, 50, 100] {
            render(&a, cols, rows, 1320);
        }
    }
}

#[test]
fn no_color_draws_without_a_single_colour() {
    use ratatui::style::Color;
    use topicguide::config::ColourScheme;
    let mut a = mid_session();
    a.tick(at(52 * 60));
    saved(&mut a);
    let palette = Palette::new(ColourScheme::Default, true);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("a test terminal");
    terminal
        .draw(|frame| view::draw(frame, &a, at(52 * 60), &palette))
        .expect("drawing");
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(
            cell.fg,
            Color::Reset,
            "a foreground colour at {:?}",
            cell.symbol()
        );
        assert_eq!(
            cell.bg,
            Color::Reset,
            "a background colour at {:?}",
            cell.symbol()
        );
    }
    // The statuses still read: the warning and the marks are there without colour.
    let text = format!("{}", terminal.backend());
    assert!(text.contains("⚠ 08:00 left"), "{text}");
    assert!(text.contains('✓') && text.contains('▶'), "{text}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn high_contrast_uses_bright_colours() {
    use ratatui::style::Color;
    use topicguide::config::ColourScheme;
    let a = mid_session();
    let palette = Palette::new(ColourScheme::HighContrast, false);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("a test terminal");
    terminal
        .draw(|frame| view::draw(frame, &a, at(1262), &palette))
        .expect("drawing");
    let colours: Vec<Color> = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.fg)
        .collect();
    assert!(
        colours.contains(&Color::LightGreen),
        "covered themes are bright green"
    );
    assert!(
        !colours.contains(&Color::DarkGray),
        "no grey text on a projector"
    );
}

#[test]
fn a_click_selects_the_theme_drawn_there_and_the_wheel_moves_through_notes() {
    use ratatui::layout::Rect;
    use topicguide::ui::app::Pane;
    let mut a = mid_session();
    let area = Rect::new(0, 0, 80, 24);
    let text = format!("{}", render(&a, 80, 24, 1262).backend());
    // Find the row where "Psychosocial wellbeing" is drawn, and click on it.
    let row = text
        .lines()
        .position(|l| l.contains("○ Psychosocial wellbeing"))
        .expect("the theme is on screen");
    let row = u16::try_from(row).expect("a small row");
    let theme = view::theme_at(area, &a, 5, row).expect("a theme under the click");
    assert_eq!(a.session.guide.themes[theme].id, "psychosocial");
    a.click_theme(theme);
    assert_eq!(a.selected_theme, theme);
    // The header row and the notes side are not themes.
    assert_eq!(view::theme_at(area, &a, 5, 1), None);
    assert_eq!(view::theme_at(area, &a, 60, row), None);
    assert!(view::on_notes(area, &a, 60, 5));
    let last = a.state().notes.len() - 1;
    a.scroll_notes(-2);
    assert_eq!(a.pane, Pane::Notes);
    assert_eq!(a.selected_note, last - 2);
    a.scroll_notes(10);
    assert_eq!(a.selected_note, last);
}

#[test]
fn a_long_note_keeps_its_start_in_view_while_it_fits_in_three_rows() {
    let mut a = app("cmp-patient-focus-group", SessionMode::InPerson, 60);
    let typed = "they said: \"we really need to ask about pain\" — café, naïve, Zoë 😀 👩‍👩‍👧 qyenrpuaesd 0123456789 !?#@$%^&*()[]{}";
    type_text(&mut a, typed, 5);
    let text = format!("{}", render(&a, 80, 24, 6).backend());
    assert!(
        text.contains("▸ they said:"),
        "the start is in view: {text}"
    );
    assert!(
        text.contains("qyenrpuaesd 0123456789"),
        "and the end: {text}"
    );
}

/// A note of 20 MB (from a journal written by another tool or an older build without a limit):
/// drawn each clock second, it shows its speaker and beginning, a row saying it is cut, and its
/// end, and drawing it reads only those parts.
#[test]
fn a_huge_note_shows_its_beginning_and_its_end() {
    let mut a = app("cmp-patient-focus-group", SessionMode::InPerson, 90);
    let filler = "and the nurse phoned every week ".repeat(20 * 1024 * 1024 / 32);
    let text = format!("@P2 BEGINNING of a long story {filler}the very END");
    let seq = a.session.records().last().map_or(1, |r| r.seq + 1);
    a.session.push(Record {
        seq,
        at: at(60),
        event: Event::NoteAdded {
            id: "n1".into(),
            noted_at: at(60),
            theme: None,
            text,
        },
    });
    saved(&mut a);
    for (cols, rows) in [(120, 40), (80, 24)] {
        let screen = format!("{}", render(&a, cols, rows, 70).backend());
        assert!(
            screen.contains("00:01:00 — P2 › BEGINNING of a long story"),
            "{screen}"
        );
        assert!(screen.contains("the very END"), "{screen}");
        assert!(
            screen.contains("… 20.0 MB in all, cut to fit …"),
            "{screen}"
        );
        // The beginning comes before the end, each once.
        let (begin, end) = (
            screen.find("BEGINNING").unwrap(),
            screen.find("the very END").unwrap(),
        );
        assert!(begin < end, "{screen}");
        assert_eq!(screen.matches("BEGINNING").count(), 1, "{screen}");
    }
}

/// A note a little taller than the notes pane keeps its first rows and its exact last row.
#[test]
fn a_note_taller_than_the_pane_keeps_its_first_and_last_rows() {
    let mut a = app("cmp-patient-focus-group", SessionMode::InPerson, 90);
    let words: Vec<String> = (1..=400).map(|i| format!("w{i}")).collect();
    a.on_paste(&format!("FIRST {} LAST", words.join(" ")), at(10));
    key(&mut a, KeyCode::Enter, 12);
    saved(&mut a);
    let screen = format!("{}", render(&a, 80, 24, 20).backend());
    assert!(screen.contains("FIRST w1 w2"), "{screen}");
    assert!(screen.contains("w400 LAST"), "{screen}");
    assert!(screen.contains("in all, cut to fit"), "{screen}");
}
