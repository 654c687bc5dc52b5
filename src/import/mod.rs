//! Headless import and export (docs/import.md).
//!
//! An import reads files (CSV, TSV, JSON, NDJSON, XLSX), works out which table each file and
//! column is for (`route`, through the seed map for files named after seed tables), orders
//! the files so that referenced rows come first, and loads them in one transaction through
//! the store's bulk write path: one bad row and nothing is written (unless --reject-file sets
//! bad rows aside). Then the health of every customer it touched is recomputed once, in the
//! same transaction.

pub mod cells;
pub mod export;
pub mod formula;
mod kpi;
mod load;
pub mod progress;
pub mod read;
pub mod refs;
pub mod reject;
pub mod report;
pub mod route;
pub mod sample;
pub mod seed_export;
pub mod source;
pub mod target;

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::json;

use crate::store::etl_runs::{self, Direction, EtlRun, Status};
use crate::store::seed_map;
use crate::store::write::{Activity, Finish};
use crate::store::write_bulk::OnConflict;
use crate::store::{Store, StoreError};

pub use report::{Counts, Problem, Report};
pub use source::{Format, Source};

use load::Session;
use progress::Progress;
use read::ReadProblem;
use reject::RejectWriter;
use route::{Route, RouteError};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read every file as this table or seed table (`calls`, `accounts`, `004:users`).
    pub table: Option<String>,
    /// Every file is a KPI workbook of this customer (id or name).
    pub customer: Option<String>,
    pub ignore_unknown: bool,
    pub dry_run: bool,
    pub on_conflict: OnConflict,
    pub reject_file: Option<PathBuf>,
    pub max_errors: usize,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
}

/// Why an import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A mistake in how it was called (exit code 2).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// One file and how it will be read.
enum Plan {
    Table(Source, Route),
    /// A KPI workbook (seed 002's upload flow), see `kpi`.
    Kpi(Source),
}

impl Plan {
    fn source(&self) -> &Source {
        match self {
            Plan::Table(s, _) | Plan::Kpi(s) => s,
        }
    }
}

/// Imports `sources` into `store`. Problems with the data are in the report (and then
/// nothing was written); errors are for what stopped the import itself.
pub fn import(store: &mut Store, sources: &[Source], opts: &Options) -> Result<Report, Failure> {
    let entries = seed_map::entries().map_err(|e| Failure::Usage(format!("the seed map: {e}")))?;
    let catalog = store.catalog_arc();
    let mut early = Vec::new();
    let mut plans = Vec::new();
    for source in sources {
        match plan(source, opts, &catalog, &entries) {
            Ok(p) => plans.push(p),
            Err(PlanError::Usage(m)) => return Err(Failure::Usage(m)),
            Err(PlanError::Problem(p)) => early.push((source.clone(), p)),
        }
    }
    // parents before children, whatever the files are called
    let plans = order(plans, &catalog);

    let total: u64 = plans.iter().map(|p| p.source().len()).sum();
    let progress = Progress::new(total, opts.progress);
    let reject = match &opts.reject_file {
        Some(path) => Some(
            RejectWriter::create(path)
                .map_err(|e| Failure::Usage(format!("--reject-file {}: {e}", path.display())))?,
        ),
        None => None,
    };
    // refused before any file is read: a role that may import nowhere it acts
    store.access()?.may_import().map_err(Failure::Usage)?;
    let started_at = crate::store::ids::now();
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let outcome = store.write_or_rollback(|w| {
        // each row is checked against the import permission of its own workspace
        w.set_importing(true);
        let mut s = Session::new(w, opts, &progress, reject);
        for (source, p) in early {
            s.file_problem(&source, p);
        }
        for plan in &plans {
            match plan {
                Plan::Table(source, route) => s.load_file(source, route)?,
                Plan::Kpi(source) => kpi::load(&mut s, source)?,
            }
        }
        s.finish()?;
        if !s.report.failed {
            // benchmarks and adoption roll-ups before the health they feed
            s.report_recomputed()?;
            s.report.health = s.w.recompute_touched(&s.st)?;
        }
        let keep = !s.report.failed && !opts.dry_run;
        if keep {
            let entry = summary_entry(&s.report);
            s.w.log(entry)?;
            // the run is on record with what it wrote, in the same transaction
            s.w.record_run(&run(&names, &started_at, &s.report, None))?;
        }
        let report = std::mem::take(&mut s.report);
        let reject = s.reject.take();
        Ok(if keep {
            Finish::Commit((report, reject))
        } else {
            Finish::Rollback((report, reject))
        })
    });
    progress.finish();
    let ((mut report, reject), health, committed) = match outcome {
        Ok(done) => done,
        Err(e) => {
            // the transaction rolled back; the failed run is still worth a row
            let failed = Report {
                failed: true,
                ..Default::default()
            };
            if !opts.dry_run {
                let error = e.to_string();
                let _ = store.record_run(&run(&names, &started_at, &failed, Some(error)));
            }
            return Err(e.into());
        }
    };
    report.committed = committed;
    if report.failed && !opts.dry_run {
        // after the rollback, in a transaction of its own: ops see failures too. Not being
        // able to record it does not hide why the import failed.
        let error = first_problems(&report);
        if let Err(e) = store.record_run(&run(&names, &started_at, &report, Some(error))) {
            report.warnings.push(Problem {
                file: "etl_runs".into(),
                line: None,
                column: None,
                message: format!("the failed run could not be recorded: {e}"),
                value: None,
            });
            report.warning_count += 1;
        }
    }
    report.health.extend(health);
    if let Some(r) = reject {
        if committed {
            r.keep()?;
        } else {
            r.discard();
        }
    }
    Ok(report)
}

