//! The real binary in a pseudo-terminal: what a note-taker sees, typed at and killed. The screen
//! is parsed with vt100 and polled; every wait has a deadline, so a failure cannot hang.

#[path = "support/pty.rs"]
mod pty;

use pty::{COLS, EXIT_WAIT, Env, Pty, ROWS, WAIT, note_texts, saved_line, start};

/// The private modes (`ESC [ ? N h` / `l`) the output leaves other than a terminal starts in:
/// any mode switched on and not off again, and a hidden cursor.
fn modes_left_changed(output: &str) -> Vec<String> {
    let mut last: Vec<(String, char)> = Vec::new();
    let mut rest = output;
    while let Some(at) = rest.find("\x1b[?") {
        rest = &rest[at + 3..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(rest.len());
        let Some(set) = rest[end..]
            .chars()
            .next()
            .filter(|c| *c == 'h' || *c == 'l')
        else {
            continue;
        };
        for mode in rest[..end].split(';').filter(|m| !m.is_empty()) {
            last.retain(|(m, _)| m != mode);
            last.push((mode.to_string(), set));
        }
    }
    last.into_iter()
        .filter(|(mode, set)| {
            if mode == "25" {
                *set == 'l'
            } else {
                *set == 'h'
            }
        })
        .map(|(mode, set)| format!("?{mode}{set}"))
        .collect()
}

/// Writes a note: the text, Enter; waits until it is listed among the notes.
fn note(pty: &mut Pty, text: &str, shown: &str, count: usize) {
    pty.type_keys(&format!("{text}\r"));
    let header = format!("Notes {count} ");
    pty.wait_until(&format!("note {shown:?} listed"), WAIT, |s| {
        s.contains(shown) && s.contains(&header) && !s.contains("NOT SAVED")
    });
}

const NOTES: [(&str, &str); 3] = [
    ("@P2 café naïve 😀 #quote", "P2 › café naïve 😀 #quote"),
    (
        "@P1 crème brûlée, déjà vu #nonverbal",
        "P1 › crème brûlée, déjà vu",
    ),
    ("@P4 Zoë: 😀 again #followup", "P4 › Zoë: 😀 again"),
];

#[test]
fn kill_9_loses_no_saved_note_and_resume_shows_them_again() {
    let env = Env::new();
    let mut pty = start(&env, "Kill test");
    pty.type_keys("\r");
    pty.wait_for("▶");
    for (i, (typed, shown)) in NOTES.iter().enumerate() {
        note(&mut pty, typed, shown, i + 1);
    }
    // portable-pty's kill() sends SIGHUP first and SIGKILL only if that is ignored: the
    // program would leave cleanly. A real kill -9 is sent instead.
    pty.signal("KILL");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(!status.success(), "killed, not exited: {status:?}");
    assert!(!pty.output().contains("Session saved"), "no clean exit");
    let id = env.only_session();
    assert!(
        env.list()
            .contains(&format!("{id}  interrupted  Kill test")),
        "{}",
        env.list()
    );

    let mut resumed = env.spawn(&["resume"]);
    resumed.wait_for("Restored: 3 notes");
    resumed.wait_until("the three notes", WAIT, |s| {
        NOTES.iter().all(|(_, shown)| s.contains(shown))
    });
    resumed.type_keys("\x04");
    resumed.wait_for("Leave the session?");
    resumed.type_keys("\x04");
    resumed.wait_exit(EXIT_WAIT);
    assert_eq!(saved_line(&resumed.output()).0, id);

    let export = env.export(&id);
    assert_eq!(
        note_texts(&export),
        [
            "café naïve 😀 #quote",
            "crème brûlée, déjà vu #nonverbal",
            "Zoë: 😀 again #followup"
        ]
    );
    let speakers: Vec<&str> = export["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["speaker"].as_str().unwrap())
        .collect();
    assert_eq!(speakers, ["P2", "P1", "P4"]);
    assert_eq!(export["notes"][0]["tags"], serde_json::json!(["quote"]));
    assert_eq!(export["notes"][0]["theme"], "opening");
}

#[test]
fn sighup_exits_promptly_with_the_notes_in_the_journal() {
    let env = Env::new();
    let mut pty = start(&env, "Hangup test");
    pty.type_keys("\r");
    note(
        &mut pty,
        "@P3 before the hangup #quote",
        "P3 › before the hangup",
        1,
    );
    // A second note is being written when the terminal goes: it is kept too, as a draft.
    pty.type_keys("@P5 typed, never entered");
    pty.wait_for("typed, never entered");
    pty.signal("HUP");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "a clean exit after SIGHUP: {status:?}");

    let id = env.only_session();
    let export = env.export(&id);
    assert_eq!(note_texts(&export), ["before the hangup #quote"]);
    assert_eq!(export["drafts"][0]["text"], "@P5 typed, never entered");
    assert_eq!(export["session"]["state"], "interrupted");
}

#[test]
fn sigterm_exits_gives_the_terminal_back_and_says_where_the_session_is() {
    let env = Env::new();
    let mut pty = start(&env, "Term test");
    note(
        &mut pty,
        "@P1 noted before SIGTERM",
        "P1 › noted before SIGTERM",
        1,
    );
    pty.signal("TERM");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "a clean exit after SIGTERM: {status:?}");

    let output = pty.output();
    let saved = output
        .find("Session saved: ")
        .unwrap_or_else(|| panic!("no 'Session saved:' in {output:?}"));
    for (what, escape) in [
        ("leaves the alternate screen", "\x1b[?1049l"),
        ("disables bracketed paste", "\x1b[?2004l"),
    ] {
        let at = output
            .rfind(escape)
            .unwrap_or_else(|| panic!("the terminal never {what}: {output:?}"));
        assert!(at < saved, "it {what} before printing where the session is");
    }
    // Whatever else was switched on (mouse reporting, say) is off again, and the cursor shows.
    assert_eq!(
        modes_left_changed(&output[..saved]),
        Vec::<String>::new(),
        "terminal modes not given back"
    );
    // Raw mode is off again: the line ends as the terminal driver ends it (\n becomes \r\n).
    let (id, path) = saved_line(&output);
    assert!(
        output.contains(&format!("Session saved: {id} ({})\r\n", path.display())),
        "{output:?}"
    );
    assert_eq!(id, env.only_session());
    assert_eq!(
        note_texts(&env.export(&id)),
        ["noted before SIGTERM"],
        "the note is in the journal"
    );
}

