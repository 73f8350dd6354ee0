//! An Audacity label track for the session's audio recording: `start<TAB>end<TAB>label` a line.
//!
//! Times are seconds with six decimals, as Audacity writes them, counted from the recording mark
//! (`r` on the live screen), or from the start of the session when there is no mark. Each stretch
//! of time a theme was discussed is a region labelled with the theme's title; each note is a
//! point (start == end) labelled `P3: text` (or just the text without a speaker). The recording
//! holds nothing from before its mark, so what lies wholly before the mark is left out, and a
//! region that straddles it is clamped to start at 0. A region still open (a live or interrupted
//! session) ends at the time the export reads the clock at. Labels are sorted by start time; tabs
//! and line breaks in a label become spaces. Import it in Audacity with File > Import > Labels.

use super::{ExportInput, micros_since};
use crate::text::printable;
use std::fmt::Write;

/// One label of the track, in microseconds from the origin.
struct Label {
    start: i64,
    end: i64,
    text: String,
}

/// `12.500000`: seconds with six decimals.
pub use crate::model::timefmt::seconds_micros as seconds;

/// The label track, one line per label, each ending in a newline.
pub fn render(input: &ExportInput) -> String {
    let guide = &input.session.guide;
    let state = input.session.state();
    let origin = state.offset_origin();
    let mut labels: Vec<Label> = Vec::new();
    for (theme, progress) in guide.themes.iter().zip(&state.themes) {
        for span in &progress.spans {
            let end_at = span.end.unwrap_or(input.as_of).max(span.start);
            let Some(end) = micros_since(origin, end_at) else {
                continue;
            };
            let start = micros_since(origin, span.start).unwrap_or(0);
            labels.push(Label {
                start,
                end,
                text: printable(&theme.title),
            });
        }
    }
    for note in &state.notes {
        let Some(at) = micros_since(origin, note.at) else {
            continue;
        };
        let text = match &note.speaker {
            Some(speaker) => format!("{speaker}: {}", note.text),
            None => note.text.clone(),
        };
        labels.push(Label {
            start: at,
            end: at,
            text: printable(&text),
        });
    }
    labels.sort_by_key(|l| l.start);
    let mut out = String::new();
    for label in labels {
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{}\t{}\t{}",
            seconds(label.start),
            seconds(label.end),
            label.text
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn six_decimals() {
        assert_eq!(seconds(0), "0.000000");
        assert_eq!(seconds(1_262_000_000), "1262.000000");
        assert_eq!(seconds(12_500_001), "12.500001");
    }
}
