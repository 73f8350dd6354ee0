//! What `undo` takes back and `redo` puts back, in words a note-taker reads in the status line:
//! `removed note n2: 'P4 nods along…'`, with theme titles rather than ids.

use super::event::{Event, Record};
use super::guide::Guide;
use super::session::SessionState;
use super::timefmt::hms;

/// How much of a note's text the message quotes.
const QUOTE_CHARS: usize = 24;

/// A note's text, short, in quotes.
fn quoted(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= QUOTE_CHARS {
        format!("'{text}'")
    } else {
        let cut: String = text.chars().take(QUOTE_CHARS + 1).collect();
        // At a word's end where there is one, so the quote reads as words.
        let cut = match cut.rfind(char::is_whitespace) {
            Some(space) if space > 0 => &cut[..space],
            _ => cut.as_str(),
        };
        format!("'{}…'", cut.trim_end())
    }
}

fn title(guide: &Guide, theme: &str) -> String {
    guide
        .theme(theme)
        .map_or_else(|| theme.to_string(), |t| format!("'{}'", t.title))
}

fn note_text(state: &SessionState, id: &str) -> String {
    state
        .notes
        .iter()
        .find(|n| n.id == id)
        .map(|n| quoted(&n.raw))
        .unwrap_or_default()
}

/// What undoing `record` takes back, read from the state while its effect still holds.
pub fn taking_back(guide: &Guide, state: &SessionState, record: &Record) -> String {
    match &record.event {
        Event::NoteAdded { id, text, .. } => format!("removed note {id}: {}", quoted(text)),
        Event::NoteEdited { id, .. } => {
            format!("took back the edit of note {id} ({})", note_text(state, id))
        }
        Event::NoteDeleted { id } => format!("brought back deleted note {id}"),
        Event::NoteMoved { id, .. } => format!("note {id} back under its earlier theme"),
        Event::NoteRetimed { id, .. } => format!("note {id} back at its earlier time"),
        Event::Discussing { theme } => format!("no longer discussing {}", title(guide, theme)),
        Event::Covered { theme } => format!("{} no longer covered", title(guide, theme)),
        Event::Uncovered { theme } => format!("{} covered again", title(guide, theme)),
        Event::Skipped { theme, .. } => format!("{} no longer skipped", title(guide, theme)),
        Event::Unskipped { theme } => format!("{} skipped again", title(guide, theme)),
        Event::ProbeToggled {
            theme,
            probe,
            checked,
        } => format!(
            "probe {} of {} {}",
            probe + 1,
            title(guide, theme),
            if *checked {
                "no longer ticked"
            } else {
                "ticked again"
            }
        ),
        Event::Paused => "took back the pause: the clock runs".into(),
        Event::Resumed => "the clock is paused again".into(),
        Event::RecordingStarted => format!(
            "removed the recording mark set at {}",
            hms((record.at - state.started_at).num_seconds())
        ),
        Event::ParticipantArrived { participant } => {
            format!("took back the arrival of {participant}")
        }
        Event::ParticipantLeft { participant } => {
            format!("took back the leaving of {participant}")
        }
        other => format!("took back: {}", other.describe()),
    }
}

/// What redoing `record` puts back, read from the state once it holds again.
pub fn putting_back(guide: &Guide, state: &SessionState, record: &Record) -> String {
    match &record.event {
        Event::NoteAdded { id, text, .. } => format!("note {id} is back: {}", quoted(text)),
        Event::NoteEdited { id, .. } => {
            format!("note {id} edited again ({})", note_text(state, id))
        }
        Event::NoteDeleted { id } => format!("note {id} deleted again"),
        Event::NoteMoved { id, theme } => match theme {
            Some(theme) => format!("note {id} filed under {} again", title(guide, theme)),
            None => format!("note {id} filed under no theme again"),
        },
        Event::NoteRetimed { id, .. } => format!("note {id} at its new time again"),
        Event::Discussing { theme } => format!("now discussing {} again", title(guide, theme)),
        Event::Covered { theme } => format!("{} covered again", title(guide, theme)),
        Event::Uncovered { theme } => format!("{} no longer covered again", title(guide, theme)),
        Event::Skipped { theme, .. } => format!("{} skipped again", title(guide, theme)),
        Event::Unskipped { theme } => format!("{} no longer skipped again", title(guide, theme)),
        Event::RecordingStarted => "the recording mark is back".into(),
        other => format!("{} again", other.describe()),
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn long_notes_are_cut_with_an_ellipsis() {
        assert_eq!(quoted("P4 nods along"), "'P4 nods along'");
        assert_eq!(
            quoted("@P4 nods along while P2 describes the walking group"),
            "'@P4 nods along while P2…'"
        );
    }
}
