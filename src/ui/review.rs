//! The review screen: the coverage matrix of themes by sessions, gaps at a glance, one cell's
//! notes, every note on a theme across sessions side by side (a framework matrix), and search.

use super::keymap::{Action, Keymap, Layer};
use super::runner::{self, Screen};
use super::scroll::{Scroll, keep_in_view};
use super::terminal;
use super::theme::Palette;
use super::view::hint_line;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::{load_sessions, matrix_of};
use crate::model::guide::SessionKind;
use crate::model::note_text::QUOTE_TAG;
use crate::model::review::{CellStatus, Filter, Matrix, note_matches, notes_in_row, tagged_notes};
use crate::model::session::Note;
use crate::model::timefmt::hms;
use crate::model::vocabulary::{EMERGENT_MARK, EMERGENT_MEANING, EMERGENT_WORD, legend};
use crate::storage::session_store::{GuideCache, LoadedSession, read_session};
use crate::text::{clean_single_line, printable};
use crate::text::{pad, truncate, width, wrap};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Columns of the theme titles in the matrix.
const TITLE_COLS: usize = 30;
/// Columns of one session in the matrix: `✓ 12m`, and its label above it, cut to fit.
const CELL_COLS: usize = 9;
/// The narrowest session column of the side-by-side notes.
const NOTES_COL_MIN: usize = 28;

/// What the screen shows.
pub enum View {
    Matrix,
    /// One session's notes on one theme.
    Cell {
        scroll: Scroll,
    },
    /// Every session's notes on one theme, side by side.
    Across {
        first: usize,
        scroll: Scroll,
    },
    /// Typing a search.
    SearchInput(Box<TextArea<'static>>),
    /// Notes matching a search, across sessions.
    Found {
        query: String,
        scroll: Scroll,
    },
    /// Every tagged note across the sessions, by tag.
    Quotes {
        scroll: Scroll,
    },
    /// The review's keys and marks.
    Help {
        scroll: Scroll,
    },
}

/// The review screen's state.
pub struct Review {
    all: Vec<LoadedSession>,
    pub filter: Filter,
    pub matrix: Matrix,
    pub row: usize,
    pub col: usize,
    pub view: View,
    keymap: Keymap,
    palette: Palette,
    quit: bool,
    /// Set when a session folder changed (a live session saved an event): its sessions are
    /// read again at the next tick.
    changed: Option<Arc<AtomicBool>>,
}

impl Review {
    /// Refreshes the sessions not yet ended whenever `changed` turns true.
    pub fn follow_changes(&mut self, changed: Arc<AtomicBool>) {
        self.changed = Some(changed);
    }

    /// Reads again every session that has not ended (without a lock: a live one is another
    /// process's to write), and rebuilds the matrix.
    fn refresh_unfinished(&mut self) {
        let mut cache = GuideCache::default();
        let mut any = false;
        for loaded in &mut self.all {
            if loaded.session.state().is_ended() {
                continue;
            }
            if let Ok(again) = read_session(&loaded.dir, &mut cache) {
                let liveness = loaded.liveness;
                *loaded = again;
                if !loaded.session.state().is_ended() {
                    loaded.liveness = liveness;
                }
                any = true;
            }
        }
        if any {
            self.rebuild();
        }
    }

    pub fn new(all: Vec<LoadedSession>, filter: Filter, keymap: Keymap, palette: Palette) -> Self {
        let mut review = Review {
            all,
            filter,
            matrix: Matrix {
                columns: Vec::new(),
                rows: Vec::new(),
            },
            row: 0,
            col: 0,
            view: View::Matrix,
            keymap,
            palette,
            quit: false,
            changed: None,
        };
        review.rebuild();
        review
    }

    fn rebuild(&mut self) {
        let filtered: Vec<&LoadedSession> = self
            .all
            .iter()
            .filter(|s| self.filter.accepts(&s.session))
            .collect();
        self.matrix = matrix_of(&filtered);
        self.row = self.row.min(self.matrix.rows.len().saturating_sub(1));
        self.col = self.col.min(self.matrix.columns.len().saturating_sub(1));
    }

