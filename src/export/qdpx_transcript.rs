//! The transcript in a REFI-QDA project: a plain-text source of one segment a line,
//! `[00:21:02] P3: text` (offset from the recording mark; the speaker as mapped, else as the
//! file writes it), each segment a `PlainTextSelection` coded to its theme, its probes, the
//! tags of the notes anchored on it and its speaker; the field notes as annotations (a `Note`
//! per segment notes are anchored on, with its selection, referenced from the source), as
//! QualCoder reads annotations; and, given the recording, an audio source with each theme span an
//! `AudioSelection` (milliseconds of the recording) coded to its theme.

use super::refi::{
    TextSourceHead, annotation_guid, annotation_selection_guid, audio_coding_guid,
    audio_selection_guid, audio_source_guid, segment_coding_guid, segment_guid, speaker_code_guid,
    tag_code_guid, transcript_source_guid, write_coding, write_description, write_text_source,
    xml_safe,
};
use super::refi_codes::CodeMap;
use super::{AudioFile, ExportInput};
use crate::model::session::SessionState;
use crate::model::timefmt::{hms, rfc3339};
use crate::model::transcript::coding::{CodedSegment, TranscriptCoding, code};
use crate::model::transcript::speaker::Speaker;
use crate::text::printable as one_line;
use quick_xml::Writer;
use quick_xml::events::BytesText;
use std::io::{self, Write};

/// A session's transcript, coded and laid out as its source text.
pub struct TranscriptPart<'a> {
    pub coding: TranscriptCoding<'a>,
    pub text: String,
    /// Each segment's line, in code points from 0 (the end one past its last character).
    pub ranges: Vec<(usize, usize)>,
}

/// A segment's line: `[00:21:02] P3: text`.
pub fn segment_line(segment: &CodedSegment) -> String {
    let speaker = segment
        .speaker
        .map(|s| format!("{}: ", s.name()))
        .unwrap_or_default();
    one_line(&format!(
        "[{}] {speaker}{}",
        hms(segment.start_ms.div_euclid(1000)),
        segment.segment.text
    ))
}

/// The coded transcript of `input`, if it has one.
pub fn transcript_part<'a>(input: &ExportInput<'a>) -> Option<TranscriptPart<'a>> {
    let attachment = input.transcript?;
    let coding = code(
        &input.session.guide,
        input.session.state(),
        attachment,
        input.as_of,
    );
    let mut text = String::new();
    let mut ranges = Vec::with_capacity(coding.segments.len());
    let mut position = 0usize;
    for segment in &coding.segments {
        let line = segment_line(segment);
        let length = line.chars().count();
        ranges.push((position, position + length));
        text.push_str(&line);
        text.push('\n');
        position += length + 1;
    }
    Some(TranscriptPart {
        coding,
        text,
        ranges,
    })
}

/// The speaker code of a segment, when its speaker is a pseudonym.
pub fn speaker_case(input: &ExportInput, segment: &CodedSegment) -> Option<String> {
    match segment.speaker {
        Some(Speaker::Pseudonym(name)) => Some(speaker_code_guid(input.id, name)),
        _ => None,
    }
}

/// The codes of one segment, in a fixed order: theme, probes, tags, speaker.
fn segment_codes(input: &ExportInput, codes: &CodeMap, segment: &CodedSegment) -> Vec<String> {
    let guide = &input.session.guide;
    let mut out: Vec<String> = Vec::new();
    if let Some(theme) = segment.theme.and_then(|i| guide.themes.get(i)) {
        out.extend(
            codes
                .theme_guid(&guide.title, &theme.id)
                .map(str::to_string),
        );
        for &probe in &segment.probes {
            out.extend(
                codes
                    .probe_guid(&guide.title, &theme.id, probe)
                    .map(str::to_string),
            );
        }
    }
    out.extend(segment.tags.iter().map(|t| tag_code_guid(t)));
    out.extend(speaker_case(input, segment));
    out
}

