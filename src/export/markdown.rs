//! A Markdown report a person reads: metadata, coverage, what was not addressed, notes by theme.

use super::{ExportInput, participant_summaries};
use crate::model::alerts::end_check;
use crate::model::session::Note;
use crate::model::timefmt::{hms, local_moment, minutes};
use crate::model::vocabulary::ThemeMark;
use std::fmt::Write;

/// Table cells cannot hold a bare `|` or a line break.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

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
    let _ = writeln!(out, "# {} — {}\n", meta.label, guide.title);
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Session | `{}` |", input.id);
    let _ = writeln!(out, "| State | {} |", input.liveness.as_str());
    let version = guide
        .version
        .as_deref()
        .map(|v| format!(" (version {v})"))
        .unwrap_or_default();
    let _ = writeln!(out, "| Guide | {}{} |", cell(&guide.title), version);
    let _ = writeln!(out, "| Kind | {}, {} |", meta.kind, state.mode);
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
        let required = match (theme.emergent, theme.required) {
            (true, _) => " (emergent)",
            (false, true) => "",
            (false, false) => " (optional)",
        };
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
        let _ = writeln!(out, "- Theme: **{title}**");
    }
    for (theme, progress) in guide.themes.iter().zip(&state.themes) {
        if let Some(skip) = &progress.skipped {
            let reason = skip.reason.as_deref().unwrap_or("no reason given");
            let _ = writeln!(
                out,
                "- Skipped: {} ({})",
                theme.title,
                reason.replace(['\n', '\r'], " ")
            );
        }
    }
    for (theme, probe) in &check.probes {
        let _ = writeln!(out, "- Probe of {theme}: {probe}");
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
    sections.push((None, "Outside any theme"));
    for (id, title) in sections {
        let notes: Vec<&Note> = state
            .notes
            .iter()
            .filter(|n| n.theme.as_deref() == id)
            .collect();
        if notes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {title}\n");
        for note in notes {
            let _ = writeln!(out, "{}", note_line(state.offset_seconds(note.at), note));
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
                w.themes.join(", ")
            );
        }
    }
    out
}

fn note_line(offset: i64, note: &Note) -> String {
    let speaker = note
        .speaker
        .as_deref()
        .map(|s| format!("**{s}**: "))
        .unwrap_or_default();
    let edited = if note.edited_at.is_some() {
        " _(edited)_"
    } else {
        ""
    };
    format!(
        "- `{}` {speaker}{}{edited}",
        hms(offset),
        note.text.replace(['\n', '\r'], " ")
    )
}
