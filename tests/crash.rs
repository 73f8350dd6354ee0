//! The crash harness: the real binary in a pseudo-terminal, notes typed at full speed, and the
//! program killed at random moments, again and again on one session that is resumed after each
//! kill. After every kill, every note the screen showed is in the journal and comes back on
//! resume, the journal reads (a torn last line at most, never damage), and nothing is invented,
//! duplicated or reordered. SIGHUP and SIGTERM at random moments also keep the note being typed.
//!
//! The moments come from a seed that every run prints; `TOPICGUIDE_CRASH_SEED=N` replays a run.
//! `TOPICGUIDE_LONG=1` runs 200 kills and more signals instead of CI's short run.

#[path = "support/pty.rs"]
mod pty;

use pty::{EXIT_WAIT, Env, GUIDE, Observer, Pty, WAIT, note_texts, saved_line};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use topicguide::storage::journal::{JOURNAL_FILE, parse_journal};

const LABEL: &str = "Crash test";
const COLS: u16 = 100;
const ROWS: u16 = 30;
/// Notes typed in one burst.
const BURST: usize = 60;
/// The latest a kill comes after the program was started, when it is killed while it starts.
const MAX_STARTUP_KILL_MS: u64 = 200;
/// The most a kill waits, in microseconds, after the journal line it waited for.
const MAX_KILL_JITTER_US: u64 = 2000;
/// The longest pause between two notes, in microseconds, when they are not typed all at once.
const MAX_PAUSE_US: u64 = 4000;

/// Whether the long run was asked for.
fn long_run() -> bool {
    std::env::var("TOPICGUIDE_LONG").is_ok_and(|v| v == "1")
}

/// SplitMix64: a small, seedable generator, so that a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..=max`.
    fn upto(&mut self, max: u64) -> u64 {
        self.next() % (max + 1)
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
}

