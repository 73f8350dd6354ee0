//! Every key of every screen: key -> named action, one table per layer, each with a description.
//! The help overlay, the footer hints and `topicguide keys` are generated from these tables; no
//! other module matches on key characters. On the live screen a printable character is never an
//! action: [`typed_char`] says which keys are text.

use crate::config::Config;
use crate::config::keys::read_table;
pub use crate::config::keys::{Key, Layer};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    SelectNext,
    SelectPrev,
    PageUp,
    PageDown,
    Discuss,
    ToggleCovered,
    Skip,
    /// Probe N (1-based) of the theme whose probes are shown.
    ToggleProbe(u8),
    /// The note's speaker is participant N (1-based).
    Speaker(u8),
    SpeakerModerator,
    MarkQuote,
    MarkNonverbal,
    TogglePause,
    RecordingMark,
    Undo,
    Redo,
    SwitchPane,
    Help,
    End,
    Leave,
    Participants,
    AddArrival,
    AddTheme,
    MoveNote,
    ResumeDraft,
    Redraw,
    HowToLeave,
    Suspend,
    SaveNote,
    SetAside,
    DeleteBack,
    DeleteForward,
    DeleteWord,
    CursorLeft,
    CursorRight,
    WordLeft,
    WordRight,
    LineStart,
    LineEnd,
    EditNote,
    DeleteNote,
    Earlier,
    Later,
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
    /// Every action but the probes and speakers, which are `probe_N` and `speaker_N`.
    const NAMED: [Action; 64] = [
        Action::SelectNext,
        Action::SelectPrev,
        Action::PageUp,
        Action::PageDown,
        Action::Discuss,
        Action::ToggleCovered,
        Action::Skip,
        Action::SpeakerModerator,
        Action::MarkQuote,
        Action::MarkNonverbal,
        Action::TogglePause,
        Action::RecordingMark,
        Action::Undo,
        Action::Redo,
        Action::SwitchPane,
        Action::Help,
        Action::End,
        Action::Leave,
        Action::Participants,
        Action::AddArrival,
        Action::AddTheme,
        Action::MoveNote,
        Action::ResumeDraft,
        Action::Redraw,
        Action::HowToLeave,
        Action::Suspend,
        Action::SaveNote,
        Action::SetAside,
        Action::DeleteBack,
        Action::DeleteForward,
        Action::DeleteWord,
        Action::CursorLeft,
        Action::CursorRight,
        Action::WordLeft,
        Action::WordRight,
        Action::LineStart,
        Action::LineEnd,
        Action::EditNote,
        Action::DeleteNote,
        Action::Earlier,
        Action::Later,
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
        Action::MoveThemeUp,
        Action::MoveThemeDown,
        Action::Parked,
        Action::ToggleConsent,
        Action::QuoteBank,
    ];

    /// The action with this name (see [`Action::name`]).
    pub fn from_name(name: &str) -> Option<Action> {
        let numbered = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|n| n.parse::<u8>().ok())
                .filter(|n| (1..=9).contains(n))
        };
        if let Some(n) = numbered("probe_") {
            return Some(Action::ToggleProbe(n));
        }
        if let Some(n) = numbered("speaker_") {
            return Some(Action::Speaker(n));
        }
        Action::NAMED.into_iter().find(|a| a.name() == name)
    }

    /// The action's name in the config file's `[keys.*]` tables and in `topicguide keys`.
    pub fn name(self) -> String {
        let name = match self {
            Action::ToggleProbe(n) => return format!("probe_{n}"),
            Action::Speaker(n) => return format!("speaker_{n}"),
            Action::SelectNext => "select_next",
            Action::SelectPrev => "select_prev",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Discuss => "discuss",
            Action::ToggleCovered => "cover",
            Action::Skip => "skip",
            Action::SpeakerModerator => "speaker_moderator",
            Action::MarkQuote => "mark_quote",
            Action::MarkNonverbal => "mark_nonverbal",
            Action::TogglePause => "pause",
            Action::RecordingMark => "recording",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::SwitchPane => "switch_pane",
            Action::Help => "help",
            Action::End => "end",
            Action::Leave => "leave",
            Action::Participants => "participants",
            Action::AddArrival => "add_arrival",
            Action::AddTheme => "add_theme",
            Action::MoveNote => "move_note",
            Action::ResumeDraft => "resume_draft",
            Action::Redraw => "redraw",
            Action::HowToLeave => "how_to_leave",
            Action::Suspend => "suspend",
            Action::SaveNote => "save_note",
            Action::SetAside => "set_aside",
            Action::DeleteBack => "delete_back",
            Action::DeleteForward => "delete_forward",
            Action::DeleteWord => "delete_word",
            Action::CursorLeft => "cursor_left",
            Action::CursorRight => "cursor_right",
            Action::WordLeft => "word_left",
            Action::WordRight => "word_right",
            Action::LineStart => "line_start",
            Action::LineEnd => "line_end",
            Action::EditNote => "edit_note",
            Action::DeleteNote => "delete_note",
            Action::Earlier => "earlier",
            Action::Later => "later",
            Action::Confirm => "confirm",
            Action::Cancel => "cancel",
            Action::Arrived => "arrived",
            Action::Left => "left",
            Action::AddParticipant => "add_participant",
            Action::NextField => "next_field",
            Action::PrevField => "prev_field",
            Action::ChangeValue => "change_value",
            Action::Quit => "quit",
            Action::MoveLeft => "previous_session",
            Action::MoveRight => "next_session",
            Action::ThemeAcross => "theme_across",
            Action::Search => "search",
            Action::CycleSite => "filter_site",
            Action::CycleKind => "filter_kind",
            Action::CycleGuide => "filter_guide",
            Action::QuoteBank => "quote_bank",
            Action::CoverNext => "cover_next",
            Action::SwitchMode => "switch_mode",
            Action::MoveThemeUp => "move_theme_up",
            Action::MoveThemeDown => "move_theme_down",
            Action::Parked => "parked",
            Action::ToggleConsent => "consent",
        };
        name.to_string()
    }
}

