//! Every key of every screen: key -> named action, one table per layer, each with a description.
//! The help overlay and the footer hints are generated from these tables; no other module
//! matches on key characters.

use crate::config::keys::read_table;
pub use crate::config::keys::{Key, Layer};
use crate::config::{Config, KEY_SECTIONS};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    SelectNext,
    SelectPrev,
    Discuss,
    ToggleCovered,
    Skip,
    /// Probe N (1-based) of the current theme.
    ToggleProbe(u8),
    NewNote,
    TogglePause,
    RecordingMark,
    Undo,
    SwitchPane,
    Help,
    End,
    Leave,
    Participants,
    EditNote,
    DeleteNote,
    SaveNote,
    CloseEditor,
    NextSpeaker,
    Confirm,
    Cancel,
    Arrived,
    Left,
    AddParticipant,
    NextField,
    PrevField,
    ChangeValue,
    Quit,
    MoveLeft,
    MoveRight,
    ThemeAcross,
    Search,
    CycleSite,
    CycleKind,
    CycleGuide,
    /// Cover the theme being discussed and go on to the next one not addressed.
    CoverNext,
    /// In person, telephone or video, changed live.
    SwitchMode,
    /// Add a theme that came up in the room.
    AddTheme,
    /// Move the selected theme up or down the session's order.
    MoveThemeUp,
    MoveThemeDown,
    /// The parked questions, to tick as asked.
    Parked,
    /// The selected participant's own consent to the recording.
    ToggleConsent,
    QuoteBank,
}

impl Action {
    /// Every action but the probes, which are `probe_1`..`probe_9`.
    const NAMED: [Action; 43] = [
        Action::SelectNext,
        Action::SelectPrev,
        Action::Discuss,
        Action::ToggleCovered,
        Action::Skip,
        Action::NewNote,
        Action::TogglePause,
        Action::RecordingMark,
        Action::Undo,
        Action::SwitchPane,
        Action::Help,
        Action::End,
        Action::Leave,
        Action::Participants,
        Action::EditNote,
        Action::DeleteNote,
        Action::SaveNote,
        Action::CloseEditor,
        Action::NextSpeaker,
        Action::Confirm,
        Action::Cancel,
        Action::Arrived,
        Action::Left,
        Action::AddParticipant,
        Action::NextField,
        Action::PrevField,
        Action::ChangeValue,
        Action::Quit,
        Action::MoveLeft,
        Action::MoveRight,
        Action::ThemeAcross,
        Action::Search,
        Action::CycleSite,
        Action::CycleKind,
        Action::CycleGuide,
        Action::CoverNext,
        Action::SwitchMode,
        Action::AddTheme,
        Action::MoveThemeUp,
        Action::MoveThemeDown,
        Action::Parked,
        Action::ToggleConsent,
        Action::QuoteBank,
    ];

    /// The action with this name (see [`Action::name`]).
    pub fn from_name(name: &str) -> Option<Action> {
        if let Some(n) = name.strip_prefix("probe_") {
            return n
                .parse()
                .ok()
                .filter(|n| (1..=9).contains(n))
                .map(Action::ToggleProbe);
        }
        Action::NAMED.into_iter().find(|a| a.name() == name)
    }

    /// The action's name in the config file's `[keys.*]` tables.
    pub fn name(self) -> String {
        match self {
            Action::SelectNext => "select_next".into(),
            Action::SelectPrev => "select_prev".into(),
            Action::Discuss => "discuss".into(),
            Action::ToggleCovered => "cover".into(),
            Action::Skip => "skip".into(),
            Action::ToggleProbe(n) => format!("probe_{n}"),
            Action::NewNote => "note".into(),
            Action::TogglePause => "pause".into(),
            Action::RecordingMark => "recording".into(),
            Action::Undo => "undo".into(),
            Action::SwitchPane => "switch_pane".into(),
            Action::Help => "help".into(),
            Action::End => "end".into(),
            Action::Leave => "leave".into(),
            Action::Participants => "participants".into(),
            Action::EditNote => "edit_note".into(),
            Action::DeleteNote => "delete_note".into(),
            Action::SaveNote => "save_note".into(),
            Action::CloseEditor => "close_editor".into(),
            Action::NextSpeaker => "next_speaker".into(),
            Action::Confirm => "confirm".into(),
            Action::Cancel => "cancel".into(),
            Action::Arrived => "arrived".into(),
            Action::Left => "left".into(),
            Action::AddParticipant => "add_participant".into(),
            Action::NextField => "next_field".into(),
            Action::PrevField => "prev_field".into(),
            Action::ChangeValue => "change_value".into(),
            Action::Quit => "quit".into(),
            Action::MoveLeft => "previous_session".into(),
            Action::MoveRight => "next_session".into(),
            Action::ThemeAcross => "theme_across".into(),
            Action::Search => "search".into(),
            Action::CycleSite => "filter_site".into(),
            Action::CycleKind => "filter_kind".into(),
            Action::CycleGuide => "filter_guide".into(),
            Action::CoverNext => "cover_next".into(),
            Action::SwitchMode => "switch_mode".into(),
            Action::AddTheme => "add_theme".into(),
            Action::MoveThemeUp => "move_theme_up".into(),
            Action::MoveThemeDown => "move_theme_down".into(),
            Action::Parked => "parked".into(),
            Action::ToggleConsent => "consent".into(),
            Action::QuoteBank => "quote_bank".into(),
        }
    }
}

