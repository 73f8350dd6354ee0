//! The study report for a team meeting (`review --format html`): one self-contained HTML file
//! with the sessions, the coverage matrix, the gaps, the framework matrix (every note by theme
//! and session), the parked questions, the quotes, a summary per site and the observer
//! agreement of every two sessions that recorded the same group.
//!
//! Like the session report it fetches nothing (inline style, no URL of any kind) and prints well:
//! each theme of the framework matrix is a block kept on one page where it fits, table headers
//! repeat on every page. Columns are named by the sessions' labels, never by a number that a
//! filter would change. User text is escaped.

use super::ExportInput;
use super::html::{document_head, escape};
use super::safe_text::separators_removed;
use crate::model::note_text::{FOLLOWUP_TAG, QUOTE_TAG};
use crate::model::review::{CellStatus, Matrix, notes_on};
use crate::model::session::Note;
use crate::model::timefmt::{hms, rfc3339};
use crate::model::vocabulary::{EMERGENT_WORD, legend};
use chrono::{DateTime, Local, Utc};
use std::collections::BTreeMap;
use std::fmt::Write;

const STYLE: &str = "
:root { --ink: #1b1b1b; --muted: #5f6368; --rule: #d0d4d9; --stripe: #f4f6f8;
  --covered: #2e7d32; --discussed: #b26a00; --skipped: #6d6d6d; --missed: #c62828;
  --pending: #1565c0; --absent: #9aa0a6; --gap-bg: #fdecea; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, sans-serif;
  color: var(--ink); max-width: 80rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
.sub, .muted { color: var(--muted); }
.sub { margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--rule); }
th { font-weight: 600; }
thead { display: table-header-group; }
.wide { overflow-x: auto; }
table.matrix th.session { font-weight: 600; min-width: 5.5rem; }
table.matrix th.session small { display: block; font-weight: 400; color: var(--muted); }
table.matrix td.cell { white-space: nowrap; text-align: center; }
td.cell.covered { color: var(--covered); }
td.cell.discussed { color: var(--discussed); }
td.cell.missed { color: var(--missed); }
td.cell.gap { background: var(--gap-bg); font-weight: 700; }
td.cell.skipped { color: var(--skipped); }
td.cell.pending { color: var(--pending); }
td.cell.absent { color: var(--absent); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.optional { color: var(--muted); font-weight: 400; font-size: 0.85em; }
.offset { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; color: var(--muted); }
.speaker { font-weight: 600; }
.tag { display: inline-block; border: 1px solid var(--rule); border-radius: 0.6rem;
  padding: 0 0.4rem; margin: 0 0.15rem 0.1rem 0; font-size: 0.85em; white-space: nowrap; }
ul.notes { list-style: none; margin: 0; padding: 0; }
ul.notes li { margin: 0 0 0.3rem; }
section.theme { margin-bottom: 1rem; }
p.legend { color: var(--muted); font-size: 0.9em; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.85em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  .wide { overflow: visible; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, section.theme { break-inside: avoid; page-break-inside: avoid; }
  section#framework, section#parked { break-before: page; page-break-before: always; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

/// What the study report is made from: the sessions in the matrix's column order, the matrix,
/// the filters in words and the moment the clocks were read.
pub struct StudyInput<'a> {
    pub sessions: &'a [ExportInput<'a>],
    pub matrix: &'a Matrix,
    pub filters: &'a [String],
    pub generated_at: DateTime<Utc>,
}

/// A time for people, local, inside a `<time>` element carrying the exact moment.
fn when(at: DateTime<Utc>) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        rfc3339(at),
        at.with_timezone(&Local).format("%Y-%m-%d %H:%M")
    )
}

