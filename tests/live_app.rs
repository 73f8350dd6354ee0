//! The live screen's model driven through key presses and pastes, with no terminal: every
//! action is checked against the session state and the records it journals. Time is passed in
//! explicitly, so timing is exact. The last test drives the screen with its journal over a disk
//! that fills up and frees again.

#[path = "support/fake_disk.rs"]
mod fake_disk;

use chrono::{DateTime, Duration, TimeZone, Utc};
use fake_disk::FakeDisk;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta, WarningKind};
use topicguide::model::session::{Session, ThemeStatus};
use topicguide::storage::journal::{JournalWriter, encode_line, parse_journal};
use topicguide::ui::app::{Exit, LiveApp, Modal, Pane, SaveState};
use topicguide::ui::keymap::{Keymap, Layer};
use topicguide::ui::live::LiveScreen;
use topicguide::ui::runner::Screen;
use topicguide::ui::theme::Palette;
use topicguide::ui::view::warning_bar::{self, Level};

const GUIDE: &str = "cmp-patient-focus-group";
/// The guide's required themes, in guide order (`closing` is optional).
const REQUIRED: [&str; 7] = [
    "opening",
    "programme",
    "health",
    "psychosocial",
    "employability",
    "follow-up",
    "access",
];

/// `secs` seconds after the session began.
fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 6, 14, 0, 0).unwrap() + Duration::seconds(secs)
}

fn minutes(m: i64) -> i64 {
    m * 60
}

fn meta(planned_minutes: u32, bell: bool) -> SessionMeta {
    let guide = builtin(GUIDE)
        .expect("the built-in guide")
        .load()
        .expect("it is valid");
    SessionMeta {
        site: Some("CR".into()),
        participants: (1..=5).map(|n| format!("P{n}")).collect(),
        planned_minutes,
        consent: true,
        bell,
        guide_source: GUIDE.into(),
        app_version: "test".into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    }
}

fn started(planned_minutes: u32, bell: bool) -> Record {
    Record {
        seq: 1,
        at: t(0),
        event: Event::Started(meta(planned_minutes, bell)),
    }
}

fn app_with(planned_minutes: u32, bell: bool) -> LiveApp {
    let guide = builtin(GUIDE)
        .expect("the built-in guide")
        .load()
        .expect("it is valid");
    let session = Session::from_records(guide, vec![started(planned_minutes, bell)])
        .expect("a started session");
    LiveApp::new(
        "20250506-1400-group-1".into(),
        PathBuf::from("/nonexistent/sessions/20250506-1400-group-1"),
        session,
        Keymap::default(),
    )
}

/// A 60-minute session, as the guide plans it.
fn app() -> LiveApp {
    app_with(60, true)
}

fn press(app: &mut LiveApp, code: KeyCode, now: DateTime<Utc>) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE), now);
}

fn key(app: &mut LiveApp, c: char, now: DateTime<Utc>) {
    press(app, KeyCode::Char(c), now);
}

fn type_text(app: &mut LiveApp, text: &str, now: DateTime<Utc>) {
    for c in text.chars() {
        key(app, c, now);
    }
}

/// Writes a whole note: `n` at `begun`, the text, Enter at `saved`.
fn write_note(app: &mut LiveApp, text: &str, begun: DateTime<Utc>, saved: DateTime<Utc>) {
    key(app, 'n', begun);
    type_text(app, text, begun);
    press(app, KeyCode::Enter, saved);
}

/// The journaled events other than warnings, after the start record.
fn actions(app: &LiveApp) -> Vec<&Event> {
    app.session
        .records()
        .iter()
        .skip(1)
        .map(|r| &r.event)
        .filter(|e| !matches!(e, Event::WarningRaised { .. }))
        .collect()
}

fn last_record(app: &LiveApp) -> &Record {
    app.session.records().last().expect("records")
}

fn editor_text(app: &LiveApp) -> String {
    match app.modals.last() {
        Some(Modal::Editor(editor)) => editor.text(),
        other => panic!("the note editor should be open, found {other:?}"),
    }
}

fn editor_time(app: &LiveApp) -> DateTime<Utc> {
    match app.modals.last() {
        Some(Modal::Editor(editor)) => editor.noted_at,
        other => panic!("the note editor should be open, found {other:?}"),
    }
}

