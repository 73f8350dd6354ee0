//! Realistic synthetic sessions for the benchmarks and the `gen_sessions` example, written
//! through the real journal code.

#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::path::Path;
use topicguide::library::builtin;
use topicguide::model::event::{Event, Record, SessionMeta, WarningKind};
use topicguide::model::guide::{Guide, SessionKind};
use topicguide::model::guide_parse::parse_guide;
use topicguide::model::session::Session;
use topicguide::storage::session_store::{OpenSession, create_session};

/// A small deterministic generator: the same seed gives the same sessions on every machine.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "diet",
    "exercise",
    "walking",
    "pain",
    "confidence",
    "group",
    "GP",
    "referral",
    "work",
    "back",
    "counsellor",
    "support",
    "weeks",
    "follow-up",
    "mornings",
    "appointment",
    "stone",
    "agile",
    "coping",
    "self-esteem",
    "laugh",
    "company",
    "employer",
    "sick",
    "leave",
    "receptionist",
    "café",
    "naïve",
    "über",
    "medication",
    "twelve",
    "programme",
    "relaxation",
    "mobility",
];
const TAGS: &[&str] = &["#quote", "#nonverbal", "#followup", "#nt"];

/// A guide with `themes` themes of four probes each, as TOML.
pub fn guide_text(themes: usize) -> String {
    let mut text = String::from(
        "[guide]\ntitle = \"Benchmark guide\"\nversion = \"1.0\"\nduration_minutes = 600\nwarn_before_end_minutes = 10\n",
    );
    for i in 0..themes {
        text.push_str(&format!(
            "\n[[theme]]\nid = \"theme-{i}\"\ntitle = \"Theme number {i} about something people discuss\"\nprompt = \"How, if at all, has theme {i} changed things for you?\"\nminutes = 8\nguidance = \"Listen for examples and let quieter participants in.\"\nprobes = [\"First probe\", {{ text = \"Second probe\", required = true }}, \"Third probe\", \"Fourth probe\"]\n",
        ));
    }
    text
}

pub fn guide(themes: usize) -> (String, Guide) {
    let text = guide_text(themes);
    let guide = parse_guide(&text)
        .guide
        .expect("the benchmark guide is valid");
    (text, guide)
}

/// The built-in focus group guide.
pub fn focus_group_guide() -> (String, Guide) {
    let source = builtin("cmp-patient-focus-group").expect("built-in guide");
    let guide = source.load().expect("valid");
    (source.text, guide)
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0)
        .single()
        .expect("valid time")
}

/// A session's records: themes discussed in turn, covered mostly, probes ticked, `notes` notes
/// with speakers and tags spread over the themes, a pause, a recording mark, warnings; ended.
pub fn records(
    guide: &Guide,
    notes: usize,
    participants: usize,
    seed: u64,
    start: DateTime<Utc>,
) -> Vec<Record> {
    let mut rng = Lcg::new(seed);
    let mut out = Vec::new();
    let mut at = start;
    let push = |out: &mut Vec<Record>, at: DateTime<Utc>, event: Event| {
        let seq = out.len() as u64 + 1;
        out.push(Record { seq, at, event });
    };
    let participants: Vec<String> = (1..=participants).map(|i| format!("P{i}")).collect();
    push(
        &mut out,
        at,
        Event::Started(SessionMeta {
            kind: SessionKind::FocusGroup,
            site: Some(["CR", "C", "LBP", "SC", "GPR"][(seed % 5) as usize].to_string()),
            participants: participants.clone(),
            planned_minutes: 60,
            consent: true,
            guide_source: "benchmark".into(),
            app_version: "bench".into(),
            ..SessionMeta::for_guide(guide, &format!("Group {seed}"))
        }),
    );
    at += Duration::seconds(20);
    push(&mut out, at, Event::RecordingStarted);
    let per_theme = notes / guide.themes.len().max(1) + 1;
    let mut written = 0;
    for (ti, theme) in guide.themes.iter().enumerate() {
        if written >= notes && ti > 0 && rng.below(10) < 2 {
            continue;
        }
        at += Duration::seconds(5);
        push(
            &mut out,
            at,
            Event::Discussing {
                theme: theme.id.clone(),
            },
        );
        for n in 0..per_theme {
            if written >= notes {
                break;
            }
            at += Duration::seconds(5 + rng.below(40) as i64);
            let speaker = &participants[rng.below(participants.len() as u64) as usize];
            let words: Vec<&str> = (0..6 + rng.below(14))
                .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
                .collect();
            let tag = if rng.below(4) == 0 {
                TAGS[rng.below(TAGS.len() as u64) as usize]
            } else {
                ""
            };
            written += 1;
            push(
                &mut out,
                at,
                Event::NoteAdded {
                    id: format!("n{written}"),
                    noted_at: at - Duration::seconds(3),
                    theme: Some(theme.id.clone()),
                    text: format!("@{speaker} {} {tag}", words.join(" ")),
                },
            );
            if n == 1 && !theme.probes.is_empty() {
                push(
                    &mut out,
                    at,
                    Event::ProbeToggled {
                        theme: theme.id.clone(),
                        probe: 0,
                        checked: true,
                    },
                );
            }
        }
        at += Duration::seconds(10);
        match rng.below(10) {
            0 => push(
                &mut out,
                at,
                Event::Skipped {
                    theme: theme.id.clone(),
                    reason: Some("ran out of time".into()),
                },
            ),
            1 => {}
            _ => push(
                &mut out,
                at,
                Event::Covered {
                    theme: theme.id.clone(),
                },
            ),
        }
        if ti == 2 {
            push(&mut out, at, Event::Paused);
            at += Duration::seconds(60);
            push(&mut out, at, Event::Resumed);
        }
    }
    push(
        &mut out,
        at,
        Event::WarningRaised {
            kind: WarningKind::Unaddressed,
            themes: vec![guide.themes[0].id.clone()],
            threshold_minutes: Some(10),
            behind_minutes: None,
        },
    );
    at += Duration::seconds(30);
    push(&mut out, at, Event::Ended);
    out
}

