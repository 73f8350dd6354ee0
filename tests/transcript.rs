//! Transcripts: each format's fixture read and coded by the timeline, checked against codings
//! worked out by hand; `topicguide transcript` through the real binary (stored 0600, journaled,
//! replaceable, bad files as FILE:LINE: message); and the coded transcript in the qdpx export,
//! validated with xmllint.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DataHome, add, assert_user_error, create, unzip};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta};
use topicguide::model::session::Session;
use topicguide::model::transcript::coding::code;
use topicguide::model::transcript::speaker::{Speaker, parse_mapping};
use topicguide::model::transcript::{
    TranscriptAttachment, TranscriptFormat, TranscriptRef, detect_format, parse,
};
use topicguide::storage::session_store::load_session;

const GUIDE: &str = "cmp-patient-focus-group";
const ID: &str = "20261125-1000-group-3";

/// 2026-11-25 10:00:00 UTC plus `seconds`.
fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap() + Duration::seconds(seconds)
}

/// The recording mark is at 10:00:30; times below are seconds from it.
const MARK: i64 = 30;

/// The session every fixture is a transcript of: opening from 0:30, programme from 2:30 (its
/// first probe ticked at 3:10), health from 4:30 (a note by P2 at 5:30 tagged #quote, its first
/// probe ticked at 5:40), a pause from 6:30 to 7:00, the end at 8:30 (all from the mark).
fn events() -> Vec<(i64, Event)> {
    let discussing = |t: &str| Event::Discussing { theme: t.into() };
    let tick = |t: &str| Event::ProbeToggled {
        theme: t.into(),
        probe: 0,
        checked: true,
    };
    vec![
        (MARK, Event::RecordingStarted),
        (MARK + 30, discussing("opening")),
        (MARK + 150, discussing("programme")),
        (MARK + 190, tick("programme")),
        (MARK + 270, discussing("health")),
        (
            MARK + 330,
            Event::NoteAdded {
                id: "n1".into(),
                noted_at: at(MARK + 330),
                theme: Some("health".into()),
                text: "@P2 diet changed a lot #quote".into(),
            },
        ),
        (MARK + 340, tick("health")),
        (MARK + 390, Event::Paused),
        (MARK + 420, Event::Resumed),
        (MARK + 510, Event::Ended),
    ]
}

fn meta() -> SessionMeta {
    let g = builtin(GUIDE).unwrap().load().unwrap();
    SessionMeta {
        site: Some("DU".into()),
        participants: vec!["P1".into(), "P2".into()],
        consent: true,
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&g, "Group 3")
    }
}

fn session() -> Session {
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    let mut records = vec![Record {
        seq: 1,
        at: at(0),
        event: Event::Started(meta()),
    }];
    for (seconds, event) in events() {
        records.push(Record {
            seq: records.len() as u64 + 1,
            at: at(seconds),
            event,
        });
    }
    Session::from_records(guide, records).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/transcripts")
        .join(name)
}

/// One segment's expected coding: seconds from the mark, theme id, probes, tags, speaker.
type Expected = (
    i64,
    i64,
    Option<&'static str>,
    &'static [usize],
    &'static [&'static str],
    Option<&'static str>,
);

/// Worked out by hand from the timeline above, for files that give each segment its end:
/// 1 lies before the opening; 2 straddles the opening's start (10 s in it); 3 straddles the
/// switch to programme (5 s opening, 10 s programme) and goes to programme with the probe ticked
/// in that span; 5 holds the note (its tag) and the health probe ticked in that span; 6 falls in
/// the pause; 7 is in health's second span, where no probe was ticked.
const TIMED: [Expected; 7] = [
    (20, 28, None, &[], &[], None),
    (28, 40, Some("opening"), &[], &[], None),
    (145, 160, Some("programme"), &[0], &[], None),
    (165, 175, Some("programme"), &[0], &[], Some("P1")),
    (325, 335, Some("health"), &[0], &["quote"], Some("P2")),
    (395, 405, None, &[], &[], Some("P1")),
    (480, 490, Some("health"), &[], &[], Some("P2")),
];

