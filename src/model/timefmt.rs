//! How times and durations are written for people and for files: the only time formatter.

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

/// `m:ss` under an hour, else `h:mm:ss`, for the narrow theme list; never negative.
pub fn short_clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// `HH:MM:SS.mmm` from microseconds, as WebVTT cues write it.
pub fn hms_millis(micros: i64) -> String {
    let ms = micros / 1000;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// `12.500000`: seconds with six decimals, as Audacity labels write them.
pub fn seconds_micros(micros: i64) -> String {
    format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000)
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

/// Local date and time to the second with the UTC offset, as the reports write moments:
/// `2026-11-23 14:05:09 +01:00`.
pub fn local_moment(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

/// `20261123-1405`: a local time as a session id begins.
pub fn id_stamp(at: DateTime<Local>) -> String {
    at.format("%Y%m%d-%H%M").to_string()
}

/// `20261123T140509`: a UTC time in a file name.
pub fn file_stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%S").to_string()
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
        assert_eq!(short_clock(65), "1:05");
        assert_eq!(short_clock(3725), "1:02:05");
        assert_eq!(hms_millis(3_723_456_000), "01:02:03.456");
        assert_eq!(seconds_micros(12_500_000), "12.500000");
    }
}
