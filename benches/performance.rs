//! The performance figures of the README: one live frame, a note from Enter to synced against a
//! bare write + fsync of the same bytes, opening a 10,000-event session and exporting it, the
//! review over 1,000 sessions x 40 themes, `list` cold and warm, a key's echo in the note line,
//! the note line's trip to disk, and the idle redraw with a 100 MB note against one with a 1 KB
//! note. Run with `cargo bench --bench performance`.

mod support;

use chrono::Duration;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::fs::OpenOptions;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use support::synth;
use topicguide::export::{ExportInput, json, markdown};
use topicguide::model::event::{Event, Record};
use topicguide::model::review::{ReviewSession, build_matrix};
use topicguide::model::session::Session;
use topicguide::storage::journal::{JournalWriter, encode_line};
use topicguide::storage::session_store::{SessionLiveness, load_session, reopen_session};
use topicguide::storage::summaries::summarize_all;
use topicguide::ui::app::LiveApp;
use topicguide::ui::keymap::Keymap;
use topicguide::ui::theme::Palette;
use topicguide::ui::view;

/// One frame of the live screen at 120x40 with 60 themes and 2,000 notes.
fn live_frame(c: &mut Criterion) {
    let (_, guide) = synth::guide(60);
    let records = synth::records(&guide, 2000, 6, 7, synth::t0());
    // The live screen shows a running session: leave the end off.
    let running: Vec<Record> = records
        .into_iter()
        .filter(|r| !matches!(r.event, Event::Ended))
        .collect();
    let now = running.last().map_or_else(synth::t0, |r| r.at) + Duration::seconds(5);
    let session = Session::from_records(guide, running).expect("a session");
    let mut app = LiveApp::new(
        "bench".into(),
        "/tmp/bench".into(),
        session,
        Keymap::default(),
    );
    app.selected_theme = 30;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let palette = Palette::default();
    c.bench_function("live frame 120x40, 60 themes, 2000 notes", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| view::draw(frame, black_box(&app), now, &palette))
                .expect("drawing");
        })
    });
}

/// A note from Enter to synced: journal append + fsync, against a bare write + fsync of the same
/// bytes to a file on the same disk.
fn note_to_disk(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(std::env::current_dir().expect("cwd")).expect("a temp dir");
    let (text, guide) = synth::focus_group_guide();
    let records = synth::records(&guide, 10, 5, 3, synth::t0());
    let first = records[..1].to_vec();
    let open = synth::write_session(dir.path(), "bench-note", &text, guide.clone(), first);
    let mut writer = open.writer;
    let mut session = open.session;
    let note = |seq: u64| Record {
        seq,
        at: synth::t0() + Duration::seconds(seq as i64),
        event: Event::NoteAdded {
            id: format!("n{seq}"),
            noted_at: synth::t0(),
            theme: Some("health".into()),
            text: "@P3 I changed my diet from the day I got told what the fault was #quote".into(),
        },
    };
    let line = encode_line(&note(2)).expect("encodes");
    let mut group = c.benchmark_group("note to disk");
    group.bench_function("journal append + fsync", |b| {
        b.iter(|| {
            let record = note(session.next_seq());
            writer.append(&record).expect("written");
            session.push(record);
        })
    });
    let bare_path = dir.path().join("bare.bin");
    let mut bare = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&bare_path)
        .expect("bare file");
    group.bench_function("bare write + fsync", |b| {
        b.iter(|| {
            bare.write_all(line.as_bytes()).expect("written");
            bare.sync_data().expect("synced");
        })
    });
    group.finish();
    let _ = JournalWriter::<std::fs::File>::create;
}

