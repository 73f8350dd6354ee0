//! The home screen of `topicguide` with no command: the guides to start from, the sessions to
//! resume and the recent ones. `start` without a guide shows its guide list as a picker.

use super::keymap::{Action, Keymap, Layer};
use super::runner::{self, Screen};
use super::scroll::keep_in_view;
use super::theme::Palette;
use super::view::hint_line;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::library::{GuideOrigin, GuideSource, all_guides};
use crate::model::timefmt::local_datetime;
use crate::storage::session_store::SessionLiveness;
use crate::storage::summaries::summarize_all;
use crate::text::{pad, truncate};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::path::PathBuf;

/// The most ended sessions the home screen lists.
const RECENT: usize = 8;

/// What the person chose.
#[derive(Debug)]
pub enum HomeChoice {
    Guide(GuideSource),
    Resume(PathBuf),
    Quit,
}

enum Row {
    Heading(String),
    Guide(GuideSource, String),
    Session {
        dir: PathBuf,
        text: String,
        resumable: bool,
        /// What Enter on a session that cannot be resumed says: where it is and what to run.
        about: String,
    },
    Info(String),
}

impl Row {
    fn selectable(&self) -> bool {
        matches!(self, Row::Guide(..) | Row::Session { .. })
    }
}

/// The home screen's state.
pub struct Home {
    rows: Vec<Row>,
    selected: usize,
    keymap: Keymap,
    palette: Palette,
    choice: Option<HomeChoice>,
    message: Option<String>,
    show_help: bool,
    /// The guide names' column: as wide as the longest name.
    name_cols: usize,
}

impl Home {
    pub fn new(ctx: &Context, guides_only: bool, keymap: Keymap, palette: Palette) -> Self {
        let mut rows = vec![Row::Heading("Start a session with a guide".into())];
        for source in all_guides(ctx.user_guides_dir().as_deref()) {
            let text = match source.load() {
                Ok(g) => {
                    let origin = match &source.origin {
                        GuideOrigin::Builtin(_) => "built-in".to_string(),
                        GuideOrigin::File(p) => p.display().to_string(),
                    };
                    // Length and kind first: a long title is cut, never the facts.
                    format!(
                        "{}, {} min, {} themes  ·  {}  ·  {origin}",
                        g.kind,
                        g.duration_minutes,
                        g.themes.len(),
                        g.title
                    )
                }
                Err(e) => format!("{}: INVALID: {e}", source.name()),
            };
            rows.push(Row::Guide(source, text));
        }
        if !guides_only {
            match ctx
                .data_dir()
                .map_err(|e| e.to_string())
                .and_then(|d| summarize_all(d, ctx.cache_dir.as_deref()).map_err(|e| e.to_string()))
            {
                Ok((sessions, unreadable)) => {
                    let resumable: Vec<_> = sessions
                        .iter()
                        .filter(|s| s.liveness != SessionLiveness::Ended)
                        .collect();
                    rows.push(Row::Heading("Resume an interrupted session".into()));
                    if resumable.is_empty() {
                        rows.push(Row::Info("none".into()));
                    }
                    for s in resumable {
                        let summary = &s.summary;
                        let live = if s.liveness == SessionLiveness::Live {
                            "  (open in another window)"
                        } else {
                            ""
                        };
                        rows.push(Row::Session {
                            dir: s.dir.clone(),
                            text: format!(
                                "{}  ·  {}  ·  {} notes, {}/{} covered{live}",
                                summary.label,
                                local_datetime(summary.started_at),
                                summary.notes,
                                summary.covered,
                                summary.total
                            ),
                            resumable: s.liveness == SessionLiveness::Interrupted,
                            about: format!(
                                "{} is open in another window: close it there first",
                                s.id
                            ),
                        });
                    }
                    let ended: Vec<_> = sessions
                        .iter()
                        .filter(|s| s.liveness == SessionLiveness::Ended)
                        .take(RECENT)
                        .collect();
                    if !ended.is_empty() {
                        rows.push(Row::Heading(
                            "Recent sessions (topicguide export ID --format md)".into(),
                        ));
                    }
                    for s in ended {
                        let summary = &s.summary;
                        rows.push(Row::Session {
                            dir: s.dir.clone(),
                            text: format!(
                                "{}  ·  {}  ·  {}  ·  {}/{} covered",
                                s.id,
                                summary.label,
                                local_datetime(summary.started_at),
                                summary.covered,
                                summary.total
                            ),
                            resumable: false,
                            about: format!(
                                "{}: {} notes. topicguide export {} --format md  ·  topicguide resume {} --reopen",
                                s.id,
                                summary.notes,
                                s.id,
                                s.id
                            ),
                        });
                    }
                    if !unreadable.is_empty() {
                        rows.push(Row::Heading(
                            "Damaged sessions (topicguide export ID salvages the intact records)"
                                .into(),
                        ));
                    }
                    for u in &unreadable {
                        rows.push(Row::Info(unreadable_row(u)));
                    }
                }
                Err(e) => rows.push(Row::Info(format!("sessions cannot be read: {e}"))),
            }
        }
        let selected = rows.iter().position(Row::selectable).unwrap_or(0);
        let name_cols = rows
            .iter()
            .filter_map(|r| match r {
                Row::Guide(source, _) => Some(crate::text::width(&source.name())),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Home {
            name_cols,
            rows,
            selected,
            keymap,
            palette,
            choice: None,
            message: None,
            show_help: false,
        }
    }

    fn step(&mut self, forward: bool) {
        let n = self.rows.len();
        let mut i = self.selected;
        for _ in 0..n {
            i = if forward {
                (i + 1).min(n - 1)
            } else {
                i.saturating_sub(1)
            };
            if self.rows[i].selectable() {
                self.selected = i;
                return;
            }
        }
    }
}

impl Screen for Home {
    fn draw(&self, frame: &mut Frame, _now: DateTime<Utc>) {
        let area = frame.area();
        let p = &self.palette;
        let cols = usize::from(area.width);
        let [title, body, message, footer] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(Line::styled(
                truncate(" topicguide: the second pair of eyes for fieldwork", cols),
                p.heading(),
            )),
            title,
        );
        let mut lines = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let line = match row {
                Row::Heading(text) => Line::styled(truncate(text, cols), p.heading()),
                Row::Info(text) => Line::styled(truncate(&format!("   {text}"), cols), p.dim()),
                Row::Guide(source, text) => {
                    let name = pad(&source.name(), self.name_cols);
                    Line::raw(truncate(&format!("   {name} {text}"), cols))
                }
                Row::Session {
                    text, resumable, ..
                } => {
                    let line = truncate(&format!("   {text}"), cols);
                    if *resumable {
                        Line::raw(line)
                    } else {
                        Line::styled(line, p.dim())
                    }
                }
            };
            lines.push(if i == self.selected {
                line.style(p.selected())
            } else {
                line
            });
        }
        let rows = usize::from(body.height);
        let scroll = keep_in_view(self.selected, rows, 1);
        let visible: Vec<Line> = lines.into_iter().skip(scroll).collect();
        frame.render_widget(Paragraph::new(visible), body);
        if let Some(m) = &self.message {
            frame.render_widget(
                Paragraph::new(Line::styled(truncate(m, cols), p.warn())),
                message,
            );
        }
        let hints = if self.show_help {
            self.keymap.help_rows(Layer::Home).into_iter().collect()
        } else {
            self.keymap.hints(&[Layer::Home])
        };
        frame.render_widget(Paragraph::new(hint_line(&hints, cols, p)), footer);
    }

