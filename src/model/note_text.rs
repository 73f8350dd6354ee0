//! What a typed note says about itself: `@P3` at the start names the speaker, `#word` is a tag.

/// A note's text taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNote {
    pub speaker: Option<String>,
    pub tags: Vec<String>,
    /// The text less the leading speaker mark; tags stay in it.
    pub text: String,
}

/// Tags the help suggests; any word works.
pub const SUGGESTED_TAGS: &[(&str, &str)] = &[
    ("quote", "a quotable moment"),
    (
        "nonverbal",
        "a non-verbal cue: laughter, silence, a gesture",
    ),
    ("followup", "a question parked for the end"),
    ("nt", "the note-taker's own interpretation"),
];

/// The most one note holds, in bytes: some 150,000 words, far more than anyone types in the room,
/// and room for a long passage pasted from a document; a bigger paste is refused whole (never cut
/// without saying so), with a message.
pub const MAX_NOTE_BYTES: usize = 1024 * 1024;

/// The tag that parks a question for the end check.
pub const FOLLOWUP_TAG: &str = "followup";

/// The tag of a quotable moment: first in the quote bank.
pub const QUOTE_TAG: &str = "quote";

/// Takes a typed note apart into speaker, tags and text.
pub fn parse_note(raw: &str) -> ParsedNote {
    let trimmed = raw.trim();
    let (speaker, text) = match trimmed.strip_prefix('@') {
        Some(rest) => {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let name = &rest[..end];
            if name.is_empty() {
                (None, trimmed)
            } else {
                (Some(normalise_speaker(name)), rest[end..].trim_start())
            }
        }
        None => (None, trimmed),
    };
    ParsedNote {
        speaker,
        tags: tags_in(text),
        text: text.to_string(),
    }
}

/// `p3` and `P3` are the same participant.
pub fn normalise_speaker(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first)
            if first.eq_ignore_ascii_case(&'p')
                && chars.clone().all(|c| c.is_ascii_digit())
                && name.len() > 1 =>
        {
            format!("P{}", chars.as_str())
        }
        _ => name.to_string(),
    }
}

/// Every `#word` that starts a word, without the `#`, in order, each once.
pub fn tags_in(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        if c == '#' && (previous.is_whitespace() || previous == '(') {
            let word: String = text[i + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if !word.is_empty() && !tags.iter().any(|t| t.eq_ignore_ascii_case(&word)) {
                tags.push(word);
            }
        }
        previous = c;
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_and_tags() {
        let n = parse_note("@p3 I changed my diet #quote #Diet #quote");
        assert_eq!(n.speaker.as_deref(), Some("P3"));
        assert_eq!(n.tags, vec!["quote", "Diet"]);
        assert_eq!(n.text, "I changed my diet #quote #Diet #quote");
    }

    #[test]
    fn no_speaker() {
        let n = parse_note("  group laughs #nonverbal ");
        assert_eq!(n.speaker, None);
        assert_eq!(n.text, "group laughs #nonverbal");
        assert_eq!(n.tags, vec!["nonverbal"]);
    }

    #[test]
    fn lone_at_and_mid_hash() {
        let n = parse_note("@ issue#3 costs £5 #");
        assert_eq!(n.speaker, None);
        assert!(n.tags.is_empty());
    }

    #[test]
    fn named_speaker_kept() {
        assert_eq!(
            parse_note("@Mod asks again").speaker.as_deref(),
            Some("Mod")
        );
        assert_eq!(parse_note("@P12").text, "");
    }
}
