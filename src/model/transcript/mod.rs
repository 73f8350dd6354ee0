//! Transcripts of a session's recording: the segments read from WebVTT, SRT, Whisper JSON or
//! stamped text, and how they line up with the session's timeline.
//!
//! The parsers are small and strict (see the README's "Transcripts" section for why no
//! subtitle crate is used): every problem is reported with the line it is on, and a file that
//! is not a transcript is refused rather than half read.

pub mod coding;
pub mod coverage;
mod markup;
pub mod speaker;
mod srt;
mod stamped_text;
mod stamps;
mod vtt;
mod whisper;

use serde::{Deserialize, Serialize};
use speaker::SpeakerMapping;

/// The formats a transcript can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TranscriptFormat {
    /// WebVTT, as Zoom, Teams and most transcription services write it.
    Vtt,
    /// SubRip.
    Srt,
    /// Whisper's JSON output: `segments` with `start` and `end` in seconds.
    WhisperJson,
    /// Plain text with `[hh:mm:ss]` or `hh:mm:ss` stamps (oTranscribe, Word-typed).
    StampedText,
}

impl TranscriptFormat {
    /// The name people and the journal use.
    pub fn as_str(self) -> &'static str {
        match self {
            TranscriptFormat::Vtt => "WebVTT",
            TranscriptFormat::Srt => "SRT",
            TranscriptFormat::WhisperJson => "Whisper JSON",
            TranscriptFormat::StampedText => "stamped text",
        }
    }
}

/// One stretch of speech: its times in milliseconds from the start of the recording file, who
/// spoke (as the file labels them) and what was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub start_ms: i64,
    pub end_ms: i64,
    /// The speaker label as the file gives it (`Maria Lopez`, `SPEAKER_01`, `P3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    pub text: String,
    /// The line of the file the segment began on.
    pub line: usize,
}

/// A transcript as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub format: TranscriptFormat,
    pub segments: Vec<Segment>,
}

impl Transcript {
    /// The distinct speaker labels, in the order they first speak.
    pub fn speaker_labels(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for label in self.segments.iter().filter_map(|s| s.speaker.as_deref()) {
            if !out.contains(&label) {
                out.push(label);
            }
        }
        out
    }
}

/// A transcript attached to a session, as its journal records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptRef {
    /// The file in the session folder that holds the segments as read.
    pub file: String,
    /// The name of the file they were read from.
    pub source: String,
    pub format: TranscriptFormat,
    /// Added to every time of the file to give its time from the recording mark.
    #[serde(default)]
    pub offset_ms: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<SpeakerMapping>,
    /// How many segments the file holds.
    pub segments: usize,
    /// CRC-32 of the stored file, eight lower-case hex digits: a changed file is noticed.
    pub crc: String,
}

/// A session's transcript: what the journal says of it and its segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptAttachment {
    pub reference: TranscriptRef,
    pub transcript: Transcript,
}

/// Why a file is not a transcript: the line (1-based) and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        ParseError {
            line,
            message: message.into(),
        }
    }
}

/// The format of a file, from its extension when it names one, else from its first lines.
pub fn detect_format(extension: Option<&str>, text: &str) -> TranscriptFormat {
    match extension.map(str::to_ascii_lowercase).as_deref() {
        Some("vtt") => return TranscriptFormat::Vtt,
        Some("srt") => return TranscriptFormat::Srt,
        Some("json") => return TranscriptFormat::WhisperJson,
        _ => {}
    }
    let body = text.trim_start_matches('\u{feff}');
    let mut lines = body.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    if first.starts_with("WEBVTT") {
        TranscriptFormat::Vtt
    } else if first.starts_with('{') || first.starts_with('[') && !stamps::starts_with_stamp(first)
    {
        TranscriptFormat::WhisperJson
    } else if first.bytes().all(|b| b.is_ascii_digit())
        && lines.next().is_some_and(|l| l.contains("-->"))
    {
        TranscriptFormat::Srt
    } else {
        TranscriptFormat::StampedText
    }
}

/// Reads a transcript of `format`. Segments come out in the file's order, which must be the
/// order of their start times.
pub fn parse(format: TranscriptFormat, text: &str) -> Result<Transcript, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let segments = match format {
        TranscriptFormat::Vtt => vtt::parse(text)?,
        TranscriptFormat::Srt => srt::parse(text)?,
        TranscriptFormat::WhisperJson => whisper::parse(text)?,
        TranscriptFormat::StampedText => stamped_text::parse(text)?,
    };
    check_order(&segments)?;
    if segments.is_empty() {
        return Err(ParseError::new(1, "no timed segments in the file"));
    }
    Ok(Transcript { format, segments })
}

/// Start times never go back, and no segment ends before it starts.
fn check_order(segments: &[Segment]) -> Result<(), ParseError> {
    let mut previous: Option<&Segment> = None;
    for segment in segments {
        if segment.end_ms < segment.start_ms {
            return Err(ParseError::new(
                segment.line,
                format!(
                    "the segment ends ({}) before it starts ({})",
                    stamps::format_ms(segment.end_ms),
                    stamps::format_ms(segment.start_ms)
                ),
            ));
        }
        if let Some(before) = previous
            && segment.start_ms < before.start_ms
        {
            return Err(ParseError::new(
                segment.line,
                format!(
                    "this segment starts at {}, before the one on line {} ({}): segments must be in time order",
                    stamps::format_ms(segment.start_ms),
                    before.line,
                    stamps::format_ms(before.start_ms)
                ),
            ));
        }
        previous = Some(segment);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(detect_format(None, "WEBVTT\n\n"), TranscriptFormat::Vtt);
        assert_eq!(
            detect_format(None, "1\n00:00:01,000 --> 00:00:02,000\nHi\n"),
            TranscriptFormat::Srt
        );
        assert_eq!(
            detect_format(None, "{\"segments\": []}"),
            TranscriptFormat::WhisperJson
        );
        assert_eq!(
            detect_format(None, "[00:00:05] P1: hello"),
            TranscriptFormat::StampedText
        );
        assert_eq!(
            detect_format(Some("SRT"), "anything"),
            TranscriptFormat::Srt
        );
    }

    #[test]
    fn out_of_order_segments_are_refused() {
        let text = "[00:01:00] a\n[00:00:30] b\n";
        let e = parse(TranscriptFormat::StampedText, text).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("time order"), "{e}");
    }
}
