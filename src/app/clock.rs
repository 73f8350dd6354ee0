//! The one clock the program reads: monotonic. The wall clock is read once, when the process
//! first asks the time; from then on time moves with the monotonic clock, so a wall
//! clock stepped back or forward (NTP, a laptop's clock, a time-zone change) never makes an
//! offset negative, time run backwards or a theme gain time it was not discussed. The journal's
//! `at` times are written from this clock, so each record carries the session's monotonic
//! timeline. A resumed session raises the clock to its last record, so a clock set back while
//! the program was closed cannot put new records before old ones.
//!
//! The monotonic clock is CLOCK_BOOTTIME: unlike `Instant` (CLOCK_MONOTONIC) it keeps counting
//! while the laptop sleeps, as the room does when a lid is closed by mistake.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use std::sync::Mutex;
use std::time::SystemTime;

/// A reading of the monotonic clock: time since the machine booted, sleep included.
pub type Instant = std::time::Duration;

/// The monotonic clock now.
pub fn monotonic() -> Instant {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec it is given a valid pointer to.
    if unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) } == 0 {
        std::time::Duration::new(
            u64::try_from(ts.tv_sec).unwrap_or(0),
            u32::try_from(ts.tv_nsec).unwrap_or(0),
        )
    } else {
        // No boot-time clock: the process's own monotonic clock, from its first reading.
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }
}

/// A wall-clock moment tied to a monotonic one: the time is the wall moment plus the monotonic
/// time since. Tests make one from any moment and instant (no fake system clock needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonotonicClock {
    wall: DateTime<Utc>,
    instant: Instant,
}

impl MonotonicClock {
    /// A clock that reads `wall` at `instant`. A wall clock before 1970 is fine (chrono's
    /// `Utc::now` would panic on one).
    pub fn anchored(wall: SystemTime, instant: Instant) -> Self {
        MonotonicClock {
            wall: DateTime::<Utc>::from(wall),
            instant,
        }
    }

    /// The time at `instant`, to the millisecond (as the journal records it). An instant before
    /// the anchor reads as the anchor.
    pub fn at(&self, instant: Instant) -> DateTime<Utc> {
        let since = instant.saturating_sub(self.instant);
        let since = Duration::from_std(since).unwrap_or(Duration::MAX);
        self.wall
            .checked_add_signed(since)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
            .trunc_subsecs(3)
    }

    /// The same clock, moved forward if needed so that it reads at least `floor` at `instant`.
    pub fn not_before(self, floor: DateTime<Utc>, instant: Instant) -> Self {
        if self.at(instant) >= floor {
            self
        } else {
            MonotonicClock {
                wall: floor,
                instant,
            }
        }
    }
}

static CLOCK: Mutex<Option<MonotonicClock>> = Mutex::new(None);

fn with_clock<T>(f: impl FnOnce(&mut MonotonicClock) -> T) -> T {
    let mut guard = CLOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let clock =
        guard.get_or_insert_with(|| MonotonicClock::anchored(SystemTime::now(), monotonic()));
    f(clock)
}

/// The time now, as the session records it: to the millisecond, never going backwards.
pub fn now() -> DateTime<Utc> {
    with_clock(|clock| clock.at(monotonic()))
}

/// Makes the clock read at least `floor` from now on: called with a resumed session's last
/// record, so a wall clock set back since it was written cannot order new records before it.
pub fn not_before(floor: DateTime<Utc>) {
    with_clock(|clock| *clock = clock.not_before(floor, monotonic()));
}

#[cfg(test)]
mod tests {
    use super::{MonotonicClock, monotonic};
    use chrono::{TimeZone, Utc};
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    #[test]
    fn time_moves_with_the_monotonic_clock_only() {
        let start = Duration::from_secs(1_000);
        let wall = UNIX_EPOCH + Duration::from_secs(1_795_443_900);
        let clock = MonotonicClock::anchored(wall, start);
        let t0 = clock.at(start);
        // Ten minutes of monotonic time are ten minutes, whatever the wall clock does meanwhile
        // (it is never read again).
        let later = start + Duration::from_secs(600);
        assert_eq!((clock.at(later) - t0).num_seconds(), 600);
        // Never backwards, even for an instant before the anchor.
        assert_eq!(clock.at(start - Duration::from_secs(5)), t0);
        // The real monotonic clock never goes back.
        let (a, b) = (monotonic(), monotonic());
        assert!(b >= a);
    }

    #[test]
    fn a_clock_before_1970_reads_without_panicking() {
        let wall = UNIX_EPOCH - Duration::from_secs(86_400 * 365);
        let start = Duration::from_secs(1_000);
        let clock = MonotonicClock::anchored(wall, start);
        assert_eq!(
            clock.at(start),
            Utc.with_ymd_and_hms(1969, 1, 1, 0, 0, 0).unwrap()
        );
        let _ = MonotonicClock::anchored(SystemTime::UNIX_EPOCH, start).at(start);
    }

    #[test]
    fn a_floor_moves_the_clock_forward_never_back() {
        let start = Duration::from_secs(1_000);
        let clock = MonotonicClock::anchored(UNIX_EPOCH + Duration::from_secs(1_000), start);
        let floor = Utc.timestamp_opt(5_000, 0).unwrap();
        let raised = clock.not_before(floor, start);
        assert_eq!(raised.at(start), floor);
        assert_eq!(
            (raised.at(start + Duration::from_secs(3)) - floor).num_seconds(),
            3
        );
        let lower = Utc.timestamp_opt(10, 0).unwrap();
        assert_eq!(raised.not_before(lower, start), raised);
    }
}
