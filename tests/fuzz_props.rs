//! The fuzz targets' property, run as a proptest in CI: any text given as a topic guide gets an
//! answer, a guide or findings placed in the text, and never a panic. Arbitrary text mostly
//! stops at the TOML syntax, so most cases are real guides with pieces cut, repeated or replaced
//! by TOML fragments, which reach the checks behind the syntax.
//!
//! The journal reader's property (any bytes: records or damage, and a fold that never panics)
//! is tests/replay_props.rs (`parse_journal_never_panics_on_*`, `checksummed_nonsense_*`).
//! Longer runs of both: the cargo-fuzz targets in fuzz/ (see the README's Testing section).

use proptest::prelude::*;
use proptest::sample::Index;
use topicguide::library::format_report;
use topicguide::model::guide_parse::{Severity, line_col, parse_guide};

/// The guides a user would start from: the built-in ones and the tests' valid ones.
const GUIDES: [&str; 5] = [
    include_str!("../guides/cmp-patient-focus-group.toml"),
    include_str!("../guides/cmp-patient-telephone-interview.toml"),
    include_str!("../guides/cmp-staff-interprofessional.toml"),
    include_str!("valid_guides/minimal.toml"),
    include_str!("valid_guides/over_budget.toml"),
];

/// Pieces of TOML that change what a guide means: other types, odd numbers, tables and arrays
/// in odd places, keys the format has and does not have.
const FRAGMENTS: [&str; 40] = [
    "\n[[theme]]\n",
    "\n[guide]\n",
    "\n[theme]\n",
    "\n[[guide]]\n",
    "\n[[theme.probes]]\n",
    "id = \"x\"\n",
    "id = \"health\"\n",
    "id = \"\"\n",
    "id = \"Bad Id\"\n",
    "id = 7\n",
    "title = \"\"\n",
    "title = 1\n",
    "minutes = -1\n",
    "minutes = 0\n",
    "minutes = 99999999999999999\n",
    "minutes = 1.5\n",
    "minutes = nan\n",
    "duration_minutes = 0\n",
    "duration_minutes = -5\n",
    "duration_minutes = 1e400\n",
    "warn_before_end_minutes = 100000\n",
    "kind = \"party\"\n",
    "kind = \"interview\"\n",
    "required = \"yes\"\n",
    "probes = []\n",
    "probes = [1, {}, { text = \"\" }, { text = \"a\", required = 2 }, [\"nested\"]]\n",
    "probes = [{ text = \"a\", extra = true }]\n",
    "probes = \"not an array\"\n",
    "guidance = \"\"\"\nmulti\nline\"\"\"\n",
    "prompt = '''\\n literal '''\n",
    "misspelt_key = 1\n",
    "theme = 3\n",
    "guide = []\n",
    "title = \"x\"\ntitle = \"y\"\n",
    "\"quoted key\" = 1\n",
    "a.b.c = 1\n",
    "date = 1979-05-27T07:32:00Z\n",
    "= no key\n",
    "[unclosed\n",
    "é ✓ 😀 \u{0} \u{7f} \u{202e}",
];

/// A guide with one random edit: a piece cut, a fragment inserted, a piece replaced or repeated.
fn edited_guide() -> impl Strategy<Value = String> {
    (
        0..GUIDES.len(),
        0u8..4,
        any::<Index>(),
        any::<Index>(),
        0..FRAGMENTS.len(),
        prop::collection::vec(0..FRAGMENTS.len(), 0..4),
    )
        .prop_map(|(guide, how, at, len, fragment, more)| {
            let text = GUIDES[guide];
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len.index(200)).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let insert: String = std::iter::once(fragment)
                .chain(more)
                .map(|i| FRAGMENTS[i])
                .collect();
            let (before, cut, after) = (&text[..start], &text[start..end], &text[end..]);
            match how {
                0 => format!("{before}{after}"),
                1 => format!("{before}{insert}{cut}{after}"),
                2 => format!("{before}{insert}{after}"),
                _ => format!("{before}{cut}{cut}{after}"),
            }
        })
}

/// The property: an answer, never a panic, and one the command line can print.
fn check(text: &str) -> Result<(), TestCaseError> {
    let report = parse_guide(text);
    for finding in &report.findings {
        prop_assert!(finding.offset <= text.len(), "{finding:?} past the end");
        let (line, col) = line_col(text, finding.offset);
        prop_assert!(line >= 1 && col >= 1);
        prop_assert!(!finding.message.is_empty());
        prop_assert!(
            !finding.message.contains('\n'),
            "one line: {:?}",
            finding.message
        );
    }
    let errors = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    prop_assert_eq!(
        report.guide.is_some(),
        !errors,
        "a guide exactly when there is no error"
    );
    if let Some(guide) = &report.guide {
        prop_assert!(!guide.themes.is_empty());
        prop_assert!(!guide.title.is_empty());
    }
    let lines = format_report("guide.toml", text, &report);
    prop_assert_eq!(lines.len(), report.findings.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_as_a_guide_gets_an_answer(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn toml_like_text_as_a_guide_gets_an_answer(
        text in "(\\[\\[?(guide|theme)\\]\\]?\n|[a-z_]{1,12} = (\"[^\"\n]{0,12}\"|-?[0-9]{1,20}|true|\\[[^\n]{0,20}\\]|\\{[^\n]{0,20}\\})\n){0,24}",
    ) {
        check(&text)?;
    }

    #[test]
    fn an_edited_real_guide_gets_an_answer(text in edited_guide()) {
        check(&text)?;
    }
}

#[test]
fn the_real_guides_read_without_errors() {
    for text in GUIDES {
        let report = parse_guide(text);
        assert!(report.guide.is_some(), "{:?}", report.findings);
    }
}
