//! Placing a session brought from elsewhere into this data folder: new sessions are added, the
//! same content is recognised, a journal that only grew is brought up to date, and a session
//! whose content differs from the one here under its id is kept beside it under a new id.

use super::fs_secure::{FileSystemSync, create_private_dir_all, make_private, sync_dir};
use super::journal::{JOURNAL_FILE, is_locked_elsewhere, parse_journal};
use super::paths::sessions_dir;
use super::session_files::{
    SessionFiles, SessionFilesError, Written, io_error, read_session_folder, write_additions,
    write_staged_folder,
};
use super::session_index::SessionIndex;
use crate::model::event::{Event, SessionMeta};
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What placing one session did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    /// No session here had this id: added under it.
    Added { id: String },
    /// The session `id` here has exactly this content: nothing written.
    AlreadyHere { id: String },
    /// The session `id` here held the beginning of this one (recorded further since): the
    /// records after it were added.
    Grew { id: String, new_bytes: usize },
    /// The session `id` here holds all of this and more: nothing written.
    HereHasMore { id: String },
    /// A different session (or a diverging copy) under the same id is here: this one was kept
    /// beside it as `id`, for the lead researcher to decide.
    KeptBeside { incoming: String, id: String },
}

/// Why a session could not be placed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Files(#[from] SessionFilesError),
    #[error("{0}: its journal does not begin with a session start")]
    NotASession(String),
    #[error("{0}: the copy could not be synced to disk ({1}), so it is not counted as imported")]
    NotSynced(String, String),
    #[error(
        "{0} was opened for recording here while it was being brought up to date: left as it \
         is; import it again once that session is closed"
    )]
    OpenedMeanwhile(String),
}

impl Placed {
    /// The id of the session here this is about.
    pub fn id(&self) -> &str {
        match self {
            Placed::Added { id }
            | Placed::AlreadyHere { id }
            | Placed::Grew { id, .. }
            | Placed::HereHasMore { id }
            | Placed::KeptBeside { id, .. } => id,
        }
    }
}

/// The set-up in the session's first record; an error when the journal does not begin as a
/// session does. A damaged line later on does not stop it coming in: it is kept as it is and
/// reported where it is read.
pub fn started_meta(files: &SessionFiles) -> Result<SessionMeta, ImportError> {
    let first_line = files.journal().split(|b| *b == b'\n').next().unwrap_or(&[]);
    let mut line = first_line.to_vec();
    line.push(b'\n');
    let first = parse_journal(&line)
        .ok()
        .and_then(|contents| contents.records.into_iter().next());
    match first.map(|r| r.event) {
        Some(Event::Started(meta)) => Ok(meta),
        _ => Err(ImportError::NotASession(files.id.clone())),
    }
}

/// How the session here relates to the incoming one.
enum Relation {
    Same,
    IncomingGrew,
    HereHasMore,
    Differs,
}

fn relation(here: &SessionFiles, incoming: &SessionFiles) -> Relation {
    if here.files == incoming.files {
        return Relation::Same;
    }
    let (a, b) = (here.journal(), incoming.journal());
    let others_agree = |small: &SessionFiles, big: &SessionFiles| {
        small
            .files
            .iter()
            .filter(|(name, _)| *name != JOURNAL_FILE)
            .all(|(name, bytes)| big.files.get(name) == Some(bytes))
    };
    if b.len() > a.len() && b.starts_with(a) && others_agree(here, incoming) {
        Relation::IncomingGrew
    } else if a.len() >= b.len() && a.starts_with(b) && others_agree(incoming, here) {
        Relation::HereHasMore
    } else {
        Relation::Differs
    }
}

/// Sessions written before the batch is synced: enough that the sync is paid for rarely, few
/// enough that the summary lines keep coming while a large import runs.
const BATCH_SESSIONS: usize = 200;
const BATCH_BYTES: usize = 64 << 20;
const BATCH_AGE: Duration = Duration::from_secs(1);

/// One session of the batch: decided, or written under hidden names and waiting for the sync.
enum Step {
    Decided(Result<Placed, ImportError>),
    New {
        staging: PathBuf,
        incoming: String,
        name: String,
        differs: bool,
    },
    Grow {
        id: String,
        moves: Vec<(PathBuf, PathBuf)>,
        new_bytes: usize,
    },
}

