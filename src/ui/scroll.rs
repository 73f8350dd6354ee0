//! One scroll state for every list that scrolls: the offset never runs past the last page.
//!
//! How many lines a list has is known only once it is laid out at the screen's size, so drawing
//! records the furthest offset (a layout fact, like ratatui's own list state) and keys move the
//! offset within it: ten `j` on a list that fits move nothing, and one `k` always moves back up.

use std::cell::Cell;

/// How far a list is scrolled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scroll {
    offset: usize,
    /// The furthest offset the last drawing allowed.
    max: Cell<usize>,
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

#[cfg(test)]
mod tests {
    use super::*;

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
