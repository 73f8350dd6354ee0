//! The note line and the modal overlays: help, end check, participants, leaving, a second
//! recording mark, moving a note.

use super::super::app::{LiveApp, Modal};
use super::super::keymap::{Action, Layer};
use super::super::scroll::Scroll;
use super::super::theme::Palette;
use super::hint_line;
use crate::model::alerts::end_check;
use crate::model::note_text::SUGGESTED_TAGS;
use crate::model::timefmt::hms;
use crate::model::vocabulary::ThemeMark;
use crate::text::{head_bytes, pad, printable, truncate, width, wrap, wrap_head};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// Rows the note line takes at `cols` columns: one while empty, up to three as text grows.
pub fn note_line_rows(app: &LiveApp, cols: u16) -> u16 {
    if app.note.is_empty() {
        return 1;
    }
    // Wrapped by words as the note line wraps them (a column short, for the cursor at the end),
    // so the start of the note stays in view while it fits in three rows.
    let text_cols = usize::from(cols).saturating_sub(PREFIX_COLS + 1).max(1);
    let text = app.note.text();
    // The editor measures a joined emoji by its parts and breaks rows at words: count its way,
    // with a sixth of a row to spare for the breaks, and take the larger.
    // Never more than three rows are shown: each count stops once past them, so a long paste
    // costs no more to lay out than three rows of it.
    let mut by_chars = 0;
    for c in text.chars() {
        by_chars += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if by_chars > 3 * text_cols {
            break;
        }
    }
    let (rows, more) = wrap_head(&text, text_cols, 3);
    let needed =
        (rows.len() + usize::from(more)).max((by_chars + text_cols / 6 + 1).div_ceil(text_cols));
    u16::try_from(needed.clamp(1, 3)).unwrap_or(3)
}

/// Columns of the note line's prefix: its time and theme.
const PREFIX_COLS: usize = 22;

/// The row above the warning bar: the note being typed, else how to write one and the drafts.
pub fn draw_note_line(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    let state = app.state();
    if app.note.is_empty() {
        let mut spans = Vec::new();
        if let Some(last) = state.drafts.last() {
            spans.push(Span::styled(
                format!(
                    "{} draft{} kept, {} brings back '{}' · ",
                    state.drafts.len(),
                    if state.drafts.len() == 1 { "" } else { "s" },
                    app.keymap.key_for(Layer::Live, Action::ResumeDraft),
                    truncate(&printable(head_bytes(&last.text, 256)), 16)
                ),
                palette.warn(),
            ));
        }
        spans.push(Span::styled(
            format!(
                "Type to write a note · {} speaker · #quote #nonverbal #followup #nt",
                folded_keys(app, Action::Speaker(1), Action::Speaker(9))
            ),
            palette.dim(),
        ));
        let line = super::clip_spans(spans, usize::from(area.width));
        super::put_lines(frame, area, &[line]);
        return;
    }
    let at = app
        .note
        .noted_at
        .map(|at| hms(state.offset_seconds(at)))
        .unwrap_or_default();
    let what = match &app.note.editing {
        Some(id) => format!("edit {id}"),
        None => app.note.theme.clone().unwrap_or_else(|| "no theme".into()),
    };
    let flagged = app
        .note
        .speaker()
        .filter(|s| app.is_unknown_speaker(s))
        .map(|s| format!("{s}? "))
        .unwrap_or_default();
    let prefix = pad(
        &truncate(&format!("{at} {what} {flagged}"), PREFIX_COLS - 2),
        PREFIX_COLS - 2,
    );
    let [head, body] = Layout::horizontal([
        Constraint::Length(u16::try_from(PREFIX_COLS).unwrap_or(22)),
        Constraint::Min(1),
    ])
    .areas(area);
    let style = if flagged.is_empty() {
        palette.key()
    } else {
        palette.warn()
    };
    super::put_lines(
        frame,
        head,
        &[Line::from(vec![
            Span::styled(prefix, style),
            Span::styled("▸ ", palette.key()),
        ])],
    );
    frame.render_widget(&app.note.textarea, body);
}

/// `Alt-1..Alt-9`: the first and last key of a run of numbered actions.
fn folded_keys(app: &LiveApp, first: Action, last: Action) -> String {
    format!(
        "{}..{}",
        app.keymap.key_for(Layer::Live, first),
        app.keymap.key_for(Layer::Live, last)
    )
}

/// The top modal, drawn over the screen.
pub fn draw_modal(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    match app.modals.last() {
        Some(Modal::Help { scroll }) => draw_help(frame, area, app, scroll, palette),
        Some(Modal::EndCheck) => draw_end_check(frame, area, app, palette),
        Some(Modal::Participants(roster)) => super::roster::draw_editor(
            frame,
            area,
            &app.state().participants,
            &app.state().notes_per_speaker(),
            None,
            roster,
            &app.keymap.hints(&[Layer::Participants]),
            |at| hms(app.state().offset_seconds(at)),
            palette,
        ),
        Some(Modal::AddTheme(form)) => super::add_theme::draw(frame, area, app, form, palette),
        Some(Modal::Parked { selected }) => {
            super::parked::draw_list(frame, area, app, *selected, palette)
        }
        Some(Modal::Leave) => draw_leave(frame, area, app, palette),
        Some(Modal::RecordingCheck) => {
            let state = app.state();
            let mark = state
                .recording_started_at
                .map(|at| hms((at - state.started_at).num_seconds()))
                .unwrap_or_default();
            let lines = vec![
                Line::raw(format!(
                    "A recording mark is already set, {mark} into the session."
                )),
                Line::raw("A new mark makes every export offset count from now:"),
                Line::raw("do it only if the recording was restarted."),
                Line::raw(""),
                hint_line(&app.keymap.hints(&[Layer::RecordingCheck]), 60, palette),
            ];
            modal_box(frame, area, " A second recording mark? ", lines, palette);
        }
        Some(Modal::MoveNote { id, theme, at }) => {
            draw_move(frame, area, app, id, *theme, *at, palette)
        }
        None => {}
    }
}

