//! Following a session another topicguide is recording, for `watch`: the session read without
//! a lock, read again whenever its folder changes (a file notification wakes the screen at
//! once), and never written, repaired or chmod'ed.

use super::context::Context;
use super::error::AppError;
use crate::model::session::Session;
use crate::storage::journal::JOURNAL_FILE;
use crate::storage::session_store::{
    GuideCache, StoreError, read_session, resolve_session, session_dirs,
};
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Wakes the screen's loop from another thread.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// A session being followed: as last read, and what tells that it changed.
pub struct Followed {
    dir: PathBuf,
    session: Session,
    /// A last line being written or synced right now, left out until it is whole.
    arriving: bool,
    /// Why the last read failed, while the session as read before is still shown.
    problem: Option<String>,
    changed: Arc<AtomicBool>,
    /// Kept alive so that notifications keep coming; None where the system gives none (the
    /// screen then reads the journal once a second).
    _watcher: Option<notify::RecommendedWatcher>,
    journal_len: u64,
}

impl Followed {
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// A word for how the session stands: `recording` until it ends.
    pub fn liveness_word(&self) -> &'static str {
        if self.session.state().is_ended() {
            "ended"
        } else {
            "recording"
        }
    }

    /// A note for the footer: a line still arriving, or why the journal could not be read.
    pub fn note(&self) -> String {
        match (&self.problem, self.arriving) {
            (Some(problem), _) => format!("cannot read the journal now: {problem}"),
            (None, true) => "a record is still arriving".into(),
            (None, false) => String::new(),
        }
    }

    /// Reads the journal again if a notification said it changed (or, without notifications,
    /// if its length changed). Cheap when nothing happened.
    pub fn refresh(&mut self) {
        let notified = self.changed.swap(false, Ordering::SeqCst);
        let len = std::fs::symlink_metadata(self.dir.join(JOURNAL_FILE))
            .map(|m| m.len())
            .unwrap_or(0);
        if !notified && len == self.journal_len {
            return;
        }
        self.journal_len = len;
        match read_session(&self.dir, &mut GuideCache::default()) {
            Ok(loaded) => {
                self.arriving = loaded.torn_tail.is_some();
                self.session = loaded.session;
                self.problem = None;
            }
            Err(e) => self.problem = Some(e.to_string()),
        }
    }
}

/// The session `arg` names, or the most recently started one that has not ended.
fn pick(data_dir: &Path, arg: Option<&str>) -> Result<PathBuf, AppError> {
    if let Some(arg) = arg {
        return Ok(resolve_session(data_dir, arg)?);
    }
    let mut cache = GuideCache::default();
    let mut best: Option<(chrono::DateTime<chrono::Utc>, PathBuf)> = None;
    for dir in session_dirs(data_dir)? {
        let Ok(loaded) = read_session(&dir, &mut cache) else {
            continue;
        };
        let state = loaded.session.state();
        if state.is_ended() {
            continue;
        }
        if best.as_ref().is_none_or(|(at, _)| state.started_at > *at) {
            best = Some((state.started_at, dir));
        }
    }
    best.map(|(_, dir)| dir).ok_or_else(|| {
        AppError::User(format!(
            "no session to watch in {}: start one, or name it (topicguide watch SESSION)",
            data_dir.display()
        ))
    })
}

/// Whether a notification says a file was changed, made or removed. A file opened, read or
/// closed is not: reading the journal again opens it, and waking on that would read it again
/// at once, for ever, spending a core while nothing happens.
fn changes_files(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_))
}

/// Watches `dir` (and its subfolders when `recursive`): the flag turns true and `wake` is called
/// on each change. None where the system gives no notifications.
pub fn on_change(
    dir: &Path,
    recursive: bool,
    wake: Wake,
) -> Option<(notify::RecommendedWatcher, Arc<AtomicBool>)> {
    let changed = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&changed);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|event| changes_files(&event.kind)) {
            flag.store(true, Ordering::SeqCst);
            wake();
        }
    })
    .ok()?;
    let mode = if recursive {
        RecursiveMode::Recursive
    } else {
        RecursiveMode::NonRecursive
    };
    watcher.watch(dir, mode).ok()?;
    Some((watcher, changed))
}

/// Starts following a session: reads it and watches its folder, calling `wake` on each change.
pub fn follow(ctx: &Context, arg: Option<&str>, wake: Wake) -> Result<Followed, AppError> {
    let dir = pick(ctx.data_dir()?, arg)?;
    let loaded = read_session(&dir, &mut GuideCache::default()).map_err(|e| match e {
        StoreError::Io { .. } => AppError::Unexpected(e.to_string()),
        other => AppError::User(other.to_string()),
    })?;
    let (watcher, changed) = match on_change(&dir, false, wake) {
        Some((watcher, changed)) => (Some(watcher), changed),
        None => (None, Arc::new(AtomicBool::new(false))),
    };
    let journal_len = std::fs::symlink_metadata(dir.join(JOURNAL_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    Ok(Followed {
        arriving: loaded.torn_tail.is_some(),
        session: loaded.session,
        dir,
        problem: None,
        changed,
        _watcher: watcher,
        journal_len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, ModifyKind};

    #[test]
    fn reading_a_file_is_not_a_change_writing_it_is() {
        for read in [
            AccessKind::Open(AccessMode::Read),
            AccessKind::Open(AccessMode::Any),
            AccessKind::Close(AccessMode::Read),
            AccessKind::Read,
        ] {
            assert!(!changes_files(&EventKind::Access(read)), "{read:?}");
        }
        for change in [
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Any),
            EventKind::Create(CreateKind::File),
            EventKind::Remove(notify::event::RemoveKind::File),
        ] {
            assert!(changes_files(&change), "{change:?}");
        }
    }
}
