//! `topicguide start` and `topicguide resume`: from the command line to the live screen.

use super::args::StartArgs;
use crate::app::clock::now;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::resume::{count_break, uncounted_break};
use crate::library::{GuideSource, find_guide};
use crate::model::event::{Event, Record, SessionMeta};
use crate::model::guide::{Guide, SessionKind};
use crate::model::participants::INTERVIEWEE;
use crate::model::participants::parse_participants;
use crate::model::session::Session;
use crate::model::timefmt::{clock, hms};
use crate::storage::private_names::{names_path, save_real_names};
use crate::storage::session_store::{
    create_session, reopen_session_with, resolve_session, session_id_base,
};
use crate::storage::summaries::most_recent_session;
use crate::text::clean_single_line;
use crate::ui::home::{HomeChoice, run_home};
use crate::ui::keymap::Keymap;
use crate::ui::live::{LiveOptions, run_live};
use crate::ui::setup::{SetupOutcome, SetupResult, run_setup};
use crate::ui::terminal::is_interactive;
use crate::ui::theme::Palette;
use chrono::Local;

fn need_terminal() -> Result<(), AppError> {
    if is_interactive() {
        Ok(())
    } else {
        Err(AppError::User(
            "the live screen needs a terminal: run topicguide from an interactive shell".into(),
        ))
    }
}

/// The session's set-up from the options, the rest from the guide's defaults.
pub fn meta_from_args(
    args: &StartArgs,
    source: &GuideSource,
    guide: &Guide,
    bell_default: bool,
) -> Result<SessionMeta, AppError> {
    let participants = match &args.participants {
        Some(p) => {
            parse_participants(p).map_err(|e| AppError::User(format!("--participants: {e}")))?
        }
        // One interviewee, so the speaker keys and the notes have someone to name.
        None if args.kind.unwrap_or(guide.kind) == SessionKind::Interview => {
            vec![INTERVIEWEE.to_string()]
        }
        None => Vec::new(),
    };
    let label = args
        .label
        .as_deref()
        .map(clean_single_line)
        .unwrap_or_default();
    if args.label.is_some() && label.is_empty() {
        return Err(AppError::User("--label is empty".into()));
    }
    let researcher = match args.researcher.as_deref().map(clean_single_line) {
        Some(name) if name.is_empty() => {
            return Err(AppError::User("--researcher is empty".into()));
        }
        given => given,
    };
    Ok(SessionMeta {
        kind: args.kind.unwrap_or(guide.kind),
        mode: args.mode.unwrap_or(guide.mode),
        site: args
            .site
            .as_deref()
            .map(clean_single_line)
            .filter(|s| !s.is_empty()),
        participants,
        planned_minutes: args.minutes.unwrap_or(guide.duration_minutes),
        consent: args.consent,
        bell: !args.no_bell && bell_default,
        guide_source: source.origin.describe(),
        researcher,
        machine: machine_name(),
        ..SessionMeta::for_guide(guide, &label)
    })
}

/// This computer's name as the system gives it, for telling apart the laptops a study's
/// sessions were recorded on; None when the system has no usable name.
fn machine_name() -> Option<String> {
    let name = clean_single_line(&gethostname::gethostname().to_string_lossy());
    (!name.is_empty()).then_some(name)
}

/// `topicguide start`.
pub fn start(ctx: &Context, args: &StartArgs) -> Result<(), AppError> {
    let user_dir = ctx.user_guides_dir();
    let source = match args.guide.as_ref().or(ctx.config.default_guide.as_ref()) {
        Some(name) => find_guide(name, user_dir.as_deref()).map_err(AppError::User)?,
        None => {
            need_terminal()?;
            match run_home(ctx, true)? {
                HomeChoice::Guide(source) => source,
                HomeChoice::Resume(_) | HomeChoice::Quit => return Ok(()),
            }
        }
    };
    start_with(ctx, args, source)
}

/// `start` once the guide is known: the set-up form unless `--label` was given, then the session.
pub fn start_with(ctx: &Context, args: &StartArgs, source: GuideSource) -> Result<(), AppError> {
    let guide = source.load().map_err(AppError::User)?;
    let mut meta = meta_from_args(args, &source, &guide, ctx.config.bell.unwrap_or(true))?;
    meta.warn_before_end_minutes = ctx.config.warn_before_end_minutes;
    meta.final_warning_minutes = ctx.config.final_warning_minutes;
    if meta.researcher.is_none() {
        meta.researcher = ctx.config.researcher.as_deref().map(clean_single_line);
    }
    need_terminal()?;
    let set_up = if args.label.is_some() {
        SetupResult {
            meta,
            roster: Vec::new(),
            real_names: Vec::new(),
        }
    } else {
        match run_setup(
            &guide,
            meta,
            Keymap::for_config(&ctx.config),
            Palette::for_config(&ctx.config),
        )? {
            SetupOutcome::Begin(set_up) => *set_up,
            SetupOutcome::Cancelled => return Ok(()),
        }
    };
    begin(ctx, &source, guide, set_up)
}