/// Stamped text: a segment runs to the next stamp, the last one two seconds (five words at 150
/// a minute is less than the two-second floor). 2 runs 28-145 (opening); 4 runs 165-325
/// (105 s programme, 55 s health); 6 runs 395-480 (60 s of health's second span after the
/// pause); 7 runs 480-482.
const STAMPED: [Expected; 7] = [
    (20, 28, None, &[], &[], None),
    (28, 145, Some("opening"), &[], &[], None),
    (145, 165, Some("programme"), &[0], &[], None),
    (165, 325, Some("programme"), &[0], &[], Some("P1")),
    (325, 395, Some("health"), &[0], &["quote"], Some("P2")),
    (395, 480, Some("health"), &[], &[], Some("P1")),
    (480, 482, Some("health"), &[], &[], Some("P2")),
];

fn check(file: &str, format: TranscriptFormat, speakers: &[&str], expected: &[Expected]) {
    let text = fs::read_to_string(fixture(file)).unwrap();
    let extension = Path::new(file).extension().and_then(|e| e.to_str());
    assert_eq!(detect_format(extension, &text), format, "{file}");
    assert_eq!(detect_format(None, &text), format, "{file} by its content");
    let transcript = parse(format, &text).unwrap_or_else(|e| panic!("{file}:{e}"));
    let attachment = TranscriptAttachment {
        reference: TranscriptRef {
            file: "transcript-12.json".into(),
            source: file.into(),
            format,
            offset_ms: 0,
            speakers: speakers.iter().map(|s| parse_mapping(s).unwrap()).collect(),
            segments: transcript.segments.len(),
            crc: String::new(),
        },
        transcript,
    };
    let session = session();
    let state = session.state();
    let coded = code(&session.guide, state, &attachment, state.clock_at(at(0)));
    assert_eq!(coded.segments.len(), expected.len(), "{file}");
    for (i, (segment, want)) in coded.segments.iter().zip(expected).enumerate() {
        let (start, end, theme, probes, tags, speaker) = *want;
        let what = format!("{file} segment {}", i + 1);
        assert_eq!(
            (segment.start_ms, segment.end_ms),
            (start * 1000, end * 1000),
            "{what}"
        );
        let theme_id = segment.theme.map(|t| session.guide.themes[t].id.as_str());
        assert_eq!(theme_id, theme, "{what}: theme");
        assert_eq!(segment.probes, probes, "{what}: probes");
        assert_eq!(segment.tags, tags, "{what}: tags");
        let pseudonym = match segment.speaker {
            Some(Speaker::Pseudonym(p)) => Some(p),
            _ => None,
        };
        assert_eq!(pseudonym, speaker, "{what}: speaker");
    }
    assert_eq!(coded.note_anchors, [Some(4)], "{file}: n1 on segment 5");
    assert_eq!(coded.segments[4].notes, [0]);
    // The moderator is never mapped, so never guessed.
    assert!(
        matches!(coded.segments[0].speaker, Some(Speaker::Unmapped(_))),
        "{file}"
    );
}

const NAMES: [&str; 2] = ["Tom Baker=P1", "Maria Lopez=P2"];

#[test]
fn zoom_vtt_is_coded_by_the_timeline() {
    check("zoom.vtt", TranscriptFormat::Vtt, &NAMES, &TIMED);
}

#[test]
fn teams_vtt_voices_are_coded_the_same() {
    check("teams.vtt", TranscriptFormat::Vtt, &NAMES, &TIMED);
}

#[test]
fn srt_is_coded_by_the_timeline() {
    check("group.srt", TranscriptFormat::Srt, &NAMES, &TIMED);
}

#[test]
fn whisper_json_is_coded_by_the_timeline() {
    check(
        "whisper.json",
        TranscriptFormat::WhisperJson,
        &["SPEAKER_01=P1", "SPEAKER_02=P2"],
        &TIMED,
    );
}

#[test]
fn otranscribe_text_is_coded_by_the_timeline() {
    check(
        "otranscribe.txt",
        TranscriptFormat::StampedText,
        &NAMES,
        &STAMPED,
    );
    let text = fs::read_to_string(fixture("otranscribe.txt")).unwrap();
    let t = parse(TranscriptFormat::StampedText, &text).unwrap();
    assert_eq!(t.segments[3].text, "The back pain one, about a year ago.");
}

