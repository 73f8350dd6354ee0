//! `topicguide export SESSION --format F [-o FILE]`.

use super::args::ExportFormat;
use super::output::write_output;
use crate::app::clock::now;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::export_input;
use crate::export::{ExportError, audacity, csv, html, json, markdown, qdpx, vtt};
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
    format: ExportFormat,
    output: Option<&Path>,
) -> Result<(), AppError> {
    if format == ExportFormat::Qdpx && output.is_none() {
        return Err(AppError::User(
            "--format qdpx writes a zip file: name it with -o FILE.qdpx".into(),
        ));
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
    let bytes = match format {
        ExportFormat::Json => json::render(&input).into_bytes(),
        ExportFormat::Md => markdown::render(&input).into_bytes(),
        ExportFormat::Csv => csv::render(&input)?.into_bytes(),
        ExportFormat::Html => html::render(&input).into_bytes(),
        ExportFormat::Audacity => audacity::render(&input).into_bytes(),
        ExportFormat::Vtt => vtt::render(&input).into_bytes(),
        ExportFormat::Qdpx => qdpx::render(&input)?,
    };
    write_output(output, &bytes, ctx.data_dir().ok())
}
