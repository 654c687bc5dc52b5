//! `cscx bench ...`: performance measurements whose figures go into docs/benchmarks.md.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::BenchCommand;

pub fn run(_ctx: &Context, command: &BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Health(_) => Err(anyhow!("cscx bench health is not built yet")),
        BenchCommand::Ui(_) => Err(anyhow!("cscx bench ui is not built yet")),
        BenchCommand::Import(args) => super::bench_import::run(_ctx, args),
    }
}
