//! The session journal: one checksummed JSON record per line, appended and synced before an
//! event counts as saved. Reading tells a torn last line (recoverable) from damage in the middle
//! (reported, never repaired).

use super::fs_secure::{FILE_MODE, sync_dir, write_private_file};
use crate::model::event::{Event, Record, known_event_kinds};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// The journal's file name inside a session folder.
pub const JOURNAL_FILE: &str = "journal.jsonl";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}:{line}: damaged journal record ({reason}); the file was left as it is")]
    Damaged {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("{path}: the session is open in another topicguide")]
    Locked { path: PathBuf },
    /// A symbolic link or something other than a file where a journal should be: refused.
    #[error("{path}: {why}")]
    Refused { path: PathBuf, why: String },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Encodes one record as a journal line, newline included. A record written by a newer
/// topicguide is written back exactly as it was read.
pub fn encode_line(record: &Record) -> Result<String, serde_json::Error> {
    let rec = match &record.event {
        Event::Newer { rec, .. } => rec.clone(),
        _ => serde_json::to_string(record)?,
    };
    let crc = crc32fast::hash(rec.as_bytes());
    Ok(format!("{{\"crc\":\"{crc:08x}\",\"rec\":{rec}}}\n"))
}

#[derive(Deserialize)]
struct Line<'a> {
    crc: &'a str,
    #[serde(borrow)]
    rec: &'a RawValue,
}

/// Decodes one line (without its newline): the record, or why it is not one.
pub fn decode_line(line: &[u8]) -> Result<Record, String> {
    if let Some(record) = decode_as_written(line) {
        return Ok(record);
    }
    let text = std::str::from_utf8(line).map_err(|_| "not UTF-8".to_string())?;
    let parsed: Line = serde_json::from_str(text).map_err(|e| format!("not a record: {e}"))?;
    // Exactly as written: eight lowercase hex digits (from_str_radix alone would also take
    // uppercase digits or a sign, so a changed byte there could pass unnoticed).
    if parsed.crc.len() != 8
        || !parsed
            .crc
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err("bad checksum field".to_string());
    }
    let expected =
        u32::from_str_radix(parsed.crc, 16).map_err(|_| "bad checksum field".to_string())?;
    let actual = crc32fast::hash(parsed.rec.get().as_bytes());
    if expected != actual {
        return Err(format!(
            "checksum mismatch: recorded {}, computed {actual:08x}",
            parsed.crc
        ));
    }
    let rec = parsed.rec.get();
    serde_json::from_str(rec).or_else(|e| newer_record(rec).ok_or(format!("unreadable event: {e}")))
}

/// A line exactly as [`encode_line`] writes it, decoded with one pass over the record instead
/// of two (the envelope is not parsed: its bytes are where they are written): reading is most
/// of what `review` and `list` do. None for any other line, even a good one, and for any
/// record that fails: [`decode_line`] then reads it the general way and says what is wrong.
fn decode_as_written(line: &[u8]) -> Option<Record> {
    const CRC_DIGITS: usize = 8;
    const REC_KEY: &[u8] = b"\",\"rec\":";
    let digits = line.get(LINE_START.len()..LINE_START.len() + CRC_DIGITS)?;
    let rec_start = LINE_START.len() + CRC_DIGITS + REC_KEY.len();
    if !line.starts_with(LINE_START)
        || line.get(LINE_START.len() + CRC_DIGITS..rec_start)? != REC_KEY
        || !digits
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
    {
        return None;
    }
    let rec = line.get(rec_start..line.len().checked_sub(1)?)?;
    // A record is an object, so it begins and ends with its braces: no space around it that a
    // parse of the whole line would leave out of the checksummed bytes.
    if line.last() != Some(&b'}') || rec.first() != Some(&b'{') || rec.last() != Some(&b'}') {
        return None;
    }
    let expected = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
    if crc32fast::hash(rec) != expected {
        return None;
    }
    let rec = std::str::from_utf8(rec).ok()?;
    serde_json::from_str(rec).ok().or_else(|| newer_record(rec))
}

