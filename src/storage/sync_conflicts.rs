//! The copies a sync engine leaves when two machines changed one file: Syncthing's
//! `journal.sync-conflict-20261123-140500-ABCDEFG.jsonl`, Nextcloud's and ownCloud's
//! `journal (conflicted copy 2026-11-23 140500).jsonl`, Dropbox's `journal (Ana's conflicted
//! copy 2026-11-23).jsonl`, OneDrive's `journal-LAPTOP-2.jsonl`. Found by name, never opened,
//! never moved: what to keep is the lead researcher's call.

use std::path::Path;

/// Whether `name` is a sync engine's conflict copy.
pub fn is_conflict_copy(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains(".sync-conflict-")
        || lower.contains("conflicted copy")
        || lower.contains("(conflict")
        || lower.contains("_conflict-")
}

/// The conflict copies in a session folder, by name, sorted.
pub fn conflict_copies(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| is_conflict_copy(name))
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::is_conflict_copy;

    #[test]
    fn the_engines_names_are_recognised() {
        for name in [
            "journal.sync-conflict-20261123-140500-ABCDEFG.jsonl",
            "journal (conflicted copy 2026-11-23 140500).jsonl",
            "journal (Ana's conflicted copy 2026-11-23).jsonl",
            "guide (conflict 1).toml",
        ] {
            assert!(is_conflict_copy(name), "{name}");
        }
        for name in ["journal.jsonl", "guide.toml", "journal.jsonl.torn-120-55"] {
            assert!(!is_conflict_copy(name), "{name}");
        }
    }
}
