//! The live screen's state and behaviour: keys become named actions, actions become session
//! events. No terminal and no disk here: the loop writes the records this produces and reports
//! back whether they were saved.

use super::add_theme::AddThemeForm;
use super::keymap::{Action, Keymap, Layer};
use super::roster::RosterEditor;
use super::scroll::Scroll;
use crate::model::alerts::due_warnings;
use crate::model::event::{Event, Record, WarningKind};
use crate::model::session::{Session, SessionState};
use crate::model::timefmt::hms;
use crate::text::{clean_single_line, one_line};
use chrono::{DateTime, Duration, Utc};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{TextArea, WrapMode};
use std::path::PathBuf;

/// How long a passing message stays in the status line.
const FLASH_SECONDS: i64 = 5;
/// How long the summary shown on resume stays.
pub const WELCOME_SECONDS: i64 = 20;

/// Which pane of the live screen has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Themes,
    Notes,
}

/// A note being written or edited.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub textarea: TextArea<'static>,
    /// When `n` was pressed (the note's time), or the edited note's time.
    pub noted_at: DateTime<Utc>,
    pub theme: Option<String>,
    /// The id of the note being edited; None for a new note.
    pub editing: Option<String>,
}

impl NoteEditor {
    fn new(
        text: &str,
        noted_at: DateTime<Utc>,
        theme: Option<String>,
        editing: Option<String>,
    ) -> Self {
        let mut textarea = TextArea::new(vec![text.to_string()]);
        textarea.set_wrap_mode(WrapMode::WordOrGlyph);
        textarea.move_cursor(ratatui_textarea::CursorMove::End);
        textarea
            .set_placeholder_text("@P3 what was said #quote   (Enter saves, Esc keeps the draft)");
        NoteEditor {
            textarea,
            noted_at,
            theme,
            editing,
        }
    }

    /// The note's text as one line.
    pub fn text(&self) -> String {
        clean_single_line(&self.textarea.lines().join(" "))
    }
}

/// Overlays on the live screen; the top one takes the keys.
#[derive(Debug, Clone)]
pub enum Modal {
    Editor(Box<NoteEditor>),
    Skip {
        theme: usize,
        reason: Box<TextArea<'static>>,
    },
    Help {
        scroll: Scroll,
    },
    EndCheck,
    /// The seating plan: seats, descriptors, consent, arrivals and leavers.
    Participants(Box<RosterEditor>),
    /// Leaving while some events are not saved: offer the emergency copy.
    Leave,
    /// Adding a theme that came up in the room.
    AddTheme(Box<AddThemeForm>),
    /// The parked questions, to tick as asked.
    Parked {
        selected: usize,
    },
}

impl Modal {
    fn layer(&self) -> Layer {
        match self {
            Modal::Editor(_) => Layer::Editor,
            Modal::Skip { .. } => Layer::Skip,
            Modal::Help { .. } => Layer::Help,
            Modal::EndCheck => Layer::EndCheck,
            Modal::Participants(_) => Layer::Participants,
            Modal::Leave => Layer::Leave,
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
    pub selected_note: usize,
    pub modals: Vec<Modal>,
    /// A new note closed with Esc, reopened by the next `n`.
    pub draft: Option<Box<NoteEditor>>,
    /// Records up to this sequence number are synced to disk.
    pub synced_seq: u64,
    pub save_state: SaveState,
    /// A passing message and when it goes.
    pub flash: Option<(String, DateTime<Utc>)>,
    pub exit: Option<Exit>,
    /// Ring the bell at the next draw.
    pub bell_due: bool,
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
            draft: None,
            synced_seq,
            save_state: SaveState::Saved,
            flash: None,
            exit: None,
            bell_due: false,
        }
    }

    pub fn state(&self) -> &SessionState {
        self.session.state()
    }