#[test]
fn an_offset_shifts_every_segment() {
    // The recorder started 25 s after the mark: file time 0 is mark + 25 s, so segment 1
    // (20-28 in the file) is 45-53 from the mark, inside the opening.
    let text = fs::read_to_string(fixture("zoom.vtt")).unwrap();
    let transcript = parse(TranscriptFormat::Vtt, &text).unwrap();
    let attachment = TranscriptAttachment {
        reference: TranscriptRef {
            file: "t.json".into(),
            source: "zoom.vtt".into(),
            format: TranscriptFormat::Vtt,
            offset_ms: 25_000,
            speakers: Vec::new(),
            segments: transcript.segments.len(),
            crc: String::new(),
        },
        transcript,
    };
    let session = session();
    let state = session.state();
    let coded = code(&session.guide, state, &attachment, state.clock_at(at(0)));
    assert_eq!(coded.segments[0].start_ms, 45_000);
    assert_eq!(coded.segments[0].theme, Some(0), "the opening");
}

// ---------------------------------------------------------------- through the binary

struct Fixture(DataHome);

impl Fixture {
    fn new() -> Self {
        let home = DataHome::empty();
        let mut s = create(&home.data(), ID, GUIDE, at(0), meta());
        for (seconds, event) in events() {
            add(&mut s, at(seconds), event);
        }
        drop(s);
        Fixture(home)
    }

    fn dir(&self) -> PathBuf {
        self.0.data().join("sessions").join(ID)
    }

    fn attach(&self, file: &str, extra: &[&str]) -> String {
        let path = fixture(file);
        let mut args = vec!["transcript", ID, path.to_str().unwrap()];
        args.extend(extra);
        self.0.ok(&args)
    }

