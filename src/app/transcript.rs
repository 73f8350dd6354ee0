//! Attaching a transcript (`topicguide transcript`): read the file, check it, store and journal
//! it, and say how it was coded; and reading a session's transcript and recording for the
//! exports.

use super::context::Context;
use super::error::AppError;
use crate::export::AudioFile;
use crate::model::timefmt::hms;
use crate::model::transcript::coding::code;
use crate::model::transcript::speaker::{Speaker, SpeakerMapping, parse_mapping};
use crate::model::transcript::{TranscriptAttachment, TranscriptRef, detect_format, parse};
use crate::storage::session_store::LoadedSession;
use crate::storage::session_store::{load_session, resolve_session};
use crate::storage::transcript_store::load_transcript;
use crate::storage::transcript_store::{AttachOptions, TranscriptStoreError, attach_transcript};
use crate::text::printable as one_line;
use std::io::Write;
use std::path::Path;

/// The largest transcript file read: a day of speech is a few megabytes.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest offset taken, in seconds (a day).
const MAX_OFFSET_SECONDS: f64 = 86_400.0;

impl From<TranscriptStoreError> for AppError {
    fn from(e: TranscriptStoreError) -> Self {
        match e {
            TranscriptStoreError::Journal(j) => AppError::from(j),
            TranscriptStoreError::Io { .. } => AppError::Unexpected(e.to_string()),
            _ => AppError::User(e.to_string()),
        }
    }
}

/// The offset in milliseconds, from seconds as given.
fn offset_ms(offset: Option<f64>) -> Result<i64, AppError> {
    let seconds = offset.unwrap_or(0.0);
    if !seconds.is_finite() || seconds.abs() > MAX_OFFSET_SECONDS {
        return Err(AppError::User(format!(
            "--offset {seconds}: give seconds between -{MAX_OFFSET_SECONDS} and {MAX_OFFSET_SECONDS}"
        )));
    }
    // Bounded above: the cast cannot overflow.
    Ok((seconds * 1000.0).round() as i64)
}

/// Attaches `file` to `session` and returns what to tell the researcher, a line each.
pub fn attach(
    ctx: &Context,
    session: &str,
    file: &Path,
    offset: Option<f64>,
    speaker_args: &[String],
) -> Result<Vec<String>, AppError> {
    let offset_ms = offset_ms(offset)?;
    let mut speakers: Vec<SpeakerMapping> = Vec::new();
    for arg in speaker_args {
        let mapping = parse_mapping(arg).map_err(|e| AppError::User(format!("--speaker {e}")))?;
        if speakers.iter().any(|m| m.label == mapping.label) {
            return Err(AppError::User(format!(
                "--speaker '{}' is given twice",
                one_line(&mapping.label)
            )));
        }
        speakers.push(mapping);
    }
    let dir = resolve_session(ctx.data_dir()?, session)?;
    let shown = one_line(&file.display().to_string());
    let size = std::fs::metadata(file)
        .map_err(|e| AppError::User(format!("{shown}: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(AppError::User(format!(
            "{shown}: {size} bytes is too large for a transcript"
        )));
    }
    let bytes = std::fs::read(file).map_err(|e| AppError::User(format!("{shown}: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        AppError::Problems(format!(
            "{shown}:{line}: not UTF-8 text (save the transcript as UTF-8)"
        ))
    })?;
    let extension = file.extension().and_then(|e| e.to_str());
    let format = detect_format(extension, &text);
    let transcript = parse(format, &text)
        .map_err(|e| AppError::Problems(format!("{shown}:{}: {}", e.line, one_line(&e.message))))?;
    let labels = transcript.speaker_labels();
    for mapping in &speakers {
        if !labels.contains(&mapping.label.as_str()) {
            let known = if labels.is_empty() {
                "it names no speakers".to_string()
            } else {
                format!("its speakers: {}", one_line(&labels.join(", ")))
            };
            return Err(AppError::User(format!(
                "--speaker '{}': {shown} has no speaker of that name ({known})",
                one_line(&mapping.label)
            )));
        }
    }
    let loaded = load_session(&dir)?;
    let source = file
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    let replaced = loaded.session.state().transcript.clone();
    let record = attach_transcript(
        &dir,
        &transcript,
        AttachOptions {
            source,
            offset_ms,
            speakers,
        },
        super::clock::now(),
    )?;
    let crate::model::event::Event::TranscriptAttached(reference) = record.event else {
        return Err(AppError::Unexpected(
            "attaching wrote another record".into(),
        ));
    };
    let attachment = TranscriptAttachment {
        reference,
        transcript,
    };
    let mut lines = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = summary(&loaded, &attachment, replaced.as_ref(), &mut lines);
    Ok(String::from_utf8_lossy(&lines)
        .lines()
        .map(str::to_string)
        .collect())
}

