//! Fault injection on the journal writer, through the live screen: a disk that answers ENOSPC or
//! EIO on a write, on a short (partial) write or on fsync, at every position of a session's
//! writes, once, several times in a row, or for good. Throughout, every event stays in memory,
//! the warning bar says NOT SAVED while the disk refuses, nothing is ever counted as saved before
//! its fsync returned, and the journal on disk is at every moment whole records (what a crash
//! would leave). When the fault clears the next retry saves everything, in order, once; when it
//! does not, leaving with `q` `y` writes an emergency copy that holds every record.
//!
//! The last test does the same to the real binary on a real full disk (a small tmpfs; it needs
//! the right to mount one, as root has on the project's machines, and says so when it has not).

#[path = "support/fake_disk.rs"]
mod fake_disk;
#[path = "support/pty.rs"]
mod pty;
#[path = "support/skip.rs"]
mod skip;

use chrono::{DateTime, Duration, TimeZone, Utc};
use fake_disk::{Call, EIO, ENOSPC, FakeDisk, Fault};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::io::Write;
use std::path::PathBuf;
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta};
use topicguide::model::session::Session;
use topicguide::storage::emergency::write_emergency_copy;
use topicguide::storage::journal::{JournalWriter, encode_line, parse_journal};
use topicguide::ui::app::{Exit, LiveApp, SaveState};
use topicguide::ui::keymap::{Keymap, Layer};
use topicguide::ui::live::LiveScreen;
use topicguide::ui::runner::Screen;
use topicguide::ui::theme::Palette;
use topicguide::ui::view::warning_bar;

const GUIDE: &str = "cmp-patient-focus-group";

fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 6, 14, 0, 0).unwrap() + Duration::seconds(secs)
}

/// A one-minute session: the clock's warnings fall due while the script runs, so records are
/// also made by ticks, not only by keys.
fn started() -> Record {
    let guide = builtin(GUIDE).expect("built in").load().expect("valid");
    Record {
        seq: 1,
        at: t(0),
        event: Event::Started(SessionMeta {
            participants: (1..=5).map(|n| format!("P{n}")).collect(),
            planned_minutes: 1,
            consent: true,
            bell: false,
            guide_source: GUIDE.into(),
            app_version: "test".into(),
            ..SessionMeta::for_guide(&guide, "Faults")
        }),
    }
}

/// One thing the note-taker or the clock does.
#[derive(Debug, Clone, Copy)]
enum Step {
    Key(KeyCode, i64),
    /// A Ctrl- chord.
    Ctrl(char, i64),
    Tick(i64),
}

/// The script: a theme discussed, notes written (each typed, then Enter), a theme covered, and
/// the clock ticking into the warnings and the overtime of a one-minute session.
fn script() -> Vec<Step> {
    let mut steps = vec![Step::Key(KeyCode::Enter, 2), Step::Tick(3)];
    let notes = [
        "@P1 first note #quote",
        "@P3 walking group every week",
        "ask P2 about medication #followup",
        "@P4 nods #nonverbal",
        "@P5 ça va 😀",
    ];
    for (i, text) in notes.iter().enumerate() {
        let at = 5 + 12 * i as i64;
        steps.extend(text.chars().map(|c| Step::Key(KeyCode::Char(c), at + 1)));
        steps.push(Step::Key(KeyCode::Enter, at + 2));
        steps.push(Step::Tick(at + 3));
    }
    steps.push(Step::Ctrl('o', 66));
    steps.push(Step::Tick(67));
    steps.push(Step::Tick(68));
    steps
}

