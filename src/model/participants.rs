//! Participant pseudonyms as the note-taker gives them: a count, or a list of names.

use super::note_text::normalise_speaker;

/// The most participants a session lists.
pub const MAX_PARTICIPANTS: usize = 99;

/// `6` gives P1..P6; `P1,P2,Ann` gives those names (`p3` is written `P3`).
pub fn parse_participants(text: &str) -> Result<Vec<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    if let Ok(n) = text.parse::<usize>() {
        if n > MAX_PARTICIPANTS {
            return Err(format!("{n} participants is more than {MAX_PARTICIPANTS}"));
        }
        return Ok((1..=n).map(|i| format!("P{i}")).collect());
    }
    let mut names: Vec<String> = Vec::new();
    for part in text.split(',') {
        let name = part.trim().trim_start_matches('@');
        if name.is_empty() {
            return Err(format!("'{text}' has an empty participant name"));
        }
        if name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '#')
        {
            return Err(format!(
                "participant '{name}' must be one word without '#' (it is written @{name} in notes)"
            ));
        }
        let name = normalise_speaker(name);
        if names.contains(&name) {
            return Err(format!("participant '{name}' is listed twice"));
        }
        names.push(name);
    }
    if names.len() > MAX_PARTICIPANTS {
        return Err(format!(
            "{} participants is more than {MAX_PARTICIPANTS}",
            names.len()
        ));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_lists() {
        assert_eq!(parse_participants("3").unwrap(), vec!["P1", "P2", "P3"]);
        assert_eq!(
            parse_participants("p1, P2,Ann").unwrap(),
            vec!["P1", "P2", "Ann"]
        );
        assert!(parse_participants("P1,,P2").is_err());
        assert!(parse_participants("P1,p1").is_err());
        assert!(parse_participants("Ann Lee").is_err());
        assert_eq!(parse_participants("0").unwrap(), Vec::<String>::new());
    }
}
