//! Exports of one session, one module per format.

pub mod json;
pub mod markdown;

use crate::model::session::Session;
use crate::storage::session_store::{LoadedSession, SessionLiveness};
use chrono::{DateTime, Utc};

/// What every exporter reads: one session and the moment its clock stands at.
pub struct ExportInput<'a> {
    pub id: &'a str,
    pub session: &'a Session,
    pub liveness: SessionLiveness,
    /// The end for an ended session, the last record for an interrupted one, now for a live one.
    pub as_of: DateTime<Utc>,
}

impl<'a> ExportInput<'a> {
    /// The input for a session read from disk, with `now` for a live session's clock.
    pub fn new(loaded: &'a LoadedSession, now: DateTime<Utc>) -> Self {
        let state = loaded.session.state();
        let as_of = match loaded.liveness {
            SessionLiveness::Ended => state.clock_at(now),
            SessionLiveness::Interrupted => state.last_record_at,
            SessionLiveness::Live => now,
        };
        ExportInput {
            id: &loaded.id,
            session: &loaded.session,
            liveness: loaded.liveness,
            as_of,
        }
    }
}