fn screen_over(disk: &FakeDisk) -> LiveScreen<FakeDisk> {
    let first = started();
    let head = encode_line(&first).expect("encodes");
    {
        let mut d = disk.0.borrow_mut();
        d.bytes = head.clone().into_bytes();
        d.durable = d.bytes.len();
    }
    let guide = builtin(GUIDE).expect("built in").load().expect("valid");
    let session = Session::from_records(guide, vec![first]).expect("a session");
    let app = LiveApp::new(
        "20250506-1400-faults".into(),
        PathBuf::from("/nonexistent/sessions/20250506-1400-faults"),
        session,
        Keymap::default(),
    );
    LiveScreen::without_draft_file(
        app,
        JournalWriter::with_storage(
            disk.clone(),
            PathBuf::from("fake/journal.jsonl"),
            head.len() as u64,
        ),
        Palette::default(),
    )
}

fn run_step(screen: &mut LiveScreen<FakeDisk>, step: Step) {
    match step {
        Step::Key(code, at) => screen.on_key(KeyEvent::new(code, KeyModifiers::NONE), t(at)),
        Step::Ctrl(c, at) => screen.on_key(
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            t(at),
        ),
        Step::Tick(at) => screen.tick(t(at)),
    }
}

fn drawn(screen: &LiveScreen<FakeDisk>, at: i64) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    terminal
        .draw(|frame| screen.draw(frame, t(at)))
        .expect("drawn");
    format!("{}", terminal.backend())
}

/// What the app says is saved is on the disk for good, and the disk holds only whole records
/// that the session made, in order.
fn assert_nothing_claimed_before_fsync(screen: &LiveScreen<FakeDisk>, disk: &FakeDisk, what: &str) {
    let d = disk.0.borrow();
    let durable = parse_journal(&d.bytes[..d.durable]).unwrap_or_else(|e| {
        panic!(
            "{what}: the durable journal is damaged: {e:?}\n{:#?}",
            d.log
        )
    });
    let records = screen.app.session.records();
    assert!(
        records.starts_with(&durable.records),
        "{what}: the disk holds records the session did not make, or out of order"
    );
    let on_disk = durable.records.last().map_or(0, |r| r.seq);
    assert!(
        screen.app.synced_seq <= on_disk,
        "{what}: records up to {} counted as saved, but only {on_disk} were synced\n{:#?}",
        screen.app.synced_seq,
        d.log
    );
    if screen.app.is_saved() {
        assert_eq!(
            durable.records.len(),
            records.len(),
            "{what}: saved, with records still not synced"
        );
    }
}

/// Runs the script over a disk with `fault`; returns the screen and the disk at the end.
/// After every step: the events are those of a run without faults, nothing is counted saved
/// before its fsync returned, and the warning bar says NOT SAVED exactly while a write failed.
fn run_with(
    fault: Option<Fault>,
    clean: &[Vec<Record>],
) -> (LiveScreen<FakeDisk>, FakeDisk, Vec<Vec<Record>>) {
    let disk = FakeDisk::default();
    let mut screen = screen_over(&disk);
    disk.0.borrow_mut().fault = fault;
    let mut after_each = Vec::new();
    for (i, step) in script().into_iter().enumerate() {
        let failures_before = disk.0.borrow().failures;
        run_step(&mut screen, step);
        let what = format!("{fault:?}, step {i} ({step:?})");
        let records = screen.app.session.records().to_vec();
        if let Some(expected) = clean.get(i) {
            assert_eq!(&records, expected, "{what}: the events in memory");
        }
        assert_nothing_claimed_before_fsync(&screen, &disk, &what);
        let failed_now = disk.0.borrow().failures > failures_before;
        let (bar, _) = warning_bar::message(&screen.app, t(70));
        if screen.app.is_saved() {
            assert_eq!(screen.app.save_state, SaveState::Saved, "{what}");
            assert!(!bar.contains("NOT SAVED"), "{what}: {bar}");
        } else if failed_now || matches!(screen.app.save_state, SaveState::Failing(_)) {
            assert!(
                matches!(screen.app.save_state, SaveState::Failing(_)),
                "{what}: a failed write is reported"
            );
            assert!(bar.starts_with("NOT SAVED"), "{what}: {bar}");
        }
        after_each.push(records);
    }
    (screen, disk, after_each)
}

