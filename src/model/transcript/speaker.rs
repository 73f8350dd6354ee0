//! Who speaks: the `Name:` prefixes Zoom and others write, and speaker labels mapped to the
//! session's pseudonyms. A label is never guessed: it is a pseudonym only when mapped with
//! `--speaker NAME=PSEUDONYM`, or when it already is one of the session's participants.

use serde::{Deserialize, Serialize};

/// The longest speaker label read from a `Name:` prefix, in characters.
const MAX_LABEL_CHARS: usize = 40;
/// The most words a speaker label read from a `Name:` prefix has.
const MAX_LABEL_WORDS: usize = 4;

/// A `--speaker NAME=PSEUDONYM` given when the transcript was attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerMapping {
    /// The label as the transcript writes it.
    pub label: String,
    pub pseudonym: String,
}

/// Splits `Maria Lopez: Hello` into the label and the words. A prefix counts as a label when
/// it is one to four words, at most 40 characters, its first word begins with a capital letter
/// or a digit (`P3`, `SPEAKER_01`, `Maria de la Cruz`) and it has no sentence punctuation, so
/// `Note that: x` and `so: yes` stay text. A sentence that begins with one capitalised word and
/// a colon (`Well: I think`) is read as a label: `transcript` lists every label it reads, so
/// such a slip shows before anything is coded.
pub fn split_prefix(text: &str) -> (Option<String>, &str) {
    let Some(colon) = text.find(':') else {
        return (None, text);
    };
    let label = &text[..colon];
    let rest = &text[colon + 1..];
    let is_label = !label.is_empty()
        && label.chars().count() <= MAX_LABEL_CHARS
        && label == label.trim()
        && (rest.is_empty() || rest.starts_with(char::is_whitespace))
        && label.split_whitespace().count() <= MAX_LABEL_WORDS
        && label
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '\'' | '’'))
        && !label.chars().all(|c| c.is_ascii_digit());
    if is_label {
        (Some(label.to_string()), rest.trim_start())
    } else {
        (None, text)
    }
}

/// How a transcript's speaker label stands against the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker<'a> {
    /// Mapped with `--speaker`, or already one of the session's participants.
    Pseudonym(&'a str),
    /// A label nobody mapped: shown as the file writes it.
    Unmapped(&'a str),
}

impl<'a> Speaker<'a> {
    /// The name shown for the speaker.
    pub fn name(self) -> &'a str {
        match self {
            Speaker::Pseudonym(name) | Speaker::Unmapped(name) => name,
        }
    }
}

/// The pseudonym of `label`: its mapping, else the participant it names exactly (whatever its
/// case: `p3` is P3), else unmapped.
pub fn resolve<'a>(
    label: &'a str,
    mappings: &'a [SpeakerMapping],
    participants: impl IntoIterator<Item = &'a str>,
) -> Speaker<'a> {
    if let Some(m) = mappings.iter().find(|m| m.label == label) {
        return Speaker::Pseudonym(&m.pseudonym);
    }
    participants
        .into_iter()
        .find(|p| p.eq_ignore_ascii_case(label))
        .map_or(Speaker::Unmapped(label), Speaker::Pseudonym)
}

/// Reads `NAME=PSEUDONYM`; the name may hold `=` signs, the pseudonym not.
pub fn parse_mapping(arg: &str) -> Result<SpeakerMapping, String> {
    let Some((label, pseudonym)) = arg.rsplit_once('=') else {
        return Err(format!("'{arg}' is not NAME=PSEUDONYM"));
    };
    let (label, pseudonym) = (label.trim(), pseudonym.trim());
    if label.is_empty() || pseudonym.is_empty() {
        return Err(format!("'{arg}' is not NAME=PSEUDONYM"));
    }
    if pseudonym.chars().any(char::is_control) || label.chars().any(char::is_control) {
        return Err(format!("'{arg}' has control characters"));
    }
    Ok(SpeakerMapping {
        label: label.to_string(),
        pseudonym: pseudonym.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(
            split_prefix("Maria Lopez: Hello"),
            (Some("Maria Lopez".into()), "Hello")
        );
        assert_eq!(
            split_prefix("SPEAKER_01: Hi"),
            (Some("SPEAKER_01".into()), "Hi")
        );
        assert_eq!(split_prefix("P3: yes: no"), (Some("P3".into()), "yes: no"));
        assert_eq!(split_prefix("so: yes").0, None);
        assert_eq!(split_prefix("Note that, then: x").0, None);
        assert_eq!(split_prefix("At 12:30 we met").0, None);
        assert_eq!(split_prefix("No colon here").0, None);
    }

    #[test]
    fn labels_resolve_only_when_mapped_or_participants() {
        let maps = vec![parse_mapping("Maria Lopez=P3").unwrap()];
        assert_eq!(
            resolve("Maria Lopez", &maps, ["P1"]),
            Speaker::Pseudonym("P3")
        );
        assert_eq!(resolve("p1", &maps, ["P1"]), Speaker::Pseudonym("P1"));
        assert_eq!(resolve("Jo", &maps, ["P1"]), Speaker::Unmapped("Jo"));
        assert!(parse_mapping("=P1").is_err());
        assert!(parse_mapping("Jo").is_err());
        assert_eq!(parse_mapping("A=B=P2").unwrap().label, "A=B");
    }
}
