//! What the live screen does for the room: covered-and-next, the mode changed live, themes
//! added and reordered live, parked questions ticked as asked, and the seating plan. Each
//! action becomes one event, and the status line says what changed.

use super::add_theme::{AddThemeForm, NewThemeOutcome};
use super::app::{LiveApp, Modal};
use super::keymap::Action;
use super::roster::{RosterOutcome, next_pseudonym};
use crate::model::event::Event;
use crate::model::guide::SessionMode;
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;

impl LiveApp {
    /// The theme whose question and probes are shown first (and that the probe keys tick): the
    /// one being discussed, else the selected one.
    pub fn shown_theme(&self) -> usize {
        self.focus_theme()
    }

    /// The theme that comes after `index`: the next one neither covered nor skipped, looking
    /// down the list first and then from the top.
    pub fn next_open_theme(&self, index: usize) -> Option<usize> {
        let state = self.state();
        let count = state.themes.len();
        (index + 1..count)
            .chain(0..index)
            .find(|i| !state.themes[*i].is_addressed())
    }

    /// Covered, next question: covers the theme shown and starts the next open one.
    pub fn cover_next(&mut self, now: DateTime<Utc>) {
        let index = self.shown_theme();
        let guide = std::sync::Arc::clone(&self.session.guide);
        let Some(theme) = guide.themes.get(index) else {
            return;
        };
        if self.state().themes[index].covered_at.is_none() {
            self.record(
                Event::Covered {
                    theme: theme.id.clone(),
                },
                now,
            );
        }
        match self.next_open_theme(index) {
            Some(next) => {
                let next_theme = &guide.themes[next];
                self.record(
                    Event::Discussing {
                        theme: next_theme.id.clone(),
                    },
                    now,
                );
                self.selected_theme = next;
                self.say(
                    format!(
                        "\"{}\" covered · now: \"{}\"",
                        theme.title, next_theme.title
                    ),
                    now,
                );
            }
            None => self.say(
                format!(
                    "\"{}\" covered · every theme is covered or skipped: the end check is next",
                    theme.title
                ),
                now,
            ),
        }
    }

    /// In person, then telephone, then video, then in person again.
    pub fn switch_mode(&mut self, now: DateTime<Utc>) {
        let all = SessionMode::ALL;
        let i = all
            .iter()
            .position(|m| *m == self.state().mode)
            .unwrap_or(0);
        let mode = all[(i + 1) % all.len()];
        self.record(Event::ModeChanged { mode }, now);
        let layout = if mode == SessionMode::Telephone {
            "the question and its probes come first"
        } else {
            "themes and notes side by side"
        };
        self.say(format!("now {mode}: {layout}"), now);
    }

    pub fn open_add_theme(&mut self) {
        let after = Some(self.shown_theme());
        self.modals
            .push(Modal::AddTheme(Box::new(AddThemeForm::new(after))));
    }

    /// An action of the add-theme form.
    pub fn act_new_theme(&mut self, action: Action, now: DateTime<Utc>) {
        let guide = std::sync::Arc::clone(&self.session.guide);
        let Some(Modal::AddTheme(form)) = self.modals.last_mut() else {
            return;
        };
        let place = form.place_words(&guide);
        match form.on_action(action, &guide) {
            NewThemeOutcome::Stay => {}
            NewThemeOutcome::Cancel => {
                self.modals.pop();
            }
            NewThemeOutcome::Refuse(why) => self.say(why, now),
            NewThemeOutcome::Add(event) => {
                self.modals.pop();
                let (id, title) = match event.as_ref() {
                    Event::ThemeAdded { id, title, .. } => (id.clone(), title.clone()),
                    _ => return,
                };
                self.record(*event, now);
                if let Some(i) = self.session.guide.theme_index(&id) {
                    self.selected_theme = i;
                }
                self.say(
                    format!("emergent theme \"{title}\" added {place}: Enter on an empty note line when the room discusses it"),
                    now,
                );
            }
        }
    }

    /// Moves the selected theme one place up (`-1`) or down (`1`) the session's order.
    pub fn move_selected_theme(&mut self, delta: i32, now: DateTime<Utc>) {
        let guide = std::sync::Arc::clone(&self.session.guide);
        let from = self.selected_theme;
        let to = if delta < 0 {
            from.checked_sub(1)
        } else {
            Some(from + 1).filter(|t| *t < guide.themes.len())
        };
        let Some(to) = to else {
            self.say("it is already at the end of the list", now);
            return;
        };
        let theme = guide.themes[from].id.clone();
        // With the theme taken out, the one it follows at `to` is at `to - 1`.
        let after = if to > from {
            Some(guide.themes[to].id.clone())
        } else {
            to.checked_sub(1).map(|i| guide.themes[i].id.clone())
        };
        self.record(
            Event::ThemeMoved {
                theme: theme.clone(),
                after,
            },
            now,
        );
        if let Some(i) = self.session.guide.theme_index(&theme) {
            self.selected_theme = i;
        }
        self.say(
            format!(
                "\"{}\" moved to place {} of {}",
                guide.themes[from].title,
                to + 1,
                guide.themes.len()
            ),
            now,
        );
    }

    /// An action of the parked questions list.
    pub fn act_parked(&mut self, action: Action, now: DateTime<Utc>) {
        let parked: Vec<(String, bool, String)> = self
            .state()
            .followups()
            .map(|n| (n.id.clone(), n.asked_at.is_some(), n.text.clone()))
            .collect();
        let Some(Modal::Parked { selected }) = self.modals.last_mut() else {
            return;
        };
        match action {
            Action::SelectNext => *selected = (*selected + 1).min(parked.len().saturating_sub(1)),
            Action::SelectPrev => *selected = selected.saturating_sub(1),
            Action::Confirm => {
                if let Some((note, asked, text)) = parked.get(*selected).cloned() {
                    self.record(
                        Event::FollowupAsked {
                            note,
                            asked: !asked,
                        },
                        now,
                    );
                    let what = if asked { "not asked yet" } else { "asked" };
                    self.say(format!("parked question {what}: {text}"), now);
                }
            }
            _ => {
                self.modals.pop();
            }
        }
    }

    /// An action of the seating plan.
    pub fn act_roster(&mut self, action: Action, now: DateTime<Utc>) {
        let participants = self.session.state().participants.clone();
        let Some(Modal::Participants(roster)) = self.modals.last_mut() else {
            return;
        };
        match roster.on_action(action, &participants, &next_pseudonym(&participants)) {
            RosterOutcome::Nothing | RosterOutcome::RealName { .. } => {}
            RosterOutcome::Close => {
                self.modals.pop();
            }
            RosterOutcome::Record(
                event @ (Event::ParticipantArrived { .. } | Event::ParticipantLeft { .. }),
            ) => self.record_and_say(event, now),
            RosterOutcome::Record(event) => {
                let said = event.describe();
                self.record(event, now);
                self.say(said, now);
            }
        }
    }

    /// A key no binding took in a room overlay: text for its field.
    pub fn room_text_key(&mut self, key: KeyEvent) {
        match self.modals.last_mut() {
            Some(Modal::AddTheme(form)) => form.on_text_key(key),
            Some(Modal::Participants(roster)) => {
                roster.on_text_key(key, &self.session.state().participants)
            }
            _ => {}
        }
    }
}
