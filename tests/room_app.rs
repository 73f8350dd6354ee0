//! The room's actions on the live screen's model, with no terminal: covered-and-next, themes
//! added and moved live (and undone), the mode switched, parked questions ticked as asked, the
//! seating plan edited, and warnings that say what to do. Each action is checked through the
//! events it journals and the state they fold to.

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta, WarningKind};
use topicguide::model::guide::SessionMode;
use topicguide::model::session::Session;
use topicguide::ui::app::{LiveApp, Modal};
use topicguide::ui::keymap::{Action, Keymap};
use topicguide::ui::roster::RosterEditor;
use topicguide::ui::view::warning_bar::{self, Level};

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap() + Duration::seconds(seconds)
}

fn app(guide: &str, minutes: u32, participants: &[&str]) -> LiveApp {
    let g = builtin(guide).unwrap().load().unwrap();
    let meta = SessionMeta {
        participants: participants.iter().map(|p| p.to_string()).collect(),
        planned_minutes: minutes,
        bell: true,
        guide_source: guide.into(),
        ..SessionMeta::for_guide(&g, "Room")
    };
    let session = Session::from_records(
        g,
        vec![Record {
            seq: 1,
            at: at(0),
            event: Event::Started(meta),
        }],
    )
    .unwrap();
    LiveApp::new("x".into(), "/tmp/x".into(), session, Keymap::default())
}

/// Journals `event` as the live screen would.
fn push(app: &mut LiveApp, event: Event, when: DateTime<Utc>) {
    let record = Record {
        seq: app.session.next_seq(),
        at: when,
        event,
    };
    app.session.push(record);
}

fn last_events(app: &LiveApp, n: usize) -> Vec<Event> {
    let records = app.session.records();
    records[records.len().saturating_sub(n)..]
        .iter()
        .map(|r| r.event.clone())
        .collect()
}

fn flash(app: &LiveApp) -> String {
    app.flash
        .as_ref()
        .map(|(m, _)| m.clone())
        .unwrap_or_default()
}

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_into(app: &mut LiveApp, text: &str) {
    for c in text.chars() {
        app.room_text_key(press(KeyCode::Char(c)));
    }
}

#[test]
fn covered_next_question_covers_the_theme_shown_and_starts_the_next_open_one() {
    let mut a = app("cmp-patient-telephone-interview", 30, &["P1"]);
    assert_eq!(a.state().mode, SessionMode::Telephone, "from the guide");
    a.cover_next(at(10));
    let ids: Vec<String> = a
        .session
        .guide
        .themes
        .iter()
        .map(|t| t.id.clone())
        .collect();
    assert_eq!(
        last_events(&a, 2),
        [
            Event::Covered {
                theme: ids[0].clone()
            },
            Event::Discussing {
                theme: ids[1].clone()
            }
        ]
    );
    assert_eq!(a.state().current, Some(1));
    assert_eq!(a.selected_theme, 1);
    assert!(flash(&a).contains("covered · now:"), "{}", flash(&a));
    // A theme already covered is skipped over.
    push(
        &mut a,
        Event::Covered {
            theme: ids[2].clone(),
        },
        at(20),
    );
    a.cover_next(at(30));
    assert_eq!(
        a.state().current,
        Some(3),
        "the next open one, past the covered one"
    );
}

