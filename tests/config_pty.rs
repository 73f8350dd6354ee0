//! The config file through the real binary in a pseudo-terminal: keys added in `[keys.live]`
//! work beside the default keys, the help lists them, and `NO_COLOR` leaves no colour escapes.

#[path = "support/pty.rs"]
mod pty;

use pty::{EXIT_WAIT, Env, saved_line};
use std::fs;

fn write_config(env: &Env, text: &str) {
    let dir = env.home.join(".config/topicguide");
    fs::create_dir_all(&dir).expect("the config folder");
    fs::write(dir.join("config.toml"), text).expect("the config file");
}

#[test]
fn keys_added_in_the_config_work_and_the_defaults_still_do() {
    let env = Env::new();
    write_config(
        &env,
        "[keys.live]\ncover = [\"Ctrl-v\"]\nspeaker_2 = [\"Alt-w\"]\n",
    );
    let mut pty = env.spawn(&[
        "start",
        "cmp-patient-focus-group",
        "--label",
        "Keys",
        "--participants",
        "4",
    ]);
    pty.wait_ready("Keys");
    // Ctrl-v (added) covers the first theme; Ctrl-o (the default) covers the second.
    pty.type_keys("\x16");
    pty.wait_for("Themes  1/8");
    pty.type_keys("\x1b[B");
    pty.type_keys("\x0f");
    pty.wait_for("Themes  2/8");
    // Alt-w (added) names the speaker as Alt-2 does.
    pty.type_keys("\x1bw");
    pty.wait_for("@P2");
    pty.type_keys(" typed after Alt-w\r");
    pty.wait_for("typed after Alt-w");
    // The help lists the added keys beside the defaults.
    pty.type_keys("\x07");
    let screen = pty.wait_for("Help");
    assert!(
        screen.contains("F2 Ctrl-o Ctrl-v"),
        "the help shows the added key:\n{screen}"
    );
    pty.type_keys("\x1b");
    pty.wait_until("the help to close", pty::WAIT, |s| !s.contains("Help:"));
    pty.type_keys("\x04\x04");
    pty.wait_exit(EXIT_WAIT);
    let (id, _) = saved_line(&pty.output());
    let export = env.export(&id);
    let themes = export["themes"].as_array().expect("themes");
    assert_eq!(themes[0]["status"], "covered");
    assert_eq!(themes[1]["status"], "covered");
    assert_eq!(export["notes"][0]["text"], "typed after Alt-w");
    assert_eq!(export["notes"][0]["speaker"], "P2");
}

/// Colour escapes: SGR parameters 30-37, 39-47, 49, 90-97, 100-107 and 38/48 (256 and RGB).
fn colour_escapes(output: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = output;
    while let Some(at) = rest.find("\x1b[") {
        rest = &rest[at + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            let params = &rest[..end];
            let colour = params
                .split([';', ':'])
                .any(|p| matches!(p.parse::<u16>(), Ok(30..=49 | 90..=97 | 100..=107)));
            if colour {
                found.push(params.to_string());
            }
        }
    }
    found
}

#[test]
fn no_color_in_the_environment_leaves_no_colour_escapes() {
    let mut env = Env::new();
    env.extra_vars.push(("NO_COLOR", "1".into()));
    let mut pty = env.spawn(&[
        "start",
        "cmp-patient-focus-group",
        "--label",
        "Mono",
        "--minutes",
        "3",
    ]);
    pty.wait_ready("Mono");
    // A short session warns at once, the loudest screen there is.
    pty.wait_for("not addressed");
    pty.type_keys("@P1 plain #quote\r");
    pty.wait_for("plain #quote");
    pty.type_keys("\x04\x04");
    pty.wait_exit(EXIT_WAIT);
    let output = pty.output();
    assert!(output.contains("Session saved: "), "{output:?}");
    let escapes = colour_escapes(&output);
    assert!(
        escapes.is_empty(),
        "colour escapes with NO_COLOR: {escapes:?}"
    );
}

#[test]
fn without_no_color_the_screen_has_colour() {
    // The check above must be able to fail: the same screen without NO_COLOR has colours.
    let env = Env::new();
    let mut pty = env.spawn(&[
        "start",
        "cmp-patient-focus-group",
        "--label",
        "Colour",
        "--minutes",
        "3",
    ]);
    pty.wait_ready("Colour");
    pty.wait_for("not addressed");
    pty.type_keys("\x04\x04");
    pty.wait_exit(EXIT_WAIT);
    assert!(!colour_escapes(&pty.output()).is_empty());
}
