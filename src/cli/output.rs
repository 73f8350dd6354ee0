//! Writing a command's product to stdout or to a file named with `-o`.

use crate::app::error::AppError;
use crate::storage::fs_secure::FILE_MODE;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Writes `bytes` to the file (whole, through a temporary file renamed over it) or to stdout.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), AppError> {
    let Some(path) = path else {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(bytes)
            .and_then(|()| stdout.flush())
            .map_err(AppError::output);
    };
    let fail = |e: std::io::Error| AppError::User(format!("{}: {e}", path.display()));
    let file_name = path
        .file_name()
        .ok_or_else(|| AppError::User(format!("{}: not a file name", path.display())))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(file_name);
    temp_name.push(".tmp");
    let temp = path.with_file_name(temp_name);
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(&temp)
        .map_err(fail)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            fail(e)
        })
}
