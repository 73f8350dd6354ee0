//! Drawing the live screen. Drawing only reads the app; the time to show is passed in.

mod add_theme;
mod big_clock;
mod notes_pane;
mod overlays;
mod parked;
mod prompt_pane;
mod question_pane;
pub mod roster;
mod themes_pane;
mod top_bar;
pub mod warning_bar;

use super::app::LiveApp;
use super::theme::Palette;
use crate::model::guide::SessionMode;
use crate::text::truncate;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The smallest terminal the live screen draws itself in.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 14;
/// From this size on the screen adds a side column: the large clock, the seating plan and the
/// parked questions, and the theme list shows every theme's probes.
pub const WIDE_WIDTH: u16 = 160;
pub const WIDE_HEIGHT: u16 = 40;
/// The side column's width on a large screen.
const SIDE_COLS: u16 = 46;
/// From this height on the warning bar has two rows, so what to do fits beside what is wrong.
const TWO_ROW_WARNING_HEIGHT: u16 = 30;

/// Where each part of the live screen goes, for drawing and for mouse clicks. Parts a layout
/// does not have are empty rectangles.
#[derive(Debug, Clone, Copy)]
pub struct Areas {
    pub top: Rect,
    pub themes: Rect,
    pub notes: Rect,
    /// In person: the selected theme's prompt below the lists. In telephone mode: the question,
    /// first and large.
    pub prompt: Rect,
    /// Telephone mode: what comes after the question.
    pub next: Rect,
    /// The parked questions: in the side column, else above the notes when there are any.
    pub parked: Rect,
    /// The large clock on a large screen.
    pub clock: Rect,
    /// The seating plan on a large screen.
    pub seating: Rect,
    pub note_line: Rect,
    pub warning: Rect,
    pub footer: Rect,
}

/// Whether the screen is large enough for the side column.
pub fn is_wide(area: Rect) -> bool {
    area.width >= WIDE_WIDTH && area.height >= WIDE_HEIGHT
}

/// The live screen's layout in `area`, or None when the terminal is too small for it.
pub fn layout(area: Rect, app: &LiveApp) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let telephone = app.state().mode == SessionMode::Telephone;
    let wide = is_wide(area);
    let note_rows = overlays::note_line_rows(app, area.width);
    let warning_rows = if area.height >= TWO_ROW_WARNING_HEIGHT {
        2
    } else {
        1
    };
    let [top, middle, note_line, warning, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(note_rows),
        Constraint::Length(warning_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    let (middle, side) = if wide {
        let [main, side] =
            Layout::horizontal([Constraint::Min(60), Constraint::Length(SIDE_COLS)]).areas(middle);
        (main, Some(side))
    } else {
        (middle, None)
    };
    let empty = Rect::default();
    let (prompt, next, body) = if telephone {
        // The question takes what it needs, set apart by blank lines on a tall screen, up to
        // most of the height; what comes next goes beneath it; the lists keep the rest.
        let cols = usize::from(middle.width);
        let tall = middle.height >= TALL_QUESTION_ROWS;
        let as_rows = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        let next_rows = as_rows(question_pane::next_line_count(app, cols, tall))
            .clamp(2, if tall { 10 } else { NEXT_ROWS });
        let most = middle.height.saturating_sub(6 + next_rows).max(4);
        let rows = as_rows(question_pane::line_count(app, cols, tall)).clamp(4, most);
        let [prompt, next, body] = Layout::vertical([
            Constraint::Length(rows),
            Constraint::Length(next_rows),
            Constraint::Min(3),
        ])
        .areas(middle);
        (prompt, next, body)
    } else {
        let prompt_rows = (area.height / 4).clamp(4, 9);
        let [body, prompt] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(prompt_rows)]).areas(middle);
        (prompt, empty, body)
    };
    let most_themes = if wide { 80 } else { 56 };
    let themes_width = (body.width * 9 / 20)
        .clamp(30, most_themes)
        .min(body.width.saturating_sub(20));
    let [themes, notes] =
        Layout::horizontal([Constraint::Length(themes_width), Constraint::Min(10)]).areas(body);
    let (clock, seating, parked, notes) = match side {
        Some(side) => {
            let people = app.state().participants.len() as u16;
            let seating_rows = if people > 1 {
                (side.height / 2).clamp(roster::CIRCLE_MIN_ROWS, 18)
            } else {
                0
            };
            let [_, clock, _, seating, parked] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(big_clock::ROWS),
                Constraint::Length(1),
                Constraint::Length(seating_rows),
                Constraint::Min(0),
            ])
            .areas(inset(side));
            (clock, seating, parked, notes)
        }
        None => {
            let parked_count = app.state().followups().count() as u16;
            let (parked, notes) = if parked_count == 0 {
                (empty, notes)
            } else {
                let rows = (parked_count + 1).min(notes.height / 4).max(2);
                let [parked, notes] =
                    Layout::vertical([Constraint::Length(rows), Constraint::Min(2)]).areas(notes);
                (inset(parked), notes)
            };
            (empty, seating_below(themes, app, telephone), parked, notes)
        }
    };

    Some(Areas {
        top,
        themes,
        notes,
        prompt,
        next,
        parked,
        clock,
        seating,
        note_line,
        warning,
        footer,
    })
}

