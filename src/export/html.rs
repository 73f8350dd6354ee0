//! A self-contained HTML report: metadata, coverage, what was not addressed, a timeline drawing
//! and the notes by theme.
//!
//! One file that fetches nothing: the style sheet is inline, the timeline is inline SVG, and no
//! URL of any kind is written (the SVG needs no namespace attribute inside HTML). It prints well
//! (`@media print`). Statuses are shown by symbol and word as well as colour: ○ not started,
//! ▶ in discussion (the theme under discussion in a session not yet ended), ◐ discussed and not
//! covered, ✓ covered, – skipped. All user text is escaped. The timeline has a row per theme,
//! a bar for each stretch of time the theme was discussed (x = time from the start of the
//! session, pauses show as gaps), a tick per note at the time it was taken, the recording mark
//! as a dashed line, and an axis in minutes.

use super::ExportInput;
use super::report::Report;
use crate::model::session::Note;
use crate::model::timefmt::{hms, local_moment, rfc3339};
use crate::model::vocabulary::ThemeMark;
use chrono::{DateTime, Utc};
use std::fmt::Write;

/// The timeline's width in SVG units.
const SVG_WIDTH: f64 = 960.0;
/// Where the bars start: the theme titles are to their left.
const PLOT_LEFT: f64 = 270.0;
/// Where the bars end.
const PLOT_RIGHT: f64 = 940.0;
/// Room above the first row for the recording mark's label.
const PLOT_TOP: f64 = 24.0;
/// Height of one theme's row.
const ROW_HEIGHT: f64 = 24.0;
/// Room under the rows for the time axis.
const AXIS_HEIGHT: f64 = 34.0;
/// Theme titles longer than this are cut (with …) in the timeline; the full title is its tooltip.
const LABEL_CHARS: usize = 33;
/// Time axis steps to choose from, in minutes: the smallest giving at most [`MAX_AXIS_TICKS`].
const AXIS_STEPS: [i64; 9] = [1, 2, 5, 10, 15, 20, 30, 60, 120];
const MAX_AXIS_TICKS: i64 = 12;

const STYLE: &str = "
:root { --ink: #1b1b1b; --muted: #5f6368; --rule: #d0d4d9; --stripe: #f4f6f8;
  --covered: #2e7d32; --discussing: #1565c0; --discussed: #b26a00; --skipped: #6d6d6d;
  --not-started: #9aa0a6; --rec: #c62828; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, sans-serif;
  color: var(--ink); max-width: 64rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin-bottom: 0.4rem; }
