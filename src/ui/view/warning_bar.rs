//! The warning bar: what is unaddressed as the end nears, together with how far behind schedule
//! and what optional themes to drop, a theme over its own budget, the parked questions at the
//! warning points, overtime, and the journal's save state when it fails. The first warning point
//! and the last one look different, in words and marks as well as colour.

use super::super::app::{LiveApp, SaveState};
use super::super::theme::Palette;
use crate::model::alerts::{drop_suggestions, over_budget, schedule, warning_stage};
use crate::model::timefmt::clock;
use crate::text::{truncate, width};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// The mark of the first warning point.
pub const FIRST_POINT_MARK: &str = "⚠";
/// The mark of the last warning point: the last call to the moderator.
pub const LAST_POINT_MARK: &str = "‼";
/// How much of the parked questions the bar lists: more than its rows hold on any screen.
const BAR_TEXT_BYTES: usize = 4096;

/// The bar's parts, most important first, and how loud it is.
pub fn segments(app: &LiveApp, now: DateTime<Utc>) -> (Vec<String>, Level) {
    if let SaveState::Failing(error) = &app.save_state {
        let count = app.unsynced().len();
        return (
            vec![format!(
                "NOT SAVED: {count} event(s) kept in memory, retrying every second ({error})"
            )],
            Level::Alarm,
        );
    }
    let guide = &app.session.guide;
    let state = app.state();
    if state.is_ended() {
        return (vec!["Session ended.".into()], Level::Calm);
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
    let not_addressed = (!unaddressed.is_empty()).then(|| {
        format!(
            "{} not addressed: {}{probe_note}",
            unaddressed.len(),
            unaddressed.join(", ")
        )
    });
    let behind = plan
        .behind()
        .filter(|_| plan.overtime().is_none())
        .map(|b| {
            let drop: Vec<String> = drop_suggestions(guide, state, now)
                .into_iter()
                .map(|i| {
                    let t = &guide.themes[i];
                    match t.minutes {
                        Some(m) => format!("{} ({m}m)", t.title),
                        None => t.title.clone(),
                    }
                })
                .collect();
            let mut text = format!(
                "behind schedule by {} min ({} of themes left in {})",
                b.num_minutes().max(1),
                clock(plan.needed),
                clock(plan.remaining)
            );
            if !drop.is_empty() {
                text.push_str(&format!(" · drop optional: {}", drop.join(", ")));
            }
            text
        });
    let over = over_budget(guide, state, now).map(|(i, over)| {
        format!(
            "{} {} min over",
            guide.themes[i].title,
            over.num_minutes().max(1)
        )
    });
    let open = state.open_followups().count();
    let parked_note = (open > 0).then(|| {
        // The bar is one row: the questions are listed only as far as any screen could show.
        let mut listed = String::new();
        for text in state.open_followups().map(super::parked::parked_text) {
            if !listed.is_empty() {
                listed.push_str("; ");
            }
            listed.push_str(&text);
            if listed.len() > BAR_TEXT_BYTES {
                break;
            }
        }
        format!("{open} parked: {listed}")
    });

    if let Some(over_end) = plan.overtime() {
        let what = not_addressed.unwrap_or_else(|| "every required theme addressed".into());
        let mut parts = vec![format!("OVERTIME +{}: {what}", clock(over_end))];
        parts.extend(parked_note);
        return (parts, Level::Alarm);
    }
    let stage = warning_stage(guide, state, now);
    if let (Some(last), Some(not_addressed)) = (stage, not_addressed.clone()) {
        let (mark, level, words) = if last {
            (LAST_POINT_MARK, Level::LastCall, "LAST CALL")
        } else {
            (FIRST_POINT_MARK, Level::Warn, "")
        };
        let lead = if words.is_empty() {
            format!("{mark} {} left", clock(plan.remaining))
        } else {
            format!("{mark} {words}: {} left", clock(plan.remaining))
        };
        let mut parts = vec![format!("{lead} · {not_addressed}")];
        parts.extend(behind);
        parts.extend(parked_note);
        parts.extend(over);
        return (parts, level);
    }
    if let Some(behind) = behind {
        let mut parts = vec![format!("Behind: {behind}")];
        parts.extend(not_addressed.map(|n| n.to_string()));
        parts.extend(over);
        return (parts, Level::Warn);
    }
    let next = guide
        .themes
        .iter()
        .zip(&state.themes)
        .enumerate()
        .find(|(i, (t, p))| t.required && !p.is_addressed() && Some(*i) != state.current)
        .map(|(_, (t, _))| format!(" · next not addressed: {}", t.title))
        .unwrap_or_default();
    let mut parts = vec![format!(
        "On track: {}/{} covered{}{next}",
        state.covered_count(),
        guide.themes.len(),
        if unaddressed.is_empty() {
            ", all required addressed"
        } else {
            ""
        }
    )];
    let level = if over.is_some() {
        Level::Warn
    } else {
        Level::Calm
    };
    if let Some(over) = over {
        parts.insert(0, over);
    }
    (parts, level)
}

/// The bar's text as one line, and how loud it is, for the screen and for tests.
pub fn message(app: &LiveApp, now: DateTime<Utc>) -> (String, Level) {
    let (parts, level) = segments(app, now);
    (parts.join(" · "), level)
}

/// How loud the bar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Calm,
    /// The first warning point, behind schedule, or a theme over its budget.
    Warn,
    /// The last warning point.
    LastCall,
    Alarm,
}

/// How many rows the bar wants at `cols` wide: the parts on as many rows as they need, at most
/// `max_rows`.
pub fn rows_wanted(app: &LiveApp, now: DateTime<Utc>, cols: u16, max_rows: u16) -> u16 {
    let (parts, _) = segments(app, now);
    u16::try_from(pack(&parts, usize::from(cols)).len())
        .unwrap_or(u16::MAX)
        .clamp(1, max_rows.max(1))
}

/// The parts put on rows: whole parts side by side while they fit, a part wider than a row on
/// rows of its own.
fn pack(parts: &[String], cols: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    for part in parts {
        match rows.last_mut() {
            Some(row) if width(row) + 3 + width(part) <= cols => {
                row.push_str(" · ");
                row.push_str(part);
            }
            _ => rows.push(part.clone()),
        }
    }
    rows
}

pub fn draw(frame: &mut Frame, area: Rect, app: &LiveApp, now: DateTime<Utc>, palette: &Palette) {
    let (parts, level) = segments(app, now);
    let style = match level {
        Level::Calm => palette.ok(),
        Level::Warn => palette.warn(),
        Level::LastCall | Level::Alarm => palette.alarm(),
    };
    let cols = usize::from(area.width);
    let rows = usize::from(area.height).max(1);
    let mut packed = pack(&parts, cols);
    if packed.len() > rows {
        // What does not fit goes on the last row, cut.
        let rest = packed.split_off(rows - 1).join(" · ");
        packed.push(rest);
    }
    let lines: Vec<Line> = packed
        .iter()
        .map(|row| {
            let text = truncate(row, cols);
            // The alarm styles fill the row, so the bar reads as one block.
            let padded = if matches!(level, Level::LastCall | Level::Alarm) {
                format!("{text}{}", " ".repeat(cols.saturating_sub(width(&text))))
            } else {
                text
            };
            Line::styled(padded, style)
        })
        .collect();
    super::put_lines(frame, area, &lines);
}
