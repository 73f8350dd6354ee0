//! A session as one file for a USB stick or a secure share: a zip of the session folder with a
//! manifest naming every file's size and SHA-256, checked file by file when it is unpacked.

use super::journal::JOURNAL_FILE;
use super::session_files::{SessionFiles, is_session_file_name};
use super::session_store::GUIDE_FILE;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

/// The manifest's name inside the zip.
pub const MANIFEST_FILE: &str = "topicguide-bundle.json";
/// What the manifest's `format` says.
const FORMAT: &str = "topicguide-bundle";
/// The manifest version this build writes and reads.
const VERSION: u32 = 1;
/// The largest session a bundle may unpack to: far above any real session, well below what
/// would fill a laptop's memory (a zip bomb is refused, not unpacked).
const MAX_UNPACKED_BYTES: u64 = 2 << 30;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    /// The session id, which is also the folder every file sits in inside the zip.
    session: String,
    created_by: String,
    files: Vec<ManifestFile>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestFile {
    path: String,
    bytes: u64,
    sha256: String,
}

/// Why a file is not a bundle this build can unpack.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("not a topicguide bundle ({0})")]
    NotABundle(String),
    #[error("a bundle of a newer topicguide (manifest version {0}); update topicguide to read it")]
    NewerVersion(u32),
    #[error("damaged: {0}")]
    Damaged(String),
    #[error("cannot write the bundle: {0}")]
    Write(String),
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The zip of `files`: the manifest first, then every file under `ID/`.
pub fn write_bundle(files: &SessionFiles) -> Result<Vec<u8>, BundleError> {
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        session: files.id.clone(),
        created_by: format!("topicguide {}", env!("CARGO_PKG_VERSION")),
        files: files
            .files
            .iter()
            .map(|(path, bytes)| ManifestFile {
                path: path.clone(),
                bytes: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            })
            .collect(),
    };
    let write = |e: zip::result::ZipError| BundleError::Write(e.to_string());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    zip.start_file(MANIFEST_FILE, options).map_err(write)?;
    let text =
        serde_json::to_vec_pretty(&manifest).map_err(|e| BundleError::Write(e.to_string()))?;
    zip.write_all(&text)
        .map_err(|e| BundleError::Write(e.to_string()))?;
    for (path, bytes) in &files.files {
        zip.start_file(format!("{}/{path}", files.id), options)
            .map_err(write)?;
        zip.write_all(bytes)
            .map_err(|e| BundleError::Write(e.to_string()))?;
    }
    Ok(zip.finish().map_err(write)?.into_inner())
}

