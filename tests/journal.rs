//! Sessions on disk: created owner-only, continued after a crash with a torn last line kept
//! aside, refused (and left untouched) when a line in the middle is damaged, never written by two
//! processes, and never left with a partial line when the disk fails for a while.

#[path = "support/fake_disk.rs"]
mod fake_disk;

use chrono::{DateTime, Duration, TimeZone, Utc};
use fake_disk::{EIO, ENOSPC, FakeDisk};
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta};
use topicguide::model::guide::{SessionKind, SessionMode};
use topicguide::model::session::Session;
use topicguide::storage::journal::{
    JOURNAL_FILE, JournalError, JournalWriter, decode_line, encode_line, is_locked_elsewhere,
    parse_journal, read_journal,
};
use topicguide::storage::session_store::{
    GUIDE_FILE, OpenSession, SessionLiveness, StoreError, create_session, load_session,
    reopen_session, reopen_session_with,
};

const GUIDE: &str = "cmp-patient-telephone-interview";

fn t(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap() + Duration::seconds(seconds)
}

fn started() -> Record {
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    Record {
        seq: 1,
        at: t(0),
        event: Event::Started(SessionMeta {
            kind: SessionKind::Interview,
            mode: SessionMode::Telephone,
            site: Some("DUR".into()),
            participants: vec!["P1".into()],
            planned_minutes: 30,
            consent: true,
            guide_source: GUIDE.into(),
            ..SessionMeta::for_guide(&guide, "Phone 4")
        }),
    }
}

/// A new session in `data` with its start record only.
fn new_session(data: &Path) -> OpenSession {
    let source = builtin(GUIDE).unwrap();
    let guide = source.load().unwrap();
    let session = Session::from_records(guide, vec![started()]).unwrap();
    create_session(data, "20261123-0930-phone-4", &source.text, session).unwrap()
}

/// Appends an event the way the live screen does: journal first, then the state.
fn record(open: &mut OpenSession, seconds: i64, event: Event) -> Record {
    let record = Record {
        seq: open.session.next_seq(),
        at: t(seconds),
        event,
    };
    open.writer.append(&record).unwrap();
    open.session.push(record.clone());
    record
}

fn some_events(open: &mut OpenSession) {
    record(
        open,
        20,
        Event::Discussing {
            theme: "opening".into(),
        },
    );
    record(open, 30, Event::RecordingStarted);
    record(
        open,
        95,
        Event::NoteAdded {
            id: "n1".into(),
            noted_at: t(80),
            theme: Some("opening".into()),
            text: "@P1 happy to be recorded #consent".into(),
        },
    );
    record(
        open,
        140,
        Event::Covered {
            theme: "opening".into(),
        },
    );
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn journal_path(open: &OpenSession) -> PathBuf {
    open.dir.join(JOURNAL_FILE)
}

/// A session in `data` with `some_events`, left as a crash leaves it (the writer gone, no end):
/// its folder, its journal and the records it saved.
fn interrupted_session(data: &Path) -> (PathBuf, PathBuf, Vec<Record>) {
    let mut open = new_session(data);
    some_events(&mut open);
    let (dir, path) = (open.dir.clone(), journal_path(&open));
    let saved = open.session.records().to_vec();
    drop(open);
    (dir, path, saved)
}

fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    assert_eq!(lines.pop(), Some(&b""[..]), "the bytes end with a newline");
    lines
}

