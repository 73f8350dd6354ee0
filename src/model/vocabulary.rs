//! The one name and the one mark of every status: a theme's, a session's, a review cell's.
//! Screens and exports show these and never spell a status themselves.

use super::review::CellStatus;
use super::session::{SessionState, ThemeStatus};

/// How a theme stands as people see it: the fold's [`ThemeStatus`] plus whether the theme is the
/// one under discussion right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThemeMark {
    NotStarted,
    /// The theme under discussion now, in a session that has not ended.
    Discussing,
    /// Covered, and the room is still on it: its own mark, so covering the theme under
    /// discussion shows without colour.
    DiscussingCovered,
    /// Discussed at some point and not covered.
    Discussed,
    Covered,
    Skipped,
}

impl ThemeMark {
    /// Every mark, in the order legends list them.
    pub const ALL: [ThemeMark; 6] = [
        ThemeMark::NotStarted,
        ThemeMark::Discussing,
        ThemeMark::DiscussingCovered,
        ThemeMark::Discussed,
        ThemeMark::Covered,
        ThemeMark::Skipped,
    ];

    /// How theme `index` of a session stands: the theme under discussion in a running session is
    /// `Discussing`, or `DiscussingCovered` once covered.
    pub fn of(state: &SessionState, index: usize) -> ThemeMark {
        let status = state
            .themes
            .get(index)
            .map_or(ThemeStatus::NotStarted, |t| t.status());
        if state.current == Some(index) && !state.is_ended() {
            return if status == ThemeStatus::Covered {
                ThemeMark::DiscussingCovered
            } else {
                ThemeMark::Discussing
            };
        }
        match status {
            ThemeStatus::NotStarted => ThemeMark::NotStarted,
            ThemeStatus::InDiscussion => ThemeMark::Discussed,
            ThemeStatus::Covered => ThemeMark::Covered,
            ThemeStatus::Skipped => ThemeMark::Skipped,
        }
    }

    /// The mark beside the theme: never colour alone.
    pub fn mark(self) -> &'static str {
        match self {
            ThemeMark::NotStarted => "○",
            ThemeMark::Discussing => "▶",
            ThemeMark::DiscussingCovered => "☑",
            ThemeMark::Discussed => "◐",
            ThemeMark::Covered => "✓",
            ThemeMark::Skipped => "–",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            ThemeMark::NotStarted => "not started",
            ThemeMark::Discussing => "in discussion",
            ThemeMark::DiscussingCovered => "covered, still in discussion",
            ThemeMark::Discussed => "discussed, not covered",
            ThemeMark::Covered => "covered",
            ThemeMark::Skipped => "skipped",
        }
    }

    /// A name for styling (the HTML report's CSS classes).
    pub fn class(self) -> &'static str {
        match self {
            ThemeMark::NotStarted => "not-started",
            ThemeMark::Discussing => "discussing",
            // Both: styled as covered and as under discussion.
            ThemeMark::DiscussingCovered => "covered discussing",
            ThemeMark::Discussed => "discussed",
            ThemeMark::Covered => "covered",
            ThemeMark::Skipped => "skipped",
        }
    }
}

impl CellStatus {
    /// Every cell status, in the order legends list them.
    pub const ALL: [CellStatus; 6] = [
        CellStatus::Covered,
        CellStatus::Discussed,
        CellStatus::Skipped,
        CellStatus::Missed,
        CellStatus::Pending,
        CellStatus::Absent,
    ];

    /// The name the CSV and JSON write.
    pub fn as_str(self) -> &'static str {
        match self {
            CellStatus::Covered => "covered",
            CellStatus::Discussed => "discussed",
            CellStatus::Skipped => "skipped",
            CellStatus::Missed => "missed",
            CellStatus::Pending => "pending",
            CellStatus::Absent => "absent",
        }
    }

    /// The mark shown in the matrix: never colour alone. A theme's marks where they mean the same.
    pub fn mark(self) -> &'static str {
        match self {
            CellStatus::Covered => ThemeMark::Covered.mark(),
            CellStatus::Discussed => ThemeMark::Discussed.mark(),
            CellStatus::Skipped => ThemeMark::Skipped.mark(),
            CellStatus::Missed => "✗",
            CellStatus::Pending => ThemeMark::NotStarted.mark(),
            CellStatus::Absent => "·",
        }
    }

    /// Words for people, as the legends give them.
    pub fn label(self) -> &'static str {
        match self {
            CellStatus::Covered => ThemeMark::Covered.label(),
            CellStatus::Discussed => ThemeMark::Discussed.label(),
            CellStatus::Skipped => ThemeMark::Skipped.label(),
            CellStatus::Missed => "missed",
            CellStatus::Pending => "not yet",
            CellStatus::Absent => "not in the guide",
        }
    }
}

/// How a session stands on disk, as `list` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionLiveness {
    /// Open in a topicguide right now.
    Live,
    /// Not ended and not open: it can be resumed.
    Interrupted,
    Ended,
}

impl SessionLiveness {
    /// The name `list`, the exports and the screens show.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionLiveness::Live => "live",
            SessionLiveness::Interrupted => "interrupted",
            SessionLiveness::Ended => "ended",
        }
    }
}

/// A legend: `mark label` pairs joined by `separator`.
pub fn legend<T: Copy>(
    items: &[T],
    mark: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    separator: &str,
) -> String {
    items
        .iter()
        .map(|&i| format!("{} {}", mark(i), label(i)))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Beside the title of a theme added in the room (an emergent theme), on screens.
pub const EMERGENT_MARK: &str = "+";

/// The word after an emergent theme's title in the reports and exports.
pub const EMERGENT_WORD: &str = "emergent";

/// What an emergent theme is, where a legend or a list of facts says it.
pub const EMERGENT_MEANING: &str = "emergent: added in the room, not in the guide";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mark_is_distinct_within_its_vocabulary() {
        let theme: std::collections::HashSet<_> = ThemeMark::ALL.iter().map(|m| m.mark()).collect();
        assert_eq!(theme.len(), ThemeMark::ALL.len());
        let cell: std::collections::HashSet<_> = CellStatus::ALL.iter().map(|c| c.mark()).collect();
        assert_eq!(cell.len(), CellStatus::ALL.len());
        assert_eq!(CellStatus::Discussed.mark(), ThemeMark::Discussed.mark());
    }
}
