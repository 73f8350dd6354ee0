//! The emergency copy: when the journal cannot be written, the whole session goes elsewhere.

use super::fs_secure::write_private_file;
use super::journal::encode_line;
use crate::model::event::Record;
use crate::model::timefmt::file_stamp;
use chrono::{DateTime, Utc};
use std::io;
use std::path::{Path, PathBuf};

/// Writes every record, as journal lines, to the first folder that takes them: the temporary
/// folder, then the home folder. Returns the file written.
pub fn write_emergency_copy(
    session_id: &str,
    records: &[Record],
    extra_dirs: &[PathBuf],
) -> io::Result<PathBuf> {
    let mut text = String::new();
    for record in records {
        text.push_str(&encode_line(record).map_err(io::Error::other)?);
    }
    let name = format!(
        "topicguide-emergency-{session_id}-{}.jsonl",
        file_stamp(DateTime::<Utc>::from(std::time::SystemTime::now()))
    );
    let mut dirs: Vec<PathBuf> = extra_dirs.to_vec();
    dirs.push(std::env::temp_dir());
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home));
    }
    let mut last_error = io::Error::other("no folder to write to");
    for dir in dirs {
        let path = dir.join(&name);
        match write_private_file(&path, text.as_bytes()) {
            Ok(()) => return Ok(path),
            Err(e) => {
                last_error =
                    io::Error::new(e.kind(), format!("{}: {e}", Path::new(&path).display()))
            }
        }
    }
    Err(last_error)
}
