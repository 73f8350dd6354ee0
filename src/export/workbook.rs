//! The framework-matrix workbook (`review --format xlsx`) that framework analysis works from:
//! for each guide a sheet with the sessions as rows and the themes as columns, every note in its
//! cell, and a sheet with the participants as rows; then the coverage of every theme in every
//! session. Written with rust_xlsxwriter; every value is written as text or a number, never as a
//! formula, so nothing a participant said can run in a spreadsheet.

use super::ExportError;
use super::ExportInput;
use crate::model::review::{CellStatus, Matrix, notes_on};
use crate::model::session::Note;
use crate::model::timefmt::{hms, local_datetime};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};
use std::collections::BTreeSet;

/// Excel's longest sheet name.
const SHEET_NAME_CHARS: usize = 31;
/// Width of a theme's column, in characters.
const NOTES_COL_WIDTH: f64 = 48.0;
/// Width of the columns that name a session or participant.
const NAME_COL_WIDTH: f64 = 22.0;
/// The most characters one cell holds (Excel's limit is 32,767).
const MAX_CELL_CHARS: usize = 32_000;

fn failed(e: rust_xlsxwriter::XlsxError) -> ExportError {
    ExportError::write("xlsx", e)
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique in `taken`.
fn sheet_name(wanted: &str, taken: &mut BTreeSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let clean = clean
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches('\'')
        .to_string();
    let base: String = clean.chars().take(SHEET_NAME_CHARS).collect();
    let base = if base.is_empty() {
        "Sheet".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!(" {n}");
        let keep = SHEET_NAME_CHARS - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// A note as one line of a cell: `00:12:50 P3: text #tags`.
fn note_line(input: &ExportInput, note: &Note) -> String {
    let state = input.session.state();
    let speaker = note
        .speaker
        .as_deref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default();
    format!(
        "{} {speaker}{}",
        hms(state.offset_seconds(note.at)),
        note.text
    )
}

fn cell_text(lines: &[String]) -> String {
    let text = lines.join("\n");
    if text.chars().count() > MAX_CELL_CHARS {
        let cut: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The workbook's bytes.
pub fn render(sessions: &[ExportInput], matrix: &Matrix) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut taken = BTreeSet::new();
    let guides = matrix.guide_titles();
    for guide_title in guides {
        let of_guide: Vec<&ExportInput> = sessions
            .iter()
            .filter(|s| s.session.guide.title == guide_title)
            .collect();
        let Some(first) = of_guide.first() else {
            continue;
        };
        let guide = &first.session.guide;
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(sheet_name(guide_title, &mut taken))
            .map_err(failed)?;
        by_session(sheet, &of_guide, guide, &header, &wrap)?;
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(sheet_name(&format!("People · {guide_title}"), &mut taken))
            .map_err(failed)?;
        by_participant(sheet, &of_guide, guide, &header, &wrap)?;
    }
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(sheet_name("Coverage", &mut taken))
        .map_err(failed)?;
    coverage(sheet, matrix, &header)?;
    workbook.save_to_buffer().map_err(failed)
}

/// The columns before the themes on a sessions sheet.
const SESSION_HEADS: [&str; 5] = ["Session", "Id", "Site", "Started", "Note-taker"];

/// The header row of a framework sheet: `heads`, then a column per theme of `guide`. Returns
/// where its rows' cells go.
fn header_row<'a>(
    sheet: &mut Worksheet,
    heads: &[&str],
    guide: &'a crate::model::guide::Guide,
    header: &Format,
    wrap: &'a Format,
) -> Result<Cells<'a>, ExportError> {
    let first_theme = heads.len() as u16;
    for (c, head) in heads.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *head, header)
            .map_err(failed)?;
        sheet
            .set_column_width(c as u16, NAME_COL_WIDTH)
            .map_err(failed)?;
    }
    for (t, theme) in guide.themes.iter().enumerate() {
        let col = first_theme + t as u16;
        sheet
            .write_string_with_format(0, col, &theme.title, header)
            .map_err(failed)?;
        sheet
            .set_column_width(col, NOTES_COL_WIDTH)
            .map_err(failed)?;
    }
    Ok(Cells {
        guide,
        first_theme,
        wrap,
    })
}

/// Where a framework-matrix row goes: its first columns, then a cell per theme of `guide`.
struct Cells<'a> {
    guide: &'a crate::model::guide::Guide,
    first_theme: u16,
    wrap: &'a Format,
}

