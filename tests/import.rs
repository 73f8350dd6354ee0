//! Bringing sessions together as a lead researcher does: `import` of session folders, whole data
//! folders and bundle files (plain and age-encrypted) through the real binary, each note-taker's
//! laptop a data folder of its own.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{DataHome, add, create};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use topicguide::library::builtin;
use topicguide::model::event::{Event, SessionMeta};

const GUIDE: &str = "cmp-patient-focus-group";
const ID: &str = "20261123-1405-group-1";

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).unwrap() + Duration::minutes(minutes)
}

fn meta(label: &str, researcher: &str) -> SessionMeta {
    let guide = builtin(GUIDE).unwrap().load().unwrap();
    SessionMeta {
        site: Some("CR".into()),
        researcher: Some(researcher.into()),
        guide_source: GUIDE.into(),
        ..SessionMeta::for_guide(&guide, label)
    }
}

/// Writes session `id` into `data` with `notes` as its notes, ended unless `live`.
fn session(data: &Path, id: &str, researcher: &str, notes: &[&str], ended: bool) {
    let mut s = create(data, id, GUIDE, at(0), meta("Group 1", researcher));
    add(
        &mut s,
        at(1),
        Event::Discussing {
            theme: "opening".into(),
        },
    );
    for (i, text) in notes.iter().enumerate() {
        add(
            &mut s,
            at(2 + i as i64),
            Event::NoteAdded {
                id: format!("n{}", i + 1),
                noted_at: at(2 + i as i64),
                theme: Some("opening".into()),
                text: text.to_string(),
            },
        );
    }
    if ended {
        add(&mut s, at(50), Event::Ended);
    }
}

/// Every file under `dir` with its bytes, mode and modification time: what "unchanged" means.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32, i64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let meta = fs::metadata(&d).unwrap();
        out.insert(d.clone(), (Vec::new(), meta.mode(), meta.mtime_nsec()));
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.clone(),
                    (fs::read(&path).unwrap(), meta.mode(), meta.mtime_nsec()),
                );
            }
        }
    }
    out
}

/// The files of a session folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn session_ids(data: &Path) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(data.join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// The hidden names in `dir`: what an import builds a copy under before renaming it.
fn hidden_entries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect()
}

