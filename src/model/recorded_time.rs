//! Reading a journal record's time: the form topicguide writes (`2026-03-10T10:00:20Z`, or
//! with a fraction of a second) read directly, anything else through chrono's own RFC 3339
//! parser, so every time reads as it always has. Times are most of what a journal line holds
//! besides its text, and chrono's general parser was a seventh of reading a study.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Deserializer;
use serde::de::{self, Visitor};
use std::fmt;

/// `#[serde(deserialize_with)]` for a `DateTime<Utc>`: the same values and the same errors as
/// chrono's own `Deserialize`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_str(RecordedTime)
}

struct RecordedTime;

impl Visitor<'_> for RecordedTime {
    type Value = DateTime<Utc>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        // chrono's words, so a bad journal line is told as before.
        formatter.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        match as_written(value) {
            Some(at) => Ok(at),
            None => value
                .parse::<DateTime<FixedOffset>>()
                .map(|at| at.with_timezone(&Utc))
                .map_err(E::custom),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.F]Z` (one to nine digits of fraction), as chrono writes a UTC time;
/// None for any other form, and for a leap second, which chrono's parser reads its own way.
fn as_written(value: &str) -> Option<DateTime<Utc>> {
    const FIXED: usize = "YYYY-MM-DDTHH:MM:SS".len();
    let b = value.as_bytes();
    let number = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let punctuated = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')]
        .iter()
        .all(|&(i, c)| b.get(i) == Some(&c));
    if !punctuated || b.last() != Some(&b'Z') || b.len() < FIXED + 1 {
        return None;
    }
    let fraction = &b[FIXED..b.len() - 1];
    let nanos = match fraction {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            number(FIXED + 1, b.len() - 1)? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let second = number(17, 19)?;
    if second > 59 {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(number(0, 4)?).ok()?,
        number(5, 7)?,
        number(8, 10)?,
    )?
    .and_hms_nano_opt(number(11, 13)?, number(14, 16)?, second, nanos)
    .map(|at| at.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono_reads(value: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_value::<DateTime<Utc>>(serde_json::Value::String(value.into()))
            .map_err(|e| e.to_string())
    }

    #[derive(serde::Deserialize)]
    struct At(#[serde(deserialize_with = "deserialize")] DateTime<Utc>);

    fn we_read(value: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_value::<At>(serde_json::Value::String(value.into()))
            .map(|at| at.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn every_form_reads_as_chrono_reads_it() {
        for value in [
            "2026-03-10T10:00:20Z",
            "2026-03-10T10:00:20.5Z",
            "2026-03-10T10:00:20.123456789Z",
            "2026-03-10T10:00:20.1234567891Z",
            "2026-03-10T10:00:20+02:00",
            "2026-03-10t10:00:20z",
            "2026-03-10 10:00:20Z",
            "2016-12-31T23:59:60Z",
            "2026-02-30T10:00:20Z",
            "2026-03-10T24:00:00Z",
            "2026-03-10T10:00:20.Z",
            "2026-03-10T10:00Z",
            "+2026-03-10T10:00:20Z",
            "２026-03-10T10:00:20Z",
            "",
            "yesterday",
        ] {
            assert_eq!(we_read(value), chrono_reads(value), "{value:?}");
        }
        let not_a_string = serde_json::from_value::<At>(serde_json::json!(5)).err();
        let chrono_says = serde_json::from_value::<DateTime<Utc>>(serde_json::json!(5)).err();
        assert_eq!(
            not_a_string.map(|e| e.to_string()),
            chrono_says.map(|e| e.to_string())
        );
    }

    proptest! {
        #[test]
        fn any_time_chrono_writes_reads_back_the_same(
            seconds in 0i64..253_402_300_799,
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000, (0u32..1000).prop_map(|m| m * 1_000_000)],
        ) {
            let at = DateTime::<Utc>::from_timestamp(seconds, nanos).unwrap();
            let written = serde_json::to_value(at).unwrap();
            let text = written.as_str().unwrap();
            prop_assert_eq!(we_read(text), Ok(at));
            prop_assert!(as_written(text).is_some(), "{}", text);
        }
    }
}