/// Creates the session on disk and opens the live screen on it.
pub fn begin(
    ctx: &Context,
    source: &GuideSource,
    guide: Guide,
    set_up: SetupResult,
) -> Result<(), AppError> {
    let started = now();
    let id_base = session_id_base(started.with_timezone(&Local), &set_up.meta.label);
    // The start, then the seating plan typed at set-up, all at the start's moment.
    let records = std::iter::once(Event::Started(set_up.meta))
        .chain(set_up.roster)
        .enumerate()
        .map(|(i, event)| Record {
            seq: i as u64 + 1,
            at: started,
            event,
        })
        .collect();
    let session =
        Session::from_records(guide, records).map_err(|e| AppError::Unexpected(e.to_string()))?;
    let data_dir = ctx.data_dir()?;
    let open = create_session(data_dir, &id_base, &source.text, session)?;
    save_real_names(data_dir, &open.id, &set_up.real_names).map_err(|e| {
        AppError::Unexpected(format!(
            "cannot keep the real names apart in {}: {e}",
            names_path(data_dir, &open.id).display()
        ))
    })?;
    run_live(
        open,
        Keymap::for_config(&ctx.config),
        Palette::for_config(&ctx.config),
        live_options(ctx, None),
    )
}

/// `topicguide resume [SESSION] [--reopen]`.
pub fn resume(ctx: &Context, session: Option<&str>, reopen: bool) -> Result<(), AppError> {
    let dir = match session {
        Some(arg) => resolve_session(ctx.data_dir()?, arg)?,
        None => most_recent_session(ctx.data_dir()?, ctx.cache_dir.as_deref(), reopen)?,
    };
    need_terminal()?;
    resume_dir(ctx, &dir, reopen)
}

/// Reopens the session in `dir` (an ended one only with `reopen`) and runs the live screen with
/// a summary of what was restored.
pub fn resume_dir(ctx: &Context, dir: &std::path::Path, reopen: bool) -> Result<(), AppError> {
    let mut open = reopen_session_with(dir, now(), reopen)?;
    if open.session.state().is_ended() {
        return Err(AppError::User(format!(
            "session {} has ended; topicguide resume {} --reopen reopens it (or export it: topicguide export {} --format md)",
            open.id, open.id, open.id
        )));
    }
    // From now on the clock never reads before the session's last record.
    crate::app::clock::not_before(open.session.state().last_record_at);
    let at = now();
    // The record before the Reopened one is the last thing that happened before the break.
    let records = open.session.records();
    let gap = records.len().checked_sub(2).map(|i| at - records[i].at);
    let mut counted = None;
    if let Some(gap) = uncounted_break(&open) {
        let kept_going = ask_room_kept_going(gap, &open)?;
        if kept_going {
            count_break(&mut open)?;
        }
        counted = Some(kept_going);
    }
    let state = open.session.state();
    let mut welcome = format!(
        "Restored: {} note{}, {}/{} covered, clock {}",
        state.notes.len(),
        if state.notes.len() == 1 { "" } else { "s" },
        state.covered_count(),
        open.session.guide.themes.len(),
        clock(state.elapsed(at)),
    );
    if let Some(gap) = gap {
        welcome.push_str(&format!(
            ", {} since the last action{}",
            hms(gap.num_seconds()),
            match counted {
                Some(true) => " (counted: the room kept going)",
                Some(false) => " (not counted)",
                None => "",
            }
        ));
    }
    if let Some(newer) = crate::app::notices::newer_records(&state.newer_records) {
        welcome.push_str(&format!("; {newer}"));
    }
    if let Some((path, tail)) = &open.torn_kept_at {
        welcome.push_str(&format!(
            "; {} was kept in {}",
            tail.describe(),
            path.display()
        ));
    }
    run_live(
        open,
        Keymap::for_config(&ctx.config),
        Palette::for_config(&ctx.config),
        live_options(ctx, Some(welcome)),
    )
}

fn live_options(ctx: &Context, welcome: Option<String>) -> LiveOptions {
    LiveOptions {
        welcome,
        mouse: ctx.config.mouse,
        reaction_lead_seconds: ctx.config.reaction_lead_seconds,
    }
}

/// Asks on the terminal, before the live screen takes it over, whether the room kept going
/// through a long break. Anything but yes leaves the break out.
fn ask_room_kept_going(
    gap: chrono::Duration,
    open: &crate::storage::session_store::OpenSession,
) -> Result<bool, AppError> {
    use std::io::{BufRead, Write};
    let state = open.session.state();
    let theme = state
        .current
        .and_then(|i| open.session.guide.themes.get(i))
        .map(|t| format!(" and to \"{}\"", t.title))
        .unwrap_or_default();
    let question = format!(
        "{}: topicguide was closed for {}. Did the session go on meanwhile (count that time to the session{theme})? [y/N] ",
        open.id,
        hms(gap.num_seconds())
    );
    let mut out = crate::text::terminal::TerminalWriter::new(std::io::stdout().lock());
    write!(out, "{question}")
        .and_then(|()| out.flush())
        .map_err(AppError::output)?;
    drop(out);
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| AppError::Unexpected(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
