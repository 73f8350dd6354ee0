//! The user's config file: default data folder and guide, bell, warning points, colours, mouse,
//! and keys added to the defaults. Checked like a guide: every problem as `FILE:LINE:COL: message`.

use crate::model::guide::MAX_MINUTES;
use crate::model::toml_check::{self, integer, located, parse_document, unknown_key};
pub mod keys;

use keys::{Key, Layer, default_actions};
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::DeValue;

/// The colour schemes the screens can draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColourScheme {
    #[default]
    Default,
    /// Bold, bright, and reverse video for the alarms: for projectors and low vision.
    HighContrast,
    /// No colour at all (as with `NO_COLOR`).
    Never,
}

/// The settings a config file gives; anything it leaves out keeps its default.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: Option<PathBuf>,
    pub default_guide: Option<String>,
    /// The note-taker's name or initials, recorded in every session they start.
    pub researcher: Option<String>,
    pub bell: Option<bool>,
    pub warn_before_end_minutes: Option<u32>,
    pub final_warning_minutes: Option<u32>,
    pub colour: ColourScheme,
    pub mouse: bool,
    /// Seconds a note is stamped before its first key, for note-takers who write after the
    /// words (ELAN's "delayed mode"); 0 stamps the first key's moment.
    pub reaction_lead_seconds: u32,
    /// (layer name as written, action name, keys, offset of the entry) to add to the defaults.
    pub keys: Vec<(String, String, Vec<Key>, usize)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: None,
            default_guide: None,
            researcher: None,
            bell: None,
            warn_before_end_minutes: None,
            final_warning_minutes: None,
            colour: ColourScheme::default(),
            mouse: true,
            reaction_lead_seconds: 0,
            keys: Vec::new(),
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "data_dir",
    "default_guide",
    "researcher",
    "bell",
    "colour",
    "color",
    "mouse",
    "warnings",
    "keys",
    "reaction_lead_seconds",
];
/// The longest reaction lead a config may set: a note stamped further back than this is a
/// note about something else.
pub const MAX_REACTION_LEAD_SECONDS: u32 = 60;
const WARNING_KEYS: &[&str] = &["before_end_minutes", "final_minutes"];
/// One problem with its byte offset.
pub use crate::model::toml_check::Diagnostic as Problem;

/// Reads a config file's text: the config, or every problem found.
pub fn parse_config(text: &str) -> Result<Config, Vec<Problem>> {
    let mut problems = Vec::new();
    let doc = parse_document(text)?.into_inner();
    let mut config = Config::default();
    for (key, value) in doc.iter() {
        let name = key.get_ref().as_ref();
        let at = value.span().start;
        match name {
            "data_dir" => match string(value) {
                Some(s) if !s.trim().is_empty() => config.data_dir = Some(expand_home(&s)),
                _ => problems.push(wrong(at, name, "a folder path")),
            },
            "default_guide" => match string(value) {
                Some(s) if !s.trim().is_empty() => config.default_guide = Some(s),
                _ => problems.push(wrong(at, name, "a guide name or file path")),
            },
            "researcher" => match string(value) {
                Some(s) if !s.trim().is_empty() => config.researcher = Some(s),
                _ => problems.push(wrong(at, name, "a name or initials")),
            },
            "bell" => match value.get_ref() {
                DeValue::Boolean(b) => config.bell = Some(*b),
                _ => problems.push(wrong(at, name, "true or false")),
            },
            "mouse" => match value.get_ref() {
                DeValue::Boolean(b) => config.mouse = *b,
                _ => problems.push(wrong(at, name, "true or false")),
            },
            "colour" | "color" => match string(value).as_deref() {
                Some("default") | Some("auto") => config.colour = ColourScheme::Default,
                Some("high-contrast") => config.colour = ColourScheme::HighContrast,
                Some("never") | Some("none") => config.colour = ColourScheme::Never,
                Some(other) => problems.push(Problem {
                    offset: at,
                    message: format!(
                        "'{other}' is not a colour scheme (default, high-contrast or never)"
                    ),
                }),
                None => problems.push(wrong(
                    at,
                    name,
                    "\"default\", \"high-contrast\" or \"never\"",
                )),
            },
            "reaction_lead_seconds" => match value.get_ref() {
                DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n <= MAX_REACTION_LEAD_SECONDS)
                {
                    Some(n) => config.reaction_lead_seconds = n,
                    None => problems.push(wrong(
                        at,
                        name,
                        &format!("a whole number of seconds from 0 to {MAX_REACTION_LEAD_SECONDS}"),
                    )),
                },
                _ => problems.push(wrong(
                    at,
                    name,
                    &format!("a whole number of seconds from 0 to {MAX_REACTION_LEAD_SECONDS}"),
                )),
            },
            "warnings" => warnings(value, &mut config, &mut problems),
            "keys" => keys(value, &mut config, &mut problems),
            other => problems.push(unknown(
                key.span().start,
                other,
                "the config file",
                TOP_KEYS,
            )),
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        problems.sort_by_key(|p| p.offset);
        Err(problems)
    }
}

