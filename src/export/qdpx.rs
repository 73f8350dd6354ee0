//! A REFI-QDA project (`.qdpx`): a zip of `project.qde` and `sources/<guid>.txt`, of one session
//! (`export SESSION --format qdpx`) or of a whole study (`review --format qdpx`).
//!
//! - Codebook: a code per theme with its probes as child codes (as in the `qdc` export), and a
//!   folder code "Tags" (`isCodable="false"`) with a code per tag used in the notes. A study of
//!   sessions run on more than one guide puts each guide's themes under a folder code named after
//!   the guide; a guide's themes are those of every session run on it, matched by id. Themes
//!   added in the room sit under one folder code "Emergent themes", matched by title.
//! - One plain-text source per session, its field notes, one note a line: `[00:21:02] P3: text`
//!   (offset from the recording mark, else the start; no speaker, no `P3: `). It is stored as
//!   `sources/<guid>.txt` and referenced as `internal://<guid>.txt`.
//! - Each note is a `PlainTextSelection` of exactly its line (positions in Unicode code points
//!   from 0, the end one past the last character), coded to its theme and to each of its tags.
//! - Each participant (and any other speaker) of a session is a `Case` that refers to the
//!   selections of the notes they spoke. A study adds a case per site that refers to the sources
//!   of the sessions held there.
//! - One user, the note-taker, who created everything; times are the sessions' own, so the same
//!   sessions exported twice give the same project. GUIDs: see [`super::refi`]; a theme, note,
//!   source or participant has the same GUID in a study as in its session's own export.

use super::refi::{
    TAGS_FOLDER, case_guid, code_guid_of, coding_guid, guide_folder_guid, origin, selection_guid,
    site_case_guid, source_guid, tag_code_guid, tags_folder_guid, user_guid, write_description,
    write_emergent_folder, write_theme_code, xml_safe,
};
use super::{ExportError, ExportInput};
use crate::model::guide::{Guide, Theme};
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

/// The name the one user is given.
const USER_NAME: &str = "note-taker";

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
    /// The notes sources, one per session, in the order of the sessions given.
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

/// One session of the project: its source text and each note's place in it.
struct Part<'a> {
    input: &'a ExportInput<'a>,
    text: String,
    lines: Vec<Line<'a>>,
}

/// A distinct guide of the project (by title) and the themes its code folder holds.
struct GuideCodes<'a> {
    guide: &'a Guide,
    themes: Vec<&'a Theme>,
    versions: Vec<&'a str>,
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

/// The source text of a session and each note's place in it.
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
    Part { input, text, lines }
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

/// The distinct guides, by title, in the order of their first session; each with every theme
/// (by id) that any of its sessions' guides has, the first session's themes first.
fn guides<'a>(parts: &[Part<'a>]) -> Vec<GuideCodes<'a>> {
    let mut out: Vec<GuideCodes<'a>> = Vec::new();
    for part in parts {
        let guide: &'a Guide = &part.input.session.guide;
        let index = match out.iter().position(|g| g.guide.title == guide.title) {
            Some(index) => index,
            None => {
                out.push(GuideCodes {
                    guide,
                    themes: Vec::new(),
                    versions: Vec::new(),
                });
                out.len() - 1
            }
        };
        let codes = &mut out[index];
        for theme in guide.themes.iter().filter(|t| !t.emergent) {
            if !codes.themes.iter().any(|t| t.id == theme.id) {
                codes.themes.push(theme);
            }
        }
        if let Some(version) = guide.version.as_deref()
            && !codes.versions.contains(&version)
        {
            codes.versions.push(version);
        }
    }
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
            if theme.emergent { " (emergent)" } else { "" },
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

/// A guide's folder description in a study of several guides.
fn guide_folder_description(codes: &GuideCodes) -> String {
    let versions = if codes.versions.is_empty() {
        String::new()
    } else {
        format!(" (version {})", codes.versions.join(", "))
    };
    format!(
        "The themes of the topic guide \"{}\"{versions}, their probes as child codes",
        codes.guide.title
    )
}

