//! `cscx import PATH...` (docs/import.md).

use std::process::ExitCode;

use anyhow::anyhow;

use super::{Context, UsageError};
use crate::cli::ImportArgs;
use crate::import::{self, Failure, Options, source};

pub fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let sources = source::collect(&args.paths, args.format).map_err(|e| UsageError(e.0))?;
    if args.customer.is_some() && args.table.is_some() {
        return Err(UsageError(
            "--customer reads KPI workbooks; --table is for table files: pass one of them".into(),
        )
        .into());
    }
    if let Some(reject) = &args.reject_file {
        let inputs: Vec<&std::path::Path> = sources.iter().filter_map(|s| s.path()).collect();
        if let Some(why) =
            import::target::refusal("--reject-file", reject, &ctx.db, &inputs, args.force)
        {
            return Err(UsageError(why).into());
        }
    }
    let mut store = ctx.open_or_create_store("import")?;
    let opts = Options {
        table: args.table.clone(),
        customer: args.customer.clone(),
        ignore_unknown: args.ignore_unknown,
        dry_run: args.dry_run,
        on_conflict: args.on_conflict,
        reject_file: args.reject_file.clone(),
        max_errors: args.max_errors,
        progress: true,
    };
    let report = import::import(&mut store, &sources, &opts).map_err(|e| match e {
        Failure::Usage(m) => anyhow!(UsageError(m)),
        other => anyhow!(other),
    })?;
    super::stderr(&report.problems_text());
    super::stderr(&report.warnings_text());
    // empty when the import failed (see Report::summary)
    super::stdout(&report.summary())?;
    if report.failed {
        return Err(anyhow!(
            "import failed: {} problem{}; nothing was written",
            report.problem_count,
            if report.problem_count == 1 { "" } else { "s" }
        ));
    }
    let rows = |n: u64| format!("{n} row{}", if n == 1 { "" } else { "s" });
    if report.dry_run {
        // a dry run rolls back, and the reject file goes with it: say what would happen,
        // not "see F" (there is no F to see)
        match (&args.reject_file, report.rejected) {
            (Some(f), n) if n > 0 => super::stdout(&format!(
                "dry run: {} would be rejected to {}; the rest are valid; nothing was written\n",
                rows(n),
                f.display()
            ))?,
            _ => super::stdout("dry run: every row is valid; nothing was written\n")?,
        }
    } else if report.rejected > 0
        && let Some(f) = &args.reject_file
    {
        super::stderr(&format!(
            "{} rejected: see {}\n",
            rows(report.rejected),
            f.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
