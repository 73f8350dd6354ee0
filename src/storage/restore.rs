//! Restoring a session from its emergency copy: the records the journal lacks are appended, or a
//! journal that is damaged is replaced by the copy (the old one kept beside it).

use super::fs_secure::{FILE_MODE, sync_dir};
use super::journal::{JOURNAL_FILE, JournalError, JournalWriter, encode_line, parse_journal};
use super::session_store::StoreError;
use crate::model::event::Record;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// The journal held the copy's first records: the others were appended.
    Appended { added: usize },
    /// The journal held everything already.
    AlreadyThere,
    /// The journal was damaged: it was kept at `kept_at` and the copy put in its place.
    Replaced { kept_at: PathBuf, records: usize },
}

/// The session id an emergency copy's name gives (`topicguide-emergency-ID-STAMP.jsonl`).
pub fn session_id_of_copy(copy: &Path) -> Option<String> {
    let name = copy.file_name()?.to_str()?;
    let rest = name
        .strip_prefix("topicguide-emergency-")?
        .strip_suffix(".jsonl")?;
    // The stamp is the last part: YYYYMMDDTHHMMSS.
    let (id, stamp) = rest.rsplit_once('-')?;
    (stamp.len() == 15 && !id.is_empty()).then(|| id.to_string())
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Restores the session in `dir` from the emergency copy `copy`. Refuses (changing nothing) when
/// the copy is not a whole journal, when the session is open elsewhere, or when the journal and
/// the copy disagree on a record they both hold.
pub fn restore_from_copy(dir: &Path, copy: &Path) -> Result<Restored, StoreError> {
    let bytes = fs::read(copy).map_err(io_error(copy))?;
    let copied = parse_journal(&bytes).map_err(|d| {
        StoreError::Journal(JournalError::Damaged {
            path: copy.to_path_buf(),
            line: d.line,
            reason: d.reason,
        })
    })?;
    if copied.torn_tail.is_some() || copied.records.is_empty() {
        return Err(StoreError::Refused(format!(
            "{}: not a whole emergency copy (its last line is not a record)",
            copy.display()
        )));
    }
    match JournalWriter::reopen(dir) {
        Ok(mut reopened) => {
            reopened.recover(dir)?;
            let on_disk = std::mem::take(&mut reopened.records);
            if let Some((i, _)) = on_disk
                .iter()
                .zip(&copied.records)
                .enumerate()
                .find(|(_, (a, b))| a != b)
            {
                return Err(StoreError::Refused(format!(
                    "the journal and {} differ at record {}: nothing was changed",
                    copy.display(),
                    i + 1
                )));
            }
            if on_disk.len() > copied.records.len() {
                return Err(StoreError::Refused(format!(
                    "the journal holds more than {}: it is newer than the copy; nothing was changed",
                    copy.display()
                )));
            }
            let missing: &[Record] = &copied.records[on_disk.len()..];
            let path = reopened.writer.path().to_path_buf();
            for record in missing {
                reopened.writer.append(record).map_err(io_error(&path))?;
            }
            Ok(if missing.is_empty() {
                Restored::AlreadyThere
            } else {
                Restored::Appended {
                    added: missing.len(),
                }
            })
        }
        Err(JournalError::Damaged { .. }) => replace_journal(dir, &copied.records),
        Err(e) => Err(e.into()),
    }
}

/// Puts the copy's records in place of a damaged journal, whose bytes are kept beside it.
fn replace_journal(dir: &Path, records: &[Record]) -> Result<Restored, StoreError> {
    let journal = dir.join(JOURNAL_FILE);
    // The damaged journal is still locked by whoever writes it: never replace a live one.
    let current = super::journal::open_journal(&journal, false)?;
    if current.try_lock().is_err() {
        return Err(StoreError::Journal(JournalError::Locked { path: journal }));
    }
    let stamp =
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).format("%Y%m%dT%H%M%S");
    let kept_at = dir.join(format!("{JOURNAL_FILE}.before-restore-{stamp}"));
    let incoming = dir.join(format!("{JOURNAL_FILE}.restoring"));
    let mut text = String::new();
    for record in records {
        text.push_str(&encode_line(record).map_err(|e| StoreError::Internal(e.to_string()))?);
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(&incoming)
        .map_err(io_error(&incoming))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io_error(&incoming))?;
    fs::hard_link(&journal, &kept_at).map_err(io_error(&kept_at))?;
    fs::rename(&incoming, &journal).map_err(io_error(&journal))?;
    sync_dir(dir).map_err(io_error(dir))?;
    Ok(Restored::Replaced {
        kept_at,
        records: records.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::session_id_of_copy;
    use std::path::Path;

    #[test]
    fn the_session_id_comes_from_the_copys_name() {
        let copy =
            Path::new("/tmp/topicguide-emergency-20261123-1405-group-1-20261123T150102.jsonl");
        assert_eq!(
            session_id_of_copy(copy).as_deref(),
            Some("20261123-1405-group-1")
        );
        assert_eq!(session_id_of_copy(Path::new("/tmp/journal.jsonl")), None);
    }
}
