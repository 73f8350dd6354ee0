//! Resuming after a long break: how long the program was closed, and counting that break as
//! session time when the note-taker says the room kept going.

use super::error::AppError;
use crate::model::event::{Event, Record};
use crate::model::session::BREAK_ASK_AFTER;
use crate::storage::session_store::OpenSession;
use chrono::Duration;

/// The break the reopening just journaled left out of the session's time, if any: the time
/// from the last record before it to the reopening, when longer than [`BREAK_ASK_AFTER`] and
/// the clock was not paused.
pub fn uncounted_break(open: &OpenSession) -> Option<Duration> {
    let records = open.session.records();
    let [.., before, reopened] = records else {
        return None;
    };
    if !matches!(reopened.event, Event::Reopened) || open.session.state().is_paused() {
        return None;
    }
    let gap = reopened.at - before.at;
    (gap > BREAK_ASK_AFTER).then_some(gap)
}

/// Journals that the room kept going through the break, so it counts.
pub fn count_break(open: &mut OpenSession) -> Result<(), AppError> {
    let record = Record {
        seq: open.session.next_seq(),
        at: open.session.state().last_record_at,
        event: Event::RoomKeptGoing,
    };
    open.writer
        .append(&record)
        .map_err(|e| AppError::Unexpected(format!("{}: {e}", open.writer.path().display())))?;
    open.session.push(record);
    Ok(())
}
