//! The note line and the modal overlays: help, end check, skip reason, participants, leaving.

use super::super::app::{LiveApp, Modal, NoteEditor};
use super::super::keymap::Layer;
use super::super::scroll::Scroll;
use super::super::theme::Palette;
use super::hint_line;
use crate::model::alerts::end_check;
use crate::model::guide::SessionKind;
use crate::model::note_text::SUGGESTED_TAGS;
use crate::model::participants::{INTERVIEWEE, INTERVIEWER};
use crate::model::timefmt::hms;
use crate::model::vocabulary::ThemeMark;
use crate::text::{truncate, wrap};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// The row above the warning bar: the open editor, else a reminder of the draft or of `n`.
pub fn draw_note_line(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    if let Some(Modal::Editor(editor)) = app.modals.last() {
        draw_editor(frame, area, app, editor, palette);
        return;
    }
    let cols = usize::from(area.width);
    let line = match &app.draft {
        Some(draft) => Line::from(vec![
            Span::styled("Draft kept: ", palette.warn()),
            Span::raw(truncate(&draft.text(), cols.saturating_sub(30))),
            Span::styled("  (n reopens it)", palette.dim()),
        ]),
        None => Line::styled(
            match app.state().meta.kind {
                SessionKind::Interview => format!(
                    "n: write a note   @{INTERVIEWEE} interviewee, @{INTERVIEWER} you   #quote #nonverbal #followup #nt"
                ),
                SessionKind::FocusGroup => {
                    "n: write a note   @P3 names the speaker, #quote #nonverbal #followup #nt tag it"
                        .to_string()
                }
            },
            palette.dim(),
        ),
    };
    super::put_lines(frame, area, &[line]);
}

fn draw_editor(
    frame: &mut Frame,
    area: Rect,
    app: &LiveApp,
    editor: &NoteEditor,
    palette: &Palette,
) {
    let state = app.state();
    let what = match &editor.editing {
        Some(id) => format!(
            " Editing note {id} ({})",
            hms(state.offset_seconds(editor.noted_at))
        ),
        None => format!(" Note at {}", hms(state.offset_seconds(editor.noted_at))),
    };
    let theme = editor
        .theme
        .as_deref()
        .and_then(|id| app.session.guide.theme(id))
        .map(|t| format!(" · {}", t.title))
        .unwrap_or_default();
    let title = truncate(
        &format!("{what}{theme} "),
        usize::from(area.width).saturating_sub(2),
    );
    let block = Block::bordered()
        .title(Line::styled(title, palette.heading()))
        .title_bottom(hint_line(
            &app.keymap.hints(Layer::Editor),
            usize::from(area.width).saturating_sub(2),
            palette,
        ))
        .border_style(palette.key());
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    frame.render_widget(&editor.textarea, inner);
}

/// The top modal other than the editor, drawn over the screen.
pub fn draw_modal(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    match app.modals.last() {
        Some(Modal::Help { scroll }) => draw_help(frame, area, app, scroll, palette),
        Some(Modal::EndCheck) => draw_end_check(frame, area, app, palette),
        Some(Modal::Skip { theme, reason }) => {
            let title = &app.session.guide.themes[*theme].title;
            let rect = centered(area, 60, 5);
            let block = Block::bordered()
                .title(Line::styled(
                    format!(" Skip \"{}\" ", truncate(title, 40)),
                    palette.heading(),
                ))
                .title_bottom(hint_line(
                    &app.keymap.hints(Layer::Skip),
                    usize::from(rect.width).saturating_sub(2),
                    palette,
                ));
            let inner = block.inner(rect);
            frame.render_widget(Clear, rect);
            frame.render_widget(block, rect);
            frame.render_widget(reason.as_ref(), inner);
        }
        Some(Modal::Participants(roster)) => super::roster::draw_editor(
            frame,
            area,
            &app.state().participants,
            &app.state().notes_per_speaker(),
            None,
            roster,
            &app.keymap.hints(Layer::Participants),
            |at| hms(app.state().offset_seconds(at)),
            palette,
        ),
        Some(Modal::AddTheme(form)) => super::add_theme::draw(frame, area, app, form, palette),
        Some(Modal::Parked { selected }) => {
            super::parked::draw_list(frame, area, app, *selected, palette)
        }
        Some(Modal::Leave) => {
            let count = app.unsynced().len();
            let lines = vec![
                Line::styled(
                    format!("{count} event(s) are NOT SAVED: the disk refused them."),
                    palette.warn(),
                ),
                Line::raw("y: write an emergency copy of the whole journal to a"),
                Line::raw("   temporary folder and leave (the path is printed)"),
                Line::raw("n: leave without a copy (the unsaved events are lost)"),
                Line::raw("Esc: stay; saving is retried every second"),
            ];
            modal_box(frame, area, " Leave? ", lines, palette);
        }
        Some(Modal::Editor(_)) | None => {}
    }
}

