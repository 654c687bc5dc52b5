//! `cscx export`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::{Context, UsageError};
use crate::cli::ExportArgs;
use crate::import::export::{self, ExportError};

pub fn run(ctx: &Context, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    if !ctx.db.exists() {
        return Err(UsageError(format!("{}: no such database", ctx.db.display())).into());
    }
    let store = ctx.open_store("export")?;
    let written =
        export::export(&store, &args.tables, args.format, &args.out).map_err(|e| match e {
            ExportError::Usage(m) => anyhow!(UsageError(m)),
            other => anyhow!(other),
        })?;
    let rows: u64 = written.iter().map(|(_, n)| n).sum();
    for (path, n) in &written {
        println!("{n:>9}  {}", path.display());
    }
    println!("{rows:>9}  rows in {} files", written.len());
    Ok(ExitCode::SUCCESS)
}