fn theme_index(app: &LiveApp, id: &str) -> usize {
    app.session
        .guide
        .theme_index(id)
        .expect("a theme of the guide")
}

/// Every unaddressed warning journaled so far: (threshold, theme ids).
fn unaddressed_warnings(app: &LiveApp) -> Vec<(Option<u32>, Vec<String>)> {
    app.session
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::WarningRaised {
                kind: WarningKind::Unaddressed,
                themes,
                threshold_minutes,
                ..
            } => Some((*threshold_minutes, themes.clone())),
            _ => None,
        })
        .collect()
}

fn count_warnings(app: &LiveApp, kind: WarningKind) -> usize {
    app.session
        .records()
        .iter()
        .filter(|r| matches!(&r.event, Event::WarningRaised { kind: k, .. } if *k == kind))
        .count()
}

#[test]
fn enter_discusses_the_selected_theme_and_time_accrues_only_while_current_and_running() {
    let mut app = app();
    assert_eq!(app.state().current, None);
    press(&mut app, KeyCode::Enter, t(10));
    assert_eq!(
        actions(&app),
        [&Event::Discussing {
            theme: "opening".into()
        }]
    );
    assert_eq!(app.state().current, Some(0));
    assert_eq!(app.state().themes[0].status(), ThemeStatus::InDiscussion);
    assert_eq!(app.state().themes[0].first_discussed_at, Some(t(10)));

    // Enter on the theme already being discussed records nothing more.
    press(&mut app, KeyCode::Enter, t(15));
    assert_eq!(actions(&app).len(), 1);

    // j selects the next theme; Enter moves the timing to it.
    key(&mut app, 'j', t(20));
    assert_eq!(app.selected_theme, 1);
    assert_eq!(
        app.state().current,
        Some(0),
        "selecting alone changes nothing"
    );
    press(&mut app, KeyCode::Enter, t(70));
    assert_eq!(app.state().current, Some(1));
    let opening = &app.state().themes[0];
    assert_eq!(opening.discussed(t(70)), Duration::seconds(60));
    assert_eq!(
        opening.discussed(t(1000)),
        Duration::seconds(60),
        "a theme no longer current stops accruing"
    );
    assert_eq!(
        app.state().themes[1].discussed(t(100)),
        Duration::seconds(30)
    );

    // Paused: nothing accrues, neither the theme nor the session clock.
    key(&mut app, 'p', t(100));
    assert!(app.state().is_paused());
    assert_eq!(
        app.state().themes[1].discussed(t(400)),
        Duration::seconds(30)
    );
    assert_eq!(app.state().elapsed(t(400)), Duration::seconds(100));

    // Discussing another theme while paused moves the focus but starts no clock.
    key(&mut app, 'k', t(410));
    press(&mut app, KeyCode::Enter, t(420));
    assert_eq!(app.state().current, Some(0));
    assert_eq!(
        app.state().themes[0].discussed(t(500)),
        Duration::seconds(60)
    );
    assert_eq!(
        app.state().themes[1].discussed(t(500)),
        Duration::seconds(30)
    );

    key(&mut app, 'p', t(500));
    assert!(!app.state().is_paused());
    assert_eq!(
        app.state().themes[0].discussed(t(530)),
        Duration::seconds(90)
    );
    assert_eq!(
        app.state().themes[1].discussed(t(530)),
        Duration::seconds(30)
    );
    assert_eq!(app.state().elapsed(t(530)), Duration::seconds(130));
}

#[test]
fn space_toggles_the_selected_theme_covered() {
    let mut app = app();
    key(&mut app, 'j', t(1));
    key(&mut app, ' ', t(5));
    assert_eq!(
        actions(&app),
        [&Event::Covered {
            theme: "programme".into()
        }]
    );
    assert_eq!(app.state().themes[1].status(), ThemeStatus::Covered);
    assert_eq!(app.state().themes[1].covered_at, Some(t(5)));
    assert_eq!(app.state().covered_count(), 1);
    assert_eq!(app.state().current, None, "covering is not discussing");

    key(&mut app, ' ', t(9));
    assert_eq!(
        actions(&app)[1],
        &Event::Uncovered {
            theme: "programme".into()
        }
    );
    assert_eq!(app.state().themes[1].status(), ThemeStatus::NotStarted);
    assert_eq!(app.state().covered_count(), 0);
}

