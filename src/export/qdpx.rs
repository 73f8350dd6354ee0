//! A REFI-QDA project (`.qdpx`): a zip of `project.qde` and `sources/<guid>.txt`, of one session
//! (`export SESSION --format qdpx`) or of a whole study (`review --format qdpx`).
//!
//! - Codebook: a code per theme with its probes as child codes (as in the `qdc` export), a
//!   folder code "Tags" (`isCodable="false"`) with a code per tag used in the notes, and a folder
//!   code "Speakers" with a code per participant who speaks (see Cases). A study of sessions run
//!   on more than one guide: see [`super::refi_codes`] (a theme id shared by guides is one code).
//!   Themes added in the room sit under one folder code "Emergent themes", matched by title.
//! - One plain-text source per session, its field notes, one note a line: `[00:21:02] P3: text`
//!   (offset from the recording mark, else the start; no speaker, no `P3: `). It is stored as
//!   `sources/<guid>.txt` and referenced as `internal://<guid>.txt`.
//! - Each note is a `PlainTextSelection` of exactly its line (positions in Unicode code points
//!   from 0, the end one past the last character), coded to its theme and to each of its tags.
//! - With a transcript attached, a second text source: see [`super::qdpx_transcript`]; with the
//!   recording given, an audio source too.
//! - Each participant (and any other speaker) of a session is a `Case` that refers to the
//!   selections of the notes they spoke and of the transcript segments they spoke. QualCoder's
//!   importer ignores `SelectionRef` inside `Case`, but every importer keeps codings: so each
//!   participant also has a speaker code (under "Speakers") coding the same selections. (Giving
//!   that code the case's GUID would make QualCoder turn it into case text, but a GUID must
//!   name one thing in a project.) A study adds a case per site that refers to the sources of
//!   the sessions held there.
//! - The session's site, kind, mode, guide and date are variables of its sources (see
//!   [`super::qdpx_variables`]).
//! - Users: each session's researcher (`session.researcher`), else one anonymous note-taker;
//!   whoever took a session's notes created its sources and codings. Times are the sessions'
//!   own, so the same sessions exported twice give the same project. GUIDs (upper case): see
//!   [`super::refi`]; a theme, note, source or participant has the same GUID in a study as in
//!   its session's own export.

use super::qdpx_transcript::{
    TranscriptPart, audio_entry_name, speaker_selections, transcript_part, transcript_speakers,
    write_annotations, write_audio_source, write_transcript_source,
};
use super::qdpx_variables::{write_values, write_variables};
use super::refi::{
    TAGS_FOLDER, TextSourceHead, case_guid, code_guid_of, coding_guid, origin, researcher_guid,
    selection_guid, site_case_guid, source_guid, speaker_code_guid, speakers_folder_guid,
    tag_code_guid, tags_folder_guid, transcript_source_guid, write_coding, write_description,
    write_emergent_folder, write_text_source, xml_safe,
};
use super::refi_codes::{CodeMap, UniqueNames};
use super::{ExportError, ExportInput};
use crate::model::guide::Theme;
use crate::model::session::{Note, SessionState};
use crate::model::timefmt::{hms, rfc3339};
use crate::model::vocabulary::ThemeMark;
use crate::text::printable;
use chrono::{DateTime, Datelike, Timelike, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};
use std::fmt::Write as _;
use std::io::{self, Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The project namespace.
pub const NAMESPACE: &str = "urn:QDA-XML:project:1.0";

/// The project document's name inside the zip.
pub const PROJECT_FILE: &str = "project.qde";

/// The name the user is given when a session names no researcher.
const USER_NAME: &str = "note-taker";

/// The name of the folder code that holds one code per speaking participant.
const SPEAKERS_FOLDER: &str = "Speakers";

/// What makes a project a study of several sessions rather than one session's export: sources
/// and cases are named with their session, and sites become cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Study {
    /// The project's name.
    pub name: String,
    /// The first paragraph of the project's description: what the study holds, how it was chosen.
    pub summary: String,
}

/// The parts of the zip, before zipping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// `project.qde`.
    pub qde: String,
    /// The text sources: each session's notes, then its transcript if it has one, in the order
    /// of the sessions given.
    pub sources: Vec<SourceFile>,
}

/// One session's notes source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Its GUID: its file is `sources/<guid>.txt`.
    pub guid: String,
    /// Its text.
    pub text: String,
}