/// The report, ending in a newline.
pub fn render(study: &StudyInput) -> String {
    let mut out = String::new();
    let names = study.matrix.column_names();
    let title = format!("Study report: {} sessions", study.sessions.len());
    // Writing to a String cannot fail; the results are ignored with `let _`.
    document_head(&mut out, &title, STYLE);
    let guides = study.matrix.guide_titles();
    let filtered = if study.filters.is_empty() {
        String::new()
    } else {
        format!("; filtered by {}", study.filters.join(", "))
    };
    let _ = writeln!(
        out,
        "<p class=\"sub\">{} on {}{}</p>\n</header>",
        escape(&guides.join("; ")),
        when(study.generated_at),
        escape(&filtered)
    );
    sessions_table(&mut out, study, &names);
    coverage(&mut out, study, &names);
    gaps(&mut out, study, &names);
    sites(&mut out, study);
    super::agreement::study_html(&mut out, study.sessions);
    framework(&mut out, study, &names);
    tagged(
        &mut out,
        study,
        &names,
        "parked",
        "Parked questions",
        FOLLOWUP_TAG,
        "Notes tagged #followup: the questions parked for the end of each session.",
    );
    tagged(
        &mut out,
        study,
        &names,
        "quotes",
        "Quote bank",
        QUOTE_TAG,
        "Every note tagged #quote, across the sessions.",
    );
    let _ = writeln!(
        out,
        "<footer>Written by topicguide {}; the clocks read {}.</footer>",
        env!("CARGO_PKG_VERSION"),
        when(study.generated_at)
    );
    let _ = writeln!(out, "</body>\n</html>");
    separators_removed(out)
}

fn sessions_table(out: &mut String, study: &StudyInput, names: &[String]) {
    let _ = writeln!(
        out,
        "<section id=\"sessions\">\n<h2>Sessions</h2>\n<div class=\"wide\"><table>\n<thead><tr><th>Session</th><th>Site</th><th>Kind</th><th>Note-taker</th><th>Started</th><th>State</th><th class=\"num\">Covered</th><th>Id</th></tr></thead>\n<tbody>"
    );
    for (input, name) in study.sessions.iter().zip(names) {
        let state = input.session.state();
        let meta = &state.meta;
        let mut taker = meta.researcher.as_deref().map(escape).unwrap_or_default();
        if let Some(machine) = &meta.machine {
            let _ = write!(
                taker,
                " <span class=\"muted\">on {}</span>",
                escape(machine)
            );
        }
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}, {}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}/{}</td><td><code>{}</code></td></tr>",
            escape(name),
            escape(meta.site.as_deref().unwrap_or("–")),
            meta.kind,
            meta.mode,
            taker,
            when(state.started_at),
            input.liveness.as_str(),
            state.covered_count(),
            input.session.guide.themes.len(),
            escape(input.id)
        );
    }
    let _ = writeln!(out, "</tbody></table></div>\n</section>");
}

fn session_header(out: &mut String, study: &StudyInput, names: &[String]) {
    for (column, name) in study.matrix.columns.iter().zip(names) {
        let mut small = column.site.clone().unwrap_or_default();
        if !small.is_empty() {
            small.push_str(" · ");
        }
        small.push_str(
            &column
                .started_at
                .with_timezone(&Local)
                .format("%d %b")
                .to_string(),
        );
        let _ = write!(
            out,
            "<th class=\"session\" title=\"{}\">{}<small>{}</small></th>",
            escape(&column.id),
            escape(name),
            escape(&small)
        );
    }
}

fn cell_text(status: CellStatus, minutes: i64) -> String {
    match status {
        CellStatus::Covered | CellStatus::Discussed => {
            format!("{} {minutes}m", status.mark())
        }
        other => other.mark().to_string(),
    }
}

fn coverage(out: &mut String, study: &StudyInput, names: &[String]) {
    let _ = writeln!(
        out,
        "<section id=\"coverage\">\n<h2>Coverage</h2>\n<div class=\"wide\"><table class=\"matrix\">\n<thead><tr><th>Theme</th>"
    );
    session_header(out, study, names);
    let _ = writeln!(out, "<th class=\"num\">Gaps</th></tr></thead>\n<tbody>");
    for row in &study.matrix.rows {
        let optional = if row.emergent {
            format!(" <span class=\"optional emergent\">({EMERGENT_WORD})</span>")
        } else if row.optional_everywhere() {
            " <span class=\"optional\">(optional)</span>".to_string()
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<tr data-theme=\"{}\"><th scope=\"row\">{}{optional}</th>",
            escape(&row.theme_id),
            escape(&row.title)
        );
        for (cell, column) in row.cells.iter().zip(&study.matrix.columns) {
            let _ = write!(
                out,
                "<td class=\"cell {}{}\" data-session=\"{}\" title=\"{}\">{}</td>",
                cell.status.as_str(),
                if cell.is_gap() { " gap" } else { "" },
                escape(&column.id),
                cell.status.label(),
                cell_text(cell.status, cell.minutes())
            );
        }
        let gaps = row.gaps();
        let _ = writeln!(
            out,
            "<td class=\"num\">{}</td></tr>",
            if gaps == 0 {
                "none".to_string()
            } else {
                format!("{gaps} of {}", row.present())
            }
        );
    }
    let legend = legend(&CellStatus::ALL, CellStatus::mark, CellStatus::label, " · ");
    let _ = writeln!(
        out,
        "</tbody></table></div>\n<p class=\"legend\">{}. Minutes are the time each theme was discussed. Gaps: ended sessions where a required theme was missed or left uncovered (optional themes and sessions still to be resumed are not counted).</p>\n</section>",
        escape(&legend)
    );
}