    fn session(&self, column: usize) -> Option<&LoadedSession> {
        let id = &self.matrix.columns.get(column)?.id;
        self.all.iter().find(|s| s.id == *id)
    }

    fn layer(&self) -> Layer {
        match self.view {
            View::Matrix | View::Help { .. } => Layer::Review,
            View::SearchInput(_) => Layer::ReviewSearch,
            _ => Layer::ReviewNotes,
        }
    }

    fn cycle_site(&mut self) {
        let mut sites: Vec<String> = self
            .all
            .iter()
            .filter_map(|s| s.session.state().meta.site.clone())
            .collect();
        sites.sort();
        sites.dedup();
        self.filter.site = cycle(&sites, self.filter.site.as_ref());
        self.rebuild();
    }

    fn cycle_kind(&mut self) {
        self.filter.kind = match self.filter.kind {
            None => Some(SessionKind::FocusGroup),
            Some(SessionKind::FocusGroup) => Some(SessionKind::Interview),
            Some(SessionKind::Interview) => None,
        };
        self.rebuild();
    }

    fn cycle_guide(&mut self) {
        let mut guides: Vec<String> = self
            .all
            .iter()
            .map(|s| s.session.guide.title.clone())
            .collect();
        guides.sort();
        guides.dedup();
        self.filter.guide_title = cycle(&guides, self.filter.guide_title.as_ref());
        self.rebuild();
    }

