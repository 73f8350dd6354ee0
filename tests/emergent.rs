//! Themes that emerge in the room: added live (an event), placed where the note-taker said,
//! reordered, and carried into every export: `themes[].emergent` in the JSON, marked in the
//! Markdown and HTML reports, one review row per title across sessions, and one code under the
//! "Emergent themes" folder of the REFI-QDA project (validated against the published schema),
//! and the review screen's mark beside them.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DataHome, add, create, unzip};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fs;
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};
use topicguide::model::review::Filter;
use topicguide::model::vocabulary::{EMERGENT_MARK, EMERGENT_MEANING, EMERGENT_WORD};
use topicguide::storage::session_store::load_all;
use topicguide::ui::keymap::Keymap;
use topicguide::ui::review::Review;
use topicguide::ui::runner::Screen;
use topicguide::ui::theme::Palette;

const GUIDE: &str = "cmp-patient-focus-group";
const FIRST: &str = "20261201-1000-group-5";
const SECOND: &str = "20261202-1000-group-6";

fn at(day: u32, minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, 10, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn meta(label: &str) -> SessionMeta {
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    SessionMeta {
        participants: vec!["P1".into(), "P2".into()],
        planned_minutes: 45,
        bell: false,
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, label)
    }
}

/// Two ended sessions that both add "Transport to the clinic" (spelt differently), the first
/// after `health`, then moved first; the second at the end.
fn study() -> DataHome {
    let home = DataHome::empty();
    let mut s = create(&home.data(), FIRST, GUIDE, at(1, 0), meta("Group 5"));
    add(
        &mut s,
        at(1, 0),
        Event::ParticipantDescribed {
            participant: "P1".into(),
            seat: Some("2".into()),
            descriptor: Some("by the door".into()),
        },
    );
    add(
        &mut s,
        at(1, 0),
        Event::ParticipantConsent {
            participant: "P1".into(),
            consent: true,
        },
    );
    add(
        &mut s,
        at(1, 1),
        Event::ThemeAdded {
            id: "transport-to-the-clinic".into(),
            title: "Transport to the clinic".into(),
            required: false,
            after: Some("health".into()),
        },
    );
    add(
        &mut s,
        at(1, 2),
        Event::Discussing {
            theme: "transport-to-the-clinic".into(),
        },
    );
    add(
        &mut s,
        at(1, 3),
        Event::NoteAdded {
            id: "n1".into(),
            noted_at: at(1, 3),
            theme: Some("transport-to-the-clinic".into()),
            text: "@P2 two buses each way #quote".into(),
        },
    );
    add(
        &mut s,
        at(1, 6),
        Event::Covered {
            theme: "transport-to-the-clinic".into(),
        },
    );
    add(
        &mut s,
        at(1, 7),
        Event::ThemeMoved {
            theme: "transport-to-the-clinic".into(),
            after: None,
        },
    );
    add(&mut s, at(1, 40), Event::Ended);
    drop(s);

    let mut s = create(&home.data(), SECOND, GUIDE, at(2, 0), meta("Group 6"));
    let last = builtin(GUIDE)
        .unwrap()
        .load()
        .unwrap()
        .themes
        .last()
        .unwrap()
        .id
        .clone();
    add(
        &mut s,
        at(2, 1),
        Event::ThemeAdded {
            id: "transport".into(),
            title: "transport  TO the clinic".into(),
            required: false,
            after: Some(last),
        },
    );
    add(
        &mut s,
        at(2, 2),
        Event::Discussing {
            theme: "transport".into(),
        },
    );
    add(
        &mut s,
        at(2, 4),
        Event::NoteAdded {
            id: "n1".into(),
            noted_at: at(2, 4),
            theme: Some("transport".into()),
            text: "@P1 the hospital shuttle stopped".into(),
        },
    );
    add(&mut s, at(2, 30), Event::Ended);
    drop(s);
    home
}

#[test]
fn the_json_marks_emergent_themes_where_they_were_placed() {
    let home = study();
    let json: serde_json::Value =
        serde_json::from_str(&home.ok(&["export", FIRST, "--format", "json"])).unwrap();
    let themes = json["themes"].as_array().unwrap();
    assert_eq!(themes[0]["id"], "transport-to-the-clinic", "moved first");
    assert_eq!(themes[0]["emergent"], true);
    assert_eq!(themes[0]["required"], false);
    assert_eq!(themes[0]["status"], "covered");
    assert_eq!(
        themes[0]["seconds_discussed"],
        38 * 60,
        "discussed from 00:02 to the end"
    );
    assert!(
        themes[1..].iter().all(|t| t["emergent"] == false),
        "every guide theme says emergent: false"
    );
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    assert_eq!(themes.len(), guide.themes.len() + 1);
    assert_eq!(json["notes"][0]["theme"], "transport-to-the-clinic");
}

#[test]
fn the_reports_mark_emergent_themes() {
    let home = study();
    let md = home.ok(&["export", FIRST, "--format", "md"]);
    let row = md
        .lines()
        .find(|l| l.contains("Transport to the clinic") && l.starts_with('|'))
        .expect("a coverage row for the emergent theme");
    assert!(row.contains("(emergent)"), "{row}");
    assert!(
        md.contains("### Transport to the clinic"),
        "its notes have a section"
    );
    assert!(md.contains("two buses each way"));
    let html = home.ok(&["export", FIRST, "--format", "html"]);
    assert!(html.contains("Transport to the clinic <span class=\"muted\">(emergent)</span>"));
}

