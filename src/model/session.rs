//! Session state as a pure fold over journal records. Time is passed in; nothing here reads a clock.

use super::emergent::{cancelled_records, changes_themes, session_guide};
use super::event::{Event, Record, SessionMeta, WarningKind};
use super::guide::{Guide, SessionMode};
use super::note_text::{FOLLOWUP_TAG, parse_note};
use super::transcript::TranscriptRef;
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Where a theme stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThemeStatus {
    NotStarted,
    /// Discussed at some point (or now) and not yet covered.
    InDiscussion,
    Covered,
    Skipped,
}

impl ThemeStatus {
    /// The name the JSON export and CSV use.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeStatus::NotStarted => "not_started",
            ThemeStatus::InDiscussion => "in_discussion",
            ThemeStatus::Covered => "covered",
            ThemeStatus::Skipped => "skipped",
        }
    }
}

/// A stretch of time while a theme was the one being discussed (pauses excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: DateTime<Utc>,
    /// None while the theme is still being timed.
    pub end: Option<DateTime<Utc>>,
}

/// Why and when a theme was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// What has happened to one theme of the guide.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThemeProgress {
    pub first_discussed_at: Option<DateTime<Utc>>,
    pub covered_at: Option<DateTime<Utc>>,
    pub skipped: Option<Skip>,
    pub spans: Vec<Span>,
    pub probes_checked: Vec<bool>,
    /// When each probe was last ticked, None while it is not ticked.
    pub probes_ticked_at: Vec<Option<DateTime<Utc>>>,
}

impl ThemeProgress {
    pub fn status(&self) -> ThemeStatus {
        if self.covered_at.is_some() {
            ThemeStatus::Covered
        } else if self.skipped.is_some() {
            ThemeStatus::Skipped
        } else if self.first_discussed_at.is_some() {
            ThemeStatus::InDiscussion
        } else {
            ThemeStatus::NotStarted
        }
    }

    /// Covered or deliberately skipped: nothing more to warn about.
    pub fn is_addressed(&self) -> bool {
        self.covered_at.is_some() || self.skipped.is_some()
    }

    /// Time this theme has been discussed, up to `now` for a span still open.
    pub fn discussed(&self, now: DateTime<Utc>) -> Duration {
        self.spans
            .iter()
            .map(|s| (s.end.unwrap_or(now) - s.start).max(Duration::zero()))
            .sum()
    }

    fn open_span(&mut self, at: DateTime<Utc>) {
        if self.spans.last().is_none_or(|s| s.end.is_some()) {
            self.spans.push(Span {
                start: at,
                end: None,
            });
        }
    }

    /// Undoes a break's cut: the span that ended at `from` goes on through the one that began
    /// at `to`.
    fn rejoin_spans(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) {
        let n = self.spans.len();
        if n >= 2 && self.spans[n - 1].start == to && self.spans[n - 2].end == Some(from) {
            let last = self.spans.pop().map(|s| s.end);
            if let (Some(end), Some(span)) = (last, self.spans.last_mut()) {
                span.end = end;
            }
        }
    }

    fn close_span(&mut self, at: DateTime<Utc>) {
        if let Some(span) = self.spans.last_mut().filter(|s| s.end.is_none()) {
            span.end = Some(at.max(span.start));
        }
    }
}

/// A field note as it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    /// When the note-taker began it.
    pub at: DateTime<Utc>,
    pub theme: Option<String>,
    pub speaker: Option<String>,
    pub tags: Vec<String>,
    /// The text less the speaker mark.
    pub text: String,
    /// Exactly what was typed.
    pub raw: String,
    pub edited_at: Option<DateTime<Utc>>,
    /// For a parked question (`#followup`): when it was marked asked.
    pub asked_at: Option<DateTime<Utc>>,
}

impl Note {
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))
    }
}

/// A participant of the seating plan: pseudonym, seat, a short descriptor, consent, and when
/// they came late or left early. Real names are never here (see `storage::private_names`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Participant {
    pub name: String,
    pub arrived_at: Option<DateTime<Utc>>,
    pub left_at: Option<DateTime<Utc>>,
    /// Where they sit ("3", "by the window").
    pub seat: Option<String>,
    /// How to tell them apart ("red scarf").
    pub descriptor: Option<String>,
    /// Their own consent to the audio recording, when it was asked.
    pub consent: Option<bool>,
}

