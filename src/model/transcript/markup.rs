//! Caption markup: the `<v Name>` voices of WebVTT, and the tags and entities that are not text.

/// One voice's text within a cue: `<v Maria>Hello</v>` is `(Some("Maria"), "Hello")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voiced {
    pub voice: Option<String>,
    pub text: String,
}

/// Splits a cue's payload by its voices and strips every other tag (`<i>`, `<c.x>`, inline
/// time stamps, `{\an8}`), decoding the entities WebVTT and SRT files use.
pub fn voices(payload: &str) -> Vec<Voiced> {
    let mut out: Vec<Voiced> = Vec::new();
    let mut current = Voiced {
        voice: None,
        text: String::new(),
    };
    let mut rest = payload;
    while let Some(open) = rest.find(['<', '{']) {
        current.text.push_str(&rest[..open]);
        let closer = if rest[open..].starts_with('<') {
            '>'
        } else {
            '}'
        };
        let Some(len) = rest[open..].find(closer) else {
            current.text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + len];
        rest = &rest[open + len + 1..];
        if closer == '}' && !tag.starts_with('\\') {
            // Not an SRT override: braces in speech stay.
            current.text.push('{');
            current.text.push_str(tag);
            current.text.push('}');
            continue;
        }
        if let Some(voice) = voice_name(tag) {
            if !current.text.trim().is_empty() || current.voice.is_some() {
                out.push(current);
            }
            current = Voiced {
                voice: Some(voice),
                text: String::new(),
            };
        }
    }
    current.text.push_str(rest);
    if !current.text.trim().is_empty() || current.voice.is_some() {
        out.push(current);
    }
    for part in &mut out {
        part.text = tidy(&decode_entities(&part.text));
    }
    out.retain(|p| !p.text.is_empty());
    out
}

/// The name of a `<v Name>` or `<v.class Name>` tag.
fn voice_name(tag: &str) -> Option<String> {
    let body = tag.strip_prefix('v')?;
    let body = if let Some(classes) = body.strip_prefix('.') {
        let space = classes.find(char::is_whitespace)?;
        &classes[space..]
    } else {
        body
    };
    if !body.starts_with(char::is_whitespace) {
        return None;
    }
    let name = body.trim();
    let name = tidy(&decode_entities(name));
    (!name.is_empty()).then_some(name)
}

/// The character references WebVTT defines by name, and numeric ones.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&semi| semi <= 8).and_then(|semi| {
            let name = &after[..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "lrm" => Some('\u{200e}'),
                "rlm" => Some('\u{200f}'),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Runs of white space (line breaks included) made one space; control characters dropped.
pub fn tidy(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_split_a_cue() {
        let v = voices("<v Maria Lopez>Hello &amp; welcome</v>");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].voice.as_deref(), Some("Maria Lopez"));
        assert_eq!(v[0].text, "Hello & welcome");
        let two = voices("<v.loud A>Yes.</v>\n<v B>No.</v>");
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].voice.as_deref(), Some("B"));
        assert_eq!(
            voices("<i>plain</i> {\\an8}text {braces}")[0].text,
            "plain text {braces}"
        );
        assert_eq!(voices("a <00:00:01.000>b")[0].text, "a b");
    }
}
