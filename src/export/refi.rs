//! What the two REFI-QDA exports (`qdpx`, `qdc`) share: stable GUIDs and the guide as codes.
//!
//! Every GUID is a UUID v5 in one fixed namespace, named after what it stands for, so the same
//! theme has the same code GUID in every export of every session run on that guide, and
//! exporting a session twice gives the same file:
//!
//! - a theme's code: the theme id (guides that share a theme id share its code);
//! - a probe's code: the theme id and the probe's words (trimmed, in lower case);
//! - an emergent theme's code (a theme added in the room): its title, case and spacing aside,
//!   whatever the guide, so the same theme added in two sessions is one code; the folder code
//!   "Emergent themes" that holds them: fixed;
//! - a tag's code and the "Tags" folder code: the tag in lower case (the same in every guide);
//! - the notes source: the session id; a note's selection: the session id and the note id;
//! - a participant's case: the session id and the participant's name (P3 of one group is not
//!   P3 of another);
//! - in a study of several guides, a guide's folder code: the guide title;
//! - in a study, a site's case: the site code in lower case;
//! - the one user, the note-taker: fixed; or the session's researcher: their name;
//! - the transcript source: the session id; a segment's selection: the session id and the
//!   segment's position; an anchored note: the session id and the note id;
//! - a variable: its name; the audio source: the session id; an audio selection: the session
//!   id, the theme id and the span's position.
//!
//! GUIDs are written in upper case.

use super::ExportInput;
use crate::model::emergent::title_key;
use crate::model::guide::{Guide, Theme};
use crate::model::timefmt::rfc3339;
use quick_xml::Writer;
use quick_xml::events::BytesText;
use std::borrow::Cow;
use std::io::{self, Write};
use uuid::Uuid;

/// The namespace of every topicguide GUID. Never change it: GUIDs would change with it.
const GUID_NAMESPACE: Uuid = Uuid::from_u128(0x1240b96d_60b2_4369_b7d1_e8b596f5c19b);

/// The name of the folder code that holds one code per tag.
pub const TAGS_FOLDER: &str = "Tags";
/// The name of the folder code that holds the themes added in the room.
pub const EMERGENT_FOLDER: &str = "Emergent themes";

/// What the REFI-QDA `origin` attributes say made the file.
pub fn origin() -> String {
    format!("topicguide {}", env!("CARGO_PKG_VERSION"))
}

/// A UUID v5 from a kind and the parts that name the thing (joined with NUL, which no title has).
fn guid(kind: &str, parts: &[&str]) -> String {
    let mut name = String::from(kind);
    for part in parts {
        name.push('\0');
        name.push_str(part);
    }
    // Upper case: ATLAS.ti and MAXQDA are reported to reject lower-case GUIDs.
    let mut buffer = Uuid::encode_buffer();
    Uuid::new_v5(&GUID_NAMESPACE, name.as_bytes())
        .hyphenated()
        .encode_upper(&mut buffer)
        .to_string()
}

/// The code of a theme: one per theme id, whatever the guide (a theme id shared by guides is
/// one code).
pub fn theme_code_guid(theme_id: &str) -> String {
    guid("theme", &[theme_id])
}

/// The code of a probe of a theme, by its words (trimmed, in lower case): guides that ask the
/// same probe of the same theme share its code.
pub fn probe_code_guid(theme_id: &str, probe_text: &str) -> String {
    guid("probe", &[theme_id, &probe_key(probe_text)])
}

/// What makes two probes of a theme the same probe: their words, trimmed, in lower case.
pub fn probe_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// The code a note on `theme` is coded to: the theme's own (by id), or for an emergent theme
/// the one code every session shares for that title.
pub fn code_guid_of(theme: &Theme) -> String {
    if theme.emergent {
        guid("emergent", &[&title_key(&theme.title)])
    } else {
        theme_code_guid(&theme.id)
    }
}

/// The folder code "Emergent themes".
pub fn emergent_folder_guid() -> String {
    guid("emergent-folder", &[])
}

/// The folder code "Tags".
pub fn tags_folder_guid() -> String {
    guid("tags", &[])
}

/// The code of a tag, whatever its case.
pub fn tag_code_guid(tag: &str) -> String {
    guid("tag", &[&tag.to_lowercase()])
}

/// The folder code that holds one guide's themes in a study of several guides.
pub fn guide_folder_guid(guide_title: &str) -> String {
    guid("guide", &[guide_title])
}

/// The case of one site in a study: every session held there.
pub fn site_case_guid(site: &str) -> String {
    guid("site", &[&site.to_lowercase()])
}

/// The plain-text source that holds a session's notes.
pub fn source_guid(session_id: &str) -> String {
    guid("source", &[session_id])
}

/// The selection of one note in its session's source.
pub fn selection_guid(session_id: &str, note_id: &str) -> String {
    guid("selection", &[session_id, note_id])
}

/// The coding of one note's selection with one code.
pub fn coding_guid(session_id: &str, note_id: &str, code_guid: &str) -> String {
    guid("coding", &[session_id, note_id, code_guid])
}

