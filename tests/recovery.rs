//! Recovery at the file and session-folder level, at every byte: a journal written by the real
//! writer and cut at every offset of its last record is reopened with the torn bytes kept aside
//! byte for byte, the journal ending at its last whole record and the state that of the whole
//! records; a journal with any one bit of a middle record flipped is reported as damaged at that
//! line by every reader, left byte for byte as it was, and nothing after it is dropped.
//!
//! (tests/replay_props.rs checks the same at the level of `parse_journal` on bytes; this is what
//! the session store does with the files.)

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::fs;
use std::path::{Path, PathBuf};
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta, WarningKind};
use topicguide::model::session::{Session, SessionState};
use topicguide::storage::journal::{JOURNAL_FILE, JournalError, encode_line, read_journal};
use topicguide::storage::session_store::{
    GUIDE_FILE, StoreError, create_session, load_session, reopen_session,
};

const GUIDE: &str = "cmp-patient-focus-group";

fn t(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap() + Duration::seconds(seconds)
}

fn started() -> Record {
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    Record {
        seq: 1,
        at: t(0),
        event: Event::Started(SessionMeta {
            site: Some("CR".into()),
            participants: (1..=5).map(|n| format!("P{n}")).collect(),
            planned_minutes: 60,
            consent: true,
            guide_source: GUIDE.into(),
            app_version: "test".into(),
            ..SessionMeta::for_guide(&guide, "Recovery")
        }),
    }
}

/// The events after the start, the last a long note in several scripts: a cut can fall inside
/// any of its multi-byte characters.
fn events() -> Vec<Event> {
    vec![
        Event::Discussing {
            theme: "opening".into(),
        },
        Event::RecordingStarted,
        Event::NoteAdded {
            id: "n1".into(),
            noted_at: t(80),
            theme: Some("opening".into()),
            text: "@P1 happy to be recorded #quote".into(),
        },
        Event::ProbeToggled {
            theme: "opening".into(),
            probe: 0,
            checked: true,
        },
        Event::Covered {
            theme: "opening".into(),
        },
        Event::WarningRaised {
            kind: WarningKind::Behind,
            themes: vec!["health".into(), "access".into()],
            threshold_minutes: None,
            behind_minutes: Some(12),
        },
        Event::Paused,
        Event::Resumed,
        Event::NoteAdded {
            id: "n2".into(),
            noted_at: t(400),
            theme: Some("opening".into()),
            text:
                "@P3 混合 café e\u{301} עברית 👩\u{200d}👩\u{200d}👧 \"quoted\" \\ back #followup"
                    .into(),
        },
    ]
}

/// A session written through the real writer in `data`: its folder and the journal's bytes.
fn written_session(data: &Path) -> (PathBuf, Vec<u8>, Vec<Record>) {
    let source = builtin(GUIDE).expect("built in");
    let guide = source.load().expect("valid");
    let session = Session::from_records(guide, vec![started()]).expect("a session");
    let mut open =
        create_session(data, "20260302-1000-recovery", &source.text, session).expect("created");
    for (i, event) in events().into_iter().enumerate() {
        let record = Record {
            seq: open.session.next_seq(),
            at: t(60 + 60 * i as i64),
            event,
        };
        open.writer.append(&record).expect("appended");
        open.session.push(record);
    }
    let records = open.session.records().to_vec();
    let dir = open.dir.clone();
    drop(open);
    let bytes = fs::read(dir.join(JOURNAL_FILE)).expect("the journal");
    (dir, bytes, records)
}

/// Where each line starts, and one more entry for the end.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    starts
}

