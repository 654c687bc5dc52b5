//! `cscx export`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::{Context, UsageError};
use crate::cli::ExportArgs;
use crate::import::export::{self, ExportError};
use crate::import::seed_export;
use crate::store::etl_runs::{self, Direction, EtlRun, Status};

pub fn run(ctx: &Context, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let mut store = ctx.open_store("export")?;
    let started_at = crate::store::ids::now();
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
        other => {
            record(&mut store, &started_at, &[], Some(other.to_string()));
            anyhow!(other)
        }
    })?;
    record(&mut store, &started_at, &written, None);
    let rows: u64 = written.iter().map(|(_, n)| n).sum();
    let mut out = String::new();
    for (path, n) in &written {
        out.push_str(&format!("{n:>9}  {}\n", path.display()));
    }
    out.push_str(&format!("{rows:>9}  rows in {} files\n", written.len()));
    super::stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Records the export in `etl_runs` (`store::etl_runs`: as the store's bookkeeping, so a
/// viewer's export is on record too). An export is a read, and readers do not wait for a
/// writer: when another writer holds the file, the run goes unrecorded, the files are still
/// good, and stderr says so.
fn record(
    store: &mut crate::store::Store,
    started_at: &str,
    written: &[(std::path::PathBuf, u64)],
    error: Option<String>,
) {
    let rows: u64 = written.iter().map(|(_, n)| n).sum();
    let names: Vec<String> = written
        .iter()
        .filter_map(|(p, _)| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let run = EtlRun {
        direction: Direction::Outbound,
        feed_name: etl_runs::feed_name("export", &names),
        started_at: started_at.to_owned(),
        finished_at: crate::store::ids::now(),
        records_read: rows,
        records_written: rows,
        records_rejected: 0,
        status: if error.is_some() {
            Status::Failed
        } else {
            Status::Succeeded
        },
        error,
    };
    if let Err(e) = store.record_run_without_waiting(&run) {
        super::stderr(&format!(
            "warning: the export could not be recorded in etl_runs: {e}\n"
        ));
    }
}
