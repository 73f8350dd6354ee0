//! `topicguide list`: one line per session, newest first.

use crate::app::context::Context;
use crate::app::error::AppError;
use crate::model::timefmt::{local_datetime, rfc3339};
use crate::storage::session_store::{LoadedSession, load_all};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct ListedSession<'a> {
    id: &'a str,
    state: &'static str,
    label: &'a str,
    started_at: String,
    ended_at: Option<String>,
    covered: usize,
    total: usize,
    notes: usize,
    guide: &'a str,
    kind: &'static str,
    mode: &'static str,
    site: Option<&'a str>,
    path: String,
}

fn listed(s: &LoadedSession) -> ListedSession<'_> {
    let state = s.session.state();
    ListedSession {
        id: &s.id,
        state: s.liveness.as_str(),
        label: &state.meta.label,
        started_at: rfc3339(state.started_at),
        ended_at: state.ended_at.map(rfc3339),
        covered: state.covered_count(),
        total: s.session.guide.themes.len(),
        notes: state.notes.len(),
        guide: &s.session.guide.title,
        kind: state.meta.kind.as_str(),
        mode: state.mode.as_str(),
        site: state.meta.site.as_deref(),
        path: s.dir.display().to_string(),
    }
}

/// Prints the sessions; sessions that cannot be read are named on stderr.
pub fn run(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<(), AppError> {
    let (sessions, problems) = load_all(ctx.data_dir()?)?;
    for problem in &problems {
        eprintln!("warning: {problem}");
    }
    let written = if json {
        let items: Vec<ListedSession> = sessions.iter().map(listed).collect();
        serde_json::to_string_pretty(&items)
            .map_err(|e| AppError::Unexpected(e.to_string()))
            .and_then(|text| writeln!(out, "{text}").map_err(AppError::output))
    } else {
        sessions.iter().try_for_each(|s| {
            let state = s.session.state();
            // Two spaces part the columns, so a label's own spaces are folded to one.
            let label = state
                .meta
                .label
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            writeln!(
                out,
                "{}  {}  {}  {}  {}/{}",
                s.id,
                s.liveness.as_str(),
                label,
                local_datetime(state.started_at),
                state.covered_count(),
                s.session.guide.themes.len()
            )
            .map_err(AppError::output)
        })
    };
    written?;
    if sessions.is_empty() && !json {
        eprintln!("no sessions yet in {}", ctx.data_dir()?.display());
    }
    Ok(())
}
