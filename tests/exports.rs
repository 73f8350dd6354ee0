//! The session exports (`csv`, `html`, `audacity`, `vtt`, `qdpx`) and the guide codebook
//! (`guide export --format qdc`): golden files of a fixed session built through the library from
//! a fixed journal, the CSV read back, the HTML checked to fetch nothing, the REFI-QDA files
//! validated against the published schemas with xmllint, the qdpx unzipped and every selection
//! checked to pick out its note's line, and GUIDs compared across exports.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DataHome, add, assert_user_error, create, unzip, xmllint};
use quick_xml::events::Event as XmlEvent;
use quick_xml::{Reader, XmlVersion};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};
use topicguide::storage::session_store::load_session;

const GUIDE: &str = "cmp-patient-focus-group";
const GROUP_ID: &str = "20261125-1000-group-3";
const OPEN_ID: &str = "20261126-0900-group-4";

/// 2026-11-25 10:00:00 UTC plus `minutes` and `seconds`.
fn at(minutes: i64, seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap()
        + Duration::minutes(minutes)
        + Duration::seconds(seconds)
}

fn meta(label: &str, participants: &[&str], planned_minutes: u32) -> SessionMeta {
    let g = builtin(GUIDE).unwrap().load().unwrap();
    SessionMeta {
        site: Some("DU".into()),
        participants: participants.iter().map(|p| p.to_string()).collect(),
        planned_minutes,
        consent: true,
        bell: false,
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&g, label)
    }
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

fn note(id: &str, noted_at: DateTime<Utc>, on: Option<&str>, text: &str) -> Event {
    Event::NoteAdded {
        id: id.into(),
        noted_at,
        theme: on.map(str::to_string),
        text: text.into(),
    }
}

/// The ended focus group every golden file shows: a note before the recording mark (with `<`
/// and `&`), a note with a comma, quotes and an emoji, a pause splitting a theme's discussion,
/// a theme discussed twice, a note outside any theme in accented text, an edited and a deleted
/// note, tags in two cases, a late arrival, a skip, and the end.
fn group_session(data: &Path) {
    let mut s = create(
        data,
        GROUP_ID,
        GUIDE,
        at(0, 0),
        meta("Group 3", &["P1", "P2", "P3", "P4"], 20),
    );
    add(&mut s, at(0, 20), discussing("opening"));
    add(
        &mut s,
        at(0, 40),
        note(
            "n1",
            at(0, 35),
            Some("opening"),
            "@P2 asks if the recorder is on <already> & whether that's OK",
        ),
    );
    add(&mut s, at(1, 0), Event::RecordingStarted);
    add(
        &mut s,
        at(1, 10),
        Event::ProbeToggled {
            theme: "opening".into(),
            probe: 0,
            checked: true,
        },
    );
    add(&mut s, at(3, 0), covered("opening"));
    add(&mut s, at(3, 0), discussing("programme"));
    add(
        &mut s,
        at(4, 10),
        note(
            "n2",
            at(4, 0),
            Some("programme"),
            "@P3 my GP said \"give it a go\", so I did 😀 #quote",
        ),
    );
    add(&mut s, at(5, 0), discussing("health"));
    add(
        &mut s,
        at(6, 0),
        note(
            "n3",
            at(5, 45),
            Some("health"),
            "@p1 walks to the shops now #quote #diet",
        ),
    );
    add(
        &mut s,
        at(6, 30),
        Event::ParticipantArrived {
            participant: "P5".into(),
        },
    );
    add(&mut s, at(7, 0), Event::Paused);
    add(&mut s, at(8, 0), Event::Resumed);
    add(
        &mut s,
        at(9, 30),
        note(
            "n4",
            at(9, 20),
            Some("health"),
            "ask P4 about medication #followup",
        ),
    );
    add(&mut s, at(10, 0), discussing("programme"));
    add(
        &mut s,
        at(11, 0),
        note("n5", at(10, 50), None, "@P4 naïve café, Ünïcödé ✓ — ok"),
    );
    add(
        &mut s,
        at(11, 30),
        Event::NoteEdited {
            id: "n3".into(),
            text: "@P1 walks to the shops every day now #quote #diet".into(),
        },
    );
    add(&mut s, at(12, 0), covered("programme"));
    add(&mut s, at(12, 0), discussing("psychosocial"));
    add(
        &mut s,
        at(13, 0),
        note(
            "n6",
            at(12, 40),
            Some("psychosocial"),
            "@P5 laughs, nods #nonverbal #Quote",
        ),
    );
    add(
        &mut s,
        at(13, 30),
        note("n7", at(13, 20), Some("psychosocial"), "typo, ignore"),
    );
    add(&mut s, at(13, 40), Event::NoteDeleted { id: "n7".into() });
    add(
        &mut s,
        at(15, 0),
        Event::Skipped {
            theme: "employability".into(),
            reason: Some("short of time".into()),
        },
    );
    add(&mut s, at(16, 0), Event::Ended);
}