fn gaps(out: &mut String, study: &StudyInput, names: &[String]) {
    let _ = writeln!(out, "<section id=\"gaps\">\n<h2>Gaps</h2>");
    let with_gaps: Vec<_> = study.matrix.rows.iter().filter(|r| r.gaps() > 0).collect();
    if with_gaps.is_empty() {
        let _ = writeln!(
            out,
            "<p>No gaps: every theme was covered or skipped wherever it was due.</p>"
        );
    } else {
        let _ = writeln!(out, "<ul>");
        for row in with_gaps {
            let where_: Vec<String> = row
                .cells
                .iter()
                .zip(names)
                .filter(|(c, _)| c.is_gap())
                .map(|(c, name)| format!("{} ({})", escape(name), c.status.label()))
                .collect();
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>: {} of {} sessions: {}</li>",
                escape(&row.title),
                row.gaps(),
                row.present(),
                where_.join(", ")
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");
}

fn sites(out: &mut String, study: &StudyInput) {
    let mut by_site: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, column) in study.matrix.columns.iter().enumerate() {
        let site = column.site.clone().unwrap_or_else(|| "no site".into());
        by_site.entry(site).or_default().push(i);
    }
    let _ = writeln!(
        out,
        "<section id=\"sites\">\n<h2>By site</h2>\n<table>\n<thead><tr><th>Site</th><th class=\"num\">Sessions</th><th class=\"num\">Themes covered</th><th>Most often a gap</th></tr></thead>\n<tbody>"
    );
    for (site, columns) in &by_site {
        let (mut covered, mut due) = (0, 0);
        let mut gap_counts: Vec<(usize, &str)> = Vec::new();
        for row in &study.matrix.rows {
            let cells = columns.iter().map(|&i| &row.cells[i]);
            let present = cells
                .clone()
                .filter(|c| c.status != CellStatus::Absent)
                .count();
            due += present;
            covered += cells
                .clone()
                .filter(|c| c.status == CellStatus::Covered)
                .count();
            let gaps = cells.filter(|c| c.is_gap()).count();
            if gaps > 0 {
                gap_counts.push((gaps, &row.title));
            }
        }
        gap_counts.sort_by_key(|g| std::cmp::Reverse(g.0));
        let most: Vec<String> = gap_counts
            .iter()
            .take(3)
            .map(|(n, t)| format!("{} ({n})", escape(t)))
            .collect();
        let _ = writeln!(
            out,
            "<tr data-site=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{covered}/{due}</td><td>{}</td></tr>",
            escape(site),
            escape(site),
            columns.len(),
            if most.is_empty() {
                "none".to_string()
            } else {
                most.join(", ")
            }
        );
    }
    let _ = writeln!(out, "</tbody></table>\n</section>");
}

/// One note as a list item: offset, the theme when `theme` names it (for quotes read out of
/// context), speaker, text, tags.
fn note_item(out: &mut String, input: &ExportInput, note: &Note, theme: Option<&str>) {
    let state = input.session.state();
    let speaker = note
        .speaker
        .as_deref()
        .map(|s| format!("<span class=\"speaker\">{}</span> ", escape(s)))
        .unwrap_or_default();
    let tags: String = note
        .tags
        .iter()
        .map(|t| format!(" <span class=\"tag\">#{}</span>", escape(t)))
        .collect();
    let theme = theme
        .map(|t| format!("<span class=\"muted\">{}</span> ", escape(t)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<li><span class=\"offset\">{}</span> {theme}{speaker}{}{tags}</li>",
        hms(state.offset_seconds(note.at)),
        escape(&note.text)
    );
}

fn framework(out: &mut String, study: &StudyInput, names: &[String]) {
    let _ = writeln!(
        out,
        "<section id=\"framework\">\n<h2>Framework matrix</h2>\n<p class=\"muted\">Every note by theme and session, with each session's coverage of the theme.</p>"
    );
    for row in &study.matrix.rows {
        let _ = writeln!(
            out,
            "<section class=\"theme\" data-theme=\"{}\">\n<h3>{}</h3>\n<table>\n<thead><tr><th>Session</th><th>Coverage</th><th>Notes</th></tr></thead>\n<tbody>",
            escape(&row.theme_id),
            escape(&row.title)
        );
        for ((input, name), cell) in study.sessions.iter().zip(names).zip(&row.cells) {
            if cell.status == CellStatus::Absent {
                continue;
            }
            let notes = notes_on(input.session, &row.theme_id);
            let _ = write!(
                out,
                "<tr data-session=\"{}\"><td>{}</td><td class=\"cell {}\">{}</td><td>",
                escape(input.id),
                escape(name),
                cell.status.as_str(),
                cell_text(cell.status, cell.minutes())
            );
            if notes.is_empty() {
                let _ = write!(out, "<span class=\"muted\">no notes</span>");
            } else {
                let _ = writeln!(out, "<ul class=\"notes\">");
                for note in notes {
                    note_item(out, input, note, None);
                }
                let _ = write!(out, "</ul>");
            }
            let _ = writeln!(out, "</td></tr>");
        }
        let _ = writeln!(out, "</tbody></table>\n</section>");
    }
    // Notes filed under no theme, or under one no guide of the study has, are never dropped.
    let known: std::collections::HashSet<&str> = study
        .matrix
        .rows
        .iter()
        .map(|r| r.theme_id.as_str())
        .collect();
    let mut unfiled = String::new();
    for (input, name) in study.sessions.iter().zip(names) {
        let notes: Vec<&Note> = input
            .session
            .state()
            .notes
            .iter()
            .filter(|n| n.theme.as_deref().is_none_or(|t| !known.contains(t)))
            .collect();
        if notes.is_empty() {
            continue;
        }
        let _ = writeln!(
            unfiled,
            "<tr data-session=\"{}\"><td>{}</td><td><ul class=\"notes\">",
            escape(input.id),
            escape(name)
        );
        for note in notes {
            note_item(&mut unfiled, input, note, None);
        }
        let _ = writeln!(unfiled, "</ul></td></tr>");
    }
    if !unfiled.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"theme\" data-theme=\"\">\n<h3>Not filed under a theme</h3>\n<table>\n<thead><tr><th>Session</th><th>Notes</th></tr></thead>\n<tbody>\n{unfiled}</tbody></table>\n</section>"
        );
    }
    let _ = writeln!(out, "</section>");
}

/// Every note with `tag` across the sessions, by session.
fn tagged(
    out: &mut String,
    study: &StudyInput,
    names: &[String],
    id: &str,
    heading: &str,
    tag: &str,
    about: &str,
) {
    let _ = writeln!(
        out,
        "<section id=\"{id}\">\n<h2>{heading}</h2>\n<p class=\"muted\">{about}</p>"
    );
    let mut any = false;
    for (input, name) in study.sessions.iter().zip(names) {
        let guide = &input.session.guide;
        let notes: Vec<&Note> = input
            .session
            .state()
            .notes
            .iter()
            .filter(|n| n.has_tag(tag))
            .collect();
        if notes.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(
            out,
            "<h3 data-session=\"{}\">{}</h3>\n<ul class=\"notes\">",
            escape(input.id),
            escape(name)
        );
        for note in notes {
            let theme = note
                .theme
                .as_deref()
                .map(|t| guide.theme(t).map_or(t, |th| th.title.as_str()))
                .unwrap_or("no theme");
            note_item(out, input, note, Some(theme));
        }
        let _ = writeln!(out, "</ul>");
    }
    if !any {
        let _ = writeln!(out, "<p>None.</p>");
    }
    let _ = writeln!(out, "</section>");
}