/// The case of one participant of a session.
pub fn case_guid(session_id: &str, participant: &str) -> String {
    guid("case", &[session_id, participant])
}

/// The one user: the note-taker who ran topicguide.
pub fn user_guid() -> String {
    guid("user", &["note-taker"])
}

/// The user of a session: its researcher (the same GUID in every session they took notes in),
/// else the anonymous note-taker.
pub fn researcher_guid(researcher: Option<&str>) -> String {
    match researcher {
        Some(name) => guid("researcher", &[name]),
        None => user_guid(),
    }
}

/// The plain-text source that holds a session's transcript.
pub fn transcript_source_guid(session_id: &str) -> String {
    guid("transcript", &[session_id])
}

/// The selection of segment `index` (0-based) of a session's transcript.
pub fn segment_guid(session_id: &str, index: usize) -> String {
    guid("segment", &[session_id, &index.to_string()])
}

/// The coding of one transcript segment with one code.
pub fn segment_coding_guid(session_id: &str, index: usize, code_guid: &str) -> String {
    guid(
        "segment-coding",
        &[session_id, &index.to_string(), code_guid],
    )
}

/// The note (annotation) that anchors a field note on the transcript.
pub fn annotation_guid(session_id: &str, note_id: &str) -> String {
    guid("annotation", &[session_id, note_id])
}

/// The selection inside an annotation: where on the transcript it is anchored.
pub fn annotation_selection_guid(session_id: &str, note_id: &str) -> String {
    guid("annotation-selection", &[session_id, note_id])
}

/// A variable of the project (site, kind, mode, guide, date).
pub fn variable_guid(name: &str) -> String {
    guid("variable", &[name])
}

/// The code of one participant as a speaker: the selections they spoke.
pub fn speaker_code_guid(session_id: &str, participant: &str) -> String {
    guid("speaker", &[session_id, participant])
}

/// The folder code "Speakers".
pub fn speakers_folder_guid() -> String {
    guid("speakers", &[])
}

/// The URN of a session's ELAN document.
pub fn eaf_guid(session_id: &str) -> String {
    guid("eaf", &[session_id])
}

/// The audio source of a session's recording.
pub fn audio_source_guid(session_id: &str) -> String {
    guid("audio", &[session_id])
}

/// The audio selection of one span (`nth`, 0-based) of a theme in a session's recording.
pub fn audio_selection_guid(session_id: &str, theme_id: &str, nth: usize) -> String {
    guid("audio-span", &[session_id, theme_id, &nth.to_string()])
}

/// The coding of one audio selection.
pub fn audio_coding_guid(session_id: &str, theme_id: &str, nth: usize) -> String {
    guid("audio-coding", &[session_id, theme_id, &nth.to_string()])
}

/// Text XML 1.0 can carry: control characters other than tab, line feed and carriage return
/// are not allowed even escaped, so they are dropped.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| allowed(*c)).collect())
    }
}

/// Writes one `Coding` of a selection: its GUID, who made it and when, and the code it refers to.
pub fn write_coding<W: Write>(
    w: &mut Writer<W>,
    coding: &str,
    code: &str,
    user: &str,
    created: &str,
) -> io::Result<()> {
    w.create_element("Coding")
        .with_attributes([
            ("guid", coding),
            ("creatingUser", user),
            ("creationDateTime", created),
        ])
        .write_inner_content(|w| {
            w.create_element("CodeRef")
                .with_attribute(("targetGUID", code))
                .write_empty()?;
            Ok(())
        })?;
    Ok(())
}

/// What a session's plain-text source says of itself: which session, who made it and when (the
/// session's start and the moment exported, read off `input`).
pub struct TextSourceHead<'a> {
    pub guid: &'a str,
    /// "field notes" or "transcript".
    pub what: &'a str,
    pub input: &'a ExportInput<'a>,
    /// In a study the name carries the session id too: labels repeat across sessions.
    pub study: bool,
    pub user: &'a str,
    pub description: &'a str,
}

/// Writes a session's `TextSource`: its name, path, users and times and its description, then
/// what `inner` writes inside it (selections, note references, variable values).
pub fn write_text_source<W: Write>(
    w: &mut Writer<W>,
    head: &TextSourceHead,
    inner: impl FnOnce(&mut Writer<W>) -> io::Result<()>,
) -> io::Result<()> {
    let state = head.input.session.state();
    let (label, session_id) = (&state.meta.label, head.input.id);
    let created = rfc3339(state.started_at);
    let modified = rfc3339(head.input.as_of);
    let path = format!("internal://{}.txt", head.guid);
    let name = if head.study {
        format!("{label} {} ({session_id})", head.what)
    } else {
        format!("{label} {}", head.what)
    };
    let name = xml_safe(&name).into_owned();
    w.create_element("TextSource")
        .with_attributes([
            ("guid", head.guid),
            ("name", name.as_str()),
            ("plainTextPath", path.as_str()),
            ("creatingUser", head.user),
            ("creationDateTime", created.as_str()),
            ("modifyingUser", head.user),
            ("modifiedDateTime", modified.as_str()),
        ])
        .write_inner_content(|w| {
            write_description(w, head.description)?;
            inner(w)
        })?;
    Ok(())
}

