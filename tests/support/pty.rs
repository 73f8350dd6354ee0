//! The real binary in a pseudo-terminal, for the tests that drive it as a note-taker would: a
//! clean home and data folder, the program's output parsed as a screen (vt100) and kept raw,
//! keys typed (also from a thread of their own, at full speed), signals, resizes. The screen is
//! polled; every wait has a deadline, so a failure cannot hang.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;
/// How long the screen may take to show something; generous for a loaded CI machine.
pub const WAIT: Duration = Duration::from_secs(10);
/// How long a signalled process may take to exit (the loop notices signals within a second).
pub const EXIT_WAIT: Duration = Duration::from_secs(5);
/// How long a non-interactive command may run.
pub const RUN_WAIT: Duration = Duration::from_secs(60);
pub const POLL: Duration = Duration::from_millis(20);
pub const GUIDE: &str = "cmp-patient-focus-group";

/// A clean home, config and data folder for one test.
pub struct Env {
    _tmp: tempfile::TempDir,
    pub home: PathBuf,
    pub data: PathBuf,
    /// Variables added to the clean environment (TMPDIR, say).
    pub extra_vars: Vec<(&'static str, String)>,
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let home = tmp.path().join("home");
        let data = tmp.path().join("data");
        std::fs::create_dir_all(home.join(".config")).expect("home");
        Env {
            home,
            data,
            extra_vars: Vec::new(),
            _tmp: tmp,
        }
    }

    pub fn vars(&self) -> Vec<(&'static str, String)> {
        let path = |p: &Path| p.display().to_string();
        let mut vars = vec![
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            ("HOME", path(&self.home)),
            ("XDG_CONFIG_HOME", path(&self.home.join(".config"))),
            ("XDG_DATA_HOME", path(&self.home.join(".local/share"))),
            ("XDG_CACHE_HOME", path(&self.home.join(".cache"))),
            ("TERM", "xterm-256color".into()),
            ("TZ", "UTC".into()),
            ("LANG", "C.UTF-8".into()),
            ("RUST_BACKTRACE", "1".into()),
        ];
        vars.extend(self.extra_vars.iter().cloned());
        vars
    }

    fn command(&self, args: &[&str]) -> CommandBuilder {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_topicguide"));
        cmd.env_clear();
        for (k, v) in self.vars() {
            cmd.env(k, v);
        }
        cmd.cwd(&self.home);
        cmd.arg("--data-dir");
        cmd.arg(&self.data);
        cmd.args(args);
        cmd
    }

    /// `topicguide --data-dir DATA ARGS...` in a new pseudo-terminal.
    pub fn spawn(&self, args: &[&str]) -> Pty {
        Pty::spawn(self.command(args), COLS, ROWS, None)
    }

    /// As [`Env::spawn`], with a terminal of `cols` x `rows` and a look at the screen after
    /// every piece of output the program writes (see [`Observer`]).
    pub fn spawn_observed(
        &self,
        args: &[&str],
        cols: u16,
        rows: u16,
        observer: Option<Observer>,
    ) -> Pty {
        Pty::spawn(self.command(args), cols, rows, observer)
    }

    /// Runs a non-interactive command to the end: (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_topicguide"));
        cmd.env_clear().envs(self.vars()).current_dir(&self.home);
        cmd.arg("--data-dir").arg(&self.data).args(args);
        // A command that hangs fails the test instead of holding it for ever.
        cmd.timeout(RUN_WAIT);
        let out = cmd.output().expect("the binary runs");
        (
            out.status.code(),
            String::from_utf8(out.stdout).expect("UTF-8"),
            String::from_utf8(out.stderr).expect("UTF-8"),
        )
    }

    pub fn list(&self) -> String {
        let (code, out, err) = self.run(&["list"]);
        assert_eq!(code, Some(0), "list failed: {err}");
        out
    }

    /// The JSON export of a session.
    pub fn export(&self, id: &str) -> Value {
        let (code, out, err) = self.run(&["export", id, "--format", "json"]);
        assert_eq!(code, Some(0), "export failed: {err}");
        serde_json::from_str(&out).expect("the export is JSON")
    }

    /// The only session's id.
    pub fn only_session(&self) -> String {
        let dir = self.data.join("sessions");
        let ids: Vec<String> = std::fs::read_dir(&dir)
            .expect("a sessions folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(ids.len(), 1, "one session: {ids:?}");
        ids[0].clone()
    }

    /// The folder of session `id`.
    pub fn session_dir(&self, id: &str) -> PathBuf {
        self.data.join("sessions").join(id)
    }
}

/// Called by the reader with the screen after each piece of output is parsed: it sees every
/// state the screen passes through, half-drawn frames included.
pub type Observer = Box<dyn FnMut(&vt100::Screen) + Send>;