impl Participant {
    fn named(name: &str) -> Self {
        Participant {
            name: name.to_string(),
            ..Participant::default()
        }
    }

    /// Left early and not back.
    pub fn has_left(&self) -> bool {
        match (self.left_at, self.arrived_at) {
            (Some(left), Some(arrived)) => left >= arrived,
            (left, _) => left.is_some(),
        }
    }
}

/// A warning that was raised, as the journal recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaisedWarning {
    pub at: DateTime<Utc>,
    pub kind: WarningKind,
    pub themes: Vec<String>,
    pub threshold_minutes: Option<u32>,
    pub behind_minutes: Option<u32>,
}

/// Everything known about a session, derived from its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    pub meta: SessionMeta,
    /// How the session is held now: the set-up's mode, changed live by `ModeChanged`.
    pub mode: SessionMode,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub recording_started_at: Option<DateTime<Utc>>,
    pub last_record_at: DateTime<Utc>,
    /// One per theme of the guide, in guide order.
    pub themes: Vec<ThemeProgress>,
    /// The theme now being discussed.
    pub current: Option<usize>,
    pub paused_since: Option<DateTime<Utc>>,
    paused_before: Duration,
    pub notes: Vec<Note>,
    pub participants: Vec<Participant>,
    pub warnings: Vec<RaisedWarning>,
    /// Sequence numbers of the actions `undo` can still take back, oldest first.
    pub undoable: Vec<u64>,
    /// Sequence numbers of the undos `redo` can still take back, oldest first; any new action
    /// empties it, as in every editor.
    pub redoable: Vec<u64>,
    pub reopened: u32,
    /// The transcript of the recording, when one is attached (the latest).
    pub transcript: Option<TranscriptRef>,
    /// Drafts set aside and not taken back, in the order they were first kept.
    pub drafts: Vec<Draft>,
    /// Each time an ended session was reopened: when it had ended and when it was reopened.
    pub reopenings: Vec<Reopening>,
    /// Records written by a newer topicguide, kept in the journal but not read: (seq, kind).
    pub newer_records: Vec<(u64, String)>,
    next_note_number: u64,
    next_draft_number: u64,
    /// How far the wall clock of an old journal (written before the monotonic clock) was set
    /// back, in all: added to every later record, so its times never run backwards.
    clock_correction: Duration,
    /// The break a reopen left uncounted, (from, to): counted after all when the next record
    /// says the room kept going.
    uncounted_break: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// A draft set aside: text typed and not saved as a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    /// Its first key's moment.
    pub at: DateTime<Utc>,
    pub theme: Option<String>,
    pub text: String,
}

/// An ended session opened again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reopening {
    pub ended_at: DateTime<Utc>,
    pub reopened_at: DateTime<Utc>,
}

/// `at` moved by `by`, held at the end of time rather than overflowing.
fn shifted(at: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    at.checked_add_signed(by)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A gap longer than this between a session's last record and its reopening is not session
/// time, unless the note-taker says the room kept going (resume asks). A shorter one (a quick
/// restart after a crash) is: the group certainly talked on.
pub const BREAK_ASK_AFTER: Duration = Duration::minutes(2);

/// Why a list of records is not a session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FoldError {
    #[error("the journal is empty")]
    Empty,
    #[error("the journal does not begin with a start record")]
    NotStarted,
}

impl SessionState {
    /// The state after all `records`, undos taken into account.
    pub fn from_records(guide: &Guide, records: &[Record]) -> Result<Self, FoldError> {
        let (first, rest) = records.split_first().ok_or(FoldError::Empty)?;
        let Event::Started(meta) = &first.event else {
            return Err(FoldError::NotStarted);
        };
        let cancelled = cancelled_records(records);
        let mut state = SessionState::new(guide, meta.clone(), first.at);
        // Theme ids looked up by hash: a search through the guide per record would make the fold
        // records x themes (minutes for a guide of 100,000 themes).
        let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(guide.themes.len());
        for (i, theme) in guide.themes.iter().enumerate() {
            by_id.entry(theme.id.as_str()).or_insert(i);
        }
        let index = |theme: &str| by_id.get(theme).copied();
        for record in rest {
            if cancelled.contains(&record.seq) {
                state.note_record(record);
            } else {
                state.apply_with(&index, record);
            }
        }
        Ok(state)
    }

