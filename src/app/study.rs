//! A study: the sessions a review reads, and the coverage matrix across them.

use super::error::AppError;
use crate::app::context::Context;
use crate::export::ExportInput;
use crate::export::matrix::filter_words;
use crate::export::qdpx::{self, Study};
use crate::export::study_html::{self, StudyInput};
use crate::model::observer_pairs::{ObserverKey, observer_pairs};
use crate::model::review::{Filter, Matrix, ReviewSession, SessionCells, matrix_of_cells};
use crate::storage::journal::JournalError;
use crate::storage::session_store::{
    LoadedSession, StoreError, load_all_into, load_session, resolve_session, salvage_session,
};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What the exporters read of a session loaded from disk, its clock read at `now`.
pub fn export_input(loaded: &LoadedSession, now: DateTime<Utc>) -> ExportInput<'_> {
    ExportInput::new(&loaded.id, &loaded.session, loaded.liveness, now)
}

/// Reads a session to export it: whole, or for a damaged journal its intact records (said
/// so); with the notices the user should read (torn or damaged tail, newer records).
pub fn load_for_export(dir: &Path) -> Result<(LoadedSession, Vec<String>), AppError> {
    let mut notices = Vec::new();
    let loaded = match load_session(dir) {
        Ok(loaded) => loaded,
        Err(StoreError::Journal(JournalError::Damaged { path, line, reason })) => {
            let salvaged = salvage_session(dir)?;
            let left_out: Vec<String> = salvaged
                .left_out
                .iter()
                .map(|l| format!("line {} ({})", l.line, l.reason))
                .collect();
            notices.push(format!(
                "warning: {}:{line}: the journal is damaged ({reason}); exported the {} intact records, left out: {}",
                path.display(),
                salvaged.loaded.session.records().len(),
                left_out.join(", ")
            ));
            salvaged.loaded
        }
        Err(e) => return Err(e.into()),
    };
    notices.extend(super::notices::for_session(&loaded));
    Ok((loaded, notices))
}

/// Reads the sessions named (all when none; a session named twice is kept once), newest first,
/// keeping those the filter accepts.
pub fn load_sessions(
    ctx: &Context,
    names: &[String],
    filter: &Filter,
) -> Result<Vec<LoadedSession>, AppError> {
    load_sessions_into(ctx, names, filter, |loaded| loaded)
}

/// [`load_sessions`], each session made into what the caller keeps of it (`keep`) as soon as
/// it is read and the rest let go: a printed matrix of a thousand sessions holds a few figures
/// of each, never all their notes and events at once.
pub fn load_sessions_into<T: Send>(
    ctx: &Context,
    names: &[String],
    filter: &Filter,
    keep: impl Fn(LoadedSession) -> T + Sync,
) -> Result<Vec<T>, AppError> {
    let data_dir = ctx.data_dir()?;
    // A session the filter accepts: its id, what the sync engine left beside it, what is kept.
    let accepted = |loaded: LoadedSession| {
        filter.accepts(&loaded.session).then(|| {
            let conflicts = super::notices::sync_conflicts(&loaded.dir);
            (loaded.id.clone(), conflicts, keep(loaded))
        })
    };
    let loaded = if names.is_empty() {
        let (sessions, problems) = load_all_into(data_dir, accepted)?;
        for problem in problems {
            crate::text::terminal::eprint_line(&format!(
                "warning: left out of the review: {problem}"
            ));
        }
        sessions
    } else {
        names
            .iter()
            .map(|name| {
                resolve_session(data_dir, name)
                    .and_then(|dir| load_session(&dir))
                    .map(&accepted)
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut seen = HashSet::new();
    let mut kept = Vec::with_capacity(loaded.len());
    for (id, conflicts, value) in loaded.into_iter().flatten() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(conflicts) = conflicts {
            crate::text::terminal::eprint_line(&format!("warning: {id}: {conflicts}"));
        }
        kept.push(value);
    }
    Ok(kept)
}

/// What the matrix keeps of a loaded session, its clock read at `now`.
pub fn session_cells(loaded: &LoadedSession, now: DateTime<Utc>) -> SessionCells {
    let input = export_input(loaded, now);
    SessionCells::of(&ReviewSession {
        id: input.id,
        session: input.session,
        state: input.liveness.as_str(),
        as_of: input.as_of,
    })
}

/// The matrix of the loaded sessions, their clocks read at `now`.
pub fn matrix_of(sessions: &[&LoadedSession]) -> Matrix {
    let now = super::clock::now();
    matrix_of_cells(sessions.iter().map(|s| session_cells(s, now)).collect())
}

/// Each session's transcript check by session id, for the Markdown review (see
/// [`super::transcript::transcript_check`]); sessions without a transcript are not in it.
pub type TranscriptChecks = HashMap<String, Result<Option<Vec<String>>, String>>;

/// The matrix, and for the Markdown each session's transcript check and observer-pairing facts
/// (with its folder).
pub type MatrixWithExtras = (Matrix, TranscriptChecks, Vec<(ObserverKey, PathBuf)>);

/// The matrix of the sessions named (all when none) that the filter accepts, with each one's
/// transcript check and its observer-pairing facts when `markdown`. Each session is let go as
/// soon as its figures are taken, so the matrix of a thousand sessions never holds their notes
/// and events.
pub fn load_matrix(
    ctx: &Context,
    names: &[String],
    filter: &Filter,
    markdown: bool,
) -> Result<MatrixWithExtras, AppError> {
    let now = super::clock::now();
    let kept = load_sessions_into(ctx, names, filter, |loaded| {
        let (check, key) = if markdown {
            let input = export_input(&loaded, now);
            let key = ObserverKey::of(&crate::export::agreement::observed(&input));
            (
                super::transcript::transcript_check(&loaded, now),
                Some((key, loaded.dir.clone())),
            )
        } else {
            (Ok(None), None)
        };
        (session_cells(&loaded, now), check, key)
    })?;
    let mut checks = HashMap::new();
    let mut keys = Vec::new();
    let mut cells = Vec::with_capacity(kept.len());
    for (session, check, key) in kept {
        if !matches!(check, Ok(None)) {
            checks.insert(session.column.id.clone(), check);
        }
        keys.extend(key);
        cells.push(session);
    }
    Ok((matrix_of_cells(cells), checks, keys))
}

/// The sessions in the matrix's column order (grouped by guide, then by start), their clocks
/// read at `now`.
pub fn inputs_in_column_order<'a>(
    sessions: &'a [LoadedSession],
    matrix: &Matrix,
    now: DateTime<Utc>,
) -> Vec<ExportInput<'a>> {
    matrix
        .columns
        .iter()
        .filter_map(|c| sessions.iter().find(|s| s.id == c.id))
        .map(|s| export_input(s, now))
        .collect()
}

