//! The command line, as clap reads it.

use crate::export::registry::{
    self, FOLDER_FORMATS, Format, GUIDE_FORMATS, GuideRender, SESSION_FORMATS, STUDY_FORMATS,
    SessionRender, StudyForm,
};
use crate::model::guide::{MAX_MINUTES, SessionKind, SessionMode};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  topicguide                                   home screen: guides and sessions to resume
  topicguide start cmp-patient-focus-group --label 'Group 1' --site CR --participants 6 --consent
  topicguide resume                            reopen the most recent interrupted session
  topicguide list
  topicguide export 20261123-1405-group-1 --format md -o group-1.md
  topicguide export 20261123-1405-group-1 --format qdpx -o group-1.qdpx
  topicguide transcript 20261123-1405-group-1 zoom.vtt --speaker 'Maria Lopez=P3'
  topicguide export 20261123-1405-group-1 --format bundle --recipient age1... -o group-1.tgb
  topicguide import /media/usb/group-1.tgb --identity ~/lead.key
  topicguide guide check my-guide.toml
  topicguide guide export cmp-patient-focus-group --format qdc -o codebook.qdc";

/// A full-screen terminal companion for qualitative fieldwork: walk the topic guide, time each
/// theme, take timestamped field notes, and be warned in time about themes not yet addressed.
#[derive(Debug, Parser)]
#[command(name = "topicguide", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Where sessions are kept [default: $TOPICGUIDE_DATA_DIR, else the platform data folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The config file [default: <config dir>/config.toml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Begin a live session
    Start(StartArgs),
    /// Reopen an interrupted session (the most recent one without SESSION)
    Resume {
        /// A session id (as `list` prints it) or a session folder
        session: Option<String>,
        /// Reopen an ended session (journaled, so an accidental end is never final)
        #[arg(long)]
        reopen: bool,
    },
    /// The keys of every screen, defaults plus the config: a table, or JSON
    Keys {
        #[arg(long, value_enum)]
        format: Option<KeysFormat>,
    },
    /// Put a session's emergency copy back into its journal (the records the journal lacks, or
    /// the whole copy in place of a damaged journal, which is kept beside it)
    Restore {
        /// The emergency copy (topicguide-emergency-ID-STAMP.jsonl)
        file: PathBuf,
        /// The session to restore into [default: the id in the copy's name]
        #[arg(long, value_name = "SESSION")]
        session: Option<String>,
    },
    /// One line per session, newest first: ID  STATE  LABEL  STARTED  COVERED/TOTAL
    List {
        /// Print the sessions as JSON
        #[arg(long)]
        json: bool,
    },
    /// Export one session (to stdout unless -o; qdpx needs -o)
    Export {
        /// A session id (as `list` prints it) or a session folder
        session: String,
        #[arg(long, value_parser = session_format_parser())]
        format: SessionFormat,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The session's recording: qdpx carries it with the theme spans coded on it, eaf
        /// links to it
        #[arg(long, value_name = "FILE")]
        audio: Option<PathBuf>,
        /// With --format bundle: encrypt it to this age public key (age1...); repeatable
        #[arg(long, value_name = "AGE1KEY")]
        recipient: Vec<String>,
        /// With --format bundle: encrypt it to every age public key in this file (one a line)
        #[arg(long, value_name = "FILE")]
        recipients_file: Option<PathBuf>,
    },
    /// Follow a live session from a second terminal, read-only (the most recent one without
    /// SESSION): clock, time left, themes left, parked questions
    Watch {
        /// A session id (as `list` prints it) or a session folder
        session: Option<String>,
    },
    /// Two observers of one group compared: Cohen's kappa of their theme timelines on a
    /// one-second grid, coverage and probe agreement, the notes only one of them took
    Agree {
        /// The first observer's session (an id or a folder)
        session_a: String,
        /// The second observer's session
        session_b: String,
        /// A self-contained HTML report instead of Markdown
        #[arg(long)]
        html: bool,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Bring in sessions recorded elsewhere: session folders, data folders or bundle files
    Import {
        /// Session folders, whole data folders, or bundles from `export --format bundle`
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// An age identity file (as age-keygen writes it) to open encrypted bundles; repeatable
        #[arg(short, long, value_name = "FILE")]
        identity: Vec<PathBuf>,
    },
    /// Coverage across sessions: the review screen, or with --format the matrix printed
    Review {
        /// Sessions to review (ids or folders); all when none are given
        sessions: Vec<String>,
        /// Print the matrix (csv, md, json), or write the study as one REFI-QDA project (qdpx,
        /// needs -o), instead of opening the review screen
        #[arg(long, value_parser = format_parser(STUDY_FORMATS))]
        format: Option<&'static Format<StudyForm>>,
        /// Only sessions of this site code
        #[arg(long, value_name = "CODE")]
        site: Option<String>,
        /// Only focus groups or only interviews
        #[arg(long, value_parser = parse_kind)]
        kind: Option<SessionKind>,
        /// Only sessions of the guide with this title
        #[arg(long, value_name = "TITLE")]
        guide: Option<String>,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Attach a timestamped transcript of the session's recording (WebVTT, SRT, Whisper JSON,
    /// or text with [hh:mm:ss] stamps); the exports then carry it, coded by theme
    Transcript {
        /// A session id (as `list` prints it) or a session folder
        session: String,
        /// The transcript file
        file: PathBuf,
        /// Seconds added to the transcript's times to give their time from the recording mark
        /// (negative when the recorder started before the mark) [default: 0]
        #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
        offset: Option<f64>,
        /// Map a speaker label of the transcript to a pseudonym (repeat for each speaker)
        #[arg(long = "speaker", value_name = "NAME=PSEUDONYM")]
        speakers: Vec<String>,
    },
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `topicguide man > topicguide.1`
    Man,
    /// Check and list topic guides
    Guide {
        #[command(subcommand)]
        command: GuideCommand,
    },
}

#[derive(Debug, Default, Args)]
pub struct StartArgs {
    /// A guide file or the name of a built-in guide (see `guide list`)
    pub guide: Option<String>,
    /// The session's label; given, the live screen opens at once with no setup form
    #[arg(long)]
    pub label: Option<String>,
    /// focus-group or interview [default: the guide's]
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<SessionKind>,
    /// in-person, telephone or video [default: in-person]
    #[arg(long, value_parser = parse_mode)]
    pub mode: Option<SessionMode>,
    /// A site or programme code, such as CR
    #[arg(long, value_name = "CODE")]
    pub site: Option<String>,
    /// How many participants (P1..PN), or their pseudonyms: P1,P2,..
    #[arg(long, value_name = "N|P1,P2,..")]
    pub participants: Option<String>,
    /// Planned length in minutes [default: the guide's duration]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=MAX_MINUTES))]
    pub minutes: Option<u32>,
    /// Participants consented to audio recording
    #[arg(long)]
    pub consent: bool,
    /// Do not ring the terminal bell on warnings
    #[arg(long)]
    pub no_bell: bool,
    /// The note-taker's name or initials [default: the config's `researcher`]
    #[arg(long, value_name = "NAME")]
    pub researcher: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum GuideCommand {
    /// Validate guides: one FILE:LINE:COL: message line per problem
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// The built-in guides and those in the user's guide folder
    List,
    /// Export a guide (a file or a built-in guide's name) as a REFI-QDA codebook
    Export {
        /// A guide file or the name of a built-in guide (see `guide list`)
        guide: String,
        #[arg(long, value_parser = format_parser(GUIDE_FORMATS))]
        format: &'static Format<GuideRender>,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// What `export --format` names: a report of the session, or a copy of its folder.
#[derive(Debug, Clone, Copy)]
pub enum SessionFormat {
    Report(&'static Format<SessionRender>),
    Folder(&'static Format<()>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeysFormat {
    /// A table to print and keep beside the laptop
    Text,
    /// `{ "live": [ { "action", "keys", "description" } ], ... }`
    Json,
    /// The Markdown table of the live screen's keys that the README carries
    Md,
}

impl SessionFormat {
    /// Why this format needs `-o FILE` when none was given; None when it does not.
    pub fn needs_output(&self, output_given: bool) -> Option<String> {
        match self {
            SessionFormat::Report(f) => f.needs_output(output_given),
            SessionFormat::Folder(f) => f.needs_output(output_given),
        }
    }
}

fn possible<R>(f: &Format<R>) -> PossibleValue {
    let value = PossibleValue::new(f.name);
    if f.help.is_empty() {
        value
    } else {
        value.help(f.help)
    }
}

/// `export --format`'s choices: the session formats, then the folder formats.
fn session_format_parser() -> impl TypedValueParser<Value = SessionFormat> {
    let choices = SESSION_FORMATS
        .iter()
        .map(possible)
        .chain(FOLDER_FORMATS.iter().map(possible));
    PossibleValuesParser::new(choices).try_map(|name: String| {
        registry::find(SESSION_FORMATS, &name)
            .map(SessionFormat::Report)
            .or_else(|| registry::find(FOLDER_FORMATS, &name).map(SessionFormat::Folder))
            .ok_or_else(|| format!("no format '{name}'"))
    })
}

/// `--format`'s choices and their help lines, from the export registry.
fn format_parser<R: Send + Sync>(
    list: &'static [Format<R>],
) -> impl TypedValueParser<Value = &'static Format<R>> {
    let choices = list.iter().map(possible);
    PossibleValuesParser::new(choices).try_map(move |name: String| {
        registry::find(list, &name).ok_or_else(|| format!("no format '{name}'"))
    })
}

fn parse_kind(s: &str) -> Result<SessionKind, String> {
    s.parse()
}

fn parse_mode(s: &str) -> Result<SessionMode, String> {
    s.parse()
}
