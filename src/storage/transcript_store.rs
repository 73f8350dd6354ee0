//! A session's transcript on disk: its segments as read, in `transcript-<seq>.json` (0600) in
//! the session folder, and the journal record that attaches it. Attaching again writes a new
//! file and a new record; the earlier file stays, so nothing once attached is lost.

use super::fs_secure::{sync_dir, write_private_file};
use super::journal::{JournalError, JournalWriter};
use crate::model::event::{Event, Record};
use crate::model::transcript::speaker::SpeakerMapping;
use crate::model::transcript::{Transcript, TranscriptAttachment, TranscriptRef};
use chrono::{DateTime, Utc};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum TranscriptStoreError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{path}: the stored transcript was changed or damaged (checksum {found}, recorded {recorded})"
    )]
    Damaged {
        path: PathBuf,
        found: String,
        recorded: String,
    },
    #[error("{path}: the stored transcript cannot be read: {message}")]
    Unreadable { path: PathBuf, message: String },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> TranscriptStoreError + '_ {
    move |source| TranscriptStoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What attaching needs besides the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachOptions {
    /// The name of the file the transcript was read from.
    pub source: String,
    pub offset_ms: i64,
    pub speakers: Vec<SpeakerMapping>,
}

/// Stores `transcript` in the session folder `dir` and journals it, taking the journal's lock
/// (so never while the session is open elsewhere). A torn last line is first set aside as
/// resuming would. Returns the record written.
pub fn attach_transcript(
    dir: &Path,
    transcript: &Transcript,
    options: AttachOptions,
    now: DateTime<Utc>,
) -> Result<Record, TranscriptStoreError> {
    let mut reopened = JournalWriter::reopen(dir)?;
    reopened.recover(dir)?;
    let seq = reopened.records.last().map_or(1, |r| r.seq + 1);
    let file = format!("transcript-{seq}.json");
    let path = dir.join(&file);
    let bytes = serde_json::to_vec(transcript).map_err(|e| TranscriptStoreError::Unreadable {
        path: path.clone(),
        message: e.to_string(),
    })?;
    // A file of this name can only be left by an attempt whose record was never written.
    match fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(&path)(e)),
    }
    write_private_file(&path, &bytes).map_err(io_error(&path))?;
    sync_dir(dir).map_err(io_error(dir))?;
    let record = Record {
        seq,
        at: now,
        event: Event::TranscriptAttached(TranscriptRef {
            file,
            source: options.source,
            format: transcript.format,
            offset_ms: options.offset_ms,
            speakers: options.speakers,
            segments: transcript.segments.len(),
            crc: format!("{:08x}", crc32fast::hash(&bytes)),
        }),
    };
    let journal = reopened.writer.path().to_path_buf();
    reopened
        .writer
        .append(&record)
        .map_err(io_error(&journal))?;
    Ok(record)
}

/// Reads the transcript `reference` names from the session folder `dir`, checking it is the
/// file that was attached.
pub fn load_transcript(
    dir: &Path,
    reference: &TranscriptRef,
) -> Result<TranscriptAttachment, TranscriptStoreError> {
    // The name comes from the journal: never let it lead out of the session folder.
    let name = Path::new(&reference.file);
    if name.components().count() != 1 || name.file_name().is_none() {
        return Err(TranscriptStoreError::Unreadable {
            path: dir.join(name),
            message: "not a file name in the session folder".into(),
        });
    }
    let path = dir.join(name);
    let bytes = fs::read(&path).map_err(io_error(&path))?;
    let found = format!("{:08x}", crc32fast::hash(&bytes));
    if found != reference.crc {
        return Err(TranscriptStoreError::Damaged {
            path,
            found,
            recorded: reference.crc.clone(),
        });
    }
    let transcript: Transcript =
        serde_json::from_slice(&bytes).map_err(|e| TranscriptStoreError::Unreadable {
            path: path.clone(),
            message: e.to_string(),
        })?;
    Ok(TranscriptAttachment {
        reference: reference.clone(),
        transcript,
    })
}
