//! The notes, newest at the bottom: offset, theme, speaker and text with its tags; above them,
//! how many notes each participant has, so a quiet participant stands out.

use super::super::app::{LiveApp, Pane};
use super::super::theme::Palette;
use crate::model::event::Event;
use crate::model::guide::SessionKind;
use crate::model::participants::LEFT_WORD;
use crate::model::session::{Draft, Note};
use crate::model::timefmt::hms;
use crate::text::{byte_size, head_bytes, printable, tail_cols, truncate, wrap_head};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use std::collections::HashSet;

/// Columns of the offset and the gap after it; wrapped lines are indented this far.
const OFFSET_COLS: usize = 9;
/// Between a note's speaker and what they said.
pub const SPEAKER_SEPARATOR: &str = "›";
/// The widest a theme id is shown beside a note.
const THEME_COLS: usize = 12;

pub fn draw(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    };
    let cols = usize::from(area.width);
    let state = app.state();
    let focused = app.pane == Pane::Notes;
    let mut header = vec![Span::styled(
        format!("Notes {} ", state.notes.len()),
        if focused {
            palette.heading()
        } else {
            palette.dim()
        },
    )];
    if state.meta.kind == SessionKind::FocusGroup {
        for (name, count) in state.notes_per_speaker() {
            let gone = state
                .participants
                .iter()
                .any(|p| p.name == name && p.has_left());
            let style = if gone {
                palette.dim()
            } else if count == 0 {
                palette.warn()
            } else {
                palette.plain()
            };
            let left = if gone {
                format!(" {LEFT_WORD}")
            } else {
                String::new()
            };
            header.push(Span::styled(format!(" {name}·{count}{left}"), style));
        }
    }
    let header_line = super::clip_spans(header, cols);

    let unsaved: HashSet<&str> = app
        .unsynced()
        .iter()
        .filter_map(|r| match &r.event {
            Event::NoteAdded { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let rows = usize::from(area.height).saturating_sub(1);
    let total = app.note_rows();
    let last = if focused {
        app.selected_note
    } else {
        total.saturating_sub(1)
    };
    let mut body: Vec<Line> = Vec::new();
    for i in (0..total).take(last + 1).rev() {
        let selected = focused && i == app.selected_note;
        let mut lines = match state.notes.get(i) {
            Some(note) => note_lines(
                note,
                state.offset_seconds(note.at),
                cols,
                palette,
                unsaved.contains(note.id.as_str()),
                rows,
            ),
            None => state
                .drafts
                .get(i - state.notes.len())
                .map(|d| draft_lines(d, state.offset_seconds(d.at), cols, palette, rows))
                .unwrap_or_default(),
        };
        if selected {
            for line in &mut lines {
                line.style = palette.selected();
            }
        }
        // Only whole notes above the newest one: a note cut at the top reads as a different note.
        if !body.is_empty() && body.len() + lines.len() > rows {
            break;
        }
        for line in lines.into_iter().rev() {
            body.push(line);
        }
        if body.len() >= rows {
            break;
        }
    }
    body.truncate(rows);
    body.reverse();
    if total == 0 {
        body.push(Line::styled(
            "No notes yet: just type, Enter saves.",
            palette.dim(),
        ));
    }
    let mut lines = vec![header_line];
    let padding = rows.saturating_sub(body.len());
    lines.extend(std::iter::repeat_n(Line::raw(""), padding));
    lines.extend(body);
    super::put_lines(frame, area, &lines);
}

/// The rows of one note's text in `body_cols` columns, at most `max_lines` of them: `head`
/// (theme, speaker), the text and `marks` after it, wrapped. A note taller than that keeps its
/// first rows, then a row saying it is cut, then its last columns, so its beginning and its end
/// are both in sight; only those parts of the text are read, so the clock's redraw each second
/// costs the same for a 100 MB note as for a short one.
fn fitted_rows(
    head: &str,
    text: &str,
    marks: &str,
    body_cols: usize,
    max_lines: usize,
) -> Vec<String> {
    // Enough of the text for every row the pane has: a byte a column to begin with, up to eight
    // for text of wider characters.
    let mut budget = (max_lines + 2) * (body_cols + 1);
    loop {
        let shown = head_bytes(text, budget);
        let cut = shown.len() < text.len();
        let whole = format!("{head}{}{}", printable(shown), if cut { "" } else { marks });
        let (rows, more) = wrap_head(&whole, body_cols, max_lines);
        if !more && !cut {
            return rows;
        }
        if more || !cut || budget > 8 * (max_lines + 2) * (body_cols + 1) {
            return cut_rows(rows, text, marks, body_cols, max_lines);
        }
        budget *= 2;
    }
}

/// A note's first rows, then a row saying it is cut, then its last columns, in `max_lines`.
fn cut_rows(
    mut rows: Vec<String>,
    text: &str,
    marks: &str,
    body_cols: usize,
    max_lines: usize,
) -> Vec<String> {
    rows.truncate(max_lines.saturating_sub(2).max(1));
    if max_lines >= 3 {
        rows.push(format!("… {} in all, cut to fit …", byte_size(text.len())));
    }
    if max_lines >= 2 {
        let end = format!("{}{marks}", printable(tail_cols(text, body_cols)));
        rows.push(format!("…{}", tail_cols(&end, body_cols.saturating_sub(1))));
    }
    rows
}

/// A kept draft: marked as one, so it is never read as a saved note.
fn draft_lines(
    draft: &Draft,
    offset: i64,
    cols: usize,
    palette: &Palette,
    max_lines: usize,
) -> Vec<Line<'static>> {
    let body_cols = cols.saturating_sub(OFFSET_COLS).max(1);
    let head = format!("draft {}: ", draft.id);
    fitted_rows(&head, &draft.text, "", body_cols, max_lines)
        .into_iter()
        .enumerate()
        .map(|(row, chunk)| {
            let lead = if row == 0 {
                format!("{} ", hms(offset))
            } else {
                " ".repeat(OFFSET_COLS)
            };
            Line::from(vec![
                Span::styled(lead, palette.dim()),
                Span::styled(chunk, palette.warn()),
            ])
        })
        .collect()
}

fn note_lines(
    note: &Note,
    offset: i64,
    cols: usize,
    palette: &Palette,
    unsaved: bool,
    max_lines: usize,
) -> Vec<Line<'static>> {
    let mut prefix = format!("{} ", hms(offset));
    let theme = note
        .theme
        .as_deref()
        .map(|t| truncate(t, THEME_COLS))
        .unwrap_or_else(|| "—".into());
    // The separator tells `P1 › laughs` (said by P1) from a note that begins with "P1".
    let speaker = note
        .speaker
        .clone()
        .map(|s| format!("{s} {SPEAKER_SEPARATOR} "));
    let mut marks = String::new();
    if unsaved {
        marks.push_str(" (NOT SAVED)");
    }
    if note.edited_at.is_some() {
        marks.push_str(" (edited)");
    }
    let head = format!("{theme} {}", speaker.clone().unwrap_or_default());
    let body_cols = cols.saturating_sub(OFFSET_COLS).max(1);
    let wrapped = fitted_rows(&head, &note.text, &marks, body_cols, max_lines);
    let mut out = Vec::new();
    for (row, chunk) in wrapped.into_iter().enumerate() {
        let mut spans = vec![Span::styled(std::mem::take(&mut prefix), palette.dim())];
        if row > 0 {
            spans[0] = Span::raw(" ".repeat(OFFSET_COLS));
        }
        // Colour the theme and speaker on the first row, then the tags wherever they fall.
        let mut rest = chunk.as_str();
        if row == 0 {
            let theme_part = format!("{theme} ");
            if let Some(after) = rest.strip_prefix(theme_part.as_str()) {
                spans.push(Span::styled(theme_part, palette.dim()));
                rest = after;
            }
            if let Some(sp) = &speaker
                && let Some(after) = rest.strip_prefix(sp.as_str())
            {
                spans.push(Span::styled(sp.clone(), palette.speaker()));
                rest = after;
            }
        }
        spans.extend(tagged_spans(rest, palette, unsaved));
        out.push(Line::from(spans));
    }
    out
}

/// The text with each `#tag` in the tag style, and for an unsaved note its `(NOT SAVED)` mark
/// as an alarm (a saved note that says "(NOT" stays plain).
fn tagged_spans(text: &str, palette: &Palette, unsaved: bool) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (i, word) in text.split(' ').enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let style: Style = if word.starts_with('#') && word.len() > 1 {
            palette.tag()
        } else if unsaved && (word == "SAVED)" || word == "(NOT") {
            palette.alarm()
        } else {
            palette.plain()
        };
        spans.push(Span::styled(format!("{sep}{word}"), style));
    }
    spans
}
