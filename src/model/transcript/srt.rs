//! SubRip: numbered blocks, `00:00:01,000 --> 00:00:04,000`, then the text. Speakers from a
//! `Name:` prefix (or a `<v Name>` voice, which some converters leave in).

use super::vtt::{push_voiced, timing};
use super::{ParseError, Segment};

pub fn parse(text: &str) -> Result<Vec<Segment>, ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut segments = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let first = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[first..i];
        let number = block[0].trim();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new(
                first + 1,
                format!(
                    "'{number}' is not a subtitle number (an SRT block begins with its number)"
                ),
            ));
        }
        let Some(timing_line) = block.get(1).filter(|l| l.contains("-->")) else {
            return Err(ParseError::new(
                first + 2,
                "expected a 'start --> end' line (as 00:00:01,000 --> 00:00:04,000)",
            ));
        };
        let (start, end) = timing(timing_line, first + 2, ',')?;
        push_voiced(&block[2..].join("\n"), start, end, first + 2, &mut segments);
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let s = parse("1\n00:00:01,000 --> 00:00:02,500\nP1: Hi\nthere\n\n2\n00:00:03,000 --> 00:00:04,000\n<i>Yes</i>\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "Hi there");
        assert_eq!(s[0].speaker.as_deref(), Some("P1"));
        assert_eq!(
            (s[1].start_ms, s[1].line),
            (3000, 7),
            "the line of its times"
        );
        assert_eq!(parse("x\n").unwrap_err().line, 1);
        assert_eq!(parse("1\nhello\n").unwrap_err().line, 2);
    }
}