    fn qdpx(&self, extra: &[&str]) -> std::collections::BTreeMap<String, String> {
        let out = self.0.path("out.qdpx");
        let mut args = vec![
            "export",
            ID,
            "--format",
            "qdpx",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        self.0.ok(&args);
        let bytes = fs::read(&out).unwrap();
        let entries = unzip(&bytes);
        let qde = self.0.path("project.qde");
        fs::write(&qde, &entries["project.qde"]).unwrap();
        common::refi_schema::xmllint_project(&qde);
        entries
    }
}

#[test]
fn attaching_stores_journals_and_reports_the_coding() {
    let f = Fixture::new();
    let out = f.attach(
        "zoom.vtt",
        &["--speaker", "Tom Baker=P1", "--speaker", "Maria Lopez=P2"],
    );
    assert!(
        out.starts_with(&format!(
            "Transcript attached to {ID}: zoom.vtt (WebVTT, 7 segments"
        )),
        "{out}"
    );
    assert!(out.contains("Coded: 5 of 7 segments to 3 themes (2 outside every theme's discussion); notes anchored on it: 1 of 1"), "{out}");
    assert!(
        out.contains("Speakers: Tom Baker = P1, Maria Lopez = P2"),
        "{out}"
    );
    assert!(
        out.contains("Unmapped speakers, exported as the file writes them: Moderator"),
        "{out}"
    );
    let loaded = load_session(&f.dir()).unwrap();
    let reference = loaded
        .session
        .state()
        .transcript
        .clone()
        .expect("journaled");
    assert_eq!(reference.source, "zoom.vtt");
    assert_eq!(reference.segments, 7);
    let stored = f.dir().join(&reference.file);
    let mode = fs::metadata(&stored).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", stored.display());
    assert!(
        loaded.session.state().is_ended(),
        "attaching after the end leaves it ended"
    );

    // Attaching again replaces it; the first file stays.
    let out = f.attach("group.srt", &["--offset", "-1.5"]);
    assert!(
        out.contains("It replaces zoom.vtt (kept in the session folder as"),
        "{out}"
    );
    assert!(out.contains("offset -1.5 s"), "{out}");
    let loaded = load_session(&f.dir()).unwrap();
    let latest = loaded.session.state().transcript.clone().unwrap();
    assert_eq!(
        (latest.source.as_str(), latest.offset_ms),
        ("group.srt", -1500)
    );
    assert!(stored.exists(), "the replaced transcript is kept");
}

#[test]
fn bad_transcripts_say_file_and_line() {
    let f = Fixture::new();
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad_transcripts");
    for (file, line, words) in [
        ("bad_time.vtt", 4, "'00:00:0x.000' is not a cue time"),
        ("ends_early.srt", 2, "ends (00:00:02.000) before it starts"),
        ("no_end.json", 2, "missing field `end`"),
        ("header.txt", 1, "text before the first time stamp"),
        ("backwards.txt", 2, "time order"),
    ] {
        let path = bad.join(file);
        let ran = f.0.run(&["transcript", ID, path.to_str().unwrap()]);
        assert_user_error(&ran);
        let expected = format!("{}:{line}: ", path.display());
        assert!(ran.stderr.starts_with(&expected), "{file}: {}", ran.stderr);
        assert!(ran.stderr.contains(words), "{file}: {}", ran.stderr);
    }
    let vtt = fixture("zoom.vtt");
    for args in [
        vec!["--speaker", "Tom Bakr=P1"],
        vec!["--speaker", "Tom Baker"],
        vec!["--offset", "nan"],
    ] {
        let mut all = vec!["transcript", ID, vtt.to_str().unwrap()];
        all.extend(&args);
        let ran = f.0.run(&all);
        assert_user_error(&ran);
    }
    let ran = f.0.run(&["transcript", ID, "/nonexistent.vtt"]);
    assert_user_error(&ran);
    assert!(
        load_session(&f.dir())
            .unwrap()
            .session
            .state()
            .transcript
            .is_none(),
        "nothing attached"
    );
}

#[test]
fn qdpx_carries_the_coded_transcript() {
    let f = Fixture::new();
    f.attach(
        "zoom.vtt",
        &["--speaker", "Tom Baker=P1", "--speaker", "Maria Lopez=P2"],
    );
    let audio = f.0.path("group-3.m4a");
    fs::write(&audio, b"not really audio, but bytes to carry").unwrap();
    let entries = f.qdpx(&["--audio", audio.to_str().unwrap()]);
    let qde = &entries["project.qde"];
    let els = common::refi_schema::elements(qde);
    let transcript = els
        .iter()
        .find(|e| e.name == "TextSource" && e.get("name") == "Group 3 transcript")
        .expect("a transcript source");
    let guid = transcript.get("guid");
    let text = &entries[&format!("sources/{guid}.txt")];
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "[00:00:20] Moderator: Welcome everyone, thank you for coming."
    );
    assert_eq!(
        lines[4],
        "[00:05:25] P2: My diet changed a lot, and the exercise too."
    );
    let chars: Vec<char> = text.chars().collect();
    let code_names: std::collections::BTreeMap<&str, &str> = els
        .iter()
        .filter(|e| e.name == "Code")
        .map(|e| (e.get("guid"), e.get("name")))
        .collect();
    // Each selection picks out its segment's line and carries its codes.
    let source_at = els
        .iter()
        .position(|e| std::ptr::eq(e, transcript))
        .unwrap();
    let mut seen = Vec::new();
    for (i, sel) in els
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name == "PlainTextSelection" && e.parent == Some(source_at))
    {
        let start: usize = sel.get("startPosition").parse().unwrap();
        let end: usize = sel.get("endPosition").parse().unwrap();
        let picked: String = chars[start..end].iter().collect();
        let codes: Vec<&str> = els
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.name == "CodeRef" && e.parent.is_some_and(|c| els[c].parent == Some(i))
            })
            .map(|(_, e)| code_names[e.get("targetGUID")])
            .collect();
        seen.push((picked, codes));
    }
    let expected: Vec<(String, Vec<&str>)> = vec![
        (lines[1].into(), vec!["Welcome and consent"]),
        (
            lines[2].into(),
            vec![
                "The programme and how they came to it",
                "Which programme and how long ago",
            ],
        ),
        (
            lines[3].into(),
            vec![
                "The programme and how they came to it",
                "Which programme and how long ago",
                "P1",
            ],
        ),
        (
            lines[4].into(),
            vec![
                "Health experiences",
                "Diet and exercise: changes to daily routine",
                "quote",
                "P2",
            ],
        ),
        (lines[5].into(), vec!["P1"]),
        (lines[6].into(), vec!["Health experiences", "P2"]),
    ];
    assert_eq!(seen, expected);
    // The note is an annotation on segment 5, referenced from the transcript.
    let note = els
        .iter()
        .position(|e| e.name == "Note")
        .expect("an annotation");
    let anchored = els
        .iter()
        .find(|e| e.name == "PlainTextSelection" && e.parent == Some(note))
        .unwrap();
    let (s, e): (usize, usize) = (
        anchored.get("startPosition").parse().unwrap(),
        anchored.get("endPosition").parse().unwrap(),
    );
    assert_eq!(chars[s..e].iter().collect::<String>(), lines[4]);
    assert!(els.iter().any(|e| e.name == "NoteRef"
        && e.parent == Some(source_at)
        && e.get("targetGUID") == els[note].get("guid")));
    // P2's case refers to their note and both their segments.
    let case = els
        .iter()
        .position(|e| e.name == "Case" && e.get("name") == "P2")
        .unwrap();
    let refs = els
        .iter()
        .filter(|e| e.name == "SelectionRef" && e.parent == Some(case))
        .count();
    assert_eq!(refs, 3);
    // Variables on the sources; the recording with the theme spans in milliseconds of it.
    assert!(
        qde.contains("<TextValue>DU</TextValue>")
            && qde.contains("<DateValue>2026-11-25</DateValue>")
    );
    let audio_source = els
        .iter()
        .find(|e| e.name == "AudioSource")
        .expect("the recording");
    assert_eq!(audio_source.get("name"), "group-3.m4a");
    let path = audio_source
        .get("path")
        .strip_prefix("internal://")
        .unwrap();
    assert_eq!(
        entries[&format!("sources/{path}")],
        "not really audio, but bytes to carry"
    );
    let spans: Vec<(&str, &str, &str)> = els
        .iter()
        .filter(|e| e.name == "AudioSelection")
        .map(|e| (e.get("name"), e.get("begin"), e.get("end")))
        .collect();
    assert_eq!(
        spans,
        [
            ("Welcome and consent", "30000", "150000"),
            ("The programme and how they came to it", "150000", "270000"),
            ("Health experiences", "270000", "390000"),
            ("Health experiences", "420000", "510000"),
        ]
    );
    for e in els.iter().filter(|e| e.attrs.contains_key("guid")) {
        assert_eq!(
            e.get("guid"),
            e.get("guid").to_uppercase(),
            "upper-case GUIDs"
        );
    }
}

