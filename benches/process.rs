//! Process-level figures of the real binary: a live session's idle CPU and peak memory, `watch`
//! idle after following a few saved records, and
//! `review --format csv` over 1,000 sessions x 40 themes (time and peak memory), against reading
//! the same bytes with `cat`; `import` of those 1,000 sessions into an empty data folder and again,
//! against copying the folder with `cp -r`.
//! Run with `cargo bench --bench process`; it prints a table.

mod support;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::Read;
use std::path::Path;
use std::time::Instant;
use support::synth;

const BIN: &str = env!("CARGO_BIN_EXE_topicguide");
/// How long the idle session is watched.
const IDLE_SECONDS: u64 = 10;
const REVIEW_RUNS: usize = 5;

fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf only reads a constant of the system.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

/// User + system CPU ticks of a process, from /proc.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Peak resident memory of a process so far, in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The binary run with `args` in a 120x40 pseudo-terminal against the data folder `data`, its
/// output read and dropped.
fn in_pty(args: &[&str], data: &Path) -> Box<dyn portable_pty::Child + Send + Sync> {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(args);
    cmd.env("TOPICGUIDE_DATA_DIR", data);
    cmd.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(cmd).expect("the binary starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    std::thread::spawn(move || {
        let _master = pair.master;
        let mut sink = [0u8; 4096];
        while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
    });
    child
}

/// The share of a core process `pid` uses over [`IDLE_SECONDS`].
fn idle_cpu_percent(pid: u32) -> f64 {
    let before = cpu_ticks(pid).expect("cpu ticks");
    let started = Instant::now();
    std::thread::sleep(std::time::Duration::from_secs(IDLE_SECONDS));
    let after = cpu_ticks(pid).expect("cpu ticks");
    let wall = started.elapsed().as_secs_f64();
    (after - before) as f64 / clock_ticks_per_second() / wall * 100.0
}

fn idle_session(data: &Path) -> (f64, u64) {
    let mut child = in_pty(
        &[
            "start",
            "cmp-patient-focus-group",
            "--label",
            "Idle",
            "--participants",
            "6",
            "--no-bell",
        ],
        data,
    );
    let pid = child.process_id().expect("a pid");
    std::thread::sleep(std::time::Duration::from_secs(2));
    let cpu_percent = idle_cpu_percent(pid);
    let rss = peak_rss_kib(pid).unwrap_or(0);
    let _ = child.kill();
    let _ = child.wait();
    (cpu_percent, rss)
}

/// `watch` following a live session written here through the real journal writer: its CPU
/// while the room is quiet, after it has followed a few saved records.
fn idle_watch(data: &Path) -> f64 {
    let (text, guide) = synth::focus_group_guide();
    let records = synth::records(&guide, 60, 6, 5, synth::t0());
    let (running, later) = records.split_at(records.len() / 2);
    let mut open = synth::write_session(data, "watched", &text, guide, running.to_vec());
    let mut child = in_pty(&["watch", &open.id], data);
    let pid = child.process_id().expect("a pid");
    std::thread::sleep(std::time::Duration::from_secs(2));
    for record in later.iter().take(3) {
        open.writer.append(record).expect("appended");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    std::thread::sleep(std::time::Duration::from_secs(1));
    let cpu_percent = idle_cpu_percent(pid);
    let _ = child.kill();
    let _ = child.wait();
    cpu_percent
}

/// Runs a command to its end and returns its wall time and peak RSS (KiB) from wait4.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's wait does not offer
fn timed(args: &[&str]) -> (f64, u64) {
    timed_program(BIN, args)
}

/// [`timed`] for any program.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's wait does not offer
fn timed_program(program: &str, args: &[&str]) -> (f64, u64) {
    let started = Instant::now();
    let child = std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data, written by the kernel for the child we started.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; the pointers are to locals that outlive the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 for the review");
    assert_eq!(status, 0, "review exited with {status}");
    (started.elapsed().as_secs_f64(), usage.ru_maxrss as u64)
}

fn sync_disks() {
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("process: benchmark");
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");

    let (cpu, idle_rss) = idle_session(&dir.path().join("idle"));
    let watch_cpu = idle_watch(&dir.path().join("watch"));

    // 1,000 sessions of a 40-theme guide, 40 notes each.
    let review_dir = dir.path().join("review");
    synth::write_study(&review_dir, "bench", 1000);
    let data = review_dir.display().to_string();
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..REVIEW_RUNS {
        let (secs, rss) = timed(&["--data-dir", &data, "review", "--format", "csv"]);
        times.push(secs);
        peak = peak.max(rss);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    // Reading the same bytes and nothing more: what the review is measured against.
    let mut reads = Vec::new();
    for _ in 0..REVIEW_RUNS {
        let (secs, _) = timed_program(
            "sh",
            &["-c", &format!("cat {data}/sessions/*/* > /dev/null")],
        );
        reads.push(secs);
    }
    reads.sort_by(f64::total_cmp);
    let read_median = reads[reads.len() / 2];
    // Importing the 1,000 sessions into an empty data folder, then again (all already here).
    // Each after a sync, so that none pays for writing back what ran before it.
    let lead = dir.path().join("lead").display().to_string();
    sync_disks();
    let (import_secs, import_rss) = timed(&["--data-dir", &lead, "import", &data]);
    sync_disks();
    let (again_secs, _) = timed(&["--data-dir", &lead, "import", &data]);
    // Copying the same folder and nothing more: what the import is measured against.
    let copy = dir.path().join("copy").display().to_string();
    sync_disks();
    let (copy_secs, _) = timed_program("cp", &["-r", &data, &copy]);

    println!();
    println!("| figure | measured | target |");
    println!("| --- | --- | --- |");
    println!("| live session idle, CPU over {IDLE_SECONDS} s | {cpu:.2}% of a core | ≤ 0.5% |");
    println!(
        "| `watch` idle after following saved records, CPU over {IDLE_SECONDS} s | {watch_cpu:.2}% of a core | ≤ 0.5% |"
    );
    println!(
        "| live session peak RSS | {:.1} MB | ≤ 20 MB |",
        idle_rss as f64 / 1024.0
    );
    println!(
        "| `review --format csv`, 1,000 sessions x 40 themes (median of {REVIEW_RUNS}) | {median:.3} s | ≤ 0.5 s |"
    );
    println!(
        "| `review` peak RSS | {:.1} MB | ≤ 100 MB |",
        peak as f64 / 1024.0
    );
    println!(
        "| reading the same session files (`cat`, median of {REVIEW_RUNS}) | {read_median:.3} s | review ≤ 2x this |"
    );
    println!(
        "| `import` of the 1,000 sessions into an empty data folder | {import_secs:.3} s, {:.1} MB peak | |",
        import_rss as f64 / 1024.0
    );
    println!("| `import` of the same 1,000 again (all already here) | {again_secs:.3} s | |");
    println!("| copying the same data folder (`cp -r`, no sync) | {copy_secs:.3} s | |");
}
