//! Storage: session folders and their journals on disk. No terminal code.

pub mod emergency;
pub mod fs_secure;
pub mod journal;
pub mod paths;
pub mod private_names;
pub mod session_store;