/// The study report: the sessions in the matrix's order, their clocks read at one moment.
pub fn study_report(sessions: &[LoadedSession], matrix: &Matrix, filter: &Filter) -> String {
    let now = super::clock::now();
    let inputs = inputs_in_column_order(sessions, matrix, now);
    let filters = filter_words(filter);
    study_html::render(&StudyInput {
        sessions: &inputs,
        matrix,
        filters: &filters,
        generated_at: now,
    })
}

/// The observer agreement of every pair of sessions that recorded the same group, in Markdown,
/// from each session's pairing facts (`keys`, with its folder): only the sessions that pair are
/// read again, whole, in the matrix's order, their clocks read at one moment.
pub fn agreement_section(
    keys: &[(ObserverKey, PathBuf)],
    matrix: &Matrix,
) -> Result<String, AppError> {
    let facts: Vec<ObserverKey> = keys.iter().map(|(k, _)| k.clone()).collect();
    let mut paired: Vec<usize> = observer_pairs(&facts)
        .into_iter()
        .flat_map(|(i, j)| [i, j])
        .collect();
    let column = |i: &usize| matrix.columns.iter().position(|c| c.id == keys[*i].0.id);
    paired.sort_by_key(column);
    paired.dedup();
    let sessions = paired
        .iter()
        .map(|&i| load_session(&keys[i].1))
        .collect::<Result<Vec<_>, _>>()?;
    let now = super::clock::now();
    let inputs: Vec<ExportInput> = sessions.iter().map(|s| export_input(s, now)).collect();
    Ok(crate::export::agreement::study_markdown(&inputs))
}

/// The framework-matrix workbook: the sessions in the matrix's order, their clocks read at one
/// moment.
pub fn study_workbook(sessions: &[LoadedSession], matrix: &Matrix) -> Result<Vec<u8>, AppError> {
    let inputs = inputs_in_column_order(sessions, matrix, super::clock::now());
    Ok(crate::export::workbook::render(&inputs, matrix)?)
}

/// The study as one REFI-QDA project: the sessions in the matrix's order (grouped by guide, then
/// by start), their clocks read as the matrix read them.
pub fn study_project(
    sessions: &[LoadedSession],
    matrix: &Matrix,
    filter: &Filter,
) -> Result<Vec<u8>, AppError> {
    let transcripts = super::transcript::transcripts_in_column_order(sessions, matrix);
    let mut inputs = inputs_in_column_order(sessions, matrix, super::clock::now());
    for (input, transcript) in inputs.iter_mut().zip(&transcripts) {
        input.transcript = transcript.as_ref();
    }
    let guides = matrix.guide_titles();
    let filters = filter_words(filter);
    let filtered = if filters.is_empty() {
        String::new()
    } else {
        format!(", filtered by {}", filters.join(", "))
    };
    let study = Study {
        name: format!("topicguide study: {} session(s){filtered}", inputs.len()),
        summary: format!(
            "A topicguide study of {} session(s) on {} guide(s){filtered}: {}. One source per session, its field notes one a line; each note coded to its theme and tags; a case per participant of each session{}.",
            inputs.len(),
            guides.len(),
            guides.join("; "),
            if matrix.columns.iter().any(|c| c.site.is_some()) {
                " and per site"
            } else {
                ""
            }
        ),
    };
    Ok(qdpx::render_project(&inputs, Some(&study))?)
}
