//! Loud skips: a test that cannot do its job (a tool missing, no right to mount a disk) says so
//! on the terminal even under the test harness's output capture, and leaves a mark that the CI
//! script counts and prints as a SKIPPED summary. With `TOPICGUIDE_REQUIRE_TOOLS=1` (CI sets it)
//! a missing tool is a failure instead.

#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// Where skip marks are kept: one file per skipped test, read by `.ci/run`.
pub fn skip_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skipped")
}

/// Records that `test` did not do its job because of `why`, loudly. Written straight to the
/// process's stderr, not through `eprintln!`, which the harness captures for passing tests.
/// One mark per test, however many checks of it were skipped.
pub fn skipped(test: &str, why: &str) {
    let line = format!("SKIPPED: {test}: {why}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    let dir = skip_dir();
    if std::fs::create_dir_all(&dir).is_ok() {
        let name: String = test
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let mark = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(name));
        if let Ok(mut mark) = mark {
            let _ = mark.write_all(line.as_bytes());
        }
    }
}

/// The running test's name (the harness names each test's thread after it).
pub fn current_test() -> String {
    std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string()
}

/// A missing tool: fails when tools are required (CI), else a loud skip of `what` in the
/// current test. Returns so the caller can go on without it.
pub fn missing_tool(what: &str, tool: &str, install: &str) {
    let test = current_test();
    let why = format!("{tool} is not installed ({install}): {what} not done");
    if std::env::var_os("TOPICGUIDE_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{test}: {why}, and TOPICGUIDE_REQUIRE_TOOLS=1 requires it");
    }
    skipped(&test, &why);
}
