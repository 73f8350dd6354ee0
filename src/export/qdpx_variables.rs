//! The session's site, kind, mode, guide and date as REFI-QDA variables: declared once in
//! `Variables`, their values on each of the session's sources (the notes, the transcript, the
//! recording), so a lead researcher can sort and filter documents by them.
//!
//! The published project schema misspells the attribute as `" typeOfVariable"` (with a leading
//! space), so no `Variable` can validate against it as published; every tool (QualCoder,
//! NVivo, MAXQDA, ATLAS.ti) writes and reads `typeOfVariable`, which is what is written here.

use super::ExportInput;
use super::refi::{variable_guid, write_description};
use quick_xml::Writer;
use quick_xml::events::BytesText;
use std::io::{self, Write};

/// (name, REFI type, description) of each variable.
const VARIABLES: [(&str, &str, &str); 5] = [
    ("Site", "Text", "The site or programme code of the session"),
    ("Kind", "Text", "focus-group or interview"),
    ("Mode", "Text", "in-person, telephone or video"),
    ("Guide", "Text", "The topic guide's title and version"),
    ("Date", "Date", "The day the session began (UTC)"),
];

/// Writes the `Variables` element.
pub fn write_variables<W: Write>(w: &mut Writer<W>) -> io::Result<()> {
    w.create_element("Variables").write_inner_content(|w| {
        for (name, kind, description) in VARIABLES {
            let guid = variable_guid(name);
            w.create_element("Variable")
                .with_attributes([
                    ("guid", guid.as_str()),
                    ("name", name),
                    ("typeOfVariable", kind),
                ])
                .write_inner_content(|w| write_description(w, description))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The session's value of each variable it has, as (name, element, value).
fn values(input: &ExportInput) -> Vec<(&'static str, &'static str, String)> {
    let state = input.session.state();
    let meta = &state.meta;
    let guide = &input.session.guide;
    let mut out = Vec::new();
    if let Some(site) = &meta.site {
        out.push(("Site", "TextValue", site.clone()));
    }
    out.push(("Kind", "TextValue", meta.kind.to_string()));
    out.push(("Mode", "TextValue", meta.mode.to_string()));
    let version = guide
        .version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    out.push(("Guide", "TextValue", format!("{}{version}", guide.title)));
    out.push((
        "Date",
        "DateValue",
        state.started_at.date_naive().format("%Y-%m-%d").to_string(),
    ));
    out
}

/// Writes the session's `VariableValue`s (inside a source).
pub fn write_values<W: Write>(w: &mut Writer<W>, input: &ExportInput) -> io::Result<()> {
    for (name, element, value) in values(input) {
        w.create_element("VariableValue").write_inner_content(|w| {
            let guid = variable_guid(name);
            w.create_element("VariableRef")
                .with_attribute(("targetGUID", guid.as_str()))
                .write_empty()?;
            w.create_element(element)
                .write_text_content(BytesText::new(&super::refi::xml_safe(&value)))?;
            Ok(())
        })?;
    }
    Ok(())
}