impl SourceFile {
    /// The path of the source inside the zip.
    pub fn path(&self) -> String {
        format!("sources/{}.txt", self.guid)
    }
}

/// One note's line of the source and where it lies, in code points.
struct Line<'a> {
    note: &'a Note,
    start: usize,
    end: usize,
}

/// One session of the project: its source text and each note's place in it, and its
/// transcript.
struct Part<'a> {
    input: &'a ExportInput<'a>,
    text: String,
    lines: Vec<Line<'a>>,
    transcript: Option<TranscriptPart<'a>>,
}

impl Part<'_> {
    /// The GUID of the user who took this session's notes.
    fn user(&self) -> String {
        researcher_guid(self.input.session.state().meta.researcher.as_deref())
    }

    /// Everyone who speaks in the notes or the transcript, as cases: the participants in
    /// list order, then other speakers in the order they first speak.
    fn speakers(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .input
            .session
            .state()
            .notes_per_speaker()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        if let Some(transcript) = &self.transcript {
            for name in transcript_speakers(transcript) {
                if !out.iter().any(|n| n == name) {
                    out.push(name.to_string());
                }
            }
        }
        out
    }
}

/// A site of a study and the sessions held there.
struct Site<'a> {
    name: &'a str,
    parts: Vec<&'a Part<'a>>,
}

/// A note's line: `[00:21:02] P3: text`, on one line.
pub fn note_line(state: &SessionState, note: &Note) -> String {
    let speaker = note
        .speaker
        .as_deref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default();
    printable(&format!(
        "[{}] {speaker}{}",
        hms(state.offset_seconds(note.at)),
        note.text
    ))
}

/// The source texts of a session and each note's and segment's place in them.
fn part<'a>(input: &'a ExportInput<'a>) -> Part<'a> {
    let state = input.session.state();
    let mut text = String::new();
    let mut lines = Vec::new();
    let mut position = 0usize;
    for note in &state.notes {
        let line = note_line(state, note);
        let length = line.chars().count();
        lines.push(Line {
            note,
            start: position,
            end: position + length,
        });
        text.push_str(&line);
        text.push('\n');
        position += length + 1;
    }
    Part {
        input,
        text,
        lines,
        transcript: transcript_part(input),
    }
}

/// The tags used in the notes of every session, each once whatever its case (spelt as first
/// used), as (GUID, name) sorted by name.
fn tags(parts: &[Part]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let all = parts
        .iter()
        .flat_map(|p| &p.input.session.state().notes)
        .flat_map(|n| &n.tags);
    for tag in all {
        if !out.iter().any(|(_, name)| name.eq_ignore_ascii_case(tag)) {
            out.push((tag_code_guid(tag), tag.clone()));
        }
    }
    out.sort_by_key(|(_, name)| name.to_lowercase());
    out
}

/// The sites of a study's sessions, each once whatever its case (spelt as first met), sorted.
fn sites<'a>(parts: &'a [Part<'a>]) -> Vec<Site<'a>> {
    let mut out: Vec<Site<'a>> = Vec::new();
    for part in parts {
        let Some(site) = part.input.session.state().meta.site.as_deref() else {
            continue;
        };
        match out.iter_mut().find(|s| s.name.eq_ignore_ascii_case(site)) {
            Some(known) => known.parts.push(part),
            None => out.push(Site {
                name: site,
                parts: vec![part],
            }),
        }
    }
    out.sort_by_key(|s| s.name.to_lowercase());
    out
}

/// A session's description: what the session was and how far it got.
fn session_description(input: &ExportInput) -> String {
    let guide = &input.session.guide;
    let state = input.session.state();
    let meta = &state.meta;
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "topicguide session {}: {}", input.id, meta.label);
    let version = guide
        .version
        .as_deref()
        .map(|v| format!(" (version {v})"))
        .unwrap_or_default();
    let _ = writeln!(out, "Guide: {}{version}", guide.title);
    let _ = writeln!(out, "Kind: {}, {}", meta.kind, state.mode);
    if let Some(site) = &meta.site {
        let _ = writeln!(out, "Site: {site}");
    }
    let _ = writeln!(out, "State: {}", input.liveness.as_str());
    let _ = writeln!(out, "Started: {}", rfc3339(state.started_at));
    if let Some(end) = state.ended_at {
        let _ = writeln!(out, "Ended: {}", rfc3339(end));
    }
    match state.recording_started_at {
        Some(mark) => {
            let _ = writeln!(
                out,
                "Recording mark: {} (note offsets count from it)",
                rfc3339(mark)
            );
        }
        None => {
            let _ = writeln!(out, "No recording mark: note offsets count from the start");
        }
    }
    let _ = writeln!(out, "Coverage:");
    for (i, (theme, progress)) in guide.themes.iter().zip(&state.themes).enumerate() {
        let mark = ThemeMark::of(state, i);
        let _ = writeln!(
            out,
            "{} {}{}: {}, {} discussed",
            mark.mark(),
            theme.title,
            if theme.emergent {
                format!(" ({})", crate::model::vocabulary::EMERGENT_WORD)
            } else {
                String::new()
            },
            mark.label(),
            hms(progress.discussed(input.as_of).num_seconds())
        );
    }
    out.trim_end().to_string()
}

