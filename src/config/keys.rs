//! Keys as the config file and the default keymap write them (`c`, `Enter`, `Ctrl-x`), which of
//! them type text, the layers keys are read in, and the default keymap itself as data
//! (`keymap.toml`). Turning
//! terminal key presses into actions is the screens' job (`ui::keymap`).

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use std::fmt;

/// Where a key is read. On the live screen the note line's keys come first while it holds text,
/// then the pane's (`Notes`), then the keys shared by the whole screen (`Live`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Keys of the whole live screen (the theme list's too).
    Live,
    /// Editing the note line.
    NoteLine,
    Notes,
    Help,
    EndCheck,
    Participants,
    Leave,
    RecordingCheck,
    MoveNote,
    Home,
    Setup,
    Review,
    ReviewNotes,
    ReviewSearch,
    /// The form that adds an emergent theme.
    NewTheme,
    /// The parked questions (`#followup` notes), to tick as asked.
    Parked,
    /// The moderator's read-only screen.
    Watch,
}

impl Layer {
    /// Every layer with its name: the screen name of `topicguide keys` and of `[keys.NAME]`.
    pub const NAMED: [(&'static str, Layer); 17] = [
        ("live", Layer::Live),
        ("note_line", Layer::NoteLine),
        ("notes", Layer::Notes),
        ("help", Layer::Help),
        ("end_check", Layer::EndCheck),
        ("leave", Layer::Leave),
        ("participants", Layer::Participants),
        ("recording_check", Layer::RecordingCheck),
        ("move_note", Layer::MoveNote),
        ("home", Layer::Home),
        ("setup", Layer::Setup),
        ("review", Layer::Review),
        ("review_notes", Layer::ReviewNotes),
        ("review_search", Layer::ReviewSearch),
        ("new_theme", Layer::NewTheme),
        ("parked", Layer::Parked),
        ("watch", Layer::Watch),
    ];

    /// The layer a keymap table names.
    pub fn from_name(name: &str) -> Option<Layer> {
        Layer::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, l)| *l)
    }

    /// The layer's name as the keymap and the config write it.
    pub fn name(self) -> &'static str {
        Layer::NAMED
            .iter()
            .find(|(_, l)| *l == self)
            .map_or("", |(n, _)| n)
    }

    /// Whether the layer belongs to the live screen, where every printable character is note
    /// text and may never be bound to an action.
    pub fn is_live_screen(self) -> bool {
        matches!(
            self,
            Layer::Live
                | Layer::NoteLine
                | Layer::Notes
                | Layer::Help
                | Layer::EndCheck
                | Layer::Participants
                | Layer::Leave
                | Layer::RecordingCheck
                | Layer::MoveNote
        )
    }

    /// The heading the help overlay gives the layer.
    pub fn title(self) -> &'static str {
        match self {
            Layer::Live => "Live screen (theme list and notes pane)",
            Layer::NoteLine => "The note line (typing goes here)",
            Layer::Notes => "Notes pane (Tab)",
            Layer::Help => "Help",
            Layer::EndCheck => "End check",
            Layer::Participants => "Participants",
            Layer::Leave => "Leaving",
            Layer::RecordingCheck => "A second recording mark",
            Layer::MoveNote => "Moving a note",
            Layer::Home => "Home",
            Layer::Setup => "New session",
            Layer::Review => "Review",
            Layer::ReviewNotes => "Notes in the review",
            Layer::ReviewSearch => "Searching notes",
            Layer::NewTheme => "Adding a theme",
            Layer::Parked => "Parked questions",
            Layer::Watch => "Watching a session",
        }
    }
}

