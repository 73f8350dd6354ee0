//! Properties of the session fold and the journal, over arbitrary sessions against a built-in
//! guide: what the live screen builds record by record is what a replay of the journal builds,
//! and no cut or damage of the journal's bytes can make a replay lose or invent a saved record.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use proptest::sample::Index;
use topicguide::export::{ExportInput, json, markdown};
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta, WarningKind};
use topicguide::model::guide::Guide;
use topicguide::model::session::{FoldError, Session, SessionState};
use topicguide::storage::journal::{Damage, decode_line, encode_line, parse_journal};
use topicguide::storage::session_store::SessionLiveness;

const GUIDE: &str = "cmp-patient-focus-group";
/// A theme index past the guide's themes stands for an id the guide does not have.
const UNKNOWN_THEME: &str = "no-such-theme";

fn guide() -> Guide {
    builtin(GUIDE)
        .expect("built-in guide")
        .load()
        .expect("valid")
}

fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).unwrap()
}

/// One thing the note-taker (or the program) does, before it is given a time and a number.
#[derive(Debug, Clone)]
enum Act {
    Discussing(usize),
    Covered(usize),
    Uncovered(usize),
    Skipped(usize, Option<String>),
    Unskipped(usize),
    Probe(usize, usize, bool),
    NoteAdded {
        theme: Option<usize>,
        text: String,
        /// Seconds between pressing `n` and saving.
        typing: u16,
    },
    NoteEdited(Index, String),
    NoteDeleted(Index),
    Paused,
    Resumed,
    Recording,
    Arrived(u8),
    Left(u8),
    Warning(WarningKind, Vec<usize>),
    /// Undo of an earlier undoable record, picked by this index.
    Undo(Index),
    Reopened,
    Ended,
}

fn note_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "@P3 I changed my diet completely #quote",
            "@p1 the group helped #support #quote",
            "long silence, P2 shakes head #nonverbal",
            "ask about the waiting list #followup",
            "@P12",
            "@ nobody in particular",
            "#nt they seem guarded about work",
            "Ünïcødé ‘quotes’ and émoji 🙂 #tag-with-dash",
            "",
        ])
        .prop_map(String::from),
        1 => ".{0,40}",
    ]
}

fn act() -> impl Strategy<Value = Act> {
    let theme = 0usize..9; // eight themes, and one unknown id
    prop_oneof![
        6 => theme.clone().prop_map(Act::Discussing),
        4 => theme.clone().prop_map(Act::Covered),
        1 => theme.clone().prop_map(Act::Uncovered),
        2 => (theme.clone(), prop::option::of("[a-z ]{0,12}")).prop_map(|(t, r)| Act::Skipped(t, r)),
        1 => theme.clone().prop_map(Act::Unskipped),
        3 => (theme.clone(), 0usize..7, any::<bool>()).prop_map(|(t, p, c)| Act::Probe(t, p, c)),
        5 => (prop::option::of(theme.clone()), note_text(), 0u16..120)
            .prop_map(|(theme, text, typing)| Act::NoteAdded { theme, text, typing }),
        2 => (any::<Index>(), note_text()).prop_map(|(i, t)| Act::NoteEdited(i, t)),
        1 => any::<Index>().prop_map(Act::NoteDeleted),
        2 => Just(Act::Paused),
        2 => Just(Act::Resumed),
        1 => Just(Act::Recording),
        1 => (1u8..8).prop_map(Act::Arrived),
        1 => (1u8..8).prop_map(Act::Left),
        1 => (
            prop::sample::select(vec![
                WarningKind::Unaddressed,
                WarningKind::Behind,
                WarningKind::Overtime,
            ]),
            prop::collection::vec(theme, 0..4),
        )
            .prop_map(|(k, t)| Act::Warning(k, t)),
        3 => any::<Index>().prop_map(Act::Undo),
        1 => Just(Act::Reopened),
        1 => Just(Act::Ended),
    ]
}

fn theme_id(guide: &Guide, index: usize) -> String {
    guide
        .themes
        .get(index)
        .map_or_else(|| UNKNOWN_THEME.to_string(), |t| t.id.clone())
}

fn meta(planned_minutes: u32) -> SessionMeta {
    SessionMeta {
        site: Some("CR".into()),
        participants: (1..=4).map(|n| format!("P{n}")).collect(),
        planned_minutes,
        consent: true,
        bell: false,
        guide_source: GUIDE.into(),
        app_version: "test".into(),
        ..SessionMeta::for_guide(&guide(), "Property group")
    }
}

