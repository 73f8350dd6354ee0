//! What `list` and the home screen show of a session, taken from its folded state: small enough
//! to keep in a cache beside the full session it is derived from.

use super::guide::{SessionKind, SessionMode};
use super::session::Session;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One session as a line of `list` tells it (all but whether it is live, which only the
/// journal's writer lock can tell, at the moment of asking).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub label: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub covered: usize,
    pub total: usize,
    pub notes: usize,
    pub guide_title: String,
    pub kind: SessionKind,
    pub mode: SessionMode,
    pub site: Option<String>,
    /// Records written by a newer topicguide, kept but not read: (seq, kind).
    pub newer_records: Vec<(u64, String)>,
}

impl SessionSummary {
    pub fn of(session: &Session) -> Self {
        let state = session.state();
        SessionSummary {
            label: state.meta.label.clone(),
            started_at: state.started_at,
            ended_at: state.ended_at,
            covered: state.covered_count(),
            total: session.guide.themes.len(),
            notes: state.notes.len(),
            guide_title: session.guide.title.clone(),
            kind: state.meta.kind,
            mode: state.mode,
            site: state.meta.site.clone(),
            newer_records: state.newer_records.clone(),
        }
    }

    pub fn is_ended(&self) -> bool {
        self.ended_at.is_some()
    }
}
