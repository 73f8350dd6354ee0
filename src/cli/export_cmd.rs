//! `topicguide export SESSION --format F [-o FILE]`.

use super::output::write_output;
use crate::app::clock::now;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::export_input;
use crate::app::study::load_for_export;
use crate::export::registry::{Format, SessionRender};
use crate::storage::session_store::resolve_session;
use crate::text::terminal::eprint_line;
use std::path::Path;

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
    let (loaded, notices) = load_for_export(&dir)?;
    for notice in notices {
        eprint_line(&notice);
    }
    let input = export_input(&loaded, now());
    let bytes = (format.render)(&input)?;
    write_output(output, &bytes, ctx.data_dir().ok())
}