fn draw_leave(frame: &mut Frame, area: Rect, app: &LiveApp, palette: &Palette) {
    let count = app.unsynced().len();
    let mut lines = Vec::new();
    if count > 0 {
        lines.push(Line::styled(
            format!("{count} event(s) are NOT SAVED: the disk refused them."),
            palette.warn(),
        ));
        lines.push(Line::raw(
            "Leaving writes an emergency copy of the whole journal to a temporary folder and prints its path.",
        ));
    } else {
        lines.push(Line::raw(
            "Everything is saved. The session stays open to resume: topicguide resume.",
        ));
    }
    if !app.note.is_empty() && app.note.editing.is_none() {
        lines.push(Line::raw(
            "The note being typed is kept as a draft and comes back on resume.",
        ));
    }
    lines.push(Line::raw(""));
    lines.push(hint_line(&app.keymap.hints(&[Layer::Leave]), 60, palette));
    modal_box(frame, area, " Leave the session? ", lines, palette);
}

fn draw_move(
    frame: &mut Frame,
    area: Rect,
    app: &LiveApp,
    id: &str,
    theme: Option<usize>,
    at: chrono::DateTime<chrono::Utc>,
    palette: &Palette,
) {
    let state = app.state();
    let guide = &app.session.guide;
    let note = state.notes.iter().find(|n| n.id == id);
    let mut lines = vec![Line::raw(truncate(
        &format!(
            "{id} at {}: {}",
            hms(state.offset_seconds(at)),
            note.map(|n| printable(&n.raw)).unwrap_or_default()
        ),
        70,
    ))];
    lines.push(Line::raw(""));
    let selected_style = palette.selected();
    lines.push(Line::styled(
        "  (no theme)",
        if theme.is_none() {
            selected_style
        } else {
            palette.plain()
        },
    ));
    // Keep the chosen theme in view in a long guide.
    let rows = usize::from(area.height.saturating_sub(9)).max(3);
    let first = theme.map_or(0, |t| t.saturating_sub(rows / 2));
    for (i, t) in guide.themes.iter().enumerate().skip(first).take(rows) {
        let mark = ThemeMark::of(state, i).mark();
        let style = if theme == Some(i) {
            selected_style
        } else {
            palette.plain()
        };
        lines.push(Line::styled(
            format!("  {mark} {}", truncate(&t.title, 60)),
            style,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(hint_line(
        &app.keymap.hints(&[Layer::MoveNote]),
        70,
        palette,
    ));
    modal_box(frame, area, " File the note under ", lines, palette);
}

fn draw_help(frame: &mut Frame, area: Rect, app: &LiveApp, scroll: &Scroll, palette: &Palette) {
    let mut lines = Vec::new();
    lines.push(Line::raw(
        "  Every printable character goes into the note line; commands are on these keys.",
    ));
    // Wrapped here rather than by the box, so that scrolling counts the rows it shows.
    let inner = usize::from(area.width.saturating_sub(6)).max(20);
    let key_cols = 16;
    for layer in [Layer::Live, Layer::NoteLine, Layer::Notes] {
        lines.push(Line::styled(layer.title(), palette.heading()));
        for (keys, desc) in app.keymap.help_rows(layer) {
            let keys = format!("  {keys:<14}");
            let desc_cols = inner.saturating_sub(width(&keys).max(key_cols)).max(10);
            for (i, row) in wrap(desc, desc_cols).into_iter().enumerate() {
                let lead = if i == 0 {
                    Span::styled(keys.clone(), palette.key())
                } else {
                    Span::raw(" ".repeat(width(&keys)))
                };
                lines.push(Line::from(vec![lead, Span::raw(row)]));
            }
        }
    }
    lines.push(Line::styled("In a note", palette.heading()));
    lines.push(Line::raw(
        "  @P3 at the start (or a speaker key) names the speaker; any #word is a tag:",
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
    let lines = fit_lines(lines, inner);
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
    if !app.note.is_empty() && app.note.editing.is_none() {
        lines.push(Line::raw("The note being typed is kept as a draft."));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(
            app.keymap
                .keys_of(Layer::EndCheck, Action::Confirm)
                .join(" or "),
            palette.key(),
        ),
        Span::raw(" ends the session (topicguide resume --reopen can reopen it) · "),
        Span::styled("Esc", palette.key()),
        Span::raw(" goes back"),
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
    let wrapped = fit_lines(lines, inner_cols);
    let rows = u16::try_from(wrapped.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = centered(area, cols, rows);
    let block = Block::bordered().title(Line::styled(title.to_string(), palette.heading()));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(wrapped).block(block), rect);
}

/// Lines wrapped to `inner_cols`; continuation rows line up under the text, past the indent and
/// any `[ ]` box.
fn fit_lines(lines: Vec<Line<'static>>, inner_cols: usize) -> Vec<Line<'static>> {
    let mut wrapped: Vec<Line> = Vec::new();
    for line in lines {
        if line.width() <= inner_cols {
            wrapped.push(line);
        } else {
            let style = line.spans.first().map(|s| s.style).unwrap_or_default();
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
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
    wrapped
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