#[test]
fn s_skips_the_selected_theme_with_the_reason_typed() {
    let mut app = app();
    let health = theme_index(&app, "health");
    key(&mut app, 'j', t(1));
    key(&mut app, 'j', t(1));
    assert_eq!(app.selected_theme, health);

    key(&mut app, 's', t(10));
    assert_eq!(app.layer(), Layer::Skip);
    // Letters that are commands elsewhere are text here.
    type_text(&mut app, "quiet group; ends early", t(11));
    assert_eq!(app.exit, None);
    assert!(actions(&app).is_empty(), "nothing recorded before Enter");
    press(&mut app, KeyCode::Enter, t(20));
    assert!(app.modals.is_empty());
    assert_eq!(
        actions(&app),
        [&Event::Skipped {
            theme: "health".into(),
            reason: Some("quiet group; ends early".into())
        }]
    );
    let skip = app.state().themes[health].skipped.clone().expect("skipped");
    assert_eq!(skip.at, t(20));
    assert_eq!(skip.reason.as_deref(), Some("quiet group; ends early"));
    assert_eq!(app.state().themes[health].status(), ThemeStatus::Skipped);
    assert!(
        !app.state()
            .unaddressed_themes(&app.session.guide)
            .contains(&health)
    );

    // s on a skipped theme takes the skip back.
    key(&mut app, 's', t(30));
    assert_eq!(
        actions(&app)[1],
        &Event::Unskipped {
            theme: "health".into()
        }
    );
    assert_eq!(app.state().themes[health].status(), ThemeStatus::NotStarted);

    // Without a reason; and Esc does not skip.
    key(&mut app, 's', t(40));
    press(&mut app, KeyCode::Enter, t(41));
    assert_eq!(
        actions(&app)[2],
        &Event::Skipped {
            theme: "health".into(),
            reason: None
        }
    );
    key(&mut app, 'j', t(42));
    key(&mut app, 's', t(43));
    type_text(&mut app, "never mind", t(44));
    press(&mut app, KeyCode::Esc, t(45));
    assert!(app.modals.is_empty());
    assert_eq!(actions(&app).len(), 3);
    assert_eq!(
        app.state().themes[health + 1].status(),
        ThemeStatus::NotStarted
    );
}

#[test]
fn digits_toggle_probes_of_the_current_theme() {
    let mut app = app();
    let health = theme_index(&app, "health");
    key(&mut app, 'j', t(1));
    key(&mut app, 'j', t(1));
    press(&mut app, KeyCode::Enter, t(5));
    assert_eq!(app.state().current, Some(health));
    // The selection moves away: probes still belong to the theme being discussed.
    key(&mut app, 'k', t(6));
    assert_ne!(app.selected_theme, health);

    key(&mut app, '1', t(10));
    key(&mut app, '3', t(11));
    assert_eq!(
        &actions(&app)[1..],
        [
            &Event::ProbeToggled {
                theme: "health".into(),
                probe: 0,
                checked: true
            },
            &Event::ProbeToggled {
                theme: "health".into(),
                probe: 2,
                checked: true
            },
        ]
    );
    assert_eq!(
        app.state().themes[health].probes_checked,
        [true, false, true, false, false]
    );
    key(&mut app, '1', t(12));
    assert_eq!(
        actions(&app)[3],
        &Event::ProbeToggled {
            theme: "health".into(),
            probe: 0,
            checked: false
        }
    );
    assert_eq!(
        app.state().themes[health].probes_checked,
        [false, false, true, false, false]
    );
    assert_eq!(
        app.state().themes[app.selected_theme].probes_checked,
        [false; 5],
        "the selected theme's probes are untouched"
    );

    // The guide's health theme has five probes: 9 is refused with a message.
    key(&mut app, '9', t(13));
    assert_eq!(actions(&app).len(), 4);
    let (message, _) = app.flash.clone().expect("a message");
    assert!(message.contains("5 probes"), "{message}");
}

