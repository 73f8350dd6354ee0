//! The set-up form shown by `topicguide start` without `--label`: label, kind, mode, site,
//! participants and their seating plan, planned minutes, consent and bell, prefilled from the
//! guide. It warns when a participant id looks like a real name.

use super::keymap::{Action, Keymap, Layer};
use super::roster::{RosterEditor, RosterOutcome, next_pseudonym};
use super::runner::{self, Screen};
use super::theme::Palette;
use super::view::hint_line;
use crate::app::error::AppError;
use crate::model::event::{Event, SessionMeta};
use crate::model::guide::{Guide, MAX_MINUTES, SessionKind, SessionMode};
use crate::model::participants::{looks_like_real_name, parse_participants};
use crate::model::session::Participant;
use crate::text::clean_single_line;
use crate::text::truncate;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui_textarea::TextArea;

/// What the form ended with.
#[derive(Debug)]
pub enum SetupOutcome {
    Begin(Box<SetupResult>),
    Cancelled,
}

/// A session as set up: its start, its seating plan as events to journal after the start, and
/// the real names typed, if any, to keep apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupResult {
    pub meta: SessionMeta,
    pub roster: Vec<Event>,
    pub real_names: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Label,
    Kind,
    Mode,
    Site,
    Participants,
    SeatingPlan,
    Minutes,
    Consent,
    Bell,
}

const FIELDS: [Field; 9] = [
    Field::Label,
    Field::Kind,
    Field::Mode,
    Field::Site,
    Field::Participants,
    Field::SeatingPlan,
    Field::Minutes,
    Field::Consent,
    Field::Bell,
];

impl Field {
    fn label(self) -> &'static str {
        match self {
            Field::Label => "Label",
            Field::Kind => "Kind",
            Field::Mode => "Mode",
            Field::Site => "Site code",
            Field::Participants => "Participants",
            Field::SeatingPlan => "Seating plan",
            Field::Minutes => "Planned minutes",
            Field::Consent => "Consent to record audio",
            Field::Bell => "Bell on warnings",
        }
    }

    fn is_text(self) -> bool {
        matches!(
            self,
            Field::Label | Field::Site | Field::Participants | Field::Minutes
        )
    }
}

/// The form's state.
pub struct SetupForm {
    guide_title: String,
    meta: SessionMeta,
    texts: [TextArea<'static>; 4],
    focus: usize,
    error: Option<String>,
    /// The seating plan as typed so far, one entry per participant listed.
    roster: Vec<Participant>,
    real_names: Vec<(String, String)>,
    /// The seating plan editor, while it is open.
    seating: Option<RosterEditor>,
    keymap: Keymap,
    palette: Palette,
    outcome: Option<SetupOutcome>,
}

fn text_field(value: &str, placeholder: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![value.to_string()]);
    t.set_placeholder_text(placeholder.to_string());
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t
}

impl SetupForm {
    pub fn new(guide: &Guide, meta: SessionMeta, keymap: Keymap, palette: Palette) -> Self {
        let texts = [
            text_field(&meta.label, "e.g. Cardiac rehab group 1"),
            text_field(meta.site.as_deref().unwrap_or(""), "e.g. CR (optional)"),
            text_field(
                &meta.participants.join(","),
                "a number (6) or names (P1,P2,P3)",
            ),
            text_field(&meta.planned_minutes.to_string(), "minutes"),
        ];
        SetupForm {
            guide_title: guide.title.clone(),
            meta,
            texts,
            focus: 0,
            error: None,
            roster: Vec::new(),
            real_names: Vec::new(),
            seating: None,
            keymap,
            palette,
            outcome: None,
        }
    }

    fn text_index(field: Field) -> Option<usize> {
        match field {
            Field::Label => Some(0),
            Field::Site => Some(1),
            Field::Participants => Some(2),
            Field::Minutes => Some(3),
            _ => None,
        }
    }

    fn text(&self, field: Field) -> String {
        Self::text_index(field)
            .map(|i| clean_single_line(&self.texts[i].lines().join(" ")))
            .unwrap_or_default()
    }

