//! The seating plan on screen: the editor overlay (seat, descriptor, consent, comings and
//! goings) and the seating circle with "has spoken" marks for the theme shown.

use super::super::roster::{RosterEditor, RosterField};
use super::super::theme::Palette;
use super::{hint_line, overlays};
use crate::model::participants::{LEFT_WORD, NOT_SPOKEN_MARK, SPOKEN_MARK};
use crate::model::session::Participant;
use crate::text::{pad, truncate, width};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::collections::HashSet;

/// The smallest pane the seating circle is drawn in; below it the plan is a list.
pub const CIRCLE_MIN_COLS: u16 = 30;
pub const CIRCLE_MIN_ROWS: u16 = 9;

/// The seating plan editor over the screen. At set-up `names_kept` holds the real names typed
/// (only their being kept is shown); live it is None and each row counts the notes.
#[allow(clippy::too_many_arguments)]
pub fn draw_editor(
    frame: &mut Frame,
    area: Rect,
    participants: &[Participant],
    counts: &[(String, usize)],
    names_kept: Option<&[(String, String)]>,
    editor: &RosterEditor,
    hints: &[(String, &str)],
    offset: impl Fn(DateTime<Utc>) -> String,
    palette: &Palette,
) {
    // The descriptor column as wide as the widest, within reason: 80 columns must still fit.
    let described = participants
        .iter()
        .filter_map(|p| p.descriptor.as_deref())
        .map(width)
        .max()
        .unwrap_or(0)
        .clamp(10, 30);
    let mut lines = vec![Line::styled(
        format!(
            "{:<6} {:<5} {:<described$} {:<9}",
            "", "seat", "descriptor", "consent"
        ),
        palette.dim(),
    )];
    for (i, p) in participants.iter().enumerate() {
        let count = counts
            .iter()
            .find(|(n, _)| *n == p.name)
            .map_or(0, |(_, c)| *c);
        let mut text = format!(
            "{:<6} {:<5} {} {:<9}",
            p.name,
            p.seat.as_deref().unwrap_or("–"),
            pad(p.descriptor.as_deref().unwrap_or("–"), described),
            consent_words(p.consent),
        );
        match names_kept {
            None => text.push_str(&format!(
                " {count:>2} note{}",
                if count == 1 { "" } else { "s" }
            )),
            Some(names) if names.iter().any(|(who, _)| *who == p.name) => {
                text.push_str(" name kept apart");
            }
            Some(_) => {}
        }
        if let Some(at) = p.arrived_at {
            text.push_str(&format!("  arrived {}", offset(at)));
        }
        if let Some(at) = p.left_at {
            text.push_str(&format!("  {LEFT_WORD} {}", offset(at)));
        }
        let style = if i == editor.selected {
            palette.selected()
        } else if p.has_left() {
            palette.dim()
        } else {
            palette.plain()
        };
        lines.push(Line::styled(text, style));
        if i == editor.selected
            && let Some((field, typed)) = &editor.editing
        {
            lines.push(Line::from(vec![
                Span::styled(format!("       {}: ", field.label()), palette.key()),
                Span::raw(typed.lines().join(" ")),
                Span::styled("▏", palette.key()),
            ]));
            if *field == RosterField::RealName {
                lines.push(Line::styled(
                    "       kept in a private file beside the data folder, never in an export",
                    palette.dim(),
                ));
            }
        }
    }
    if participants.is_empty() {
        lines.push(Line::styled(
            "Nobody listed yet: the new-arrival key adds P1.",
            palette.dim(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Typing writes the selected participant's descriptor; Tab goes to the seat.",
        palette.dim(),
    ));
    lines.push(hint_line(
        hints,
        usize::from(area.width.saturating_sub(6)),
        palette,
    ));
    overlays::modal_box(frame, area, " Seating plan ", lines, palette);
}

fn consent_words(consent: Option<bool>) -> &'static str {
    match consent {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "not asked",
    }
}

/// The order participants sit in: by seat number where seats are numbers, else as listed.
fn seating_order(participants: &[Participant]) -> Vec<&Participant> {
    let mut order: Vec<(usize, &Participant)> = participants.iter().enumerate().collect();
    order.sort_by_key(|(i, p)| {
        (
            p.seat
                .as_deref()
                .and_then(|s| s.trim().parse::<u32>().ok())
                .unwrap_or(u32::MAX),
            *i,
        )
    });
    order.into_iter().map(|(_, p)| p).collect()
}

/// One participant's label in the plan: the spoken mark, the pseudonym, and `left` if gone.
fn label(p: &Participant, spoken: &HashSet<&str>) -> String {
    let mark = if spoken.contains(p.name.as_str()) {
        SPOKEN_MARK
    } else {
        NOT_SPOKEN_MARK
    };
    if p.has_left() {
        format!("{mark}{} {LEFT_WORD}", p.name)
    } else {
        format!("{mark}{}", p.name)
    }
}

/// The seating plan in `area`: a circle of seats when it fits, else one line per participant.
/// `spoken` names who has a note on `theme_title`, the theme shown.
pub fn draw_plan(
    frame: &mut Frame,
    area: Rect,
    participants: &[Participant],
    spoken: &HashSet<&str>,
    theme_title: &str,
    palette: &Palette,
) {
    if area.height < 2 || participants.is_empty() {
        return;
    }
    let cols = usize::from(area.width);
    let heading = truncate(
        &format!("Seating · {SPOKEN_MARK} spoke on {theme_title}"),
        cols,
    );
    super::put_lines(frame, area, &[Line::styled(heading, palette.heading())]);
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    let order = seating_order(participants);
    let style = |p: &Participant| {
        if p.has_left() {
            palette.dim()
        } else if spoken.contains(p.name.as_str()) {
            palette.ok()
        } else {
            palette.warn()
        }
    };
    if body.width < CIRCLE_MIN_COLS || body.height < CIRCLE_MIN_ROWS - 1 {
        let lines: Vec<Line> = order
            .iter()
            .map(|p| {
                let descriptor = p
                    .descriptor
                    .as_deref()
                    .map(|d| format!("  {d}"))
                    .unwrap_or_default();
                Line::styled(
                    truncate(&format!("{}{descriptor}", label(p, spoken)), cols),
                    style(p),
                )
            })
            .collect();
        super::put_lines(frame, body, &lines);
        return;
    }
    // Seats round an ellipse, the first at the top, clockwise; the descriptor under the name.
    let n = order.len() as f64;
    let cx = f64::from(body.x) + f64::from(body.width) / 2.0;
    let cy = f64::from(body.y) + f64::from(body.height.saturating_sub(2)) / 2.0;
    let rx = f64::from(body.width) / 2.0 - 7.0;
    let ry = f64::from(body.height.saturating_sub(2)) / 2.0;
    let buffer = frame.buffer_mut();
    for (k, p) in order.iter().enumerate() {
        let angle = std::f64::consts::TAU * k as f64 / n - std::f64::consts::FRAC_PI_2;
        let x = cx + rx * angle.cos();
        let y = (cy + ry * angle.sin()).round();
        let mut rows = vec![label(p, spoken)];
        if let Some(d) = &p.descriptor {
            rows.push(truncate(d, 14));
        }
        for (dy, text) in rows.iter().enumerate() {
            let w = width(text) as f64;
            let left = (x - w / 2.0).round().max(f64::from(body.x));
            let right_edge = f64::from(body.x + body.width);
            let left = left.min(right_edge - w).max(f64::from(body.x));
            let row = y + dy as f64;
            if row >= f64::from(body.y + body.height) {
                continue;
            }
            let row_style = if dy == 0 { style(p) } else { palette.dim() };
            buffer.set_stringn(
                left as u16,
                row as u16,
                text,
                usize::from(body.x + body.width).saturating_sub(left as usize),
                row_style,
            );
        }
    }
}
