//! The command line as a researcher meets it after fieldwork: `list` and `export` over sessions
//! built through the library from fixed journals, with every run given its own data folder, HOME
//! and config folder, and TZ=UTC.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DataHome, add, assert_user_error, create, run, topicguide};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use topicguide::library::builtin;
use topicguide::model::alerts::due_warnings;
use topicguide::model::event::{Event, SessionMeta, WarningKind};
use topicguide::model::guide::{SessionKind, SessionMode};
use topicguide::storage::journal::JOURNAL_FILE;

const GROUP_ID: &str = "20261123-1405-group-1";
const PHONE_ID: &str = "20261124-1000-phone-2";
const PILOT_ID: &str = "20261120-0900-pilot-staff";

/// 2026-11-23 14:05:00 UTC plus `minutes` and `seconds`.
fn at(minutes: i64, seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).unwrap()
        + Duration::minutes(minutes)
        + Duration::seconds(seconds)
}

fn meta(label: &str, guide: &str, kind: SessionKind, mode: SessionMode) -> SessionMeta {
    let source = builtin(guide).unwrap();
    let g = source.load().unwrap();
    SessionMeta {
        kind,
        mode,
        site: Some("CR".into()),
        participants: (1..=5).map(|n| format!("P{n}")).collect(),
        consent: true,
        guide_source: guide.into(),
        ..SessionMeta::for_guide(&g, label)
    }
}

fn theme(id: &str) -> String {
    id.to_string()
}

fn note(id: &str, noted_at: DateTime<Utc>, on: &str, text: &str) -> Event {
    Event::NoteAdded {
        id: id.into(),
        noted_at,
        theme: Some(on.into()),
        text: text.into(),
    }
}

fn probe(on: &str, probe: usize, checked: bool) -> Event {
    Event::ProbeToggled {
        theme: on.into(),
        probe,
        checked,
    }
}

/// The focus group every export test reads: a recording mark two minutes in, notes with
/// speakers and tags, an edited and a deleted note, a pause, covered, skipped and undone themes,
/// a late arrival, the 10-minute warning, and the end.
fn group_session(data: &Path) {
    let guide = "cmp-patient-focus-group";
    let m = meta(
        "Group 1",
        guide,
        SessionKind::FocusGroup,
        SessionMode::InPerson,
    );
    let mut s = create(data, GROUP_ID, guide, at(0, 0), m);
    add(
        &mut s,
        at(0, 30),
        Event::Discussing {
            theme: theme("opening"),
        },
    );
    add(&mut s, at(1, 0), probe("opening", 0, true));
    add(
        &mut s,
        at(1, 40),
        note(
            "n1",
            at(1, 30),
            "opening",
            "@P2 asks whether the recorder is on already",
        ),
    );
    add(&mut s, at(2, 0), Event::RecordingStarted);
    add(
        &mut s,
        at(4, 30),
        Event::Covered {
            theme: theme("opening"),
        },
    );
    add(
        &mut s,
        at(4, 30),
        Event::Discussing {
            theme: theme("programme"),
        },
    );
    add(
        &mut s,
        at(6, 0),
        note(
            "n2",
            at(5, 40),
            "programme",
            "@P3 my GP sent me, I didn't know what to expect #quote",
        ),
    );
    add(&mut s, at(6, 30), probe("programme", 2, true));
    add(&mut s, at(7, 0), probe("programme", 2, false));
    add(
        &mut s,
        at(8, 0),
        Event::ParticipantArrived {
            participant: "P6".into(),
        },
    );
    add(
        &mut s,
        at(9, 30),
        Event::Discussing {
            theme: theme("health"),
        },
    );
    add(
        &mut s,
        at(10, 0),
        note(
            "n3",
            at(9, 50),
            "health",
            "@p1 lost two stone since Xmas #quote",
        ),
    );
    add(
        &mut s,
        at(11, 0),
        Event::NoteEdited {
            id: "n3".into(),
            text: "@P1 I've lost two stone since Christmas #quote #diet".into(),
        },
    );
    add(
        &mut s,
        at(12, 0),
        note("n4", at(11, 45), "health", "wrong theme, ignore"),
    );
    add(&mut s, at(12, 10), Event::NoteDeleted { id: "n4".into() });
    add(&mut s, at(13, 0), Event::Paused);
    add(&mut s, at(15, 0), Event::Resumed);
    add(&mut s, at(20, 0), probe("health", 0, true));
    add(&mut s, at(20, 30), probe("health", 1, true));
    add(
        &mut s,
        at(21, 0),
        Event::Covered {
            theme: theme("health"),
        },
    );
    add(
        &mut s,
        at(21, 30),
        Event::Discussing {
            theme: theme("psychosocial"),
        },
    );
    add(
        &mut s,
        at(30, 10),
        note(
            "n5",
            at(30, 0),
            "psychosocial",
            "long silence after the question on mood #nonverbal #followup",
        ),
    );
    add(
        &mut s,
        at(40, 0),
        Event::Skipped {
            theme: theme("employability"),
            reason: Some("ran out of time".into()),
        },
    );
    let covered = add(
        &mut s,
        at(45, 0),
        Event::Covered {
            theme: theme("psychosocial"),
        },
    );
    add(&mut s, at(45, 10), Event::Undone { target: covered });
    add(
        &mut s,
        at(46, 0),
        Event::Discussing {
            theme: theme("access"),
        },
    );
    // 52 minutes in with a 2-minute pause: 10 minutes left, the guide's warning point.
    let due = due_warnings(&s.session.guide, s.session.state(), at(52, 0));
    assert_eq!(
        due.len(),
        1,
        "exactly the 10-minute warning is due: {due:?}"
    );
    let warning = due.into_iter().next().unwrap();
    assert!(matches!(
        warning,
        Event::WarningRaised {
            kind: WarningKind::Unaddressed,
            ..
        }
    ));
    add(&mut s, at(52, 0), warning);
    add(&mut s, at(58, 0), Event::Ended);
}