/// The ELAN schema, vendored (tests/data/elan).
fn eaf_schema() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/elan/EAFv3.0.xsd").to_string()
}

#[test]
fn eaf_has_a_tier_each_and_keeps_in_step_with_audacity() {
    let f = Fixture::new();
    f.attach(
        "zoom.vtt",
        &[
            "--speaker",
            "Tom Baker=P1",
            "--speaker",
            "Maria Lopez=P2",
            "--offset",
            "-2",
        ],
    );
    let audio = f.0.path("group 3.wav");
    fs::write(&audio, b"RIFF").unwrap();
    let eaf = f.0.ok(&[
        "export",
        ID,
        "--format",
        "eaf",
        "--audio",
        audio.to_str().unwrap(),
    ]);
    let file = f.0.path("group-3.eaf");
    fs::write(&file, &eaf).unwrap();
    common::xmllint(&eaf_schema(), &file);
    let els = common::refi_schema::elements(&eaf);
    let media = els
        .iter()
        .find(|e| e.name == "MEDIA_DESCRIPTOR")
        .expect("linked to the recording");
    assert!(
        media.get("MEDIA_URL").starts_with("file:///")
            && media.get("MEDIA_URL").ends_with("/group%203.wav")
    );
    assert_eq!(media.get("MIME_TYPE"), "audio/x-wav");
    let slot: std::collections::BTreeMap<&str, i64> = els
        .iter()
        .filter(|e| e.name == "TIME_SLOT")
        .map(|e| (e.get("TIME_SLOT_ID"), e.get("TIME_VALUE").parse().unwrap()))
        .collect();
    // (tier, start ms, end ms, value) of every annotation.
    let mut annotations: Vec<(String, i64, i64, String)> = Vec::new();
    let mut tier = String::new();
    let mut pending: Option<(i64, i64)> = None;
    let mut slots: Option<(i64, i64)> = None;
    let mut reader = quick_xml::Reader::from_str(&eaf);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attr = |k: &str| {
                    e.try_get_attribute(k).unwrap().map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    "TIER" => tier = attr("TIER_ID").unwrap(),
                    "ANNOTATION_VALUE" => pending = pending.or(slots.take()),
                    "ALIGNABLE_ANNOTATION" => {
                        slots = Some((
                            slot[attr("TIME_SLOT_REF1").unwrap().as_str()],
                            slot[attr("TIME_SLOT_REF2").unwrap().as_str()],
                        ))
                    }
                    _ => {}
                }
            }
            quick_xml::events::Event::Text(t) => {
                if let Some((s, e)) = pending.take() {
                    annotations.push((
                        tier.clone(),
                        s,
                        e,
                        t.xml_content(quick_xml::XmlVersion::Explicit1_0)
                            .into_owned(),
                    ));
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    let on = |name: &str| -> Vec<(i64, i64, String)> {
        annotations
            .iter()
            .filter(|a| a.0 == name)
            .map(|a| (a.1, a.2, a.3.clone()))
            .collect()
    };
    // --offset -2: the recorder started 2 s before the mark, so every moment of the session is
    // 2 s later in the recording; the transcript keeps its own times.
    let themes = on("Themes");
    assert_eq!(
        themes[0],
        (32_000, 152_000, "Welcome and consent".to_string())
    );
    assert_eq!(themes.len(), 4, "{themes:?}");
    assert_eq!(
        on("Probes"),
        [
            (
                192_000,
                193_000,
                "The programme and how they came to it: Which programme and how long ago"
                    .to_string()
            ),
            (
                342_000,
                343_000,
                "Health experiences: Diet and exercise: changes to daily routine".to_string()
            )
        ]
    );
    assert_eq!(
        on("Notes"),
        [(
            332_000,
            333_000,
            "P2: diet changed a lot #quote".to_string()
        )]
    );
    assert_eq!(
        on("Transcript P2"),
        [
            (
                325_000,
                335_000,
                "My diet changed a lot, and the exercise too.".to_string()
            ),
            (480_000, 490_000, "I walk every day now.".to_string())
        ]
    );
    assert_eq!(on("Transcript Moderator").len(), 3);
    let participant = els
        .iter()
        .find(|e| e.name == "TIER" && e.get("TIER_ID") == "Transcript P1")
        .unwrap();
    assert_eq!(participant.get("PARTICIPANT"), "P1");
    // The Audacity labels count the same: each theme region is the Themes tier's annotation.
    let labels = f.0.ok(&["export", ID, "--format", "audacity"]);
    let regions: Vec<(i64, i64, String)> = labels
        .lines()
        .map(|l| {
            let parts: Vec<&str> = l.split('\t').collect();
            let ms = |s: &str| (s.parse::<f64>().unwrap() * 1000.0).round() as i64;
            (ms(parts[0]), ms(parts[1]), parts[2].to_string())
        })
        .filter(|(s, e, _)| e > s)
        .collect();
    assert_eq!(regions, themes);
    let note_points: Vec<i64> = labels
        .lines()
        .filter_map(|l| {
            let parts: Vec<&str> = l.split('\t').collect();
            (parts[0] == parts[1])
                .then(|| (parts[0].parse::<f64>().unwrap() * 1000.0).round() as i64)
        })
        .collect();
    assert_eq!(note_points, [332_000]);
}

#[test]
fn eaf_without_a_transcript_or_recording_still_validates() {
    let f = Fixture::new();
    let eaf = f.0.ok(&["export", ID, "--format", "eaf"]);
    let file = f.0.path("plain.eaf");
    fs::write(&file, &eaf).unwrap();
    common::xmllint(&eaf_schema(), &file);
    assert!(!eaf.contains("MEDIA_DESCRIPTOR") && !eaf.contains("Transcript"));
    let ran = f.0.run(&[
        "export",
        ID,
        "--format",
        "csv",
        "--audio",
        "/nonexistent.wav",
    ]);
    assert_user_error(&ran);
}

#[test]
fn the_reports_check_the_ticks_against_the_transcript() {
    let home = DataHome::empty();
    let mut s = create(&home.data(), ID, GUIDE, at(0), meta());
    let mut all = events();
    // The consent probe of the opening is ticked at 0:35, though the transcript never has it.
    all.insert(
        2,
        (
            MARK + 35,
            Event::ProbeToggled {
                theme: "opening".into(),
                probe: 0,
                checked: true,
            },
        ),
    );
    for (seconds, event) in all {
        add(&mut s, at(seconds), event);
    }
    drop(s);
    // Pain management is asked in the health discussion but never ticked.
    let vtt = home.path("asked.vtt");
    fs::write(
        &vtt,
        "WEBVTT\n\n00:00:35.000 --> 00:00:45.000\nModerator: Shall we start with introductions?\n\n00:05:00.000 --> 00:05:10.000\nModerator: And the pain, how do you manage it? Any coping strategies?\n\n00:05:25.000 --> 00:05:35.000\nMaria Lopez: My diet changed a lot, and the exercise too.\n",
    )
    .unwrap();
    home.ok(&["transcript", ID, vtt.to_str().unwrap()]);
    let md = home.ok(&["export", ID, "--format", "md"]);
    let section = md
        .split("## Checked against the transcript\n\n")
        .nth(1)
        .expect("a transcript section")
        .split("\n\n")
        .next()
        .unwrap();
    assert_eq!(
        section,
        "Transcript asked.vtt (3 segments); themes checked: 2 of 8.\n\
         - Asked but not ticked: Health experiences: Pain management and coping strategies (heard at 00:05:00)\n\
         - Ticked but not heard in the transcript: Welcome and consent: Consent to audio recording from every participant"
    );
    let review = home.ok(&["review", "--format", "md"]);
    assert!(
        review.contains(
            "## Checked against the transcripts\n\n### S1 Group 3\n\nTranscript asked.vtt"
        ),
        "{review}"
    );
    assert!(
        review.contains("- Asked but not ticked: Health experiences: Pain management"),
        "{review}"
    );
}

#[test]
fn a_guide_exports_as_a_taguette_codebook() {
    let home = DataHome::empty();
    for name in [
        GUIDE,
        "cmp-patient-telephone-interview",
        "cmp-staff-interprofessional",
    ] {
        let csv_text = home.ok(&["guide", "export", name, "--format", "csv"]);
        let guide = builtin(name).unwrap().load().unwrap();
        let mut reader = ::csv::Reader::from_reader(csv_text.as_bytes());
        // Taguette looks for a `tag` (or `name`, or `path`: exactly one of them) and a
        // `description` column, lower-cased.
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_lowercase)
            .collect();
        assert_eq!(header, ["tag", "description"]);
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let probes: usize = guide.themes.iter().map(|t| t.probes.len()).sum();
        assert_eq!(rows.len(), guide.themes.len() + probes, "{name}");
        let mut seen = std::collections::BTreeSet::new();
        for row in &rows {
            assert_eq!(row.len(), 2);
            assert!(!row[0].trim().is_empty());
            assert!(
                seen.insert(row[0].to_lowercase()),
                "{name}: {} twice",
                &row[0]
            );
        }
        assert_eq!(&rows[0][0], guide.themes[0].title.as_str());
        assert_eq!(
            &rows[1][0],
            format!(
                "{} / {}",
                guide.themes[0].title, guide.themes[0].probes[0].text
            )
            .as_str()
        );
    }
}

