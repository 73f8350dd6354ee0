//! Fitting text into cells: widths in terminal columns, cuts only between graphemes (a ZWJ emoji
//! sequence, a letter with its combining marks, stay whole), measured as the terminal buffer lays
//! them out: one grapheme at a time.

use unicode_segmentation::GraphemeCursor;
use unicode_width::UnicodeWidthStr;

/// The text's graphemes with their byte offsets, as `UnicodeSegmentation::grapheme_indices`
/// gives them. Between two ASCII characters other than CR LF there is always a boundary, so
/// plain text is stepped through a byte at a time and the segmentation rules run only around
/// other characters: long notes are wrapped on every frame.
fn graphemes(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let plain = bytes[at].is_ascii() && bytes[at] != b'\r';
        let next_plain = bytes.get(at + 1).is_none_or(u8::is_ascii);
        at = if plain && next_plain {
            at + 1
        } else {
            let mut cursor = GraphemeCursor::new(at, bytes.len(), true);
            match cursor.next_boundary(text, 0) {
                Ok(Some(end)) => end,
                // The whole text is one chunk, so the cursor never asks for more; end the text
                // rather than loop if it ever did.
                _ => bytes.len(),
            }
        };
        Some((start, &text[start..at]))
    })
}

/// The columns one grapheme takes.
fn grapheme_width(grapheme: &str) -> usize {
    match grapheme.as_bytes() {
        // Most text is plain ASCII: no table to look up.
        [b] if (0x20..0x7f).contains(b) => 1,
        _ => UnicodeWidthStr::width(grapheme),
    }
}

/// The text's width in terminal columns.
pub fn width(text: &str) -> usize {
    graphemes(text).map(|(_, g)| grapheme_width(g)).sum()
}

/// The text cut to `max` columns, ending in `…` when cut. Measured only until it is known to be
/// too wide, so cutting a long text costs what its first `max` columns cost.
pub fn truncate(text: &str, max: usize) -> String {
    let mut used = 0;
    // Where the text is cut to leave a column for the `…`.
    let mut cut = None;
    for (at, g) in graphemes(text) {
        let w = grapheme_width(g);
        if cut.is_none() && used + w > max.saturating_sub(1) {
            cut = Some(at);
        }
        used += w;
        if used > max {
            if max == 0 {
                return String::new();
            }
            let mut out = text[..cut.unwrap_or(at)].to_string();
            out.push('…');
            return out;
        }
    }
    text.to_string()
}

/// At most the first `max_bytes` bytes of the text, cut back to a character boundary: a bounded
/// look at a text of any size.
pub fn head_bytes(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The end of the text that fills at most `cols` columns (read from the end, a character at a
/// time, and never more than a few characters per column).
pub fn tail_cols(text: &str, cols: usize) -> &str {
    let mut used = 0;
    let mut start = text.len();
    for (at, c) in text.char_indices().rev().take(cols * 4 + 8) {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > cols {
            break;
        }
        used += w;
        start = at;
    }
    &text[start..]
}

/// The first `max_lines` lines of [`wrap`]`(text, cols)`, and whether more follow; only as much
/// of the text is wrapped as those lines need, so a screenful of a 100 MB text costs what a
/// screenful of a short one does.
pub fn wrap_head(text: &str, cols: usize, max_lines: usize) -> (Vec<String>, bool) {
    // Greedy wrapping never looks ahead: every line of a prefix's wrap but its last is a line of
    // the whole text's wrap. Start with room for the lines at a few bytes a column, and double.
    let mut budget = (max_lines + 2) * (cols.max(1) + 1) * 4;
    loop {
        let head = head_bytes(text, budget);
        let mut lines = wrap(head, cols);
        let whole = head.len() == text.len();
        if whole || lines.len() > max_lines {
            let more = lines.len() > max_lines || !whole;
            lines.truncate(max_lines);
            return (lines, more);
        }
        budget = budget.saturating_mul(2);
    }
}

/// The text padded with spaces (or cut) to exactly `cols` columns.
pub fn pad(text: &str, cols: usize) -> String {
    let cut = truncate(text, cols);
    let w = width(&cut);
    format!("{cut}{}", " ".repeat(cols.saturating_sub(w)))
}

/// Greedy word wrap to `cols` columns, words parted at spaces; a word wider than a line is split
/// between graphemes. Only a single grapheme wider than `cols` can overflow a line.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let mut wrapper = Wrapper {
        cols: cols.max(1),
        lines: Vec::new(),
        line: String::new(),
        used: 0,
    };
    // Words are parted at each plain-space grapheme (two spaces give an empty word, as
    // `str::split` would), so a space a combining mark leans on stays with its mark.
    let mut start = 0;
    let mut word_width = 0;
    for (at, g) in graphemes(text) {
        if g == " " {
            wrapper.word(&text[start..at], word_width);
            start = at + 1;
            word_width = 0;
        } else {
            word_width += grapheme_width(g);
        }
    }
    wrapper.word(&text[start..], word_width);
    wrapper.finish()
}

