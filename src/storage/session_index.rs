//! The session ids of a data folder, read once for an import and kept up to date by it: the
//! copies an incoming id may have here (`id`, `id-2`, `id-3`...) are a look-up, not a listing of
//! the folder per session, so importing a thousand sessions costs a thousand look-ups.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

/// The names in a data folder's `sessions` folder, and those an import has set aside for the
/// sessions it is writing.
#[derive(Debug, Default)]
pub struct SessionIndex {
    /// Each name under itself and, when it ends in `-N`, under the id it is a copy of.
    by_id: HashMap<String, Vec<String>>,
    taken: HashSet<String>,
    /// Names set aside for sessions written but not yet in place.
    reserved: HashSet<String>,
}

/// The id `name` is a copy of, when it ends in `-N`.
fn copy_of(name: &str) -> Option<&str> {
    let (id, n) = name.rsplit_once('-')?;
    (!id.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

impl SessionIndex {
    /// The names in `sessions` (none when it does not exist yet).
    pub fn read(sessions: &Path) -> Self {
        let mut index = SessionIndex::default();
        for entry in fs::read_dir(sessions).into_iter().flatten().flatten() {
            if let Some(name) = entry.file_name().to_str() {
                index.add(name);
            }
        }
        index
    }

    fn add(&mut self, name: &str) {
        if !self.taken.insert(name.to_string()) {
            return;
        }
        self.by_id
            .entry(name.to_string())
            .or_default()
            .push(name.to_string());
        if let Some(id) = copy_of(name) {
            self.by_id
                .entry(id.to_string())
                .or_default()
                .push(name.to_string());
        }
    }

    /// The sessions here that may be copies of `id`: `id` itself first, then `id-2`, `id-3`...
    /// in the order they were made (names set aside included).
    pub fn candidates(&self, id: &str) -> Vec<String> {
        let mut found = self.by_id.get(id).cloned().unwrap_or_default();
        found.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        found
    }

    /// Whether `name` is set aside for a session not yet in place.
    pub fn is_reserved(&self, name: &str) -> bool {
        self.reserved.contains(name)
    }

    /// The first of `id`, `id-2`, `id-3`... that is neither here nor set aside.
    pub fn first_free(&self, id: &str) -> String {
        (1..)
            .map(|n| {
                if n == 1 {
                    id.to_string()
                } else {
                    format!("{id}-{n}")
                }
            })
            .find(|name| !self.taken.contains(name))
            .unwrap_or_else(|| unreachable!("an endless range always yields a free name"))
    }

    /// Sets `name` aside for a session being written.
    pub fn reserve(&mut self, name: &str) {
        self.add(name);
        self.reserved.insert(name.to_string());
    }

    /// `name` is now a session here (set aside before or not).
    pub fn settle(&mut self, name: &str) {
        self.add(name);
        self.reserved.remove(name);
    }

    /// Forgets a name set aside for a session that was not written after all.
    pub fn release(&mut self, name: &str) {
        if self.reserved.remove(name) {
            self.taken.remove(name);
            for key in std::iter::once(name).chain(copy_of(name)) {
                if let Some(names) = self.by_id.get_mut(key) {
                    names.retain(|n| n != name);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_found_by_the_id_they_copy() {
        let mut index = SessionIndex::default();
        for name in ["g-1", "g-1-2", "g-1-10", "g-12", "g-1-x", "h"] {
            index.add(name);
        }
        assert_eq!(index.candidates("g-1"), ["g-1", "g-1-2", "g-1-10"]);
        assert_eq!(index.candidates("g"), ["g-1", "g-12"]);
        assert_eq!(index.candidates("h"), ["h"]);
        assert!(index.candidates("nothing").is_empty());
        assert_eq!(index.first_free("g-1"), "g-1-3");
        assert_eq!(index.first_free("new"), "new");
    }

    #[test]
    fn a_name_set_aside_is_taken_until_released() {
        let mut index = SessionIndex::default();
        index.reserve("s");
        assert!(index.is_reserved("s"));
        assert_eq!(index.first_free("s"), "s-2");
        index.release("s");
        assert_eq!(index.first_free("s"), "s");
        assert!(index.candidates("s").is_empty());
        index.reserve("s");
        index.settle("s");
        assert!(!index.is_reserved("s"));
        assert_eq!(index.candidates("s"), ["s"]);
    }
}
