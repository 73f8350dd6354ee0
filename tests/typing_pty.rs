//! Typing is always safe, through the real binary in a pseudo-terminal: several hundred
//! characters of prose (every letter, digit and punctuation mark, accents and emoji) typed into
//! the live screen from each of its states run no command and end up as note text; the note
//! line survives `kill -9` and comes back on resume; Ctrl-Z gives the terminal back and `fg`
//! (SIGCONT) carries on.

#[path = "support/pty.rs"]
mod pty;

use pty::{EXIT_WAIT, Env, Pty, WAIT, note_texts, start};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

/// Realistic prose from a focus group, with every letter (both cases), digit and ASCII
/// punctuation mark, and some that are not ASCII. No `@` at its start, so it names no speaker.
const PROSE: &str = "They said the quick brown fox jumps over the lazy dog; \
THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG! We really need to ask about pain (p. 3): \
\"0123456789\" - 50% of [us] {often} ~ask~ `why` a+b=c, x*y/z < 10 > 5 & ask @P3 #quote $5 ^_^ | \
back\\slash 'quoted' ? yes, end it; quit; exit. Crème brûlée, naïve café, Zoë 😀 — qyenrpuaesdj.";

/// Waits a moment so the next bytes are read on their own (after Esc, say, which the terminal
/// reader would otherwise join with the next character into an Alt- chord).
fn settle() {
    std::thread::sleep(Duration::from_millis(300));
}

/// What typing must never change: every field of the export but the clock's seconds and the
/// notes and drafts, which typing may add to.
fn guarded(export: &Value) -> Value {
    let mut v = export.clone();
    if let Some(themes) = v["themes"].as_array_mut() {
        for t in themes {
            t["seconds_discussed"] = Value::Null;
        }
    }
    v["notes"] = Value::Null;
    v["drafts"] = Value::Null;
    v
}

/// The kinds of journal record after the first `skip` records.
fn record_kinds(env: &Env, id: &str, skip: usize) -> Vec<String> {
    let journal =
        std::fs::read_to_string(env.session_dir(id).join("journal.jsonl")).expect("the journal");
    journal
        .lines()
        .skip(skip)
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a record");
            match &v["rec"]["event"] {
                Value::String(s) => s.clone(),
                Value::Object(o) => o.keys().next().cloned().unwrap_or_default(),
                other => other.to_string(),
            }
        })
        .collect()
}

fn journal_lines(env: &Env, id: &str) -> usize {
    std::fs::read_to_string(env.session_dir(id).join("journal.jsonl"))
        .expect("the journal")
        .lines()
        .count()
}

fn wait_notes(pty: &mut Pty, count: usize) {
    let header = format!("Notes {count} ");
    pty.wait_until(&format!("{header:?}"), WAIT, |s| s.contains(&header));
}

#[test]
fn prose_typed_into_every_state_runs_no_command_and_ends_up_as_notes() {
    assert!(PROSE.chars().count() > 250, "several hundred characters");
    for c in ('a'..='z').chain('A'..='Z').chain('0'..='9') {
        assert!(PROSE.contains(c), "{c} is typed");
    }
    for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".chars() {
        assert!(PROSE.contains(c), "{c} is typed");
    }
    let env = Env::new();
    let mut pty = start(&env, "Typing test");
    let id = env.only_session();
    // A theme under discussion and a note, so that there is state to disturb.
    pty.type_keys("\r");
    pty.wait_for("▶");
    pty.type_keys("@P1 first words\r");
    wait_notes(&mut pty, 1);
    let mut notes = 1;
    let mut drafts = 0;

    let states: [(&str, &str, &str); 5] = [
        ("the theme list", "", ""),
        ("the notes pane", "\t", "Notes"),
        ("after a save", "@P2 saved just now\r", "saved just now"),
        ("after Esc", "set aside, not merged\x1b", "1 draft kept"),
        ("the participants box open", "\x0e", " Seating plan "),
    ];
    for (state, keys, shown) in states {
        if !keys.is_empty() {
            pty.type_keys(keys);
            pty.wait_for(shown);
            settle();
            if keys.ends_with('\r') {
                notes += 1;
                wait_notes(&mut pty, notes);
            }
            if keys.ends_with('\x1b') {
                drafts += 1;
            }
        }
        let before = env.export(&id);
        let lines = journal_lines(&env, &id);
        pty.type_keys(PROSE);
        pty.wait_for("qyenrpuaesdj.");
        // Nothing was journaled by the typing itself: the note is still only in the line.
        assert_eq!(
            journal_lines(&env, &id),
            lines,
            "{state}: typing journaled something"
        );
        pty.type_keys("\r");
        notes += 1;
        wait_notes(&mut pty, notes);
        assert!(pty.running(), "{state}: the program is still there");
        let after = env.export(&id);
        assert_eq!(
            guarded(&after),
            guarded(&before),
            "{state}: typing changed the session"
        );
        assert_eq!(
            record_kinds(&env, &id, lines),
            ["note_added"],
            "{state}: only the note was journaled"
        );
        let texts = note_texts(&after);
        assert_eq!(texts.last().map(String::as_str), Some(PROSE), "{state}");
        assert!(
            texts[..texts.len() - 1] == note_texts(&before)[..],
            "{state}: saved notes unchanged"
        );
        assert_eq!(
            after["drafts"].as_array().map(Vec::len),
            Some(drafts),
            "{state}"
        );
    }
    // The draft set aside was never merged into the prose typed after it.
    let export = env.export(&id);
    assert_eq!(export["drafts"][0]["text"], "set aside, not merged");
    assert_eq!(export["session"]["recording_started_at"], Value::Null);
    assert_eq!(export["session"]["state"], "live");
    pty.signal("TERM");
    pty.wait_exit(EXIT_WAIT);
}

