//! A study on a sync engine: two note-takers' data folders kept in step by a real `rsync` loop
//! (each session folder pushed from the machine that writes it, `--inplace` so a reader can
//! catch a journal half copied), while the binary reads the other side again and again. Every
//! read succeeds, a half-copied journal is never called damaged, readers change nothing, both
//! sides end with both sessions byte for byte, and a sync conflict copy is reported by name.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::skip::missing_tool;
use common::{DataHome, add, create, run, topicguide};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};

const GUIDE: &str = "cmp-patient-focus-group";
const A_ID: &str = "20261123-1400-group-a";
const B_ID: &str = "20261123-1400-group-b";

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap() + Duration::seconds(seconds)
}

fn meta(label: &str, researcher: &str) -> SessionMeta {
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    SessionMeta {
        researcher: Some(researcher.into()),
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, label)
    }
}

fn rsync_available() -> bool {
    Command::new("rsync").arg("--version").output().is_ok()
}

/// Pushes one session folder from `from` to `to` with rsync, as a sync engine would.
fn push(from: &Path, to: &Path, id: &str) {
    let src = from.join("sessions").join(id);
    if !src.exists() {
        return;
    }
    let dest = to.join("sessions");
    fs::create_dir_all(&dest).unwrap();
    let status = Command::new("rsync")
        .args(["-a", "--inplace"])
        .arg(&src)
        .arg(&dest)
        .status()
        .expect("rsync runs");
    assert!(status.success(), "rsync failed");
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn two_writers_kept_in_step_by_rsync() {
    if !rsync_available() {
        missing_tool("the two-writer sync test", "rsync", "apt-get install rsync");
        return;
    }
    let site_a = DataHome::empty();
    let site_b = DataHome::empty();
    let (data_a, data_b) = (site_a.data(), site_b.data());
    let mut writer_a = create(&data_a, A_ID, GUIDE, at(0), meta("Group A", "AR"));
    let mut writer_b = create(&data_b, B_ID, GUIDE, at(0), meta("Group B", "KM"));

    let stop = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicUsize::new(0));
    let syncing = {
        let (a, b, stop, rounds) = (
            data_a.clone(),
            data_b.clone(),
            Arc::clone(&stop),
            Arc::clone(&rounds),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                push(&a, &b, A_ID);
                push(&b, &a, B_ID);
                rounds.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        })
    };
    let themes = [
        "opening",
        "programme",
        "health",
        "psychosocial",
        "employability",
    ];
    let mut reads = 0;
    for (i, theme) in themes.iter().enumerate() {
        let s = 60 * i as i64;
        for (w, who) in [(&mut writer_a, "A"), (&mut writer_b, "B")] {
            add(
                w,
                at(s),
                Event::Discussing {
                    theme: theme.to_string(),
                },
            );
            for n in 0..8 {
                add(
                    w,
                    at(s + 5 + n),
                    Event::NoteAdded {
                        id: format!("n{}", i * 8 + n as usize + 1),
                        noted_at: at(s + 5 + n),
                        theme: Some(theme.to_string()),
                        text: format!("@P{} note {n} on {theme} at site {who} #quote", n % 4 + 1),
                    },
                );
            }
            add(
                w,
                at(s + 50),
                Event::Covered {
                    theme: theme.to_string(),
                },
            );
        }
        // Readers on each side while the copies arrive: every run succeeds, nothing is damaged.
        for (home, data) in [(&site_a, &data_a), (&site_b, &data_b)] {
            for args in [vec!["list"], vec!["review", "--format", "json"]] {
                let mut cmd = topicguide(home.home.path());
                cmd.arg("--data-dir").arg(data).args(&args);
                let ran = run(&mut cmd);
                assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.stderr);
                assert!(!ran.stdout.contains("damaged"), "{}", ran.stdout);
                assert!(!ran.stderr.contains("damaged"), "{}", ran.stderr);
                reads += 1;
            }
        }
    }
    add(&mut writer_a, at(400), Event::Ended);
    add(&mut writer_b, at(400), Event::Ended);
    drop(writer_a);
    drop(writer_b);
    // The copies went on while the sessions were written: let the loop finish a few rounds
    // (a loaded machine can write both sessions within two), then stop it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while rounds.load(Ordering::SeqCst) < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    stop.store(true, Ordering::SeqCst);
    syncing.join().unwrap();
    let rounds = rounds.load(Ordering::SeqCst);
    assert!(rounds > 2, "the loop ran ({rounds} rounds)");
    push(&data_a, &data_b, A_ID);
    push(&data_b, &data_a, B_ID);
    assert!(reads >= 20);

    // Both sides hold both sessions, byte for byte as their writers wrote them.
    for id in [A_ID, B_ID] {
        assert_eq!(
            files(&data_a.join("sessions").join(id)),
            files(&data_b.join("sessions").join(id)),
            "{id} is the same on both sides"
        );
    }
    let listed = site_b.ok(&["list"]);
    assert!(listed.contains(A_ID) && listed.contains(B_ID), "{listed}");
    assert_eq!(listed.matches("ended").count(), 2, "{listed}");

    // A conflict copy left by the sync engine is reported by name, not read as the journal.
    let folder = data_b.join("sessions").join(A_ID);
    let conflict = "journal.sync-conflict-20261123-141000-ABCDEFG.jsonl";
    fs::write(folder.join(conflict), b"{}\n").unwrap();
    let ran = site_b.run(&["list"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&format!(
            "warning: {A_ID}: the sync engine left 1 conflict copy ({conflict})"
        )),
        "{}",
        ran.stderr
    );
    let review = site_b.run(&["review", "--format", "csv"]);
    assert!(review.stderr.contains("conflict copy"), "{}", review.stderr);
}