/// The transcript's `TextSource`, its selections and the `NoteRef`s of its annotations.
/// `variables` writes the session's variable values at the end.
pub fn write_transcript_source<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    part: &TranscriptPart,
    codes: &CodeMap,
    user: &str,
    study: bool,
    variables: impl Fn(&mut Writer<W>) -> io::Result<()>,
) -> io::Result<()> {
    let state = input.session.state();
    let Some(attachment) = input.transcript else {
        return Ok(());
    };
    let guid = transcript_source_guid(input.id);
    let description = format!(
        "Transcript of the recording of session {} ({}, {}), one segment a line: [offset from the recording mark] speaker: text. Coded by topicguide from the live timeline: each segment to the theme under discussion, the probes ticked then, the tags of the notes written during it and its speaker.",
        input.id,
        attachment.reference.source,
        attachment.reference.format.as_str()
    );
    let head = TextSourceHead {
        guid: &guid,
        what: "transcript",
        input,
        study,
        user,
        description: &description,
    };
    write_text_source(w, &head, |w| {
        for (index, segment) in part.coding.segments.iter().enumerate() {
            let codes = segment_codes(input, codes, segment);
            if codes.is_empty() {
                continue;
            }
            write_segment_selection(w, input, index, part.ranges[index], &codes, user)?;
        }
        for notes in annotated(part) {
            let target = annotation_guid(input.id, &state.notes[notes[0]].id);
            w.create_element("NoteRef")
                .with_attribute(("targetGUID", target.as_str()))
                .write_empty()?;
        }
        variables(w)
    })
}