/// The run's seed: `TOPICGUIDE_CRASH_SEED`, else the clock. Printed so a failure can be replayed.
fn seed(test: &str) -> u64 {
    let seed = std::env::var("TOPICGUIDE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    eprintln!("{test}: seed {seed} (TOPICGUIDE_CRASH_SEED={seed} replays it)");
    seed
}

/// A note's mark: its number twice, so that a half-drawn frame (new cells on the left of a row,
/// old ones on the right) can never pass for a note that was not drawn whole.
fn token(n: usize) -> String {
    format!("k{n:05}q{n:05}")
}

/// The note numbers whose marks stand in the notes pane of `screen`: the right of a row parted
/// by the theme list's border, leaving out the kept drafts listed there.
fn shown_marks(screen: &vt100::Screen) -> Vec<usize> {
    let (_, cols) = screen.size();
    let mut found = Vec::new();
    for row in screen.rows(0, cols) {
        let Some((left, right)) = row.split_once('│') else {
            continue;
        };
        // A kept draft is listed too, marked as one: it is not a saved note.
        if left.is_empty() || right.contains(" draft d") {
            continue;
        }
        found.extend(marks_in(right));
    }
    found
}

/// Every whole mark in `text`.
fn marks_in(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 12 <= bytes.len() {
        let candidate = &bytes[i..i + 12];
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after_ok = bytes.get(i + 12).is_none_or(|b| !b.is_ascii_alphanumeric());
        if before_ok
            && after_ok
            && candidate[0] == b'k'
            && candidate[6] == b'q'
            && candidate[1..6].iter().all(u8::is_ascii_digit)
            && candidate[1..6] == candidate[7..12]
            && let Ok(n) = std::str::from_utf8(&candidate[1..6])
                .unwrap_or_default()
                .parse()
        {
            found.push(n);
            i += 12;
        } else {
            i += 1;
        }
    }
    found
}

/// How many lines the file at `path` has past byte `base`.
fn lines_past(path: &Path, base: u64) -> usize {
    let mut bytes = Vec::new();
    let read = File::open(path).and_then(|mut f| {
        f.seek(SeekFrom::Start(base))?;
        f.read_to_end(&mut bytes)
    });
    read.map_or(0, |_| bytes.iter().filter(|b| **b == b'\n').count())
}

/// Collects every mark the notes pane shows, after every piece of output.
fn recorder() -> (Arc<Mutex<BTreeSet<usize>>>, Observer) {
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let sink = Arc::clone(&seen);
    let observer: Observer = Box::new(move |screen: &vt100::Screen| {
        let marks = shown_marks(screen);
        if !marks.is_empty() {
            sink.lock().unwrap().extend(marks);
        }
    });
    (seen, observer)
}

/// One note to type: the keys, and the text the export must then hold.
struct Note {
    keys: String,
    exported: String,
}

const WORDS: [&str; 8] = [
    "said",
    "the diet",
    "walking group",
    "pain",
    "nods",
    "GP referral",
    "back at work",
    "again",
];

/// Note number `n`, sometimes with a speaker and a tag, sometimes after choosing a theme.
fn note(n: usize, rng: &mut Rng, with_speaker: bool) -> Note {
    let mut text = format!("{} {}", token(n), WORDS[rng.upto(7) as usize]);
    if rng.one_in(3) {
        text.push_str(" #quote");
    }
    let typed = if with_speaker && rng.one_in(2) {
        format!("@P{} {text}", 1 + rng.upto(4))
    } else {
        text.clone()
    };
    // Now and then the selected theme is covered or uncovered first (Ctrl-o, one byte, so it
    // cannot be split across reads as an escape sequence could): the journal holds more than
    // notes.
    let before = if rng.one_in(4) { "\x0f" } else { "" };
    Note {
        keys: format!("{before}{typed}\r"),
        exported: text,
    }
}

/// What the harness knows of the session between rounds.
struct Harness {
    env: Env,
    id: Option<String>,
    /// The notes the journal holds, as the export gives them, in order.
    saved: Vec<String>,
    /// The next note number: numbers are never reused, even for notes that were lost unsaved.
    next_note: usize,
    rng: Rng,
    seed: u64,
    torn_tails: usize,
    /// Rounds that ended with some but not all of their burst saved.
    mid_burst: usize,
    /// Notes seen on screen and then found in the journal, over all rounds.
    shown_checked: usize,
}

impl Harness {
    fn new(seed: u64) -> Harness {
        Harness {
            env: Env::new(),
            id: None,
            saved: Vec::new(),
            next_note: 0,
            rng: Rng(seed),
            seed,
            torn_tails: 0,
            mid_burst: 0,
            shown_checked: 0,
        }
    }

    fn id(&self) -> &str {
        self.id.as_deref().expect("the session was started")
    }

    /// Starts the session (the first round) or resumes it, with a recorder on the screen.
    fn launch(&self) -> (Pty, Arc<Mutex<BTreeSet<usize>>>) {
        let (seen, observer) = recorder();
        let args: Vec<&str> = match &self.id {
            None => vec![
                "start",
                GUIDE,
                "--label",
                LABEL,
                "--participants",
                "5",
                "--no-bell",
            ],
            Some(id) => vec!["resume", id],
        };
        (
            self.env.spawn_observed(&args, COLS, ROWS, Some(observer)),
            seen,
        )
    }

    /// Waits for the live screen; on a resume, checks that it restored every saved note and
    /// shows the newest ones again.
    fn wait_restored(&self, pty: &mut Pty, round: usize) {
        pty.wait_ready(LABEL);
        if self.id.is_none() {
            return;
        }
        // A kill may have left typing in the draft file, which resume puts back in the note
        // line: set it aside (a draft, not a note) so the next burst starts on an empty line.
        if pty.screen().contains("▸ ") {
            pty.type_keys("\x1b");
            pty.wait_for("Type to write a note");
        }
        let count = self.saved.len();
        let restored = format!(
            "Restored: {count} note{}",
            if count == 1 { "" } else { "s" }
        );
        let newest: Vec<String> = self
            .saved
            .iter()
            .rev()
            .take(3)
            .map(|t| t.split(' ').next().unwrap_or_default().to_string())
            .collect();
        pty.wait_until(
            &format!(
                "round {round} (seed {}): {restored:?} and the newest notes {newest:?}",
                self.seed
            ),
            WAIT,
            |s| s.contains(&restored) && newest.iter().all(|t| s.contains(t.as_str())),
        );
    }

    /// The notes of the next burst.
    fn burst(&mut self, with_speaker: bool) -> Vec<Note> {
        let notes = (0..BURST)
            .map(|i| note(self.next_note + i, &mut self.rng, with_speaker))
            .collect();
        self.next_note += BURST;
        notes
    }

    /// Types `burst` in the background: at full speed (the program takes it in one batch and
    /// draws once) or, every other time at random, a note at a time with a pause of up to a few
    /// milliseconds (the program draws after each note).
    fn type_burst(&mut self, pty: &Pty, burst: &[Note]) -> thread::JoinHandle<usize> {
        let pause = if self.rng.one_in(2) {
            Duration::ZERO
        } else {
            Duration::from_micros(self.rng.upto(MAX_PAUSE_US))
        };
        pty.type_in_background(burst.iter().map(|n| n.keys.clone()).collect(), pause)
    }

    /// Waits for a random moment while a burst is being saved: until a random number of lines
    /// (up to the burst's notes) have reached the journal past `base`, then a random few
    /// microseconds more. The program is caught in the middle of its work, now and then before
    /// it began or after it finished.
    fn await_moment(&mut self, journal: &Path, base: u64) {
        let lines = self.rng.upto(BURST as u64 + 2) as usize;
        let deadline = Instant::now() + WAIT;
        while lines_past(journal, base) < lines.min(BURST) {
            assert!(
                Instant::now() < deadline,
                "seed {}: {lines} lines never reached the journal",
                self.seed
            );
            thread::sleep(Duration::from_micros(500));
        }
        thread::sleep(Duration::from_micros(self.rng.upto(MAX_KILL_JITTER_US)));
    }

    fn journal(&self) -> PathBuf {
        self.env.session_dir(self.id()).join(JOURNAL_FILE)
    }

    /// After the program is gone: the journal reads (a torn last line at most), and the export
    /// is the notes saved before, then the first notes of `burst` in order, then `extra` notes
    /// that `extra_ok` accepts (none after a SIGKILL). Every note the screen showed is among
    /// them. The export becomes what is saved.
    fn check_after(
        &mut self,
        round: usize,
        what: &str,
        burst: &[Note],
        shown: &BTreeSet<usize>,
        extra_ok: impl Fn(&[String], usize) -> bool,
    ) {
        let context = format!("round {round} ({what}, seed {})", self.seed);
        let id = self.id().to_string();
        let journal = self.env.session_dir(&id).join(JOURNAL_FILE);
        let bytes = std::fs::read(&journal).expect("the journal");
        let contents = parse_journal(&bytes)
            .unwrap_or_else(|d| panic!("{context}: the journal is damaged: {d:?}"));
        if contents.torn_tail.is_some() {
            self.torn_tails += 1;
        }

        let exported = note_texts(&self.env.export(&id));
        assert!(
            exported.starts_with(&self.saved),
            "{context}: notes saved before are gone or changed.\nbefore: {:?}\nnow: {exported:?}",
            self.saved
        );
        let new = &exported[self.saved.len()..];
        let whole = new
            .iter()
            .zip(burst)
            .take_while(|(got, typed)| **got == typed.exported)
            .count();
        assert!(
            extra_ok(&new[whole..], whole),
            "{context}: after {whole} notes typed in order, notes nobody typed whole: {:?}\ntyped: {:?}",
            &new[whole..],
            burst.iter().map(|n| &n.exported).collect::<Vec<_>>()
        );
        if whole > 0 && whole < burst.len() {
            self.mid_burst += 1;
        }
        self.shown_checked += shown.len();
        let marks: BTreeSet<usize> = exported.iter().flat_map(|t| marks_in(t)).collect();
        let lost: Vec<&usize> = shown.difference(&marks).collect();
        assert!(
            lost.is_empty(),
            "{context}: notes shown on screen but not in the journal: {lost:?}"
        );
        let records_notes = contents
            .records
            .iter()
            .filter(|r| matches!(r.event, topicguide::model::event::Event::NoteAdded { .. }))
            .count();
        assert_eq!(
            records_notes,
            exported.len(),
            "{context}: each note is journaled once"
        );
        self.saved = exported;
    }

    /// One round that ends in SIGKILL: at a random moment while notes are typed at full speed,
    /// or now and then while the program is still starting.
    fn kill_round(&mut self, round: usize) {
        let (mut pty, seen) = self.launch();
        let starting = self.id.is_some() && self.rng.one_in(6);
        let burst = if starting {
            thread::sleep(Duration::from_millis(self.rng.upto(MAX_STARTUP_KILL_MS)));
            Vec::new()
        } else {
            self.wait_restored(&mut pty, round);
            if self.id.is_none() {
                self.id = Some(self.env.only_session());
            }
            let journal = self.journal();
            let base = std::fs::metadata(&journal).expect("the journal").len();
            let burst = self.burst(true);
            let typist = self.type_burst(&pty, &burst);
            self.await_moment(&journal, base);
            pty.signal("KILL");
            typist.join().expect("the typist");
            burst
        };
        if starting {
            pty.signal("KILL");
        }
        let status = pty.wait_exit(EXIT_WAIT);
        assert!(
            !status.success(),
            "round {round} (seed {}): killed, not exited: {status:?}",
            self.seed
        );
        let shown = seen.lock().unwrap().clone();
        let what = if starting {
            "SIGKILL while starting"
        } else {
            "SIGKILL while typing"
        };
        self.check_after(round, what, &burst, &shown, |extra, _| extra.is_empty());
    }

    /// One round that ends in `signal` (HUP or TERM). At a random moment while notes are typed,
    /// or, every other round, once a note is half typed: that note is kept.
    fn signal_round(&mut self, round: usize, signal: &str) {
        let (mut pty, seen) = self.launch();
        self.wait_restored(&mut pty, round);
        if self.id.is_none() {
            self.id = Some(self.env.only_session());
        }
        // No speaker marks: a half-typed one would not read back as typed.
        let burst = self.burst(false);
        let half_typed = round % 2 == 1;
        let draft = format!("draft {round} left unfinished");
        if half_typed {
            let keys: String = burst.iter().map(|n| n.keys.as_str()).collect();
            pty.type_keys(&keys);
            let last = token(self.next_note - 1);
            pty.wait_for(&last);
            pty.type_keys(&draft);
            pty.wait_for(&draft);
        } else {
            let journal = self.journal();
            let base = std::fs::metadata(&journal).expect("the journal").len();
            let typist = self.type_burst(&pty, &burst);
            self.await_moment(&journal, base);
            pty.signal(signal);
            typist.join().expect("the typist");
        }
        if half_typed {
            pty.signal(signal);
        }
        let status = pty.wait_exit(EXIT_WAIT);
        let context = format!("round {round} (SIG{signal}, seed {})", self.seed);
        assert!(status.success(), "{context}: a clean exit: {status:?}");
        assert_eq!(saved_line(&pty.output()).0, self.id(), "{context}");
        let shown = seen.lock().unwrap().clone();
        let what = format!("SIG{signal}");
        // The note being typed is kept as far as it was typed: as a draft, never as a note.
        self.check_after(round, &what, &burst, &shown, |extra, whole| {
            extra.is_empty() && (!half_typed || whole == BURST)
        });
        if half_typed {
            let export = self.env.export(self.id());
            let drafts: Vec<&str> = export["drafts"]
                .as_array()
                .expect("drafts")
                .iter()
                .filter_map(|d| d["text"].as_str())
                .collect();
            assert!(drafts.contains(&draft.as_str()), "{context}: {drafts:?}");
        }
        // A clean exit leaves no torn line behind.
        let bytes =
            std::fs::read(self.env.session_dir(self.id()).join(JOURNAL_FILE)).expect("the journal");
        let contents = parse_journal(&bytes).expect("no damage");
        assert!(
            contents.torn_tail.is_none() && !contents.missing_final_newline,
            "{context}: a clean exit leaves whole lines"
        );
    }

    /// The last check: one more resume shows everything, and leaving saves.
    fn final_resume(&mut self) {
        let (mut pty, _) = self.launch();
        self.wait_restored(&mut pty, usize::MAX);
        pty.type_keys("\x04\x04");
        let status = pty.wait_exit(EXIT_WAIT);
        assert!(status.success(), "{status:?}");
        assert_eq!(note_texts(&self.env.export(self.id())), self.saved);
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_note_the_screen_showed() {
    let seed = seed("sigkill");
    let rounds = if long_run() { 200 } else { 24 };
    let begun = Instant::now();
    let mut harness = Harness::new(seed);
    for round in 0..rounds {
        harness.kill_round(round);
    }
    harness.final_resume();
    eprintln!(
        "sigkill: {rounds} kills ({} in the middle of a burst), {} notes saved of {} typed, \
         {} shown and checked, {} torn tails, {:.1?}",
        harness.mid_burst,
        harness.saved.len(),
        harness.next_note,
        harness.shown_checked,
        harness.torn_tails,
        begun.elapsed()
    );
    // The moments are drawn so that most kills catch the program at work.
    assert!(
        harness.mid_burst >= rounds / 4,
        "seed {seed}: only {} of {rounds} kills came in the middle of a burst",
        harness.mid_burst
    );
}

#[test]
fn sighup_and_sigterm_at_random_moments_keep_every_note_and_the_one_being_typed() {
    let seed = seed("sighup-sigterm");
    let rounds = if long_run() { 50 } else { 8 };
    let begun = Instant::now();
    let mut harness = Harness::new(seed);
    for round in 0..rounds {
        let signal = if round % 4 < 2 { "HUP" } else { "TERM" };
        harness.signal_round(round, signal);
    }
    harness.final_resume();
    eprintln!(
        "sighup-sigterm: {rounds} signals, {} notes saved of {} typed, {} shown and checked, \
         {:.1?}",
        harness.saved.len(),
        harness.next_note,
        harness.shown_checked,
        begun.elapsed()
    );
}

#[test]
fn marks_are_read_whole_and_never_from_half_drawn_rows() {
    assert_eq!(marks_in("00:00:01 - k00012q00012 said"), [12]);
    assert_eq!(marks_in("k00012q00013"), Vec::<usize>::new());
    assert_eq!(marks_in("xk00012q00012"), Vec::<usize>::new());
    assert_eq!(marks_in("k00012q000123"), Vec::<usize>::new());
    assert_eq!(marks_in("k00001q00001 k00002q00002"), [1, 2]);
}