/// Where typed keys go; shared so that a thread can type while the test watches.
type SharedWriter = Arc<Mutex<Box<dyn Write + Send>>>;

/// A child in a pseudo-terminal, its output parsed as a screen and kept raw.
pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    writer: SharedWriter,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl Pty {
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16, observer: Option<Observer>) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let child = pair.slave.spawn_command(cmd).expect("the binary starts");
        // Only the child holds the terminal's other end: its exit ends the reader.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        let mut observer = observer;
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        r.lock().unwrap().extend_from_slice(&buf[..n]);
                        let mut parser = p.lock().unwrap();
                        parser.process(&buf[..n]);
                        if let Some(observe) = observer.as_mut() {
                            observe(parser.screen());
                        }
                    }
                }
            }
        });
        Pty {
            master: pair.master,
            child,
            writer: Arc::new(Mutex::new(writer)),
            parser,
            raw,
            reader: Some(reader),
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Polls the screen until `ok` holds; fails with the screen when the deadline passes.
    pub fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        ok: impl Fn(&str) -> bool,
    ) -> String {
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

    pub fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on screen"), WAIT, |s| s.contains(text))
    }

    /// Waits for the live screen to be up, taking keys and pastes.
    pub fn wait_ready(&mut self, label: &str) {
        self.wait_until("the live screen", WAIT, |s| {
            s.contains(label) && s.contains("Themes") && s.contains("Notes")
        });
    }

    pub fn type_keys(&mut self, keys: &str) {
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(keys.as_bytes()).expect("typed");
        writer.flush().expect("flushed");
    }

    /// Types `chunks` one after another from a thread of its own, as fast as the terminal takes
    /// them, or with `pause` between them. The thread stops at the first write the terminal
    /// refuses (the program is gone) and answers how many chunks it wrote whole.
    pub fn type_in_background(&self, chunks: Vec<String>, pause: Duration) -> JoinHandle<usize> {
        let writer = Arc::clone(&self.writer);
        thread::spawn(move || {
            let mut written = 0;
            for chunk in chunks {
                if written > 0 && !pause.is_zero() {
                    thread::sleep(pause);
                }
                let mut writer = writer.lock().unwrap();
                if writer
                    .write_all(chunk.as_bytes())
                    .and_then(|()| writer.flush())
                    .is_err()
                {
                    break;
                }
                written += 1;
            }
            written
        })
    }

    pub fn pid(&self) -> String {
        self.child.process_id().expect("a pid").to_string()
    }

    /// Sends the signal `name` (`KILL`, `HUP`, `TERM`, `INT`, `TSTP`, `CONT`) with kill(2): no
    /// kill(1) needed.
    pub fn signal(&self, name: &str) {
        if let Err(e) = self.send_signal(name) {
            panic!("kill -{name} {}: {e}", self.pid());
        }
    }

    fn send_signal(&self, name: &str) -> std::io::Result<()> {
        let signal = match name {
            "KILL" => libc::SIGKILL,
            "HUP" => libc::SIGHUP,
            "TERM" => libc::SIGTERM,
            "INT" => libc::SIGINT,
            "TSTP" => libc::SIGTSTP,
            "CONT" => libc::SIGCONT,
            other => panic!("no signal named {other:?} in the test harness"),
        };
        let pid = self
            .child
            .process_id()
            .and_then(|pid| libc::pid_t::try_from(pid).ok())
            .ok_or_else(|| std::io::Error::other("no pid"))?;
        // SAFETY: kill(2) takes plain integers. The child is ours and not yet reaped (try_wait
        // reaps it), so the pid cannot have been reused.
        if unsafe { libc::kill(pid, signal) } == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the child to exit, then for the last of its output.
    pub fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
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
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Resizes the terminal. The parser is resized first, so a frame drawn for the new size is
    /// never read at the old one. It keeps at least two rows and columns: vt100 0.16 panics
    /// (an arithmetic overflow) when text wraps in a grid one row high, as an old frame's bytes
    /// still on their way do.
    pub fn resize(&mut self, cols: u16, rows: u16) {
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
            let _ = self.send_signal("KILL");
            // Never hang a failing test on a child that will not die: give up after a while.
            let deadline = Instant::now() + EXIT_WAIT;
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                thread::sleep(POLL);
            }
        }
    }
}

/// `Session saved: ID (PATH)` from the output: (ID, PATH).
pub fn saved_line(output: &str) -> (String, PathBuf) {
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

/// Starts a focus group with `label` and waits for the live screen.
pub fn start(env: &Env, label: &str) -> Pty {
    let mut pty = env.spawn(&["start", GUIDE, "--label", label, "--participants", "5"]);
    pty.wait_ready(label);
    pty
}

/// The texts of the exported notes.
pub fn note_texts(export: &Value) -> Vec<String> {
    export["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n["text"].as_str().expect("text").to_string())
        .collect()
}