/// The run without faults: the records after each step, and how many writes and fsyncs it made.
fn clean_run() -> (Vec<Vec<Record>>, usize, usize) {
    let (screen, disk, after_each) = run_with(None, &[]);
    assert!(screen.app.is_saved());
    let d = disk.0.borrow();
    let contents = parse_journal(&d.bytes).expect("a clean journal");
    assert_eq!(contents.records, screen.app.session.records());
    assert!(
        screen.app.session.records().len() >= 10,
        "the script makes enough records to place faults among"
    );
    (after_each, d.writes, d.sync_calls)
}

fn kinds() -> Vec<(Call, i32)> {
    let mut kinds = Vec::new();
    for call in [Call::Write, Call::PartialWrite, Call::Sync] {
        for errno in [ENOSPC, EIO] {
            kinds.push((call, errno));
        }
    }
    kinds
}

#[test]
fn a_fault_at_any_write_or_fsync_that_clears_loses_nothing_and_the_retry_saves_all_once() {
    let (clean, writes, syncs) = clean_run();
    let mut runs = 0;
    for (call, errno) in kinds() {
        let count = if call == Call::Sync { syncs } else { writes };
        for first in 0..count {
            for times in [1, 2, 5] {
                let fault = Fault {
                    call,
                    errno,
                    first,
                    times: Some(times),
                };
                let (mut screen, disk, _) = run_with(Some(fault), &clean);
                assert!(disk.0.borrow().failures > 0, "{fault:?} was injected");
                // The clock's tick retries once a second; once the fault has run its course the
                // next retry saves everything.
                let mut at = 100;
                while !disk.0.borrow().fault_over() {
                    screen.tick(t(at));
                    assert!(!screen.app.is_saved(), "{fault:?}: saved while failing");
                    at += 1;
                    assert!(at < 200, "{fault:?} never ran its course");
                }
                if !screen.app.is_saved() {
                    screen.tick(t(at));
                }
                assert!(
                    screen.app.is_saved(),
                    "{fault:?}: the first retry after it saves"
                );
                assert_eq!(screen.app.save_state, SaveState::Saved);
                assert!(!drawn(&screen, at).contains("NOT SAVED"), "{fault:?}");
                assert_nothing_claimed_before_fsync(&screen, &disk, &format!("{fault:?}"));
                let d = disk.0.borrow();
                assert_eq!(d.durable, d.bytes.len(), "{fault:?}: all of it synced");
                let contents = parse_journal(&d.bytes)
                    .unwrap_or_else(|e| panic!("{fault:?}: damaged: {e:?}\n{:#?}", d.log));
                assert_eq!(contents.torn_tail, None, "{fault:?}: no partial line");
                assert!(!contents.missing_final_newline, "{fault:?}");
                // Exactly the records, in order, each once (sequence numbers would show a
                // duplicate as damage).
                assert_eq!(
                    contents.records,
                    screen.app.session.records(),
                    "{fault:?}\n{:#?}",
                    d.log
                );
                runs += 1;
            }
        }
    }
    assert!(runs >= 3 * 6 * 10, "{runs} runs");
}