/// A session of the same guide left open (interrupted) with no recording mark: offsets count
/// from the start and the theme under discussion has an open span.
fn open_session(data: &Path) {
    let start = at(60 * 23, 0);
    let later = |m: i64, s: i64| start + Duration::minutes(m) + Duration::seconds(s);
    let mut s = create(
        data,
        OPEN_ID,
        GUIDE,
        start,
        meta("Group 4", &["P1", "P2"], 30),
    );
    add(&mut s, later(0, 30), discussing("opening"));
    add(
        &mut s,
        later(1, 10),
        note(
            "n1",
            later(1, 0),
            Some("opening"),
            "@P1 happy to be recorded",
        ),
    );
    add(&mut s, later(2, 0), covered("opening"));
    add(&mut s, later(2, 0), discussing("programme"));
    add(
        &mut s,
        later(3, 0),
        note(
            "n2",
            later(2, 50),
            Some("programme"),
            "@P2 the GP suggested it",
        ),
    );
}

/// A temporary HOME and data folder; `Fixture::new()` puts the ended and the open session in it.
type Fixture = DataHome;

impl Fixture {
    fn new() -> Self {
        let f = Fixture::empty();
        group_session(&f.data());
        open_session(&f.data());
        f
    }

    fn export(&self, id: &str, format: &str) -> String {
        self.ok(&["export", id, "--format", format])
    }

    /// Exports the session as qdpx into `name` and returns the zip's bytes.
    fn qdpx(&self, id: &str, name: &str) -> Vec<u8> {
        let file = self.path(name);
        let out = self.ok(&[
            "export",
            id,
            "--format",
            "qdpx",
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out, "", "nothing on stdout with -o");
        fs::read(file).unwrap()
    }
}

/// Output with the version number made neutral, so a release does not change the golden files.
fn versionless(text: &str) -> String {
    text.replace(
        &format!("topicguide {}", env!("CARGO_PKG_VERSION")),
        "topicguide [version]",
    )
}

/// The one source of an unzipped project: (its path, its text).
fn source(entries: &BTreeMap<String, String>) -> (String, String) {
    let sources: Vec<_> = entries
        .iter()
        .filter(|(name, _)| name.starts_with("sources/"))
        .collect();
    assert_eq!(sources.len(), 1, "one source: {:?}", entries.keys());
    (sources[0].0.clone(), sources[0].1.clone())
}

/// Every element of an XML document as (name, attributes), in document order.
fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            XmlEvent::Start(e) | XmlEvent::Empty(e) => {
                let name = e.name().as_ref().to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            a.key.as_ref().to_string(),
                            a.normalized_value(XmlVersion::Explicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs));
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    out
}

/// The `guid` of the code named `name`.
fn code_guid(xml: &str, name: &str) -> String {
    elements(xml)
        .into_iter()
        .find(|(el, a)| el == "Code" && a["name"] == name)
        .unwrap_or_else(|| panic!("a code named {name}"))
        .1["guid"]
        .clone()
}

// ---------------------------------------------------------------- golden files

#[test]
fn csv_golden() {
    let f = Fixture::new();
    insta::assert_snapshot!("group_3_csv", f.export(GROUP_ID, "csv"));
}

#[test]
fn html_golden() {
    let f = Fixture::new();
    insta::assert_snapshot!("group_3_html", versionless(&f.export(GROUP_ID, "html")));
}

