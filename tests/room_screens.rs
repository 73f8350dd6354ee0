//! What the room needs on screen, drawn into ratatui's TestBackend at 80x24, 120x40 and 200x50:
//! a focus group with a seating plan and parked questions, and a telephone interview that leads
//! with the question. Sessions are built from journal events (not keys), so the snapshots show
//! the screen and not a keymap; each snapshot comes with assertions on what must be there.

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use topicguide::config::ColourScheme;
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta};
use topicguide::model::session::Session;
use topicguide::ui::app::{LiveApp, Modal};
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

/// A live screen over `guide_name` begun with `meta` and then `events`, each at its second.
fn app_of(
    guide_name: &str,
    meta: impl Fn(SessionMeta) -> SessionMeta,
    events: Vec<(i64, Event)>,
) -> LiveApp {
    let guide = builtin(guide_name).unwrap().load().unwrap();
    let start = meta(SessionMeta {
        guide_source: guide_name.into(),
        app_version: "test".into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    });
    let mut records = vec![Record {
        seq: 1,
        at: t0(),
        event: Event::Started(start),
    }];
    for (second, event) in events {
        records.push(Record {
            seq: records.len() as u64 + 1,
            at: at(second),
            event,
        });
    }
    let session = Session::from_records(guide, records).unwrap();
    let mut app = LiveApp::new(
        "20260310-1000-group-1".into(),
        "/tmp/sessions/x".into(),
        session,
        Keymap::default(),
    );
    let last = app.session.records().last().map_or(0, |r| r.seq);
    app.saved_through(last);
    app
}

fn discussing(theme: &str) -> Event {
    Event::Discussing {
        theme: theme.into(),
    }
}

fn covered(theme: &str) -> Event {
    Event::Covered {
        theme: theme.into(),
    }
}

fn note(id: &str, second: i64, theme: &str, text: &str) -> (i64, Event) {
    (
        second + 20,
        Event::NoteAdded {
            id: id.into(),
            noted_at: at(second),
            theme: Some(theme.into()),
            text: text.into(),
        },
    )
}

fn described(who: &str, seat: &str, descriptor: &str) -> Event {
    Event::ParticipantDescribed {
        participant: who.into(),
        seat: Some(seat.into()),
        descriptor: Some(descriptor.into()),
    }
}

/// A focus group 21 minutes in: a seating plan of five with descriptors and consent, P5 gone,
/// two themes covered, one covered and still under discussion, an emergent theme, two parked
/// questions (one asked), notes with and without a speaker.
fn focus_group() -> LiveApp {
    let mut events = vec![
        (1, described("P1", "1", "red scarf, by the window")),
        (2, described("P2", "2", "glasses, cardiac rehab")),
        (3, described("P3", "3", "grey jumper")),
        (4, described("P4", "4", "walking stick")),
        (5, described("P5", "5", "arrived with P4")),
    ];
    for (i, p) in ["P1", "P2", "P3", "P4", "P5"].iter().enumerate() {
        events.push((
            6 + i as i64,
            Event::ParticipantConsent {
                participant: p.to_string(),
                consent: true,
            },
        ));
    }
    events.extend([
        (10, discussing("opening")),
        (40, Event::RecordingStarted),
        (200, covered("opening")),
        (210, discussing("programme")),
        note(
            "n1",
            300,
            "programme",
            "@P3 cardiac rehab, referred by the GP after the operation",
        ),
        (500, covered("programme")),
        (510, discussing("health")),
        note(
            "n2",
            700,
            "health",
            "@P3 I changed my diet from the day I got told what the fault was #quote",
        ),
        note(
            "n3",
            800,
            "health",
            "@P4 walking every day now, more agile #quote",
        ),
        note("n4", 900, "health", "@P1 laughs, others nod #nonverbal"),
        note(
            "n5",
            910,
            "health",
            "P1 laughs at the question, the note-taker's own words",
        ),
        note(
            "n6",
            1000,
            "health",
            "@P2 ask about medication later #followup",
        ),
        note(
            "n7",
            1010,
            "health",
            "@P4 who runs the walking group? #followup",
        ),
        (
            1040,
            Event::FollowupAsked {
                note: "n7".into(),
                asked: true,
            },
        ),
        (
            1050,
            Event::ProbeToggled {
                theme: "health".into(),
                probe: 0,
                checked: true,
            },
        ),
        (1100, covered("health")),
        (
            1150,
            Event::ThemeAdded {
                id: "transport".into(),
                title: "Transport to the sessions".into(),
                required: false,
                after: Some("health".into()),
            },
        ),
        (
            1200,
            Event::ParticipantLeft {
                participant: "P5".into(),
            },
        ),
    ]);
    app_of(
        "cmp-patient-focus-group",
        |meta| SessionMeta {
            site: Some("CR".into()),
            participants: (1..=5).map(|i| format!("P{i}")).collect(),
            consent: true,
            ..meta
        },
        events,
    )
}