/// Where the seating plan goes below the theme list on a screen without a side column (drawn
/// over the list's pane, which keeps its border): the rows the list never needs (its themes, the most probes any theme has, the header and the
/// row saying what is below), when there are enough of them for the plan; else nothing.
fn seating_below(themes: Rect, app: &LiveApp, telephone: bool) -> Rect {
    let state = app.state();
    if telephone || state.participants.len() < 2 {
        return Rect::default();
    }
    let guide = &app.session.guide;
    let most_probes = guide
        .themes
        .iter()
        .map(|t| t.probes.len())
        .max()
        .unwrap_or(0);
    let needed = u16::try_from(guide.themes.len() + most_probes + 2).unwrap_or(u16::MAX);
    let spare = themes.height.saturating_sub(needed + 1);
    if spare < roster::CIRCLE_MIN_ROWS {
        return Rect::default();
    }
    let rows = spare.min(16);
    Rect {
        x: themes.x,
        y: themes.y + themes.height - rows,
        width: themes.width.saturating_sub(1),
        height: rows,
    }
}

/// Rows of the "next question" strip under the question.
const NEXT_ROWS: u16 = 3;
/// From this many rows between the bars the question is set apart by blank lines and the next
/// question shows its probes.
const TALL_QUESTION_ROWS: u16 = 30;

/// `area` less a column on the left, so a pane beside a border does not touch it.
fn inset(area: Rect) -> Rect {
    Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    }
}

/// Draws the whole live screen.
pub fn draw(frame: &mut Frame, app: &LiveApp, now: DateTime<Utc>, palette: &Palette) {
    let area = frame.area();
    let Some(areas) = layout(area, app) else {
        draw_too_small(frame, area, palette);
        return;
    };
    let telephone = app.state().mode == SessionMode::Telephone;
    let probes = if telephone {
        ProbesShown::None
    } else if is_wide(area) {
        ProbesShown::Every
    } else {
        ProbesShown::Focus
    };
    top_bar::draw(frame, areas.top, app, now, palette);
    themes_pane::draw(frame, areas.themes, app, now, palette, probes);
    notes_pane::draw(frame, areas.notes, app, palette);
    if telephone {
        question_pane::draw(frame, areas.prompt, app, now, palette);
        question_pane::draw_next(frame, areas.next, app, palette);
    } else {
        prompt_pane::draw(frame, areas.prompt, app, now, palette);
    }
    if areas.parked.height > 0 {
        parked::draw_pane(frame, areas.parked, app, palette);
    }
    if areas.clock.height > 0 {
        big_clock::draw(frame, areas.clock, app, now, palette);
    }
    if areas.seating.height > 0 {
        let state = app.state();
        let theme = &app.session.guide.themes[app.shown_theme()];
        roster::draw_plan(
            frame,
            areas.seating,
            &state.participants,
            &state.speakers_on(&theme.id),
            &theme.title,
            palette,
        );
    }
    overlays::draw_note_line(frame, areas.note_line, app, palette);
    warning_bar::draw(frame, areas.warning, app, now, palette);
    draw_footer(frame, areas.footer, app, palette);
    overlays::draw_modal(frame, area, app, palette);
}