#[test]
fn audacity_golden() {
    let f = Fixture::new();
    insta::assert_snapshot!("group_3_audacity", f.export(GROUP_ID, "audacity"));
}

#[test]
fn vtt_golden() {
    let f = Fixture::new();
    insta::assert_snapshot!("group_3_vtt", f.export(GROUP_ID, "vtt"));
}

#[test]
fn qdpx_golden() {
    let f = Fixture::new();
    let entries = unzip(&f.qdpx(GROUP_ID, "group-3.qdpx"));
    insta::assert_snapshot!(
        "group_3_qdpx_project_qde",
        versionless(&entries["project.qde"])
    );
    let (_, text) = source(&entries);
    insta::assert_snapshot!("group_3_qdpx_source_txt", text);
}

#[test]
fn qdc_golden() {
    let f = Fixture::new();
    insta::assert_snapshot!(
        "focus_group_qdc",
        versionless(&f.ok(&["guide", "export", GUIDE, "--format", "qdc"]))
    );
}

// ---------------------------------------------------------------- csv

#[test]
fn csv_reads_back_field_for_field() {
    let f = Fixture::new();
    let out = f.export(GROUP_ID, "csv");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "session",
            "offset",
            "at",
            "theme_id",
            "theme_title",
            "speaker",
            "tags",
            "text"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();

    let loaded = load_session(&f.data().join("sessions").join(GROUP_ID)).unwrap();
    let state = loaded.session.state();
    let guide = &loaded.session.guide;
    assert_eq!(
        rows.len(),
        state.notes.len(),
        "one row per note (n7 deleted)"
    );
    for (row, note) in rows.iter().zip(&state.notes) {
        assert_eq!(row.len(), 8);
        assert_eq!(&row[0], GROUP_ID);
        let offset = state.offset_seconds(note.at);
        let sign = if offset < 0 { "-" } else { "" };
        let s = offset.abs();
        assert_eq!(
            row[1],
            format!("{sign}{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
        );
        assert_eq!(
            DateTime::parse_from_rfc3339(&row[2]).unwrap(),
            note.at,
            "at is RFC 3339"
        );
        assert_eq!(&row[3], note.theme.as_deref().unwrap_or(""));
        let title = note
            .theme
            .as_deref()
            .and_then(|t| guide.theme(t))
            .map_or("", |t| t.title.as_str());
        assert_eq!(&row[4], title);
        assert_eq!(&row[5], note.speaker.as_deref().unwrap_or(""));
        assert_eq!(
            row[6]
                .split(' ')
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>(),
            note.tags
        );
        assert_eq!(&row[7], note.text);
    }
    // The hard one: a comma, double quotes and an emoji survive quoting.
    let n2 = &rows[1];
    assert_eq!(&n2[7], "my GP said \"give it a go\", so I did 😀 #quote");
    assert_eq!(&n2[5], "P3");
    assert_eq!(&n2[1], "00:03:00", "offset from the recording mark at 1:00");
    // Before the mark the offset is negative, as the JSON's offset_seconds.
    assert_eq!(&rows[0][1], "-00:00:25");
    assert_eq!(&rows[2][6], "quote diet", "tags joined with one space");
    assert_eq!(&rows[4][3], "", "a note outside any theme");
}

// ---------------------------------------------------------------- html

#[test]
fn html_fetches_nothing_and_says_status_in_words() {
    let f = Fixture::new();
    let html = f.export(GROUP_ID, "html");
    let lower = html.to_lowercase();
    for needle in [
        "http://", "https://", "//", "src=", "@import", "url(", "href=", "<script", "<link",
        "<iframe", "<img", "<object", "<embed", "xlink",
    ] {
        assert!(!lower.contains(needle), "the HTML contains {needle:?}");
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>") && html.contains("@media print"));
    assert!(html.trim_end().ends_with("</html>"));
    // Status by symbol and word, not colour alone.
    for shown in [
        "✓ covered",
        "◐ discussed, not covered",
        "– skipped",
        "○ not started",
    ] {
        assert!(html.contains(shown), "coverage shows {shown:?}");
    }
    // User text is escaped.
    assert!(html.contains("recorder is on &lt;already&gt; &amp; whether that&#39;s OK"));
    assert!(!html.contains("<already>"));
    assert!(html.contains("&quot;give it a go&quot;, so I did 😀"));
    // The timeline: a row per theme, bars for spans (programme twice, health split by the pause),
    // ticks for the notes, the recording mark and the minute axis.
    let svg_start = html.find("<svg").expect("an inline SVG");
    let svg = &html[svg_start..html.find("</svg>").unwrap()];
    assert_eq!(svg.matches("class=\"bar ").count(), 6, "{svg}");
    assert_eq!(svg.matches("class=\"tick\"").count(), 6);
    assert_eq!(svg.matches("class=\"rec\"").count(), 1);
    assert!(svg.contains("minutes from the start"));
    assert!(!svg.contains("xmlns"), "inline SVG needs no namespace URL");
}

#[test]
fn a_live_session_shows_the_theme_under_discussion() {
    let f = Fixture::new();
    let html = f.export(OPEN_ID, "html");
    assert!(html.contains("✓ covered"));
    assert!(html.contains("▶ in discussion"));
    assert!(!html.contains("◐"));
    assert!(html.contains("none: note offsets count from the start"));
    assert!(!html.contains("class=\"rec\""));
}

// ---------------------------------------------------------------- audacity

#[test]
fn audacity_counts_from_the_mark_and_leaves_out_what_came_before() {
    let f = Fixture::new();
    let out = f.export(GROUP_ID, "audacity");
    for line in out.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 3, "start<TAB>end<TAB>label: {line:?}");
        for t in &fields[..2] {
            let (whole, frac) = t.split_once('.').expect("seconds with decimals");
            assert!(whole.parse::<u64>().is_ok() && frac.len() == 6, "{t}");
        }
        let start: f64 = fields[0].parse().unwrap();
        let end: f64 = fields[1].parse().unwrap();
        assert!(start <= end, "{line}");
    }
    // The opening was discussed from 0:20, the mark came at 1:00: clamped to the mark.
    assert!(
        out.starts_with("0.000000\t120.000000\tWelcome and consent\n"),
        "{out}"
    );
    // The note taken before the mark is left out; the others are points.
    assert!(!out.contains("recorder"));
    assert!(
        out.contains(
            "180.000000\t180.000000\tP3: my GP said \"give it a go\", so I did 😀 #quote\n"
        )
    );
    assert!(out.contains("500.000000\t500.000000\task P4 about medication #followup\n"));
    // Health: 5:00 to the pause at 7:00, then 8:00 to 10:00.
    assert!(out.contains("240.000000\t360.000000\tHealth experiences\n"));
    assert!(out.contains("420.000000\t540.000000\tHealth experiences\n"));
    let starts: Vec<f64> = out
        .lines()
        .map(|l| l.split('\t').next().unwrap().parse().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "sorted by start");
}