    fn new(guide: &Guide, meta: SessionMeta, at: DateTime<Utc>) -> Self {
        let participants = meta
            .participants
            .iter()
            .map(|name| Participant::named(name))
            .collect();
        SessionState {
            mode: meta.mode,
            meta,
            started_at: at,
            ended_at: None,
            recording_started_at: None,
            last_record_at: at,
            themes: guide
                .themes
                .iter()
                .map(|t| ThemeProgress {
                    probes_checked: vec![false; t.probes.len()],
                    probes_ticked_at: vec![None; t.probes.len()],
                    ..ThemeProgress::default()
                })
                .collect(),
            current: None,
            paused_since: None,
            paused_before: Duration::zero(),
            notes: Vec::new(),
            participants,
            warnings: Vec::new(),
            undoable: Vec::new(),
            redoable: Vec::new(),
            reopened: 0,
            transcript: None,
            drafts: Vec::new(),
            reopenings: Vec::new(),
            newer_records: Vec::new(),
            next_note_number: 1,
            next_draft_number: 1,
            clock_correction: Duration::zero(),
            uncounted_break: None,
        }
    }

    /// Takes note of any record, undone or not, and returns its time on the session's own
    /// timeline: never before the record before it (an old journal's clock set back is
    /// corrected from there on).
    fn note_record(&mut self, record: &Record) -> DateTime<Utc> {
        if let Event::Newer { kind, .. } = &record.event {
            self.newer_records.push((record.seq, kind.clone()));
        }
        let mut at = shifted(record.at, self.clock_correction);
        if at < self.last_record_at {
            self.clock_correction = self
                .clock_correction
                .checked_add(&(self.last_record_at - at))
                .unwrap_or(Duration::MAX);
            at = self.last_record_at;
        }
        self.last_record_at = at;
        // A note id is never given twice, even when the note that had it was undone.
        match &record.event {
            Event::NoteAdded { id, .. } => {
                if let Some(n) = note_number(id) {
                    self.next_note_number = self.next_note_number.max(n + 1);
                }
            }
            Event::DraftKept { id, .. } => {
                if let Some(n) = draft_number(id) {
                    self.next_draft_number = self.next_draft_number.max(n + 1);
                }
            }
            _ => {}
        }
        at
    }

    /// Applies one record that no later record undoes. An `Undone` record is ignored here:
    /// undo is resolved by folding again (see [`Session::push`]).
    pub fn apply(&mut self, guide: &Guide, record: &Record) {
        self.apply_with(&|theme: &str| guide.theme_index(theme), record);
    }

