//! `topicguide restore FILE [--session SESSION]`: an emergency copy back into its session.

use crate::app::context::Context;
use crate::app::error::AppError;
use crate::storage::restore::{Restored, restore_from_copy, session_id_of_copy};
use crate::storage::session_store::resolve_session;
use std::io::Write;
use std::path::Path;

pub fn run(
    ctx: &Context,
    copy: &Path,
    session: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), AppError> {
    let id = match session {
        Some(session) => session.to_string(),
        None => session_id_of_copy(copy).ok_or_else(|| {
            AppError::User(format!(
                "{}: not named like an emergency copy (topicguide-emergency-ID-STAMP.jsonl); name the session with --session",
                copy.display()
            ))
        })?,
    };
    let dir = resolve_session(ctx.data_dir()?, &id)?;
    let said = match restore_from_copy(&dir, copy)? {
        Restored::AlreadyThere => {
            format!("{id}: the journal already holds every record of the copy")
        }
        Restored::Appended { added } => format!(
            "{id}: {added} record{} from the copy added to the journal; topicguide resume {id} continues",
            if added == 1 { "" } else { "s" }
        ),
        Restored::Replaced { kept_at, records } => format!(
            "{id}: the damaged journal was kept in {} and replaced by the copy's {records} records",
            kept_at.display()
        ),
    };
    writeln!(out, "{said}").map_err(AppError::output)
}
