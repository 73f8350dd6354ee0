//! The selected theme's prompt and guidance, below the lists (in person and on video; telephone
//! mode leads with the question instead, see `question_pane`).

use super::super::app::LiveApp;
use super::super::theme::Palette;
use crate::model::guide::Theme;
use crate::model::session::ThemeProgress;
use crate::model::timefmt::clock;
use crate::model::vocabulary::ThemeMark;
use crate::text::{truncate, wrap};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

pub fn draw(frame: &mut Frame, area: Rect, app: &LiveApp, now: DateTime<Utc>, palette: &Palette) {
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(palette.dim());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cols = usize::from(inner.width);
    let state = app.state();
    let index = app.selected_theme;
    let theme = &app.session.guide.themes[index];
    let progress = &state.themes[index];
    let standing = ThemeMark::of(state, index);
    let mut heading = vec![
        Span::styled(format!("{} ", standing.mark()), palette.status(standing)),
        Span::styled(theme.title.clone(), palette.heading()),
    ];
    let spent = progress.discussed(state.clock_at(now));
    let budget = theme
        .minutes
        .map(|m| format!(" of {m}m"))
        .unwrap_or_default();
    heading.push(Span::styled(
        format!("  {}{budget}", clock(spent)),
        palette.dim(),
    ));
    match state.current {
        Some(c) if c != index => heading.push(Span::styled(
            format!("  (now discussing: {})", app.session.guide.themes[c].title),
            palette.warn(),
        )),
        None => heading.push(Span::styled("  (Enter: now discussing)", palette.dim())),
        _ => {}
    }
    let mut lines = vec![Line::from(heading)];
    if let Some(prompt) = &theme.prompt {
        lines.extend(
            wrap(prompt, cols)
                .into_iter()
                .map(|l| Line::styled(l, palette.bold())),
        );
    }
    lines.extend(guidance_lines(theme, progress, cols, palette));
    lines.truncate(usize::from(inner.height));
    super::put_lines(frame, inner, &lines);
}

/// A theme's guidance for the facilitator, wrapped, and why it was skipped, if it was.
pub(super) fn guidance_lines(
    theme: &Theme,
    progress: &ThemeProgress,
    cols: usize,
    palette: &Palette,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(guidance) = &theme.guidance {
        lines.extend(
            wrap(&format!("Guidance: {guidance}"), cols)
                .into_iter()
                .map(|l| Line::styled(l, palette.dim())),
        );
    }
    if let Some(skip) = &progress.skipped {
        let reason = skip.reason.as_deref().unwrap_or("no reason given");
        lines.push(Line::styled(
            truncate(&format!("Skipped: {reason}"), cols),
            palette.dim(),
        ));
    }
    lines
}