    /// [`SessionState::apply`] with `index` telling a theme id's position in the guide.
    fn apply_with(&mut self, index: &dyn Fn(&str) -> Option<usize>, record: &Record) {
        let previous = self.last_record_at;
        let at = self.note_record(record);
        let uncounted_break = self.uncounted_break.take();
        if let (Event::EndReopened, Some(ended_at)) = (&record.event, self.ended_at) {
            self.ended_at = None;
            self.reopenings.push(Reopening {
                ended_at,
                reopened_at: at,
            });
            return;
        }
        if let Event::TranscriptAttached(reference) = &record.event {
            self.transcript = Some(reference.clone());
            return;
        }
        if self.ended_at.is_some() {
            return;
        }
        match &record.event {
            Event::Started(_) | Event::Undone { .. } | Event::TranscriptAttached(_) => {}
            Event::Discussing { theme } => {
                if let Some(i) = index(theme)
                    && self.current != Some(i)
                {
                    self.stop_timing(at);
                    self.current = Some(i);
                    let progress = &mut self.themes[i];
                    progress.first_discussed_at.get_or_insert(at);
                    progress.skipped = None;
                    if self.paused_since.is_none() {
                        progress.open_span(at);
                    }
                }
            }
            Event::Covered { theme } => {
                if let Some(i) = index(theme) {
                    let progress = &mut self.themes[i];
                    progress.covered_at.get_or_insert(at);
                    progress.skipped = None;
                }
            }
            Event::Uncovered { theme } => {
                if let Some(i) = index(theme) {
                    self.themes[i].covered_at = None;
                }
            }
            Event::Skipped { theme, reason } => {
                if let Some(i) = index(theme) {
                    if self.current == Some(i) {
                        self.stop_timing(at);
                        self.current = None;
                    }
                    let progress = &mut self.themes[i];
                    progress.covered_at = None;
                    progress.skipped = Some(Skip {
                        at,
                        reason: reason.clone(),
                    });
                }
            }
            Event::Unskipped { theme } => {
                if let Some(i) = index(theme) {
                    self.themes[i].skipped = None;
                }
            }
            Event::ProbeToggled {
                theme,
                probe,
                checked,
            } => {
                if let Some(progress) = index(theme).map(|i| &mut self.themes[i])
                    && let Some(slot) = progress.probes_checked.get_mut(*probe)
                {
                    *slot = *checked;
                    if let Some(at_slot) = progress.probes_ticked_at.get_mut(*probe) {
                        *at_slot = checked.then_some(at);
                    }
                }
            }
            Event::NoteAdded {
                id,
                noted_at,
                theme,
                text,
            } => {
                let parsed = parse_note(text);
                if let Some(n) = note_number(id) {
                    self.next_note_number = self.next_note_number.max(n + 1);
                }
                // Typed before it was saved, after the start: on the same corrected timeline.
                let noted = shifted(*noted_at, self.clock_correction)
                    .min(at)
                    .max(self.started_at);
                self.notes.push(Note {
                    id: id.clone(),
                    at: noted,
                    theme: theme.clone(),
                    speaker: parsed.speaker,
                    tags: parsed.tags,
                    text: parsed.text,
                    raw: text.clone(),
                    edited_at: None,
                    asked_at: None,
                });
            }
            Event::NoteEdited { id, text } => {
                if let Some(note) = self.notes.iter_mut().find(|n| n.id == *id) {
                    let parsed = parse_note(text);
                    note.speaker = parsed.speaker;
                    note.tags = parsed.tags;
                    note.text = parsed.text;
                    note.raw = text.clone();
                    note.edited_at = Some(at);
                }
            }
            Event::NoteDeleted { id } => self.notes.retain(|n| n.id != *id),
            Event::Paused => {
                if self.paused_since.is_none() {
                    self.stop_timing(at);
                    self.paused_since = Some(at);
                }
            }
            Event::Resumed => {
                if let Some(since) = self.paused_since.take() {
                    self.paused_before += (at - since).max(Duration::zero());
                    if let Some(i) = self.current {
                        self.themes[i].open_span(at);
                    }
                }
            }
            Event::RecordingStarted => self.recording_started_at = Some(at),
            Event::ParticipantArrived { participant } => {
                self.participant_mut(participant).arrived_at = Some(at);
            }
            Event::ParticipantLeft { participant } => {
                self.participant_mut(participant).left_at = Some(at);
            }
            Event::WarningRaised {
                kind,
                themes,
                threshold_minutes,
                behind_minutes,
            } => self.warnings.push(RaisedWarning {
                at,
                kind: *kind,
                themes: themes.clone(),
                threshold_minutes: *threshold_minutes,
                behind_minutes: *behind_minutes,
            }),
            Event::EndReopened | Event::Redone { .. } => {}
            Event::NoteMoved { id, theme } => {
                if let Some(note) = self.notes.iter_mut().find(|n| n.id == *id) {
                    note.theme = theme.clone();
                }
            }
            Event::NoteRetimed { id, noted_at } => {
                if let Some(note) = self.notes.iter_mut().find(|n| n.id == *id) {
                    note.at = *noted_at;
                }
            }
            Event::DraftKept {
                id,
                noted_at,
                theme,
                text,
            } => {
                let draft = Draft {
                    id: id.clone(),
                    at: *noted_at,
                    theme: theme.clone(),
                    text: text.clone(),
                };
                match self.drafts.iter_mut().find(|d| d.id == *id) {
                    Some(kept) => *kept = draft,
                    None => self.drafts.push(draft),
                }
                if let Some(n) = draft_number(id) {
                    self.next_draft_number = self.next_draft_number.max(n + 1);
                }
            }
            Event::DraftResumed { id } => self.drafts.retain(|d| d.id != *id),
            Event::Reopened => {
                self.reopened += 1;
                // The program was closed from the last record until now. A long break is not
                // session time (nor any theme's) unless the room kept going.
                let gap = at - previous;
                if gap > BREAK_ASK_AFTER && self.paused_since.is_none() {
                    self.stop_timing(previous);
                    self.paused_before = self
                        .paused_before
                        .checked_add(&gap)
                        .unwrap_or(Duration::MAX);
                    if let Some(i) = self.current {
                        self.themes[i].open_span(at);
                    }
                    self.uncounted_break = Some((previous, at));
                }
            }
            Event::RoomKeptGoing => {
                if let Some((from, to)) = uncounted_break {
                    self.paused_before = self
                        .paused_before
                        .checked_sub(&(to - from))
                        .unwrap_or(Duration::zero());
                    if let Some(i) = self.current {
                        self.themes[i].rejoin_spans(from, to);
                    }
                }
            }
            // The session's theme list already has these (see `model::emergent`).
            Event::ThemeAdded { .. } | Event::ThemeMoved { .. } => {}
            Event::ModeChanged { mode } => self.mode = *mode,
            Event::FollowupAsked { note, asked } => {
                if let Some(note) = self.notes.iter_mut().find(|n| n.id == *note) {
                    note.asked_at = asked.then_some(at);
                }
            }
            Event::ParticipantDescribed {
                participant,
                seat,
                descriptor,
            } => {
                let p = self.participant_mut(participant);
                p.seat = seat.clone();
                p.descriptor = descriptor.clone();
            }
            Event::ParticipantConsent {
                participant,
                consent,
            } => self.participant_mut(participant).consent = Some(*consent),
            // Counted in `note_record`, whatever the state; what it means is not known here.
            Event::Newer { .. } => {}
            Event::Ended => {
                self.stop_timing(at);
                if let Some(since) = self.paused_since.take() {
                    self.paused_before += (at - since).max(Duration::zero());
                }
                self.ended_at = Some(at);
            }
        }
        if record.event.is_undoable() {
            self.undoable.push(record.seq);
            self.redoable.clear();
        } else if let Event::Undone { .. } = record.event {
            self.redoable.push(record.seq);
        }
    }

