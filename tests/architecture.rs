//! The layers point one way: `cli -> ui -> app -> {export, storage, library, config} -> model`,
//! with `text` a leaf every layer may use. This reads every `crate::` path (and every `super::`
//! that climbs to the crate root) in `src/` and fails when a module names one it may not use.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each top-level module may name besides itself. `text` and `model` name nothing else.
const ALLOWED: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("model", &[]),
    ("storage", &["model", "text"]),
    ("export", &["model", "text"]),
    ("library", &["model", "text"]),
    ("config", &["model", "text"]),
    (
        "app",
        &["model", "text", "storage", "export", "library", "config"],
    ),
    (
        "ui",
        &[
            "model", "text", "storage", "export", "library", "config", "app",
        ],
    ),
    (
        "cli",
        &[
            "model", "text", "storage", "export", "library", "config", "app", "ui",
        ],
    ),
];

/// One path that names a module its layer may not use.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    file: String,
    from: String,
    to: String,
}

/// The top-level module a file under `src/` belongs to and its module path (`ui::view::top_bar`),
/// or None for the crate root (`lib.rs`, `main.rs`) and binaries.
fn module_of(relative: &Path) -> Option<(String, Vec<String>)> {
    let parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.first().map(String::as_str) == Some("bin") {
        return None;
    }
    let mut path: Vec<String> = parts
        .iter()
        .map(|p| p.trim_end_matches(".rs").to_string())
        .collect();
    if path.last().map(String::as_str) == Some("mod") {
        path.pop();
    }
    if matches!(path.as_slice(), [one] if one == "lib" || one == "main") || path.is_empty() {
        return None;
    }
    Some((path[0].clone(), path))
}

/// Strips `//` comments and string literals so words in them are not taken for paths.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        let mut in_string = false;
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if !in_string && c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' {
                in_string = !in_string;
                out.push(' ');
            } else if !in_string {
                out.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
        }
        out.push('\n');
    }
    out
}

/// The first identifier at the start of `rest`.
fn ident(rest: &str) -> &str {
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The top-level modules a source names: `crate::x`, `crate::{x, y::z}` and `super::` chains
/// that climb out of the file's own top-level module.
fn named_modules(source: &str, module_path: &[String]) -> BTreeSet<String> {
    let code = code_only(source);
    let mut names = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        let name = ident(&group[i..]);
                        if !name.is_empty() {
                            names.insert(name.to_string());
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                names.insert(name.to_string());
            }
        }
    }
    // A file's own module is `module_path` (its parent for items, as `super` counts from the
    // file's module): `super` n times from depth d reaches depth d - n.
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut rest = &code[at..];
        let mut climbs = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = r;
        }
        if climbs >= module_path.len() {
            let name = ident(rest);
            if !name.is_empty() {
                names.insert(name.to_string());
            }
        }
    }
    names
}

/// Every violation in `files` (path under `src/`, source text).
fn violations(files: &[(PathBuf, String)]) -> Vec<Violation> {
    let mut found = Vec::new();
    for (relative, source) in files {
        let Some((top, path)) = module_of(relative) else {
            continue;
        };
        let allowed = ALLOWED
            .iter()
            .find(|(m, _)| *m == top)
            .map(|(_, a)| *a)
            .unwrap_or_else(|| {
                panic!(
                    "{top} (from {}) has no place in ALLOWED",
                    relative.display()
                )
            });
        for name in named_modules(source, &path) {
            let known = ALLOWED.iter().any(|(m, _)| *m == name);
            if known && name != top && !allowed.contains(&name.as_str()) {
                found.push(Violation {
                    file: relative.display().to_string(),
                    from: top.clone(),
                    to: name,
                });
            }
        }
    }
    found.sort();
    found
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, String)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a source file");
            let relative = path.strip_prefix(root).expect("under src").to_path_buf();
            out.push((relative, text));
        }
    }
}

#[test]
fn lower_layers_never_name_higher_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    assert!(files.len() > 40, "read the sources ({} files)", files.len());
    let lib = std::fs::read_to_string(root.join("lib.rs")).expect("lib.rs");
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(
                ALLOWED.iter().any(|(m, _)| *m == name),
                "the top-level module {name} needs a place in the layers"
            );
        }
    }
    let found = violations(&files);
    assert!(
        found.is_empty(),
        "lower layers name higher ones:\n{}",
        found
            .iter()
            .map(|v| format!("  {}: {} uses {}", v.file, v.from, v.to))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_check_sees_a_cycle_and_every_way_of_naming_a_module() {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_string());
    let files = [
        // The cycle the first version had: screens used the command line's context.
        file("ui/home.rs", "use crate::cli::context::Context;\n"),
        file("cli/start_cmd.rs", "use crate::ui::home::run_home;\n"),
        file(
            "model/session.rs",
            "use crate::{text::width, model::guide::Guide};\n",
        ),
        file(
            "text/fit.rs",
            "fn f() { let _ = crate::storage::paths::data_dir; }\n",
        ),
        file("config/keys.rs", "use super::super::ui::keymap::Action;\n"),
        file(
            "storage/journal.rs",
            "use super::paths; // crate::ui in a comment\n",
        ),
        file("export/csv.rs", "const A: &str = \"crate::ui::x\";\n"),
        file("lib.rs", "pub mod cli;\n"),
    ];
    let found: Vec<(String, String)> = violations(&files)
        .into_iter()
        .map(|v| (v.from, v.to))
        .collect();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        found,
        vec![
            pair("config", "ui"),
            pair("model", "text"),
            pair("text", "storage"),
            pair("ui", "cli"),
        ]
    );
}
