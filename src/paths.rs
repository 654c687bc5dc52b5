//! Where cscx keeps things by default: the platform's data and config directories
//! (`directories`), e.g. `~/.local/share/cscx/cscx.db` and `~/.config/cscx/config.toml` on Linux.

use std::path::PathBuf;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "cscx")
}

/// The default database file. Its directory is created on first use by `store::open`.
pub fn default_db_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("cscx.db"))
}

/// The user's configuration file (keymap overrides, theme, acting user).
pub fn config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}
