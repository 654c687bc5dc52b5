//! `cscx bench ...`: performance measurements whose figures go into docs/benchmarks.md.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::BenchCommand;

pub fn run(ctx: &Context, command: &BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Health(args) => super::bench_health::run(ctx, args),
        BenchCommand::Ui(_) => Err(anyhow!("cscx bench ui is not built yet")),
        BenchCommand::Import(_) => Err(anyhow!("cscx bench import is not built yet")),
    }
}
