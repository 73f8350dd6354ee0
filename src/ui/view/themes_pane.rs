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
    let rows = usize::from(inner.height);
    let scroll = selected_row.saturating_sub(rows.saturating_sub(2));
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(visible), inner);
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
