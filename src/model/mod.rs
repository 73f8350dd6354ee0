//! The pure model: guides, session events and the state they fold to. No terminal, file or clock.

pub mod agreement;
pub mod alerts;
pub mod emergent;
pub mod event;
pub mod guide;
pub mod guide_parse;
pub mod note_text;
pub mod observer_pairs;
pub mod participants;
pub mod pending;
pub mod recorded_time;
pub mod review;
pub mod session;
pub mod slug;
pub mod summary;
pub mod timefmt;
pub mod toml_check;
pub mod transcript;
pub mod undo_text;
pub mod vocabulary;
