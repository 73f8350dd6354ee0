//! `topicguide export SESSION --format F [-o FILE]`.

use super::args::ExportFormat;
use super::context::Context;
use super::error::CliError;
use super::output::write_output;
use super::terminal_text::eprint_line;
use crate::export::safe_text::{json_without_separators, without_separators};
use crate::export::{ExportError, ExportInput, audacity, csv, html, json, markdown, qdpx, vtt};
use crate::storage::journal::JournalError;
use crate::storage::session_store::{StoreError, load_session, resolve_session, salvage_session};
use chrono::Utc;
use std::path::Path;

impl From<ExportError> for CliError {
    fn from(e: ExportError) -> Self {
        CliError::Unexpected(e.to_string())
    }
}

pub fn run(
    ctx: &Context,
    session: &str,
    format: ExportFormat,
    output: Option<&Path>,
) -> Result<(), CliError> {
    if format == ExportFormat::Qdpx && output.is_none() {
        return Err(CliError::User(
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
    for notice in super::notices::for_session(&loaded) {
        eprint_line(&notice);
    }
    let input = ExportInput::new(&loaded, Utc::now());
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