/// The lines being filled by [`wrap`].
struct Wrapper {
    cols: usize,
    lines: Vec<String>,
    line: String,
    used: usize,
}

impl Wrapper {
    fn word(&mut self, word: &str, w: usize) {
        let gap = usize::from(!self.line.is_empty());
        if self.used + gap + w <= self.cols {
            if gap == 1 {
                self.line.push(' ');
            }
            self.line.push_str(word);
            self.used += gap + w;
            return;
        }
        if !self.line.is_empty() {
            self.lines.push(std::mem::take(&mut self.line));
            self.used = 0;
        }
        if w <= self.cols {
            self.line.push_str(word);
            self.used = w;
            return;
        }
        for (_, g) in graphemes(word) {
            let gw = grapheme_width(g);
            if self.used + gw > self.cols && !self.line.is_empty() {
                self.lines.push(std::mem::take(&mut self.line));
                self.used = 0;
            }
            self.line.push_str(g);
            self.used += gw;
        }
    }

    fn finish(mut self) -> Vec<String> {
        if !self.line.is_empty() || self.lines.is_empty() {
            self.lines.push(self.line);
        }
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(width("日本"), 4);
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(pad("ab", 4), "ab  ");
    }

    #[test]
    fn truncate_cuts_as_it_did_when_it_measured_the_whole_text() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcd", 4), "abcd");
        assert_eq!(truncate("abcd", 0), "");
        assert_eq!(truncate("", 0), "");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(truncate("a日本", 3), "a…");
    }

    #[test]
    fn head_and_tail_are_cut_at_character_boundaries() {
        assert_eq!(head_bytes("日本語", 4), "日");
        assert_eq!(head_bytes("abc", 10), "abc");
        assert_eq!(tail_cols("abc日本", 4), "日本");
        assert_eq!(tail_cols("abc日本", 5), "c日本");
        assert_eq!(tail_cols("ab", 5), "ab");
    }

    #[test]
    fn the_head_of_a_wrap_is_the_wrap_of_the_whole_cut_short() {
        let text = "one two three four five six seven eight nine ten eleven twelve ".repeat(500);
        let whole = wrap(&text, 13);
        for max in [0, 1, 3, 40, whole.len() - 1, whole.len(), whole.len() + 5] {
            let (head, more) = wrap_head(&text, 13, max);
            assert_eq!(head, whole[..max.min(whole.len())], "{max} lines");
            assert_eq!(more, max < whole.len(), "{max} lines");
        }
        // A word longer than the budget is split as the whole wrap splits it.
        let long = format!("a {} b", "x".repeat(10_000));
        let (head, more) = wrap_head(&long, 7, 3);
        assert_eq!(head, wrap(&long, 7)[..3]);
        assert!(more);
    }

    #[test]
    fn wraps_words_and_splits_long_ones() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
        assert_eq!(wrap("a  b", 10), vec!["a  b"]);
    }

    #[test]
    fn graphemes_are_those_of_the_segmentation_rules() {
        use unicode_segmentation::UnicodeSegmentation;
        for text in [
            "plain words",
            "a\r\nb",
            "e\u{301}t\u{e9} \u{301}x",
            "👩\u{200d}👩\u{200d}👧 🇳🇿🇳🇿 日本 a\u{200d}b",
            "\u{1b}[31m\r\u{7}",
        ] {
            let ours: Vec<_> = graphemes(text).collect();
            let theirs: Vec<_> = text.grapheme_indices(true).collect();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn emoji_sequences_stay_whole() {
        let family = "👩\u{200d}👩\u{200d}👧\u{200d}👦";
        assert_eq!(width(family), 2);
        let text = format!("{family}{family}{family}");
        assert_eq!(
            wrap(&text, 4),
            vec![format!("{family}{family}"), family.to_string()]
        );
        // Seven families are 14 columns: cut to 10 they keep four and the ellipsis.
        let seven = family.repeat(7);
        assert_eq!(width(&seven), 14);
        assert_eq!(truncate(&seven, 10), format!("{}…", family.repeat(4)));
    }
}