fn draw_help(frame: &mut Frame, area: Rect, app: &LiveApp, scroll: &Scroll, palette: &Palette) {
    let mut lines = Vec::new();
    for layer in [Layer::Themes, Layer::Notes, Layer::Live, Layer::Editor] {
        lines.push(Line::styled(layer.title(), palette.heading()));
        for (keys, desc) in app.keymap.help_rows(layer) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<14}"), palette.key()),
                Span::raw(desc.to_string()),
            ]));
        }
    }
    lines.push(Line::styled("In a note", palette.heading()));
    lines.push(Line::raw(
        "  @P3 at the start names the speaker; any #word is a tag:",
    ));
    for (tag, what) in SUGGESTED_TAGS {
        lines.push(Line::from(vec![
            Span::styled(format!("  #{tag:<13}"), palette.tag()),
            Span::raw(*what),
        ]));
    }
    lines.push(Line::styled("Marks", palette.heading()));
    // One mark a row: a legend on one line wraps at 80 columns and the help's last page
    // would be cut.
    lines.extend(
        ThemeMark::ALL
            .iter()
            .map(|m| Line::raw(format!("  {} {}", m.mark(), m.label()))),
    );
    let page = usize::from(area.height.saturating_sub(2)).max(1);
    let skip = scroll.fit(lines.len(), page);
    let more = lines.len() > skip + page;
    let title = if more || skip > 0 {
        " Help: ↓↑ scroll, Esc closes "
    } else {
        " Help: Esc closes "
    };
    modal_box(
        frame,
        area,
        title,
        lines.into_iter().skip(skip).collect(),
        palette,
    );
}

fn draw_end_check(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    let check = end_check(&app.session.guide, app.state());
    let mut lines = Vec::new();
    if check.themes.is_empty() && check.probes.is_empty() {
        lines.push(Line::styled(
            format!(
                "{} Every required theme and probe was addressed.",
                ThemeMark::Covered.mark()
            ),
            palette.ok(),
        ));
    }
    if !check.themes.is_empty() {
        lines.push(Line::styled(
            "Required themes not addressed:",
            palette.warn(),
        ));
        // Each with its own mark: a theme discussed but not covered is not one never started.
        let (guide, state) = (&app.session.guide, app.state());
        lines.extend(state.unaddressed_themes(guide).into_iter().map(|i| {
            Line::raw(format!(
                "  {} {}",
                ThemeMark::of(state, i).mark(),
                guide.themes[i].title
            ))
        }));
    }
    if !check.probes.is_empty() {
        lines.push(Line::styled("Required probes not ticked:", palette.warn()));
        lines.extend(
            check
                .probes
                .iter()
                .map(|(t, p)| Line::raw(format!("  [ ] {p} ({t})"))),
        );
    }
    if !check.followups.is_empty() {
        lines.push(Line::styled(
            "Parked for the end (#followup), not yet asked:",
            palette.warn(),
        ));
        let state = app.state();
        lines.extend(check.followups.iter().map(|n| {
            Line::raw(format!(
                "  {} {}",
                hms(state.offset_seconds(n.at)),
                super::parked::parked_text(n)
            ))
        }));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("y", palette.key()),
        Span::raw(" ends the session · any other key goes back"),
    ]));
    modal_box(frame, area, " End the session? ", lines, palette);
}

/// A bordered box in the middle of `area` sized to its lines, wrapped to fit.
pub(super) fn modal_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    palette: &Palette,
) {
    let max_cols = area.width.saturating_sub(4).max(1);
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    let cols = u16::try_from(widest + 2)
        .unwrap_or(u16::MAX)
        .clamp(20, max_cols);
    let inner_cols = usize::from(cols.saturating_sub(2)).max(1);
    let mut wrapped: Vec<Line> = Vec::new();
    for line in lines {
        if line.width() <= inner_cols {
            wrapped.push(line);
        } else {
            let style = line.spans.first().map(|s| s.style).unwrap_or_default();
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            // Continuation rows line up under the text, past the indent and any `[ ]` box.
            let body = text.trim_start();
            let indent = text.len() - body.len();
            let hang = indent + if body.starts_with("[ ]") { 4 } else { 0 };
            let body_cols = inner_cols.saturating_sub(hang).max(1);
            for (i, row) in wrap(body, body_cols).into_iter().enumerate() {
                let pad = if i == 0 { indent } else { hang };
                wrapped.push(Line::styled(format!("{}{row}", " ".repeat(pad)), style));
            }
        }
    }
    let rows = u16::try_from(wrapped.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = centered(area, cols, rows);
    let block = Block::bordered().title(Line::styled(title.to_string(), palette.heading()));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(wrapped).block(block), rect);
}

pub(super) fn centered(area: Rect, cols: u16, rows: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(rows.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(cols.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}
