//! Which sessions of a study recorded the same group: two note-takers in one room record the same
//! guide at the same site at the same time, each on their own laptop. The study reports compare
//! every such pair (see `model::agreement`). Pure: the sessions and their clocks are given.

use super::agreement::Observed;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// The rule in words, for the reports and the README to state it once.
pub const PAIRING_RULE: &str = "two sessions are taken as two observers of one group when they follow the same guide (by title) at the same site (or both name none), were recorded by different note-takers (or one names none), and their recorded times overlap by at least half of the shorter session";

/// What the pairing reads of a session: small, so that a review of a thousand sessions can keep
/// one per session without keeping the sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObserverKey {
    pub id: String,
    pub guide_title: String,
    pub site: Option<String>,
    pub researcher: Option<String>,
    /// The time it recorded: its start to where its clock stands.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl ObserverKey {
    pub fn of(o: &Observed) -> Self {
        let meta = &o.state.meta;
        ObserverKey {
            id: o.id.to_string(),
            guide_title: meta.guide_title.clone(),
            site: meta.site.clone(),
            researcher: meta.researcher.clone(),
            from: o.state.started_at,
            to: o.as_of.max(o.state.started_at),
        }
    }
}

/// The pairs `(i, j)`, `i < j`, of `sessions` that recorded the same group, in input order. A
/// session is never paired with itself, and may pair with more than one other (three observers).
/// Sessions are grouped by guide and site, and within a group only sessions whose times can
/// overlap are compared, so a study of a thousand sessions at a few sites is not a million
/// comparisons.
pub fn observer_pairs(sessions: &[ObserverKey]) -> Vec<(usize, usize)> {
    let mut groups: HashMap<(String, Option<String>), Vec<usize>> = HashMap::new();
    for (i, s) in sessions.iter().enumerate() {
        let place = (alike(&s.guide_title), s.site.as_deref().map(alike));
        groups.entry(place).or_default().push(i);
    }
    let mut pairs = Vec::new();
    for mut members in groups.into_values() {
        members.sort_by_key(|&i| sessions[i].from);
        for (n, &i) in members.iter().enumerate() {
            let a = &sessions[i];
            for &j in &members[n + 1..] {
                let b = &sessions[j];
                if b.from >= a.to {
                    break;
                }
                if same_group(a, b) {
                    pairs.push((i.min(j), i.max(j)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Whether `a` and `b` are two observers' records of one group, by [`PAIRING_RULE`].
pub fn same_group(a: &ObserverKey, b: &ObserverKey) -> bool {
    a.id != b.id
        && same_words(Some(&a.guide_title), Some(&b.guide_title))
        && same_words(a.site.as_ref(), b.site.as_ref())
        && !matches!((&a.researcher, &b.researcher), (Some(x), Some(y)) if same_words(Some(x), Some(y)))
        && overlap_by_half((a.from, a.to), (b.from, b.to))
}

/// What two people typing the same name on two laptops mean alike: case and surrounding spaces
/// aside. Two missing names are alike.
fn same_words(a: Option<&String>, b: Option<&String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => alike(a) == alike(b),
        (None, None) => true,
        _ => false,
    }
}

/// A name as [`same_words`] compares it.
fn alike(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Whether two time spans overlap at all and by at least half of the shorter one.
fn overlap_by_half(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    let overlap = a.1.min(b.1) - a.0.max(b.0);
    let shorter = (a.1 - a.0).min(b.1 - b.0);
    overlap > Duration::zero() && overlap * 2 >= shorter
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event::{Event, Record, SessionMeta};
    use crate::model::guide::{Guide, SessionKind, SessionMode};
    use crate::model::session::SessionState;
    use chrono::TimeZone;

    fn guide(title: &str) -> Guide {
        Guide {
            title: title.into(),
            version: None,
            description: None,
            kind: SessionKind::FocusGroup,
            mode: SessionMode::InPerson,
            duration_minutes: 90,
            warn_before_end_minutes: 10,
            themes: Vec::new(),
        }
    }

    fn minute(m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap() + Duration::minutes(m)
    }

    /// A session of `guide_title` at `site` by `researcher`, recorded from `from` to `to`
    /// minutes.
    fn state(
        guide_title: &str,
        site: Option<&str>,
        researcher: Option<&str>,
        from: i64,
        to: i64,
    ) -> SessionState {
        let meta = SessionMeta {
            site: site.map(str::to_string),
            researcher: researcher.map(str::to_string),
            ..SessionMeta::for_guide(&guide(guide_title), "Group 1")
        };
        let records = [
            Record {
                seq: 1,
                at: minute(from),
                event: Event::Started(meta),
            },
            Record {
                seq: 2,
                at: minute(to),
                event: Event::Ended,
            },
        ];
        SessionState::from_records(&guide(guide_title), &records).expect("a session")
    }

    fn pairs_of(states: &[(&str, SessionState)]) -> Vec<(usize, usize)> {
        let g = guide("unused");
        let keys: Vec<ObserverKey> = states
            .iter()
            .map(|(id, s)| {
                ObserverKey::of(&Observed {
                    id,
                    state: s,
                    guide: &g,
                    as_of: s.clock_at(minute(1000)),
                })
            })
            .collect();
        observer_pairs(&keys)
    }

    #[test]
    fn two_note_takers_in_one_room_pair() {
        let pairs = pairs_of(&[
            ("a", state("CMP", Some("DU"), Some("AR"), 0, 90)),
            // Started two minutes late, ended a minute early, site typed in lower case.
            ("b", state("CMP", Some("du "), Some("KM"), 2, 89)),
        ]);
        assert_eq!(pairs, [(0, 1)]);
    }

    #[test]
    fn overlap_of_half_the_shorter_session_is_enough_and_less_is_not() {
        // b lasts 60 minutes, 30 of them inside a: exactly half.
        let half = pairs_of(&[
            ("a", state("CMP", Some("DU"), Some("AR"), 0, 90)),
            ("b", state("CMP", Some("DU"), Some("KM"), 60, 120)),
        ]);
        assert_eq!(half, [(0, 1)]);
        // 29 of 60 minutes: the next group at the same site, not the same one.
        let less = pairs_of(&[
            ("a", state("CMP", Some("DU"), Some("AR"), 0, 90)),
            ("b", state("CMP", Some("DU"), Some("KM"), 61, 121)),
        ]);
        assert_eq!(less, []);
    }

    #[test]
    fn no_overlap_no_pair() {
        let pairs = pairs_of(&[
            ("a", state("CMP", Some("DU"), Some("AR"), 0, 90)),
            ("b", state("CMP", Some("DU"), Some("KM"), 90, 180)),
            ("c", state("CMP", Some("DU"), Some("KM"), 200, 200)),
        ]);
        assert_eq!(pairs, []);
    }

    #[test]
    fn a_different_site_or_guide_is_another_group() {
        let pairs = pairs_of(&[
            ("a", state("CMP", Some("DU"), Some("AR"), 0, 90)),
            ("b", state("CMP", Some("CR"), Some("KM"), 0, 90)),
            ("c", state("CMP staff", Some("DU"), Some("KM"), 0, 90)),
            ("d", state("CMP", None, Some("KM"), 0, 90)),
        ]);
        assert_eq!(pairs, []);
        // Two sessions naming no site are alike in that.
        let unsited = pairs_of(&[
            ("a", state("CMP", None, None, 0, 90)),
            ("b", state("CMP", None, None, 0, 90)),
        ]);
        assert_eq!(unsited, [(0, 1)]);
    }

    #[test]
    fn one_note_taker_cannot_be_two_observers_nor_a_session_its_own_pair() {
        let same_person = pairs_of(&[
            ("a", state("CMP", Some("DU"), Some("AR"), 0, 90)),
            ("b", state("CMP", Some("DU"), Some("ar"), 0, 90)),
        ]);
        assert_eq!(same_person, []);
        let itself = pairs_of(&[
            ("a", state("CMP", Some("DU"), Some("AR"), 0, 90)),
            ("a", state("CMP", Some("DU"), Some("KM"), 0, 90)),
        ]);
        assert_eq!(itself, []);
    }

    #[test]
    fn three_observers_make_three_pairs() {
        let pairs = pairs_of(&[
            ("a", state("CMP", Some("DU"), Some("AR"), 0, 90)),
            ("b", state("CMP", Some("DU"), Some("KM"), 1, 90)),
            ("x", state("CMP", Some("CR"), Some("JS"), 0, 90)),
            ("c", state("CMP", Some("DU"), Some("JS"), 0, 88)),
        ]);
        assert_eq!(pairs, [(0, 1), (0, 3), (1, 3)]);
    }

    /// The grouped sweep finds exactly the pairs that comparing every two sessions finds.
    #[test]
    fn grouping_and_sweeping_finds_what_comparing_all_finds() {
        let keys: Vec<ObserverKey> = (0..300i64)
            .map(|n| {
                let from = minute((n * 37) % 400);
                ObserverKey {
                    id: format!("s{n}"),
                    guide_title: ["CMP", "cmp ", "Staff"][(n % 3) as usize].to_string(),
                    site: [Some("DU"), Some(" du"), None, Some("CR")][(n % 4) as usize]
                        .map(str::to_string),
                    researcher: [Some("AR"), Some("KM"), None][(n % 7 % 3) as usize]
                        .map(str::to_string),
                    from,
                    to: from + Duration::minutes((n * 13) % 90),
                }
            })
            .collect();
        let mut every_two = Vec::new();
        for i in 0..keys.len() {
            for j in i + 1..keys.len() {
                if same_group(&keys[i], &keys[j]) {
                    every_two.push((i, j));
                }
            }
        }
        assert!(every_two.len() > 100, "the fixture should pair often");
        assert_eq!(observer_pairs(&keys), every_two);
    }
}
