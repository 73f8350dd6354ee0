//! User text made safe to store and draw (one line, no control characters) and fitted into
//! terminal cells. A leaf: it uses nothing else of the crate, and every layer may use it.

pub mod bounded_read;
pub mod fit;
pub mod terminal;

pub use fit::{head_bytes, pad, tail_cols, truncate, width, wrap, wrap_head};

/// Joins lines with spaces, drops control characters (tabs become spaces) and trims.
pub fn clean_single_line(text: &str) -> String {
    one_line(text).trim().to_string()
}

/// As [`clean_single_line`] but untrimmed, for text inserted among other text (a paste): a line
/// break at its edge still parts it from the words around it.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || c == '\r' || c == '\t' {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out
}

/// A size for people: `512 bytes`, `64 KB`, `100 MB` (powers of 1,024).
pub fn byte_size(bytes: usize) -> String {
    const KB: usize = 1024;
    match bytes {
        b if b < KB => format!("{b} bytes"),
        b if b < KB * KB => format!("{} KB", b.div_ceil(KB)),
        b => format!("{:.1} MB", b as f64 / (KB * KB) as f64),
    }
}

/// Text for drawing and for one-line fields of files: each control character becomes a space, so
/// it cannot move the cursor and the text keeps its length in characters.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_lines_become_one() {
        assert_eq!(clean_single_line(" a\r\nb\tc\u{1b}[31m "), "a b c[31m");
        assert_eq!(printable("x\u{7}y"), "x y");
        assert_eq!(one_line("\nq\r\ne\n"), " q e ");
    }
}