#[test]
fn a_new_session_is_owner_only_and_reads_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut open = new_session(&data);
    some_events(&mut open);
    assert_eq!(open.id, "20261123-0930-phone-4");
    assert_eq!(open.dir, data.join("sessions").join(&open.id));

    for dir in [&data, &data.join("sessions"), &open.dir] {
        assert_eq!(mode(dir), 0o700, "{}", dir.display());
    }
    for file in [journal_path(&open), open.dir.join(GUIDE_FILE)] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    // The snapshot is the guide's text as it was at the start.
    assert_eq!(
        fs::read_to_string(open.dir.join(GUIDE_FILE)).unwrap(),
        builtin(GUIDE).unwrap().text
    );

    // Every record is on disk, one checksummed line each, before the writer is gone.
    let bytes = fs::read(journal_path(&open)).unwrap();
    let on_disk: Vec<Record> = lines(&bytes)
        .into_iter()
        .map(|l| decode_line(l).unwrap())
        .collect();
    assert_eq!(on_disk, open.session.records());
    assert_eq!(on_disk.len(), 5);

    // While its writer is alive the session is live; then interrupted.
    let loaded = load_session(&open.dir).unwrap();
    assert_eq!(loaded.liveness, SessionLiveness::Live);
    assert_eq!(loaded.session.records(), open.session.records());
    assert_eq!(loaded.session.state(), open.session.state());
    let dir = open.dir.clone();
    drop(open);
    assert_eq!(
        load_session(&dir).unwrap().liveness,
        SessionLiveness::Interrupted
    );
}

#[test]
fn the_same_label_in_the_same_minute_gets_a_new_id() {
    let tmp = tempfile::tempdir().unwrap();
    let first = new_session(tmp.path());
    let second = new_session(tmp.path());
    assert_eq!(second.id, format!("{}-2", first.id));
    assert_ne!(first.dir, second.dir);
}

#[test]
fn reopening_keeps_a_torn_tail_aside_and_cuts_the_journal_to_the_last_good_record() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, path, saved) = interrupted_session(tmp.path());

    // The process died while writing the next line: part of it reached the disk.
    let good = fs::read(&path).unwrap();
    let next = Record {
        seq: 6,
        at: t(170),
        event: Event::NoteAdded {
            id: "n2".into(),
            noted_at: t(150),
            theme: Some("programme".into()),
            text: "@P1 referred by the GP".into(),
        },
    };
    let line = encode_line(&next).unwrap();
    let torn = &line.as_bytes()[..line.len() / 2];
    fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(torn)
        .unwrap();

    // Reading it (list, export) leaves the file alone and says what it left out.
    let loaded = load_session(&dir).unwrap();
    assert_eq!(loaded.session.records(), &saved[..]);
    assert_eq!(loaded.torn_tail.as_ref().unwrap().bytes, torn);
    assert_eq!(fs::read(&path).unwrap().len(), good.len() + torn.len());

    let reopened = reopen_session(&dir, t(3600)).unwrap();
    let (aside, tail) = reopened
        .torn_kept_at
        .clone()
        .expect("the torn tail is kept");
    assert_eq!(aside.parent(), Some(dir.as_path()));
    let aside_name = aside.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        aside_name.starts_with("journal.jsonl.torn-"),
        "{aside_name}"
    );
    assert_eq!(fs::read(&aside).unwrap(), torn);
    assert_eq!(mode(&aside), 0o600);
    assert_eq!(tail.offset, good.len() as u64);

    // The journal is the good records, then the record that it was reopened.
    let records = reopened.session.records();
    assert_eq!(&records[..saved.len()], &saved[..]);
    assert_eq!(records.len(), saved.len() + 1);
    assert_eq!(records[saved.len()].event, Event::Reopened);
    assert_eq!(records[saved.len()].seq, 6);
    let bytes = fs::read(&path).unwrap();
    assert!(bytes.starts_with(&good));
    let contents = parse_journal(&bytes).unwrap();
    assert_eq!(contents.records, records);
    assert_eq!(contents.torn_tail, None);
    assert!(!contents.missing_final_newline);
    assert_eq!(reopened.session.state().reopened, 1);
}