/// A telephone interview left without ending it (the laptop died): interrupted.
fn phone_session(data: &Path) {
    let guide = "cmp-patient-telephone-interview";
    let mut m = meta(
        "Phone 2",
        guide,
        SessionKind::Interview,
        SessionMode::Telephone,
    );
    m.participants = vec!["P1".into()];
    let start = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
    let mut s = create(data, PHONE_ID, guide, start, m);
    let later = |minutes| start + Duration::minutes(minutes);
    add(
        &mut s,
        later(1),
        Event::Discussing {
            theme: theme("opening"),
        },
    );
    add(
        &mut s,
        later(3),
        Event::Covered {
            theme: theme("opening"),
        },
    );
    add(
        &mut s,
        later(4),
        note("n1", later(4), "opening", "@P1 fine to record"),
    );
}

/// An older staff session that ended at once; its label has a double space.
fn pilot_session(data: &Path) {
    let guide = "cmp-staff-interprofessional";
    let m = meta(
        "Pilot  (staff)",
        guide,
        SessionKind::FocusGroup,
        SessionMode::Video,
    );
    let start = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let mut s = create(data, PILOT_ID, guide, start, m);
    add(&mut s, start + Duration::minutes(1), Event::Ended);
}

/// A temporary HOME and data folder; `Fixture::new()` puts the three sessions in it.
type Fixture = DataHome;

impl Fixture {
    fn new() -> Self {
        let f = Fixture::empty();
        group_session(&f.data());
        phone_session(&f.data());
        pilot_session(&f.data());
        f
    }

    fn session_dir(&self, id: &str) -> PathBuf {
        self.data().join("sessions").join(id)
    }
}

#[test]
fn list_prints_one_line_per_session_newest_first() {
    let f = Fixture::new();
    let ran = f.run(&["list"]);
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    assert_eq!(ran.stderr, "");
    assert_eq!(
        ran.stdout,
        "\
20261124-1000-phone-2  interrupted  Phone 2  2026-11-24 10:00  1/8
20261123-1405-group-1  ended  Group 1  2026-11-23 14:05  2/8
20261120-0900-pilot-staff  ended  Pilot (staff)  2026-11-20 09:00  0/8
"
    );
}

