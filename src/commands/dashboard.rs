//! `cscx` with no command: the dashboard.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::UiOptions;

pub fn run(_ctx: &Context, _ui: &UiOptions) -> anyhow::Result<ExitCode> {
    Err(anyhow!("the dashboard is not built yet"))
}
