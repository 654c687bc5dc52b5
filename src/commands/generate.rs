//! `cscx generate`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::GenerateArgs;

pub fn run(_ctx: &Context, _args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    Err(anyhow!("cscx generate is not built yet"))
}
