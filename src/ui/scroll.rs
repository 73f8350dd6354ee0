//! One scroll state for every list that scrolls: the offset never runs past the last page.
//!
//! How many lines a list has is known only once it is laid out at the screen's size, so drawing
//! records the furthest offset (a layout fact, like ratatui's own list state) and keys move the
//! offset within it: ten `j` on a list that fits move nothing, and one `k` always moves back up.

use std::cell::Cell;

/// How far a list is scrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scroll {
    offset: usize,
    /// The furthest offset the last drawing allowed; unbounded until the list is first drawn, so
    /// keys that arrive with the one that opened it still count.
    max: Cell<usize>,
}

impl Default for Scroll {
    fn default() -> Self {
        Scroll {
            offset: 0,
            max: Cell::new(usize::MAX),
        }
    }
}

impl Scroll {
    /// Lines scrolled off the top.
    pub fn offset(&self) -> usize {
        self.offset.min(self.max.get())
    }

    /// Down `lines`, no further than the last page.
    pub fn down(&mut self, lines: usize) {
        self.offset = self.offset().saturating_add(lines).min(self.max.get());
    }

    /// Up `lines`, no further than the top.
    pub fn up(&mut self, lines: usize) {
        self.offset = self.offset().saturating_sub(lines);
    }

    /// Back to the top.
    pub fn reset(&mut self) {
        self.offset = 0;
    }

    /// For drawing `lines` lines in `height` rows: records the furthest offset (the last page
    /// full) and gives the offset to draw from.
    pub fn fit(&self, lines: usize, height: usize) -> usize {
        self.max.set(lines.saturating_sub(height.max(1)));
        self.offset()
    }
}

/// The offset that keeps line `selected` of a list in `rows` rows, with `below` lines under it
/// in view too: lists that follow a selection need no state of their own.
pub fn keep_in_view(selected: usize, rows: usize, below: usize) -> usize {
    selected.saturating_sub(rows.saturating_sub(1 + below))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selected_line_stays_in_view() {
        assert_eq!(keep_in_view(3, 10, 0), 0);
        assert_eq!(keep_in_view(12, 10, 0), 3);
        assert_eq!(keep_in_view(12, 10, 1), 4);
        assert_eq!(keep_in_view(5, 0, 0), 5);
    }

    #[test]
    fn keys_before_the_first_drawing_count_once_it_is_drawn() {
        let mut s = Scroll::default();
        for _ in 0..40 {
            s.down(1);
        }
        assert_eq!(s.fit(30, 10), 20);
        s.up(1);
        assert_eq!(s.offset(), 19);
    }

    #[test]
    fn a_list_that_fits_never_scrolls() {
        let mut s = Scroll::default();
        assert_eq!(s.fit(5, 10), 0);
        for _ in 0..10 {
            s.down(1);
        }
        assert_eq!(s.offset(), 0);
    }

    #[test]
    fn the_last_page_stays_full_and_up_moves_at_once() {
        let mut s = Scroll::default();
        s.fit(30, 10);
        for _ in 0..50 {
            s.down(1);
        }
        assert_eq!(s.offset(), 20);
        s.up(1);
        assert_eq!(s.offset(), 19);
        // A taller terminal shows more: the offset shrinks with the room.
        assert_eq!(s.fit(30, 25), 5);
        s.up(1);
        assert_eq!(s.offset(), 4);
    }
}