    fn change(&mut self, field: Field) {
        match field {
            Field::Kind => {
                self.meta.kind = match self.meta.kind {
                    SessionKind::FocusGroup => SessionKind::Interview,
                    SessionKind::Interview => SessionKind::FocusGroup,
                }
            }
            Field::Mode => {
                let all = SessionMode::ALL;
                let i = all.iter().position(|m| *m == self.meta.mode).unwrap_or(0);
                self.meta.mode = all[(i + 1) % all.len()];
            }
            Field::Consent => self.meta.consent = !self.meta.consent,
            Field::Bell => self.meta.bell = !self.meta.bell,
            _ => {}
        }
    }

    /// The meta the form describes, or what is wrong with it and at which field.
    fn validated(&self) -> Result<SessionMeta, (usize, String)> {
        let at = |field: Field| FIELDS.iter().position(|f| *f == field).unwrap_or(0);
        let mut meta = self.meta.clone();
        meta.label = self.text(Field::Label);
        if meta.label.is_empty() {
            return Err((at(Field::Label), "give the session a label".into()));
        }
        let site = self.text(Field::Site);
        meta.site = (!site.is_empty()).then_some(site);
        meta.participants = parse_participants(&self.text(Field::Participants))
            .map_err(|e| (at(Field::Participants), e))?;
        meta.planned_minutes = match self.text(Field::Minutes).parse::<u32>() {
            Ok(m) if (1..=MAX_MINUTES).contains(&i64::from(m)) => m,
            _ => {
                return Err((
                    at(Field::Minutes),
                    format!("planned minutes: a whole number from 1 to {MAX_MINUTES}"),
                ));
            }
        };
        Ok(meta)
    }

    /// Participant ids that read as real names, for the warning under the form.
    fn real_name_warning(&self) -> Option<String> {
        let names = parse_participants(&self.text(Field::Participants)).ok()?;
        let suspect: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| looks_like_real_name(n))
            .collect();
        (!suspect.is_empty()).then(|| {
            format!(
                "{} {}: ids go into every export; use pseudonyms (P1, P2...) and type real names in the seating plan, where they are kept apart",
                suspect.join(", "),
                if suspect.len() == 1 {
                    "looks like a real name"
                } else {
                    "look like real names"
                }
            )
        })
    }

    /// The seating plan brought in line with the participants listed: entries kept by name,
    /// new names added, names taken out of the list dropped.
    fn sync_roster(&mut self) {
        let names = parse_participants(&self.text(Field::Participants)).unwrap_or_default();
        let old = std::mem::take(&mut self.roster);
        self.roster = names
            .iter()
            .map(|name| {
                old.iter()
                    .find(|p| p.name == *name)
                    .cloned()
                    .unwrap_or(Participant {
                        name: name.clone(),
                        ..Participant::default()
                    })
            })
            .collect();
        self.real_names.retain(|(p, _)| names.contains(p));
    }

    /// The seating plan as events to journal after the start.
    fn roster_events(&self) -> Vec<Event> {
        let mut events = Vec::new();
        for p in &self.roster {
            if p.seat.is_some() || p.descriptor.is_some() {
                events.push(Event::ParticipantDescribed {
                    participant: p.name.clone(),
                    seat: p.seat.clone(),
                    descriptor: p.descriptor.clone(),
                });
            }
            if let Some(consent) = p.consent {
                events.push(Event::ParticipantConsent {
                    participant: p.name.clone(),
                    consent,
                });
            }
        }
        events
    }

    /// One key while the seating plan editor is open.
    fn seating_key(&mut self, key: KeyEvent) {
        let Some(editor) = self.seating.as_mut() else {
            return;
        };
        let Some(action) = self.keymap.action(Layer::Participants, &key) else {
            editor.on_text_key(key, &self.roster);
            return;
        };
        match editor.on_action(action, &self.roster, &next_pseudonym(&self.roster)) {
            RosterOutcome::Nothing => {}
            RosterOutcome::Close => self.seating = None,
            RosterOutcome::RealName { participant, name } => {
                self.real_names.retain(|(p, _)| *p != participant);
                self.real_names.push((participant, name));
            }
            RosterOutcome::Record(Event::ParticipantDescribed {
                participant,
                seat,
                descriptor,
            }) => {
                if let Some(p) = self.roster.iter_mut().find(|p| p.name == participant) {
                    p.seat = seat;
                    p.descriptor = descriptor;
                }
            }
            RosterOutcome::Record(Event::ParticipantConsent {
                participant,
                consent,
            }) => {
                if let Some(p) = self.roster.iter_mut().find(|p| p.name == participant) {
                    p.consent = Some(consent);
                }
            }
            RosterOutcome::Record(Event::ParticipantArrived { participant })
                if action == Action::AddParticipant =>
            {
                // At set-up a new participant is one more on the list.
                let mut list = self.text(Field::Participants);
                if parse_participants(&list).is_ok_and(|l| l.is_empty()) {
                    list.clear();
                } else if list.parse::<usize>().is_ok() {
                    list = parse_participants(&list).unwrap_or_default().join(",");
                }
                if !list.is_empty() {
                    list.push(',');
                }
                list.push_str(&participant);
                if let Some(i) = Self::text_index(Field::Participants) {
                    self.texts[i] = text_field(&list, "a number (6) or names (P1,P2,P3)");
                }
                self.sync_roster();
            }
            // Arrivals and leavers are recorded live, once the session runs.
            RosterOutcome::Record(_) => {}
        }
    }

    fn seating_summary(&self) -> String {
        let listed = parse_participants(&self.text(Field::Participants))
            .map(|l| l.len())
            .unwrap_or(0);
        let described = self
            .roster
            .iter()
            .filter(|p| p.seat.is_some() || p.descriptor.is_some())
            .count();
        let consents = self
            .roster
            .iter()
            .filter(|p| p.consent == Some(true))
            .count();
        format!("{described} of {listed} seated, {consents} consented  (Space opens)")
    }
}

