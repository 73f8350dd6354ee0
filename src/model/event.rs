//! Everything that can happen in a session, as the journal records it.

use super::guide::{Guide, SessionKind, SessionMode};
use super::transcript::TranscriptRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One journal record: an event, its place in the journal and when it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// 1 for the first record of a journal, one more for each record after it.
    pub seq: u64,
    #[serde(deserialize_with = "super::recorded_time::deserialize")]
    pub at: DateTime<Utc>,
    /// Written as `{"note_added": {...}}` (or `"paused"` for an event without fields): serde
    /// reads this form without buffering, which keeps resuming a long session fast.
    pub event: Event,
}

/// What the note-taker set up before the session began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMeta {
    pub label: String,
    pub kind: SessionKind,
    pub mode: SessionMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(default)]
    pub participants: Vec<String>,
    pub planned_minutes: u32,
    #[serde(default)]
    pub consent: bool,
    /// Whether warnings ring the terminal bell.
    #[serde(default = "default_true")]
    pub bell: bool,
    /// The guide's title when the session began. The program reads the guide snapshot beside
    /// the journal instead; it stays so that every journal says what it was about on its own,
    /// and because journals written so far carry it (older builds require it).
    pub guide_title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide_version: Option<String>,
    /// Where the guide came from: a built-in guide's name or a file path.
    pub guide_source: String,
    /// The topicguide version that began the session.
    pub app_version: String,
    /// The first warning point, when the user's config set one over the guide's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_before_end_minutes: Option<u32>,
    /// The last warning point, when the user's config set one (else 5 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_warning_minutes: Option<u32>,
    /// The note-taker's name or initials, from the config or `--researcher`. Journals written
    /// before this field read as None.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub researcher: Option<String>,
    /// The name of the computer the session was recorded on, so a lead researcher bringing
    /// several laptops' sessions together can tell where each came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
}

impl SessionMeta {
    /// A session of `guide` labelled `label`, set up as the guide plans it and nothing more: the
    /// guide's kind, mode and duration, no site, no participants, consent not recorded,
    /// the bell on, the guide's title and version, this build's version as `app_version`, and no
    /// warning points of the user's own, no researcher and no machine name. Where the guide came
    /// from is not known here, so `guide_source` is `"unknown"`; set it (and anything else) with struct update syntax:
    /// `SessionMeta { guide_source: path, ..SessionMeta::for_guide(&guide, "Group 1") }`.
    pub fn for_guide(guide: &Guide, label: &str) -> SessionMeta {
        SessionMeta {
            label: label.to_string(),
            kind: guide.kind,
            mode: guide.mode,
            site: None,
            participants: Vec::new(),
            planned_minutes: guide.duration_minutes,
            consent: false,
            bell: true,
            guide_title: guide.title.clone(),
            guide_version: guide.version.clone(),
            guide_source: "unknown".to_string(),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            warn_before_end_minutes: None,
            final_warning_minutes: None,
            researcher: None,
            machine: None,
        }
    }
}

fn default_true() -> bool {
    true
}

/// The kinds of warning the live screen raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Required themes not yet covered or skipped as the end nears.
    Unaddressed,
    /// The budgets of what is left exceed the time left.
    Behind,
    /// Past the planned end.
    Overtime,
}

impl WarningKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Unaddressed => "unaddressed",
            WarningKind::Behind => "behind",
            WarningKind::Overtime => "overtime",
        }
    }
}

