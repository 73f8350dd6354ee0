//! Two observers' agreement as a report a person reads: Markdown, or one self-contained HTML
//! file. Kappa, per-theme agreement, coverage and probes, and the notes only one of them took.

use super::ExportInput;
use super::html::{document_head, escape};
use super::markdown::md;
use super::safe_text::separators_removed;
use crate::model::agreement::{Agreement, Kappa, Observed, compare};
use crate::model::observer_pairs::{ObserverKey, PAIRING_RULE, observer_pairs};
use crate::model::session::Note;
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

/// A session as the comparison reads it, its clock where the export reads it.
pub fn observed<'a>(input: &ExportInput<'a>) -> Observed<'a> {
    Observed {
        id: input.id,
        state: input.session.state(),
        guide: &input.session.guide,
        as_of: input.as_of,
    }
}

/// The pairs of a study that recorded the same group, each compared.
fn study_pairs<'a>(
    observed: &'a [Observed<'a>],
) -> Vec<(&'a Observed<'a>, &'a Observed<'a>, Agreement<'a>)> {
    let keys: Vec<ObserverKey> = observed.iter().map(ObserverKey::of).collect();
    observer_pairs(&keys)
        .into_iter()
        .map(|(i, j)| {
            let (a, b) = (&observed[i], &observed[j]);
            (a, b, compare(a, b))
        })
        .collect()
}

/// The rule, as the reports state it, with its first letter up.
fn rule_sentence() -> String {
    let mut rule = PAIRING_RULE.to_string();
    if let Some(first) = rule.get(..1) {
        rule.replace_range(..1, &first.to_uppercase());
    }
    format!("{rule}.")
}

/// What the study reports say when no two sessions recorded the same group.
const NO_PAIR: &str = "No two sessions recorded the same group";

/// A session as the agreement reports name it: its label, and its note-taker when recorded.
fn who(o: &Observed) -> String {
    let label = &o.state.meta.label;
    match &o.state.meta.researcher {
        Some(r) => format!("{label} (note-taker {r})"),
        None => label.clone(),
    }
}

/// A note as the agreement reports show it: speaker, then text.
fn note_text(n: Option<&Note>) -> String {
    n.map(|n| match &n.speaker {
        Some(s) => format!("{s}: {}", n.text),
        None => n.text.clone(),
    })
    .unwrap_or_default()
}

/// The Markdown report.
pub fn markdown(a: &Observed, b: &Observed, agreement: &Agreement) -> String {
    let mut out = String::new();
    let (la, lb) = (&a.state.meta.label, &b.state.meta.label);
    let _ = writeln!(out, "# Observer agreement: {} and {}\n", md(la), md(lb));
    markdown_body(&mut out, a, b, agreement, "##");
    separators_removed(out)
}

/// The study's observer agreement in Markdown (`review --format md`): a part per pair of
/// sessions that recorded the same group, or one line saying there is none.
pub fn study_markdown(sessions: &[ExportInput]) -> String {
    let observed: Vec<Observed> = sessions.iter().map(observed).collect();
    let pairs = study_pairs(&observed);
    let mut out = String::from("\n## Observer agreement\n\n");
    if pairs.is_empty() {
        let _ = writeln!(out, "{NO_PAIR} ({PAIRING_RULE}).");
        return separators_removed(out);
    }
    let _ = writeln!(out, "{}", rule_sentence());
    for (a, b, agreement) in &pairs {
        let _ = writeln!(
            out,
            "\n### {} and {}\n",
            md(&a.state.meta.label),
            md(&b.state.meta.label)
        );
        markdown_body(&mut out, a, b, agreement, "####");
    }
    separators_removed(out)
}

/// Everything of one pair's Markdown report below its title; `sub` is its subheadings' level.
fn markdown_body(out: &mut String, a: &Observed, b: &Observed, agreement: &Agreement, sub: &str) {
    let _ = writeln!(out, "- A: `{}` {}", a.id, md(&who(a)));
    let _ = writeln!(out, "- B: `{}` {}", b.id, md(&who(b)));
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
    let _ = writeln!(out, "{}\n", summary(agreement));
    let _ = writeln!(out, "| {} |", THEME_COLUMNS.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(THEME_COLUMNS.len()));
    for t in &agreement.themes {
        let _ = writeln!(
            out,
            "| {} | {} |",
            md(&t.title),
            theme_numbers(t).join(" | ")
        );
    }
    let probes = probes_differ(agreement);
    if !probes.is_empty() {
        let _ = writeln!(out, "\n{sub} Probes ticked differently\n");
        for line in probes {
            let _ = writeln!(out, "- {}", md(&line));
        }
    }
    let _ = writeln!(
        out,
        "\n{sub} Notes only one observer took\n\n{} notes matched (same theme, within a minute).\n",
        agreement.notes_matched
    );
    if !agreement.notes_differ.is_empty() {
        let _ = writeln!(out, "| At | Theme | A | B |");
        let _ = writeln!(out, "|---|---|---|---|");
        for d in &agreement.notes_differ {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                hms(d.offset_seconds),
                md(d.theme_id.as_deref().unwrap_or("–")),
                md(&note_text(d.only_a)),
                md(&note_text(d.only_b))
            );
        }
    }
}

