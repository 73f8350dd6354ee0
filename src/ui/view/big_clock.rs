//! A large clock for a large screen: elapsed and time left in digits three rows high, readable
//! from across the table.

use super::super::app::LiveApp;
use super::super::theme::Palette;
use crate::model::timefmt::clock;
use crate::text::width;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

/// Rows the clock takes: the digits and their captions.
pub const ROWS: u16 = 4;

/// The three rows of a character of the large font (digits, `:`, `-`, `+`).
fn glyph(c: char) -> [&'static str; 3] {
    match c {
        '0' => ["┏━┓", "┃ ┃", "┗━┛"],
        '1' => ["  ┓", "  ┃", "  ┻"],
        '2' => ["╺━┓", "┏━┛", "┗━╸"],
        '3' => ["╺━┓", " ━┫", "╺━┛"],
        '4' => ["╻ ╻", "┗━┫", "  ╹"],
        '5' => ["┏━╸", "┗━┓", "╺━┛"],
        '6' => ["┏━╸", "┣━┓", "┗━┛"],
        '7' => ["╺━┓", "  ┃", "  ╹"],
        '8' => ["┏━┓", "┣━┫", "┗━┛"],
        '9' => ["┏━┓", "┗━┫", "╺━┛"],
        ':' => [" ", "•", "•"],
        '+' => ["   ", "╺╋╸", "   "],
        '-' => ["   ", "╺━╸", "   "],
        _ => ["   ", "   ", "   "],
    }
}

/// `text` in the large font, three rows.
pub fn big(text: &str) -> [String; 3] {
    let mut rows = [String::new(), String::new(), String::new()];
    for (i, c) in text.chars().enumerate() {
        for (row, part) in rows.iter_mut().zip(glyph(c)) {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(part);
        }
    }
    rows
}

/// Elapsed on the left, time left (or overtime) on the right, captions beneath.
pub fn draw(frame: &mut Frame, area: Rect, app: &LiveApp, now: DateTime<Utc>, palette: &Palette) {
    let state = app.state();
    let remaining = state.remaining(now);
    let (left_text, left_caption, left_style) = if remaining.num_seconds() >= 0 {
        (clock(remaining), "left", palette.bold())
    } else {
        (format!("+{}", clock(-remaining)), "over", palette.alarm())
    };
    let elapsed = clock(state.elapsed(now));
    let half = usize::from(area.width) / 2;
    let columns: [(String, &str, Style); 2] = [
        (elapsed, "elapsed", palette.plain()),
        (left_text, left_caption, left_style),
    ];
    let mut lines: Vec<Line> = vec![Line::raw(""); usize::from(ROWS)];
    for (text, caption, style) in &columns {
        let rows = big(text);
        for (line, row) in lines.iter_mut().zip(rows.iter()) {
            let pad = half.saturating_sub(width(row));
            line.spans
                .push(ratatui::text::Span::styled(row.clone(), *style));
            line.spans.push(ratatui::text::Span::raw(" ".repeat(pad)));
        }
        let pad = half.saturating_sub(width(caption));
        lines[3].spans.push(ratatui::text::Span::styled(
            caption.to_string(),
            palette.dim(),
        ));
        lines[3]
            .spans
            .push(ratatui::text::Span::raw(" ".repeat(pad)));
    }
    super::put_lines(frame, area, &lines);
}
