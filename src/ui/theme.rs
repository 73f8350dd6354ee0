//! The colours and styles of every screen, in one place.

use crate::config::{ColourScheme, Config};
use crate::model::vocabulary::ThemeMark;
use ratatui::style::{Color, Modifier, Style};

/// The styles a screen draws with. Colour is never the only signal: every status also has a
/// symbol, so the screens read the same with colour off.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub colour: bool,
    pub high_contrast: bool,
}

impl Default for Palette {
    fn default() -> Self {
        Palette {
            colour: true,
            high_contrast: false,
        }
    }
}

impl Palette {
    /// The palette for a scheme, with colour off whenever `NO_COLOR` is set (no-color.org).
    pub fn new(scheme: ColourScheme, no_color_env: bool) -> Self {
        match scheme {
            _ if no_color_env => Palette::monochrome(),
            ColourScheme::Never => Palette::monochrome(),
            ColourScheme::HighContrast => Palette {
                colour: true,
                high_contrast: true,
            },
            ColourScheme::Default => Palette::default(),
        }
    }

    /// No colour at all: bold and reverse video only.
    pub fn monochrome() -> Self {
        Palette {
            colour: false,
            high_contrast: false,
        }
    }

    /// The colours the config file asks for, none when `NO_COLOR` is set.
    pub fn for_config(config: &Config) -> Self {
        Palette::new(config.colour, Palette::no_color_requested())
    }

    /// Whether `NO_COLOR` asks for no colour (set and not empty).
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    fn fg(&self, c: Color) -> Style {
        if !self.colour {
            return Style::new();
        }
        if self.high_contrast {
            let bright = match c {
                Color::Green => Color::LightGreen,
                Color::Yellow => Color::LightYellow,
                Color::Red => Color::LightRed,
                Color::Cyan => Color::LightCyan,
                Color::Magenta => Color::LightMagenta,
                // Grey text is hard to read on a projector: use the normal colour.
                Color::DarkGray => return Style::new(),
                other => other,
            };
            return Style::new().fg(bright).add_modifier(Modifier::BOLD);
        }
        Style::new().fg(c)
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
    pub fn status(&self, status: ThemeMark) -> Style {
        match status {
            ThemeMark::NotStarted => self.dim(),
            ThemeMark::Discussing | ThemeMark::Discussed => self.warn(),
            ThemeMark::Covered | ThemeMark::DiscussingCovered => {
                self.ok().add_modifier(Modifier::BOLD)
            }
            ThemeMark::Skipped => self.dim(),
        }
    }
}
