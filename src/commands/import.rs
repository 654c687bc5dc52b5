//! `cscx import`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::ImportArgs;

pub fn run(_ctx: &Context, _args: &ImportArgs) -> anyhow::Result<ExitCode> {
    Err(anyhow!("cscx import is not built yet"))
}
