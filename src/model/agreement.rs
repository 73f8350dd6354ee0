//! Two observers of one group compared, as observation tools (BORIS, ELAN) compare coders: each
//! session's theme timeline laid on a one-second grid over the time both were recording, Cohen's
//! kappa over it, per-theme agreement, coverage and probe agreement, and the notes that differ.
//! Pure: the sessions are given, the clock is passed in.

use super::guide::Guide;
use super::session::{Note, SessionState, ThemeStatus};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::hash::Hash;

/// How far apart two observers' notes on one theme may be and still be taken as the same moment.
pub const NOTE_MATCH_SECONDS: i64 = 60;

/// Cohen's kappa of two coders' labels for the same units, with the observed and the chance
/// agreement it is made of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kappa {
    /// Units (seconds) coded by both.
    pub units: usize,
    /// Share of units on which the two agree.
    pub observed: f64,
    /// Share of agreement expected by chance from each coder's own proportions.
    pub expected: f64,
    /// (observed - expected) / (1 - expected); None when chance agreement is total (both coders
    /// used one and the same label throughout), where kappa is not defined.
    pub kappa: Option<f64>,
}

/// Cohen's kappa over `pairs` of labels (coder A's, coder B's) for the same units.
pub fn cohen_kappa<T: Eq + Hash>(pairs: impl IntoIterator<Item = (T, T)>) -> Kappa {
    let mut units = 0usize;
    let mut agreed = 0usize;
    let mut a_counts: HashMap<T, usize> = HashMap::new();
    let mut b_counts: HashMap<T, usize> = HashMap::new();
    for (a, b) in pairs {
        units += 1;
        if a == b {
            agreed += 1;
        }
        *a_counts.entry(a).or_default() += 1;
        *b_counts.entry(b).or_default() += 1;
    }
    if units == 0 {
        return Kappa {
            units,
            observed: 0.0,
            expected: 0.0,
            kappa: None,
        };
    }
    let n = units as f64;
    let observed = agreed as f64 / n;
    let expected: f64 = a_counts
        .iter()
        .map(|(label, count)| {
            let other = b_counts.get(label).copied().unwrap_or(0);
            (*count as f64 / n) * (other as f64 / n)
        })
        .sum();
    let kappa = (expected < 1.0 - 1e-12).then(|| (observed - expected) / (1.0 - expected));
    Kappa {
        units,
        observed,
        expected,
        kappa,
    }
}

/// The theme id under discussion in each second from `from`, for `seconds` seconds (None: no
/// theme was being timed, or the clock was paused). A second belongs to the theme being
/// discussed at its start.
pub fn timeline<'a>(
    state: &SessionState,
    guide: &'a Guide,
    from: DateTime<Utc>,
    seconds: usize,
    as_of: DateTime<Utc>,
) -> Vec<Option<&'a str>> {
    let mut grid = vec![None; seconds];
    for (theme, progress) in guide.themes.iter().zip(&state.themes) {
        for span in &progress.spans {
            let end = span.end.unwrap_or(as_of);
            // Seconds whose start lies in [span.start, end).
            let first = ceil_seconds(span.start - from).max(0);
            let last = ceil_seconds(end - from).min(seconds as i64);
            for slot in first..last {
                grid[slot as usize] = Some(theme.id.as_str());
            }
        }
    }
    grid
}

/// Whole seconds in `d`, rounded up (a second starting at or after the instant).
fn ceil_seconds(d: Duration) -> i64 {
    let ms = d.num_milliseconds();
    ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) != 0)
}

/// One observer's session as the comparison reads it.
pub struct Observed<'a> {
    pub id: &'a str,
    pub state: &'a SessionState,
    pub guide: &'a Guide,
    /// Where the session's clock stands (its end, or now for one still going).
    pub as_of: DateTime<Utc>,
}

/// Agreement on one theme, the two coders' labels reduced to "this theme" or not.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeAgreement {
    pub theme_id: String,
    pub title: String,
    /// Seconds each observer had it under discussion, and seconds both did.
    pub seconds_a: usize,
    pub seconds_b: usize,
    pub seconds_both: usize,
    pub kappa: Kappa,
    pub status_a: Option<ThemeStatus>,
    pub status_b: Option<ThemeStatus>,
    /// Probes (by text) the two ticked differently: (text, ticked by A, ticked by B).
    pub probes_differ: Vec<(String, bool, bool)>,
    /// Probes both guides have for this theme, and how many of them the two agree on.
    pub probes_compared: usize,
    pub probes_agreed: usize,
}