/// Gives the acts numbers and increasing times (gaps in milliseconds, 0 allowed).
fn records_from(guide: &Guide, planned: u32, acts: &[(Act, u32)]) -> Vec<Record> {
    let mut at = start_time();
    let mut records = vec![Record {
        seq: 1,
        at,
        event: Event::Started(meta(planned)),
    }];
    let mut note_ids: Vec<String> = Vec::new();
    for (act, gap_ms) in acts {
        at += Duration::milliseconds(i64::from(*gap_ms));
        let theme = |i: &usize| theme_id(guide, *i);
        let event = match act {
            Act::Discussing(t) => Event::Discussing { theme: theme(t) },
            Act::Covered(t) => Event::Covered { theme: theme(t) },
            Act::Uncovered(t) => Event::Uncovered { theme: theme(t) },
            Act::Skipped(t, reason) => Event::Skipped {
                theme: theme(t),
                reason: reason.clone(),
            },
            Act::Unskipped(t) => Event::Unskipped { theme: theme(t) },
            Act::Probe(t, probe, checked) => Event::ProbeToggled {
                theme: theme(t),
                probe: *probe,
                checked: *checked,
            },
            Act::NoteAdded {
                theme: t,
                text,
                typing,
            } => {
                let id = format!("n{}", note_ids.len() + 1);
                note_ids.push(id.clone());
                let noted_at = (at - Duration::seconds(i64::from(*typing))).max(start_time());
                Event::NoteAdded {
                    id,
                    noted_at,
                    theme: t.as_ref().map(theme),
                    text: text.clone(),
                }
            }
            Act::NoteEdited(i, text) => Event::NoteEdited {
                id: pick_note(&note_ids, i),
                text: text.clone(),
            },
            Act::NoteDeleted(i) => Event::NoteDeleted {
                id: pick_note(&note_ids, i),
            },
            Act::Paused => Event::Paused,
            Act::Resumed => Event::Resumed,
            Act::Recording => Event::RecordingStarted,
            Act::Arrived(p) => Event::ParticipantArrived {
                participant: format!("P{p}"),
            },
            Act::Left(p) => Event::ParticipantLeft {
                participant: format!("P{p}"),
            },
            Act::Warning(kind, themes) => Event::WarningRaised {
                kind: *kind,
                themes: themes.iter().map(theme).collect(),
                threshold_minutes: (*kind == WarningKind::Unaddressed).then_some(10),
                behind_minutes: (*kind == WarningKind::Behind).then_some(3),
            },
            Act::Undo(i) => {
                let undoable: Vec<u64> = records
                    .iter()
                    .filter(|r| r.event.is_undoable())
                    .map(|r| r.seq)
                    .collect();
                if undoable.is_empty() {
                    continue;
                }
                Event::Undone {
                    target: *i.get(&undoable),
                }
            }
            Act::Reopened => Event::Reopened,
            Act::Ended => Event::Ended,
        };
        records.push(Record {
            seq: records.len() as u64 + 1,
            at,
            event,
        });
    }
    records
}

/// An existing note's id, or (with none yet) one that names no note.
fn pick_note(ids: &[String], i: &Index) -> String {
    if ids.is_empty() {
        "n404".to_string()
    } else {
        i.get(ids).clone()
    }
}

fn session_records() -> impl Strategy<Value = Vec<Record>> {
    (
        1u32..=90,
        // Gaps in milliseconds: often none at all (two keys in the same instant), often short.
        prop::collection::vec(
            (act(), prop_oneof![Just(0u32), 0u32..2_000, 0u32..240_000]),
            0..60,
        ),
    )
        .prop_map(|(planned, acts)| records_from(&guide(), planned, &acts))
}

fn journal_bytes(records: &[Record]) -> (Vec<u8>, Vec<usize>) {
    let mut bytes = Vec::new();
    // Where each line starts; one more entry for the end.
    let mut starts = vec![0];
    for r in records {
        bytes.extend_from_slice(encode_line(r).expect("encodes").as_bytes());
        starts.push(bytes.len());
    }
    (bytes, starts)
}

