//! The live timeline codes the transcript: each segment to the theme under discussion at its
//! time, to the probes ticked in that stretch, and to the tags of the notes written during it.
//!
//! - A segment's time on the session's clock is the recording mark (else the start) plus its
//!   time in the file plus the attach offset.
//! - Theme: the one whose spans the segment overlaps most. A segment that straddles a switch
//!   goes to the theme it mostly falls in; on an exact tie, the one discussed first in it. A
//!   segment of no length goes to the theme under discussion at its moment. A segment outside
//!   every span (before the first theme, during a pause, after the end) has no theme.
//! - Probes: a probe ticked (and not unticked since) during one of its theme's spans codes
//!   every segment of that span that went to the theme; a probe ticked while its theme was not
//!   under discussion belongs to the theme's last span before the tick.
//! - Notes: each note is anchored on the segment that holds its moment, else the nearest one;
//!   that segment is coded to the note's tags and carries the note.

use super::speaker::{Speaker, resolve};
use super::{Segment, TranscriptAttachment};
use crate::model::guide::Guide;
use crate::model::session::SessionState;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// One segment with its place on the session's clock and its codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedSegment<'a> {
    pub segment: &'a Segment,
    /// Milliseconds from the recording mark (else the start), the attach offset applied.
    pub start_ms: i64,
    pub end_ms: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub speaker: Option<Speaker<'a>>,
    /// The theme (index in the guide) it is coded to.
    pub theme: Option<usize>,
    /// The probes (indices in the theme) it is coded to.
    pub probes: Vec<usize>,
    /// The tags of the notes anchored on it, each once (spelt as first used).
    pub tags: Vec<&'a str>,
    /// The notes (indices in the session's notes) anchored on it.
    pub notes: Vec<usize>,
}

/// The transcript, coded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptCoding<'a> {
    pub segments: Vec<CodedSegment<'a>>,
    /// For each note of the session, the segment it is anchored on.
    pub note_anchors: Vec<Option<usize>>,
}

/// One stretch of a theme's discussion on the session's clock.
#[derive(Debug, Clone, Copy)]
struct ThemeSpan {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    theme: usize,
    /// Its position among its theme's spans.
    nth: usize,
}

/// Codes `attachment` against the session; spans still open end at `as_of`.
pub fn code<'a>(
    guide: &Guide,
    state: &'a SessionState,
    attachment: &'a TranscriptAttachment,
    as_of: DateTime<Utc>,
) -> TranscriptCoding<'a> {
    let origin = state.offset_origin();
    let offset = attachment.reference.offset_ms;
    let spans = theme_spans(state, as_of);
    let ticked = probes_by_span(guide, state, &spans);
    let participants: Vec<&str> = state.participants.iter().map(|p| p.name.as_str()).collect();
    let mut segments: Vec<CodedSegment<'a>> = attachment
        .transcript
        .segments
        .iter()
        .map(|segment| {
            let start_ms = segment.start_ms + offset;
            let end_ms = segment.end_ms + offset;
            let start = origin + Duration::milliseconds(start_ms);
            let end = origin + Duration::milliseconds(end_ms);
            let (theme, span) = theme_at(&spans, start, end).unzip();
            CodedSegment {
                segment,
                start_ms,
                end_ms,
                start,
                end,
                speaker: segment.speaker.as_deref().map(|label| {
                    resolve(
                        label,
                        &attachment.reference.speakers,
                        participants.iter().copied(),
                    )
                }),
                theme,
                probes: theme
                    .zip(span)
                    .and_then(|key| ticked.get(&key).cloned())
                    .unwrap_or_default(),
                tags: Vec::new(),
                notes: Vec::new(),
            }
        })
        .collect();
    let mut note_anchors = Vec::with_capacity(state.notes.len());
    for (index, note) in state.notes.iter().enumerate() {
        let anchor = nearest(&segments, note.at);
        if let Some(at) = anchor {
            let segment = &mut segments[at];
            segment.notes.push(index);
            for tag in &note.tags {
                if !segment.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                    segment.tags.push(tag);
                }
            }
        }
        note_anchors.push(anchor);
    }
    TranscriptCoding {
        segments,
        note_anchors,
    }
}

