//! `topicguide review`: the coverage matrix across sessions, printed as CSV, Markdown or JSON,
//! or shown on the review screen; or the whole study as one REFI-QDA project (`qdpx`).

use super::output::write_output;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::{
    agreement_section, load_sessions, matrix_of, study_project, study_report, study_workbook,
};
use crate::app::transcript::transcript_section;
use crate::export::registry::{Format, StudyForm};
use crate::model::guide::SessionKind;
use crate::model::review::Filter;
use std::path::Path;

/// `review --format F`.
pub fn print(
    ctx: &Context,
    names: &[String],
    filter: &Filter,
    format: &Format<StudyForm>,
    output: Option<&Path>,
) -> Result<(), AppError> {
    if let Some(problem) = format.needs_output(output.is_some()) {
        return Err(AppError::User(problem));
    }
    let sessions = load_sessions(ctx, names, filter)?;
    if sessions.is_empty() {
        return Err(AppError::User(format!(
            "no sessions to review in {}{}",
            ctx.data_dir()?.display(),
            if *filter == Filter::default() {
                ""
            } else {
                " with these filters"
            }
        )));
    }
    let matrix = matrix_of(&sessions.iter().collect::<Vec<_>>());
    let bytes = match format.render {
        StudyForm::Matrix(render) if format.name == "md" => (render(&matrix, filter)?
            + &transcript_section(&sessions, &matrix)
            + &agreement_section(&sessions, &matrix))
            .into_bytes(),
        StudyForm::Matrix(render) => render(&matrix, filter)?.into_bytes(),
        StudyForm::Report => study_report(&sessions, &matrix, filter).into_bytes(),
        StudyForm::Project => study_project(&sessions, &matrix, filter)?,
        StudyForm::Workbook => study_workbook(&sessions, &matrix)?,
    };
    write_output(output, &bytes, ctx.data_dir().ok())
}

/// The filter from the command line.
pub fn filter_from(site: Option<&str>, kind: Option<SessionKind>, guide: Option<&str>) -> Filter {
    Filter {
        site: site.map(str::to_string),
        kind,
        guide_title: guide.map(str::to_string),
    }
}
