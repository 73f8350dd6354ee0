//! Reads a topic guide from TOML text and reports every problem with the byte offset it stands at.
//!
//! The document is walked by hand (not through serde) so that one pass can report all problems,
//! each at its own key or value, and suggest the key a typo was meant to be.

use super::guide::{
    DEFAULT_DURATION_MINUTES, DEFAULT_WARN_BEFORE_END_MINUTES, Guide, Probe, SessionKind,
    SessionMode, Theme,
};
use super::toml_check::{integer, parse_document, type_name, unknown_key};
use std::collections::HashMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use super::guide::MAX_MINUTES;

const GUIDE_KEYS: &[&str] = &[
    "title",
    "version",
    "description",
    "kind",
    "mode",
    "duration_minutes",
    "warn_before_end_minutes",
];
const THEME_KEYS: &[&str] = &[
    "id", "title", "prompt", "minutes", "required", "guidance", "probes",
];
const PROBE_KEYS: &[&str] = &["text", "required"];
const TOP_KEYS: &[&str] = &["guide", "theme"];

/// How serious a finding is: errors make the guide unusable, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a guide, at a byte offset of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub offset: usize,
    pub severity: Severity,
    pub message: String,
}

/// What reading a guide gave: the guide when there were no errors, and every finding.
#[derive(Debug, Clone)]
pub struct GuideReport {
    pub guide: Option<Guide>,
    pub findings: Vec<Finding>,
}

impl GuideReport {
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }
}

pub use super::toml_check::line_col;

/// Reads and validates a guide.
pub fn parse_guide(src: &str) -> GuideReport {
    let mut checker = Checker::default();
    let guide = checker.document(src);
    let mut findings = checker.findings;
    findings.sort_by_key(|f| (f.offset, f.severity));
    let has_errors = findings.iter().any(|f| f.severity == Severity::Error);
    GuideReport {
        guide: if has_errors { None } else { guide },
        findings,
    }
}

#[derive(Default)]
struct Checker {
    findings: Vec<Finding>,
}

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