#[test]
fn an_emergent_theme_goes_where_the_note_taker_puts_it_and_can_be_moved_and_undone() {
    let mut a = app("cmp-patient-focus-group", 60, &["P1", "P2"]);
    push(
        &mut a,
        Event::Discussing {
            theme: "health".into(),
        },
        at(5),
    );
    a.open_add_theme();
    assert!(matches!(a.modals.last(), Some(Modal::AddTheme(_))));
    type_into(&mut a, "Transport to the clinic");
    // Placed after the theme under discussion unless moved: one place further down.
    a.act_new_theme(Action::NextField, at(6));
    a.act_new_theme(Action::CursorRight, at(6));
    a.act_new_theme(Action::Confirm, at(7));
    assert!(a.modals.is_empty());
    let guide = &a.session.guide;
    let health = guide.theme_index("health").unwrap();
    let added = guide.theme_index("transport-to-the-clinic").expect("added");
    assert_eq!(added, health + 2, "after the theme after health");
    assert!(guide.themes[added].emergent && !guide.themes[added].required);
    assert_eq!(a.selected_theme, added, "selected, ready to discuss");
    assert_eq!(a.state().current, Some(health), "still discussing health");
    assert!(flash(&a).contains("emergent theme \"Transport to the clinic\" added after"));
    // Move it up one place; the current theme's index follows the new order.
    a.move_selected_theme(-1, at(8));
    let guide = &a.session.guide;
    assert_eq!(
        guide.theme_index("transport-to-the-clinic"),
        Some(health + 1)
    );
    assert_eq!(a.selected_theme, health + 1);
    assert_eq!(a.state().current, guide.theme_index("health"));
    // Undo takes back the move, then the addition.
    let undo = |a: &mut LiveApp, s: i64| {
        let target = *a.state().undoable.last().unwrap();
        push(a, Event::Undone { target }, at(s));
    };
    undo(&mut a, 9);
    assert_eq!(
        a.session.guide.theme_index("transport-to-the-clinic"),
        Some(health + 2)
    );
    undo(&mut a, 10);
    assert_eq!(a.session.guide.theme_index("transport-to-the-clinic"), None);
    assert_eq!(a.state().current, a.session.guide.theme_index("health"));
}

#[test]
fn a_theme_with_no_title_is_not_added() {
    let mut a = app("cmp-patient-focus-group", 60, &[]);
    a.open_add_theme();
    let before = a.session.records().len();
    a.act_new_theme(Action::Confirm, at(1));
    assert_eq!(a.session.records().len(), before);
    assert!(flash(&a).contains("title"), "{}", flash(&a));
    a.act_new_theme(Action::Cancel, at(2));
    assert!(a.modals.is_empty());
}

#[test]
fn the_mode_switches_live_as_an_event() {
    let mut a = app("cmp-patient-focus-group", 60, &[]);
    a.switch_mode(at(1));
    assert_eq!(
        last_events(&a, 1),
        [Event::ModeChanged {
            mode: SessionMode::Telephone
        }]
    );
    assert_eq!(a.state().mode, SessionMode::Telephone);
    assert_eq!(
        a.state().meta.mode,
        SessionMode::InPerson,
        "the set-up is kept"
    );
    assert!(flash(&a).contains("now telephone"));
}

#[test]
fn parked_questions_are_ticked_as_asked_and_keep_their_speaker() {
    let mut a = app("cmp-patient-focus-group", 60, &["P1", "P2"]);
    for (id, text) in [
        ("n1", "@P2 ask about medication later #followup"),
        ("n2", "a plain note"),
        ("n3", "who runs the group? #followup"),
    ] {
        push(
            &mut a,
            Event::NoteAdded {
                id: id.into(),
                noted_at: at(1),
                theme: None,
                text: text.into(),
            },
            at(2),
        );
    }
    a.modals.push(Modal::Parked { selected: 0 });
    a.act_parked(Action::SelectNext, at(3));
    a.act_parked(Action::Confirm, at(4));
    assert_eq!(
        last_events(&a, 1),
        [Event::FollowupAsked {
            note: "n3".into(),
            asked: true
        }]
    );
    let open: Vec<&str> = a.state().open_followups().map(|n| n.id.as_str()).collect();
    assert_eq!(open, ["n1"]);
    // The end check keeps the speaker of what is still parked.
    let check = topicguide::model::alerts::end_check(&a.session.guide, a.state());
    assert_eq!(check.followups[0].speaker.as_deref(), Some("P2"));
    // Asked again: back to not asked.
    a.act_parked(Action::Confirm, at(5));
    assert_eq!(a.state().open_followups().count(), 2);
}