/// Opening and resuming a session of 10,000 events, and exporting it.
fn open_and_export(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (text, guide) = synth::focus_group_guide();
    let records = synth::records(&guide, 800, 6, 11, synth::t0());
    let records = synth::padded(records, 10_000, &guide);
    let running: Vec<Record> = records
        .into_iter()
        .filter(|r| !matches!(r.event, Event::Ended))
        .collect();
    let open = synth::write_session(dir.path(), "bench-open", &text, guide, running);
    let session_dir = open.dir.clone();
    drop(open);
    let mut group = c.benchmark_group("10,000-event session");
    group.bench_function("load (read, verify, fold)", |b| {
        b.iter(|| black_box(load_session(&session_dir).expect("loads")))
    });
    group.bench_function("resume (lock, verify, fold, journal the reopen)", |b| {
        b.iter_batched(
            || (),
            |()| {
                black_box(
                    reopen_session(&session_dir, synth::t0() + Duration::hours(2))
                        .expect("reopens"),
                )
            },
            BatchSize::PerIteration,
        )
    });
    let loaded = load_session(&session_dir).expect("loads");
    let input = ExportInput::new(&loaded.id, &loaded.session, loaded.liveness, synth::t0());
    group.bench_function("export json", |b| {
        b.iter(|| black_box(json::render(&input)))
    });
    group.bench_function("export md", |b| {
        b.iter(|| black_box(markdown::render(&input)))
    });
    group.finish();
}

/// The coverage matrix over 1,000 sessions of a 40-theme guide, from sessions in memory.
fn review(c: &mut Criterion) {
    let (_, guide) = synth::guide(40);
    let sessions: Vec<(String, Session)> = (0..1000u64)
        .map(|i| {
            let records = synth::records(&guide, 40, 5, i, synth::t0() + Duration::hours(i as i64));
            (
                format!("s{i}"),
                Session::from_records(guide.clone(), records).expect("a session"),
            )
        })
        .collect();
    c.bench_function("review matrix 1000 sessions x 40 themes", |b| {
        b.iter(|| {
            let review: Vec<ReviewSession> = sessions
                .iter()
                .map(|(id, s)| ReviewSession {
                    id,
                    session: s,
                    state: SessionLiveness::Ended.as_str(),
                    as_of: s.state().clock_at(synth::t0()),
                })
                .collect();
            black_box(build_matrix(&review))
        })
    });
}

/// A two-hour WebVTT transcript of 2,000 cues, six speakers, as Zoom writes it.
fn two_hour_vtt() -> String {
    let mut text = String::from("WEBVTT\n\n");
    for i in 0..2000u64 {
        let start = i * 3600;
        let end = start + 3400;
        let ms = |t: u64| {
            format!(
                "{:02}:{:02}:{:02}.{:03}",
                t / 3_600_000,
                t / 60_000 % 60,
                t / 1000 % 60,
                t % 1000
            )
        };
        text.push_str(&format!(
            "{}\n{} --> {}\nSpeaker {}: I changed my diet from the day I got told what the fault was, and the group helped a lot\n\n",
            i + 1,
            ms(start),
            ms(end),
            i % 6 + 1
        ));
    }
    text
}

/// Attaching a two-hour transcript (2,000 segments) to a 60-theme session and coding it: the
/// parse and the coding alone, and the whole attach (parse, store the segments and journal the
/// record, each synced, then code).
fn transcript(c: &mut Criterion) {
    use topicguide::model::transcript::coding::code;
    use topicguide::model::transcript::{
        TranscriptAttachment, TranscriptFormat, TranscriptRef, parse,
    };
    use topicguide::storage::transcript_store::{AttachOptions, attach_transcript};
    let (text, guide) = synth::guide(60);
    let records = synth::records(&guide, 400, 6, 5, synth::t0());
    let vtt = two_hour_vtt();
    let dir = tempfile::tempdir_in(std::env::current_dir().expect("cwd")).expect("a temp dir");
    let open = synth::write_session(dir.path(), "bench-transcript", &text, guide, records);
    let session_dir = open.dir.clone();
    let session = open.session.clone();
    drop(open);
    let state = session.state();
    let as_of = state.clock_at(synth::t0());
    let mut group = c.benchmark_group("two-hour transcript, 60 themes");
    group.bench_function("parse and code 2,000 segments", |b| {
        b.iter(|| {
            let transcript = parse(TranscriptFormat::Vtt, black_box(&vtt)).expect("parses");
            let attachment = TranscriptAttachment {
                reference: TranscriptRef {
                    file: "transcript.json".into(),
                    source: "zoom.vtt".into(),
                    format: TranscriptFormat::Vtt,
                    offset_ms: 0,
                    speakers: Vec::new(),
                    segments: transcript.segments.len(),
                    crc: String::new(),
                },
                transcript,
            };
            let coding = code(&session.guide, state, &attachment, as_of);
            black_box(coding.segments.len());
        })
    });
    group.bench_function("attach (parse, store, journal, synced) and code", |b| {
        b.iter(|| {
            let transcript = parse(TranscriptFormat::Vtt, black_box(&vtt)).expect("parses");
            let record = attach_transcript(
                &session_dir,
                &transcript,
                AttachOptions {
                    source: "zoom.vtt".into(),
                    offset_ms: 0,
                    speakers: Vec::new(),
                },
                synth::t0(),
            )
            .expect("attached");
            let Event::TranscriptAttached(reference) = record.event else {
                panic!("a transcript record");
            };
            let attachment = TranscriptAttachment {
                reference,
                transcript,
            };
            black_box(
                code(&session.guide, state, &attachment, as_of)
                    .segments
                    .len(),
            );
        })
    });
    group.finish();
}