/// Which probes the theme list shows under its themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbesShown {
    /// None: telephone mode shows them with the question.
    None,
    /// The probes of the theme shown, numbered for the probe keys.
    Focus,
    /// Every theme's (a large screen); only the theme shown has numbers.
    Every,
}

/// Puts lines into `area`, one a row from the top, cut at its width. The lines are already
/// fitted, so this skips the reflow a `Paragraph` would do: it is most of a frame's cost.
pub(crate) fn put_lines(frame: &mut Frame, area: Rect, lines: &[Line]) {
    let buffer = frame.buffer_mut();
    for (line, y) in lines.iter().zip(area.y..area.y + area.height) {
        buffer.set_line(area.x, y, line, area.width);
    }
}

/// The theme under a mouse click at (`column`, `row`) of a terminal of size `area`, if any.
pub fn theme_at(area: Rect, app: &LiveApp, column: u16, row: u16) -> Option<usize> {
    let areas = layout(area, app)?;
    let probes = if app.state().mode == SessionMode::Telephone {
        ProbesShown::None
    } else if is_wide(area) {
        ProbesShown::Every
    } else {
        ProbesShown::Focus
    };
    themes_pane::theme_at(areas.themes, app, probes, column, row)
}

/// Whether a point of a terminal of size `area` lies on the notes pane.
pub fn on_notes(area: Rect, app: &LiveApp, column: u16, row: u16) -> bool {
    layout(area, app).is_some_and(|a| {
        let r = a.notes;
        column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height
    })
}

fn draw_too_small(frame: &mut Frame, area: Rect, palette: &Palette) {
    let text = format!(
        "Terminal too small ({}x{}): topicguide needs {MIN_WIDTH}x{MIN_HEIGHT}. The session is safe and the clock runs; enlarge the window.",
        area.width, area.height
    );
    let paragraph = Paragraph::new(Line::styled(text, palette.warn())).wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}

fn draw_footer(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    let width = usize::from(area.width);
    let line = match &app.flash {
        Some((message, _)) => Line::styled(truncate(message, width), palette.bold()),
        None => hint_line(&app.keymap.hints(&app.layers()), width, palette),
    };
    put_lines(frame, area, &[line]);
}

/// `key what` pairs, as many as fit.
pub(crate) fn hint_line(
    hints: &[(String, &str)],
    width: usize,
    palette: &Palette,
) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, what) in hints {
        let cost = crate::text::width(key) + crate::text::width(what) + 3;
        if used + cost > width {
            break;
        }
        spans.push(Span::styled(key.clone(), palette.key()));
        spans.push(Span::styled(format!(" {what}  "), palette.dim()));
        used += cost;
    }
    Line::from(spans)
}

/// The spans that fit in `cols` columns, the last one cut to fit.
pub(super) fn clip_spans(spans: Vec<Span<'static>>, cols: usize) -> Line<'static> {
    let mut used = 0;
    let mut out = Vec::new();
    for span in spans {
        let w = crate::text::width(&span.content);
        if used + w > cols {
            out.push(Span::styled(
                crate::text::truncate(&span.content, cols - used),
                span.style,
            ));
            break;
        }
        used += w;
        out.push(span);
    }
    Line::from(out)
}