/// The parts every record has, whatever its event.
#[derive(Deserialize)]
struct Envelope<'a> {
    seq: u64,
    at: chrono::DateTime<chrono::Utc>,
    #[serde(borrow)]
    event: &'a RawValue,
}

/// A checksummed record whose event this build does not know: written by a newer topicguide.
/// None when the event is of a known kind (then the record is damaged, or the writer had a bug).
fn newer_record(rec: &str) -> Option<Record> {
    let envelope: Envelope = serde_json::from_str(rec).ok()?;
    let kind = match serde_json::from_str::<serde_json::Value>(envelope.event.get()).ok()? {
        serde_json::Value::String(kind) => kind,
        serde_json::Value::Object(map) if map.len() == 1 => map.keys().next()?.clone(),
        _ => return None,
    };
    if known_event_kinds().contains(&kind.as_str()) || kind.is_empty() {
        return None;
    }
    Some(Record {
        seq: envelope.seq,
        at: envelope.at,
        event: Event::Newer {
            kind,
            rec: rec.to_string(),
        },
    })
}

/// The bytes after the last good record when they do not make a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// Where the torn bytes begin: the journal's good length.
    pub offset: u64,
    pub bytes: Vec<u8>,
    pub reason: String,
    pub kind: TailKind,
}

/// What a bad last line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TailKind {
    /// A write cut short (a crash mid-write): part of a line, never synced, so never shown as
    /// saved.
    Torn,
    /// A whole line (ended by its newline, or whole JSON) whose checksum or record is wrong:
    /// damage on disk after it was written, so it may well have been shown as saved.
    Damaged,
}

impl TornTail {
    /// One phrase for messages: what the bytes are and what that means for the note-taker.
    pub fn describe(&self) -> String {
        match self.kind {
            TailKind::Torn => format!(
                "a torn last line ({} bytes, a write cut short and never shown as saved)",
                self.bytes.len()
            ),
            TailKind::Damaged => format!(
                "a damaged last line ({} bytes, {}: it was written whole and may have been shown as saved)",
                self.bytes.len(),
                self.reason
            ),
        }
    }
}

/// What a journal holds.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalContents {
    pub records: Vec<Record>,
    pub torn_tail: Option<TornTail>,
    /// The last record is whole but its newline was never written.
    pub missing_final_newline: bool,
}

/// A damaged record before the last line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

/// How every journal line begins (see [`encode_line`]); a record's own JSON never holds it.
const LINE_START: &[u8] = b"{\"crc\":\"";

/// Whether a line holds the start of a second record. A torn write leaves part of one line; a
/// last line with two records in it lost the line break between them: that is damage.
fn holds_another_record(line: &[u8]) -> bool {
    line.get(1..)
        .is_some_and(|rest| rest.windows(LINE_START.len()).any(|w| w == LINE_START))
}

/// Reads journal bytes. A bad last line is a torn tail; a bad line before it is damage, and so
/// is a last line holding more than one record (a damaged line break, not a torn write).
pub fn parse_journal(bytes: &[u8]) -> Result<JournalContents, Damage> {
    let mut records: Vec<Record> = Vec::new();
    let mut offset = 0usize;
    let mut line_no = 0usize;
    while offset < bytes.len() {
        line_no += 1;
        let rest = &bytes[offset..];
        let (line, terminated) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], true),
            None => (rest, false),
        };
        let next = offset + line.len() + usize::from(terminated);
        let is_last = next >= bytes.len();
        let expected_seq = records.last().map_or(1, |r| r.seq + 1);
        let outcome = decode_line(line).and_then(|r| {
            if r.seq == expected_seq {
                Ok(r)
            } else {
                Err(format!(
                    "sequence number {} where {expected_seq} was due",
                    r.seq
                ))
            }
        });
        match outcome {
            Ok(record) => {
                records.push(record);
                if !terminated {
                    return Ok(JournalContents {
                        records,
                        torn_tail: None,
                        missing_final_newline: true,
                    });
                }
            }
            Err(reason) if is_last && !holds_another_record(line) => {
                // A cut-short write leaves a prefix of a line: no newline, not whole JSON.
                let whole = terminated || serde_json::from_slice::<Line>(line).is_ok();
                return Ok(JournalContents {
                    records,
                    torn_tail: Some(TornTail {
                        offset: offset as u64,
                        bytes: rest.to_vec(),
                        reason,
                        kind: if whole {
                            TailKind::Damaged
                        } else {
                            TailKind::Torn
                        },
                    }),
                    missing_final_newline: false,
                });
            }
            Err(reason) => {
                let reason = if is_last {
                    format!("{reason}; two records run together: a damaged line break")
                } else {
                    reason
                };
                return Err(Damage {
                    line: line_no,
                    reason,
                });
            }
        }
        offset = next;
    }
    Ok(JournalContents {
        records,
        torn_tail: None,
        missing_final_newline: false,
    })
}