/// A telephone interview on the built-in telephone guide (its mode comes from the guide), 95
/// seconds in: consent covered, the second question under discussion with a probe ticked.
fn telephone() -> LiveApp {
    app_of(
        "cmp-patient-telephone-interview",
        |meta| SessionMeta {
            participants: vec!["P1".into()],
            consent: true,
            ..meta
        },
        vec![
            (5, discussing("opening")),
            (
                20,
                Event::ProbeToggled {
                    theme: "opening".into(),
                    probe: 0,
                    checked: true,
                },
            ),
            (60, covered("opening")),
            (61, discussing("programme")),
            (
                80,
                Event::ProbeToggled {
                    theme: "programme".into(),
                    probe: 1,
                    checked: true,
                },
            ),
            note(
                "n1",
                85,
                "programme",
                "@P1 came through the jobcentre adviser",
            ),
            note(
                "n2",
                90,
                "programme",
                "@IV asked how long the waiting list was",
            ),
        ],
    )
}

fn render_with(app: &LiveApp, cols: u16, rows: u16, seconds: i64, palette: &Palette) -> String {
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).unwrap();
    terminal
        .draw(|frame| view::draw(frame, app, at(seconds), palette))
        .unwrap();
    format!("{}", terminal.backend())
}

fn render(app: &LiveApp, cols: u16, rows: u16, seconds: i64) -> String {
    render_with(app, cols, rows, seconds, &Palette::default())
}

/// The row of the screen holding `needle`, or a failure that shows the screen.
fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in\n{screen}"))
}

#[test]
fn focus_group_80x24() {
    let a = focus_group();
    let s = render(&a, 80, 24, 1262);
    assert!(s.contains("P4 › walking"), "a speaker is set apart: {s}");
    assert!(
        s.contains("health P1 laughs at"),
        "an unattributed note has no separator: {s}"
    );
    assert!(s.contains("Parked questions 1 open of 2"), "{s}");
    assert!(s.contains("P2 › ask about medication later"), "{s}");
    assert!(s.contains("P5·0 left"), "who left is shown as left: {s}");
    insta::assert_snapshot!(s);
}

