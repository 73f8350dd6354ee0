//! Placing a session brought from elsewhere into this data folder: new sessions are added, the
//! same content is recognised, a journal that only grew is brought up to date, and a session
//! whose content differs from the one here under its id is kept beside it under a new id.

use super::journal::{JOURNAL_FILE, is_locked_elsewhere, parse_journal};
use super::paths::sessions_dir;
use super::session_files::{
    SessionFiles, SessionFilesError, extend_session, read_session_folder, write_new_session,
};
use crate::model::event::{Event, SessionMeta};
use std::fs;
use std::path::Path;

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

/// The sessions here that may be copies of `id`: `id` itself and `id-2`, `id-3`...
fn candidates(data_dir: &Path, id: &str) -> Vec<String> {
    let mut found: Vec<String> = fs::read_dir(sessions_dir(data_dir))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| {
            name == id
                || name
                    .strip_prefix(id)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    // `id` first, then the copies in the order they were made.
    found.sort_by_key(|name| (name.len(), name.clone()));
    found
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

/// Places `incoming` in `data_dir` (see [`Placed`]). A session open here (locked by its
/// writer) is never changed: anything new for it is kept beside it.
pub fn place_session(data_dir: &Path, incoming: &SessionFiles) -> Result<Placed, ImportError> {
    started_meta(incoming)?;
    let sessions = sessions_dir(data_dir);
    let mut differs = false;
    for id in candidates(data_dir, &incoming.id) {
        let dir = sessions.join(&id);
        let Ok(here) = read_session_folder(&dir) else {
            continue;
        };
        match relation(&here, incoming) {
            Relation::Same => return Ok(Placed::AlreadyHere { id }),
            Relation::HereHasMore => return Ok(Placed::HereHasMore { id }),
            Relation::IncomingGrew if !is_locked_elsewhere(&dir.join(JOURNAL_FILE)) => {
                extend_session(&dir, incoming)?;
                return Ok(Placed::Grew {
                    id,
                    new_bytes: incoming.journal().len() - here.journal().len(),
                });
            }
            Relation::IncomingGrew | Relation::Differs => differs = true,
        }
    }
    let id = write_new_session(data_dir, incoming)?;
    Ok(if differs || id != incoming.id {
        Placed::KeptBeside {
            incoming: incoming.id.clone(),
            id,
        }
    } else {
        Placed::Added { id }
    })
}
