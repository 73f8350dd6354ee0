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
use topicguide::model::pending::PendingNote;
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

fn ctrl(app: &mut LiveApp, c: char, now: DateTime<Utc>) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL), now);
}

fn alt(app: &mut LiveApp, c: char, now: DateTime<Utc>) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT), now);
}

fn type_text(app: &mut LiveApp, text: &str, now: DateTime<Utc>) {
    for c in text.chars() {
        key(app, c, now);
    }
}

/// Writes a whole note: its first key at `begun`, the rest, Enter at `saved`.
fn write_note(app: &mut LiveApp, text: &str, begun: DateTime<Utc>, saved: DateTime<Utc>) {
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

fn line_text(app: &LiveApp) -> String {
    app.note.text()
}

fn flash(app: &LiveApp) -> String {
    app.flash.clone().map(|(m, _)| m).unwrap_or_default()
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
fn enter_on_an_empty_line_discusses_the_selected_theme_and_time_accrues_only_while_current() {
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

    // Down selects the next theme; Enter moves the timing to it.
    press(&mut app, KeyCode::Down, t(20));
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
    assert_eq!(opening.discussed(t(1000)), Duration::seconds(60));
    assert_eq!(
        app.state().themes[1].discussed(t(100)),
        Duration::seconds(30)
    );

    // Paused (Ctrl-p): nothing accrues, neither the theme nor the session clock.
    ctrl(&mut app, 'p', t(100));
    assert!(app.state().is_paused());
    assert_eq!(
        app.state().themes[1].discussed(t(400)),
        Duration::seconds(30)
    );
    assert_eq!(app.state().elapsed(t(400)), Duration::seconds(100));
    press(&mut app, KeyCode::Up, t(410));
    press(&mut app, KeyCode::Enter, t(420));
    assert_eq!(app.state().current, Some(0));
    press(&mut app, KeyCode::F(4), t(500));
    assert!(!app.state().is_paused(), "F4 is the same action");
    assert_eq!(
        app.state().themes[0].discussed(t(530)),
        Duration::seconds(90)
    );
    assert_eq!(app.state().elapsed(t(530)), Duration::seconds(130));
}

#[test]
fn cover_toggles_the_selected_theme_on_f2_and_ctrl_o() {
    let mut app = app();
    press(&mut app, KeyCode::Down, t(1));
    ctrl(&mut app, 'o', t(5));
    assert_eq!(
        actions(&app),
        [&Event::Covered {
            theme: "programme".into()
        }]
    );
    assert_eq!(app.state().themes[1].covered_at, Some(t(5)));
    assert_eq!(app.state().current, None, "covering is not discussing");
    press(&mut app, KeyCode::F(2), t(9));
    assert_eq!(
        actions(&app)[1],
        &Event::Uncovered {
            theme: "programme".into()
        }
    );
    assert_eq!(app.state().covered_count(), 0);
}

#[test]
fn skip_takes_effect_at_once_says_so_and_a_second_press_takes_it_back() {
    let mut app = app();
    let health = theme_index(&app, "health");
    press(&mut app, KeyCode::Down, t(1));
    press(&mut app, KeyCode::Down, t(1));
    ctrl(&mut app, 'k', t(10));
    assert!(app.modals.is_empty(), "no box that would swallow typing");
    assert_eq!(
        actions(&app),
        [&Event::Skipped {
            theme: "health".into(),
            reason: None
        }]
    );
    assert!(
        flash(&app).contains("'Health experiences' skipped"),
        "{}",
        flash(&app)
    );
    assert!(flash(&app).contains("Ctrl-u undoes"));
    assert_eq!(app.state().themes[health].status(), ThemeStatus::Skipped);
    ctrl(&mut app, 'k', t(20));
    assert_eq!(app.state().themes[health].status(), ThemeStatus::NotStarted);
}

#[test]
fn alt_keys_of_the_home_row_tick_probes_of_the_theme_being_discussed() {
    let mut app = app();
    let health = theme_index(&app, "health");
    press(&mut app, KeyCode::Down, t(1));
    press(&mut app, KeyCode::Down, t(1));
    press(&mut app, KeyCode::Enter, t(5));
    press(&mut app, KeyCode::Up, t(6));
    alt(&mut app, 'a', t(10));
    alt(&mut app, 'd', t(11));
    assert_eq!(
        app.state().themes[health].probes_checked,
        [true, false, true, false, false]
    );
    alt(&mut app, 'a', t(12));
    assert_eq!(
        app.state().themes[health].probes_checked,
        [false, false, true, false, false]
    );
    assert_eq!(app.probe_key(0), "Alt-a", "the list shows the key");
    // The guide's health theme has five probes: the ninth is refused with a message.
    alt(&mut app, 'l', t(13));
    assert_eq!(actions(&app).len(), 4);
    assert!(flash(&app).contains("5 probes"));
}

#[test]
fn a_note_is_timed_at_its_first_key_and_parsed_for_speaker_and_tags() {
    let mut app = app();
    press(&mut app, KeyCode::Enter, t(10));
    key(&mut app, '@', t(30));
    type_text(&mut app, "p3 I changed my diet ", t(40));
    type_text(&mut app, "the day I got told #quote #Diet-change", t(55));
    assert_eq!(app.exit, None);
    assert_eq!(actions(&app).len(), 1, "nothing recorded while typing");
    press(&mut app, KeyCode::Enter, t(60));
    assert!(app.note.is_empty());
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
    assert_eq!(note.speaker.as_deref(), Some("P3"));
    assert_eq!(note.tags, ["quote", "Diet-change"]);

    // Typing then erasing it all: the next first key sets a new time.
    type_text(&mut app, "oops", t(70));
    for _ in 0..4 {
        press(&mut app, KeyCode::Backspace, t(71));
    }
    assert!(app.note.is_empty());
    write_note(&mut app, "group laughs #nonverbal", t(80), t(82));
    assert_eq!(app.state().notes[1].at, t(80));
    assert_eq!(app.state().notes[1].speaker, None);
}

#[test]
fn a_reaction_lead_stamps_notes_before_their_first_key() {
    let mut app = app();
    app.reaction_lead = Duration::seconds(4);
    write_note(&mut app, "said a moment ago", t(100), t(110));
    assert_eq!(app.state().notes[0].at, t(96));
    // Never before the session began.
    let mut app = app_with(60, true);
    app.reaction_lead = Duration::seconds(4);
    write_note(&mut app, "first words", t(2), t(3));
    assert_eq!(app.state().notes[0].at, t(0));
}

#[test]
fn speaker_keys_set_the_speaker_in_one_key_and_an_unknown_speaker_is_flagged_not_added() {
    let mut app = app();
    alt(&mut app, '4', t(10));
    assert_eq!(line_text(&app), "@P4");
    assert_eq!(
        app.note.noted_at,
        Some(t(10)),
        "a speaker key starts the note"
    );
    type_text(&mut app, " nods along", t(12));
    alt(&mut app, '2', t(13));
    assert_eq!(line_text(&app), "@P2 nods along", "replaced, not cycled");
    alt(&mut app, '0', t(14));
    assert_eq!(line_text(&app), "@Mod nods along");
    press(&mut app, KeyCode::Enter, t(15));
    assert_eq!(app.state().notes[0].speaker.as_deref(), Some("Mod"));
    assert_eq!(app.state().notes[0].at, t(10));

    // P7 in a five-person group: saved as typed, flagged, never made a participant.
    write_note(&mut app, "@P7 I was late, the bus", t(20), t(21));
    assert_eq!(app.state().notes[1].speaker.as_deref(), Some("P7"));
    assert_eq!(app.state().participants.len(), 5);
    assert!(
        flash(&app).contains("P7 is not in this group"),
        "{}",
        flash(&app)
    );
    assert!(flash(&app).contains("Alt-p adds P7 as a late arrival"));
    alt(&mut app, '7', t(22));
    assert!(app.is_unknown_speaker("P7"));
    alt(&mut app, 'p', t(23));
    assert_eq!(
        last_record(&app).event,
        Event::ParticipantArrived {
            participant: "P7".into()
        }
    );
    assert_eq!(app.state().participants.len(), 6);
    assert!(!app.is_unknown_speaker("P7"));
}

#[test]
fn esc_sets_a_draft_aside_that_is_never_merged_and_comes_back_with_its_time() {
    let mut app = app();
    type_text(&mut app, "@P2 half a thought", t(100));
    press(&mut app, KeyCode::Esc, t(110));
    assert!(app.note.is_empty());
    assert_eq!(
        actions(&app),
        [&Event::DraftKept {
            id: "d1".into(),
            noted_at: t(100),
            theme: None,
            text: "@P2 half a thought".into()
        }]
    );
    assert!(app.state().notes.is_empty(), "a draft is not a note");
    assert!(flash(&app).contains("Ctrl-x brings it back"));

    // The next note is a fresh one: the draft does not absorb it.
    write_note(&mut app, "@P4 something else", t(150), t(151));
    assert_eq!(app.state().notes[0].raw, "@P4 something else");
    assert_eq!(app.state().notes[0].at, t(150));
    assert_eq!(app.state().drafts.len(), 1, "the draft is still kept");

    // Ctrl-x brings it back, with its time; what the line held is set aside, not merged.
    type_text(&mut app, "in progress", t(200));
    ctrl(&mut app, 'x', t(201));
    assert_eq!(line_text(&app), "@P2 half a thought");
    assert_eq!(app.note.noted_at, Some(t(100)));
    let drafts: Vec<&str> = app.state().drafts.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(drafts, ["in progress"]);
    type_text(&mut app, ", finished", t(205));
    press(&mut app, KeyCode::Enter, t(210));
    let note = &app.state().notes[1];
    assert_eq!(note.at, t(100));
    assert_eq!(note.text, "half a thought, finished");

    // Drafts show in the notes pane, where Enter brings one back.
    press(&mut app, KeyCode::Tab, t(220));
    press(&mut app, KeyCode::End, t(220));
    let rows = app.note_rows();
    assert_eq!(rows, 3);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down, t(221));
    }
    press(&mut app, KeyCode::Enter, t(222));
    assert_eq!(line_text(&app), "in progress");
    assert!(app.state().drafts.is_empty());
    // Esc on an empty line keeps no draft.
    press(&mut app, KeyCode::Esc, t(223));
    press(&mut app, KeyCode::Esc, t(224));
    assert_eq!(app.state().drafts.len(), 1);
}

