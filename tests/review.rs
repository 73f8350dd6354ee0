//! The review across sessions: the coverage matrix over sessions of three different guides
//! (two that share theme ids, one with other ids), `review --format csv|md|json|qdpx` through the
//! real binary (the CSV read back, Markdown and JSON golden files, filters, sessions named on the
//! command line, one-line errors), the whole study as one REFI-QDA project (validated with
//! xmllint, unzipped and checked selection by selection, GUIDs compared with the one-session
//! export), and the review screen drawn into ratatui's TestBackend at 80x24 and 120x40.
//!
//! The four sessions are built through the library from fixed journals and have all ended, so
//! every cell's minutes come from the sessions' own clocks and the output is the same every run.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::refi_schema::{El, elements};
use common::{DataHome, add, assert_user_error, create, unzip};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use topicguide::app::study::matrix_of;
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};
use topicguide::model::guide::{SessionKind, SessionMode};
use topicguide::model::review::{CellStatus, Filter, Matrix};
use topicguide::storage::session_store::{LoadedSession, OpenSession, load_all, load_session};
use topicguide::ui::keymap::Keymap;
use topicguide::ui::review::{Review, View};
use topicguide::ui::runner::Screen;
use topicguide::ui::theme::Palette;

const FOCUS_GROUP: &str = "cmp-patient-focus-group";
const TELEPHONE: &str = "cmp-patient-telephone-interview";
const STAFF: &str = "cmp-staff-interprofessional";
const FOCUS_GROUP_TITLE: &str = "CMP patient experience: focus group";
const TELEPHONE_TITLE: &str = "CMP patient experience: telephone interview";
const STAFF_TITLE: &str = "CMP staff: interprofessional working";

const GROUP_1: &str = "20261102-1000-group-1";
const INTERVIEW_1: &str = "20261103-0930-interview-1";
const GROUP_2: &str = "20261104-1400-group-2";
const STAFF_1: &str = "20261105-1300-staff-1";

// ---------------------------------------------------------------- the fixed study

/// A session being written: its journal and when it started.
struct Journal {
    open: OpenSession,
    start: DateTime<Utc>,
}

struct Plan<'a> {
    id: &'a str,
    guide: &'a str,
    start: DateTime<Utc>,
    label: &'a str,
    site: &'a str,
    kind: SessionKind,
    mode: SessionMode,
    participants: &'a [&'a str],
}

impl Journal {
    fn begin(data: &Path, plan: &Plan) -> Self {
        let guide = builtin(plan.guide).unwrap().load().unwrap();
        let meta = SessionMeta {
            kind: plan.kind,
            mode: plan.mode,
            site: Some(plan.site.into()),
            participants: plan.participants.iter().map(|p| p.to_string()).collect(),
            consent: true,
            bell: false,
            guide_source: plan.guide.into(),
            ..SessionMeta::for_guide(&guide, plan.label)
        };
        Journal {
            open: create(data, plan.id, plan.guide, plan.start, meta),
            start: plan.start,
        }
    }

    /// Journals an event `minutes` into the session, as the live screen would.
    fn add(&mut self, minutes: i64, event: Event) -> &mut Self {
        add(
            &mut self.open,
            self.start + Duration::seconds(minutes * 60),
            event,
        );
        self
    }

    fn discussing(&mut self, minutes: i64, theme: &str) -> &mut Self {
        self.add(
            minutes,
            Event::Discussing {
                theme: theme.into(),
            },
        )
    }

    fn covered(&mut self, minutes: i64, theme: &str) -> &mut Self {
        self.add(
            minutes,
            Event::Covered {
                theme: theme.into(),
            },
        )
    }

    fn skipped(&mut self, minutes: i64, theme: &str, reason: &str) -> &mut Self {
        self.add(
            minutes,
            Event::Skipped {
                theme: theme.into(),
                reason: Some(reason.into()),
            },
        )
    }

    fn note(&mut self, minutes: i64, id: &str, theme: &str, text: &str) -> &mut Self {
        let noted_at = self.start + Duration::seconds(minutes * 60 - 10);
        self.add(
            minutes,
            Event::NoteAdded {
                id: id.into(),
                noted_at,
                theme: Some(theme.into()),
                text: text.into(),
            },
        )
    }

    fn end(&mut self, minutes: i64) {
        self.add(minutes, Event::Ended);
    }
}

fn day(d: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, hour, minute, 0).unwrap()
}

/// Group 1 (focus group, DU): health only discussed, employability skipped, follow-up and
/// access missed; a recording mark; tags; a note with accents and a tick.
fn group_1(data: &Path) {
    Journal::begin(
        data,
        &Plan {
            id: GROUP_1,
            guide: FOCUS_GROUP,
            start: day(2, 10, 0),
            label: "Group 1",
            site: "DU",
            kind: SessionKind::FocusGroup,
            mode: SessionMode::InPerson,
            participants: &["P1", "P2", "P3", "P4"],
        },
    )
    .discussing(0, "opening")
    .add(1, Event::RecordingStarted)
    .note(2, "n1", "opening", "@P1 happy to be recorded #nonverbal")
    .covered(4, "opening")
    .discussing(4, "programme")
    .note(
        6,
        "n2",
        "programme",
        "@P2 the GP sent me, I went in sceptical #quote",
    )
    .covered(10, "programme")
    .discussing(10, "health")
    .note(
        14,
        "n3",
        "health",
        "@P3 I walk to the shops every day now #quote #diet",
    )
    .note(17, "n4", "health", "ask P4 about medication #followup")
    .discussing(19, "psychosocial")
    .note(
        22,
        "n5",
        "psychosocial",
        "@P4 the group kept me going, naïve as I was ✓",
    )
    .covered(28, "psychosocial")
    .skipped(29, "employability", "short of time")
    .discussing(30, "closing")
    .covered(32, "closing")
    .end(33);
}

/// Interview 1 (telephone interview, DU): opening, health and access covered, the rest missed.
fn interview_1(data: &Path) {
    Journal::begin(
        data,
        &Plan {
            id: INTERVIEW_1,
            guide: TELEPHONE,
            start: day(3, 9, 30),
            label: "Interview 1",
            site: "DU",
            kind: SessionKind::Interview,
            mode: SessionMode::Telephone,
            participants: &["P1"],
        },
    )
    .discussing(0, "opening")
    .covered(1, "opening")
    .discussing(1, "health")
    .note(
        3,
        "n1",
        "health",
        "@P1 walking every day, more agile #Quote",
    )
    .covered(8, "health")
    .discussing(8, "access")
    .note(
        9,
        "n2",
        "access",
        "@P1 waited six weeks for a referral #followup",
    )
    .covered(12, "access")
    .end(13);
}