#[test]
fn audacity_counts_from_the_start_without_a_mark() {
    let f = Fixture::new();
    let out = f.export(OPEN_ID, "audacity");
    // The programme is still under discussion: its region ends at the last record, 3:00.
    assert_eq!(
        out,
        "30.000000\t120.000000\tWelcome and consent\n\
         60.000000\t60.000000\tP1: happy to be recorded\n\
         120.000000\t180.000000\tThe programme and how they came to it\n\
         170.000000\t170.000000\tP2: the GP suggested it\n"
    );
}

// ---------------------------------------------------------------- vtt

#[test]
fn vtt_is_webvtt_with_voices() {
    let f = Fixture::new();
    let out = f.export(GROUP_ID, "vtt");
    assert!(out.starts_with("WEBVTT\n\n"));
    let cues: Vec<&str> = out.split("\n\n").filter(|b| b.contains(" --> ")).collect();
    assert_eq!(cues.len(), 5, "every note after the mark: {out}");
    for cue in &cues {
        let lines: Vec<&str> = cue.lines().collect();
        assert_eq!(lines.len(), 3, "id, timing, payload: {cue:?}");
        let (from, to) = lines[1].split_once(" --> ").unwrap();
        for t in [from, to] {
            assert_eq!(t.len(), 12, "HH:MM:SS.mmm: {t}");
            assert_eq!(&t[2..3], ":");
            assert_eq!(&t[8..9], ".");
        }
        assert!(from < to);
    }
    assert!(out.contains(
        "n2\n00:03:00.000 --> 00:03:05.000\n<v P3>my GP said \"give it a go\", so I did 😀 #quote\n"
    ));
    assert!(out.contains("n4\n00:08:20.000 --> 00:08:25.000\nask P4 about medication #followup\n"));
    assert!(
        !out.contains("recorder"),
        "the note before the mark is left out"
    );
}

