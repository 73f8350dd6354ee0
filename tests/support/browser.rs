//! A real browser for the tests: Debian's chromium, headless, with no network, no sync, no
//! profile of its own. A test without chromium skips loudly (a failure when tools are required).

#![allow(dead_code)]

use super::skip::missing_tool;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// How long one headless run may take before the test gives up on it.
const BROWSER_WAIT: Duration = Duration::from_secs(60);

fn find_chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// A headless chromium run on `page` with `extra` flags: its stdout, or None (skipped loudly)
/// when there is no chromium.
pub fn run_chromium(what: &str, page: &Path, extra: &[String]) -> Option<String> {
    let Some(chromium) = find_chromium() else {
        missing_tool(what, "chromium", "apt-get install chromium");
        return None;
    };
    let profile = tempfile::tempdir().expect("a profile folder");
    let mut cmd = Command::new("timeout");
    cmd.arg(BROWSER_WAIT.as_secs().to_string())
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()));
    let out = cmd.output().expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The page's DOM as chromium built it (scripts run).
pub fn dump_dom(page: &Path) -> Option<String> {
    run_chromium(
        "the page opened in a browser",
        page,
        &["--dump-dom".to_string()],
    )
}

/// A screenshot of the page at `width` x `height` into `png`; false when skipped.
pub fn screenshot(page: &Path, png: &Path, width: u32, height: u32) -> bool {
    run_chromium(
        "a screenshot of the page",
        page,
        &[
            format!("--window-size={width},{height}"),
            format!("--screenshot={}", png.display()),
        ],
    )
    .is_some()
}

/// The page printed to `pdf` as the browser prints it; false when skipped.
pub fn print_to_pdf(page: &Path, pdf: &Path) -> bool {
    run_chromium(
        "the page printed",
        page,
        &[
            "--no-pdf-header-footer".to_string(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    )
    .is_some()
}

/// Runs `script` in a copy of `page` (after everything else in it) and returns the JSON it
/// hands back with `report(value)`: a way to ask the browser's DOM and computed styles questions.
/// The copy sits beside the page; the page itself is not changed.
pub fn evaluate(page: &Path, script: &str) -> Option<serde_json::Value> {
    let html = std::fs::read_to_string(page).expect("the page");
    let probe = format!(
        "<script>\n(function() {{\n  function report(value) {{\n    const bytes = new TextEncoder().encode(JSON.stringify(value));\n    const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');\n    const out = document.createElement('pre');\n    out.id = 'probe-result';\n    out.textContent = hex;\n    document.body.appendChild(out);\n  }}\n  {script}\n}})();\n</script>\n"
    );
    let probed = match html.rfind("</body>") {
        Some(at) => format!("{}{probe}{}", &html[..at], &html[at..]),
        None => format!("{html}{probe}"),
    };
    let copy = page.with_extension("probe.html");
    std::fs::write(&copy, probed).expect("the probe page");
    let dom = dump_dom(&copy)?;
    let start = dom
        .find("<pre id=\"probe-result\">")
        .unwrap_or_else(|| panic!("the probe ran and reported:\n{dom}"))
        + "<pre id=\"probe-result\">".len();
    let end = start + dom[start..].find("</pre>").expect("the end of the result");
    let hex = &dom[start..end];
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect();
    Some(serde_json::from_slice(&bytes).expect("the probe's JSON"))
}
