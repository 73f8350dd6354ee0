//! The theme list: a status mark, the title, time spent against budget, and the probes of the
//! theme shown as checkboxes (of every theme on a large screen). The header stays at the top
//! when a long guide scrolls, and a last row says how many themes are off screen below.

use super::super::app::{LiveApp, Pane};
use super::super::scroll::keep_in_view;
use super::super::theme::Palette;
use super::ProbesShown;
use crate::model::session::ThemeStatus;
use crate::model::timefmt::short_clock;
use crate::model::vocabulary::{EMERGENT_MARK, ThemeMark};
use crate::text::{pad, truncate, width, wrap};
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
    probes: ProbesShown,
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

    let kinds = line_kinds(app, probes, cols);
    let view = ListView::of(&kinds, app.selected_theme, usize::from(inner.height));
    let header_style = if focused {
        palette.heading()
    } else {
        palette.dim()
    };
    let mut visible = vec![Line::styled(
        truncate(
            &format!(
                "Themes  {}/{} {}",
                state.covered_count(),
                guide.themes.len(),
                ThemeMark::Covered.mark()
            ),
            cols,
        ),
        header_style,
    )];
    // Only the lines in view are built: a long guide costs nothing off screen.
    visible.extend(
        kinds[view.scroll..view.scroll + view.shown]
            .iter()
            .map(|kind| match *kind {
                LineKind::Theme(i) => theme_line(app, i, clock, cols, focused, palette),
                LineKind::Probe(i, n, row) => probe_line(app, i, n, row, cols, palette),
            }),
    );
    if view.themes_below > 0 {
        visible.push(Line::styled(
            truncate(
                &format!(
                    "▼ {} more theme{} below",
                    view.themes_below,
                    if view.themes_below == 1 { "" } else { "s" }
                ),
                cols,
            ),
            palette.warn(),
        ));
    }
    super::put_lines(frame, inner, &visible);
}

/// Which part of the list is in view below the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListView {
    /// Lines scrolled off the top.
    scroll: usize,
    /// Lines shown.
    shown: usize,
    /// Themes wholly below the last line shown (the indicator row's number).
    themes_below: usize,
}

impl ListView {
    /// The view of `kinds` in `rows` rows (the header's included) that keeps the selected theme
    /// in sight, with a row for the indicator when themes are left below.
    fn of(kinds: &[LineKind], selected: usize, rows: usize) -> ListView {
        let body = rows.saturating_sub(1);
        let selected_row = kinds
            .iter()
            .position(|k| *k == LineKind::Theme(selected))
            .unwrap_or(0);
        let fits = |scroll: usize, shown: usize| {
            kinds[(scroll + shown).min(kinds.len())..]
                .iter()
                .filter(|k| matches!(k, LineKind::Theme(_)))
                .count()
        };
        if kinds.len() <= body {
            return ListView {
                scroll: 0,
                shown: kinds.len(),
                themes_below: 0,
            };
        }
        // One row goes to the indicator; keep a line of context under the selected theme.
        let shown = body.saturating_sub(1);
        let scroll = keep_in_view(selected_row, shown, 1).min(kinds.len().saturating_sub(shown));
        let below = fits(scroll, shown);
        if below == 0 {
            // Nothing left below after all: the indicator row shows a line instead.
            let shown = body.min(kinds.len() - scroll);
            return ListView {
                scroll,
                shown,
                themes_below: 0,
            };
        }
        ListView {
            scroll,
            shown,
            themes_below: below,
        }
    }
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
    // An emergent theme says so without colour: its mark follows the title.
    let title = if theme.emergent {
        format!("{} {EMERGENT_MARK}", theme.title)
    } else {
        theme.title.clone()
    };
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
        Span::styled(pad(&title, title_cols), title_style),
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

/// Whether probe `n` of theme `i` is ticked.
fn probe_checked(app: &LiveApp, i: usize, n: usize) -> bool {
    app.state().themes[i]
        .probes_checked
        .get(n)
        .copied()
        .unwrap_or(false)
}

/// Row `row` of probe `n` of theme `i`: a large screen wraps probe texts in full.
fn probe_line(
    app: &LiveApp,
    i: usize,
    n: usize,
    row: Option<usize>,
    cols: usize,
    palette: &Palette,
) -> Line<'static> {
    let checked = probe_checked(app, i, n);
    let probe = &app.session.guide.themes[i].probes[n];
    let style = if checked {
        palette.ok()
    } else if probe.required {
        palette.bold()
    } else {
        palette.plain()
    };
    let (lead, rows) = probe_rows(app, i, n, cols);
    let text = match row {
        None => format!("{lead}{}", rows.join(" ")),
        Some(0) => format!("{lead}{}", rows.first().map_or("", String::as_str)),
        Some(r) => format!(
            "{}{}",
            " ".repeat(width(&lead)),
            rows.get(r).map_or("", String::as_str)
        ),
    };
    Line::styled(truncate(&text, cols), style)
}