fn warnings(value: &Spanned<DeValue<'_>>, config: &mut Config, problems: &mut Vec<Problem>) {
    let DeValue::Table(table) = value.get_ref() else {
        problems.push(wrong(
            value.span().start,
            "warnings",
            "a table ([warnings])",
        ));
        return;
    };
    for (key, v) in table.iter() {
        let name = key.get_ref().as_ref();
        let minutes = integer(v.get_ref()).filter(|n| (0..=MAX_MINUTES).contains(n));
        let slot = match name {
            "before_end_minutes" => &mut config.warn_before_end_minutes,
            "final_minutes" => &mut config.final_warning_minutes,
            other => {
                problems.push(unknown(key.span().start, other, "[warnings]", WARNING_KEYS));
                continue;
            }
        };
        match minutes.and_then(|m| u32::try_from(m).ok()) {
            Some(m) => *slot = Some(m),
            None => problems.push(wrong(
                v.span().start,
                name,
                &format!("a whole number of minutes from 0 to {MAX_MINUTES}"),
            )),
        }
    }
}

fn keys(value: &Spanned<DeValue<'_>>, config: &mut Config, problems: &mut Vec<Problem>) {
    let DeValue::Table(sections) = value.get_ref() else {
        problems.push(wrong(
            value.span().start,
            "keys",
            "tables such as [keys.live]",
        ));
        return;
    };
    let section_names: Vec<&str> = Layer::NAMED.iter().map(|(n, _)| *n).collect();
    for (section, table) in sections.iter() {
        let section_name = section.get_ref().as_ref();
        let Some(layer) = Layer::from_name(section_name) else {
            problems.push(unknown(
                section.span().start,
                section_name,
                "[keys]",
                &section_names,
            ));
            continue;
        };
        let DeValue::Table(bindings) = table.get_ref() else {
            problems.push(wrong(
                table.span().start,
                section_name,
                "a table of action = [\"key\", ...]",
            ));
            continue;
        };
        let actions: Vec<String> = default_actions(layer);
        for (action, list) in bindings.iter() {
            let action_name = action.get_ref().as_ref();
            if !actions.iter().any(|a| a == action_name) {
                let names: Vec<&str> = actions.iter().map(String::as_str).collect();
                let mut deduped = names.clone();
                deduped.dedup();
                problems.push(unknown(
                    action.span().start,
                    action_name,
                    &format!("[keys.{section_name}] (actions)"),
                    &deduped,
                ));
                continue;
            }
            let DeValue::Array(items) = list.get_ref() else {
                problems.push(wrong(
                    list.span().start,
                    action_name,
                    "a list of keys, such as [\"c\", \"Ctrl-k\"]",
                ));
                continue;
            };
            let mut parsed = Vec::new();
            for item in items.iter() {
                match string(item).as_deref().map(|s| (s.to_string(), Key::parse(s))) {
                    Some((text, Some(key))) if key.is_printable() && layer.is_live_screen() => {
                        problems.push(Problem {
                            offset: item.span().start,
                            message: format!(
                                "'{text}' types text on the live screen and cannot run \"{action_name}\": every printable character goes into the note (use F1..F12, Ctrl-x or Alt-x)"
                            ),
                        })
                    }
                    Some((_, Some(key))) => parsed.push(key),
                    Some((text, None)) => problems.push(Problem {
                        offset: item.span().start,
                        message: format!("'{text}' is not a key (write a character, Enter, Space, Tab, Esc, Up, Down, F1..F12, Ctrl-x or Alt-x)"),
                    }),
                    None => problems.push(wrong(item.span().start, action_name, "a list of key names (strings)")),
                }
            }
            config.keys.push((
                section_name.to_string(),
                action_name.to_string(),
                parsed,
                action.span().start,
            ));
        }
    }
}

