//! The session as a REFI-QDA project (`.qdpx`): a zip of `project.qde` and `sources/<guid>.txt`.
//!
//! - Codebook: a code per theme with its probes as child codes (as in the `qdc` export), and a
//!   folder code "Tags" (`isCodable="false"`) with a code per tag used in the notes.
//! - One plain-text source, the field notes, one note a line: `[00:21:02] P3: text` (offset from
//!   the recording mark, else the start; no speaker, no `P3: `). It is stored as
//!   `sources/<guid>.txt` and referenced as `internal://<guid>.txt`.
//! - Each note is a `PlainTextSelection` of exactly its line (positions in Unicode code points
//!   from 0, the end one past the last character), coded to its theme and to each of its tags.
//! - Each participant (and any other speaker) is a `Case` that refers to the selections of the
//!   notes they spoke.
//! - One user, the note-taker, who created everything; times are the session's own, so the same
//!   session exported twice gives the same project. GUIDs: see [`super::refi`].

use super::refi::{
    TAGS_FOLDER, case_guid, coding_guid, origin, selection_guid, source_guid, tag_code_guid,
    tags_folder_guid, theme_code_guid, user_guid, write_description, write_guide_codes, xml_safe,
};
use super::{ExportError, ExportInput, one_line, status_mark};
use crate::model::session::{Note, SessionState};
use crate::model::timefmt::{hms, rfc3339};
use chrono::{Datelike, Timelike};
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

/// The name the one user is given.
const USER_NAME: &str = "note-taker";

/// The parts of the zip, before zipping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// `project.qde`.
    pub qde: String,
    /// The notes source's GUID: its file is `sources/<guid>.txt`.
    pub source_guid: String,
    /// The notes source's text.
    pub source_text: String,
}

impl Project {
    /// The path of the notes source inside the zip.
    pub fn source_path(&self) -> String {
        format!("sources/{}.txt", self.source_guid)
    }
}

/// One note's line of the source and where it lies, in code points.
struct Line<'a> {
    note: &'a Note,
    start: usize,
    end: usize,
}

/// A note's line: `[00:21:02] P3: text`, on one line.
pub fn note_line(state: &SessionState, note: &Note) -> String {
    let speaker = note
        .speaker
        .as_deref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default();
    one_line(&format!(
        "[{}] {speaker}{}",
        hms(state.offset_seconds(note.at)),
        note.text
    ))
}

/// The source text and each note's place in it.
fn source(state: &SessionState) -> (String, Vec<Line<'_>>) {
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
    (text, lines)
}

/// The tags used in the notes, each once whatever its case, as (GUID, name) sorted by name.
fn tags(state: &SessionState) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for tag in state.notes.iter().flat_map(|n| &n.tags) {
        if !out.iter().any(|(_, name)| name.eq_ignore_ascii_case(tag)) {
            out.push((tag_code_guid(tag), tag.clone()));
        }
    }
    out.sort_by_key(|(_, name)| name.to_lowercase());
    out
}

/// The project's description: what the session was and how far it got.
fn project_description(input: &ExportInput) -> String {
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
    let _ = writeln!(out, "Kind: {}, {}", meta.kind, meta.mode);
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
        let mark = status_mark(state, i);
        let _ = writeln!(
            out,
            "{} {}: {}, {} discussed",
            mark.symbol,
            theme.title,
            mark.words,
            hms(progress.discussed(input.as_of).num_seconds())
        );
    }
    out.trim_end().to_string()
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

fn write_codebook<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    tags: &[(String, String)],
) -> io::Result<()> {
    w.create_element("CodeBook").write_inner_content(|w| {
        w.create_element("Codes").write_inner_content(|w| {
            write_guide_codes(w, &input.session.guide)?;
            if tags.is_empty() {
                return Ok(());
            }
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
                        let name = xml_safe(name);
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
        })?;
        Ok(())
    })?;
    Ok(())
}

