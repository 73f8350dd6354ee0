//! WebVTT: a `WEBVTT` header, then cues `start --> end` with their text; `NOTE`, `STYLE` and
//! `REGION` blocks are skipped. Speakers come from `<v Name>` voices (Teams and the standard)
//! or a `Name:` prefix (Zoom).

use super::markup::voices;
use super::speaker::split_prefix;
use super::stamps::parse_clock;
use super::{ParseError, Segment};

pub fn parse(text: &str) -> Result<Vec<Segment>, ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.first().copied().unwrap_or("");
    if !(header == "WEBVTT" || header.starts_with("WEBVTT ") || header.starts_with("WEBVTT\t")) {
        return Err(ParseError::new(
            1,
            "a WebVTT file begins with the line WEBVTT",
        ));
    }
    let mut segments = Vec::new();
    let mut i = 1;
    // The header block runs to the first blank line.
    while i < lines.len() && !lines[i].trim().is_empty() {
        i += 1;
    }
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        cue(&lines[start..i], start + 1, &mut segments)?;
    }
    Ok(segments)
}

/// One block of lines beginning on line `first_line`.
fn cue(block: &[&str], first_line: usize, out: &mut Vec<Segment>) -> Result<(), ParseError> {
    let head = block[0];
    if ["NOTE", "STYLE", "REGION"].iter().any(|k| {
        head == *k || head.starts_with(&format!("{k} ")) || head.starts_with(&format!("{k}\t"))
    }) {
        return Ok(());
    }
    let Some(timing_at) = block.iter().take(2).position(|l| l.contains("-->")) else {
        return Err(ParseError::new(
            first_line,
            "not a cue: expected a 'start --> end' line (as 00:00:01.000 --> 00:00:04.000)",
        ));
    };
    let line = first_line + timing_at;
    let (start_ms, end_ms) = timing(block[timing_at], line, '.')?;
    let payload = block[timing_at + 1..].join("\n");
    push_voiced(&payload, start_ms, end_ms, line, out);
    Ok(())
}

/// The start and end of a `start --> end [settings]` line. `separator` is the fraction mark the
/// format uses (`.` in WebVTT, `,` in SRT); the other is refused so a mislabelled file shows.
pub(super) fn timing(
    line_text: &str,
    line: usize,
    separator: char,
) -> Result<(i64, i64), ParseError> {
    let (left, right) = line_text.split_once("-->").unwrap_or((line_text, ""));
    let start_text = left.trim();
    let end_text = right.split_whitespace().next().unwrap_or("");
    let read = |t: &str| {
        let other = if separator == '.' { ',' } else { '.' };
        if t.contains(other) {
            return None;
        }
        parse_clock(t)
    };
    let example = if separator == '.' {
        "00:01:02.500"
    } else {
        "00:01:02,500"
    };
    let start = read(start_text).ok_or_else(|| {
        ParseError::new(
            line,
            format!("'{start_text}' is not a cue time (as {example})"),
        )
    })?;
    let end = read(end_text).ok_or_else(|| {
        ParseError::new(
            line,
            format!("'{end_text}' is not a cue time (as {example})"),
        )
    })?;
    Ok((start, end))
}

/// The segments of one cue's text: one per voice, the speaker from the voice or a prefix.
pub(super) fn push_voiced(
    payload: &str,
    start_ms: i64,
    end_ms: i64,
    line: usize,
    out: &mut Vec<Segment>,
) {
    for part in voices(payload) {
        let (speaker, text) = match part.voice {
            Some(voice) => (Some(voice), part.text.as_str()),
            None => split_prefix(&part.text),
        };
        if text.is_empty() {
            continue;
        }
        out.push(Segment {
            start_ms,
            end_ms,
            speaker,
            text: text.to_string(),
            line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_and_teams_cues() {
        let text = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.500\nMaria Lopez: Hello there\n\nNOTE a comment\nspanning\n\n00:00:05.000 --> 00:00:07.000 align:start\n<v Tom>Hi</v>\n";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].start_ms, s[0].end_ms, s[0].line), (1000, 4500, 4));
        assert_eq!(s[0].speaker.as_deref(), Some("Maria Lopez"));
        assert_eq!(s[0].text, "Hello there");
        assert_eq!(s[1].speaker.as_deref(), Some("Tom"));
    }

    #[test]
    fn bad_files_say_where() {
        assert_eq!(parse("1\n00:00:01.000 --> x\n").unwrap_err().line, 1);
        let e = parse("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nhi\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("'00:00:0x.000'"), "{e}");
        let e = parse("WEBVTT\n\njust text\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nhi\n").unwrap_err();
        assert!(
            e.message.contains("00:01:02.500"),
            "an SRT time in a VTT file: {e}"
        );
    }
}
