//! `topicguide export SESSION --format F [-o FILE]`.

use super::args::SessionFormat;
use super::output::write_output;
use crate::app::clock::now;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::export_input;
use crate::app::study::load_for_export;
use crate::storage::session_store::resolve_session;
use crate::text::terminal::eprint_line;
use std::path::{Path, PathBuf};

/// Who a bundle is encrypted to: keys given on the command line and in a recipients file.
#[derive(Debug, Default)]
pub struct Sealing {
    pub recipients: Vec<String>,
    pub recipients_file: Option<PathBuf>,
}

impl Sealing {
    fn is_wanted(&self) -> bool {
        !self.recipients.is_empty() || self.recipients_file.is_some()
    }

    /// Every key named, the file's lines (less blanks and `#` comments) after the options'.
    fn keys(&self) -> Result<Vec<String>, AppError> {
        let mut keys = self.recipients.clone();
        if let Some(path) = &self.recipients_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| AppError::User(format!("{}: {e}", path.display())))?;
            keys.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string),
            );
            if keys.is_empty() {
                return Err(AppError::User(format!(
                    "{}: no recipients in it",
                    path.display()
                )));
            }
        }
        Ok(keys)
    }
}

pub fn run(
    ctx: &Context,
    session: &str,
    format: SessionFormat,
    output: Option<&Path>,
    sealing: &Sealing,
) -> Result<(), AppError> {
    if let Some(problem) = format.needs_output(output.is_some()) {
        return Err(AppError::User(problem));
    }
    let format = match format {
        SessionFormat::Report(format) => format,
        SessionFormat::Folder(_) => {
            let dir = resolve_session(ctx.data_dir()?, session)?;
            let bytes = crate::app::bundle::bundle_bytes(&dir, &sealing.keys()?)?;
            return write_output(output, &bytes, ctx.data_dir().ok());
        }
    };
    if sealing.is_wanted() {
        return Err(AppError::User(
            "--recipient and --recipients-file encrypt a bundle: use them with --format bundle"
                .into(),
        ));
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