    fn on_key(&mut self, key: KeyEvent, _now: DateTime<Utc>) {
        match self.keymap.action(Layer::Home, &key) {
            Some(Action::SelectNext) => self.step(true),
            Some(Action::SelectPrev) => self.step(false),
            Some(Action::Help) => self.show_help = !self.show_help,
            // Esc (or q) with the help open closes the help, not the program.
            Some(Action::Quit) if self.show_help => self.show_help = false,
            Some(Action::Quit) => self.choice = Some(HomeChoice::Quit),
            Some(Action::Confirm) => match self.rows.get(self.selected) {
                Some(Row::Guide(source, _)) => match source.load() {
                    Ok(_) => self.choice = Some(HomeChoice::Guide(source.clone())),
                    Err(e) => self.message = Some(e),
                },
                Some(Row::Session {
                    dir,
                    resumable: true,
                    ..
                }) => self.choice = Some(HomeChoice::Resume(dir.clone())),
                Some(Row::Session { about, .. }) => self.message = Some(about.clone()),
                _ => {}
            },
            _ => {}
        }
    }

    fn done(&self) -> bool {
        self.choice.is_some()
    }
}

/// Shows the home screen (or, with `guides_only`, the guide picker) until a choice is made.
pub fn run_home(ctx: &Context, guides_only: bool) -> Result<HomeChoice, AppError> {
    let mut home = Home::new(
        ctx,
        guides_only,
        Keymap::for_config(&ctx.config),
        Palette::for_config(&ctx.config),
    );
    runner::run_screen(&mut home, false)?;
    Ok(home.choice.unwrap_or(HomeChoice::Quit))
}

/// A session that cannot be read as a whole, in one line: its id, what is wrong and what its
/// intact records hold.
fn unreadable_row(u: &crate::storage::session_store::Unreadable) -> String {
    use crate::storage::journal::JournalError;
    use crate::storage::session_store::StoreError;
    let what = match &u.error {
        StoreError::Journal(JournalError::Damaged { line, reason, .. }) => {
            format!("damaged at line {line} ({reason})")
        }
        other => other.to_string(),
    };
    match &u.salvaged {
        Some(salvaged) => {
            let state = salvaged.loaded.session.state();
            format!(
                "{}  ·  {}  ·  {}  ·  {what}; {} notes intact",
                u.id,
                state.meta.label,
                local_datetime(state.started_at),
                state.notes.len()
            )
        }
        None => format!("{}  ·  {what}", u.id),
    }
}