#[test]
fn a_note_is_timed_when_n_is_pressed_and_parsed_for_speaker_and_tags() {
    let mut app = app();
    press(&mut app, KeyCode::Enter, t(10));
    key(&mut app, 'n', t(30));
    assert_eq!(app.layer(), Layer::Editor);
    assert_eq!(editor_time(&app), t(30));
    // Typing takes a while; none of these letters is a command inside the editor.
    type_text(&mut app, "@p3 I changed my diet ", t(40));
    type_text(&mut app, "the day I got told #quote #Diet-change", t(55));
    assert_eq!(app.exit, None);
    assert!(actions(&app).len() == 1, "nothing recorded while typing");
    press(&mut app, KeyCode::Enter, t(60));
    assert!(app.modals.is_empty());

    let record = last_record(&app);
    assert_eq!(record.at, t(60), "journaled when saved");
    assert_eq!(
        record.event,
        Event::NoteAdded {
            id: "n1".into(),
            noted_at: t(30),
            theme: Some("opening".into()),
            text: "@p3 I changed my diet the day I got told #quote #Diet-change".into(),
        }
    );
    let note = &app.state().notes[0];
    assert_eq!(note.at, t(30));
    assert_eq!(app.state().offset_seconds(note.at), 30);
    assert_eq!(note.speaker.as_deref(), Some("P3"));
    assert_eq!(note.tags, ["quote", "Diet-change"]);
    assert_eq!(
        note.text,
        "I changed my diet the day I got told #quote #Diet-change"
    );
    assert_eq!(note.theme.as_deref(), Some("opening"));

    // A second note gets the next id; a note without a speaker has none.
    write_note(&mut app, "group laughs #nonverbal", t(70), t(72));
    let note = &app.state().notes[1];
    assert_eq!(note.id, "n2");
    assert_eq!(note.speaker, None);
    assert_eq!(note.tags, ["nonverbal"]);
    assert_eq!(app.state().notes_per_speaker()[2], ("P3".to_string(), 1));

    // An empty note is not saved.
    key(&mut app, 'n', t(80));
    press(&mut app, KeyCode::Enter, t(81));
    assert_eq!(app.state().notes.len(), 2);
    assert!(app.modals.is_empty());
}

#[test]
fn tab_in_the_editor_cycles_the_speaker_mark() {
    let mut app = app();
    key(&mut app, 'n', t(10));
    type_text(&mut app, "nods", t(11));
    press(&mut app, KeyCode::Tab, t(12));
    assert_eq!(editor_text(&app), "@P1 nods");
    press(&mut app, KeyCode::Tab, t(13));
    assert_eq!(editor_text(&app), "@P2 nods");
    assert_eq!(
        app.pane,
        Pane::Themes,
        "Tab in the editor is not the pane switch"
    );
    for at in 14..17 {
        press(&mut app, KeyCode::Tab, t(at));
    }
    assert_eq!(editor_text(&app), "@P5 nods");
    // After the last participant, no speaker.
    press(&mut app, KeyCode::Tab, t(17));
    assert_eq!(editor_text(&app), "nods");
    press(&mut app, KeyCode::Tab, t(18));
    press(&mut app, KeyCode::Enter, t(19));
    assert_eq!(app.state().notes[0].speaker.as_deref(), Some("P1"));
    assert_eq!(app.state().notes[0].at, t(10));
}

#[test]
fn esc_keeps_the_draft_and_n_reopens_it_with_its_original_time() {
    let mut app = app();
    key(&mut app, 'n', t(100));
    type_text(&mut app, "@P2 half a thought", t(101));
    press(&mut app, KeyCode::Esc, t(110));
    assert!(app.modals.is_empty());
    assert!(app.draft.is_some());
    assert!(actions(&app).is_empty(), "a draft is not a note");

    // Other work goes on meanwhile.
    key(&mut app, ' ', t(150));
    assert_eq!(actions(&app).len(), 1);

    key(&mut app, 'n', t(200));
    assert_eq!(editor_text(&app), "@P2 half a thought");
    assert_eq!(editor_time(&app), t(100), "the draft keeps its time");
    assert!(app.draft.is_none());
    type_text(&mut app, ", finished", t(205));
    press(&mut app, KeyCode::Enter, t(210));
    let note = &app.state().notes[0];
    assert_eq!(note.at, t(100));
    assert_eq!(note.text, "half a thought, finished");
    assert_eq!(note.speaker.as_deref(), Some("P2"));

    // The next note is a fresh one, timed at its own n.
    key(&mut app, 'n', t(300));
    assert_eq!(editor_text(&app), "");
    assert_eq!(editor_time(&app), t(300));
    // Esc on an empty editor keeps no draft.
    press(&mut app, KeyCode::Esc, t(301));
    assert!(app.draft.is_none());
}

