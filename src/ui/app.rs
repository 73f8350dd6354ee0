//! The live screen's state and behaviour, note-first: every printable character goes into the
//! note line, and commands are named actions on keys prose cannot produce. Actions become
//! session events. No terminal and no disk here: the loop writes the records this produces,
//! reports back whether they were saved, and keeps the note line on disk.

use super::add_theme::AddThemeForm;
use super::keymap::{Action, Keymap, Layer, typed_char};
use super::roster::RosterEditor;
use super::runner::TerminalRequest;
use super::scroll::Scroll;
use crate::model::alerts::due_warnings;
use crate::model::event::{Event, Record, WarningKind};
use crate::model::guide::SessionKind;
use crate::model::note_text::{MAX_NOTE_BYTES, normalise_speaker, parse_note};
use crate::model::pending::PendingNote;
use crate::model::session::{Session, SessionState};
use crate::model::timefmt::hms;
use crate::model::undo_text::{putting_back, taking_back};
use crate::text::{byte_size, clean_single_line, one_line};
use chrono::{DateTime, Duration, Utc};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use std::path::PathBuf;

/// How long a passing message stays in the status line.
const FLASH_SECONDS: i64 = 6;
/// How long the summary shown on resume stays.
pub const WELCOME_SECONDS: i64 = 20;
/// How far one press of Left or Right moves a note's time in the move box.
pub const NUDGE_SECONDS: i64 = 5;
/// How many notes PageUp and PageDown move in the notes pane.
const PAGE_NOTES: usize = 10;

/// Which pane of the live screen has the selection keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Themes,
    Notes,
}

/// The note line: what is being typed, when it began and what it belongs to.
#[derive(Debug, Clone)]
pub struct NoteLine {
    pub textarea: TextArea<'static>,
    /// The note's time: its first key's moment (less the reaction lead). None while empty.
    pub noted_at: Option<DateTime<Utc>>,
    /// The theme being discussed at the first key.
    pub theme: Option<String>,
    /// The saved note being edited, if any.
    pub editing: Option<String>,
    /// The kept draft this text was taken back from: setting it aside again keeps that id.
    pub draft_id: Option<String>,
}

impl Default for NoteLine {
    fn default() -> Self {
        NoteLine::with_text("")
    }
}

impl NoteLine {
    fn with_text(text: &str) -> Self {
        let mut textarea = TextArea::new(vec![text.to_string()]);
        textarea.set_wrap_mode(WrapMode::WordOrGlyph);
        textarea.move_cursor(CursorMove::End);
        NoteLine {
            textarea,
            noted_at: None,
            theme: None,
            editing: None,
            draft_id: None,
        }
    }

    /// The note's text as one line, as it would be saved.
    pub fn text(&self) -> String {
        clean_single_line(&self.textarea.lines().join(" "))
    }

    /// Nothing typed (a note being edited counts as typed).
    pub fn is_empty(&self) -> bool {
        self.editing.is_none() && self.textarea.lines().iter().all(|l| l.is_empty())
    }

    /// The speaker the text names with a leading `@mark`.
    pub fn speaker(&self) -> Option<String> {
        parse_note(&self.text()).speaker
    }
}

/// Overlays on the live screen; the top one takes the keys it binds. A printable character
/// closes any of them and goes into the note line.
#[derive(Debug, Clone)]
pub enum Modal {
    Help {
        scroll: Scroll,
    },
    EndCheck,
    /// The seating plan: seats, descriptors, consent, arrivals and leavers.
    Participants(Box<RosterEditor>),
    /// Leaving asks first; with events unsaved it offers the emergency copy.
    Leave,
    /// A second recording mark asks first: it would move every offset.
    RecordingCheck,
    /// Adding a theme that came up in the room.
    AddTheme(Box<AddThemeForm>),
    /// The parked questions, to tick as asked.
    Parked {
        selected: usize,
    },
    /// Filing a saved note under another theme (None: no theme) and nudging its time.
    MoveNote {
        id: String,
        theme: Option<usize>,
        at: DateTime<Utc>,
    },
}

impl Modal {
    fn layer(&self) -> Layer {
        match self {
            Modal::Help { .. } => Layer::Help,
            Modal::EndCheck => Layer::EndCheck,
            Modal::Participants(_) => Layer::Participants,
            Modal::Leave => Layer::Leave,
            Modal::RecordingCheck => Layer::RecordingCheck,
            Modal::MoveNote { .. } => Layer::MoveNote,
            Modal::AddTheme(_) => Layer::NewTheme,
            Modal::Parked { .. } => Layer::Parked,
        }
    }
}

/// How the live screen was left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Left without ending: the session stays resumable.
    Left,
    /// Left with events unsaved, asking for an emergency copy.
    LeftWithEmergencyCopy,
    Ended,
}

/// Where the journal stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    /// The last write failed; the events are kept in memory and retried.
    Failing(String),
}