#[test]
fn leaving_and_ending_each_ask_first_and_an_ended_session_reopens() {
    let env = Env::new();
    let mut pty = start(&env, "Leave test");
    pty.type_keys("\r");
    pty.wait_for("▶");
    pty.type_keys("\x04");
    pty.wait_for("Leave the session?");
    assert!(pty.running(), "leaving asks first");
    pty.type_keys("\x04");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "{status:?}");
    let (id, path) = saved_line(&pty.output());
    assert_eq!(id, env.only_session());
    assert_eq!(path, env.data.join("sessions").join(&id));
    assert!(path.join("journal.jsonl").is_file());
    let list = env.list();
    let line = list
        .lines()
        .find(|l| l.starts_with(&id))
        .unwrap_or_else(|| panic!("{id} listed:\n{list}"));
    assert!(
        line.starts_with(&format!("{id}  interrupted  Leave test  ")),
        "{line}"
    );
    assert!(line.ends_with("  0/8"), "{line}");

    let mut pty = env.spawn(&["resume", &id]);
    pty.wait_ready("Leave test");
    pty.type_keys("\x05");
    pty.wait_for("End the session?");
    pty.type_keys("y");
    pty.wait_until("y went into the note line", WAIT, |s| {
        !s.contains("End the session?")
    });
    assert!(pty.running(), "y does not end the session");
    pty.type_keys("\x7f\x05");
    pty.wait_for("End the session?");
    pty.type_keys("\x05");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "{status:?}");
    assert_eq!(saved_line(&pty.output()).0, id);
    let list = env.list();
    assert!(
        list.lines()
            .any(|l| l.starts_with(&format!("{id}  ended  Leave test  "))),
        "{list}"
    );
    let export = env.export(&id);
    assert_eq!(export["session"]["state"], "ended");
    let ended_at = export["session"]["ended_at"].clone();

    // An accidental end is never final: resume refuses and says how, --reopen reopens.
    let mut refused = env.spawn(&["resume", &id]);
    let status = refused.wait_exit(EXIT_WAIT);
    assert_eq!(status.exit_code(), 1, "{}", refused.output());
    assert!(
        refused.output().contains("--reopen"),
        "{}",
        refused.output()
    );
    let mut pty = env.spawn(&["resume", &id, "--reopen"]);
    pty.wait_ready("Leave test");
    note(&mut pty, "after the reopening", "after the reopening", 1);
    pty.type_keys("\x04\x04");
    assert!(pty.wait_exit(EXIT_WAIT).success());
    let export = env.export(&id);
    assert_eq!(export["session"]["state"], "interrupted");
    assert_eq!(export["session"]["ended_at"], serde_json::Value::Null);
    assert_eq!(note_texts(&export), ["after the reopening"]);
    // The report says when it ended and when it was reopened.
    let (code, report, _) = env.run(&["export", &id, "--format", "md"]);
    assert_eq!(code, Some(0));
    let ended = ended_at.as_str().expect("an end time");
    assert!(
        report.contains("| Ended, then reopened | ended "),
        "{report}"
    );
    assert!(!ended.is_empty());
}