/// A session event. Each is one action of the note-taker or one thing the program noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Started(SessionMeta),
    /// The group is now discussing this theme; timing moves to it.
    Discussing {
        theme: String,
    },
    Covered {
        theme: String,
    },
    Uncovered {
        theme: String,
    },
    Skipped {
        theme: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Unskipped {
        theme: String,
    },
    /// Probe `probe` (0-based) of `theme` is now `checked`.
    ProbeToggled {
        theme: String,
        probe: usize,
        checked: bool,
    },
    NoteAdded {
        id: String,
        /// When the note-taker began the note (its first key), not when it was saved.
        #[serde(deserialize_with = "super::recorded_time::deserialize")]
        noted_at: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        theme: Option<String>,
        /// Exactly what was typed, speaker mark and tags included.
        text: String,
    },
    NoteEdited {
        id: String,
        text: String,
    },
    NoteDeleted {
        id: String,
    },
    Paused,
    Resumed,
    RecordingStarted,
    ParticipantArrived {
        participant: String,
    },
    ParticipantLeft {
        participant: String,
    },
    WarningRaised {
        kind: WarningKind,
        #[serde(default)]
        themes: Vec<String>,
        /// For unaddressed warnings, the minutes-before-end point that raised it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        threshold_minutes: Option<u32>,
        /// For behind warnings, how many minutes behind schedule.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        behind_minutes: Option<u32>,
    },
    /// Cancels the effect of the record with sequence number `target`.
    Undone {
        target: u64,
    },
    /// The session was opened again after it was left or interrupted.
    Reopened,
    Ended,
    /// A transcript of the recording was attached (or replaced the one before). Recorded after
    /// the end too: it describes the recording, not the session's course.
    TranscriptAttached(TranscriptRef),
    /// A saved note filed under another theme (None: no theme).
    NoteMoved {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        theme: Option<String>,
    },
    /// A saved note's time set again (nudged to when it was really said).
    NoteRetimed {
        id: String,
        #[serde(deserialize_with = "super::recorded_time::deserialize")]
        noted_at: DateTime<Utc>,
    },
    /// Takes back the undo with sequence number `target`: what it undid is in force again.
    Redone {
        target: u64,
    },
    /// Text from the note line set aside unsaved (Esc, leaving, ending, a signal). A draft with
    /// an id already kept replaces it.
    DraftKept {
        id: String,
        #[serde(deserialize_with = "super::recorded_time::deserialize")]
        noted_at: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        theme: Option<String>,
        text: String,
    },
    /// A kept draft was taken back into the note line.
    DraftResumed {
        id: String,
    },
    /// An ended session was opened again (`resume --reopen`): the end no longer holds.
    EndReopened,
    /// Said on resuming after a long break: the room kept going meanwhile, so the break (from
    /// the last record to the reopening just before this) is session time and the current
    /// theme's.
    RoomKeptGoing,
    /// The session goes on in another mode (a video call dropped to the telephone).
    ModeChanged {
        mode: SessionMode,
    },
    /// A theme that came up in the room and is not in the guide, added to this session only.
    ThemeAdded {
        /// Unique in the session; made from the title (see `model::emergent::new_theme_id`).
        id: String,
        title: String,
        /// Emergent themes are optional unless the note-taker says otherwise.
        #[serde(default)]
        required: bool,
        /// The theme it comes after; None puts it first.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
    },
    /// A theme moved in the session's order, to just after `after` (first when None).
    ThemeMoved {
        theme: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
    },
    /// A parked question (a `#followup` note) was asked, or marked not asked again.
    FollowupAsked {
        note: String,
        asked: bool,
    },
    /// A participant's place in the seating plan: seat and a short descriptor ("red scarf").
    ParticipantDescribed {
        participant: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seat: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        descriptor: Option<String>,
    },
    /// Whether a participant consented to the audio recording.
    ParticipantConsent {
        participant: String,
        consent: bool,
    },
    /// A record of a kind this build does not know, written by a newer topicguide: kept as it
    /// was written (`rec`, the record's JSON, written back byte for byte) and not folded.
    #[serde(skip)]
    Newer {
        /// The event's name in the journal (`"roster_changed"`).
        kind: String,
        /// The whole record as written.
        rec: String,
    },
}

/// The event names this build reads, taken from the enum's own serde description so that a
/// variant added later is known without a list to keep in step.
pub fn known_event_kinds() -> &'static [&'static str] {
    static KINDS: std::sync::OnceLock<&'static [&'static str]> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        let mut names: &'static [&'static str] = &[];
        let _ = Event::deserialize(VariantNames(&mut names));
        names
    })
}

