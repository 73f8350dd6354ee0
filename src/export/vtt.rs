//! The notes as WebVTT captions, for media players and transcription tools.
//!
//! Each note is a cue of [`CUE_SECONDS`] from its offset (the recording mark, else the start of
//! the session, as in the other exports), named by the note's id, with the speaker as a voice:
//! `<v P3>text`. Notes taken before the recording mark have no place in the recording and are
//! left out. Cues are sorted by start time as WebVTT asks; `&`, `<` and `>` in user text are
//! written as character references, and line breaks become spaces so a note is one cue line.

use super::{ExportInput, micros_since};
use crate::text::printable;
use std::fmt::Write;

/// How long each note's cue stays on screen.
pub const CUE_SECONDS: i64 = 5;

/// `HH:MM:SS.mmm` from microseconds.
pub use crate::model::timefmt::hms_millis as timestamp;

/// User text made safe for a cue: `&`, `<`, `>` escaped, on one line.
pub fn escape(text: &str) -> String {
    printable(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The WebVTT file, ending in a newline.
pub fn render(input: &ExportInput) -> String {
    let guide = &input.session.guide;
    let state = input.session.state();
    let origin = state.offset_origin();
    let mut out = String::from("WEBVTT\n\n");
    let from = if state.recording_started_at.is_some() {
        "the recording mark"
    } else {
        "the start of the session"
    };
    // A comment block may not hold "-->": the label and title lose their '>'.
    let _ = writeln!(
        out,
        "NOTE\ntopicguide session {}: {} ({}). Times count from {from}.\n",
        input.id,
        printable(&state.meta.label).replace('>', ")"),
        printable(&guide.title).replace('>', ")"),
    );
    let mut cues: Vec<(i64, &crate::model::session::Note)> = state
        .notes
        .iter()
        .filter_map(|n| micros_since(origin, n.at).map(|at| (at, n)))
        .collect();
    cues.sort_by_key(|(at, _)| *at);
    for (at, note) in cues {
        let voice = note
            .speaker
            .as_deref()
            .map(|s| format!("<v {}>", escape(s)))
            .unwrap_or_default();
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{}\n{} --> {}\n{voice}{}\n",
            escape(&note.id),
            timestamp(at),
            timestamp(at + CUE_SECONDS * 1_000_000),
            escape(&note.text)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_escapes() {
        assert_eq!(timestamp(0), "00:00:00.000");
        assert_eq!(timestamp(3_723_456_000), "01:02:03.456");
        assert_eq!(escape("a < b & c\nd"), "a &lt; b &amp; c d");
    }
}