#[test]
fn a_bracketed_paste_with_line_breaks_is_one_note_and_runs_no_command() {
    let env = Env::new();
    let mut pty = start(&env, "Paste test");
    // q, e and y on lines of their own: as keys they would leave or end the session.
    pty.type_keys("\x1b[200~@P5 pasted\nq\ne\ny\x1b[201~");
    pty.wait_for("@P5 pasted q e y");
    assert!(pty.running(), "the paste did not leave the screen");
    pty.type_keys("\r");
    pty.wait_until("the pasted note listed", WAIT, |s| {
        s.contains("P5 › pasted q e y") && s.contains("Notes 1 ")
    });
    assert!(pty.running());
    pty.type_keys("\x04\x04");
    pty.wait_exit(EXIT_WAIT);

    let id = env.only_session();
    let export = env.export(&id);
    assert_eq!(note_texts(&export), ["pasted q e y"]);
    assert_eq!(export["session"]["state"], "interrupted", "not ended");
}

#[test]
fn resizing_below_the_minimum_says_so_and_back_redraws() {
    let env = Env::new();
    let mut pty = start(&env, "Resize test");
    pty.resize(20, 6);
    pty.wait_for("too small");
    pty.resize(COLS, ROWS);
    pty.wait_until("the full screen again", WAIT, |s| {
        s.contains("Resize test") && s.contains("Themes") && !s.contains("too small")
    });
    // 1x1: the notice's first letter is all that fits; the program carries on.
    pty.resize(1, 1);
    pty.wait_until("a 1x1 frame", WAIT, |s| s == "T");
    pty.resize(COLS, ROWS);
    pty.wait_until("the full screen after 1x1", WAIT, |s| {
        s.contains("Resize test") && s.contains("Themes")
    });
    assert!(pty.running());
    note(&mut pty, "still taking notes", "still taking notes", 1);
    pty.type_keys("\x04\x04");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "{status:?}");
    assert!(pty.output().contains("Session saved: "));
}