#[test]
fn the_seating_plan_is_edited_live_with_events() {
    let mut a = app("cmp-patient-focus-group", 60, &["P1", "P2"]);
    a.modals
        .push(Modal::Participants(Box::new(RosterEditor::new(false))));
    a.act_roster(Action::SelectNext, at(1));
    type_into(&mut a, "red scarf");
    a.act_roster(Action::Confirm, at(2));
    a.act_roster(Action::NextField, at(3));
    type_into(&mut a, "4");
    a.act_roster(Action::Confirm, at(4));
    a.act_roster(Action::ToggleConsent, at(5));
    a.act_roster(Action::Left, at(6));
    let p2 = &a.state().participants[1];
    assert_eq!(p2.descriptor.as_deref(), Some("red scarf"));
    assert_eq!(p2.seat.as_deref(), Some("4"));
    assert_eq!(p2.consent, Some(true));
    assert!(p2.has_left());
    assert!(flash(&a).contains("P2 left at"), "{}", flash(&a));
    a.act_roster(Action::AddParticipant, at(7));
    assert_eq!(a.state().participants[2].name, "P3");
    a.act_roster(Action::Cancel, at(8));
    assert!(a.modals.is_empty());
}

#[test]
fn the_last_warning_point_looks_different_from_the_first() {
    let mut a = app("cmp-patient-focus-group", 60, &[]);
    a.tick(at(50 * 60));
    let (first, first_level) = warning_bar::message(&a, at(50 * 60));
    assert!(first.starts_with("⚠ 10:00 left"), "{first}");
    assert_eq!(first_level, Level::Warn);
    assert!(std::mem::take(&mut a.bell_due));
    a.tick(at(55 * 60));
    let (last, last_level) = warning_bar::message(&a, at(55 * 60));
    assert!(last.starts_with("‼ LAST CALL: 05:00 left"), "{last}");
    assert_eq!(last_level, Level::LastCall);
    assert!(std::mem::take(&mut a.bell_due));
    // The bell rings once more at the planned end.
    a.tick(at(60 * 60 + 1));
    assert!(
        std::mem::take(&mut a.bell_due),
        "the bell at the planned end"
    );
    let overtime = a
        .state()
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Overtime)
        .count();
    assert_eq!(overtime, 1);
}

#[test]
fn behind_schedule_shows_with_the_unaddressed_list_and_says_what_to_drop() {
    let mut a = app("cmp-patient-focus-group", 60, &[]);
    let guide = a.session.guide.clone();
    let optional: Vec<&str> = guide
        .themes
        .iter()
        .filter(|t| !t.required)
        .map(|t| t.title.as_str())
        .collect();
    assert!(!optional.is_empty(), "the guide has optional themes");
    // 52 minutes in and nothing addressed: far behind, inside the first warning point.
    a.tick(at(52 * 60));
    let (parts, _) = warning_bar::segments(&a, at(52 * 60));
    let bar = parts.join(" · ");
    assert!(bar.contains("not addressed:"), "{bar}");
    assert!(bar.contains("behind schedule by"), "together: {bar}");
    assert!(bar.contains("drop optional:"), "{bar}");
    assert!(optional.iter().any(|t| bar.contains(t)), "{bar}");
}

#[test]
fn a_theme_over_its_own_budget_says_so_in_words() {
    let mut a = app("cmp-patient-focus-group", 60, &[]);
    let health = a.session.guide.theme("health").unwrap().clone();
    let budget = i64::from(health.minutes.unwrap());
    push(
        &mut a,
        Event::Discussing {
            theme: "health".into(),
        },
        at(0),
    );
    let (bar, level) = warning_bar::message(&a, at((budget + 4) * 60 + 10));
    assert!(
        bar.contains(&format!("{} 4 min over", health.title)),
        "{bar}"
    );
    assert_eq!(level, Level::Warn);
}