.sub { color: var(--muted); margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--rule); }
th { font-weight: 600; }
table.meta th { width: 14rem; color: var(--muted); font-weight: 500; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.offset { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
.status { white-space: nowrap; font-weight: 600; }
.status.covered { color: var(--covered); }
.status.discussing { color: var(--discussing); }
.status.discussed { color: var(--discussed); }
.status.skipped { color: var(--skipped); }
.status.not-started { color: var(--not-started); }
.tag { display: inline-block; border: 1px solid var(--rule); border-radius: 0.6rem;
  padding: 0 0.4rem; margin: 0 0.15rem 0.1rem 0; font-size: 0.85em; white-space: nowrap; }
.muted { color: var(--muted); }
.ok { color: var(--covered); }
figure { margin: 0.5rem 0; }
figcaption { color: var(--muted); font-size: 0.9em; }
svg.timeline { width: 100%; height: auto; font-size: 12px; }
svg.timeline text { fill: var(--ink); }
svg.timeline .stripe { fill: var(--stripe); }
svg.timeline .bar { stroke: none; }
svg.timeline .bar.covered { fill: var(--covered); }
svg.timeline .bar.discussing { fill: var(--discussing); }
svg.timeline .bar.discussed { fill: var(--discussed); }
svg.timeline .bar.skipped { fill: var(--skipped); }
svg.timeline .bar.not-started { fill: var(--not-started); }
svg.timeline .tick { stroke: var(--ink); stroke-width: 1.5; }
svg.timeline .axis { stroke: var(--muted); stroke-width: 1; }
svg.timeline .axis-label { fill: var(--muted); font-size: 11px; }
svg.timeline .rec { stroke: var(--rec); stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.timeline .rec-label { fill: var(--rec); font-size: 11px; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.85em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, figure { break-inside: avoid; page-break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

/// Escapes text for HTML content and attribute values (inline SVG included).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A time for people, local, inside a `<time>` element carrying the exact moment.
fn when(at: DateTime<Utc>) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        rfc3339(at),
        local_moment(at)
    )
}

/// The start of a self-contained page: doctype, metadata, the title, the inline style, and the
/// opening of the header with the title as its heading (the caller closes the header).
pub fn document_head(out: &mut String, title: &str, style: &str) {
    // Writing to a String cannot fail; the results are ignored with `let _`.
    let _ = writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>");
    let _ = writeln!(out, "<meta charset=\"utf-8\">");
    let _ = writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"topicguide {}\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>{style}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", escape(title));
}

/// The report, ending in a newline.
pub fn render(input: &ExportInput) -> String {
    let report = Report::new(input);
    let r = &report;
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored with `let _`.
    let title = r.title();
    document_head(&mut out, &title, STYLE);
    let _ = writeln!(
        out,
        "<p class=\"sub\">Field session report: coverage of the topic guide and the field notes</p>\n</header>"
    );

    metadata(&mut out, r);
    coverage(&mut out, r);
    not_addressed(&mut out, r);
    let _ = writeln!(out, "<section id=\"timeline\">\n<h2>Timeline</h2>");
    timeline(&mut out, input);
    let _ = writeln!(out, "</section>");
    per_participant(&mut out, r);
    notes_by_theme(&mut out, r);
    warnings(&mut out, r);

    let _ = writeln!(
        out,
        "<footer>Exported by topicguide {} from session <code>{}</code>; the clock read {}.</footer>",
        env!("CARGO_PKG_VERSION"),
        escape(r.id),
        when(r.as_of)
    );
    let _ = writeln!(out, "</body>\n</html>");
    out
}

fn row(out: &mut String, head: &str, cell: &str) {
    let _ = writeln!(out, "<tr><th scope=\"row\">{head}</th><td>{cell}</td></tr>");
}

fn metadata(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "<section id=\"session\">\n<h2>Session</h2>\n<table class=\"meta\">"
    );
    row(out, "Session", &format!("<code>{}</code>", escape(r.id)));
    row(out, "Label", &escape(r.label));
    row(out, "State", r.liveness.as_str());
    let version = r
        .guide_version
        .map(|v| format!(" (version {})", escape(v)))
        .unwrap_or_default();
    row(out, "Guide", &format!("{}{version}", escape(r.guide_title)));
    row(out, "Kind", &r.kind_and_mode);
    if let Some(site) = r.site {
        row(out, "Site", &escape(site));
    }
    if let Some(researcher) = r.researcher {
        row(out, "Note-taker", &escape(researcher));
    }
    if let Some(machine) = r.machine {
        row(out, "Recorded on", &escape(machine));
    }
    let names: Vec<String> = r.participants.iter().map(|n| escape(n)).collect();
    if !names.is_empty() {
        row(out, "Participants", &names.join(", "));
    }
    row(
        out,
        "Consent to audio recording",
        if r.consent { "yes" } else { "no" },
    );
    row(out, "Started", &when(r.started_at));
    if let Some(end) = r.ended_at {
        row(out, "Ended", &when(end));
    }
    row(
        out,
        "Time",
        &format!(
            "{} of {} min planned",
            r.elapsed.num_minutes(),
            r.planned_minutes
        ),
    );
    match r.recording_mark {
        Some((mark, after_start)) => row(
            out,
            "Recording mark",
            &format!(
                "{} ({} after the start; note offsets count from it)",
                when(mark),
                hms(after_start)
            ),
        ),
        None => row(
            out,
            "Recording mark",
            "none: note offsets count from the start",
        ),
    }
    let _ = writeln!(out, "</table>\n</section>");
}

fn coverage(out: &mut String, r: &Report) {
    let _ = writeln!(out, "<section id=\"coverage\">\n<h2>Coverage</h2>");
    let _ = writeln!(
        out,
        "<p>{} of {} themes covered, {} skipped.</p>",
        r.covered,
        r.coverage.len(),
        r.skipped
    );
    let _ = writeln!(
        out,
        "<table class=\"coverage\">\n<thead><tr><th>Status</th><th>Theme</th><th class=\"num\">Discussed</th><th class=\"num\">Budget</th><th class=\"num\">Probes ticked</th></tr></thead>\n<tbody>"
    );
    for row in &r.coverage {
        let s = row.mark;
        let optional = row
            .qualifier()
            .map(|q| format!(" <span class=\"muted\">({q})</span>"))
            .unwrap_or_default();
        let reason = row
            .skip_reason
            .map(|reason| format!(" <span class=\"muted\">({})</span>", escape(reason)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td class=\"status {}\">{} {}</td><td>{}{optional}{reason}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}/{}</td></tr>",
            s.class(),
            s.mark(),
            s.label(),
            escape(row.title),
            hms(row.discussed_seconds),
            row.budget_minutes
                .map_or("–".into(), |m| format!("{m} min")),
            row.probes_ticked,
            row.probes
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

fn not_addressed(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "<section id=\"not-addressed\">\n<h2>Not addressed</h2>"
    );
    if r.all_addressed() {
        let _ = writeln!(
            out,
            "<p class=\"ok\">{} Every required theme and probe was addressed.</p>",
            ThemeMark::Covered.mark()
        );
    } else {
        let _ = writeln!(out, "<ul>");
        for title in &r.unaddressed_themes {
            let _ = writeln!(out, "<li>Theme: <strong>{}</strong></li>", escape(title));
        }
        for (theme, probe) in &r.unaddressed_probes {
            let _ = writeln!(
                out,
                "<li>Probe of {}: {}</li>",
                escape(theme),
                escape(probe)
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    if !r.parked.is_empty() {
        let _ = writeln!(out, "<h3>Parked for the end (#followup)</h3>");
        notes_table(out, r, &r.parked);
    }
    let _ = writeln!(out, "</section>");
}

fn per_participant(out: &mut String, r: &Report) {
    if r.notes_per_speaker.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"participants\">\n<h2>Notes per participant</h2>\n<table>\n<thead><tr><th>Participant</th><th class=\"num\">Notes</th></tr></thead>\n<tbody>"
    );
    for (name, count) in &r.notes_per_speaker {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{count}</td></tr>",
            escape(name)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

fn notes_table(out: &mut String, r: &Report, notes: &[&Note]) {
    let _ = writeln!(
        out,
        "<table class=\"notes\">\n<thead><tr><th>Offset</th><th>Speaker</th><th>Note</th><th>Tags</th></tr></thead>\n<tbody>"
    );
    for note in notes {
        let speaker = note
            .speaker
            .as_deref()
            .map_or("<span class=\"muted\">–</span>".to_string(), escape);
        let tags: Vec<String> = note
            .tags
            .iter()
            .map(|t| format!("<span class=\"tag\">#{}</span>", escape(t)))
            .collect();
        let edited = if note.edited_at.is_some() {
            " <span class=\"muted\">(edited)</span>"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr id=\"note-{}\"><td class=\"offset\">{}</td><td>{speaker}</td><td>{}{edited}</td><td>{}</td></tr>",
            escape(&note.id),
            hms(r.offset(note)),
            escape(&note.text),
            tags.join(" ")
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

fn notes_by_theme(out: &mut String, r: &Report) {
    let from = if r.recording_mark.is_some() {
        "the recording mark"
    } else {
        "the start of the session"
    };
    let _ = writeln!(out, "<section id=\"notes\">\n<h2>Notes by theme</h2>");
    if !r.any_notes {
        let _ = writeln!(out, "<p>No notes were taken.</p>\n</section>");
        return;
    }
    let _ = writeln!(out, "<p class=\"muted\">Offsets count from {from}.</p>");
    for section in &r.notes_by_theme {
        match section.mark {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "<h3><span class=\"status {}\" title=\"{}\">{}</span> {}</h3>",
                    s.class(),
                    s.label(),
                    s.mark(),
                    escape(section.title)
                );
            }
            None => {
                let _ = writeln!(out, "<h3>{}</h3>", escape(section.title));
            }
        }
        notes_table(out, r, &section.notes);
    }
    let _ = writeln!(out, "</section>");
}

fn warnings(out: &mut String, r: &Report) {
    if r.warnings.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"warnings\">\n<h2>Warnings raised</h2>\n<ul>"
    );
    for w in &r.warnings {
        let _ = writeln!(
            out,
            "<li><span class=\"offset\">{}</span> {}: {}</li>",
            hms(w.offset_seconds),
            w.kind,
            escape(&w.themes.join(", "))
        );
    }
    let _ = writeln!(out, "</ul>\n</section>");
}

/// Seconds (with fractions) from `from` to `to`.
fn secs(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_milliseconds() as f64 / 1000.0
}

/// `Title…` cut to `max` characters.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The timeline drawing: inline SVG, a row per theme (and one for notes outside any theme).
fn timeline(out: &mut String, input: &ExportInput) {
    let guide = &input.session.guide;
    let state = input.session.state();
    let start = state.started_at;
    let mut end = input.as_of.max(start);
    for progress in &state.themes {
        for span in &progress.spans {
            end = end.max(span.end.unwrap_or(input.as_of));
        }
    }
    for note in &state.notes {
        end = end.max(note.at);
    }
    if let Some(mark) = state.recording_started_at {
        end = end.max(mark);
    }
    let total = secs(start, end).max(60.0);
    let x = |at: DateTime<Utc>| {
        PLOT_LEFT + secs(start, at).clamp(0.0, total) / total * (PLOT_RIGHT - PLOT_LEFT)
    };
    let unthemed: Vec<&Note> = state
        .notes
        .iter()
        .filter(|n| n.theme.as_deref().and_then(|id| guide.theme(id)).is_none())
        .collect();
    let rows = guide.themes.len() + usize::from(!unthemed.is_empty());
    let rows_bottom = PLOT_TOP + rows as f64 * ROW_HEIGHT;
    let height = rows_bottom + AXIS_HEIGHT;
    let _ = writeln!(
        out,
        "<figure>\n<svg class=\"timeline\" viewBox=\"0 0 {SVG_WIDTH:.0} {height:.0}\" role=\"img\" aria-labelledby=\"timeline-title\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"timeline-title\">When each theme was discussed, with a tick for each note</title>"
    );
    // A note's tooltip gives its time on the axis and, with a mark, its offset in the recording.
    let note_tick = |out: &mut String, note: &Note, y: f64| {
        let nx = x(note.at);
        let speaker = note
            .speaker
            .as_deref()
            .map(|s| format!("{s}: "))
            .unwrap_or_default();
        let recording = state
            .recording_started_at
            .map(|_| format!(" ({} in the recording)", hms(state.offset_seconds(note.at))))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<line class=\"tick\" x1=\"{nx:.1}\" y1=\"{:.1}\" x2=\"{nx:.1}\" y2=\"{:.1}\"><title>{} from the start{recording}: {}</title></line>",
            y + 16.0,
            y + 23.0,
            hms((note.at - start).num_seconds()),
            escape(&format!("{speaker}{}", note.text))
        );
    };
    for (i, (theme, progress)) in guide.themes.iter().zip(&state.themes).enumerate() {
        let y = PLOT_TOP + i as f64 * ROW_HEIGHT;
        let s = ThemeMark::of(state, i);
        if i % 2 == 0 {
            let _ = writeln!(
                out,
                "<rect class=\"stripe\" x=\"0\" y=\"{y:.1}\" width=\"{SVG_WIDTH:.0}\" height=\"{ROW_HEIGHT:.0}\"/>"
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} {}<title>{}: {}</title></text>",
            PLOT_LEFT - 10.0,
            y + 16.0,
            s.mark(),
            escape(&cut(&theme.title, LABEL_CHARS)),
            escape(&theme.title),
            s.label()
        );
        for span in &progress.spans {
            let span_end = span.end.unwrap_or(input.as_of).max(span.start);
            let x1 = x(span.start);
            let width = (x(span_end) - x1).max(1.0);
            let _ = writeln!(
                out,
                "<rect class=\"bar {}\" x=\"{x1:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"11\"><title>{}: {}–{} from the start</title></rect>",
                s.class(),
                y + 4.0,
                escape(&theme.title),
                hms(secs(start, span.start) as i64),
                hms(secs(start, span_end) as i64)
            );
        }
        for note in state
            .notes
            .iter()
            .filter(|n| n.theme.as_deref() == Some(theme.id.as_str()))
        {
            note_tick(out, note, y);
        }
    }
    if !unthemed.is_empty() {
        let y = PLOT_TOP + guide.themes.len() as f64 * ROW_HEIGHT;
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">Outside any theme</text>",
            PLOT_LEFT - 10.0,
            y + 16.0
        );
        for note in unthemed {
            note_tick(out, note, y);
        }
    }
    // The time axis, in minutes from the start.
    let axis_y = rows_bottom + 6.0;
    let _ = writeln!(
        out,
        "<line class=\"axis\" x1=\"{PLOT_LEFT:.1}\" y1=\"{axis_y:.1}\" x2=\"{PLOT_RIGHT:.1}\" y2=\"{axis_y:.1}\"/>"
    );
    let total_minutes = (total / 60.0).ceil() as i64;
    let step = AXIS_STEPS
        .iter()
        .copied()
        .find(|s| total_minutes / s <= MAX_AXIS_TICKS)
        // A session spanning days or years (a clock that jumped): still at most that many
        // ticks, so the drawing stays small whatever the dates say.
        .unwrap_or_else(|| (total_minutes / MAX_AXIS_TICKS).max(1) + 1);
    let mut minute = 0;
    while (minute * 60) as f64 <= total {
        let tx = PLOT_LEFT + (minute * 60) as f64 / total * (PLOT_RIGHT - PLOT_LEFT);
        let _ = writeln!(
            out,
            "<line class=\"axis\" x1=\"{tx:.1}\" y1=\"{axis_y:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\"/><text class=\"axis-label\" x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{minute}</text>",
            axis_y + 4.0,
            axis_y + 17.0
        );
        minute += step;
    }
    let _ = writeln!(
        out,
        "<text class=\"axis-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">minutes from the start</text>",
        PLOT_LEFT - 10.0,
        axis_y + 17.0
    );
    if let Some(mark) = state.recording_started_at {
        let mx = x(mark);
        let _ = writeln!(
            out,
            "<line class=\"rec\" x1=\"{mx:.1}\" y1=\"{:.1}\" x2=\"{mx:.1}\" y2=\"{rows_bottom:.1}\"><title>Recording mark at {} from the start</title></line>",
            PLOT_TOP - 8.0,
            hms((mark - start).num_seconds())
        );
        // The label reads away from the nearer edge so it stays inside the drawing.
        let (lx, anchor) = if mx > (PLOT_LEFT + PLOT_RIGHT) / 2.0 {
            (mx - 4.0, "end")
        } else {
            (mx + 4.0, "start")
        };
        let _ = writeln!(
            out,
            "<text class=\"rec-label\" x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">● recording from {}</text>",
            PLOT_TOP - 10.0,
            hms((mark - start).num_seconds())
        );
    }
    let _ = writeln!(out, "</svg>");
    let _ = writeln!(
        out,
        "<figcaption>A bar for each stretch of time a theme was discussed (gaps are pauses or other themes), in the colour of the theme's status; the symbol before each title says the status too. A tick under a bar is a note. The dashed line is the recording mark. Time runs in minutes from the start of the session.</figcaption>\n</figure>"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<b>\"Tom & Jerry's\"</b>"),
            "&lt;b&gt;&quot;Tom &amp; Jerry&#39;s&quot;&lt;/b&gt;"
        );
    }

    #[test]
    fn cuts_long_titles() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }
}
