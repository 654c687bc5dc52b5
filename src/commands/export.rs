//! `cscx export`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::ExportArgs;

pub fn run(_ctx: &Context, _args: &ExportArgs) -> anyhow::Result<ExitCode> {
    Err(anyhow!("cscx export is not built yet"))
}