impl ThemeAgreement {
    /// Whether the two left the theme in the same state.
    pub fn coverage_agrees(&self) -> bool {
        self.status_a == self.status_b
    }
}

/// Notes on one theme that only one observer has near that moment.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteDifference<'a> {
    pub theme_id: Option<String>,
    /// Seconds from the start of the compared time.
    pub offset_seconds: i64,
    pub only_a: Option<&'a Note>,
    pub only_b: Option<&'a Note>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement<'a> {
    /// The stretch both were recording: the later start to the earlier end.
    pub from: DateTime<Utc>,
    pub seconds: usize,
    /// Over every second, theme (or none) against theme (or none).
    pub overall: Kappa,
    pub themes: Vec<ThemeAgreement>,
    pub notes_matched: usize,
    pub notes_differ: Vec<NoteDifference<'a>>,
}

impl Agreement<'_> {
    /// Themes both observers left in the same state, of the themes both guides have.
    pub fn coverage(&self) -> (usize, usize) {
        let shared: Vec<&ThemeAgreement> = self
            .themes
            .iter()
            .filter(|t| t.status_a.is_some() && t.status_b.is_some())
            .collect();
        (
            shared.iter().filter(|t| t.coverage_agrees()).count(),
            shared.len(),
        )
    }

    /// Probes ticked alike, of the probes compared.
    pub fn probes(&self) -> (usize, usize) {
        self.themes.iter().fold((0, 0), |(a, n), t| {
            (a + t.probes_agreed, n + t.probes_compared)
        })
    }
}

/// Compares two observers' sessions of the same group. Themes are matched by id.
pub fn compare<'a>(a: &Observed<'a>, b: &Observed<'a>) -> Agreement<'a> {
    let from = a.state.started_at.max(b.state.started_at);
    let to = a.as_of.min(b.as_of);
    let seconds = usize::try_from((to - from).num_seconds().max(0)).unwrap_or(0);
    let line_a = timeline(a.state, a.guide, from, seconds, a.as_of);
    let line_b = timeline(b.state, b.guide, from, seconds, b.as_of);
    let overall = cohen_kappa(line_a.iter().copied().zip(line_b.iter().copied()));

    let mut ids: Vec<(&str, &str)> = a
        .guide
        .themes
        .iter()
        .map(|t| (t.id.as_str(), t.title.as_str()))
        .collect();
    for t in &b.guide.themes {
        if !ids.iter().any(|(id, _)| *id == t.id) {
            ids.push((t.id.as_str(), t.title.as_str()));
        }
    }
    let themes = ids
        .into_iter()
        .map(|(id, title)| theme_agreement(a, b, id, title, &line_a, &line_b))
        .collect();
    let (notes_matched, notes_differ) = note_differences(a, b, from);
    Agreement {
        from,
        seconds,
        overall,
        themes,
        notes_matched,
        notes_differ,
    }
}

fn theme_agreement(
    a: &Observed,
    b: &Observed,
    id: &str,
    title: &str,
    line_a: &[Option<&str>],
    line_b: &[Option<&str>],
) -> ThemeAgreement {
    let on = |x: &Option<&str>| *x == Some(id);
    let kappa = cohen_kappa(line_a.iter().map(on).zip(line_b.iter().map(on)));
    let seconds_a = line_a.iter().filter(|x| on(x)).count();
    let seconds_b = line_b.iter().filter(|x| on(x)).count();
    let seconds_both = line_a
        .iter()
        .zip(line_b)
        .filter(|(x, y)| on(x) && on(y))
        .count();
    let index_a = a.guide.theme_index(id);
    let index_b = b.guide.theme_index(id);
    let status =
        |o: &Observed, i: Option<usize>| i.and_then(|i| o.state.themes.get(i)).map(|p| p.status());
    let mut probes_differ = Vec::new();
    let mut probes_compared = 0;
    if let (Some(ia), Some(ib)) = (index_a, index_b) {
        let (ta, tb) = (&a.guide.themes[ia], &b.guide.themes[ib]);
        for (pa, probe) in ta.probes.iter().enumerate() {
            let Some(pb) = tb.probes.iter().position(|p| p.text == probe.text) else {
                continue;
            };
            probes_compared += 1;
            let ticked_a = a.state.themes[ia]
                .probes_checked
                .get(pa)
                .copied()
                .unwrap_or(false);
            let ticked_b = b.state.themes[ib]
                .probes_checked
                .get(pb)
                .copied()
                .unwrap_or(false);
            if ticked_a != ticked_b {
                probes_differ.push((probe.text.clone(), ticked_a, ticked_b));
            }
        }
    }
    ThemeAgreement {
        theme_id: id.to_string(),
        title: title.to_string(),
        seconds_a,
        seconds_b,
        seconds_both,
        kappa,
        status_a: status(a, index_a),
        status_b: status(b, index_b),
        probes_agreed: probes_compared - probes_differ.len(),
        probes_compared,
        probes_differ,
    }
}

