//! The coverage matrix across sessions: themes (rows, matched by id; themes added in the room,
//! which no guide gives an id, matched by title) by sessions (columns, grouped by guide). Pure:
//! built from sessions already read, with the time passed in.

use super::emergent::title_key;
use super::guide::{Guide, SessionKind, SessionMode, Theme};
use super::session::{Note, Session, ThemeStatus};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// What happened to one theme in one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellStatus {
    Covered,
    /// Discussed, not covered.
    Discussed,
    Skipped,
    /// Never discussed, covered or skipped, in a session that is over.
    Missed,
    /// Not yet discussed in a session that has not ended (live, or interrupted and resumable).
    Pending,
    /// The session's guide has no theme with this id.
    Absent,
}

impl CellStatus {
    /// A status that leaves a theme short: missed, or discussed and left uncovered.
    pub fn is_gap(self) -> bool {
        matches!(self, CellStatus::Missed | CellStatus::Discussed)
    }
}

/// One cell of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub status: CellStatus,
    pub seconds: i64,
    /// The theme is required in this session's guide (an optional theme left out is no gap).
    pub required: bool,
    /// The session has ended: what is still open in a running one is no gap yet.
    pub settled: bool,
}

impl Cell {
    /// A gap the lead researcher should see at a glance: a required theme missed or left
    /// uncovered in a session that has ended.
    pub fn is_gap(&self) -> bool {
        self.required && self.settled && self.status.is_gap()
    }

    /// Minutes discussed, rounded to the nearest.
    pub fn minutes(&self) -> i64 {
        (self.seconds + 30) / 60
    }
}

/// A column: one session.
#[derive(Debug, Clone)]
pub struct Column {
    pub id: String,
    pub label: String,
    pub site: Option<String>,
    pub kind: SessionKind,
    pub mode: SessionMode,
    pub guide_title: String,
    pub started_at: DateTime<Utc>,
    pub state: String,
}

/// A row: one theme id, with the title of the first guide that has it; or one emergent theme,
/// with the id and title of the first session that added it.
#[derive(Debug, Clone)]
pub struct Row {
    pub theme_id: String,
    pub title: String,
    /// Added in the room in the sessions that have it, not in a guide.
    pub emergent: bool,
    pub cells: Vec<Cell>,
}

impl Row {
    /// Whether `theme` of some session belongs in this row.
    pub fn matches(&self, theme: &Theme) -> bool {
        if self.emergent || theme.emergent {
            self.emergent && theme.emergent && title_key(&self.title) == title_key(&theme.title)
        } else {
            self.theme_id == theme.id
        }
    }

    /// The position of this row's theme in `session`'s themes.
    pub fn theme_in(&self, session: &Session) -> Option<usize> {
        session.guide.themes.iter().position(|t| self.matches(t))
    }

    /// How many sessions (that have this theme) left it missed or only discussed where it was
    /// required, once they had ended.
    pub fn gaps(&self) -> usize {
        self.cells.iter().filter(|c| c.is_gap()).count()
    }

    /// Whether every session that has this theme has it as optional.
    pub fn optional_everywhere(&self) -> bool {
        self.present() > 0
            && self
                .cells
                .iter()
                .all(|c| c.status == CellStatus::Absent || !c.required)
    }

    /// How many sessions have this theme at all.
    pub fn present(&self) -> usize {
        self.cells
            .iter()
            .filter(|c| c.status != CellStatus::Absent)
            .count()
    }

    pub fn covered(&self) -> usize {
        self.cells
            .iter()
            .filter(|c| c.status == CellStatus::Covered)
            .count()
    }
}

/// A session as the review reads it.
pub struct ReviewSession<'a> {
    pub id: &'a str,
    pub session: &'a Session,
    /// `live`, `interrupted` or `ended`.
    pub state: &'static str,
    /// The moment the session's clock stands at.
    pub as_of: DateTime<Utc>,
}

/// The whole matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Matrix {
    /// The guides of the columns, each once, in column order (columns are grouped by guide).
    pub fn guide_titles(&self) -> Vec<&str> {
        let mut titles: Vec<&str> = self
            .columns
            .iter()
            .map(|c| c.guide_title.as_str())
            .collect();
        titles.dedup();
        titles
    }

    /// Each column's name for headers: the session's label, and where two columns share a
    /// label (or it is empty), the label with the session id. Names never depend on a column's
    /// position, so a filter never renames a session.
    pub fn column_names(&self) -> Vec<String> {
        self.columns
            .iter()
            .map(|c| {
                let shared = self.columns.iter().filter(|o| o.label == c.label).count() > 1;
                if shared || c.label.trim().is_empty() {
                    format!("{} ({})", c.label, c.id)
                } else {
                    c.label.clone()
                }
            })
            .collect()
    }
}

/// Which sessions the review shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub site: Option<String>,
    pub kind: Option<SessionKind>,
    pub guide_title: Option<String>,
}

impl Filter {
    pub fn accepts(&self, session: &Session) -> bool {
        let meta = &session.state().meta;
        self.site.as_deref().is_none_or(|s| {
            meta.site
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(s))
        }) && self.kind.is_none_or(|k| meta.kind == k)
            && self
                .guide_title
                .as_deref()
                .is_none_or(|g| session.guide.title == g)
    }
}

/// What the matrix keeps of one session: its column and a cell per theme, and nothing of its
/// notes or events, so a review of many sessions can let each go as soon as it is read.
#[derive(Debug, Clone)]
pub struct SessionCells {
    pub column: Column,
    /// The session's themes (its guide snapshot with the themes added live), shared between
    /// the sessions that have the same.
    pub guide: Arc<Guide>,
    /// One per theme of `guide`, in its order.
    pub cells: Vec<Cell>,
    /// The session has ended (see [`Cell::settled`]).
    pub settled: bool,
}

