//! The guide as a CSV codebook for Taguette, which imports codebooks only as CSV: a header
//! `tag,description`, then a row per theme (its title; its prompt as the description) and a
//! row per probe (`Theme title / probe`; "Required probe of ..." or "Probe of ..."). Taguette's
//! tags are flat and sorted by name, so each probe sits right under its theme. A tag name is
//! never used twice (see [`super::refi_codes::UniqueNames`]). Quoting follows RFC 4180.

use super::ExportError;
use super::refi_codes::UniqueNames;
use crate::model::guide::Guide;
use crate::text::printable;

/// The header row, as Taguette's importer looks for it.
pub const HEADER: [&str; 2] = ["tag", "description"];

/// The codebook, header first, rows ending in `\n`.
pub fn render(guide: &Guide) -> Result<String, ExportError> {
    let fail = |e: ::csv::Error| ExportError::write("csv", e);
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(HEADER).map_err(fail)?;
    let mut names = UniqueNames::default();
    for theme in &guide.themes {
        let title = names.claim(&printable(theme.title.trim()), &theme.id);
        let mut description = theme.prompt.clone().unwrap_or_default();
        if !theme.required {
            description.push_str(" (optional theme)");
        }
        writer
            .write_record([title.as_str(), printable(description.trim()).as_str()])
            .map_err(fail)?;
        for probe in &theme.probes {
            let name = names.claim(
                &printable(&format!("{} / {}", theme.title.trim(), probe.text.trim())),
                &theme.id,
            );
            let kind = if probe.required {
                "Required probe"
            } else {
                "Probe"
            };
            let description = format!("{kind} of the theme \"{}\"", printable(&theme.title));
            writer
                .write_record([name.as_str(), description.as_str()])
                .map_err(fail)?;
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::write("csv", e.error()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::write("csv", e))
}