#[test]
fn a_paste_becomes_note_text_on_one_line_and_never_runs_commands() {
    let mut app = app();
    // No editor open: "q", "e" and "y" on lines of their own would leave or end the session if
    // they were taken as keys.
    app.on_paste("q\ne\ny", t(50));
    assert_eq!(app.exit, None);
    assert!(!app.state().is_ended());
    assert!(
        app.session.records().len() == 1,
        "nothing journaled by a paste"
    );
    assert_eq!(app.layer(), Layer::Editor);
    assert_eq!(editor_text(&app), "q e y");
    assert_eq!(editor_time(&app), t(50));
    press(&mut app, KeyCode::Enter, t(52));
    assert_eq!(app.state().notes.len(), 1);
    assert_eq!(app.state().notes[0].text, "q e y");
    assert_eq!(app.state().notes[0].at, t(50));

    // Into an open editor, at the cursor, with CR LF and tabs folded.
    key(&mut app, 'n', t(60));
    type_text(&mut app, "@P1 said:", t(61));
    app.on_paste(" line one\r\nline\ttwo\n", t(62));
    press(&mut app, KeyCode::Enter, t(63));
    assert_eq!(app.state().notes[1].text, "said: line one line two");

    // Two pastes, the first ending in a line break: the words stay apart.
    key(&mut app, 'n', t(64));
    app.on_paste("first line\n", t(65));
    app.on_paste("second line", t(66));
    press(&mut app, KeyCode::Enter, t(67));
    assert_eq!(app.state().notes[2].text, "first line second line");

    // A paste while the end check is open is dropped: it must not say "y".
    key(&mut app, 'e', t(70));
    assert_eq!(app.layer(), Layer::EndCheck);
    app.on_paste("y", t(71));
    assert_eq!(app.exit, None);
    assert!(!app.state().is_ended());
    assert_eq!(app.layer(), Layer::EndCheck);
    press(&mut app, KeyCode::Esc, t(72));
    assert!(app.modals.is_empty());
    assert_eq!(app.state().notes.len(), 3);
}

#[test]
fn u_undoes_the_last_action_and_the_journal_keeps_both() {
    let mut app = app();
    write_note(&mut app, "@P4 a note in the wrong session", t(10), t(20));
    assert_eq!(app.state().notes.len(), 1);
    let added = last_record(&app).seq;

    key(&mut app, 'u', t(30));
    assert!(app.state().notes.is_empty(), "the note is gone");
    assert_eq!(last_record(&app).event, Event::Undone { target: added });
    assert!(
        app.session
            .records()
            .iter()
            .any(|r| r.seq == added && matches!(r.event, Event::NoteAdded { .. })),
        "the journal keeps the note that was undone"
    );
    let (message, _) = app.flash.clone().expect("a message");
    assert!(message.contains("undone"), "{message}");

    // Undo walks back further: a covered theme is uncovered again.
    key(&mut app, ' ', t(40));
    press(&mut app, KeyCode::Enter, t(41));
    assert_eq!(app.state().current, Some(0));
    key(&mut app, 'u', t(50));
    assert_eq!(app.state().current, None);
    assert_eq!(app.state().themes[0].status(), ThemeStatus::Covered);
    key(&mut app, 'u', t(51));
    assert_eq!(app.state().themes[0].status(), ThemeStatus::NotStarted);
    // Nothing left to undo: nothing is recorded.
    let before = app.session.records().len();
    key(&mut app, 'u', t(52));
    assert_eq!(app.session.records().len(), before);
}