    /// The layer that reads the next key.
    pub fn layer(&self) -> Layer {
        match self.modals.last() {
            Some(m) => m.layer(),
            None => match self.pane {
                Pane::Themes => Layer::Themes,
                Pane::Notes => Layer::Notes,
            },
        }
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

    /// Text pasted into the terminal: into the open editor, else into a new note. Never keys.
    pub fn on_paste(&mut self, text: &str, now: DateTime<Utc>) {
        let text = one_line(text);
        match self.modals.last_mut() {
            Some(Modal::Editor(editor)) => {
                editor.textarea.insert_str(text);
            }
            Some(Modal::Skip { reason, .. }) => {
                reason.insert_str(text);
            }
            Some(Modal::AddTheme(form)) => form.on_paste(&text),
            Some(Modal::Participants(roster)) => {
                roster.on_paste(&text, &self.session.state().participants)
            }
            Some(_) => {}
            None => {
                self.open_editor(now);
                if let Some(Modal::Editor(editor)) = self.modals.last_mut() {
                    editor.textarea.insert_str(text);
                }
            }
        }
    }

    /// A click on a theme of the list: select it and give the list the keys.
    pub fn click_theme(&mut self, index: usize) {
        if self.modals.is_empty() && index < self.session.guide.themes.len() {
            self.selected_theme = index;
            self.pane = Pane::Themes;
        }
    }

    /// The mouse wheel over the notes: move through them (negative is up, to older notes).
    pub fn scroll_notes(&mut self, delta: i32) {
        if !self.modals.is_empty() {
            return;
        }
        let count = self.state().notes.len();
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
        let layer = self.layer();
        let action = self.keymap.action(layer, &key);
        match (layer, action) {
            (Layer::Editor, None) => {
                if let Some(Modal::Editor(editor)) = self.modals.last_mut() {
                    editor.textarea.input(key);
                }
            }
            (Layer::Skip, None) => {
                if let Some(Modal::Skip { reason, .. }) = self.modals.last_mut() {
                    reason.input(key);
                }
            }
            (Layer::EndCheck, None) => {
                self.modals.pop();
            }
            (Layer::NewTheme | Layer::Participants, None) => self.room_text_key(key),
            (Layer::NewTheme, Some(action)) => self.act_new_theme(action, key, now),
            (_, Some(action)) => self.act(layer, action, now),
            (_, None) => {}
        }
        self.tick(now);
    }

    fn act(&mut self, layer: Layer, action: Action, now: DateTime<Utc>) {
        match layer {
            Layer::Editor => self.act_editor(action, now),
            Layer::Skip => self.act_skip(action, now),
            Layer::Help => match (action, self.modals.last_mut()) {
                (Action::SelectNext, Some(Modal::Help { scroll })) => scroll.down(1),
                (Action::SelectPrev, Some(Modal::Help { scroll })) => scroll.up(1),
                _ => {
                    self.modals.pop();
                }
            },
            Layer::EndCheck => {
                self.modals.pop();
                if action == Action::Confirm {
                    self.record(Event::Ended, now);
                    self.exit = Some(Exit::Ended);
                }
            }
            Layer::Participants => self.act_roster(action, now),
            Layer::Parked => self.act_parked(action, now),
            Layer::Leave => match action {
                Action::Confirm => self.exit = Some(Exit::LeftWithEmergencyCopy),
                Action::Quit => self.exit = Some(Exit::Left),
                _ => {
                    self.modals.pop();
                }
            },
            _ => self.act_live(action, now),
        }
    }

    fn act_live(&mut self, action: Action, now: DateTime<Utc>) {
        let theme_count = self.session.guide.themes.len();
        let note_count = self.state().notes.len();
        match action {
            Action::SelectNext if self.pane == Pane::Themes => {
                self.selected_theme = (self.selected_theme + 1).min(theme_count.saturating_sub(1));
            }
            Action::SelectPrev if self.pane == Pane::Themes => {
                self.selected_theme = self.selected_theme.saturating_sub(1);
            }
            Action::SelectNext => {
                self.selected_note = (self.selected_note + 1).min(note_count.saturating_sub(1));
            }
            Action::SelectPrev => self.selected_note = self.selected_note.saturating_sub(1),
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
            Action::Skip => {
                let theme = self.selected_theme_id();
                if self.state().themes[self.selected_theme].skipped.is_some() {
                    self.record(Event::Unskipped { theme }, now);
                } else {
                    let mut reason = TextArea::default();
                    reason.set_placeholder_text("reason (optional), Enter to skip");
                    self.modals.push(Modal::Skip {
                        theme: self.selected_theme,
                        reason: Box::new(reason),
                    });
                }
            }
            Action::ToggleProbe(n) => self.toggle_probe(usize::from(n), now),
            Action::NewNote => self.open_editor(now),
            Action::TogglePause => {
                let event = if self.state().is_paused() {
                    Event::Resumed
                } else {
                    Event::Paused
                };
                self.record(event, now);
            }
            Action::RecordingMark => {
                self.record(Event::RecordingStarted, now);
                if self.state().meta.consent {
                    self.say("recording mark set: export offsets count from now", now);
                } else {
                    self.say("recording mark set, but consent to audio recording was not given at set-up", now);
                }
            }
            Action::Undo => self.undo(now),
            Action::SwitchPane => {
                self.pane = match self.pane {
                    Pane::Themes => Pane::Notes,
                    Pane::Notes => Pane::Themes,
                };
                if self.pane == Pane::Notes {
                    self.selected_note = self.selected_note.min(note_count.saturating_sub(1));
                }
            }
            Action::Help => self.modals.push(Modal::Help {
                scroll: Scroll::default(),
            }),
            Action::End => self.modals.push(Modal::EndCheck),
            Action::Leave => {
                if self.is_saved() {
                    self.exit = Some(Exit::Left);
                } else {
                    self.modals.push(Modal::Leave);
                }
            }
            Action::Participants => self
                .modals
                .push(Modal::Participants(Box::new(RosterEditor::new(false)))),
            Action::CoverNext => self.cover_next(now),
            Action::SwitchMode => self.switch_mode(now),
            Action::AddTheme => self.open_add_theme(),
            Action::MoveThemeUp => self.move_selected_theme(-1, now),
            Action::MoveThemeDown => self.move_selected_theme(1, now),
            Action::Parked => self.modals.push(Modal::Parked { selected: 0 }),
            Action::EditNote => {
                if let Some(note) = self.state().notes.get(self.selected_note) {
                    let editor = NoteEditor::new(
                        &note.raw,
                        note.at,
                        note.theme.clone(),
                        Some(note.id.clone()),
                    );
                    self.modals.push(Modal::Editor(Box::new(editor)));
                }
            }
            Action::DeleteNote => {
                if let Some(note) = self.state().notes.get(self.selected_note) {
                    let id = note.id.clone();
                    self.record(Event::NoteDeleted { id: id.clone() }, now);
                    self.say(format!("note {id} deleted: u brings it back"), now);
                    let count = self.state().notes.len();
                    self.selected_note = self.selected_note.min(count.saturating_sub(1));
                }
            }
            _ => {}
        }
    }

    fn selected_theme_id(&self) -> String {
        self.session.guide.themes[self.selected_theme].id.clone()
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

    fn open_editor(&mut self, now: DateTime<Utc>) {
        let editor = match self.draft.take() {
            Some(draft) => draft,
            None => {
                let theme = self
                    .state()
                    .current
                    .map(|i| self.session.guide.themes[i].id.clone());
                Box::new(NoteEditor::new("", now, theme, None))
            }
        };
        self.modals.push(Modal::Editor(editor));
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
            .map(|r| r.event.describe())
            .unwrap_or_default();
        self.record(Event::Undone { target }, now);
        self.say(format!("undone: {what}"), now);
        let count = self.state().notes.len();
        self.selected_note = self.selected_note.min(count.saturating_sub(1));
    }

    fn act_editor(&mut self, action: Action, now: DateTime<Utc>) {
        let Some(Modal::Editor(editor)) = self.modals.last_mut() else {
            return;
        };
        match action {
            Action::SaveNote => {
                let text = editor.text();
                let Some(Modal::Editor(editor)) = self.modals.pop() else {
                    return;
                };
                self.save_note(*editor, text, now);
            }
            Action::CloseEditor => {
                if let Some(Modal::Editor(editor)) = self.modals.pop()
                    && editor.editing.is_none()
                    && !editor.text().is_empty()
                {
                    self.draft = Some(editor);
                    self.say("draft kept: n reopens it", now);
                }
            }
            Action::NextSpeaker => {
                let names: Vec<String> = self
                    .session
                    .state()
                    .participants
                    .iter()
                    .map(|p| p.name.clone())
                    .collect();
                cycle_speaker(&mut editor.textarea, &names);
            }
            _ => {}
        }
    }

    fn save_note(&mut self, editor: NoteEditor, text: String, now: DateTime<Utc>) {
        if text.is_empty() {
            if editor.editing.is_some() {
                self.say("a note cannot be empty: d deletes it", now);
            }
            return;
        }
        match editor.editing {
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
                self.record(
                    Event::NoteAdded {
                        id,
                        noted_at: editor.noted_at,
                        theme: editor.theme,
                        text,
                    },
                    now,
                );
                self.selected_note = self.state().notes.len().saturating_sub(1);
            }
        }
    }

    /// Keeps the note being written, and a kept draft, as notes: the program is being ended from
    /// outside (hang-up, SIGTERM) and nobody is there to press Enter.
    pub fn rescue_drafts(&mut self, now: DateTime<Utc>) {
        let open = self.modals.drain(..).filter_map(|m| match m {
            Modal::Editor(editor) => Some(editor),
            _ => None,
        });
        let drafts: Vec<Box<NoteEditor>> = open.chain(self.draft.take()).collect();
        for editor in drafts {
            let text = editor.text();
            if !text.is_empty() {
                self.save_note(*editor, text, now);
            }
        }
    }

    fn act_skip(&mut self, action: Action, now: DateTime<Utc>) {
        match action {
            Action::Confirm => {
                if let Some(Modal::Skip { theme, reason }) = self.modals.pop() {
                    let reason = clean_single_line(&reason.lines().join(" "));
                    let theme = self.session.guide.themes[theme].id.clone();
                    self.record(
                        Event::Skipped {
                            theme,
                            reason: (!reason.is_empty()).then_some(reason),
                        },
                        now,
                    );
                }
            }
            _ => {
                self.modals.pop();
            }
        }
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

/// Replaces or adds the `@name ` mark at the start of the note with the next participant's.
fn cycle_speaker(textarea: &mut TextArea<'static>, names: &[String]) {
    if names.is_empty() {
        return;
    }
    let text = textarea.lines().join(" ");
    let (current, rest) = match text.strip_prefix('@') {
        Some(after) => {
            let end = after.find(' ').unwrap_or(after.len());
            (Some(&after[..end]), after[end..].trim_start())
        }
        None => (None, text.as_str()),
    };
    let next = match current.and_then(|c| names.iter().position(|n| n.eq_ignore_ascii_case(c))) {
        Some(i) if i + 1 < names.len() => Some(&names[i + 1]),
        Some(_) => None,
        None => names.first(),
    };
    let new_text = match next {
        Some(name) => format!("@{name} {rest}"),
        None => rest.to_string(),
    };
    let mut fresh = TextArea::new(vec![new_text]);
    fresh.set_wrap_mode(WrapMode::WordOrGlyph);
    fresh.set_placeholder_text(textarea.placeholder_text().to_string());
    fresh.move_cursor(ratatui_textarea::CursorMove::End);
    *textarea = fresh;
}
