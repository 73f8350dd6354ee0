//! A study across note-takers through the real binary in a pseudo-terminal: each session records
//! who took the notes and on which computer.

#[path = "support/pty.rs"]
mod pty;

use pty::{EXIT_WAIT, Env, GUIDE};
use std::fs;

fn write_config(env: &Env, text: &str) {
    let dir = env.home.join(".config/topicguide");
    fs::create_dir_all(&dir).expect("the config folder");
    fs::write(dir.join("config.toml"), text).expect("the config file");
}

/// Starts a session with `extra` options, stops it with SIGTERM (saved, like every way out) and
/// returns its JSON export.
fn session_with(env: &Env, label: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["start", GUIDE, "--label", label];
    args.extend_from_slice(extra);
    let mut pty = env.spawn(&args);
    pty.wait_ready(label);
    pty.signal("TERM");
    pty.wait_exit(EXIT_WAIT);
    let (code, out, err) = env.run(&["list", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let sessions: serde_json::Value = serde_json::from_str(&out).expect("list --json");
    let id = sessions
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|s| s["label"] == label)
                .and_then(|s| s["id"].as_str())
        })
        .unwrap_or_else(|| panic!("session {label} listed: {out}"))
        .to_string();
    env.export(&id)
}

#[test]
fn the_note_taker_comes_from_the_config_or_the_option_and_the_machine_is_recorded() {
    let env = Env::new();
    write_config(&env, "researcher = \"A. Rivera\"\n");
    let from_config = session_with(&env, "From config", &[]);
    assert_eq!(from_config["session"]["researcher"], "A. Rivera");

    let from_option = session_with(&env, "From option", &["--researcher", "KM"]);
    assert_eq!(
        from_option["session"]["researcher"], "KM",
        "--researcher wins over the config"
    );

    // The machine name is in the journal's start record and in the Markdown report.
    let id = from_option["session"]["id"].as_str().expect("id");
    let journal = fs::read_to_string(env.session_dir(id).join("journal.jsonl")).expect("journal");
    let host = this_machine();
    assert!(
        journal.contains(&format!("\"machine\":\"{host}\"")),
        "the start record names this machine ({host}): {journal}"
    );
    let (code, md, err) = env.run(&["export", id, "--format", "md"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(md.contains("| Note-taker | KM |"), "{md}");
    assert!(md.contains(&format!("| Recorded on | {host} |")), "{md}");
}

#[test]
fn without_a_note_taker_the_json_says_null() {
    let env = Env::new();
    let export = session_with(&env, "Nobody", &[]);
    assert!(export["session"]["researcher"].is_null(), "{export}");
}

/// This machine's name as the kernel reports it (what `uname -n` prints).
fn this_machine() -> String {
    let out = std::process::Command::new("uname")
        .arg("-n")
        .output()
        .expect("uname runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
