//! `topicguide export SESSION --format F [-o FILE]`.

use super::args::ExportFormat;
use super::output::write_output;
use crate::app::clock::now;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::export_input;
use crate::export::safe_text::{json_without_separators, without_separators};
use crate::export::{ExportError, audacity, csv, html, json, markdown, qdpx, vtt};
use crate::storage::journal::JournalError;
use crate::storage::session_store::{StoreError, load_session, resolve_session, salvage_session};
use crate::text::terminal::eprint_line;
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
    let loaded = match load_session(&dir) {
        Ok(loaded) => loaded,
        // A damaged journal: its intact records are still worth having, said so.
        Err(StoreError::Journal(JournalError::Damaged { path, line, reason })) => {
            let salvaged = salvage_session(&dir)?;
            let left_out: Vec<String> = salvaged
                .left_out
                .iter()
                .map(|l| format!("line {} ({})", l.line, l.reason))
                .collect();
            eprint_line(&format!(
                "warning: {}:{line}: the journal is damaged ({reason}); exported the {} intact records, left out: {}",
                path.display(),
                salvaged.loaded.session.records().len(),
                left_out.join(", ")
            ));
            salvaged.loaded
        }
        Err(e) => return Err(e.into()),
    };
    for notice in crate::app::notices::for_session(&loaded) {
        eprint_line(&notice);
    }
    let input = export_input(&loaded, now());
    // Text formats pass through one last safety step: no line or paragraph separator.
    let text = |doc: String| without_separators(&doc).into_owned().into_bytes();
    let bytes = match format {
        ExportFormat::Json => json_without_separators(&json::render(&input))
            .into_owned()
            .into_bytes(),
        ExportFormat::Md => text(markdown::render(&input)),
        ExportFormat::Csv => text(csv::render(&input)?),
        ExportFormat::Html => text(html::render(&input)),
        ExportFormat::Audacity => text(audacity::render(&input)),
        ExportFormat::Vtt => text(vtt::render(&input)),
        ExportFormat::Qdpx => qdpx::render(&input)?,
    };
    write_output(output, &bytes, ctx.data_dir().ok())
}