impl Screen for SetupForm {
    fn draw(&self, frame: &mut Frame, _now: DateTime<Utc>) {
        let area = frame.area();
        let p = &self.palette;
        let [rect] = Layout::horizontal([Constraint::Length(area.width.min(76))])
            .flex(Flex::Center)
            .areas(area);
        let [rect] = Layout::vertical([Constraint::Length(area.height.min(16))])
            .flex(Flex::Center)
            .areas(rect);
        let block = Block::bordered().title(Line::styled(
            truncate(
                &format!(" New session: {} ", self.guide_title),
                usize::from(rect.width).saturating_sub(4),
            ),
            p.heading(),
        ));
        let inner = block.inner(rect);
        frame.render_widget(Clear, rect);
        frame.render_widget(block, rect);
        let label_cols = 25u16;
        for (i, field) in FIELDS.iter().enumerate() {
            let Ok(row) = u16::try_from(i) else { continue };
            if row >= inner.height {
                break;
            }
            let y = inner.y + row;
            let focused = i == self.focus;
            let label_style = if focused { p.key() } else { p.plain() };
            let label = Paragraph::new(Line::styled(format!("{:<24}", field.label()), label_style));
            frame.render_widget(
                label,
                ratatui::layout::Rect {
                    x: inner.x,
                    y,
                    width: label_cols.min(inner.width),
                    height: 1,
                },
            );
            let value_area = ratatui::layout::Rect {
                x: inner.x + label_cols.min(inner.width),
                y,
                width: inner.width.saturating_sub(label_cols),
                height: 1,
            };
            match Self::text_index(*field) {
                Some(t) => {
                    let mut textarea = self.texts[t].clone();
                    textarea.set_cursor_line_style(if focused { p.selected() } else { p.plain() });
                    if !focused {
                        textarea.set_cursor_style(p.plain());
                    }
                    frame.render_widget(&textarea, value_area);
                }
                None => {
                    let value = match field {
                        Field::Kind => self.meta.kind.to_string(),
                        Field::Mode => self.meta.mode.to_string(),
                        Field::Consent => if self.meta.consent {
                            "[x] yes"
                        } else {
                            "[ ] no"
                        }
                        .to_string(),
                        Field::Bell => {
                            if self.meta.bell { "[x] on" } else { "[ ] off" }.to_string()
                        }
                        Field::SeatingPlan => self.seating_summary(),
                        _ => String::new(),
                    };
                    let style = if focused { p.selected() } else { p.plain() };
                    let how = if *field == Field::SeatingPlan {
                        ""
                    } else {
                        "  (Space changes)"
                    };
                    let line =
                        Line::from(vec![Span::styled(value, style), Span::styled(how, p.dim())]);
                    frame.render_widget(Paragraph::new(line), value_area);
                }
            }
        }
        let bottom = inner.y + inner.height.saturating_sub(2);
        if let Some(warning) = self.real_name_warning() {
            // Two rows above the error row, wrapped: the advice is the point.
            let rows: Vec<Line> = crate::text::wrap(&warning, usize::from(inner.width))
                .into_iter()
                .take(2)
                .map(|row| Line::styled(row, p.warn()))
                .collect();
            frame.render_widget(
                Paragraph::new(rows),
                ratatui::layout::Rect {
                    x: inner.x,
                    y: bottom.saturating_sub(2),
                    width: inner.width,
                    height: 2,
                },
            );
        }
        if let Some(error) = &self.error {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    truncate(error, usize::from(inner.width)),
                    p.warn(),
                )),
                ratatui::layout::Rect {
                    x: inner.x,
                    y: bottom,
                    width: inner.width,
                    height: 1,
                },
            );
        }
        frame.render_widget(
            Paragraph::new(hint_line(
                &self.keymap.hints(&[Layer::Setup]),
                usize::from(inner.width),
                p,
            )),
            ratatui::layout::Rect {
                x: inner.x,
                y: bottom + 1,
                width: inner.width,
                height: 1,
            },
        );
        if let Some(editor) = &self.seating {
            // Arrivals and leavers are for the live screen.
            let mut hints = self.keymap.hints(&[Layer::Participants]);
            hints.retain(|(_, hint)| !matches!(*hint, "arrived" | "left"));
            super::view::roster::draw_editor(
                frame,
                area,
                &self.roster,
                &[],
                Some(&self.real_names),
                editor,
                &hints,
                |_| String::new(),
                p,
            );
        }
    }

    fn on_key(&mut self, key: KeyEvent, now: DateTime<Utc>) {
        self.form_key(key, now);
        // An error goes once it is mended (or says what is wrong now).
        if self.error.is_some() {
            self.error = self.validated().err().map(|(_, message)| message);
        }
    }

    fn on_paste(&mut self, text: &str, _now: DateTime<Utc>) {
        if let Some(editor) = self.seating.as_mut() {
            editor.on_paste(text, &self.roster);
            return;
        }
        if let Some(i) = Self::text_index(FIELDS[self.focus]) {
            self.texts[i].insert_str(clean_single_line(text));
        }
    }

    fn done(&self) -> bool {
        self.outcome.is_some()
    }
}

