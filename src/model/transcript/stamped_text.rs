//! Plain text with time stamps, as oTranscribe exports it or a transcriber types it in Word:
//! each segment begins with a stamp at the start of a line (`[00:01:02]`, `[01:02]`,
//! `00:01:02`, `(00:01:02)`), optionally followed by `Name:`; lines without a stamp continue
//! the segment above. A segment ends where the next one starts; the last one is given the time
//! its words take at a speaking pace of 150 words a minute (at least two seconds), since the
//! file does not say when it ends.

use super::markup::tidy;
use super::speaker::split_prefix;
use super::stamps::leading_stamp;
use super::{ParseError, Segment};

/// Words per second at the speaking pace the last segment is given.
const WORDS_PER_SECOND: f64 = 2.5;
/// The shortest time the last segment is given.
const MIN_LAST_MS: i64 = 2000;

pub fn parse(text: &str) -> Result<Vec<Segment>, ParseError> {
    let mut segments: Vec<Segment> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        match leading_stamp(line) {
            Some((ms, rest)) => {
                if let Some(last) = segments.last_mut() {
                    last.end_ms = ms.max(last.start_ms);
                }
                segments.push(Segment {
                    start_ms: ms,
                    end_ms: ms,
                    speaker: None,
                    text: rest.to_string(),
                    line: number,
                });
            }
            None => match segments.last_mut() {
                Some(last) => {
                    last.text.push(' ');
                    last.text.push_str(line);
                }
                None => {
                    return Err(ParseError::new(
                        number,
                        "text before the first time stamp: each segment begins with a stamp such as [00:01:02]",
                    ));
                }
            },
        }
    }
    for segment in &mut segments {
        let tidied = tidy(&segment.text);
        let (speaker, words) = split_prefix(&tidied);
        segment.speaker = speaker;
        segment.text = words.to_string();
    }
    if let Some(last) = segments.last_mut() {
        let words = last.text.split_whitespace().count() as f64;
        // Bounded by the text's length: the cast cannot overflow.
        let spoken = ((words / WORDS_PER_SECOND) * 1000.0) as i64;
        last.end_ms = last.start_ms + spoken.max(MIN_LAST_MS);
    }
    segments.retain(|s| !s.text.is_empty());
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otranscribe_lines() {
        let s = parse("[00:00:05] Interviewer: How did it start?\n[00:00:12] P1: Slowly,\nthen all at once.\n\n00:01:00 P2: Same here\n").unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!((s[0].start_ms, s[0].end_ms), (5000, 12000));
        assert_eq!(s[0].speaker.as_deref(), Some("Interviewer"));
        assert_eq!(s[1].text, "Slowly, then all at once.");
        assert_eq!(s[1].end_ms, 60_000);
        assert_eq!(s[2].end_ms, 62_000, "three words: the two-second minimum");
        assert_eq!(s[2].line, 5);
    }

    #[test]
    fn text_first_is_refused() {
        let e = parse("Interview 3\n[00:00:05] hi\n").unwrap_err();
        assert_eq!(e.line, 1);
    }
}