/// Every theme span in time order (they never overlap: one theme is discussed at a time).
fn theme_spans(state: &SessionState, as_of: DateTime<Utc>) -> Vec<ThemeSpan> {
    let mut spans: Vec<ThemeSpan> = state
        .themes
        .iter()
        .enumerate()
        .flat_map(|(theme, progress)| {
            progress
                .spans
                .iter()
                .enumerate()
                .map(move |(nth, s)| ThemeSpan {
                    start: s.start,
                    end: s.end.unwrap_or(as_of).max(s.start),
                    theme,
                    nth,
                })
        })
        .collect();
    spans.sort_by_key(|s| s.start);
    spans
}

/// The theme a segment from `start` to `end` is coded to, and which of the theme's spans.
fn theme_at(
    spans: &[ThemeSpan],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Option<(usize, usize)> {
    let first = spans.partition_point(|s| s.end <= start);
    if end <= start {
        return spans
            .get(first)
            .filter(|s| s.start <= start)
            .map(|s| (s.theme, s.nth));
    }
    // (theme, overlap, the span of the theme where the segment overlaps it most)
    let mut overlaps: Vec<(usize, Duration, usize, Duration)> = Vec::new();
    for span in spans[first..].iter().take_while(|s| s.start < end) {
        let overlap = span.end.min(end) - span.start.max(start);
        if overlap <= Duration::zero() {
            continue;
        }
        match overlaps.iter_mut().find(|o| o.0 == span.theme) {
            Some(o) => {
                o.1 += overlap;
                if overlap > o.3 {
                    o.2 = span.nth;
                    o.3 = overlap;
                }
            }
            None => overlaps.push((span.theme, overlap, span.nth, overlap)),
        }
    }
    // Ties go to the first in time: max_by_key would keep the last of equals.
    let mut best: Option<&(usize, Duration, usize, Duration)> = None;
    for o in &overlaps {
        if best.is_none_or(|b| o.1 > b.1) {
            best = Some(o);
        }
    }
    best.map(|o| (o.0, o.2))
}

/// For each (theme, span) the probes ticked in it (see the module's rules), worked out once.
fn probes_by_span(
    guide: &Guide,
    state: &SessionState,
    spans: &[ThemeSpan],
) -> HashMap<(usize, usize), Vec<usize>> {
    let mut out: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (theme, progress) in state.themes.iter().enumerate() {
        let own: Vec<&ThemeSpan> = spans.iter().filter(|s| s.theme == theme).collect();
        let probe_count = guide.themes.get(theme).map_or(0, |t| t.probes.len());
        for probe in 0..probe_count {
            let Some(Some(ticked)) = progress.probes_ticked_at.get(probe) else {
                continue;
            };
            let home = own
                .iter()
                .find(|s| s.start <= *ticked && *ticked <= s.end)
                .or_else(|| own.iter().rev().find(|s| s.end <= *ticked));
            if let Some(span) = home {
                out.entry((theme, span.nth)).or_default().push(probe);
            }
        }
    }
    out
}

/// The segment holding `at`, else the nearest one (the earlier on a tie).
fn nearest(segments: &[CodedSegment], at: DateTime<Utc>) -> Option<usize> {
    let after = segments.partition_point(|s| s.start <= at);
    let distance = |i: usize| {
        let s = &segments[i];
        if at < s.start {
            s.start - at
        } else if at < s.end {
            Duration::zero()
        } else {
            at - s.end
        }
    };
    let before = after.checked_sub(1);
    match (before, (after < segments.len()).then_some(after)) {
        (Some(b), Some(a)) => Some(if distance(a) < distance(b) { a } else { b }),
        (b, a) => b.or(a),
    }
}
