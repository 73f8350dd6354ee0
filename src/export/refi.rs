//! What the two REFI-QDA exports (`qdpx`, `qdc`) share: stable GUIDs and the guide as codes.
//!
//! Every GUID is a UUID v5 in one fixed namespace, named after what it stands for, so the same
//! theme has the same code GUID in every export of every session run on that guide, and
//! exporting a session twice gives the same file:
//!
//! - a theme's code: the guide title and the theme id;
//! - an emergent theme's code (a theme added in the room): its title, case and spacing aside,
//!   whatever the guide, so the same theme added in two sessions is one code; the folder code
//!   "Emergent themes" that holds them: fixed;
//! - a probe's code: the guide title, the theme id and the probe's position (1-based);
//! - a tag's code and the "Tags" folder code: the tag in lower case (the same in every guide);
//! - the notes source: the session id; a note's selection: the session id and the note id;
//! - a participant's case: the session id and the participant's name (P3 of one group is not
//!   P3 of another);
//! - in a study of several guides, a guide's folder code: the guide title;
//! - in a study, a site's case: the site code in lower case;
//! - the one user, the note-taker: fixed.

use crate::model::emergent::title_key;
use crate::model::guide::{Guide, Probe, Theme};
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
    Uuid::new_v5(&GUID_NAMESPACE, name.as_bytes())
        .hyphenated()
        .to_string()
}

/// The code of a theme.
pub fn theme_code_guid(guide_title: &str, theme_id: &str) -> String {
    guid("theme", &[guide_title, theme_id])
}

/// The code a note on `theme` of `guide` is coded to: the theme's own, or for an emergent
/// theme the one code every session shares for that title.
pub fn code_guid_of(guide: &Guide, theme: &Theme) -> String {
    if theme.emergent {
        guid("emergent", &[&title_key(&theme.title)])
    } else {
        theme_code_guid(&guide.title, &theme.id)
    }
}

/// The folder code "Emergent themes".
pub fn emergent_folder_guid() -> String {
    guid("emergent-folder", &[])
}

/// The code of the probe at `index` (0-based) of a theme.
pub fn probe_code_guid(guide_title: &str, theme_id: &str, index: usize) -> String {
    guid("probe", &[guide_title, theme_id, &(index + 1).to_string()])
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

/// Writes `<Description>text</Description>`.
pub fn write_description<W: Write>(w: &mut Writer<W>, text: &str) -> io::Result<()> {
    w.create_element("Description")
        .write_text_content(BytesText::new(&xml_safe(text)))?;
    Ok(())
}

/// A theme's code description: its prompt, guidance and budget.
fn theme_description(theme: &Theme) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(prompt) = &theme.prompt {
        parts.push(prompt.clone());
    }
    if let Some(guidance) = &theme.guidance {
        parts.push(format!("Guidance: {guidance}"));
    }
    let mut facts = vec![format!("Theme id: {}", theme.id)];
    if theme.emergent {
        facts.push("emergent: added in the room, not in the guide".into());
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

fn write_probe<W: Write>(
    w: &mut Writer<W>,
    guide: &Guide,
    theme: &Theme,
    index: usize,
    probe: &Probe,
) -> io::Result<()> {
    let guid = probe_code_guid(&guide.title, &theme.id, index);
    let name = xml_safe(&probe.text);
    let element = w.create_element("Code").with_attributes([
        ("guid", guid.as_str()),
        ("name", name.as_ref()),
        ("isCodable", "true"),
    ]);
    if probe.required {
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
    for theme in guide.themes.iter().filter(|t| !t.emergent) {
        write_theme_code(w, guide, theme)?;
    }
    let emergent: Vec<(&Guide, &Theme)> = guide
        .themes
        .iter()
        .filter(|t| t.emergent)
        .map(|t| (guide, t))
        .collect();
    write_emergent_folder(w, &emergent)
}

/// Writes the folder code "Emergent themes" with one code per distinct title among `themes`
/// (nothing when there are none).
pub fn write_emergent_folder<W: Write>(
    w: &mut Writer<W>,
    themes: &[(&Guide, &Theme)],
) -> io::Result<()> {
    let mut seen: Vec<String> = Vec::new();
    let mut distinct: Vec<(&Guide, &Theme)> = Vec::new();
    for (guide, theme) in themes {
        let key = title_key(&theme.title);
        if !seen.contains(&key) {
            seen.push(key);
            distinct.push((guide, theme));
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
            for (guide, theme) in &distinct {
                write_theme_code(w, guide, theme)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// Writes the `Code` of one theme of the guide, with its probes as child codes.
pub fn write_theme_code<W: Write>(
    w: &mut Writer<W>,
    guide: &Guide,
    theme: &Theme,
) -> io::Result<()> {
    let guid = code_guid_of(guide, theme);
    let name = xml_safe(&theme.title);
    w.create_element("Code")
        .with_attributes([
            ("guid", guid.as_str()),
            ("name", name.as_ref()),
            ("isCodable", "true"),
        ])
        .write_inner_content(|w| {
            write_description(w, &theme_description(theme))?;
            for (index, probe) in theme.probes.iter().enumerate() {
                write_probe(w, guide, theme, index, probe)?;
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
        let a = theme_code_guid("Guide", "health");
        assert_eq!(a, theme_code_guid("Guide", "health"));
        assert_ne!(a, theme_code_guid("Guide", "access"));
        assert_ne!(a, theme_code_guid("Other guide", "health"));
        assert_eq!(tag_code_guid("Quote"), tag_code_guid("quote"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5", "a version 5 UUID: {a}");
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