/// The session a bundle holds, every file checked against the manifest: nothing missing,
/// nothing extra, no name leading out of the session folder, every checksum right.
pub fn read_bundle(bytes: &[u8]) -> Result<SessionFiles, BundleError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| BundleError::NotABundle(e.to_string()))?;
    let manifest: Manifest = {
        let mut entry = zip
            .by_name(MANIFEST_FILE)
            .map_err(|_| BundleError::NotABundle(format!("no {MANIFEST_FILE}")))?;
        let mut text = Vec::new();
        entry
            .by_ref()
            .take(1 << 24)
            .read_to_end(&mut text)
            .map_err(|e| BundleError::Damaged(format!("{MANIFEST_FILE}: {e}")))?;
        serde_json::from_slice(&text)
            .map_err(|e| BundleError::NotABundle(format!("{MANIFEST_FILE}: {e}")))?
    };
    if manifest.format != FORMAT {
        return Err(BundleError::NotABundle(format!(
            "its manifest says '{}'",
            manifest.format
        )));
    }
    if manifest.version > VERSION {
        return Err(BundleError::NewerVersion(manifest.version));
    }
    if !is_session_file_name(&manifest.session) || manifest.session.contains('/') {
        return Err(BundleError::Damaged(format!(
            "'{}' is not a session id",
            manifest.session
        )));
    }
    let total: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    if total > MAX_UNPACKED_BYTES {
        return Err(BundleError::Damaged(format!(
            "it claims {total} bytes, more than a session holds"
        )));
    }
    let expected: BTreeMap<String, &ManifestFile> = manifest
        .files
        .iter()
        .map(|f| (format!("{}/{}", manifest.session, f.path), f))
        .collect();
    for name in zip.file_names() {
        let name = name.map_err(|e| BundleError::Damaged(e.to_string()))?;
        if name != MANIFEST_FILE && !expected.contains_key(name.as_ref()) {
            return Err(BundleError::Damaged(format!(
                "'{name}' is not in the manifest"
            )));
        }
    }
    let mut files = BTreeMap::new();
    for (name, listed) in &expected {
        if !is_session_file_name(&listed.path) {
            return Err(BundleError::Damaged(format!(
                "'{}' is not a session file name",
                listed.path
            )));
        }
        let mut entry = zip
            .by_name(name)
            .map_err(|_| BundleError::Damaged(format!("'{}' is missing", listed.path)))?;
        let mut content = Vec::new();
        // One byte more than listed, to see a file that is longer than it says.
        entry
            .by_ref()
            .take(listed.bytes + 1)
            .read_to_end(&mut content)
            .map_err(|e| BundleError::Damaged(format!("{}: {e}", listed.path)))?;
        if content.len() as u64 != listed.bytes || sha256_hex(&content) != listed.sha256 {
            return Err(BundleError::Damaged(format!(
                "'{}' does not match its checksum",
                listed.path
            )));
        }
        files.insert(listed.path.clone(), content);
    }
    if !files.contains_key(JOURNAL_FILE) || !files.contains_key(GUIDE_FILE) {
        return Err(BundleError::Damaged(format!(
            "no {JOURNAL_FILE} and {GUIDE_FILE} in it"
        )));
    }
    Ok(SessionFiles {
        id: manifest.session,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> SessionFiles {
        let mut files = BTreeMap::new();
        files.insert(JOURNAL_FILE.to_string(), b"{\"seq\":1}\n".to_vec());
        files.insert(GUIDE_FILE.to_string(), b"[guide]\ntitle = \"x\"\n".to_vec());
        files.insert("transcript/a.vtt".to_string(), vec![0, 1, 2, 255]);
        SessionFiles {
            id: "20261123-1405-group-1".into(),
            files,
        }
    }

    #[test]
    fn a_bundle_unpacks_to_the_same_files() {
        let bundle = write_bundle(&session()).unwrap();
        assert_eq!(read_bundle(&bundle).unwrap(), session());
    }

    #[test]
    fn a_changed_byte_is_caught() {
        let mut s = session();
        let bundle = write_bundle(&s).unwrap();
        // Rewrite the zip with a changed file under the old manifest.
        let mut zip = zip::ZipArchive::new(Cursor::new(&bundle[..])).unwrap();
        let mut manifest = Vec::new();
        zip.by_name(MANIFEST_FILE)
            .unwrap()
            .read_to_end(&mut manifest)
            .unwrap();
        s.files
            .insert(JOURNAL_FILE.into(), b"{\"seq\":2}\n".to_vec());
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        out.start_file(MANIFEST_FILE, options).unwrap();
        out.write_all(&manifest).unwrap();
        for (path, bytes) in &s.files {
            out.start_file(format!("{}/{path}", s.id), options).unwrap();
            out.write_all(bytes).unwrap();
        }
        let tampered = out.finish().unwrap().into_inner();
        let err = read_bundle(&tampered).unwrap_err().to_string();
        assert!(
            err.contains("journal.jsonl' does not match its checksum"),
            "{err}"
        );
    }

    #[test]
    fn other_zips_are_not_bundles() {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        out.start_file("project.qde", zip::write::SimpleFileOptions::default())
            .unwrap();
        let zip = out.finish().unwrap().into_inner();
        assert!(matches!(read_bundle(&zip), Err(BundleError::NotABundle(_))));
        assert!(matches!(
            read_bundle(b"plain text"),
            Err(BundleError::NotABundle(_))
        ));
    }
}
