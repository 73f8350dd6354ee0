//! Exports of one session, one module per format.

pub mod agreement;
pub mod audacity;
pub mod csv;
pub mod eaf;
pub mod html;
pub mod json;
pub mod markdown;
pub mod matrix;
pub mod qdc;
pub mod qdpx;
pub mod qdpx_transcript;
pub mod qdpx_variables;
pub mod refi;
pub mod refi_codes;
pub mod registry;
pub mod report;
pub mod safe_text;
pub mod study_html;
pub mod taguette;
pub mod transcript_check;
pub mod vtt;
pub mod workbook;

use crate::model::session::{Session, SessionState};
use crate::model::timefmt::hms;
use crate::model::transcript::TranscriptAttachment;
use crate::model::vocabulary::SessionLiveness;
use chrono::{DateTime, Utc};

/// What every exporter reads: one session and the moment its clock stands at.
pub struct ExportInput<'a> {
    pub id: &'a str,
    pub session: &'a Session,
    pub liveness: SessionLiveness,
    /// The end for an ended session, the last record for an interrupted one, now for a live one.
    pub as_of: DateTime<Utc>,
    /// The session's transcript, read from its folder, when one is attached.
    pub transcript: Option<&'a TranscriptAttachment>,
    /// The recording, when the export was given it (`--audio`).
    pub audio: Option<&'a AudioFile>,
}

/// A recording named with `--audio`: its file name, where it is, and its bytes when the
/// export carries it (qdpx; eaf only links to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioFile {
    pub name: String,
    /// `file:///...` of its absolute path.
    pub url: String,
    pub bytes: Vec<u8>,
}

impl<'a> ExportInput<'a> {
    /// The input for a session as it stands, with `now` for a live session's clock.
    pub fn new(
        id: &'a str,
        session: &'a Session,
        liveness: SessionLiveness,
        now: DateTime<Utc>,
    ) -> Self {
        let state = session.state();
        let as_of = match liveness {
            SessionLiveness::Ended => state.clock_at(now),
            SessionLiveness::Interrupted => state.last_record_at,
            SessionLiveness::Live => now,
        };
        ExportInput {
            id,
            session,
            liveness,
            as_of,
            transcript: None,
            audio: None,
        }
    }
}

/// Why an export could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing into the in-memory document failed (an encoder or archive error).
    #[error("cannot write the {format} export: {message}")]
    Write {
        format: &'static str,
        message: String,
    },
}

impl ExportError {
    /// A write failure of `format`, from any error.
    pub fn write(format: &'static str, e: impl std::fmt::Display) -> Self {
        ExportError::Write {
            format,
            message: e.to_string(),
        }
    }
}

/// Each participant as the reports list them: `P5 (arrived 00:12:00)`, `P2 (left 00:40:00)`.
pub fn participant_summaries(state: &SessionState) -> Vec<String> {
    state
        .participants
        .iter()
        .map(|p| {
            let mut s = p.name.clone();
            // The seating plan: seat, descriptor and the participant's own consent.
            let mut plan: Vec<String> = Vec::new();
            if let Some(seat) = &p.seat {
                plan.push(format!("seat {seat}"));
            }
            if let Some(descriptor) = &p.descriptor {
                plan.push(descriptor.clone());
            }
            match p.consent {
                Some(true) => plan.push("consented to recording".into()),
                Some(false) => plan.push("did not consent to recording".into()),
                None => {}
            }
            if !plan.is_empty() {
                s.push_str(&format!(" [{}]", plan.join("; ")));
            }
            if let Some(at) = p.arrived_at {
                s.push_str(&format!(" (arrived {})", hms(state.offset_seconds(at))));
            }
            if let Some(at) = p.left_at {
                s.push_str(&format!(" (left {})", hms(state.offset_seconds(at))));
            }
            s
        })
        .collect()
}

/// A time span as whole microseconds, never negative.
fn micros(d: chrono::Duration) -> i64 {
    d.num_microseconds().unwrap_or(i64::MAX).max(0)
}

/// Microseconds from `origin` to `at`, or None when `at` comes before `origin`.
pub fn micros_since(origin: DateTime<Utc>, at: DateTime<Utc>) -> Option<i64> {
    (at >= origin).then(|| micros(at - origin))
}
