//! The transcript check in words, for the Markdown report and the review: which required
//! probes the transcript shows were asked though not ticked, and which were ticked though the
//! transcript of their theme never shows them (see [`crate::model::transcript::coverage`]).

use super::ExportInput;
use crate::model::timefmt::hms;
use crate::model::transcript::coding::code;
use crate::model::transcript::coverage::check;

/// The check's lines (Markdown list items, text escaped with `escape`), or None when the
/// session has no transcript.
pub fn lines(input: &ExportInput, escape: fn(&str) -> String) -> Option<Vec<String>> {
    let attachment = input.transcript?;
    let guide = &input.session.guide;
    let state = input.session.state();
    let coding = code(guide, state, attachment, input.as_of);
    let result = check(guide, state, &coding);
    let mut out = Vec::new();
    for (theme, probe, segment) in result.asked_not_ticked() {
        let t = &guide.themes[theme];
        let at = coding.segments[segment].start_ms.div_euclid(1000);
        out.push(format!(
            "- Asked but not ticked: {}: {} (heard at {})",
            escape(&t.title),
            escape(&t.probes[probe].text),
            hms(at)
        ));
    }
    for (theme, probe) in result.ticked_not_heard() {
        let t = &guide.themes[theme];
        out.push(format!(
            "- Ticked but not heard in the transcript: {}: {}",
            escape(&t.title),
            escape(&t.probes[probe].text)
        ));
    }
    let checked = result.themes.len();
    if out.is_empty() {
        out.push(format!(
            "- The transcript agrees with the ticks on the required probes of the {checked} theme(s) it covers."
        ));
    }
    out.insert(
        0,
        format!(
            "Transcript {} ({} segments); themes checked: {checked} of {}.",
            escape(&attachment.reference.source),
            attachment.transcript.segments.len(),
            guide.themes.len()
        ),
    );
    Some(out)
}