#[test]
fn a_paste_becomes_note_text_on_one_line_and_never_runs_commands() {
    let mut app = app();
    app.on_paste("q\ne\ny", t(50));
    assert_eq!(app.exit, None);
    assert_eq!(
        app.session.records().len(),
        1,
        "nothing journaled by a paste"
    );
    assert_eq!(line_text(&app), "q e y");
    assert_eq!(app.note.noted_at, Some(t(50)));
    press(&mut app, KeyCode::Enter, t(52));
    assert_eq!(app.state().notes[0].text, "q e y");

    type_text(&mut app, "@P1 said:", t(61));
    app.on_paste(" line one\r\nline\ttwo\n", t(62));
    press(&mut app, KeyCode::Enter, t(63));
    assert_eq!(app.state().notes[1].text, "said: line one line two");

    // A paste while the end check is open closes it and goes into the note line.
    ctrl(&mut app, 'e', t(70));
    assert_eq!(app.layer(), Layer::EndCheck);
    app.on_paste("y", t(71));
    assert_eq!(app.exit, None);
    assert!(!app.state().is_ended());
    assert!(app.modals.is_empty());
    assert_eq!(line_text(&app), "y");
}

#[test]
fn a_paste_bigger_than_a_note_holds_is_refused_whole_with_a_message() {
    use topicguide::model::note_text::MAX_NOTE_BYTES;
    let mut app = app();
    type_text(&mut app, "@P1 as she said", t(10));
    app.on_paste(&" and then".repeat(100 * 1024 * 1024 / 9), t(11));
    // Nothing of it taken, nothing cut silently: the typed text stays as it was.
    assert_eq!(line_text(&app), "@P1 as she said");
    let message = flash(&app);
    assert!(
        message.starts_with("Paste not taken: 100.0 MB is more than the note has room for (a note holds at most 1.0 MB)"),
        "{message}"
    );
    // What fits is taken, up to the last byte.
    let room = MAX_NOTE_BYTES - line_text(&app).len();
    app.on_paste(&format!(" {}", "x".repeat(room - 1)), t(12));
    assert_eq!(line_text(&app).len(), MAX_NOTE_BYTES);
    // A key more is refused with a message too, and Enter saves the note whole.
    press(&mut app, KeyCode::Char('y'), t(13));
    assert_eq!(line_text(&app).len(), MAX_NOTE_BYTES);
    assert!(
        flash(&app).starts_with("A note holds at most 1.0 MB"),
        "{}",
        flash(&app)
    );
    press(&mut app, KeyCode::Enter, t(14));
    assert_eq!(
        app.state().notes[0].text.len(),
        MAX_NOTE_BYTES - "@P1 ".len()
    );
}

