//! Session folders: creating one, opening one to continue it, loading one to read, listing all.

use super::fs_secure::{
    FILE_MODE, create_private_dir, create_private_dir_all, make_private, sync_dir,
    write_private_file,
};
use super::journal::{
    JOURNAL_FILE, JournalError, JournalWriter, LeftOut, TornTail, is_locked_elsewhere,
    open_journal, read_journal, salvage_journal,
};
use super::paths::sessions_dir;
use crate::model::event::{Event, Record};
use crate::model::guide::Guide;
use crate::model::guide_parse::parse_guide;
use crate::model::session::{FoldError, Session};
use crate::model::timefmt::id_stamp;
use crate::model::toml_check::line_col;
use crate::text::bounded_read::{MAX_GUIDE_BYTES, read_capped};
use chrono::{DateTime, Local, Utc};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The guide snapshot's file name inside a session folder.
pub const GUIDE_FILE: &str = "guide.toml";
/// The longest label slug kept in a session id.
const MAX_SLUG_CHARS: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("unknown session '{0}' (see topicguide list)")]
    UnknownSession(String),
    #[error("no sessions in {0}")]
    NoSessions(PathBuf),
    #[error("no interrupted session to resume in {0} (see topicguide list)")]
    NothingToResume(PathBuf),
    #[error("{path}:{line}:{col}: the session's guide snapshot is not valid: {message}")]
    BadSnapshot {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    NotASession { path: PathBuf, source: FoldError },
    #[error("internal error: {0}")]
    Internal(String),
    /// An operation refused with nothing changed, said in full.
    #[error("{0}")]
    Refused(String),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub use crate::model::vocabulary::SessionLiveness;

/// A session read from disk.
#[derive(Debug)]
pub struct LoadedSession {
    pub id: String,
    pub dir: PathBuf,
    pub session: Session,
    pub liveness: SessionLiveness,
    /// A torn last line that reading left out (the file itself is unchanged).
    pub torn_tail: Option<TornTail>,
}

/// A session open for writing: its folder, its journal writer and its state.
#[derive(Debug)]
pub struct OpenSession {
    pub id: String,
    pub dir: PathBuf,
    pub writer: JournalWriter,
    pub session: Session,
    /// Where a torn last line found on opening was kept aside.
    pub torn_kept_at: Option<(PathBuf, TornTail)>,
}

/// Lowercase ASCII letters and digits (accented and other letters spelt in ASCII), other runs
/// made one '-'.
pub fn slug(label: &str) -> String {
    let slug = crate::model::slug::slug(label, MAX_SLUG_CHARS);
    if slug.is_empty() {
        "session".into()
    } else {
        slug
    }
}

/// The id base for a session begun at `at` (local time) with `label`.
pub fn session_id_base(at: DateTime<Local>, label: &str) -> String {
    format!("{}-{}", id_stamp(at), slug(label))
}

/// Creates the session folder, its guide snapshot and its journal with the start record, all
/// synced. `first` must be the `Started` record.
pub fn create_session(
    data_dir: &Path,
    id_base: &str,
    guide_source_text: &str,
    session: Session,
) -> Result<OpenSession, StoreError> {
    let sessions = sessions_dir(data_dir);
    create_private_dir_all(data_dir).map_err(io_error(data_dir))?;
    // A `sessions` folder the user linked elsewhere (another disk) is used, but its target's
    // mode is theirs: chmod would follow the link.
    create_private_dir_all(&sessions)
        .and_then(|()| {
            if fs::symlink_metadata(&sessions)?.file_type().is_symlink() {
                Ok(())
            } else {
                make_private(&sessions)
            }
        })
        .map_err(io_error(&sessions))?;
    let (id, dir) = (1..)
        .map(|n| {
            let id = if n == 1 {
                id_base.to_string()
            } else {
                format!("{id_base}-{n}")
            };
            let dir = sessions.join(&id);
            (id, dir)
        })
        .find_map(|(id, dir)| match create_private_dir(&dir) {
            Ok(()) => Some(Ok((id, dir))),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => None,
            Err(e) => Some(Err(io_error(&dir)(e))),
        })
        .unwrap_or_else(|| Err(StoreError::NoSessions(sessions.clone())))?;
    let guide_path = dir.join(GUIDE_FILE);
    write_private_file(&guide_path, guide_source_text.as_bytes()).map_err(io_error(&guide_path))?;
    let mut writer = JournalWriter::create(&dir)?;
    for record in session.records() {
        writer.append(record).map_err(io_error(writer.path()))?;
    }
    sync_dir(&sessions).map_err(io_error(&sessions))?;
    Ok(OpenSession {
        id,
        dir,
        writer,
        session,
        torn_kept_at: None,
    })
}

/// The folder of the session `arg` names: a session id, or a path to a session folder. A bare
/// id is looked up in the data folder first, so a folder of the same name in the working
/// directory never stands in for it.
pub fn resolve_session(data_dir: &Path, arg: &str) -> Result<PathBuf, StoreError> {
    let has_journal = |dir: &Path| fs::symlink_metadata(dir.join(JOURNAL_FILE)).is_ok();
    let by_id = sessions_dir(data_dir).join(arg);
    if !arg.contains('/') && !arg.starts_with('.') && !arg.is_empty() && has_journal(&by_id) {
        return Ok(by_id);
    }
    let as_path = Path::new(arg);
    if has_journal(as_path) {
        return Ok(as_path.to_path_buf());
    }
    Err(StoreError::UnknownSession(arg.to_string()))
}

/// Refuses a session folder that is a symbolic link: a session is never read or written
/// through one (it could lead anywhere).
fn not_a_link(dir: &Path) -> Result<(), StoreError> {
    let meta = fs::symlink_metadata(dir).map_err(io_error(dir))?;
    if meta.file_type().is_symlink() {
        return Err(StoreError::Refused(format!(
            "{}: is a symbolic link; topicguide never follows a session folder through one",
            dir.display()
        )));
    }
    Ok(())
}

/// Makes a session owner-only again, as it would have been made: the folder 0700, its files
/// 0600. Links inside are left alone (never followed), and so is what cannot be changed (a
/// file of another user): reading and writing go on, and the journal itself is tightened
/// through its open handle.
fn tighten(dir: &Path, journal: &fs::File) {
    use std::os::unix::fs::PermissionsExt;
    let _ = journal.set_permissions(fs::Permissions::from_mode(FILE_MODE));
    let _ = make_private(dir);
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_file())
                && entry
                    .metadata()
                    .is_ok_and(|m| m.permissions().mode() & 0o777 != FILE_MODE)
            {
                let _ = fs::set_permissions(entry.path(), fs::Permissions::from_mode(FILE_MODE));
            }
        }
    }
}

