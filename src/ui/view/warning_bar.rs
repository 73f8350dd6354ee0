//! The warning bar: what is unaddressed as the end nears, how far behind schedule, overtime,
//! and the journal's save state when it fails.

use super::super::app::{LiveApp, SaveState};
use super::super::theme::Palette;
use crate::model::alerts::{schedule, warning_points};
use crate::model::timefmt::clock;
use crate::text::truncate;
use chrono::{DateTime, Duration, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// The bar's text and whether it is a warning, for the screen and for tests.
pub fn message(app: &LiveApp, now: DateTime<Utc>) -> (String, Level) {
    if let SaveState::Failing(error) = &app.save_state {
        let count = app.unsynced().len();
        return (
            format!("NOT SAVED: {count} event(s) kept in memory, retrying every second ({error})"),
            Level::Alarm,
        );
    }
    let guide = &app.session.guide;
    let state = app.state();
    if state.is_ended() {
        return ("Session ended.".into(), Level::Calm);
    }
    let plan = schedule(guide, state, now);
    let unaddressed: Vec<&str> = state
        .unaddressed_themes(guide)
        .into_iter()
        .map(|i| guide.themes[i].title.as_str())
        .collect();
    let probes = state.unaddressed_probes(guide).len();
    let probe_note = if probes > 0 {
        format!(
            " (+{probes} required probe{})",
            if probes == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    if let Some(over) = plan.overtime() {
        let what = if unaddressed.is_empty() {
            "every required theme addressed".to_string()
        } else {
            format!(
                "{} not addressed: {}",
                unaddressed.len(),
                unaddressed.join(", ")
            )
        };
        return (
            format!("OVERTIME +{}: {what}{probe_note}", clock(over)),
            Level::Alarm,
        );
    }
    let first_point = warning_points(guide, &state.meta)
        .first()
        .copied()
        .unwrap_or(0);
    let near_end = plan.remaining <= Duration::minutes(i64::from(first_point));
    if near_end && !unaddressed.is_empty() {
        return (
            format!(
                "⚠ {} left · {} not addressed: {}{probe_note}",
                clock(plan.remaining),
                unaddressed.len(),
                unaddressed.join(", ")
            ),
            Level::Warn,
        );
    }
    if let Some(behind) = plan.behind() {
        return (
            format!(
                "Behind schedule by {} min: {} of themes left in {}",
                behind.num_minutes().max(1),
                clock(plan.needed),
                clock(plan.remaining)
            ),
            Level::Warn,
        );
    }
    let next = guide
        .themes
        .iter()
        .zip(&state.themes)
        .enumerate()
        .find(|(i, (t, p))| t.required && !p.is_addressed() && Some(*i) != state.current)
        .map(|(_, (t, _))| format!(" · next not addressed: {}", t.title))
        .unwrap_or_default();
    (
        format!(
            "On track: {}/{} covered{}{next}",
            state.covered_count(),
            guide.themes.len(),
            if unaddressed.is_empty() {
                ", all required addressed"
            } else {
                ""
            }
        ),
        Level::Calm,
    )
}

/// How loud the bar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Calm,
    Warn,
    Alarm,
}

pub fn draw(frame: &mut Frame, area: Rect, app: &LiveApp, now: DateTime<Utc>, palette: &Palette) {
    let (text, level) = message(app, now);
    let style = match level {
        Level::Calm => palette.ok(),
        Level::Warn => palette.warn(),
        Level::Alarm => palette.alarm(),
    };
    let line = Line::styled(truncate(&text, usize::from(area.width)), style);
    super::put_lines(frame, area, &[line]);
}
