//! Telephone mode leads with the question: the theme shown (the one being discussed, else the
//! selected one) with its prompt and every probe in full, numbered for the probe keys, and
//! beneath it what comes next.

use super::super::app::LiveApp;
use super::super::theme::Palette;
use crate::model::timefmt::clock;
use crate::model::vocabulary::ThemeMark;
use crate::text::{truncate, wrap};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The question's lines at `cols` wide: heading, prompt, probes (hanging under their box) and
/// guidance, `spacious`ly set apart by blank lines on a tall screen. The layout sizes the pane
/// from how many there are.
pub fn lines(
    app: &LiveApp,
    now: DateTime<Utc>,
    cols: usize,
    spacious: bool,
    palette: &Palette,
) -> Vec<Line<'static>> {
    let state = app.state();
    let guide = &app.session.guide;
    let index = app.shown_theme();
    let theme = &guide.themes[index];
    let progress = &state.themes[index];
    let standing = ThemeMark::of(state, index);
    let spent = progress.discussed(state.clock_at(now));
    let budget = theme
        .minutes
        .map(|m| format!(" of {m}m"))
        .unwrap_or_default();
    let position = format!("Question {} of {}", index + 1, guide.themes.len());
    let mut heading = vec![
        Span::styled(format!("{} ", standing.mark()), palette.status(standing)),
        Span::styled(format!("{position}: "), palette.dim()),
        Span::styled(theme.title.clone(), palette.heading()),
        Span::styled(format!("  {}{budget}", clock(spent)), palette.dim()),
    ];
    if state.current != Some(index) {
        heading.push(Span::styled(
            "  (not yet discussed: Enter starts it)",
            palette.warn(),
        ));
    }
    let gap = |out: &mut Vec<Line<'static>>| {
        if spacious {
            out.push(Line::raw(""));
        }
    };
    let mut out = vec![Line::from(heading)];
    if let Some(prompt) = &theme.prompt {
        gap(&mut out);
        out.extend(
            wrap(prompt, cols)
                .into_iter()
                .map(|l| Line::styled(l, palette.bold())),
        );
    }
    if !theme.probes.is_empty() {
        gap(&mut out);
    }
    for (n, (probe, checked)) in theme
        .probes
        .iter()
        .zip(&progress.probes_checked)
        .enumerate()
    {
        let lead = format!(
            " [{}] {} ",
            if *checked { "x" } else { " " },
            app.probe_key(n)
        );
        let text = format!("{}{}", probe.text, if probe.required { " *" } else { "" });
        let style = if *checked {
            palette.ok()
        } else if probe.required {
            palette.bold()
        } else {
            palette.plain()
        };
        let hang = lead.chars().count();
        for (i, row) in wrap(&text, cols.saturating_sub(hang).max(1))
            .into_iter()
            .enumerate()
        {
            let first = if i == 0 {
                lead.clone()
            } else {
                " ".repeat(hang)
            };
            out.push(Line::from(vec![
                Span::styled(first, style),
                Span::styled(row, style),
            ]));
        }
    }
    let guidance = super::prompt_pane::guidance_lines(theme, progress, cols, palette);
    if !guidance.is_empty() {
        gap(&mut out);
    }
    out.extend(guidance);
    out
}

/// How many rows the question needs at `cols` wide (its times never change that).
pub fn line_count(app: &LiveApp, cols: usize, spacious: bool) -> usize {
    lines(
        app,
        app.state().started_at,
        cols,
        spacious,
        &Palette::monochrome(),
    )
    .len()
}

/// The question pane: set apart by blank lines when the pane has the rows for it.
pub fn draw(frame: &mut Frame, area: Rect, app: &LiveApp, now: DateTime<Utc>, palette: &Palette) {
    let cols = usize::from(area.width);
    let spacious = line_count(app, cols, true) <= usize::from(area.height);
    let mut all = lines(app, now, cols, spacious, palette);
    all.truncate(usize::from(area.height));
    super::put_lines(frame, area, &all);
}

/// The next question's lines: its number, title and prompt, and on a tall screen its probes.
fn next_lines(
    app: &LiveApp,
    cols: usize,
    with_probes: bool,
    palette: &Palette,
) -> Vec<Line<'static>> {
    let guide = &app.session.guide;
    let shown = app.shown_theme();
    let (word, index) = if app.selected_theme != shown {
        ("Selected", Some(app.selected_theme))
    } else {
        ("Next", app.next_open_theme(shown))
    };
    let mut lines = vec![Line::styled("─".repeat(cols), palette.dim())];
    match index.and_then(|i| guide.themes.get(i).map(|t| (i, t))) {
        Some((i, theme)) => {
            let text = match &theme.prompt {
                Some(prompt) => format!("{word} ▸ {}. {}: {prompt}", i + 1, theme.title),
                None => format!("{word} ▸ {}. {}", i + 1, theme.title),
            };
            for (row, chunk) in wrap(&text, cols).into_iter().enumerate() {
                let style = if row == 0 {
                    palette.bold()
                } else {
                    palette.plain()
                };
                lines.push(Line::styled(chunk, style));
            }
            if with_probes {
                lines.extend(theme.probes.iter().map(|p| {
                    Line::styled(truncate(&format!("   · {}", p.text), cols), palette.dim())
                }));
            }
        }
        None => lines.push(Line::styled(
            truncate(
                "Next ▸ nothing left: every theme is covered or skipped; the end check is next",
                cols,
            ),
            palette.ok(),
        )),
    }
    lines
}

/// How many rows what comes next takes at `cols` wide.
pub fn next_line_count(app: &LiveApp, cols: usize, with_probes: bool) -> usize {
    next_lines(app, cols, with_probes, &Palette::monochrome()).len()
}

/// What comes next, beneath the question: the next open theme with its prompt (and its probes
/// when there is room), or the theme the interviewer has selected when that is another one.
pub fn draw_next(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    if area.height == 0 {
        return;
    }
    let cols = usize::from(area.width);
    let with_probes = next_line_count(app, cols, true) <= usize::from(area.height);
    let mut lines = next_lines(app, cols, with_probes, palette);
    lines.truncate(usize::from(area.height));
    super::put_lines(frame, area, &lines);
}
