//! `topicguide review`: the coverage matrix across sessions, printed as CSV, Markdown or JSON,
//! or shown on the review screen; or the whole study as one REFI-QDA project (`qdpx`).

use super::output::write_output;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::{
    load_matrix, load_sessions, matrix_of, study_project, study_report, study_workbook,
};
use crate::app::transcript::transcript_section;
use crate::export::registry::{Format, StudyForm};
use crate::model::guide::SessionKind;
use crate::model::review::{Filter, Matrix};
use crate::storage::session_store::LoadedSession;
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
    let bytes = match format.render {
        StudyForm::Matrix(render) => {
            let markdown = format.name == "md";
            let (matrix, checks) = load_matrix(ctx, names, filter, markdown)?;
            if matrix.columns.is_empty() {
                return Err(nothing_to_review(ctx, filter)?);
            }
            let mut text = render(&matrix, filter)?;
            if markdown {
                text.push_str(&transcript_section(&matrix, &checks));
            }
            text.into_bytes()
        }
        StudyForm::Report => {
            let (sessions, matrix) = whole_study(ctx, names, filter)?;
            study_report(&sessions, &matrix, filter).into_bytes()
        }
        StudyForm::Workbook => {
            let (sessions, matrix) = whole_study(ctx, names, filter)?;
            study_workbook(&sessions, &matrix)?
        }
        StudyForm::Project => {
            let (sessions, matrix) = whole_study(ctx, names, filter)?;
            study_project(&sessions, &matrix, filter)?
        }
    };
    write_output(output, &bytes, ctx.data_dir().ok())
}

/// The sessions whole, for the formats that show their notes, and their matrix.
fn whole_study(
    ctx: &Context,
    names: &[String],
    filter: &Filter,
) -> Result<(Vec<LoadedSession>, Matrix), AppError> {
    let sessions = load_sessions(ctx, names, filter)?;
    if sessions.is_empty() {
        return Err(nothing_to_review(ctx, filter)?);
    }
    let matrix = matrix_of(&sessions.iter().collect::<Vec<_>>());
    Ok((sessions, matrix))
}

/// The error of a review with no session to show.
fn nothing_to_review(ctx: &Context, filter: &Filter) -> Result<AppError, AppError> {
    Ok(AppError::User(format!(
        "no sessions to review in {}{}",
        ctx.data_dir()?.display(),
        if *filter == Filter::default() {
            ""
        } else {
            " with these filters"
        }
    )))
}

/// The filter from the command line.
pub fn filter_from(site: Option<&str>, kind: Option<SessionKind>, guide: Option<&str>) -> Filter {
    Filter {
        site: site.map(str::to_string),
        kind,
        guide_title: guide.map(str::to_string),
    }
}