    fn filter_text(&self) -> String {
        let f = &self.filter;
        format!(
            "site: {}  kind: {}  guide: {}",
            f.site.as_deref().unwrap_or("all"),
            f.kind.map_or("all".to_string(), |k| k.to_string()),
            f.guide_title.as_deref().unwrap_or("all")
        )
    }
}

/// The next value after `current` in `values`, then none (all).
fn cycle(values: &[String], current: Option<&String>) -> Option<String> {
    match current.and_then(|c| values.iter().position(|v| v == c)) {
        None => values.first().cloned(),
        Some(i) => values.get(i + 1).cloned(),
    }
}

impl Screen for Review {
    fn draw(&self, frame: &mut Frame, _now: DateTime<Utc>) {
        let area = frame.area();
        let [title, body, footer] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let p = &self.palette;
        let cols = usize::from(area.width);
        let heading = format!(
            " Coverage review · {} session{} · {}",
            self.matrix.columns.len(),
            if self.matrix.columns.len() == 1 {
                ""
            } else {
                "s"
            },
            self.filter_text()
        );
        frame.render_widget(
            Paragraph::new(Line::styled(truncate(&heading, cols), p.heading())),
            title,
        );
        match &self.view {
            View::Matrix => self.draw_matrix(frame, body),
            View::Cell { scroll } => self.draw_cell(frame, body, scroll),
            View::Across { first, scroll } => self.draw_across(frame, body, *first, scroll),
            View::SearchInput(input) => {
                let [line, rest] =
                    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
                let [label, field] =
                    Layout::horizontal([Constraint::Length(8), Constraint::Min(1)]).areas(line);
                frame.render_widget(Paragraph::new(Line::styled("Search:", p.key())), label);
                frame.render_widget(input.as_ref(), field);
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        "every word must match a note's text, speaker or tags",
                        p.dim(),
                    )),
                    rest,
                );
            }
            View::Found { query, scroll } => self.draw_found(frame, body, query, scroll),
            View::Quotes { scroll } => self.draw_quotes(frame, body, scroll),
            View::Help { scroll } => self.draw_help(frame, body, scroll),
        }
        frame.render_widget(
            Paragraph::new(hint_line(&self.keymap.hints(&[self.layer()]), cols, p)),
            footer,
        );
    }

    fn on_key(&mut self, key: KeyEvent, _now: DateTime<Utc>) {
        let action = self.keymap.action(self.layer(), &key);
        if let View::SearchInput(input) = &mut self.view {
            match action {
                Some(Action::Confirm) => {
                    let query = clean_single_line(&input.lines().join(" "));
                    self.view = View::Found {
                        query,
                        scroll: Scroll::default(),
                    };
                }
                Some(Action::Cancel) => self.view = View::Matrix,
                _ => {
                    input.input(key);
                }
            }
            return;
        }
        let rows = self.matrix.rows.len();
        let columns = self.matrix.columns.len();
        match (&mut self.view, action) {
            (View::Matrix, Some(Action::SelectNext)) => {
                self.row = (self.row + 1).min(rows.saturating_sub(1))
            }
            (View::Matrix, Some(Action::SelectPrev)) => self.row = self.row.saturating_sub(1),
            (View::Matrix, Some(Action::MoveRight)) => {
                self.col = (self.col + 1).min(columns.saturating_sub(1))
            }
            (View::Matrix, Some(Action::MoveLeft)) => self.col = self.col.saturating_sub(1),
            (View::Matrix, Some(Action::Confirm)) if rows > 0 && columns > 0 => {
                self.view = View::Cell {
                    scroll: Scroll::default(),
                }
            }
            (View::Matrix, Some(Action::ThemeAcross)) if rows > 0 => {
                self.view = View::Across {
                    first: 0,
                    scroll: Scroll::default(),
                }
            }
            (View::Matrix, Some(Action::Search)) => {
                let mut input = TextArea::default();
                input.set_placeholder_text("words to find, Enter searches");
                self.view = View::SearchInput(Box::new(input));
            }
            (View::Matrix, Some(Action::CycleSite)) => self.cycle_site(),
            (View::Matrix, Some(Action::CycleKind)) => self.cycle_kind(),
            (View::Matrix, Some(Action::CycleGuide)) => self.cycle_guide(),
            (View::Matrix, Some(Action::QuoteBank)) => {
                self.view = View::Quotes {
                    scroll: Scroll::default(),
                }
            }
            (View::Matrix, Some(Action::Help)) => {
                self.view = View::Help {
                    scroll: Scroll::default(),
                }
            }
            (View::Matrix, Some(Action::Quit)) => self.quit = true,
            // The help reads the matrix's keys; any of them but scrolling closes it.
            (View::Help { scroll }, Some(Action::SelectNext)) => scroll.down(1),
            (View::Help { scroll }, Some(Action::SelectPrev)) => scroll.up(1),
            (View::Help { .. }, Some(_)) => self.view = View::Matrix,
            (
                View::Cell { scroll }
                | View::Across { scroll, .. }
                | View::Found { scroll, .. }
                | View::Quotes { scroll },
                Some(Action::SelectNext),
            ) => scroll.down(1),
            (
                View::Cell { scroll }
                | View::Across { scroll, .. }
                | View::Found { scroll, .. }
                | View::Quotes { scroll },
                Some(Action::SelectPrev),
            ) => scroll.up(1),
            (View::Across { first, .. }, Some(Action::MoveRight)) => {
                *first = (*first + 1).min(columns.saturating_sub(1))
            }
            (View::Across { first, .. }, Some(Action::MoveLeft)) => {
                *first = first.saturating_sub(1)
            }
            // In one cell's notes, h and l go to the same theme in the next or previous session.
            (View::Cell { scroll }, Some(Action::MoveRight)) => {
                scroll.reset();
                self.col = (self.col + 1).min(columns.saturating_sub(1));
            }
            (View::Cell { scroll }, Some(Action::MoveLeft)) => {
                scroll.reset();
                self.col = self.col.saturating_sub(1);
            }
            (_, Some(Action::Cancel)) => self.view = View::Matrix,
            _ => {}
        }
    }

    fn on_paste(&mut self, text: &str, _now: DateTime<Utc>) {
        if let View::SearchInput(input) = &mut self.view {
            input.insert_str(clean_single_line(text));
        }
    }

    fn done(&self) -> bool {
        self.quit
    }

    fn tick(&mut self, _now: DateTime<Utc>) {
        if self
            .changed
            .as_ref()
            .is_some_and(|c| c.swap(false, Ordering::SeqCst))
        {
            self.refresh_unfinished();
        }
    }
}

