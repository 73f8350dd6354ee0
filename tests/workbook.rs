//! The framework-matrix workbook (`review --format xlsx`) read back with a spreadsheet library
//! (Python's openpyxl): a sheet per guide with sessions as rows and themes as columns and the
//! notes in the cells, a sheet per guide with participants as rows, and the coverage sheet.
//! Without python3 and openpyxl the test skips loudly (fails in CI).

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::skip::missing_tool;
use common::{DataHome, add, create};
use serde_json::Value;
use std::process::Command;
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};

const GROUP: &str = "cmp-patient-focus-group";
const PHONE: &str = "cmp-patient-telephone-interview";

fn meta(guide: &str, label: &str, site: &str) -> SessionMeta {
    let g = builtin(guide).unwrap().load().unwrap();
    SessionMeta {
        site: Some(site.into()),
        researcher: Some("AR".into()),
        participants: vec!["P1".into(), "P2".into(), "P3".into()],
        guide_source: guide.into(),
        ..SessionMeta::for_guide(&g, label)
    }
}

fn at(start: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    start + Duration::minutes(minutes)
}

fn note(id: &str, when: DateTime<Utc>, theme: &str, text: &str) -> Event {
    Event::NoteAdded {
        id: id.into(),
        noted_at: when,
        theme: Some(theme.into()),
        text: text.into(),
    }
}

fn study(home: &DataHome) {
    let data = home.data();
    let s = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let mut a = create(
        &data,
        "20261102-1000-group-1",
        GROUP,
        s,
        meta(GROUP, "Group 1", "CR"),
    );
    add(
        &mut a,
        at(s, 1),
        Event::Discussing {
            theme: "health".into(),
        },
    );
    add(
        &mut a,
        at(s, 3),
        note("n1", at(s, 2), "health", "@P1 I walk every day now #quote"),
    );
    add(
        &mut a,
        at(s, 5),
        note(
            "n2",
            at(s, 4),
            "health",
            "@P2 =HYPERLINK(\"x\") not a formula",
        ),
    );
    add(
        &mut a,
        at(s, 8),
        Event::Covered {
            theme: "health".into(),
        },
    );
    add(
        &mut a,
        at(s, 8),
        Event::Discussing {
            theme: "access".into(),
        },
    );
    add(
        &mut a,
        at(s, 10),
        note("n3", at(s, 9), "access", "@P1 six weeks for a referral"),
    );
    add(&mut a, at(s, 40), Event::Ended);
    drop(a);
    let s = Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap();
    let mut b = create(
        &data,
        "20261103-0900-interview-1",
        PHONE,
        s,
        meta(PHONE, "Interview 1", "DU"),
    );
    add(
        &mut b,
        at(s, 1),
        Event::Discussing {
            theme: "health".into(),
        },
    );
    add(
        &mut b,
        at(s, 4),
        note(
            "n1",
            at(s, 3),
            "health",
            "@P1 more agile since the programme",
        ),
    );
    add(&mut b, at(s, 20), Event::Ended);
    drop(b);
}

/// The workbook as JSON: `{sheet: [[cell, ...], ...]}`, through openpyxl; None when skipped.
fn read_back(path: &std::path::Path) -> Option<Value> {
    let script = r#"
import json, sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1])
out = {}
for sheet in book.worksheets:
    out[sheet.title] = {
        "rows": [[cell.value for cell in row] for row in sheet.iter_rows()],
        "types": [[cell.data_type for cell in row] for row in sheet.iter_rows()],
        "frozen": sheet.freeze_panes,
    }
print(json.dumps(out))
"#;
    let ran = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output();
    match ran {
        Ok(out) if out.status.success() => {
            Some(serde_json::from_slice(&out.stdout).expect("openpyxl's JSON"))
        }
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("No module named 'openpyxl'") => {
            missing_tool(
                "the workbook read back",
                "openpyxl",
                "python3 -m pip install openpyxl",
            );
            None
        }
        Ok(out) => panic!(
            "openpyxl could not read the workbook: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => {
            missing_tool(
                "the workbook read back",
                "python3",
                "apt-get install python3",
            );
            None
        }
    }
}

#[test]
fn the_framework_workbook_reads_back_in_a_spreadsheet_library() {
    let home = DataHome::empty();
    study(&home);
    let file = home.path("study.xlsx");
    home.ok(&["review", "--format", "xlsx", "-o", file.to_str().unwrap()]);
    // Without -o a workbook is refused: it is not text.
    let ran = home.run(&["review", "--format", "xlsx"]);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let Some(book) = read_back(&file) else {
        return;
    };
    let names: Vec<&str> = book
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for sheet in [
        "CMP patient experience focus gr",
        "People · CMP patient experience",
        "CMP patient experience telephon",
        "Coverage",
    ] {
        assert!(names.contains(&sheet), "{sheet} in {names:?}");
    }
    let focus = &book["CMP patient experience focus gr"]["rows"];
    let header: Vec<&str> = focus[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        &header[..5],
        ["Session", "Id", "Site", "Started", "Note-taker"]
    );
    let health = header
        .iter()
        .position(|h| *h == "Health experiences")
        .unwrap();
    let access = header
        .iter()
        .position(|h| *h == "Access and referral")
        .unwrap();
    let row = focus[1].as_array().unwrap();
    assert_eq!(row[0], "Group 1");
    assert_eq!(row[2], "CR");
    assert_eq!(row[4], "AR");
    assert_eq!(
        row[health],
        "00:02:00 P1: I walk every day now #quote\n00:04:00 P2: =HYPERLINK(\"x\") not a formula"
    );
    assert_eq!(row[access], "00:09:00 P1: six weeks for a referral");
    // Every cell is a string or a number: the note that looks like a formula is text.
    let types = book["CMP patient experience focus gr"]["types"].to_string();
    assert!(!types.contains("\"f\""), "no formula cells: {types}");
    assert_eq!(book["CMP patient experience focus gr"]["frozen"], "B2");

    // Participants as rows: each person's notes on each theme.
    let people = book["People · CMP patient experience"]["rows"]
        .as_array()
        .unwrap();
    let header: Vec<&str> = people[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let health = header
        .iter()
        .position(|h| *h == "Health experiences")
        .unwrap();
    assert_eq!(people.len(), 4, "P1, P2, P3 of Group 1");
    assert_eq!(people[1][0], "P1");
    assert_eq!(
        people[1][health],
        "00:02:00 P1: I walk every day now #quote"
    );
    assert_eq!(people[3][0], "P3");
    assert!(people[3][health].is_null());

    // Coverage: themes as rows, a status and the minutes per session.
    let coverage = book["Coverage"]["rows"].as_array().unwrap();
    assert_eq!(coverage[0][2], "Group 1");
    assert_eq!(coverage[0][4], "Interview 1");
    let health = coverage
        .iter()
        .find(|r| r[1] == "health")
        .expect("a health row");
    assert_eq!(health[2], "covered");
    assert_eq!(health[3], 7);
    assert_eq!(health[4], "discussed, not covered");
    assert_eq!(health[5], 19);
}
