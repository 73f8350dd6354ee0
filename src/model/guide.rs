//! The topic guide as the rest of the program sees it: validated, with defaults applied.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The most minutes anything may be planned for (a session, a theme, a warning): a full day.
pub const MAX_MINUTES: i64 = 24 * 60;

/// Planned length of a session when the guide does not say.
pub const DEFAULT_DURATION_MINUTES: u32 = 60;
/// How long before the planned end the first coverage warning comes, when the guide does not say.
pub const DEFAULT_WARN_BEFORE_END_MINUTES: u32 = 10;

/// A validated topic guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    pub title: String,
    pub version: Option<String>,
    pub description: Option<String>,
    pub kind: SessionKind,
    /// How the guide's sessions are held unless the set-up says otherwise.
    pub mode: SessionMode,
    pub duration_minutes: u32,
    pub warn_before_end_minutes: u32,
    pub themes: Vec<Theme>,
}

/// One theme of the guide: what the moderator should get the group talking about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: String,
    pub title: String,
    pub prompt: Option<String>,
    pub minutes: Option<u32>,
    pub required: bool,
    pub guidance: Option<String>,
    pub probes: Vec<Probe>,
    /// Added in the room during a session, not written in the guide.
    pub emergent: bool,
}

/// A follow-up the moderator may use within a theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub text: String,
    pub required: bool,
}

impl Guide {
    /// The theme with this id, if the guide has one.
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The position of the theme with this id.
    pub fn theme_index(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }

    /// The sum of all theme budgets, in minutes.
    pub fn budgeted_minutes(&self) -> u32 {
        self.themes.iter().filter_map(|t| t.minutes).sum()
    }
}

/// Whether a session is a group discussion or a one-to-one interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    #[default]
    FocusGroup,
    Interview,
}

/// How the session is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SessionMode {
    #[default]
    InPerson,
    Telephone,
    Video,
}

impl SessionKind {
    pub const ALL: [SessionKind; 2] = [SessionKind::FocusGroup, SessionKind::Interview];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::FocusGroup => "focus-group",
            SessionKind::Interview => "interview",
        }
    }
}

impl SessionMode {
    pub const ALL: [SessionMode; 3] = [
        SessionMode::InPerson,
        SessionMode::Telephone,
        SessionMode::Video,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionMode::InPerson => "in-person",
            SessionMode::Telephone => "telephone",
            SessionMode::Video => "video",
        }
    }
}

impl fmt::Display for SessionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for SessionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SessionKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SessionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("'{s}' is not a session kind (focus-group or interview)"))
    }
}

impl FromStr for SessionMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SessionMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| format!("'{s}' is not a mode (in-person, telephone or video)"))
    }
}
