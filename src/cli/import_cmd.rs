//! `topicguide import PATH...`: sessions recorded by other note-takers brought into this data
//! folder, one summary line per session; the sources are only read.

use super::bundle_cmd::unpack;
use super::context::Context;
use super::error::CliError;
use crate::storage::import::{Placed, place_session, started_meta};
use crate::storage::journal::JOURNAL_FILE;
use crate::storage::paths::SESSIONS_DIR;
use crate::storage::sealed::read_identity_file;
use crate::storage::session_files::{SessionFiles, read_session_folder};
use crate::ui::text::clean_single_line;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The largest file taken as a bundle: a session is far smaller.
const MAX_BUNDLE_BYTES: u64 = 2 << 30;

/// Where one session comes from.
enum Source {
    Folder(PathBuf),
    Bundle(PathBuf),
}

impl Source {
    fn path(&self) -> &Path {
        match self {
            Source::Folder(p) | Source::Bundle(p) => p,
        }
    }
}

/// A path as the terminal may show it.
fn shown(path: &Path) -> String {
    clean_single_line(&path.display().to_string())
}

fn is_session_folder(dir: &Path) -> bool {
    dir.join(JOURNAL_FILE)
        .symlink_metadata()
        .is_ok_and(|m| m.is_file())
}

/// The session folders directly inside `dir` (not through symbolic links), sorted.
fn session_folders_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| is_session_folder(p))
        .collect();
    found.sort();
    found
}

/// What `path` holds: one session folder, the sessions of a data folder (or of its `sessions`
/// folder), or a bundle file.
fn sources(path: &Path) -> Result<Vec<Source>, String> {
    let meta = fs::symlink_metadata(path).map_err(|e| format!("{}: {e}", shown(path)))?;
    // A symbolic link given by name is the user's own choice: follow that one.
    let meta = if meta.file_type().is_symlink() {
        fs::metadata(path).map_err(|e| format!("{}: {e}", shown(path)))?
    } else {
        meta
    };
    if meta.is_file() {
        return Ok(vec![Source::Bundle(path.to_path_buf())]);
    }
    if is_session_folder(path) {
        return Ok(vec![Source::Folder(path.to_path_buf())]);
    }
    let sessions = path.join(SESSIONS_DIR);
    let folders = if sessions.is_dir() {
        session_folders_in(&sessions)
    } else {
        session_folders_in(path)
    };
    if folders.is_empty() {
        return Err(format!(
            "{}: no sessions in it (not a session folder, a data folder or a bundle)",
            shown(path)
        ));
    }
    Ok(folders.into_iter().map(Source::Folder).collect())
}

fn read_source(
    source: &Source,
    identities: &[Box<dyn age::Identity>],
) -> Result<SessionFiles, String> {
    let at = |e: String| format!("{}: {e}", shown(source.path()));
    match source {
        Source::Folder(dir) => read_session_folder(dir).map_err(|e| e.to_string()),
        Source::Bundle(file) => {
            let size = fs::metadata(file).map_err(|e| at(e.to_string()))?.len();
            if size > MAX_BUNDLE_BYTES {
                return Err(at("too large to be a bundle".into()));
            }
            let bytes = fs::read(file).map_err(|e| at(e.to_string()))?;
            unpack(&bytes, identities).map_err(at)
        }
    }
}

/// How many sessions ended each way, for the closing line.
#[derive(Default)]
struct Tally {
    added: usize,
    already: usize,
    grew: usize,
    here_has_more: usize,
    kept_beside: usize,
    refused: usize,
}

impl Tally {
    fn line(&self) -> String {
        let total = self.added + self.already + self.grew + self.here_has_more + self.kept_beside;
        let mut parts = vec![format!("{} added", self.added)];
        for (n, what) in [
            (self.already, "already here"),
            (self.grew, "brought up to date"),
            (self.here_has_more, "more recent here"),
            (
                self.kept_beside,
                "kept beside a different session of the same id (decide which to keep)",
            ),
            (self.refused, "could not be imported"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        format!(
            "{total} session{}: {}",
            if total == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }
}

/// The words after a session's id: its label, site and note-taker.
fn describe(files: &SessionFiles) -> String {
    let Ok(meta) = started_meta(files) else {
        return String::new();
    };
    let mut parts = vec![clean_single_line(&meta.label)];
    if let Some(site) = &meta.site {
        parts.push(format!("site {}", clean_single_line(site)));
    }
    if let Some(who) = &meta.researcher {
        parts.push(format!("by {}", clean_single_line(who)));
    }
    parts.join(" · ")
}

/// `topicguide import PATH... [--identity FILE]...`.
pub fn run(
    ctx: &Context,
    paths: &[PathBuf],
    identity_files: &[PathBuf],
    out: &mut impl Write,
) -> Result<(), CliError> {
    let data_dir = ctx.data_dir()?;
    let mut identities = Vec::new();
    for file in identity_files {
        identities.extend(read_identity_file(file).map_err(|e| CliError::User(e.to_string()))?);
    }
    let mut tally = Tally::default();
    let mut refused = Vec::new();
    for path in paths {
        let found = match sources(path) {
            Ok(found) => found,
            Err(reason) => {
                refused.push(reason);
                tally.refused += 1;
                continue;
            }
        };
        for source in found {
            let placed = read_source(&source, &identities).and_then(|files| {
                place_session(data_dir, &files)
                    .map(|placed| (placed, describe(&files)))
                    .map_err(|e| e.to_string())
            });
            let line = match placed {
                Ok((placed, about)) => summary(&placed, &about, &mut tally),
                Err(reason) => {
                    refused.push(reason);
                    tally.refused += 1;
                    continue;
                }
            };
            writeln!(out, "{line}").map_err(CliError::output)?;
        }
    }
    writeln!(out, "{}", tally.line()).map_err(CliError::output)?;
    out.flush().map_err(CliError::output)?;
    if refused.is_empty() {
        return Ok(());
    }
    for reason in &refused {
        eprintln!("topicguide: not imported: {}", clean_single_line(reason));
    }
    Err(CliError::User(format!(
        "{} of the sources could not be imported (see above)",
        refused.len()
    )))
}

fn summary(placed: &Placed, about: &str, tally: &mut Tally) -> String {
    let (word, id, detail) = match placed {
        Placed::Added { id } => {
            tally.added += 1;
            ("added", id, String::new())
        }
        Placed::AlreadyHere { id } => {
            tally.already += 1;
            ("already here", id, " (same content, skipped)".to_string())
        }
        Placed::Grew { id, new_bytes } => {
            tally.grew += 1;
            (
                "updated",
                id,
                format!(" (recorded further since: {new_bytes} bytes of new records added)"),
            )
        }
        Placed::HereHasMore { id } => {
            tally.here_has_more += 1;
            (
                "already here",
                id,
                " (the copy here is more recent; skipped)".to_string(),
            )
        }
        Placed::KeptBeside { incoming, id } => {
            tally.kept_beside += 1;
            (
                "kept beside",
                id,
                format!(" (differs from {incoming} here: both kept, decide which to keep)"),
            )
        }
    };
    format!("{word:<12}  {id}  {about}{detail}")
}