fn write_cases<W: Write>(w: &mut Writer<W>, input: &ExportInput, lines: &[Line]) -> io::Result<()> {
    let speakers = input.session.state().notes_per_speaker();
    if speakers.is_empty() {
        return Ok(());
    }
    w.create_element("Cases").write_inner_content(|w| {
        for (name, _) in &speakers {
            let guid = case_guid(input.id, name);
            let shown = xml_safe(name);
            w.create_element("Case")
                .with_attributes([("guid", guid.as_str()), ("name", shown.as_ref())])
                .write_inner_content(|w| {
                    write_description(w, &case_description(input, name))?;
                    for line in lines
                        .iter()
                        .filter(|l| l.note.speaker.as_deref() == Some(name.as_str()))
                    {
                        let target = selection_guid(input.id, &line.note.id);
                        w.create_element("SelectionRef")
                            .with_attribute(("targetGUID", target.as_str()))
                            .write_empty()?;
                    }
                    Ok(())
                })?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_selection<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    line: &Line,
    user: &str,
) -> io::Result<()> {
    let guide = &input.session.guide;
    let note = line.note;
    let mut codes: Vec<String> = Vec::new();
    if let Some(theme) = note.theme.as_deref().and_then(|id| guide.theme(id)) {
        codes.push(theme_code_guid(&guide.title, &theme.id));
    }
    codes.extend(note.tags.iter().map(|t| tag_code_guid(t)));
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
            w.create_element("Coding")
                .with_attributes([
                    ("guid", coding.as_str()),
                    ("creatingUser", user),
                    ("creationDateTime", created.as_str()),
                ])
                .write_inner_content(|w| {
                    w.create_element("CodeRef")
                        .with_attribute(("targetGUID", code.as_str()))
                        .write_empty()?;
                    Ok(())
                })?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_sources<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    lines: &[Line],
    user: &str,
) -> io::Result<()> {
    let state = input.session.state();
    let guid = source_guid(input.id);
    let path = format!("internal://{guid}.txt");
    let name = xml_safe(&format!("{} field notes", state.meta.label)).into_owned();
    let created = rfc3339(state.started_at);
    let modified = rfc3339(input.as_of);
    w.create_element("Sources").write_inner_content(|w| {
        w.create_element("TextSource")
            .with_attributes([
                ("guid", guid.as_str()),
                ("name", name.as_str()),
                ("plainTextPath", path.as_str()),
                ("creatingUser", user),
                ("creationDateTime", created.as_str()),
                ("modifyingUser", user),
                ("modifiedDateTime", modified.as_str()),
            ])
            .write_inner_content(|w| {
                write_description(
                    w,
                    &format!(
                        "Field notes of session {} taken with topicguide, one note a line: [offset] speaker: text",
                        input.id
                    ),
                )?;
                for line in lines {
                    write_selection(w, input, line, user)?;
                }
                Ok(())
            })?;
        Ok(())
    })?;
    Ok(())
}

/// The project document and its one source, unzipped.
pub fn build(input: &ExportInput) -> Result<Project, ExportError> {
    let fail = |e: io::Error| ExportError::write("qdpx", e);
    let state = input.session.state();
    let (source_text, lines) = source(state);
    let tags = tags(state);
    let user = user_guid();
    let name = xml_safe(&format!(
        "{} · {}",
        state.meta.label, input.session.guide.title
    ))
    .into_owned();
    let origin = origin();
    let created = rfc3339(state.started_at);
    let modified = rfc3339(input.as_of);
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
            w.create_element("Users").write_inner_content(|w| {
                w.create_element("User")
                    .with_attributes([
                        ("guid", user.as_str()),
                        ("name", USER_NAME),
                        ("id", USER_NAME),
                    ])
                    .write_empty()?;
                Ok(())
            })?;
            write_codebook(w, input, &tags)?;
            write_cases(w, input, &lines)?;
            write_sources(w, input, &lines, &user)?;
            write_description(w, &project_description(input))?;
            Ok(())
        })
        .map_err(fail)?;
    let mut qde = String::from_utf8(w.into_inner()).map_err(|e| ExportError::write("qdpx", e))?;
    qde.push('\n');
    Ok(Project {
        qde,
        source_guid: source_guid(input.id),
        source_text,
    })
}

/// The zip's entries' time: when the export's clock stands (UTC), so two exports are equal.
fn zip_time(input: &ExportInput) -> zip::DateTime {
    let at = input.as_of;
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

/// The `.qdpx` file: a zip of `project.qde` and `sources/<guid>.txt`.
pub fn render(input: &ExportInput) -> Result<Vec<u8>, ExportError> {
    let project = build(input)?;
    let fail = |e: zip::result::ZipError| ExportError::write("qdpx", e);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip_time(input))
        .unix_permissions(0o600);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(PROJECT_FILE, options).map_err(fail)?;
    zip.write_all(project.qde.as_bytes())
        .map_err(|e| ExportError::write("qdpx", e))?;
    zip.start_file(project.source_path(), options)
        .map_err(fail)?;
    zip.write_all(project.source_text.as_bytes())
        .map_err(|e| ExportError::write("qdpx", e))?;
    Ok(zip.finish().map_err(fail)?.into_inner())
}