/// A fresh session folder in `parent` holding the guide snapshot and `journal`.
fn folder_with(parent: &Path, source_dir: &Path, name: &str, journal: &[u8]) -> PathBuf {
    let dir = parent.join(name);
    fs::create_dir_all(&dir).expect("a folder");
    fs::copy(source_dir.join(GUIDE_FILE), dir.join(GUIDE_FILE)).expect("the guide");
    fs::write(dir.join(JOURNAL_FILE), journal).expect("the journal");
    dir
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("a folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_journal_cut_at_every_byte_of_its_last_record_is_recovered_with_the_torn_bytes_kept() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let (source_dir, bytes, records) = written_session(&tmp.path().join("data"));
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    let starts = line_starts(&bytes);
    let last_start = starts[starts.len() - 2];
    assert_eq!(*starts.last().unwrap(), bytes.len());
    assert!(bytes.len() - last_start > 200, "a long last record");
    let whole = &records[..records.len() - 1];
    let now = t(7200);

    for cut in last_start..=bytes.len() {
        let dir = folder_with(
            tmp.path(),
            &source_dir,
            &format!("cut-{cut}"),
            &bytes[..cut],
        );
        let journal = dir.join(JOURNAL_FILE);
        // Only the final newline lost: the record is whole and kept.
        let newline_only = cut == bytes.len() - 1;
        let intact = cut == last_start || cut == bytes.len() || newline_only;
        let kept: &[Record] = if cut == last_start {
            whole
        } else if intact {
            &records
        } else {
            whole
        };

        // Reading (list, export) leaves the file alone and reads the whole records.
        let loaded = load_session(&dir).unwrap_or_else(|e| panic!("cut {cut}: {e}"));
        assert_eq!(loaded.session.records(), kept, "cut {cut}");
        match &loaded.torn_tail {
            Some(tail) => {
                assert!(!intact, "cut {cut}: no torn tail expected");
                assert_eq!(tail.offset, last_start as u64, "cut {cut}");
                assert_eq!(tail.bytes, &bytes[last_start..cut], "cut {cut}");
            }
            None => assert!(intact, "cut {cut}: the torn tail is seen"),
        }
        assert_eq!(
            fs::read(&journal).unwrap(),
            &bytes[..cut],
            "cut {cut}: read only"
        );

        // Reopening keeps the torn bytes aside, byte for byte, and cuts them off.
        let open = reopen_session(&dir, now).unwrap_or_else(|e| panic!("cut {cut}: {e}"));
        let reopened = Record {
            seq: kept.len() as u64 + 1,
            at: now,
            event: Event::Reopened,
        };
        let mut expected_records = kept.to_vec();
        expected_records.push(reopened.clone());
        assert_eq!(open.session.records(), &expected_records[..], "cut {cut}");
        assert_eq!(
            open.session.state(),
            &SessionState::from_records(&guide, &expected_records).unwrap(),
            "cut {cut}: the state is the fold of the whole records"
        );
        let mut expected_journal = match (cut == last_start, intact) {
            (true, _) | (false, false) => bytes[..last_start].to_vec(),
            // Whole, or only the newline lost: it is written again.
            (false, true) => bytes.clone(),
        };
        expected_journal.extend_from_slice(encode_line(&reopened).unwrap().as_bytes());
        assert_eq!(
            fs::read(&journal).unwrap(),
            expected_journal,
            "cut {cut}: the journal ends at the last whole record, then the reopening"
        );
        let asides: Vec<String> = names(&dir)
            .into_iter()
            .filter(|n| n.starts_with("journal.jsonl.torn-"))
            .collect();
        match &open.torn_kept_at {
            Some((aside, tail)) => {
                assert!(!intact, "cut {cut}");
                assert_eq!(aside.parent(), Some(dir.as_path()));
                assert_eq!(
                    fs::read(aside).unwrap(),
                    &bytes[last_start..cut],
                    "cut {cut}: the torn bytes, byte for byte"
                );
                assert_eq!(tail.bytes, &bytes[last_start..cut]);
                assert_eq!(asides.len(), 1, "cut {cut}: {asides:?}");
            }
            None => {
                assert!(intact, "cut {cut}: the torn bytes are kept");
                assert!(asides.is_empty(), "cut {cut}: {asides:?}");
            }
        }
        drop(open);

        // A second reopening finds a clean journal: nothing more is cut or kept aside.
        let before = fs::read(&journal).unwrap();
        let again = reopen_session(&dir, now + Duration::seconds(1)).expect("reopened again");
        assert!(again.torn_kept_at.is_none(), "cut {cut}");
        assert!(fs::read(&journal).unwrap().starts_with(&before));
        assert_eq!(again.session.records().len(), expected_records.len() + 1);
        drop(again);
        fs::remove_dir_all(&dir).expect("cleaned up");
    }
}

#[test]
fn a_crash_while_recovering_a_torn_tail_is_recovered_again_without_a_second_copy() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let (source_dir, bytes, records) = written_session(&tmp.path().join("data"));
    let starts = line_starts(&bytes);
    let last_start = starts[starts.len() - 2];
    let cut = last_start + 57;
    let dir = folder_with(tmp.path(), &source_dir, "twice", &bytes[..cut]);

    // The first recovery got as far as keeping the torn bytes aside, then the program died
    // before cutting them off: the copy is there, the journal still torn.
    let open = reopen_session(&dir, t(7200)).expect("reopened");
    let (aside, _) = open.torn_kept_at.clone().expect("kept aside");
    drop(open);
    fs::write(dir.join(JOURNAL_FILE), &bytes[..cut]).expect("torn again");

    let open = reopen_session(&dir, t(7300)).expect("reopened once more");
    let (again, _) = open.torn_kept_at.clone().expect("recognised as torn");
    assert_eq!(again, aside, "the same copy, not a second one");
    assert_eq!(fs::read(&aside).unwrap(), &bytes[last_start..cut]);
    assert_eq!(
        names(&dir)
            .iter()
            .filter(|n| n.starts_with("journal.jsonl.torn-"))
            .count(),
        1
    );
    assert_eq!(
        &open.session.records()[..records.len() - 1],
        &records[..records.len() - 1]
    );
}

