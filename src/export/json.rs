//! The JSON export, exactly as PRODUCT.md's contract gives it.

use super::ExportInput;
use crate::model::timefmt::rfc3339;
use serde::Serialize;

#[derive(Serialize)]
struct Export<'a> {
    session: SessionOut<'a>,
    themes: Vec<ThemeOut<'a>>,
    notes: Vec<NoteOut<'a>>,
    warnings: Vec<WarningOut<'a>>,
    drafts: Vec<DraftOut<'a>>,
}

/// A draft set aside and never saved as a note: listed so nothing typed is lost.
#[derive(Serialize)]
struct DraftOut<'a> {
    at: String,
    theme: Option<&'a str>,
    text: &'a str,
}

#[derive(Serialize)]
struct SessionOut<'a> {
    id: &'a str,
    label: &'a str,
    kind: &'static str,
    mode: &'static str,
    site: Option<&'a str>,
    participants: Vec<&'a str>,
    consent: bool,
    guide: GuideOut<'a>,
    planned_minutes: u32,
    started_at: String,
    ended_at: Option<String>,
    recording_started_at: Option<String>,
    state: &'static str,
    /// The note-taker: always present, null when not recorded (contract). The machine name is
    /// left to the reports: the contract's key set is exact.
    researcher: Option<&'a str>,
}

#[derive(Serialize)]
struct GuideOut<'a> {
    title: &'a str,
    version: Option<&'a str>,
}

#[derive(Serialize)]
struct ThemeOut<'a> {
    id: &'a str,
    title: &'a str,
    required: bool,
    status: &'static str,
    first_discussed_at: Option<String>,
    covered_at: Option<String>,
    seconds_discussed: i64,
    budget_minutes: Option<u32>,
    probes: Vec<ProbeOut<'a>>,
    /// Added during the session, not in the guide.
    emergent: bool,
}

#[derive(Serialize)]
struct ProbeOut<'a> {
    text: &'a str,
    required: bool,
    checked: bool,
}

#[derive(Serialize)]
struct NoteOut<'a> {
    id: &'a str,
    at: String,
    offset_seconds: i64,
    theme: Option<&'a str>,
    speaker: Option<&'a str>,
    tags: &'a [String],
    text: &'a str,
}

#[derive(Serialize)]
struct WarningOut<'a> {
    at: String,
    kind: &'static str,
    themes: &'a [String],
}

/// The session as pretty-printed JSON, with a final newline.
pub fn render(input: &ExportInput) -> String {
    let guide = &input.session.guide;
    let state = input.session.state();
    let meta = &state.meta;
    let export = Export {
        session: SessionOut {
            id: input.id,
            label: &meta.label,
            kind: meta.kind.as_str(),
            mode: state.mode.as_str(),
            site: meta.site.as_deref(),
            participants: state.participants.iter().map(|p| p.name.as_str()).collect(),
            consent: meta.consent,
            guide: GuideOut {
                title: &guide.title,
                version: guide.version.as_deref(),
            },
            planned_minutes: meta.planned_minutes,
            started_at: rfc3339(state.started_at),
            ended_at: state.ended_at.map(rfc3339),
            recording_started_at: state.recording_started_at.map(rfc3339),
            state: input.liveness.as_str(),
            researcher: meta.researcher.as_deref(),
        },
        themes: guide
            .themes
            .iter()
            .zip(&state.themes)
            .map(|(theme, progress)| ThemeOut {
                id: &theme.id,
                title: &theme.title,
                required: theme.required,
                status: progress.status().as_str(),
                first_discussed_at: progress.first_discussed_at.map(rfc3339),
                covered_at: progress.covered_at.map(rfc3339),
                seconds_discussed: progress.discussed(input.as_of).num_seconds(),
                budget_minutes: theme.minutes,
                probes: theme
                    .probes
                    .iter()
                    .zip(&progress.probes_checked)
                    .map(|(probe, checked)| ProbeOut {
                        text: &probe.text,
                        required: probe.required,
                        checked: *checked,
                    })
                    .collect(),
                emergent: theme.emergent,
            })
            .collect(),
        notes: state
            .notes
            .iter()
            .map(|n| NoteOut {
                id: &n.id,
                at: rfc3339(n.at),
                offset_seconds: state.offset_seconds(n.at),
                theme: n.theme.as_deref(),
                speaker: n.speaker.as_deref(),
                tags: &n.tags,
                text: &n.text,
            })
            .collect(),
        warnings: state
            .warnings
            .iter()
            .map(|w| WarningOut {
                at: rfc3339(w.at),
                kind: w.kind.as_str(),
                themes: &w.themes,
            })
            .collect(),
        drafts: state
            .drafts
            .iter()
            .map(|d| DraftOut {
                at: rfc3339(d.at),
                theme: d.theme.as_deref(),
                text: &d.text,
            })
            .collect(),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&export).unwrap_or_default();
    text.push('\n');
    text
}