#[test]
fn focus_group_120x40() {
    let a = focus_group();
    let s = render(&a, 120, 40, 1262);
    assert!(
        s.contains("Seating · ◆ spoke on Health experiences"),
        "the seating plan in the rows the theme list leaves: {s}"
    );
    assert!(s.contains("◇P5 left") && s.contains("◆P1"), "{s}");
    assert!(
        s.contains("Transport to the sessions +"),
        "emergent, marked: {s}"
    );
    assert!(
        s.contains("Transport to the sessions"),
        "the emergent theme is listed: {s}"
    );
    assert!(
        s.contains("[x] P4 › who runs the walking group?"),
        "asked is ticked: {s}"
    );
    assert!(s.contains("[ ] P2 › ask about medication later"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn focus_group_200x50() {
    let a = focus_group();
    let s = render(&a, 200, 50, 1262);
    assert!(
        s.contains("elapsed") && s.contains("left"),
        "the large clock: {s}"
    );
    assert!(s.contains("┏━┓"), "digits in the large font: {s}");
    assert!(s.contains("Seating · ◆ spoke on"), "the seating plan: {s}");
    assert!(
        s.contains("◆P3") && s.contains("◆P2"),
        "who spoke on the theme shown: {s}"
    );
    assert!(s.contains("◇P5 left"), "{s}");
    assert!(s.contains("red scarf"), "descriptors: {s}");
    // Probes of every theme, in full: wrapped, never cut, and the list says what is below.
    assert!(
        s.contains("[ ] Consent to audio recording from every participant *"),
        "{s}"
    );
    assert!(
        s.contains("   [ ] Ground rules: one at a time, no right or wrong answers, free │")
            && s.contains("       to leave"),
        "a long probe wraps under its box: {s}"
    );
    let themes_column: String = s
        .lines()
        .map(|l| l.chars().take(68).collect::<String>())
        .collect();
    assert!(
        !themes_column.contains('…'),
        "nothing cut in the theme list: {s}"
    );
    assert!(s.contains("▼ 2 more themes below"), "{s}");
    assert!(s.contains("Parked questions 1 open of 2"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_seating_plan_editor_shows_seats_descriptors_consent_and_leavers() {
    let mut a = focus_group();
    a.modals.push(Modal::Participants(Box::new(
        topicguide::ui::roster::RosterEditor::new(false),
    )));
    let s = render(&a, 120, 40, 1262);
    assert!(row_with(&s, "seat").contains("descriptor"), "a header: {s}");
    let p1 = row_with(&s, "P1     1 ");
    assert!(
        p1.contains("red scarf, by the window") && p1.contains("yes"),
        "{p1}"
    );
    assert!(row_with(&s, "P5     5 ").contains("left 00:19:20"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn telephone_80x24() {
    let a = telephone();
    assert_eq!(
        a.state().mode,
        topicguide::model::guide::SessionMode::Telephone,
        "the guide says telephone"
    );
    let s = render(&a, 80, 24, 95);
    let lines: Vec<&str> = s.lines().collect();
    assert!(
        lines[1].contains("Question 2 of") && lines[1].contains("The programme"),
        "the question comes first: {s}"
    );
    assert!(
        s.contains("[x] Alt-s Who suggested it"),
        "the ticked probe of the question shown: {s}"
    );
    assert!(s.contains("Next ▸ 3."), "the next question beneath: {s}");
    assert!(
        s.contains("IV › asked how long"),
        "the interviewer speaks too: {s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn telephone_120x40_uses_the_height_for_the_question() {
    let a = telephone();
    let s = render(&a, 120, 40, 95);
    let question = &a.session.guide.themes[1];
    for probe in &question.probes {
        assert!(
            s.contains(probe.text.as_str()),
            "probe {:?} in full: {s}",
            probe.text
        );
    }
    if let Some(guidance) = &question.guidance {
        let start: String = guidance.chars().take(30).collect();
        assert!(s.contains(&start), "the guidance too: {s}");
    }
    insta::assert_snapshot!(s);
}

#[test]
fn telephone_200x50() {
    let a = telephone();
    let s = render(&a, 200, 50, 95);
    assert!(s.contains("Question 2 of"), "{s}");
    assert!(s.contains("elapsed"), "the large clock: {s}");
    assert!(
        !s.contains("Seating ·"),
        "no seating plan for one interviewee: {s}"
    );
    insta::assert_snapshot!(s);
}

/// Adds `event` to the app's session at `second`, as the loop would after saving it.
fn push(app: &mut LiveApp, second: i64, event: Event) {
    let record = Record {
        seq: app.session.next_seq(),
        at: at(second),
        event,
    };
    app.session.push(record);
    let last = app.session.records().last().map_or(0, |r| r.seq);
    app.saved_through(last);
}

#[test]
fn no_color_tells_every_status_apart_by_its_mark() {
    let mut a = focus_group();
    // Psychosocial discussed and left uncovered, Closing skipped; the room back on Health,
    // which is covered.
    push(&mut a, 1210, discussing("psychosocial"));
    push(&mut a, 1220, discussing("health"));
    push(
        &mut a,
        1230,
        Event::Skipped {
            theme: "closing".into(),
            reason: None,
        },
    );
    let palette = Palette::new(ColourScheme::Default, true);
    let covered_in_discussion = render_with(&a, 120, 40, 1262, &palette);
    push(
        &mut a,
        1240,
        Event::Uncovered {
            theme: "health".into(),
        },
    );
    let in_discussion = render_with(&a, 120, 40, 1262, &palette);
    let mark_of = |screen: &str, title: &str| {
        row_with(screen, title)
            .trim_start_matches('"')
            .chars()
            .next()
            .unwrap_or(' ')
    };
    let s = &covered_in_discussion;
    let marks = [
        ("covered", mark_of(s, "Welcome and consent")),
        (
            "covered, still in discussion",
            mark_of(s, "Health experiences"),
        ),
        (
            "in discussion",
            mark_of(&in_discussion, "Health experiences"),
        ),
        (
            "discussed, not covered",
            mark_of(s, "Psychosocial wellbeing"),
        ),
        ("not started", mark_of(s, "Employability and return")),
        ("skipped", mark_of(s, "Closing")),
    ];
    for (i, (what, m)) in marks.iter().enumerate() {
        assert!(
            !m.is_alphanumeric() && *m != ' ',
            "{what} has a mark: {m:?}"
        );
        for (other, n) in &marks[i + 1..] {
            assert_ne!(m, n, "{what} and {other} share a mark\n{s}");
        }
    }
    // The parked questions and the seating plan read without colour too.
    assert!(s.contains("[ ] P2 › ask about medication later"), "{s}");
    assert!(s.contains("[x] P4 › who runs the walking group?"), "{s}");
    assert!(s.contains("P5·0 left"), "{s}");
    insta::assert_snapshot!(
        "no_color_covered_in_discussion_120x40",
        covered_in_discussion
    );
    insta::assert_snapshot!("no_color_in_discussion_120x40", in_discussion);
}

/// A hundred and twenty parked questions in a long session: the side pane gives each open one a row as far
/// as it has room, and the warning bar counts them all while listing only what a row can show.
#[test]
fn many_parked_questions_fill_the_pane_and_the_bar_counts_them_all() {
    let mut a = focus_group();
    for n in 0..120 {
        push(
            &mut a,
            1110 + n,
            Event::NoteAdded {
                id: format!("q{n}"),
                noted_at: at(1110 + n),
                theme: Some("health".into()),
                text: format!("@P2 parked question number {n} about the follow-up calls #followup"),
            },
        );
    }
    let s = render(&a, 200, 50, 1262);
    assert!(s.contains("Parked questions 121 open of 122"), "{s}");
    // In the pane each question has one row, cut with `…` (the notes pane shows them whole).
    assert!(
        s.contains("[ ] P2 › parked question number 0 about the …"),
        "the first open questions are listed, a row each: {s}"
    );
    assert!(
        !s.contains("number 40 about the…") && !s.contains("number 119 about the…"),
        "the pane stops where it is full: {s}"
    );
    // Near the planned end the bar brings the parked questions in.
    let (bar, _) = topicguide::ui::view::warning_bar::message(&a, at(3200));
    assert!(bar.contains("121 parked: "), "{bar}");
    // All of them would be about 9 KB.
    assert!(
        bar.len() < 4500,
        "the bar lists only what its rows can hold"
    );
}
