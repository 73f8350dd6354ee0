//! Where topicguide keeps its data, its config and the user's guides.

use directories::ProjectDirs;
use std::path::{Path, PathBuf};

/// Environment variable naming the data folder when `--data-dir` is not given.
pub const DATA_DIR_ENV: &str = "TOPICGUIDE_DATA_DIR";
/// The folder under the data folder that holds one folder per session.
pub const SESSIONS_DIR: &str = "sessions";

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "topicguide")
}

/// The data folder: the option, else the environment variable, else the config file's, else
/// the platform's.
pub fn data_dir(option: Option<&Path>, configured: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = option {
        return Some(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = configured {
        return Some(dir.to_path_buf());
    }
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

/// Environment variable naming the folder for caches (derived data, safe to delete) when the
/// platform's is not wanted.
pub const CACHE_DIR_ENV: &str = "TOPICGUIDE_CACHE_DIR";

/// The folder for caches: the environment variable's, else the platform's
/// (`~/.cache/topicguide` on Linux). Always on this machine, never in the data folder.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CACHE_DIR_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    project_dirs().map(|d| d.cache_dir().to_path_buf())
}

/// The folder of the user's config file and guides (`~/.config/topicguide` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().to_path_buf())
}

/// The folder holding the sessions of a data folder.
pub fn sessions_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(SESSIONS_DIR)
}