/// Group 2 (focus group, CR): every theme covered.
fn group_2(data: &Path) {
    let mut j = Journal::begin(
        data,
        &Plan {
            id: GROUP_2,
            guide: FOCUS_GROUP,
            start: day(4, 14, 0),
            label: "Group 2",
            site: "CR",
            kind: SessionKind::FocusGroup,
            mode: SessionMode::InPerson,
            participants: &["P1", "P2", "P3", "P4", "P5"],
        },
    );
    j.discussing(0, "opening")
        .covered(3, "opening")
        .discussing(3, "programme")
        .note(5, "n1", "programme", "@P5 my physio suggested it")
        .covered(9, "programme")
        .discussing(9, "health")
        .note(
            12,
            "n2",
            "health",
            "@P1 I walk the dog now instead of driving #quote",
        )
        .covered(18, "health")
        .discussing(18, "psychosocial")
        .covered(25, "psychosocial")
        .discussing(25, "employability")
        .note(
            27,
            "n3",
            "employability",
            "@P2 back at work three days a week",
        )
        .covered(33, "employability");
    for (from, theme) in [(33, "follow-up"), (36, "access"), (38, "closing")] {
        j.discussing(from, theme).covered(from + 2, theme);
    }
    j.end(41);
}

/// Staff 1 (the staff guide, CR): other theme ids but for opening and closing; working
/// together only discussed, boundaries skipped, three themes missed.
fn staff_1(data: &Path) {
    Journal::begin(
        data,
        &Plan {
            id: STAFF_1,
            guide: STAFF,
            start: day(5, 13, 0),
            label: "Staff 1",
            site: "CR",
            kind: SessionKind::FocusGroup,
            mode: SessionMode::InPerson,
            participants: &["S1", "S2", "S3"],
        },
    )
    .discussing(0, "opening")
    .covered(2, "opening")
    .discussing(2, "roles")
    .note(
        4,
        "n1",
        "roles",
        "@S1 physiotherapist, ten years in the trust",
    )
    .covered(8, "roles")
    .discussing(8, "working-together")
    .note(
        12,
        "n2",
        "working-together",
        "@S2 the psychologist joins the walking group #quote",
    )
    .discussing(20, "closing")
    .skipped(21, "boundaries", "covered in the pilot")
    .covered(23, "closing")
    .end(24);
}

/// A temporary HOME and data folder; `Study::new()` puts the four sessions in `home/data`.
type Study = DataHome;

impl Study {
    fn new() -> Self {
        let study = Study::empty();
        let data = study.data();
        group_1(&data);
        interview_1(&data);
        group_2(&data);
        staff_1(&data);
        study
    }

    fn loaded(&self) -> Vec<LoadedSession> {
        let (sessions, problems) = load_all(&self.data()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(sessions.len(), 4);
        sessions
    }

    /// Runs `args` plus `-o FILE` and returns the file's bytes.
    fn to_file(&self, args: &[&str], name: &str) -> Vec<u8> {
        let file = self.path(name);
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-o", file.to_str().unwrap()]);
        assert_eq!(self.ok(&all), "", "nothing on stdout with -o");
        fs::read(file).unwrap()
    }
}

// ---------------------------------------------------------------- the matrix

fn matrix(study: &Study) -> Matrix {
    let loaded = study.loaded();
    matrix_of(&loaded.iter().collect::<Vec<_>>())
}

fn status(m: &Matrix, theme: &str, session: &str) -> CellStatus {
    let row = m.rows.iter().find(|r| r.theme_id == theme).unwrap();
    let col = m.columns.iter().position(|c| c.id == session).unwrap();
    row.cells[col].status
}

#[test]
fn matrix_over_three_guides_matches_rows_by_id_and_groups_columns_by_guide() {
    let study = Study::new();
    let m = matrix(&study);

    // Interview 1 started between the groups, but the columns are grouped by guide.
    let ids: Vec<&str> = m.columns.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, [GROUP_1, GROUP_2, INTERVIEW_1, STAFF_1]);
    let guides: Vec<&str> = m.columns.iter().map(|c| c.guide_title.as_str()).collect();
    assert_eq!(
        guides,
        [
            FOCUS_GROUP_TITLE,
            FOCUS_GROUP_TITLE,
            TELEPHONE_TITLE,
            STAFF_TITLE
        ]
    );

    // One row per theme id: the patient guides' eight, then the staff guide's own six (its
    // opening and closing share the patient guides' ids and rows).
    let rows: Vec<&str> = m.rows.iter().map(|r| r.theme_id.as_str()).collect();
    assert_eq!(
        rows,
        [
            "opening",
            "programme",
            "health",
            "psychosocial",
            "employability",
            "follow-up",
            "access",
            "closing",
            "roles",
            "setting-up",
            "working-together",
            "boundaries",
            "impact",
            "what-works",
        ]
    );
    let closing = m.rows.iter().find(|r| r.theme_id == "closing").unwrap();
    assert_eq!(closing.title, "Closing", "the first guide's title");
    assert_eq!(closing.present(), 4);
    assert_eq!(closing.covered(), 3);
    assert_eq!(status(&m, "closing", INTERVIEW_1), CellStatus::Missed);
    assert_eq!(status(&m, "closing", STAFF_1), CellStatus::Covered);