#[test]
fn undo_names_what_it_takes_back_and_redo_puts_it_back() {
    let mut app = app();
    write_note(&mut app, "@P1 first", t(5), t(6));
    write_note(
        &mut app,
        "P4 nods along while P2 talks about the walking group",
        t(10),
        t(20),
    );
    let added = last_record(&app).seq;
    ctrl(&mut app, 'u', t(30));
    assert_eq!(app.state().notes.len(), 1, "the note is gone");
    assert_eq!(last_record(&app).event, Event::Undone { target: added });
    assert_eq!(
        flash(&app),
        "undone: removed note n2: 'P4 nods along while P2…' (Ctrl-y redoes)"
    );
    ctrl(&mut app, 'y', t(31));
    assert_eq!(app.state().notes.len(), 2, "redo puts it back");
    assert_eq!(app.state().notes[1].id, "n2");
    assert!(
        flash(&app).starts_with("redone: note n2 is back"),
        "{}",
        flash(&app)
    );
    ctrl(&mut app, 'y', t(32));
    assert_eq!(flash(&app), "nothing to redo");

    // Undo walks back; a new action ends what redo can do.
    ctrl(&mut app, 'o', t(40));
    press(&mut app, KeyCode::Enter, t(41));
    ctrl(&mut app, 'u', t(50));
    assert_eq!(app.state().current, None);
    assert_eq!(
        flash(&app),
        "undone: no longer discussing 'Welcome and consent' (Ctrl-y redoes)"
    );
    ctrl(&mut app, 'u', t(51));
    assert_eq!(app.state().themes[0].status(), ThemeStatus::NotStarted);
    assert!(flash(&app).contains("'Welcome and consent' no longer covered"));
    press(&mut app, KeyCode::F(7), t(52));
    assert_eq!(app.state().themes[0].status(), ThemeStatus::Covered);
    ctrl(&mut app, 'p', t(53));
    let before = app.session.records().len();
    ctrl(&mut app, 'y', t(54));
    assert_eq!(app.session.records().len(), before, "nothing left to redo");
    assert_eq!(app.state().current, None);

    // The journal keeps everything: a fresh fold gives the same state.
    let again = Session::from_records(app.session.guide.clone(), app.session.records().to_vec())
        .expect("folds");
    assert_eq!(again.state(), app.state());
}