/// A focus group 40 minutes in, with a note half typed: the live screen as a key finds it.
fn typing_app() -> (LiveApp, chrono::DateTime<chrono::Utc>) {
    let (_, guide) = synth::focus_group_guide();
    let records: Vec<Record> = synth::records(&guide, 40, 5, 3, synth::t0())
        .into_iter()
        .filter(|r| !matches!(r.event, Event::Ended))
        .collect();
    let now = records.last().map_or_else(synth::t0, |r| r.at) + Duration::seconds(5);
    let session = Session::from_records(guide, records).expect("a session");
    let mut app = LiveApp::new(
        "bench".into(),
        "/tmp/bench".into(),
        session,
        Keymap::default(),
    );
    app.on_paste(
        "@P3 the nurse phoned every week and that made all the difference, she said, and",
        now,
    );
    (app, now)
}

/// A focus group 40 minutes in whose newest note holds `bytes` of text: the live screen idle.
fn app_with_note_of(bytes: usize) -> (LiveApp, chrono::DateTime<chrono::Utc>) {
    let (_, guide) = synth::focus_group_guide();
    let mut records: Vec<Record> = synth::records(&guide, 40, 5, 3, synth::t0())
        .into_iter()
        .filter(|r| !matches!(r.event, Event::Ended))
        .collect();
    let last = records.last().expect("records");
    let (seq, at) = (last.seq + 1, last.at);
    let words = "the nurse phoned every week and that made all the difference ";
    let text: String = words.chars().cycle().take(bytes).collect();
    records.push(Record {
        seq,
        at,
        event: Event::NoteAdded {
            id: "big".into(),
            noted_at: at,
            theme: None,
            text,
        },
    });
    let now = at + Duration::seconds(5);
    let session = Session::from_records(guide, records).expect("a session");
    let app = LiveApp::new(
        "bench".into(),
        "/tmp/bench".into(),
        session,
        Keymap::default(),
    );
    (app, now)
}

/// The clock second's redraw of an idle live screen at 120x40 whose newest note is 1 KB (it fits
/// the notes pane), 1 MB, then 100 MB (both cut to fit): the cost does not grow with the note.
fn idle_frame_with_a_big_note(c: &mut Criterion) {
    let mut group = c.benchmark_group("idle frame with a 100 MB note");
    let palette = Palette::default();
    for (name, bytes) in [
        ("1 KB note", 1024),
        ("1 MB note", 1024 * 1024),
        ("100 MB note", 100 * 1024 * 1024),
    ] {
        let (app, now) = app_with_note_of(bytes);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
        group.bench_function(name, |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| view::draw(frame, black_box(&app), now, &palette))
                    .expect("drawing");
            })
        });
    }
    group.finish();
}

/// A key's echo: the key into the note line, then the frame that shows it at 80x24 (the loop
/// draws after each batch of keys). A Backspace after each keeps the line at its length.
fn key_echo(c: &mut Criterion) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (mut app, now) = typing_app();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("a test terminal");
    let palette = Palette::default();
    let letter = KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE);
    let back = KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE);
    c.bench_function("key echo: key into the note line + 80x24 frame", |b| {
        b.iter(|| {
            app.on_key(black_box(letter), now);
            terminal
                .draw(|frame| view::draw(frame, &app, now, &palette))
                .expect("drawing");
            app.on_key(back, now);
        })
    });
}