#[test]
fn a_fault_that_never_clears_keeps_everything_in_memory_and_leaving_writes_an_emergency_copy() {
    let (clean, writes, syncs) = clean_run();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for (call, errno) in kinds() {
        let count = if call == Call::Sync { syncs } else { writes };
        for first in 0..count {
            let fault = Fault {
                call,
                errno,
                first,
                times: None,
            };
            let (mut screen, disk, _) = run_with(Some(fault), &clean);
            assert!(
                !screen.app.is_saved(),
                "{fault:?}: nothing saved past the fault"
            );
            let text = drawn(&screen, 70);
            assert!(text.contains("NOT SAVED"), "{fault:?}: {text}");
            let before = screen.app.session.records().to_vec();
            assert_eq!(&before, clean.last().expect("steps"), "{fault:?}");

            // Leaving asks first; confirming leaves asking for the emergency copy.
            let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
            screen.on_key(ctrl_d, t(71));
            assert_eq!(screen.app.layer(), Layer::Leave, "{fault:?}");
            assert_eq!(screen.app.exit, None);
            screen.on_key(ctrl_d, t(72));
            assert_eq!(
                screen.app.exit,
                Some(Exit::LeftWithEmergencyCopy),
                "{fault:?}"
            );
            assert!(screen.done());
            assert!(!screen.app.is_saved());
            assert_eq!(screen.app.session.records(), &before[..], "{fault:?}");

            // What the program does on the way out: the whole session, to the extra folder.
            let dir = tmp.path().join(format!("{call:?}-{errno}-{first}"));
            std::fs::create_dir(&dir).expect("a folder");
            let path = write_emergency_copy(
                &screen.app.id,
                screen.app.session.records(),
                std::slice::from_ref(&dir),
            )
            .expect("the emergency copy is written");
            assert_eq!(path.parent(), Some(dir.as_path()));
            let bytes = std::fs::read(&path).expect("readable");
            let contents = parse_journal(&bytes).expect("the copy reads as a journal");
            assert_eq!(contents.torn_tail, None);
            assert_eq!(
                contents.records, before,
                "{fault:?}: every record is in the copy"
            );
            // The journal itself is still whole records up to the fault: a crash now would
            // lose only what the screen never called saved.
            assert_nothing_claimed_before_fsync(&screen, &disk, &format!("{fault:?}"));
        }
    }
}

#[test]
fn an_emergency_copy_goes_to_the_temporary_folder_when_no_other_is_given() {
    // The environment is never changed here (other tests run on other threads meanwhile):
    // the copy must land in whatever folder std::env::temp_dir names for this process. That
    // TMPDIR itself is honoured is shown through the real binary on a full disk below.
    let records = vec![started()];
    let id = format!("faults-{}", std::process::id());
    let path = write_emergency_copy(&id, &records, &[]).expect("written");
    let copy = RemoveOnDrop(path.clone());
    assert_eq!(path.parent(), Some(std::env::temp_dir().as_path()));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("topicguide-emergency-{id}-")) && name.ends_with(".jsonl"),
        "{name}"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        parse_journal(&std::fs::read(&path).unwrap())
            .unwrap()
            .records,
        records
    );
    drop(copy);
}

/// A file removed when the test is done with it, passed or failed.
struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A small tmpfs mounted over a folder for as long as it lives.
struct SmallDisk {
    path: std::path::PathBuf,
}

impl SmallDisk {
    /// Mounts one, or says why it cannot.
    fn mount(path: &std::path::Path, size: &str) -> Result<SmallDisk, String> {
        std::fs::create_dir_all(path).map_err(|e| e.to_string())?;
        let out = assert_cmd::Command::new("mount")
            .timeout(pty::RUN_WAIT)
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(path)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(SmallDisk {
            path: path.to_path_buf(),
        })
    }

    /// Fills what is left of it with a file of its own.
    fn fill(&self) {
        let mut file = std::fs::File::create(self.path.join("filler")).expect("a filler file");
        let block = [0u8; 4096];
        while file.write_all(&block).is_ok() {}
        // What a whole block did not fill, byte by byte.
        while file.write_all(&[0u8]).is_ok() {}
    }

    fn free(&self) {
        std::fs::remove_file(self.path.join("filler")).expect("the filler removed");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = assert_cmd::Command::new("umount")
            .timeout(pty::RUN_WAIT)
            .arg("-l")
            .arg(&self.path)
            .output();
    }
}

