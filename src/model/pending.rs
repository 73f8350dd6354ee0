//! The note line between keys: what is typed and not yet saved or set aside. Kept on disk beside
//! the journal so that even `kill -9` loses at most the last second of typing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The note line as the draft file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingNote {
    pub text: String,
    /// Its first key's moment (less any reaction lead).
    pub noted_at: DateTime<Utc>,
    #[serde(default)]
    pub theme: Option<String>,
    /// The saved note being edited, if any.
    #[serde(default)]
    pub editing: Option<String>,
    /// The kept draft it was taken back from, if any.
    #[serde(default)]
    pub draft_id: Option<String>,
}
