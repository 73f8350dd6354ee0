//! Whisper's JSON (`whisper --output_format json`, faster-whisper, WhisperX): an object with
//! `segments`, each with `start` and `end` in seconds and its `text`; WhisperX adds `speaker`.
//! A bare array of such segments is read too. Other fields (`words`, `tokens`...) are ignored.

use super::markup::tidy;
use super::speaker::split_prefix;
use super::{ParseError, Segment};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow)]
    segments: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct WhisperSegment {
    start: f64,
    end: f64,
    text: String,
    #[serde(default)]
    speaker: Option<String>,
}

pub fn parse(text: &str) -> Result<Vec<Segment>, ParseError> {
    let json_error = |e: serde_json::Error| ParseError::new(e.line().max(1), json_message(&e));
    let raw: Vec<&RawValue> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(json_error)?
    } else {
        let doc: Document = serde_json::from_str(text).map_err(|e| {
            if e.to_string().contains("missing field `segments`") {
                ParseError::new(1, "not a Whisper transcript: no \"segments\" list")
            } else {
                json_error(e)
            }
        })?;
        doc.segments
    };
    let mut out = Vec::with_capacity(raw.len());
    for value in raw {
        let line = line_of(text, value.get());
        let segment: WhisperSegment = serde_json::from_str(value.get())
            .map_err(|e| ParseError::new(line, format!("not a segment: {}", json_message(&e))))?;
        let (start_ms, end_ms) = (
            seconds_to_ms(segment.start, line)?,
            seconds_to_ms(segment.end, line)?,
        );
        let words = tidy(&segment.text);
        let (speaker, words) = match segment.speaker {
            Some(s) if !tidy(&s).is_empty() => (Some(tidy(&s)), words.as_str()),
            _ => split_prefix(&words),
        };
        if words.is_empty() {
            continue;
        }
        out.push(Segment {
            start_ms,
            end_ms,
            speaker,
            text: words.to_string(),
            line,
        });
    }
    Ok(out)
}

fn seconds_to_ms(seconds: f64, line: usize) -> Result<i64, ParseError> {
    if !seconds.is_finite() || !(0.0..=1.0e7).contains(&seconds) {
        return Err(ParseError::new(
            line,
            format!("{seconds} is not a time in seconds"),
        ));
    }
    // In range: the cast cannot overflow.
    Ok((seconds * 1000.0).round() as i64)
}

/// serde's message without its own " at line L column C" (the line is given already).
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The line of `text` that the slice `part` (borrowed from it) begins on.
fn line_of(text: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_speakers() {
        let text = "{\"text\": \"x\",\n \"segments\": [\n  {\"id\": 0, \"start\": 0.0, \"end\": 2.5, \"text\": \" Hello.\"},\n  {\"start\": 2.5, \"end\": 4.0, \"text\": \"Yes\", \"speaker\": \"SPEAKER_01\", \"words\": []}\n]}";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].start_ms, s[0].end_ms, s[0].line), (0, 2500, 3));
        assert_eq!(s[0].text, "Hello.");
        assert_eq!(s[1].speaker.as_deref(), Some("SPEAKER_01"));
        assert_eq!(s[1].line, 4);
    }

    #[test]
    fn bad_json_says_where() {
        let e = parse("{\"segments\": [\n {\"start\": 1, \"text\": \"no end\"}\n]}").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("end"), "{e}");
        assert_eq!(parse("{\"a\": 1}").unwrap_err().line, 1);
        assert_eq!(parse("{\n\"segments\": [,]}").unwrap_err().line, 2);
    }
}
