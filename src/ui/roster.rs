//! The seating plan editor: each participant's seat, a short descriptor and their own consent to
//! the recording, with late arrivals and early leavers. The same editor serves the set-up form
//! and the live screen; it never changes a session itself, it answers with the event to record.

use super::keymap::Action;
use crate::model::event::Event;
use crate::model::session::Participant;
use crate::text::clean_single_line;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

/// The most a seat or a descriptor keeps: a few words, not a biography.
pub const MAX_FIELD_CHARS: usize = 40;

/// What is being typed for the selected participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterField {
    Seat,
    Descriptor,
    /// Only at set-up: the real name, kept apart in a private file no export reads.
    RealName,
}

impl RosterField {
    pub fn label(self) -> &'static str {
        match self {
            RosterField::Seat => "seat",
            RosterField::Descriptor => "descriptor",
            RosterField::RealName => "real name (kept apart, never exported)",
        }
    }
}

/// What an action in the editor asks the screen to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterOutcome {
    Nothing,
    Close,
    /// Record this event (a seat, a descriptor, a consent, an arrival or a leaving).
    Record(Event),
    /// A real name was typed for a participant (set-up only; never an event).
    RealName {
        participant: String,
        name: String,
    },
}

/// The editor's state: which participant, and the field being typed, if any.
#[derive(Debug, Clone)]
pub struct RosterEditor {
    pub selected: usize,
    pub editing: Option<(RosterField, TextArea<'static>)>,
    /// Whether the real-name field is offered (the set-up form only).
    pub with_real_names: bool,
}

impl RosterEditor {
    pub fn new(with_real_names: bool) -> Self {
        RosterEditor {
            selected: 0,
            editing: None,
            with_real_names,
        }
    }

    /// The field after `field` as Tab goes round: seat, descriptor, (real name), then none.
    fn next_field(&self, field: Option<RosterField>) -> Option<RosterField> {
        match field {
            None => Some(RosterField::Seat),
            Some(RosterField::Seat) => Some(RosterField::Descriptor),
            Some(RosterField::Descriptor) if self.with_real_names => Some(RosterField::RealName),
            Some(RosterField::Descriptor) | Some(RosterField::RealName) => None,
        }
    }

    /// A key no binding took: text for the field being typed (typing with none open opens the
    /// descriptor, the field most often written live).
    pub fn on_text_key(&mut self, key: KeyEvent, participants: &[Participant]) {
        if self.editing.is_none() {
            self.open(RosterField::Descriptor, participants);
        }
        if let Some((_, text)) = self.editing.as_mut() {
            text.input(key);
        }
    }

    /// Pasted text goes into the field being typed.
    pub fn on_paste(&mut self, text: &str, participants: &[Participant]) {
        if self.editing.is_none() {
            self.open(RosterField::Descriptor, participants);
        }
        if let Some((_, area)) = self.editing.as_mut() {
            area.insert_str(clean_single_line(text));
        }
    }

    fn open(&mut self, field: RosterField, participants: &[Participant]) {
        let Some(p) = participants.get(self.selected) else {
            return;
        };
        let value = match field {
            RosterField::Seat => p.seat.clone().unwrap_or_default(),
            RosterField::Descriptor => p.descriptor.clone().unwrap_or_default(),
            RosterField::RealName => String::new(),
        };
        let mut text = TextArea::new(vec![value]);
        text.move_cursor(ratatui_textarea::CursorMove::End);
        text.set_placeholder_text(field.label());
        self.editing = Some((field, text));
    }

    /// What the field being typed now says, as the event (or real name) that keeps it; None when
    /// nothing changed.
    fn kept(&self, participants: &[Participant]) -> Option<RosterOutcome> {
        let (field, text) = self.editing.as_ref()?;
        let p = participants.get(self.selected)?;
        let typed: String = clean_single_line(&text.lines().join(" "))
            .chars()
            .take(MAX_FIELD_CHARS)
            .collect();
        let value = (!typed.is_empty()).then_some(typed);
        let (seat, descriptor) = match field {
            RosterField::Seat => (value, p.descriptor.clone()),
            RosterField::Descriptor => (p.seat.clone(), value),
            RosterField::RealName => {
                return value.map(|name| RosterOutcome::RealName {
                    participant: p.name.clone(),
                    name,
                });
            }
        };
        (seat != p.seat || descriptor != p.descriptor).then(|| {
            RosterOutcome::Record(Event::ParticipantDescribed {
                participant: p.name.clone(),
                seat,
                descriptor,
            })
        })
    }