#[test]
fn reopening_a_journal_whose_last_newline_was_lost_keeps_the_last_record() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, path, saved) = interrupted_session(tmp.path());
    let mut bytes = fs::read(&path).unwrap();
    bytes.pop();
    fs::write(&path, &bytes).unwrap();

    let reopened = reopen_session(&dir, t(3600)).unwrap();
    assert!(reopened.torn_kept_at.is_none());
    assert_eq!(&reopened.session.records()[..saved.len()], &saved[..]);
    let bytes = fs::read(&path).unwrap();
    let on_disk: Vec<Record> = lines(&bytes)
        .into_iter()
        .map(|l| decode_line(l).unwrap())
        .collect();
    assert_eq!(on_disk, reopened.session.records());
}

#[test]
fn a_damaged_middle_line_is_reported_by_line_and_the_file_is_left_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, path, _) = interrupted_session(tmp.path());

    // One byte of line 3 (the recording mark) changes on disk.
    let mut bytes = fs::read(&path).unwrap();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let target = line_starts[2] + 40;
    bytes[target] ^= 0x04;
    fs::write(&path, &bytes).unwrap();
    let entries_before = fs::read_dir(&dir).unwrap().count();

    match reopen_session(&dir, t(3600)) {
        Err(StoreError::Journal(JournalError::Damaged { line, path: p, .. })) => {
            assert_eq!(line, 3);
            assert_eq!(p, path);
        }
        other => panic!("expected damage at line 3, got {other:?}"),
    }
    let err = load_session(&dir).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(&format!("{}:3:", path.display())),
        "names the file and line: {message}"
    );
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(matches!(
        read_journal(&path),
        Err(JournalError::Damaged { line: 3, .. })
    ));

    assert_eq!(
        fs::read(&path).unwrap(),
        bytes,
        "the file is byte-for-byte as it was"
    );
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        entries_before,
        "nothing kept aside or added"
    );
    // Refused, the journal is not locked: a second look gives the same answer.
    assert!(matches!(
        reopen_session(&dir, t(3700)),
        Err(StoreError::Journal(JournalError::Damaged { line: 3, .. }))
    ));
}

#[test]
fn a_session_open_for_writing_cannot_be_opened_again() {
    let tmp = tempfile::tempdir().unwrap();
    let mut open = new_session(tmp.path());
    some_events(&mut open);
    let dir = open.dir.clone();
    let before = fs::read(journal_path(&open)).unwrap();

    // The writer that created it holds the lock.
    assert!(matches!(
        reopen_session(&dir, t(600)),
        Err(StoreError::Journal(JournalError::Locked { .. }))
    ));
    assert_eq!(fs::read(dir.join(JOURNAL_FILE)).unwrap(), before);
    drop(open);

    // Reopened once, it is locked against a second reopen until the first is gone.
    let first = reopen_session(&dir, t(700)).unwrap();
    let after_first = fs::read(dir.join(JOURNAL_FILE)).unwrap();
    let second = reopen_session(&dir, t(800));
    let Err(err) = second else {
        panic!("a second writer was allowed");
    };
    assert!(matches!(
        err,
        StoreError::Journal(JournalError::Locked { .. })
    ));
    assert!(
        err.to_string().contains("open in another topicguide"),
        "{err}"
    );
    assert_eq!(fs::read(dir.join(JOURNAL_FILE)).unwrap(), after_first);
    assert_eq!(load_session(&dir).unwrap().liveness, SessionLiveness::Live);
    drop(first);
    let third = reopen_session(&dir, t(900)).unwrap();
    assert_eq!(third.session.state().reopened, 2);
}

