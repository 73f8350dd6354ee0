//! Participant pseudonyms as the note-taker gives them: a count, or a list of names.

use super::note_text::normalise_speaker;

/// The most participants a session lists.
pub const MAX_PARTICIPANTS: usize = 99;

/// The seating plan's mark for a participant with a note on the theme shown.
pub const SPOKEN_MARK: &str = "◆";
/// The seating plan's mark for a participant without one yet.
pub const NOT_SPOKEN_MARK: &str = "◇";
/// The word beside a participant who left early.
pub const LEFT_WORD: &str = "left";

/// The speaker a note-taker names for the interviewer in an interview (`@IV`).
pub const INTERVIEWER: &str = "IV";
/// The interviewee's pseudonym when an interview lists nobody.
pub const INTERVIEWEE: &str = "P1";

/// Ids that read as a person's real name: a capitalised word of letters (`Ann`, `Mohammed`)
/// that is not a pseudonym (`P3`), a role, or an initial. Exports carry ids everywhere, so set-up
/// warns about these.
pub fn looks_like_real_name(id: &str) -> bool {
    const ROLES: &[&str] = &[
        "Moderator",
        "Interviewer",
        "Interviewee",
        "Facilitator",
        "Observer",
        "Researcher",
        "Participant",
        "Staff",
    ];
    let mut chars = id.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest: Vec<char> = chars.collect();
    first.is_uppercase()
        && rest.len() >= 2
        && rest.iter().all(|c| c.is_lowercase())
        && !ROLES.iter().any(|r| r.eq_ignore_ascii_case(id))
}

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

    #[test]
    fn real_names_are_told_from_pseudonyms() {
        for name in ["Ann", "Mohammed", "Zoë"] {
            assert!(looks_like_real_name(name), "{name}");
        }
        for id in ["P3", "IV", "R2", "Moderator", "ann", "AB", "CR-3", "Al"] {
            assert!(!looks_like_real_name(id), "{id}");
        }
    }
}
