//! Bundles: a session folder packed (and sealed) for `export --format bundle`, and the bundle
//! files `import` is given, unpacked.

use super::error::AppError;
use crate::storage::bundle::{read_bundle, write_bundle};
use crate::storage::sealed::{is_sealed, open, parse_recipients, seal};
use crate::storage::session_files::{SessionFiles, read_session_folder};
use std::path::Path;

/// The bundle of the session folder `dir`, encrypted to `recipients` when there are any. The
/// folder is only read: a live session is bundled as it stands, without taking its lock.
pub fn bundle_bytes(dir: &Path, recipients: &[String]) -> Result<Vec<u8>, AppError> {
    let recipients = parse_recipients(recipients).map_err(|e| AppError::User(e.to_string()))?;
    let files = read_session_folder(dir).map_err(|e| AppError::User(e.to_string()))?;
    let bundle = write_bundle(&files).map_err(|e| AppError::Unexpected(e.to_string()))?;
    if recipients.is_empty() {
        Ok(bundle)
    } else {
        seal(&bundle, &recipients).map_err(|e| AppError::Unexpected(e.to_string()))
    }
}

/// The session in the bundle file `bytes`, opened with `identities` if it is sealed.
pub fn unpack(bytes: &[u8], identities: &[Box<dyn age::Identity>]) -> Result<SessionFiles, String> {
    let plain;
    let zip = if is_sealed(bytes) {
        plain = open(bytes, identities).map_err(|e| e.to_string())?;
        &plain[..]
    } else {
        bytes
    };
    read_bundle(zip).map_err(|e| e.to_string())
}
