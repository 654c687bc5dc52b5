//! `cscx recompute`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::RecomputeArgs;

pub fn run(_ctx: &Context, _args: &RecomputeArgs) -> anyhow::Result<ExitCode> {
    Err(anyhow!("cscx recompute is not built yet"))
}