    // Absent where a guide lacks the theme, in both directions.
    use CellStatus::*;
    let row_of = |id: &str| {
        m.rows
            .iter()
            .find(|r| r.theme_id == id)
            .unwrap()
            .cells
            .iter()
            .map(|c| c.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(row_of("opening"), [Covered, Covered, Covered, Covered]);
    assert_eq!(row_of("programme"), [Covered, Covered, Missed, Absent]);
    assert_eq!(row_of("health"), [Discussed, Covered, Covered, Absent]);
    assert_eq!(row_of("employability"), [Skipped, Covered, Missed, Absent]);
    assert_eq!(row_of("access"), [Missed, Covered, Covered, Absent]);
    assert_eq!(row_of("roles"), [Absent, Absent, Absent, Covered]);
    assert_eq!(
        row_of("working-together"),
        [Absent, Absent, Absent, Discussed]
    );
    assert_eq!(row_of("boundaries"), [Absent, Absent, Absent, Skipped]);
    assert_eq!(row_of("impact"), [Absent, Absent, Absent, Missed]);

    // Gaps: missed or only discussed, out of the sessions whose guide has the theme.
    let gaps: BTreeMap<&str, (usize, usize)> = m
        .rows
        .iter()
        .map(|r| (r.theme_id.as_str(), (r.gaps(), r.present())))
        .collect();
    assert_eq!(gaps["opening"], (0, 4));
    assert_eq!(gaps["programme"], (1, 3));
    assert_eq!(gaps["health"], (1, 3));
    assert_eq!(gaps["employability"], (1, 3), "a skip is not a gap");
    assert_eq!(gaps["follow-up"], (2, 3));
    assert_eq!(gaps["access"], (1, 3));
    assert_eq!(gaps["working-together"], (1, 1));
    assert_eq!(gaps["boundaries"], (0, 1));
    assert_eq!(gaps["what-works"], (1, 1));

    // Minutes from the sessions' own clocks: health ran 10:00 to 19:00 in Group 1.
    let health = m.rows.iter().find(|r| r.theme_id == "health").unwrap();
    let seconds: Vec<i64> = health.cells.iter().map(|c| c.seconds).collect();
    assert_eq!(seconds, [9 * 60, 9 * 60, 7 * 60, 0]);
}

// ---------------------------------------------------------------- printed forms

#[test]
fn csv_header_is_exact_and_the_matrix_reads_back() {
    let study = Study::new();
    let out = study.ok(&["review", "--format", "csv"]);
    let header = out.lines().next().unwrap();
    assert_eq!(
        header,
        format!("theme_id,theme_title,{GROUP_1},{GROUP_2},{INTERVIEW_1},{STAFF_1}")
    );
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.len(), 6);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 14, "one row per theme id");
    let cell = |theme: &str, session: &str| {
        let column = headers.iter().position(|h| h == session).unwrap();
        let record = records.iter().find(|r| &r[0] == theme).unwrap();
        record[column].to_string()
    };
    assert_eq!(&records[2][1], "Health experiences");
    assert_eq!(cell("health", GROUP_1), "discussed 9m");
    assert_eq!(cell("health", INTERVIEW_1), "covered 7m");
    assert_eq!(cell("health", STAFF_1), "", "absent is empty");
    assert_eq!(cell("employability", GROUP_1), "skipped");
    assert_eq!(cell("access", GROUP_1), "missed");
    assert_eq!(cell("roles", STAFF_1), "covered 6m");
    assert_eq!(cell("roles", GROUP_2), "");
    assert_eq!(
        records.iter().find(|r| &r[0] == "what-works").unwrap()[1],
        *"Context, mechanisms and outcomes"
    );
}

#[test]
fn markdown_golden() {
    let study = Study::new();
    insta::assert_snapshot!("study_md", study.ok(&["review", "--format", "md"]));
}

