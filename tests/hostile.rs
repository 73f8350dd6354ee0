//! Hostile inputs and places, each the way an adversarial pass found it (issue 12): `-o` aimed at
//! a journal, a device, a FIFO or a planted link; journals replaced, linked, damaged or written by
//! a newer topicguide; escape sequences and formulas in what users typed. Fixtures are in
//! `tests/hostile/`.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DataHome, add, assert_user_error, create};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};
use topicguide::storage::journal::JOURNAL_FILE;

const ID: &str = "20261123-1405-group-1";
const GUIDE: &str = "cmp-patient-focus-group";

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).unwrap() + Duration::seconds(seconds)
}

fn note(id: &str, seconds: i64, theme: &str, text: &str) -> Event {
    Event::NoteAdded {
        id: id.into(),
        noted_at: at(seconds),
        theme: Some(theme.into()),
        text: text.into(),
    }
}

/// A data folder with one ended focus group holding the given note texts.
fn with_notes(texts: &[&str]) -> DataHome {
    let home = DataHome::empty();
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    let meta = SessionMeta {
        participants: (1..=5).map(|n| format!("P{n}")).collect(),
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    };
    let mut s = create(&home.data(), ID, GUIDE, at(0), meta);
    add(
        &mut s,
        at(10),
        Event::Discussing {
            theme: "health".into(),
        },
    );
    for (i, text) in texts.iter().enumerate() {
        let seconds = 20 + 10 * i as i64;
        add(
            &mut s,
            at(seconds + 5),
            note(&format!("n{}", i + 1), seconds, "health", text),
        );
    }
    add(&mut s, at(600), Event::Ended);
    home
}

fn session_dir(home: &DataHome) -> PathBuf {
    home.data().join("sessions").join(ID)
}

fn journal(home: &DataHome) -> PathBuf {
    session_dir(home).join(JOURNAL_FILE)
}

// ---- export -o --------------------------------------------------------------------------

#[test]
fn export_o_refuses_the_journal_and_anything_in_a_session_folder() {
    let home = with_notes(&["a note"]);
    let before = fs::read(journal(&home)).unwrap();
    let dir = session_dir(&home);
    let targets = [
        journal(&home),
        dir.join("guide.toml"),
        dir.join("report.md"),
        home.data().join("sessions").join("report.md"),
    ];
    for target in &targets {
        let ran = home.run(&[
            "export",
            ID,
            "--format",
            "md",
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_user_error(&ran);
        assert!(
            ran.stderr.contains("never writes into a session folder"),
            "{}",
            ran.stderr
        );
    }
    // Also through a link to the session folder, from elsewhere.
    let link = home.path("elsewhere");
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    let ran = home.run(&[
        "export",
        ID,
        "--format",
        "md",
        "-o",
        link.join(JOURNAL_FILE).to_str().unwrap(),
    ]);
    assert_user_error(&ran);
    // A session folder outside the data folder is a session folder too.
    let other = home.path("copy-of-session");
    fs::create_dir(&other).unwrap();
    fs::copy(journal(&home), other.join(JOURNAL_FILE)).unwrap();
    let ran = home.run(&[
        "export",
        ID,
        "--format",
        "md",
        "-o",
        other.join("x.md").to_str().unwrap(),
    ]);
    assert_user_error(&ran);

    assert_eq!(
        fs::read(journal(&home)).unwrap(),
        before,
        "the journal is untouched"
    );
    assert!(!dir.join("report.md").exists());
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "nothing new in the session folder: {names:?}"
    );
}

#[test]
fn export_o_writes_through_dev_null_and_a_fifo_and_never_replaces_them() {
    let home = with_notes(&["a note"]);
    let ran = home.run(&["export", ID, "--format", "csv", "-o", "/dev/null"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let meta = fs::metadata("/dev/null").unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(
        &meta.file_type()
    ));

    let fifo = home.path("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // With no reader: refused at once, not waited on.
    let ran = home.run(&[
        "export",
        ID,
        "--format",
        "csv",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("no reader"), "{}", ran.stderr);
    // With a reader: written through.
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || fs::read_to_string(reader_path).unwrap());
    // The reader's open blocks until a writer comes; try until the export finds it there.
    let mut ran = home.run(&[
        "export",
        ID,
        "--format",
        "csv",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    for _ in 0..100 {
        if ran.code == Some(0) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        ran = home.run(&[
            "export",
            ID,
            "--format",
            "csv",
            "-o",
            fifo.to_str().unwrap(),
        ]);
    }
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let read = reader.join().unwrap();
    assert!(read.starts_with("session,offset,at,theme_id"), "{read}");
    let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind),
        "still a FIFO"
    );
}

#[test]
fn export_o_never_replaces_a_symlink_and_its_temp_file_is_random_exclusive_and_private() {
    let home = with_notes(&["a note"]);
    let target = home.path("target.md");
    fs::write(&target, "keep me").unwrap();
    let link = home.path("report.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let ran = home.run(&["export", ID, "--format", "md", "-o", link.to_str().unwrap()]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("symbolic link"), "{}", ran.stderr);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");

    // The old predictable temp name, planted as a link and as a world-writable file: neither is
    // followed, used or kept.
    let out = home.path("out.md");
    let victim = home.path("victim");
    fs::write(&victim, "victim").unwrap();
    std::os::unix::fs::symlink(&victim, home.path(".out.md.tmp")).unwrap();
    let planted = home.path(".out.md.x.tmp");
    fs::write(&planted, "planted").unwrap();
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o666)).unwrap();
    fs::write(&out, "old").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o666)).unwrap();
    let ran = home.run(&["export", ID, "--format", "md", "-o", out.to_str().unwrap()]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "victim");
    assert_eq!(fs::read_to_string(&planted).unwrap(), "planted");
    assert!(fs::read_to_string(&out).unwrap().contains("Group 1"));
    assert_eq!(
        fs::metadata(&out).unwrap().mode() & 0o777,
        0o600,
        "written 0600"
    );
    // No temp file left behind.
    let left: Vec<String> = fs::read_dir(home.home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert_eq!(left.len(), 2, "only the planted ones: {left:?}");
}