/// Pads `records` with cheap events (probe toggles) until there are `total`, keeping it ended.
pub fn padded(mut records: Vec<Record>, total: usize, guide: &Guide) -> Vec<Record> {
    let ended = records.pop();
    let mut at = records.last().map_or_else(t0, |r| r.at);
    let mut checked = false;
    while records.len() + 1 < total {
        at += Duration::milliseconds(100);
        checked = !checked;
        let seq = records.len() as u64 + 1;
        records.push(Record {
            seq,
            at,
            event: Event::ProbeToggled {
                theme: guide.themes[0].id.clone(),
                probe: 0,
                checked,
            },
        });
    }
    if let Some(mut end) = ended {
        end.seq = records.len() as u64 + 1;
        end.at = at;
        records.push(end);
    }
    records
}

/// Writes a session through the real store and journal writer.
pub fn write_session(
    data_dir: &Path,
    id_base: &str,
    guide_text: &str,
    guide: Guide,
    records: Vec<Record>,
) -> OpenSession {
    let (first, rest) = records.split_first().expect("at least the start record");
    let session = Session::from_records(guide, vec![first.clone()]).expect("a start record");
    let mut open =
        create_session(data_dir, id_base, guide_text, session).expect("the session is created");
    for record in rest {
        open.writer.append(record).expect("the record is written");
        open.session.push(record.clone());
    }
    open
}

/// Writes a session's folder with the journal encoded by the real code but without a sync per
/// record: for building large benchmark data sets quickly.
pub fn write_session_unsynced(data_dir: &Path, id: &str, guide_text: &str, records: &[Record]) {
    use topicguide::storage::journal::encode_line;
    let dir = data_dir.join("sessions").join(id);
    std::fs::create_dir_all(&dir).expect("the session folder");
    std::fs::write(dir.join("guide.toml"), guide_text).expect("the guide snapshot");
    let mut text = String::new();
    for record in records {
        text.push_str(&encode_line(record).expect("encodes"));
    }
    std::fs::write(dir.join("journal.jsonl"), text).expect("the journal");
}

/// `sessions` ended sessions of a 40-theme guide, 40 notes and 5 participants each, an hour
/// apart, as `{prefix}-0000`, `{prefix}-0001`... in `data_dir`: the study the review, list and
/// import figures are measured over.
pub fn write_study(data_dir: &Path, prefix: &str, sessions: u64) {
    let (text, guide) = guide(40);
    for i in 0..sessions {
        let records = records(&guide, 40, 5, i, t0() + Duration::hours(i as i64));
        write_session_unsynced(data_dir, &format!("{prefix}-{i:04}"), &text, &records);
    }
}

/// Each session of `data_dir` as a bundle file in `out` (as `export --format bundle` writes
/// it); the files' paths, sorted.
pub fn write_bundles(data_dir: &Path, out: &Path) -> Vec<std::path::PathBuf> {
    std::fs::create_dir_all(out).expect("the bundles' folder");
    let mut dirs: Vec<_> = std::fs::read_dir(data_dir.join("sessions"))
        .expect("the sessions")
        .map(|e| e.expect("an entry").path())
        .collect();
    dirs.sort();
    dirs.iter()
        .map(|dir| {
            let bytes = topicguide::app::bundle::bundle_bytes(dir, &[]).expect("a bundle");
            let name = dir.file_name().expect("a session id");
            let path = out.join(name).with_extension("tgb");
            std::fs::write(&path, bytes).expect("the bundle is written");
            path
        })
        .collect()
}
