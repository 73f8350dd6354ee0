//! The two kinds of failure the command line reports, and their exit codes.

use crate::storage::journal::JournalError;
use crate::storage::session_store::StoreError;
use std::process::ExitCode;

/// A failure, said in one line.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Something the user can put right: a bad guide, an unknown session, an invalid option.
    #[error("{0}")]
    User(String),
    /// Problems in a file the user wrote, each already one `FILE:LINE:COL: message` line.
    #[error("{0}")]
    Problems(String),
    /// Something that should not happen: a disk error, a bug.
    #[error("{0}")]
    Unexpected(String),
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::User(_) | CliError::Problems(_) => ExitCode::from(1),
            CliError::Unexpected(_) => ExitCode::from(2),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Io { .. } | StoreError::Journal(JournalError::Io { .. }) => {
                CliError::Unexpected(e.to_string())
            }
            _ => CliError::User(e.to_string()),
        }
    }
}

impl From<JournalError> for CliError {
    fn from(e: JournalError) -> Self {
        CliError::from(StoreError::Journal(e))
    }
}
