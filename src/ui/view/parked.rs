//! The parked questions (`#followup` notes) with their speakers: a pane that keeps them in view
//! during the session, and the list where they are ticked as asked.

use super::super::app::LiveApp;
use super::super::keymap::Layer;
use super::super::theme::Palette;
use super::{hint_line, overlays};
use crate::model::session::Note;
use crate::model::timefmt::hms;
use crate::text::{head_bytes, printable, truncate, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The box of a parked question: ticked once asked.
fn checkbox(note: &Note) -> &'static str {
    if note.asked_at.is_some() {
        "[x]"
    } else {
        "[ ]"
    }
}

/// The most of a parked question its pane shows: more than any pane has room for.
const PARKED_BYTES: usize = 4096;

/// `P2 › ask about medication later #followup`, the speaker told apart from the text; a question
/// longer than any pane shows is cut (with `…`), so that drawing it never reads it whole.
pub fn parked_text(note: &Note) -> String {
    let shown = head_bytes(&note.text, PARKED_BYTES);
    let mut text = printable(shown);
    if shown.len() < note.text.len() {
        text.push('…');
    }
    match &note.speaker {
        Some(speaker) => format!("{speaker} › {text}"),
        None => text,
    }
}

/// The pane: open questions first, then those asked, each wrapped under its box.
pub fn draw_pane(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    let state = app.state();
    let cols = usize::from(area.width);
    let open = state.open_followups().count();
    let total = state.followups().count();
    let mut lines = vec![Line::styled(
        truncate(&format!("Parked questions {open} open of {total}"), cols),
        palette.heading(),
    )];
    if total == 0 {
        lines.push(Line::styled(
            truncate("none yet: #followup in a note parks it", cols),
            palette.dim(),
        ));
    }
    let mut notes: Vec<&Note> = state.open_followups().collect();
    notes.extend(state.followups().filter(|n| n.asked_at.is_some()));
    // Each question whole when they all fit, else one row each, so none drops out of sight.
    let text_cols = cols.saturating_sub(4).max(1);
    let height = usize::from(area.height);
    // Counted only as far as the pane's height: a long session's hundred questions are not all
    // wrapped every second to learn that they do not fit.
    let mut wrapped_rows = 0;
    let whole = notes.iter().all(|n| {
        wrapped_rows += wrap(&parked_text(n), text_cols).len();
        wrapped_rows < height
    });
    for note in notes {
        if lines.len() >= height {
            break;
        }
        let style = if note.asked_at.is_some() {
            palette.dim()
        } else {
            palette.plain()
        };
        let rows = if whole {
            wrap(&parked_text(note), text_cols)
        } else {
            vec![truncate(&parked_text(note), text_cols)]
        };
        for (i, row) in rows.into_iter().enumerate() {
            let lead = if i == 0 { checkbox(note) } else { "   " };
            lines.push(Line::from(vec![
                Span::styled(format!("{lead} "), style),
                Span::styled(row, style),
            ]));
        }
    }
    lines.truncate(usize::from(area.height));
    super::put_lines(frame, area, &lines);
}

/// The list over the screen, where the selected question is ticked as asked.
pub fn draw_list(frame: &mut Frame, area: Rect, app: &LiveApp, selected: usize, palette: &Palette) {
    let state = app.state();
    let mut lines = Vec::new();
    for (i, note) in state.followups().enumerate() {
        let style = if i == selected {
            palette.selected()
        } else if note.asked_at.is_some() {
            palette.dim()
        } else {
            palette.plain()
        };
        lines.push(Line::styled(
            format!(
                "{} {} {}",
                checkbox(note),
                hms(state.offset_seconds(note.at)),
                parked_text(note)
            ),
            style,
        ));
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            "No parked questions: a note with #followup parks one for the end.",
            palette.dim(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(hint_line(&app.keymap.hints(&[Layer::Parked]), 70, palette));
    overlays::modal_box(frame, area, " Parked questions ", lines, palette);
}