pub(super) fn session_id(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string())
}

/// Guides already read, by their text: the sessions of a study mostly share one snapshot text,
/// so it is parsed once and the parsed guide shared.
#[derive(Debug, Default)]
pub struct GuideCache {
    parsed: HashMap<Vec<u8>, Arc<Guide>>,
}

fn load_guide(dir: &Path, cache: &mut GuideCache) -> Result<Arc<Guide>, StoreError> {
    let path = dir.join(GUIDE_FILE);
    // The snapshot is read bounded and only as a regular file: a FIFO or a huge file planted
    // there must not hang or exhaust `list`.
    let bytes = read_capped(&path, MAX_GUIDE_BYTES, true).map_err(io_error(&path))?;
    // Looked up by its bytes: a snapshot already parsed was UTF-8 text then.
    if let Some(guide) = cache.parsed.get(&bytes) {
        return Ok(Arc::clone(guide));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        io_error(&path)(io::Error::new(
            io::ErrorKind::InvalidData,
            "is not UTF-8 text",
        ))
    })?;
    let report = parse_guide(&text);
    if let Some(guide) = report.guide {
        let guide = Arc::new(guide);
        cache.parsed.insert(text.into_bytes(), Arc::clone(&guide));
        return Ok(guide);
    }
    let first = report.errors().next();
    let (line, col) = first.map_or((1, 1), |f| line_col(&text, f.offset));
    Err(StoreError::BadSnapshot {
        path,
        line,
        col,
        message: first.map_or_else(|| "unreadable".into(), |f| f.message.clone()),
    })
}

