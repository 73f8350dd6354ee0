//! `review --format csv|md|json` reads its matrix holding a few figures of each session, never
//! the sessions themselves: the heap's peak, counted by a global allocator around the system's,
//! grows by little more than a matrix column per session added, while reading the sessions whole
//! grows by far more. (The printed text then grows with what is printed: a JSON cell is about
//! 100 bytes.) Counted bytes, not a clock: the same on a loaded machine as on an idle one.

#[path = "../benches/support/synth.rs"]
mod synth;

use chrono::Duration;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use topicguide::app::context::Context;
use topicguide::app::study::{load_matrix, load_sessions};
use topicguide::model::review::Filter;

/// The system allocator, counting the bytes live and the most live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator as it came; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        // SAFETY: `p` came from `alloc` with this `layout`.
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as the caller promised for `p`, `layout` and `new_size`.
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most heap `run` had live beyond what was live before it.
fn peak_during<T>(run: impl FnOnce() -> T) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let kept = run();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    drop(kept);
    peak
}

/// `sessions` sessions of a 40-theme guide, 40 notes each, as the benchmarks write them.
fn study(data: &Path, sessions: u64) {
    let (text, guide) = synth::guide(40);
    for i in 0..sessions {
        let start = synth::t0() + Duration::hours(i as i64);
        let records = synth::records(&guide, 40, 5, i, start);
        synth::write_session_unsynced(data, &format!("bench-{i:04}"), &text, &records);
    }
}

/// Heap peaks over a study of `sessions`: the matrix printed (streamed), and the sessions read
/// whole.
fn peaks(sessions: u64) -> (usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    study(dir.path(), sessions);
    let ctx = Context::new(Some(dir.path()), None).unwrap();
    let filter = Filter::default();
    let streamed = peak_during(|| {
        let (matrix, _) = load_matrix(&ctx, &[], &filter, true).unwrap();
        assert_eq!(matrix.columns.len() as u64, sessions);
        matrix
    });
    let whole = peak_during(|| load_sessions(&ctx, &[], &filter).unwrap());
    (streamed, whole)
}

#[test]
fn a_printed_review_grows_by_a_column_per_session_not_by_the_sessions() {
    const FEW: u64 = 40;
    const MANY: u64 = 240;
    let (streamed_few, whole_few) = peaks(FEW);
    let (streamed_many, whole_many) = peaks(MANY);
    let per_session = |few: usize, many: usize| many.saturating_sub(few) / (MANY - FEW) as usize;
    let streamed = per_session(streamed_few, streamed_many);
    let whole = per_session(whole_few, whole_many);
    eprintln!(
        "heap peak per session added: the matrix read streaming {streamed} bytes, the sessions read whole {whole} bytes"
    );
    // A column and 40 cells of 24 bytes: about 1.3 KiB.
    assert!(
        streamed < 4 * 1024,
        "the printed review holds {streamed} bytes more for each session"
    );
    // What the bound guards against: each session read whole and kept holds several times more.
    assert!(
        whole > 10 * streamed,
        "sessions read whole: {whole} bytes each, printed review {streamed}"
    );
}
