//! Clock times as transcripts write them: `01:02:03.450`, `01:02:03,450`, `02:03.4`, `1:02:03`.

/// Milliseconds of a clock time: `h:mm:ss` or `mm:ss`, with an optional fraction after `.` or
/// `,` (up to three digits). Minutes and seconds are two digits below 60; hours any digits.
pub fn parse_clock(text: &str) -> Option<i64> {
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let parts: Vec<&str> = whole.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [h, m, s] => (digits(h, 1..=4)?, two_digits(m)?, two_digits(s)?),
        [m, s] => (0, digits(m, 1..=2)?, two_digits(s)?),
        _ => return None,
    };
    if seconds >= 60 || (parts.len() == 3 && minutes >= 60) {
        return None;
    }
    let millis = match fraction {
        None => 0,
        Some(f) if (1..=3).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            let padded = format!("{f:0<3}");
            padded.parse::<i64>().ok()?
        }
        Some(_) => return None,
    };
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

fn digits(text: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<i64> {
    if !lengths.contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn two_digits(text: &str) -> Option<i64> {
    digits(text, 2..=2)
}

/// A stamp at the start of a line of stamped text: `[00:01:02]`, `(01:02)`, `00:01:02` or
/// `[00:01:02.5]`, and what follows it less any separator (` - `, `–`, `:`).
pub fn leading_stamp(line: &str) -> Option<(i64, &str)> {
    let trimmed = line.trim_start();
    let (inner, rest) = if let Some(body) = trimmed.strip_prefix('[') {
        let close = body.find(']')?;
        (&body[..close], &body[close + 1..])
    } else if let Some(body) = trimmed.strip_prefix('(') {
        let close = body.find(')')?;
        (&body[..close], &body[close + 1..])
    } else {
        let end = trimmed
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '.' | ',')))
            .unwrap_or(trimmed.len());
        // `12:30, we met` must not read "12:30," as the clock.
        let clock = trimmed[..end].trim_end_matches([',', '.']);
        (clock, &trimmed[clock.len()..])
    };
    let ms = parse_clock(inner.trim())?;
    let rest =
        rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':'));
    Some((ms, rest))
}

/// Whether a line begins with a stamp.
pub fn starts_with_stamp(line: &str) -> bool {
    leading_stamp(line).is_some()
}

/// `01:02:03.450`, for messages.
pub fn format_ms(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    format!(
        "{sign}{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_forms() {
        assert_eq!(parse_clock("01:02:03.450"), Some(3_723_450));
        assert_eq!(parse_clock("01:02:03,450"), Some(3_723_450));
        assert_eq!(parse_clock("02:03.4"), Some(123_400));
        assert_eq!(parse_clock("1:02:03"), Some(3_723_000));
        assert_eq!(parse_clock("00:61"), None);
        assert_eq!(parse_clock("00:1:00"), None);
        assert_eq!(parse_clock("00:01:00.1234"), None);
        assert_eq!(parse_clock("abc"), None);
    }

    #[test]
    fn stamps_at_line_start() {
        assert_eq!(leading_stamp("[00:00:05] P1: hi"), Some((5_000, "P1: hi")));
        assert_eq!(leading_stamp("00:01:05 - hi"), Some((65_000, "hi")));
        assert_eq!(leading_stamp("(01:05) hi"), Some((65_000, "hi")));
        assert_eq!(leading_stamp("12:30, we met"), Some((750_000, ", we met")));
        assert_eq!(leading_stamp("Hello"), None);
        assert_eq!(format_ms(3_723_450), "01:02:03.450");
    }
}