/// A probe's box and number, and its text in rows: whole when `wrap_probes` (a large
/// screen), else one row cut to fit. Only the theme shown numbers its probes: the probe keys
/// tick those.
fn probe_rows(app: &LiveApp, i: usize, n: usize, cols: usize) -> (String, Vec<String>) {
    let checked = probe_checked(app, i, n);
    let probe = &app.session.guide.themes[i].probes[n];
    let number = if i == app.shown_theme() {
        format!("{} ", app.probe_key(n))
    } else {
        String::new()
    };
    let lead = format!("   [{}] {number}", if checked { "x" } else { " " });
    let text = format!("{}{}", probe.text, if probe.required { " *" } else { "" });
    let rows = wrap(&text, cols.saturating_sub(width(&lead)).max(1));
    (lead, rows)
}

/// What one line of the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Theme(usize),
    /// Probe `n` of theme `i`: one row cut to fit (None), or row N of its wrapped text.
    Probe(usize, usize, Option<usize>),
}

/// The lines of the list below its header, in order: each theme and the probes shown under it.
fn line_kinds(app: &LiveApp, probes: ProbesShown, cols: usize) -> Vec<LineKind> {
    let mut lines = Vec::new();
    let focus = app.shown_theme();
    for (i, theme) in app.session.guide.themes.iter().enumerate() {
        lines.push(LineKind::Theme(i));
        let shown = match probes {
            ProbesShown::None => false,
            ProbesShown::Focus => i == focus,
            ProbesShown::Every => true,
        };
        if !shown {
            continue;
        }
        for n in 0..theme.probes.len() {
            if probes == ProbesShown::Every {
                let rows = probe_rows(app, i, n, cols).1.len();
                lines.extend((0..rows).map(|row| LineKind::Probe(i, n, Some(row))));
            } else {
                lines.push(LineKind::Probe(i, n, None));
            }
        }
    }
    lines
}

/// The theme drawn at a screen position inside `area` (the pane as given to [`draw`]).
pub fn theme_at(
    area: Rect,
    app: &LiveApp,
    probes: ProbesShown,
    column: u16,
    row: u16,
) -> Option<usize> {
    let inner = Block::new().borders(Borders::RIGHT).inner(area);
    if column < inner.x
        || column >= inner.x + inner.width
        || row <= inner.y
        || row >= inner.y + inner.height
    {
        return None;
    }
    let kinds = line_kinds(app, probes, usize::from(inner.width));
    let view = ListView::of(&kinds, app.selected_theme, usize::from(inner.height));
    let line = usize::from(row - inner.y - 1);
    if line >= view.shown {
        return None;
    }
    match kinds.get(view.scroll + line)? {
        LineKind::Theme(i) | LineKind::Probe(i, _, _) => Some(*i),
    }
}
