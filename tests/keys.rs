//! `topicguide keys`: the effective keys of every screen, checked against PRODUCT.md's contract
//! (the JSON's shape, the action names, the key spellings, the promise that no printable key
//! runs a command on the live screen), with the config's keys added; and the README's key table,
//! which must be what `topicguide keys --format md` prints.

mod common;

use common::{assert_no_backtrace, run, topicguide};
use serde_json::Value;
use std::path::Path;

/// Key spellings as the contract writes them: a character, a named key, F1..F12, Ctrl-x, Alt-x
/// (a chord may also hold a named key: Ctrl-Left, Alt-Backspace).
fn is_contract_spelling(key: &str) -> bool {
    const NAMED: [&str; 16] = [
        "Space",
        "Enter",
        "Tab",
        "BackTab",
        "Esc",
        "Up",
        "Down",
        "Left",
        "Right",
        "PageUp",
        "PageDown",
        "Home",
        "End",
        "Delete",
        "Backspace",
        "Insert",
    ];
    let base = key
        .strip_prefix("Ctrl-")
        .or_else(|| key.strip_prefix("Alt-"))
        .unwrap_or(key);
    let function = base
        .strip_prefix('F')
        .and_then(|n| n.parse::<u8>().ok())
        .is_some_and(|n| (1..=12).contains(&n));
    base.chars().count() == 1 || NAMED.contains(&base) || function
}

/// A key prose can type: one character with no Ctrl or Alt, or Space.
fn is_printable(key: &str) -> bool {
    key == "Space" || key.chars().count() == 1
}

fn keys_json(home: &Path, config: Option<&Path>) -> Value {
    let mut cmd = topicguide(home);
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    let ran = run(cmd.args(["keys", "--format", "json"]));
    assert_no_backtrace(&ran);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    serde_json::from_str(&ran.stdout).expect("keys --format json is JSON")
}

fn keys_of<'a>(screen: &'a Value, action: &str) -> Vec<&'a str> {
    screen
        .as_array()
        .expect("a list per screen")
        .iter()
        .filter(|e| e["action"] == action)
        .flat_map(|e| e["keys"].as_array().expect("keys").iter())
        .map(|k| k.as_str().expect("a key name"))
        .collect()
}

#[test]
fn keys_json_has_the_contract_shape_names_and_spellings() {
    let home = tempfile::tempdir().expect("a home");
    let v = keys_json(home.path(), None);
    let screens = v.as_object().expect("an object of screens");
    for name in ["live", "end_check", "leave"] {
        assert!(screens.contains_key(name), "screen {name}");
    }
    for (name, list) in screens {
        for entry in list.as_array().expect("a list") {
            let mut fields: Vec<&str> = entry
                .as_object()
                .expect("an entry")
                .keys()
                .map(String::as_str)
                .collect();
            fields.sort_unstable();
            assert_eq!(fields, ["action", "description", "keys"], "{name}: {entry}");
            assert!(!entry["description"].as_str().unwrap_or_default().is_empty());
            let keys = entry["keys"].as_array().expect("keys");
            assert!(!keys.is_empty(), "{name}: {entry}");
            for key in keys {
                let key = key.as_str().expect("a string");
                assert!(
                    is_contract_spelling(key),
                    "{name}: {key:?} is not a config spelling"
                );
            }
        }
    }
    let live = &v["live"];
    let mut actions: Vec<String> = [
        "cover",
        "skip",
        "pause",
        "recording",
        "undo",
        "redo",
        "participants",
        "add_theme",
        "move_note",
        "switch_pane",
        "help",
        "end",
        "leave",
    ]
    .map(String::from)
    .to_vec();
    actions.extend((1..=9).map(|n| format!("probe_{n}")));
    actions.extend((1..=9).map(|n| format!("speaker_{n}")));
    for action in &actions {
        let keys = keys_of(live, action);
        assert!(!keys.is_empty(), "live: {action} has a key");
        // Function keys need `fn` on many laptops: a chord or a plain non-printing key too.
        assert!(
            keys.iter().any(|k| !(k.starts_with('F') && k.len() > 1)),
            "live: {action} has more than function keys: {keys:?}"
        );
    }
    assert_eq!(keys_of(live, "cover"), ["F2", "Ctrl-o"]);
    assert!(!keys_of(&v["end_check"], "confirm").is_empty());
    assert!(!keys_of(&v["leave"], "confirm").is_empty());
    // The promise: nothing printable runs a command anywhere on the live screen.
    for screen in [
        "live",
        "note_line",
        "notes",
        "help",
        "end_check",
        "leave",
        "participants",
        "recording_check",
        "move_note",
    ] {
        for entry in v[screen].as_array().expect(screen) {
            for key in entry["keys"].as_array().expect("keys") {
                let key = key.as_str().unwrap_or_default();
                assert!(
                    !is_printable(key),
                    "{screen}: {key:?} runs {}",
                    entry["action"]
                );
            }
        }
    }
}

#[test]
fn keys_from_the_config_are_added_after_the_defaults() {
    let home = tempfile::tempdir().expect("a home");
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        "[keys.live]\ncover = [\"Ctrl-v\"]\n[keys.review]\nquit = [\"x\"]\n",
    )
    .expect("a config");
    let v = keys_json(home.path(), Some(&config));
    assert_eq!(keys_of(&v["live"], "cover"), ["F2", "Ctrl-o", "Ctrl-v"]);
    assert!(
        keys_of(&v["review"], "quit").contains(&"x"),
        "printable keys are fine off the live screen"
    );

    let ran = run(topicguide(home.path())
        .args(["keys"])
        .arg("--config")
        .arg(&config));
    assert_eq!(ran.code, Some(0));
    assert!(ran.stdout.contains("F2 Ctrl-o Ctrl-v"), "{}", ran.stdout);
    for screen in ["[live]", "[end_check]", "[leave]", "[note_line]"] {
        assert!(ran.stdout.contains(screen), "{screen} in the table");
    }
}

#[test]
fn a_printable_key_for_a_live_action_is_refused_at_its_line_and_column() {
    let home = tempfile::tempdir().expect("a home");
    let config = home.path().join("config.toml");
    std::fs::write(&config, "bell = true\n[keys.live]\nend = [\"e\"]\n").expect("a config");
    let ran = run(topicguide(home.path())
        .arg("--config")
        .arg(&config)
        .arg("keys"));
    assert_no_backtrace(&ran);
    assert_eq!(ran.code, Some(1), "{}", ran.stdout);
    let want = format!(
        "{}:3:8: 'e' types text on the live screen",
        config.display()
    );
    assert!(ran.stderr.starts_with(&want), "{}", ran.stderr);
}

#[test]
fn the_readme_key_table_is_the_one_topicguide_keys_prints() {
    let home = tempfile::tempdir().expect("a home");
    let ran = run(topicguide(home.path()).args(["keys", "--format", "md"]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("the README");
    let begin = "<!-- keys: generated by `topicguide keys --format md`; a test checks it -->\n";
    let start = readme.find(begin).expect("the README marks its key table") + begin.len();
    let end = readme[start..]
        .find("<!-- keys end -->")
        .expect("the table's end")
        + start;
    assert_eq!(
        &readme[start..end],
        ran.stdout,
        "README.md's key table differs from `topicguide keys --format md`: paste its output in"
    );
}