/// The per-theme table's columns.
const THEME_COLUMNS: [&str; 7] = ["Theme", "A seconds", "B seconds", "Both", "Kappa", "A", "B"];

/// One theme's cells after its title: seconds, kappa and each observer's status.
fn theme_numbers(t: &crate::model::agreement::ThemeAgreement) -> [String; 6] {
    [
        t.seconds_a.to_string(),
        t.seconds_b.to_string(),
        t.seconds_both.to_string(),
        t.kappa.kappa.map_or("–".into(), |v| format!("{v:.2}")),
        status_word(t.status_a),
        status_word(t.status_b),
    ]
}

/// Coverage and probe agreement in one sentence.
fn summary(agreement: &Agreement) -> String {
    let (cov_agree, cov_n) = agreement.coverage();
    let (probe_agree, probe_n) = agreement.probes();
    format!(
        "Coverage agrees on {cov_agree} of {cov_n} themes; probes on {probe_agree} of {probe_n}."
    )
}

/// Each probe the two ticked differently, in words.
fn probes_differ(agreement: &Agreement) -> Vec<String> {
    let ticked = |t: bool| if t { "ticked" } else { "not ticked" };
    agreement
        .themes
        .iter()
        .flat_map(|t| {
            t.probes_differ.iter().map(move |(text, in_a, in_b)| {
                format!(
                    "{}: {text} (A {}, B {})",
                    t.title,
                    ticked(*in_a),
                    ticked(*in_b)
                )
            })
        })
        .collect()
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
    html_body(&mut out, a, b, agreement, "h2");
    let _ = writeln!(out, "</body>\n</html>");
    separators_removed(out)
}

/// The study report's observer agreement section (`review --format html`): a block per pair of
/// sessions that recorded the same group, or one line saying there is none.
pub fn study_html(out: &mut String, sessions: &[ExportInput]) {
    let observed: Vec<Observed> = sessions.iter().map(observed).collect();
    let pairs = study_pairs(&observed);
    let _ = writeln!(
        out,
        "<section id=\"agreement\">\n<h2>Observer agreement</h2>"
    );
    if pairs.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{NO_PAIR} ({}).</p>",
            escape(PAIRING_RULE)
        );
    } else {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", escape(&rule_sentence()));
    }
    for (a, b, agreement) in &pairs {
        let _ = writeln!(
            out,
            "<section class=\"pair\" data-a=\"{}\" data-b=\"{}\">\n<h3>{} and {}</h3>",
            escape(a.id),
            escape(b.id),
            escape(&a.state.meta.label),
            escape(&b.state.meta.label)
        );
        html_body(out, a, b, agreement, "h4");
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(out, "</section>");
}

/// Everything of one pair's HTML report below its title; `sub` is its subheadings' element.
fn html_body(out: &mut String, a: &Observed, b: &Observed, agreement: &Agreement, sub: &str) {
    let _ = writeln!(
        out,
        "<p class=\"observers\">A: {} <code>{}</code>; B: {} <code>{}</code></p>",
        escape(&who(a)),
        escape(a.id),
        escape(&who(b)),
        escape(b.id)
    );
    let k = &agreement.overall;
    let _ = writeln!(
        out,
        "<p class=\"kappa\" data-kappa=\"{}\"><strong>Cohen's kappa {}</strong> {}: observed agreement {:.1}%, chance {:.1}%, over {} seconds both were recording.</p>",
        k.kappa.map_or(String::new(), |v| format!("{v:.4}")),
        escape(&kappa_text(k)),
        strength(k),
        k.observed * 100.0,
        k.expected * 100.0,
        agreement.seconds
    );
    let header: String = THEME_COLUMNS
        .iter()
        .map(|c| format!("<th>{c}</th>"))
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"coverage\">{}</p>\n<table class=\"themes\">\n<thead><tr>{header}</tr></thead>\n<tbody>",
        summary(agreement)
    );
    for t in &agreement.themes {
        let cells: String = theme_numbers(t)
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let class = if i < 4 { " class=\"num\"" } else { "" };
                format!("<td{class}>{}</td>", escape(c))
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr data-theme=\"{}\"><td>{}</td>{cells}</tr>",
            escape(&t.theme_id),
            escape(&t.title)
        );
    }
    let _ = writeln!(out, "</tbody></table>");
    let probes = probes_differ(agreement);
    if !probes.is_empty() {
        let _ = writeln!(
            out,
            "<{sub}>Probes ticked differently</{sub}>\n<ul class=\"probes\">"
        );
        for line in probes {
            let _ = writeln!(out, "<li>{}</li>", escape(&line));
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(
        out,
        "<{sub}>Notes only one observer took</{sub}>\n<p>{} notes matched (same theme, within a minute).</p>\n<table class=\"notes\">\n<thead><tr><th>At</th><th>Theme</th><th>A</th><th>B</th></tr></thead>\n<tbody>",
        agreement.notes_matched
    );
    for d in &agreement.notes_differ {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            hms(d.offset_seconds),
            escape(d.theme_id.as_deref().unwrap_or("–")),
            escape(&note_text(d.only_a)),
            escape(&note_text(d.only_b))
        );
    }
    let _ = writeln!(out, "</tbody></table>");
}
