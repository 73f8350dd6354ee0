//! The guide alone as a REFI-QDA codebook (`.qdc`, namespace `urn:QDA-XML:codebook:1.0`).
//!
//! One code per theme, with the theme's prompt, guidance and budget as its description, and the
//! theme's probes as child codes. The GUIDs are those of the `qdpx` export (see [`super::refi`]),
//! so a codebook imported first and a project imported later share their codes.

use super::ExportError;
use super::refi::{origin, write_guide_codes};
use crate::model::guide::Guide;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

/// The codebook namespace.
pub const NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// The codebook as an XML document, ending in a newline.
pub fn render(guide: &Guide) -> Result<String, ExportError> {
    let fail = |e: std::io::Error| ExportError::write("qdc", e);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .map_err(fail)?;
    let origin = match &guide.version {
        Some(v) => format!("{}; guide \"{}\" version {v}", origin(), guide.title),
        None => format!("{}; guide \"{}\"", origin(), guide.title),
    };
    let origin = super::refi::xml_safe(&origin);
    w.create_element("CodeBook")
        .with_attributes([("xmlns", NAMESPACE), ("origin", origin.as_ref())])
        .write_inner_content(|w| {
            w.create_element("Codes")
                .write_inner_content(|w| write_guide_codes(w, guide))?;
            Ok(())
        })
        .map_err(fail)?;
    let mut text = String::from_utf8(w.into_inner()).map_err(|e| ExportError::write("qdc", e))?;
    text.push('\n');
    Ok(text)
}
