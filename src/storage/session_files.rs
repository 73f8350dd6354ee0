//! A session folder as a set of files in memory: read from anywhere without changing it, and
//! written into a data folder whole (a half-copied session is never seen under its id).

use super::fs_secure::{DIR_MODE, FILE_MODE};
use super::fs_secure::{create_private_dir, create_private_dir_all, make_private, sync_dir};
use super::journal::JOURNAL_FILE;
use super::paths::sessions_dir;
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

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> SessionFilesError + '_ {
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

/// Writes `files` as a new session folder in `data_dir`, under `id` or, when that is taken,
/// the first free `id-2`, `id-3`...: built in a hidden folder and renamed into place, so a crash
/// leaves no half session. Files 0600, folders 0700, all synced. Returns the id used.
pub fn write_new_session(
    data_dir: &Path,
    files: &SessionFiles,
) -> Result<String, SessionFilesError> {
    let sessions = sessions_dir(data_dir);
    create_private_dir_all(&sessions)
        .and_then(|()| make_private(&sessions))
        .map_err(io_error(&sessions))?;
    let staging = (0..)
        .map(|n| sessions.join(format!(".import-{}-{n}", std::process::id())))
        .find(|p| !p.exists())
        .unwrap_or_else(|| sessions.join(".import"));
    create_private_dir(&staging).map_err(io_error(&staging))?;
    let written = write_files(&staging, files).and_then(|()| {
        for n in 1.. {
            let id = if n == 1 {
                files.id.clone()
            } else {
                format!("{}-{n}", files.id)
            };
            let target = sessions.join(&id);
            if target.symlink_metadata().is_ok() {
                continue;
            }
            match fs::rename(&staging, &target) {
                Ok(()) => return Ok(id),
                // Taken between the look and the rename: try the next id.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists
                    ) =>
                {
                    continue;
                }
                Err(e) => return Err(io_error(&target)(e)),
            }
        }
        unreachable!("an endless range always yields a free id")
    });
    match written {
        Ok(id) => {
            sync_dir(&sessions).map_err(io_error(&sessions))?;
            Ok(id)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

fn write_files(dir: &Path, files: &SessionFiles) -> Result<(), SessionFilesError> {
    for (name, bytes) in &files.files {
        if !is_session_file_name(name) {
            return Err(SessionFilesError::BadName(name.clone()));
        }
        let path = dir.join(name);
        make_parents(dir, &path)?;
        write_synced(&path, bytes)?;
    }
    sync_dir(dir).map_err(io_error(dir))
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

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), SessionFilesError> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .map_err(io_error(path))
}

/// Brings the session folder `dir` up to `files`, which hold everything it holds and more: new
/// files are added and the journal, which only grew, is replaced whole (written beside it and
/// renamed over it).
pub fn extend_session(dir: &Path, files: &SessionFiles) -> Result<(), SessionFilesError> {
    for (name, bytes) in &files.files {
        let path = dir.join(name);
        if name == JOURNAL_FILE {
            let temp = dir.join(format!(".{JOURNAL_FILE}.import-{}", std::process::id()));
            let _ = fs::remove_file(&temp);
            write_synced(&temp, bytes)?;
            fs::rename(&temp, &path).map_err(|e| {
                let _ = fs::remove_file(&temp);
                io_error(&path)(e)
            })?;
        } else if path.symlink_metadata().is_err() {
            make_parents(dir, &path)?;
            write_synced(&path, bytes)?;
        }
    }
    sync_dir(dir).map_err(io_error(dir))
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