#[test]
fn in_the_notes_pane_enter_edits_a_note_in_the_note_line_and_delete_deletes_it() {
    let mut app = app();
    write_note(&mut app, "@P1 first", t(10), t(11));
    write_note(&mut app, "@P2 second #quote", t(20), t(21));
    press(&mut app, KeyCode::Tab, t(30));
    assert_eq!(app.pane, Pane::Notes);
    assert_eq!(app.layer(), Layer::Notes);
    assert_eq!(app.selected_note, 1, "the newest note is selected");
    press(&mut app, KeyCode::Up, t(31));
    assert_eq!(app.selected_note, 0);
    assert_eq!(
        app.selected_theme, 0,
        "Up moves in the notes, not the themes"
    );

    press(&mut app, KeyCode::Enter, t(32));
    assert_eq!(line_text(&app), "@P1 first");
    assert_eq!(app.note.editing.as_deref(), Some("n1"));
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
    assert_eq!(note.at, t(10), "an edit keeps the note's time");

    // Esc leaves an edit as it was, and keeps no draft.
    press(&mut app, KeyCode::Enter, t(41));
    type_text(&mut app, " NO", t(41));
    press(&mut app, KeyCode::Esc, t(42));
    assert!(app.note.is_empty());
    assert!(app.state().drafts.is_empty());
    assert_eq!(app.state().notes[0].raw, "@P1 first and only");

    press(&mut app, KeyCode::Delete, t(50));
    assert_eq!(
        last_record(&app).event,
        Event::NoteDeleted { id: "n1".into() }
    );
    ctrl(&mut app, 'u', t(60));
    assert_eq!(app.state().notes.len(), 2);
    assert!(flash(&app).contains("brought back deleted note n1"));
    press(&mut app, KeyCode::Esc, t(61));
    assert_eq!(app.pane, Pane::Themes);
}