/// Writes `<Description>text</Description>`.
pub fn write_description<W: Write>(w: &mut Writer<W>, text: &str) -> io::Result<()> {
    w.create_element("Description")
        .write_text_content(BytesText::new(&xml_safe(text)))?;
    Ok(())
}

/// A theme's code description: its prompt, guidance and budget.
pub fn theme_description(theme: &Theme) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(prompt) = &theme.prompt {
        parts.push(prompt.clone());
    }
    if let Some(guidance) = &theme.guidance {
        parts.push(format!("Guidance: {guidance}"));
    }
    let mut facts = vec![format!("Theme id: {}", theme.id)];
    if theme.emergent {
        facts.push(crate::model::vocabulary::EMERGENT_MEANING.into());
    }
    if !theme.required {
        facts.push("optional".into());
    }
    if let Some(m) = theme.minutes {
        facts.push(format!("{m} min budget"));
    }
    parts.push(facts.join("; "));
    parts.join("\n\n")
}

/// Writes the `Code` of a probe with the GUID and name given.
pub fn write_probe_code<W: Write>(
    w: &mut Writer<W>,
    guid: &str,
    name: &str,
    required: bool,
) -> io::Result<()> {
    let name = xml_safe(name);
    let element = w.create_element("Code").with_attributes([
        ("guid", guid),
        ("name", name.as_ref()),
        ("isCodable", "true"),
    ]);
    if required {
        element.write_inner_content(|w| write_description(w, "Required probe"))?;
    } else {
        element.write_empty()?;
    }
    Ok(())
}

/// Writes one `Code` per theme of the guide, each with its probes as child codes, and the
/// emergent themes under their folder code. The element names are the same in the project and
/// the codebook schemas.
pub fn write_guide_codes<W: Write>(w: &mut Writer<W>, guide: &Guide) -> io::Result<()> {
    super::refi_codes::CodeMap::new([guide]).write(w)?;
    let emergent: Vec<&Theme> = guide.themes.iter().filter(|t| t.emergent).collect();
    write_emergent_folder(w, &emergent)
}

/// Writes the folder code "Emergent themes" with one code per distinct title among `themes`
/// (nothing when there are none).
pub fn write_emergent_folder<W: Write>(w: &mut Writer<W>, themes: &[&Theme]) -> io::Result<()> {
    let mut seen: Vec<String> = Vec::new();
    let mut distinct: Vec<&Theme> = Vec::new();
    for theme in themes {
        let key = title_key(&theme.title);
        if !seen.contains(&key) {
            seen.push(key);
            distinct.push(theme);
        }
    }
    if distinct.is_empty() {
        return Ok(());
    }
    let folder = emergent_folder_guid();
    w.create_element("Code")
        .with_attributes([
            ("guid", folder.as_str()),
            ("name", EMERGENT_FOLDER),
            ("isCodable", "false"),
        ])
        .write_inner_content(|w| {
            write_description(
                w,
                "Themes that came up in the room and were added during a session, matched across sessions by title",
            )?;
            for theme in &distinct {
                write_theme_code(w, theme)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// Writes the `Code` of one emergent theme, with its probes as child codes.
pub fn write_theme_code<W: Write>(w: &mut Writer<W>, theme: &Theme) -> io::Result<()> {
    let guid = code_guid_of(theme);
    let name = xml_safe(&theme.title);
    w.create_element("Code")
        .with_attributes([
            ("guid", guid.as_str()),
            ("name", name.as_ref()),
            ("isCodable", "true"),
        ])
        .write_inner_content(|w| {
            write_description(w, &theme_description(theme))?;
            for probe in &theme.probes {
                write_probe_code(
                    w,
                    &probe_code_guid(&theme.id, &probe.text),
                    &probe.text,
                    probe.required,
                )?;
            }
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_distinct() {
        let a = theme_code_guid("health");
        assert_eq!(a, theme_code_guid("health"));
        assert_ne!(a, theme_code_guid("access"));
        assert_eq!(
            probe_code_guid("health", " Diet "),
            probe_code_guid("health", "diet")
        );
        assert_ne!(
            probe_code_guid("health", "Diet"),
            probe_code_guid("access", "Diet")
        );
        assert_eq!(tag_code_guid("Quote"), tag_code_guid("quote"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5", "a version 5 UUID: {a}");
        assert_eq!(a, a.to_uppercase(), "upper case: {a}");
        assert_ne!(guide_folder_guid("Guide"), guide_folder_guid("Other guide"));
        assert_eq!(site_case_guid("DU"), site_case_guid("du"));
        assert_ne!(site_case_guid("DU"), site_case_guid("CR"));
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(xml_safe("a\u{1}b\tc\n"), "ab\tc\n");
        assert!(matches!(xml_safe("plain"), Cow::Borrowed(_)));
    }
}
