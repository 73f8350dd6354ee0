//! The two kinds of failure the command line reports, and their exit codes.

use crate::export::ExportError;
use crate::storage::journal::JournalError;
use crate::storage::session_store::StoreError;
use std::process::ExitCode;

/// A failure, said in one line.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something the user can put right: a bad guide, an unknown session, an invalid option.
    #[error("{0}")]
    User(String),
    /// Problems in a file the user wrote, each already one `FILE:LINE:COL: message` line.
    #[error("{0}")]
    Problems(String),
    /// Whoever read our output stopped reading (`| head`): what they wanted was written.
    #[error("the output was closed")]
    OutputClosed,
    /// Something that should not happen: a disk error, a bug.
    #[error("{0}")]
    Unexpected(String),
}

impl AppError {
    /// A failure to write the command's output: a closed pipe is no failure.
    pub fn output(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            AppError::OutputClosed
        } else {
            AppError::Unexpected(format!("cannot write the output: {e}"))
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            AppError::OutputClosed => ExitCode::SUCCESS,
            AppError::User(_) | AppError::Problems(_) => ExitCode::from(1),
            AppError::Unexpected(_) => ExitCode::from(2),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Io { .. } | StoreError::Journal(JournalError::Io { .. }) => {
                AppError::Unexpected(e.to_string())
            }
            _ => AppError::User(e.to_string()),
        }
    }
}

impl From<JournalError> for AppError {
    fn from(e: JournalError) -> Self {
        AppError::from(StoreError::Journal(e))
    }
}

/// An export that cannot be produced is a bug or an encoder failure, never the user's doing.
impl From<ExportError> for AppError {
    fn from(e: ExportError) -> Self {
        AppError::Unexpected(e.to_string())
    }
}