/// Whether a pressed key is `key`. Shift is part of a character's case, so it is ignored
/// for characters; other modifiers must match.
pub fn key_matches(key: &Key, event: &KeyEvent) -> bool {
    let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
    let (ours, theirs) = match key.code {
        KeyCode::Char(_) => (key.modifiers & relevant, event.modifiers & relevant),
        KeyCode::BackTab => (KeyModifiers::NONE, KeyModifiers::NONE),
        _ => (key.modifiers, event.modifiers),
    };
    let same_code = match (key.code, event.code) {
        (KeyCode::Char(a), KeyCode::Char(b)) if ours.contains(KeyModifiers::CONTROL) => {
            a.eq_ignore_ascii_case(&b)
        }
        (a, b) => a == b,
    };
    same_code && ours == theirs
}

/// Keys bound to one action in one layer.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
    /// The footer's word for it; empty for keys the footer leaves to the help.
    pub hint: String,
}

/// All bindings of all layers.
#[derive(Debug, Clone)]
pub struct Keymap {
    layers: Vec<(Layer, Vec<Binding>)>,
}

/// What the help shows for the nine probe keys, folded into one row.
const PROBE_DESC: &str = "tick or untick probe N of the current theme";

impl Keymap {
    /// Reads a keymap table (the defaults' format); the error names what is wrong.
    pub fn from_toml(text: &str) -> Result<Keymap, String> {
        let mut layers = Vec::new();
        for (layer, entries) in read_table(text)? {
            let name = Layer::NAMED
                .iter()
                .find(|(_, l)| *l == layer)
                .map_or("?", |(n, _)| *n);
            let bindings = entries
                .into_iter()
                .map(|b| {
                    let action = Action::from_name(&b.run)
                        .ok_or_else(|| format!("[{name}] '{}' is not an action", b.run))?;
                    let keys = b
                        .keys
                        .iter()
                        .map(|k| {
                            Key::parse(k).ok_or_else(|| format!("[{name}] '{k}' is not a key"))
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(Binding {
                        keys,
                        action,
                        desc: b.desc,
                        hint: b.hint,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            layers.push((layer, bindings));
        }
        Ok(Keymap { layers })
    }

    /// The default keymap with the config file's keys added. The contract keys always stay: a
    /// key the defaults already use keeps its default meaning.
    pub fn for_config(config: &Config) -> Keymap {
        let mut keymap = Keymap::default();
        for (section, action, keys, _) in &config.keys {
            if let Some((_, layers)) = KEY_SECTIONS.iter().find(|(n, _)| n == section) {
                for layer in *layers {
                    if keymap.add_keys(*layer, action, keys).is_ok() {
                        break;
                    }
                }
            }
        }
        keymap
    }
}

impl Default for Keymap {
    fn default() -> Self {
        // The table is part of the program; `keymap::tests` reads it, so it cannot be bad here.
        Keymap::from_toml(crate::config::keys::DEFAULT_KEYMAP)
            .unwrap_or_else(|e| panic!("src/config/keymap.toml: {e}"))
    }
}

impl Keymap {
    /// The bindings of one layer.
    pub fn layer(&self, layer: Layer) -> &[Binding] {
        self.layers
            .iter()
            .find(|(l, _)| *l == layer)
            .map_or(&[], |(_, b)| b.as_slice())
    }

    /// The action a key asks for in `layer` (the panes fall back to the shared live keys).
    pub fn action(&self, layer: Layer, key: &KeyEvent) -> Option<Action> {
        let find = |l: Layer| {
            self.layer(l)
                .iter()
                .find(|b| b.keys.iter().any(|k| key_matches(k, key)))
                .map(|b| b.action)
        };
        find(layer).or_else(|| match layer {
            Layer::Themes | Layer::Notes => find(Layer::Live),
            _ => None,
        })
    }

    /// Adds keys to an action of a layer (the defaults stay). Unknown action names are refused.
    pub fn add_keys(
        &mut self,
        layer: Layer,
        action_name: &str,
        keys: &[Key],
    ) -> Result<(), String> {
        let bindings = self
            .layers
            .iter_mut()
            .find(|(l, _)| *l == layer)
            .map(|(_, b)| b)
            .ok_or_else(|| format!("no key layer {layer:?}"))?;
        let binding = bindings
            .iter_mut()
            .find(|b| b.action.name() == action_name)
            .ok_or_else(|| format!("'{action_name}' is not an action of {}", layer.title()))?;
        // Lookup takes the first binding that matches, so a default key keeps its action even
        // if a user names it again for another one.
        binding.keys.extend_from_slice(keys);
        Ok(())
    }

    /// One line per action for the help overlay: keys and description, in table order, with the
    /// nine probe keys folded into `1-9`.
    pub fn help_rows(&self, layer: Layer) -> Vec<(String, &str)> {
        let mut rows: Vec<(String, &str)> = Vec::new();
        for b in self.layer(layer) {
            if let Action::ToggleProbe(n) = b.action {
                if n == 1 {
                    rows.push(("1-9".into(), PROBE_DESC));
                }
                continue;
            }
            let keys: Vec<String> = b.keys.iter().map(Key::to_string).collect();
            rows.push((keys.join(" "), b.desc.as_str()));
        }
        rows
    }

    /// `key description` pairs for the footer of a layer (and, for panes, the shared keys).
    pub fn hints(&self, layer: Layer) -> Vec<(String, &str)> {
        let mut layers = vec![layer];
        if matches!(layer, Layer::Themes | Layer::Notes) {
            layers.push(Layer::Live);
        }
        layers
            .into_iter()
            .flat_map(|l| self.layer(l).iter())
            .filter(|b| !b.hint.is_empty())
            .filter_map(|b| b.keys.first().map(|k| (k.to_string(), b.hint.as_str())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_default_table_reads_and_every_action_name_reads_back() {
        let map =
            Keymap::from_toml(crate::config::keys::DEFAULT_KEYMAP).expect("the default table");
        for (_, layer) in Layer::NAMED {
            assert!(!map.layer(layer).is_empty(), "{layer:?} has keys");
        }
        for action in Action::NAMED
            .into_iter()
            .chain((1..=9).map(Action::ToggleProbe))
        {
            assert_eq!(Action::from_name(&action.name()), Some(action));
        }
        assert_eq!(Action::from_name("probe_0"), None);
        let h = KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE);
        assert_eq!(map.action(Layer::Review, &h), Some(Action::MoveLeft));
        assert!(
            Keymap::from_toml("themes = [{ keys = [\"x\"], run = \"fly\", desc = \"\" }]").is_err()
        );
        assert!(
            Keymap::from_toml("themes = [{ keys = [\"Hyper-x\"], run = \"skip\", desc = \"\" }]")
                .is_err()
        );
    }

    #[test]
    fn contract_keys_of_the_theme_list() {
        let map = Keymap::default();
        let t = Layer::Themes;
        let cases = [
            (KeyCode::Char('j'), Action::SelectNext),
            (KeyCode::Down, Action::SelectNext),
            (KeyCode::Char('k'), Action::SelectPrev),
            (KeyCode::Up, Action::SelectPrev),
            (KeyCode::Enter, Action::Discuss),
            (KeyCode::Char(' '), Action::ToggleCovered),
            (KeyCode::Char('s'), Action::Skip),
            (KeyCode::Char('3'), Action::ToggleProbe(3)),
            (KeyCode::Char('n'), Action::NewNote),
            (KeyCode::Char('p'), Action::TogglePause),
            (KeyCode::Char('r'), Action::RecordingMark),
            (KeyCode::Char('u'), Action::Undo),
            (KeyCode::Tab, Action::SwitchPane),
            (KeyCode::Char('?'), Action::Help),
            (KeyCode::Char('e'), Action::End),
            (KeyCode::Char('q'), Action::Leave),
        ];
        for (code, action) in cases {
            assert_eq!(map.action(t, &press(code)), Some(action), "{code:?}");
        }
    }

    #[test]
    fn shift_is_part_of_the_character() {
        let map = Keymap::default();
        let question = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(map.action(Layer::Themes, &question), Some(Action::Help));
        let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(map.action(Layer::Themes, &ctrl_n), None);
    }

    #[test]
    fn added_keys_keep_the_defaults() {
        let mut map = Keymap::default();
        map.add_keys(Layer::Themes, "cover", &[Key::ch('c')])
            .unwrap();
        assert_eq!(
            map.action(Layer::Themes, &press(KeyCode::Char('c'))),
            Some(Action::ToggleCovered)
        );
        assert_eq!(
            map.action(Layer::Themes, &press(KeyCode::Char(' '))),
            Some(Action::ToggleCovered)
        );
        assert!(map.add_keys(Layer::Themes, "fly", &[Key::ch('x')]).is_err());
    }
}
