//! `topicguide list`: one line per session, newest first.

use crate::app::context::Context;
use crate::app::error::AppError;
use crate::model::summary::SessionSummary;
use crate::model::timefmt::{local_datetime, rfc3339};
use crate::storage::journal::JournalError;
use crate::storage::session_store::{StoreError, Unreadable};
use crate::storage::summaries::{Summarized, summarize_all};
use crate::text::terminal::eprint_line;
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
    /// Only for a damaged session: where and what (its other fields come from the intact
    /// records).
    #[serde(skip_serializing_if = "Option::is_none")]
    damage: Option<ListedDamage>,
}

#[derive(Serialize)]
struct ListedDamage {
    line: Option<usize>,
    reason: String,
}

/// What `list` calls a session whose journal is damaged.
const DAMAGED: &str = "damaged";

fn listed<'a>(
    id: &'a str,
    dir: &std::path::Path,
    summary: &'a SessionSummary,
    state: &'static str,
) -> ListedSession<'a> {
    ListedSession {
        id,
        state,
        label: &summary.label,
        started_at: rfc3339(summary.started_at),
        ended_at: summary.ended_at.map(rfc3339),
        covered: summary.covered,
        total: summary.total,
        notes: summary.notes,
        guide: &summary.guide_title,
        kind: summary.kind.as_str(),
        mode: summary.mode.as_str(),
        site: summary.site.as_deref(),
        path: dir.display().to_string(),
        damage: None,
    }
}

/// A damaged session as far as its intact records tell (`summary`).
fn listed_damaged<'a>(u: &'a Unreadable, summary: &'a SessionSummary) -> ListedSession<'a> {
    let (line, reason) = match &u.error {
        StoreError::Journal(JournalError::Damaged { line, reason, .. }) => {
            (Some(*line), reason.clone())
        }
        other => (None, other.to_string()),
    };
    ListedSession {
        damage: Some(ListedDamage { line, reason }),
        ..listed(&u.id, &u.dir, summary, DAMAGED)
    }
}

/// Prints the sessions, damaged ones among them with where they are damaged; sessions that
/// cannot be read at all are named on stderr.
pub fn run(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<(), AppError> {
    let (sessions, problems) = summarize_all(ctx.data_dir()?, ctx.cache_dir.as_deref())?;
    for problem in &problems {
        eprint_line(&format!("warning: {problem}"));
    }
    for s in &sessions {
        if let Some(newer) = crate::app::notices::newer_records(&s.summary.newer_records) {
            eprint_line(&format!("warning: {}: {newer}", s.id));
        }
        if let Some(conflicts) = crate::app::notices::sync_conflicts(&s.dir) {
            eprint_line(&format!("warning: {}: {conflicts}", s.id));
        }
    }
    // A damaged session is listed as far as its intact records tell; nothing of one that
    // cannot be read at all.
    let salvaged: Vec<(&Unreadable, SessionSummary)> = problems
        .iter()
        .filter_map(|u| Some((u, SessionSummary::of(&u.salvaged.as_ref()?.loaded.session))))
        .collect();
    let mut items: Vec<ListedSession> = sessions
        .iter()
        .map(|s: &Summarized| listed(&s.id, &s.dir, &s.summary, s.liveness.as_str()))
        .chain(
            salvaged
                .iter()
                .map(|(u, summary)| listed_damaged(u, summary)),
        )
        .collect();
    // Newest first, damaged ones in their place.
    let when = |item: &ListedSession| chrono::DateTime::parse_from_rfc3339(&item.started_at).ok();
    items.sort_by(|a, b| when(b).cmp(&when(a)).then_with(|| b.id.cmp(a.id)));
    let written = if json {
        serde_json::to_string_pretty(&items)
            .map_err(|e| AppError::Unexpected(e.to_string()))
            .and_then(|text| writeln!(out, "{text}").map_err(AppError::output))
    } else {
        items.iter().try_for_each(|item| {
            // Two spaces part the columns, so a label's own spaces are folded to one.
            let label = item.label.split_whitespace().collect::<Vec<_>>().join(" ");
            let started = chrono::DateTime::parse_from_rfc3339(&item.started_at)
                .map(|t| local_datetime(t.with_timezone(&chrono::Utc)))
                .unwrap_or_else(|_| item.started_at.clone());
            let damage = match &item.damage {
                Some(ListedDamage {
                    line: Some(line),
                    reason,
                }) => format!("  (line {line}: {reason}; topicguide export salvages the rest)"),
                Some(ListedDamage { line: None, reason }) => format!("  ({reason})"),
                None => String::new(),
            };
            writeln!(
                out,
                "{}  {}  {}  {}  {}/{}{damage}",
                item.id, item.state, label, started, item.covered, item.total
            )
            .map_err(AppError::output)
        })
    };
    written?;
    if items.is_empty() && !json {
        eprint_line(&format!("no sessions yet in {}", ctx.data_dir()?.display()));
    }
    Ok(())
}
