//! Keys as the config file and the default keymap write them (`c`, `Enter`, `Ctrl-x`), the
//! layers keys are read in, and the default keymap itself as data (`keymap.toml`). Turning
//! terminal key presses into actions is the screens' job (`ui::keymap`).

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use std::fmt;

/// Where a key is read. The live screen's two panes fall back to `Live` for shared keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Keys that work in both panes of the live screen.
    Live,
    Themes,
    Notes,
    Editor,
    Skip,
    Help,
    EndCheck,
    Participants,
    Leave,
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
    /// Every layer with its name in the keymap table.
    pub const NAMED: [(&'static str, Layer); 17] = [
        ("live", Layer::Live),
        ("themes", Layer::Themes),
        ("notes", Layer::Notes),
        ("editor", Layer::Editor),
        ("skip", Layer::Skip),
        ("help", Layer::Help),
        ("end_check", Layer::EndCheck),
        ("participants", Layer::Participants),
        ("leave", Layer::Leave),
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

    /// The heading the help overlay gives the layer.
    pub fn title(self) -> &'static str {
        match self {
            Layer::Live => "Anywhere in the live screen",
            Layer::Themes => "Theme list",
            Layer::Notes => "Notes pane",
            Layer::Editor => "Writing a note",
            Layer::Skip => "Skipping a theme",
            Layer::Help => "Help",
            Layer::EndCheck => "End check",
            Layer::Participants => "Participants",
            Layer::Leave => "Leaving",
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

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
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
    fn keys_parse_and_print() {
        assert_eq!(Key::parse("Ctrl-x"), Some(Key::ctrl('x')));
        assert_eq!(Key::parse("Space"), Some(Key::ch(' ')));
        assert_eq!(Key::parse("F2").map(|k| k.to_string()), Some("F2".into()));
        assert_eq!(Key::parse("nonsense"), None);
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
        assert!(default_actions(Layer::Themes).iter().any(|a| a == "cover"));
    }
}