/// A key with its modifiers, as a binding names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Self {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Self {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Self {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
        }
    }

    /// Reads a key as the config file writes it: `c`, `Enter`, `Space`, `Ctrl-x`, `F2`, `Down`.
    pub fn parse(text: &str) -> Option<Key> {
        let (modifiers, rest) = match text
            .strip_prefix("Ctrl-")
            .or_else(|| text.strip_prefix("ctrl-"))
        {
            Some(rest) => (KeyModifiers::CONTROL, rest),
            None => match text
                .strip_prefix("Alt-")
                .or_else(|| text.strip_prefix("alt-"))
            {
                Some(rest) => (KeyModifiers::ALT, rest),
                None => (KeyModifiers::NONE, text),
            },
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "space" => KeyCode::Char(' '),
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "esc" | "escape" => KeyCode::Esc,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "backspace" => KeyCode::Backspace,
                f if f.starts_with('f') => {
                    KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
                }
                _ => return None,
            },
        };
        Some(Key { code, modifiers })
    }
}

impl Key {
    /// Whether the key types a character in prose: a character with no Ctrl or Alt (Shift is
    /// part of its case), or with both (AltGr on some terminals). On the live screen such a key
    /// is note text and may never run an action.
    pub fn is_printable(&self) -> bool {
        let chord = self.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        matches!(self.code, KeyCode::Char(c) if !c.is_control())
            && (chord.is_empty() || chord == KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

/// Written as the config file writes keys: `a`, `Space`, `Enter`, `BackTab`, `F2`, `Ctrl-o`,
/// `Alt-1`, `Ctrl-Left`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        let chord = self
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if chord => write!(f, "{}", c.to_ascii_lowercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("BackTab"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::PageUp => f.write_str("PageUp"),
            KeyCode::PageDown => f.write_str("PageDown"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The default keys, as data: see the comment at its top.
pub const DEFAULT_KEYMAP: &str = include_str!("keymap.toml");

/// One binding as a keymap table writes it: keys, the action's name, help text and footer word.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    pub keys: Vec<String>,
    pub run: String,
    pub desc: String,
    #[serde(default)]
    pub hint: String,
}

/// Reads a keymap table (the defaults' format) into its layers; the error names what is wrong.
pub fn read_table(text: &str) -> Result<Vec<(Layer, Vec<KeyEntry>)>, String> {
    let raw: std::collections::BTreeMap<String, Vec<KeyEntry>> =
        toml::from_str(text).map_err(|e| e.message().to_string())?;
    raw.into_iter()
        .map(|(name, entries)| {
            let layer = Layer::from_name(&name).ok_or_else(|| format!("no key layer '{name}'"))?;
            Ok((layer, entries))
        })
        .collect()
}

/// The action names the default keymap binds in `layer`, in table order.
pub fn default_actions(layer: Layer) -> Vec<String> {
    read_table(DEFAULT_KEYMAP)
        .unwrap_or_default()
        .into_iter()
        .filter(|(l, _)| *l == layer)
        .flat_map(|(_, entries)| entries.into_iter().map(|e| e.run))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print_as_the_config_writes_them() {
        for name in [
            "a",
            "Space",
            "Enter",
            "Tab",
            "BackTab",
            "Esc",
            "Up",
            "Down",
            "Left",
            "Right",
            "PageUp",
            "PageDown",
            "Home",
            "End",
            "Delete",
            "F1",
            "F12",
            "Ctrl-x",
            "Alt-x",
            "Ctrl-Left",
        ] {
            assert_eq!(
                Key::parse(name).map(|k| k.to_string()).as_deref(),
                Some(name)
            );
        }
        assert_eq!(Key::parse("Ctrl-x"), Some(Key::ctrl('x')));
        assert_eq!(Key::parse("nonsense"), None);
        assert!(Key::ch('c').is_printable() && Key::ch(' ').is_printable());
        assert!(!Key::ctrl('c').is_printable());
        assert!(!Key::plain(KeyCode::F(2)).is_printable());
    }

    #[test]
    fn the_default_table_names_every_layer() {
        let table = read_table(DEFAULT_KEYMAP).expect("the default table");
        for (_, layer) in Layer::NAMED {
            assert!(
                table.iter().any(|(l, e)| *l == layer && !e.is_empty()),
                "{layer:?}"
            );
        }
        assert!(default_actions(Layer::Live).iter().any(|a| a == "cover"));
    }
}