#[test]
fn vtt_escapes_markup() {
    let f = Fixture::new();
    let data = f.data();
    let start = at(60 * 48, 0);
    let mut s = create(
        &data,
        "20261127-1000-markup",
        GUIDE,
        start,
        meta("Markup", &["P1"], 10),
    );
    add(
        &mut s,
        start + Duration::seconds(5),
        note(
            "n1",
            start + Duration::seconds(3),
            None,
            "@P1 a<b && c>d --> e",
        ),
    );
    drop(s);
    let out = f.export("20261127-1000-markup", "vtt");
    assert!(
        out.contains("<v P1>a&lt;b &amp;&amp; c&gt;d --&gt; e\n"),
        "{out}"
    );
}

// ---------------------------------------------------------------- REFI-QDA

#[test]
fn refi_qda_files_validate_against_the_published_schemas() {
    let f = Fixture::new();
    // A session with no participants and no notes: no cases, no tags, an empty source.
    let empty_id = "20261128-1000-empty";
    let start = at(60 * 72, 0);
    let mut s = create(&f.data(), empty_id, GUIDE, start, meta("Empty", &[], 10));
    add(&mut s, start + Duration::minutes(1), Event::Ended);
    drop(s);
    let empty = unzip(&f.qdpx(empty_id, "empty.qdpx"));
    assert!(!empty["project.qde"].contains("<Cases"));
    assert!(!empty["project.qde"].contains("name=\"Tags\""));
    assert_eq!(source(&empty).1, "");
    for id in [GROUP_ID, OPEN_ID, empty_id] {
        let entries = unzip(&f.qdpx(id, &format!("{id}.qdpx")));
        let qde = f.path(&format!("{id}.qde"));
        fs::write(&qde, &entries["project.qde"]).unwrap();
        xmllint("Project-mrt2019.xsd", &qde);
    }
    for guide in [
        GUIDE,
        "cmp-patient-telephone-interview",
        "cmp-staff-interprofessional",
    ] {
        let qdc = f.path(&format!("{guide}.qdc"));
        f.ok(&[
            "guide",
            "export",
            guide,
            "--format",
            "qdc",
            "-o",
            qdc.to_str().unwrap(),
        ]);
        xmllint("Codebook.xsd", &qdc);
    }
}

