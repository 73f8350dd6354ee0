//! Themes that emerge in the room: the session's own theme list is its guide snapshot plus the
//! themes added live, in the order the note-taker put them. Pure: derived from the records.

use super::event::{Event, Record};
use super::guide::{Guide, Theme};
use super::slug::slug;
use std::collections::HashSet;
use std::sync::Arc;

/// The longest id made for an emergent theme.
const MAX_ID_CHARS: usize = 32;

/// Whether an event changes which themes a session has or their order.
pub fn changes_themes(event: &Event) -> bool {
    matches!(event, Event::ThemeAdded { .. } | Event::ThemeMoved { .. })
}

/// The records whose effect is taken back: each undo or redo still in force cancels its target.
/// Read from the end, since only a later record can cancel an earlier one.
pub fn cancelled_records(records: &[Record]) -> HashSet<u64> {
    let mut cancelled = HashSet::new();
    for record in records.iter().rev() {
        if cancelled.contains(&record.seq) {
            continue;
        }
        if let Event::Undone { target } | Event::Redone { target } = record.event
            && target < record.seq
        {
            cancelled.insert(target);
        }
    }
    cancelled
}

/// The themes of a session: `base` (its guide snapshot) with the emergent themes added and the
/// moves made, undone ones left out. The same `Arc` when nothing changed the themes.
pub fn session_guide(base: &Arc<Guide>, records: &[Record]) -> Arc<Guide> {
    if !records.iter().any(|r| changes_themes(&r.event)) {
        return Arc::clone(base);
    }
    let cancelled = cancelled_records(records);
    let mut guide = Guide::clone(base);
    for record in records.iter().filter(|r| !cancelled.contains(&r.seq)) {
        match &record.event {
            Event::ThemeAdded {
                id,
                title,
                required,
                after,
            } if guide.theme_index(id).is_none() && !id.is_empty() => {
                let theme = Theme {
                    id: id.clone(),
                    title: title.clone(),
                    prompt: None,
                    minutes: None,
                    required: *required,
                    guidance: None,
                    probes: Vec::new(),
                    emergent: true,
                };
                let at = insertion_point(&guide, after.as_deref());
                guide.themes.insert(at, theme);
            }
            Event::ThemeMoved { theme, after } if after.as_deref() != Some(theme.as_str()) => {
                if let Some(from) = guide.theme_index(theme) {
                    let moved = guide.themes.remove(from);
                    let at = insertion_point(&guide, after.as_deref());
                    guide.themes.insert(at, moved);
                }
            }
            _ => {}
        }
    }
    Arc::new(guide)
}

/// Where a theme placed after `after` goes: first when None, last when `after` is unknown.
fn insertion_point(guide: &Guide, after: Option<&str>) -> usize {
    match after {
        None => 0,
        Some(id) => guide.theme_index(id).map_or(guide.themes.len(), |i| i + 1),
    }
}

/// An id for a new theme titled `title`, unique among the themes of `guide`: the title as a
/// slug (`Transport to the clinic` is `transport-to-the-clinic`), numbered when taken. Two
/// sessions that add the same title get the same id, so the review and the study's codebook
/// can match them.
pub fn new_theme_id(guide: &Guide, title: &str) -> String {
    let base = match slug(title, MAX_ID_CHARS) {
        s if s.is_empty() => "emergent".to_string(),
        s => s,
    };
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|id| guide.theme_index(id).is_none())
        .unwrap_or(base)
}

/// The key emergent themes are matched by across sessions: their title, case and spacing aside.
pub fn title_key(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event::SessionMeta;
    use chrono::{TimeZone, Utc};

    fn guide() -> Arc<Guide> {
        let src = "[guide]\ntitle = \"G\"\n[[theme]]\nid = \"a\"\ntitle = \"A\"\n[[theme]]\nid = \"b\"\ntitle = \"B\"\n";
        Arc::new(
            crate::model::guide_parse::parse_guide(src)
                .guide
                .expect("a guide"),
        )
    }

    fn records(events: Vec<Event>) -> Vec<Record> {
        let g = guide();
        std::iter::once(Event::Started(SessionMeta::for_guide(&g, "x")))
            .chain(events)
            .enumerate()
            .map(|(i, event)| Record {
                seq: i as u64 + 1,
                at: Utc.timestamp_opt(1_700_000_000 + i as i64, 0).unwrap(),
                event,
            })
            .collect()
    }

    fn ids(guide: &Guide) -> Vec<&str> {
        guide.themes.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn added_themes_go_where_they_were_placed_and_moves_reorder() {
        let base = guide();
        let recs = records(vec![
            Event::ThemeAdded {
                id: "transport".into(),
                title: "Transport".into(),
                required: false,
                after: Some("a".into()),
            },
            Event::ThemeMoved {
                theme: "b".into(),
                after: None,
            },
        ]);
        let g = session_guide(&base, &recs);
        assert_eq!(ids(&g), ["b", "a", "transport"]);
        let added = g.theme("transport").unwrap();
        assert!(added.emergent && !added.required);
        assert!(!g.theme("a").unwrap().emergent);
    }

    #[test]
    fn an_undone_addition_is_left_out_and_nothing_added_shares_the_guide() {
        let base = guide();
        let mut recs = records(vec![Event::ThemeAdded {
            id: "t".into(),
            title: "T".into(),
            required: false,
            after: None,
        }]);
        recs.push(Record {
            seq: 3,
            at: recs[1].at,
            event: Event::Undone { target: 2 },
        });
        assert_eq!(ids(&session_guide(&base, &recs)), ["a", "b"]);
        assert!(Arc::ptr_eq(&session_guide(&base, &records(vec![])), &base));
    }

    #[test]
    fn new_ids_are_slugs_numbered_when_taken() {
        let g = guide();
        assert_eq!(
            new_theme_id(&g, "Transport to the clinic"),
            "transport-to-the-clinic"
        );
        assert_eq!(new_theme_id(&g, "A"), "a-2");
        assert_eq!(new_theme_id(&g, "???"), "emergent");
        assert_eq!(title_key("  Transport   Costs "), "transport costs");
    }
}
