//! `topicguide guide check`, `guide list` and `guide export`.

use super::output::write_output;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::export::registry::{Format, GuideRender};
use crate::library::{GuideOrigin, all_guides, find_guide, format_report};
use crate::model::guide_parse::parse_guide;
use crate::model::toml_check::located;
use crate::text::bounded_read::{MAX_GUIDE_BYTES, read_capped};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Prints every problem of every file; fails if any file has an error.
pub fn check(files: &[PathBuf], out: &mut dyn Write) -> Result<(), AppError> {
    let mut failed = 0usize;
    for path in files {
        let name = path.display().to_string();
        let text = match read_capped(path, MAX_GUIDE_BYTES, false) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    let offset = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(&e.into_bytes()[..offset]).into_owned();
                    write_line(
                        out,
                        &located(&name, &text, offset, "the file is not UTF-8 text"),
                    )?;
                    failed += 1;
                    continue;
                }
            },
            Err(e) => {
                write_line(out, &format!("{name}:1:1: cannot read the file: {e}"))?;
                failed += 1;
                continue;
            }
        };
        let report = parse_guide(&text);
        for line in format_report(&name, &text, &report) {
            write_line(out, &line)?;
        }
        match &report.guide {
            Some(guide) => crate::text::terminal::eprint_line(&format!(
                "{name}: ok: \"{}\", {}, {} of {} minutes budgeted",
                guide.title,
                themes(guide.themes.len()),
                guide.budgeted_minutes(),
                guide.duration_minutes
            )),
            None => failed += 1,
        }
    }
    if failed > 0 {
        return Err(AppError::User(format!(
            "{failed} of {} guide file{} not valid",
            files.len(),
            if files.len() == 1 { " is" } else { "s are" }
        )));
    }
    Ok(())
}

/// "1 theme", "8 themes".
fn themes(n: usize) -> String {
    format!("{n} theme{}", if n == 1 { "" } else { "s" })
}

fn write_line(out: &mut dyn Write, line: &str) -> Result<(), AppError> {
    writeln!(out, "{line}").map_err(AppError::output)
}

/// Lists the built-in guides and the user's, with whether each is valid.
pub fn list(ctx: &Context, out: &mut dyn Write) -> Result<(), AppError> {
    let user_dir = ctx.user_guides_dir();
    let guides = all_guides(user_dir.as_deref());
    for source in &guides {
        let place = match &source.origin {
            GuideOrigin::Builtin(_) => "built-in".to_string(),
            GuideOrigin::File(path) => path.display().to_string(),
        };
        let line = match source.load() {
            Ok(g) => format!(
                "{}  {}  {}, {} min  {}",
                source.name(),
                g.title,
                themes(g.themes.len()),
                g.duration_minutes,
                place
            ),
            Err(e) => format!("{}  INVALID: {e}", source.name()),
        };
        write_line(out, &line)?;
    }
    if let Some(dir) = user_dir
        && !guides
            .iter()
            .any(|g| matches!(g.origin, GuideOrigin::File(_)))
    {
        crate::text::terminal::eprint_line(&format!(
            "(no guides of your own yet: put .toml guides in {})",
            dir.display()
        ));
    }
    Ok(())
}

/// Writes a guide (a file path or a guide's name) in an exchange format, to `output` or stdout.
pub fn export(
    ctx: &Context,
    guide: &str,
    format: &Format<GuideRender>,
    output: Option<&Path>,
) -> Result<(), AppError> {
    let user_dir = ctx.user_guides_dir();
    let source = find_guide(guide, user_dir.as_deref()).map_err(AppError::User)?;
    let guide = source.load().map_err(AppError::User)?;
    if let Some(problem) = format.needs_output(output.is_some()) {
        return Err(AppError::User(problem));
    }
    let bytes = (format.render)(&guide)?;
    write_output(output, &bytes, ctx.data_dir().ok())
}
