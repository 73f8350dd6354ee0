//! The report of one session, built once and rendered twice (Markdown and HTML): its metadata,
//! coverage, what was not addressed, the questions parked for the end, notes per participant,
//! notes by theme, and the warnings raised, with theme titles rather than ids.

use super::{ExportInput, participant_summaries};
use crate::model::alerts::end_check;
use crate::model::session::Note;
use crate::model::vocabulary::{SessionLiveness, ThemeMark};
use chrono::{DateTime, Duration, Utc};

/// One theme's row in the coverage table.
pub struct CoverageRow<'a> {
    pub mark: ThemeMark,
    pub title: &'a str,
    pub required: bool,
    /// Added in the room, not in the guide.
    pub emergent: bool,
    /// Why it was skipped, when it was and a reason was given.
    pub skip_reason: Option<&'a str>,
    pub discussed_seconds: i64,
    pub budget_minutes: Option<u32>,
    pub probes_ticked: usize,
    pub probes: usize,
}

/// A heading and the notes under it; `mark` is None for the notes outside any theme.
pub struct NoteSection<'a> {
    pub mark: Option<ThemeMark>,
    pub title: &'a str,
    pub notes: Vec<&'a Note>,
}

/// A warning as raised: when (offset), which kind, about which themes (by title).
pub struct WarningRow<'a> {
    pub offset_seconds: i64,
    pub kind: &'static str,
    pub themes: Vec<&'a str>,
}

/// Everything a report says about a session.
pub struct Report<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub liveness: SessionLiveness,
    pub guide_title: &'a str,
    pub guide_version: Option<&'a str>,
    /// `focus group, in person`.
    pub kind_and_mode: String,
    pub site: Option<&'a str>,
    pub researcher: Option<&'a str>,
    pub machine: Option<&'a str>,
    /// `P5 (arrived 00:12:00)`.
    pub participants: Vec<String>,
    pub consent: bool,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Each time it was ended and reopened (`resume --reopen`): (ended, reopened).
    pub reopenings: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Time the session has run, pauses left out.
    pub elapsed: Duration,
    pub planned_minutes: u32,
    /// The recording mark and how long after the start it came, in seconds.
    pub recording_mark: Option<(DateTime<Utc>, i64)>,
    /// The moment the session's clock stands at.
    pub as_of: DateTime<Utc>,
    pub coverage: Vec<CoverageRow<'a>>,
    pub covered: usize,
    pub skipped: usize,
    /// Required themes neither covered nor skipped, by title.
    pub unaddressed_themes: Vec<&'a str>,
    /// (theme title, probe text) of required probes not ticked.
    pub unaddressed_probes: Vec<(&'a str, &'a str)>,
    /// (theme title, reason) of the themes skipped.
    pub skips: Vec<(&'a str, Option<&'a str>)>,
    /// Notes tagged #followup: questions parked for the end.
    pub parked: Vec<&'a Note>,
    /// (speaker, notes) for everyone who spoke.
    pub notes_per_speaker: Vec<(String, usize)>,
    /// Notes by theme in guide order, then those outside any theme of the guide; sections
    /// without notes are left out.
    pub notes_by_theme: Vec<NoteSection<'a>>,
    pub any_notes: bool,
    pub warnings: Vec<WarningRow<'a>>,
    /// A note's offset in seconds: from the recording mark when there is one, else the start.
    offset_origin: DateTime<Utc>,
}

impl CoverageRow<'_> {
    /// The words after a theme's title: emergent, or optional.
    pub fn qualifier(&self) -> Option<&'static str> {
        if self.emergent {
            Some(crate::model::vocabulary::EMERGENT_WORD)
        } else if !self.required {
            Some("optional")
        } else {
            None
        }
    }
}