/// A deserializer that only asks an enum for its variant names.
struct VariantNames<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for VariantNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("only an enum's names are read"))
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = variants;
        Err(serde::de::Error::custom("names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

impl Event {
    /// Whether `u` may take this event back.
    pub fn is_undoable(&self) -> bool {
        !matches!(
            self,
            Event::Started(_)
                | Event::WarningRaised { .. }
                | Event::Undone { .. }
                | Event::Reopened
                | Event::Ended
                | Event::TranscriptAttached(_)
                | Event::Redone { .. }
                | Event::DraftKept { .. }
                | Event::DraftResumed { .. }
                | Event::EndReopened
                | Event::Newer { .. }
        )
    }

    /// A few words for the status line and the undo message.
    pub fn describe(&self) -> String {
        match self {
            Event::Started(_) => "session started".into(),
            Event::Discussing { theme } => format!("now discussing {theme}"),
            Event::Covered { theme } => format!("{theme} covered"),
            Event::Uncovered { theme } => format!("{theme} no longer covered"),
            Event::Skipped { theme, .. } => format!("{theme} skipped"),
            Event::Unskipped { theme } => format!("{theme} no longer skipped"),
            Event::ProbeToggled {
                theme,
                probe,
                checked,
            } => format!(
                "probe {} of {theme} {}",
                probe + 1,
                if *checked { "ticked" } else { "unticked" }
            ),
            Event::NoteAdded { id, .. } => format!("note {id} added"),
            Event::NoteEdited { id, .. } => format!("note {id} edited"),
            Event::NoteDeleted { id } => format!("note {id} deleted"),
            Event::Paused => "clock paused".into(),
            Event::Resumed => "clock resumed".into(),
            Event::RecordingStarted => "recording mark".into(),
            Event::ParticipantArrived { participant } => format!("{participant} arrived"),
            Event::ParticipantLeft { participant } => format!("{participant} left"),
            Event::WarningRaised { kind, .. } => format!("{} warning", kind.as_str()),
            Event::Undone { .. } => "undo".into(),
            Event::Reopened => "session reopened".into(),
            Event::Ended => "session ended".into(),
            Event::TranscriptAttached(t) => format!("transcript {} attached", t.source),
            Event::NoteMoved { id, theme } => match theme {
                Some(theme) => format!("note {id} filed under {theme}"),
                None => format!("note {id} filed under no theme"),
            },
            Event::NoteRetimed { id, .. } => format!("note {id} retimed"),
            Event::Redone { .. } => "redo".into(),
            Event::DraftKept { id, .. } => format!("draft {id} kept"),
            Event::DraftResumed { id } => format!("draft {id} taken back"),
            Event::EndReopened => "ended session reopened".into(),
            Event::RoomKeptGoing => "the break counted as session time".into(),
            Event::ModeChanged { mode } => format!("now {mode}"),
            Event::ThemeAdded { title, .. } => format!("emergent theme \"{title}\" added"),
            Event::ThemeMoved { theme, .. } => format!("{theme} moved"),
            Event::FollowupAsked { note, asked } => format!(
                "parked question {note} {}",
                if *asked { "asked" } else { "not asked yet" }
            ),
            Event::ParticipantDescribed { participant, .. } => {
                format!("{participant}'s seat and descriptor")
            }
            Event::ParticipantConsent {
                participant,
                consent,
            } => format!(
                "{participant} {}",
                if *consent {
                    "consented to recording"
                } else {
                    "did not consent to recording"
                }
            ),
            Event::Newer { kind, .. } => {
                format!("a {kind} record written by a newer topicguide")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::known_event_kinds;

    #[test]
    fn the_known_kinds_are_the_enums_own_names() {
        let kinds = known_event_kinds();
        for kind in [
            "started",
            "note_added",
            "probe_toggled",
            "reopened",
            "ended",
        ] {
            assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
        }
        // The variant for unknown records is never read from a journal.
        assert!(!kinds.contains(&"newer"));
    }
}