#[test]
fn in_the_notes_pane_enter_edits_a_note_and_d_deletes_it() {
    let mut app = app();
    write_note(&mut app, "@P1 first", t(10), t(11));
    write_note(&mut app, "@P2 second #quote", t(20), t(21));

    press(&mut app, KeyCode::Tab, t(30));
    assert_eq!(app.pane, Pane::Notes);
    assert_eq!(app.layer(), Layer::Notes);
    assert_eq!(app.selected_note, 1, "the newest note is selected");
    key(&mut app, 'k', t(31));
    assert_eq!(app.selected_note, 0);
    assert_eq!(
        app.selected_theme, 0,
        "j/k move in the notes, not the themes"
    );

    press(&mut app, KeyCode::Enter, t(32));
    assert_eq!(editor_text(&app), "@P1 first");
    type_text(&mut app, " and only", t(33));
    press(&mut app, KeyCode::Enter, t(40));
    assert_eq!(
        last_record(&app).event,
        Event::NoteEdited {
            id: "n1".into(),
            text: "@P1 first and only".into()
        }
    );
    let note = &app.state().notes[0];
    assert_eq!(note.text, "first and only");
    assert_eq!(note.at, t(10), "an edit keeps the note's time");
    assert_eq!(note.edited_at, Some(t(40)));

    // Editing without a change records nothing.
    let before = app.session.records().len();
    press(&mut app, KeyCode::Enter, t(41));
    press(&mut app, KeyCode::Enter, t(42));
    assert_eq!(app.session.records().len(), before);

    key(&mut app, 'd', t(50));
    assert_eq!(
        last_record(&app).event,
        Event::NoteDeleted { id: "n1".into() }
    );
    let ids: Vec<&str> = app.state().notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["n2"]);

    // u brings it back; Tab returns to the themes.
    key(&mut app, 'u', t(60));
    assert_eq!(app.state().notes.len(), 2);
    press(&mut app, KeyCode::Tab, t(61));
    assert_eq!(app.pane, Pane::Themes);
    assert_eq!(app.layer(), Layer::Themes);
}

#[test]
fn p_freezes_the_session_clock_until_pressed_again() {
    let mut app = app();
    key(&mut app, 'p', t(60));
    assert_eq!(last_record(&app).event, Event::Paused);
    assert_eq!(app.state().elapsed(t(60)), Duration::seconds(60));
    assert_eq!(app.state().elapsed(t(600)), Duration::seconds(60));
    assert_eq!(
        app.state().remaining(t(600)),
        Duration::minutes(60) - Duration::seconds(60)
    );
    key(&mut app, 'p', t(600));
    assert_eq!(last_record(&app).event, Event::Resumed);
    assert!(!app.state().is_paused());
    assert_eq!(app.state().elapsed(t(660)), Duration::seconds(120));
}

#[test]
fn r_sets_the_recording_mark_and_note_offsets_count_from_it() {
    let mut app = app();
    write_note(&mut app, "before the recorder", t(30), t(31));
    assert_eq!(app.state().offset_seconds(app.state().notes[0].at), 30);

    key(&mut app, 'r', t(90));
    assert_eq!(last_record(&app).event, Event::RecordingStarted);
    assert_eq!(app.state().recording_started_at, Some(t(90)));
    write_note(&mut app, "@P5 after it", t(100), t(105));
    let state = app.state();
    assert_eq!(state.offset_seconds(state.notes[1].at), 10);
    assert_eq!(
        state.offset_seconds(state.notes[0].at),
        -60,
        "before the mark"
    );
}

#[test]
fn e_opens_the_end_check_where_only_y_ends() {
    let mut app = app();
    for other in [
        KeyCode::Char('x'),
        KeyCode::Char('q'),
        KeyCode::Char('n'),
        KeyCode::Enter,
        KeyCode::Esc,
    ] {
        key(&mut app, 'e', t(100));
        assert_eq!(app.layer(), Layer::EndCheck);
        press(&mut app, other, t(101));
        assert!(app.modals.is_empty(), "{other:?} goes back");
        assert_eq!(app.exit, None, "{other:?} neither ends nor leaves");
        assert!(!app.state().is_ended());
    }
    assert!(actions(&app).is_empty());

    key(&mut app, 'e', t(200));
    key(&mut app, 'y', t(201));
    assert_eq!(last_record(&app).event, Event::Ended);
    assert_eq!(last_record(&app).at, t(201));
    assert_eq!(app.exit, Some(Exit::Ended));
    assert_eq!(app.state().ended_at, Some(t(201)));
}

#[test]
fn q_leaves_without_ending_once_everything_is_saved() {
    let mut app = app();
    key(&mut app, 'q', t(5));
    assert_eq!(app.exit, Some(Exit::Left));
    assert_eq!(app.session.records().len(), 1, "leaving is not journaled");
    assert!(!app.state().is_ended());

    // With an event the loop has not saved yet, q asks first.
    let mut app = app_with(60, true);
    key(&mut app, ' ', t(5));
    assert!(!app.is_saved());
    key(&mut app, 'q', t(6));
    assert_eq!(app.exit, None);
    assert_eq!(app.layer(), Layer::Leave);
    press(&mut app, KeyCode::Esc, t(7));
    assert!(app.modals.is_empty());
    let last = last_record(&app).seq;
    app.saved_through(last);
    key(&mut app, 'q', t(8));
    assert_eq!(app.exit, Some(Exit::Left));
}

