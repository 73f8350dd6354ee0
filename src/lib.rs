//! topicguide: a full-screen terminal companion for qualitative fieldwork.
//!
//! `model` is pure (guides, events, session state), `storage` keeps sessions on disk, `export`
//! writes them for other tools, `library` finds guides, `cli` is the command line.

pub mod app;
pub mod cli;
pub mod config;
pub mod export;
pub mod library;
pub mod model;
pub mod storage;
pub mod text;
pub mod ui;
