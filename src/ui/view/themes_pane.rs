//! The theme list: a status mark, the title, time spent against budget, and the current theme's
//! probes as checkboxes.

use super::super::app::{LiveApp, Pane};
use super::super::scroll::keep_in_view;
use super::super::theme::Palette;
use crate::model::session::ThemeStatus;
use crate::model::timefmt::short_clock;
use crate::model::vocabulary::ThemeMark;
use crate::text::{pad, truncate, width};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

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

    let rows = usize::from(inner.height);
    let kinds = line_kinds(app, show_probes);
    let selected_row = kinds
        .iter()
        .position(|k| *k == LineKind::Theme(app.selected_theme))
        .unwrap_or(0);
    let scroll = keep_in_view(selected_row, rows, 1);
    // Only the lines in view are built: a long guide costs nothing off screen.
    let visible: Vec<Line> = kinds
        .iter()
        .skip(scroll)
        .take(rows)
        .map(|kind| match *kind {
            LineKind::Header => {
                let style = if focused {
                    palette.heading()
                } else {
                    palette.dim()
                };
                Line::styled(
                    truncate(
                        &format!(
                            "Themes  {}/{} {}",
                            state.covered_count(),
                            guide.themes.len(),
                            ThemeMark::Covered.mark()
                        ),
                        cols,
                    ),
                    style,
                )
            }
            LineKind::Theme(i) => theme_line(app, i, clock, cols, focused, palette),
            LineKind::Probe(i, n) => probe_line(app, i, n, cols, palette),
        })
        .collect();
    super::put_lines(frame, inner, &visible);
}

fn theme_line(
    app: &LiveApp,
    i: usize,
    clock: DateTime<Utc>,
    cols: usize,
    focused: bool,
    palette: &Palette,
) -> Line<'static> {
    let state = app.state();
    let theme = &app.session.guide.themes[i];
    let progress = &state.themes[i];
    let status = progress.status();
    let current = state.current == Some(i);
    let standing = ThemeMark::of(state, i);
    let mark = standing.mark();
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
        Span::styled(format!("{mark} "), palette.status(standing)),
        Span::styled(pad(&theme.title, title_cols), title_style),
        Span::raw(" "),
        Span::styled(timing, if over { palette.warn() } else { palette.dim() }),
    ];
    if focused && i == app.selected_theme {
        for span in &mut spans {
            span.style = span.style.patch(palette.selected());
        }
    }
    Line::from(spans)
}

fn probe_line(app: &LiveApp, i: usize, n: usize, cols: usize, palette: &Palette) -> Line<'static> {
    let probe = &app.session.guide.themes[i].probes[n];
    let checked = app.state().themes[i]
        .probes_checked
        .get(n)
        .copied()
        .unwrap_or(false);
    let text = format!(
        "   [{}] {} {}{}",
        if checked { "x" } else { " " },
        n + 1,
        probe.text,
        if probe.required { " *" } else { "" }
    );
    let style = if checked {
        palette.ok()
    } else if probe.required {
        palette.bold()
    } else {
        palette.plain()
    };
    Line::styled(truncate(&text, cols), style)
}

/// What one line of the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Header,
    Theme(usize),
    /// Probe `n` of theme `i`, listed under the theme probes are ticked for.
    Probe(usize, usize),
}

/// The lines of the list in order: the header, each theme, and the focus theme's probes.
fn line_kinds(app: &LiveApp, show_probes: bool) -> Vec<LineKind> {
    let mut lines = vec![LineKind::Header];
    let focus = app.focus_theme();
    for (i, theme) in app.session.guide.themes.iter().enumerate() {
        lines.push(LineKind::Theme(i));
        if show_probes && i == focus {
            lines.extend((0..theme.probes.len()).map(|n| LineKind::Probe(i, n)));
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
    let lines = line_kinds(app, show_probes);
    let selected_row = lines
        .iter()
        .position(|k| *k == LineKind::Theme(app.selected_theme))
        .unwrap_or(0);
    let scroll = keep_in_view(selected_row, usize::from(inner.height), 1);
    match lines.get(scroll + usize::from(row - inner.y))? {
        LineKind::Header => None,
        LineKind::Theme(i) | LineKind::Probe(i, _) => Some(*i),
    }
}
