//! The one clock the program reads.

use chrono::{DateTime, SubsecRound, Utc};

/// The clock as the session records it: to the millisecond.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}
