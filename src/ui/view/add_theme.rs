//! The add-theme form over the live screen: title, place in the order, required or optional.

use super::super::add_theme::{AddThemeForm, NewThemeField};
use super::super::app::LiveApp;
use super::super::keymap::Layer;
use super::super::theme::Palette;
use super::{hint_line, overlays};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(frame: &mut Frame, area: Rect, app: &LiveApp, form: &AddThemeForm, palette: &Palette) {
    let field_style = |field: NewThemeField| {
        if form.field == field {
            palette.selected()
        } else {
            palette.plain()
        }
    };
    let title = form.typed_title();
    let lines = vec![
        Line::styled(
            "A theme that came up in the room; it is marked emergent in every export.",
            palette.dim(),
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled("Title     ", palette.key()),
            Span::styled(
                if title.is_empty() {
                    "(type it)".to_string()
                } else {
                    format!("{title}▏")
                },
                field_style(NewThemeField::Title),
            ),
        ]),
        Line::from(vec![
            Span::styled("Place     ", palette.key()),
            Span::styled(
                form.place_words(&app.session.guide),
                field_style(NewThemeField::Place),
            ),
            Span::styled("  ←→", palette.dim()),
        ]),
        Line::from(vec![
            Span::styled("Required  ", palette.key()),
            Span::styled(
                if form.required {
                    "yes: warned about if not addressed"
                } else {
                    "no: optional"
                },
                field_style(NewThemeField::Required),
            ),
            Span::styled("  ←→", palette.dim()),
        ]),
        Line::raw(""),
        hint_line(&app.keymap.hints(&[Layer::NewTheme]), 70, palette),
    ];
    overlays::modal_box(frame, area, " Add an emergent theme ", lines, palette);
}