#[test]
fn list_shows_a_session_open_in_another_topicguide_as_live() {
    let f = Fixture::empty();
    let guide = "cmp-patient-telephone-interview";
    let m = meta(
        "Phone 3",
        guide,
        SessionKind::Interview,
        SessionMode::Telephone,
    );
    let open = create(
        &f.data(),
        "20261125-1100-phone-3",
        guide,
        at(60 * 24 * 2, 0),
        m,
    );
    let line = f.ok(&["list"]);
    assert!(
        line.starts_with("20261125-1100-phone-3  live  Phone 3  "),
        "{line}"
    );
    drop(open);
    let line = f.ok(&["list"]);
    assert!(
        line.starts_with("20261125-1100-phone-3  interrupted  Phone 3  "),
        "{line}"
    );
}

#[test]
fn list_with_no_sessions_prints_nothing_on_stdout() {
    let f = Fixture::empty();
    let ran = f.run(&["list"]);
    assert_eq!(ran.code, Some(0));
    assert_eq!(ran.stdout, "");
    let json: Value = serde_json::from_str(&f.ok(&["list", "--json"])).unwrap();
    assert_eq!(json, json!([]));
}

#[test]
fn list_json_parses_and_agrees_with_the_text_list() {
    let f = Fixture::new();
    let list: Value = serde_json::from_str(&f.ok(&["list", "--json"])).unwrap();
    let items = list.as_array().expect("an array");
    let ids: Vec<&str> = items.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [PHONE_ID, GROUP_ID, PILOT_ID]);
    let states: Vec<&str> = items.iter().map(|s| s["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["interrupted", "ended", "ended"]);
    let group = &items[1];
    assert_eq!(group["label"], "Group 1");
    assert_eq!(group["started_at"], "2026-11-23T14:05:00Z");
    assert_eq!(group["ended_at"], "2026-11-23T15:03:00Z");
    assert_eq!(group["covered"], 2);
    assert_eq!(group["total"], 8);
    assert_eq!(items[0]["ended_at"], Value::Null);
}

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

#[test]
fn export_json_follows_the_contract_key_by_key() {
    let f = Fixture::new();
    let out = f.ok(&["export", GROUP_ID, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        keys(&v),
        set(&["session", "themes", "notes", "warnings", "drafts"])
    );

    let s = &v["session"];
    assert_eq!(
        keys(s),
        set(&[
            "id",
            "label",
            "kind",
            "mode",
            "site",
            "participants",
            "consent",
            "guide",
            "planned_minutes",
            "started_at",
            "ended_at",
            "recording_started_at",
            "state",
            "researcher",
        ])
    );
    assert_eq!(s["id"], GROUP_ID);
    assert_eq!(s["label"], "Group 1");
    assert_eq!(s["kind"], "focus-group");
    assert_eq!(s["mode"], "in-person");
    assert_eq!(s["site"], "CR");
    assert_eq!(
        s["participants"],
        json!(["P1", "P2", "P3", "P4", "P5", "P6"])
    );
    assert_eq!(s["consent"], true);
    assert_eq!(keys(&s["guide"]), set(&["title", "version"]));
    assert_eq!(s["guide"]["title"], "CMP patient experience: focus group");
    assert_eq!(s["guide"]["version"], "1.0");
    assert_eq!(s["planned_minutes"], 60);
    assert_eq!(s["started_at"], "2026-11-23T14:05:00Z");
    assert_eq!(s["ended_at"], "2026-11-23T15:03:00Z");
    assert_eq!(s["recording_started_at"], "2026-11-23T14:07:00Z");
    assert_eq!(s["state"], "ended");
    assert_eq!(s["researcher"], Value::Null, "no note-taker recorded");

    let themes = v["themes"].as_array().unwrap();
    let theme_keys = set(&[
        "id",
        "title",
        "required",
        "status",
        "first_discussed_at",
        "covered_at",
        "seconds_discussed",
        "budget_minutes",
        "probes",
        "emergent",
    ]);
    for t in themes {
        assert_eq!(keys(t), theme_keys, "{t}");
        for p in t["probes"].as_array().unwrap() {
            assert_eq!(keys(p), set(&["text", "required", "checked"]));
        }
    }
    let summary: Vec<Value> = themes
        .iter()
        .map(|t| {
            json!([
                t["id"],
                t["required"],
                t["status"],
                t["first_discussed_at"],
                t["covered_at"],
                t["seconds_discussed"],
                t["budget_minutes"],
            ])
        })
        .collect();
    assert_eq!(
        summary,
        [
            json!([
                "opening",
                true,
                "covered",
                "2026-11-23T14:05:30Z",
                "2026-11-23T14:09:30Z",
                240,
                4
            ]),
            json!([
                "programme",
                true,
                "in_discussion",
                "2026-11-23T14:09:30Z",
                null,
                300,
                5
            ]),
            // 3.5 minutes, a 2-minute pause, then 6.5 minutes.
            json!([
                "health",
                true,
                "covered",
                "2026-11-23T14:14:30Z",
                "2026-11-23T14:26:00Z",
                600,
                9
            ]),
            // Covered and then undone: discussed, not covered.
            json!([
                "psychosocial",
                true,
                "in_discussion",
                "2026-11-23T14:26:30Z",
                null,
                1470,
                9
            ]),
            json!(["employability", true, "skipped", null, null, 0, 9]),
            json!(["follow-up", true, "not_started", null, null, 0, 7]),
            json!([
                "access",
                true,
                "in_discussion",
                "2026-11-23T14:51:00Z",
                null,
                720,
                5
            ]),
            json!(["closing", false, "not_started", null, null, 0, 4]),
        ]
    );
    assert_eq!(themes[2]["title"], "Health experiences");
    assert_eq!(
        themes[0]["probes"][0],
        json!({ "text": "Consent to audio recording from every participant", "required": true, "checked": true })
    );
    assert_eq!(
        themes[0]["probes"][1],
        json!({ "text": "Anonymity and confidentiality explained", "required": false, "checked": false })
    );
    let checked = |i: usize| -> Vec<bool> {
        themes[i]["probes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["checked"].as_bool().unwrap())
            .collect()
    };
    // Ticked then unticked: not checked.
    assert_eq!(checked(1), [false; 5]);
    assert_eq!(checked(2), [true, true, false, false, false]);
    assert_eq!(
        themes[2]["probes"][1]["text"],
        "Pain management and coping strategies"
    );

    let notes = v["notes"].as_array().unwrap();
    for n in notes {
        assert_eq!(
            keys(n),
            set(&[
                "id",
                "at",
                "offset_seconds",
                "theme",
                "speaker",
                "tags",
                "text"
            ])
        );
    }
    assert_eq!(
        notes,
        &[
            // Before the recording mark: a negative offset.
            json!({ "id": "n1", "at": "2026-11-23T14:06:30Z", "offset_seconds": -30, "theme": "opening",
                    "speaker": "P2", "tags": [], "text": "asks whether the recorder is on already" }),
            // The note's time is when it was begun; the speaker mark leaves the text, tags stay.
            json!({ "id": "n2", "at": "2026-11-23T14:10:40Z", "offset_seconds": 220, "theme": "programme",
                    "speaker": "P3", "tags": ["quote"],
                    "text": "my GP sent me, I didn't know what to expect #quote" }),
            // Edited: the latest text, speaker and tags; its time is still when it was begun.
            json!({ "id": "n3", "at": "2026-11-23T14:14:50Z", "offset_seconds": 470, "theme": "health",
                    "speaker": "P1", "tags": ["quote", "diet"],
                    "text": "I've lost two stone since Christmas #quote #diet" }),
            // n4 was deleted.
            json!({ "id": "n5", "at": "2026-11-23T14:35:00Z", "offset_seconds": 1680, "theme": "psychosocial",
                    "speaker": null, "tags": ["nonverbal", "followup"],
                    "text": "long silence after the question on mood #nonverbal #followup" }),
        ]
    );

    assert_eq!(
        v["warnings"],
        json!([{ "at": "2026-11-23T14:57:00Z", "kind": "unaddressed",
                 "themes": ["programme", "psychosocial", "follow-up", "access"] }])
    );
}

#[test]
fn export_json_of_an_interrupted_session() {
    let f = Fixture::new();
    let v: Value = serde_json::from_str(&f.ok(&["export", PHONE_ID, "--format", "json"])).unwrap();
    assert_eq!(v["session"]["state"], "interrupted");
    assert_eq!(v["session"]["ended_at"], Value::Null);
    assert_eq!(v["session"]["recording_started_at"], Value::Null);
    assert_eq!(v["session"]["kind"], "interview");
    assert_eq!(v["session"]["mode"], "telephone");
    // No recording mark: offsets count from the start.
    assert_eq!(v["notes"][0]["offset_seconds"], 240);
    // Timed up to the last record, not to whenever the export runs.
    assert_eq!(v["themes"][0]["seconds_discussed"], 180);
    assert_eq!(v["warnings"], json!([]));
}

#[test]
fn export_json_golden() {
    let f = Fixture::new();
    let out = f.ok(&["export", GROUP_ID, "--format", "json"]);
    insta::assert_snapshot!("group_1_json", out);
}

#[test]
fn export_markdown_golden() {
    let f = Fixture::new();
    let out = f.ok(&["export", GROUP_ID, "--format", "md"]);
    insta::assert_snapshot!("group_1_md", out);
}

#[test]
fn export_by_folder_path_is_the_same_as_by_id() {
    let f = Fixture::new();
    let dir = f.session_dir(GROUP_ID);
    let by_id = f.ok(&["export", GROUP_ID, "--format", "json"]);
    let by_path = f.ok(&["export", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(by_path, by_id);
    // A relative path from the data folder works too.
    let mut cmd = topicguide(f.home.path());
    cmd.current_dir(f.data())
        .arg("--data-dir")
        .arg(f.data())
        .args(["export", &format!("sessions/{GROUP_ID}"), "--format", "md"]);
    let ran = run(&mut cmd);
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    assert_eq!(ran.stdout, f.ok(&["export", GROUP_ID, "--format", "md"]));
}

#[test]
fn export_with_o_writes_the_file_and_nothing_on_stdout() {
    let f = Fixture::new();
    let expected = f.ok(&["export", GROUP_ID, "--format", "md"]);
    let target = f.home.path().join("reports").join("group-1.md");
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    for flag in ["-o", "--output"] {
        let ran = f.run(&[
            "export",
            GROUP_ID,
            "--format",
            "md",
            flag,
            target.to_str().unwrap(),
        ]);
        assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
        assert_eq!(ran.stdout, "");
        assert_eq!(fs::read_to_string(&target).unwrap(), expected);
    }
    // The export is the only file left behind: no temporary file.
    let names: Vec<String> = fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["group-1.md"]);
    // Field notes are personal data: readable by their owner only.
    assert_eq!(
        fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn export_into_a_missing_folder_is_a_one_line_error() {
    let f = Fixture::new();
    let target = f.home.path().join("no-such-folder").join("out.json");
    let ran = f.run(&[
        "export",
        GROUP_ID,
        "--format",
        "json",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_user_error(&ran);
    assert_eq!(ran.stdout, "");
}

#[test]
fn an_unknown_session_is_one_line_on_stderr() {
    let f = Fixture::new();
    for arg in [
        "20991231-0000-nobody",
        "sessions/../../etc",
        "/no/such/folder",
        "",
    ] {
        let ran = f.run(&["export", arg, "--format", "json"]);
        assert_user_error(&ran);
        assert_eq!(ran.stdout, "", "{arg:?}");
        assert!(ran.stderr.starts_with("topicguide: "), "{}", ran.stderr);
    }
    let ran = f.run(&["export", "20991231-0000-nobody", "--format", "json"]);
    assert!(
        ran.stderr.contains("20991231-0000-nobody"),
        "{}",
        ran.stderr
    );
}

#[test]
fn invalid_options_are_one_line_on_stderr() {
    let f = Fixture::new();
    for args in [
        &["export", GROUP_ID, "--format", "pdf"][..],
        &["export", GROUP_ID][..],
        &["list", "--bogus"][..],
        &["frobnicate"][..],
        &["export", GROUP_ID, "--format", "json", "-o"][..],
    ] {
        let ran = f.run(args);
        assert_user_error(&ran);
        assert_eq!(ran.stdout, "", "{args:?}");
        assert!(ran.stderr.starts_with("topicguide: "), "{}", ran.stderr);
    }
    let ran = f.run(&["export", GROUP_ID, "--format", "pdf"]);
    assert!(
        ran.stderr.contains("pdf"),
        "names the bad value: {}",
        ran.stderr
    );
}

#[test]
fn help_and_version_succeed() {
    let f = Fixture::empty();
    for args in [
        &["--help"][..],
        &["-h"][..],
        &["export", "--help"][..],
        &["guide", "check", "--help"][..],
    ] {
        let out = f.ok(args);
        assert!(out.contains("Usage:"), "{args:?}: {out}");
    }
    let help = f.ok(&["--help"]);
    for command in ["start", "resume", "list", "export", "guide"] {
        assert!(help.contains(command), "help names {command}");
    }
    assert_eq!(
        f.ok(&["--version"]),
        format!("topicguide {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_data_folder_can_come_from_the_environment() {
    let f = Fixture::new();
    let mut cmd = topicguide(f.home.path());
    cmd.env("TOPICGUIDE_DATA_DIR", f.data()).arg("list");
    let ran = run(&mut cmd);
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    assert_eq!(ran.stdout, f.ok(&["list"]));
    // The option wins over the environment.
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = topicguide(f.home.path());
    cmd.env("TOPICGUIDE_DATA_DIR", f.data())
        .args(["list", "--data-dir"])
        .arg(empty.path());
    let ran = run(&mut cmd);
    assert_eq!(ran.code, Some(0));
    assert_eq!(ran.stdout, "");
}

#[test]
fn a_damaged_session_is_listed_as_damaged_and_export_salvages_its_intact_records() {
    let f = Fixture::new();
    let journal = f.session_dir(GROUP_ID).join(JOURNAL_FILE);
    let mut bytes = fs::read(&journal).unwrap();
    // Change one byte in line 3.
    let third = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    bytes[third + 30] ^= 0x01;
    fs::write(&journal, &bytes).unwrap();

    let ran = f.run(&["list"]);
    assert_eq!(ran.code, Some(0));
    assert_eq!(ran.stdout.lines().count(), 3, "all three: {}", ran.stdout);
    let line = ran
        .stdout
        .lines()
        .find(|l| l.starts_with(GROUP_ID))
        .expect("the damaged session is listed");
    assert!(
        line.contains("  damaged  Group 1  ") && line.contains("(line 3: "),
        "{line}"
    );
    assert!(
        ran.stderr.contains(&format!("{}:3:", journal.display())),
        "names the file and line: {}",
        ran.stderr
    );

    let ran = f.run(&["export", GROUP_ID, "--format", "json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(":3: the journal is damaged"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("left out: line 3"), "{}", ran.stderr);
    let export: Value = serde_json::from_str(&ran.stdout).unwrap();
    assert!(
        !export["notes"].as_array().unwrap().is_empty(),
        "the intact notes"
    );
    assert_eq!(
        fs::read(&journal).unwrap(),
        bytes,
        "the journal is left as it is"
    );
}

#[test]
fn a_torn_last_line_is_left_out_of_the_export_with_a_warning() {
    let f = Fixture::new();
    let journal = f.session_dir(PHONE_ID).join(JOURNAL_FILE);
    let clean = f.ok(&["export", PHONE_ID, "--format", "json"]);
    let mut bytes = fs::read(&journal).unwrap();
    bytes.extend_from_slice(br#"{"crc":"0badf00d","rec":{"seq":5,"at":"2026-11-24T10:0"#);
    fs::write(&journal, &bytes).unwrap();
    let ran = f.run(&["export", PHONE_ID, "--format", "json"]);
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    assert_eq!(ran.stdout, clean);
    assert_eq!(ran.stderr.lines().count(), 1);
    assert!(ran.stderr.contains("torn"), "{}", ran.stderr);
    assert_eq!(
        fs::read(&journal).unwrap(),
        bytes,
        "reading changes nothing"
    );
}

#[test]
fn guide_list_shows_built_in_guides_and_the_users_own() {
    let f = Fixture::empty();
    let out = f.ok(&["guide", "list"]);
    let names: Vec<&str> = out.lines().map(|l| l.split("  ").next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "cmp-patient-focus-group",
            "cmp-patient-telephone-interview",
            "cmp-staff-interprofessional"
        ]
    );
    assert!(out.lines().all(|l| l.ends_with("  built-in")), "{out}");

    // Guides in <config dir>/guides, with the config dir from XDG_CONFIG_HOME.
    let mine = f.home.path().join(".config/topicguide/guides");
    fs::create_dir_all(&mine).unwrap();
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(
        crate_dir.join("tests/valid_guides/minimal.toml"),
        mine.join("mine.toml"),
    )
    .unwrap();
    fs::copy(
        crate_dir.join("tests/invalid_guides/duplicate_theme_id.toml"),
        mine.join("broken.toml"),
    )
    .unwrap();
    fs::write(mine.join("notes.txt"), "not a guide").unwrap();
    let out = f.ok(&["guide", "list"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert_eq!(
        lines[3],
        format!(
            "broken  INVALID: {}:14:1: duplicate theme id \"health\"",
            mine.join("broken.toml").display()
        )
    );
    assert_eq!(
        lines[4],
        format!(
            "mine  Minimal  1 theme, 60 min  {}",
            mine.join("mine.toml").display()
        )
    );
}

/// Every file under `dir` (a link as the link) with its bytes and modification time.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
            }
            let bytes = if meta.is_file() {
                fs::read(&path).unwrap()
            } else {
                Vec::new()
            };
            out.push((path, bytes, meta.modified().unwrap()));
        }
    }
    out.sort();
    out
}

/// The one list cache file under the HOME's cache folder.
fn list_cache_file(f: &Fixture) -> PathBuf {
    let dir = f.path(".cache/topicguide/list");
    let files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        files.len(),
        1,
        "one cache file for one data folder: {files:?}"
    );
    files.into_iter().next().unwrap()
}

/// `list` and `list --json` read with a cache folder of their own, empty: a cold run.
fn cold_list(f: &Fixture) -> (String, String) {
    let empty = tempfile::tempdir().unwrap();
    let ran = |json: bool| {
        let mut cmd = topicguide(f.home.path());
        cmd.env("TOPICGUIDE_CACHE_DIR", empty.path())
            .arg("--data-dir")
            .arg(f.data())
            .arg("list");
        if json {
            cmd.arg("--json");
        }
        let ran = run(&mut cmd);
        assert_eq!(ran.code, Some(0), "{}", ran.stderr);
        ran.stdout
    };
    (ran(false), ran(true))
}

/// Edits the cached summary of session `id` in the cache file, and the file's format.
fn edit_cache(file: &Path, id: &str, label: &str, format: u64) {
    let mut cache: Value = serde_json::from_slice(&fs::read(file).unwrap()).unwrap();
    cache["format"] = json!(format);
    cache["sessions"][id]["summary"]["label"] = json!(label);
    fs::write(file, serde_json::to_vec(&cache).unwrap()).unwrap();
}

/// Lets the fixture's files age past the cache's settling time (a file changed in the last two
/// seconds is never cached: a same-length rewrite within one tick of the clock could not be told
/// apart).
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2200));
}

#[test]
fn list_keeps_a_summary_cache_outside_the_data_folder_and_never_trusts_it() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::new();
    settle();
    let sessions_before = tree(&f.data());
    let (cold, cold_json) = cold_list(&f);
    // The first run writes the cache; the second reads it: the same bytes out.
    assert_eq!(f.ok(&["list"]), cold);
    let file = list_cache_file(&f);
    assert_eq!(f.ok(&["list"]), cold);
    assert_eq!(f.ok(&["list", "--json"]), cold_json);
    // Owner-only, and nothing written into the data folder (which a sync engine may share).
    assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o600);
    for dir in [".cache/topicguide/list", ".cache/topicguide"] {
        assert_eq!(
            fs::metadata(f.path(dir)).unwrap().mode() & 0o777,
            0o700,
            "{dir}"
        );
    }
    assert_eq!(
        tree(&f.data()),
        sessions_before,
        "the data folder is untouched"
    );

    // A cached summary is what list shows while the session's files are unchanged (here one
    // edited behind its back, to see that the cache is read at all)...
    edit_cache(&file, PHONE_ID, "From the cache", 1);
    let hit = f.ok(&["list"]);
    assert!(
        hit.contains(&format!("{PHONE_ID}  interrupted  From the cache  ")),
        "{hit}"
    );
    // ...until the journal changes: a theme covered more is read, and listed.
    let mut open = topicguide::storage::session_store::reopen_session(
        &f.session_dir(PHONE_ID),
        at(60 * 24, 10),
    )
    .unwrap();
    add(
        &mut open,
        at(60 * 24, 11),
        Event::Covered {
            theme: theme("programme"),
        },
    );
    let live = f.ok(&["list"]);
    assert!(
        live.contains(&format!("{PHONE_ID}  live  Phone 2  ")),
        "{live}"
    );
    drop(open);
    let (cold, cold_json) = cold_list(&f);
    assert!(cold.contains(&format!(
        "{PHONE_ID}  interrupted  Phone 2  2026-11-24 10:00  2/8\n"
    )));
    assert_eq!(f.ok(&["list"]), cold);
    assert_eq!(f.ok(&["list", "--json"]), cold_json);

    // The guide snapshot replaced (a new file renamed over it): read again.
    let snapshot = f.session_dir(PILOT_ID).join("guide.toml");
    let text = fs::read_to_string(&snapshot).unwrap();
    let retitled = text.replacen(
        "title = \"CMP staff: interprofessional working\"",
        "title = \"CMP staff: retitled\"",
        1,
    );
    assert_ne!(retitled, text);
    let beside = snapshot.with_extension("new");
    fs::write(&beside, &retitled).unwrap();
    fs::rename(&beside, &snapshot).unwrap();
    let json = f.ok(&["list", "--json"]);
    assert!(
        json.contains("\"guide\": \"CMP staff: retitled\""),
        "{json}"
    );
    let (cold, cold_json) = cold_list(&f);
    assert_eq!(json, cold_json);
    assert_eq!(f.ok(&["list"]), cold);

    // A corrupt cache file, and one of another format: ignored, the sessions read again, and
    // the file written anew (once the changed sessions have settled).
    settle();
    fs::write(&file, b"{\"format\": 1, \"sessions\": [trunc").unwrap();
    assert_eq!(f.ok(&["list"]), cold);
    assert_eq!(f.ok(&["list", "--json"]), cold_json);
    let rewritten: Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(rewritten["sessions"].as_object().unwrap().len(), 3);
    edit_cache(&file, GROUP_ID, "From another version", 999);
    assert_eq!(f.ok(&["list"]), cold);
    assert_eq!(f.ok(&["list", "--json"]), cold_json);
    // A cache that cannot be written (a file where its folder should be) is no error either.
    fs::remove_dir_all(f.path(".cache/topicguide/list")).unwrap();
    fs::write(f.path(".cache/topicguide/list"), b"").unwrap();
    let ran = f.run(&["list"]);
    assert_eq!(
        (ran.code, ran.stdout, ran.stderr),
        (Some(0), cold, String::new())
    );
}