fn write_segment_selection<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    index: usize,
    (start, end): (usize, usize),
    codes: &[String],
    user: &str,
) -> io::Result<()> {
    let state = input.session.state();
    let guid = segment_guid(input.id, index);
    let name = format!("segment {}", index + 1);
    let (start, end) = (start.to_string(), end.to_string());
    let created = rfc3339(state.started_at);
    w.create_element("PlainTextSelection")
        .with_attributes([
            ("guid", guid.as_str()),
            ("name", name.as_str()),
            ("startPosition", start.as_str()),
            ("endPosition", end.as_str()),
            ("creatingUser", user),
            ("creationDateTime", created.as_str()),
        ])
        .write_inner_content(|w| {
            for code in codes {
                let coding = segment_coding_guid(input.id, index, code);
                write_coding(w, &coding, code, user, &created)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// The selections of the segments a participant spoke, for their case.
pub fn speaker_selections(input: &ExportInput, part: &TranscriptPart, name: &str) -> Vec<String> {
    part.coding
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.speaker == Some(Speaker::Pseudonym(name)))
        .map(|(i, _)| segment_guid(input.id, i))
        .collect()
}

/// The pseudonyms that speak in the transcript, in order of first speaking.
pub fn transcript_speakers<'a>(part: &TranscriptPart<'a>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for segment in &part.coding.segments {
        if let Some(Speaker::Pseudonym(name)) = segment.speaker
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

/// The notes anchored on each segment that has any, in segment order: one annotation each.
/// (QualCoder keeps one annotation per place and user, and stops the import at a second.)
fn annotated<'p>(part: &'p TranscriptPart) -> impl Iterator<Item = &'p [usize]> {
    part.coding
        .segments
        .iter()
        .map(|s| s.notes.as_slice())
        .filter(|n| !n.is_empty())
}

/// The field notes as annotations: a `Note` for each segment notes are anchored on (the one
/// nearest their moment), holding their lines and the segment's selection. Its GUID is that of
/// the segment's first note.
pub fn write_annotations<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    part: &TranscriptPart,
    user: &str,
) -> io::Result<()> {
    let state = input.session.state();
    for (segment, coded) in part.coding.segments.iter().enumerate() {
        let Some(&first) = coded.notes.first() else {
            continue;
        };
        let (start, end) = part.ranges[segment];
        let first = &state.notes[first];
        let guid = annotation_guid(input.id, &first.id);
        let ids: Vec<&str> = coded
            .notes
            .iter()
            .map(|&n| state.notes[n].id.as_str())
            .collect();
        let name = xml_safe(&format!("Field notes {}", ids.join(", "))).into_owned();
        let created = rfc3339(first.at);
        let text: Vec<String> = coded
            .notes
            .iter()
            .map(|&n| super::qdpx::note_line(state, &state.notes[n]))
            .collect();
        let text = text.join("\n");
        w.create_element("Note")
            .with_attributes([
                ("guid", guid.as_str()),
                ("name", name.as_str()),
                ("creatingUser", user),
                ("creationDateTime", created.as_str()),
                ("modifyingUser", user),
                ("modifiedDateTime", created.as_str()),
            ])
            .write_inner_content(|w| {
                w.create_element("PlainTextContent")
                    .write_text_content(BytesText::new(&xml_safe(&text)))?;
                let selection = annotation_selection_guid(input.id, &first.id);
                let (start, end) = (start.to_string(), end.to_string());
                w.create_element("PlainTextSelection")
                    .with_attributes([
                        ("guid", selection.as_str()),
                        ("startPosition", start.as_str()),
                        ("endPosition", end.as_str()),
                    ])
                    .write_empty()?;
                Ok(())
            })?;
    }
    Ok(())
}

/// Milliseconds of the recording file at `ms` from the recording mark: the transcript's offset
/// says how far the file's clock is from the mark's.
pub fn media_ms(state: &SessionState, ms_from_mark: i64) -> i64 {
    ms_from_mark - state.transcript.as_ref().map_or(0, |t| t.offset_ms)
}

/// Each theme span as (theme index, position among the theme's spans, begin, end) in
/// milliseconds of the recording, in time order; spans wholly before the recording are left
/// out and one straddling its start begins at 0.
pub fn recording_spans(input: &ExportInput) -> Vec<(usize, usize, i64, i64)> {
    let state = input.session.state();
    let origin = state.offset_origin();
    let mut out = Vec::new();
    for (theme, progress) in state.themes.iter().enumerate() {
        for (nth, span) in progress.spans.iter().enumerate() {
            let end_at = span.end.unwrap_or(input.as_of).max(span.start);
            let begin = media_ms(state, (span.start - origin).num_milliseconds());
            let end = media_ms(state, (end_at - origin).num_milliseconds());
            if end <= 0 {
                continue;
            }
            out.push((theme, nth, begin.max(0), end));
        }
    }
    out.sort_by_key(|s| s.2);
    out
}

/// The recording as an `AudioSource` stored in the project (`sources/<guid>.<ext>`), each theme
/// span an `AudioSelection` coded to its theme.
pub fn write_audio_source<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    audio: &AudioFile,
    codes: &CodeMap,
    user: &str,
    variables: impl Fn(&mut Writer<W>) -> io::Result<()>,
) -> io::Result<()> {
    let state = input.session.state();
    let guide = &input.session.guide;
    let guid = audio_source_guid(input.id);
    let path = format!("internal://{}", audio_entry_name(input.id, audio));
    let name = xml_safe(&audio.name).into_owned();
    let created = rfc3339(state.started_at);
    w.create_element("AudioSource")
        .with_attributes([
            ("guid", guid.as_str()),
            ("name", name.as_str()),
            ("path", path.as_str()),
            ("creatingUser", user),
            ("creationDateTime", created.as_str()),
        ])
        .write_inner_content(|w| {
            write_description(
                w,
                &format!(
                    "The recording of session {}; each stretch a theme was discussed is a selection coded to the theme",
                    input.id
                ),
            )?;
            for (theme_index, nth, begin, end) in recording_spans(input) {
                let Some(theme) = guide.themes.get(theme_index) else {
                    continue;
                };
                let Some(code) = codes.theme_guid(&guide.title, &theme.id) else {
                    continue;
                };
                let selection = audio_selection_guid(input.id, &theme.id, nth);
                let coding = audio_coding_guid(input.id, &theme.id, nth);
                let title = xml_safe(&theme.title).into_owned();
                let (begin, end) = (begin.to_string(), end.to_string());
                w.create_element("AudioSelection")
                    .with_attributes([
                        ("guid", selection.as_str()),
                        ("name", title.as_str()),
                        ("begin", begin.as_str()),
                        ("end", end.as_str()),
                        ("creatingUser", user),
                        ("creationDateTime", created.as_str()),
                    ])
                    .write_inner_content(|w| write_coding(w, &coding, code, user, &created))?;
            }
            variables(w)
        })?;
    Ok(())
}

/// The recording's file name inside the zip's `sources/`: its GUID and the file's extension.
pub fn audio_entry_name(session_id: &str, audio: &AudioFile) -> String {
    let extension = std::path::Path::new(&audio.name)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|e| format!(".{}", e.to_ascii_lowercase()))
        .unwrap_or_default();
    format!("{}{extension}", audio_source_guid(session_id))
}
