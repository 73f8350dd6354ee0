//! The terminal boundary: everything a command prints (stdout and stderr) passes here once, so
//! that no escape sequence, window title, clipboard write (OSC 52) or other control from data
//! (labels, notes, guide titles, file names, arguments echoed in errors) reaches the terminal.
//! Newlines and tabs stay; every other control character (C0, DEL, C1) and the line and
//! paragraph separators go. Bidirectional marks and overrides are text (right-to-left notes
//! need them) and stay. What is left
//! of an escape sequence is printable text, shown as such.

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `c` may reach the terminal as it is.
fn printable(c: char) -> bool {
    match c {
        '\n' | '\t' => true,
        // C0, DEL and C1 controls: ESC, BEL, CSI (U+009B), OSC (U+009D), ...
        c if c.is_control() => false,
        // Line and paragraph separators break lines where no newline is.
        '\u{2028}' | '\u{2029}' => false,
        _ => true,
    }
}

/// Whether all of `text` may reach the terminal as it is: the same answer as asking
/// [`printable`] of every character, read off the UTF-8 bytes, since a review or an export can be
/// megabytes and nearly always is clean.
fn all_printable(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\t' => {}
            0x00..=0x1f | 0x7f => return false,
            // C1 controls, U+0080..U+009F.
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return false,
            // U+2028 and U+2029.
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                return false;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// `text` as the terminal may see it.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if all_printable(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{2028}' | '\u{2029}' => ' ',
                c => c,
            })
            .filter(|c| printable(*c))
            .collect(),
    )
}

/// A writer that passes only printable text through (see [`for_terminal`]). Bytes that are not
/// UTF-8 are shown as U+FFFD; a character split across two writes is held until it is whole.
pub struct TerminalWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> TerminalWriter<W> {
    pub fn new(inner: W) -> Self {
        TerminalWriter {
            inner,
            pending: Vec::new(),
        }
    }

    fn write_clean(&mut self, flush_all: bool) -> io::Result<()> {
        let mut out = String::new();
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    out.push_str(&for_terminal(text));
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    out.push_str(&for_terminal(std::str::from_utf8(good).unwrap_or_default()));
                    match e.error_len() {
                        Some(n) => {
                            out.push('\u{FFFD}');
                            rest = &bad[n..];
                        }
                        // An incomplete character at the end: wait for the rest of it.
                        None if !flush_all => {
                            rest = bad;
                            break;
                        }
                        None => {
                            out.push('\u{FFFD}');
                            rest = &[];
                            break;
                        }
                    }
                }
            }
        }
        let kept = rest.to_vec();
        self.pending = kept;
        self.inner.write_all(out.as_bytes())
    }
}

impl<W: Write> Write for TerminalWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The common case, a whole clean text, goes through without being copied.
        if self.pending.is_empty()
            && let Ok(text) = std::str::from_utf8(buf)
            && all_printable(text)
        {
            self.inner.write_all(buf)?;
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        self.write_clean(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_clean(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// One line on stderr, through the boundary: warnings, notices, errors.
pub fn eprint_line(line: &str) {
    let mut err = TerminalWriter::new(io::stderr().lock());
    let _ = writeln!(err, "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_titles_and_clipboard_writes_lose_their_controls() {
        let hostile = "a\x1b]0;title\x07b\x1b[2Jc\x1b]52;c;cm0=\x1b\\d\u{9b}31mef\u{2028}g\r\n";
        assert_eq!(
            for_terminal(hostile),
            "a]0;titleb[2Jc]52;c;cm0=\\d31mef g\n"
        );
        assert_eq!(for_terminal("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(for_terminal("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_writer_holds_a_split_character_and_cleans_every_write() {
        let mut out = Vec::new();
        {
            let mut w = TerminalWriter::new(&mut out);
            let bytes = "é\x1b[31m€".as_bytes();
            for b in bytes {
                w.write_all(&[*b]).unwrap();
            }
            w.write_all(&[0xff, b'x']).unwrap();
            w.flush().unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "é[31m€\u{FFFD}x");
    }

    #[test]
    fn the_byte_check_agrees_with_asking_each_character() {
        let samples = [
            "plain",
            "tab\tand\nnewline",
            "\x1b[2J",
            "\u{9b}31m",
            "\u{85}",
            "\u{a0}nbsp",
            "\u{2028}",
            "\u{2029}",
            "\u{2027}\u{202a}\u{202e}",
            "\u{7f}",
            "é ü ß 中文 😀",
            "\u{c2}\u{80}",
            "a\u{1f}",
            "\u{e2}\u{80}\u{a8}",
            "\u{202f}",
            "\u{fffd}",
        ];
        for text in samples {
            assert_eq!(all_printable(text), text.chars().all(printable), "{text:?}");
        }
        for code in (0u32..0x3000).chain(0x1f600..0x1f610) {
            if let Some(c) = char::from_u32(code) {
                let text = format!("a{c}b");
                assert_eq!(all_printable(&text), printable(c), "U+{code:04X}");
            }
        }
    }
}