/// What was attached and how it was coded, for the researcher to check at once.
fn summary(
    loaded: &LoadedSession,
    attachment: &TranscriptAttachment,
    replaced: Option<&TranscriptRef>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let session = &loaded.session;
    let state = session.state();
    let reference = &attachment.reference;
    let segments = &attachment.transcript.segments;
    let as_of = state.clock_at(super::clock::now());
    let coding = code(&session.guide, state, attachment, as_of);
    let first = segments.first().map_or(0, |s| s.start_ms);
    let last = segments.iter().map(|s| s.end_ms).max().unwrap_or(0);
    writeln!(
        out,
        "Transcript attached to {}: {} ({}, {} segments, {}-{} of the file, offset {:+} s)",
        loaded.id,
        one_line(&reference.source),
        reference.format.as_str(),
        segments.len(),
        hms(first / 1000),
        hms(last / 1000),
        reference.offset_ms as f64 / 1000.0
    )?;
    if let Some(old) = replaced {
        writeln!(
            out,
            "It replaces {} (kept in the session folder as {}).",
            one_line(&old.source),
            old.file
        )?;
    }
    if state.recording_started_at.is_none() {
        writeln!(
            out,
            "The session has no recording mark: times count from its start."
        )?;
    }
    let themed = coding.segments.iter().filter(|s| s.theme.is_some()).count();
    let mut themes: Vec<usize> = coding.segments.iter().filter_map(|s| s.theme).collect();
    themes.sort_unstable();
    themes.dedup();
    let anchored = coding.note_anchors.iter().filter(|a| a.is_some()).count();
    writeln!(
        out,
        "Coded: {themed} of {} segments to {} themes ({} outside every theme's discussion); notes anchored on it: {anchored} of {}",
        segments.len(),
        themes.len(),
        segments.len() - themed,
        coding.note_anchors.len()
    )?;
    let mut mapped: Vec<String> = Vec::new();
    let mut unmapped: Vec<&str> = Vec::new();
    for label in attachment.transcript.speaker_labels() {
        let speaker = coding
            .segments
            .iter()
            .find(|s| s.segment.speaker.as_deref() == Some(label))
            .and_then(|s| s.speaker);
        match speaker {
            Some(Speaker::Pseudonym(p)) => mapped.push(format!("{} = {p}", one_line(label))),
            _ => unmapped.push(label),
        }
    }
    if !mapped.is_empty() {
        writeln!(out, "Speakers: {}", one_line(&mapped.join(", ")))?;
    }
    if !unmapped.is_empty() {
        writeln!(
            out,
            "Unmapped speakers, exported as the file writes them: {} (map each with --speaker NAME=PSEUDONYM)",
            one_line(&unmapped.join(", "))
        )?;
    }
    let start = state.offset_seconds(state.started_at) * 1000;
    let end = state.offset_seconds(as_of) * 1000;
    let outside = coding
        .segments
        .iter()
        .filter(|s| s.end_ms <= start || s.start_ms >= end)
        .count();
    if outside * 2 > coding.segments.len() {
        writeln!(
            out,
            "warning: {outside} of {} segments fall outside the session's time: check --offset",
            coding.segments.len()
        )?;
    }
    Ok(())
}

/// The session's transcript, when one is attached.
pub fn transcript_of(loaded: &LoadedSession) -> Result<Option<TranscriptAttachment>, AppError> {
    match &loaded.session.state().transcript {
        Some(reference) => Ok(Some(load_transcript(&loaded.dir, reference)?)),
        None => Ok(None),
    }
}

/// The recording named with `--audio`, its bytes read when `carry` (qdpx holds it; eaf only
/// links to it).
pub fn read_audio(path: &Path, carry: bool) -> Result<AudioFile, AppError> {
    let shown = one_line(&path.display().to_string());
    let absolute =
        std::fs::canonicalize(path).map_err(|e| AppError::User(format!("{shown}: {e}")))?;
    if !absolute.is_file() {
        return Err(AppError::User(format!("{shown}: not a file")));
    }
    let bytes = if carry {
        std::fs::read(&absolute).map_err(|e| AppError::User(format!("{shown}: {e}")))?
    } else {
        Vec::new()
    };
    let name = path
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    Ok(AudioFile {
        name,
        url: crate::export::eaf::file_url(&absolute),
        bytes,
    })
}

/// The transcript check of one session, for the Markdown review: None when it has no
/// transcript (or the check has nothing to say), Err with why when its transcript cannot be
/// read.
pub fn transcript_check(
    loaded: &LoadedSession,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Vec<String>>, String> {
    let transcript = match transcript_of(loaded) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut input = super::study::export_input(loaded, now);
    input.transcript = Some(&transcript);
    Ok(crate::export::transcript_check::lines(
        &input,
        crate::export::markdown::md,
    ))
}

/// The Markdown review's section on the transcripts: each session's check (see
/// [`transcript_check`], by session id) in the matrix's column order; a transcript that could
/// not be read is left out with a warning.
pub fn transcript_section(
    matrix: &crate::model::review::Matrix,
    checks: &super::study::TranscriptChecks,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (i, column) in matrix.columns.iter().enumerate() {
        let lines = match checks.get(&column.id) {
            Some(Ok(Some(lines))) => lines,
            Some(Err(e)) => {
                eprintln!("warning: {}: transcript left out: {e}", column.id);
                continue;
            }
            Some(Ok(None)) | None => continue,
        };
        if out.is_empty() {
            out.push_str("\n## Checked against the transcripts\n");
        }
        let _ = writeln!(
            out,
            "\n### S{} {}\n",
            i + 1,
            crate::export::markdown::md(&column.label)
        );
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// The transcripts of `sessions` in the matrix's column order (as
/// [`super::study::inputs_in_column_order`] lists them); one that cannot be read is left out
/// with a warning, and that session's notes stay in.
pub fn transcripts_in_column_order(
    sessions: &[LoadedSession],
    matrix: &crate::model::review::Matrix,
) -> Vec<Option<TranscriptAttachment>> {
    matrix
        .columns
        .iter()
        .filter_map(|c| sessions.iter().find(|s| s.id == c.id))
        .map(|s| {
            transcript_of(s).unwrap_or_else(|e| {
                eprintln!("warning: {}: transcript left out: {e}", s.id);
                None
            })
        })
        .collect()
}