    fn stop_timing(&mut self, at: DateTime<Utc>) {
        if let Some(i) = self.current {
            self.themes[i].close_span(at);
        }
    }

    fn participant_mut(&mut self, name: &str) -> &mut Participant {
        let position = match self.participants.iter().position(|p| p.name == name) {
            Some(p) => p,
            None => {
                self.participants.push(Participant::named(name));
                self.participants.len() - 1
            }
        };
        &mut self.participants[position]
    }

    /// The moment the clock stands at: the end for an ended session, else `now`.
    pub fn clock_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.ended_at.unwrap_or(now).max(self.started_at)
    }

    /// Session time so far, pauses excluded.
    pub fn elapsed(&self, now: DateTime<Utc>) -> Duration {
        let end = self.clock_at(now);
        let pausing = self.paused_since.map_or(Duration::zero(), |since| {
            (end - since).max(Duration::zero())
        });
        (end - self.started_at - self.paused_before - pausing).max(Duration::zero())
    }

    pub fn planned(&self) -> Duration {
        Duration::minutes(i64::from(self.meta.planned_minutes))
    }

    /// Planned time left; negative in overtime.
    pub fn remaining(&self, now: DateTime<Utc>) -> Duration {
        self.planned() - self.elapsed(now)
    }

    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }

    pub fn is_ended(&self) -> bool {
        self.ended_at.is_some()
    }

    /// The moment offsets count from: the recording mark, else the start.
    pub fn offset_origin(&self) -> DateTime<Utc> {
        self.recording_started_at.unwrap_or(self.started_at)
    }

    /// Whole seconds from the offset origin to `at` (negative before a recording mark).
    pub fn offset_seconds(&self, at: DateTime<Utc>) -> i64 {
        (at - self.offset_origin()).num_seconds()
    }

    /// The id the next kept draft gets.
    pub fn next_draft_id(&self) -> String {
        format!("d{}", self.next_draft_number)
    }

    /// The id the next note gets.
    pub fn next_note_id(&self) -> String {
        format!("n{}", self.next_note_number)
    }

    pub fn covered_count(&self) -> usize {
        self.themes
            .iter()
            .filter(|t| t.covered_at.is_some())
            .count()
    }

    /// Required themes neither covered nor skipped, in guide order.
    pub fn unaddressed_themes(&self, guide: &Guide) -> Vec<usize> {
        guide
            .themes
            .iter()
            .zip(&self.themes)
            .enumerate()
            .filter(|(_, (theme, progress))| theme.required && !progress.is_addressed())
            .map(|(i, _)| i)
            .collect()
    }

    /// Required probes not ticked, as (theme, probe) positions, leaving out skipped themes.
    pub fn unaddressed_probes(&self, guide: &Guide) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (ti, (theme, progress)) in guide.themes.iter().zip(&self.themes).enumerate() {
            if progress.skipped.is_some() {
                continue;
            }
            for (pi, probe) in theme.probes.iter().enumerate() {
                if probe.required && !progress.probes_checked.get(pi).copied().unwrap_or(false) {
                    out.push((ti, pi));
                }
            }
        }
        out
    }

    /// Notes tagged `#followup`: questions parked for the end.
    pub fn followups(&self) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(|n| n.has_tag(FOLLOWUP_TAG))
    }

    /// Parked questions not yet marked asked.
    pub fn open_followups(&self) -> impl Iterator<Item = &Note> {
        self.followups().filter(|n| n.asked_at.is_none())
    }

    /// Who has a note on the theme `theme_id`: the "has spoken" marks of the seating plan.
    pub fn speakers_on(&self, theme_id: &str) -> HashSet<&str> {
        self.notes
            .iter()
            .filter(|n| n.theme.as_deref() == Some(theme_id))
            .filter_map(|n| n.speaker.as_deref())
            .collect()
    }

    /// How many notes each participant has, in the order participants were listed, then any
    /// other speakers in the order they first spoke.
    pub fn notes_per_speaker(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = self
            .participants
            .iter()
            .map(|p| (p.name.clone(), 0))
            .collect();
        for speaker in self.notes.iter().filter_map(|n| n.speaker.as_deref()) {
            match counts.iter_mut().find(|(name, _)| name == speaker) {
                Some((_, count)) => *count += 1,
                None => counts.push((speaker.to_string(), 1)),
            }
        }
        counts
    }
}

