//! `topicguide export SESSION --format F [-o FILE]`.

use super::args::ExportFormat;
use super::context::Context;
use super::error::CliError;
use super::output::write_output;
use crate::export::{ExportInput, json, markdown};
use crate::storage::session_store::{load_session, resolve_session};
use chrono::Utc;
use std::path::Path;

pub fn run(
    ctx: &Context,
    session: &str,
    format: ExportFormat,
    output: Option<&Path>,
) -> Result<(), CliError> {
    let dir = resolve_session(&ctx.data_dir, session)?;
    let loaded = load_session(&dir)?;
    if let Some(tail) = &loaded.torn_tail {
        eprintln!(
            "warning: {}: the journal's last line is torn ({} bytes, never shown as saved) and was left out",
            loaded.id,
            tail.bytes.len()
        );
    }
    let input = ExportInput::new(&loaded, Utc::now());
    let text = match format {
        ExportFormat::Json => json::render(&input),
        ExportFormat::Md => markdown::render(&input),
    };
    write_output(output, text.as_bytes())
}