/// A session folder that could not be read as a whole.
#[derive(Debug)]
pub struct Unreadable {
    pub id: String,
    pub dir: PathBuf,
    pub error: StoreError,
    /// For a damaged journal: the session as far as its intact records go.
    pub salvaged: Option<Box<SalvagedSession>>,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

/// A damaged session read from its intact records, and the lines left out.
#[derive(Debug)]
pub struct SalvagedSession {
    pub loaded: LoadedSession,
    pub left_out: Vec<LeftOut>,
}

/// Reads what can be read of a session whose journal is damaged: the intact records, folded,
/// and the lines left out. Changes nothing on disk.
pub fn salvage_session(dir: &Path) -> Result<SalvagedSession, StoreError> {
    not_a_link(dir)?;
    let guide = load_guide(dir, &mut GuideCache::default())?;
    let journal_path = dir.join(JOURNAL_FILE);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut open_journal(&journal_path, false)?, &mut bytes)
        .map_err(io_error(&journal_path))?;
    let salvaged = salvage_journal(&bytes);
    Ok(SalvagedSession {
        loaded: folded(dir, guide, salvaged.records, None)?,
        left_out: salvaged.left_out,
    })
}

/// The session of folder `dir` folded from `records`: ended or interrupted (whether it is live
/// is the writer's lock's to say, asked without locking: see [`is_locked_elsewhere`]).
fn folded(
    dir: &Path,
    guide: Arc<Guide>,
    records: Vec<Record>,
    torn_tail: Option<TornTail>,
) -> Result<LoadedSession, StoreError> {
    let session =
        Session::from_records(guide, records).map_err(|source| StoreError::NotASession {
            path: dir.join(JOURNAL_FILE),
            source,
        })?;
    let liveness = if session.state().is_ended() {
        SessionLiveness::Ended
    } else {
        SessionLiveness::Interrupted
    };
    Ok(LoadedSession {
        id: session_id(dir),
        dir: dir.to_path_buf(),
        session,
        liveness,
        torn_tail,
    })
}

/// Reads a session folder without changing anything in it.
pub fn load_session(dir: &Path) -> Result<LoadedSession, StoreError> {
    load_session_with(dir, &mut GuideCache::default())
}

/// [`load_session`], sharing parsed guides through `cache`.
pub fn load_session_with(dir: &Path, cache: &mut GuideCache) -> Result<LoadedSession, StoreError> {
    let mut loaded = read_session(dir, cache)?;
    loaded.liveness = liveness(dir, loaded.session.state().is_ended());
    Ok(loaded)
}

/// How the session in `dir` stands: ended, else live when a writer holds it (asked without a
/// lock), else interrupted.
pub fn liveness(dir: &Path, ended: bool) -> SessionLiveness {
    if ended {
        SessionLiveness::Ended
    } else if is_locked_elsewhere(&dir.join(JOURNAL_FILE)) {
        SessionLiveness::Live
    } else {
        SessionLiveness::Interrupted
    }
}

/// Reads a session folder as [`load_session_with`] does but without asking whether a writer
/// holds it (a session open elsewhere reads as interrupted): for `watch`, which follows a session
/// whatever holds it, and for reading a session again whose liveness is already known.
pub fn read_session(dir: &Path, cache: &mut GuideCache) -> Result<LoadedSession, StoreError> {
    not_a_link(dir)?;
    let guide = load_guide(dir, cache)?;
    let journal_path = dir.join(JOURNAL_FILE);
    let contents = read_journal(&journal_path)?;
    folded(dir, guide, contents.records, contents.torn_tail)
}

/// Opens a session to continue it: takes the journal's lock, recovers a torn tail (kept aside)
/// and records that it was reopened. An ended session is left exactly as it is.
pub fn reopen_session(dir: &Path, now: DateTime<Utc>) -> Result<OpenSession, StoreError> {
    reopen_session_with(dir, now, false)
}

