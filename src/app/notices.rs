//! What reading a session found that the user should hear about, in one line each: a torn or
//! damaged last line, records written by a newer topicguide.

use crate::storage::session_store::LoadedSession;

/// Records kept but not read because a newer topicguide wrote them, said once: `2 records
/// written by a newer topicguide (roster_changed, observer_joined) were kept but not read`.
pub fn newer_records(newer: &[(u64, String)]) -> Option<String> {
    if newer.is_empty() {
        return None;
    }
    let mut kinds: Vec<&str> = newer.iter().map(|(_, kind)| kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let count = newer.len();
    Some(format!(
        "{count} record{} written by a newer topicguide ({}) kept but not read; a newer topicguide shows {}",
        if count == 1 { "" } else { "s" },
        kinds.join(", "),
        if count == 1 { "it" } else { "them" },
    ))
}

/// Every notice about a loaded session, each a whole line starting `warning: ID: `.
pub fn for_session(loaded: &LoadedSession) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(tail) = &loaded.torn_tail {
        lines.push(format!(
            "warning: {}: the journal ends in {}, left out",
            loaded.id,
            tail.describe()
        ));
    }
    if let Some(newer) = newer_records(&loaded.session.state().newer_records) {
        lines.push(format!("warning: {}: {newer}", loaded.id));
    }
    if let Some(conflicts) = sync_conflicts(&loaded.dir) {
        lines.push(format!("warning: {}: {conflicts}", loaded.id));
    }
    lines
}

/// The sync engine's conflict copies in a session folder, said once: two machines wrote the
/// same session (or one file was changed on both sides); nothing is merged or removed.
pub fn sync_conflicts(dir: &std::path::Path) -> Option<String> {
    let copies = crate::storage::sync_conflicts::conflict_copies(dir);
    if copies.is_empty() {
        return None;
    }
    Some(format!(
        "the sync engine left {} conflict cop{} ({}): two machines wrote this session; compare them and keep one (topicguide reads only journal.jsonl)",
        copies.len(),
        if copies.len() == 1 { "y" } else { "ies" },
        copies.join(", ")
    ))
}
