//! The coverage matrix of a study printed: as CSV, as Markdown and as JSON.

use super::ExportError;
use super::safe_text::{csv_cell, json_separators_escaped, separators_removed};
use crate::model::review::{CellStatus, Filter, Matrix};
use crate::model::timefmt::{local_datetime, rfc3339};
use crate::model::vocabulary::{EMERGENT_WORD, legend};
use serde::Serialize;
use std::fmt::Write as _;

/// The filters in words: `site DU`, `kind focus group`, `guide "T"`.
pub fn filter_words(filter: &Filter) -> Vec<String> {
    let mut words = Vec::new();
    if let Some(site) = &filter.site {
        words.push(format!("site {site}"));
    }
    if let Some(kind) = filter.kind {
        words.push(format!("kind {kind}"));
    }
    if let Some(guide) = &filter.guide_title {
        words.push(format!("guide \"{guide}\""));
    }
    words
}

/// A cell as the CSV and Markdown write it: `covered 9m`, `missed`, empty where absent.
pub fn cell_text(status: CellStatus, minutes: i64) -> String {
    match status {
        CellStatus::Absent => String::new(),
        CellStatus::Covered | CellStatus::Discussed => format!("{} {minutes}m", status.as_str()),
        other if minutes > 0 => format!("{} {minutes}m", other.as_str()),
        other => other.as_str().to_string(),
    }
}

/// The matrix as CSV: a row per theme, a column per session.
pub fn csv(matrix: &Matrix, _filter: &Filter) -> Result<String, ExportError> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| ExportError::write("review CSV", e);
    let mut header = vec!["theme_id".to_string(), "theme_title".to_string()];
    header.extend(matrix.columns.iter().map(|c| csv_cell(&c.id).into_owned()));
    writer.write_record(&header).map_err(fail)?;
    for row in &matrix.rows {
        let mut record = vec![
            csv_cell(&row.theme_id).into_owned(),
            csv_cell(&row.title).into_owned(),
        ];
        record.extend(row.cells.iter().map(|c| cell_text(c.status, c.minutes())));
        writer.write_record(&record).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::write("review CSV", e))?;
    let text = String::from_utf8(bytes).map_err(|e| ExportError::write("review CSV", e))?;
    Ok(separators_removed(text))
}

fn md_cell(text: &str) -> String {
    super::markdown::md(text)
}

/// The matrix as a Markdown table, with its legend and the sessions it covers.
pub fn markdown(matrix: &Matrix, filter: &Filter) -> Result<String, ExportError> {
    let mut out = String::new();
    let _ = writeln!(out, "# Coverage review\n");
    let filters = filter_words(filter);
    let _ = writeln!(
        out,
        "{} session(s){}.\n",
        matrix.columns.len(),
        if filters.is_empty() {
            String::new()
        } else {
            format!(", filtered by {}", filters.join(", "))
        }
    );
    let names = matrix.column_names();
    let _ = write!(out, "| Theme |");
    for name in &names {
        let _ = write!(out, " {} |", md_cell(name));
    }
    let _ = writeln!(out, " Gaps |");
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(matrix.columns.len()));
    for row in &matrix.rows {
        let qualifier = if row.emergent {
            format!(" _({EMERGENT_WORD})_")
        } else if row.optional_everywhere() {
            " (optional)".to_string()
        } else {
            String::new()
        };
        let _ = write!(out, "| {}{qualifier} |", md_cell(&row.title));
        for c in &row.cells {
            let text = match c.status {
                CellStatus::Absent => "·".to_string(),
                CellStatus::Covered | CellStatus::Discussed => {
                    format!("{} {}m", c.status.mark(), c.minutes())
                }
                other => other.mark().to_string(),
            };
            let _ = write!(out, " {text} |");
        }
        let gaps = row.gaps();
        let gap_text = if gaps == 0 {
            "none".to_string()
        } else {
            format!("**{gaps} of {}**", row.present())
        };
        let _ = writeln!(out, " {gap_text} |");
    }
    let _ = writeln!(
        out,
        "\n{}. Gaps: ended sessions where a required theme was missed or left uncovered (optional themes and sessions still to be resumed are not counted).\n",
        legend(&CellStatus::ALL, CellStatus::mark, CellStatus::label, " · ")
    );
    let _ = writeln!(out, "## Sessions\n");
    let _ = writeln!(
        out,
        "| Session | Id | Guide | Kind | Site | Started | State |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for (c, name) in matrix.columns.iter().zip(&names) {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {}, {} | {} | {} | {} |",
            md_cell(name),
            c.id,
            md_cell(&c.guide_title),
            c.kind,
            c.mode,
            c.site.as_deref().unwrap_or("–"),
            local_datetime(c.started_at),
            c.state
        );
    }
    Ok(separators_removed(out))
}

#[derive(Serialize)]
struct JsonReview<'a> {
    sessions: Vec<JsonSession<'a>>,
    themes: Vec<JsonTheme<'a>>,
}

#[derive(Serialize)]
struct JsonSession<'a> {
    id: &'a str,
    label: &'a str,
    guide: &'a str,
    kind: &'static str,
    mode: &'static str,
    site: Option<&'a str>,
    started_at: String,
    state: &'a str,
}

#[derive(Serialize)]
struct JsonTheme<'a> {
    id: &'a str,
    title: &'a str,
    /// Added in the room, matched across sessions by title.
    emergent: bool,
    covered: usize,
    gaps: usize,
    sessions_with_theme: usize,
    cells: Vec<JsonCell<'a>>,
}

#[derive(Serialize)]
struct JsonCell<'a> {
    session: &'a str,
    status: &'static str,
    seconds_discussed: i64,
}

/// The matrix as JSON.
pub fn json(matrix: &Matrix, _filter: &Filter) -> Result<String, ExportError> {
    let review = JsonReview {
        sessions: matrix
            .columns
            .iter()
            .map(|c| JsonSession {
                id: &c.id,
                label: &c.label,
                guide: &c.guide_title,
                kind: c.kind.as_str(),
                mode: c.mode.as_str(),
                site: c.site.as_deref(),
                started_at: rfc3339(c.started_at),
                state: &c.state,
            })
            .collect(),
        themes: matrix
            .rows
            .iter()
            .map(|r| JsonTheme {
                id: &r.theme_id,
                title: &r.title,
                emergent: r.emergent,
                covered: r.covered(),
                gaps: r.gaps(),
                sessions_with_theme: r.present(),
                cells: r
                    .cells
                    .iter()
                    .zip(&matrix.columns)
                    .map(|(c, col)| JsonCell {
                        session: &col.id,
                        status: c.status.as_str(),
                        seconds_discussed: c.seconds,
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&review).map_err(|e| ExportError::write("review JSON", e))?;
    text.push('\n');
    Ok(json_separators_escaped(text))
}
