//! The colours and styles of every screen, in one place.

use crate::model::session::ThemeStatus;
use ratatui::style::{Color, Modifier, Style};

/// The styles a screen draws with.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub colour: bool,
}

impl Default for Palette {
    fn default() -> Self {
        Palette { colour: true }
    }
}

impl Palette {
    fn fg(&self, c: Color) -> Style {
        if self.colour {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn plain(&self) -> Style {
        Style::new()
    }
    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn alarm(&self) -> Style {
        if self.colour {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }
    pub fn recording(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn bar(&self) -> Style {
        if self.colour {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn speaker(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }
    pub fn tag(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// The style of a theme's status mark.
    pub fn status(&self, status: ThemeStatus) -> Style {
        match status {
            ThemeStatus::NotStarted => self.dim(),
            ThemeStatus::InDiscussion => self.warn(),
            ThemeStatus::Covered => self.ok().add_modifier(Modifier::BOLD),
            ThemeStatus::Skipped => self.dim(),
        }
    }
}
