//! Writing a command's product to stdout or to a file named with `-o`, safely: never into a
//! session folder, never replacing anything but a regular file, never following a planted link.

use crate::app::error::AppError;
use crate::storage::journal::JOURNAL_FILE;
use crate::storage::paths::sessions_dir;
use crate::text::terminal::TerminalWriter;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Writes `bytes` to stdout, or to `path`: a regular file (or a new one) is written whole
/// through a temporary file with a random name (created O_EXCL, 0600) renamed over it; a
/// character device or a FIFO (`/dev/null`, a pipe to another program) is written through. A
/// path inside a session folder, or under `data_dir`'s sessions, is refused, as is a symbolic
/// link, a folder or a socket.
pub fn write_output(
    path: Option<&Path>,
    bytes: &[u8],
    data_dir: Option<&Path>,
) -> Result<(), AppError> {
    let Some(path) = path else {
        return write_stdout(bytes);
    };
    let shown = path.display();
    let fail = |e: std::io::Error| AppError::User(format!("{shown}: {e}"));
    refuse_session_paths(path, data_dir)?;
    match std::fs::symlink_metadata(path) {
        Ok(meta) => {
            let kind = meta.file_type();
            if kind.is_symlink() {
                return Err(AppError::User(format!(
                    "{shown}: is a symbolic link; -o never replaces one (name the file it points to)"
                )));
            }
            if kind.is_char_device() || kind.is_fifo() {
                return write_through(path, bytes).map_err(fail);
            }
            if !kind.is_file() {
                return Err(AppError::User(format!(
                    "{shown}: is not a regular file; -o writes only files"
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(e)),
    }
    let file_name = path
        .file_name()
        .ok_or_else(|| AppError::User(format!("{shown}: not a file name")))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Random name, O_EXCL and 0600 (tempfile's defaults): nothing planted beside the target can
    // be followed or keep its own mode.
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(file_name);
    prefix.push(".");
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(fail)?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Text goes to stdout through the terminal boundary; bytes that are not text (a zip) only to
/// a pipe or a file, never onto a terminal.
fn write_stdout(bytes: &[u8]) -> Result<(), AppError> {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    if std::str::from_utf8(bytes).is_err() {
        if stdout.is_terminal() {
            return Err(AppError::User(
                "this format is binary: name a file with -o FILE".into(),
            ));
        }
        let mut out = stdout.lock();
        return out
            .write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(AppError::output);
    }
    let mut out = TerminalWriter::new(stdout.lock());
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(AppError::output)
}

/// Writes into an existing device or FIFO as it is. A FIFO with no reader is refused rather
/// than waited on.
fn write_through(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ENXIO) {
                std::io::Error::new(e.kind(), "a FIFO with no reader; start the reader first")
            } else {
                e
            }
        })?;
    clear_nonblocking(&file)?;
    file.write_all(bytes)?;
    file.flush()
}

fn clear_nonblocking(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function's caller owns, with integer arguments.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Refuses `path` when it lies in a session folder (any folder holding a journal, wherever it
/// is) or under the data folder's sessions: an export must never replace a journal or a guide
/// snapshot, nor put files among the sessions.
fn refuse_session_paths(path: &Path, data_dir: Option<&Path>) -> Result<(), AppError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // The folder as the system resolves it (links followed): where the file would really go.
    let Ok(real_parent) = parent.canonicalize() else {
        // A folder that does not exist: the write will fail with its own message.
        return Ok(());
    };
    let refused = |why: String| {
        Err(AppError::User(format!(
            "{}: {why}; -o never writes into a session folder (choose a file elsewhere)",
            path.display()
        )))
    };
    if let Some(data_dir) = data_dir
        && let Ok(sessions) = sessions_dir(data_dir).canonicalize()
        && real_parent.starts_with(&sessions)
    {
        return refused(format!("is in {}", sessions.display()));
    }
    for folder in real_parent.ancestors() {
        if std::fs::symlink_metadata(folder.join(JOURNAL_FILE)).is_ok() {
            return refused(format!("is in the session folder {}", folder.display()));
        }
    }
    Ok(())
}