/// The live screen.
#[derive(Debug)]
pub struct LiveApp {
    pub id: String,
    pub dir: PathBuf,
    pub session: Session,
    pub keymap: Keymap,
    pub pane: Pane,
    pub selected_theme: usize,
    /// In the notes pane: a note (0..notes) or, past them, a kept draft.
    pub selected_note: usize,
    pub modals: Vec<Modal>,
    pub note: NoteLine,
    /// Counts every change of the note line, so the loop knows when to write it to disk.
    pub note_revision: u64,
    /// A speaker named in a note who is not in the group: one key adds them as a late arrival.
    pub flagged_speaker: Option<String>,
    /// Notes are stamped this long before their first key (the config's reaction lead).
    pub reaction_lead: Duration,
    /// Records up to this sequence number are synced to disk.
    pub synced_seq: u64,
    pub save_state: SaveState,
    /// A passing message and when it goes.
    pub flash: Option<(String, DateTime<Utc>)>,
    pub exit: Option<Exit>,
    /// Ring the bell at the next draw.
    pub bell_due: bool,
    pub request: Option<TerminalRequest>,
}

impl LiveApp {
    /// A live screen over a session whose records are all on disk.
    pub fn new(id: String, dir: PathBuf, session: Session, keymap: Keymap) -> Self {
        let synced_seq = session.records().last().map_or(0, |r| r.seq);
        let selected_theme = session.state().current.unwrap_or(0);
        let selected_note = session.state().notes.len().saturating_sub(1);
        LiveApp {
            id,
            dir,
            session,
            keymap,
            pane: Pane::Themes,
            selected_theme,
            selected_note,
            modals: Vec::new(),
            note: NoteLine::default(),
            note_revision: 0,
            flagged_speaker: None,
            reaction_lead: Duration::zero(),
            synced_seq,
            save_state: SaveState::Saved,
            flash: None,
            exit: None,
            bell_due: false,
            request: None,
        }
    }

    pub fn state(&self) -> &SessionState {
        self.session.state()
    }

    /// The layers that read the next key, first match wins: the top overlay's alone, else the
    /// note line's while it holds text, the pane's, and the whole screen's.
    pub fn layers(&self) -> Vec<Layer> {
        if let Some(modal) = self.modals.last() {
            return vec![modal.layer()];
        }
        let pane = match self.pane {
            Pane::Notes => Some(Layer::Notes),
            Pane::Themes => None,
        };
        if self.note.is_empty() {
            pane.into_iter()
                .chain([Layer::Live, Layer::NoteLine])
                .collect()
        } else {
            std::iter::once(Layer::NoteLine)
                .chain(pane)
                .chain([Layer::Live])
                .collect()
        }
    }

    /// The layer whose keys the footer shows first.
    pub fn layer(&self) -> Layer {
        self.layers().first().copied().unwrap_or(Layer::Live)
    }

    /// Records not yet synced, oldest first.
    pub fn unsynced(&self) -> &[Record] {
        let records = self.session.records();
        let start = records.partition_point(|r| r.seq <= self.synced_seq);
        &records[start..]
    }

    pub fn is_saved(&self) -> bool {
        self.unsynced().is_empty()
    }

    /// The loop synced everything up to `seq`.
    pub fn saved_through(&mut self, seq: u64) {
        self.synced_seq = self.synced_seq.max(seq);
        if self.is_saved() {
            self.save_state = SaveState::Saved;
        }
    }

    /// The loop could not write; the events stay in memory.
    pub fn save_failed(&mut self, error: String) {
        self.save_state = SaveState::Failing(error);
    }

    /// The journal file was removed or replaced under the session: what was saved went with
    /// the old file, so every event counts as unsaved again (and leaving offers the emergency
    /// copy of them all).
    pub fn journal_lost(&mut self, error: String) {
        self.synced_seq = 0;
        self.save_state = SaveState::Failing(error);
    }

    /// The theme probes and notes attach to: the one being discussed, else the selected one.
    pub fn focus_theme(&self) -> usize {
        self.state().current.unwrap_or(self.selected_theme)
    }

    pub(crate) fn record(&mut self, event: Event, now: DateTime<Utc>) {
        let record = Record {
            seq: self.session.next_seq(),
            at: now,
            event,
        };
        self.session.push(record);
    }

    pub(crate) fn say(&mut self, message: impl Into<String>, now: DateTime<Utc>) {
        self.flash = Some((message.into(), now + Duration::seconds(FLASH_SECONDS)));
    }

    /// A message that stays longer: the summary of what a resume restored.
    pub fn welcome(&mut self, message: impl Into<String>, now: DateTime<Utc>) {
        self.flash = Some((message.into(), now + Duration::seconds(WELCOME_SECONDS)));
    }

    /// The key to name in a message for a live action.
    fn key(&self, layer: Layer, action: Action) -> String {
        self.keymap.key_for(layer, action)
    }