#[test]
fn json_golden() {
    let study = Study::new();
    let out = study.ok(&["review", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["sessions"].as_array().unwrap().len(), 4);
    assert_eq!(value["themes"].as_array().unwrap().len(), 14);
    insta::assert_snapshot!("study_json", out);
}

#[test]
fn site_filter_keeps_that_site_only_whatever_its_case() {
    let study = Study::new();
    let out = study.ok(&["review", "--format", "csv", "--site", "du"]);
    assert_eq!(
        out.lines().next().unwrap(),
        format!("theme_id,theme_title,{GROUP_1},{INTERVIEW_1}")
    );
    assert!(
        !out.contains("roles"),
        "no staff themes without the staff session"
    );
    assert_eq!(out.lines().count(), 1 + 8);
    let md = study.ok(&["review", "--format", "md", "--site", "CR"]);
    assert!(md.contains("2 session(s), filtered by site CR."), "{md}");
    assert!(md.contains(GROUP_2) && md.contains(STAFF_1) && !md.contains(GROUP_1));
    let json = study.ok(&[
        "review",
        "--format",
        "json",
        "--site",
        "CR",
        "--guide",
        STAFF_TITLE,
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sessions = value["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["id"], STAFF_1);
    let kind = study.ok(&["review", "--format", "csv", "--kind", "interview"]);
    assert_eq!(
        kind.lines().next().unwrap(),
        format!("theme_id,theme_title,{INTERVIEW_1}")
    );
}

#[test]
fn sessions_named_on_the_command_line_are_the_only_columns() {
    let study = Study::new();
    let out = study.ok(&["review", "--format", "csv", STAFF_1, GROUP_1, STAFF_1]);
    assert_eq!(
        out.lines().next().unwrap(),
        format!("theme_id,theme_title,{GROUP_1},{STAFF_1}"),
        "grouped by guide, a session named twice shown once"
    );
    // A session folder works as well as an id.
    let folder = study.data().join("sessions").join(INTERVIEW_1);
    let out = study.ok(&["review", "--format", "csv", folder.to_str().unwrap()]);
    assert_eq!(
        out.lines().next().unwrap(),
        format!("theme_id,theme_title,{INTERVIEW_1}")
    );
    let ran = study.run(&["review", "--format", "csv", "no-such-session"]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("no-such-session"), "{}", ran.stderr);
}

#[test]
fn no_sessions_is_a_one_line_user_error() {
    let home = DataHome::empty();
    fs::create_dir_all(home.data()).unwrap();
    for format in ["csv", "md", "json"] {
        let ran = home.run(&["review", "--format", format]);
        assert_user_error(&ran);
        assert!(ran.stderr.contains("no sessions"), "{}", ran.stderr);
        assert_eq!(ran.stdout, "");
    }
    let file = home.path("study.qdpx");
    let ran = home.run(&["review", "--format", "qdpx", "-o", file.to_str().unwrap()]);
    assert_user_error(&ran);
    assert!(!file.exists(), "no file written");

    // Filters that match nothing say so.
    let study = Study::new();
    let ran = study.run(&["review", "--format", "csv", "--site", "XX"]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("with these filters"), "{}", ran.stderr);
}

#[test]
fn qdpx_without_o_is_a_one_line_user_error() {
    let study = Study::new();
    let ran = study.run(&["review", "--format", "qdpx"]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("-o"), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
}

// ---------------------------------------------------------------- the study as REFI-QDA

/// Every `guid` in a document.
fn guids(els: &[El]) -> BTreeSet<String> {
    els.iter()
        .filter_map(|e| e.attrs.get("guid").cloned())
        .collect()
}

fn study_qdpx(study: &Study, args: &[&str], name: &str) -> BTreeMap<String, String> {
    let mut all = vec!["review", "--format", "qdpx"];
    all.extend(args);
    let entries = unzip(&study.to_file(&all, name));
    let qde = study.path(&format!("{name}.qde"));
    fs::write(&qde, &entries["project.qde"]).unwrap();
    common::refi_schema::xmllint_project(&qde);
    entries
}

#[test]
fn study_qdpx_validates_and_holds_every_session() {
    let study = Study::new();
    let entries = study_qdpx(&study, &[], "study.qdpx");
    let qde = &entries["project.qde"];
    let els = elements(qde);
    assert_eq!(els[0].name, "Project");
    assert_eq!(els[0].get("xmlns"), "urn:QDA-XML:project:1.0");
    assert_eq!(els[0].get("name"), "topicguide study: 4 session(s)");
    assert_eq!(els[0].get("creationDateTime"), "2026-11-02T10:00:00Z");
    assert_eq!(els[0].get("modifiedDateTime"), "2026-11-05T13:24:00Z");
    assert!(!qde.contains("<Sets"), "no empty Sets");
    assert_eq!(
        guids(&els).len(),
        els.iter().filter(|e| e.attrs.contains_key("guid")).count(),
        "every GUID once"
    );

    // Codebook: a theme id that several guides share is one code at the top (the focus-group
    // and telephone guides share all their themes, every guide opens and closes); each guide's
    // other themes under a folder named after it; then the Tags and Speakers folders.
    let codes_at = els.iter().position(|e| e.name == "Codes").unwrap();
    let top: Vec<&El> = els
        .iter()
        .filter(|e| e.name == "Code" && e.parent == Some(codes_at))
        .collect();
    let top_names: Vec<&str> = top.iter().map(|e| e.get("name")).collect();
    let guides: Vec<_> = [FOCUS_GROUP, TELEPHONE, STAFF]
        .iter()
        .map(|g| builtin(g).unwrap().load().unwrap())
        .collect();
    let mut ids: Vec<(&str, &str, usize)> = Vec::new();
    for g in &guides {
        for t in &g.themes {
            match ids.iter_mut().find(|(id, _, _)| *id == t.id) {
                Some(known) => known.2 += 1,
                None => ids.push((&t.id, &t.title, 1)),
            }
        }
    }
    let mut expected: Vec<&str> = ids
        .iter()
        .filter(|(_, _, n)| *n > 1)
        .map(|(_, title, _)| *title)
        .collect();
    assert_eq!(expected.len(), 8, "the shared themes: {expected:?}");
    expected.extend([STAFF_TITLE, "Tags", "Speakers"]);
    assert_eq!(top_names, expected);
    for e in &top {
        let folder = [STAFF_TITLE, "Tags", "Speakers"].contains(&e.get("name"));
        assert_eq!(e.get("isCodable") == "false", folder, "{}", e.get("name"));
    }
    let staff = builtin(STAFF).unwrap().load().unwrap();
    let folder = els
        .iter()
        .position(|e| {
            e.name == "Code" && e.attrs.get("name").map(String::as_str) == Some(STAFF_TITLE)
        })
        .unwrap();
    let themes: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "Code" && e.parent == Some(folder))
        .map(|e| e.get("name"))
        .collect();
    let own: Vec<&str> = staff
        .themes
        .iter()
        .filter(|t| t.id != "opening" && t.id != "closing")
        .map(|t| t.title.as_str())
        .collect();
    assert_eq!(themes, own, "the staff guide's own themes");
    // QualCoder keeps one code per name and drops the codings of the others.
    let mut names = BTreeSet::new();
    for e in els
        .iter()
        .filter(|e| e.name == "Code" && e.get("isCodable") == "true")
    {
        assert!(
            names.insert(e.get("name").to_lowercase()),
            "two codes are named {}",
            e.get("name")
        );
    }
    let tags_at = els
        .iter()
        .position(|e| e.name == "Code" && e.attrs.get("name").map(String::as_str) == Some("Tags"))
        .unwrap();
    let tags: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "Code" && e.parent == Some(tags_at))
        .map(|e| e.get("name"))
        .collect();
    assert_eq!(
        tags,
        ["diet", "followup", "nonverbal", "quote"],
        "the union, #Quote and #quote one code"
    );

    // One source per session, in the matrix's order, named by label and id.
    let sources: Vec<&El> = els.iter().filter(|e| e.name == "TextSource").collect();
    let names: Vec<&str> = sources.iter().map(|e| e.get("name")).collect();
    assert_eq!(
        names,
        [
            format!("Group 1 field notes ({GROUP_1})"),
            format!("Group 2 field notes ({GROUP_2})"),
            format!("Interview 1 field notes ({INTERVIEW_1})"),
            format!("Staff 1 field notes ({STAFF_1})"),
        ]
    );
    let files: Vec<&String> = entries
        .keys()
        .filter(|k| k.starts_with("sources/"))
        .collect();
    assert_eq!(files.len(), 4, "{:?}", entries.keys());
    assert_eq!(entries.len(), 5, "project.qde and four sources");

    // Every selection's range picks out its note's line of its own session's source.
    let code_guids: BTreeSet<&str> = els
        .iter()
        .filter(|e| e.name == "Code")
        .map(|e| e.get("guid"))
        .collect();
    let mut selection_guids = BTreeSet::new();
    let mut checked = 0;
    for (source, id) in sources.iter().zip([GROUP_1, GROUP_2, INTERVIEW_1, STAFF_1]) {
        let guid = source.get("guid");
        assert_eq!(
            source.get("plainTextPath"),
            format!("internal://{guid}.txt")
        );
        let text = &entries[&format!("sources/{guid}.txt")];
        let chars: Vec<char> = text.chars().collect();
        let lines: Vec<&str> = text.lines().collect();
        let loaded = load_session(&study.data().join("sessions").join(id)).unwrap();
        let notes = &loaded.session.state().notes;
        assert_eq!(lines.len(), notes.len(), "{id}: one note a line");
        let source_at = els.iter().position(|e| std::ptr::eq(e, *source)).unwrap();
        let selections: Vec<&El> = els
            .iter()
            .filter(|e| e.name == "PlainTextSelection" && e.parent == Some(source_at))
            .collect();
        assert_eq!(selections.len(), notes.len(), "{id}");
        for ((sel, note), line) in selections.iter().zip(notes).zip(&lines) {
            assert_eq!(sel.get("name"), note.id);
            let start: usize = sel.get("startPosition").parse().unwrap();
            let end: usize = sel.get("endPosition").parse().unwrap();
            let picked: String = chars[start..end].iter().collect();
            assert_eq!(picked, *line, "{id} {}", note.id);
            assert!(picked.ends_with(&note.text), "{picked}");
            selection_guids.insert(sel.get("guid").to_string());
            checked += 1;
        }
    }
    assert_eq!(checked, 5 + 2 + 3 + 2);
    for e in els.iter().filter(|e| e.name == "CodeRef") {
        assert!(
            code_guids.contains(e.get("targetGUID")),
            "a coding points at a code"
        );
    }

    // Health experiences is one code: Group 1's n3 and the interview's notes on health are all
    // coded to it.
    let health = top
        .iter()
        .find(|e| e.get("name") == "Health experiences")
        .unwrap()
        .get("guid")
        .to_string();
    let n3_start = qde.find("name=\"n3\" startPosition").unwrap();
    let n3 = &qde[n3_start..n3_start + qde[n3_start..].find("</PlainTextSelection>").unwrap()];
    assert!(n3.contains(&health), "{n3}");
    let interview = load_session(&study.data().join("sessions").join(INTERVIEW_1)).unwrap();
    let on_health = interview
        .session
        .state()
        .notes
        .iter()
        .filter(|n| n.theme.as_deref() == Some("health"))
        .count();
    assert!(on_health > 0, "the interview has notes on health");
    let interview_source = sources[2].get("guid");
    let source_at = els
        .iter()
        .position(|e| e.attrs.get("guid").map(String::as_str) == Some(interview_source))
        .unwrap();
    let coded_health = els
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name == "CodeRef" && e.get("targetGUID") == health)
        .filter(|(i, _)| {
            let selection = els[*i].parent.and_then(|c| els[c].parent).unwrap();
            els[selection].parent == Some(source_at)
        })
        .count();
    assert_eq!(
        coded_health, on_health,
        "every interview note on health keeps its code"
    );

    // Cases: a site per case pointing at its sessions' sources, then each session's
    // participants, named with the session's label.
    let source_guid_of = |i: usize| sources[i].get("guid").to_string();
    let case_at: Vec<usize> = els
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name == "Case")
        .map(|(i, _)| i)
        .collect();
    let case_names: Vec<&str> = case_at.iter().map(|&i| els[i].get("name")).collect();
    assert_eq!(
        case_names,
        [
            "Site CR",
            "Site DU",
            "Group 1 · P1",
            "Group 1 · P2",
            "Group 1 · P3",
            "Group 1 · P4",
            "Group 2 · P1",
            "Group 2 · P2",
            "Group 2 · P3",
            "Group 2 · P4",
            "Group 2 · P5",
            "Interview 1 · P1",
            "Staff 1 · S1",
            "Staff 1 · S2",
            "Staff 1 · S3",
        ]
    );
    let refs_of = |case: usize, what: &str| -> Vec<String> {
        els.iter()
            .filter(|e| e.name == what && e.parent == Some(case))
            .map(|e| e.get("targetGUID").to_string())
            .collect()
    };
    assert_eq!(
        refs_of(case_at[0], "SourceRef"),
        [source_guid_of(1), source_guid_of(3)],
        "Site CR: Group 2 and Staff 1"
    );
    assert_eq!(
        refs_of(case_at[1], "SourceRef"),
        [source_guid_of(0), source_guid_of(2)],
        "Site DU: Group 1 and Interview 1"
    );
    for &case in &case_at[2..] {
        for target in refs_of(case, "SelectionRef") {
            assert!(selection_guids.contains(&target));
        }
    }
    assert_eq!(
        refs_of(case_at[4], "SelectionRef").len(),
        1,
        "Group 1 · P3 spoke once"
    );
    let users: Vec<&El> = els.iter().filter(|e| e.name == "User").collect();
    assert_eq!(users.len(), 1);
}

#[test]
fn study_guids_equal_the_single_session_exports() {
    let study = Study::new();
    let entries = study_qdpx(&study, &[], "study.qdpx");
    let study_els = elements(&entries["project.qde"]);
    let in_study = guids(&study_els);
    for (id, guide_title) in [
        (GROUP_1, FOCUS_GROUP_TITLE),
        (INTERVIEW_1, TELEPHONE_TITLE),
        (STAFF_1, STAFF_TITLE),
    ] {
        let single =
            unzip(&study.to_file(&["export", id, "--format", "qdpx"], &format!("{id}.qdpx")));
        let els = elements(&single["project.qde"]);
        // Every code, case, source, selection and coding of the session's own export has the
        // same GUID in the study.
        let own = guids(&els);
        let missing: Vec<&String> = own.difference(&in_study).collect();
        assert!(missing.is_empty(), "{id}: not in the study: {missing:?}");
        // Theme by theme: the staff guide's own themes inside its folder of the study, the
        // shared ones at the top, under the same GUID.
        for code in els.iter().filter(|e| {
            e.name == "Code"
                && els[e.parent.unwrap()].name == "Codes"
                && e.get("isCodable") == "true"
        }) {
            let in_study = study_els
                .iter()
                .find(|e| {
                    e.name == "Code"
                        && e.attrs.get("guid").map(String::as_str) == Some(code.get("guid"))
                })
                .unwrap_or_else(|| panic!("{id}: {} in the study", code.get("name")));
            let parent = &study_els[in_study.parent.unwrap()];
            let staff_own = guide_title == STAFF_TITLE
                && builtin(STAFF)
                    .unwrap()
                    .load()
                    .unwrap()
                    .themes
                    .iter()
                    .any(|t| t.title == code.get("name") && t.id != "opening" && t.id != "closing");
            if staff_own {
                assert_eq!(
                    parent.get("name"),
                    STAFF_TITLE,
                    "{id}: {}",
                    code.get("name")
                );
            } else {
                assert_eq!(
                    parent.name,
                    "Codes",
                    "{id}: {} at the top",
                    code.get("name")
                );
            }
        }
        // The source's text is the same file under the same name.
        let (path, text) = single
            .iter()
            .find(|(k, _)| k.starts_with("sources/"))
            .unwrap();
        assert_eq!(&entries[path], text, "{id}");
    }
    // The same study exported twice is the same file.
    let first = study.to_file(&["review", "--format", "qdpx"], "a.qdpx");
    let second = study.to_file(&["review", "--format", "qdpx"], "b.qdpx");
    assert_eq!(first, second);
}

#[test]
fn a_study_of_one_guide_has_no_guide_folder_and_filters_apply() {
    let study = Study::new();
    let entries = study_qdpx(&study, &["--guide", FOCUS_GROUP_TITLE], "focus-groups.qdpx");
    let els = elements(&entries["project.qde"]);
    assert_eq!(
        els[0].get("name"),
        format!("topicguide study: 2 session(s), filtered by guide \"{FOCUS_GROUP_TITLE}\"")
    );
    let codes_at = els.iter().position(|e| e.name == "Codes").unwrap();
    let top: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "Code" && e.parent == Some(codes_at))
        .map(|e| e.get("name"))
        .collect();
    let g = builtin(FOCUS_GROUP).unwrap().load().unwrap();
    let mut expected: Vec<&str> = g.themes.iter().map(|t| t.title.as_str()).collect();
    expected.extend(["Tags", "Speakers"]);
    assert_eq!(top, expected, "themes at the top, as in a session's export");
    assert_eq!(entries.len(), 3, "two sources: {:?}", entries.keys());

    // --site DU: Group 1 and Interview 1 only, one site case.
    let entries = study_qdpx(&study, &["--site", "DU"], "du.qdpx");
    let els = elements(&entries["project.qde"]);
    let sites: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "Case" && e.get("name").starts_with("Site "))
        .map(|e| e.get("name"))
        .collect();
    assert_eq!(sites, ["Site DU"]);
    assert_eq!(els.iter().filter(|e| e.name == "TextSource").count(), 2);
    // Sessions named on the command line.
    let entries = study_qdpx(&study, &[STAFF_1], "staff.qdpx");
    assert_eq!(entries.len(), 2);
}