    /// One action of the `participants` layer. `new_participant` is the pseudonym a new arrival
    /// gets.
    pub fn on_action(
        &mut self,
        action: Action,
        participants: &[Participant],
        new_participant: &str,
    ) -> RosterOutcome {
        let chosen = participants.get(self.selected).map(|p| p.name.clone());
        let last = participants.len().saturating_sub(1);
        match action {
            Action::SelectNext | Action::SelectPrev => {
                // Moving on keeps what was typed: it reads as done.
                let kept = self.kept(participants);
                self.editing = None;
                self.selected = if action == Action::SelectNext {
                    (self.selected + 1).min(last)
                } else {
                    self.selected.saturating_sub(1)
                };
                kept.unwrap_or(RosterOutcome::Nothing)
            }
            Action::NextField => {
                let kept = self.kept(participants);
                let next = self.next_field(self.editing.as_ref().map(|(f, _)| *f));
                self.editing = None;
                if let Some(field) = next {
                    self.open(field, participants);
                }
                kept.unwrap_or(RosterOutcome::Nothing)
            }
            Action::Confirm => {
                let kept = self.kept(participants);
                self.editing = None;
                kept.unwrap_or(RosterOutcome::Nothing)
            }
            Action::ToggleConsent => match (chosen, participants.get(self.selected)) {
                (Some(participant), Some(p)) => RosterOutcome::Record(Event::ParticipantConsent {
                    participant,
                    consent: p.consent != Some(true),
                }),
                _ => RosterOutcome::Nothing,
            },
            Action::Arrived => chosen.map_or(RosterOutcome::Nothing, |participant| {
                RosterOutcome::Record(Event::ParticipantArrived { participant })
            }),
            Action::Left => chosen.map_or(RosterOutcome::Nothing, |participant| {
                RosterOutcome::Record(Event::ParticipantLeft { participant })
            }),
            Action::AddParticipant => {
                self.editing = None;
                self.selected = participants.len();
                RosterOutcome::Record(Event::ParticipantArrived {
                    participant: new_participant.to_string(),
                })
            }
            Action::Cancel => {
                if self.editing.take().is_some() {
                    RosterOutcome::Nothing
                } else {
                    RosterOutcome::Close
                }
            }
            _ => RosterOutcome::Nothing,
        }
    }
}

/// The first `Pn` not yet taken.
pub fn next_pseudonym(participants: &[Participant]) -> String {
    (1..)
        .map(|n| format!("P{n}"))
        .find(|p| !participants.iter().any(|q| q.name == *p))
        .unwrap_or_else(|| "P?".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn people() -> Vec<Participant> {
        ["P1", "P2"]
            .iter()
            .map(|n| Participant {
                name: n.to_string(),
                ..Participant::default()
            })
            .collect()
    }

    fn type_text(editor: &mut RosterEditor, text: &str, people: &[Participant]) {
        for c in text.chars() {
            editor.on_text_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), people);
        }
    }

    #[test]
    fn typing_writes_the_descriptor_and_enter_keeps_it() {
        let people = people();
        let mut editor = RosterEditor::new(false);
        editor.on_action(Action::SelectNext, &people, "P3");
        type_text(&mut editor, "red scarf, by the window", &people);
        assert_eq!(
            editor.on_action(Action::Confirm, &people, "P3"),
            RosterOutcome::Record(Event::ParticipantDescribed {
                participant: "P2".into(),
                seat: None,
                descriptor: Some("red scarf, by the window".into()),
            })
        );
        assert_eq!(
            editor.on_action(Action::Confirm, &people, "P3"),
            RosterOutcome::Nothing,
            "nothing typed, nothing kept"
        );
    }

    #[test]
    fn tab_goes_seat_then_descriptor_and_consent_toggles() {
        let mut people = people();
        let mut editor = RosterEditor::new(true);
        editor.on_action(Action::NextField, &people, "P3");
        type_text(&mut editor, "3", &people);
        let kept = editor.on_action(Action::NextField, &people, "P3");
        assert!(matches!(
            kept,
            RosterOutcome::Record(Event::ParticipantDescribed { seat: Some(ref s), .. }) if s == "3"
        ));
        assert_eq!(
            editor.editing.as_ref().map(|(f, _)| *f),
            Some(RosterField::Descriptor)
        );
        editor.on_action(Action::NextField, &people, "P3");
        type_text(&mut editor, "Ann Lee", &people);
        assert_eq!(
            editor.on_action(Action::Confirm, &people, "P3"),
            RosterOutcome::RealName {
                participant: "P1".into(),
                name: "Ann Lee".into()
            }
        );
        let consent = editor.on_action(Action::ToggleConsent, &people, "P3");
        assert_eq!(
            consent,
            RosterOutcome::Record(Event::ParticipantConsent {
                participant: "P1".into(),
                consent: true
            })
        );
        people[0].consent = Some(true);
        assert!(matches!(
            editor.on_action(Action::ToggleConsent, &people, "P3"),
            RosterOutcome::Record(Event::ParticipantConsent { consent: false, .. })
        ));
        assert_eq!(
            editor.on_action(Action::Cancel, &people, "P3"),
            RosterOutcome::Close
        );
    }
}
