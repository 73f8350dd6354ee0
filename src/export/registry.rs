//! Every export format in one place: its name on the command line, its help line, and whether it
//! can only go to a file. The command line's `--format` choices and the "needs -o" rule are read
//! from these lists, so a new format is one entry here.

use super::safe_text::{json_separators_escaped, separators_removed};
use super::{
    ExportError, ExportInput, audacity, csv, eaf, html, json, markdown, matrix, qdc, qdpx,
    taguette, vtt,
};
use crate::model::guide::Guide;
use crate::model::review::{Filter, Matrix};

/// One format of one kind of export; `R` is how it is written.
#[derive(Debug)]
pub struct Format<R: 'static> {
    /// The `--format` value.
    pub name: &'static str,
    /// The line `--help` shows beside it.
    pub help: &'static str,
    /// What it writes when that cannot go to a terminal (`a zip file`): then it needs `-o`.
    pub file_only: Option<&'static str>,
    pub render: R,
}

impl<R> Format<R> {
    /// Why this format needs `-o FILE` when none was given; None when it does not.
    pub fn needs_output(&self, output_given: bool) -> Option<String> {
        match self.file_only {
            Some(what) if !output_given => Some(format!(
                "--format {} writes {what}: name it with -o FILE.{}",
                self.name, self.name
            )),
            _ => None,
        }
    }
}

/// The format called `name` in `list`.
pub fn find<R>(list: &'static [Format<R>], name: &str) -> Option<&'static Format<R>> {
    list.iter().find(|f| f.name == name)
}

/// How a session export is written.
pub type SessionRender = fn(&ExportInput) -> Result<Vec<u8>, ExportError>;

/// A text document as it is written: one last safety step, no line or paragraph separator.
fn text(s: String) -> Result<Vec<u8>, ExportError> {
    Ok(separators_removed(s).into_bytes())
}

/// A JSON document as it is written: separators as their escapes.
fn json_text(s: String) -> Result<Vec<u8>, ExportError> {
    Ok(json_separators_escaped(s).into_bytes())
}

/// `export SESSION --format F`, in the order `--help` lists them.
pub static SESSION_FORMATS: &[Format<SessionRender>] = &[
    Format {
        name: "json",
        help: "JSON: the session, its themes, notes and warnings",
        file_only: None,
        render: |i| json_text(json::render(i)),
    },
    Format {
        name: "md",
        help: "A Markdown report",
        file_only: None,
        render: |i| text(markdown::render(i)),
    },
    Format {
        name: "csv",
        help: "One row per note: session,offset,at,theme_id,theme_title,speaker,tags,text",
        file_only: None,
        render: |i| csv::render(i).and_then(text),
    },
    Format {
        name: "html",
        help: "A self-contained HTML report with a timeline",
        file_only: None,
        render: |i| text(html::render(i)),
    },
    Format {
        name: "audacity",
        help: "An Audacity label track: a region per theme span, a point per note",
        file_only: None,
        render: |i| text(audacity::render(i)),
    },
    Format {
        name: "vtt",
        help: "WebVTT captions: a cue per note, with the speaker as its voice",
        file_only: None,
        render: |i| text(vtt::render(i)),
    },
    Format {
        name: "qdpx",
        help: "A REFI-QDA project (a zip; needs -o)",
        file_only: Some("a zip file"),
        render: qdpx::render,
    },
    Format {
        name: "eaf",
        help: "An ELAN annotation document: tiers for themes, probes, notes and the transcript",
        file_only: None,
        render: |i| eaf::render(i).and_then(text),
    },
];

/// `export SESSION --format F` for the formats that copy the session folder itself rather than
/// render the session: written by the application layer (`app::bundle`), listed here so that
/// `--help` and the "needs -o" rule know them.
pub static FOLDER_FORMATS: &[Format<()>] = &[Format {
    name: "bundle",
    help: "The session folder as one checksummed file for `import` elsewhere (needs -o; encrypted with --recipient)",
    file_only: Some("one file to carry"),
    render: (),
}];

/// How the study's matrix is printed.
pub type MatrixRender = fn(&Matrix, &Filter) -> Result<String, ExportError>;

/// What `review --format F` writes: the matrix printed, or what needs the sessions themselves
/// (the study report, the study as one project), which the application layer writes.
#[derive(Debug, Clone, Copy)]
pub enum StudyForm {
    Matrix(MatrixRender),
    /// The study report for a team meeting (HTML).
    Report,
    /// The framework-matrix workbook (xlsx).
    Workbook,
    Project,
}

/// `review --format F`, in the order `--help` lists them.
pub static STUDY_FORMATS: &[Format<StudyForm>] = &[
    Format {
        name: "csv",
        help: "",
        file_only: None,
        render: StudyForm::Matrix(matrix::csv),
    },
    Format {
        name: "md",
        help: "",
        file_only: None,
        render: StudyForm::Matrix(matrix::markdown),
    },
    Format {
        name: "json",
        help: "",
        file_only: None,
        render: StudyForm::Matrix(matrix::json),
    },
    Format {
        name: "html",
        help: "A self-contained study report: coverage, gaps, the framework matrix, parked questions, sites",
        file_only: None,
        render: StudyForm::Report,
    },
    Format {
        name: "xlsx",
        help: "The framework-matrix workbook: a sheet per guide (sessions, then participants, by themes, notes in the cells) and the coverage (needs -o)",
        file_only: Some("a workbook"),
        render: StudyForm::Workbook,
    },
    Format {
        name: "qdpx",
        help: "The whole study as one REFI-QDA project (a zip: needs `-o`).",
        file_only: Some("a zip file"),
        render: StudyForm::Project,
    },
];

/// How a guide export is written.
pub type GuideRender = fn(&Guide) -> Result<Vec<u8>, ExportError>;

/// `guide export GUIDE --format F`.
pub static GUIDE_FORMATS: &[Format<GuideRender>] = &[
    Format {
        name: "qdc",
        help: "A REFI-QDA codebook: themes as codes, probes as child codes",
        file_only: None,
        render: |g| qdc::render(g).and_then(text),
    },
    Format {
        name: "csv",
        help: "A CSV codebook (tag,description) as Taguette imports it: a row per theme and per probe",
        file_only: None,
        render: |g| taguette::render(g).and_then(text),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_only_file_formats_need_o() {
        for names in [
            SESSION_FORMATS
                .iter()
                .map(|f| f.name)
                .chain(FOLDER_FORMATS.iter().map(|f| f.name))
                .collect::<Vec<_>>(),
            STUDY_FORMATS.iter().map(|f| f.name).collect(),
        ] {
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len());
        }
        let qdpx = find(SESSION_FORMATS, "qdpx").expect("qdpx");
        assert_eq!(
            qdpx.needs_output(false).as_deref(),
            Some("--format qdpx writes a zip file: name it with -o FILE.qdpx")
        );
        assert_eq!(qdpx.needs_output(true), None);
        assert_eq!(
            find(SESSION_FORMATS, "md").and_then(|f| f.needs_output(false)),
            None
        );
    }
}