// ---------------------------------------------------------------- the review screen

fn review() -> (Study, Review) {
    let study = Study::new();
    let loaded = study.loaded();
    let screen = Review::new(
        loaded,
        Filter::default(),
        Keymap::default(),
        Palette::default(),
    );
    (study, screen)
}

fn now() -> DateTime<Utc> {
    day(20, 12, 0)
}

fn press(screen: &mut Review, code: KeyCode) {
    screen.on_key(KeyEvent::new(code, KeyModifiers::NONE), now());
}

fn type_text(screen: &mut Review, text: &str) {
    for c in text.chars() {
        press(screen, KeyCode::Char(c));
    }
}

fn draw(screen: &Review, cols: u16, rows: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("a test terminal");
    terminal
        .draw(|frame| screen.draw(frame, now()))
        .expect("drawing never fails");
    terminal
}

fn text(screen: &Review, cols: u16, rows: u16) -> String {
    format!("{}", draw(screen, cols, rows).backend())
}

#[test]
fn screen_matrix() {
    let (_study, screen) = review();
    let small = text(&screen, 80, 24);
    assert!(small.contains("4 sessions"), "{small}");
    assert!(small.contains("Health experiences"), "{small}");
    assert!(small.contains("2 of 3"), "follow-up's gaps: {small}");
    insta::assert_snapshot!("matrix_80x24", draw(&screen, 80, 24).backend());
    insta::assert_snapshot!("matrix_120x40", draw(&screen, 120, 40).backend());
}

