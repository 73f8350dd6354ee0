//! The config file as a user meets it: one fixture per bad config (each problem reported as
//! `FILE:LINE:COL: message`), a good config taking effect, and the generated completions and
//! manual page.

mod common;

use common::{assert_no_backtrace, run, topicguide};
use std::fs;
use std::path::Path;

fn expectations(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_bad_config_is_reported_at_its_line_and_column() {
    let home = tempfile::tempdir().expect("a home");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid_configs");
    let mut fixtures: Vec<_> = fs::read_dir(&dir)
        .expect("the fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 10, "one fixture per bad config");
    for fixture in fixtures {
        let text = fs::read_to_string(&fixture).expect("a fixture");
        let expected = expectations(&text);
        assert!(
            !expected.is_empty(),
            "{} says what it expects",
            fixture.display()
        );
        let ran = run(topicguide(home.path())
            .arg("--config")
            .arg(&fixture)
            .arg("--data-dir")
            .arg(home.path().join("data"))
            .arg("list"));
        assert_no_backtrace(&ran);
        assert_eq!(ran.code, Some(1), "{}: {}", fixture.display(), ran.stderr);
        for e in expected {
            let (position, message) = e.split_at(e.find(": ").expect("LINE:COL: message"));
            let want = format!("{}:{position}:", fixture.display());
            let line = ran
                .stderr
                .lines()
                .find(|l| l.starts_with(&want))
                .unwrap_or_else(|| {
                    panic!(
                        "{}: no line at {position} in:\n{}",
                        fixture.display(),
                        ran.stderr
                    )
                });
            assert!(
                line.contains(&message[2..]),
                "{}: {line:?} does not say {:?}",
                fixture.display(),
                &message[2..]
            );
        }
    }
}

#[test]
fn a_missing_config_named_with_the_option_is_an_error_but_a_missing_default_is_not() {
    let home = tempfile::tempdir().expect("a home");
    let ran = run(topicguide(home.path()).args([
        "--config",
        "/nonexistent/config.toml",
        "guide",
        "list",
    ]));
    assert_eq!(ran.code, Some(1));
    assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
    let ran = run(topicguide(home.path()).args(["guide", "list"]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
}

#[test]
fn the_default_config_file_gives_the_data_folder() {
    let home = tempfile::tempdir().expect("a home");
    let config_dir = home.path().join(".config/topicguide");
    fs::create_dir_all(&config_dir).expect("config dir");
    let data = home.path().join("fieldwork");
    fs::write(
        config_dir.join("config.toml"),
        format!("data_dir = \"{}\"\n", data.display()),
    )
    .expect("config");
    let ran = run(topicguide(home.path()).arg("list"));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&data.display().to_string()),
        "{}",
        ran.stderr
    );
    // The option and the environment still come first.
    let other = home.path().join("other");
    let ran = run(topicguide(home.path())
        .arg("list")
        .env("TOPICGUIDE_DATA_DIR", &other));
    assert!(
        ran.stderr.contains(&other.display().to_string()),
        "{}",
        ran.stderr
    );
}

#[test]
fn completions_and_the_manual_are_generated() {
    let home = tempfile::tempdir().expect("a home");
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef topicguide"),
        ("fish", "complete -c topicguide"),
    ] {
        let ran = run(topicguide(home.path()).args(["completions", shell]));
        assert_eq!(ran.code, Some(0), "{shell}: {}", ran.stderr);
        assert!(
            ran.stdout.contains(marker),
            "{shell} completions lack {marker:?}"
        );
        for command in ["start", "resume", "list", "export", "review", "guide"] {
            assert!(
                ran.stdout.contains(command),
                "{shell} completions lack {command}"
            );
        }
    }
    let ran = run(topicguide(home.path()).arg("man"));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stdout.starts_with(".ie") || ran.stdout.contains(".TH topicguide 1"),
        "{}",
        &ran.stdout[..200.min(ran.stdout.len())]
    );
    assert!(
        ran.stdout.contains(".SH SUBCOMMANDS") || ran.stdout.contains("topicguide\\-start"),
        "the manual lists the commands"
    );
    let ran = run(topicguide(home.path()).args(["completions", "tcsh"]));
    assert_eq!(ran.code, Some(1));
}

#[test]
fn help_has_examples_and_version_is_the_crate_version() {
    let home = tempfile::tempdir().expect("a home");
    let ran = run(topicguide(home.path()).arg("--help"));
    assert_eq!(ran.code, Some(0));
    assert!(ran.stdout.contains("Examples:"), "{}", ran.stdout);
    let ran = run(topicguide(home.path()).arg("--version"));
    assert_eq!(
        ran.stdout.trim(),
        format!("topicguide {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_reader_that_stops_early_is_no_failure() {
    // `topicguide completions zsh | head -1`: the pipe closes before the output is written.
    let home = tempfile::tempdir().expect("a home");
    for args in [
        &["completions", "zsh"][..],
        &["man"][..],
        &["guide", "list"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_topicguide"))
            .args(args)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary starts");
        drop(child.stdout.take());
        // Bounded: a program stuck on the closed pipe fails the test instead of hanging it.
        let deadline = std::time::Instant::now() + common::RUN_WAIT;
        let status = loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{args:?} did not end within {:?}", common::RUN_WAIT);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
            .expect("stderr read");
        assert!(status.success(), "{args:?}: {status:?} {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