#[test]
fn a_second_recording_mark_asks_first() {
    let mut app = app();
    write_note(&mut app, "before the recorder", t(30), t(31));
    ctrl(&mut app, 'r', t(90));
    assert_eq!(last_record(&app).event, Event::RecordingStarted);
    assert_eq!(app.state().recording_started_at, Some(t(90)));
    assert_eq!(app.state().offset_seconds(app.state().notes[0].at), -60);

    ctrl(&mut app, 'r', t(200));
    assert_eq!(app.layer(), Layer::RecordingCheck);
    assert_eq!(
        app.state().recording_started_at,
        Some(t(90)),
        "not moved yet"
    );
    press(&mut app, KeyCode::Esc, t(201));
    assert_eq!(app.state().recording_started_at, Some(t(90)));
    // Typing in the question goes into the note line and moves nothing.
    ctrl(&mut app, 'r', t(202));
    type_text(&mut app, "restarted?", t(203));
    assert!(app.modals.is_empty());
    assert_eq!(app.state().recording_started_at, Some(t(90)));
    press(&mut app, KeyCode::Esc, t(204));
    ctrl(&mut app, 'r', t(300));
    ctrl(&mut app, 'r', t(301));
    assert_eq!(app.state().recording_started_at, Some(t(301)));
}

#[test]
fn the_end_check_ends_only_on_its_confirm_key_and_typing_goes_back_to_the_note() {
    let mut app = app();
    for other in [
        KeyCode::Char('y'),
        KeyCode::Char('q'),
        KeyCode::Enter,
        KeyCode::Esc,
    ] {
        ctrl(&mut app, 'e', t(100));
        assert_eq!(app.layer(), Layer::EndCheck);
        press(&mut app, other, t(101));
        assert!(app.modals.is_empty(), "{other:?} goes back");
        assert_eq!(app.exit, None, "{other:?} neither ends nor leaves");
    }
    assert_eq!(line_text(&app), "yq", "the letters went into the note");
    assert!(actions(&app).iter().all(|e| !matches!(e, Event::Ended)));

    ctrl(&mut app, 'e', t(200));
    ctrl(&mut app, 'e', t(201));
    assert_eq!(last_record(&app).event, Event::Ended);
    assert_eq!(app.exit, Some(Exit::Ended));
    // The typed text was kept as a draft before the end.
    assert_eq!(app.state().drafts[0].text, "yq");
}

#[test]
fn leaving_asks_first_and_keeps_the_note_being_typed_as_a_draft() {
    let mut app = app();
    ctrl(&mut app, 'd', t(5));
    assert_eq!(app.layer(), Layer::Leave);
    assert_eq!(app.exit, None);
    press(&mut app, KeyCode::Esc, t(6));
    type_text(&mut app, "@P3 unfinished", t(7));
    press(&mut app, KeyCode::F(12), t(8));
    ctrl(&mut app, 'd', t(9));
    assert_eq!(
        app.exit,
        Some(Exit::LeftWithEmergencyCopy),
        "the draft is not saved yet"
    );
    let last = last_record(&app).seq;
    app.saved_through(last);
    assert_eq!(app.state().drafts[0].text, "@P3 unfinished");
    assert!(!app.state().is_ended());

    let mut app = app_with(60, true);
    ctrl(&mut app, 'd', t(5));
    ctrl(&mut app, 'd', t(6));
    assert_eq!(app.exit, Some(Exit::Left));
    assert_eq!(app.session.records().len(), 1, "leaving is not journaled");
}

#[test]
fn typing_in_the_help_or_the_participants_box_goes_into_the_note_line() {
    let mut app = app();
    press(&mut app, KeyCode::F(1), t(1));
    assert_eq!(app.layer(), Layer::Help);
    type_text(&mut app, "q y", t(2));
    assert!(app.modals.is_empty());
    assert_eq!(line_text(&app), "q y");
    press(&mut app, KeyCode::Esc, t(3));
    ctrl(&mut app, 'n', t(4));
    assert_eq!(app.layer(), Layer::Participants);
    press(&mut app, KeyCode::Down, t(5));
    ctrl(&mut app, 'k', t(6));
    assert_eq!(
        last_record(&app).event,
        Event::ParticipantLeft {
            participant: "P2".into()
        }
    );
    type_text(&mut app, "+al", t(7));
    assert!(app.modals.is_empty());
    assert_eq!(line_text(&app), "+al");
    assert_eq!(app.state().participants.len(), 5);
}

