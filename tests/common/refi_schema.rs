//! Validating `project.qde` files. The published project schema declares the required
//! attribute of `Variable` as `" typeOfVariable"` (with a leading space): no document can have
//! such an attribute, so no project with variables validates against it as published. Projects
//! are checked against the schema with that one name corrected, and against the published
//! schema with no error but that one allowed.

use std::path::{Path, PathBuf};

/// The misspelt declaration and its correction.
const MISSPELT: &str = "name=\" typeOfVariable\"";
const CORRECTED: &str = "name=\"typeOfVariable\"";

/// The project schema with the attribute name corrected, written once per test process.
fn corrected_schema() -> PathBuf {
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
