//! Two observers' agreement as a report a person reads: Markdown, or one self-contained HTML
//! file. Kappa, per-theme agreement, coverage and probes, and the notes only one of them took.

use super::html::{document_head, escape};
use crate::model::agreement::{Agreement, Kappa, Observed};
use crate::model::timefmt::hms;
use crate::model::vocabulary::ThemeMark;
use std::fmt::Write;

/// The agreement page's inline style: plain tables, nothing fetched.
const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #d0d4d9;vertical-align:top}td.num{text-align:right}";

/// Kappa for people: two decimals, or why there is none.
fn kappa_text(k: &Kappa) -> String {
    match k.kappa {
        Some(v) => format!("{v:.2}"),
        None => "not defined (one label throughout)".into(),
    }
}

/// Landis and Koch's words for a kappa, as observation tools report them.
fn strength(k: &Kappa) -> &'static str {
    match k.kappa {
        None => "",
        Some(v) if v < 0.0 => "poor",
        Some(v) if v <= 0.20 => "slight",
        Some(v) if v <= 0.40 => "fair",
        Some(v) if v <= 0.60 => "moderate",
        Some(v) if v <= 0.80 => "substantial",
        Some(_) => "almost perfect",
    }
}

fn status_word(s: Option<crate::model::session::ThemeStatus>) -> String {
    s.map(|s| {
        let mark = match s {
            crate::model::session::ThemeStatus::NotStarted => ThemeMark::NotStarted,
            crate::model::session::ThemeStatus::InDiscussion => ThemeMark::Discussed,
            crate::model::session::ThemeStatus::Covered => ThemeMark::Covered,
            crate::model::session::ThemeStatus::Skipped => ThemeMark::Skipped,
        };
        format!("{} {}", mark.mark(), mark.label())
    })
    .unwrap_or_else(|| "·".into())
}

fn md(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The Markdown report.
pub fn markdown(a: &Observed, b: &Observed, agreement: &Agreement) -> String {
    let mut out = String::new();
    let (la, lb) = (&a.state.meta.label, &b.state.meta.label);
    let _ = writeln!(out, "# Observer agreement: {} and {}\n", md(la), md(lb));
    let who = |o: &Observed| {
        o.state
            .meta
            .researcher
            .as_deref()
            .map(|r| format!(" (note-taker {})", md(r)))
            .unwrap_or_default()
    };
    let _ = writeln!(out, "- A: `{}` {}{}", a.id, md(la), who(a));
    let _ = writeln!(out, "- B: `{}` {}{}", b.id, md(lb), who(b));
    let _ = writeln!(
        out,
        "- Compared: {} seconds both were recording, on a one-second grid\n",
        agreement.seconds
    );
    let k = &agreement.overall;
    let _ = writeln!(
        out,
        "**Cohen's kappa {}** {}: observed agreement {:.1}%, chance {:.1}% (theme under discussion, or none, second by second).\n",
        kappa_text(k),
        strength(k),
        k.observed * 100.0,
        k.expected * 100.0
    );
    let (cov_agree, cov_n) = agreement.coverage();
    let (probe_agree, probe_n) = agreement.probes();
    let _ = writeln!(
        out,
        "Coverage agrees on {cov_agree} of {cov_n} themes; probes on {probe_agree} of {probe_n}.\n"
    );
    let _ = writeln!(
        out,
        "| Theme | A seconds | B seconds | Both | Kappa | A | B |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for t in &agreement.themes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md(&t.title),
            t.seconds_a,
            t.seconds_b,
            t.seconds_both,
            t.kappa.kappa.map_or("–".into(), |v| format!("{v:.2}")),
            status_word(t.status_a),
            status_word(t.status_b)
        );
    }
    let probes: Vec<_> = agreement
        .themes
        .iter()
        .flat_map(|t| t.probes_differ.iter().map(move |p| (t, p)))
        .collect();
    if !probes.is_empty() {
        let _ = writeln!(out, "\n## Probes ticked differently\n");
        for (t, (text, in_a, in_b)) in probes {
            let _ = writeln!(
                out,
                "- {}: {} (A {}, B {})",
                md(&t.title),
                md(text),
                if *in_a { "ticked" } else { "not ticked" },
                if *in_b { "ticked" } else { "not ticked" }
            );
        }
    }
    let _ = writeln!(
        out,
        "\n## Notes only one observer took\n\n{} notes matched (same theme, within a minute).\n",
        agreement.notes_matched
    );
    if !agreement.notes_differ.is_empty() {
        let _ = writeln!(out, "| At | Theme | A | B |");
        let _ = writeln!(out, "|---|---|---|---|");
        for d in &agreement.notes_differ {
            let text = |n: Option<&crate::model::session::Note>| {
                n.map(|n| {
                    let who = n
                        .speaker
                        .as_deref()
                        .map(|s| format!("{s}: "))
                        .unwrap_or_default();
                    md(&format!("{who}{}", n.text))
                })
                .unwrap_or_default()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                hms(d.offset_seconds),
                md(d.theme_id.as_deref().unwrap_or("–")),
                text(d.only_a),
                text(d.only_b)
            );
        }
    }
    out
}

/// The same report as one self-contained HTML file (no network, inline style).
pub fn html(a: &Observed, b: &Observed, agreement: &Agreement) -> String {
    let mut out = String::new();
    let title = format!(
        "Observer agreement: {} and {}",
        a.state.meta.label, b.state.meta.label
    );
    document_head(&mut out, &title, STYLE);
    let _ = writeln!(out, "</header>");
    let k = &agreement.overall;
    let _ = writeln!(
        out,
        "<p id=\"kappa\" data-kappa=\"{}\"><strong>Cohen's kappa {}</strong> {}: observed agreement {:.1}%, chance {:.1}%, over {} seconds both were recording.</p>",
        k.kappa.map_or(String::new(), |v| format!("{v:.4}")),
        escape(&kappa_text(k)),
        strength(k),
        k.observed * 100.0,
        k.expected * 100.0,
        agreement.seconds
    );
    let (cov_agree, cov_n) = agreement.coverage();
    let (probe_agree, probe_n) = agreement.probes();
    let _ = writeln!(
        out,
        "<p>Coverage agrees on {cov_agree} of {cov_n} themes; probes on {probe_agree} of {probe_n}.</p>\n<table id=\"themes\">\n<thead><tr><th>Theme</th><th>A seconds</th><th>B seconds</th><th>Both</th><th>Kappa</th><th>A</th><th>B</th></tr></thead>\n<tbody>"
    );
    for t in &agreement.themes {
        let _ = writeln!(
            out,
            "<tr data-theme=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&t.theme_id),
            escape(&t.title),
            t.seconds_a,
            t.seconds_b,
            t.seconds_both,
            t.kappa.kappa.map_or("–".into(), |v| format!("{v:.2}")),
            status_word(t.status_a),
            status_word(t.status_b)
        );
    }
    let _ = writeln!(
        out,
        "</tbody></table>\n<h2>Notes only one observer took</h2>\n<table id=\"notes\">\n<thead><tr><th>At</th><th>Theme</th><th>A</th><th>B</th></tr></thead>\n<tbody>"
    );
    for d in &agreement.notes_differ {
        let text = |n: Option<&crate::model::session::Note>| {
            n.map(|n| escape(&n.text)).unwrap_or_default()
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            hms(d.offset_seconds),
            escape(d.theme_id.as_deref().unwrap_or("–")),
            text(d.only_a),
            text(d.only_b)
        );
    }
    let _ = writeln!(out, "</tbody></table>\n</body>\n</html>");
    out
}