fn note_number(id: &str) -> Option<u64> {
    id.strip_prefix('n')?.parse().ok()
}

fn draft_number(id: &str) -> Option<u64> {
    id.strip_prefix('d')?.parse().ok()
}

/// A session: its guide, its records and the state they fold to.
#[derive(Debug, Clone)]
pub struct Session {
    /// The session's themes: its guide snapshot with the emergent themes added live, in the
    /// order the note-taker put them (see `model::emergent`). Shared: the sessions of a study
    /// mostly have the same guide.
    pub guide: Arc<Guide>,
    /// The guide snapshot as it was at the start.
    base_guide: Arc<Guide>,
    records: Vec<Record>,
    state: SessionState,
}

impl Session {
    pub fn from_records(
        guide: impl Into<Arc<Guide>>,
        records: Vec<Record>,
    ) -> Result<Self, FoldError> {
        let base_guide = guide.into();
        let guide = session_guide(&base_guide, &records);
        let state = SessionState::from_records(&guide, &records)?;
        Ok(Session {
            guide,
            base_guide,
            records,
            state,
        })
    }

    pub fn state(&self) -> &SessionState {
        &self.state
    }

    /// The guide snapshot the session began with, without the emergent themes.
    pub fn base_guide(&self) -> &Arc<Guide> {
        &self.base_guide
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The sequence number the next record must carry.
    pub fn next_seq(&self) -> u64 {
        self.records.last().map_or(1, |r| r.seq + 1)
    }

    /// Adds a record and brings the state up to date with it.
    pub fn push(&mut self, record: Record) {
        let undo = matches!(record.event, Event::Undone { .. } | Event::Redone { .. });
        let themes_change = changes_themes(&record.event);
        self.records.push(record);
        if undo || themes_change {
            // An undo changes what came before, and a new theme or a new order moves every
            // theme's place: derive the themes and the state again from every record.
            self.guide = session_guide(&self.base_guide, &self.records);
            if let Ok(state) = SessionState::from_records(&self.guide, &self.records) {
                self.state = state;
            }
        } else if let Some(record) = self.records.last() {
            self.state.apply(&self.guide, record);
        }
    }
}