/// Records that are whole and checksummed but hold values no session would: times at the ends
/// of chrono's range, the largest numbers, unknown themes, events in an odd order.
const NONSENSE_RECORDS: &[&str] = &[
    r#"{"seq":1,"at":"2026-11-23T14:05:00Z","event":"paused"}"#,
    r#"{"seq":2,"at":"+262142-12-31T23:59:59Z","event":"resumed"}"#,
    r#"{"seq":2,"at":"-262143-01-01T00:00:00Z","event":{"discussing":{"theme":"health"}}}"#,
    r#"{"seq":1,"at":"1969-12-31T23:59:59Z","event":{"discussing":{"theme":"no-such-theme"}}}"#,
    r#"{"seq":18446744073709551615,"at":"2026-11-23T14:05:00Z","event":"ended"}"#,
    r#"{"seq":2,"at":"2026-11-23T14:05:00Z","event":{"probe_toggled":{"theme":"health","probe":18446744073709551615,"checked":true}}}"#,
    r#"{"seq":2,"at":"2026-11-23T14:05:00Z","event":{"undone":{"target":18446744073709551615}}}"#,
    r#"{"seq":3,"at":"2026-11-23T14:05:00Z","event":{"note_added":{"id":"n1","noted_at":"-262143-01-01T00:00:00Z","text":"@P99999999999999999999 #"}}}"#,
    r#"{"seq":3,"at":"2026-11-23T14:05:00Z","event":{"note_edited":{"id":"n404","text":""}}}"#,
    r#"{"seq":4,"at":"2026-11-23T14:05:00Z","event":{"warning_raised":{"kind":"behind","themes":["health","health"],"behind_minutes":4294967295}}}"#,
    r#"{"seq":1,"at":"2026-11-23T14:05:00Z","event":{"started":{"label":"","kind":"interview","mode":"telephone","planned_minutes":4294967295,"guide_title":"","guide_source":"","app_version":"","warn_before_end_minutes":4294967295,"final_warning_minutes":0}}}"#,
    r#"{"seq":5,"at":"2026-11-23T14:05:00Z","event":"recording_started"}"#,
    r#"{"seq":6,"at":"2026-11-23T14:05:00Z","event":"reopened"}"#,
];

/// `payload` with its sequence number replaced by `seq`, if it has one.
fn renumbered(payload: &str, seq: u64) -> String {
    match serde_json::from_str::<serde_json::Value>(payload) {
        Ok(serde_json::Value::Object(mut map)) if map.contains_key("seq") => {
            map.insert("seq".into(), seq.into());
            serde_json::Value::Object(map).to_string()
        }
        _ => payload.to_string(),
    }
}

#[test]
fn nonsense_payloads_are_records() {
    // The nonsense must be in the shape records have now, or the property above would only
    // ever stress the reader's error path.
    for payload in NONSENSE_RECORDS {
        let line = format!(
            "{{\"crc\":\"{:08x}\",\"rec\":{payload}}}",
            crc32fast::hash(payload.as_bytes())
        );
        if let Err(why) = decode_line(line.as_bytes()) {
            panic!("{payload} does not read as a record: {why}");
        }
    }
}