/// The note line's trip to disk: what the loop's timer does (take the line, hand it to the
/// writing thread), and what that thread then does (a 0600 temporary file, fsync, rename).
fn draft_to_disk(c: &mut Criterion) {
    use topicguide::storage::pending_note::{PendingNoteWriter, write_now};
    let dir = tempfile::tempdir_in(std::env::current_dir().expect("cwd")).expect("a temp dir");
    let (app, _) = typing_app();
    let pending = app.pending_note().expect("a note being typed");
    let writer = PendingNoteWriter::spawn(dir.path());
    let mut group = c.benchmark_group("note line to disk");
    group.bench_function("on the loop: take the line and hand it over", |b| {
        b.iter(|| writer.submit(black_box(app.pending_note())))
    });
    group.bench_function("on the writing thread: temp file + fsync + rename", |b| {
        b.iter(|| write_now(dir.path(), Some(black_box(&pending))).expect("written"))
    });
    group.finish();
    drop(writer);
}

/// What `topicguide list` reads: every session folder of a data folder, over 1,000 sessions of
/// 40 themes and over one session whose guide has 100,000 themes. Cold: no list cache yet, so
/// each guide snapshot is parsed (once per distinct text) and each journal verified and folded,
/// and the cache written. Warm: every session unchanged since the cache was written, so each
/// costs a few `stat`s.
fn list(c: &mut Criterion) {
    let mut group = c.benchmark_group("list");
    // A cold read of the 100,000-theme session takes seconds: the fewest samples criterion takes.
    group.sample_size(10);
    let many = tempfile::tempdir().expect("a data folder");
    synth::write_study(many.path(), "s", 1000);
    let huge = tempfile::tempdir().expect("a data folder");
    let (huge_text, huge_guide) = synth::guide(100_000);
    let records = synth::records(&huge_guide, 40, 5, 1, synth::t0());
    synth::write_session_unsynced(huge.path(), "huge", &huge_text, &records);
    // A file changed in the last two seconds is never cached (see list_cache::SETTLING).
    std::thread::sleep(std::time::Duration::from_millis(2100));
    for (name, data) in [
        ("1000 sessions x 40 themes", many.path()),
        ("one session, 100000 themes", huge.path()),
    ] {
        group.bench_function(format!("{name}, cold (no cache)"), |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("an empty cache folder"),
                |cache| black_box(summarize_all(data, Some(cache.path())).expect("read")),
                BatchSize::PerIteration,
            )
        });
        let cache = tempfile::tempdir().expect("a cache folder");
        let (cold, _) = summarize_all(data, Some(cache.path())).expect("read");
        group.bench_function(format!("{name}, warm (cache hit)"), |b| {
            b.iter(|| {
                let (warm, _) = summarize_all(data, Some(cache.path())).expect("read");
                assert_eq!(warm, cold, "the cache gives what reading gives");
                black_box(warm)
            })
        });
    }
    group.bench_function("guide check, 100000 themes", |b| {
        b.iter(|| black_box(topicguide::model::guide_parse::parse_guide(&huge_text)))
    });
    group.finish();
}

/// `import` of 1,000 sessions (40 themes, 40 notes each) into an empty data folder, from their
/// data folder and from 1,000 bundle files: each read, compared with what is here, written under
/// a hidden name, synced and renamed into place; and the same again (all already here). The
/// file system is synced before each run so that a run does not pay for the last one's files.
fn import(c: &mut Criterion) {
    use topicguide::app::import::import;
    let here = std::env::current_dir().expect("cwd");
    let source = tempfile::tempdir_in(&here).expect("a data folder");
    synth::write_study(source.path(), "s", 1000);
    let bundles = synth::write_bundles(source.path(), &source.path().join("bundles"));
    let import_all = |into: &Path, paths: &[PathBuf]| {
        let report = import(into, paths, &[], |_| Ok(())).expect("imports");
        assert_eq!(report.imported.len(), 1000, "{:?}", report.refused);
    };
    let mut group = c.benchmark_group("import 1000 sessions x 40 themes");
    group.sample_size(10);
    for (name, paths) in [
        ("from a data folder", vec![source.path().to_path_buf()]),
        ("from 1000 bundles", bundles),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = std::time::Duration::ZERO;
                for _ in 0..iters {
                    let target = tempfile::tempdir_in(&here).expect("a data folder");
                    // SAFETY: sync takes no arguments and cannot fail.
                    unsafe { libc::sync() };
                    let started = Instant::now();
                    import_all(target.path(), &paths);
                    total += started.elapsed();
                }
                total
            })
        });
    }
    let lead = tempfile::tempdir_in(&here).expect("a data folder");
    let paths = [source.path().to_path_buf()];
    import_all(lead.path(), &paths);
    group.bench_function("again, all already here", |b| {
        b.iter(|| import_all(lead.path(), &paths))
    });
    group.finish();
}

