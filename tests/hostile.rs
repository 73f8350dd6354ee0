//! Hostile inputs and places, each the way an adversarial pass found it (issue 12): `-o` aimed at
//! a journal, a device, a FIFO or a planted link; journals replaced, linked, damaged or written by
//! a newer topicguide; escape sequences and formulas in what users typed. Fixtures are in
//! `tests/hostile/`.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DataHome, add, assert_user_error, create};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::PathBuf;
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};
use topicguide::storage::journal::JOURNAL_FILE;

const ID: &str = "20261123-1405-group-1";
const GUIDE: &str = "cmp-patient-focus-group";

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).unwrap() + Duration::seconds(seconds)
}

fn note(id: &str, seconds: i64, theme: &str, text: &str) -> Event {
    Event::NoteAdded {
        id: id.into(),
        noted_at: at(seconds),
        theme: Some(theme.into()),
        text: text.into(),
    }
}

/// A data folder with one ended focus group holding the given note texts.
fn with_notes(texts: &[&str]) -> DataHome {
    let home = DataHome::empty();
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    let meta = SessionMeta {
        participants: (1..=5).map(|n| format!("P{n}")).collect(),
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    };
    let mut s = create(&home.data(), ID, GUIDE, at(0), meta);
    add(
        &mut s,
        at(10),
        Event::Discussing {
            theme: "health".into(),
        },
    );
    for (i, text) in texts.iter().enumerate() {
        let seconds = 20 + 10 * i as i64;
        add(
            &mut s,
            at(seconds + 5),
            note(&format!("n{}", i + 1), seconds, "health", text),
        );
    }
    add(&mut s, at(600), Event::Ended);
    home
}

fn session_dir(home: &DataHome) -> PathBuf {
    home.data().join("sessions").join(ID)
}

fn journal(home: &DataHome) -> PathBuf {
    session_dir(home).join(JOURNAL_FILE)
}

// ---- export -o --------------------------------------------------------------------------

#[test]
fn export_o_refuses_the_journal_and_anything_in_a_session_folder() {
    let home = with_notes(&["a note"]);
    let before = fs::read(journal(&home)).unwrap();
    let dir = session_dir(&home);
    let targets = [
        journal(&home),
        dir.join("guide.toml"),
        dir.join("report.md"),
        home.data().join("sessions").join("report.md"),
    ];
    for target in &targets {
        let ran = home.run(&[
            "export",
            ID,
            "--format",
            "md",
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_user_error(&ran);
        assert!(
            ran.stderr.contains("never writes into a session folder"),
            "{}",
            ran.stderr
        );
    }
    // Also through a link to the session folder, from elsewhere.
    let link = home.path("elsewhere");
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    let ran = home.run(&[
        "export",
        ID,
        "--format",
        "md",
        "-o",
        link.join(JOURNAL_FILE).to_str().unwrap(),
    ]);
    assert_user_error(&ran);
    // A session folder outside the data folder is a session folder too.
    let other = home.path("copy-of-session");
    fs::create_dir(&other).unwrap();
    fs::copy(journal(&home), other.join(JOURNAL_FILE)).unwrap();
    let ran = home.run(&[
        "export",
        ID,
        "--format",
        "md",
        "-o",
        other.join("x.md").to_str().unwrap(),
    ]);
    assert_user_error(&ran);

    assert_eq!(
        fs::read(journal(&home)).unwrap(),
        before,
        "the journal is untouched"
    );
    assert!(!dir.join("report.md").exists());
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "nothing new in the session folder: {names:?}"
    );
}

#[test]
fn export_o_writes_through_dev_null_and_a_fifo_and_never_replaces_them() {
    let home = with_notes(&["a note"]);
    let ran = home.run(&["export", ID, "--format", "csv", "-o", "/dev/null"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let meta = fs::metadata("/dev/null").unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(
        &meta.file_type()
    ));

    let fifo = home.path("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // With no reader: refused at once, not waited on.
    let ran = home.run(&[
        "export",
        ID,
        "--format",
        "csv",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("no reader"), "{}", ran.stderr);
    // With a reader: written through.
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || fs::read_to_string(reader_path).unwrap());
    // The reader's open blocks until a writer comes; try until the export finds it there.
    let mut ran = home.run(&[
        "export",
        ID,
        "--format",
        "csv",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    for _ in 0..100 {
        if ran.code == Some(0) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        ran = home.run(&[
            "export",
            ID,
            "--format",
            "csv",
            "-o",
            fifo.to_str().unwrap(),
        ]);
    }
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let read = reader.join().unwrap();
    assert!(read.starts_with("session,offset,at,theme_id"), "{read}");
    let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind),
        "still a FIFO"
    );
}

#[test]
fn export_o_never_replaces_a_symlink_and_its_temp_file_is_random_exclusive_and_private() {
    let home = with_notes(&["a note"]);
    let target = home.path("target.md");
    fs::write(&target, "keep me").unwrap();
    let link = home.path("report.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let ran = home.run(&["export", ID, "--format", "md", "-o", link.to_str().unwrap()]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("symbolic link"), "{}", ran.stderr);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");

    // The old predictable temp name, planted as a link and as a world-writable file: neither is
    // followed, used or kept.
    let out = home.path("out.md");
    let victim = home.path("victim");
    fs::write(&victim, "victim").unwrap();
    std::os::unix::fs::symlink(&victim, home.path(".out.md.tmp")).unwrap();
    let planted = home.path(".out.md.x.tmp");
    fs::write(&planted, "planted").unwrap();
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o666)).unwrap();
    fs::write(&out, "old").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o666)).unwrap();
    let ran = home.run(&["export", ID, "--format", "md", "-o", out.to_str().unwrap()]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "victim");
    assert_eq!(fs::read_to_string(&planted).unwrap(), "planted");
    assert!(fs::read_to_string(&out).unwrap().contains("Group 1"));
    assert_eq!(
        fs::metadata(&out).unwrap().mode() & 0o777,
        0o600,
        "written 0600"
    );
    // No temp file left behind.
    let left: Vec<String> = fs::read_dir(home.home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert_eq!(left.len(), 2, "only the planted ones: {left:?}");
}

#[test]
fn export_o_onto_a_folder_is_refused() {
    let home = with_notes(&["a note"]);
    let folder = home.path("folder");
    fs::create_dir(&folder).unwrap();
    let ran = home.run(&[
        "export",
        ID,
        "--format",
        "md",
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert_user_error(&ran);
    assert!(folder.is_dir());
}
