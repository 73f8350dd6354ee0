//! `topicguide guide check FILE...` as a user meets it: one fixture per malformed guide in
//! `tests/invalid_guides/`, each stating on its first lines what the checker must say:
//!
//! ```toml
//! # expect: 14:1: duplicate theme id "health"
//! ```
//!
//! (`LINE:COL: a substring of the message`). The real binary must exit 1 and print, for each
//! expectation, a line `FILE:LINE:COL: message` whose message contains the substring, and no
//! other line on stdout.

mod common;

use common::{assert_no_backtrace, assert_user_error, run, topicguide};
use std::fs;
use std::path::{Path, PathBuf};
use topicguide::library::BUILTIN_GUIDES;
use topicguide::model::guide::{SessionKind, SessionMode};
use topicguide::model::guide_parse::{Severity, parse_guide};

const EXPECT: &str = "# expect: ";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> Vec<PathBuf> {
    let dir = manifest_dir().join("tests/invalid_guides");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/invalid_guides exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// The `# expect: LINE:COL: text` lines at the top of a fixture, as (LINE:COL, text).
fn expectations(path: &Path) -> Vec<(String, String)> {
    let bytes = fs::read(path).expect("fixture readable");
    // Fixtures may hold bad UTF-8 further down; the expectation lines themselves are text.
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .map_while(|l| l.strip_prefix(EXPECT))
        .map(|rest| {
            let mut parts = rest.splitn(3, ':');
            let (line, col, message) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            assert!(
                line.parse::<usize>().is_ok() && col.parse::<usize>().is_ok(),
                "{}: bad expectation line {rest:?}",
                path.display()
            );
            (format!("{line}:{col}"), message.trim().to_string())
        })
        .collect()
}

/// Runs `guide check` on one fixture, named by its path relative to the crate, and returns every
/// way the output falls short of the fixture's expectations.
fn check_fixture(home: &Path, path: &Path) -> Vec<String> {
    let name = path
        .strip_prefix(manifest_dir())
        .expect("fixture inside the crate")
        .display()
        .to_string();
    let expected = expectations(path);
    let mut problems = Vec::new();
    if expected.is_empty() {
        return vec![format!("{name}: no `{EXPECT}LINE:COL: text` first line")];
    }
    let ran = run(topicguide(home)
        .current_dir(manifest_dir())
        .args(["guide", "check", &name]));
    assert_no_backtrace(&ran);
    if ran.code != Some(1) {
        problems.push(format!("{name}: exit code {:?}, expected 1", ran.code));
    }
    if ran.stderr.lines().count() != 1 {
        problems.push(format!(
            "{name}: expected one line on stderr, got {:?}",
            ran.stderr
        ));
    }
    let lines: Vec<&str> = ran.stdout.lines().collect();
    for (place, message) in &expected {
        let prefix = format!("{name}:{place}: ");
        let found = lines
            .iter()
            .any(|l| l.strip_prefix(&prefix).is_some_and(|m| m.contains(message)));
        if !found {
            problems.push(format!(
                "{name}: expected a line `{prefix}…{message}…`, stdout was:\n{}",
                ran.stdout
            ));
        }
    }
    if lines.len() != expected.len() {
        problems.push(format!(
            "{name}: expected {} line(s) on stdout, got {}:\n{}",
            expected.len(),
            lines.len(),
            ran.stdout
        ));
    }
    problems
}

#[test]
fn every_invalid_guide_fixture_reports_its_line_and_column() {
    let home = tempfile::tempdir().unwrap();
    let files = fixtures();
    // The problems the issue names must each have their fixture.
    for required in [
        "syntax_error",
        "unknown_top_level_key",
        "misspelt_guide_key",
        "misspelt_theme_key",
        "misspelt_probe_key",
        "missing_guide",
        "missing_title",
        "empty_title",
        "no_themes",
        "theme_not_array_of_tables",
        "duplicate_theme_id",
        "id_uppercase",
        "id_with_space",
        "id_empty",
        "missing_id",
        "missing_theme_title",
        "string_where_number",
        "number_where_string",
        "float_minutes",
        "bool_as_string",
        "negative_duration",
        "negative_minutes",
        "probe_wrong_type",
        "probe_table_without_text",
        "invalid_kind",
        "invalid_mode",
        "duration_zero",
    ] {
        assert!(
            files
                .iter()
                .any(|f| f.file_stem().is_some_and(|s| s == required)),
            "missing fixture tests/invalid_guides/{required}.toml"
        );
    }
    let problems: Vec<String> = files
        .iter()
        .flat_map(|f| check_fixture(home.path(), f))
        .collect();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_library_parser_finds_an_error_in_every_fixture() {
    // The same fixtures through the library: no fixture is a valid guide.
    for path in fixtures() {
        let Ok(text) = fs::read_to_string(&path) else {
            continue; // the not-UTF-8 fixture is only for the CLI
        };
        let report = parse_guide(&text);
        assert!(
            report.guide.is_none() && report.errors().next().is_some(),
            "{} parsed as a valid guide",
            path.display()
        );
    }
}

#[test]
fn built_in_guides_pass_with_no_finding() {
    let home = tempfile::tempdir().unwrap();
    let mut files: Vec<String> = fs::read_dir(manifest_dir().join("guides"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| format!("guides/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "the three built-in guides: {files:?}");
    let ran = run(topicguide(home.path())
        .current_dir(manifest_dir())
        .args(["guide", "check"])
        .args(&files));
    assert_no_backtrace(&ran);
    assert_eq!(
        ran.code,
        Some(0),
        "stdout: {}\nstderr: {}",
        ran.stdout,
        ran.stderr
    );
    assert_eq!(
        ran.stdout, "",
        "a shipped guide has no problem, not even a warning"
    );
}

#[test]
fn every_guide_in_the_folder_is_built_in_and_the_promised_ones_are_there() {
    let dir = manifest_dir().join("guides");
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        let built_in = BUILTIN_GUIDES.iter().find(|(name, _)| *name == stem);
        assert_eq!(
            built_in.map(|(_, t)| *t),
            Some(text.as_str()),
            "{} is built into the binary under its file name",
            path.display()
        );
    }
    let guide = |name: &str| {
        let (_, text) = BUILTIN_GUIDES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("built-in guide {name}"));
        parse_guide(text).guide.expect("valid")
    };
    let group = guide("cmp-patient-focus-group");
    assert_eq!(group.kind, SessionKind::FocusGroup);
    let phone = guide("cmp-patient-telephone-interview");
    assert_eq!(phone.kind, SessionKind::Interview);
    assert_eq!(
        phone.mode,
        SessionMode::Telephone,
        "opens in telephone layout without --mode"
    );
    assert_eq!(group.mode, SessionMode::InPerson);
    assert!(phone.duration_minutes <= 55);
    let staff = guide("cmp-staff-interprofessional");
    assert!(staff.title.to_lowercase().contains("interprofessional"));
    for g in [&group, &phone, &staff] {
        assert!(g.themes.len() >= 3, "{} has a real set of themes", g.title);
        assert!(g.budgeted_minutes() <= g.duration_minutes, "{}", g.title);
    }
}

#[test]
fn budgets_over_the_duration_are_valid_with_a_warning() {
    let home = tempfile::tempdir().unwrap();
    let name = "tests/valid_guides/over_budget.toml";
    let ran = run(topicguide(home.path())
        .current_dir(manifest_dir())
        .args(["guide", "check", name]));
    assert_no_backtrace(&ran);
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    // Line 4 holds `duration_minutes = 60`.
    assert_eq!(
        ran.stdout,
        format!(
            "{name}:4:1: warning: theme budgets add up to 70 minutes, more than the 60-minute duration\n"
        )
    );
    let report = parse_guide(&fs::read_to_string(manifest_dir().join(name)).unwrap());
    assert!(report.guide.is_some());
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
}

#[test]
fn several_files_at_once_report_every_problem_of_every_file() {
    let home = tempfile::tempdir().unwrap();
    let files = [
        "tests/invalid_guides/duplicate_theme_id.toml",
        "tests/valid_guides/minimal.toml",
        "tests/invalid_guides/misspelt_guide_key.toml",
        "tests/valid_guides/over_budget.toml",
        "tests/invalid_guides/negative_minutes.toml",
    ];
    let ran = run(topicguide(home.path())
        .current_dir(manifest_dir())
        .args(["guide", "check"])
        .args(files));
    assert_no_backtrace(&ran);
    assert_eq!(ran.code, Some(1));
    // stderr: an "ok" line for each valid file, then the one-line verdict.
    let verdict = ran.stderr.lines().last().unwrap_or_default();
    assert!(
        verdict.starts_with("topicguide: ") && verdict.contains("3 of 5"),
        "stderr: {}",
        ran.stderr
    );
    assert_eq!(ran.stderr.lines().count(), 3, "stderr: {}", ran.stderr);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    let starts = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(
        starts("tests/invalid_guides/duplicate_theme_id.toml:14:1: "),
        1
    );
    assert_eq!(starts("tests/invalid_guides/misspelt_guide_key.toml:"), 2);
    assert_eq!(
        starts("tests/invalid_guides/negative_minutes.toml:8:11: "),
        1
    );
    assert_eq!(
        starts("tests/valid_guides/over_budget.toml:4:1: warning: "),
        1
    );
    assert_eq!(starts("tests/valid_guides/minimal.toml"), 0);
    assert_eq!(lines.len(), 5, "stdout:\n{}", ran.stdout);
}

#[test]
fn a_path_that_cannot_be_read_gives_one_line() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("no-such-guide.toml");
    for path in [missing.as_path(), home.path()] {
        let ran = run(topicguide(home.path()).arg("guide").arg("check").arg(path));
        assert_user_error(&ran);
        assert_eq!(ran.stdout.lines().count(), 1, "stdout: {}", ran.stdout);
        assert!(
            ran.stdout.starts_with(&format!("{}:", path.display())),
            "names the file: {}",
            ran.stdout
        );
    }
}

#[test]
fn guide_check_without_a_file_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(topicguide(home.path()).args(["guide", "check"]));
    assert_user_error(&ran);
    assert_eq!(ran.stdout, "");
}