/// Pairs each note of A with the nearest unpaired note of B on the same theme within
/// [`NOTE_MATCH_SECONDS`]; what is left on either side differs. In time order.
fn note_differences<'a>(
    a: &Observed<'a>,
    b: &Observed<'a>,
    from: DateTime<Utc>,
) -> (usize, Vec<NoteDifference<'a>>) {
    let notes_b: Vec<&'a Note> = b.state.notes.iter().collect();
    let mut taken = vec![false; notes_b.len()];
    let mut matched = 0;
    let mut differ = Vec::new();
    for note in &a.state.notes {
        let nearest = notes_b
            .iter()
            .enumerate()
            .filter(|(i, other)| !taken[*i] && other.theme == note.theme)
            .map(|(i, other)| (i, (other.at - note.at).num_seconds().abs()))
            .filter(|(_, gap)| *gap <= NOTE_MATCH_SECONDS)
            .min_by_key(|(_, gap)| *gap);
        match nearest {
            Some((i, _)) => {
                taken[i] = true;
                matched += 1;
            }
            None => differ.push(NoteDifference {
                theme_id: note.theme.clone(),
                offset_seconds: (note.at - from).num_seconds(),
                only_a: Some(note),
                only_b: None,
            }),
        }
    }
    for (i, note) in notes_b.iter().enumerate() {
        if !taken[i] {
            differ.push(NoteDifference {
                theme_id: note.theme.clone(),
                offset_seconds: (note.at - from).num_seconds(),
                only_a: None,
                only_b: Some(note),
            });
        }
    }
    differ.sort_by_key(|d| d.offset_seconds);
    (matched, differ)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kappa_of_a_hand_computed_example() {
        // Ten seconds. A: a a a a a b b b b b; B: a a a b b b b b b b.
        // Observed: 8 of 10 agree = 0.8. Chance: A is half a, B 3/10 a:
        // 0.5 * 0.3 + 0.5 * 0.7 = 0.5. Kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6.
        let a = "aaaaabbbbb".chars();
        let b = "aaabbbbbbb".chars();
        let k = cohen_kappa(a.zip(b));
        assert_eq!(k.units, 10);
        assert!((k.observed - 0.8).abs() < 1e-12);
        assert!((k.expected - 0.5).abs() < 1e-12);
        assert!((k.kappa.unwrap() - 0.6).abs() < 1e-12);
    }

    #[test]
    fn kappa_of_three_categories() {
        // The classic 3x3 table (Cohen 1960 style), 50 units:
        //        B: x   y   z
        //   A: x   10   2   3   (15)
        //      y    1  12   2   (15)
        //      z    2   1  17   (20)
        //     (13) (15) (22)
        // Observed 39/50 = 0.78; chance (15*13 + 15*15 + 20*22) / 2500 = 860/2500 = 0.344;
        // kappa = (0.78 - 0.344) / 0.656 = 0.664634...
        let mut pairs = Vec::new();
        let table = [('x', [10, 2, 3]), ('y', [1, 12, 2]), ('z', [2, 1, 17])];
        for (a, row) in table {
            for (b, n) in ['x', 'y', 'z'].into_iter().zip(row) {
                pairs.extend(std::iter::repeat_n((a, b), n));
            }
        }
        let k = cohen_kappa(pairs);
        assert!((k.observed - 0.78).abs() < 1e-12);
        assert!((k.expected - 0.344).abs() < 1e-12);
        assert!((k.kappa.unwrap() - 0.436 / 0.656).abs() < 1e-12);
    }

    #[test]
    fn kappa_is_undefined_when_both_use_one_label_throughout() {
        let k = cohen_kappa(std::iter::repeat_n(('a', 'a'), 5));
        assert_eq!(k.observed, 1.0);
        assert_eq!(k.kappa, None);
        assert_eq!(cohen_kappa(Vec::<(u8, u8)>::new()).kappa, None);
    }

    #[test]
    fn perfect_disagreement_on_two_labels_is_minus_one() {
        let k = cohen_kappa([('a', 'b'), ('b', 'a'), ('a', 'b'), ('b', 'a')]);
        assert!((k.kappa.unwrap() + 1.0).abs() < 1e-12);
    }
}