#[test]
fn screen_cell_notes() {
    let (_study, mut screen) = review();
    // Health experiences in Group 1.
    press(&mut screen, KeyCode::Char('j'));
    press(&mut screen, KeyCode::Char('j'));
    press(&mut screen, KeyCode::Enter);
    assert!(matches!(screen.view, View::Cell { .. }));
    let small = text(&screen, 80, 24);
    assert!(
        small.contains("I walk to the shops every day now"),
        "{small}"
    );
    assert!(small.contains("ask P4 about medication"), "{small}");
    insta::assert_snapshot!("cell_80x24", draw(&screen, 80, 24).backend());
    insta::assert_snapshot!("cell_120x40", draw(&screen, 120, 40).backend());
    press(&mut screen, KeyCode::Esc);
    assert!(matches!(screen.view, View::Matrix));
}

#[test]
fn cell_notes_scroll_no_further_than_their_last_page() {
    let (_study, mut screen) = review();
    press(&mut screen, KeyCode::Char('j'));
    press(&mut screen, KeyCode::Char('j'));
    press(&mut screen, KeyCode::Enter);
    let whole = text(&screen, 80, 24);
    assert!(whole.contains("Health experiences in Group 1"), "{whole}");
    // The notes fit: ten j move nothing.
    for _ in 0..10 {
        press(&mut screen, KeyCode::Char('j'));
    }
    assert_eq!(text(&screen, 80, 24), whole);
    // On a terminal too short for them, j stops at the last page and one k moves back at once.
    let top = text(&screen, 80, 5);
    for _ in 0..10 {
        press(&mut screen, KeyCode::Char('j'));
        text(&screen, 80, 5);
    }
    let bottom = text(&screen, 80, 5);
    assert_ne!(bottom, top);
    press(&mut screen, KeyCode::Char('j'));
    assert_eq!(
        text(&screen, 80, 5),
        bottom,
        "no further than the last page"
    );
    press(&mut screen, KeyCode::Char('k'));
    assert_ne!(text(&screen, 80, 5), bottom, "one k scrolls back up");
}

#[test]
fn screen_theme_across_sessions() {
    let (_study, mut screen) = review();
    press(&mut screen, KeyCode::Down);
    press(&mut screen, KeyCode::Down);
    press(&mut screen, KeyCode::Char('t'));
    assert!(matches!(screen.view, View::Across { .. }));
    let wide = text(&screen, 120, 40);
    assert!(
        wide.contains("Every note on \"Health experiences\""),
        "{wide}"
    );
    assert!(wide.contains("walk the dog"), "{wide}");
    assert!(wide.contains("more agile"), "{wide}");
    insta::assert_snapshot!("across_80x24", draw(&screen, 80, 24).backend());
    insta::assert_snapshot!("across_120x40", draw(&screen, 120, 40).backend());
}