impl SetupForm {
    fn form_key(&mut self, key: KeyEvent, _now: DateTime<Utc>) {
        if self.seating.is_some() {
            self.seating_key(key);
            return;
        }
        let field = FIELDS[self.focus];
        let action = self.keymap.action(Layer::Setup, &key);
        let typing = field.is_text() && matches!(action, None | Some(Action::ChangeValue));
        if typing {
            if let Some(i) = Self::text_index(field) {
                self.texts[i].input(key);
            }
            return;
        }
        match action {
            Some(Action::NextField) => self.focus = (self.focus + 1) % FIELDS.len(),
            Some(Action::PrevField) => self.focus = (self.focus + FIELDS.len() - 1) % FIELDS.len(),
            // Space opens the plan, as it changes the other choices; Enter always begins.
            Some(Action::ChangeValue) if field == Field::SeatingPlan => {
                self.sync_roster();
                self.seating = Some(RosterEditor::new(true));
            }
            Some(Action::ChangeValue) => self.change(field),
            Some(Action::Confirm) => match self.validated() {
                Ok(meta) => {
                    self.sync_roster();
                    self.outcome = Some(SetupOutcome::Begin(Box::new(SetupResult {
                        meta,
                        roster: self.roster_events(),
                        real_names: self.real_names.clone(),
                    })))
                }
                Err((at, message)) => {
                    self.focus = at;
                    self.error = Some(message);
                }
            },
            Some(Action::Cancel) => self.outcome = Some(SetupOutcome::Cancelled),
            _ => {}
        }
    }
}

/// Shows the form until the session is begun or the form cancelled.
pub fn run_setup(
    guide: &Guide,
    meta: SessionMeta,
    keymap: Keymap,
    palette: Palette,
) -> Result<SetupOutcome, AppError> {
    let mut form = SetupForm::new(guide, meta, keymap, palette);
    runner::run_screen(&mut form, false)?;
    Ok(form.outcome.unwrap_or(SetupOutcome::Cancelled))
}
