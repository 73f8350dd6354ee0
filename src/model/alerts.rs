//! When to warn the note-taker: unaddressed themes near the end, falling behind, overtime.
//! Pure: the caller passes the time and journals what [`due_warnings`] returns.

use super::event::{Event, SessionMeta, WarningKind};
use super::guide::Guide;
use super::session::{Note, SessionState};
use chrono::{DateTime, Duration, Utc};

/// The second warning point, where a note-taker signals the moderator a last time.
pub const FINAL_WARNING_MINUTES: u32 = 5;
/// A behind-schedule warning is journaled again only when the deficit has grown this much.
pub const BEHIND_STEP_MINUTES: u32 = 5;

/// Where the session stands against its plan at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Planned time left; negative in overtime.
    pub remaining: Duration,
    /// Budget still needed by the required themes not yet addressed.
    pub needed: Duration,
}

impl Schedule {
    /// How far the unaddressed themes' budgets exceed the time left, if they do.
    pub fn behind(&self) -> Option<Duration> {
        let remaining = self.remaining.max(Duration::zero());
        (self.needed > remaining).then(|| self.needed - remaining)
    }

    pub fn overtime(&self) -> Option<Duration> {
        (self.remaining < Duration::zero()).then(|| -self.remaining)
    }
}

/// The schedule at `now`.
pub fn schedule(guide: &Guide, state: &SessionState, now: DateTime<Utc>) -> Schedule {
    let clock = state.clock_at(now);
    let needed = state
        .unaddressed_themes(guide)
        .into_iter()
        .filter_map(|i| {
            let budget = Duration::minutes(i64::from(guide.themes[i].minutes?));
            Some((budget - state.themes[i].discussed(clock)).max(Duration::zero()))
        })
        .sum();
    Schedule {
        remaining: state.remaining(now),
        needed,
    }
}

/// The minutes-before-end points at which unaddressed themes are announced, largest first: the
/// guide's (or the config's) first point and the final one.
pub fn warning_points(guide: &Guide, meta: &SessionMeta) -> Vec<u32> {
    let mut points = vec![
        meta.warn_before_end_minutes
            .unwrap_or(guide.warn_before_end_minutes),
        meta.final_warning_minutes.unwrap_or(FINAL_WARNING_MINUTES),
    ];
    points.retain(|p| *p > 0);
    points.sort_unstable_by(|a, b| b.cmp(a));
    points.dedup();
    points
}

/// Warnings that are due at `now` and not yet in the journal, as events to record.
pub fn due_warnings(guide: &Guide, state: &SessionState, now: DateTime<Utc>) -> Vec<Event> {
    if state.is_ended() {
        return Vec::new();
    }
    let mut due = Vec::new();
    let plan = schedule(guide, state, now);
    let unaddressed: Vec<String> = state
        .unaddressed_themes(guide)
        .into_iter()
        .map(|i| guide.themes[i].id.clone())
        .collect();
    let raised = |kind: WarningKind| state.warnings.iter().filter(move |w| w.kind == kind);

    // Only the nearest point passed counts: a session that starts inside both points warns once.
    let passed = warning_points(guide, &state.meta)
        .into_iter()
        .filter(|p| plan.remaining <= Duration::minutes(i64::from(*p)))
        .min();
    if let Some(point) = passed
        && !unaddressed.is_empty()
        && !raised(WarningKind::Unaddressed)
            .any(|w| w.threshold_minutes.is_some_and(|t| t <= point))
    {
        due.push(Event::WarningRaised {
            kind: WarningKind::Unaddressed,
            themes: unaddressed.clone(),
            threshold_minutes: Some(point),
            behind_minutes: None,
        });
    }

    if let Some(behind) = plan.behind() {
        let minutes = u32::try_from(behind.num_minutes()).unwrap_or(u32::MAX);
        let last = raised(WarningKind::Behind)
            .filter_map(|w| w.behind_minutes)
            .max();
        let worse = match last {
            None => minutes >= 1,
            Some(last) => minutes >= last.saturating_add(BEHIND_STEP_MINUTES),
        };
        if worse && plan.overtime().is_none() {
            due.push(Event::WarningRaised {
                kind: WarningKind::Behind,
                themes: unaddressed.clone(),
                threshold_minutes: None,
                behind_minutes: Some(minutes),
            });
        }
    }

    if plan.overtime().is_some() && raised(WarningKind::Overtime).next().is_none() {
        due.push(Event::WarningRaised {
            kind: WarningKind::Overtime,
            themes: unaddressed,
            threshold_minutes: None,
            behind_minutes: None,
        });
    }
    due
}

