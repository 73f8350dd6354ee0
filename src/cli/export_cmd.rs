//! `topicguide export SESSION --format F [-o FILE]`.

use super::args::ExportFormat;
use super::context::Context;
use super::error::CliError;
use super::output::write_output;
use crate::export::{
    AudioFile, ExportError, ExportInput, audacity, csv, eaf, html, json, markdown, one_line, qdpx,
    vtt,
};
use crate::storage::session_store::{LoadedSession, load_session, resolve_session};
use crate::storage::transcript_store::load_transcript;
use chrono::Utc;
use std::path::Path;

impl From<ExportError> for CliError {
    fn from(e: ExportError) -> Self {
        CliError::Unexpected(e.to_string())
    }
}

pub fn run(
    ctx: &Context,
    session: &str,
    format: ExportFormat,
    output: Option<&Path>,
    audio: Option<&Path>,
) -> Result<(), CliError> {
    if audio.is_some() && !matches!(format, ExportFormat::Qdpx | ExportFormat::Eaf) {
        return Err(CliError::User(
            "--audio goes with --format qdpx or eaf: the other formats do not carry the recording"
                .into(),
        ));
    }
    if format == ExportFormat::Qdpx && output.is_none() {
        return Err(CliError::User(
            "--format qdpx writes a zip file: name it with -o FILE.qdpx".into(),
        ));
    }
    let dir = resolve_session(ctx.data_dir()?, session)?;
    let loaded = load_session(&dir)?;
    if let Some(tail) = &loaded.torn_tail {
        eprintln!(
            "warning: {}: the journal's last line is torn ({} bytes, never shown as saved) and was left out",
            loaded.id,
            tail.bytes.len()
        );
    }
    let transcript = transcript_of(&loaded)?;
    let audio = audio
        .map(|path| read_audio(path, format == ExportFormat::Qdpx))
        .transpose()?;
    let mut input = ExportInput::new(&loaded, Utc::now());
    input.transcript = transcript.as_ref();
    input.audio = audio.as_ref();
    let bytes = match format {
        ExportFormat::Json => json::render(&input).into_bytes(),
        ExportFormat::Md => markdown::render(&input).into_bytes(),
        ExportFormat::Csv => csv::render(&input)?.into_bytes(),
        ExportFormat::Html => html::render(&input).into_bytes(),
        ExportFormat::Audacity => audacity::render(&input).into_bytes(),
        ExportFormat::Vtt => vtt::render(&input).into_bytes(),
        ExportFormat::Qdpx => qdpx::render(&input)?,
        ExportFormat::Eaf => eaf::render(&input)?.into_bytes(),
    };
    write_output(output, &bytes, ctx.data_dir().ok())
}

/// The session's transcript, when one is attached.
pub fn transcript_of(
    loaded: &LoadedSession,
) -> Result<Option<crate::model::transcript::TranscriptAttachment>, CliError> {
    match &loaded.session.state().transcript {
        Some(reference) => Ok(Some(load_transcript(&loaded.dir, reference)?)),
        None => Ok(None),
    }
}

/// The recording named with `--audio`, its bytes read when `carry` (qdpx holds it).
fn read_audio(path: &Path, carry: bool) -> Result<AudioFile, CliError> {
    let shown = one_line(&path.display().to_string());
    let absolute =
        std::fs::canonicalize(path).map_err(|e| CliError::User(format!("{shown}: {e}")))?;
    if !absolute.is_file() {
        return Err(CliError::User(format!("{shown}: not a file")));
    }
    let bytes = if carry {
        std::fs::read(&absolute).map_err(|e| CliError::User(format!("{shown}: {e}")))?
    } else {
        Vec::new()
    };
    let name = path
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    Ok(AudioFile {
        name,
        url: eaf::file_url(&absolute),
        bytes,
    })
}
