//! `cscx explain`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::ExplainArgs;

pub fn run(_ctx: &Context, _args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    Err(anyhow!("cscx explain is not built yet"))
}
