//! Real names, when a note-taker keeps them at all: one owner-only file per session in a folder
//! of its own beside the sessions, `DATA/private/<session id>.toml`, mapping pseudonym to name.
//! It lives outside the session folder so nothing that reads, exports, bundles or imports a
//! session ever reads it; no export module knows this path.

use super::fs_secure::{create_private_dir_all, make_private, sync_dir, write_private_file};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// The folder of the real-name files, beside `sessions/`.
pub fn private_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("private")
}

/// The real-name file of session `id`.
pub fn names_path(data_dir: &Path, id: &str) -> PathBuf {
    private_dir(data_dir).join(format!("{id}.toml"))
}

/// Writes the real names of session `id` (pseudonym, name), owner-only and synced; nothing when
/// there are none. The file is new: a session's names are written once, at set-up.
pub fn save_real_names(
    data_dir: &Path,
    id: &str,
    names: &[(String, String)],
) -> io::Result<Option<PathBuf>> {
    if names.is_empty() {
        return Ok(None);
    }
    let dir = private_dir(data_dir);
    create_private_dir_all(&dir)?;
    make_private(&dir)?;
    let table: BTreeMap<&str, &str> = names
        .iter()
        .map(|(pseudonym, name)| (pseudonym.as_str(), name.as_str()))
        .collect();
    let mut text = String::from(
        "# Real names of one session's participants, by pseudonym. Kept apart: no export reads this file.\n",
    );
    text.push_str(
        &toml::to_string(&BTreeMap::from([("names", table)]))
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?,
    );
    let path = names_path(data_dir, id);
    write_private_file(&path, text.as_bytes())?;
    sync_dir(&dir)?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn names_are_kept_owner_only_outside_the_session_folders() {
        let data = std::env::temp_dir().join(format!("tg-names-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        let path = save_real_names(
            &data,
            "20260310-1000-group-1",
            &[("P1".into(), "Ann \"Nan\" Lee".into())],
        )
        .unwrap()
        .unwrap();
        assert!(!path.starts_with(data.join("sessions")));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&private_dir(&data)), 0o700);
        let read: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(read["names"]["P1"].as_str(), Some("Ann \"Nan\" Lee"));
        assert_eq!(save_real_names(&data, "x", &[]).unwrap(), None);
        std::fs::remove_dir_all(&data).unwrap();
    }
}
