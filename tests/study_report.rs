//! The study report (`review --format html`) opened in a real browser: headless chromium builds
//! its DOM, a probe script asks that DOM and its computed styles what a team meeting would look
//! at (sessions named by label, every cell's status, the gaps, the framework matrix, the parked
//! questions, the quotes, the sites), that nothing was fetched and no script came from the data;
//! then a screenshot and a print to PDF. Without chromium the test skips loudly (fails in CI).

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::browser::{evaluate, print_to_pdf, screenshot};
use common::{DataHome, add, create};
use serde_json::Value;
use std::fs;
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};
use topicguide::model::guide::{SessionKind, SessionMode};

const GROUP: &str = "cmp-patient-focus-group";
const PHONE: &str = "cmp-patient-telephone-interview";
const A: &str = "20261102-1000-group-1";
const B: &str = "20261104-1400-group-1";
const C: &str = "20261105-0930-interview-1";

fn start(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn meta(guide: &str, label: &str, site: &str, researcher: &str) -> SessionMeta {
    let g = builtin(guide).unwrap().load().unwrap();
    SessionMeta {
        site: Some(site.into()),
        researcher: Some(researcher.into()),
        machine: Some("laptop-2".into()),
        kind: g.kind,
        mode: if guide == PHONE {
            SessionMode::Telephone
        } else {
            SessionMode::InPerson
        },
        guide_source: guide.into(),
        ..SessionMeta::for_guide(&g, label)
    }
}

fn at(start: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    start + Duration::minutes(minutes)
}

fn note(id: &str, at: DateTime<Utc>, theme: &str, text: &str) -> Event {
    Event::NoteAdded {
        id: id.into(),
        noted_at: at,
        theme: Some(theme.into()),
        text: text.into(),
    }
}

/// Three sessions: two focus groups labelled alike at two sites (one ended, one interrupted
/// after two themes) and an ended telephone interview.
fn study(home: &DataHome) {
    let data = home.data();
    let s = start(2, 10);
    let mut a = create(&data, A, GROUP, s, meta(GROUP, "Group 1", "CR", "AR"));
    add(
        &mut a,
        at(s, 1),
        Event::Discussing {
            theme: "opening".into(),
        },
    );
    add(
        &mut a,
        at(s, 4),
        note(
            "n1",
            at(s, 3),
            "opening",
            "@P2 <script>alert('x')</script> asks about the recorder",
        ),
    );
    add(
        &mut a,
        at(s, 5),
        Event::Covered {
            theme: "opening".into(),
        },
    );
    add(
        &mut a,
        at(s, 5),
        Event::Discussing {
            theme: "programme".into(),
        },
    );
    add(
        &mut a,
        at(s, 9),
        note(
            "n2",
            at(s, 8),
            "programme",
            "@P3 my GP sent me, I didn't know what to expect #quote",
        ),
    );
    add(
        &mut a,
        at(s, 12),
        Event::Covered {
            theme: "programme".into(),
        },
    );
    add(
        &mut a,
        at(s, 12),
        Event::Discussing {
            theme: "health".into(),
        },
    );
    add(
        &mut a,
        at(s, 20),
        note(
            "n3",
            at(s, 19),
            "health",
            "ask P4 about medication later #followup",
        ),
    );
    add(
        &mut a,
        at(s, 30),
        Event::Skipped {
            theme: "psychosocial".into(),
            reason: Some("the group ran out of time".into()),
        },
    );
    add(&mut a, at(s, 60), Event::Ended);
    drop(a);

    let s = start(4, 14);
    let mut b = create(&data, B, GROUP, s, meta(GROUP, "Group 1", "DU", "KM"));
    add(
        &mut b,
        at(s, 1),
        Event::Discussing {
            theme: "opening".into(),
        },
    );
    add(
        &mut b,
        at(s, 6),
        Event::Covered {
            theme: "opening".into(),
        },
    );
    add(
        &mut b,
        at(s, 6),
        Event::Discussing {
            theme: "programme".into(),
        },
    );
    add(
        &mut b,
        at(s, 8),
        note(
            "n1",
            at(s, 7),
            "programme",
            "@P1 came through the practice nurse #quote",
        ),
    );
    drop(b);

    let s = start(5, 9);
    let mut c = create(&data, C, PHONE, s, meta(PHONE, "Interview 1", "CR", "AR"));
    add(
        &mut c,
        at(s, 1),
        Event::Discussing {
            theme: "opening".into(),
        },
    );
    add(
        &mut c,
        at(s, 3),
        Event::Covered {
            theme: "opening".into(),
        },
    );
    add(
        &mut c,
        at(s, 3),
        Event::Discussing {
            theme: "health".into(),
        },
    );
    add(
        &mut c,
        at(s, 15),
        Event::Covered {
            theme: "health".into(),
        },
    );
    add(&mut c, at(s, 40), Event::Ended);
    drop(c);
    let _ = SessionKind::Interview;
}

/// What the probe asks the browser.
const PROBE: &str = r#"
const text = el => el ? el.textContent.trim() : null;
const headers = [...document.querySelectorAll('#coverage thead th.session')]
  .map(th => th.childNodes[0].textContent.trim());
const cells = {};
const gapCells = [];
for (const td of document.querySelectorAll('#coverage tbody td.cell')) {
  cells[td.closest('tr').dataset.theme + '|' + td.dataset.session] = td.className.replace('cell ', '');
  gapCells.push(td.classList.contains('gap') ? td.closest('tr').dataset.theme + '|' + td.dataset.session : null);
}
const gapCell = document.querySelector('#coverage td.cell.gap');
const plainMissed = document.querySelector('#coverage td.cell.missed:not(.gap)');
report({
  title: document.title,
  resources: performance.getEntriesByType('resource').map(e => e.name),
  scripts: document.scripts.length,
  links: document.querySelectorAll('link, img, iframe, object, embed, [src], [href]').length,
  headers,
  cells,
  rows: [...document.querySelectorAll('#coverage tbody tr')].map(tr => tr.dataset.theme),
  gapBackground: gapCell ? getComputedStyle(gapCell).backgroundColor : null,
  gapCells: gapCells.filter(x => x),
  plainBackground: plainMissed ? getComputedStyle(plainMissed).backgroundColor : null,
  coveredColour: getComputedStyle(document.querySelector('#coverage td.cell.covered')).color,
  gaps: [...document.querySelectorAll('#gaps li')].map(text),
  sites: [...document.querySelectorAll('#sites tbody tr')].map(tr => [...tr.cells].map(text)),
  framework: [...document.querySelectorAll('#framework section.theme')].map(s => s.dataset.theme),
  healthNotes: [...document.querySelectorAll('#framework section.theme[data-theme="health"] li')].map(text),
  openingNotes: [...document.querySelectorAll('#framework section.theme[data-theme="opening"] li')].map(text),
  parked: [...document.querySelectorAll('#parked li')].map(text),
  quotes: [...document.querySelectorAll('#quotes li')].map(text),
  sessions: [...document.querySelectorAll('#sessions tbody tr')].map(tr => [...tr.cells].map(text)),
  agreement: text(document.querySelector('#agreement')),
  overflowsScreen: document.documentElement.scrollWidth > window.innerWidth + 1,
});
"#;

#[test]
fn the_study_report_in_a_real_browser() {
    let home = DataHome::empty();
    study(&home);
    let page = home.path("study.html");
    home.ok(&["review", "--format", "html", "-o", page.to_str().unwrap()]);
    let html = fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script"), "the report itself has no script");
    for scheme in ["http:", "https:", "//", "url("] {
        assert!(
            !html.replace("<!DOCTYPE html>", "").contains(scheme),
            "no address of any kind ({scheme})"
        );
    }

    let Some(facts) = evaluate(&page, PROBE) else {
        return;
    };
    let list = |key: &str| -> Vec<String> {
        facts[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {facts}"))
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect()
    };
    assert_eq!(facts["title"], "Study report: 3 sessions");
    assert_eq!(facts["resources"], Value::Array(vec![]), "nothing fetched");
    assert_eq!(
        facts["scripts"], 1,
        "only the probe runs: the note's <script> is text"
    );
    assert_eq!(facts["links"], 0);
    // Columns by label; the two "Group 1" sessions told apart by id, never by a number.
    assert_eq!(
        list("headers"),
        [
            format!("Group 1 ({A})"),
            format!("Group 1 ({B})"),
            "Interview 1".to_string()
        ]
    );
    let cell = |theme: &str, session: &str| facts["cells"][format!("{theme}|{session}")].clone();
    assert_eq!(cell("opening", A), "covered");
    assert_eq!(cell("health", A), "discussed gap");
    assert_eq!(cell("psychosocial", A), "skipped");
    assert_eq!(cell("employability", A), "missed gap");
    // The interrupted session can still be resumed: what it has not reached is "not yet".
    assert_eq!(cell("health", B), "pending");
    assert_eq!(
        cell("programme", B),
        "discussed",
        "in progress, not a gap yet"
    );
    // The optional closing theme, never reached, is missed but no gap.
    assert_eq!(cell("closing", A), "missed");
    let gap_cells = list("gapCells");
    assert!(
        !gap_cells.iter().any(|c| c.starts_with("closing|")),
        "{gap_cells:?}"
    );
    assert!(!gap_cells.iter().any(|c| c.ends_with(B)), "{gap_cells:?}");
    assert_eq!(facts["plainBackground"], "rgba(0, 0, 0, 0)");
    assert_eq!(cell("opening", C), "covered");
    assert_eq!(cell("health", C), "covered");
    // A gap is shaded, not only coloured text.
    assert_ne!(facts["gapBackground"], "rgba(0, 0, 0, 0)");
    assert_ne!(facts["coveredColour"], "rgb(27, 27, 27)");
    let gaps = list("gaps");
    assert!(
        gaps.iter()
            .any(|g| g.starts_with("Health experiences: 1 of 3 sessions")),
        "{gaps:?}"
    );
    assert!(!gaps.iter().any(|g| g.starts_with("Closing")), "{gaps:?}");
    // The framework matrix: a block per theme, the notes in it, the hostile text as text.
    let framework = list("framework");
    assert!(framework.starts_with(&["opening".to_string(), "programme".to_string()]));
    let opening = list("openingNotes");
    assert_eq!(opening.len(), 1, "{opening:?}");
    assert!(opening[0].contains("P2 <script>alert('x')</script> asks about the recorder"));
    let health = list("healthNotes");
    assert!(
        health[0].contains("ask P4 about medication later"),
        "{health:?}"
    );
    let parked = list("parked");
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert!(parked[0].contains("Health experiences"), "{parked:?}");
    let quotes = list("quotes");
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert!(quotes[0].contains("my GP sent me"));
    assert!(quotes[1].contains("practice nurse"));
    // Per site: CR has two sessions, DU one.
    let sites: Vec<Vec<String>> = facts["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(sites[0][0], "CR");
    assert_eq!(sites[0][1], "2");
    assert_eq!(sites[1][0], "DU");
    assert_eq!(sites[1][1], "1");
    // The note-taker and the machine are in the sessions table.
    let sessions = facts["sessions"].to_string();
    assert!(sessions.contains("AR on laptop-2"), "{sessions}");
    assert!(sessions.contains("KM on laptop-2"), "{sessions}");
    // No two of these sessions recorded the same group: one line says so, and why.
    let agreement = facts["agreement"].as_str().unwrap_or_default();
    assert!(
        agreement.contains(
            "No two sessions recorded the same group (two sessions are taken as two observers"
        ),
        "{agreement}"
    );
    assert_eq!(facts["overflowsScreen"], false, "fits a laptop screen");

    // A screenshot to look at, and the page printed.
    let png = home.path("study.png");
    if screenshot(&page, &png, 1280, 1600) {
        let bytes = fs::read(&png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
        assert!(bytes.len() > 20_000, "a drawn page, not a blank one");
        if let Some(dir) = std::env::var_os("TOPICGUIDE_KEEP_SCREENSHOTS") {
            let _ = fs::copy(&png, std::path::Path::new(&dir).join("study-report.png"));
        }
    }
    let pdf = home.path("study.pdf");
    if print_to_pdf(&page, &pdf) {
        let bytes = fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "a PDF");
        let text = String::from_utf8_lossy(&bytes);
        let pages = text
            .match_indices("/Count ")
            .filter_map(|(i, _)| {
                text[i + 7..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .max()
            .unwrap_or(0);
        // The matrix pages, then the framework matrix on a page of its own, then the parked
        // questions on another.
        assert!(pages >= 3, "{pages} printed pages");
    }
}

const OBSERVED: &str = "20261102-1000-group-1-km";
const ELSEWHERE: &str = "20261102-1000-group-1-du";

fn discussing(theme: &str) -> Event {
    Event::Discussing {
        theme: theme.into(),
    }
}

/// Two note-takers in one room (A by AR, OBSERVED by KM, both at CR from 10:00 to 10:10), and a
/// group at another site at the same hour (ELSEWHERE, DU).
///
/// A moves to the programme at 6 minutes, KM at 4: over the 600 seconds both agree 480 (0.8);
/// A is 0.6 opening, 0.4 programme, KM the other way round: chance 0.48, kappa 0.32 / 0.52 =
/// 0.6154. A covered the opening, KM did not; KM ticked a probe A did not.
fn observers(home: &DataHome) {
    let data = home.data();
    let s = start(2, 10);
    let mut a = create(&data, A, GROUP, s, meta(GROUP, "Group 1", "CR", "AR"));
    add(&mut a, s, discussing("opening"));
    add(
        &mut a,
        at(s, 2),
        note("n1", at(s, 2), "opening", "@P1 asks about the recorder"),
    );
    add(
        &mut a,
        at(s, 6),
        Event::Covered {
            theme: "opening".into(),
        },
    );
    add(&mut a, at(s, 6), discussing("programme"));
    add(&mut a, at(s, 10), Event::Ended);
    drop(a);
    let mut b = create(
        &data,
        OBSERVED,
        GROUP,
        s,
        meta(GROUP, "Group 1 KM", "CR", "KM"),
    );
    add(&mut b, s, discussing("opening"));
    add(
        &mut b,
        at(s, 2),
        note("n1", at(s, 2), "opening", "@P1 <b>recorder</b> question"),
    );
    add(&mut b, at(s, 4), discussing("programme"));
    add(
        &mut b,
        at(s, 5),
        Event::ProbeToggled {
            theme: "programme".into(),
            probe: 0,
            checked: true,
        },
    );
    add(&mut b, at(s, 10), Event::Ended);
    drop(b);
    let mut c = create(
        &data,
        ELSEWHERE,
        GROUP,
        s,
        meta(GROUP, "Group 1", "DU", "JS"),
    );
    add(&mut c, s, discussing("opening"));
    add(&mut c, at(s, 10), Event::Ended);
    drop(c);
}

const AGREEMENT_PROBE: &str = r#"
const text = el => el ? el.textContent.trim() : null;
const pairs = [...document.querySelectorAll('#agreement section.pair')];
report({
  resources: performance.getEntriesByType('resource').map(e => e.name),
  scripts: document.scripts.length,
  rule: text(document.querySelector('#agreement > p')),
  pairs: pairs.map(p => ({
    a: p.dataset.a,
    b: p.dataset.b,
    heading: text(p.querySelector('h3')),
    observers: text(p.querySelector('p.observers')),
    kappa: p.querySelector('.kappa').dataset.kappa,
    kappaText: text(p.querySelector('.kappa')),
    coverage: text(p.querySelector('p.coverage')),
    themes: Object.fromEntries([...p.querySelectorAll('table.themes tbody tr')]
      .map(tr => [tr.dataset.theme, [...tr.cells].map(text)])),
    probes: [...p.querySelectorAll('ul.probes li')].map(text),
    notes: [...p.querySelectorAll('table.notes tbody tr')].map(tr => [...tr.cells].map(text)),
  })),
  numberAlign: pairs.length ? getComputedStyle(pairs[0].querySelector('table.themes td.num')).textAlign : null,
});
"#;

#[test]
fn observer_agreement_in_the_study_report_in_a_real_browser() {
    let home = DataHome::empty();
    observers(&home);
    let page = home.path("study.html");
    home.ok(&["review", "--format", "html", "-o", page.to_str().unwrap()]);
    let html = fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<b>recorder"), "note text is escaped");

    let Some(facts) = evaluate(&page, AGREEMENT_PROBE) else {
        return;
    };
    assert_eq!(facts["resources"], Value::Array(vec![]), "nothing fetched");
    assert_eq!(facts["scripts"], 1, "only the probe runs");
    let rule = facts["rule"].as_str().unwrap();
    assert!(
        rule.starts_with(
            "Two sessions are taken as two observers of one group when they follow the same guide"
        ),
        "{rule}"
    );
    let pairs = facts["pairs"].as_array().unwrap();
    assert_eq!(
        pairs.len(),
        1,
        "the group at DU is another group: {pairs:?}"
    );
    let pair = &pairs[0];
    assert_eq!(pair["a"], A);
    assert_eq!(pair["b"], OBSERVED);
    assert_eq!(pair["heading"], "Group 1 and Group 1 KM");
    assert_eq!(
        pair["observers"],
        format!("A: Group 1 (note-taker AR) {A}; B: Group 1 KM (note-taker KM) {OBSERVED}")
    );
    assert_eq!(pair["kappa"], "0.6154");
    let kappa = pair["kappaText"].as_str().unwrap();
    assert!(
        kappa.starts_with("Cohen's kappa 0.62 substantial: observed agreement 80.0%, chance 48.0%, over 600 seconds"),
        "{kappa}"
    );
    assert_eq!(
        pair["coverage"],
        "Coverage agrees on 7 of 8 themes; probes on 36 of 37."
    );
    let row = |theme: &str| -> Vec<String> {
        pair["themes"][theme]
            .as_array()
            .unwrap_or_else(|| panic!("{theme} in {pair}"))
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        row("opening"),
        [
            "Welcome and consent",
            "360",
            "240",
            "240",
            "0.62",
            "✓ covered",
            "◐ discussed, not covered"
        ]
    );
    assert_eq!(row("programme")[1..4], ["240", "360", "240"]);
    let probes = pair["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 1, "{probes:?}");
    assert!(
        probes[0]
            .as_str()
            .unwrap()
            .ends_with("(A not ticked, B ticked)"),
        "{probes:?}"
    );
    // The two notes on the recorder at two minutes are one moment.
    assert_eq!(pair["notes"], Value::Array(vec![]));
    assert_eq!(facts["numberAlign"], "right");
}