impl Checker {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.findings.push(Finding {
            offset,
            severity: Severity::Error,
            message: message.into(),
        });
    }

    fn warning(&mut self, offset: usize, message: impl Into<String>) {
        self.findings.push(Finding {
            offset,
            severity: Severity::Warning,
            message: message.into(),
        });
    }

    fn document(&mut self, src: &str) -> Option<Guide> {
        let doc = match parse_document(src) {
            Ok(doc) => doc.into_inner(),
            Err(errors) => {
                for e in errors {
                    self.error(e.offset, e.message);
                }
                return None;
            }
        };
        let mut header = None;
        let mut themes = None;
        for (key, value) in doc.iter() {
            match key.get_ref().as_ref() {
                "guide" => header = Some(value),
                "theme" => themes = Some(value),
                other => self.unknown_key(key.span().start, other, "the guide file", TOP_KEYS),
            }
        }
        let header = match header {
            None => {
                self.error(0, "missing [guide] table (it holds the guide's title)");
                None
            }
            Some(v) => self.guide_header(v),
        };
        let themes = self.themes(themes);
        let (header, themes) = (header?, themes?);
        let guide = Guide {
            title: header.title,
            version: header.version,
            description: header.description,
            kind: header.kind,
            mode: header.mode,
            duration_minutes: header.duration_minutes,
            warn_before_end_minutes: header.warn_before_end_minutes,
            themes,
        };
        let budget = guide.budgeted_minutes();
        if budget > guide.duration_minutes {
            self.warning(
                header.duration_offset,
                format!(
                    "theme budgets add up to {budget} minutes, more than the {}-minute duration",
                    guide.duration_minutes
                ),
            );
        }
        if guide.warn_before_end_minutes >= guide.duration_minutes {
            self.warning(
                header.warn_offset,
                format!(
                    "warn_before_end_minutes ({}) is not less than the duration ({}): the warning comes at the start",
                    guide.warn_before_end_minutes, guide.duration_minutes
                ),
            );
        }
        Some(guide)
    }

    fn unknown_key(&mut self, offset: usize, key: &str, place: &str, expected: &[&str]) {
        self.error(offset, unknown_key(key, place, expected));
    }

    fn guide_header(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Header> {
        let DeValue::Table(table) = value.get_ref() else {
            self.error(
                value.span().start,
                format!(
                    "\"guide\" must be a table ([guide]), not {}",
                    type_name(value.get_ref())
                ),
            );
            return None;
        };
        let start = value.span().start;
        let mut ok = true;
        let mut header = Header {
            title: String::new(),
            version: None,
            description: None,
            kind: SessionKind::default(),
            mode: SessionMode::default(),
            duration_minutes: DEFAULT_DURATION_MINUTES,
            warn_before_end_minutes: DEFAULT_WARN_BEFORE_END_MINUTES,
            duration_offset: start,
            warn_offset: start,
        };
        let mut title = None;
        for (key, v) in table.iter() {
            let entry: Entry = (key, v);
            match key.get_ref().as_ref() {
                "title" => title = self.non_empty_string(entry),
                "version" => header.version = self.string(entry),
                "description" => header.description = self.string(entry),
                "kind" => match self.choice::<SessionKind>(entry) {
                    Some(kind) => header.kind = kind,
                    None => ok = false,
                },
                "mode" => match self.choice::<SessionMode>(entry) {
                    Some(mode) => header.mode = mode,
                    None => ok = false,
                },
                "duration_minutes" => {
                    header.duration_offset = key.span().start;
                    match self.minutes(entry, 1) {
                        Some(m) => header.duration_minutes = m,
                        None => ok = false,
                    }
                }
                "warn_before_end_minutes" => {
                    header.warn_offset = key.span().start;
                    match self.minutes(entry, 0) {
                        Some(m) => header.warn_before_end_minutes = m,
                        None => ok = false,
                    }
                }
                other => {
                    self.unknown_key(key.span().start, other, "[guide]", GUIDE_KEYS);
                    ok = false;
                }
            }
        }
        match title {
            Some(t) => header.title = t,
            None => {
                if !table.contains_key("title") {
                    self.error(start, "[guide] has no title: add title = \"...\"");
                }
                ok = false;
            }
        }
        ok.then_some(header)
    }

    /// A string value that must be one of a set of names (`kind`, `mode`): the error at the
    /// value says which names there are.
    fn choice<T: std::str::FromStr<Err = String>>(&mut self, entry: Entry) -> Option<T> {
        let text = self.string(entry)?;
        match text.parse::<T>() {
            Ok(value) => Some(value),
            Err(e) => {
                self.error(entry.1.span().start, e);
                None
            }
        }
    }

    fn themes(&mut self, value: Option<&Spanned<DeValue<'_>>>) -> Option<Vec<Theme>> {
        let Some(value) = value else {
            self.error(0, "the guide has no themes: add at least one [[theme]]");
            return None;
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span().start,
                format!(
                    "\"theme\" must be an array of tables ([[theme]]), not {}",
                    type_name(value.get_ref())
                ),
            );
            return None;
        };
        if items.is_empty() {
            self.error(
                value.span().start,
                "the guide has no themes: add at least one [[theme]]",
            );
            return None;
        }
        let mut themes = Vec::with_capacity(items.len());
        // Ids seen so far, with where: a set, so that checking a 100,000-theme guide is linear.
        let mut seen_ids: HashMap<String, usize> = HashMap::new();
        let mut ok = true;
        for (index, item) in items.iter().enumerate() {
            match self.theme(index, item, &mut seen_ids) {
                Some(t) => themes.push(t),
                None => ok = false,
            }
        }
        ok.then_some(themes)
    }

    fn theme(
        &mut self,
        index: usize,
        value: &Spanned<DeValue<'_>>,
        seen_ids: &mut HashMap<String, usize>,
    ) -> Option<Theme> {
        let start = value.span().start;
        let place = format!("theme {}", index + 1);
        let DeValue::Table(table) = value.get_ref() else {
            self.error(
                start,
                format!(
                    "{place} must be a table, not {}",
                    type_name(value.get_ref())
                ),
            );
            return None;
        };
        let mut ok = true;
        let (mut id, mut title) = (None, None);
        let mut theme = Theme {
            id: String::new(),
            title: String::new(),
            prompt: None,
            minutes: None,
            required: true,
            guidance: None,
            probes: Vec::new(),
            emergent: false,
        };
        for (key, v) in table.iter() {
            let entry: Entry = (key, v);
            let fine = match key.get_ref().as_ref() {
                "id" => {
                    id = self.theme_id(entry, seen_ids);
                    id.is_some()
                }
                "title" => {
                    title = self.non_empty_string(entry);
                    title.is_some()
                }
                "prompt" => {
                    theme.prompt = self.string(entry);
                    theme.prompt.is_some()
                }
                "guidance" => {
                    theme.guidance = self.string(entry);
                    theme.guidance.is_some()
                }
                "minutes" => {
                    theme.minutes = self.minutes(entry, 0);
                    theme.minutes.is_some()
                }
                "required" => match self.boolean(entry) {
                    Some(b) => {
                        theme.required = b;
                        true
                    }
                    None => false,
                },
                "probes" => match self.probes(entry) {
                    Some(p) => {
                        theme.probes = p;
                        true
                    }
                    None => false,
                },
                other => {
                    self.unknown_key(
                        key.span().start,
                        other,
                        &format!("[[theme]] ({place})"),
                        THEME_KEYS,
                    );
                    false
                }
            };
            ok &= fine;
        }
        for (required_key, found) in [
            ("id", table.contains_key("id")),
            ("title", table.contains_key("title")),
        ] {
            if !found {
                self.error(start, format!("{place} has no {required_key}"));
                ok = false;
            }
        }
        let (Some(id), Some(title)) = (id, title) else {
            return None;
        };
        theme.id = id;
        theme.title = title;
        ok.then_some(theme)
    }

    fn theme_id(&mut self, (key, v): Entry, seen: &mut HashMap<String, usize>) -> Option<String> {
        let id = self.string((key, v))?;
        let offset = v.span().start;
        if id.is_empty() {
            self.error(offset, "theme id is empty");
            return None;
        }
        if let Some(bad) = id
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
        {
            self.error(
                offset,
                format!(
                    "theme id \"{id}\" has '{}': use lowercase letters, digits, '-' and '_'",
                    bad.escape_default()
                ),
            );
            return None;
        }
        if seen.contains_key(&id) {
            // The repeated entry is the problem: point at its key, as the contract's example does.
            self.error(key.span().start, format!("duplicate theme id \"{id}\""));
            return None;
        }
        seen.insert(id.clone(), offset);
        Some(id)
    }

    fn probes(&mut self, (key, v): Entry) -> Option<Vec<Probe>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of probes");
            return None;
        };
        let mut probes = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    if s.trim().is_empty() {
                        self.error(item.span().start, "probe text is empty");
                        ok = false;
                    } else {
                        probes.push(Probe {
                            text: s.to_string(),
                            required: false,
                        });
                    }
                }
                DeValue::Table(t) => match self.probe_table(item.span().start, t) {
                    Some(p) => probes.push(p),
                    None => ok = false,
                },
                other => {
                    self.error(
                        item.span().start,
                        format!(
                            "a probe must be a string or a table {{ text = \"...\", required = true }}, not {}",
                            type_name(other)
                        ),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(probes)
    }

    fn probe_table(&mut self, start: usize, table: &DeTable<'_>) -> Option<Probe> {
        let mut ok = true;
        let mut text = None;
        let mut required = false;
        for (key, v) in table.iter() {
            match key.get_ref().as_ref() {
                "text" => {
                    text = self.non_empty_string((key, v));
                    ok &= text.is_some();
                }
                "required" => match self.boolean((key, v)) {
                    Some(b) => required = b,
                    None => ok = false,
                },
                other => {
                    self.unknown_key(key.span().start, other, "a probe", PROBE_KEYS);
                    ok = false;
                }
            }
        }
        if !table.contains_key("text") {
            self.error(start, "probe has no text");
            ok = false;
        }
        match (ok, text) {
            (true, Some(text)) => Some(Probe { text, required }),
            _ => None,
        }
    }

    fn wrong_type(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        v: &Spanned<DeValue<'_>>,
        expected: &str,
    ) {
        self.error(
            v.span().start,
            format!(
                "\"{}\" must be {expected}, not {}",
                key.get_ref(),
                type_name(v.get_ref())
            ),
        );
    }

    fn string(&mut self, (key, v): Entry) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(key, v, "a string");
                None
            }
        }
    }

    fn non_empty_string(&mut self, (key, v): Entry) -> Option<String> {
        let s = self.string((key, v))?;
        if s.trim().is_empty() {
            self.error(v.span().start, format!("\"{}\" is empty", key.get_ref()));
            return None;
        }
        Some(s)
    }

    fn boolean(&mut self, (key, v): Entry) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v, "true or false");
                None
            }
        }
    }

    /// A whole number of minutes between `min` and a day.
    fn minutes(&mut self, (key, v): Entry, min: i64) -> Option<u32> {
        let name = key.get_ref();
        let DeValue::Integer(_) = v.get_ref() else {
            self.wrong_type(key, v, "a whole number of minutes");
            return None;
        };
        let parsed = integer(v.get_ref());
        match parsed {
            Some(n) if n < 0 => {
                self.error(
                    v.span().start,
                    format!("\"{name}\" is negative ({n}): use minutes from {min} up"),
                );
                None
            }
            Some(n) if n < min || n > MAX_MINUTES => {
                self.error(
                    v.span().start,
                    format!("\"{name}\" must be between {min} and {MAX_MINUTES} minutes, not {n}"),
                );
                None
            }
            Some(n) => u32::try_from(n).ok(),
            None => {
                self.error(v.span().start, format!("\"{name}\" is too large"));
                None
            }
        }
    }
}

struct Header {
    title: String,
    version: Option<String>,
    description: Option<String>,
    kind: SessionKind,
    mode: SessionMode,
    duration_minutes: u32,
    warn_before_end_minutes: u32,
    duration_offset: usize,
    warn_offset: usize,
}
