//! `cscx export`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::{Context, UsageError};
use crate::cli::ExportArgs;
use crate::import::export::{self, ExportError};
use crate::import::seed_export;

pub fn run(ctx: &Context, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store("export")?;
    let opts = export::ExportOptions {
        force: args.force,
        keep_formulas: args.keep_formulas,
    };
    let written = if args.as_seed.is_empty() {
        export::export_with(&store, &args.tables, args.format, &args.out, opts)
    } else {
        seed_export::export_as_seed(&store, &args.as_seed, args.format, &args.out, args.force)
    }
    .map_err(|e| match e {
        ExportError::Usage(m) => anyhow!(UsageError(m)),
        other => anyhow!(other),
    })?;
    let rows: u64 = written.iter().map(|(_, n)| n).sum();
    let mut out = String::new();
    for (path, n) in &written {
        out.push_str(&format!("{n:>9}  {}\n", path.display()));
    }
    out.push_str(&format!("{rows:>9}  rows in {} files\n", written.len()));
    super::stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