#[test]
fn ctrl_c_explains_how_to_leave_and_ctrl_z_asks_the_loop_to_suspend() {
    let mut app = app();
    ctrl(&mut app, 'c', t(1));
    assert_eq!(app.exit, None);
    assert!(flash(&app).contains("Ctrl-d leaves"), "{}", flash(&app));
    assert!(flash(&app).contains("Ctrl-e ends"));
    ctrl(&mut app, 'z', t(2));
    assert_eq!(
        app.request.take(),
        Some(topicguide::ui::runner::TerminalRequest::Suspend)
    );
    assert_eq!(app.session.records().len(), 1);
}

#[test]
fn move_note_files_a_saved_note_under_another_theme_and_nudges_its_time() {
    let mut app = app();
    press(&mut app, KeyCode::Enter, t(5));
    write_note(&mut app, "@P3 this was about health really", t(100), t(110));
    ctrl(&mut app, 'f', t(120));
    assert!(matches!(app.modals.last(), Some(Modal::MoveNote { .. })));
    press(&mut app, KeyCode::Down, t(121));
    press(&mut app, KeyCode::Down, t(121));
    press(&mut app, KeyCode::Left, t(122));
    press(&mut app, KeyCode::Left, t(122));
    press(&mut app, KeyCode::Enter, t(123));
    assert_eq!(
        &actions(&app)[2..],
        [
            &Event::NoteMoved {
                id: "n1".into(),
                theme: Some("health".into())
            },
            &Event::NoteRetimed {
                id: "n1".into(),
                noted_at: t(90)
            }
        ]
    );
    let note = &app.state().notes[0];
    assert_eq!((note.theme.as_deref(), note.at), (Some("health"), t(90)));
    assert_eq!(
        flash(&app),
        "note n1 filed under 'Health experiences', timed 00:01:30"
    );
    ctrl(&mut app, 'u', t(130));
    ctrl(&mut app, 'u', t(131));
    let note = &app.state().notes[0];
    assert_eq!((note.theme.as_deref(), note.at), (Some("opening"), t(100)));
    // Typing in the box goes into the note line and files nothing.
    ctrl(&mut app, 'f', t(140));
    type_text(&mut app, "x", t(141));
    assert!(app.modals.is_empty());
    assert_eq!(app.state().notes[0].theme.as_deref(), Some("opening"));
}

#[test]
fn bookmarks_mark_the_moment_for_the_current_theme_and_speaker() {
    let mut app = app();
    press(&mut app, KeyCode::Enter, t(5));
    write_note(&mut app, "@P4 the nurse phoned every week", t(10), t(12));
    alt(&mut app, 'q', t(30));
    let note = &app.state().notes[1];
    assert_eq!(note.raw, "@P4 #quote");
    assert_eq!((note.at, note.theme.as_deref()), (t(30), Some("opening")));
    assert!(
        flash(&app).starts_with("bookmark n2 at 00:00:30, P4: #quote"),
        "{}",
        flash(&app)
    );
    alt(&mut app, '2', t(40));
    alt(&mut app, 'v', t(41));
    assert_eq!(app.state().notes[2].raw, "@P2 #nonverbal");
    assert_eq!(line_text(&app), "@P2", "the note line is left as it was");
}

#[test]
fn a_signal_keeps_the_note_being_written_as_a_draft() {
    let mut app = app();
    type_text(&mut app, "@P3 mid-sentence when the lid closed", t(30));
    app.rescue_drafts(t(40));
    assert!(
        app.state().notes.is_empty(),
        "never saved as a note nobody finished"
    );
    let draft = &app.state().drafts[0];
    assert_eq!(
        (draft.text.as_str(), draft.at),
        ("@P3 mid-sentence when the lid closed", t(30))
    );
    // An edit under way is left: the note is as it was.
    let mut app = app_with(60, true);
    write_note(&mut app, "@P2 first", t(5), t(6));
    press(&mut app, KeyCode::Tab, t(13));
    press(&mut app, KeyCode::Enter, t(14));
    type_text(&mut app, " and more", t(15));
    app.rescue_drafts(t(40));
    assert_eq!(app.state().notes[0].raw, "@P2 first");
    assert!(app.state().drafts.is_empty());
}