#[test]
fn screen_search() {
    let (_study, mut screen) = review();
    press(&mut screen, KeyCode::Char('/'));
    assert!(matches!(screen.view, View::SearchInput(_)));
    type_text(&mut screen, "walk");
    press(&mut screen, KeyCode::Enter);
    assert!(matches!(screen.view, View::Found { .. }));
    let wide = text(&screen, 120, 40);
    assert!(wide.contains("4 note(s) match \"walk\""), "{wide}");
    insta::assert_snapshot!("search_80x24", draw(&screen, 80, 24).backend());
    insta::assert_snapshot!("search_120x40", draw(&screen, 120, 40).backend());
}

#[test]
fn screen_site_filter() {
    let (_study, mut screen) = review();
    press(&mut screen, KeyCode::Char('s'));
    assert_eq!(screen.filter.site.as_deref(), Some("CR"));
    assert_eq!(screen.matrix.columns.len(), 2);
    let small = text(&screen, 80, 24);
    assert!(small.contains("2 sessions · site: CR"), "{small}");
    insta::assert_snapshot!("site_filter_80x24", draw(&screen, 80, 24).backend());
    insta::assert_snapshot!("site_filter_120x40", draw(&screen, 120, 40).backend());
    // DU, then all again.
    press(&mut screen, KeyCode::Char('s'));
    assert_eq!(screen.filter.site.as_deref(), Some("DU"));
    press(&mut screen, KeyCode::Char('s'));
    assert_eq!(screen.filter.site, None);
    assert_eq!(screen.matrix.columns.len(), 4);
}

#[test]
fn screen_keeps_the_selected_theme_in_view_on_a_short_terminal() {
    let (_study, mut screen) = review();
    for _ in 0..13 {
        press(&mut screen, KeyCode::Char('j'));
    }
    assert_eq!(screen.row, 13);
    // 15 rows: a title of two lines, 12 matrix lines (the header, 8 themes, a blank, the
    // legend, the session), the hints.
    let short = text(&screen, 80, 15);
    assert!(short.contains("Context, mechanisms and outc…"), "{short}");
    assert!(short.contains("Access and referral"), "8 themes: {short}");
    assert!(!short.contains("Welcome and consent"), "{short}");
    assert!(short.contains("Theme "), "the header stays: {short}");
    assert!(short.contains("✓ covered"), "the legend stays: {short}");
    for _ in 0..13 {
        press(&mut screen, KeyCode::Char('k'));
    }
    let short = text(&screen, 80, 15);
    assert!(short.contains("Welcome and consent"), "{short}");
    // Any size draws.
    for cols in [1u16, 10, 40, 80, 200] {
        for rows in [1u16, 3, 5, 24] {
            draw(&screen, cols, rows);
        }
    }
}

#[test]
fn screen_columns_keep_their_labels_under_a_filter() {
    let (_study, mut screen) = review();
    let all = text(&screen, 100, 30);
    let header = all.lines().nth(2).unwrap().to_string();
    assert!(
        header.contains("Group 1") && header.contains("Group 2"),
        "{header}"
    );
    // Site CR: Group 2 and Staff 1 keep their names; nothing is renumbered.
    press(&mut screen, KeyCode::Char('s'));
    let filtered = text(&screen, 100, 30);
    assert!(filtered.contains("site: CR"), "{filtered}");
    let header = filtered.lines().nth(2).unwrap().to_string();
    assert!(
        header.contains("Group 2") && header.contains("Staff 1"),
        "{header}"
    );
    assert!(!header.contains("Group 1"), "{header}");
    assert!(
        !filtered.contains("S1:") && !header.contains(" S1 "),
        "{filtered}"
    );
}

#[test]
fn screen_cell_shows_skip_reasons_and_probe_coverage() {
    let (_study, mut screen) = review();
    // Employability in Group 1 was skipped for a reason.
    for _ in 0..4 {
        press(&mut screen, KeyCode::Char('j'));
    }
    press(&mut screen, KeyCode::Enter);
    let cell = text(&screen, 80, 24);
    assert!(
        cell.contains("Employability and return to work in Group 1"),
        "{cell}"
    );
    assert!(
        cell.contains("Skipped at 00:28:00: short of time"),
        "{cell}"
    );
    // Health in Group 1: its probes, none ticked, the required ones marked.
    press(&mut screen, KeyCode::Esc);
    press(&mut screen, KeyCode::Char('k'));
    press(&mut screen, KeyCode::Char('k'));
    press(&mut screen, KeyCode::Enter);
    let cell = text(&screen, 80, 24);
    assert!(cell.contains("Probes 0/5"), "{cell}");
    assert!(
        cell.contains("[ ] Diet and exercise: changes to daily routine (required)"),
        "{cell}"
    );
}

#[test]
fn screen_quote_bank_lists_every_tagged_note_by_tag() {
    let (_study, mut screen) = review();
    press(&mut screen, KeyCode::Char('b'));
    assert!(matches!(screen.view, View::Quotes { .. }));
    let bank = text(&screen, 100, 60);
    assert!(bank.contains("Quote bank: "), "{bank}");
    let quote = bank.find("#quote · 5").unwrap_or_else(|| panic!("{bank}"));
    let followup = bank
        .find("#followup · 2")
        .unwrap_or_else(|| panic!("{bank}"));
    assert!(quote < followup, "quotes come first:\n{bank}");
    for text in [
        "the GP sent me, I went in sceptical",
        "walking every day, more agile",
        "I walk the dog now instead of driving",
        "the psychologist joins the walking group",
        "happy to be recorded",
    ] {
        assert!(bank.contains(text), "{text}:\n{bank}");
    }
    press(&mut screen, KeyCode::Esc);
    assert!(matches!(screen.view, View::Matrix));
}

#[test]
fn screen_help_lists_the_review_keys_and_marks() {
    let (_study, mut screen) = review();
    press(&mut screen, KeyCode::Char('?'));
    assert!(matches!(screen.view, View::Help { .. }));
    let help = text(&screen, 100, 40);
    assert!(help.contains("the quote bank"), "{help}");
    assert!(help.contains("every note on this theme"), "{help}");
    assert!(help.contains("○  not yet"), "{help}");
    press(&mut screen, KeyCode::Esc);
    assert!(matches!(screen.view, View::Matrix));
}

