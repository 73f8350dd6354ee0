//! What the command-line tests share: the real binary run in a clean, fixed environment.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::Path;

/// The `topicguide` binary with HOME and the XDG folders pointing into `home`, the clock's time
/// zone fixed to UTC, and backtraces switched on so that a panic could not hide one.
pub fn topicguide(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_topicguide"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("TZ", "UTC")
        .env("LANG", "C.UTF-8")
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LIB_BACKTRACE", "1");
    cmd
}

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
