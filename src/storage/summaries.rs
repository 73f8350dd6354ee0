//! Every session of a data folder as `list` and the home screen show it: a summary per session,
//! from the list cache when the session's files are unchanged, else read and folded (and cached).

use super::list_cache::{ListCache, SessionStamps};
use super::paths::sessions_dir;
use super::session_store::{
    LoadedSession, SessionLiveness, StoreError, Unreadable, liveness, load_dirs_into, session_dirs,
    session_id,
};
use crate::model::summary::SessionSummary;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One session as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Summarized {
    pub id: String,
    pub dir: PathBuf,
    pub summary: SessionSummary,
    pub liveness: SessionLiveness,
}

impl Summarized {
    /// The summary of a session read whole.
    pub fn of(loaded: &LoadedSession) -> Self {
        Summarized {
            id: loaded.id.clone(),
            dir: loaded.dir.clone(),
            summary: SessionSummary::of(&loaded.session),
            liveness: loaded.liveness,
        }
    }
}

/// Every readable session's summary, newest first, and each session that could not be read (as
/// [`super::session_store::load_all`] reports it: those are read again every time). Sessions
/// unchanged since the cache in `cache_dir` was written are not read at all; whether a session
/// is live is asked of its journal every time, without taking a lock.
pub fn summarize_all(
    data_dir: &Path,
    cache_dir: Option<&Path>,
) -> Result<(Vec<Summarized>, Vec<Unreadable>), StoreError> {
    let dirs = session_dirs(data_dir)?;
    let mut cache = ListCache::open(cache_dir, data_dir);
    let mut listed = Vec::with_capacity(dirs.len());
    let mut to_read: Vec<PathBuf> = Vec::new();
    let mut stamps_read: HashMap<PathBuf, SessionStamps> = HashMap::new();
    for dir in dirs {
        let id = session_id(&dir);
        let stamps = SessionStamps::of(&dir);
        match stamps.as_ref().and_then(|s| cache.get(&id, s)) {
            Some(summary) => listed.push(Summarized {
                liveness: liveness(&dir, summary.is_ended()),
                id,
                dir,
                summary,
            }),
            None => {
                if let Some(stamps) = stamps {
                    stamps_read.insert(dir.clone(), stamps);
                }
                to_read.push(dir);
            }
        }
    }
    // Each read session kept as its summary only, and whether its journal was whole: one still
    // arriving (a torn last line) will change soon and is not worth caching.
    let (read, problems) = load_dirs_into(data_dir, &to_read, |loaded| {
        (Summarized::of(&loaded), loaded.torn_tail.is_none())
    })?;
    for (read, whole) in read {
        if let Some(stamps) = stamps_read.get(&read.dir).filter(|_| whole) {
            cache.put(&read.id, *stamps, read.summary.clone());
        }
        listed.push(read);
    }
    cache.save();
    listed.sort_by(|a, b| {
        b.summary
            .started_at
            .cmp(&a.summary.started_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    Ok((listed, problems))
}

/// The most recent session that is not open elsewhere and not ended (or, with `ended_too`,
/// ended or not), found through the same summaries as `list`, so a data folder of a thousand
/// unchanged sessions is not read whole to find it.
pub fn most_recent_session(
    data_dir: &Path,
    cache_dir: Option<&Path>,
    ended_too: bool,
) -> Result<PathBuf, StoreError> {
    let (sessions, _) = summarize_all(data_dir, cache_dir)?;
    sessions
        .into_iter()
        .find(|s| {
            s.liveness == SessionLiveness::Interrupted
                || (ended_too && s.liveness == SessionLiveness::Ended)
        })
        .map(|s| s.dir)
        .ok_or_else(|| StoreError::NothingToResume(sessions_dir(data_dir)))
}