/// The character a key types, if it is one prose can produce: a character with no Ctrl or Alt
/// (Shift is part of its case), or with both (AltGr on some terminals). Everything else is a
/// command key.
pub fn typed_char(key: &KeyEvent) -> Option<char> {
    let chord = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c)
            if !c.is_control()
                && (chord.is_empty() || chord == KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

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

impl Keymap {
    /// Reads a keymap table (the defaults' format); the error names what is wrong.
    pub fn from_toml(text: &str) -> Result<Keymap, String> {
        let mut layers = Vec::new();
        for (layer, entries) in read_table(text)? {
            let name = layer.name();
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
            if let Some(layer) = Layer::from_name(section) {
                // The config's parser checked the action belongs to the layer.
                let _ = keymap.add_keys(layer, action, keys);
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

    /// The action a key asks for in `layer`.
    pub fn action(&self, layer: Layer, key: &KeyEvent) -> Option<Action> {
        self.layer(layer)
            .iter()
            .find(|b| b.keys.iter().any(|k| key_matches(k, key)))
            .map(|b| b.action)
    }

    /// The action of the first of `layers` that binds the key.
    pub fn action_in(&self, layers: &[Layer], key: &KeyEvent) -> Option<(Layer, Action)> {
        layers
            .iter()
            .find_map(|l| self.action(*l, key).map(|a| (*l, a)))
    }

    /// The keys of an action in a layer, as written in the config (`F2`, `Ctrl-o`).
    pub fn keys_of(&self, layer: Layer, action: Action) -> Vec<String> {
        self.layer(layer)
            .iter()
            .filter(|b| b.action == action)
            .flat_map(|b| b.keys.iter().map(Key::to_string))
            .collect()
    }

    /// The key to name in a message for an action: its first chord, else its first key (a chord
    /// works on every laptop; function keys may need `fn`).
    pub fn key_for(&self, layer: Layer, action: Action) -> String {
        let keys: Vec<&Key> = self
            .layer(layer)
            .iter()
            .filter(|b| b.action == action)
            .flat_map(|b| b.keys.iter())
            .collect();
        keys.iter()
            .find(|k| {
                k.modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            })
            .or(keys.first())
            .map_or_else(|| "(no key)".to_string(), |k| k.to_string())
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
    /// nine probe and speaker keys folded into one row each.
    pub fn help_rows(&self, layer: Layer) -> Vec<(String, &str)> {
        let mut rows: Vec<(String, &str)> = Vec::new();
        for b in self.layer(layer) {
            let keys: Vec<String> = b.keys.iter().map(Key::to_string).collect();
            match b.action {
                Action::ToggleProbe(1) | Action::Speaker(1) => {
                    let all: Vec<String> = self
                        .layer(layer)
                        .iter()
                        .filter(|o| same_family(o.action, b.action))
                        .filter_map(|o| o.keys.first().map(Key::to_string))
                        .collect();
                    rows.push((folded(&all), b.desc.as_str()));
                }
                Action::ToggleProbe(_) | Action::Speaker(_) => {}
                _ => rows.push((keys.join(" "), b.desc.as_str())),
            }
        }
        rows
    }

    /// `key description` pairs for the footer of a layer and the layers it falls back to: the
    /// first chord of each binding with a hint.
    pub fn hints(&self, layers: &[Layer]) -> Vec<(String, &str)> {
        let mut hints: Vec<(String, &str)> = Vec::new();
        for l in layers {
            for b in self.layer(*l).iter().filter(|b| !b.hint.is_empty()) {
                let key = self.key_for(*l, b.action);
                // A key an earlier layer already takes does something else here.
                if !hints.iter().any(|(k, _)| *k == key) {
                    hints.push((key, b.hint.as_str()));
                }
            }
        }
        hints
    }

    /// Every layer with its bindings, in the order `topicguide keys` lists them.
    pub fn screens(&self) -> Vec<(Layer, &[Binding])> {
        Layer::NAMED
            .iter()
            .map(|(_, l)| (*l, self.layer(*l)))
            .collect()
    }
}

fn same_family(a: Action, b: Action) -> bool {
    matches!(
        (a, b),
        (Action::ToggleProbe(_), Action::ToggleProbe(_)) | (Action::Speaker(_), Action::Speaker(_))
    )
}

/// `Alt-1 Alt-2 .. Alt-9` as `Alt-1..Alt-9`.
fn folded(keys: &[String]) -> String {
    match (keys.first(), keys.last()) {
        (Some(first), Some(last)) if keys.len() > 2 => format!("{first}..{last}"),
        _ => keys.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
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
            .chain((1..=9).map(Action::Speaker))
        {
            assert_eq!(Action::from_name(&action.name()), Some(action));
        }
        assert_eq!(Action::from_name("probe_0"), None);
        assert_eq!(Action::from_name("speaker_10"), None);
        let h = press(KeyCode::Char('h'), KeyModifiers::NONE);
        assert_eq!(map.action(Layer::Review, &h), Some(Action::MoveLeft));
        assert!(
            Keymap::from_toml("live = [{ keys = [\"x\"], run = \"fly\", desc = \"\" }]").is_err()
        );
        assert!(
            Keymap::from_toml("live = [{ keys = [\"Hyper-x\"], run = \"skip\", desc = \"\" }]")
                .is_err()
        );
    }

    #[test]
    fn no_printable_key_is_bound_anywhere_on_the_live_screen() {
        let map = Keymap::default();
        for (_, layer) in Layer::NAMED.into_iter().filter(|(_, l)| l.is_live_screen()) {
            for binding in map.layer(layer) {
                for key in &binding.keys {
                    assert!(
                        !key.is_printable(),
                        "{layer:?} binds {key} to {:?}",
                        binding.action
                    );
                }
            }
        }
    }

    #[test]
    fn every_live_action_has_a_chord_or_a_plain_non_printing_key_besides_function_keys() {
        let map = Keymap::default();
        for (_, layer) in Layer::NAMED.into_iter().filter(|(_, l)| l.is_live_screen()) {
            for binding in map.layer(layer) {
                assert!(
                    binding
                        .keys
                        .iter()
                        .any(|k| !matches!(k.code, KeyCode::F(_))),
                    "{layer:?} {:?} only on function keys",
                    binding.action
                );
            }
        }
    }

    #[test]
    fn chords_terminals_eat_are_left_alone() {
        let map = Keymap::default();
        for (_, layer) in Layer::NAMED.into_iter().filter(|(_, l)| l.is_live_screen()) {
            for binding in map.layer(layer) {
                for key in &binding.keys {
                    let name = key.to_string();
                    let eaten = ["s", "q", "c", "h", "i", "j", "m", "a", "b", "z"]
                        .map(|c| format!("Ctrl-{c}"));
                    let allowed = matches!(binding.action, Action::HowToLeave | Action::Suspend);
                    assert!(allowed || !eaten.contains(&name), "{layer:?} binds {name}");
                }
            }
        }
    }

    #[test]
    fn contract_actions_of_the_live_screen_are_all_bound() {
        let map = Keymap::default();
        let mut names: Vec<String> = [
            "cover",
            "skip",
            "pause",
            "recording",
            "undo",
            "redo",
            "participants",
            "add_theme",
            "move_note",
            "switch_pane",
            "help",
            "end",
            "leave",
        ]
        .map(String::from)
        .to_vec();
        names.extend((1..=9).map(|n| format!("probe_{n}")));
        names.extend((1..=9).map(|n| format!("speaker_{n}")));
        for name in names {
            let action = Action::from_name(&name).expect(&name);
            assert!(
                !map.keys_of(Layer::Live, action).is_empty(),
                "{name} has a key"
            );
        }
        for layer in [Layer::EndCheck, Layer::Leave] {
            assert!(!map.keys_of(layer, Action::Confirm).is_empty());
        }
    }

    #[test]
    fn chords_and_shift() {
        let map = Keymap::default();
        let ctrl_o = press(KeyCode::Char('o'), KeyModifiers::CONTROL);
        assert_eq!(
            map.action(Layer::Live, &ctrl_o),
            Some(Action::ToggleCovered)
        );
        let alt_3 = press(KeyCode::Char('3'), KeyModifiers::ALT);
        assert_eq!(map.action(Layer::Live, &alt_3), Some(Action::Speaker(3)));
        let plain_o = press(KeyCode::Char('o'), KeyModifiers::NONE);
        assert_eq!(map.action(Layer::Live, &plain_o), None);
        assert_eq!(typed_char(&plain_o), Some('o'));
        assert_eq!(
            typed_char(&press(KeyCode::Char('O'), KeyModifiers::SHIFT)),
            Some('O')
        );
        assert_eq!(typed_char(&ctrl_o), None);
        assert_eq!(typed_char(&alt_3), None);
    }

    #[test]
    fn added_keys_keep_the_defaults() {
        let mut map = Keymap::default();
        map.add_keys(Layer::Live, "cover", &[Key::ctrl('v')])
            .unwrap();
        let ctrl_v = press(KeyCode::Char('v'), KeyModifiers::CONTROL);
        assert_eq!(
            map.action(Layer::Live, &ctrl_v),
            Some(Action::ToggleCovered)
        );
        assert_eq!(
            map.action(Layer::Live, &press(KeyCode::F(2), KeyModifiers::NONE)),
            Some(Action::ToggleCovered)
        );
        assert!(map.add_keys(Layer::Live, "fly", &[Key::ch('x')]).is_err());
    }
}
