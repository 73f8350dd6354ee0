//! Writes realistic sessions through the real journal code, so anyone can reproduce the
//! benchmark figures: `cargo run --release --example gen_sessions -- --sessions N --notes M DATA_DIR`.

#[path = "../benches/support/synth.rs"]
mod synth;

use chrono::Duration;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut sessions = 10usize;
    let mut notes = 60usize;
    let mut themes = 0usize;
    let mut dir = None;
    let mut fast = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Option<usize> {
            let value = args.next()?;
            match value.parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    eprintln!("gen_sessions: {name} takes a whole number, not '{value}'");
                    None
                }
            }
        };
        match arg.as_str() {
            "--sessions" => match number("--sessions") {
                Some(n) => sessions = n,
                None => return ExitCode::from(1),
            },
            "--notes" => match number("--notes") {
                Some(n) => notes = n,
                None => return ExitCode::from(1),
            },
            "--themes" => match number("--themes") {
                Some(n) => themes = n,
                None => return ExitCode::from(1),
            },
            "--fast" => fast = true,
            "-h" | "--help" => {
                println!(
                    "usage: gen_sessions [--sessions N] [--notes M] [--themes T] [--fast] DATA_DIR\n\
                     --fast writes each journal whole instead of appending and syncing record by record"
                );
                return ExitCode::SUCCESS;
            }
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let Some(dir) = dir else {
        eprintln!(
            "gen_sessions: name the data folder to write to (usage: gen_sessions --sessions N --notes M DATA_DIR)"
        );
        return ExitCode::from(1);
    };
    let (text, guide) = if themes == 0 {
        synth::focus_group_guide()
    } else {
        synth::guide(themes)
    };
    for i in 0..sessions {
        let start = synth::t0() + Duration::hours(i as i64 * 2);
        let records = synth::records(&guide, notes, 5, i as u64 + 1, start);
        let id = format!("{}-bench-{i}", start.format("%Y%m%d-%H%M"));
        if fast {
            synth::write_session_unsynced(&dir, &id, &text, &records);
        } else {
            synth::write_session(&dir, &id, &text, guide.clone(), records);
        }
    }
    println!(
        "wrote {sessions} sessions of {notes} notes to {}",
        dir.join("sessions").display()
    );
    ExitCode::SUCCESS
}
