//! The full-screen terminal interface: screens render state and turn keys into events.

pub mod add_theme;
pub mod app;
pub mod home;
pub mod keymap;
pub mod live;
pub mod review;
pub mod room_actions;
pub mod roster;
pub mod runner;
pub mod scroll;
pub mod setup;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod watch;
