//! Drawing the live screen. Drawing only reads the app; the time to show is passed in.

mod add_theme;
mod notes_pane;
mod overlays;
mod parked;
mod prompt_pane;
pub mod roster;
mod themes_pane;
mod top_bar;
pub mod warning_bar;

use super::app::{LiveApp, Modal};
use super::fit::truncate;
use super::theme::Palette;
use crate::model::guide::SessionMode;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The smallest terminal the live screen draws itself in.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 14;

/// Where each part of the live screen goes, for drawing and for mouse clicks.
#[derive(Debug, Clone, Copy)]
pub struct Areas {
    pub top: Rect,
    pub themes: Rect,
    pub notes: Rect,
    pub prompt: Rect,
    pub note_line: Rect,
    pub warning: Rect,
    pub footer: Rect,
}

/// The live screen's layout in `area`, or None when the terminal is too small for it.
pub fn layout(area: Rect, app: &LiveApp) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let telephone = app.state().meta.mode == SessionMode::Telephone;
    let editor_open = matches!(app.modals.last(), Some(Modal::Editor(_)));
    let note_rows = if editor_open { 4 } else { 1 };
    let prompt_rows = prompt_height(area, telephone);
    let [top, middle, note_line, warning, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(note_rows),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (prompt, body) = if telephone {
        let [prompt, body] =
            Layout::vertical([Constraint::Length(prompt_rows), Constraint::Min(3)]).areas(middle);
        (prompt, body)
    } else {
        let [body, prompt] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(prompt_rows)]).areas(middle);
        (prompt, body)
    };
    let themes_width = (body.width * 9 / 20)
        .clamp(30, 56)
        .min(body.width.saturating_sub(20));
    let [themes, notes] =
        Layout::horizontal([Constraint::Length(themes_width), Constraint::Min(10)]).areas(body);
    Some(Areas {
        top,
        themes,
        notes,
        prompt,
        note_line,
        warning,
        footer,
    })
}

/// Draws the whole live screen.
pub fn draw(frame: &mut Frame, app: &LiveApp, now: DateTime<Utc>, palette: &Palette) {
    let area = frame.area();
    let Some(areas) = layout(area, app) else {
        draw_too_small(frame, area, palette);
        return;
    };
    let telephone = app.state().meta.mode == SessionMode::Telephone;
    top_bar::draw(frame, areas.top, app, now, palette);
    themes_pane::draw(frame, areas.themes, app, now, palette, !telephone);
    notes_pane::draw(frame, areas.notes, app, palette);
    prompt_pane::draw(frame, areas.prompt, app, now, palette, telephone);
    overlays::draw_note_line(frame, areas.note_line, app, palette);
    warning_bar::draw(frame, areas.warning, app, now, palette);
    draw_footer(frame, areas.footer, app, palette);
    overlays::draw_modal(frame, area, app, palette);
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
    let telephone = app.state().meta.mode == SessionMode::Telephone;
    themes_pane::theme_at(areas.themes, app, !telephone, column, row)
}

/// Whether a point of a terminal of size `area` lies on the notes pane.
pub fn on_notes(area: Rect, app: &LiveApp, column: u16, row: u16) -> bool {
    layout(area, app).is_some_and(|a| {
        let r = a.notes;
        column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height
    })
}

fn prompt_height(area: Rect, telephone: bool) -> u16 {
    if telephone {
        (area.height / 2).clamp(6, 16)
    } else {
        (area.height / 4).clamp(4, 9)
    }
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
        None => hint_line(&app.keymap.hints(app.layer()), width, palette),
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
        let cost = super::fit::width(key) + super::fit::width(what) + 3;
        if used + cost > width {
            break;
        }
        spans.push(Span::styled(key.clone(), palette.key()));
        spans.push(Span::styled(format!(" {what}  "), palette.dim()));
        used += cost;
    }
    Line::from(spans)
}