/// The kernel's lock table (`/proc/locks`) lines on `path`'s inode: `FLOCK` or `OFDLCK`, with
/// the mode.
fn locks_on(path: &Path) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let inode = format!(":{}", fs::metadata(path).unwrap().ino());
    fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(5)
                .is_some_and(|f| f.ends_with(&inode))
        })
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn a_reader_tells_a_live_session_without_taking_a_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let mut open = new_session(tmp.path());
    some_events(&mut open);
    let dir = open.dir.clone();
    let journal = dir.join(JOURNAL_FILE);
    // The writer holds the flock that keeps a second writer out and the lock readers ask about.
    let mut held = locks_on(&journal);
    held.sort();
    assert_eq!(
        held,
        ["FLOCK ADVISORY WRITE", "OFDLCK ADVISORY WRITE"],
        "the writer's locks"
    );
    assert!(is_locked_elsewhere(&journal));
    assert_eq!(load_session(&dir).unwrap().liveness, SessionLiveness::Live);
    assert_eq!(locks_on(&journal).len(), 2, "asking added no lock");
    drop(open);
    assert!(!is_locked_elsewhere(&journal));
    assert_eq!(
        load_session(&dir).unwrap().liveness,
        SessionLiveness::Interrupted
    );

    // Readers ask again and again while a would-be writer takes and drops the exclusive flock:
    // it never finds it taken. A reader that locked, even shared and for a moment, would
    // stand in its way now and then.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let refused = std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    assert!(!is_locked_elsewhere(&journal), "nobody holds it");
                    asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
        let candidate = fs::File::open(&journal).unwrap();
        let mut refused = 0;
        for _ in 0..20_000 {
            match candidate.try_lock() {
                Ok(()) => candidate.unlock().unwrap(),
                Err(fs::TryLockError::WouldBlock) => refused += 1,
                Err(fs::TryLockError::Error(e)) => panic!("{e}"),
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        refused
    });
    assert!(asked.into_inner() > 0, "the readers ran");
    assert_eq!(refused, 0, "a reader stood in a writer's way");
    assert_eq!(locks_on(&journal), Vec::<String>::new());
}

#[test]
fn an_ended_session_is_ended_and_reopening_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut open = new_session(tmp.path());
    some_events(&mut open);
    record(&mut open, 1700, Event::Ended);
    let (dir, path) = (open.dir.clone(), journal_path(&open));
    assert_eq!(load_session(&dir).unwrap().liveness, SessionLiveness::Ended);
    drop(open);
    let before = fs::read(&path).unwrap();
    let reopened = reopen_session(&dir, t(3600)).unwrap();
    assert!(reopened.session.state().is_ended());
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn an_ended_session_reopens_only_when_asked_and_the_journal_says_when() {
    let tmp = tempfile::tempdir().unwrap();
    let mut open = new_session(tmp.path());
    some_events(&mut open);
    record(&mut open, 1700, Event::Ended);
    let dir = open.dir.clone();
    let notes = open.session.state().notes.len();
    drop(open);
    let mut reopened = reopen_session_with(&dir, t(1800), true).unwrap();
    let state = reopened.session.state();
    assert!(!state.is_ended(), "the end no longer holds");
    assert_eq!(state.reopenings.len(), 1);
    assert_eq!(state.reopenings[0].ended_at, t(1700));
    assert_eq!(state.reopenings[0].reopened_at, t(1800));
    assert_eq!(
        state.notes.len(),
        notes,
        "everything from before the end is there"
    );
    assert_eq!(
        reopened.session.records().last().map(|r| &r.event),
        Some(&Event::EndReopened)
    );
    // The session goes on: events after the reopening count, and it can end again.
    record(&mut reopened, 1810, Event::Paused);
    assert!(reopened.session.state().is_paused());
    record(&mut reopened, 1900, Event::Ended);
    drop(reopened);
    let loaded = load_session(&dir).unwrap();
    assert_eq!(loaded.liveness, SessionLiveness::Ended);
    assert_eq!(loaded.session.state().ended_at, Some(t(1900)));
    assert_eq!(loaded.session.state().reopenings.len(), 1);
}