/// As [`reopen_session`]; an ended session is continued too with `reopen_ended`
/// (`resume --reopen`), which journals that the end no longer holds.
pub fn reopen_session_with(
    dir: &Path,
    now: DateTime<Utc>,
    reopen_ended: bool,
) -> Result<OpenSession, StoreError> {
    not_a_link(dir)?;
    let guide = load_guide(dir, &mut GuideCache::default())?;
    let mut reopened = JournalWriter::reopen(dir)?;
    tighten(dir, reopened.writer.file());
    let journal_path = reopened.writer.path().to_path_buf();
    let records = std::mem::take(&mut reopened.records);
    let mut session =
        Session::from_records(guide, records).map_err(|source| StoreError::NotASession {
            path: journal_path.clone(),
            source,
        })?;
    // An ended session is not continued unless asked: its journal stays exactly as it is.
    let mut torn_kept_at = None;
    let ended = session.state().is_ended();
    if !ended || reopen_ended {
        if let Some(aside) = reopened.recover(dir)? {
            torn_kept_at = reopened.torn_tail.take().map(|tail| (aside, tail));
        }
        // Never before the last record, whatever the wall clock says now.
        let record = Record {
            seq: session.next_seq(),
            at: now.max(session.state().last_record_at),
            event: if ended {
                Event::EndReopened
            } else {
                Event::Reopened
            },
        };
        reopened
            .writer
            .append(&record)
            .map_err(io_error(&journal_path))?;
        session.push(record);
    }
    Ok(OpenSession {
        id: session_id(dir),
        dir: dir.to_path_buf(),
        writer: reopened.writer,
        session,
        torn_kept_at,
    })
}

/// Every session folder under the data folder, as paths.
pub fn session_dirs(data_dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let sessions = sessions_dir(data_dir);
    let entries = match fs::read_dir(&sessions) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(&sessions)(e)),
    };
    // Links are listed too (never followed: reading one is refused and reported).
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir() || t.is_symlink()))
        .map(|e| e.path())
        .filter(|p| fs::symlink_metadata(p.join(JOURNAL_FILE)).is_ok())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Every readable session, newest first, and each that could not be read (a damaged one with
/// what its intact records hold).
pub fn load_all(data_dir: &Path) -> Result<(Vec<LoadedSession>, Vec<Unreadable>), StoreError> {
    load_all_into(data_dir, |loaded| loaded)
}

/// [`load_all`], each session made into what the caller keeps of it (`keep`) as soon as it is
/// read: a reader of many sessions that needs a few figures of each never holds them all.
pub fn load_all_into<T: Send>(
    data_dir: &Path,
    keep: impl Fn(LoadedSession) -> T + Sync,
) -> Result<(Vec<T>, Vec<Unreadable>), StoreError> {
    load_dirs_into(data_dir, &session_dirs(data_dir)?, keep)
}

/// [`load_all_into`] over the session folders `dirs` of `data_dir` only.
pub fn load_dirs_into<T: Send>(
    data_dir: &Path,
    dirs: &[PathBuf],
    keep: impl Fn(LoadedSession) -> T + Sync,
) -> Result<(Vec<T>, Vec<Unreadable>), StoreError> {
    // Reading is mostly parsing: split the folders between the cores.
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    let chunk = dirs.len().div_ceil(workers).max(1);
    let keep = &keep;
    type Read<T> = Result<(DateTime<Utc>, String, T), StoreError>;
    let results: Vec<(PathBuf, Read<T>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = dirs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut cache = GuideCache::default();
                    part.iter()
                        .map(|dir| {
                            let read = load_session_with(dir, &mut cache).map(|loaded| {
                                let started_at = loaded.session.state().started_at;
                                (started_at, loaded.id.clone(), keep(loaded))
                            });
                            (dir.clone(), read)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![(
                        sessions_dir(data_dir),
                        Err(StoreError::Internal("reading sessions failed".into())),
                    )]
                })
            })
            .collect()
    });
    let mut sessions = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for (dir, result) in results {
        match result {
            Ok(s) => sessions.push(s),
            Err(error) => {
                let salvaged = match &error {
                    StoreError::Journal(JournalError::Damaged { .. }) => {
                        salvage_session(&dir).ok().map(Box::new)
                    }
                    _ => None,
                };
                problems.push(Unreadable {
                    id: session_id(&dir),
                    dir,
                    error,
                    salvaged,
                });
            }
        }
    }
    problems.sort_by(|a, b| b.id.cmp(&a.id));
    sessions.sort_by(|(a_start, a_id, _), (b_start, b_id, _)| {
        b_start.cmp(a_start).then_with(|| b_id.cmp(a_id))
    });
    Ok((
        sessions.into_iter().map(|(_, _, kept)| kept).collect(),
        problems,
    ))
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn labels_become_readable_ascii_slugs() {
        assert_eq!(slug("Grupo señal"), "grupo-senal");
        assert_eq!(slug("Café group #2"), "cafe-group-2");
        assert_eq!(slug("  ***  "), "session");
        assert_eq!(slug("Group 1"), "group-1");
    }
}