/// Opens a journal to read it, never through a symbolic link: a journal.jsonl planted as a link
/// must not make topicguide read (or, for the writer, append to) a file outside the session.
pub fn open_journal(path: &Path, append: bool) -> Result<File, JournalError> {
    let refused = |why: &str| JournalError::Refused {
        path: path.to_path_buf(),
        why: why.to_string(),
    };
    let file = OpenOptions::new()
        .read(true)
        .append(append)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                refused("is a symbolic link; topicguide never follows a journal through one")
            } else {
                io_error(path)(e)
            }
        })?;
    // O_NONBLOCK only so that a FIFO planted as a journal cannot hang the open; a journal must
    // be a regular file.
    if !file.metadata().map_err(io_error(path))?.is_file() {
        return Err(refused("is not a regular file"));
    }
    Ok(file)
}

/// A line salvage left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

/// What can be read of a damaged journal: every whole, checksummed record in order, and the
/// lines left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Salvaged {
    pub records: Vec<Record>,
    pub left_out: Vec<LeftOut>,
}

/// Reads every line that is a good record, skipping the ones that are not (damaged, or out of
/// sequence), for a damaged journal whose intact records are still wanted. Never used to write.
pub fn salvage_journal(bytes: &[u8]) -> Salvaged {
    let mut records: Vec<Record> = Vec::new();
    let mut left_out = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_empty() && i > 0 {
            continue;
        }
        let last_seq = records.last().map_or(0, |r| r.seq);
        match decode_line(line) {
            Ok(record) if record.seq > last_seq => records.push(record),
            Ok(record) => left_out.push(LeftOut {
                line: i + 1,
                reason: format!("sequence number {} after {last_seq}", record.seq),
            }),
            Err(reason) => left_out.push(LeftOut {
                line: i + 1,
                reason,
            }),
        }
    }
    Salvaged { records, left_out }
}

/// Reads a journal file without changing it.
pub fn read_journal(path: &Path) -> Result<JournalContents, JournalError> {
    let mut bytes = Vec::new();
    open_journal(path, false)?
        .read_to_end(&mut bytes)
        .map_err(io_error(path))?;
    parse_journal(&bytes).map_err(|d| JournalError::Damaged {
        path: path.to_path_buf(),
        line: d.line,
        reason: d.reason,
    })
}

/// Whether a writer holds the journal open elsewhere (the session is live), asked without
/// taking any lock: the writer holds an open-file-description write lock for as long as it holds
/// the session, and `F_OFD_GETLK` only asks whether a read lock could be had. A reader that took
/// even a shared lock for a moment would make a writer's own lock attempt fail meanwhile, and
/// a reader must never stand in the way of a session it does not hold.
pub fn is_locked_elsewhere(path: &Path) -> bool {
    let Ok(file) = open_journal(path, false) else {
        return false;
    };
    let mut query = whole_file_lock(libc::F_RDLCK);
    // SAFETY: `query` is a valid, initialised flock struct that outlives the call, and the
    // descriptor is open.
    let asked = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_OFD_GETLK, &mut query) };
    asked == 0 && i32::from(query.l_type) != libc::F_UNLCK
}

