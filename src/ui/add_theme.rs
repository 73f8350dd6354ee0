//! The form that adds a theme which came up in the room: its title, where it goes in the
//! session's order, and whether it is required (emergent themes are optional unless said).

use super::keymap::Action;
use crate::model::emergent::new_theme_id;
use crate::model::event::Event;
use crate::model::guide::Guide;
use crate::text::clean_single_line;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

/// The longest title a theme added live keeps.
pub const MAX_TITLE_CHARS: usize = 80;

/// The form's fields, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewThemeField {
    Title,
    Place,
    Required,
}

const FIELDS: [NewThemeField; 3] = [
    NewThemeField::Title,
    NewThemeField::Place,
    NewThemeField::Required,
];

/// What the form answers an action with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewThemeOutcome {
    Stay,
    Cancel,
    /// Record this `ThemeAdded` event.
    Add(Box<Event>),
    /// The form cannot add this yet; say why.
    Refuse(String),
}

/// The form's state.
#[derive(Debug, Clone)]
pub struct AddThemeForm {
    pub title: TextArea<'static>,
    pub field: NewThemeField,
    /// The position (in the session's themes) the new theme follows; None puts it first.
    pub after: Option<usize>,
    pub required: bool,
}

impl AddThemeForm {
    /// A form placing the new theme after theme `after` (the one being discussed, usually).
    pub fn new(after: Option<usize>) -> Self {
        let mut title = TextArea::default();
        title.set_placeholder_text("what the room started talking about");
        AddThemeForm {
            title,
            field: NewThemeField::Title,
            after,
            required: false,
        }
    }

    pub fn typed_title(&self) -> String {
        clean_single_line(&self.title.lines().join(" "))
            .chars()
            .take(MAX_TITLE_CHARS)
            .collect()
    }

    /// A key no binding took: text for the title (typing elsewhere goes back to the title).
    pub fn on_text_key(&mut self, key: KeyEvent) {
        self.field = NewThemeField::Title;
        self.title.input(key);
    }

    pub fn on_paste(&mut self, text: &str) {
        self.field = NewThemeField::Title;
        self.title.insert_str(clean_single_line(text));
    }

    /// Where the new theme goes, in words: `after "Health experiences"` or `first`.
    pub fn place_words(&self, guide: &Guide) -> String {
        match self.after.and_then(|i| guide.themes.get(i)) {
            Some(theme) => format!("after \"{}\"", theme.title),
            None => "first, before every theme".into(),
        }
    }

    /// One action of the `new_theme` layer, against the session's current themes.
    pub fn on_action(&mut self, action: Action, guide: &Guide) -> NewThemeOutcome {
        let position = FIELDS.iter().position(|f| *f == self.field).unwrap_or(0);
        match action {
            Action::NextField => self.field = FIELDS[(position + 1) % FIELDS.len()],
            Action::PrevField => self.field = FIELDS[(position + FIELDS.len() - 1) % FIELDS.len()],
            Action::CursorLeft | Action::CursorRight => {
                let right = action == Action::CursorRight;
                match self.field {
                    // Left and Right move through the title's text.
                    NewThemeField::Title => self.title.move_cursor(if right {
                        CursorMove::Forward
                    } else {
                        CursorMove::Back
                    }),
                    NewThemeField::Place => {
                        let last = guide.themes.len().saturating_sub(1);
                        self.after = match (self.after, right) {
                            (None, true) => Some(0),
                            (None, false) => None,
                            (Some(0), false) => None,
                            (Some(i), false) => Some(i - 1),
                            (Some(i), true) => Some((i + 1).min(last)),
                        };
                    }
                    NewThemeField::Required => self.required = !self.required,
                }
            }
            Action::Confirm => {
                let title = self.typed_title();
                if title.is_empty() {
                    self.field = NewThemeField::Title;
                    return NewThemeOutcome::Refuse("type the new theme's title first".into());
                }
                return NewThemeOutcome::Add(Box::new(Event::ThemeAdded {
                    id: new_theme_id(guide, &title),
                    title,
                    required: self.required,
                    after: self
                        .after
                        .and_then(|i| guide.themes.get(i))
                        .map(|t| t.id.clone()),
                }));
            }
            Action::Cancel => return NewThemeOutcome::Cancel,
            _ => {}
        }
        NewThemeOutcome::Stay
    }
}