impl<'a> Report<'a> {
    /// The report of the session `input` names, as its clock stands.
    pub fn new(input: &'a ExportInput<'a>) -> Self {
        let guide = &input.session.guide;
        let state = input.session.state();
        let meta = &state.meta;
        let check = end_check(guide, state);
        let coverage = guide
            .themes
            .iter()
            .zip(&state.themes)
            .enumerate()
            .map(|(i, (theme, progress))| CoverageRow {
                mark: ThemeMark::of(state, i),
                title: &theme.title,
                required: theme.required,
                emergent: theme.emergent,
                skip_reason: progress.skipped.as_ref().and_then(|s| s.reason.as_deref()),
                discussed_seconds: progress.discussed(input.as_of).num_seconds(),
                budget_minutes: theme.minutes,
                probes_ticked: progress.probes_checked.iter().filter(|c| **c).count(),
                probes: theme.probes.len(),
            })
            .collect();
        let skips = guide
            .themes
            .iter()
            .zip(&state.themes)
            .filter_map(|(theme, progress)| {
                let skip = progress.skipped.as_ref()?;
                Some((theme.title.as_str(), skip.reason.as_deref()))
            })
            .collect();
        let mut notes_by_theme: Vec<NoteSection> = guide
            .themes
            .iter()
            .enumerate()
            .map(|(i, theme)| NoteSection {
                mark: Some(ThemeMark::of(state, i)),
                title: &theme.title,
                notes: state
                    .notes
                    .iter()
                    .filter(|n| n.theme.as_deref() == Some(theme.id.as_str()))
                    .collect(),
            })
            .collect();
        notes_by_theme.push(NoteSection {
            mark: None,
            title: "Outside any theme",
            notes: state
                .notes
                .iter()
                .filter(|n| n.theme.as_deref().and_then(|id| guide.theme(id)).is_none())
                .collect(),
        });
        notes_by_theme.retain(|s| !s.notes.is_empty());
        let warnings = state
            .warnings
            .iter()
            .map(|w| WarningRow {
                offset_seconds: state.offset_seconds(w.at),
                kind: w.kind.as_str(),
                themes: w
                    .themes
                    .iter()
                    .map(|id| guide.theme(id).map_or(id.as_str(), |t| t.title.as_str()))
                    .collect(),
            })
            .collect();
        Report {
            id: input.id,
            label: &meta.label,
            liveness: input.liveness,
            guide_title: &guide.title,
            guide_version: guide.version.as_deref(),
            // The mode now: a call that moved to the telephone is a telephone interview.
            kind_and_mode: format!("{}, {}", meta.kind, state.mode),
            site: meta.site.as_deref(),
            researcher: meta.researcher.as_deref(),
            machine: meta.machine.as_deref(),
            participants: participant_summaries(state),
            consent: meta.consent,
            started_at: state.started_at,
            ended_at: state.ended_at,
            reopenings: state
                .reopenings
                .iter()
                .map(|r| (r.ended_at, r.reopened_at))
                .collect(),
            elapsed: state.elapsed(input.as_of),
            planned_minutes: meta.planned_minutes,
            recording_mark: state
                .recording_started_at
                .map(|mark| (mark, (mark - state.started_at).num_seconds())),
            as_of: input.as_of,
            coverage,
            covered: state.covered_count(),
            skipped: state.themes.iter().filter(|t| t.skipped.is_some()).count(),
            unaddressed_themes: check.themes,
            unaddressed_probes: check.probes,
            skips,
            parked: check.followups,
            notes_per_speaker: state.notes_per_speaker(),
            notes_by_theme,
            any_notes: !state.notes.is_empty(),
            warnings,
            offset_origin: state.offset_origin(),
        }
    }

    /// The title both renderings head the report with: `Group 1 — The guide`.
    pub fn title(&self) -> String {
        format!("{} — {}", self.label, self.guide_title)
    }

    /// A note's offset in seconds, as every list of notes in the report gives it.
    pub fn offset(&self, note: &Note) -> i64 {
        (note.at - self.offset_origin).num_seconds()
    }

    /// Whether nothing required was left unaddressed.
    pub fn all_addressed(&self) -> bool {
        self.unaddressed_themes.is_empty() && self.unaddressed_probes.is_empty()
    }
}