/// A lock description covering the whole file (whatever it grows to), as OFD locks want it
/// (`l_pid` zero).
fn whole_file_lock(kind: libc::c_int) -> libc::flock {
    // SAFETY: flock is a plain C struct for which all zero bytes is a valid value.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = kind as libc::c_short;
    lock.l_whence = libc::SEEK_SET as libc::c_short;
    lock
}

/// Marks the journal as held by this writer for readers (see [`is_locked_elsewhere`]): an
/// open-file-description write lock on the whole file, released when the file is closed. On
/// Linux it is independent of the `flock` that keeps a second writer out.
fn mark_held(file: &File, path: &Path) -> Result<(), JournalError> {
    let mut lock = whole_file_lock(libc::F_WRLCK);
    // SAFETY: as in is_locked_elsewhere; F_OFD_SETLK does not block.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_OFD_SETLK, &mut lock) } == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // Held by another writer: the flock should have said so already.
        Some(libc::EAGAIN | libc::EACCES) => Err(JournalError::Locked {
            path: path.to_path_buf(),
        }),
        // A file system without these locks: the writer goes on (its flock still keeps others
        // out); readers there see the session as interrupted, as readers on another machine do.
        _ => Ok(()),
    }
}

/// Where journal bytes go: a file, or in tests a stand-in that fails on demand.
pub trait JournalStorage: Write {
    fn sync_data(&mut self) -> io::Result<()>;
    fn set_len(&mut self, len: u64) -> io::Result<()>;
    /// Fails when `path` no longer names this storage (the journal was removed, or another
    /// file put in its place): what is written here would then be lost with the old file.
    fn still_at(&self, _path: &Path) -> io::Result<()> {
        Ok(())
    }
}

impl JournalStorage for File {
    fn sync_data(&mut self) -> io::Result<()> {
        File::sync_data(self)
    }
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        File::set_len(self, len)
    }
    fn still_at(&self, path: &Path) -> io::Result<()> {
        let open = self.metadata()?;
        let named = match std::fs::symlink_metadata(path) {
            Ok(named) => named,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    "the journal was removed while the session was open",
                ));
            }
            Err(e) => return Err(e),
        };
        if (open.dev(), open.ino()) != (named.dev(), named.ino()) {
            return Err(io::Error::other(
                "the journal was replaced by another file while the session was open",
            ));
        }
        Ok(())
    }
}

/// The one writer of a session's journal, holding its lock while it lives.
#[derive(Debug)]
pub struct JournalWriter<S: JournalStorage = File> {
    file: S,
    path: PathBuf,
    /// Bytes known to be whole records on disk.
    good_len: u64,
    /// A write or sync failed: bytes past `good_len` may be partial and must go first.
    unsure: bool,
}

/// An existing journal, locked and read.
#[derive(Debug)]
pub struct Reopened {
    pub writer: JournalWriter,
    pub records: Vec<Record>,
    /// The bytes after the last whole record, if they are not a record.
    pub torn_tail: Option<TornTail>,
    /// The last record is whole but its newline was never written.
    pub missing_final_newline: bool,
}

impl JournalWriter<File> {
    /// Creates a new journal in `dir` and takes its lock. Syncs the folder.
    pub fn create(dir: &Path) -> Result<Self, JournalError> {
        let path = dir.join(JOURNAL_FILE);
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&path)
            .map_err(io_error(&path))?;
        lock(&file, &path)?;
        sync_dir(dir).map_err(io_error(dir))?;
        Ok(JournalWriter {
            file,
            path,
            good_len: 0,
            unsure: false,
        })
    }

    /// Opens an existing journal for more records: takes the lock and reads it, changing
    /// nothing yet. A damaged journal is refused untouched. [`Reopened::recover`] then makes it
    /// ready to append to.
    pub fn reopen(dir: &Path) -> Result<Reopened, JournalError> {
        let path = dir.join(JOURNAL_FILE);
        let file = open_journal(&path, true)?;
        lock(&file, &path)?;
        let mut bytes = Vec::new();
        (&file).read_to_end(&mut bytes).map_err(io_error(&path))?;
        let contents = parse_journal(&bytes).map_err(|d| JournalError::Damaged {
            path: path.clone(),
            line: d.line,
            reason: d.reason,
        })?;
        Ok(Reopened {
            writer: JournalWriter {
                file,
                path,
                good_len: bytes.len() as u64,
                unsure: false,
            },
            records: contents.records,
            torn_tail: contents.torn_tail,
            missing_final_newline: contents.missing_final_newline,
        })
    }
}

