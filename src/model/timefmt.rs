//! How times and durations are written for people and for files.

use chrono::{DateTime, Duration, Local, SecondsFormat, Utc};

/// `HH:MM:SS`, with a leading `-` when negative.
pub fn hms(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `MM:SS` under an hour, else `H:MM:SS`; negative values keep their sign.
pub fn clock(d: Duration) -> String {
    let secs = d.num_seconds();
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    if s >= 3600 {
        format!("{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{sign}{:02}:{:02}", s / 60, s % 60)
    }
}

/// Whole minutes, rounded down, as a short figure: `7m`.
pub fn minutes(d: Duration) -> String {
    format!("{}m", d.num_minutes())
}

/// RFC 3339 in UTC to the second, as the exports write it.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Local date and time for people: `2026-11-23 14:05`.
pub fn local_datetime(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(hms(1262), "00:21:02");
        assert_eq!(hms(-5), "-00:00:05");
        assert_eq!(clock(Duration::seconds(65)), "01:05");
        assert_eq!(clock(Duration::seconds(3725)), "1:02:05");
        assert_eq!(clock(Duration::seconds(-30)), "-00:30");
    }
}
