//! A study: the sessions a review reads, and the coverage matrix across them.

use super::context::Context;
use super::error::AppError;
use crate::export::ExportInput;
use crate::model::review::{Filter, Matrix, ReviewSession, build_matrix};
use crate::storage::session_store::{LoadedSession, load_all, load_session, resolve_session};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// What the exporters read of a session loaded from disk, its clock read at `now`.
pub fn export_input(loaded: &LoadedSession, now: DateTime<Utc>) -> ExportInput<'_> {
    ExportInput::new(&loaded.id, &loaded.session, loaded.liveness, now)
}

/// Reads the sessions named (all when none; a session named twice is kept once), newest first,
/// keeping those the filter accepts.
pub fn load_sessions(
    ctx: &Context,
    names: &[String],
    filter: &Filter,
) -> Result<Vec<LoadedSession>, AppError> {
    let data_dir = ctx.data_dir()?;
    let loaded = if names.is_empty() {
        let (sessions, problems) = load_all(data_dir)?;
        for problem in problems {
            eprintln!("warning: left out of the review: {problem}");
        }
        sessions
    } else {
        names
            .iter()
            .map(|name| resolve_session(data_dir, name).and_then(|dir| load_session(&dir)))
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut seen = HashSet::new();
    Ok(loaded
        .into_iter()
        .filter(|s| filter.accepts(&s.session) && seen.insert(s.id.clone()))
        .collect())
}

/// The matrix of the loaded sessions, their clocks read at `now`.
pub fn matrix_of(sessions: &[&LoadedSession]) -> Matrix {
    let now = super::clock::now();
    let inputs: Vec<ExportInput> = sessions.iter().map(|s| export_input(s, now)).collect();
    let review: Vec<ReviewSession> = inputs
        .iter()
        .map(|i| ReviewSession {
            id: i.id,
            session: i.session,
            state: i.liveness.as_str(),
            as_of: i.as_of,
        })
        .collect();
    build_matrix(&review)
}
