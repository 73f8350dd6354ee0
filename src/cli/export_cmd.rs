//! `topicguide export SESSION --format F [-o FILE]`.

use super::output::write_output;
use crate::app::clock::now;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::export_input;
use crate::export::ExportError;
use crate::export::registry::{Format, SessionRender};
use crate::storage::session_store::{load_session, resolve_session};
use std::path::Path;

impl From<ExportError> for AppError {
    fn from(e: ExportError) -> Self {
        AppError::Unexpected(e.to_string())
    }
}

pub fn run(
    ctx: &Context,
    session: &str,
    format: &Format<SessionRender>,
    output: Option<&Path>,
) -> Result<(), AppError> {
    if let Some(problem) = format.needs_output(output.is_some()) {
        return Err(AppError::User(problem));
    }
    let dir = resolve_session(ctx.data_dir()?, session)?;
    let loaded = load_session(&dir)?;
    if let Some(tail) = &loaded.torn_tail {
        eprintln!(
            "warning: {}: the journal's last line is torn ({} bytes, never shown as saved) and was left out",
            loaded.id,
            tail.bytes.len()
        );
    }
    let input = export_input(&loaded, now());
    let bytes = (format.render)(&input)?;
    write_output(output, &bytes, ctx.data_dir().ok())
}