#[test]
fn keys_in_the_help_stay_in_the_help() {
    let mut app = app();
    key(&mut app, '?', t(1));
    assert_eq!(app.layer(), Layer::Help);
    // Space would cover a theme and q would leave: in the help they do neither.
    key(&mut app, ' ', t(2));
    key(&mut app, 'q', t(3));
    assert!(app.modals.is_empty(), "q closes the help");
    assert_eq!(app.exit, None, "and does not leave");
    assert!(actions(&app).is_empty());
    assert_eq!(app.state().covered_count(), 0);
    key(&mut app, '?', t(4));
    press(&mut app, KeyCode::Esc, t(5));
    assert!(app.modals.is_empty());
}

#[test]
fn a_signal_keeps_the_note_being_written_and_the_kept_draft() {
    // A note half typed when the lid closes is kept, at the time its n was pressed.
    let mut app = app();
    key(&mut app, 'n', t(30));
    type_text(&mut app, "@P3 mid-sentence when the lid closed", t(31));
    app.rescue_drafts(t(40));
    assert!(app.modals.is_empty());
    let note = &app.state().notes[0];
    assert_eq!(
        (note.text.as_str(), note.at),
        ("mid-sentence when the lid closed", t(30))
    );

    // A draft kept with Esc, and an edit under way, are both kept.
    let mut app = app_with(60, true);
    write_note(&mut app, "@P2 first", t(5), t(6));
    key(&mut app, 'n', t(10));
    type_text(&mut app, "@P1 kept aside", t(11));
    press(&mut app, KeyCode::Esc, t(12));
    press(&mut app, KeyCode::Tab, t(13));
    press(&mut app, KeyCode::Enter, t(14));
    type_text(&mut app, " and more", t(15));
    app.rescue_drafts(t(40));
    assert!(app.modals.is_empty());
    assert!(app.draft.is_none());
    let notes: Vec<(&str, &str, DateTime<Utc>)> = app
        .state()
        .notes
        .iter()
        .map(|n| (n.id.as_str(), n.text.as_str(), n.at))
        .collect();
    assert_eq!(
        notes,
        [("n1", "first and more", t(5)), ("n2", "kept aside", t(10))]
    );
}

#[test]
fn a_session_shorter_than_the_warning_threshold_warns_at_once_then_at_five_minutes_then_overtime() {
    // The guide warns 10 minutes before the end; this session is planned for 8.
    let mut app = app_with(8, true);
    assert_eq!(app.session.guide.warn_before_end_minutes, 10);
    app.tick(t(0));
    let required: Vec<String> = REQUIRED.iter().map(|s| s.to_string()).collect();
    assert_eq!(unaddressed_warnings(&app), [(Some(10), required.clone())]);
    assert!(std::mem::take(&mut app.bell_due), "the bell is due");
    let (bar, level) = warning_bar::message(&app, t(0));
    assert!(bar.contains("Welcome and consent"), "{bar}");
    assert_eq!(level, Level::Warn);

    // Not again: neither the warning nor the bell.
    app.tick(t(1));
    key(&mut app, ' ', t(30));
    app.tick(t(60));
    assert_eq!(unaddressed_warnings(&app).len(), 1);
    assert!(!app.bell_due, "the bell rings once");

    // Five minutes left: again, with what is still unaddressed.
    app.tick(t(minutes(3) - 1));
    assert_eq!(unaddressed_warnings(&app).len(), 1);
    app.tick(t(minutes(3)));
    assert_eq!(
        unaddressed_warnings(&app)[1],
        (Some(5), required[1..].to_vec())
    );
    assert!(std::mem::take(&mut app.bell_due));
    app.tick(t(minutes(3) + 1));
    assert_eq!(unaddressed_warnings(&app).len(), 2);
    assert!(!app.bell_due);

    // Past the planned end: overtime, journaled once.
    app.tick(t(minutes(8)));
    assert_eq!(count_warnings(&app, WarningKind::Overtime), 0);
    app.tick(t(minutes(8) + 1));
    assert_eq!(count_warnings(&app, WarningKind::Overtime), 1);
    app.tick(t(minutes(9)));
    app.tick(t(minutes(20)));
    assert_eq!(count_warnings(&app, WarningKind::Overtime), 1);
    let (bar, level) = warning_bar::message(&app, t(minutes(9)));
    assert!(bar.starts_with("OVERTIME +01:00"), "{bar}");
    assert_eq!(level, Level::Alarm);
    assert_eq!(unaddressed_warnings(&app).len(), 2);
}