#[test]
fn the_review_matches_emergent_themes_across_sessions_by_title() {
    let home = study();
    let review: serde_json::Value =
        serde_json::from_str(&home.ok(&["review", "--format", "json"])).unwrap();
    let rows: Vec<&serde_json::Value> = review["themes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["emergent"] == true)
        .collect();
    assert_eq!(rows.len(), 1, "one row for both spellings: {rows:?}");
    let row = rows[0];
    assert_eq!(row["title"], "Transport to the clinic");
    assert_eq!(row["sessions_with_theme"], 2);
    let statuses: Vec<&str> = row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["covered", "discussed"]);
    let md = home.ok(&["review", "--format", "md"]);
    assert!(
        md.contains("| Transport to the clinic _(emergent)_ |"),
        "{md}"
    );
    let html = home.ok(&["review", "--format", "html"]);
    assert!(
        html.contains(
            "Transport to the clinic <span class=\"optional emergent\">(emergent)</span>"
        ),
        "the study report's coverage row"
    );
}

#[test]
fn the_study_project_has_one_emergent_code_and_validates() {
    let home = study();
    let file = home.path("study.qdpx");
    home.ok(&["review", "--format", "qdpx", "-o", file.to_str().unwrap()]);
    let entries = unzip(&fs::read(&file).unwrap());
    let qde = &entries["project.qde"];
    assert_eq!(
        qde.matches("name=\"Emergent themes\"").count(),
        1,
        "one folder code"
    );
    let folder_at = qde.find("name=\"Emergent themes\"").unwrap();
    let code_at = qde
        .find("name=\"Transport to the clinic\"")
        .expect("the emergent theme's code");
    assert!(code_at > folder_at, "inside the folder");
    assert_eq!(
        qde.matches("name=\"Transport to the clinic\"").count()
            + qde.matches("name=\"transport  TO the clinic\"").count(),
        1,
        "the second session's spelling is the same code"
    );
    // Both sessions' notes on it are coded to that one code.
    let code_guid = guid_before(qde, code_at);
    assert_eq!(
        qde.matches(&format!("targetGUID=\"{code_guid}\"")).count(),
        2,
        "both notes coded to the emergent theme"
    );
    let path = home.path("study.qde");
    fs::write(&path, qde).unwrap();
    assert!(common::refi_schema::xmllint_project(&path), "validated");

    let one = home.path("one.qdpx");
    home.ok(&[
        "export",
        FIRST,
        "--format",
        "qdpx",
        "-o",
        one.to_str().unwrap(),
    ]);
    let single = unzip(&fs::read(&one).unwrap())["project.qde"].clone();
    assert!(
        single.contains(&format!("guid=\"{code_guid}\"")),
        "same GUID"
    );
    let path = home.path("one.qde");
    fs::write(&path, &single).unwrap();
    assert!(common::refi_schema::xmllint_project(&path), "validated");
}

#[test]
fn the_reports_carry_the_seating_plan_and_no_export_reads_the_real_names() {
    let home = study();
    let kept = topicguide::storage::private_names::save_real_names(
        &home.data(),
        FIRST,
        &[("P1".into(), "Annabel Realname".into())],
    )
    .unwrap()
    .expect("a file");
    assert!(!kept.starts_with(home.data().join("sessions")));
    let md = home.ok(&["export", FIRST, "--format", "md"]);
    assert!(
        md.contains("seat 2; by the door; consented to recording"),
        "{md}"
    );
    for format in ["json", "md", "csv", "html", "vtt", "audacity"] {
        let out = home.ok(&["export", FIRST, "--format", format]);
        assert!(!out.contains("Annabel"), "{format} has a real name");
    }
    let file = home.path("all.qdpx");
    home.ok(&["review", "--format", "qdpx", "-o", file.to_str().unwrap()]);
    let entries = unzip(&fs::read(&file).unwrap());
    assert!(entries.values().all(|text| !text.contains("Annabel")));
}

/// The `guid="..."` of the element whose `name` attribute starts at `name_at`.
fn guid_before(xml: &str, name_at: usize) -> String {
    let start = xml[..name_at].rfind("guid=\"").expect("a guid") + 6;
    let end = start + xml[start..].find('"').unwrap();
    xml[start..end].to_string()
}

#[test]
fn the_review_screen_marks_emergent_themes() {
    let home = study();
    let (loaded, problems) = load_all(&home.data()).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let mut screen = Review::new(
        loaded,
        Filter::default(),
        Keymap::default(),
        Palette::default(),
    );
    let now = at(3, 0);
    let draw = |screen: &Review| {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| screen.draw(frame, now)).unwrap();
        terminal
    };
    let matrix = draw(&screen);
    let shown = format!("{}", matrix.backend());
    // The emergent row carries the live screen's mark after its title; guide themes do not.
    let row = shown
        .lines()
        .find(|l| l.contains("Transport to the clinic"))
        .unwrap_or_else(|| panic!("the emergent row in {shown}"));
    assert!(
        row.contains(&format!("Transport to the clinic {EMERGENT_MARK}")),
        "{row}"
    );
    let health = shown
        .lines()
        .find(|l| l.contains("Health experiences"))
        .unwrap();
    assert!(!health.contains(EMERGENT_MARK), "{health}");
    assert!(
        shown.contains(&format!("{EMERGENT_MARK} {EMERGENT_WORD}")),
        "the legend: {shown}"
    );
    insta::assert_snapshot!("review_screen_emergent_80x24", matrix.backend());

    // The cell says what the mark means.
    let index = screen.matrix.rows.iter().position(|r| r.emergent).unwrap();
    for _ in 0..index {
        screen.on_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE), now);
    }
    screen.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), now);
    let cell = format!("{}", draw(&screen).backend());
    assert!(cell.contains(EMERGENT_MEANING), "{cell}");
}