impl Review {
    fn cell_style(&self, status: CellStatus) -> Style {
        let p = &self.palette;
        match status {
            CellStatus::Covered => p.ok(),
            CellStatus::Discussed => p.warn(),
            CellStatus::Missed => p.alarm(),
            CellStatus::Skipped | CellStatus::Absent | CellStatus::Pending => p.dim(),
        }
    }

    fn draw_matrix(&self, frame: &mut Frame, area: Rect) {
        let p = &self.palette;
        if self.matrix.columns.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    "No sessions match: s, f and g change the filters.",
                    p.warn(),
                )),
                area,
            );
            return;
        }
        let cols = usize::from(area.width);
        let gap_cols = 10;
        let room = cols.saturating_sub(TITLE_COLS + gap_cols) / CELL_COLS;
        let room = room.max(1);
        let first = self.col.saturating_sub(room - 1);
        let shown: Vec<usize> = (first..self.matrix.columns.len()).take(room).collect();
        // Rows that fit under the header and above the legend (a blank line, the legend, the
        // selected session): scrolled so that the selected row is always one of them.
        let room_rows = usize::from(area.height).saturating_sub(4).max(1);
        let top = keep_in_view(self.row, room_rows, 0);
        let mut lines = Vec::new();
        let names = self.matrix.column_names();
        let mut header = vec![Span::styled(pad("Theme", TITLE_COLS), p.heading())];
        for &c in &shown {
            let style = if c == self.col {
                p.selected()
            } else {
                p.heading()
            };
            // The label, cut to the column; the whole name is on the line under the matrix.
            header.push(Span::styled(
                pad(&printable(&names[c]), CELL_COLS - 1),
                style,
            ));
            header.push(Span::raw(" "));
        }
        header.push(Span::styled("Gaps", p.heading()));
        lines.push(Line::from(header));
        for (r, row) in self
            .matrix
            .rows
            .iter()
            .enumerate()
            .skip(top)
            .take(room_rows)
        {
            let gaps = row.gaps();
            let title_style = if r == self.row {
                p.selected()
            } else if gaps > 0 {
                p.bold()
            } else {
                p.plain()
            };
            // An emergent row says so without colour, as the live screen's themes do: its mark
            // after the title, kept when a long title is cut.
            let title = if row.emergent {
                let mark = format!(" {EMERGENT_MARK}");
                let cut = truncate(&printable(&row.title), TITLE_COLS - 1 - width(&mark));
                format!("{cut}{mark}")
            } else if row.optional_everywhere() {
                printable(&format!("{} (optional)", row.title))
            } else {
                printable(&row.title)
            };
            // One column kept blank so that a cut title does not run into the first cell.
            let mut spans = vec![
                Span::styled(pad(&title, TITLE_COLS - 1), title_style),
                Span::raw(" "),
            ];
            for &c in &shown {
                let cell = row.cells[c];
                let text = match cell.status {
                    CellStatus::Covered | CellStatus::Discussed => {
                        format!("{} {}m", cell.status.mark(), cell.minutes())
                    }
                    other => other.mark().to_string(),
                };
                let mut style = self.cell_style(cell.status);
                if !cell.is_gap() && cell.status.is_gap() {
                    // Missed but optional, or left open in a session still to be resumed.
                    style = p.dim();
                }
                if r == self.row && c == self.col {
                    style = style.patch(p.selected());
                }
                spans.push(Span::styled(pad(&text, CELL_COLS - 1), style));
                spans.push(Span::raw(" "));
            }
            let gap_text = if gaps == 0 {
                "–".to_string()
            } else {
                format!("{gaps} of {}", row.present())
            };
            spans.push(Span::styled(
                gap_text,
                if gaps > 0 { p.warn() } else { p.dim() },
            ));
            lines.push(Line::from(spans));
        }
        lines.push(Line::raw(""));
        let mut marks = legend(&CellStatus::ALL, CellStatus::mark, CellStatus::label, "  ");
        // First, where a narrow terminal cannot cut it off: the rarer mark needs saying most.
        if self.matrix.rows.iter().any(|r| r.emergent) {
            marks.insert_str(0, &format!("{EMERGENT_MARK} {EMERGENT_WORD}  "));
        }
        lines.push(Line::styled(marks, p.dim()));
        if let Some(column) = self.matrix.columns.get(self.col) {
            lines.push(Line::raw(truncate(
                &format!(
                    "{}: {} · {} · {}{} · {}",
                    printable(&names[self.col]),
                    column.id,
                    column.guide_title,
                    column.kind,
                    column
                        .site
                        .as_deref()
                        .map(|s| format!(" · {s}"))
                        .unwrap_or_default(),
                    column.state
                ),
                cols,
            )));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }

    /// A note found across sessions (the quote bank, a search): the session's name and the
    /// note's theme on one line, the note indented beneath.
    fn found_note(
        &self,
        session_name: &str,
        note: &Note,
        session: &LoadedSession,
        width: usize,
    ) -> Vec<Line<'static>> {
        let p = &self.palette;
        let theme = note
            .theme
            .as_deref()
            .map(|id| {
                session
                    .session
                    .guide
                    .theme(id)
                    .map_or(id, |t| t.title.as_str())
            })
            .unwrap_or("—");
        let mut lines = vec![Line::from(vec![
            Span::styled(truncate(&printable(session_name), 24), p.key()),
            Span::styled(format!(" {}", truncate(&printable(theme), 30)), p.dim()),
        ])];
        lines.extend(
            self.note_line(note, session, width.saturating_sub(2))
                .into_iter()
                .map(|l| {
                    let mut spans = vec![Span::raw("  ")];
                    spans.extend(l.spans);
                    Line::from(spans)
                }),
        );
        lines
    }

    fn note_line(&self, note: &Note, session: &LoadedSession, width: usize) -> Vec<Line<'static>> {
        let state = session.session.state();
        let speaker = note
            .speaker
            .as_deref()
            .map(|s| format!("{s}: "))
            .unwrap_or_default();
        let text = format!(
            "{} {speaker}{}",
            hms(state.offset_seconds(note.at)),
            printable(&note.text)
        );
        wrap(&text, width.max(1))
            .into_iter()
            .map(Line::raw)
            .collect()
    }

    fn draw_cell(&self, frame: &mut Frame, area: Rect, scroll: &Scroll) {
        let p = &self.palette;
        let (Some(row), Some(session)) = (self.matrix.rows.get(self.row), self.session(self.col))
        else {
            return;
        };
        let width = usize::from(area.width);
        let names = self.matrix.column_names();
        let cell = row.cells[self.col];
        let state = session.session.state();
        let mut lines = vec![Line::styled(
            truncate(
                &printable(&format!(
                    "{} in {}: {} {}",
                    row.title,
                    names[self.col],
                    cell.status.mark(),
                    cell.status.label()
                )),
                width,
            ),
            p.heading(),
        )];
        if let Some(index) = row.theme_in(&session.session) {
            let theme = &session.session.guide.themes[index];
            let progress = &state.themes[index];
            let mut facts = vec![format!("{}m discussed", cell.minutes())];
            if let Some(budget) = theme.minutes {
                facts[0].push_str(&format!(" of {budget}m"));
            }
            if let Some(at) = progress.first_discussed_at {
                facts.push(format!("first at {}", hms(state.offset_seconds(at))));
            }
            if let Some(at) = progress.covered_at {
                facts.push(format!("covered at {}", hms(state.offset_seconds(at))));
            }
            // First: what the theme is matters more than its times, and a narrow screen cuts.
            if theme.emergent {
                facts.insert(0, EMERGENT_MEANING.into());
            }
            if !theme.required {
                facts.push("optional".into());
            }
            lines.push(Line::styled(truncate(&facts.join(" · "), width), p.dim()));
            if let Some(skip) = &progress.skipped {
                let reason = skip.reason.as_deref().unwrap_or("no reason given");
                for line in wrap(
                    &printable(&format!(
                        "Skipped at {}: {reason}",
                        hms(state.offset_seconds(skip.at))
                    )),
                    width.max(1),
                ) {
                    lines.push(Line::styled(line, p.warn()));
                }
            }
            if !theme.probes.is_empty() {
                let ticked = progress.probes_checked.iter().filter(|c| **c).count();
                lines.push(Line::styled(
                    format!("Probes {ticked}/{}", theme.probes.len()),
                    p.bold(),
                ));
                for (probe, checked) in theme.probes.iter().zip(&progress.probes_checked) {
                    let required = if probe.required { " (required)" } else { "" };
                    let style = if *checked {
                        p.ok()
                    } else if probe.required {
                        p.warn()
                    } else {
                        p.plain()
                    };
                    lines.push(Line::styled(
                        truncate(
                            &printable(&format!(
                                "  [{}] {}{required}",
                                if *checked { "x" } else { " " },
                                probe.text
                            )),
                            width,
                        ),
                        style,
                    ));
                }
            }
        }
        lines.push(Line::styled("Notes", p.bold()));
        let notes = notes_in_row(&session.session, row);
        if notes.is_empty() {
            lines.push(Line::styled(
                "No notes on this theme in this session.",
                p.dim(),
            ));
        }
        for note in notes {
            lines.extend(self.note_line(note, session, width));
        }
        let skip = scroll.fit(lines.len(), usize::from(area.height));
        frame.render_widget(
            Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
            area,
        );
    }

    /// Every tagged note across the sessions shown, by tag (`#quote` first), each with its
    /// session and theme.
    fn draw_quotes(&self, frame: &mut Frame, area: Rect, scroll: &Scroll) {
        let p = &self.palette;
        let width = usize::from(area.width);
        let names = self.matrix.column_names();
        let mut by_tag: std::collections::BTreeMap<(bool, String), Vec<(usize, &Note)>> =
            std::collections::BTreeMap::new();
        for c in 0..self.matrix.columns.len() {
            let Some(session) = self.session(c) else {
                continue;
            };
            for note in tagged_notes(&session.session) {
                for tag in &note.tags {
                    let tag = tag.to_lowercase();
                    by_tag
                        .entry((tag != QUOTE_TAG, tag))
                        .or_default()
                        .push((c, note));
                }
            }
        }
        let mut lines = Vec::new();
        let mut count = 0;
        for ((_, tag), notes) in &by_tag {
            lines.push(Line::styled(
                truncate(&printable(&format!("#{tag} · {}", notes.len())), width),
                p.heading(),
            ));
            for (c, note) in notes {
                count += 1;
                let Some(session) = self.session(*c) else {
                    continue;
                };
                lines.extend(self.found_note(&names[*c], note, session, width));
            }
        }
        let mut out = vec![Line::styled(
            if by_tag.is_empty() {
                "Quote bank: no note in these sessions has a tag (#quote, #nonverbal, ...)"
                    .to_string()
            } else {
                format!("Quote bank: {count} tagged note(s), by tag")
            },
            p.heading(),
        )];
        let skip = scroll.fit(lines.len(), usize::from(area.height).saturating_sub(1));
        out.extend(lines.into_iter().skip(skip));
        frame.render_widget(Paragraph::new(out), area);
    }

    /// The keys of the review's screens, from the keymap, and the marks of the matrix.
    fn draw_help(&self, frame: &mut Frame, area: Rect, scroll: &Scroll) {
        let p = &self.palette;
        let mut lines = Vec::new();
        for layer in [Layer::Review, Layer::ReviewNotes, Layer::ReviewSearch] {
            lines.push(Line::styled(layer.title(), p.heading()));
            for (keys, desc) in self.keymap.help_rows(layer) {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<14}"), p.key()),
                    Span::raw(desc.to_string()),
                ]));
            }
        }
        lines.push(Line::styled("Marks", p.heading()));
        for status in CellStatus::ALL {
            lines.push(Line::raw(format!(
                "  {}  {}",
                status.mark(),
                status.label()
            )));
        }
        lines.push(Line::raw(format!("  {EMERGENT_MARK}  {EMERGENT_MEANING}")));
        lines.push(Line::raw(
            "  Gaps count ended sessions where a required theme was missed or left uncovered.",
        ));
        let skip = scroll.fit(lines.len(), usize::from(area.height));
        frame.render_widget(
            Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
            area,
        );
    }

    fn draw_across(&self, frame: &mut Frame, area: Rect, first: usize, scroll: &Scroll) {
        let p = &self.palette;
        let Some(row) = self.matrix.rows.get(self.row) else {
            return;
        };
        let [heading, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("Every note on \"{}\", session by session", row.title),
                p.heading(),
            )),
            heading,
        );
        let names = self.matrix.column_names();
        let width = usize::from(body.width);
        let per = (width / NOTES_COL_MIN).max(1);
        let columns: Vec<usize> = (first..self.matrix.columns.len()).take(per).collect();
        let col_width = u16::try_from(width / columns.len().max(1)).unwrap_or(u16::MAX);
        let mut drawn = Vec::new();
        for (i, &c) in columns.iter().enumerate() {
            let Some(session) = self.session(c) else {
                continue;
            };
            let x = body.x + col_width * u16::try_from(i).unwrap_or(0);
            let rect = Rect {
                x,
                y: body.y,
                width: col_width.saturating_sub(1),
                height: body.height,
            };
            let inner_cols = usize::from(rect.width);
            let cell = row.cells[c];
            let mut lines = vec![
                Line::styled(truncate(&printable(&names[c]), inner_cols), p.heading()),
                Line::styled(
                    truncate(
                        &if cell.status == CellStatus::Absent {
                            format!("{} not in this session's guide", cell.status.mark())
                        } else {
                            format!(
                                "{} {}  {}m",
                                cell.status.mark(),
                                cell.status.label(),
                                cell.minutes()
                            )
                        },
                        inner_cols,
                    ),
                    self.cell_style(cell.status),
                ),
            ];
            let notes = notes_in_row(&session.session, row);
            if notes.is_empty() {
                lines.push(Line::styled("(no notes)", p.dim()));
            }
            for note in notes {
                lines.extend(self.note_line(note, session, inner_cols));
            }
            drawn.push((rect, lines));
        }
        // The columns scroll together, as far as the longest one needs.
        let longest = drawn.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
        let skip = scroll.fit(longest, usize::from(body.height));
        for (rect, lines) in drawn {
            frame.render_widget(
                Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
                rect,
            );
        }
    }

    fn draw_found(&self, frame: &mut Frame, area: Rect, query: &str, scroll: &Scroll) {
        let p = &self.palette;
        let width = usize::from(area.width);
        let names = self.matrix.column_names();
        let mut lines = Vec::new();
        let mut count = 0;
        for (c, name) in names.iter().enumerate() {
            let Some(session) = self.session(c) else {
                continue;
            };
            for note in session
                .session
                .state()
                .notes
                .iter()
                .filter(|n| note_matches(n, query))
            {
                count += 1;
                lines.extend(self.found_note(name, note, session, width));
            }
        }
        let mut out = vec![Line::styled(
            format!("{count} note(s) match \"{query}\""),
            p.heading(),
        )];
        let skip = scroll.fit(lines.len(), usize::from(area.height).saturating_sub(1));
        out.extend(lines.into_iter().skip(skip));
        frame.render_widget(Paragraph::new(out), area);
    }
}

/// `topicguide review` with no `--format`: the review screen.
pub fn run_review(ctx: &Context, names: &[String], filter: Filter) -> Result<(), AppError> {
    if !terminal::is_interactive() {
        return Err(AppError::User(
            "the review screen needs a terminal; use --format csv|md|json to print the matrix or --format qdpx -o FILE for the study"
                .into(),
        ));
    }
    let all = load_sessions(ctx, names, &Filter::default())?;
    if all.is_empty() {
        return Err(AppError::User(format!(
            "no sessions to review in {}",
            ctx.data_dir()?.display()
        )));
    }
    let mut review = Review::new(
        all,
        filter,
        Keymap::for_config(&ctx.config),
        Palette::for_config(&ctx.config),
    );
    // Live sessions change as their note-takers save: the matrix follows them.
    let _watcher = crate::app::watch::on_change(
        &crate::storage::paths::sessions_dir(ctx.data_dir()?),
        true,
        runner::waker(),
    )
    .map(|(watcher, changed)| {
        review.follow_changes(changed);
        watcher
    });
    runner::run_screen(&mut review, false)?;
    Ok(())
}
