//! A Markdown report a person reads: metadata, coverage, what was not addressed, notes by theme.

use super::ExportInput;
use super::report::Report;
use crate::model::session::Note;
use crate::model::timefmt::{hms, local_moment, minutes};
use std::fmt::Write;

/// User text as Markdown shows it literally, on one line: HTML (`<script>`, `<img onerror>`)
/// becomes text, and so does every piece of Markdown syntax that could make a link, an image,
/// code or emphasis (`[x](javascript:...)`, `<javascript:...>`), or end a table cell. Escaped
/// with CommonMark's backslash (any ASCII punctuation may be) or, for `<` and `&`, as entities.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // `(`, `!` and `#` need no escape here: with `[` and `]` escaped no link or image
            // can form, and user text never starts a line.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A table cell: as [`md`], which already escapes `|` and line breaks.
fn cell(text: &str) -> String {
    md(text)
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The report, ending in a newline.
pub fn render(input: &ExportInput) -> String {
    let report = Report::new(input);
    let r = &report;
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored with `let _`.
    let _ = writeln!(out, "# {}\n", md(&r.title()));
    let _ = writeln!(out, "| | |\n|---|---|");
    // An id as topicguide makes them reads as code; any other folder name as escaped text.
    let id = if r
        .id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        format!("`{}`", r.id)
    } else {
        cell(r.id)
    };
    let _ = writeln!(out, "| Session | {id} |");
    let _ = writeln!(out, "| State | {} |", r.liveness.as_str());
    let version = r
        .guide_version
        .map(|v| format!(" (version {})", md(v)))
        .unwrap_or_default();
    let _ = writeln!(out, "| Guide | {}{} |", cell(r.guide_title), version);
    let _ = writeln!(out, "| Kind | {} |", r.kind_and_mode);
    if let Some(site) = r.site {
        let _ = writeln!(out, "| Site | {} |", cell(site));
    }
    if let Some(researcher) = r.researcher {
        let _ = writeln!(out, "| Note-taker | {} |", cell(researcher));
    }
    if let Some(machine) = r.machine {
        let _ = writeln!(out, "| Recorded on | {} |", cell(machine));
    }
    if !r.participants.is_empty() {
        let _ = writeln!(
            out,
            "| Participants | {} |",
            cell(&r.participants.join(", "))
        );
    }
    let _ = writeln!(
        out,
        "| Consent to audio recording | {} |",
        yes_no(r.consent)
    );
    let _ = writeln!(out, "| Started | {} |", local_moment(r.started_at));
    for (ended, reopened) in &r.reopenings {
        let _ = writeln!(
            out,
            "| Ended, then reopened | ended {}, reopened {} |",
            local_moment(*ended),
            local_moment(*reopened)
        );
    }
    if let Some(end) = r.ended_at {
        let _ = writeln!(out, "| Ended | {} |", local_moment(end));
    }
    let _ = writeln!(
        out,
        "| Time | {} of {} planned |",
        minutes(r.elapsed),
        r.planned_minutes
    );
    if let Some((mark, _)) = r.recording_mark {
        let _ = writeln!(
            out,
            "| Recording mark | {} (offsets below count from it) |",
            local_moment(mark)
        );
    }

    let _ = writeln!(out, "\n## Coverage\n");
    let _ = writeln!(out, "| | Theme | Status | Discussed | Budget | Probes |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for row in &r.coverage {
        let required = row
            .qualifier()
            .map(|q| format!(" ({q})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {}{} | {} | {} | {} | {}/{} |",
            row.mark.mark(),
            cell(row.title),
            required,
            row.mark.label(),
            hms(row.discussed_seconds),
            row.budget_minutes
                .map_or("–".into(), |m| format!("{m} min")),
            row.probes_ticked,
            row.probes
        );
    }

    let _ = writeln!(out, "\n## Not addressed\n");
    if r.all_addressed() {
        let _ = writeln!(out, "Every required theme and probe was addressed.");
    }
    for title in &r.unaddressed_themes {
        let _ = writeln!(out, "- Theme: **{}**", md(title));
    }
    for (title, reason) in &r.skips {
        let reason = reason.unwrap_or("no reason given");
        let _ = writeln!(out, "- Skipped: {} ({})", md(title), md(reason));
    }
    for (theme, probe) in &r.unaddressed_probes {
        let _ = writeln!(out, "- Probe of {}: {}", md(theme), md(probe));
    }
    if let Some(lines) = super::transcript_check::lines(input, md) {
        let _ = writeln!(out, "\n## Checked against the transcript\n");
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
    if !r.parked.is_empty() {
        let _ = writeln!(out, "\n## Parked for the end (#followup)\n");
        for note in &r.parked {
            let _ = writeln!(out, "{}", note_line(r.offset(note), note));
        }
    }

    if !r.notes_per_speaker.is_empty() {
        let _ = writeln!(out, "\n## Notes per participant\n");
        let _ = writeln!(out, "| Participant | Notes |\n|---|---|");
        for (name, count) in &r.notes_per_speaker {
            let _ = writeln!(out, "| {} | {count} |", cell(name));
        }
    }

    let _ = writeln!(out, "\n## Notes by theme");
    if !r.any_notes {
        let _ = writeln!(out, "\nNo notes were taken.");
    }
    for section in &r.notes_by_theme {
        let _ = writeln!(out, "\n### {}\n", md(section.title));
        for note in &section.notes {
            let mut line = note_line(r.offset(note), note);
            // A note on a theme the guide snapshot lacks (an edited snapshot) says which.
            if let Some(theme) = note.theme.as_deref().filter(|_| section.mark.is_none()) {
                line.push_str(&format!(" _(theme {})_", md(theme)));
            }
            let _ = writeln!(out, "{line}");
        }
    }

    if !r.warnings.is_empty() {
        let _ = writeln!(out, "\n## Warnings raised\n");
        for w in &r.warnings {
            let _ = writeln!(
                out,
                "- `{}` {}: {}",
                hms(w.offset_seconds),
                w.kind,
                md(&w.themes.join(", "))
            );
        }
    }
    out
}

fn note_line(offset: i64, note: &Note) -> String {
    let speaker = note
        .speaker
        .as_deref()
        .map(|s| format!("**{}**: ", md(s)))
        .unwrap_or_default();
    let edited = if note.edited_at.is_some() {
        " _(edited)_"
    } else {
        ""
    };
    format!("- `{}` {speaker}{}{edited}", hms(offset), md(&note.text))
}