/// Places sessions in a data folder (see [`Placed`]). The session ids here are read once; the
/// sessions are written in batches under hidden names, the batch synced to disk, then renamed
/// into place, and only then is the outcome of each handed back (with the caller's `T`), in
/// the order they came: nothing is reported as imported before it is on disk. A session open
/// here (locked by its writer) is never changed: anything new for it is kept beside it.
pub struct Importer<T> {
    sessions: PathBuf,
    index: SessionIndex,
    batch: Vec<(T, Step)>,
    written: Written,
    began: Option<Instant>,
    sync: Option<FileSystemSync>,
    /// Numbers the hidden folders sessions are built in.
    serial: u64,
}

impl<T> Importer<T> {
    pub fn new(data_dir: &Path) -> Self {
        let sessions = sessions_dir(data_dir);
        Importer {
            index: SessionIndex::read(&sessions),
            sessions,
            batch: Vec::new(),
            written: Written::default(),
            began: None,
            sync: None,
            serial: 0,
        }
    }

    /// Places `incoming`; returns the outcomes now settled (this one's, or those of the batch
    /// just synced).
    pub fn place(
        &mut self,
        incoming: &SessionFiles,
        tag: T,
    ) -> Vec<(T, Result<Placed, ImportError>)> {
        let candidates = self.index.candidates(&incoming.id);
        // A copy of it is among the sessions not yet in place: compare with it once it is.
        let mut settled = if candidates.iter().any(|id| self.index.is_reserved(id)) {
            self.flush()
        } else {
            Vec::new()
        };
        let step = self.decide(incoming, &candidates);
        self.batch.push((tag, step));
        let full = self.written.files.is_empty()
            || self.batch.len() >= BATCH_SESSIONS
            || self.written.bytes >= BATCH_BYTES
            || self.began.is_some_and(|at| at.elapsed() >= BATCH_AGE);
        if full {
            settled.extend(self.flush());
        }
        settled
    }

    /// Syncs and puts in place what is still waiting; the outcomes of the last batch.
    pub fn finish(mut self) -> Vec<(T, Result<Placed, ImportError>)> {
        self.flush()
    }

    fn decide(&mut self, incoming: &SessionFiles, candidates: &[String]) -> Step {
        if let Err(e) = started_meta(incoming) {
            return Step::Decided(Err(e));
        }
        let mut differs = false;
        for id in candidates {
            let dir = self.sessions.join(id);
            let Ok(here) = read_session_folder(&dir) else {
                continue;
            };
            let id = id.clone();
            match relation(&here, incoming) {
                Relation::Same => return Step::Decided(Ok(Placed::AlreadyHere { id })),
                Relation::HereHasMore => return Step::Decided(Ok(Placed::HereHasMore { id })),
                Relation::IncomingGrew if !is_locked_elsewhere(&dir.join(JOURNAL_FILE)) => {
                    let new_bytes = incoming.journal().len() - here.journal().len();
                    let written = self
                        .begin_writing()
                        .and_then(|()| Ok(write_additions(&dir, incoming, &mut self.written)?));
                    return match written {
                        Ok(moves) => {
                            self.index.reserve(&id);
                            Step::Grow {
                                id,
                                moves,
                                new_bytes,
                            }
                        }
                        Err(e) => Step::Decided(Err(e)),
                    };
                }
                Relation::IncomingGrew | Relation::Differs => differs = true,
            }
        }
        let name = self.index.first_free(&incoming.id);
        let staging = loop {
            self.serial += 1;
            let path =
                self.sessions
                    .join(format!(".import-{}-{}", std::process::id(), self.serial));
            if path.symlink_metadata().is_err() {
                break path;
            }
        };
        let written = self
            .begin_writing()
            .and_then(|()| Ok(write_staged_folder(&staging, incoming, &mut self.written)?));
        match written {
            Ok(()) => {
                self.index.reserve(&name);
                Step::New {
                    staging,
                    incoming: incoming.id.clone(),
                    name,
                    differs,
                }
            }
            Err(e) => Step::Decided(Err(e)),
        }
    }

    /// Makes the sessions folder (0700) and begins the file system's sync, once.
    fn begin_writing(&mut self) -> Result<(), ImportError> {
        let at = |e| ImportError::Files(io_error(&self.sessions)(e));
        if self.sync.is_none() {
            create_private_dir_all(&self.sessions)
                .and_then(|()| make_private(&self.sessions))
                .map_err(at)?;
            self.sync = Some(FileSystemSync::begin(&self.sessions).map_err(at)?);
        }
        self.began.get_or_insert_with(Instant::now);
        Ok(())
    }

