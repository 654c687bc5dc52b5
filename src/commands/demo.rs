//! `cscx demo`: a fresh database from the sample data, then the dashboard.
//!
//! The sample data (`sample-data/`) is built into the binary (`import::sample`), so the demo
//! works from any directory and from an installed binary. An existing database is replaced
//! only with --force or after a yes on the terminal; without a terminal to ask on, the
//! demo refuses (exit code 2) rather than guess.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow};

use super::{Context, UsageError};
use crate::cli::{DemoArgs, UiOptions};
use crate::import::{self, Failure, Options, sample};

pub fn run(ctx: &Context, args: &DemoArgs, ui: &UiOptions) -> anyhow::Result<ExitCode> {
    let path = &ctx.db;
    if path.exists() {
        let taken = super::take_for_replacement(path)?;
        if !args.force && !confirm_replace(path)? {
            super::stderr(&format!("kept {}; nothing changed\n", path.display()));
            return Ok(ExitCode::from(1));
        }
        for suffix in ["", "-wal", "-shm"] {
            let p = format!("{}{suffix}", path.display());
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(anyhow!("removing {p}: {e}")),
            }
        }
        // released before the new file is opened (which joins it as a reader would)
        drop(taken);
    }
    // the sample data names its own workspaces and users: no --user/--workspace here
    let mut store =
        crate::store::open(path).with_context(|| format!("creating {}", path.display()))?;
    let opts = Options {
        max_errors: 20,
        progress: true,
        ..Default::default()
    };
    let report = import::import(&mut store, &sample::sources(), &opts).map_err(|e| match e {
        Failure::Usage(m) => anyhow!(UsageError(m)),
        other => anyhow!(other),
    })?;
    if report.failed {
        super::stderr(&report.problems_text());
        return Err(anyhow!(
            "the sample data did not load (a bug: please report it)"
        ));
    }
    super::stdout(&summary(&store, path)?)?;
    if args.no_open || !std::io::stdout().is_terminal() {
        return Ok(ExitCode::SUCCESS);
    }
    drop(store);
    super::dashboard::run(ctx, ui)
}

/// Asks on the terminal; refuses (usage error) when there is none to ask on.
fn confirm_replace(path: &Path) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(UsageError(format!(
            "{} already exists; pass --force to replace it with the demo database \
             (there is no terminal to ask on)",
            path.display()
        ))
        .into());
    }
    eprint!(
        "{} already exists. Replace it with the demo database? [y/N] ",
        path.display()
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

fn summary(store: &crate::store::Store, path: &Path) -> anyhow::Result<String> {
    let conn = store.conn();
    let n = |sql: &str| -> anyhow::Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let filled = store
        .catalog()
        .tables()
        .map(|t| n(&format!("SELECT count(*) > 0 FROM \"{}\"", t.name)))
        .collect::<anyhow::Result<Vec<i64>>>()?
        .into_iter()
        .sum::<i64>();
    Ok(format!(
        "demo database: {}\n  {} workspaces, {} users, {} customers, {} stakeholders\n  \
         {} calls, {} deals, {} agent sessions, {} pending approvals, {} KPI values\n  \
         {filled} of {} tables hold rows\nopen it with: cscx --db {}\n",
        path.display(),
        n("SELECT count(*) FROM workspaces")?,
        n("SELECT count(*) FROM users")?,
        n("SELECT count(*) FROM customers")?,
        n("SELECT count(*) FROM stakeholders")?,
        n("SELECT count(*) FROM calls")?,
        n("SELECT count(*) FROM deals")?,
        n("SELECT count(*) FROM agent_sessions")?,
        n("SELECT count(*) FROM approvals WHERE status = 'pending'")?,
        n("SELECT count(*) FROM kpi_time_series")?,
        store.catalog().len(),
        path.display(),
    ))
}