#[test]
fn a_real_full_disk_says_not_saved_retries_and_leaving_writes_the_emergency_copy_to_tmpdir() {
    let mut env = pty::Env::new();
    let tmpdir = env.home.join("tmp");
    std::fs::create_dir_all(&tmpdir).expect("a TMPDIR");
    env.extra_vars
        .push(("TMPDIR", tmpdir.display().to_string()));
    let disk = match SmallDisk::mount(&env.data, "256k") {
        Ok(disk) => disk,
        Err(why) => {
            skip::skipped(
                &skip::current_test(),
                &format!("cannot mount a small tmpfs to fill ({why})"),
            );
            return;
        }
    };
    let mut screen = pty::start(&env, "Full disk");
    let id = env.only_session();
    screen.type_keys("\r");

    // The disk fills up: notes are written until one cannot be (a page may still have room).
    disk.fill();
    let mut typed = Vec::new();
    for i in 0..40 {
        let text = format!(
            "@P{} note {i} while the disk is full, with a few more words",
            1 + i % 5
        );
        screen.type_keys(&format!("{text}\r"));
        typed.push(text);
        let shown = format!("note {i} while");
        let s = screen.wait_until(&format!("{shown:?} listed"), pty::WAIT, |s| {
            s.contains(&shown)
        });
        if s.contains("NOT SAVED") {
            break;
        }
    }
    let s = screen.wait_for("NOT SAVED");
    assert!(s.contains("kept in memory, retrying"), "{s}");

    // Room again: the retry, within a second or two, saves it all.
    disk.free();
    screen.wait_until("NOT SAVED gone", pty::WAIT, |s| !s.contains("NOT SAVED"));
    let exported: Vec<String> = pty::note_texts(&env.export(&id));
    assert_eq!(exported.len(), typed.len(), "{exported:?}");

    // Full again, for good: the next note is kept in memory, and leaving offers the copy.
    disk.fill();
    let mut more = 0;
    loop {
        more += 1;
        let shown = format!("kept note {more} ");
        screen.type_keys(&format!("{shown}with words to take room on the disk\r"));
        let s = screen.wait_until(&format!("{shown:?} listed"), pty::WAIT, |s| {
            s.contains(&shown)
        });
        if s.contains("NOT SAVED") {
            break;
        }
        assert!(more < 40, "the disk never filled:\n{s}");
    }
    screen.type_keys("\x04");
    screen.wait_for("emergency copy");
    screen.type_keys("\x04");
    let status = screen.wait_exit(pty::EXIT_WAIT);
    assert!(!status.success(), "unsaved events are an error: {status:?}");
    let output = screen.output();
    let copies: Vec<std::path::PathBuf> = std::fs::read_dir(&tmpdir)
        .expect("TMPDIR")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(
        copies.len(),
        1,
        "one emergency copy in TMPDIR: {copies:?}\n{output}"
    );
    let copy = &copies[0];
    assert!(
        output.contains(&copy.display().to_string()),
        "the program says where the copy is:\n{output}"
    );
    let contents = parse_journal(&std::fs::read(copy).expect("readable")).expect("a journal");
    let notes: Vec<&Record> = contents
        .records
        .iter()
        .filter(|r| matches!(r.event, Event::NoteAdded { .. }))
        .collect();
    assert_eq!(
        notes.len(),
        typed.len() + more,
        "every note, saved or not, is in the copy"
    );
    // The journal holds what was saved, whole: leaving cut off the line the disk refused.
    disk.free();
    let journal = env.session_dir(&id).join("journal.jsonl");
    let on_disk = parse_journal(&std::fs::read(journal).expect("the journal")).expect("no damage");
    assert_eq!(on_disk.torn_tail, None, "leaving cut the refused line off");
    assert!(contents.records.starts_with(&on_disk.records));
    let saved = on_disk
        .records
        .iter()
        .filter(|r| matches!(r.event, Event::NoteAdded { .. }))
        .count();
    assert_eq!(
        saved,
        typed.len() + more - 1,
        "the notes saved before the disk refused the last one"
    );

    // Resuming goes on from the saved records.
    let mut resumed = env.spawn(&["resume", &id]);
    resumed.wait_for(&format!(
        "Restored: {saved} note{}",
        if saved == 1 { "" } else { "s" }
    ));
    resumed.type_keys("\x04\x04");
    assert!(resumed.wait_exit(pty::EXIT_WAIT).success());
    assert_eq!(pty::note_texts(&env.export(&id)).len(), saved);
    drop(disk);
}
