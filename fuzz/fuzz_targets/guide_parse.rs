//! Any text as a topic guide: the parser answers with a guide or findings, never a panic, and
//! every finding's offset lies in the text (the CLI turns it into a line and column).
#![no_main]

use libfuzzer_sys::fuzz_target;
use topicguide::model::guide_parse::{line_col, parse_guide};

fuzz_target!(|text: &str| {
    let report = parse_guide(text);
    for finding in &report.findings {
        assert!(finding.offset <= text.len(), "{finding:?}");
        let _ = line_col(text, finding.offset);
    }
    if report.errors().next().is_none() {
        assert!(report.guide.is_some(), "no errors, and no guide");
    }
});
