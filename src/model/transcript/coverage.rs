//! Coverage checked against the transcript: for each theme the transcript has segments of, is
//! its prompt heard there, and each probe? Compared with the ticks, this shows required probes
//! the transcript says were asked though never ticked, and probes ticked that the transcript
//! never shows being asked.
//!
//! Matching is fuzzy and works in the guide's own language, with no word lists: a text's
//! content words are its words of four letters or more (in lower case, punctuation aside), and
//! two words match when one is a prefix of the other down to five letters (`change`,
//! `changes`, `changed`) or they are near by edit distance (Jaro-Winkler 0.9 or more). A prompt
//! or probe is heard in a segment when, within that segment and the next one of the same
//! theme, at least half its content words (two at least; one for a one-word probe) are matched.

use super::coding::TranscriptCoding;
use crate::model::guide::Guide;
use crate::model::session::SessionState;

/// Content words are at least this long, in characters.
const MIN_WORD_CHARS: usize = 4;
/// Words sharing a prefix this long (or the whole shorter word) match.
const STEM_CHARS: usize = 5;
/// Words this similar (Jaro-Winkler) match.
const NEAR: f64 = 0.9;

/// How one probe stands against the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeCheck {
    pub probe: usize,
    pub required: bool,
    pub ticked: bool,
    /// The first segment where it is heard.
    pub heard: Option<usize>,
}

/// How one theme stands against the transcript (only themes with segments are checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeCheck {
    pub theme: usize,
    /// How many segments were coded to the theme.
    pub segments: usize,
    /// Where its prompt is heard; None when the guide has no prompt or it is not heard.
    pub prompt_heard: Option<usize>,
    pub probes: Vec<ProbeCheck>,
}

/// The check of a whole transcript.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TranscriptCheck {
    pub themes: Vec<ThemeCheck>,
}

impl TranscriptCheck {
    /// Required probes heard in the transcript though not ticked: (theme, probe, segment).
    pub fn asked_not_ticked(&self) -> Vec<(usize, usize, usize)> {
        self.themes
            .iter()
            .flat_map(|t| {
                t.probes.iter().filter_map(move |p| match p.heard {
                    Some(at) if p.required && !p.ticked => Some((t.theme, p.probe, at)),
                    _ => None,
                })
            })
            .collect()
    }

    /// Required probes ticked that the transcript of their theme never shows: (theme, probe).
    pub fn ticked_not_heard(&self) -> Vec<(usize, usize)> {
        self.themes
            .iter()
            .flat_map(|t| {
                t.probes
                    .iter()
                    .filter(|p| p.required && p.ticked && p.heard.is_none())
                    .map(move |p| (t.theme, p.probe))
            })
            .collect()
    }
}

/// The content words of a text.
fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_WORD_CHARS)
        .map(str::to_lowercase)
        .collect()
}

fn words_match(a: &str, b: &str) -> bool {
    let stem = |w: &str| w.chars().take(STEM_CHARS).collect::<String>();
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    long.starts_with(&stem(short)) || strsim::jaro_winkler(a, b) >= NEAR
}

/// Whether `wanted` is heard in `words`.
fn heard(wanted: &[String], words: &[String]) -> bool {
    if wanted.is_empty() {
        return false;
    }
    let found = wanted
        .iter()
        .filter(|w| words.iter().any(|h| words_match(w, h)))
        .count();
    let needed = if wanted.len() == 1 {
        1
    } else {
        wanted.len().div_ceil(2).max(2)
    };
    found >= needed
}

/// Checks the coded transcript against the guide and the ticks.
pub fn check(guide: &Guide, state: &SessionState, coding: &TranscriptCoding) -> TranscriptCheck {
    let mut themes = Vec::new();
    for (index, theme) in guide.themes.iter().enumerate() {
        let segments: Vec<(usize, Vec<String>)> = coding
            .segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.theme == Some(index))
            .map(|(i, s)| (i, content_words(&s.segment.text)))
            .collect();
        if segments.is_empty() {
            continue;
        }
        // Each segment with the next one of the theme: a question often runs over two.
        let windows: Vec<(usize, Vec<String>)> = segments
            .iter()
            .enumerate()
            .map(|(k, (at, words))| {
                let mut all = words.clone();
                if let Some((_, next)) = segments.get(k + 1) {
                    all.extend(next.iter().cloned());
                }
                (*at, all)
            })
            .collect();
        let find = |text: &str| {
            let wanted = content_words(text);
            windows
                .iter()
                .find(|(_, words)| heard(&wanted, words))
                .map(|(at, _)| *at)
        };
        let ticks = state.themes.get(index).map(|p| &p.probes_checked);
        themes.push(ThemeCheck {
            theme: index,
            segments: segments.len(),
            prompt_heard: theme.prompt.as_deref().and_then(find),
            probes: theme
                .probes
                .iter()
                .enumerate()
                .map(|(p, probe)| ProbeCheck {
                    probe: p,
                    required: probe.required,
                    ticked: ticks.and_then(|t| t.get(p)).copied().unwrap_or(false),
                    heard: find(&probe.text),
                })
                .collect(),
        });
    }
    TranscriptCheck { themes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_words() {
        assert!(words_match("changes", "changed"));
        assert!(words_match("exercise", "exercises"));
        assert!(words_match("programme", "program"));
        assert!(!words_match("diet", "died"));
        let probe = content_words("Diet and exercise: changes to daily routine");
        assert_eq!(probe, ["diet", "exercise", "changes", "daily", "routine"]);
        assert!(heard(
            &probe,
            &content_words("My diet changed a lot, and the exercise too.")
        ));
        assert!(!heard(
            &probe,
            &content_words("The back pain one, about a year ago.")
        ));
        assert!(heard(
            &content_words("Confianza"),
            &content_words("¿Ganaron confianza?")
        ));
    }
}
