//! `topicguide import PATH...`: one summary line per session brought in, then the totals.

use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::import::{ImportReport, Imported, import};
use crate::storage::import::Placed;
use std::io::Write;
use std::path::PathBuf;

/// `topicguide import PATH... [--identity FILE]...`.
pub fn run(
    ctx: &Context,
    paths: &[PathBuf],
    identity_files: &[PathBuf],
    out: &mut impl Write,
) -> Result<(), AppError> {
    let data_dir = ctx.data_dir()?;
    let report = import(data_dir, paths, identity_files, |imported| {
        writeln!(out, "{}", summary(imported)).map_err(AppError::output)
    })?;
    writeln!(out, "{}", totals(&report)).map_err(AppError::output)?;
    out.flush().map_err(AppError::output)?;
    if report.refused.is_empty() {
        return Ok(());
    }
    for reason in &report.refused {
        crate::text::terminal::eprint_line(&format!("topicguide: not imported: {reason}"));
    }
    Err(AppError::User(format!(
        "{} of the sources could not be imported (see above)",
        report.refused.len()
    )))
}

/// `WORD  ID  about (detail)`.
fn summary(imported: &Imported) -> String {
    let (word, id, detail) = match &imported.placed {
        Placed::Added { id } => ("added", id, String::new()),
        Placed::AlreadyHere { id } => ("already here", id, " (same content, skipped)".to_string()),
        Placed::Grew { id, new_bytes } => (
            "updated",
            id,
            format!(" (recorded further since: {new_bytes} bytes of new records added)"),
        ),
        Placed::HereHasMore { id } => (
            "already here",
            id,
            " (the copy here is more recent; skipped)".to_string(),
        ),
        Placed::KeptBeside { incoming, id } => (
            "kept beside",
            id,
            format!(" (differs from {incoming} here: both kept, decide which to keep)"),
        ),
    };
    format!("{word:<12}  {id}  {}{detail}", imported.about)
}

/// `N sessions: A added, B already here, ...`.
fn totals(report: &ImportReport) -> String {
    let count = |f: fn(&Placed) -> bool| report.imported.iter().filter(|i| f(&i.placed)).count();
    let added = count(|p| matches!(p, Placed::Added { .. }));
    let mut parts = vec![format!("{added} added")];
    for (n, what) in [
        (
            count(|p| matches!(p, Placed::AlreadyHere { .. })),
            "already here",
        ),
        (
            count(|p| matches!(p, Placed::Grew { .. })),
            "brought up to date",
        ),
        (
            count(|p| matches!(p, Placed::HereHasMore { .. })),
            "more recent here",
        ),
        (
            count(|p| matches!(p, Placed::KeptBeside { .. })),
            "kept beside a different session of the same id (decide which to keep)",
        ),
        (report.refused.len(), "could not be imported"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let total = report.imported.len();
    format!(
        "{total} session{}: {}",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    )
}
