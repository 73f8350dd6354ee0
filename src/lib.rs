//! topicguide: a full-screen terminal companion for qualitative fieldwork.
//!
//! Layers point one way: `cli -> ui -> app -> {export, storage, library, config} -> model`, and
//! `text` is a leaf every layer may use (see the README's architecture section and
//! `tests/architecture.rs`).

pub mod app;
pub mod cli;
pub mod config;
pub mod export;
pub mod library;
pub mod model;
pub mod storage;
pub mod text;
pub mod ui;