fn write_codebook<W: Write>(
    w: &mut Writer<W>,
    guides: &[GuideCodes],
    emergent: &[(&Guide, &Theme)],
    tags: &[(String, String)],
) -> io::Result<()> {
    w.create_element("CodeBook").write_inner_content(|w| {
        w.create_element("Codes").write_inner_content(|w| {
            if let [only] = guides {
                for theme in &only.themes {
                    write_theme_code(w, only.guide, theme)?;
                }
            } else {
                for codes in guides {
                    let guid = guide_folder_guid(&codes.guide.title);
                    let name = xml_safe(&codes.guide.title);
                    w.create_element("Code")
                        .with_attributes([
                            ("guid", guid.as_str()),
                            ("name", name.as_ref()),
                            ("isCodable", "false"),
                        ])
                        .write_inner_content(|w| {
                            write_description(w, &guide_folder_description(codes))?;
                            for theme in &codes.themes {
                                write_theme_code(w, codes.guide, theme)?;
                            }
                            Ok(())
                        })?;
                }
            }
            write_emergent_folder(w, emergent)?;
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
    let state = input.session.state();
    for (name, _) in &state.notes_per_speaker() {
        let guid = case_guid(input.id, name);
        let shown = if study {
            xml_safe(&format!("{} · {name}", state.meta.label)).into_owned()
        } else {
            xml_safe(name).into_owned()
        };
        w.create_element("Case")
            .with_attributes([("guid", guid.as_str()), ("name", shown.as_str())])
            .write_inner_content(|w| {
                write_description(w, &case_description(input, name))?;
                for line in part
                    .lines
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
}

fn write_cases<W: Write>(w: &mut Writer<W>, parts: &[Part], study: bool) -> io::Result<()> {
    let sites = if study { sites(parts) } else { Vec::new() };
    let any_speaker = parts
        .iter()
        .any(|p| !p.input.session.state().notes_per_speaker().is_empty());
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
    line: &Line,
    user: &str,
) -> io::Result<()> {
    let guide = &input.session.guide;
    let note = line.note;
    let mut codes: Vec<String> = Vec::new();
    if let Some(theme) = note.theme.as_deref().and_then(|id| guide.theme(id)) {
        codes.push(code_guid_of(guide, theme));
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

/// One session's notes source. In a study its name says the session id too: labels repeat.
fn write_source<W: Write>(
    w: &mut Writer<W>,
    part: &Part,
    user: &str,
    study: bool,
) -> io::Result<()> {
    let input = part.input;
    let state = input.session.state();
    let guid = source_guid(input.id);
    let path = format!("internal://{guid}.txt");
    let name = if study {
        format!("{} field notes ({})", state.meta.label, input.id)
    } else {
        format!("{} field notes", state.meta.label)
    };
    let name = xml_safe(&name).into_owned();
    let created = rfc3339(state.started_at);
    let modified = rfc3339(input.as_of);
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
            for line in &part.lines {
                write_selection(w, input, line, user)?;
            }
            Ok(())
        })?;
    Ok(())
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
    let guides = guides(&parts);
    let tags = tags(&parts);
    let user = user_guid();
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
            let emergent: Vec<(&Guide, &Theme)> = parts
                .iter()
                .flat_map(|p| {
                    let guide: &Guide = &p.input.session.guide;
                    guide
                        .themes
                        .iter()
                        .filter(|t| t.emergent)
                        .map(move |t| (guide, t))
                })
                .collect();
            write_codebook(w, &guides, &emergent, &tags)?;
            write_cases(w, &parts, study.is_some())?;
            w.create_element("Sources").write_inner_content(|w| {
                for part in &parts {
                    write_source(w, part, &user, study.is_some())?;
                }
                Ok(())
            })?;
            write_description(w, &project_description(&parts, study))?;
            Ok(())
        })
        .map_err(fail)?;
    let mut qde = String::from_utf8(w.into_inner()).map_err(|e| ExportError::write("qdpx", e))?;
    qde.push('\n');
    let sources = parts
        .into_iter()
        .map(|p| SourceFile {
            guid: source_guid(p.input.id),
            text: p.text,
        })
        .collect();
    Ok(Project { qde, sources })
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
    Ok(zip.finish().map_err(fail)?.into_inner())
}
