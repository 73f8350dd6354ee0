//! The real binary in a pseudo-terminal: what a note-taker sees, typed at and killed. The screen
//! is parsed with vt100 and polled; every wait has a deadline, so a failure cannot hang.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 100;
/// How long the screen may take to show something; generous for a loaded CI machine.
const WAIT: Duration = Duration::from_secs(10);
/// How long a signalled process may take to exit (the loop notices signals within a second).
const EXIT_WAIT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(20);
const GUIDE: &str = "cmp-patient-focus-group";

/// A clean home, config and data folder for one test.
struct Env {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    data: PathBuf,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let home = tmp.path().join("home");
        let data = tmp.path().join("data");
        std::fs::create_dir_all(home.join(".config")).expect("home");
        Env {
            home,
            data,
            _tmp: tmp,
        }
    }

    fn vars(&self) -> Vec<(&'static str, String)> {
        let path = |p: &Path| p.display().to_string();
        vec![
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            ("HOME", path(&self.home)),
            ("XDG_CONFIG_HOME", path(&self.home.join(".config"))),
            ("XDG_DATA_HOME", path(&self.home.join(".local/share"))),
            ("TERM", "xterm-256color".into()),
            ("TZ", "UTC".into()),
            ("LANG", "C.UTF-8".into()),
            ("RUST_BACKTRACE", "1".into()),
        ]
    }

    /// `topicguide --data-dir DATA ARGS...` in a new pseudo-terminal.
    fn spawn(&self, args: &[&str]) -> Pty {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_topicguide"));
        cmd.env_clear();
        for (k, v) in self.vars() {
            cmd.env(k, v);
        }
        cmd.cwd(&self.home);
        cmd.arg("--data-dir");
        cmd.arg(&self.data);
        cmd.args(args);
        Pty::spawn(cmd)
    }

    /// Runs a non-interactive command to the end: (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_topicguide"));
        cmd.env_clear().envs(self.vars()).current_dir(&self.home);
        cmd.arg("--data-dir").arg(&self.data).args(args);
        let out = cmd.output().expect("the binary runs");
        (
            out.status.code(),
            String::from_utf8(out.stdout).expect("UTF-8"),
            String::from_utf8(out.stderr).expect("UTF-8"),
        )
    }

    fn list(&self) -> String {
        let (code, out, err) = self.run(&["list"]);
        assert_eq!(code, Some(0), "list failed: {err}");
        out
    }

    /// The JSON export of a session.
    fn export(&self, id: &str) -> Value {
        let (code, out, err) = self.run(&["export", id, "--format", "json"]);
        assert_eq!(code, Some(0), "export failed: {err}");
        serde_json::from_str(&out).expect("the export is JSON")
    }

    /// The only session's id.
    fn only_session(&self) -> String {
        let dir = self.data.join("sessions");
        let ids: Vec<String> = std::fs::read_dir(&dir)
            .expect("a sessions folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(ids.len(), 1, "one session: {ids:?}");
        ids[0].clone()
    }
}

/// A child in a pseudo-terminal, its output parsed as a screen and kept raw.
struct Pty {
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl Pty {
    fn spawn(cmd: CommandBuilder) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let child = pair.slave.spawn_command(cmd).expect("the binary starts");
        // Only the child holds the terminal's other end: its exit ends the reader.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        r.lock().unwrap().extend_from_slice(&buf[..n]);
                        p.lock().unwrap().process(&buf[..n]);
                    }
                }
            }
        });
        Pty {
            master: pair.master,
            child,
            writer,
            parser,
            raw,
            reader: Some(reader),
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Polls the screen until `ok` holds; fails with the screen when the deadline passes.
    fn wait_until(&mut self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // One last look: the final frame may have arrived with the exit.
                let screen = self.screen();
                assert!(
                    ok(&screen),
                    "the program exited ({status:?}) before {what}; screen:\n{screen}\noutput:\n{}",
                    self.output()
                );
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            thread::sleep(POLL);
        }
    }

    fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on screen"), WAIT, |s| s.contains(text))
    }

    /// Waits for the live screen to be up, taking keys and pastes.
    fn wait_ready(&mut self, label: &str) {
        self.wait_until("the live screen", WAIT, |s| {
            s.contains(label) && s.contains("Themes") && s.contains("Notes")
        });
    }

    fn type_keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("typed");
        self.writer.flush().expect("flushed");
    }

    fn pid(&self) -> String {
        self.child.process_id().expect("a pid").to_string()
    }

    /// Sends a signal with kill(1).
    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.pid()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} failed");
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the child to exit, then for the last of its output.
    fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit within {timeout:?}; screen:\n{}",
                self.screen()
            );
            thread::sleep(POLL);
        };
        // The reader ends when the terminal's other end is closed: all output is in.
        let reader = self.reader.take().expect("one wait");
        let deadline = Instant::now() + EXIT_WAIT;
        while !reader.is_finished() {
            assert!(
                Instant::now() < deadline,
                "the terminal output did not end after the program exited"
            );
            thread::sleep(POLL);
        }
        reader.join().expect("the reader thread");
        status
    }

    /// Everything the program wrote to the terminal, escapes included.
    fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Resizes the terminal. The parser is resized first, so a frame drawn for the new size is
    /// never read at the old one. It keeps at least two rows and columns: vt100 0.16 panics
    /// (an arithmetic overflow) when text wraps in a grid one row high, as an old frame's bytes
    /// still on their way do.
    fn resize(&mut self, cols: u16, rows: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows.max(2), cols.max(2));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resized");
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A failed test must not leave its program running.
        if self.running() {
            let _ = Command::new("kill").args(["-KILL", &self.pid()]).status();
            let _ = self.child.wait();
        }
    }
}

