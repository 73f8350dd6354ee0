//! A Markdown report a person reads: metadata, coverage, what was not addressed, notes by theme.

use super::{ExportInput, participant_summaries};
use crate::model::alerts::end_check;
use crate::model::session::Note;
use crate::model::timefmt::{hms, local_moment, minutes};
use crate::model::vocabulary::ThemeMark;
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

/// The section of notes outside any theme of the guide.
const OTHER: &str = "Other (outside any theme of the guide)";

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The report, ending in a newline.
pub fn render(input: &ExportInput) -> String {
    let guide = &input.session.guide;
    let state = input.session.state();
    let meta = &state.meta;
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored with `let _`.
    let _ = writeln!(out, "# {} — {}\n", md(&meta.label), md(&guide.title));
    let _ = writeln!(out, "| | |\n|---|---|");
    // An id as topicguide makes them reads as code; any other folder name as escaped text.
    let id = if input
        .id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        format!("`{}`", input.id)
    } else {
        cell(input.id)
    };
    let _ = writeln!(out, "| Session | {id} |");
    let _ = writeln!(out, "| State | {} |", input.liveness.as_str());
    let version = guide
        .version
        .as_deref()
        .map(|v| format!(" (version {})", md(v)))
        .unwrap_or_default();
    let _ = writeln!(out, "| Guide | {}{} |", cell(&guide.title), version);
    let _ = writeln!(out, "| Kind | {}, {} |", meta.kind, meta.mode);
    if let Some(site) = &meta.site {
        let _ = writeln!(out, "| Site | {} |", cell(site));
    }
    if let Some(researcher) = &meta.researcher {
        let _ = writeln!(out, "| Note-taker | {} |", cell(researcher));
    }
    if let Some(machine) = &meta.machine {
        let _ = writeln!(out, "| Recorded on | {} |", cell(machine));
    }
    let names = participant_summaries(state);
    if !names.is_empty() {
        let _ = writeln!(out, "| Participants | {} |", cell(&names.join(", ")));
    }
    let _ = writeln!(
        out,
        "| Consent to audio recording | {} |",
        yes_no(meta.consent)
    );
    let _ = writeln!(out, "| Started | {} |", local_moment(state.started_at));
    if let Some(end) = state.ended_at {
        let _ = writeln!(out, "| Ended | {} |", local_moment(end));
    }
    let _ = writeln!(
        out,
        "| Time | {} of {} planned |",
        minutes(state.elapsed(input.as_of)),
        meta.planned_minutes
    );
    if let Some(mark) = state.recording_started_at {
        let _ = writeln!(
            out,
            "| Recording mark | {} (offsets below count from it) |",
            local_moment(mark)
        );
    }

    let _ = writeln!(out, "\n## Coverage\n");
    let _ = writeln!(out, "| | Theme | Status | Discussed | Budget | Probes |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for (i, (theme, progress)) in guide.themes.iter().zip(&state.themes).enumerate() {
        let status = ThemeMark::of(state, i);
        let checked = progress.probes_checked.iter().filter(|c| **c).count();
        let required = if theme.required { "" } else { " (optional)" };
        let _ = writeln!(
            out,
            "| {} | {}{} | {} | {} | {} | {}/{} |",
            status.mark(),
            cell(&theme.title),
            required,
            status.label(),
            hms(progress.discussed(input.as_of).num_seconds()),
            theme.minutes.map_or("–".into(), |m| format!("{m} min")),
            checked,
            theme.probes.len()
        );
    }

    let check = end_check(guide, state);
    let _ = writeln!(out, "\n## Not addressed\n");
    if check.themes.is_empty() && check.probes.is_empty() {
        let _ = writeln!(out, "Every required theme and probe was addressed.");
    }
    for title in &check.themes {
        let _ = writeln!(out, "- Theme: **{}**", md(title));
    }
    for (theme, progress) in guide.themes.iter().zip(&state.themes) {
        if let Some(skip) = &progress.skipped {
            let reason = skip.reason.as_deref().unwrap_or("no reason given");
            let _ = writeln!(out, "- Skipped: {} ({})", md(&theme.title), md(reason));
        }
    }
    for (theme, probe) in &check.probes {
        let _ = writeln!(out, "- Probe of {}: {}", md(theme), md(probe));
    }
    if !check.followups.is_empty() {
        let _ = writeln!(out, "\n## Parked for the end (#followup)\n");
        for note in &check.followups {
            let _ = writeln!(out, "{}", note_line(state.offset_seconds(note.at), note));
        }
    }

    let speakers = state.notes_per_speaker();
    if !speakers.is_empty() {
        let _ = writeln!(out, "\n## Notes per participant\n");
        let _ = writeln!(out, "| Participant | Notes |\n|---|---|");
        for (name, count) in speakers {
            let _ = writeln!(out, "| {} | {count} |", cell(&name));
        }
    }

    let _ = writeln!(out, "\n## Notes by theme");
    if state.notes.is_empty() {
        let _ = writeln!(out, "\nNo notes were taken.");
    }
    let mut sections: Vec<(Option<&str>, &str)> = guide
        .themes
        .iter()
        .map(|t| (Some(t.id.as_str()), t.title.as_str()))
        .collect();
    // Last, every note no section above holds: taken outside any theme, or on a theme the
    // session's guide snapshot no longer has (an edited snapshot). No note is ever left out.
    sections.push((None, OTHER));
    for (id, title) in sections {
        let notes: Vec<&Note> = state
            .notes
            .iter()
            .filter(|n| match id {
                Some(id) => n.theme.as_deref() == Some(id),
                None => n.theme.as_deref().is_none_or(|t| guide.theme(t).is_none()),
            })
            .collect();
        if notes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {}\n", md(title));
        for note in notes {
            let mut line = note_line(state.offset_seconds(note.at), note);
            // A note on a theme the guide snapshot lacks says which theme it was on.
            if let Some(theme) = note.theme.as_deref().filter(|_| id.is_none()) {
                line.push_str(&format!(" _(theme {})_", md(theme)));
            }
            let _ = writeln!(out, "{line}");
        }
    }

    if !state.warnings.is_empty() {
        let _ = writeln!(out, "\n## Warnings raised\n");
        for w in &state.warnings {
            let _ = writeln!(
                out,
                "- `{}` {}: {}",
                hms(state.offset_seconds(w.at)),
                w.kind.as_str(),
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
