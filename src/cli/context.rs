//! What every command needs to know: the data folder and the config folder.

use super::error::CliError;
use crate::library::user_guides_dir;
use crate::storage::paths;
use std::path::{Path, PathBuf};

/// Folders resolved once from the options and the environment.
#[derive(Debug, Clone)]
pub struct Context {
    pub data_dir: PathBuf,
    /// `<config dir>` of the platform: it holds config.toml and the user's guides.
    pub config_dir: Option<PathBuf>,
    /// The config file `--config` named, if any.
    pub config_file: Option<PathBuf>,
}

impl Context {
    pub fn new(data_dir: Option<&Path>, config_file: Option<&Path>) -> Result<Self, CliError> {
        let data_dir = paths::data_dir(data_dir).ok_or_else(|| {
            CliError::User(
                "no data folder: give --data-dir DIR or set TOPICGUIDE_DATA_DIR".to_string(),
            )
        })?;
        Ok(Context {
            data_dir,
            config_dir: paths::config_dir(),
            config_file: config_file.map(Path::to_path_buf),
        })
    }

    /// The user's guide folder, `<config dir>/guides`.
    pub fn user_guides_dir(&self) -> Option<PathBuf> {
        self.config_dir.as_deref().map(user_guides_dir)
    }
}
