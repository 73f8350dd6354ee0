//! What the guide checker and the config checker share when they walk a TOML document by hand:
//! syntax errors in one line each, "did you mean" for a misspelt key, the names of value types,
//! whole numbers, and every problem said as `FILE:LINE:COL: message`.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One problem at a byte offset of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub offset: usize,
    pub message: String,
}

/// The document's top table, or every syntax error in it. After a syntax error the parser's
/// recovered document only leads to confusing follow-on problems, so none is given.
pub fn parse_document(src: &str) -> Result<Spanned<DeTable<'_>>, Vec<Diagnostic>> {
    let (doc, errors) = DeTable::parse_recoverable(src);
    if errors.is_empty() {
        return Ok(doc);
    }
    Err(errors
        .into_iter()
        .map(|e| Diagnostic {
            offset: e.span().map_or(0, |s| s.start),
            message: syntax_message(e.message()),
        })
        .collect())
}

/// The TOML parser's own words, made into one line.
fn syntax_message(message: &str) -> String {
    let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("TOML syntax: {one_line}")
}

/// `unknown key "X" in PLACE`, with the key it most likely meant or, failing one, every key
/// expected there.
pub fn unknown_key(key: &str, place: &str, expected: &[&str]) -> String {
    match suggest(key, expected) {
        Some(s) => format!("unknown key \"{key}\" in {place}; did you mean \"{s}\"?"),
        None => format!(
            "unknown key \"{key}\" in {place} (expected one of: {})",
            expected.join(", ")
        ),
    }
}

/// The expected key a misspelt one most likely meant.
fn suggest<'a>(key: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (strsim::damerau_levenshtein(key, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, e)| e)
}

/// A value's type in words: `a string`, `an integer`.
pub fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The value as a whole number, when it is an integer that fits (in any radix TOML allows).
pub fn integer(v: &DeValue<'_>) -> Option<i64> {
    match v {
        DeValue::Integer(int) => i64::from_str_radix(int.as_str(), int.radix()).ok(),
        _ => None,
    }
}

/// The value as a string, when it is one.
pub fn string(v: &DeValue<'_>) -> Option<String> {
    match v {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    }
}

/// The 1-based line and column (in characters) of a byte offset in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// A problem as editors and compilers write it: `FILE:LINE:COL: message`.
pub fn located(file: &str, src: &str, offset: usize, message: &str) -> String {
    let (line, col) = line_col(src, offset);
    format!("{file}:{line}:{col}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_suggestions() {
        assert_eq!(line_col("a\nbé\nc", 5), (2, 3));
        assert_eq!(located("g.toml", "x\ny", 2, "bad"), "g.toml:2:1: bad");
        assert!(
            unknown_key("titel", "[guide]", &["title", "kind"]).contains("did you mean \"title\"")
        );
        assert!(unknown_key("zzz", "[guide]", &["title"]).contains("expected one of: title"));
        let errors = parse_document("a = ").unwrap_err();
        assert!(errors[0].message.starts_with("TOML syntax: "), "{errors:?}");
        let doc = parse_document("n = 0x10").expect("valid").into_inner();
        assert_eq!(doc.get("n").and_then(|v| integer(v.get_ref())), Some(16));
    }
}