#[test]
fn qdpx_selections_pick_out_exactly_their_notes() {
    let f = Fixture::new();
    let entries = unzip(&f.qdpx(GROUP_ID, "group-3.qdpx"));
    assert_eq!(
        entries.len(),
        2,
        "project.qde and one source: {:?}",
        entries.keys()
    );
    let qde = &entries["project.qde"];
    let (path, text) = source(&entries);
    let els = elements(qde);

    assert_eq!(els[0].0, "Project");
    assert_eq!(els[0].1["xmlns"], "urn:QDA-XML:project:1.0");
    let source_el = &els.iter().find(|(n, _)| n == "TextSource").unwrap().1;
    let guid = &source_el["guid"];
    assert_eq!(path, format!("sources/{guid}.txt"));
    assert_eq!(source_el["plainTextPath"], format!("internal://{guid}.txt"));
    assert!(!qde.contains("<Sets"), "no empty Sets");

    // One note a line; each selection is exactly its line, in code points.
    let loaded = load_session(&f.data().join("sessions").join(GROUP_ID)).unwrap();
    let notes = &loaded.session.state().notes;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), notes.len());
    assert_eq!(
        lines[1],
        "[00:03:00] P3: my GP said \"give it a go\", so I did 😀 #quote"
    );
    assert_eq!(lines[4], "[00:09:50] P4: naïve café, Ünïcödé ✓ — ok");
    let chars: Vec<char> = text.chars().collect();
    let selections: Vec<&BTreeMap<String, String>> = els
        .iter()
        .filter(|(n, _)| n == "PlainTextSelection")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(selections.len(), notes.len());
    for (i, (sel, note)) in selections.iter().zip(notes).enumerate() {
        assert_eq!(sel["name"], note.id);
        let start: usize = sel["startPosition"].parse().unwrap();
        let end: usize = sel["endPosition"].parse().unwrap();
        let picked: String = chars[start..end].iter().collect();
        assert_eq!(picked, lines[i], "selection of {}", note.id);
        assert!(picked.ends_with(&note.text), "{picked}");
    }

    // Codes: a theme code per theme with its probes, a Tags folder with a code per tag.
    let codes: BTreeMap<String, BTreeMap<String, String>> = els
        .iter()
        .filter(|(n, _)| n == "Code")
        .map(|(_, a)| (a["guid"].clone(), a.clone()))
        .collect();
    let tags_folder = codes.values().find(|a| a["name"] == "Tags").unwrap();
    assert_eq!(tags_folder["isCodable"], "false");
    for tag in ["diet", "followup", "nonverbal", "quote"] {
        assert!(
            codes.values().any(|a| a["name"] == tag),
            "a code for #{tag}"
        );
    }
    assert_eq!(
        codes
            .values()
            .filter(|a| a["name"].eq_ignore_ascii_case("quote"))
            .count(),
        1,
        "#quote and #Quote are one code"
    );
    // Every coding points at a code; n3 is coded to its theme and both its tags.
    let refs: Vec<&String> = els
        .iter()
        .filter(|(n, _)| n == "CodeRef")
        .map(|(_, a)| &a["targetGUID"])
        .collect();
    assert!(refs.iter().all(|r| codes.contains_key(*r)));
    let n3_start = qde.find("name=\"n3\"").unwrap();
    let n3 = &qde[n3_start..n3_start + qde[n3_start..].find("</PlainTextSelection>").unwrap()];
    for name in ["Health experiences", "quote", "diet"] {
        let guid = code_guid(qde, name);
        assert!(n3.contains(&guid), "n3 is coded {name}");
    }
    // Participants are cases, pointing at the selections of their notes.
    let cases: Vec<&String> = els
        .iter()
        .filter(|(n, _)| n == "Case")
        .map(|(_, a)| &a["name"])
        .collect();
    assert_eq!(cases, ["P1", "P2", "P3", "P4", "P5"]);
    let selection_guids: BTreeSet<&String> = selections.iter().map(|s| &s["guid"]).collect();
    for (n, a) in &els {
        if n == "SelectionRef" {
            assert!(selection_guids.contains(&a["targetGUID"]));
        }
    }
    let users: Vec<_> = els.iter().filter(|(n, _)| n == "User").collect();
    assert_eq!(users.len(), 1);
    assert_eq!(els[0].1["creatingUserGUID"], users[0].1["guid"]);
}

