//! `topicguide transcript SESSION FILE [--offset SECONDS] [--speaker NAME=PSEUDONYM]...`.

use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::transcript::attach;
use std::io::Write;
use std::path::Path;

pub fn run(
    ctx: &Context,
    session: &str,
    file: &Path,
    offset: Option<f64>,
    speakers: &[String],
    out: &mut impl Write,
) -> Result<(), AppError> {
    for line in attach(ctx, session, file, offset, speakers)? {
        writeln!(out, "{line}").map_err(AppError::output)?;
    }
    Ok(())
}
