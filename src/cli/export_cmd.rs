//! `topicguide export SESSION --format F [-o FILE] [--audio FILE]`.

use super::output::write_output;
use crate::app::clock::now;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::export_input;
use crate::app::study::load_for_export;
use crate::app::transcript::{read_audio, transcript_of};
use crate::export::ExportError;
use crate::export::registry::{Format, SessionRender};
use crate::storage::session_store::resolve_session;
use crate::text::terminal::eprint_line;
use std::path::Path;

impl From<ExportError> for AppError {
    fn from(e: ExportError) -> Self {
        AppError::Unexpected(e.to_string())
    }
}

/// The formats that carry (qdpx) or link to (eaf) the recording given with `--audio`.
const AUDIO_FORMATS: [&str; 2] = ["qdpx", "eaf"];

pub fn run(
    ctx: &Context,
    session: &str,
    format: &Format<SessionRender>,
    output: Option<&Path>,
    audio: Option<&Path>,
) -> Result<(), AppError> {
    if audio.is_some() && !AUDIO_FORMATS.contains(&format.name) {
        return Err(AppError::User(
            "--audio goes with --format qdpx or eaf: the other formats do not carry the recording"
                .into(),
        ));
    }
    if let Some(problem) = format.needs_output(output.is_some()) {
        return Err(AppError::User(problem));
    }
    let dir = resolve_session(ctx.data_dir()?, session)?;
    let (loaded, notices) = load_for_export(&dir)?;
    for notice in notices {
        eprint_line(&notice);
    }
    // A transcript that cannot be read (a copied folder without its file) leaves the rest of
    // the export whole: say so.
    let transcript = transcript_of(&loaded).unwrap_or_else(|e| {
        eprint_line(&format!("warning: {}: transcript left out: {e}", loaded.id));
        None
    });
    let audio = audio
        .map(|path| read_audio(path, format.name == "qdpx"))
        .transpose()?;
    let mut input = export_input(&loaded, now());
    input.transcript = transcript.as_ref();
    input.audio = audio.as_ref();
    let bytes = (format.render)(&input)?;
    write_output(output, &bytes, ctx.data_dir().ok())
}