/// Orders files so that a file comes after the files whose tables it references (a file of
/// 004 users, which also writes memberships, after the workspaces). A cycle between files
/// (users reference workspaces through memberships, workspaces reference users through their
/// owner) is broken at a nullable reference; what remains is taken in table order.
fn order(plans: Vec<Plan>, catalog: &crate::store::Catalog) -> Vec<Plan> {
    let position: HashMap<String, usize> = catalog
        .dependency_order()
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let tables: Vec<Vec<String>> = plans
        .iter()
        .map(|p| match p {
            Plan::Table(_, route) => route.tables().map(str::to_owned).collect(),
            Plan::Kpi(_) => ["kpi_uploads", "kpis", "kpi_time_series"]
                .map(str::to_owned)
                .to_vec(),
        })
        .collect();
    let rank = |i: usize| {
        tables[i]
            .iter()
            .filter_map(|t| position.get(t))
            .max()
            .copied()
            .unwrap_or(0)
    };
    // edges[b] = (a, required): file a writes a table that file b references
    let mut edges: Vec<Vec<(usize, bool)>> = vec![Vec::new(); plans.len()];
    for (b, b_tables) in tables.iter().enumerate() {
        for t in b_tables {
            let Some(table) = catalog.table(t) else {
                continue;
            };
            for fk in &table.foreign_keys {
                // a reference to a later table is checked at the end of the import
                if position.get(&fk.parent) > position.get(t) {
                    continue;
                }
                let required = fk
                    .columns
                    .iter()
                    .all(|c| table.column(c).is_some_and(|c| c.not_null));
                for (a, a_tables) in tables.iter().enumerate() {
                    if a != b && a_tables.contains(&fk.parent) {
                        edges[b].push((a, required));
                    }
                }
            }
        }
    }
    let mut done = vec![false; plans.len()];
    let mut sequence = Vec::with_capacity(plans.len());
    let mut only_required = false;
    while sequence.len() < plans.len() {
        let ready = (0..plans.len())
            .filter(|&b| !done[b])
            .filter(|&b| {
                edges[b]
                    .iter()
                    .all(|&(a, required)| done[a] || (only_required && !required))
            })
            .min_by_key(|&b| (rank(b), b));
        match ready {
            Some(b) => {
                done[b] = true;
                sequence.push(b);
                only_required = false;
            }
            None if !only_required => only_required = true,
            None => {
                let b = (0..plans.len())
                    .filter(|&b| !done[b])
                    .min_by_key(|&b| (rank(b), b))
                    .unwrap_or(0);
                done[b] = true;
                sequence.push(b);
            }
        }
    }
    let mut slots: Vec<Option<Plan>> = plans.into_iter().map(Some).collect();
    sequence
        .into_iter()
        .filter_map(|i| slots[i].take())
        .collect()
}