fn fold(guide: &Guide, records: &[Record]) -> Result<SessionState, FoldError> {
    SessionState::from_records(guide, records)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// (a) The live screen pushes records one by one; `list` and `export` fold the whole
    /// journal. After every record the two agree.
    #[test]
    fn pushing_one_by_one_equals_folding_all(records in session_records()) {
        let guide = guide();
        let mut session = Session::from_records(guide.clone(), records[..1].to_vec()).unwrap();
        for (n, record) in records.iter().enumerate().skip(1) {
            session.push(record.clone());
            let full = fold(&guide, &records[..=n]).unwrap();
            prop_assert_eq!(session.state(), &full, "after record {}: {:?}", n + 1, record);
        }
        prop_assert_eq!(session.records(), &records[..]);
        prop_assert_eq!(session.next_seq(), records.len() as u64 + 1);
    }

    /// (b) A journal cut at any byte reads as the records of its whole lines: a cut inside a line
    /// is a torn tail holding exactly the cut line's bytes; a cut that only loses the final
    /// newline keeps the record and says the newline is missing.
    #[test]
    fn a_journal_cut_anywhere_reads_as_its_whole_lines(
        records in session_records(),
        cuts in prop::collection::vec(any::<Index>(), 1..24),
    ) {
        let guide = guide();
        let (bytes, starts) = journal_bytes(&records);
        // Every line boundary and the bytes either side of it, and random cuts.
        let mut offsets: Vec<usize> = starts
            .iter()
            .flat_map(|s| [s.saturating_sub(1), *s, s + 1])
            .filter(|o| *o <= bytes.len())
            .collect();
        offsets.extend(cuts.iter().map(|i| i.index(bytes.len() + 1)));
        for cut in offsets {
            let contents = parse_journal(&bytes[..cut])
                .map_err(|d| TestCaseError::fail(format!("cut at {cut}: {d:?}")))?;
            // Lines wholly before the cut, newline included.
            let whole = starts.iter().skip(1).filter(|end| **end <= cut).count();
            let line_start = starts[whole];
            let drops_only_newline = cut + 1 == starts.get(whole + 1).copied().unwrap_or(0);
            let kept = if drops_only_newline { whole + 1 } else { whole };
            prop_assert_eq!(&contents.records[..], &records[..kept], "cut at {}", cut);
            prop_assert_eq!(contents.missing_final_newline, drops_only_newline, "cut at {}", cut);
            match &contents.torn_tail {
                Some(tail) => {
                    prop_assert!(cut > line_start && !drops_only_newline, "torn tail at a line end, cut {}", cut);
                    prop_assert_eq!(tail.offset, line_start as u64);
                    prop_assert_eq!(&tail.bytes[..], &bytes[line_start..cut]);
                }
                None => prop_assert!(cut == line_start || drops_only_newline, "mid-line cut {} not reported", cut),
            }
            prop_assert_eq!(fold(&guide, &contents.records), fold(&guide, &records[..kept]));
        }
    }

    /// (d) Any bytes at all: an answer, never a panic.
    #[test]
    fn parse_journal_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_journal(&bytes);
        for line in bytes.split(|b| *b == b'\n') {
            let _ = decode_line(line);
        }
    }

    /// (d) Bytes spliced into a real journal: still an answer, and what it answers is a prefix
    /// of the real records.
    #[test]
    fn parse_journal_never_panics_on_spliced_journals(
        records in session_records(),
        at in any::<Index>(),
        cut in 0usize..40,
        junk in prop::collection::vec(any::<u8>(), 0..40),
    ) {
        let (bytes, _) = journal_bytes(&records);
        let start = at.index(bytes.len() + 1);
        let end = (start + cut).min(bytes.len());
        let mut spliced = bytes[..start].to_vec();
        spliced.extend_from_slice(&junk);
        spliced.extend_from_slice(&bytes[end..]);
        if let Ok(contents) = parse_journal(&spliced) {
            let n = contents.records.len();
            // Any record that reads back is one that was written, in its place: the junk cannot
            // forge a record, and sequence numbers keep the order.
            prop_assert!(n <= records.len());
            prop_assert_eq!(&contents.records[..], &records[..n]);
        }
    }

    /// (d) Lines whose checksum is right but whose record is anything: the reader and the fold
    /// answer, never panic. The well-formed payloads are in the journal's current shape (the
    /// event nested under `"event"`), so they reach the fold; `nonsense_payloads_are_records`
    /// proves that they do.
    #[test]
    fn checksummed_nonsense_never_panics(
        payloads in prop::collection::vec(
            prop_oneof![
                1 => ".{0,60}".prop_map(|s| s),
                4 => prop::sample::select(NONSENSE_RECORDS).prop_map(str::to_string),
            ],
            0..8,
        ),
        renumber in any::<bool>(),
    ) {
        let mut bytes = Vec::new();
        for (i, p) in payloads.iter().enumerate() {
            // Renumbered, the records pass the sequence check and the fold sees every one.
            let p = if renumber { renumbered(p, i as u64 + 1) } else { p.clone() };
            bytes.extend_from_slice(
                format!("{{\"crc\":\"{:08x}\",\"rec\":{p}}}\n", crc32fast::hash(p.as_bytes())).as_bytes(),
            );
        }
        if let Ok(contents) = parse_journal(&bytes)
            && let Ok(state) = fold(&guide(), &contents.records)
        {
            let now = contents.records.last().map_or_else(start_time, |r| r.at);
            let _ = state.elapsed(now);
            for progress in &state.themes {
                let _ = progress.discussed(state.clock_at(now));
            }
        }
    }

    /// (e) The fold never panics, even with undos of any number, and no theme is discussed for
    /// longer than the session's clock has run; nor all of them together.
    #[test]
    fn time_discussed_never_exceeds_elapsed_time(
        records in session_records(),
        wild_undos in prop::collection::vec((any::<Index>(), any::<u64>()), 0..4),
        later in 0i64..7200,
    ) {
        let guide = guide();
        let mut records = records;
        // Undos the program would never write: of anything, even of records still to come.
        for (i, target) in wild_undos {
            let position = 1 + i.index(records.len());
            records.insert(position, Record {
                seq: 0,
                at: records[position - 1].at,
                event: Event::Undone { target: target % (records.len() as u64 + 3) },
            });
        }
        for (n, r) in records.iter_mut().enumerate() {
            r.seq = n as u64 + 1;
        }
        let state = fold(&guide, &records).unwrap();
        let last = records.last().unwrap().at;
        for now in [last, last + Duration::seconds(later)] {
            let elapsed = state.elapsed(now);
            prop_assert!(elapsed >= Duration::zero());
            let mut total = Duration::zero();
            for (theme, progress) in guide.themes.iter().zip(&state.themes) {
                let d = progress.discussed(state.clock_at(now));
                prop_assert!(d >= Duration::zero());
                prop_assert!(d <= elapsed, "{} discussed {} of {} elapsed", theme.id, d, elapsed);
                total += d;
            }
            prop_assert!(total <= elapsed, "themes discussed {} in all, of {} elapsed", total, elapsed);
            prop_assert!(elapsed <= state.clock_at(now) - state.started_at);
        }
        // The exports of whatever the fold gives: a report, and JSON with every note and theme.
        let session = Session::from_records(guide.clone(), records).unwrap();
        let liveness = if state.is_ended() { SessionLiveness::Ended } else { SessionLiveness::Interrupted };
        let input = ExportInput { id: "prop", session: &session, liveness, as_of: state.clock_at(last) };
        let report = markdown::render(&input);
        prop_assert!(report.starts_with("# Property group — "));
        let text = json::render(&input);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(value["notes"].as_array().map(Vec::len), Some(state.notes.len()));
        prop_assert_eq!(value["themes"].as_array().map(Vec::len), Some(guide.themes.len()));
        for theme in value["themes"].as_array().unwrap() {
            prop_assert!(theme["seconds_discussed"].as_i64().unwrap() >= 0);
        }
    }
}