/// The project's description: the session's, or the study's summary and then every session's.
fn project_description(parts: &[Part], study: Option<&Study>) -> String {
    let sessions = parts.iter().map(|p| session_description(p.input));
    match study {
        None => sessions.collect::<Vec<_>>().join("\n\n"),
        Some(study) => std::iter::once(study.summary.trim_end().to_string())
            .chain(sessions)
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

/// A participant's case description.
fn case_description(input: &ExportInput, name: &str) -> String {
    let state = input.session.state();
    let mut text = format!(
        "Participant {name} of session {} ({})",
        input.id, state.meta.label
    );
    match state.participants.iter().find(|p| p.name == name) {
        Some(p) => {
            if let Some(at) = p.arrived_at {
                let _ = write!(text, "; arrived at {}", hms(state.offset_seconds(at)));
            }
            if let Some(at) = p.left_at {
                let _ = write!(text, "; left at {}", hms(state.offset_seconds(at)));
            }
        }
        None => text.push_str("; not on the participant list"),
    }
    text
}

/// The case name of a speaker: in a study with its session's label, since every group has a P1.
fn case_name(part: &Part, name: &str, study: bool) -> String {
    if study {
        xml_safe(&format!(
            "{} · {name}",
            part.input.session.state().meta.label
        ))
        .into_owned()
    } else {
        xml_safe(name).into_owned()
    }
}

fn write_codebook<W: Write>(
    w: &mut Writer<W>,
    codes: &CodeMap,
    emergent: &[&Theme],
    tags: &[(String, String)],
    parts: &[Part],
    study: bool,
) -> io::Result<()> {
    w.create_element("CodeBook").write_inner_content(|w| {
        w.create_element("Codes").write_inner_content(|w| {
            codes.write(w)?;
            let mut names = codes.used.clone();
            if !tags.is_empty() {
                write_tags_folder(w, tags, &mut names)?;
            }
            write_emergent_folder(w, emergent)?;
            write_speakers_folder(w, parts, study, &mut names)
        })?;
        Ok(())
    })?;
    Ok(())
}

fn write_tags_folder<W: Write>(
    w: &mut Writer<W>,
    tags: &[(String, String)],
    names: &mut UniqueNames,
) -> io::Result<()> {
    let folder = tags_folder_guid();
    w.create_element("Code")
        .with_attributes([
            ("guid", folder.as_str()),
            ("name", TAGS_FOLDER),
            ("isCodable", "false"),
        ])
        .write_inner_content(|w| {
            write_description(w, "The #tags of the field notes")?;
            for (guid, name) in tags {
                let name = names.claim(name, "tag");
                let name = xml_safe(&name);
                w.create_element("Code")
                    .with_attributes([
                        ("guid", guid.as_str()),
                        ("name", name.as_ref()),
                        ("isCodable", "true"),
                    ])
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

/// A code per speaking participant (see the module's notes on cases).
fn write_speakers_folder<W: Write>(
    w: &mut Writer<W>,
    parts: &[Part],
    study: bool,
    names: &mut UniqueNames,
) -> io::Result<()> {
    if parts.iter().all(|p| p.speakers().is_empty()) {
        return Ok(());
    }
    let folder = speakers_folder_guid();
    w.create_element("Code")
        .with_attributes([
            ("guid", folder.as_str()),
            ("name", SPEAKERS_FOLDER),
            ("isCodable", "false"),
        ])
        .write_inner_content(|w| {
            write_description(
                w,
                "Who spoke: each participant's notes and transcript segments, as their case refers to them",
            )?;
            for part in parts {
                for name in part.speakers() {
                    let guid = speaker_code_guid(part.input.id, &name);
                    let shown = names.claim(&case_name(part, &name, study), part.input.id);
                    w.create_element("Code")
                        .with_attributes([
                            ("guid", guid.as_str()),
                            ("name", shown.as_str()),
                            ("isCodable", "true"),
                        ])
                        .write_empty()?;
                }
            }
            Ok(())
        })?;
    Ok(())
}

/// A site's case: it refers to the sources of the sessions held there.
fn write_site_case<W: Write>(w: &mut Writer<W>, site: &Site) -> io::Result<()> {
    let guid = site_case_guid(site.name);
    let name = xml_safe(&format!("Site {}", site.name)).into_owned();
    let sessions: Vec<String> = site
        .parts
        .iter()
        .map(|p| format!("{} ({})", p.input.id, p.input.session.state().meta.label))
        .collect();
    w.create_element("Case")
        .with_attributes([("guid", guid.as_str()), ("name", name.as_str())])
        .write_inner_content(|w| {
            write_description(
                w,
                &format!(
                    "Sessions held at site {}: {}",
                    site.name,
                    sessions.join(", ")
                ),
            )?;
            for part in &site.parts {
                let target = source_guid(part.input.id);
                w.create_element("SourceRef")
                    .with_attribute(("targetGUID", target.as_str()))
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

/// The cases of one session's participants (and other speakers). In a study a case is named
/// with its session's label: every group has a P1.
fn write_participant_cases<W: Write>(
    w: &mut Writer<W>,
    part: &Part,
    study: bool,
) -> io::Result<()> {
    let input = part.input;
    for name in &part.speakers() {
        let guid = case_guid(input.id, name);
        let shown = case_name(part, name, study);
        w.create_element("Case")
            .with_attributes([("guid", guid.as_str()), ("name", shown.as_str())])
            .write_inner_content(|w| {
                write_description(w, &case_description(input, name))?;
                let notes = part
                    .lines
                    .iter()
                    .filter(|l| l.note.speaker.as_deref() == Some(name.as_str()))
                    .map(|l| selection_guid(input.id, &l.note.id));
                let segments = part
                    .transcript
                    .iter()
                    .flat_map(|t| speaker_selections(input, t, name));
                for target in notes.chain(segments) {
                    w.create_element("SelectionRef")
                        .with_attribute(("targetGUID", target.as_str()))
                        .write_empty()?;
                }
                Ok(())
            })?;
    }
    Ok(())
}

fn write_cases<W: Write>(w: &mut Writer<W>, parts: &[Part], study: bool) -> io::Result<()> {
    let sites = if study { sites(parts) } else { Vec::new() };
    let any_speaker = parts.iter().any(|p| !p.speakers().is_empty());
    if sites.is_empty() && !any_speaker {
        return Ok(());
    }
    w.create_element("Cases").write_inner_content(|w| {
        for site in &sites {
            write_site_case(w, site)?;
        }
        for part in parts {
            write_participant_cases(w, part, study)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_selection<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    code_map: &CodeMap,
    line: &Line,
    user: &str,
) -> io::Result<()> {
    let guide = &input.session.guide;
    let note = line.note;
    let mut codes: Vec<String> = Vec::new();
    if let Some(theme) = note.theme.as_deref().and_then(|id| guide.theme(id)) {
        let code = if theme.emergent {
            Some(code_guid_of(theme))
        } else {
            code_map
                .theme_guid(&guide.title, &theme.id)
                .map(str::to_string)
        };
        codes.extend(code);
    }
    codes.extend(note.tags.iter().map(|t| tag_code_guid(t)));
    if let Some(speaker) = &note.speaker {
        codes.push(speaker_code_guid(input.id, speaker));
    }
    let guid = selection_guid(input.id, &note.id);
    let start = line.start.to_string();
    let end = line.end.to_string();
    let created = rfc3339(note.at);
    let id = xml_safe(&note.id);
    let mut element = w.create_element("PlainTextSelection").with_attributes([
        ("guid", guid.as_str()),
        ("name", id.as_ref()),
        ("startPosition", start.as_str()),
        ("endPosition", end.as_str()),
        ("creatingUser", user),
        ("creationDateTime", created.as_str()),
    ]);
    let modified = note.edited_at.map(rfc3339);
    if let Some(modified) = &modified {
        element = element.with_attributes([
            ("modifyingUser", user),
            ("modifiedDateTime", modified.as_str()),
        ]);
    }
    if codes.is_empty() {
        element.write_empty()?;
        return Ok(());
    }
    element.write_inner_content(|w| {
        for code in &codes {
            let coding = coding_guid(input.id, &note.id, code);
            write_coding(w, &coding, code, user, &created)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// One session's notes source. In a study its name says the session id too: labels repeat.
fn write_source<W: Write>(
    w: &mut Writer<W>,
    part: &Part,
    code_map: &CodeMap,
    study: bool,
) -> io::Result<()> {
    let user = part.user();
    let user = user.as_str();
    let input = part.input;
    let guid = source_guid(input.id);
    let description = format!(
        "Field notes of session {} taken with topicguide, one note a line: [offset] speaker: text",
        input.id
    );
    let head = TextSourceHead {
        guid: &guid,
        what: "field notes",
        input,
        study,
        user,
        description: &description,
    };
    write_text_source(w, &head, |w| {
        for line in &part.lines {
            write_selection(w, input, code_map, line, user)?;
        }
        write_values(w, input)
    })
}

/// When the project was begun and last changed: the first session's start, the latest clock.
fn project_times(inputs: &[ExportInput]) -> (DateTime<Utc>, DateTime<Utc>) {
    let created = inputs.iter().map(|i| i.session.state().started_at).min();
    let modified = inputs.iter().map(|i| i.as_of).max();
    let fallback = DateTime::<Utc>::UNIX_EPOCH;
    (created.unwrap_or(fallback), modified.unwrap_or(fallback))
}

/// The project document and its sources, unzipped, of one session.
pub fn build(input: &ExportInput) -> Result<Project, ExportError> {
    build_project(std::slice::from_ref(input), None)
}

/// The project document and its sources, unzipped, of one or many sessions: the session's own
/// project when `study` is None (one session expected), else the study's.
pub fn build_project(
    inputs: &[ExportInput],
    study: Option<&Study>,
) -> Result<Project, ExportError> {
    let fail = |e: io::Error| ExportError::write("qdpx", e);
    let Some(first) = inputs.first() else {
        return Err(ExportError::write(
            "qdpx",
            "no sessions to put in the project",
        ));
    };
    let parts: Vec<Part> = inputs.iter().map(part).collect();
    let code_map = CodeMap::new(parts.iter().map(|p| &*p.input.session.guide));
    let tags = tags(&parts);
    let user = parts[0].user();
    let name = match study {
        Some(study) => study.name.clone(),
        None => format!(
            "{} · {}",
            first.session.state().meta.label,
            first.session.guide.title
        ),
    };
    let name = xml_safe(&name).into_owned();
    let origin = origin();
    let (created, modified) = project_times(inputs);
    let created = rfc3339(created);
    let modified = rfc3339(modified);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .map_err(fail)?;
    w.create_element("Project")
        .with_attributes([
            ("xmlns", NAMESPACE),
            ("name", name.as_str()),
            ("origin", origin.as_str()),
            ("creatingUserGUID", user.as_str()),
            ("creationDateTime", created.as_str()),
            ("modifyingUserGUID", user.as_str()),
            ("modifiedDateTime", modified.as_str()),
        ])
        .write_inner_content(|w| {
            write_users(w, &parts)?;
            let emergent: Vec<&Theme> = parts
                .iter()
                .flat_map(|p| p.input.session.guide.themes.iter().filter(|t| t.emergent))
                .collect();
            write_codebook(w, &code_map, &emergent, &tags, &parts, study.is_some())?;
            write_variables(w)?;
            write_cases(w, &parts, study.is_some())?;
            w.create_element("Sources").write_inner_content(|w| {
                for part in &parts {
                    write_source(w, part, &code_map, study.is_some())?;
                    let user = part.user();
                    if let Some(transcript) = &part.transcript {
                        write_transcript_source(
                            w,
                            part.input,
                            transcript,
                            &code_map,
                            &user,
                            study.is_some(),
                            |w| write_values(w, part.input),
                        )?;
                    }
                    if let Some(audio) = part.input.audio {
                        write_audio_source(w, part.input, audio, &code_map, &user, |w| {
                            write_values(w, part.input)
                        })?;
                    }
                }
                Ok(())
            })?;
            if parts.iter().any(|p| {
                p.transcript
                    .as_ref()
                    .is_some_and(|t| t.coding.note_anchors.iter().any(Option::is_some))
            }) {
                w.create_element("Notes").write_inner_content(|w| {
                    for part in &parts {
                        if let Some(transcript) = &part.transcript {
                            write_annotations(w, part.input, transcript, &part.user())?;
                        }
                    }
                    Ok(())
                })?;
            }
            write_description(w, &project_description(&parts, study))?;
            Ok(())
        })
        .map_err(fail)?;
    let mut qde = String::from_utf8(w.into_inner()).map_err(|e| ExportError::write("qdpx", e))?;
    qde.push('\n');
    let mut sources = Vec::new();
    for p in parts {
        sources.push(SourceFile {
            guid: source_guid(p.input.id),
            text: p.text,
        });
        if let Some(transcript) = p.transcript {
            sources.push(SourceFile {
                guid: transcript_source_guid(p.input.id),
                text: transcript.text,
            });
        }
    }
    Ok(Project { qde, sources })
}

/// One `User` per distinct researcher of the sessions (the anonymous note-taker for sessions
/// that name none), in the order of the sessions.
fn write_users<W: Write>(w: &mut Writer<W>, parts: &[Part]) -> io::Result<()> {
    let mut users: Vec<(String, &str)> = Vec::new();
    for part in parts {
        let guid = part.user();
        if users.iter().any(|(g, _)| *g == guid) {
            continue;
        }
        let name = part
            .input
            .session
            .state()
            .meta
            .researcher
            .as_deref()
            .unwrap_or(USER_NAME);
        users.push((guid, name));
    }
    w.create_element("Users").write_inner_content(|w| {
        for (guid, name) in &users {
            let name = xml_safe(name);
            w.create_element("User")
                .with_attributes([
                    ("guid", guid.as_str()),
                    ("name", name.as_ref()),
                    ("id", name.as_ref()),
                ])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The zip's entries' time: when the latest session's clock stands (UTC), so two exports are
/// equal.
fn zip_time(inputs: &[ExportInput]) -> zip::DateTime {
    let Some(at) = inputs.iter().map(|i| i.as_of).max() else {
        return zip::DateTime::default();
    };
    let small = |n: u32| u8::try_from(n).unwrap_or(0);
    u16::try_from(at.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                small(at.month()),
                small(at.day()),
                small(at.hour()),
                small(at.minute()),
                small(at.second()),
            )
            .ok()
        })
        .unwrap_or_default()
}

/// The `.qdpx` file of one session: a zip of `project.qde` and `sources/<guid>.txt`.
pub fn render(input: &ExportInput) -> Result<Vec<u8>, ExportError> {
    render_project(std::slice::from_ref(input), None)
}

/// The `.qdpx` file of one or many sessions (see [`build_project`]): a zip of `project.qde`
/// and one `sources/<guid>.txt` per session.
pub fn render_project(
    inputs: &[ExportInput],
    study: Option<&Study>,
) -> Result<Vec<u8>, ExportError> {
    let project = build_project(inputs, study)?;
    let fail = |e: zip::result::ZipError| ExportError::write("qdpx", e);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip_time(inputs))
        .unix_permissions(0o600);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(PROJECT_FILE, options).map_err(fail)?;
    zip.write_all(super::safe_text::without_separators(&project.qde).as_bytes())
        .map_err(|e| ExportError::write("qdpx", e))?;
    for source in &project.sources {
        zip.start_file(source.path(), options).map_err(fail)?;
        zip.write_all(super::safe_text::without_separators(&source.text).as_bytes())
            .map_err(|e| ExportError::write("qdpx", e))?;
    }
    // Recordings are compressed already: stored as they are.
    let stored = options
        .compression_method(CompressionMethod::Stored)
        .large_file(true);
    for input in inputs {
        if let Some(audio) = input.audio {
            let name = format!("sources/{}", audio_entry_name(input.id, audio));
            zip.start_file(name, stored).map_err(fail)?;
            zip.write_all(&audio.bytes)
                .map_err(|e| ExportError::write("qdpx", e))?;
        }
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}
