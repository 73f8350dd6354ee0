//! The live session screen wired to its journal: every event it records is appended and synced
//! before the next frame, failed writes are kept and retried, the note line is kept on disk a
//! moment after each change (off the key path), and leaving reports where it all is.

use super::app::{Exit, LiveApp};
use super::keymap::Keymap;
use super::runner::{self, Screen, Stop, TerminalRequest};
use super::theme::Palette;
use super::view;
use crate::app::clock::now;
use crate::app::error::AppError;
use crate::storage::emergency::write_emergency_copy;
use crate::storage::journal::{JournalStorage, JournalWriter};
use crate::storage::pending_note::{self, PendingNoteWriter};
use crate::storage::session_store::OpenSession;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use std::io::Write;
use std::time::{Duration, Instant};

/// How long after a change of the note line it is written to disk: typing runs on, and the
/// text reaches the disk well within a second of the last key.
pub const NOTE_LINE_WRITE_DELAY: Duration = Duration::from_millis(250);

/// The live screen, the journal it writes to and the draft file that keeps the note line.
pub struct LiveScreen<S: JournalStorage> {
    pub app: LiveApp,
    pub writer: JournalWriter<S>,
    pub palette: Palette,
    /// None: the note line is not kept on disk (tests of the screen alone).
    pub pending: Option<PendingNoteWriter>,
    /// The note line's revision last handed to the draft file's writer.
    pub written_revision: u64,
    /// When the note line first changed after it was last written.
    pub changed_since: Option<Instant>,
}

impl<S: JournalStorage> LiveScreen<S> {
    /// The screen over `app`, writing to `writer`; the note line is kept in the session folder.
    pub fn new(app: LiveApp, writer: JournalWriter<S>, palette: Palette) -> Self {
        let pending = Some(PendingNoteWriter::spawn(&app.dir));
        let written_revision = app.note_revision;
        LiveScreen {
            app,
            writer,
            palette,
            pending,
            written_revision,
            changed_since: None,
        }
    }

    /// The screen without a draft file: the note line lives in memory only (tests of the
    /// screen and its journal alone).
    pub fn without_draft_file(app: LiveApp, writer: JournalWriter<S>, palette: Palette) -> Self {
        let written_revision = app.note_revision;
        LiveScreen {
            app,
            writer,
            palette,
            pending: None,
            written_revision,
            changed_since: None,
        }
    }

    /// Hands the note line to the draft file's writer once it has rested a moment. Called from
    /// the loop's timer, never from a key.
    pub fn keep_note_line(&mut self, force: bool) {
        if self.app.note_revision == self.written_revision {
            self.changed_since = None;
            return;
        }
        let since = *self.changed_since.get_or_insert_with(Instant::now);
        if force || since.elapsed() >= NOTE_LINE_WRITE_DELAY {
            if let Some(pending) = &self.pending {
                pending.submit(self.app.pending_note());
            }
            self.written_revision = self.app.note_revision;
            self.changed_since = None;
        }
    }

    /// Appends and syncs every record not yet on disk, in order; stops at the first failure.
    /// First makes sure the journal is still the file it opened: if it was removed or replaced,
    /// nothing written so far is on disk any more, and the screen says NOT SAVED.
    pub fn sync(&mut self) {
        if let Err(e) = self.writer.check_in_place() {
            self.app.journal_lost(e.to_string());
            return;
        }
        let pending = self.app.unsynced().to_vec();
        for record in &pending {
            match self.writer.append(record) {
                Ok(()) => self.app.saved_through(record.seq),
                Err(e) => {
                    self.app.save_failed(e.to_string());
                    return;
                }
            }
        }
    }
}

impl<S: JournalStorage> Screen for LiveScreen<S> {
    fn draw(&self, frame: &mut Frame, now: DateTime<Utc>) {
        view::draw(frame, &self.app, now, &self.palette);
    }

    fn on_key(&mut self, key: KeyEvent, now: DateTime<Utc>) {
        self.app.on_key(key, now);
        self.sync();
    }

    fn on_paste(&mut self, text: &str, now: DateTime<Utc>) {
        self.app.on_paste(text, now);
        self.sync();
    }

