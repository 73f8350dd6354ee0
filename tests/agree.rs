//! `topicguide agree`: two observers of one group, their timelines compared on a one-second grid
//! through the real binary, against kappa worked out by hand.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DataHome, add, create};
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};

const GUIDE: &str = "cmp-patient-focus-group";

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap() + Duration::seconds(seconds)
}

fn meta(researcher: &str) -> SessionMeta {
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    SessionMeta {
        researcher: Some(researcher.into()),
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    }
}

fn discussing(theme: &str) -> Event {
    Event::Discussing {
        theme: theme.into(),
    }
}

fn note(id: &str, seconds: i64, text: &str) -> Event {
    Event::NoteAdded {
        id: id.into(),
        noted_at: at(seconds),
        theme: Some("opening".into()),
        text: text.into(),
    }
}

/// Observer A moves to the programme at 60 s, observer B at 40 s; both end at 100 s.
///
/// Over the 100 seconds: both on opening 0-40 (40 s), A opening and B programme 40-60 (20 s),
/// both on programme 60-100 (40 s). Observed agreement 80/100 = 0.8. A has opening 0.6,
/// programme 0.4; B opening 0.4, programme 0.6: chance 0.6 * 0.4 + 0.4 * 0.6 = 0.48.
/// Kappa = (0.8 - 0.48) / (1 - 0.48) = 0.32 / 0.52 = 0.6154.
fn two_observers(home: &DataHome) {
    let data = home.data();
    let mut a = create(&data, "20261123-1400-group-1", GUIDE, at(0), meta("AR"));
    add(&mut a, at(0), discussing("opening"));
    add(
        &mut a,
        at(20),
        note("n1", 15, "@P1 asks about the recorder"),
    );
    add(&mut a, at(30), note("n2", 30, "@P2 nods along #nonverbal"));
    add(
        &mut a,
        at(60),
        Event::Covered {
            theme: "opening".into(),
        },
    );
    add(&mut a, at(60), discussing("programme"));
    add(&mut a, at(100), Event::Ended);
    drop(a);
    let mut b = create(&data, "20261123-1400-group-1-b", GUIDE, at(0), meta("KM"));
    add(&mut b, at(0), discussing("opening"));
    add(&mut b, at(25), note("n1", 20, "@P1 recorder question"));
    add(&mut b, at(40), discussing("programme"));
    add(&mut b, at(100), Event::Ended);
    drop(b);
}

#[test]
fn kappa_matches_the_hand_computed_value() {
    let home = DataHome::empty();
    two_observers(&home);
    let md = home.ok(&["agree", "20261123-1400-group-1", "20261123-1400-group-1-b"]);
    assert!(md.contains("- Compared: 100 seconds"), "{md}");
    assert!(
        md.contains("**Cohen's kappa 0.62** substantial: observed agreement 80.0%, chance 48.0%"),
        "{md}"
    );
    // Opening: A 60 s, B 40 s, both 40 s; A covered it, B did not.
    assert!(
        md.contains(
            "| Welcome and consent | 60 | 40 | 40 | 0.62 | ✓ covered | ◐ discussed, not covered |"
        ),
        "{md}"
    );
    // One note each near 15-20 s is the same moment; A's nonverbal note is A's alone.
    assert!(md.contains("1 notes matched"), "{md}");
    assert!(
        md.contains("| 00:00:30 | opening | P2: nods along #nonverbal |  |"),
        "{md}"
    );
    let html = home.ok(&[
        "agree",
        "20261123-1400-group-1",
        "20261123-1400-group-1-b",
        "--html",
    ]);
    assert!(html.contains("data-kappa=\"0.6154\""), "{html}");
    assert!(!html.contains("http"), "no address in the report");
}

#[test]
fn agree_needs_two_different_sessions() {
    let home = DataHome::empty();
    two_observers(&home);
    let ran = home.run(&["agree", "20261123-1400-group-1", "20261123-1400-group-1"]);
    common::assert_user_error(&ran);
}

#[test]
fn the_markdown_review_compares_every_two_observers_of_one_group() {
    let home = DataHome::empty();
    two_observers(&home);
    let md = home.ok(&["review", "--format", "md"]);
    let at = md
        .find("\n## Observer agreement\n")
        .unwrap_or_else(|| panic!("an agreement section in {md}"));
    let section = &md[at..];
    // The rule is stated, then the pair with its kappa worked out by hand above.
    assert!(
        section.contains("\nTwo sessions are taken as two observers of one group when they follow the same guide (by title) at the same site"),
        "{section}"
    );
    assert!(section.contains("\n### Group 1 and Group 1\n"), "{section}");
    assert!(
        section.contains("- A: `20261123-1400-group-1` Group 1 (note-taker AR)\n"),
        "{section}"
    );
    assert!(
        section.contains("- B: `20261123-1400-group-1-b` Group 1 (note-taker KM)\n"),
        "{section}"
    );
    assert!(
        section
            .contains("**Cohen's kappa 0.62** substantial: observed agreement 80.0%, chance 48.0%"),
        "{section}"
    );
    assert!(
        section.contains(
            "| Welcome and consent | 60 | 40 | 40 | 0.62 | ✓ covered | ◐ discussed, not covered |"
        ),
        "{section}"
    );
    assert!(
        section.contains("\n#### Notes only one observer took\n"),
        "{section}"
    );
    assert_eq!(section.matches("\n### ").count(), 1, "one pair: {section}");
    insta::assert_snapshot!("review_md_observer_agreement", section);

    // One session alone has no one to agree with: one line says so.
    let alone = home.ok(&["review", "20261123-1400-group-1", "--format", "md"]);
    assert!(
        alone.ends_with("\n## Observer agreement\n\nNo two sessions recorded the same group (two sessions are taken as two observers of one group when they follow the same guide (by title) at the same site (or both name none), were recorded by different note-takers (or one names none), and their recorded times overlap by at least half of the shorter session).\n"),
        "{alone}"
    );
}
