//! The guides a user can start from: the built-in ones and the user's guide folder.

use crate::model::guide::Guide;
use crate::model::guide_parse::{Finding, GuideReport, Severity, parse_guide};
use crate::model::toml_check::located;
use std::fs;
use std::path::{Path, PathBuf};

/// The guides shipped in `guides/`, built into the binary: (name, TOML text).
pub const BUILTIN_GUIDES: &[(&str, &str)] = &[
    (
        "cmp-patient-focus-group",
        include_str!("../guides/cmp-patient-focus-group.toml"),
    ),
    (
        "cmp-patient-telephone-interview",
        include_str!("../guides/cmp-patient-telephone-interview.toml"),
    ),
    (
        "cmp-staff-interprofessional",
        include_str!("../guides/cmp-staff-interprofessional.toml"),
    ),
];

/// The built-in guide a session starts with when none is named.
pub const DEFAULT_GUIDE: &str = "cmp-patient-focus-group";

/// Where a guide's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuideOrigin {
    Builtin(&'static str),
    File(PathBuf),
}

impl GuideOrigin {
    /// How the origin is shown and recorded: the built-in name or the file path.
    pub fn describe(&self) -> String {
        match self {
            GuideOrigin::Builtin(name) => (*name).to_string(),
            GuideOrigin::File(path) => path.display().to_string(),
        }
    }
}

/// A guide's text with where it came from.
#[derive(Debug, Clone)]
pub struct GuideSource {
    pub origin: GuideOrigin,
    pub text: String,
}

impl GuideSource {
    /// The name a person knows the guide by: the built-in name or the file stem.
    pub fn name(&self) -> String {
        match &self.origin {
            GuideOrigin::Builtin(name) => (*name).to_string(),
            GuideOrigin::File(path) => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    /// Reads and validates the guide; the error is the first problem as `FILE:LINE:COL: message`.
    pub fn load(&self) -> Result<Guide, String> {
        let report = parse_guide(&self.text);
        match report.guide {
            Some(guide) => Ok(guide),
            None => {
                let first = report.errors().next();
                Err(match first {
                    Some(f) => format_finding(&self.origin.describe(), &self.text, f),
                    None => format!("{}: not a valid guide", self.origin.describe()),
                })
            }
        }
    }
}

/// One finding as `FILE:LINE:COL: message` (warnings say so).
pub fn format_finding(file: &str, text: &str, finding: &Finding) -> String {
    let prefix = match finding.severity {
        Severity::Error => "",
        Severity::Warning => "warning: ",
    };
    located(
        file,
        text,
        finding.offset,
        &format!("{prefix}{}", finding.message),
    )
}

/// Every finding of a report, formatted.
pub fn format_report(file: &str, text: &str, report: &GuideReport) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| format_finding(file, text, f))
        .collect()
}

/// The user's guide folder inside a config folder.
pub fn user_guides_dir(config_dir: &Path) -> PathBuf {
    config_dir.join("guides")
}

/// The `.toml` files of the user's guide folder, sorted; none if the folder is missing.
pub fn user_guide_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    files.sort();
    files
}

/// Finds a guide by file path, built-in name, or name in the user's guide folder.
pub fn find_guide(arg: &str, user_dir: Option<&Path>) -> Result<GuideSource, String> {
    let path = Path::new(arg);
    if path.is_file() {
        return read_guide_file(path);
    }
    if let Some((name, text)) = BUILTIN_GUIDES.iter().find(|(name, _)| *name == arg) {
        return Ok(GuideSource {
            origin: GuideOrigin::Builtin(name),
            text: (*text).to_string(),
        });
    }
    if let Some(dir) = user_dir {
        let candidate = dir.join(format!("{arg}.toml"));
        if !arg.contains('/') && candidate.is_file() {
            return read_guide_file(&candidate);
        }
    }
    let names: Vec<&str> = BUILTIN_GUIDES.iter().map(|(n, _)| *n).collect();
    Err(format!(
        "unknown guide '{arg}': not a file, and not a built-in guide ({}) or one in the user's guide folder",
        names.join(", ")
    ))
}

/// The built-in guide with this name.
pub fn builtin(name: &str) -> Option<GuideSource> {
    BUILTIN_GUIDES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| GuideSource {
            origin: GuideOrigin::Builtin(n),
            text: (*text).to_string(),
        })
}

/// Reads a guide file.
pub fn read_guide_file(path: &Path) -> Result<GuideSource, String> {
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let bytes = crate::text::bounded_read::read_capped(
        path,
        crate::text::bounded_read::MAX_GUIDE_BYTES,
        false,
    )
    .map_err(fail)?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: is not UTF-8 text", path.display()))?;
    Ok(GuideSource {
        origin: GuideOrigin::File(path.to_path_buf()),
        text,
    })
}

/// Every guide the user can start from: built-in first, then the user's folder.
pub fn all_guides(user_dir: Option<&Path>) -> Vec<GuideSource> {
    let mut out: Vec<GuideSource> = BUILTIN_GUIDES
        .iter()
        .map(|(n, text)| GuideSource {
            origin: GuideOrigin::Builtin(n),
            text: (*text).to_string(),
        })
        .collect();
    if let Some(dir) = user_dir {
        out.extend(
            user_guide_files(dir)
                .iter()
                .filter_map(|p| read_guide_file(p).ok()),
        );
    }
    out
}
