//! The follower under `watch` (and the review screen's live refresh), in process, with the
//! system's real file notifications: each saved record wakes it and is read, and its own reading
//! of the journal never wakes it again (which would read for ever, spending a core while the
//! room is quiet). The screen's loop is played here: wait for a wake, refresh.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{DataHome, add, create};
use std::sync::{Arc, mpsc};
use topicguide::app::context::Context;
use topicguide::app::watch::{Wake, follow};
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};

const GUIDE: &str = "cmp-patient-focus-group";

/// How long the follower is left alone to show it stays asleep: it refreshes within a moment
/// of a wake, so a loop of wakes would be seen many times over.
const QUIET: std::time::Duration = std::time::Duration::from_millis(700);
/// Waiting for a wake an append must bring.
const WAKE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

#[test]
fn each_saved_record_wakes_the_follower_and_its_own_reads_do_not() {
    let home = DataHome::empty();
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).unwrap();
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    let mut live = create(
        &home.data(),
        "20261123-1405-group-1",
        GUIDE,
        start,
        SessionMeta::for_guide(&guide, "Group 1"),
    );
    let config = home.path("config.toml");
    std::fs::write(&config, "").unwrap();
    let ctx = Context::new(Some(&home.data()), Some(&config)).unwrap();
    let (sender, woken) = mpsc::channel();
    let wake: Wake = Arc::new(move || {
        let _ = sender.send(());
    });
    let mut followed = follow(&ctx, None, wake).unwrap();
    assert_eq!(followed.session().state().current, None);

    for (minute, theme) in [(1, 0), (2, 1), (3, 2)] {
        add(
            &mut live,
            start + Duration::minutes(minute),
            Event::Discussing {
                theme: guide.themes[theme].id.clone(),
            },
        );
        woken
            .recv_timeout(WAKE_WAIT)
            .expect("the append wakes the follower");
        // As the screen's loop does: refresh on every wake until none comes for a while.
        let mut wakes = 1;
        loop {
            followed.refresh();
            match woken.recv_timeout(QUIET) {
                Ok(()) => wakes += 1,
                Err(_) => break,
            }
            assert!(
                wakes < 20,
                "reading the journal keeps waking the follower: {wakes} wakes for one record"
            );
        }
        assert_eq!(
            followed.session().state().current,
            Some(theme),
            "the record is read"
        );
    }
}
