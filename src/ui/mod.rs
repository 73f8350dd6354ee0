//! The full-screen terminal interface: screens render state and turn keys into events.

pub mod app;
pub mod home;
pub mod keymap;
pub mod live;
pub mod review;
pub mod runner;
pub mod scroll;
pub mod setup;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod watch;
