//! The session as an ELAN annotation document (`.eaf`, EAF 3.0), linked to the recording.
//!
//! Tiers, all times in milliseconds of the recording (as the Audacity labels and the qdpx audio
//! selections count them: from the recording mark, shifted by the transcript's `--offset`):
//!
//! - `Themes`: each stretch a theme was discussed, labelled with its title;
//! - `Probes`: each probe ticked (and still ticked), at its moment: `Theme: probe`;
//! - `Notes`: each field note at its moment: `P3: text #tag`;
//! - `Transcript <speaker>`: the transcript's segments, a tier per speaker (its pseudonym, else
//!   the label the file gives it; `Transcript` for segments with no speaker), `PARTICIPANT` set.
//!
//! ELAN has no points and allows no overlap on a tier, so a point lasts [`POINT_MS`] or until
//! the next one on its tier begins, and a segment that overlaps the one before it on its tier
//! begins where that one ends (or, left with no time of its own, joins its words to it). What
//! lies wholly before the recording is left out, and what straddles its start begins at 0.
//! With the recording given (`--audio`), the header's `MEDIA_DESCRIPTOR` links to it.

use super::qdpx_transcript::{media_ms, recording_spans};
use super::refi::xml_safe;
use super::{AudioFile, ExportError, ExportInput};
use crate::model::timefmt::rfc3339;
use crate::model::transcript::coding::code;
use crate::text::printable as one_line;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io::{self, Write};

/// How long a point (a note, a ticked probe) lasts on its tier, at most.
pub const POINT_MS: i64 = 1000;

/// The one linguistic type: time-aligned free text.
const TYPE_ID: &str = "default-lt";

/// One annotation of a tier, in milliseconds of the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Annotation {
    start: i64,
    end: i64,
    value: String,
}

/// A tier and its annotations, in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tier {
    id: String,
    participant: Option<String>,
    annotations: Vec<Annotation>,
}

/// Milliseconds of the recording at `at`.
fn recording_ms(input: &ExportInput, at: chrono::DateTime<chrono::Utc>) -> i64 {
    let state = input.session.state();
    media_ms(state, (at - state.offset_origin()).num_milliseconds())
}

/// Points as ELAN can hold them: each lasting [`POINT_MS`] or until the next begins.
fn points(mut items: Vec<(i64, String)>) -> Vec<Annotation> {
    items.retain(|(at, _)| *at >= 0);
    items.sort_by_key(|(at, _)| *at);
    let mut out: Vec<Annotation> = Vec::with_capacity(items.len());
    for i in 0..items.len() {
        let (start, value) = &items[i];
        let next = items.get(i + 1).map(|(at, _)| *at);
        let end = next.map_or(start + POINT_MS, |n| n.min(start + POINT_MS));
        if end <= *start {
            // Two points at the same moment: one annotation holds both.
            if let Some(last) = out.last_mut().filter(|a| a.start == *start) {
                last.value.push_str(" | ");
                last.value.push_str(value);
                continue;
            }
            let joined = format!("{value} | {}", items[i + 1].1);
            items[i + 1].1 = joined;
            continue;
        }
        match out.last_mut() {
            Some(last) if last.start == *start => {
                last.value.push_str(" | ");
                last.value.push_str(value);
            }
            _ => out.push(Annotation {
                start: *start,
                end,
                value: value.clone(),
            }),
        }
    }
    out
}

fn theme_tier(input: &ExportInput) -> Tier {
    let guide = &input.session.guide;
    let annotations = recording_spans(input)
        .into_iter()
        .filter_map(|(theme, _, start, end)| {
            let title = guide.themes.get(theme)?;
            (end > start).then(|| Annotation {
                start,
                end,
                value: one_line(&title.title),
            })
        })
        .collect();
    Tier {
        id: "Themes".into(),
        participant: None,
        annotations,
    }
}

fn probe_tier(input: &ExportInput) -> Tier {
    let guide = &input.session.guide;
    let state = input.session.state();
    let mut items = Vec::new();
    for (theme, progress) in guide.themes.iter().zip(&state.themes) {
        for (probe, ticked) in theme.probes.iter().zip(&progress.probes_ticked_at) {
            if let Some(at) = ticked {
                items.push((
                    recording_ms(input, *at),
                    one_line(&format!("{}: {}", theme.title, probe.text)),
                ));
            }
        }
    }
    Tier {
        id: "Probes".into(),
        participant: None,
        annotations: points(items),
    }
}