impl Reopened {
    /// Readies the journal for appending: a torn last line is kept in a file beside it and cut
    /// off, a lost final newline is written. Returns where the torn line was kept.
    pub fn recover(&mut self, dir: &Path) -> Result<Option<PathBuf>, JournalError> {
        let path = self.writer.path.clone();
        if let Some(tail) = &self.torn_tail {
            let aside = dir.join(format!(
                "{JOURNAL_FILE}.torn-{}-{}",
                tail.offset,
                crc32fast::hash(&tail.bytes)
            ));
            if !aside.exists() {
                write_private_file(&aside, &tail.bytes).map_err(io_error(&aside))?;
            }
            self.writer
                .file
                .set_len(tail.offset)
                .map_err(io_error(&path))?;
            self.writer.file.sync_all().map_err(io_error(&path))?;
            sync_dir(dir).map_err(io_error(dir))?;
            self.writer.good_len = tail.offset;
            return Ok(Some(aside));
        }
        if self.missing_final_newline {
            self.writer.write_synced(b"\n").map_err(io_error(&path))?;
            self.missing_final_newline = false;
        }
        Ok(None)
    }
}

impl<S: JournalStorage> JournalWriter<S> {
    /// A writer over any storage that already holds `good_len` bytes of whole records.
    pub fn with_storage(storage: S, path: PathBuf, good_len: u64) -> Self {
        JournalWriter {
            file: storage,
            path,
            good_len,
            unsure: false,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open journal file.
    pub fn file(&self) -> &S {
        &self.file
    }

    /// Fails when the journal file was removed or replaced since it was opened: every record
    /// written so far went with the old file, so none of it counts as saved any more.
    pub fn check_in_place(&self) -> io::Result<()> {
        self.file.still_at(&self.path)
    }

    /// Appends one record and syncs it to disk. Only when this returns Ok is the record saved.
    /// After a failure it may be called again: partial bytes of the failed attempt are cut first.
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        let line = encode_line(record).map_err(io::Error::other)?;
        self.write_synced(line.as_bytes())
    }

    /// After a failed write, cuts off what it may have left (a partial line) so the journal
    /// ends at its last whole record. For leaving while the disk still refuses: if this fails
    /// too, the next resume sets the torn line aside.
    pub fn settle(&mut self) -> io::Result<()> {
        if self.unsure {
            JournalStorage::set_len(&mut self.file, self.good_len)?;
            JournalStorage::sync_data(&mut self.file)?;
            self.unsure = false;
        }
        Ok(())
    }

    fn write_synced(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.check_in_place()?;
        if self.unsure {
            JournalStorage::set_len(&mut self.file, self.good_len)?;
            self.unsure = false;
        }
        let result = self
            .file
            .write_all(bytes)
            .and_then(|()| JournalStorage::sync_data(&mut self.file));
        match result {
            Ok(()) => {
                self.good_len += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                self.unsure = true;
                Err(e)
            }
        }
    }
}

fn lock(file: &File, path: &Path) -> Result<(), JournalError> {
    // An older topicguide's reader checked liveness with a shared lock held for a moment: try a
    // few times.
    for attempt in 0..5 {
        match file.try_lock() {
            Ok(()) => return mark_held(file, path),
            Err(TryLockError::WouldBlock) if attempt < 4 => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(JournalError::Locked {
                    path: path.to_path_buf(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_error(path)(e)),
        }
    }
    Err(JournalError::Locked {
        path: path.to_path_buf(),
    })
}