proptest! {
    // Each case tries every byte of a line four ways: fewer cases go as far.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// (c) Changing any one byte of a line that has another after it is damage at that line:
    /// never a panic, never a quiet read with fewer records. Every byte of the line, the newline
    /// included, is tried with a random change and with the ones most likely to slip through:
    /// the letter case of a checksum digit (0x20), a digit made a sign (0x1b), the lowest bit.
    #[test]
    fn a_changed_byte_before_the_last_line_is_damage_at_its_line(
        records in session_records(),
        line in any::<Index>(),
        mask in 1u8..=255,
    ) {
        prop_assume!(records.len() >= 2);
        let (bytes, starts) = journal_bytes(&records);
        let l = line.index(records.len() - 1);
        for offset in starts[l]..starts[l + 1] {
            for mask in [mask, 0x20, 0x1b, 0x01] {
                let mut damaged = bytes.clone();
                damaged[offset] ^= mask;
                prop_assert_eq!(
                    parse_journal(&damaged).map(|c| c.records.len()).map_err(|d| d.line),
                    Err(l + 1),
                    "byte {} of line {} ({:?}) xor {:#04x}",
                    offset - starts[l], l + 1, char::from(bytes[offset]), mask
                );
            }
        }
    }
}

#[test]
fn damage_names_the_line_in_a_real_journal() {
    // A hand-made case of (c), readable on its own: the crc of line 2 of 3 is changed.
    let guide = guide();
    let acts = [(Act::Paused, 1000), (Act::Resumed, 1000)];
    let records = records_from(&guide, 60, &acts);
    let (mut bytes, starts) = journal_bytes(&records);
    let crc_digit = starts[1] + "{\"crc\":\"".len();
    bytes[crc_digit] = if bytes[crc_digit] == b'0' { b'1' } else { b'0' };
    match parse_journal(&bytes) {
        Err(Damage { line, reason }) => {
            assert_eq!(line, 2);
            assert!(reason.contains("checksum"), "{reason}");
        }
        Ok(c) => panic!("read {} records from a damaged journal", c.records.len()),
    }
}

#[test]
fn a_lost_line_break_before_the_last_line_is_damage_not_a_torn_tail() {
    // The newline of the last-but-one line changed: the last two records run together. Reading
    // that as a torn tail would cut a record that was saved.
    let guide = guide();
    let acts = [
        (Act::Paused, 1000),
        (Act::Resumed, 1000),
        (Act::Recording, 1000),
    ];
    let records = records_from(&guide, 60, &acts);
    let (bytes, starts) = journal_bytes(&records);
    for replacement in [b' ', b'x', b'\r', b'}'] {
        let mut damaged = bytes.clone();
        damaged[starts[3] - 1] = replacement;
        assert_eq!(
            parse_journal(&damaged)
                .map(|c| c.records.len())
                .map_err(|d| d.line),
            Err(3),
            "newline of line 3 made {:?}",
            char::from(replacement)
        );
    }
}
