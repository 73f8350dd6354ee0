//! `topicguide watch` through the real binary in two pseudo-terminals: one note-taker recording,
//! the moderator's screen following. Watch shows each saved change, takes no lock while it runs
//! (the kernel's lock table never names it), holds no session file open for writing, and leaves
//! a session folder exactly as it found it (bytes, modes, modification times, no new files).

#[path = "support/pty.rs"]
mod pty;

use pty::{EXIT_WAIT, Env, GUIDE};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Every file in `dir` with its bytes, mode and modification time, and the folder's own.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32, i64, i64)> {
    let mut out = BTreeMap::new();
    let meta = fs::metadata(dir).expect("the folder");
    out.insert(
        dir.to_path_buf(),
        (Vec::new(), meta.mode(), meta.mtime(), meta.mtime_nsec()),
    );
    for entry in fs::read_dir(dir).expect("the folder") {
        let path = entry.expect("an entry").path();
        let meta = fs::symlink_metadata(&path).expect("metadata");
        out.insert(
            path.clone(),
            (
                fs::read(&path).unwrap_or_default(),
                meta.mode(),
                meta.mtime(),
                meta.mtime_nsec(),
            ),
        );
    }
    out
}

/// The kernel's file locks held by process `pid` (`/proc/locks`).
fn locks_of(pid: &str) -> Vec<String> {
    fs::read_to_string("/proc/locks")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.split_whitespace().nth(4) == Some(pid))
        .map(str::to_string)
        .collect()
}

/// The files under `dir` that process `pid` has open for writing.
fn open_for_writing(pid: &str, dir: &Path) -> Vec<String> {
    let fds = format!("/proc/{pid}/fd");
    let mut found = Vec::new();
    for entry in fs::read_dir(&fds).into_iter().flatten().flatten() {
        let Ok(target) = fs::read_link(entry.path()) else {
            continue;
        };
        if !target.starts_with(dir) {
            continue;
        }
        let info = fs::read_to_string(format!(
            "/proc/{pid}/fdinfo/{}",
            entry.file_name().to_string_lossy()
        ))
        .unwrap_or_default();
        let flags = info
            .lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
            .unwrap_or(0);
        // O_WRONLY or O_RDWR.
        if flags & 0o3 != 0 {
            found.push(target.display().to_string());
        }
    }
    found
}

/// The checks on a running watch: no lock of its own, nothing of the session open to write.
fn assert_reads_only(pid: &str, dir: &Path) {
    assert_eq!(locks_of(pid), Vec::<String>::new(), "watch holds no lock");
    assert_eq!(
        open_for_writing(pid, dir),
        Vec::<String>::new(),
        "watch has no session file open for writing"
    );
}

#[test]
fn watch_follows_a_live_session_and_never_writes_or_locks() {
    let env = Env::new();
    let mut writer = env.spawn(&[
        "start",
        GUIDE,
        "--label",
        "Watched",
        "--participants",
        "4",
        "--minutes",
        "45",
    ]);
    writer.wait_ready("Watched");
    let id = env.only_session();
    let dir = env.session_dir(&id);
    // The writer's own lock is in the table: the check below can see a lock when there is one.
    assert!(
        !locks_of(&writer.pid()).is_empty(),
        "the note-taker's topicguide holds its journal's lock"
    );

    let mut watch = env.spawn(&["watch"]);
    watch.wait_for("Watching Watched");
    watch.wait_for("No theme under discussion");
    watch.wait_for("Themes left: 7 required, 1 optional");
    let watch_pid = watch.pid();
    assert_reads_only(&watch_pid, &dir);

    // Enter on the first theme: now discussing it. The watch shows it without a key pressed.
    writer.type_keys("\r");
    let screen = watch.wait_for("Now: Welcome and consent");
    assert!(screen.contains("Themes left: 6 required"), "{screen}");
    assert_reads_only(&watch_pid, &dir);
    // The next theme.
    writer.type_keys("\x1b[B\r");
    watch.wait_for("Now: The programme and how they came to it");
    assert_reads_only(&watch_pid, &dir);

    // The note-taker stops (SIGTERM saves and leaves); the watch goes on showing the session.
    writer.signal("TERM");
    writer.wait_exit(EXIT_WAIT);
    watch.type_keys("q");
    watch.wait_exit(EXIT_WAIT);

    // A watch on the stopped session: the folder stays exactly as it was.
    let before = snapshot(&dir);
    let mut again = env.spawn(&["watch", &id]);
    again.wait_for("Watching Watched");
    assert_reads_only(&again.pid(), &dir);
    // Across a clock tick or two, with refreshes.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    again.type_keys("q");
    again.wait_exit(EXIT_WAIT);
    assert_eq!(
        snapshot(&dir),
        before,
        "watch changed nothing in the folder"
    );
}

#[test]
fn a_journal_caught_mid_sync_reads_as_still_arriving_and_is_left_as_it_is() {
    let env = Env::new();
    let mut writer = env.spawn(&["start", GUIDE, "--label", "Synced", "--minutes", "45"]);
    writer.wait_ready("Synced");
    writer.type_keys("\r");
    writer.signal("TERM");
    writer.wait_exit(EXIT_WAIT);
    let id = env.only_session();
    let dir = env.session_dir(&id);
    // Half a record, as a sync tool leaves a file it is still copying.
    let journal = dir.join("journal.jsonl");
    let mut bytes = fs::read(&journal).expect("the journal");
    bytes.extend_from_slice(b"{\"seq\":99,\"at\":\"2026-");
    fs::write(&journal, &bytes).expect("the half record");
    let before = snapshot(&dir);
    let mut watch = env.spawn(&["watch", &id]);
    let screen = watch.wait_for("a record is still arriving");
    assert!(screen.contains("Now: Welcome and consent"), "{screen}");
    assert!(!screen.contains("damaged"), "{screen}");
    watch.type_keys("q");
    watch.wait_exit(EXIT_WAIT);
    assert_eq!(
        snapshot(&dir),
        before,
        "the half record is left for the sync to finish"
    );
}

#[test]
fn watch_outside_a_terminal_says_so_in_one_line() {
    let env = Env::new();
    let (code, _out, err) = env.run(&["watch", "nonesuch"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}