#[test]
fn guids_are_the_same_in_every_export() {
    let f = Fixture::new();
    let first = f.qdpx(GROUP_ID, "a.qdpx");
    let second = f.qdpx(GROUP_ID, "b.qdpx");
    assert_eq!(first, second, "the same session exports to the same bytes");

    let group = unzip(&first)["project.qde"].clone();
    let other = unzip(&f.qdpx(OPEN_ID, "c.qdpx"))["project.qde"].clone();
    let codebook = f.ok(&["guide", "export", GUIDE, "--format", "qdc"]);
    let builtin_path = f.path("guide.toml");
    fs::write(&builtin_path, builtin(GUIDE).unwrap().text).unwrap();
    let from_file = f.ok(&[
        "guide",
        "export",
        builtin_path.to_str().unwrap(),
        "--format",
        "qdc",
    ]);
    assert_eq!(codebook, from_file, "by name or by file, the same codebook");
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    for theme in &guide.themes {
        let g = code_guid(&group, &theme.title);
        assert_eq!(
            g,
            code_guid(&other, &theme.title),
            "{} across sessions",
            theme.id
        );
        assert_eq!(
            g,
            code_guid(&codebook, &theme.title),
            "{} in the codebook",
            theme.id
        );
        for probe in &theme.probes {
            assert_eq!(
                code_guid(&group, &probe.text),
                code_guid(&codebook, &probe.text)
            );
        }
    }
    // Different sessions have different sources, selections and cases.
    let guid_of = |xml: &str, el: &str| {
        elements(xml).into_iter().find(|(n, _)| n == el).unwrap().1["guid"].clone()
    };
    assert_ne!(guid_of(&group, "TextSource"), guid_of(&other, "TextSource"));
    assert_ne!(guid_of(&group, "Case"), guid_of(&other, "Case"));
    assert_eq!(guid_of(&group, "User"), guid_of(&other, "User"));
    let codebook_els = elements(&codebook);
    assert_eq!(codebook_els[0].0, "CodeBook");
    assert_eq!(codebook_els[0].1["xmlns"], "urn:QDA-XML:codebook:1.0");
}

// ---------------------------------------------------------------- command line

#[test]
fn qdpx_without_o_is_a_one_line_user_error() {
    let f = Fixture::new();
    let ran = f.run(&["export", GROUP_ID, "--format", "qdpx"]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("-o"), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
}

#[test]
fn guide_export_of_an_unknown_or_invalid_guide_is_a_one_line_user_error() {
    let f = Fixture::new();
    let ran = f.run(&["guide", "export", "no-such-guide", "--format", "qdc"]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("no-such-guide"));
    let bad = f.path("bad.toml");
    fs::write(&bad, "[guide]\ntitle = \"x\"\n").unwrap();
    let ran = f.run(&["guide", "export", bad.to_str().unwrap(), "--format", "qdc"]);
    assert_user_error(&ran);
    let ran = f.run(&["guide", "export", GUIDE, "--format", "pdf"]);
    assert_user_error(&ran);
}

#[test]
fn every_format_writes_the_same_bytes_to_a_file_as_to_stdout() {
    let f = Fixture::new();
    for format in ["csv", "html", "audacity", "vtt"] {
        let file = f.path(&format!("out.{format}"));
        let stdout = f.export(GROUP_ID, format);
        f.ok(&[
            "export",
            GROUP_ID,
            "--format",
            format,
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(fs::read_to_string(&file).unwrap(), stdout, "{format}");
    }
}

#[test]
fn both_reports_come_from_one_model_and_agree() {
    // A note on a theme the guide does not have (an edited guide snapshot, a hand-made journal)
    // and a warning naming themes by id.
    let f = Fixture::empty();
    let id = "20261127-0900-group-5";
    let mut s = create(&f.data(), id, GUIDE, at(0, 0), meta("Group 5", &["P1"], 20));
    add(
        &mut s,
        at(0, 30),
        note(
            "n1",
            at(0, 20),
            Some("retired-theme"),
            "an old theme's note",
        ),
    );
    add(
        &mut s,
        at(1, 0),
        Event::WarningRaised {
            kind: topicguide::model::event::WarningKind::Unaddressed,
            themes: vec!["health".into(), "retired-theme".into()],
            threshold_minutes: Some(10),
            behind_minutes: None,
        },
    );
    add(&mut s, at(2, 0), Event::Ended);
    let md = f.export(id, "md");
    let html = f.export(id, "html");
    let outside = md.split("### Outside any theme").nth(1).unwrap_or_default();
    assert!(outside.contains("an old theme's note"), "{md}");
    let outside = html
        .split("<h3>Outside any theme</h3>")
        .nth(1)
        .unwrap_or_default();
    assert!(outside.contains("an old theme&#39;s note"), "{html}");
    // Warnings give titles; an id the guide does not know stays as written.
    assert!(
        md.contains("unaddressed: Health experiences, retired-theme"),
        "{md}"
    );
    assert!(
        html.contains("unaddressed: Health experiences, retired-theme"),
        "{html}"
    );
}