#[test]
fn kill_9_two_seconds_after_the_last_key_loses_nothing_and_resume_puts_it_back() {
    let env = Env::new();
    let mut pty = start(&env, "Crash draft");
    let id = env.only_session();
    let typed = "@P4 the words typed just before the crash, café 😀";
    let begun = chrono::Utc::now();
    pty.type_keys(typed);
    pty.wait_for("just before the crash");
    std::thread::sleep(Duration::from_secs(2));
    pty.signal("KILL");
    assert!(!pty.wait_exit(EXIT_WAIT).success());
    let file = env.session_dir(&id).join("note-line.json");
    let mode = std::fs::metadata(&file)
        .expect("the draft file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the draft file is the owner's only");
    assert!(
        note_texts(&env.export(&id)).is_empty(),
        "not a note until Enter"
    );

    let mut resumed = env.spawn(&["resume", &id]);
    resumed.wait_ready("Crash draft");
    let screen = resumed.wait_for("▸ @P4 the words typed just before the crash");
    assert!(screen.contains("back in the note line"), "{screen}");
    resumed.type_keys(" and after\r");
    wait_notes(&mut resumed, 1);
    resumed.type_keys("\x04\x04");
    assert!(resumed.wait_exit(EXIT_WAIT).success());
    let export = env.export(&id);
    assert_eq!(
        note_texts(&export),
        ["the words typed just before the crash, café 😀 and after"]
    );
    // Timed at its first key, before the crash.
    let at = chrono::DateTime::parse_from_rfc3339(export["notes"][0]["at"].as_str().unwrap())
        .expect("a time");
    let lag = at.with_timezone(&chrono::Utc) - begun;
    assert!(
        lag.num_milliseconds().abs() < 1500,
        "timed at the first key: {lag:?}"
    );
    assert!(!file.exists(), "a clean leave clears the draft file");
}

/// The process's state letter from /proc (`T` when stopped).
fn process_state(pid: &str) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')')
        .next()
        .and_then(|rest| rest.trim().chars().next())
        .unwrap_or('?')
}

fn wait_state(pid: &str, want: char) {
    let deadline = Instant::now() + WAIT;
    while process_state(pid) != want {
        assert!(
            Instant::now() < deadline,
            "process {pid} never reached state {want}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_fg_redraws_and_carries_on() {
    if !std::path::Path::new("/proc/self/stat").exists() {
        eprintln!("SKIPPED: no /proc to see the process stop");
        return;
    }
    let env = Env::new();
    let mut pty = start(&env, "Suspend test");
    pty.type_keys("@P2 typed before the suspension");
    pty.wait_for("before the suspension");
    let mark = pty.output().len();
    pty.type_keys("\x1a");
    let pid = pty.pid();
    wait_state(&pid, 'T');
    let output = pty.output();
    let after_stop = &output[mark..];
    for (what, escape) in [
        ("leaves the alternate screen", "\x1b[?1049l"),
        ("disables bracketed paste", "\x1b[?2004l"),
        ("stops mouse reporting", "\x1b[?1000l"),
    ] {
        assert!(after_stop.contains(escape), "Ctrl-Z {what}: {after_stop:?}");
    }
    // What was typed is on disk before the process stopped.
    let id = env.only_session();
    let draft = std::fs::read_to_string(env.session_dir(&id).join("note-line.json"))
        .expect("the note line on disk");
    assert!(draft.contains("typed before the suspension"), "{draft}");

    // `fg`: SIGCONT. The screen comes back whole and keys work again.
    let mark = pty.output().len();
    pty.signal("CONT");
    pty.wait_until("the screen redrawn", WAIT, |s| s.contains("Suspend test"));
    let redrawn = pty.output();
    assert!(
        redrawn[mark..].contains("\x1b[?1049h"),
        "back on the alternate screen"
    );
    pty.type_keys(", and after it\r");
    wait_notes(&mut pty, 1);
    // A SIGTSTP from outside (kill -TSTP) suspends the same way.
    pty.signal("TSTP");
    wait_state(&pid, 'T');
    pty.signal("CONT");
    pty.wait_for("Suspend test");
    pty.type_keys("\x04\x04");
    assert!(pty.wait_exit(EXIT_WAIT).success());
    assert_eq!(
        note_texts(&env.export(&id)),
        ["typed before the suspension, and after it"]
    );
}
