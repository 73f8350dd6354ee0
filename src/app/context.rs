//! What every command needs to know: the data folder, the config folder and the cache folder.

use super::error::AppError;
use crate::config::{self, Config, ConfigError};
use crate::library::user_guides_dir;
use crate::storage::paths;
use std::path::{Path, PathBuf};

/// Folders resolved once from the options and the environment.
#[derive(Debug, Clone)]
pub struct Context {
    /// None when neither an option, the environment, the config nor the platform names one.
    data_dir: Option<PathBuf>,
    /// Where derived data is cached (the list summaries); None keeps no cache.
    pub cache_dir: Option<PathBuf>,
    /// `<config dir>` of the platform: it holds config.toml and the user's guides.
    pub config_dir: Option<PathBuf>,
    /// The config file `--config` named, if any.
    pub config_file: Option<PathBuf>,
    /// What the config file says (defaults when there is none).
    pub config: Config,
}

impl Context {
    pub fn new(data_dir: Option<&Path>, config_file: Option<&Path>) -> Result<Self, AppError> {
        let config_dir = paths::config_dir();
        let config = match (config_file, &config_dir) {
            (Some(file), _) => config::load(file, true),
            (None, Some(dir)) => config::load(&dir.join("config.toml"), false),
            (None, None) => Ok(Config::default()),
        }
        .map_err(|e| match e {
            ConfigError::Unreadable(line) => AppError::User(line),
            ConfigError::Invalid(lines) => AppError::Problems(lines),
        })?;
        let data_dir = paths::data_dir(data_dir, config.data_dir.as_deref());
        Ok(Context {
            data_dir,
            cache_dir: paths::cache_dir(),
            config_dir,
            config_file: config_file.map(Path::to_path_buf),
            config,
        })
    }

    /// The data folder; an error for the commands that need one when none can be found.
    pub fn data_dir(&self) -> Result<&Path, AppError> {
        self.data_dir.as_deref().ok_or_else(|| {
            AppError::User("no data folder: give --data-dir DIR or set TOPICGUIDE_DATA_DIR".into())
        })
    }

    /// The user's guide folder, `<config dir>/guides`.
    pub fn user_guides_dir(&self) -> Option<PathBuf> {
        self.config_dir.as_deref().map(user_guides_dir)
    }
}