fn note_tier(input: &ExportInput) -> Tier {
    let state = input.session.state();
    let items = state
        .notes
        .iter()
        .map(|note| {
            let text = match &note.speaker {
                Some(speaker) => format!("{speaker}: {}", note.text),
                None => note.text.clone(),
            };
            (recording_ms(input, note.at), one_line(&text))
        })
        .collect();
    Tier {
        id: "Notes".into(),
        participant: None,
        annotations: points(items),
    }
}

/// A tier per speaker of the transcript, in the order they first speak.
fn transcript_tiers(input: &ExportInput) -> Vec<Tier> {
    let Some(attachment) = input.transcript else {
        return Vec::new();
    };
    let state = input.session.state();
    let coding = code(&input.session.guide, state, attachment, input.as_of);
    let mut tiers: Vec<Tier> = Vec::new();
    for segment in &coding.segments {
        let speaker = segment.speaker.map(|s| one_line(s.name()));
        let id = match &speaker {
            Some(name) => format!("Transcript {name}"),
            None => "Transcript".to_string(),
        };
        let start = media_ms(state, segment.start_ms).max(0);
        let end = media_ms(state, segment.end_ms);
        if end <= 0 {
            continue;
        }
        let index = match tiers.iter().position(|t| t.id == id) {
            Some(i) => i,
            None => {
                tiers.push(Tier {
                    id,
                    participant: speaker,
                    annotations: Vec::new(),
                });
                tiers.len() - 1
            }
        };
        let words = one_line(&segment.segment.text);
        let annotations = &mut tiers[index].annotations;
        let start = annotations.last().map_or(start, |a| start.max(a.end));
        match annotations.last_mut() {
            Some(last) if end <= start => {
                last.value.push(' ');
                last.value.push_str(&words);
            }
            _ if end <= start => {}
            _ => annotations.push(Annotation {
                start,
                end,
                value: words,
            }),
        }
    }
    tiers
}

/// A MIME type ELAN knows for the recording's file name.
fn mime_type(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    match lower.rsplit('.').next() {
        Some("wav") => "audio/x-wav",
        Some("mp3") => "audio/mpeg",
        Some("m4a" | "aac") => "audio/mp4",
        Some("ogg" | "oga" | "opus") => "audio/ogg",
        Some("flac") => "audio/flac",
        Some("mp4" | "m4v") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("webm") => "video/webm",
        _ => "application/octet-stream",
    }
}