/// The theme under discussion when it has run a minute or more past its own budget, with how
/// far over: "Health 4 min over".
pub fn over_budget(
    guide: &Guide,
    state: &SessionState,
    now: DateTime<Utc>,
) -> Option<(usize, Duration)> {
    let i = state.current?;
    let budget = Duration::minutes(i64::from(guide.themes.get(i)?.minutes?));
    let over = state.themes.get(i)?.discussed(state.clock_at(now)) - budget;
    (over >= Duration::minutes(1)).then_some((i, over))
}

/// When the session is behind schedule, the optional themes not yet begun that could be
/// dropped to catch up: the largest budgets first, as few as cover the deficit (all of them
/// when even that is not enough). Empty when not behind.
pub fn drop_suggestions(guide: &Guide, state: &SessionState, now: DateTime<Utc>) -> Vec<usize> {
    let plan = schedule(guide, state, now);
    let Some(behind) = plan.behind() else {
        return Vec::new();
    };
    let mut optional: Vec<(usize, u32)> = guide
        .themes
        .iter()
        .zip(&state.themes)
        .enumerate()
        .filter(|(_, (theme, progress))| {
            !theme.required && !progress.is_addressed() && progress.first_discussed_at.is_none()
        })
        .map(|(i, (theme, _))| (i, theme.minutes.unwrap_or(0)))
        .collect();
    optional.sort_by_key(|(i, minutes)| (std::cmp::Reverse(*minutes), *i));
    let mut freed = Duration::zero();
    let mut out = Vec::new();
    for (i, minutes) in optional {
        if freed >= behind {
            break;
        }
        freed += Duration::minutes(i64::from(minutes));
        out.push(i);
    }
    out
}

/// The warning point the session has reached, if any: the first (`Some(false)`) or the last
/// (`Some(true)`), which the screen shows differently.
pub fn warning_stage(guide: &Guide, state: &SessionState, now: DateTime<Utc>) -> Option<bool> {
    let points = warning_points(guide, &state.meta);
    let remaining = state.remaining(now);
    let reached = |p: u32| remaining <= Duration::minutes(i64::from(p));
    match points.as_slice() {
        [] => None,
        [only] => reached(*only).then_some(points.len() == 1 && *only <= FINAL_WARNING_MINUTES),
        [first, .., last] => {
            if reached(*last) {
                Some(true)
            } else {
                reached(*first).then_some(false)
            }
        }
    }
}

/// What the end check lists before a session is ended.
#[derive(Debug, Clone)]
pub struct EndCheck<'a> {
    /// Titles of required themes neither covered nor skipped.
    pub themes: Vec<&'a str>,
    /// (theme title, probe text) of required probes not ticked.
    pub probes: Vec<(&'a str, &'a str)>,
    /// Questions parked for the end and not yet marked asked.
    pub followups: Vec<&'a Note>,
}

impl EndCheck<'_> {
    pub fn is_clear(&self) -> bool {
        self.themes.is_empty() && self.probes.is_empty() && self.followups.is_empty()
    }
}

/// The end check for a session.
pub fn end_check<'a>(guide: &'a Guide, state: &'a SessionState) -> EndCheck<'a> {
    EndCheck {
        themes: state
            .unaddressed_themes(guide)
            .into_iter()
            .map(|i| guide.themes[i].title.as_str())
            .collect(),
        probes: state
            .unaddressed_probes(guide)
            .into_iter()
            .map(|(t, p)| {
                let theme = &guide.themes[t];
                (theme.title.as_str(), theme.probes[p].text.as_str())
            })
            .collect(),
        followups: state.open_followups().collect(),
    }
}
