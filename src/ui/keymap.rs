//! Every key of every screen: key -> named action, one table per layer, each with a description.
//! The help overlay and the footer hints are generated from these tables; no other module
//! matches on key characters.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
}

impl Layer {
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
        }
    }
}

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
}

impl Action {
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
            Action::MoveLeft => "left".into(),
            Action::MoveRight => "right".into(),
            Action::ThemeAcross => "theme_across".into(),
            Action::Search => "search".into(),
            Action::CycleSite => "filter_site".into(),
            Action::CycleKind => "filter_kind".into(),
            Action::CycleGuide => "filter_guide".into(),
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

    /// Whether a pressed key is this one. Shift is part of a character's case, so it is ignored
    /// for characters; other modifiers must match.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
        let (ours, theirs) = match self.code {
            KeyCode::Char(_) => (self.modifiers & relevant, event.modifiers & relevant),
            KeyCode::BackTab => (KeyModifiers::NONE, KeyModifiers::NONE),
            _ => (self.modifiers, event.modifiers),
        };
        let same_code = match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) if ours.contains(KeyModifiers::CONTROL) => {
                a.eq_ignore_ascii_case(&b)
            }
            (a, b) => a == b,
        };
        same_code && ours == theirs
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

/// Keys bound to one action in one layer.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: &'static str,
    /// The footer's word for it; empty for keys the footer leaves to the help.
    pub hint: &'static str,
}

/// All bindings of all layers.
#[derive(Debug, Clone)]
pub struct Keymap {
    layers: Vec<(Layer, Vec<Binding>)>,
}

fn bind(keys: &[Key], action: Action, desc: &'static str, hint: &'static str) -> Binding {
    Binding {
        keys: keys.to_vec(),
        action,
        desc,
        hint,
    }
}

const PROBE_DESC: &str = "tick or untick probe N of the current theme";

