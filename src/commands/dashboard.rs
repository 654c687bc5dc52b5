//! `cscx` with no command: the dashboard.

use std::process::ExitCode;

use super::{Context, UsageError};
use crate::cli::{ThemeName, UiOptions};

pub fn run(ctx: &Context, ui: &UiOptions) -> anyhow::Result<ExitCode> {
    let options = ui_options(ui)?;
    // --user on the command line (or CSCX_USER) wins over the config file's user
    let mut ctx = ctx.clone();
    if ctx.user.is_none() {
        ctx.user = options.user.clone();
    }
    let store = ctx.open_store("dashboard")?;
    crate::tui::run(store, options)?;
    Ok(ExitCode::SUCCESS)
}

/// The command line's dashboard options with the config file's (the command line wins).
pub fn ui_options(ui: &UiOptions) -> anyhow::Result<crate::tui::UiOptions> {
    let config = match crate::paths::config_path() {
        Some(path) => {
            crate::tui::config::load(&path).map_err(|e| UsageError(format!("config: {e}")))?
        }
        None => Default::default(),
    };
    let light = match ui.theme {
        Some(ThemeName::Light) => true,
        Some(ThemeName::Dark) => false,
        None => config.light.unwrap_or(false),
    };
    Ok(crate::tui::UiOptions {
        mine: ui.mine,
        mouse: !ui.no_mouse,
        light,
        // https://no-color.org: set and not empty
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        keymap: config.keymap,
        user: config.user,
        export_dir: config.export_dir,
        aliases: config.aliases,
    })
}