/// `file:///...` for an absolute path, each byte outside the unreserved set and `/`
/// percent-encoded.
pub fn file_url(path: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::from("file://");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The tiers of the document, in the order they are written.
fn tiers(input: &ExportInput) -> Vec<Tier> {
    let mut out = vec![theme_tier(input), probe_tier(input), note_tier(input)];
    out.extend(transcript_tiers(input));
    out
}

fn write_header<W: Write>(
    w: &mut Writer<W>,
    input: &ExportInput,
    audio: Option<&AudioFile>,
    last_id: usize,
) -> io::Result<()> {
    w.create_element("HEADER")
        .with_attributes([("MEDIA_FILE", ""), ("TIME_UNITS", "milliseconds")])
        .write_inner_content(|w| {
            if let Some(audio) = audio {
                let relative = format!(
                    "./{}",
                    file_url(std::path::Path::new(&audio.name)).trim_start_matches("file://")
                );
                w.create_element("MEDIA_DESCRIPTOR")
                    .with_attributes([
                        ("MEDIA_URL", audio.url.as_str()),
                        ("MIME_TYPE", mime_type(&audio.name)),
                        ("RELATIVE_MEDIA_URL", relative.as_str()),
                    ])
                    .write_empty()?;
            }
            let urn = format!(
                "urn:nl-mpi-tools-elan-eaf:{}",
                super::refi::eaf_guid(input.id).to_lowercase()
            );
            for (name, value) in [("URN", urn), ("lastUsedAnnotationId", last_id.to_string())] {
                w.create_element("PROPERTY")
                    .with_attribute(("NAME", name))
                    .write_text_content(BytesText::new(&value))?;
            }
            Ok(())
        })?;
    Ok(())
}

/// The `.eaf` document of one session, ending in a newline.
pub fn render(input: &ExportInput) -> Result<String, ExportError> {
    let fail = |e: io::Error| ExportError::write("eaf", e);
    let tiers = tiers(input);
    // Every annotation's two time slots, numbered in document order.
    let slots: Vec<i64> = tiers
        .iter()
        .flat_map(|t| &t.annotations)
        .flat_map(|a| [a.start, a.end])
        .collect();
    let state = input.session.state();
    let author = state.meta.researcher.as_deref().unwrap_or("");
    let author = xml_safe(author);
    let date = rfc3339(input.as_of);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 4);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(fail)?;
    w.create_element("ANNOTATION_DOCUMENT")
        .with_attributes([
            ("AUTHOR", author.as_ref()),
            ("DATE", date.as_str()),
            ("FORMAT", "3.0"),
            ("VERSION", "3.0"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:noNamespaceSchemaLocation",
                "http://www.mpi.nl/tools/elan/EAFv3.0.xsd",
            ),
        ])
        .write_inner_content(|w| {
            write_header(w, input, input.audio, slots.len() / 2)?;
            w.create_element("TIME_ORDER").write_inner_content(|w| {
                for (i, ms) in slots.iter().enumerate() {
                    let id = format!("ts{}", i + 1);
                    let value = ms.to_string();
                    w.create_element("TIME_SLOT")
                        .with_attributes([("TIME_SLOT_ID", id.as_str()), ("TIME_VALUE", value.as_str())])
                        .write_empty()?;
                }
                Ok(())
            })?;
            let mut n = 0usize;
            for tier in &tiers {
                let id = xml_safe(&tier.id);
                let mut element = w.create_element("TIER").with_attributes([
                    ("TIER_ID", id.as_ref()),
                    ("LINGUISTIC_TYPE_REF", TYPE_ID),
                ]);
                let participant = tier.participant.as_deref().map(xml_safe);
                if let Some(p) = &participant {
                    element = element.with_attribute(("PARTICIPANT", p.as_ref()));
                }
                if !author.is_empty() {
                    element = element.with_attribute(("ANNOTATOR", author.as_ref()));
                }
                if tier.annotations.is_empty() {
                    element.write_empty()?;
                    continue;
                }
                element.write_inner_content(|w| {
                    for annotation in &tier.annotations {
                        n += 1;
                        let id = format!("a{n}");
                        let (ref1, ref2) = (format!("ts{}", 2 * n - 1), format!("ts{}", 2 * n));
                        w.create_element("ANNOTATION").write_inner_content(|w| {
                            w.create_element("ALIGNABLE_ANNOTATION")
                                .with_attributes([
                                    ("ANNOTATION_ID", id.as_str()),
                                    ("TIME_SLOT_REF1", ref1.as_str()),
                                    ("TIME_SLOT_REF2", ref2.as_str()),
                                ])
                                .write_inner_content(|w| {
                                    w.create_element("ANNOTATION_VALUE")
                                        .write_text_content(BytesText::new(&xml_safe(&annotation.value)))?;
                                    Ok(())
                                })?;
                            Ok(())
                        })?;
                    }
                    Ok(())
                })?;
            }
            w.create_element("LINGUISTIC_TYPE")
                .with_attributes([
                    ("GRAPHIC_REFERENCES", "false"),
                    ("LINGUISTIC_TYPE_ID", TYPE_ID),
                    ("TIME_ALIGNABLE", "true"),
                ])
                .write_empty()?;
            for (stereotype, description) in [
                ("Time_Subdivision", "Time subdivision of parent annotation's time interval, no time gaps allowed within this interval"),
                ("Symbolic_Subdivision", "Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered"),
                ("Symbolic_Association", "1-1 association with a parent annotation"),
                ("Included_In", "Time alignable annotations within the parent annotation's time interval, gaps are allowed"),
            ] {
                w.create_element("CONSTRAINT")
                    .with_attributes([("DESCRIPTION", description), ("STEREOTYPE", stereotype)])
                    .write_empty()?;
            }
            Ok(())
        })
        .map_err(fail)?;
    let mut text = String::from_utf8(w.into_inner()).map_err(|e| ExportError::write("eaf", e))?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_never_overlap() {
        let p = points(vec![
            (5000, "b".into()),
            (0, "a".into()),
            (5400, "c".into()),
            (5400, "d".into()),
            (-10, "gone".into()),
        ]);
        let got: Vec<(i64, i64, &str)> = p
            .iter()
            .map(|a| (a.start, a.end, a.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [(0, 1000, "a"), (5000, 5400, "b"), (5400, 6400, "c | d")]
        );
    }

    #[test]
    fn urls_and_types() {
        assert_eq!(
            file_url(std::path::Path::new("/a b/é.wav")),
            "file:///a%20b/%C3%A9.wav"
        );
        assert_eq!(mime_type("x.WAV"), "audio/x-wav");
    }
}
