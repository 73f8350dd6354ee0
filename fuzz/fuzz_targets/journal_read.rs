//! Any bytes as a journal: the reader answers with records (and maybe a torn tail) or damage at
//! a line, never a panic; what it reads folds against a built-in guide without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use topicguide::library::builtin;
use topicguide::model::guide::Guide;
use topicguide::model::session::SessionState;
use topicguide::storage::journal::parse_journal;

fn guide() -> &'static Guide {
    static GUIDE: OnceLock<Guide> = OnceLock::new();
    GUIDE.get_or_init(|| {
        builtin("cmp-patient-focus-group")
            .and_then(|g| g.load().ok())
            .expect("the built-in guide loads")
    })
}

fuzz_target!(|bytes: &[u8]| {
    match parse_journal(bytes) {
        Ok(contents) => {
            if let Some(tail) = &contents.torn_tail {
                assert!(tail.offset as usize <= bytes.len());
                assert_eq!(&bytes[tail.offset as usize..], &tail.bytes[..]);
            }
            for (i, record) in contents.records.iter().enumerate() {
                assert_eq!(record.seq, i as u64 + 1, "records are numbered in order");
            }
            let _ = SessionState::from_records(guide(), &contents.records);
        }
        Err(damage) => assert!(damage.line >= 1),
    }
});