/// `Session saved: ID (PATH)` from the output: (ID, PATH).
fn saved_line(output: &str) -> (String, PathBuf) {
    let start = output
        .find("Session saved: ")
        .unwrap_or_else(|| panic!("no 'Session saved:' in the output:\n{output:?}"));
    let line = output[start..].lines().next().unwrap_or_default();
    let rest = line.trim_end_matches('\r')["Session saved: ".len()..].to_string();
    let (id, path) = rest
        .split_once(" (")
        .unwrap_or_else(|| panic!("'Session saved: ID (PATH)', got {line:?}"));
    let path = path
        .strip_suffix(')')
        .unwrap_or_else(|| panic!("PATH in parentheses, got {line:?}"));
    (id.to_string(), PathBuf::from(path))
}

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

/// Starts a focus group with `label` and waits for the live screen.
fn start(env: &Env, label: &str) -> Pty {
    let mut pty = env.spawn(&["start", GUIDE, "--label", label, "--participants", "5"]);
    pty.wait_ready(label);
    pty
}

/// Writes a note: `n`, the text, Enter; waits until it is listed among the notes.
fn note(pty: &mut Pty, text: &str, shown: &str, count: usize) {
    pty.type_keys(&format!("n{text}\r"));
    let header = format!("Notes {count} ");
    pty.wait_until(&format!("note {shown:?} listed"), WAIT, |s| {
        s.contains(shown) && s.contains(&header) && !s.contains("NOT SAVED")
    });
}

/// The texts of the exported notes.
fn note_texts(export: &Value) -> Vec<String> {
    export["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n["text"].as_str().expect("text").to_string())
        .collect()
}

const NOTES: [(&str, &str); 3] = [
    ("@P2 café naïve 😀 #quote", "P2 café naïve 😀 #quote"),
    (
        "@P1 crème brûlée, déjà vu #nonverbal",
        "P1 crème brûlée, déjà vu",
    ),
    ("@P4 Zoë: 😀 again #followup", "P4 Zoë: 😀 again"),
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
    resumed.type_keys("q");
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
        "P3 before the hangup",
        1,
    );
    // A second note is being written when the terminal goes: it is kept too.
    pty.type_keys("n@P5 typed, never entered");
    pty.wait_for("typed, never entered");
    pty.signal("HUP");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "a clean exit after SIGHUP: {status:?}");

    let id = env.only_session();
    let export = env.export(&id);
    assert_eq!(
        note_texts(&export),
        ["before the hangup #quote", "typed, never entered"]
    );
    assert_eq!(export["session"]["state"], "interrupted");
}

#[test]
fn sigterm_exits_gives_the_terminal_back_and_says_where_the_session_is() {
    let env = Env::new();
    let mut pty = start(&env, "Term test");
    note(
        &mut pty,
        "@P1 noted before SIGTERM",
        "P1 noted before SIGTERM",
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
fn q_leaves_the_session_resumable_and_e_y_ends_it() {
    let env = Env::new();
    let mut pty = start(&env, "Leave test");
    pty.type_keys("\r");
    pty.wait_for("▶");
    pty.type_keys("q");
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
    pty.type_keys("e");
    pty.wait_for("End the session?");
    pty.type_keys("y");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "{status:?}");
    assert_eq!(saved_line(&pty.output()).0, id);
    let list = env.list();
    assert!(
        list.lines()
            .any(|l| l.starts_with(&format!("{id}  ended  Leave test  "))),
        "{list}"
    );
    assert_eq!(env.export(&id)["session"]["state"], "ended");
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
        s.contains("P5 pasted q e y") && s.contains("Notes 1 ")
    });
    assert!(pty.running());
    pty.type_keys("q");
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
    pty.type_keys("q");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "{status:?}");
    assert!(pty.output().contains("Session saved: "));
}