impl Cells<'_> {
    /// One row: `values` in the first columns, then under each theme the notes on it that
    /// `keep` keeps, one a line (an empty cell where there are none).
    fn write_row(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        values: &[String],
        input: &ExportInput,
        keep: impl Fn(&Note) -> bool,
    ) -> Result<(), ExportError> {
        for (c, value) in values.iter().enumerate() {
            sheet
                .write_string_with_format(row, c as u16, value, self.wrap)
                .map_err(failed)?;
        }
        for (t, theme) in self.guide.themes.iter().enumerate() {
            let lines: Vec<String> = notes_on(input.session, &theme.id)
                .into_iter()
                .filter(|n| keep(n))
                .map(|n| note_line(input, n))
                .collect();
            if !lines.is_empty() {
                sheet
                    .write_string_with_format(
                        row,
                        self.first_theme + t as u16,
                        cell_text(&lines),
                        self.wrap,
                    )
                    .map_err(failed)?;
            }
        }
        Ok(())
    }
}

fn by_session(
    sheet: &mut Worksheet,
    sessions: &[&ExportInput],
    guide: &crate::model::guide::Guide,
    header: &Format,
    wrap: &Format,
) -> Result<(), ExportError> {
    let cells = header_row(sheet, &SESSION_HEADS, guide, header, wrap)?;
    for (r, input) in sessions.iter().enumerate() {
        let row = 1 + r as u32;
        let state = input.session.state();
        let meta = &state.meta;
        let values = [
            meta.label.clone(),
            input.id.to_string(),
            meta.site.clone().unwrap_or_default(),
            local_datetime(state.started_at),
            meta.researcher.clone().unwrap_or_default(),
        ];
        cells.write_row(sheet, row, &values, input, |_| true)?;
    }
    sheet.set_freeze_panes(1, 1).map_err(failed)?;
    Ok(())
}

fn by_participant(
    sheet: &mut Worksheet,
    sessions: &[&ExportInput],
    guide: &crate::model::guide::Guide,
    header: &Format,
    wrap: &Format,
) -> Result<(), ExportError> {
    let cells = header_row(
        sheet,
        &["Participant", "Session", "Id", "Site"],
        guide,
        header,
        wrap,
    )?;
    let mut row = 1u32;
    for input in sessions {
        let state = input.session.state();
        // Everyone listed, then anyone who spoke without being listed.
        for (person, _) in state.notes_per_speaker() {
            let values = [
                person.clone(),
                state.meta.label.clone(),
                input.id.to_string(),
                state.meta.site.clone().unwrap_or_default(),
            ];
            cells.write_row(sheet, row, &values, input, |n| {
                n.speaker.as_deref() == Some(person.as_str())
            })?;
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 1).map_err(failed)?;
    Ok(())
}

/// Themes as rows, sessions as columns: the status word and the minutes discussed.
fn coverage(sheet: &mut Worksheet, matrix: &Matrix, header: &Format) -> Result<(), ExportError> {
    let names = matrix.column_names();
    sheet
        .write_string_with_format(0, 0, "Theme", header)
        .map_err(failed)?;
    sheet
        .write_string_with_format(0, 1, "Theme id", header)
        .map_err(failed)?;
    sheet.set_column_width(0, 36.0).map_err(failed)?;
    for (c, name) in names.iter().enumerate() {
        let col = 2 + 2 * c as u16;
        sheet
            .write_string_with_format(0, col, name, header)
            .map_err(failed)?;
        sheet
            .write_string_with_format(0, col + 1, "minutes", header)
            .map_err(failed)?;
        sheet.set_column_width(col, 16.0).map_err(failed)?;
    }
    let gaps_col = 2 + 2 * names.len() as u16;
    sheet
        .write_string_with_format(0, gaps_col, "Gaps", header)
        .map_err(failed)?;
    for (r, row) in matrix.rows.iter().enumerate() {
        let at = 1 + r as u32;
        sheet.write_string(at, 0, &row.title).map_err(failed)?;
        sheet.write_string(at, 1, &row.theme_id).map_err(failed)?;
        for (c, cell) in row.cells.iter().enumerate() {
            let col = 2 + 2 * c as u16;
            sheet
                .write_string(at, col, cell.status.label())
                .map_err(failed)?;
            if cell.status != CellStatus::Absent {
                sheet
                    .write_number(at, col + 1, cell.minutes() as f64)
                    .map_err(failed)?;
            }
        }
        sheet
            .write_number(at, gaps_col, row.gaps() as f64)
            .map_err(failed)?;
    }
    sheet.set_freeze_panes(1, 2).map_err(failed)?;
    Ok(())
}
