//! The draft file beside the journal (`note-line.json`, 0600): the note line as it stands, written
//! on a thread of its own so that a keystroke never waits for the disk. Replaced whole through a
//! temporary file and a rename, so a reader sees the old text or the new, never half of one.

use super::fs_secure::write_private_file;
use crate::model::pending::PendingNote;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;

/// The draft file's name in a session folder.
pub const FILE_NAME: &str = "note-line.json";
const TEMP_NAME: &str = "note-line.json.tmp";

/// Where a session's draft file is.
pub fn path(session_dir: &Path) -> PathBuf {
    session_dir.join(FILE_NAME)
}

/// The note line kept in a session folder, if there is one and it reads.
pub fn read(session_dir: &Path) -> Option<PendingNote> {
    let text = fs::read_to_string(path(session_dir)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the note line (or, for None, removes the file), now, on the caller's thread.
pub fn write_now(session_dir: &Path, pending: Option<&PendingNote>) -> io::Result<()> {
    let target = path(session_dir);
    match pending {
        None => match fs::remove_file(&target) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
        Some(note) => {
            let temp = session_dir.join(TEMP_NAME);
            match fs::remove_file(&temp) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            let bytes = serde_json::to_vec(note).map_err(io::Error::other)?;
            write_private_file(&temp, &bytes)?;
            fs::rename(&temp, &target)
        }
    }
}

/// Writes the note line off the key path: [`PendingNoteWriter::submit`] only hands the text to
/// a thread, which writes the newest of what it was given.
pub struct PendingNoteWriter {
    sender: Option<Sender<Option<PendingNote>>>,
    thread: Option<JoinHandle<()>>,
}

impl PendingNoteWriter {
    /// A writer for the draft file of the session in `session_dir`.
    pub fn spawn(session_dir: &Path) -> PendingNoteWriter {
        let (sender, receiver) = mpsc::channel::<Option<PendingNote>>();
        let dir = session_dir.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("draft-file".into())
            .spawn(move || {
                while let Ok(mut newest) = receiver.recv() {
                    // Only the latest state matters: skip what typing has already replaced.
                    while let Ok(next) = receiver.try_recv() {
                        newest = next;
                    }
                    // A failed write leaves the previous file: the journal still has every
                    // saved note, and the next change tries again.
                    let _ = write_now(&dir, newest.as_ref());
                }
            })
            .ok();
        PendingNoteWriter {
            sender: thread.as_ref().map(|_| sender),
            thread,
        }
    }

    /// Hands the note line to the writing thread; returns at once.
    pub fn submit(&self, pending: Option<PendingNote>) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(pending);
        }
    }

    /// Waits until everything handed over is written.
    pub fn finish(&mut self) {
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for PendingNoteWriter {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_note_line_goes_to_disk_owner_only_and_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let note = PendingNote {
            text: "@P4 café 😀".into(),
            noted_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            theme: Some("health".into()),
            editing: None,
            draft_id: None,
        };
        let mut writer = PendingNoteWriter::spawn(dir.path());
        writer.submit(Some(note.clone()));
        writer.finish();
        assert_eq!(read(dir.path()), Some(note));
        let mode = fs::metadata(path(dir.path())).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        write_now(dir.path(), None).unwrap();
        assert_eq!(read(dir.path()), None);
        write_now(dir.path(), None).unwrap();
    }
}