    /// What happens once a second and after every key: warnings that fell due are recorded.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        if self.flash.as_ref().is_some_and(|(_, until)| now >= *until) {
            self.flash = None;
        }
        for event in due_warnings(&self.session.guide, self.session.state(), now) {
            // The bell rings at the warning points and once at the planned end.
            if matches!(
                event,
                Event::WarningRaised {
                    kind: WarningKind::Unaddressed | WarningKind::Overtime,
                    ..
                }
            ) && self.session.state().meta.bell
            {
                self.bell_due = true;
            }
            self.record(event, now);
        }
    }

    /// The note line as it should be kept on disk: None when it is empty.
    pub fn pending_note(&self) -> Option<PendingNote> {
        let text = self.note.text();
        if text.is_empty() {
            return None;
        }
        Some(PendingNote {
            text,
            noted_at: self.note.noted_at?,
            theme: self.note.theme.clone(),
            editing: self.note.editing.clone(),
            draft_id: self.note.draft_id.clone(),
        })
    }

    /// Puts back the note line found on disk when the session was last left without a word
    /// (a kill, a crash). Text already saved as a note or kept as a draft is not put back twice.
    /// Returns whether it was put back.
    pub fn restore_pending(&mut self, pending: PendingNote) -> bool {
        let state = self.state();
        let already = state
            .notes
            .iter()
            .any(|n| n.at == pending.noted_at && n.raw == pending.text)
            || state
                .drafts
                .iter()
                .any(|d| d.at == pending.noted_at && d.text == pending.text);
        let edited_gone = pending
            .editing
            .as_ref()
            .is_some_and(|id| !state.notes.iter().any(|n| n.id == *id));
        if already || edited_gone || pending.text.is_empty() {
            return false;
        }
        let mut note = NoteLine::with_text(&pending.text);
        note.noted_at = Some(pending.noted_at);
        note.theme = pending.theme;
        note.editing = pending.editing;
        note.draft_id = pending.draft_id;
        self.note = note;
        self.note_changed();
        true
    }

    fn note_changed(&mut self) {
        self.note_revision += 1;
    }

    /// The moment a note begun now is stamped with.
    fn stamp(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        (now - self.reaction_lead).max(self.state().started_at)
    }

    /// The first key of a note fixes its time and theme.
    fn begin_note(&mut self, now: DateTime<Utc>) {
        if self.note.noted_at.is_none() {
            self.note.noted_at = Some(self.stamp(now));
            self.note.theme = self.current_theme_id();
        }
    }

    fn current_theme_id(&self) -> Option<String> {
        self.state()
            .current
            .map(|i| self.session.guide.themes[i].id.clone())
    }

    /// One typed character: into the note line.
    fn type_char(&mut self, c: char, now: DateTime<Utc>) {
        if self.note.text().len() + c.len_utf8() > MAX_NOTE_BYTES {
            self.say(
                format!(
                    "A note holds at most {}: Enter saves this one, then go on in a new note",
                    byte_size(MAX_NOTE_BYTES)
                ),
                now,
            );
            return;
        }
        self.begin_note(now);
        self.note.textarea.insert_char(c);
        self.note_changed();
    }

    /// Text pasted into the terminal: into the note line on one line, closing any overlay.
    /// Never keys.
    pub fn on_paste(&mut self, text: &str, now: DateTime<Utc>) {
        let text = one_line(text);
        if text.is_empty() {
            return;
        }
        // A form field being typed takes the paste; everything else goes to the note line.
        match self.modals.last_mut() {
            Some(Modal::AddTheme(form)) => return form.on_paste(&text),
            Some(Modal::Participants(roster)) if roster.editing.is_some() => {
                return roster.on_paste(&text, &self.session.state().participants);
            }
            _ => {}
        }
        let room = MAX_NOTE_BYTES.saturating_sub(self.note.text().len());
        if text.len() > room {
            self.say(
                format!(
                    "Paste not taken: {} is more than the note has room for (a note holds at most {}); paste it in parts",
                    byte_size(text.len()),
                    byte_size(MAX_NOTE_BYTES)
                ),
                now,
            );
            return;
        }
        self.modals.clear();
        self.begin_note(now);
        self.note.textarea.insert_str(text);
        self.note_changed();
    }

    /// A click on a theme of the list: select it and give the list the keys.
    pub fn click_theme(&mut self, index: usize) {
        if self.modals.is_empty() && index < self.session.guide.themes.len() {
            self.selected_theme = index;
            self.pane = Pane::Themes;
        }
    }

    /// How many rows the notes pane can select: the notes, then the kept drafts.
    pub fn note_rows(&self) -> usize {
        self.state().notes.len() + self.state().drafts.len()
    }

    /// The mouse wheel over the notes: move through them (negative is up, to older notes).
    pub fn scroll_notes(&mut self, delta: i32) {
        if !self.modals.is_empty() {
            return;
        }
        let count = self.note_rows();
        if self.pane != Pane::Notes {
            self.pane = Pane::Notes;
            self.selected_note = count.saturating_sub(1);
        }
        let moved = if delta < 0 {
            self.selected_note
                .saturating_sub(delta.unsigned_abs() as usize)
        } else {
            self.selected_note.saturating_add(delta as usize)
        };
        self.selected_note = moved.min(count.saturating_sub(1));
    }

    /// One key press.
    pub fn on_key(&mut self, key: KeyEvent, now: DateTime<Utc>) {
        let layers = self.layers();
        match self.keymap.action_in(&layers, &key) {
            Some((layer, action)) => self.act(layer, action, now),
            None if self.form_takes_text() => self.room_text_key(key),
            None => {
                if let Some(c) = typed_char(&key) {
                    // Typing never runs a command: an overlay steps aside for the note.
                    self.modals.clear();
                    self.type_char(c, now);
                }
            }
        }
        self.tick(now);
    }

    /// A form field is open for typing (the add-theme form, a seat or descriptor being typed):
    /// keys no binding takes are its text. Everywhere else typing goes to the note line.
    fn form_takes_text(&self) -> bool {
        match self.modals.last() {
            Some(Modal::AddTheme(_)) => true,
            Some(Modal::Participants(roster)) => roster.editing.is_some(),
            _ => false,
        }
    }

    fn act(&mut self, layer: Layer, action: Action, now: DateTime<Utc>) {
        match layer {
            Layer::NoteLine => self.act_note_line(action, now),
            Layer::Notes => self.act_notes(action, now),
            Layer::Help => self.act_help(action),
            Layer::EndCheck | Layer::RecordingCheck => self.act_check(action, now),
            Layer::Parked => self.act_parked(action, now),
            Layer::NewTheme => self.act_new_theme(action, now),
            Layer::Leave => match action {
                Action::Confirm => self.leave(now),
                _ => {
                    self.modals.pop();
                }
            },
            Layer::Participants => self.act_roster(action, now),
            Layer::MoveNote => self.act_move(action, now),
            _ => self.act_live(action, now),
        }
    }

    fn act_help(&mut self, action: Action) {
        match (action, self.modals.last_mut()) {
            (Action::SelectNext, Some(Modal::Help { scroll })) => scroll.down(1),
            (Action::SelectPrev, Some(Modal::Help { scroll })) => scroll.up(1),
            _ => {
                self.modals.pop();
            }
        }
    }

    /// The end check and the second recording mark: confirm, or go back.
    fn act_check(&mut self, action: Action, now: DateTime<Utc>) {
        let modal = self.modals.pop();
        if action != Action::Confirm {
            return;
        }
        match modal {
            Some(Modal::EndCheck) => {
                self.keep_note_as_draft(now);
                self.record(Event::Ended, now);
                self.exit = Some(Exit::Ended);
            }
            Some(Modal::RecordingCheck) => self.set_recording_mark(now),
            _ => {}
        }
    }

    fn leave(&mut self, now: DateTime<Utc>) {
        self.modals.pop();
        self.keep_note_as_draft(now);
        self.exit = Some(if self.is_saved() {
            Exit::Left
        } else {
            Exit::LeftWithEmergencyCopy
        });
    }

    fn act_live(&mut self, action: Action, now: DateTime<Utc>) {
        let theme_count = self.session.guide.themes.len();
        match action {
            Action::SelectNext => {
                self.pane = Pane::Themes;
                self.selected_theme = (self.selected_theme + 1).min(theme_count.saturating_sub(1));
            }
            Action::SelectPrev => {
                self.pane = Pane::Themes;
                self.selected_theme = self.selected_theme.saturating_sub(1);
            }
            Action::Discuss => {
                let theme = self.selected_theme_id();
                if self.state().current == Some(self.selected_theme) {
                    self.say("already discussing this theme", now);
                } else {
                    self.record(Event::Discussing { theme }, now);
                }
            }
            Action::ToggleCovered => {
                let theme = self.selected_theme_id();
                let covered = self.state().themes[self.selected_theme]
                    .covered_at
                    .is_some();
                let event = if covered {
                    Event::Uncovered { theme }
                } else {
                    Event::Covered { theme }
                };
                self.record(event, now);
            }
            Action::Skip => self.toggle_skip(now),
            Action::ToggleProbe(n) => self.toggle_probe(usize::from(n), now),
            Action::Speaker(n) => {
                let name = self.participant_name(usize::from(n));
                self.set_speaker(&name, now);
            }
            Action::SpeakerModerator => {
                let name = self.moderator_name().to_string();
                self.set_speaker(&name, now);
            }
            Action::MarkQuote => self.bookmark("quote", now),
            Action::MarkNonverbal => self.bookmark("nonverbal", now),
            Action::TogglePause => {
                let event = if self.state().is_paused() {
                    Event::Resumed
                } else {
                    Event::Paused
                };
                self.record(event, now);
            }
            Action::RecordingMark => {
                if self.state().recording_started_at.is_some() {
                    self.modals.push(Modal::RecordingCheck);
                } else {
                    self.set_recording_mark(now);
                }
            }
            Action::Undo => self.undo(now),
            Action::Redo => self.redo(now),
            Action::SwitchPane => {
                self.pane = match self.pane {
                    Pane::Themes => Pane::Notes,
                    Pane::Notes => Pane::Themes,
                };
                if self.pane == Pane::Notes {
                    self.selected_note = self.selected_note.min(self.note_rows().saturating_sub(1));
                }
            }
            Action::Help => self.modals.push(Modal::Help {
                scroll: Scroll::default(),
            }),
            Action::End => self.modals.push(Modal::EndCheck),
            Action::Leave => self.modals.push(Modal::Leave),
            Action::Participants => self
                .modals
                .push(Modal::Participants(Box::new(RosterEditor::new(false)))),
            Action::AddArrival => self.add_flagged_arrival(now),
            Action::AddTheme => self.open_add_theme(),
            Action::MoveNote => self.open_move(now),
            Action::ResumeDraft => {
                let last = self.state().drafts.last().map(|d| d.id.clone());
                match last {
                    Some(id) => self.resume_draft(&id, now),
                    None => self.say("no draft kept", now),
                }
            }
            Action::Redraw => self.request = Some(TerminalRequest::Redraw),
            Action::Suspend => self.request = Some(TerminalRequest::Suspend),
            Action::HowToLeave => {
                let message = format!(
                    "Ctrl-C does not quit here: {} leaves (the session stays resumable), {} ends it, both ask first",
                    self.key(Layer::Live, Action::Leave),
                    self.key(Layer::Live, Action::End)
                );
                self.say(message, now);
            }
            Action::CoverNext => self.cover_next(now),
            Action::SwitchMode => self.switch_mode(now),
            Action::MoveThemeUp => self.move_selected_theme(-1, now),
            Action::MoveThemeDown => self.move_selected_theme(1, now),
            Action::Parked => self.modals.push(Modal::Parked { selected: 0 }),
            _ => {}
        }
    }

    fn act_notes(&mut self, action: Action, now: DateTime<Utc>) {
        let rows = self.note_rows();
        let last = rows.saturating_sub(1);
        match action {
            Action::SelectNext => self.selected_note = (self.selected_note + 1).min(last),
            Action::SelectPrev => self.selected_note = self.selected_note.saturating_sub(1),
            Action::PageDown => self.selected_note = (self.selected_note + PAGE_NOTES).min(last),
            Action::PageUp => self.selected_note = self.selected_note.saturating_sub(PAGE_NOTES),
            Action::Cancel => self.pane = Pane::Themes,
            Action::EditNote => {
                let notes = self.state().notes.len();
                if self.selected_note >= notes {
                    let draft = self
                        .state()
                        .drafts
                        .get(self.selected_note - notes)
                        .map(|d| d.id.clone());
                    if let Some(id) = draft {
                        self.resume_draft(&id, now);
                    }
                } else if let Some(note) = self.state().notes.get(self.selected_note) {
                    let mut line = NoteLine::with_text(&note.raw);
                    line.noted_at = Some(note.at);
                    line.theme = note.theme.clone();
                    line.editing = Some(note.id.clone());
                    self.note = line;
                    self.note_changed();
                }
            }
            Action::DeleteNote => {
                if let Some(note) = self.state().notes.get(self.selected_note) {
                    let id = note.id.clone();
                    self.record(Event::NoteDeleted { id: id.clone() }, now);
                    let undo = self.key(Layer::Live, Action::Undo);
                    self.say(format!("note {id} deleted: {undo} brings it back"), now);
                    self.selected_note = self.selected_note.min(self.note_rows().saturating_sub(1));
                }
            }
            _ => {}
        }
    }

    fn act_note_line(&mut self, action: Action, now: DateTime<Utc>) {
        let textarea = &mut self.note.textarea;
        match action {
            Action::SaveNote => return self.save_note(now),
            Action::SetAside => return self.set_aside(now),
            Action::DeleteBack => {
                textarea.delete_char();
            }
            Action::DeleteForward => {
                textarea.delete_next_char();
            }
            Action::DeleteWord => {
                textarea.delete_word();
            }
            Action::CursorLeft => textarea.move_cursor(CursorMove::Back),
            Action::CursorRight => textarea.move_cursor(CursorMove::Forward),
            Action::WordLeft => textarea.move_cursor(CursorMove::WordBack),
            Action::WordRight => textarea.move_cursor(CursorMove::WordForward),
            Action::LineStart => textarea.move_cursor(CursorMove::Head),
            Action::LineEnd => textarea.move_cursor(CursorMove::End),
            _ => return,
        }
        if self.note.is_empty() {
            // Everything typed was taken back: the next first key sets a new time.
            self.note.noted_at = None;
            self.note.theme = None;
        }
        self.note_changed();
    }

    fn selected_theme_id(&self) -> String {
        self.session.guide.themes[self.selected_theme].id.clone()
    }

    fn toggle_skip(&mut self, now: DateTime<Utc>) {
        let theme = self.selected_theme_id();
        let title = self.session.guide.themes[self.selected_theme].title.clone();
        if self.state().themes[self.selected_theme].skipped.is_some() {
            self.record(Event::Unskipped { theme }, now);
            self.say(format!("'{title}' no longer skipped"), now);
        } else {
            self.record(
                Event::Skipped {
                    theme,
                    reason: None,
                },
                now,
            );
            let undo = self.key(Layer::Live, Action::Undo);
            self.say(
                format!("'{title}' skipped ({undo} undoes); a note can say why"),
                now,
            );
        }
    }

    fn toggle_probe(&mut self, n: usize, now: DateTime<Utc>) {
        let index = self.focus_theme();
        let theme = &self.session.guide.themes[index];
        if n == 0 || n > theme.probes.len() {
            let message = format!("\"{}\" has {} probes", theme.title, theme.probes.len());
            self.say(message, now);
            return;
        }
        let checked = !self.state().themes[index].probes_checked[n - 1];
        let message = format!(
            "probe {n} of \"{}\" {}: {}",
            theme.title,
            if checked { "ticked" } else { "unticked" },
            theme.probes[n - 1].text
        );
        let theme = theme.id.clone();
        self.record(
            Event::ProbeToggled {
                theme,
                probe: n - 1,
                checked,
            },
            now,
        );
        self.say(message, now);
    }

    fn set_recording_mark(&mut self, now: DateTime<Utc>) {
        self.record(Event::RecordingStarted, now);
        if self.state().meta.consent {
            self.say("recording mark set: export offsets count from now", now);
        } else {
            self.say(
                "recording mark set, but consent to audio recording was not given at set-up",
                now,
            );
        }
    }

    /// Participant N's name: the Nth of the group, else `PN`.
    fn participant_name(&self, n: usize) -> String {
        self.state()
            .participants
            .get(n.saturating_sub(1))
            .map_or_else(|| format!("P{n}"), |p| p.name.clone())
    }

    /// The key that ticks probe `n` (0-based), as the theme list shows it.
    pub fn probe_key(&self, n: usize) -> String {
        let number = u8::try_from(n + 1).unwrap_or(u8::MAX);
        if number > 9 {
            return String::new();
        }
        self.keymap
            .key_for(Layer::Live, Action::ToggleProbe(number))
    }

    /// The speaker name of the one who asks the questions.
    pub fn moderator_name(&self) -> &'static str {
        match self.state().meta.kind {
            SessionKind::Interview => "Int",
            SessionKind::FocusGroup => "Mod",
        }
    }

    /// Whether `name` speaks in this session without being one of its participants.
    pub fn is_unknown_speaker(&self, name: &str) -> bool {
        let state = self.state();
        !state.participants.is_empty()
            && !name.eq_ignore_ascii_case(self.moderator_name())
            && !state
                .participants
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Puts `@name ` at the start of the note line, in place of any speaker mark there.
    fn set_speaker(&mut self, name: &str, now: DateTime<Utc>) {
        self.begin_note(now);
        let text = self.note.textarea.lines().join(" ");
        let rest = match text.strip_prefix('@') {
            Some(after) => after
                .find(char::is_whitespace)
                .map_or("", |end| after[end..].trim_start()),
            None => text.trim_start(),
        };
        let mut line = NoteLine::with_text(&format!("@{name} {rest}"));
        line.noted_at = self.note.noted_at;
        line.theme = self.note.theme.take();
        line.editing = self.note.editing.take();
        line.draft_id = self.note.draft_id.take();
        self.note = line;
        self.note_changed();
        if self.is_unknown_speaker(name) {
            self.flag_speaker(name, now);
        }
    }

    fn flag_speaker(&mut self, name: &str, now: DateTime<Utc>) {
        self.flagged_speaker = Some(name.to_string());
        let group: Vec<&str> = self
            .state()
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let message = format!(
            "{name} is not in this group ({}): {} adds {name} as a late arrival",
            group.join(" "),
            self.key(Layer::Live, Action::AddArrival)
        );
        self.say(message, now);
    }

    fn add_flagged_arrival(&mut self, now: DateTime<Utc>) {
        let typed = self.note.speaker().filter(|s| self.is_unknown_speaker(s));
        let candidate = typed.or_else(|| {
            self.flagged_speaker
                .clone()
                .filter(|s| self.is_unknown_speaker(s))
        });
        match candidate {
            Some(participant) => {
                self.flagged_speaker = None;
                self.record_and_say(Event::ParticipantArrived { participant }, now);
            }
            None => self.say("no speaker outside the group is named", now),
        }
    }

    /// The speaker a bookmark is for: the note line's, else the last note's.
    fn current_speaker(&self) -> Option<String> {
        self.note
            .speaker()
            .or_else(|| self.state().notes.last().and_then(|n| n.speaker.clone()))
    }

    /// A timestamped note that only marks the moment, tagged `#tag`, to flesh out later.
    fn bookmark(&mut self, tag: &str, now: DateTime<Utc>) {
        let speaker = self.current_speaker();
        let text = match &speaker {
            Some(s) => format!("@{s} #{tag}"),
            None => format!("#{tag}"),
        };
        let id = self.state().next_note_id();
        let at = self.stamp(now);
        self.record(
            Event::NoteAdded {
                id: id.clone(),
                noted_at: at,
                theme: self.current_theme_id(),
                text,
            },
            now,
        );
        let message = format!(
            "bookmark {id} at {}{}: #{tag}; flesh it out in the notes pane ({}, then Enter)",
            hms(self.state().offset_seconds(at)),
            speaker.map(|s| format!(", {s}")).unwrap_or_default(),
            self.key(Layer::Live, Action::SwitchPane),
        );
        self.say(message, now);
    }

    fn undo(&mut self, now: DateTime<Utc>) {
        let Some(&target) = self.state().undoable.last() else {
            self.say("nothing to undo", now);
            return;
        };
        let what = self
            .session
            .records()
            .iter()
            .find(|r| r.seq == target)
            .map(|r| taking_back(&self.session.guide, self.state(), r))
            .unwrap_or_default();
        self.record(Event::Undone { target }, now);
        let redo = self.key(Layer::Live, Action::Redo);
        self.say(format!("undone: {what} ({redo} redoes)"), now);
        self.clamp_selection();
    }

    fn redo(&mut self, now: DateTime<Utc>) {
        let Some(&undo_seq) = self.state().redoable.last() else {
            self.say("nothing to redo", now);
            return;
        };
        let target = self
            .session
            .records()
            .iter()
            .find(|r| r.seq == undo_seq)
            .and_then(|r| match r.event {
                Event::Undone { target } => Some(target),
                _ => None,
            });
        self.record(Event::Redone { target: undo_seq }, now);
        let what = target
            .and_then(|t| self.session.records().iter().find(|r| r.seq == t))
            .map(|r| putting_back(&self.session.guide, self.state(), r))
            .unwrap_or_default();
        self.say(format!("redone: {what}"), now);
        self.clamp_selection();
    }

    fn clamp_selection(&mut self) {
        self.selected_note = self.selected_note.min(self.note_rows().saturating_sub(1));
    }

    fn save_note(&mut self, now: DateTime<Utc>) {
        let text = self.note.text();
        if text.is_empty() {
            if self.note.editing.is_some() {
                let delete = self.key(Layer::Notes, Action::DeleteNote);
                self.say(
                    format!("a note cannot be empty: Esc keeps it as it was, {delete} in the notes pane deletes it"),
                    now,
                );
            }
            return;
        }
        let line = std::mem::take(&mut self.note);
        self.note_changed();
        let speaker = parse_note(&text).speaker;
        match line.editing {
            Some(id) => {
                let unchanged = self
                    .state()
                    .notes
                    .iter()
                    .any(|n| n.id == id && n.raw == text);
                if !unchanged {
                    self.record(Event::NoteEdited { id, text }, now);
                }
            }
            None => {
                let id = self.state().next_note_id();
                let noted_at = line.noted_at.unwrap_or_else(|| self.stamp(now));
                self.record(
                    Event::NoteAdded {
                        id,
                        noted_at,
                        theme: line.theme,
                        text,
                    },
                    now,
                );
                // The new note is the one in view, in either pane.
                self.selected_note = self.state().notes.len().saturating_sub(1);
            }
        }
        if let Some(name) = speaker.filter(|s| self.is_unknown_speaker(s)) {
            self.flag_speaker(&normalise_speaker(&name), now);
        }
    }

    /// Esc with text in the note line: kept as a draft (an edit is left as it was).
    fn set_aside(&mut self, now: DateTime<Utc>) {
        if self.note.editing.is_some() {
            self.note = NoteLine::default();
            self.note_changed();
            self.say("edit left: the note is as it was", now);
            return;
        }
        if self.keep_note_as_draft(now) {
            let resume = self.key(Layer::Live, Action::ResumeDraft);
            self.say(
                format!(
                    "draft kept: {resume} brings it back; it is never merged into another note"
                ),
                now,
            );
        }
    }

    /// Journals the note line as a draft and empties it. Returns whether there was one.
    fn keep_note_as_draft(&mut self, now: DateTime<Utc>) -> bool {
        let text = self.note.text();
        if text.is_empty() || self.note.editing.is_some() {
            return false;
        }
        let line = std::mem::take(&mut self.note);
        self.note_changed();
        let id = line
            .draft_id
            .unwrap_or_else(|| self.state().next_draft_id());
        let noted_at = line.noted_at.unwrap_or_else(|| self.stamp(now));
        self.record(
            Event::DraftKept {
                id,
                noted_at,
                theme: line.theme,
                text,
            },
            now,
        );
        true
    }

    /// Takes a kept draft back into the note line; what the line held is kept as a draft first.
    fn resume_draft(&mut self, id: &str, now: DateTime<Utc>) {
        let Some(draft) = self.state().drafts.iter().find(|d| d.id == id).cloned() else {
            return;
        };
        self.keep_note_as_draft(now);
        self.record(
            Event::DraftResumed {
                id: draft.id.clone(),
            },
            now,
        );
        let mut line = NoteLine::with_text(&draft.text);
        line.noted_at = Some(draft.at);
        line.theme = draft.theme;
        line.draft_id = Some(draft.id);
        self.note = line;
        self.note_changed();
        self.say(
            format!(
                "draft back in the note line, timed {}: Enter saves it",
                hms(self.state().offset_seconds(draft.at))
            ),
            now,
        );
        self.clamp_selection();
    }

    /// The note the move box opens on: the selected one in the notes pane, else the last.
    fn open_move(&mut self, now: DateTime<Utc>) {
        let state = self.state();
        let note = if self.pane == Pane::Notes {
            state.notes.get(self.selected_note)
        } else {
            state.notes.last()
        };
        let Some(note) = note else {
            self.say("no saved note to move", now);
            return;
        };
        let theme = note
            .theme
            .as_deref()
            .and_then(|t| self.session.guide.theme_index(t));
        let modal = Modal::MoveNote {
            id: note.id.clone(),
            theme,
            at: note.at,
        };
        self.modals.push(modal);
    }

    fn act_move(&mut self, action: Action, now: DateTime<Utc>) {
        let count = self.session.guide.themes.len();
        let started_at = self.state().started_at;
        let Some(Modal::MoveNote { id, theme, at }) = self.modals.last_mut() else {
            return;
        };
        match action {
            // The list is "no theme" followed by the guide's themes.
            Action::SelectNext => {
                *theme = Some(theme.map_or(0, |t| (t + 1).min(count.saturating_sub(1))))
            }
            Action::SelectPrev => *theme = theme.and_then(|t| t.checked_sub(1)),
            Action::Earlier => {
                *at = (*at - Duration::seconds(NUDGE_SECONDS)).max(started_at);
            }
            Action::Later => *at += Duration::seconds(NUDGE_SECONDS),
            Action::Confirm => {
                let (id, theme, at) = (id.clone(), *theme, *at);
                self.modals.pop();
                self.file_note(&id, theme, at, now);
            }
            _ => {
                self.modals.pop();
            }
        }
    }

    fn file_note(&mut self, id: &str, theme: Option<usize>, at: DateTime<Utc>, now: DateTime<Utc>) {
        let Some(note) = self.state().notes.iter().find(|n| n.id == id).cloned() else {
            return;
        };
        let theme_id = theme.map(|i| self.session.guide.themes[i].id.clone());
        let mut said = Vec::new();
        if theme_id != note.theme {
            let title = theme
                .map(|i| format!("'{}'", self.session.guide.themes[i].title))
                .unwrap_or_else(|| "no theme".into());
            self.record(
                Event::NoteMoved {
                    id: id.to_string(),
                    theme: theme_id,
                },
                now,
            );
            said.push(format!("filed under {title}"));
        }
        if at != note.at {
            self.record(
                Event::NoteRetimed {
                    id: id.to_string(),
                    noted_at: at,
                },
                now,
            );
            said.push(format!("timed {}", hms(self.state().offset_seconds(at))));
        }
        if said.is_empty() {
            self.say(format!("note {id} left as it was"), now);
        } else {
            self.say(format!("note {id} {}", said.join(", ")), now);
        }
    }

    /// Keeps the note being written as a draft: the program is being ended from outside
    /// (hang-up, SIGTERM) and nobody is there to press a key.
    pub fn rescue_drafts(&mut self, now: DateTime<Utc>) {
        self.modals.clear();
        if self.note.editing.is_some() {
            // An unfinished edit is not kept: the note is as it was, safe in the journal.
            return;
        }
        self.keep_note_as_draft(now);
    }

    /// Records an event and says what happened and when: `P3 left at 00:41:10`.
    pub(crate) fn record_and_say(&mut self, event: Event, now: DateTime<Utc>) {
        let said = format!(
            "{} at {}",
            event.describe(),
            hms(self.state().offset_seconds(now))
        );
        self.record(event, now);
        self.say(said, now);
    }
}
