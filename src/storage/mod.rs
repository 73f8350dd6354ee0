//! Storage: session folders and their journals on disk. No terminal code.

pub mod bundle;
pub mod emergency;
pub mod fs_secure;
pub mod import;
pub mod journal;
pub mod list_cache;
pub mod paths;
pub mod pending_note;
pub mod private_names;
pub mod restore;
pub mod sealed;
pub mod session_files;
pub mod session_index;
pub mod session_store;
pub mod summaries;
pub mod sync_conflicts;
pub mod transcript_store;
