//! The notes as CSV, one row per note, for spreadsheets: `session,offset,at,theme_id,theme_title,speaker,tags,text`.
//!
//! `offset` is `HH:MM:SS` from the recording mark, else from the start (the origin of the JSON's
//! `offset_seconds`; a note taken before the mark has a negative offset, `-00:00:30`). `at` is
//! RFC 3339 in UTC. `tags` are the note's tags without `#`, separated by one space (a tag is one
//! word, so a space can never be part of one). `text` is the note as typed less the speaker mark,
//! tags included. Quoting follows RFC 4180 (the `csv` crate); rows end in `\n`. A user-text cell
//! that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or CR) starts
//! with `'` (see [`super::safe_text::csv_cell`]).

use super::safe_text::csv_cell;
use super::{ExportError, ExportInput};
use crate::model::timefmt::{hms, rfc3339};

/// The header row, exactly.
pub const HEADER: [&str; 8] = [
    "session",
    "offset",
    "at",
    "theme_id",
    "theme_title",
    "speaker",
    "tags",
    "text",
];

/// What separates a note's tags in the `tags` column.
pub const TAG_SEPARATOR: &str = " ";

/// The CSV document, header first.
pub fn render(input: &ExportInput) -> Result<String, ExportError> {
    let fail = |e: ::csv::Error| ExportError::write("csv", e);
    let guide = &input.session.guide;
    let state = input.session.state();
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(HEADER).map_err(fail)?;
    for note in &state.notes {
        let theme_title = note
            .theme
            .as_deref()
            .and_then(|id| guide.theme(id))
            .map_or("", |t| t.title.as_str());
        // The offset and the time are ours (a negative offset starts with '-' and is no
        // formula); every other cell is user text.
        writer
            .write_record([
                &csv_cell(input.id),
                hms(state.offset_seconds(note.at)).as_str(),
                &rfc3339(note.at),
                &csv_cell(note.theme.as_deref().unwrap_or("")),
                &csv_cell(theme_title),
                &csv_cell(note.speaker.as_deref().unwrap_or("")),
                &csv_cell(&note.tags.join(TAG_SEPARATOR)),
                &csv_cell(&note.text),
            ])
            .map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::write("csv", e.error()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::write("csv", e))
}