#[test]
fn a_journal_removed_or_replaced_while_live_says_not_saved_and_leaving_keeps_everything() {
    for replace in [false, true] {
        let mut env = Env::new();
        let tmpdir = env.home.join("tmp");
        std::fs::create_dir_all(&tmpdir).expect("a TMPDIR");
        env.extra_vars
            .push(("TMPDIR", tmpdir.display().to_string()));
        let mut pty = start(&env, "Swap test");
        note(&mut pty, "before the swap", "before the swap", 1);
        let id = env.only_session();
        let journal = env.session_dir(&id).join("journal.jsonl");
        if replace {
            // What `export -o DATA/sessions/ID/journal.jsonl` used to do: a new file renamed over it.
            let other = env.session_dir(&id).join("other");
            std::fs::write(&other, "# a report\n").expect("written");
            std::fs::rename(&other, &journal).expect("renamed over");
        } else {
            std::fs::remove_file(&journal).expect("removed");
        }
        // Within a second (the next sync), untouched by any key.
        let s = pty.wait_for("NOT SAVED");
        assert!(
            s.contains(if replace { "replaced" } else { "removed" }),
            "says what happened:\n{s}"
        );
        pty.type_keys("after the swap\r");
        pty.wait_for("after the swap");
        pty.type_keys("\x04");
        pty.wait_for("emergency copy");
        pty.type_keys("\x04");
        let status = pty.wait_exit(EXIT_WAIT);
        assert!(!status.success(), "not a clean exit: {status:?}");
        let output = pty.output();
        assert!(
            !output.contains("Session saved"),
            "never claims saved:\n{output}"
        );
        let copies: Vec<_> = std::fs::read_dir(&tmpdir)
            .expect("TMPDIR")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(copies.len(), 1, "{copies:?}");
        let copy = std::fs::read_to_string(&copies[0]).expect("the copy");
        assert!(copy.contains("before the swap") && copy.contains("after the swap"));
    }
}

/// A session written through the library into `env`'s data folder, begun `ago` and last
/// touched ten minutes after that, discussing health: as if the laptop was closed since.
fn session_left_since(env: &Env, ago: chrono::Duration) -> String {
    use topicguide::model::event::{Event, Record, SessionMeta};
    use topicguide::model::session::Session;
    let source = topicguide::library::builtin(pty::GUIDE).expect("built-in");
    let guide = source.load().expect("valid");
    let start = chrono::Utc::now() - ago;
    let meta = SessionMeta {
        guide_source: pty::GUIDE.into(),
        ..SessionMeta::for_guide(&guide, "Yesterday")
    };
    let records = vec![Record {
        seq: 1,
        at: start,
        event: Event::Started(meta),
    }];
    let session = Session::from_records(guide, records).expect("a session");
    let mut open = topicguide::storage::session_store::create_session(
        &env.data,
        "20261123-1405-yesterday",
        &source.text,
        session,
    )
    .expect("created");
    for (seq, minutes, event) in [
        (
            2,
            0,
            Event::Discussing {
                theme: "health".into(),
            },
        ),
        (
            3,
            10,
            Event::Covered {
                theme: "opening".into(),
            },
        ),
    ] {
        let record = Record {
            seq,
            at: start + chrono::Duration::minutes(minutes),
            event,
        };
        open.writer.append(&record).expect("appended");
        open.session.push(record);
    }
    open.id.clone()
}

#[test]
fn resuming_after_a_long_break_asks_whether_the_room_kept_going() {
    for (answer, counted) in [("n", false), ("y", true)] {
        let env = Env::new();
        let id = session_left_since(&env, chrono::Duration::hours(20));
        let mut pty = env.spawn(&["resume", &id]);
        pty.wait_for("Did the session go on meanwhile");
        let s = pty.screen();
        assert!(
            s.contains("closed for 19:5") && s.contains("Health experiences"),
            "{s}"
        );
        pty.type_keys(&format!("{answer}\r"));
        pty.wait_ready("Yesterday");
        pty.wait_for(if counted { "(counted" } else { "(not counted)" });
        // Ctrl-d leaves, Ctrl-d again confirms.
        pty.type_keys("\x04");
        pty.wait_for("Leave");
        pty.type_keys("\x04");
        pty.wait_exit(EXIT_WAIT);
        let export = env.export(&id);
        let health = export["themes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == "health")
            .unwrap()["seconds_discussed"]
            .as_i64()
            .unwrap();
        if counted {
            assert!(health > 19 * 3600, "the night counted: {health}");
        } else {
            assert!(
                (600..700).contains(&health),
                "ten minutes, not the night: {health}"
            );
        }
    }
}