#[test]
fn screen_follows_a_session_still_being_recorded() {
    let study = Study::empty();
    let data = study.data();
    let mut live = Journal::begin(
        &data,
        &Plan {
            id: "20261120-1000-live-1",
            guide: FOCUS_GROUP,
            start: day(20, 10, 0),
            label: "Live 1",
            site: "CR",
            kind: SessionKind::FocusGroup,
            mode: SessionMode::InPerson,
            participants: &["P1", "P2"],
        },
    );
    live.discussing(1, "opening");
    let (sessions, _) = load_all(&data).unwrap();
    let mut screen = Review::new(
        sessions,
        Filter::default(),
        Keymap::default(),
        Palette::default(),
    );
    let changed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    screen.follow_changes(std::sync::Arc::clone(&changed));
    let status = |screen: &Review, theme: &str| {
        let row = screen
            .matrix
            .rows
            .iter()
            .find(|r| r.theme_id == theme)
            .unwrap();
        row.cells[0].status
    };
    assert_eq!(status(&screen, "opening"), CellStatus::Discussed);
    assert_eq!(status(&screen, "health"), CellStatus::Pending, "not yet");
    assert_eq!(
        screen.matrix.rows[0].gaps(),
        0,
        "no gap in a running session"
    );
    // The note-taker covers the theme; the screen hears of it and reads the session again.
    live.covered(4, "opening");
    screen.tick(now());
    assert_eq!(
        status(&screen, "opening"),
        CellStatus::Discussed,
        "nothing read before a change is reported"
    );
    changed.store(true, std::sync::atomic::Ordering::SeqCst);
    screen.tick(now());
    assert_eq!(status(&screen, "opening"), CellStatus::Covered);
}

// ---------------------------------------------------------------- the streamed matrix

/// Group 3 (focus group, CR): still open (never ended), an emergent theme added and discussed,
/// health covered: cells a session that ended never has.
fn group_3_interrupted(data: &Path) {
    Journal::begin(
        data,
        &Plan {
            id: "20261106-1000-group-3",
            guide: FOCUS_GROUP,
            start: day(6, 10, 0),
            label: "Group 3",
            site: "CR",
            kind: SessionKind::FocusGroup,
            mode: SessionMode::InPerson,
            participants: &["P1", "P2"],
        },
    )
    .discussing(0, "opening")
    .covered(3, "opening")
    .add(
        4,
        Event::ThemeAdded {
            id: "transport".into(),
            title: "Transport".into(),
            required: false,
            after: Some("opening".into()),
        },
    )
    .discussing(4, "transport")
    .note(5, "n1", "transport", "@P2 the bus takes an hour #quote")
    .discussing(9, "health")
    .covered(15, "health");
}

/// The cell the matrix had before it kept only each session's figures: read from the whole
/// session, its theme found through the row, its progress read at the session's clock.
fn cell_of_the_whole_session(
    loaded: &LoadedSession,
    row: &topicguide::model::review::Row,
) -> (CellStatus, i64, bool) {
    use topicguide::model::session::ThemeStatus;
    let state = loaded.session.state();
    let settled = state.is_ended();
    let Some(i) = row.theme_in(&loaded.session) else {
        return (CellStatus::Absent, 0, false);
    };
    let status = match state.themes[i].status() {
        ThemeStatus::Covered => CellStatus::Covered,
        ThemeStatus::InDiscussion => CellStatus::Discussed,
        ThemeStatus::Skipped => CellStatus::Skipped,
        ThemeStatus::NotStarted if !settled => CellStatus::Pending,
        ThemeStatus::NotStarted => CellStatus::Missed,
    };
    let as_of = state.last_record_at;
    (
        status,
        state.themes[i].discussed(as_of).num_seconds(),
        loaded.session.guide.themes[i].required,
    )
}

#[test]
fn the_streamed_matrix_has_every_cell_of_the_whole_sessions_and_prints_the_same() {
    use topicguide::app::context::Context;
    use topicguide::app::study::{load_matrix, load_sessions};
    use topicguide::export::matrix::{csv, json, markdown};
    let study = Study::new();
    group_3_interrupted(&study.data());
    let data = study.data();
    let ctx = Context::new(Some(&data), None).unwrap();
    let filters = [
        Filter::default(),
        Filter {
            site: Some("du".into()),
            ..Filter::default()
        },
        Filter {
            kind: Some(SessionKind::FocusGroup),
            ..Filter::default()
        },
    ];
    let named = [
        vec![],
        vec![
            STAFF_1.to_string(),
            "20261106-1000-group-3".into(),
            STAFF_1.into(),
        ],
    ];
    for filter in &filters {
        for names in &named {
            let (streamed, checks) = load_matrix(&ctx, names, filter, true).unwrap();
            assert!(checks.is_empty(), "no session here has a transcript");
            let whole = load_sessions(&ctx, names, filter).unwrap();
            let from_whole = matrix_of(&whole.iter().collect::<Vec<_>>());
            for render in [csv, markdown, json] {
                assert_eq!(
                    render(&streamed, filter).unwrap(),
                    render(&from_whole, filter).unwrap(),
                    "{filter:?} {names:?}"
                );
            }
            // Every cell as the whole session has it (the open session's clock stands at its
            // last record, so no cell depends on the time of the run).
            assert_eq!(streamed.columns.len(), whole.len());
            for row in &streamed.rows {
                for (column, cell) in streamed.columns.iter().zip(&row.cells) {
                    let loaded = whole.iter().find(|s| s.id == column.id).unwrap();
                    let (status, seconds, required) = cell_of_the_whole_session(loaded, row);
                    assert_eq!(
                        (cell.status, cell.seconds, cell.required, cell.settled),
                        (status, seconds, required, loaded.session.state().is_ended()),
                        "{} in {}",
                        row.title,
                        column.id
                    );
                }
            }
        }
    }
    // The mixed study has what the check is about: an emergent row, an open session's cells.
    let (all, _) = load_matrix(&ctx, &[], &Filter::default(), false).unwrap();
    assert!(all.rows.iter().any(|r| r.emergent));
    assert!(
        all.rows
            .iter()
            .flat_map(|r| &r.cells)
            .any(|c| c.status == CellStatus::Pending)
    );
}