#[test]
fn a_full_length_session_warns_at_the_guide_threshold_and_no_bell_rings_with_no_bell() {
    let mut app = app_with(60, false);
    app.tick(t(0));
    // Ahead of the first point only falling behind is ever journaled.
    app.tick(t(minutes(50) - 1));
    assert!(unaddressed_warnings(&app).is_empty());
    app.tick(t(minutes(50)));
    assert_eq!(unaddressed_warnings(&app).len(), 1);
    assert_eq!(unaddressed_warnings(&app)[0].0, Some(10));
    assert!(!app.bell_due, "--no-bell");
}

fn screen_text(screen: &LiveScreen<FakeDisk>, now: DateTime<Utc>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    terminal
        .draw(|frame| screen.draw(frame, now))
        .expect("drawn");
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

#[test]
fn a_full_disk_keeps_the_note_in_memory_says_not_saved_and_saves_all_once_it_clears() {
    let storage = FakeDisk::default();
    let first = started(60, true);
    let head = encode_line(&first).expect("encodes");
    storage.0.borrow_mut().bytes = head.clone().into_bytes();
    let writer = JournalWriter::with_storage(
        storage.clone(),
        PathBuf::from("fake/journal.jsonl"),
        head.len() as u64,
    );
    let mut screen = LiveScreen {
        app: app(),
        writer,
        palette: Palette::default(),
    };
    assert!(screen.app.is_saved());

    screen.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t(10));
    assert!(
        screen.app.is_saved(),
        "saved at once while the disk has room"
    );

    // The disk fills up partway through the next line.
    storage.0.borrow_mut().room = Some(20);
    for (c, at) in [('n', 20)]
        .into_iter()
        .chain("@P3 never lost #quote".chars().map(|c| (c, 21)))
    {
        screen.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), t(at));
    }
    screen.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t(30));

    let app = &screen.app;
    assert_eq!(app.state().notes.len(), 1, "the note is in the session");
    assert_eq!(app.state().notes[0].text, "never lost #quote");
    assert!(
        app.unsynced()
            .iter()
            .any(|r| matches!(r.event, Event::NoteAdded { .. })),
        "and waiting to be written"
    );
    match &app.save_state {
        SaveState::Failing(error) => {
            assert!(error.contains("No space left on device"), "{error}")
        }
        other => panic!("the save state should be failing, found {other:?}"),
    }
    let (bar, level) = warning_bar::message(app, t(30));
    assert!(bar.starts_with("NOT SAVED"), "{bar}");
    assert_eq!(level, Level::Alarm);
    let drawn = screen_text(&screen, t(30));
    assert!(drawn.contains("NOT SAVED"), "{drawn}");

    // Still full: the retries fail, more events queue up behind the note, and leaving asks
    // about an emergency copy instead of going quietly.
    screen.tick(t(31));
    screen.on_key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE), t(32));
    assert_eq!(screen.app.unsynced().len(), 2);
    assert!(matches!(screen.app.save_state, SaveState::Failing(_)));
    screen.on_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE), t(33));
    assert_eq!(screen.app.layer(), Layer::Leave);
    assert_eq!(screen.app.exit, None);
    screen.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), t(34));
    assert!(screen.app.modals.is_empty());

    // Room again: the next tick saves everything, in order.
    storage.0.borrow_mut().room = None;
    screen.tick(t(35));
    assert!(screen.app.is_saved());
    assert_eq!(screen.app.save_state, SaveState::Saved);
    assert!(
        !warning_bar::message(&screen.app, t(35))
            .0
            .contains("NOT SAVED")
    );

    let disk = storage.0.borrow();
    let contents = parse_journal(&disk.bytes).expect("a clean journal");
    assert_eq!(contents.torn_tail, None, "no partial line left behind");
    assert!(!contents.missing_final_newline);
    assert_eq!(contents.records, screen.app.session.records());
}
