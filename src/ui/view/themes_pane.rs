//! The theme list: a status mark, the title, time spent against budget, and the current theme's
//! probes as checkboxes.

use super::super::app::{LiveApp, Pane};
use super::super::fit::{pad, truncate, width};
use super::super::theme::Palette;
use crate::model::session::ThemeStatus;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The mark of a theme that was discussed earlier and left uncovered.
pub const LEFT_UNCOVERED: &str = "◐";

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    app: &LiveApp,
    now: DateTime<Utc>,
    palette: &Palette,
    show_probes: bool,
) {
    let block = Block::new()
        .borders(Borders::RIGHT)
        .border_style(palette.dim());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cols = usize::from(inner.width);
    let state = app.state();
    let guide = &app.session.guide;
    let clock = state.clock_at(now);
    let focused = app.pane == Pane::Themes;

    let covered = state.covered_count();
    let header_style = if focused {
        palette.heading()
    } else {
        palette.dim()
    };
    let mut lines = vec![Line::styled(
        truncate(&format!("Themes  {covered}/{} ✓", guide.themes.len()), cols),
        header_style,
    )];
    let mut selected_row = 0;
    for (i, (theme, progress)) in guide.themes.iter().zip(&state.themes).enumerate() {
        let status = progress.status();
        let current = state.current == Some(i);
        let mark = if current {
            "▶"
        } else if status == ThemeStatus::InDiscussion {
            LEFT_UNCOVERED
        } else {
            status.symbol()
        };
        let spent = progress.discussed(clock);
        let timing = match theme.minutes {
            Some(m) => format!("{}/{m}m", short_clock(spent.num_seconds())),
            None => short_clock(spent.num_seconds()),
        };
        let over = theme
            .minutes
            .is_some_and(|m| spent.num_seconds() > i64::from(m) * 60);
        let title_cols = cols.saturating_sub(width(&timing) + 3);
        let mut title_style = if current {
            palette.bold()
        } else {
            palette.plain()
        };
        if !theme.required {
            title_style = title_style.add_modifier(Modifier::ITALIC);
        }
        if status == ThemeStatus::Skipped {
            title_style = palette.dim().add_modifier(Modifier::CROSSED_OUT);
        }
        let mut spans = vec![
            Span::styled(format!("{mark} "), palette.status(status)),
            Span::styled(pad(&theme.title, title_cols), title_style),
            Span::raw(" "),
            Span::styled(timing, if over { palette.warn() } else { palette.dim() }),
        ];
        if i == app.selected_theme {
            selected_row = lines.len();
            if focused {
                for span in &mut spans {
                    span.style = span.style.patch(palette.selected());
                }
            }
        }
        lines.push(Line::from(spans));
        if show_probes && i == app.focus_theme() {
            for (n, (probe, checked)) in theme
                .probes
                .iter()
                .zip(&progress.probes_checked)
                .enumerate()
            {
                let text = format!(
                    "   [{}] {} {}{}",
                    if *checked { "x" } else { " " },
                    n + 1,
                    probe.text,
                    if probe.required { " *" } else { "" }
                );
                let style = if *checked {
                    palette.ok()
                } else if probe.required {
                    palette.bold()
                } else {
                    palette.plain()
                };
                lines.push(Line::styled(truncate(&text, cols), style));
            }
        }
    }
    let scroll = scroll_for(selected_row, usize::from(inner.height));
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// How many lines the list is scrolled so the selected row stays in view.
fn scroll_for(selected_row: usize, rows: usize) -> usize {
    selected_row.saturating_sub(rows.saturating_sub(2))
}

/// For each line of the list (header first), the theme it belongs to; probe lines belong to
/// their theme. Mirrors [`draw`].
fn line_themes(app: &LiveApp, show_probes: bool) -> Vec<Option<usize>> {
    let mut lines = vec![None];
    for (i, theme) in app.session.guide.themes.iter().enumerate() {
        lines.push(Some(i));
        if show_probes && i == app.focus_theme() {
            lines.extend(std::iter::repeat_n(Some(i), theme.probes.len()));
        }
    }
    lines
}

/// The theme drawn at a screen position inside `area` (the pane as given to [`draw`]).
pub fn theme_at(
    area: Rect,
    app: &LiveApp,
    show_probes: bool,
    column: u16,
    row: u16,
) -> Option<usize> {
    let inner = Block::new().borders(Borders::RIGHT).inner(area);
    if column < inner.x
        || column >= inner.x + inner.width
        || row < inner.y
        || row >= inner.y + inner.height
    {
        return None;
    }
    let lines = line_themes(app, show_probes);
    let selected_row = lines
        .iter()
        .position(|t| *t == Some(app.selected_theme))
        .unwrap_or(0);
    let scroll = scroll_for(selected_row, usize::from(inner.height));
    lines
        .get(scroll + usize::from(row - inner.y))
        .copied()
        .flatten()
}

/// `m:ss` for under an hour, else `h:mm:ss`.
fn short_clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
