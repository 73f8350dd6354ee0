//! The top bar: guide, label, kind and mode; recording and pause marks; elapsed and remaining.

use super::super::app::{LiveApp, SaveState};
use super::super::theme::Palette;
use crate::model::timefmt::clock;
use crate::text::{truncate, width};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(frame: &mut Frame, area: Rect, app: &LiveApp, now: DateTime<Utc>, palette: &Palette) {
    let state = app.state();
    let meta = &state.meta;
    let mut right: Vec<Span> = Vec::new();
    if let SaveState::Failing(_) = app.save_state {
        right.push(Span::styled(" NOT SAVED ", palette.alarm()));
        right.push(Span::raw(" "));
    }
    if let Some(mark) = state.recording_started_at {
        right.push(Span::styled(
            format!("● REC {} ", clock(state.clock_at(now) - mark)),
            palette.recording(),
        ));
    }
    if state.is_paused() {
        right.push(Span::styled(" ⏸ PAUSED ", palette.warn()));
    }
    let remaining = state.remaining(now);
    let elapsed = clock(state.elapsed(now));
    let planned = clock(state.planned());
    right.push(Span::styled(
        format!(" {elapsed} / {planned} "),
        palette.bold(),
    ));
    let left_text = if remaining.num_seconds() >= 0 {
        format!(" {} left ", clock(remaining))
    } else {
        format!(" +{} over ", clock(-remaining))
    };
    let left_style = if remaining.num_seconds() < 0 {
        palette.alarm()
    } else {
        palette.plain()
    };
    right.push(Span::styled(left_text, left_style));

    let right_width: usize = right.iter().map(|s| width(&s.content)).sum();
    let title = format!(
        " {} · {} · {}, {}{}",
        meta.label,
        app.session.guide.title,
        meta.kind,
        meta.mode,
        meta.site
            .as_deref()
            .map(|s| format!(" · {s}"))
            .unwrap_or_default()
    );
    let room = usize::from(area.width).saturating_sub(right_width + 1);
    let title = truncate(&title, room);
    let gap = usize::from(area.width).saturating_sub(width(&title) + right_width);
    let mut spans = vec![
        Span::styled(title, palette.bold()),
        Span::raw(" ".repeat(gap)),
    ];
    spans.extend(right);
    frame.buffer_mut().set_style(area, palette.bar());
    super::put_lines(frame, area, &[Line::from(spans)]);
}
