//! Importing sessions recorded elsewhere: what each path given holds (a session folder, a data
//! folder, a bundle), each session read (never changing the source) and placed in this data
//! folder. The command line prints what came of it.

use super::bundle::unpack;
use super::error::AppError;
use crate::storage::import::{ImportError, Importer, Placed, started_meta};
use crate::storage::journal::JOURNAL_FILE;
use crate::storage::paths::SESSIONS_DIR;
use crate::storage::sealed::read_identity_file;
use crate::storage::session_files::{SessionFiles, read_session_folder};
use crate::text::clean_single_line;
use std::fs;
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

/// One session brought in: what was done, and its label, site and note-taker in a few words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub placed: Placed,
    pub about: String,
}

/// What an import did: a line per session, and the sources that could not be brought in.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: Vec<Imported>,
    pub refused: Vec<String>,
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

/// Brings every session `paths` hold into `data_dir`, opening sealed bundles with the identities
/// in `identity_files`; `each` is called for each session once it is on disk (a batch at a
/// time, so a long import shows its progress). The sources are only read.
pub fn import(
    data_dir: &Path,
    paths: &[PathBuf],
    identity_files: &[PathBuf],
    mut each: impl FnMut(&Imported) -> Result<(), AppError>,
) -> Result<ImportReport, AppError> {
    let mut identities = Vec::new();
    for file in identity_files {
        identities.extend(read_identity_file(file).map_err(|e| AppError::User(e.to_string()))?);
    }
    let mut report = ImportReport::default();
    let mut importer = Importer::new(data_dir);
    let mut settle = |report: &mut ImportReport,
                      outcomes: Vec<(String, Result<Placed, ImportError>)>|
     -> Result<(), AppError> {
        for (about, outcome) in outcomes {
            match outcome {
                Ok(placed) => {
                    let imported = Imported { placed, about };
                    each(&imported)?;
                    report.imported.push(imported);
                }
                Err(e) => report.refused.push(clean_single_line(&e.to_string())),
            }
        }
        Ok(())
    };
    for path in paths {
        let found = match sources(path) {
            Ok(found) => found,
            Err(reason) => {
                report.refused.push(reason);
                continue;
            }
        };
        for source in found {
            match read_source(&source, &identities) {
                Ok(files) => {
                    let about = describe(&files);
                    settle(&mut report, importer.place(&files, about))?;
                }
                Err(reason) => report.refused.push(clean_single_line(&reason)),
            }
        }
    }
    settle(&mut report, importer.finish())?;
    Ok(report)
}