fn string(value: &Spanned<DeValue<'_>>) -> Option<String> {
    toml_check::string(value.get_ref())
}

fn wrong(offset: usize, name: &str, expected: &str) -> Problem {
    Problem {
        offset,
        message: format!("\"{name}\" must be {expected}"),
    }
}

fn unknown(offset: usize, key: &str, place: &str, expected: &[&str]) -> Problem {
    Problem {
        offset,
        message: unknown_key(key, place, expected),
    }
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// Why a config file was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// It could not be read: one line.
    Unreadable(String),
    /// It was read and has problems: one `FILE:LINE:COL: message` line each.
    Invalid(String),
}

/// Reads the config file at `path`. A missing file is no config unless `must_exist`.
pub fn load(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
            return Ok(Config::default());
        }
        Err(e) => return Err(ConfigError::Unreadable(format!("{}: {e}", path.display()))),
    };
    parse_config(&text).map_err(|problems| {
        let lines = problems
            .iter()
            .map(|p| located(&path.display().to_string(), &text, p.offset, &p.message))
            .collect::<Vec<_>>()
            .join("\n");
        ConfigError::Invalid(lines)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config() {
        let c = parse_config(
            "data_dir = \"/tmp/x\"\nresearcher = \"AB\"\nbell = false\ncolour = \"high-contrast\"\nreaction_lead_seconds = 3\n[warnings]\nbefore_end_minutes = 15\n[keys.live]\ncover = [\"Ctrl-v\"]\n[keys.review]\nquit = [\"x\"]\n",
        )
        .unwrap();
        assert_eq!(c.data_dir, Some(PathBuf::from("/tmp/x")));
        assert_eq!(c.researcher.as_deref(), Some("AB"));
        assert_eq!(c.bell, Some(false));
        assert_eq!(c.colour, ColourScheme::HighContrast);
        assert_eq!(c.warn_before_end_minutes, Some(15));
        assert_eq!(c.keys.len(), 2);
        assert_eq!(c.reaction_lead_seconds, 3);
    }

    #[test]
    fn a_printable_key_for_a_live_action_is_refused_where_it_is_written() {
        let text = "[keys.live]\ncover = [\"F11\", \"c\"]\n[keys.end_check]\nconfirm = [\"y\"]\n[keys.notes]\ndelete_note = [\"Space\"]\n";
        let errors = parse_config(text).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[0].offset, text.find("\"c\"").unwrap());
        assert!(
            errors[0].message.contains("'c' types text"),
            "{}",
            errors[0].message
        );
        assert!(errors[1].message.contains("'y' types text"));
        assert!(errors[2].message.contains("'Space' types text"));
    }

    #[test]
    fn problems_point_at_their_place() {
        let errors =
            parse_config("bel = true\n[keys.live]\nfly = [\"x\"]\ncover = [\"Hyper-q\"]\n")
                .unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(errors[0].message.contains("did you mean \"bell\""));
    }
}
