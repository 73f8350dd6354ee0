//! What the command-line tests share: the real binary run in a clean, fixed environment against a
//! data folder of its own, sessions written into that folder through the library, and the checks
//! of what the binary writes (xmllint, unzip).

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta};
use topicguide::model::session::Session;
use topicguide::storage::session_store::{OpenSession, create_session};

pub mod refi_schema;
#[path = "../support/skip.rs"]
pub mod skip;

#[path = "../support/browser.rs"]
pub mod browser;

/// The `topicguide` binary with HOME and the XDG folders pointing into `home`, the clock's time
/// zone fixed to UTC, and backtraces switched on so that a panic could not hide one.
pub fn topicguide(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_topicguide"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("TZ", "UTC")
        .env("LANG", "C.UTF-8")
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LIB_BACKTRACE", "1")
        // A command that hangs fails its test instead of holding the run for ever.
        .timeout(RUN_WAIT);
    cmd
}

/// How long one run of the binary may take.
pub const RUN_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// What a finished run printed.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the command to the end and keeps what it printed.
pub fn run(cmd: &mut Command) -> Ran {
    let out = cmd.output().expect("the binary runs");
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Fails if the output shows a panic or a backtrace: the CLI must never print one.
pub fn assert_no_backtrace(ran: &Ran) {
    for stream in [&ran.stdout, &ran.stderr] {
        for needle in ["panicked", "backtrace", "RUST_BACKTRACE", "stack backtrace"] {
            assert!(
                !stream.contains(needle),
                "output shows a panic or backtrace ({needle}):\n{stream}"
            );
        }
    }
}

/// Asserts a user error: exit code 1, no backtrace and exactly one line on stderr.
pub fn assert_user_error(ran: &Ran) {
    assert_no_backtrace(ran);
    assert_eq!(ran.code, Some(1), "exit code; stderr: {}", ran.stderr);
    assert_eq!(
        ran.stderr.lines().count(),
        1,
        "exactly one line on stderr, got:\n{}",
        ran.stderr
    );
    assert!(
        ran.stderr.ends_with('\n') && !ran.stderr.trim().is_empty(),
        "a whole, non-empty line on stderr: {:?}",
        ran.stderr
    );
}

/// Creates session `id` in `data` from the built-in guide `guide`, with its start record
/// (`meta` at `start`).
pub fn create(
    data: &Path,
    id: &str,
    guide: &str,
    start: DateTime<Utc>,
    meta: SessionMeta,
) -> OpenSession {
    let source = builtin(guide).unwrap();
    let session = Session::from_records(
        source.load().unwrap(),
        vec![Record {
            seq: 1,
            at: start,
            event: Event::Started(meta),
        }],
    )
    .unwrap();
    create_session(data, id, &source.text, session).unwrap()
}

/// Journals an event as the live screen would, and returns its sequence number.
pub fn add(open: &mut OpenSession, when: DateTime<Utc>, event: Event) -> u64 {
    let record = Record {
        seq: open.session.next_seq(),
        at: when,
        event,
    };
    open.writer.append(&record).unwrap();
    open.session.push(record);
    open.session.next_seq() - 1
}

/// A temporary HOME with the data folder at `home/data`, and the binary run against it.
pub struct DataHome {
    pub home: TempDir,
}

impl DataHome {
    /// A new, empty HOME (its data folder is made by the first session written to it). Each test
    /// crate adds its own `new` that fills the data folder.
    pub fn empty() -> Self {
        DataHome {
            home: tempfile::tempdir().unwrap(),
        }
    }

    /// The data folder: `home/data`.
    pub fn data(&self) -> PathBuf {
        self.home.path().join("data")
    }

    /// A file or folder `name` in the HOME, for `-o` and the like.
    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    /// Runs topicguide with `--data-dir` and the given arguments; never a backtrace.
    pub fn run(&self, args: &[&str]) -> Ran {
        let mut cmd = topicguide(self.home.path());
        cmd.arg("--data-dir").arg(self.data()).args(args);
        let ran = run(&mut cmd);
        assert_no_backtrace(&ran);
        ran
    }

    /// Runs topicguide as `run` does, asserts it succeeded and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let ran = self.run(args);
        assert_eq!(
            ran.code,
            Some(0),
            "topicguide {args:?}\nstdout: {}\nstderr: {}",
            ran.stdout,
            ran.stderr
        );
        ran.stdout
    }
}

/// The published REFI-QDA schemas, vendored into the repository's test data.
pub const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/refi-qda");

/// Validates `file` against `schema` (a file in `SCHEMAS`) with xmllint; false, with a loud
/// skip, if xmllint is missing (a failure when `TOPICGUIDE_REQUIRE_TOOLS=1`).
pub fn xmllint(schema: &str, file: &Path) -> bool {
    let schema = Path::new(SCHEMAS).join(schema);
    let ran = Command::new("xmllint")
        .timeout(RUN_WAIT)
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output();
    match ran {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            skip::missing_tool(
                &format!("schema check of {}", file.display()),
                "xmllint",
                "apt-get install libxml2-utils",
            );
            false
        }
        Err(e) => panic!("cannot run xmllint: {e}"),
        Ok(out) => {
            assert!(
                schema.is_file(),
                "the schema {} is missing from the repository",
                schema.display()
            );
            assert!(
                out.status.success(),
                "{} does not validate against {}:\n{}",
                file.display(),
                schema.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            true
        }
    }
}

/// The zip's entries, by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 text");
        out.insert(entry.name().expect("a UTF-8 name").to_string(), text);
    }
    out
}
