//! Process-level figures of the real binary: a live session's idle CPU and peak memory, `watch`
//! idle after following a few saved records, and `review --format csv|md|json` over 1,000
//! sessions x 40 themes (wall and CPU time, peak RSS from wait4), each run beside a `cat` of the
//! same session files in the same run; `import` of those 1,000 sessions into an empty data folder
//! and again, against copying the folder with `cp -r`.
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

/// What a finished process took: wall time, CPU time (user + system) and peak RSS.
#[derive(Clone, Copy)]
struct Took {
    wall: f64,
    cpu: f64,
    /// KiB, from wait4's rusage.
    peak_rss: u64,
}

/// Runs the binary to its end.
fn timed(args: &[&str]) -> Took {
    timed_program(BIN, args)
}

/// Runs any program to its end; what it took comes from wait4, for that one child.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's wait does not offer
fn timed_program(program: &str, args: &[&str]) -> Took {
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
    assert_eq!(waited, pid, "wait4 for {program}");
    assert_eq!(status, 0, "{program} {args:?} exited with {status}");
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Took {
        wall: started.elapsed().as_secs_f64(),
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        peak_rss: usage.ru_maxrss as u64,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A review format's figures over REVIEW_RUNS runs, each followed by a `cat` of the same
/// session files, so the two are compared under the same load: median wall and CPU times of
/// each, the highest peak RSS of the review.
struct ReviewFigures {
    wall: f64,
    cpu: f64,
    peak_rss: u64,
    cat_wall: f64,
    cat_cpu: f64,
}

fn review_figures(data: &str, format: &str) -> ReviewFigures {
    let cat = format!("cat {data}/sessions/*/* > /dev/null");
    let mut review = Vec::new();
    let mut read = Vec::new();
    for _ in 0..REVIEW_RUNS {
        review.push(timed(&["--data-dir", data, "review", "--format", format]));
        read.push(timed_program("sh", &["-c", &cat]));
    }
    ReviewFigures {
        wall: median(review.iter().map(|t| t.wall).collect()),
        cpu: median(review.iter().map(|t| t.cpu).collect()),
        peak_rss: review.iter().map(|t| t.peak_rss).max().unwrap_or(0),
        cat_wall: median(read.iter().map(|t| t.wall).collect()),
        cat_cpu: median(read.iter().map(|t| t.cpu).collect()),
    }
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
    // Reading the same bytes and nothing more (`cat`) is what the review is measured against.
    let reviews: Vec<(&str, ReviewFigures)> = ["csv", "md", "json"]
        .into_iter()
        .map(|format| (format, review_figures(&data, format)))
        .collect();
    // Importing the 1,000 sessions into an empty data folder, then again (all already here).
    // Each after a sync, so that none pays for writing back what ran before it.
    let lead = dir.path().join("lead").display().to_string();
    sync_disks();
    let import = timed(&["--data-dir", &lead, "import", &data]);
    sync_disks();
    let again = timed(&["--data-dir", &lead, "import", &data]);
    // Copying the same folder and nothing more: what the import is measured against.
    let copy = dir.path().join("copy").display().to_string();
    sync_disks();
    let copied = timed_program("cp", &["-r", &data, &copy]);

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
    for (format, r) in &reviews {
        println!(
            "| `review --format {format}`, 1,000 sessions x 40 themes (medians of {REVIEW_RUNS}) | {:.3} s = {:.2}x `cat` of the same files in the same run ({:.3} s); CPU {:.3} s = {:.2}x `cat`'s ({:.3} s); peak RSS {:.1} MB | ≤ 2x `cat`, < 40 MB |",
            r.wall,
            r.wall / r.cat_wall,
            r.cat_wall,
            r.cpu,
            r.cpu / r.cat_cpu,
            r.cat_cpu,
            r.peak_rss as f64 / 1024.0
        );
    }
    println!(
        "| `import` of the 1,000 sessions into an empty data folder | {:.3} s, {:.1} MB peak | |",
        import.wall,
        import.peak_rss as f64 / 1024.0
    );
    println!(
        "| `import` of the same 1,000 again (all already here) | {:.3} s | |",
        again.wall
    );
    println!(
        "| copying the same data folder (`cp -r`, no sync) | {:.3} s | |",
        copied.wall
    );
}