impl Default for Keymap {
    fn default() -> Self {
        use KeyCode::*;
        let k = Key::plain;
        let c = Key::ch;
        let mut live = vec![
            bind(
                &[c('n')],
                Action::NewNote,
                "write a note (its time is now)",
                "note",
            ),
            bind(
                &[c('p')],
                Action::TogglePause,
                "pause or resume the clock",
                "pause",
            ),
            bind(
                &[c('r')],
                Action::RecordingMark,
                "mark: audio recording started now",
                "rec mark",
            ),
            bind(&[c('u')], Action::Undo, "undo the last action", "undo"),
            bind(
                &[c('a')],
                Action::Participants,
                "participants: late arrival, early leaver",
                "people",
            ),
            bind(
                &[k(Tab)],
                Action::SwitchPane,
                "move between themes and notes",
                "notes pane",
            ),
            bind(&[c('?')], Action::Help, "help", "help"),
            bind(
                &[c('e')],
                Action::End,
                "end the session (after a check)",
                "end",
            ),
            bind(
                &[c('q')],
                Action::Leave,
                "leave without ending (resume later)",
                "leave",
            ),
        ];
        for n in 1..=9u8 {
            live.push(bind(
                &[c(char::from(b'0' + n))],
                Action::ToggleProbe(n),
                PROBE_DESC,
                "",
            ));
        }
        let themes = vec![
            bind(
                &[c('j'), k(Down)],
                Action::SelectNext,
                "select the next theme",
                "",
            ),
            bind(
                &[c('k'), k(Up)],
                Action::SelectPrev,
                "select the previous theme",
                "",
            ),
            bind(
                &[k(Enter)],
                Action::Discuss,
                "now discussing the selected theme",
                "discussing",
            ),
            bind(
                &[c(' ')],
                Action::ToggleCovered,
                "toggle the selected theme covered",
                "covered",
            ),
            bind(
                &[c('s')],
                Action::Skip,
                "skip the selected theme (reason optional)",
                "skip",
            ),
        ];
        let notes = vec![
            bind(
                &[c('j'), k(Down)],
                Action::SelectNext,
                "select the next note",
                "",
            ),
            bind(
                &[c('k'), k(Up)],
                Action::SelectPrev,
                "select the previous note",
                "",
            ),
            bind(
                &[k(Enter)],
                Action::EditNote,
                "edit the selected note",
                "edit",
            ),
            bind(
                &[c('d'), k(Delete)],
                Action::DeleteNote,
                "delete the selected note",
                "delete",
            ),
        ];
        let editor = vec![
            bind(&[k(Enter)], Action::SaveNote, "save the note", "save"),
            bind(
                &[k(Esc)],
                Action::CloseEditor,
                "close, keeping the draft",
                "keep draft",
            ),
            bind(
                &[k(Tab)],
                Action::NextSpeaker,
                "speaker: next participant (@P1, @P2, ...)",
                "speaker",
            ),
        ];
        let skip = vec![
            bind(
                &[k(Enter)],
                Action::Confirm,
                "skip the theme with this reason",
                "skip",
            ),
            bind(&[k(Esc)], Action::Cancel, "do not skip", "cancel"),
        ];
        let help = vec![
            bind(
                &[c('j'), k(Down)],
                Action::SelectNext,
                "scroll down",
                "scroll",
            ),
            bind(&[c('k'), k(Up)], Action::SelectPrev, "scroll up", ""),
            bind(
                &[k(Esc), c('?'), c('q'), k(Enter)],
                Action::Cancel,
                "close help",
                "close",
            ),
        ];
        let end_check = vec![
            bind(&[c('y')], Action::Confirm, "end the session", "end"),
            bind(&[k(Esc)], Action::Cancel, "any other key goes back", "back"),
        ];
        let participants = vec![
            bind(
                &[c('j'), k(Down)],
                Action::SelectNext,
                "select the next participant",
                "",
            ),
            bind(
                &[c('k'), k(Up)],
                Action::SelectPrev,
                "select the previous participant",
                "",
            ),
            bind(
                &[c('a')],
                Action::Arrived,
                "the selected participant arrived now (late)",
                "arrived",
            ),
            bind(
                &[c('l')],
                Action::Left,
                "the selected participant left now (early)",
                "left",
            ),
            bind(
                &[c('+')],
                Action::AddParticipant,
                "a new participant arrived now",
                "new arrival",
            ),
            bind(&[k(Esc), c('q')], Action::Cancel, "close", "close"),
        ];
        let leave = vec![
            bind(
                &[c('y')],
                Action::Confirm,
                "write the emergency copy and leave",
                "copy and leave",
            ),
            bind(&[c('n')], Action::Quit, "leave without a copy", "quit"),
            bind(&[k(Esc)], Action::Cancel, "stay", "stay"),
        ];
        let home = vec![
            bind(&[c('j'), k(Down)], Action::SelectNext, "next item", ""),
            bind(&[c('k'), k(Up)], Action::SelectPrev, "previous item", ""),
            bind(
                &[k(Enter)],
                Action::Confirm,
                "start with this guide / resume this session",
                "open",
            ),
            bind(&[c('?')], Action::Help, "help", "help"),
            bind(&[c('q'), k(Esc)], Action::Quit, "quit", "quit"),
        ];
        let setup = vec![
            bind(&[k(Tab), k(Down)], Action::NextField, "next field", "next"),
            bind(
                &[k(BackTab), k(Up)],
                Action::PrevField,
                "previous field",
                "previous",
            ),
            bind(
                &[c(' '), k(Left), k(Right)],
                Action::ChangeValue,
                "change a choice",
                "change",
            ),
            bind(&[k(Enter)], Action::Confirm, "begin the session", "begin"),
            bind(&[k(Esc)], Action::Cancel, "cancel", "cancel"),
        ];
        let review = vec![
            bind(&[c('j'), k(Down)], Action::SelectNext, "next theme", ""),
            bind(&[c('k'), k(Up)], Action::SelectPrev, "previous theme", ""),
            bind(&[c('h'), k(Left)], Action::MoveLeft, "previous session", ""),
            bind(&[c('l'), k(Right)], Action::MoveRight, "next session", ""),
            bind(
                &[k(Enter)],
                Action::Confirm,
                "this cell's notes",
                "cell notes",
            ),
            bind(
                &[c('t')],
                Action::ThemeAcross,
                "every note on this theme, sessions side by side",
                "theme across",
            ),
            bind(&[c('/')], Action::Search, "search the notes", "search"),
            bind(
                &[c('s')],
                Action::CycleSite,
                "filter by site (cycles)",
                "site",
            ),
            bind(
                &[c('f')],
                Action::CycleKind,
                "filter by kind (cycles)",
                "kind",
            ),
            bind(
                &[c('g')],
                Action::CycleGuide,
                "filter by guide (cycles)",
                "guide",
            ),
            bind(&[c('q'), k(Esc)], Action::Quit, "quit", "quit"),
        ];
        let review_notes = vec![
            bind(
                &[c('j'), k(Down)],
                Action::SelectNext,
                "scroll down",
                "scroll",
            ),
            bind(&[c('k'), k(Up)], Action::SelectPrev, "scroll up", ""),
            bind(
                &[c('h'), k(Left)],
                Action::MoveLeft,
                "earlier sessions",
                "sessions",
            ),
            bind(&[c('l'), k(Right)], Action::MoveRight, "later sessions", ""),
            bind(
                &[c('q'), k(Esc)],
                Action::Cancel,
                "back to the matrix",
                "back",
            ),
        ];
        let review_search = vec![
            bind(&[k(Enter)], Action::Confirm, "search", "search"),
            bind(&[k(Esc)], Action::Cancel, "back to the matrix", "back"),
        ];
        Keymap {
            layers: vec![
                (Layer::Themes, themes),
                (Layer::Notes, notes),
                (Layer::Live, live),
                (Layer::Editor, editor),
                (Layer::Skip, skip),
                (Layer::Help, help),
                (Layer::EndCheck, end_check),
                (Layer::Participants, participants),
                (Layer::Leave, leave),
                (Layer::Home, home),
                (Layer::Setup, setup),
                (Layer::Review, review),
                (Layer::ReviewNotes, review_notes),
                (Layer::ReviewSearch, review_search),
            ],
        }
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
                .find(|b| b.keys.iter().any(|k| k.matches(key)))
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
    pub fn help_rows(&self, layer: Layer) -> Vec<(String, &'static str)> {
        let mut rows: Vec<(String, &'static str)> = Vec::new();
        for b in self.layer(layer) {
            if let Action::ToggleProbe(n) = b.action {
                if n == 1 {
                    rows.push(("1-9".into(), PROBE_DESC));
                }
                continue;
            }
            let keys: Vec<String> = b.keys.iter().map(Key::to_string).collect();
            rows.push((keys.join(" "), b.desc));
        }
        rows
    }

    /// `key description` pairs for the footer of a layer (and, for panes, the shared keys).
    pub fn hints(&self, layer: Layer) -> Vec<(String, &'static str)> {
        let mut layers = vec![layer];
        if matches!(layer, Layer::Themes | Layer::Notes) {
            layers.push(Layer::Live);
        }
        layers
            .into_iter()
            .flat_map(|l| self.layer(l).iter())
            .filter(|b| !b.hint.is_empty())
            .filter_map(|b| b.keys.first().map(|k| (k.to_string(), b.hint)))
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

    #[test]
    fn keys_parse_and_print() {
        assert_eq!(Key::parse("Ctrl-x"), Some(Key::ctrl('x')));
        assert_eq!(Key::parse("Space"), Some(Key::ch(' ')));
        assert_eq!(Key::parse("F2").map(|k| k.to_string()), Some("F2".into()));
        assert_eq!(Key::parse("nonsense"), None);
    }
}