fn assert_private(dir: &Path) {
    let mode = fs::metadata(dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{} is 0700", dir.display());
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is 0600", path.display());
    }
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn a_session_folder_comes_in_once_private_and_the_source_is_untouched() {
    let laptop = DataHome::empty();
    session(
        &laptop.data(),
        ID,
        "AR",
        &["@P1 first", "@P2 second #quote"],
        true,
    );
    let source = laptop.data().join("sessions").join(ID);
    // A note-taker's folder may be readable by others; the copy here must not be.
    fs::set_permissions(source.join("guide.toml"), fs::Permissions::from_mode(0o644)).unwrap();
    let before = snapshot(&laptop.data());

    let lead = DataHome::empty();
    let out = lead.ok(&["import", p(&source)]);
    assert!(
        out.starts_with(&format!("added         {ID}  Group 1 · site CR · by AR\n")),
        "{out}"
    );
    assert!(out.ends_with("1 session: 1 added\n"), "{out}");
    let copy = lead.data().join("sessions").join(ID);
    assert_eq!(files(&copy), files(&source), "byte for byte");
    assert_private(&copy);
    assert_eq!(
        snapshot(&laptop.data()),
        before,
        "the source is never changed"
    );

    // The same again, and the whole data folder: nothing new, nothing written.
    let copy_before = snapshot(&lead.data());
    let again = lead.ok(&["import", p(&source), p(&laptop.data())]);
    assert_eq!(
        again
            .lines()
            .filter(|l| l.starts_with("already here"))
            .count(),
        2,
        "{again}"
    );
    assert!(again.contains("(same content, skipped)"), "{again}");
    assert!(
        again.ends_with("2 sessions: 0 added, 2 already here\n"),
        "{again}"
    );
    assert_eq!(snapshot(&lead.data()), copy_before);
    let listed = lead.ok(&["list"]);
    assert_eq!(listed.lines().count(), 1, "{listed}");
}

#[test]
fn the_same_id_with_other_content_is_kept_beside_and_reported() {
    let site_a = DataHome::empty();
    let site_b = DataHome::empty();
    // Two note-takers began sessions in the same minute with the same label.
    session(&site_a.data(), ID, "AR", &["@P1 from site A"], true);
    session(&site_b.data(), ID, "KM", &["@P4 from site B"], true);
    let lead = DataHome::empty();
    let out = lead.ok(&["import", p(&site_a.data()), p(&site_b.data())]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!("added         {ID}  Group 1 · site CR · by AR")
    );
    assert_eq!(
        lines[1],
        format!(
            "kept beside   {ID}-2  Group 1 · site CR · by KM (differs from {ID} here: both kept, decide which to keep)"
        )
    );
    assert!(lines[2].contains("1 kept beside"), "{out}");
    assert_eq!(
        session_ids(&lead.data()),
        [ID.to_string(), format!("{ID}-2")]
    );
    let b_copy = lead.data().join("sessions").join(format!("{ID}-2"));
    assert_eq!(
        files(&b_copy),
        files(&site_b.data().join("sessions").join(ID))
    );
    // Importing B again finds its copy under the new id.
    let again = lead.ok(&["import", p(&site_b.data())]);
    assert!(
        again.starts_with(&format!("already here  {ID}-2")),
        "{again}"
    );
    assert_eq!(session_ids(&lead.data()).len(), 2);
    // Both read as sessions.
    let listed = lead.ok(&["list"]);
    assert_eq!(listed.lines().count(), 2, "{listed}");
}

#[test]
fn a_session_recorded_further_since_is_brought_up_to_date() {
    let laptop = DataHome::empty();
    let lead = DataHome::empty();
    let source = laptop.data().join("sessions").join(ID);
    {
        let mut s = create(&laptop.data(), ID, GUIDE, at(0), meta("Group 1", "AR"));
        add(
            &mut s,
            at(1),
            Event::Discussing {
                theme: "opening".into(),
            },
        );
        // A copy taken while the session was still going.
        lead.ok(&["import", p(&source)]);
        // A file written since (as a transcript's is) comes in with the records after it.
        fs::write(source.join("transcript-3.json"), b"{}").unwrap();
        add(&mut s, at(50), Event::Ended);
    }
    let out = lead.ok(&["import", p(&source)]);
    assert!(out.starts_with(&format!("updated       {ID}")), "{out}");
    assert!(out.contains("1 brought up to date"), "{out}");
    assert_eq!(
        files(&lead.data().join("sessions").join(ID)),
        files(&source)
    );
    assert_eq!(session_ids(&lead.data()).len(), 1);
    assert!(
        lead.data()
            .join("sessions")
            .join(ID)
            .join("transcript-3.json")
            .is_file()
    );
    assert_eq!(
        hidden_entries(&lead.data().join("sessions").join(ID)),
        Vec::<String>::new(),
        "nothing left under a hidden name"
    );
}

#[test]
fn hundreds_of_sessions_come_in_a_line_each_in_order_and_the_same_one_twice_once() {
    let laptop = DataHome::empty();
    session(&laptop.data(), ID, "AR", &["@P1 first"], true);
    let sessions = laptop.data().join("sessions");
    // More sessions than one batch is synced at a time: 450 copies of the session.
    let ids: Vec<String> = (0..450).map(|i| format!("20261124-{i:04}-group")).collect();
    for id in &ids {
        let dir = sessions.join(id);
        fs::create_dir(&dir).unwrap();
        for (name, bytes) in files(&sessions.join(ID)) {
            fs::write(dir.join(name), bytes).unwrap();
        }
    }
    let bundle = laptop.path("group-1.tgb");
    laptop.ok(&["export", ID, "--format", "bundle", "-o", p(&bundle)]);

    let lead = DataHome::empty();
    // The folder, then the same session as a bundle, then the folder again, in one import.
    let out = lead.ok(&[
        "import",
        p(&laptop.data()),
        p(&bundle),
        p(&sessions.join(ID)),
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 451 + 2 + 1, "{out}");
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.push(ID);
    expected.sort();
    for (line, id) in lines.iter().zip(&expected) {
        assert!(line.starts_with(&format!("added         {id}  ")), "{line}");
    }
    for line in &lines[451..453] {
        assert!(
            line.starts_with(&format!("already here  {ID}  Group 1")),
            "{line}"
        );
    }
    assert_eq!(lines[453], "453 sessions: 451 added, 2 already here");
    assert_eq!(
        session_ids(&lead.data()).len(),
        451,
        "no half or hidden copies"
    );
    for id in &expected {
        let copy = lead.data().join("sessions").join(id);
        assert_eq!(files(&copy), files(&sessions.join(id)));
        assert_private(&copy);
    }
}

#[test]
fn a_bundle_round_trips_byte_for_byte() {
    let laptop = DataHome::empty();
    session(&laptop.data(), ID, "AR", &["@P1 ça va — 😀 #quote"], true);
    let bundle = laptop.path("group-1.tgb");
    laptop.ok(&["export", ID, "--format", "bundle", "-o", p(&bundle)]);
    let mode = fs::metadata(&bundle).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // It is a zip with a manifest of checksums.
    let entries = common::unzip(&fs::read(&bundle).unwrap());
    let manifest: serde_json::Value =
        serde_json::from_str(&entries["topicguide-bundle.json"]).unwrap();
    assert_eq!(manifest["session"], ID);
    assert_eq!(manifest["files"].as_array().unwrap().len(), 2);

    let lead = DataHome::empty();
    let out = lead.ok(&["import", p(&bundle)]);
    assert!(out.starts_with(&format!("added         {ID}")), "{out}");
    let copy = lead.data().join("sessions").join(ID);
    assert_eq!(
        files(&copy),
        files(&laptop.data().join("sessions").join(ID))
    );
    assert_private(&copy);
    assert!(lead.ok(&["import", p(&bundle)]).starts_with("already here"));
}

#[test]
fn a_damaged_bundle_is_refused_and_nothing_is_written() {
    let laptop = DataHome::empty();
    session(&laptop.data(), ID, "AR", &["@P1 hello"], true);
    let bundle = laptop.path("group-1.tgb");
    laptop.ok(&["export", ID, "--format", "bundle", "-o", p(&bundle)]);
    let mut bytes = fs::read(&bundle).unwrap();
    let last = bytes.len() / 2;
    bytes.truncate(last);
    fs::write(&bundle, &bytes).unwrap();
    let lead = DataHome::empty();
    let ran = lead.run(&["import", p(&bundle)]);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    assert!(ran.stderr.contains("not imported"), "{}", ran.stderr);
    assert!(!lead.data().join("sessions").join(ID).exists());
}

/// A new age key pair: (identity file written in `home`, public key).
fn key(home: &DataHome, name: &str) -> (PathBuf, String) {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let path = home.path(name);
    fs::write(
        &path,
        format!(
            "# created for a test\n{}\n",
            identity.to_string().expose_secret()
        ),
    )
    .unwrap();
    (path, identity.to_public().to_string())
}

#[test]
fn an_encrypted_bundle_opens_with_the_right_key_only() {
    let laptop = DataHome::empty();
    session(
        &laptop.data(),
        ID,
        "AR",
        &["@P3 something private #quote"],
        true,
    );
    let lead = DataHome::empty();
    let (lead_key, lead_public) = key(&lead, "lead.key");
    let (other_key, _) = key(&lead, "other.key");
    let bundle = laptop.path("group-1.tgb.age");
    laptop.ok(&[
        "export",
        ID,
        "--format",
        "bundle",
        "--recipient",
        &lead_public,
        "-o",
        p(&bundle),
    ]);
    let sealed = fs::read(&bundle).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
    assert!(
        !String::from_utf8_lossy(&sealed).contains("something private"),
        "the notes are not readable in the file"
    );

    // Without a key, and with the wrong one: refused, nothing written.
    let ran = lead.run(&["import", p(&bundle)]);
    assert_eq!(ran.code, Some(1));
    assert!(ran.stderr.contains("--identity FILE"), "{}", ran.stderr);
    let ran = lead.run(&["import", p(&bundle), "--identity", p(&other_key)]);
    assert_eq!(ran.code, Some(1));
    assert!(
        ran.stderr
            .contains("none of the given identities can open it"),
        "{}",
        ran.stderr
    );
    assert!(!lead.data().join("sessions").exists());

    let out = lead.ok(&["import", p(&bundle), "--identity", p(&lead_key)]);
    assert!(out.starts_with(&format!("added         {ID}")), "{out}");
    assert_eq!(
        files(&lead.data().join("sessions").join(ID)),
        files(&laptop.data().join("sessions").join(ID))
    );
}

#[test]
fn bad_keys_and_missing_paths_are_one_line_errors() {
    let laptop = DataHome::empty();
    session(&laptop.data(), ID, "AR", &[], true);
    let out = laptop.path("x.tgb");
    let ran = laptop.run(&[
        "export",
        ID,
        "--format",
        "bundle",
        "--recipient",
        "age1notakey",
        "-o",
        p(&out),
    ]);
    common::assert_user_error(&ran);
    assert!(ran.stderr.contains("'age1notakey' is not an age recipient"));
    let ran = laptop.run(&["export", ID, "--format", "bundle"]);
    common::assert_user_error(&ran);
    let ran = laptop.run(&["export", ID, "--format", "md", "--recipient", "age1x"]);
    common::assert_user_error(&ran);

    let ran = laptop.run(&["import", "/nonexistent/folder"]);
    assert_eq!(ran.code, Some(1));
    assert!(ran.stderr.contains("/nonexistent/folder"), "{}", ran.stderr);
    // A parsed key of the right kind really is accepted (the check above can fail).
    assert!(age::x25519::Recipient::from_str(&key(&laptop, "k").1).is_ok());
}
