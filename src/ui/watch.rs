//! The moderator's screen (`topicguide watch`): a read-only view that follows a session another
//! topicguide is recording. It never writes, never locks and never repairs: it reads the
//! journal whenever the file changes (file notifications wake the screen at once) and once a
//! second for the clock. A large clock and the time left, the theme under discussion, the themes
//! left by priority, the parked questions and the last warning the note-taker's screen raised.

use super::keymap::{Action, Keymap, Layer};
use super::runner::{self, Screen};
use super::theme::Palette;
use super::view::hint_line;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::watch::{Followed, follow};
use crate::model::alerts::schedule;
use crate::model::session::SessionState;
use crate::model::timefmt::{clock, hms};
use crate::model::vocabulary::ThemeMark;
use crate::text::{printable, truncate};
use chrono::{DateTime, Duration, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The big digits: five rows, three columns each (the colon one).
const BIG_ROWS: usize = 5;

fn big_glyph(c: char) -> [&'static str; BIG_ROWS] {
    match c {
        '0' => ["███", "█ █", "█ █", "█ █", "███"],
        '1' => ["  █", "  █", "  █", "  █", "  █"],
        '2' => ["███", "  █", "███", "█  ", "███"],
        '3' => ["███", "  █", "███", "  █", "███"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "███", "  █", "███"],
        '6' => ["███", "█  ", "███", "█ █", "███"],
        '7' => ["███", "  █", "  █", "  █", "  █"],
        '8' => ["███", "█ █", "███", "█ █", "███"],
        '9' => ["███", "█ █", "███", "  █", "███"],
        ':' => [" ", "█", " ", "█", " "],
        '+' => ["   ", " █ ", "███", " █ ", "   "],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

/// `text` in big digits, one string per row.
pub fn big_text(text: &str) -> Vec<String> {
    (0..BIG_ROWS)
        .map(|row| {
            text.chars()
                .map(|c| big_glyph(c)[row])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The watch screen's state: the session as last read, and how to read it again.
pub struct Watch {
    followed: Followed,
    keymap: Keymap,
    palette: Palette,
    quit: bool,
}

impl Watch {
    pub fn new(followed: Followed, keymap: Keymap, palette: Palette) -> Self {
        Watch {
            followed,
            keymap,
            palette,
            quit: false,
        }
    }

    fn draw_session(
        &self,
        frame: &mut Frame,
        area: Rect,
        state: &SessionState,
        now: DateTime<Utc>,
    ) {
        let p = &self.palette;
        let session = self.followed.session();
        let guide = &session.guide;
        let cols = usize::from(area.width);
        let ended = state.is_ended();
        let elapsed = clock(state.elapsed(now));
        let remaining = state.remaining(now);
        let left = if remaining < Duration::zero() {
            format!("+{}", clock(-remaining))
        } else {
            clock(remaining)
        };
        let mut lines: Vec<Line> = Vec::new();
        let big = if usize::from(area.height) >= 20 && cols >= 60 {
            Some(big_text(&elapsed))
        } else {
            None
        };
        match big {
            Some(rows) => {
                for row in rows {
                    lines.push(Line::styled(row, p.heading()));
                }
            }
            None => lines.push(Line::styled(format!("  {elapsed}"), p.heading())),
        }
        let status = if ended {
            "ended".to_string()
        } else if state.is_paused() {
            "PAUSED".to_string()
        } else {
            self.followed.liveness_word().to_string()
        };
        let left_style = if remaining < Duration::zero() {
            p.alarm()
        } else if remaining < Duration::minutes(i64::from(guide.warn_before_end_minutes)) {
            p.warn()
        } else {
            p.bold()
        };
        lines.push(Line::from(vec![
            Span::styled(
                if remaining < Duration::zero() {
                    format!("OVERTIME {left}")
                } else {
                    format!("{left} left")
                },
                left_style,
            ),
            Span::styled(
                format!("  of {}m planned · {status}", state.meta.planned_minutes),
                p.dim(),
            ),
        ]));
        lines.push(Line::raw(""));
        match state.current.filter(|_| !ended) {
            Some(i) => {
                let theme = &guide.themes[i];
                let spent = state.themes[i].discussed(state.clock_at(now));
                let budget = theme
                    .minutes
                    .map(|m| format!(" of {m}m"))
                    .unwrap_or_default();
                lines.push(Line::from(vec![
                    Span::styled(format!("{} Now: ", ThemeMark::Discussing.mark()), p.bold()),
                    Span::styled(printable(&theme.title), p.heading()),
                    Span::styled(format!("  {}{budget}", clock(spent)), p.dim()),
                ]));
            }
            None => lines.push(Line::styled("No theme under discussion", p.dim())),
        }
        // Themes left: the required ones first, each in guide order.
        let left_themes: Vec<usize> = (0..guide.themes.len())
            .filter(|&i| !state.themes[i].is_addressed() && Some(i) != state.current)
            .collect();
        let (required, optional): (Vec<usize>, Vec<usize>) = left_themes
            .into_iter()
            .partition(|&i| guide.themes[i].required);
        let plan = schedule(guide, state, now);
        let mut heading = format!("Themes left: {} required", required.len());
        if !optional.is_empty() {
            heading.push_str(&format!(", {} optional", optional.len()));
        }
        if let Some(behind) = plan.behind() {
            heading.push_str(&format!(
                " · {}m behind schedule",
                behind.num_minutes().max(1)
            ));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(heading, p.bold()));
        for (i, is_required) in required
            .iter()
            .map(|i| (*i, true))
            .chain(optional.iter().map(|i| (*i, false)))
        {
            let theme = &guide.themes[i];
            let mark = ThemeMark::of(state, i).mark();
            let budget = theme.minutes.map(|m| format!(" {m}m")).unwrap_or_default();
            let tail = if is_required { "" } else { " (optional)" };
            lines.push(Line::styled(
                truncate(
                    &printable(&format!("  {mark} {}{budget}{tail}", theme.title)),
                    cols,
                ),
                if is_required { p.plain() } else { p.dim() },
            ));
        }
        let parked: Vec<_> = state.followups().collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Parked questions: {}", parked.len()),
            p.bold(),
        ));
        for note in parked {
            let who = note
                .speaker
                .as_deref()
                .map(|s| format!("{s}: "))
                .unwrap_or_default();
            lines.push(Line::raw(truncate(
                &printable(&format!("  {who}{}", note.text)),
                cols,
            )));
        }
        if let Some(warning) = state.warnings.last() {
            let titles: Vec<&str> = warning
                .themes
                .iter()
                .map(|id| guide.theme(id).map_or(id.as_str(), |t| t.title.as_str()))
                .collect();
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                truncate(
                    &printable(&format!(
                        "Warning at {}: {} {}",
                        hms(state.offset_seconds(warning.at)),
                        warning.kind.as_str(),
                        titles.join(", ")
                    )),
                    cols,
                ),
                p.alarm(),
            ));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}

impl Screen for Watch {
    fn draw(&self, frame: &mut Frame, now: DateTime<Utc>) {
        let area = frame.area();
        let [title, body, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let p = &self.palette;
        let cols = usize::from(area.width);
        let session = self.followed.session();
        let state = session.state();
        let heading = format!(
            " Watching {} · {} · read-only",
            state.meta.label, session.guide.title
        );
        frame.render_widget(
            Paragraph::new(Line::styled(
                truncate(&printable(&heading), cols),
                p.heading(),
            )),
            title,
        );
        self.draw_session(frame, body, state, now);
        let note = self.followed.note();
        if note.is_empty() {
            let hints = self.keymap.hints(&[Layer::Watch]);
            frame.render_widget(Paragraph::new(hint_line(&hints, cols, p)), footer);
        } else {
            frame.render_widget(
                Paragraph::new(Line::styled(truncate(&printable(&note), cols), p.warn())),
                footer,
            );
        }
    }

    fn on_key(&mut self, key: KeyEvent, _now: DateTime<Utc>) {
        if let Some(Action::Quit) = self.keymap.action(Layer::Watch, &key) {
            self.quit = true;
        }
    }

    fn tick(&mut self, _now: DateTime<Utc>) {
        self.followed.refresh();
    }

    fn done(&self) -> bool {
        self.quit
    }
}

/// `topicguide watch [SESSION]`.
pub fn run_watch(ctx: &Context, session: Option<&str>) -> Result<(), AppError> {
    if !super::terminal::is_interactive() {
        return Err(AppError::User(
            "watch needs a terminal: run it in the second terminal or on the second screen".into(),
        ));
    }
    let followed = follow(ctx, session, runner::waker())?;
    let mut watch = Watch::new(
        followed,
        Keymap::for_config(&ctx.config),
        Palette::for_config(&ctx.config),
    );
    runner::run_screen(&mut watch, false)?;
    Ok(())
}
