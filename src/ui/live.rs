//! The live session screen wired to its journal: every event it records is appended and synced
//! before the next frame, failed writes are kept and retried, and leaving reports where it all is.

use super::app::{Exit, LiveApp};
use super::keymap::Keymap;
use super::runner::{self, Screen, Stop};
use super::theme::Palette;
use super::view;
use crate::app::clock::now;
use crate::app::error::AppError;
use crate::storage::emergency::write_emergency_copy;
use crate::storage::journal::{JournalStorage, JournalWriter};
use crate::storage::session_store::OpenSession;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use std::io::Write;

/// The live screen and the journal it writes to.
pub struct LiveScreen<S: JournalStorage> {
    pub app: LiveApp,
    pub writer: JournalWriter<S>,
    pub palette: Palette,
}

impl<S: JournalStorage> LiveScreen<S> {
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
    }

    fn done(&self) -> bool {
        self.app.exit.is_some()
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.app.bell_due)
    }
}

/// Runs the live screen on an open session until it is left or ended, then says where it is.
pub fn run_live(
    open: OpenSession,
    keymap: Keymap,
    palette: Palette,
    welcome: Option<String>,
    mouse: bool,
) -> Result<(), AppError> {
    let mut app = LiveApp::new(open.id.clone(), open.dir.clone(), open.session, keymap);
    if let Some(message) = welcome {
        app.welcome(message, now());
    }
    let mut screen = LiveScreen {
        app,
        writer: open.writer,
        palette,
    };
    let stopped = runner::run_screen(&mut screen, mouse)?;
    if stopped != Stop::Done {
        screen.app.rescue_drafts(now());
    }
    screen.sync();
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