enum PlanError {
    Usage(String),
    Problem(ReadProblem),
}

fn plan(
    source: &Source,
    opts: &Options,
    catalog: &crate::store::Catalog,
    entries: &[seed_map::Entry],
) -> Result<Plan, PlanError> {
    let mut records = read::open(source).map_err(PlanError::Problem)?;
    // a JSON file's columns are the keys of all its objects
    let mut first = true;
    loop {
        if !first && !matches!(source.format, Format::Json | Format::Ndjson) {
            break;
        }
        first = false;
        match records.advance() {
            Ok(true) => {}
            Ok(false) => break,
            Err(p) if p.fatal => return Err(PlanError::Problem(p)),
            Err(_) => {}
        }
    }
    let columns = records.columns().to_vec();
    if opts.customer.is_some() || kpi::is_workbook(&columns) {
        return Ok(Plan::Kpi(source.clone()));
    }
    let name = opts.table.clone().unwrap_or_else(|| source.stem());
    match route::route(&name, &columns, catalog, entries, opts.ignore_unknown) {
        Ok(route) => Ok(Plan::Table(source.clone(), route)),
        Err(RouteError::NoSuchTable(_)) if opts.table.is_some() => Err(PlanError::Usage(format!(
            "--table {name}: no table or seed table has this name (cscx schema lists them)"
        ))),
        Err(e @ RouteError::NoSuchTable(_)) => {
            Err(PlanError::Usage(format!("{}: {e}", source.name)))
        }
        Err(e) => Err(PlanError::Problem(ReadProblem::fatal(
            Some(1),
            e.to_string(),
        ))),
    }
}

/// The `etl_runs` row of an import that ends now: failed when `error` says why or the
/// report failed (nothing was written then), partial when rows went to the reject file.
fn run(names: &[String], started_at: &str, report: &Report, error: Option<String>) -> EtlRun {
    let failed = report.failed || error.is_some();
    EtlRun {
        direction: Direction::Inbound,
        feed_name: etl_runs::feed_name("import", names),
        started_at: started_at.to_owned(),
        finished_at: crate::store::ids::now(),
        records_read: report.records_read,
        records_written: if failed { 0 } else { report.rows_written() },
        records_rejected: if failed { 0 } else { report.rejected },
        status: match (failed, report.rejected) {
            (true, _) => Status::Failed,
            (false, 0) => Status::Succeeded,
            (false, _) => Status::Partial,
        },
        error,
    }
}

/// `3 problems; first: calls.csv:2:status: ...`, for a failed run's `error`.
fn first_problems(report: &Report) -> String {
    let n = report.problem_count;
    match report.problems.first() {
        Some(p) => format!("{n} problem{}; first: {p}", if n == 1 { "" } else { "s" }),
        None => format!("{n} problems"),
    }
}

/// The one activity_log entry of an import (rows are not logged one by one).
fn summary_entry(report: &Report) -> Activity {
    let tables: serde_json::Map<String, serde_json::Value> = report
        .tables
        .iter()
        .map(|(t, c)| {
            (
                t.clone(),
                json!({"inserted": c.inserted, "updated": c.updated, "skipped": c.skipped,
                       "rejected": c.rejected}),
            )
        })
        .collect();
    let files: Vec<serde_json::Value> = report
        .files
        .iter()
        .map(|(f, origin)| json!({"file": f, "read_as": origin}))
        .collect();
    Activity {
        action: "import".into(),
        entity_type: Some("import".into()),
        new_values: Some(json!({"files": files, "tables": tables, "rejected": report.rejected})),
        ..Default::default()
    }
}

/// Untrusted text (a customer name from a file) made safe to print: see [`crate::sanitize`].
pub fn safe_text(s: &str) -> String {
    crate::sanitize::escaped(s).into_owned()
}
