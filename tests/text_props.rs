//! Properties of fitting text into terminal cells, over the graphemes people write: emoji ZWJ
//! sequences and flags, letters with combining marks, CJK, right-to-left scripts. A cut never
//! falls inside a grapheme and a fitted line is never wider than asked.

use proptest::prelude::*;
use topicguide::text::{pad, truncate, width, wrap};
use unicode_segmentation::UnicodeSegmentation;

/// Pieces of text: each a whole grapheme or a word of them, and spaces to part words.
const PIECES: &[&str] = &[
    "a",
    "word",
    " ",
    " ",
    "  ",
    "👩\u{200d}👩\u{200d}👧\u{200d}👦",
    "🏳\u{fe0f}\u{200d}🌈",
    "🇳🇿",
    "👍🏽",
    "e\u{301}",
    "n\u{303}o",
    "\u{301}",
    "日本語",
    "테스트",
    "שָׁלוֹם",
    "مرحبا",
    "\u{200f}",
    "x\u{20dd}",
    "ﷺ",
];

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..24).prop_map(|p| p.concat())
}

/// The graphemes of a text, as the terminal buffer takes them.
fn graphemes(text: &str) -> Vec<&str> {
    text.graphemes(true).collect()
}

proptest! {
    #[test]
    fn truncate_keeps_whole_graphemes_within_the_width(text in text(), max in 0usize..30) {
        let cut = truncate(&text, max);
        prop_assert!(width(&cut) <= max, "{cut:?} is {} columns, more than {max}", width(&cut));
        if width(&text) <= max {
            prop_assert_eq!(&cut, &text);
        } else {
            let kept = cut.strip_suffix('…').unwrap_or(&cut);
            let ours = graphemes(kept);
            prop_assert_eq!(&ours[..], &graphemes(&text)[..ours.len()], "a prefix of whole graphemes");
            // Nothing that would still fit was left out: the next grapheme was too wide.
            if max > 0 {
                let next = graphemes(&text)[ours.len()];
                prop_assert!(width(kept) + width(next) > max - 1);
            }
        }
        prop_assert_eq!(width(&pad(&text, max)), max);
    }

    #[test]
    fn wrap_keeps_whole_graphemes_within_the_width(text in text(), cols in 2usize..30) {
        let lines = wrap(&text, cols);
        prop_assert!(!lines.is_empty());
        for line in &lines {
            prop_assert!(width(line) <= cols, "{line:?} is wider than {cols}");
        }
        // Only spaces at breaks are dropped: every other grapheme is there, in order, whole.
        let words = |t: &str| -> Vec<String> {
            t.graphemes(true).filter(|g| *g != " ").map(str::to_string).collect()
        };
        let joined: Vec<String> = lines.iter().flat_map(|l| words(l)).collect();
        prop_assert_eq!(joined, words(&text));
    }
}

#[test]
fn a_family_emoji_is_one_grapheme_wherever_the_line_breaks() {
    let family = "👩\u{200d}👩\u{200d}👧\u{200d}👦";
    for cols in 2..8 {
        for line in wrap(&family.repeat(5), cols) {
            assert!(line.graphemes(true).all(|g| g == family), "{line:?}");
        }
    }
}
