//! A session folder as a set of files in memory: read from anywhere without changing it, and
//! written into a data folder under hidden names, to be synced and renamed into place whole (a
//! half-copied session is never seen under its id).

use super::fs_secure::{DIR_MODE, FILE_MODE, create_private_dir};
use super::journal::JOURNAL_FILE;
use super::session_store::GUIDE_FILE;
use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// How deep a session folder's own subfolders may go (a transcript's folder, say).
const MAX_DEPTH: usize = 4;
/// The most files one session folder may hold: more is not a session folder.
const MAX_FILES: usize = 10_000;

/// The files of one session: paths relative to its folder, `/`-separated, with their bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFiles {
    /// The session id: the folder's name.
    pub id: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl SessionFiles {
    /// The journal's bytes (every `SessionFiles` read or unpacked has one).
    pub fn journal(&self) -> &[u8] {
        self.files.get(JOURNAL_FILE).map_or(&[], Vec::as_slice)
    }
}

/// Why a folder or a bundle is not a session that can be brought in.
#[derive(Debug, thiserror::Error)]
pub enum SessionFilesError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}: not a session folder (no {JOURNAL_FILE} and {GUIDE_FILE})")]
    NotASession(PathBuf),
    #[error("{0}: more than {MAX_FILES} files: not a session folder")]
    TooManyFiles(PathBuf),
    #[error("'{0}' is not a usable file name in a session")]
    BadName(String),
}

pub fn io_error(path: &Path) -> impl FnOnce(io::Error) -> SessionFilesError + '_ {
    move |source| SessionFilesError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `name` may be a file of a session: plain components, no hidden files (a sync tool's
/// or an editor's temporaries), no way out of the folder.
pub fn is_session_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 400
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && !part.contains(['\\', '\0'])
                && !part.chars().any(char::is_control)
        })
}

/// Reads the session folder `dir`: every regular file in it and its subfolders, never through a
/// symbolic link, never changing anything (no lock, no repair). Hidden files are left out.
pub fn read_session_folder(dir: &Path) -> Result<SessionFiles, SessionFilesError> {
    let id = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| is_session_file_name(n))
        .ok_or_else(|| SessionFilesError::BadName(dir.display().to_string()))?
        .to_string();
    let mut files = BTreeMap::new();
    collect(dir, "", 0, &mut files)?;
    if !files.contains_key(JOURNAL_FILE) || !files.contains_key(GUIDE_FILE) {
        return Err(SessionFilesError::NotASession(dir.to_path_buf()));
    }
    Ok(SessionFiles { id, files })
}

fn collect(
    dir: &Path,
    prefix: &str,
    depth: usize,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), SessionFilesError> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(io_error(dir))?
        .collect::<Result<_, _>>()
        .map_err(io_error(dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if !is_session_file_name(&name) {
            continue;
        }
        let path = entry.path();
        // The entry's own type: a symbolic link is neither a file nor a folder here.
        let kind = entry.file_type().map_err(io_error(&path))?;
        let relative = format!("{prefix}{name}");
        if kind.is_file() {
            if files.len() >= MAX_FILES {
                return Err(SessionFilesError::TooManyFiles(dir.to_path_buf()));
            }
            files.insert(relative, read_no_follow(&path)?);
        } else if kind.is_dir() && depth < MAX_DEPTH {
            collect(&path, &format!("{relative}/"), depth + 1, files)?;
        }
    }
    Ok(())
}

/// A file's bytes, refusing a symbolic link put in its place since the folder was listed.
fn read_no_follow(path: &Path) -> Result<Vec<u8>, SessionFilesError> {
    let mut bytes = Vec::new();
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(io_error(path))?;
    Ok(bytes)
}

/// The files written for a batch of imported sessions and not yet synced.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub bytes: usize,
}

/// Writes `files` into `staging`, a new hidden folder (0700, files 0600), without syncing: the
/// caller syncs the batch, then renames the folder into place, so a crash leaves no half
/// session under an id. On failure nothing is left.
pub fn write_staged_folder(
    staging: &Path,
    files: &SessionFiles,
    written: &mut Written,
) -> Result<(), SessionFilesError> {
    create_private_dir(staging).map_err(io_error(staging))?;
    let result = files.files.iter().try_for_each(|(name, bytes)| {
        if !is_session_file_name(name) {
            return Err(SessionFilesError::BadName(name.clone()));
        }
        let path = staging.join(name);
        make_parents(staging, &path)?;
        write_new_file(&path, bytes, written)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(staging);
    }
    result
}

/// Writes what `files` holds beyond the session folder `dir` (its journal, which only grew, and
/// each file `dir` lacks) beside its place under a hidden name, without syncing. Returns the
/// (hidden, final) pairs to rename once the batch is synced. On failure nothing is left.
pub fn write_additions(
    dir: &Path,
    files: &SessionFiles,
    written: &mut Written,
) -> Result<Vec<(PathBuf, PathBuf)>, SessionFilesError> {
    let mut moves = Vec::new();
    let result = files.files.iter().try_for_each(|(name, bytes)| {
        let path = dir.join(name);
        if name != JOURNAL_FILE && path.symlink_metadata().is_ok() {
            return Ok(());
        }
        if !is_session_file_name(name) {
            return Err(SessionFilesError::BadName(name.clone()));
        }
        make_parents(dir, &path)?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or(name);
        let hidden = path.with_file_name(format!(".{file_name}.import-{}", std::process::id()));
        // Left by an import that stopped midway: never read, safe to replace.
        let _ = fs::remove_file(&hidden);
        write_new_file(&hidden, bytes, written)?;
        moves.push((hidden, path));
        Ok(())
    });
    if result.is_err() {
        for (hidden, _) in &moves {
            let _ = fs::remove_file(hidden);
        }
    }
    result.map(|()| moves)
}

/// The folders between `dir` and the file `path`, owner-only.
fn make_parents(dir: &Path, path: &Path) -> Result<(), SessionFilesError> {
    match path.parent().filter(|p| *p != dir) {
        Some(parent) => fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(parent)
            .map_err(io_error(parent)),
        None => Ok(()),
    }
}

fn write_new_file(
    path: &Path,
    bytes: &[u8],
    written: &mut Written,
) -> Result<(), SessionFilesError> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(io_error(path))?;
    written.files.push(path.to_path_buf());
    written.bytes += bytes.len();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_folder() {
        assert!(is_session_file_name("journal.jsonl"));
        assert!(is_session_file_name("transcript/group-1.vtt"));
        for bad in [
            "",
            "../x",
            "a/../b",
            "/etc/passwd",
            ".hidden",
            "a//b",
            "a\\b",
            "x\u{1b}",
        ] {
            assert!(!is_session_file_name(bad), "{bad:?}");
        }
    }
}
