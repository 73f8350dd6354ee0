//! Fitting text into cells: widths in terminal columns, cuts only between graphemes (a ZWJ emoji
//! sequence, a letter with its combining marks, stay whole), measured as the terminal buffer lays
//! them out: one grapheme at a time.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The columns one grapheme takes.
fn grapheme_width(grapheme: &str) -> usize {
    UnicodeWidthStr::width(grapheme)
}

/// The text's width in terminal columns.
pub fn width(text: &str) -> usize {
    text.graphemes(true).map(grapheme_width).sum()
}

/// The text cut to `max` columns, ending in `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push('…');
    out
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
    let cols = cols.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in words(text) {
        let w = word.iter().map(|g| grapheme_width(g)).sum::<usize>();
        let gap = usize::from(!line.is_empty());
        if used + gap + w <= cols {
            if gap == 1 {
                line.push(' ');
            }
            line.extend(word.iter().copied());
            used += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for g in word {
            let gw = grapheme_width(g);
            if used + gw > cols && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push_str(g);
            used += gw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The text's words as graphemes, parted at each plain space (two spaces give an empty word, as
/// `str::split` would), so a space a combining mark leans on stays with its mark.
fn words(text: &str) -> Vec<Vec<&str>> {
    let mut words = vec![Vec::new()];
    for g in text.graphemes(true) {
        if g == " " {
            words.push(Vec::new());
        } else if let Some(word) = words.last_mut() {
            word.push(g);
        }
    }
    words
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
    fn wraps_words_and_splits_long_ones() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
        assert_eq!(wrap("a  b", 10), vec!["a  b"]);
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