impl SessionCells {
    /// The column and cells of a session as the review reads it.
    pub fn of(s: &ReviewSession) -> Self {
        let state = s.session.state();
        let settled = state.is_ended();
        let cells = s
            .session
            .guide
            .themes
            .iter()
            .zip(&state.themes)
            .map(|(theme, progress)| {
                // An interrupted session may still be resumed: what it has not reached is not
                // yet missed.
                let status = match progress.status() {
                    ThemeStatus::Covered => CellStatus::Covered,
                    ThemeStatus::InDiscussion => CellStatus::Discussed,
                    ThemeStatus::Skipped => CellStatus::Skipped,
                    ThemeStatus::NotStarted if !settled => CellStatus::Pending,
                    ThemeStatus::NotStarted => CellStatus::Missed,
                };
                Cell {
                    status,
                    seconds: progress.discussed(s.as_of).num_seconds(),
                    required: theme.required,
                    settled,
                }
            })
            .collect();
        SessionCells {
            column: Column {
                id: s.id.to_string(),
                label: state.meta.label.clone(),
                site: state.meta.site.clone(),
                kind: state.meta.kind,
                mode: state.mode,
                guide_title: s.session.guide.title.clone(),
                started_at: state.started_at,
                state: s.state.to_string(),
            },
            guide: Arc::clone(&s.session.guide),
            cells,
            settled,
        }
    }
}

/// Builds the matrix: columns grouped by guide (in order of each guide's first session), then
/// by start time; rows in the order themes first appear.
pub fn build_matrix(sessions: &[ReviewSession]) -> Matrix {
    matrix_of_cells(sessions.iter().map(SessionCells::of).collect())
}

/// [`build_matrix`] from what each session's cells are.
pub fn matrix_of_cells(mut sessions: Vec<SessionCells>) -> Matrix {
    let mut by_start: Vec<&SessionCells> = sessions.iter().collect();
    by_start.sort_by_key(|s| s.column.started_at);
    let mut guide_order: Vec<String> = Vec::new();
    for s in by_start {
        if !guide_order.contains(&s.column.guide_title) {
            guide_order.push(s.column.guide_title.clone());
        }
    }
    let group = |s: &SessionCells| {
        guide_order
            .iter()
            .position(|g| *g == s.column.guide_title)
            .unwrap_or(usize::MAX)
    };
    sessions.sort_by(|a, b| {
        (group(a), a.column.started_at, &a.column.id).cmp(&(
            group(b),
            b.column.started_at,
            &b.column.id,
        ))
    });

    let mut rows: Vec<Row> = Vec::new();
    let mut seen: Option<&Arc<Guide>> = None;
    for s in &sessions {
        // Most sessions share their guide with the one before: its themes have their rows.
        if seen.is_some_and(|g| Arc::ptr_eq(g, &s.guide)) {
            continue;
        }
        seen = Some(&s.guide);
        for theme in &s.guide.themes {
            if !rows.iter().any(|r| r.matches(theme)) {
                rows.push(Row {
                    theme_id: theme.id.clone(),
                    title: theme.title.clone(),
                    emergent: theme.emergent,
                    cells: Vec::with_capacity(sessions.len()),
                });
            }
        }
    }
    let mut places: Option<(&Arc<Guide>, Vec<Option<usize>>)> = None;
    for s in &sessions {
        if !places
            .as_ref()
            .is_some_and(|(g, _)| Arc::ptr_eq(g, &s.guide))
        {
            let found = rows
                .iter()
                .map(|r| s.guide.themes.iter().position(|t| r.matches(t)))
                .collect();
            places = Some((&s.guide, found));
        }
        let Some((_, found)) = &places else {
            continue;
        };
        for (row, place) in rows.iter_mut().zip(found) {
            row.cells.push(match place.and_then(|i| s.cells.get(i)) {
                Some(cell) => *cell,
                None => Cell {
                    status: CellStatus::Absent,
                    seconds: 0,
                    required: false,
                    settled: s.settled,
                },
            });
        }
    }
    let columns = sessions.into_iter().map(|s| s.column).collect();
    Matrix { columns, rows }
}

/// The notes of one session on one theme.
pub fn notes_on<'a>(session: &'a Session, theme_id: &str) -> Vec<&'a Note> {
    session
        .state()
        .notes
        .iter()
        .filter(|n| n.theme.as_deref() == Some(theme_id))
        .collect()
}

/// The notes of one session on a row's theme (an emergent theme's id differs between sessions).
pub fn notes_in_row<'a>(session: &'a Session, row: &Row) -> Vec<&'a Note> {
    match row.theme_in(session) {
        Some(i) => notes_on(session, &session.guide.themes[i].id),
        None => Vec::new(),
    }
}

/// Every note of the session that carries at least one tag, in time order: the quote bank's
/// material.
pub fn tagged_notes(session: &Session) -> impl Iterator<Item = &Note> {
    session.state().notes.iter().filter(|n| !n.tags.is_empty())
}

/// Whether a note matches a search: every word of the query, case-insensitive, in its text,
/// speaker or tags.
pub fn note_matches(note: &Note, query: &str) -> bool {
    let haystack = format!(
        "{} {} {}",
        note.text,
        note.speaker.as_deref().unwrap_or(""),
        note.tags.join(" ")
    )
    .to_lowercase();
    query
        .split_whitespace()
        .all(|word| haystack.contains(&word.to_lowercase()))
}