    /// Syncs the batch, renames its sessions into place and syncs the folders that name them.
    fn flush(&mut self) -> Vec<(T, Result<Placed, ImportError>)> {
        let batch = std::mem::take(&mut self.batch);
        let written = std::mem::take(&mut self.written);
        self.began = None;
        let synced = match &self.sync {
            Some(sync) if !written.files.is_empty() => {
                sync.finish(&written.files).map_err(|e| e.to_string())
            }
            _ => Ok(()),
        };
        let mut folders = BTreeSet::new();
        let mut settled: Vec<(T, Result<Placed, ImportError>, bool)> = batch
            .into_iter()
            .map(|(tag, step)| match (step, &synced) {
                (Step::Decided(result), _) => (tag, result, false),
                (step, Err(reason)) => {
                    let id = self.abandon(step);
                    (tag, Err(ImportError::NotSynced(id, reason.clone())), false)
                }
                (step, Ok(())) => (tag, self.put_in_place(step, &mut folders), true),
            })
            .collect();
        // The renames must be on disk too before any of them is reported.
        if let Some(reason) = folders
            .iter()
            .find_map(|folder| sync_dir(folder).err())
            .map(|e| e.to_string())
        {
            for (_, result, wrote) in &mut settled {
                if let (Ok(placed), true) = (&*result, *wrote) {
                    *result = Err(ImportError::NotSynced(
                        placed.id().to_string(),
                        reason.clone(),
                    ));
                }
            }
        }
        settled
            .into_iter()
            .map(|(tag, result, _)| (tag, result))
            .collect()
    }

    fn put_in_place(
        &mut self,
        step: Step,
        folders: &mut BTreeSet<PathBuf>,
    ) -> Result<Placed, ImportError> {
        match step {
            Step::Decided(result) => result,
            Step::New {
                staging,
                incoming,
                mut name,
                differs,
            } => {
                loop {
                    let target = self.sessions.join(&name);
                    if target.symlink_metadata().is_err() {
                        match fs::rename(&staging, &target) {
                            Ok(()) => break,
                            Err(e)
                                if !matches!(
                                    e.kind(),
                                    io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists
                                ) =>
                            {
                                let _ = fs::remove_dir_all(&staging);
                                self.index.release(&name);
                                return Err(ImportError::Files(io_error(&target)(e)));
                            }
                            Err(_) => {}
                        }
                    }
                    // Taken by another process since the folder was read: the next free name.
                    self.index.settle(&name);
                    name = self.index.first_free(&incoming);
                    self.index.reserve(&name);
                }
                self.index.settle(&name);
                folders.insert(self.sessions.clone());
                Ok(if differs || name != incoming {
                    Placed::KeptBeside { incoming, id: name }
                } else {
                    Placed::Added { id: name }
                })
            }
            Step::Grow {
                id,
                mut moves,
                new_bytes,
            } => {
                self.index.settle(&id);
                let journal = self.sessions.join(&id).join(JOURNAL_FILE);
                let remove_hidden = |moves: &[(PathBuf, PathBuf)]| {
                    for (hidden, _) in moves {
                        let _ = fs::remove_file(hidden);
                    }
                };
                // Opened for recording since it was compared: its writer's records come first.
                if is_locked_elsewhere(&journal) {
                    remove_hidden(&moves);
                    return Err(ImportError::OpenedMeanwhile(id));
                }
                // The journal last: the session reads as grown only once all of it is there.
                moves.sort_by_key(|(_, path)| *path == journal);
                for (done, (hidden, path)) in moves.iter().enumerate() {
                    if let Err(e) = fs::rename(hidden, path) {
                        remove_hidden(&moves[done..]);
                        return Err(ImportError::Files(io_error(path)(e)));
                    }
                    folders.extend(path.parent().map(Path::to_path_buf));
                }
                Ok(Placed::Grew { id, new_bytes })
            }
        }
    }

    /// Removes what `step` wrote; the id it was for.
    fn abandon(&mut self, step: Step) -> String {
        match step {
            Step::Decided(_) => String::new(),
            Step::New {
                staging, incoming, ..
            } => {
                let _ = fs::remove_dir_all(&staging);
                incoming
            }
            Step::Grow { id, moves, .. } => {
                for (hidden, _) in &moves {
                    let _ = fs::remove_file(hidden);
                }
                self.index.settle(&id);
                id
            }
        }
    }
}

impl<T> Drop for Importer<T> {
    /// An import stopped midway (its output closed, say) leaves no hidden copies behind.
    fn drop(&mut self) {
        for (_, step) in std::mem::take(&mut self.batch) {
            self.abandon(step);
        }
    }
}
