//! The application layer, between the command line and the screens: what every command and
//! screen needs (context, clock, the one error type) and the loading and building they share.

pub mod bundle;
pub mod clock;
pub mod context;
pub mod error;
pub mod import;
pub mod notices;
pub mod resume;
pub mod study;
pub mod transcript;
pub mod watch;