#[test]
fn undo_and_redo_fold_to_the_same_state_from_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let mut open = new_session(tmp.path());
    let note = |id: &str, at: i64| Event::NoteAdded {
        id: id.into(),
        noted_at: t(at),
        theme: None,
        text: format!("note {id}"),
    };
    let a = record(&mut open, 10, note("n1", 9)).seq;
    let b = record(&mut open, 20, note("n2", 19)).seq;
    let undo_b = record(&mut open, 30, Event::Undone { target: b }).seq;
    let undo_a = record(&mut open, 31, Event::Undone { target: a }).seq;
    assert!(open.session.state().notes.is_empty());
    assert_eq!(open.session.state().redoable, [undo_b, undo_a]);
    // Redo takes back the last undo first.
    record(&mut open, 40, Event::Redone { target: undo_a });
    let ids: Vec<&str> = open
        .session
        .state()
        .notes
        .iter()
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(ids, ["n1"]);
    assert_eq!(open.session.state().redoable, [undo_b]);
    // A new action ends what redo can do; undo goes on taking back in order.
    record(&mut open, 50, Event::Paused);
    assert!(open.session.state().redoable.is_empty());
    let pause = open.session.state().undoable.last().copied().unwrap();
    record(&mut open, 60, Event::Undone { target: pause });
    assert!(!open.session.state().is_paused());
    let dir = open.dir.clone();
    let state = open.session.state().clone();
    drop(open);
    assert_eq!(load_session(&dir).unwrap().session.state(), &state);
}

#[test]
fn moved_and_retimed_notes_and_kept_drafts_fold_from_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let mut open = new_session(tmp.path());
    record(
        &mut open,
        10,
        Event::NoteAdded {
            id: "n1".into(),
            noted_at: t(9),
            theme: Some("health".into()),
            text: "@P1 about work really".into(),
        },
    );
    record(
        &mut open,
        20,
        Event::NoteMoved {
            id: "n1".into(),
            theme: Some("employability".into()),
        },
    );
    record(
        &mut open,
        21,
        Event::NoteRetimed {
            id: "n1".into(),
            noted_at: t(4),
        },
    );
    record(
        &mut open,
        30,
        Event::DraftKept {
            id: "d1".into(),
            noted_at: t(25),
            theme: None,
            text: "half".into(),
        },
    );
    record(
        &mut open,
        31,
        Event::DraftKept {
            id: "d2".into(),
            noted_at: t(31),
            theme: None,
            text: "other".into(),
        },
    );
    record(&mut open, 32, Event::DraftResumed { id: "d1".into() });
    let dir = open.dir.clone();
    drop(open);
    let loaded = load_session(&dir).unwrap();
    let state = loaded.session.state();
    assert_eq!(state.notes[0].theme.as_deref(), Some("employability"));
    assert_eq!(state.notes[0].at, t(4));
    let drafts: Vec<&str> = state.drafts.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(drafts, ["d2"]);
    assert_eq!(
        state.next_draft_id(),
        "d3",
        "a draft id is never given twice"
    );
}

fn numbered(seq: u64) -> Record {
    Record {
        seq,
        at: t(seq as i64 * 10),
        event: Event::NoteAdded {
            id: format!("n{seq}"),
            noted_at: t(seq as i64 * 10 - 5),
            theme: None,
            text: format!("@P1 note number {seq} with some words to make it long #quote"),
        },
    }
}

fn fake_writer() -> (FakeDisk, JournalWriter<FakeDisk>) {
    let storage = FakeDisk::default();
    let writer = JournalWriter::with_storage(storage.clone(), PathBuf::from("fake.jsonl"), 0);
    (storage, writer)
}

/// Every line of the fake disk decodes, and they are exactly `expected`.
fn assert_holds(storage: &FakeDisk, expected: &[Record]) {
    let disk = storage.0.borrow();
    let contents = parse_journal(&disk.bytes).expect("no damage");
    assert_eq!(contents.torn_tail, None, "no partial line");
    assert!(!contents.missing_final_newline);
    assert_eq!(contents.records, expected);
}