#[test]
fn a_missing_or_changed_transcript_file_is_reported_and_the_export_goes_on() {
    let f = Fixture::new();
    f.attach("zoom.vtt", &[]);
    let reference = load_session(&f.dir())
        .unwrap()
        .session
        .state()
        .transcript
        .clone()
        .unwrap();
    let stored = f.dir().join(&reference.file);
    let mut bytes = fs::read(&stored).unwrap();
    bytes[20] ^= 1;
    fs::write(&stored, &bytes).unwrap();
    let ran = f.0.run(&["export", ID, "--format", "eaf"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("transcript left out") && ran.stderr.contains("changed or damaged"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stdout.contains("Transcript "), "no transcript tiers");
    fs::remove_file(&stored).unwrap();
    let ran = f.0.run(&["export", ID, "--format", "md"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(ran.stderr.contains("transcript left out"), "{}", ran.stderr);
}

#[test]
fn a_bundle_carries_the_transcript_to_another_data_folder() {
    let f = Fixture::new();
    f.attach("zoom.vtt", &["--speaker", "Maria Lopez=P2"]);
    let bundle = f.0.path("group-3.tgb");
    f.0.ok(&[
        "export",
        ID,
        "--format",
        "bundle",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    let lead = DataHome::empty();
    lead.ok(&["import", bundle.to_str().unwrap()]);
    let eaf = lead.ok(&["export", ID, "--format", "eaf"]);
    assert!(eaf.contains("TIER_ID=\"Transcript P2\""), "{eaf}");
}
