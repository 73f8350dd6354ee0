//! A local cache of what `list` shows of each session, so that a session unchanged since the
//! last `list` costs a few `stat`s instead of a guide parse and a journal fold.
//!
//! It lives in the user's own cache folder (never in the data folder, which may be shared by a
//! sync engine or a network drive), one file per data folder, keyed by the folder's canonical
//! path. It is derived, never trusted: an entry counts only while the session's journal and guide
//! snapshot have the very length, times, inode and device they had when it was made; anything
//! else (another format, another build, a corrupt or unreadable file) is ignored and rewritten.
//! Failing to write it never fails the command.

use super::fs_secure::{create_private_dir_all, make_private};
use super::journal::JOURNAL_FILE;
use super::session_store::GUIDE_FILE;
use crate::model::summary::SessionSummary;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The cache file's format; a file of another format is ignored (and replaced).
pub const FORMAT: u32 = 1;
/// The folder under the cache folder that holds the list caches.
const LIST_DIR: &str = "list";
/// A file changed this recently is not cached: within one tick of the file system's clock a
/// same-length rewrite would keep every time the same (and a network drive's clock may run a
/// little ahead). Such a session is simply read again next time.
const SETTLING: Duration = Duration::from_secs(2);

/// What identifies one state of a file: any write, replacement or `touch` changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl FileStamp {
    /// The stamp of the regular file at `path` (never through a link); None for anything else.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = fs::symlink_metadata(path).ok()?;
        meta.is_file().then(|| FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// Whether the file last changed at least [`SETTLING`] before `now`.
    fn settled(&self, now: SystemTime) -> bool {
        let at = |(secs, nanos): (i64, i64)| {
            let since_epoch = Duration::new(secs.max(0) as u64, nanos.clamp(0, 999_999_999) as u32);
            SystemTime::UNIX_EPOCH + since_epoch
        };
        let latest = at(self.mtime).max(at(self.ctime));
        now.duration_since(latest).is_ok_and(|age| age >= SETTLING)
    }
}

/// The stamps of a session folder's two files, taken before they are read: if either changes
/// while it is read, the entry made from it no longer matches and the session is read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStamps {
    journal: FileStamp,
    guide: FileStamp,
}

impl SessionStamps {
    /// None when the folder is a link or either file is missing or not a regular file: such a
    /// session is never cached (reading it says what is wrong).
    pub fn of(dir: &Path) -> Option<SessionStamps> {
        if !fs::symlink_metadata(dir).ok()?.is_dir() {
            return None;
        }
        Some(SessionStamps {
            journal: FileStamp::of(&dir.join(JOURNAL_FILE))?,
            guide: FileStamp::of(&dir.join(GUIDE_FILE))?,
        })
    }

    fn settled(&self, now: SystemTime) -> bool {
        self.journal.settled(now) && self.guide.settled(now)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    stamps: SessionStamps,
    summary: SessionSummary,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    /// The build that wrote it: another build may fold a session differently.
    topicguide: String,
    /// The canonical data folder it describes (its hash names the file).
    data_dir: PathBuf,
    /// By session id (the folder's name).
    sessions: BTreeMap<String, Entry>,
}

/// The cache of one data folder, as read, and what this run found.
#[derive(Debug, Default)]
pub struct ListCache {
    /// None when there is nowhere to keep it.
    file: Option<PathBuf>,
    data_dir: PathBuf,
    read: BTreeMap<String, Entry>,
    now: BTreeMap<String, Entry>,
    changed: bool,
}

/// The cache file for `data_dir` under `cache_dir`, unless it would lie inside the data
/// folder (a cache is never written where other machines read).
fn cache_file(cache_dir: &Path, data_dir: &Path) -> Option<PathBuf> {
    let list_dir = cache_dir.join(LIST_DIR);
    let canonical_cache = fs::canonicalize(cache_dir).unwrap_or_else(|_| cache_dir.to_path_buf());
    if canonical_cache.starts_with(data_dir) {
        return None;
    }
    let digest = Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    let name: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    Some(list_dir.join(format!("{name}.json")))
}

impl ListCache {
    /// The cache of `data_dir` kept in `cache_dir` (none when `cache_dir` is None or the data
    /// folder does not exist); whatever cannot be read or is not this build's is left out.
    pub fn open(cache_dir: Option<&Path>, data_dir: &Path) -> ListCache {
        let Some((file, data_dir)) = cache_dir.and_then(|cache_dir| {
            let data_dir = fs::canonicalize(data_dir).ok()?;
            Some((cache_file(cache_dir, &data_dir)?, data_dir))
        }) else {
            return ListCache::default();
        };
        let read = fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|c| {
                c.format == FORMAT
                    && c.topicguide == env!("CARGO_PKG_VERSION")
                    && c.data_dir == data_dir
            })
            .map(|c| c.sessions)
            .unwrap_or_default();
        ListCache {
            file: Some(file),
            data_dir,
            read,
            now: BTreeMap::new(),
            changed: false,
        }
    }

    /// The summary kept for session `id` if its files still have `stamps`.
    pub fn get(&mut self, id: &str, stamps: &SessionStamps) -> Option<SessionSummary> {
        let entry = self.read.get(id).filter(|e| e.stamps == *stamps)?;
        self.now.insert(id.to_string(), entry.clone());
        Some(entry.summary.clone())
    }

    /// Keeps `summary` for session `id`, read from files that had `stamps` before reading,
    /// unless they changed too recently to tell a later change apart.
    pub fn put(&mut self, id: &str, stamps: SessionStamps, summary: SessionSummary) {
        if !stamps.settled(SystemTime::now()) {
            return;
        }
        self.now.insert(id.to_string(), Entry { stamps, summary });
        self.changed = true;
    }

    /// Writes the cache back if anything in it changed (a session added, read again or gone):
    /// a new 0600 file with a random name in a 0700 folder, renamed over the old one. A failure
    /// is not an error: the next run reads the sessions again.
    pub fn save(self) {
        let Some(file) = &self.file else {
            return;
        };
        if !self.changed && self.now.len() == self.read.len() {
            return;
        }
        let _ = self.write(file);
    }

    fn write(&self, file: &Path) -> std::io::Result<()> {
        let dir = file.parent().unwrap_or(Path::new("."));
        create_private_dir_all(dir)?;
        make_private(dir)?;
        let text = serde_json::to_vec(&CacheFile {
            format: FORMAT,
            topicguide: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self.data_dir.clone(),
            sessions: self.now.clone(),
        })?;
        let mut temp = tempfile::Builder::new()
            .prefix(".list-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        temp.write_all(&text)?;
        temp.persist(file).map_err(|e| e.error)?;
        Ok(())
    }
}