#[test]
fn the_note_line_found_on_disk_comes_back_once() {
    let mut app = app();
    let pending = PendingNote {
        text: "@P5 typed before the crash".into(),
        noted_at: t(50),
        theme: Some("opening".into()),
        editing: None,
        draft_id: None,
    };
    assert!(app.restore_pending(pending.clone()));
    assert_eq!(line_text(&app), "@P5 typed before the crash");
    assert_eq!(app.note.noted_at, Some(t(50)));
    press(&mut app, KeyCode::Enter, t(60));
    assert_eq!(app.state().notes[0].at, t(50));
    // Saved already (the file was not yet cleared when the process died): not put back.
    assert!(!app.restore_pending(pending));
    assert!(app.note.is_empty());
}

/// Prose with every letter, digit and ASCII punctuation mark, and some that are not ASCII.
pub const PROSE: &str = "The quick brown fox jumps over the lazy dog; THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG! \
0123456789 they said: \"we really need to ask about pain\" (p. 3) - 50% of [us] {often} ~ask~ `why` \
a+b=c, x*y/z < 10 > 5 & @P3 #quote $5 ^_^ | back\\slash 'quoted' ? café, naïve, 😀 ok. qyenrpuaesdj";

/// The state the promise protects: what typing must never change.
fn guarded(app: &LiveApp) -> String {
    let s = app.state();
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
        s.ended_at,
        s.recording_started_at,
        s.paused_since,
        s.current,
        s.themes
            .iter()
            .map(|t| (t.status(), t.probes_checked.clone()))
            .collect::<Vec<_>>(),
        s.notes,
        s.participants,
        app.exit.is_some()
    )
}

/// How a test brings the live screen into one of its states.
type Reach = fn(&mut LiveApp);

#[test]
fn prose_typed_from_every_state_ends_up_in_the_note_line_and_runs_nothing() {
    let states: [(&str, Reach); 6] = [
        ("theme list", |_| {}),
        ("notes pane", |app| press(app, KeyCode::Tab, t(11))),
        ("after a save", |app| write_note(app, "saved", t(11), t(12))),
        ("after Esc", |app| {
            type_text(app, "aside", t(11));
            press(app, KeyCode::Esc, t(12));
        }),
        ("participants box", |app| ctrl(app, 'n', t(12))),
        ("help", |app| press(app, KeyCode::F(1), t(12))),
    ];
    for (name, reach) in states {
        let mut app = app();
        press(&mut app, KeyCode::Enter, t(10));
        write_note(&mut app, "@P1 before", t(10), t(10));
        reach(&mut app);
        let before = guarded(&app);
        let records = app.session.records().len();
        type_text(&mut app, PROSE, t(20));
        assert_eq!(guarded(&app), before, "{name}: typing changed the session");
        assert_eq!(
            app.session.records().len(),
            records,
            "{name}: nothing journaled"
        );
        assert_eq!(line_text(&app), PROSE, "{name}: all of it is note text");
        press(&mut app, KeyCode::Enter, t(30));
        assert_eq!(
            app.state().notes.last().map(|n| n.raw.as_str()),
            Some(PROSE),
            "{name}"
        );
    }
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
    ctrl(&mut app, 'o', t(30));
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
    let mut screen = LiveScreen::without_draft_file(app(), writer, Palette::default());
    assert!(screen.app.is_saved());

    screen.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t(10));
    assert!(
        screen.app.is_saved(),
        "saved at once while the disk has room"
    );

    // The disk fills up partway through the next line.
    storage.0.borrow_mut().room = Some(20);
    for (c, at) in "@P3 never lost #quote".chars().map(|c| (c, 21)) {
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
    screen.on_key(
        KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL),
        t(32),
    );
    assert_eq!(screen.app.unsynced().len(), 2);
    assert!(matches!(screen.app.save_state, SaveState::Failing(_)));
    screen.on_key(
        KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL),
        t(33),
    );
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