    fn on_mouse(&mut self, event: MouseEvent, area: Rect, _now: DateTime<Utc>) {
        match event.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(theme) = view::theme_at(area, &self.app, event.column, event.row) {
                    self.app.click_theme(theme);
                }
            }
            MouseEventKind::ScrollUp
                if view::on_notes(area, &self.app, event.column, event.row) =>
            {
                self.app.scroll_notes(-1);
            }
            MouseEventKind::ScrollDown
                if view::on_notes(area, &self.app, event.column, event.row) =>
            {
                self.app.scroll_notes(1);
            }
            _ => {}
        }
    }

    fn tick(&mut self, now: DateTime<Utc>) {
        self.app.tick(now);
        self.sync();
        self.keep_note_line(false);
    }

    fn take_request(&mut self) -> Option<TerminalRequest> {
        self.app.request.take()
    }

    fn before_suspend(&mut self) {
        // Whatever is typed is on disk before the process stops: written here, not handed to
        // the writing thread, which stops with the process.
        if let Some(mut pending) = self.pending.take() {
            pending.finish();
        }
        if self.app.note_revision != self.written_revision || self.changed_since.is_some() {
            let _ = pending_note::write_now(&self.app.dir, self.app.pending_note().as_ref());
        }
        self.written_revision = self.app.note_revision;
        self.changed_since = None;
        self.pending = Some(PendingNoteWriter::spawn(&self.app.dir));
    }

    fn wake_at(&self) -> Option<Instant> {
        self.changed_since
            .map(|since| since + NOTE_LINE_WRITE_DELAY)
    }

    fn done(&self) -> bool {
        self.app.exit.is_some()
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.app.bell_due)
    }
}

/// How the live screen runs, from the config and the command line.
#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    /// A summary to show first (what a resume restored).
    pub welcome: Option<String>,
    pub mouse: bool,
    /// Notes are stamped this many seconds before their first key.
    pub reaction_lead_seconds: u32,
}

/// Runs the live screen on an open session until it is left or ended, then says where it is.
pub fn run_live(
    open: OpenSession,
    keymap: Keymap,
    palette: Palette,
    options: LiveOptions,
) -> Result<(), AppError> {
    let started = now();
    let mut app = LiveApp::new(open.id.clone(), open.dir.clone(), open.session, keymap);
    app.reaction_lead = chrono::Duration::seconds(i64::from(options.reaction_lead_seconds));
    let mut welcome = options.welcome;
    if let Some(pending) = pending_note::read(&open.dir)
        && app.restore_pending(pending)
    {
        let said = "The note being typed when the session stopped is back in the note line";
        welcome = Some(match welcome {
            Some(w) => format!("{said}. {w}"),
            None => said.to_string(),
        });
    }
    if let Some(message) = welcome {
        app.welcome(message, started);
    }
    let mut screen = LiveScreen::new(app, open.writer, palette);
    let stopped = runner::run_screen(&mut screen, options.mouse)?;
    // The text typed so far, as it stood: kept on disk until the journal holds it as a draft.
    let typed = screen.app.pending_note();
    if stopped != Stop::Done {
        screen.app.rescue_drafts(now());
    }
    screen.sync();
    if let Some(mut pending) = screen.pending.take() {
        pending.finish();
    }
    let kept = if screen.app.is_saved() {
        None
    } else {
        typed.as_ref()
    };
    let _ = pending_note::write_now(&screen.app.dir, kept);
    if !screen.app.is_saved() {
        // Whatever happens next, the journal should end at its last whole record.
        let _ = screen.writer.settle();
    }
    finish(&screen)
}

fn finish<S: JournalStorage>(screen: &LiveScreen<S>) -> Result<(), AppError> {
    let app = &screen.app;
    let mut out = std::io::stdout();
    if app.is_saved() {
        // The terminal may be gone (SIGHUP): a failed print must not turn into a panic.
        let line = format!("Session saved: {} ({})", app.id, app.dir.display());
        let _ = writeln!(out, "{}", crate::text::terminal::for_terminal(&line));
        return Ok(());
    }
    let unsaved = app.unsynced().len();
    if app.exit == Some(Exit::Left) {
        return Err(AppError::Unexpected(format!(
            "{unsaved} event(s) of session {} were not saved: you left without an emergency copy",
            app.id
        )));
    }
    match write_emergency_copy(&app.id, app.session.records(), &[]) {
        Ok(path) => Err(AppError::Unexpected(format!(
            "{unsaved} event(s) could not be written to {}; the whole session is in the emergency copy {}",
            app.dir.display(),
            path.display()
        ))),
        Err(e) => Err(AppError::Unexpected(format!(
            "{unsaved} event(s) of session {} could not be saved, and no emergency copy could be written: {e}",
            app.id
        ))),
    }
}