#[test]
fn a_full_disk_fails_the_append_and_the_retry_leaves_no_partial_line() {
    let (storage, mut writer) = fake_writer();
    writer.append(&numbered(1)).unwrap();
    assert_holds(&storage, &[numbered(1)]);

    // The disk fills up partway through the next line.
    storage.0.borrow_mut().room = Some(17);
    let err = writer.append(&numbered(2)).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(ENOSPC));
    let good = encode_line(&numbered(1)).unwrap().len();
    assert_eq!(storage.0.borrow().bytes.len(), good + 17, "a partial line");

    // Still full: another try fails too, and the partial bytes never pile up.
    let err = writer.append(&numbered(2)).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(ENOSPC));
    assert!(storage.0.borrow().bytes.len() <= good + 17);

    // Room again: the retry is saved whole, after the last good record.
    storage.0.borrow_mut().room = None;
    writer.append(&numbered(2)).unwrap();
    assert_holds(&storage, &[numbered(1), numbered(2)]);
    writer.append(&numbered(3)).unwrap();
    assert_holds(&storage, &[numbered(1), numbered(2), numbered(3)]);
}

#[test]
fn a_failed_sync_fails_the_append_and_the_retry_writes_the_record_once() {
    let (storage, mut writer) = fake_writer();
    writer.append(&numbered(1)).unwrap();
    storage.0.borrow_mut().sync_fails = true;
    let err = writer.append(&numbered(2)).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(EIO));
    let err = writer.append(&numbered(2)).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(EIO));

    storage.0.borrow_mut().sync_fails = false;
    writer.append(&numbered(2)).unwrap();
    assert_holds(&storage, &[numbered(1), numbered(2)]);
    assert_eq!(storage.0.borrow().syncs, 2, "each saved record was synced");
}

#[test]
fn a_fault_on_the_very_first_record_leaves_an_empty_journal_behind_the_retry() {
    let (storage, mut writer) = fake_writer();
    storage.0.borrow_mut().room = Some(5);
    assert!(writer.append(&numbered(1)).is_err());
    storage.0.borrow_mut().room = None;
    writer.append(&numbered(1)).unwrap();
    assert_holds(&storage, &[numbered(1)]);
}

#[test]
fn a_line_laid_out_otherwise_reads_the_same_and_a_bad_one_is_told_the_same_way() {
    let record = Record {
        seq: 2,
        at: t(5),
        event: Event::NoteAdded {
            id: "n1".into(),
            noted_at: t(4),
            theme: Some("opening".into()),
            text: "@P1 \"quoted\" \\ naïve #quote".into(),
        },
    };
    let line = encode_line(&record).unwrap();
    let line = line.trim_end_matches('\n');
    assert_eq!(decode_line(line.as_bytes()).unwrap(), record);
    // The same record with the envelope spaced out and its keys the other way round: not as
    // topicguide writes it, still a good record.
    let (envelope, rec) = line.split_once(",\"rec\":").unwrap();
    let crc = envelope.trim_start_matches("{\"crc\":");
    let rec = rec.strip_suffix('}').unwrap();
    for other in [
        format!("{{ \"rec\": {rec}, \"crc\": {crc} }}"),
        format!("{{\"crc\":{crc},\"rec\":{rec} }}"),
    ] {
        assert_eq!(decode_line(other.as_bytes()).unwrap(), record, "{other}");
    }
    // Damage in the usual layout is told as before: the checksum named, the bad JSON quoted.
    let flipped = line.replacen("quoted", "quoteD", 1);
    assert!(
        decode_line(flipped.as_bytes())
            .unwrap_err()
            .starts_with("checksum mismatch: recorded "),
    );
    let spaced = format!("{{\"crc\":{crc},\"rec\":{rec} }}").replacen('}', " }", 1);
    assert!(decode_line(spaced.as_bytes()).is_err(), "{spaced}");
    let cut = &line[..line.len() - 1];
    assert!(
        decode_line(cut.as_bytes())
            .unwrap_err()
            .starts_with("not a record: "),
    );
}