#[test]
fn export_o_onto_a_folder_is_refused() {
    let home = with_notes(&["a note"]);
    let folder = home.path("folder");
    fs::create_dir(&folder).unwrap();
    let ran = home.run(&[
        "export",
        ID,
        "--format",
        "md",
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert_user_error(&ran);
    assert!(folder.is_dir());
}

// ---- journals as fixtures ---------------------------------------------------------------

/// A data folder whose one session `ID` has the fixture `tests/hostile/NAME` as its journal
/// and the built-in focus-group guide as its snapshot, owner-only as topicguide makes them.
fn fixture_session(name: &str) -> DataHome {
    let home = DataHome::empty();
    let dir = session_dir(&home);
    fs::create_dir_all(&dir).unwrap();
    for d in [home.data(), home.data().join("sessions"), dir.clone()] {
        fs::set_permissions(&d, fs::Permissions::from_mode(0o700)).unwrap();
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name);
    fs::copy(&fixture, dir.join(JOURNAL_FILE)).unwrap();
    fs::write(dir.join("guide.toml"), &builtin(GUIDE).unwrap().text).unwrap();
    for f in [JOURNAL_FILE, "guide.toml"] {
        fs::set_permissions(dir.join(f), fs::Permissions::from_mode(0o600)).unwrap();
    }
    home
}

fn note_texts(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn records_of_a_newer_topicguide_are_kept_reported_and_the_rest_still_folds() {
    let home = fixture_session("newer-records.jsonl");
    let before = fs::read(journal(&home)).unwrap();
    let list = home.run(&["list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    assert!(
        list.stdout.contains(&format!("{ID}  interrupted  Group 1")),
        "{}",
        list.stdout
    );
    assert!(
        list.stderr.contains("written by a newer topicguide"),
        "{}",
        list.stderr
    );

    let ran = home.run(&["export", ID, "--format", "json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(note_texts(&ran.stdout), ["first note", "second note"]);
    assert!(
        ran.stderr
            .contains("2 records written by a newer topicguide"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("roster_changed") && ran.stderr.contains("observer_joined"));
    assert!(
        !ran.stderr.contains("damaged") && !ran.stderr.contains("torn"),
        "{}",
        ran.stderr
    );

    // Resuming keeps them, byte for byte, and goes on after them.
    let open = topicguide::storage::session_store::reopen_session(&session_dir(&home), at(900))
        .expect("a session with newer records reopens");
    assert!(
        open.torn_kept_at.is_none(),
        "the newer last line is not cut off"
    );
    assert_eq!(
        open.session.next_seq(),
        8,
        "numbering goes on after the newer records"
    );
    drop(open);
    let after = fs::read(journal(&home)).unwrap();
    assert!(
        after.starts_with(&before),
        "nothing before the reopen changed"
    );
    let contents = topicguide::storage::journal::parse_journal(&after).unwrap();
    assert_eq!(contents.records.len(), 7);
    assert_eq!(contents.torn_tail, None);
    // Written back as they were read (the emergency copy writes records the same way).
    let again: String = contents
        .records
        .iter()
        .map(|r| topicguide::storage::journal::encode_line(r).unwrap())
        .collect();
    assert_eq!(again.as_bytes(), &after[..]);
}

#[test]
fn a_bit_flip_in_the_last_line_is_damage_not_a_torn_write() {
    let home = fixture_session("bitflip-last-line.jsonl");
    let ran = home.run(&["export", ID, "--format", "json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(ran.stderr.contains("damaged last line"), "{}", ran.stderr);
    assert!(ran.stderr.contains("checksum mismatch"), "{}", ran.stderr);
    assert!(
        !ran.stderr.contains("never shown as saved"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("may have been shown as saved"),
        "{}",
        ran.stderr
    );

    let open = topicguide::storage::session_store::reopen_session(&session_dir(&home), at(900))
        .expect("reopens");
    let (aside, tail) = open.torn_kept_at.clone().expect("set aside");
    assert_eq!(tail.kind, topicguide::storage::journal::TailKind::Damaged);
    assert!(
        fs::read_to_string(aside)
            .unwrap()
            .contains("shewn as saved")
    );
}

#[test]
fn a_torn_last_line_is_still_called_torn_and_never_shown_as_saved() {
    let home = fixture_session("torn-last-line.jsonl");
    let ran = home.run(&["export", ID, "--format", "json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(ran.stderr.contains("torn last line"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("never shown as saved"),
        "{}",
        ran.stderr
    );
    assert_eq!(note_texts(&ran.stdout), ["first note"]);
}

// ---- damaged sessions ---------------------------------------------------------------------

#[test]
fn a_damaged_session_stays_in_list_with_its_line_and_export_salvages_the_rest() {
    let home = fixture_session("damaged-middle.jsonl");
    let before = fs::read(journal(&home)).unwrap();
    let list = home.run(&["list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    let line = list.stdout.lines().next().expect("the session is listed");
    assert!(
        line.starts_with(&format!("{ID}  damaged  Group 1  "))
            && line.contains("(line 3: checksum mismatch"),
        "{line}"
    );
    let json: serde_json::Value = serde_json::from_str(&home.ok(&["list", "--json"])).unwrap();
    assert_eq!(json[0]["state"], "damaged");
    assert_eq!(json[0]["damage"]["line"], 3);
    assert_eq!(json[0]["id"], ID);

    let ran = home.run(&["export", ID, "--format", "json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(
        note_texts(&ran.stdout),
        ["after the damage"],
        "the intact notes"
    );
    let export: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(
        export["session"]["state"], "ended",
        "the end record after the damage is read"
    );
    assert!(
        ran.stderr.contains(":3: the journal is damaged"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("left out: line 3 (checksum mismatch"),
        "{}",
        ran.stderr
    );
    assert_eq!(
        fs::read(journal(&home)).unwrap(),
        before,
        "reading changes nothing"
    );
}

#[test]
fn restore_puts_an_emergency_copy_back_appending_what_the_journal_lacks() {
    let home = with_notes(&["one", "two"]);
    let full = fs::read_to_string(journal(&home)).unwrap();
    // The journal lost its last three lines (the disk refused them); the copy has them all.
    let lines: Vec<&str> = full.lines().collect();
    let kept: String = lines[..lines.len() - 3]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(journal(&home), &kept).unwrap();
    let copy = home.path(&format!("topicguide-emergency-{ID}-20261123T150102.jsonl"));
    fs::write(&copy, &full).unwrap();

    let out = home.ok(&["restore", copy.to_str().unwrap()]);
    assert!(out.contains("3 records from the copy added"), "{out}");
    assert_eq!(fs::read_to_string(journal(&home)).unwrap(), full);
    // Twice is harmless.
    let out = home.ok(&["restore", copy.to_str().unwrap()]);
    assert!(out.contains("already holds every record"), "{out}");
    assert_eq!(fs::read_to_string(journal(&home)).unwrap(), full);

    // A copy that disagrees with the journal changes nothing.
    let other = home.path("other.jsonl");
    let mut records = topicguide::storage::journal::parse_journal(full.as_bytes())
        .unwrap()
        .records;
    if let Event::NoteAdded { text, .. } = &mut records[3].event {
        *text = "changed".into();
    }
    let changed: String = records
        .iter()
        .map(|r| topicguide::storage::journal::encode_line(r).unwrap())
        .collect();
    fs::write(&other, changed).unwrap();
    let ran = home.run(&["restore", other.to_str().unwrap(), "--session", ID]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("differ"), "{}", ran.stderr);
    assert_eq!(fs::read_to_string(journal(&home)).unwrap(), full);
}

#[test]
fn restore_replaces_a_damaged_journal_and_keeps_the_old_one() {
    let home = with_notes(&["one", "two"]);
    let full = fs::read_to_string(journal(&home)).unwrap();
    let copy = home.path(&format!("topicguide-emergency-{ID}-20261123T150102.jsonl"));
    fs::write(&copy, &full).unwrap();
    let damaged = full.replacen("\"one\"", "\"onf\"", 1);
    fs::write(journal(&home), &damaged).unwrap();

    let out = home.ok(&["restore", copy.to_str().unwrap()]);
    assert!(out.contains("damaged journal was kept in"), "{out}");
    assert_eq!(fs::read_to_string(journal(&home)).unwrap(), full);
    let kept: Vec<PathBuf> = fs::read_dir(session_dir(&home))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(fs::read_to_string(&kept[0]).unwrap(), damaged);
    assert_eq!(fs::metadata(journal(&home)).unwrap().mode() & 0o777, 0o600);
    let list = home.ok(&["list"]);
    assert!(list.contains(&format!("{ID}  ended")), "{list}");
}

// ---- the output boundary ------------------------------------------------------------------

/// Fails if `text` holds anything a terminal would act on: a control character other than
/// newline and tab (ESC, BEL, CSI as U+009B, ...), or a line or paragraph separator.
fn assert_printable(what: &str, text: &str) {
    for c in text.chars() {
        assert!(
            c == '\n' || c == '\t' || !(c.is_control() || c == '\u{2028}' || c == '\u{2029}'),
            "{what} prints {c:?}:\n{text:?}"
        );
    }
}

#[test]
fn no_command_prints_an_escape_sequence_from_data() {
    let home = fixture_session("escapes.jsonl");
    // A user guide whose title and file name carry escapes, and one that is invalid.
    let guides = home.home.path().join(".config/topicguide/guides");
    fs::create_dir_all(&guides).unwrap();
    let evil_title = builtin(GUIDE).unwrap().text.replacen(
        "title = \"",
        "title = \"\\u001b]0;owned\\u0007\\u001b[2J",
        1,
    );
    fs::write(guides.join("evil\x1b[31m.toml"), &evil_title).unwrap();
    let bad = guides.join("bad\x1b]52;c;eA==\x07.toml");
    fs::write(
        &bad,
        "[guide]\ntitle = \"\\u001b[2J\"\n[[theme]]\nid = \"\\u001b[31m\"\ntitle = \"x\"\n",
    )
    .unwrap();

    let runs: Vec<Vec<String>> = vec![
        vec!["list".into()],
        vec!["list".into(), "--json".into()],
        vec!["export".into(), ID.into(), "--format".into(), "md".into()],
        vec!["export".into(), ID.into(), "--format".into(), "csv".into()],
        vec!["export".into(), ID.into(), "--format".into(), "json".into()],
        vec!["export".into(), ID.into(), "--format".into(), "vtt".into()],
        vec![
            "export".into(),
            ID.into(),
            "--format".into(),
            "audacity".into(),
        ],
        vec!["export".into(), ID.into(), "--format".into(), "html".into()],
        vec!["review".into(), "--format".into(), "md".into()],
        vec!["review".into(), "--format".into(), "csv".into()],
        vec!["review".into(), "--format".into(), "json".into()],
        vec!["guide".into(), "list".into()],
        vec![
            "guide".into(),
            "check".into(),
            bad.to_string_lossy().into_owned(),
        ],
        vec![
            "export".into(),
            "\x1b]0;title\x07".into(),
            "--format".into(),
            "md".into(),
        ],
        vec![
            "export".into(),
            ID.into(),
            "--format".into(),
            "\x1b[2J".into(),
        ],
        vec!["resume".into(), "\x1b]52;c;eA==\x07".into()],
    ];
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ran = home.run(&args);
        assert_printable(&format!("{args:?} stdout"), &ran.stdout);
        assert_printable(&format!("{args:?} stderr"), &ran.stderr);
    }
    // And the data is still there, only harmless.
    let list = home.ok(&["list"]);
    assert!(list.contains("Group ]0;pwned[2J"), "{list}");
}

// ---- safe exports -------------------------------------------------------------------------

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let home = fixture_session("escapes.jsonl");
    let out = home.ok(&["export", ID, "--format", "csv"]);
    let mut reader = ::csv::Reader::from_reader(out.as_bytes());
    let texts: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(7).unwrap().to_string())
        .collect();
    assert_eq!(texts[0], "'=HYPERLINK(\"http://x.test\",\"click\")");
    assert_eq!(texts[1], "'+1 and -1 and @SUM(A1)");
    // A note's leading tab or CR is trimmed as it is read; either way no cell starts with one.
    assert!(texts[2].ends_with("leading tab"), "{:?}", texts[2]);
    assert!(texts[3].ends_with("leading CR"), "{:?}", texts[3]);
    for text in &texts {
        assert!(
            !text.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a live formula: {text:?}"
        );
    }
    // Only the cells that needed it changed.
    assert!(texts.iter().any(|t| t.starts_with("<script>")));
}

#[test]
fn no_export_holds_a_line_or_paragraph_separator() {
    let home = fixture_session("escapes.jsonl");
    for format in ["json", "md", "csv", "html", "audacity", "vtt"] {
        let out = home.ok(&["export", ID, "--format", format]);
        assert!(
            !out.contains(['\u{2028}', '\u{2029}']),
            "{format} holds a separator"
        );
    }
    // JSON keeps the character, escaped.
    let json = home.ok(&["export", ID, "--format", "json"]);
    assert!(json.contains("line\\u2028separator"), "{json}");
    let qdpx = home.path("s.qdpx");
    home.ok(&[
        "export",
        ID,
        "--format",
        "qdpx",
        "-o",
        qdpx.to_str().unwrap(),
    ]);
    for (name, text) in common::unzip(&fs::read(&qdpx).unwrap()) {
        assert!(!text.contains(['\u{2028}', '\u{2029}']), "{name}");
    }
    for format in ["csv", "md", "json"] {
        let out = home.ok(&["review", "--format", format]);
        assert!(!out.contains(['\u{2028}', '\u{2029}']), "review {format}");
    }
}

/// The Markdown report as a Markdown reader renders it (CommonMark with the GitHub extensions).
fn rendered_markdown(md: &str) -> String {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let parser = pulldown_cmark::Parser::new_ext(md, options);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

#[test]
fn the_markdown_report_shows_html_and_links_from_user_text_as_text() {
    let home = fixture_session("escapes.jsonl");
    let md = home.ok(&["export", ID, "--format", "md"]);
    let html = rendered_markdown(&md);
    for live in ["<script", "<img", "href=\"javascript:", "href='javascript:"] {
        assert!(
            !html.contains(live),
            "{live} in the rendered report:\n{html}"
        );
    }
    assert!(
        !html.contains("<a "),
        "no link at all from user text:\n{html}"
    );
    // The text itself is all there, to read.
    for shown in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "[click me](javascript:alert(3))",
    ] {
        assert!(html.contains(shown), "{shown} shown as text:\n{html}");
    }
    // The review report too.
    let review = rendered_markdown(&home.ok(&["review", "--format", "md"]));
    assert!(
        !review.contains("<script") && !review.contains("<a "),
        "{review}"
    );
}

#[test]
fn notes_on_a_theme_missing_from_an_edited_snapshot_are_kept_under_other() {
    let home = with_notes(&["one", "two", "three", "four"]);
    let before = home.ok(&["export", ID, "--format", "md"]);
    assert!(before.contains("four"));
    // The snapshot loses the health theme (someone edited it by hand).
    let snapshot = session_dir(&home).join("guide.toml");
    let text = fs::read_to_string(&snapshot).unwrap();
    let start = text.find("id = \"health\"").unwrap();
    let block_start = text[..start].rfind("[[theme]]").unwrap();
    let block_end = text[start..]
        .find("[[theme]]")
        .map_or(text.len(), |e| start + e);
    fs::write(
        &snapshot,
        format!("{}{}", &text[..block_start], &text[block_end..]),
    )
    .unwrap();
    let md = home.ok(&["export", ID, "--format", "md"]);
    let other = md
        .find("### Outside any theme")
        .expect("an 'other' section");
    for note in ["one", "two", "three", "four"] {
        assert!(
            md[other..].contains(&format!("{note} _(theme health)_")),
            "{note}:\n{md}"
        );
    }
    let html = home.ok(&["export", ID, "--format", "html"]);
    for note in ["one", "two", "three", "four"] {
        assert!(html.contains(note), "{note} in the HTML report");
    }
    let csv = home.ok(&["export", ID, "--format", "csv"]);
    assert_eq!(csv.lines().count(), 5, "{csv}");
}

// ---- paths ----------------------------------------------------------------------------------

#[test]
fn a_symlinked_journal_is_never_read_or_appended_to() {
    let home = with_notes(&["a note"]);
    let outside = home.path("outside.jsonl");
    fs::rename(journal(&home), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, journal(&home)).unwrap();
    let before = fs::read(&outside).unwrap();

    let ran = home.run(&["export", ID, "--format", "json"]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("symbolic link"), "{}", ran.stderr);
    let list = home.run(&["list"]);
    assert!(list.stderr.contains("symbolic link"), "{}", list.stderr);
    let reopened = topicguide::storage::session_store::reopen_session(&session_dir(&home), at(900));
    assert!(reopened.is_err(), "refused");
    assert_eq!(
        fs::read(&outside).unwrap(),
        before,
        "nothing appended outside"
    );

    // A session folder that is itself a link is refused too.
    let home = with_notes(&["a note"]);
    let moved = home.path("moved-session");
    fs::rename(session_dir(&home), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, session_dir(&home)).unwrap();
    let ran = home.run(&["export", ID, "--format", "json"]);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("symbolic link"), "{}", ran.stderr);
}

#[test]
fn a_symlinked_sessions_folder_is_used_but_its_target_never_chmoded() {
    let home = DataHome::empty();
    let target = home.path("shared-disk");
    fs::create_dir_all(&target).unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o755)).unwrap();
    fs::create_dir_all(home.data()).unwrap();
    std::os::unix::fs::symlink(&target, home.data().join("sessions")).unwrap();
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    let meta = SessionMeta {
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    };
    drop(create(&home.data(), ID, GUIDE, at(0), meta));
    assert_eq!(
        fs::metadata(&target).unwrap().mode() & 0o777,
        0o755,
        "left as it was"
    );
    assert!(target.join(ID).join(JOURNAL_FILE).is_file());
    assert_eq!(fs::metadata(target.join(ID)).unwrap().mode() & 0o777, 0o700);
}

#[test]
fn a_bare_id_is_the_data_folders_session_even_with_a_same_named_folder_here() {
    let home = with_notes(&["the real one"]);
    let cwd = home.path("work");
    let decoy = cwd.join(ID);
    fs::create_dir_all(&decoy).unwrap();
    // A decoy with a session of its own.
    fs::copy(journal(&home), decoy.join(JOURNAL_FILE)).unwrap();
    fs::write(decoy.join("guide.toml"), "not a guide").unwrap();
    let mut cmd = common::topicguide(home.home.path());
    cmd.current_dir(&cwd)
        .arg("--data-dir")
        .arg(home.data())
        .args(["export", ID, "--format", "json"]);
    let ran = common::run(&mut cmd);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(note_texts(&ran.stdout), ["the real one"]);
    // Named as a path, the folder here is meant.
    let mut cmd = common::topicguide(home.home.path());
    cmd.current_dir(&cwd)
        .arg("--data-dir")
        .arg(home.data())
        .args(["export", &format!("./{ID}"), "--format", "json"]);
    let ran = common::run(&mut cmd);
    assert_user_error(&ran);
    assert!(ran.stderr.contains("guide snapshot"), "{}", ran.stderr);
}

#[test]
fn resuming_tightens_a_loosened_session_to_owner_only() {
    let home = DataHome::empty();
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    let meta = SessionMeta {
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    };
    drop(create(&home.data(), ID, GUIDE, at(0), meta));
    let dir = session_dir(&home);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    for f in [JOURNAL_FILE, "guide.toml"] {
        fs::set_permissions(dir.join(f), fs::Permissions::from_mode(0o644)).unwrap();
    }
    let open = topicguide::storage::session_store::reopen_session(&dir, at(60)).unwrap();
    drop(open);
    assert_eq!(fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
    for f in [JOURNAL_FILE, "guide.toml"] {
        assert_eq!(
            fs::metadata(dir.join(f)).unwrap().mode() & 0o777,
            0o600,
            "{f}"
        );
    }
}

// ---- time -----------------------------------------------------------------------------------

fn export_json(home: &DataHome) -> serde_json::Value {
    serde_json::from_str(&home.ok(&["export", ID, "--format", "json"])).unwrap()
}

#[test]
fn a_clock_stepped_back_never_gives_negative_offsets_or_drops_notes() {
    let home = fixture_session("clock-stepped.jsonl");
    let json = export_json(&home);
    let offsets: Vec<i64> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["offset_seconds"].as_i64().unwrap())
        .collect();
    assert_eq!(offsets.len(), 3);
    assert!(offsets.iter().all(|o| *o >= 0), "{offsets:?}");
    assert!(
        offsets.windows(2).all(|w| w[0] <= w[1]),
        "in order: {offsets:?}"
    );
    for theme in json["themes"].as_array().unwrap() {
        assert!(theme["seconds_discussed"].as_i64().unwrap() >= 0, "{theme}");
    }
    let vtt = home.ok(&["export", ID, "--format", "vtt"]);
    for note in [
        "before the step",
        "after the step back",
        "after the step forward",
    ] {
        assert!(vtt.contains(note), "{note} in the VTT:\n{vtt}");
    }
    let audacity = home.ok(&["export", ID, "--format", "audacity"]);
    assert_eq!(
        audacity
            .lines()
            .filter(|l| l.contains(": after") || l.contains(": before"))
            .count(),
        3,
        "{audacity}"
    );
    for line in audacity.lines() {
        let start: f64 = line.split('\t').next().unwrap().parse().unwrap();
        assert!(start >= 0.0, "{line}");
    }
}

#[test]
fn a_clock_before_1970_never_panics() {
    let home = fixture_session("before-1970.jsonl");
    for format in ["json", "md", "csv", "html", "audacity", "vtt"] {
        home.ok(&["export", ID, "--format", format]);
    }
    let qdpx = home.path("s.qdpx");
    home.ok(&[
        "export",
        ID,
        "--format",
        "qdpx",
        "-o",
        qdpx.to_str().unwrap(),
    ]);
    let list = home.ok(&["list"]);
    assert!(list.contains("1969-07-20"), "{list}");
    home.ok(&["review", "--format", "csv"]);
    let json = export_json(&home);
    assert_eq!(json["notes"][0]["offset_seconds"], 60);
}

/// A session (through the library, with injected times) that discussed health for ten minutes,
/// then was closed for `gap`, then reopened, optionally with the room said to have kept going.
fn break_session(gap: Duration, kept_going: bool) -> serde_json::Value {
    let home = DataHome::empty();
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    let meta = SessionMeta {
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, "Group 1")
    };
    let mut s = create(&home.data(), ID, GUIDE, at(0), meta);
    add(
        &mut s,
        at(0),
        Event::Discussing {
            theme: "health".into(),
        },
    );
    add(
        &mut s,
        at(600),
        note("n1", 590, "health", "before the break"),
    );
    let back = at(600) + gap;
    add(&mut s, back, Event::Reopened);
    if kept_going {
        add(&mut s, back, Event::RoomKeptGoing);
    }
    add(&mut s, back + Duration::seconds(60), Event::Ended);
    drop(s);
    export_json(&home)
}

fn health_seconds(json: &serde_json::Value) -> i64 {
    json["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "health")
        .unwrap()["seconds_discussed"]
        .as_i64()
        .unwrap()
}

#[test]
fn a_resume_the_next_day_does_not_credit_the_night_to_a_theme() {
    // Ten minutes before, one after: the night in between is nobody's.
    assert_eq!(
        health_seconds(&break_session(Duration::hours(20), false)),
        660
    );
    // Unless the note-taker says the room kept going.
    assert_eq!(
        health_seconds(&break_session(Duration::minutes(30), true)),
        600 + 1800 + 60
    );
    // A quick restart after a crash is session time: the group talked on.
    assert_eq!(
        health_seconds(&break_session(Duration::seconds(90), false)),
        750
    );
}

// ---- degenerate input -----------------------------------------------------------------------

#[test]
fn guide_check_of_dev_zero_is_bounded_and_says_why() {
    let home = DataHome::empty();
    let ran = home.run(&["guide", "check", "/dev/zero"]);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    assert!(
        ran.stdout.contains("/dev/zero:1:1:") && ran.stdout.contains("larger than 32 MiB"),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_fifo_as_a_sessions_guide_never_hangs_list_or_export() {
    let home = with_notes(&["a note"]);
    let snapshot = session_dir(&home).join("guide.toml");
    fs::remove_file(&snapshot).unwrap();
    let c = std::ffi::CString::new(snapshot.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // Each run has a deadline (common::RUN_WAIT): a hang fails the test.
    let list = home.run(&["list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    assert!(
        list.stderr.contains("not a regular file"),
        "{}",
        list.stderr
    );
    let ran = home.run(&["export", ID, "--format", "json"]);
    assert!(
        ran.code != Some(0) && ran.stderr.contains("not a regular file"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_duplicate_among_100000_themes_is_found_at_its_line() {
    let mut text = String::from("[guide]\ntitle = \"Huge\"\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "[[theme]]\nid = \"t{i}\"\ntitle = \"Theme {i}\"\n"
        ));
    }
    text.push_str("[[theme]]\nid = \"t7\"\ntitle = \"Again\"\n");
    let home = DataHome::empty();
    let path = home.path("huge.toml");
    fs::write(&path, &text).unwrap();
    let ran = home.run(&["guide", "check", path.to_str().unwrap()]);
    assert_eq!(ran.code, Some(1));
    let line = 3 + 3 * 100_000 + 1;
    assert!(
        ran.stdout
            .contains(&format!("huge.toml:{line}:1: duplicate theme id \"t7\"")),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_century_long_session_draws_a_small_timeline() {
    let home = fixture_session("century-span.jsonl");
    let html = home.ok(&["export", ID, "--format", "html"]);
    assert!(html.len() < 200_000, "{} bytes", html.len());
    let ticks = html.matches("class=\"axis-label\"").count();
    assert!(ticks <= 15, "{ticks} axis labels");
    assert!(html.contains("a century later"));
}