/// `watch` from an append to the screen: the note-taker's journal writer appends and syncs an
/// event (the group moves to another theme), and the watching side, woken by its file
/// notification as `watch` is, reads the journal again and draws an 80x24 frame (TestBackend)
/// that shows the theme now under discussion. Timed from before the append to that frame.
fn watch(c: &mut Criterion) {
    use std::sync::{Arc, mpsc};
    use topicguide::app::context::Context;
    use topicguide::app::watch::{Wake, follow};
    use topicguide::ui::runner::Screen;
    use topicguide::ui::watch::Watch;
    let mut group = c.benchmark_group("watch: append to frame");
    for (name, (text, guide), notes) in [
        (
            "focus group 40 minutes in, 300 notes",
            synth::focus_group_guide(),
            300,
        ),
        ("60 themes, 2000 notes", synth::guide(60), 2000),
    ] {
        let data = tempfile::tempdir_in(std::env::current_dir().expect("cwd")).expect("a folder");
        let running: Vec<Record> = synth::records(&guide, notes, 6, 3, synth::t0())
            .into_iter()
            .filter(|r| !matches!(r.event, Event::Ended))
            .collect();
        let mut open = synth::write_session(data.path(), "watched", &text, guide.clone(), running);
        let config = data.path().join("config.toml");
        std::fs::write(&config, "").expect("an empty config");
        let ctx = Context::new(Some(data.path()), Some(&config)).expect("a context");
        let (wake, woken) = mpsc::channel();
        let wake: Wake = Arc::new(move || {
            let _ = wake.send(());
        });
        let followed = follow(&ctx, Some(&open.id), wake).expect("follows the session");
        let mut screen = Watch::new(followed, Keymap::default(), Palette::default());
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("a test terminal");
        let mut last = open.session.records().last().cloned().expect("records");
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = std::time::Duration::ZERO;
                for _ in 0..iters {
                    let theme = &guide.themes[(last.seq as usize) % guide.themes.len()];
                    let shown: String = theme.title.chars().take(30).collect();
                    let record = Record {
                        seq: last.seq + 1,
                        at: last.at + Duration::seconds(1),
                        event: Event::Discussing {
                            theme: theme.id.clone(),
                        },
                    };
                    // Notifications of the last round's reads are not this append's.
                    while woken.try_recv().is_ok() {}
                    let started = Instant::now();
                    open.writer.append(&record).expect("appended and synced");
                    loop {
                        woken
                            .recv_timeout(std::time::Duration::from_secs(5))
                            .expect("a file notification");
                        screen.tick(record.at);
                        terminal
                            .draw(|frame| screen.draw(frame, record.at))
                            .expect("drawing");
                        if screen_text(&terminal).contains(&format!("Now: {shown}")) {
                            break;
                        }
                    }
                    total += started.elapsed();
                    last = record;
                }
                total
            })
        });
    }
    group.finish();
}

/// The characters of the last frame drawn, row by row.
fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for (i, cell) in buffer.content().iter().enumerate() {
        if i > 0 && i % usize::from(buffer.area.width) == 0 {
            text.push('\n');
        }
        text.push_str(cell.symbol());
    }
    text
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(3));
    targets = live_frame, note_to_disk, open_and_export, review, list, key_echo, draft_to_disk, transcript, import, watch, idle_frame_with_a_big_note
}
criterion_main!(benches);
