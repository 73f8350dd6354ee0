//! The command line: parse, run one command, turn failures into one line and an exit code.

pub mod agree_cmd;
pub mod args;
pub mod export_cmd;
pub mod guide_cmd;
pub mod import_cmd;
pub mod keys_cmd;
pub mod list_cmd;
pub mod output;
pub mod restore_cmd;
pub mod review_cmd;
pub mod start_cmd;
pub mod transcript_cmd;

use crate::app::context::Context;
use crate::app::error::AppError;
use args::{Cli, Command, GuideCommand};
use clap::Parser;
use std::process::ExitCode;

/// Runs topicguide with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_failure(&e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(AppError::OutputClosed) => ExitCode::SUCCESS,
        Err(AppError::Problems(lines)) => {
            crate::text::terminal::eprint_line(&lines);
            ExitCode::from(1)
        }
        Err(e) => {
            crate::text::terminal::eprint_line(&format!("topicguide: {e}"));
            e.exit_code()
        }
    }
}

/// Help and version go to stdout with success; a usage error is one line on stderr, exit 1.
fn clap_failure(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            crate::text::terminal::eprint_line(
                "topicguide: a subcommand is needed here (see topicguide --help)",
            );
            ExitCode::from(1)
        }
        _ => {
            // clap echoes the bad argument: it passes the boundary like any data.
            crate::text::terminal::eprint_line(&format!(
                "topicguide: {} (see topicguide --help)",
                one_line(&e.render().to_string())
            ));
            ExitCode::from(1)
        }
    }
}

/// clap's message on one line: its first paragraph, without the usage and the hint after it.
fn one_line(rendered: &str) -> String {
    let words: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .flat_map(str::split_whitespace)
        .collect();
    let text = words.join(" ");
    text.strip_prefix("error: ")
        .unwrap_or(&text)
        .trim_end_matches(':')
        .to_string()
}

fn run(cli: Cli) -> Result<(), AppError> {
    let ctx = Context::new(cli.data_dir.as_deref(), cli.config.as_deref())?;
    // The one way to stdout: every command's text passes the terminal boundary here.
    let mut stdout = crate::text::terminal::TerminalWriter::new(std::io::stdout().lock());
    match cli.command {
        None => {
            drop(stdout);
            home(&ctx)
        }
        Some(Command::Start(args)) => {
            drop(stdout);
            start_cmd::start(&ctx, &args)
        }
        Some(Command::Resume { session, reopen }) => {
            drop(stdout);
            start_cmd::resume(&ctx, session.as_deref(), reopen)
        }
        Some(Command::Keys { format }) => keys_cmd::run(&ctx, format, &mut stdout),
        Some(Command::List { json }) => list_cmd::run(&ctx, json, &mut stdout),
        Some(Command::Restore { file, session }) => {
            restore_cmd::run(&ctx, &file, session.as_deref(), &mut stdout)
        }
        Some(Command::Export {
            session,
            format,
            output,
            audio,
            recipient,
            recipients_file,
        }) => {
            drop(stdout);
            let sealing = export_cmd::Sealing {
                recipients: recipient,
                recipients_file,
            };
            export_cmd::run(
                &ctx,
                &session,
                format,
                output.as_deref(),
                audio.as_deref(),
                &sealing,
            )
        }
        Some(Command::Agree {
            session_a,
            session_b,
            html,
            output,
        }) => {
            drop(stdout);
            agree_cmd::run(&ctx, &session_a, &session_b, html, output.as_deref())
        }
        Some(Command::Watch { session }) => {
            drop(stdout);
            crate::ui::watch::run_watch(&ctx, session.as_deref())
        }
        Some(Command::Import { paths, identity }) => {
            import_cmd::run(&ctx, &paths, &identity, &mut stdout)
        }
        Some(Command::Review {
            sessions,
            format,
            site,
            kind,
            guide,
            output,
        }) => {
            drop(stdout);
            let filter = review_cmd::filter_from(site.as_deref(), kind, guide.as_deref());
            match format {
                Some(format) => {
                    review_cmd::print(&ctx, &sessions, &filter, format, output.as_deref())
                }
                None => crate::ui::review::run_review(&ctx, &sessions, filter),
            }
        }
        Some(Command::Transcript {
            session,
            file,
            offset,
            speakers,
        }) => transcript_cmd::run(&ctx, &session, &file, offset, &speakers, &mut stdout),
        Some(Command::Completions { shell }) => {
            // clap_complete panics when its writer fails: generate in memory, then write.
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "topicguide", &mut script);
            drop(stdout);
            output::write_output(None, &script, None)
        }
        Some(Command::Man) => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(AppError::output)?;
            drop(stdout);
            output::write_output(None, &page, None)
        }
        Some(Command::Guide { command }) => match command {
            GuideCommand::Check { files } => guide_cmd::check(&files, &mut stdout),
            GuideCommand::List => guide_cmd::list(&ctx, &mut stdout),
            GuideCommand::Export {
                guide,
                format,
                output,
            } => guide_cmd::export(&ctx, &guide, format, output.as_deref()),
        },
    }
}

/// `topicguide` alone: the home screen, then whatever was chosen there.
fn home(ctx: &Context) -> Result<(), AppError> {
    use crate::ui::home::{HomeChoice, run_home};
    if !crate::ui::terminal::is_interactive() {
        return Err(AppError::User(
            "the home screen needs a terminal; see topicguide --help for the commands".into(),
        ));
    }
    match run_home(ctx, false)? {
        HomeChoice::Quit => Ok(()),
        HomeChoice::Resume(dir) => start_cmd::resume_dir(ctx, &dir, false),
        HomeChoice::Guide(source) => {
            let args = args::StartArgs::default();
            start_cmd::start_with(ctx, &args, source)
        }
    }
}
