//! Names made from what people typed, safe as ids and file names: lowercase ASCII and dashes.

/// `text` as lowercase ASCII letters and digits joined by single dashes, at most `max_chars`
/// long; empty when nothing of it is a letter or a digit. "Grupo señal" is `grupo-senal`, not
/// `grupo-se-al`: letters are spelt in ASCII first.
pub fn slug(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= max_chars {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn spells_letters_in_ascii_and_joins_words_with_one_dash() {
        assert_eq!(slug("Grupo señal", 40), "grupo-senal");
        assert_eq!(
            slug("Transport  to the  clinic!", 40),
            "transport-to-the-clinic"
        );
        assert_eq!(slug("***", 40), "");
        assert_eq!(slug("abcdef", 3), "abc");
    }
}