/// Flips `bit` of byte `at` in a copy of `bytes`.
fn flipped(bytes: &[u8], at: usize, bit: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 1 << bit;
    out
}

#[test]
fn any_bit_flipped_in_a_middle_record_is_damage_at_its_line_and_the_file_is_left_alone() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let (source_dir, bytes, _) = written_session(&tmp.path().join("data"));
    let starts = line_starts(&bytes);
    let lines = starts.len() - 1;
    // Every bit of a middle record, the note on line 4, the newline that ends it included; and
    // one bit of every byte of every other line before the last, the bit picked by a seed.
    let mut flips: Vec<(usize, usize, u8)> = Vec::new();
    let mut seed: u64 = 0x5eed_f11b;
    for line in 0..lines - 1 {
        for at in starts[line]..starts[line + 1] {
            if line == 3 {
                flips.extend((0..8).map(|bit| (line, at, bit)));
            } else {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                flips.push((line, at, (seed >> 61) as u8));
            }
        }
    }
    assert!(flips.len() > 2000, "{} flips", flips.len());

    let dir = folder_with(tmp.path(), &source_dir, "flips", &bytes);
    let journal = dir.join(JOURNAL_FILE);
    let entries = names(&dir);
    for (n, (line, at, bit)) in flips.into_iter().enumerate() {
        let damaged = flipped(&bytes, at, bit);
        fs::write(&journal, &damaged).expect("written");
        let what = format!("line {}, byte {}, bit {bit}", line + 1, at - starts[line]);

        let damage_line = |result: Result<(), StoreError>, reader: &str| match result {
            Err(StoreError::Journal(JournalError::Damaged { line: l, path, .. })) => {
                assert_eq!(l, line + 1, "{reader}, {what}");
                assert_eq!(path, journal, "{reader}, {what}");
            }
            other => panic!("{reader}, {what}: expected damage, got {other:?}"),
        };
        // The journal alone, as every reader reads it first.
        damage_line(
            read_journal(&journal)
                .map(|_| ())
                .map_err(StoreError::Journal),
            "read_journal",
        );
        // The session (list, export, review): every flip of line 4 and every fifth other one
        // (each reads the guide snapshot too, which is slow in a debug build).
        if line == 3 || n % 5 == 0 {
            damage_line(load_session(&dir).map(|_| ()), "load_session");
        }
        // Resuming refuses it without a change.
        if n % 7 == 0 {
            damage_line(reopen_session(&dir, t(9000)).map(|_| ()), "reopen_session");
        }
        assert_eq!(
            fs::read(&journal).unwrap(),
            damaged,
            "{what}: the file is byte for byte as it was"
        );
        assert_eq!(names(&dir), entries, "{what}: nothing added beside it");
    }
}
