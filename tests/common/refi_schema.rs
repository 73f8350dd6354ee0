//! Validating `project.qde` files. The published project schema declares the required
//! attribute of `Variable` as `" typeOfVariable"` (with a leading space): no document can have
//! such an attribute, so no project with variables validates against it as published. Projects
//! are checked against the schema with that one name corrected, and against the published
//! schema with no error but that one allowed.

use std::path::{Path, PathBuf};

/// The misspelt declaration and its correction.
const MISSPELT: &str = "name=\" typeOfVariable\"";
const CORRECTED: &str = "name=\"typeOfVariable\"";

/// The project schema with the attribute name corrected, written once per test process: tests
/// run in parallel threads, and rewriting the file for each would truncate it under another
/// test's xmllint.
fn corrected_schema() -> PathBuf {
    static WRITTEN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    WRITTEN
        .get_or_init(|| {
            let published = Path::new(super::SCHEMAS).join("Project-mrt2019.xsd");
            let text = std::fs::read_to_string(&published).expect("the published project schema");
            assert_eq!(
                text.matches(MISSPELT).count(),
                1,
                "the published schema no longer misspells typeOfVariable: validate against it as it is"
            );
            let path = std::env::temp_dir().join(format!(
                "topicguide-project-schema-{}.xsd",
                std::process::id()
            ));
            std::fs::write(&path, text.replace(MISSPELT, CORRECTED)).expect("writing the schema");
            path
        })
        .clone()
}

/// Validates a `project.qde` (see the module's notes); false (with a notice) if xmllint is
/// missing.
pub fn xmllint_project(file: &Path) -> bool {
    let schema = corrected_schema();
    let valid = super::xmllint(schema.to_str().expect("a UTF-8 path"), file);
    if !valid {
        return false;
    }
    let published = Path::new(super::SCHEMAS).join("Project-mrt2019.xsd");
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&published)
        .arg(file)
        .output()
        .expect("xmllint runs");
    let errors = String::from_utf8_lossy(&out.stderr);
    for line in errors.lines() {
        assert!(
            line.contains("typeOfVariable")
                || line.ends_with("fails to validate")
                || line.ends_with("validates"),
            "{} has an error against the published schema besides its misspelt typeOfVariable:\n{errors}",
            file.display()
        );
    }
    true
}

/// One element of an XML document: its name, attributes and its parent's index.
#[derive(Debug)]
pub struct El {
    pub name: String,
    pub attrs: std::collections::BTreeMap<String, String>,
    pub parent: Option<usize>,
}

impl El {
    pub fn get(&self, key: &str) -> &str {
        self.attrs
            .get(key)
            .unwrap_or_else(|| panic!("{} has no {key}", self.name))
    }
}

/// Every element of an XML document in document order, with its parent.
pub fn elements(xml: &str) -> Vec<El> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<El> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(_) => {
                open.pop();
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(e) = start {
            let attrs = e
                .attributes()
                .map(|a| {
                    let a = a.expect("an attribute");
                    (
                        a.key.as_ref().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .expect("an attribute value")
                            .into_owned(),
                    )
                })
                .collect();
            out.push(El {
                name: e.name().as_ref().to_string(),
                attrs,
                parent: open.last().copied(),
            });
            if !empty {
                open.push(out.len() - 1);
            }
        }
    }
    out
}
