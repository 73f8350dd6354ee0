//! What every export does to user text so that opening the file is safe: spreadsheet formulas
//! neutralised in CSV cells (as OWASP recommends for CSV injection), and the line and paragraph
//! separators U+2028 and U+2029 (which break lines in editors and end strings in JavaScript)
//! never written.

use std::borrow::Cow;

/// The separators no export writes.
const SEPARATORS: [char; 2] = ['\u{2028}', '\u{2029}'];

/// Whether `text` holds a separator. Both are E2 80 A8/A9 in UTF-8, so a search for their
/// shared first two bytes finds them without decoding a document of megabytes.
fn has_separator(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"\xe2\x80")
        .any(|at| matches!(bytes.get(at + 2), Some(0xa8 | 0xa9)))
}

/// A whole text document with each separator made a space (one code point for one, so REFI-QDA
/// selection positions, counted in code points, stay where they were).
pub fn without_separators(document: &str) -> Cow<'_, str> {
    if has_separator(document) {
        Cow::Owned(document.replace(SEPARATORS, " "))
    } else {
        Cow::Borrowed(document)
    }
}

/// [`without_separators`] for a document its writer is done with: handed back as it is when it
/// holds no separator, so a document of megabytes is not copied for nothing.
pub fn separators_removed(document: String) -> String {
    match without_separators(&document) {
        Cow::Borrowed(_) => document,
        Cow::Owned(cleaned) => cleaned,
    }
}

/// [`json_without_separators`] for a document its writer is done with (see
/// [`separators_removed`]).
pub fn json_separators_escaped(document: String) -> String {
    match json_without_separators(&document) {
        Cow::Borrowed(_) => document,
        Cow::Owned(escaped) => escaped,
    }
}

/// A JSON document with each separator written as its `\u` escape: the same string to every
/// JSON reader, and never a raw separator in the file (they only occur inside strings).
pub fn json_without_separators(document: &str) -> Cow<'_, str> {
    if has_separator(document) {
        Cow::Owned(
            document
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029"),
        )
    } else {
        Cow::Borrowed(document)
    }
}

/// The characters that make a spreadsheet read a cell as a formula (or, for tab and carriage
/// return, shift it into one), per OWASP's CSV injection guidance.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell of user text as a spreadsheet may safely open it: a cell starting with `=`, `+`,
/// `-`, `@`, tab or carriage return gets a leading `'`, so LibreOffice, Excel and Google Sheets
/// show it as text instead of running it (`=HYPERLINK(...)`); separators become spaces.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let text = without_separators(text);
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_other_text_kept() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for start in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(start), format!("'{start}"));
        }
        assert_eq!(csv_cell("a = b"), "a = b");
        assert!(matches!(csv_cell("plain"), Cow::Borrowed(_)));
        assert_eq!(csv_cell("a\u{2028}b"), "a b");
    }

    #[test]
    fn separators_become_spaces_or_json_escapes() {
        assert_eq!(without_separators("a\u{2028}b\u{2029}c"), "a b c");
        assert_eq!(json_without_separators("\"a\u{2028}b\""), "\"a\\u2028b\"");
        let json = json_without_separators("\"a\u{2029}\"").into_owned();
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, "a\u{2029}");
    }

    #[test]
    fn the_byte_search_finds_exactly_the_separators() {
        for text in [
            "",
            "plain",
            "an ellipsis…",
            "\u{2027}\u{202a}",
            "a\u{2028}",
            "\u{2029}b",
            "…\u{2028}…",
            "\u{2020}\u{2030}",
            "é 😀 中",
        ] {
            assert_eq!(has_separator(text), text.contains(SEPARATORS), "{text:?}");
        }
    }
}
