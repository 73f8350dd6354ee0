//! Bundles sealed with age for the trip between sites: encrypted to one or more recipients
//! (`age1...` public keys), opened with an identity file (`AGE-SECRET-KEY-1...`).

use std::io::{Read, Write};
use std::path::Path;
use std::str::FromStr;

/// How every age file begins.
const AGE_MAGIC: &[u8] = b"age-encryption.org/";

/// Why a bundle could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("'{0}' is not an age recipient (an age1... public key)")]
    BadRecipient(String),
    #[error("{path}: {message}")]
    BadIdentityFile { path: String, message: String },
    #[error("{0}: no age identity in it")]
    NoIdentity(String),
    #[error("it is encrypted: give the key it was encrypted to with --identity FILE")]
    NeedsIdentity,
    #[error("none of the given identities can open it (it was encrypted to another key)")]
    WrongKey,
    #[error("cannot decrypt it: {0}")]
    Damaged(String),
    #[error("cannot encrypt: {0}")]
    Encrypt(String),
}

/// Whether `bytes` are an age file.
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_MAGIC)
}

/// The recipients `keys` name; each must be an `age1...` key.
pub fn parse_recipients(keys: &[String]) -> Result<Vec<age::x25519::Recipient>, SealError> {
    keys.iter()
        .map(|k| {
            age::x25519::Recipient::from_str(k.trim())
                .map_err(|_| SealError::BadRecipient(k.trim().to_string()))
        })
        .collect()
}

/// `plain` encrypted so that any one of `recipients` can open it.
pub fn seal(plain: &[u8], recipients: &[age::x25519::Recipient]) -> Result<Vec<u8>, SealError> {
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| SealError::Encrypt(e.to_string()))?;
    let mut sealed = Vec::with_capacity(plain.len() + 1024);
    let mut writer = encryptor
        .wrap_output(&mut sealed)
        .map_err(|e| SealError::Encrypt(e.to_string()))?;
    writer
        .write_all(plain)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|e| SealError::Encrypt(e.to_string()))?;
    Ok(sealed)
}

/// The identities in an age identity file (as `age-keygen` writes it).
pub fn read_identity_file(path: &Path) -> Result<Vec<Box<dyn age::Identity>>, SealError> {
    let shown = path.display().to_string();
    let file =
        age::IdentityFile::from_file(shown.clone()).map_err(|e| SealError::BadIdentityFile {
            path: shown.clone(),
            message: e.to_string(),
        })?;
    let identities = file
        .into_identities()
        .map_err(|e| SealError::BadIdentityFile {
            path: shown.clone(),
            message: e.to_string(),
        })?;
    if identities.is_empty() {
        return Err(SealError::NoIdentity(shown));
    }
    Ok(identities
        .into_iter()
        .map(|i| i as Box<dyn age::Identity>)
        .collect())
}

/// The plain bytes of a sealed bundle, opened with the first of `identities` that fits.
pub fn open(sealed: &[u8], identities: &[Box<dyn age::Identity>]) -> Result<Vec<u8>, SealError> {
    if identities.is_empty() {
        return Err(SealError::NeedsIdentity);
    }
    let decryptor =
        age::Decryptor::new_buffered(sealed).map_err(|e| SealError::Damaged(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref()))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => SealError::WrongKey,
            other => SealError::Damaged(other.to_string()),
        })?;
    let mut plain = Vec::new();
    reader
        .read_to_end(&mut plain)
        .map_err(|e| SealError::Damaged(e.to_string()))?;
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    #[test]
    fn sealed_for_one_key_opens_with_it_and_not_with_another() {
        let right = age::x25519::Identity::generate();
        let wrong = age::x25519::Identity::generate();
        let recipients = parse_recipients(&[right.to_public().to_string()]).unwrap();
        let sealed = seal(b"field notes", &recipients).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.windows(11).any(|w| w == b"field notes"));
        let key = |i: &age::x25519::Identity| -> Vec<Box<dyn age::Identity>> {
            vec![Box::new(
                age::x25519::Identity::from_str(i.to_string().expose_secret()).unwrap(),
            )]
        };
        assert_eq!(open(&sealed, &key(&right)).unwrap(), b"field notes");
        assert!(matches!(
            open(&sealed, &key(&wrong)),
            Err(SealError::WrongKey)
        ));
        assert!(matches!(open(&sealed, &[]), Err(SealError::NeedsIdentity)));
    }

    #[test]
    fn a_bad_recipient_is_named() {
        let err = parse_recipients(&["age1nope".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "'age1nope' is not an age recipient (an age1... public key)"
        );
    }
}
