//! `cscx bench health`: how long health takes on the database given by `--db` (made by
//! `cscx generate --customers 100000` for the figures in the report).
//!
//! * **one customer**: `--samples` customers picked at random each get a new meeting (an
//!   input edit, through the store), then their health is recomputed; the recompute is timed
//!   (median, p99), and so is the edit with its recompute (what a dashboard save costs
//!   before commit). Twice: a first look (pages perhaps not cached), then the same customers
//!   again (an edit of a customer just looked at).
//! * **everyone**: a full recompute (every customer, in `health_sync::BATCH`es): as stored
//!   (nothing to write when the stored health is current), the next day (what a daily
//!   `cscx recompute` does: the windows move and every customer gets today's row), and from
//!   scratch, after clearing every stored score, trend and KPI status, so every row is
//!   written again (what `cscx generate` does once). The first two run as `cscx recompute`
//!   does, with planner threads reading ahead of the writer, and are timed from start to end;
//!   from scratch runs on one thread, and only its recomputes are timed.
//!
//! Every measurement runs in a write transaction that is rolled back: the database is left as
//! it was.

use super::bench_stats::{Picks, ms, percentile};
use std::io::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use super::Context;
use crate::cli::BenchHealthArgs;
use crate::store::health_sync;
use crate::store::read::book;
use crate::store::write::Finish;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    AsStored,
    NextDay,
    FromScratch,
}

/// Gives customer `id` a meeting today (an input edit, through the store) and recomputes its
/// health, rolled back; returns (the recompute's time, the edit's and recompute's time).
fn time_one(
    store: &mut crate::store::Store,
    id: &str,
    today: chrono::NaiveDate,
) -> anyhow::Result<(Duration, Duration)> {
    use rusqlite::types::Value;
    let (timings, _, _) = store
        .write_or_rollback(|w| {
            let started = Instant::now();
            w.insert_row(
                "meetings",
                vec![
                    ("customer_id".into(), Value::Text(id.to_owned())),
                    ("title".into(), Value::Text("bench".into())),
                    ("status".into(), Value::Text("completed".into())),
                    (
                        "scheduled_at".into(),
                        Value::Text(format!("{}T12:00:00Z", today.format("%Y-%m-%d"))),
                    ),
                ],
            )?;
            let recompute_started = Instant::now();
            health_sync::recompute(w, Some(&[id.to_owned()]))?;
            // measured, then rolled back: the book stays as it was
            Ok(Finish::Rollback((
                recompute_started.elapsed(),
                started.elapsed(),
            )))
        })
        .context("timing one customer")?;
    Ok(timings)
}

pub fn run(ctx: &Context, args: &BenchHealthArgs) -> anyhow::Result<ExitCode> {
    let mut store = super::bench::generated_book(ctx, "bench health")?;
    let reader = store.reader(false)?;
    let count = |table: &str| -> anyhow::Result<i64> { Ok(book::count(&reader, table)?) };
    let customers = count("customers")?;
    if customers == 0 {
        bail!(
            "{} has no customers: run `cscx generate` first",
            ctx.db.display()
        );
    }
    let (low, high) = book::customer_rowids(&reader)?.unwrap_or((0, 0));
    let mut out = std::io::stdout().lock();
    writeln!(out, "database: {}", ctx.db.display())?;
    writeln!(
        out,
        "  {customers} customers, {} KPI values, {} agent messages, {} calls, {} meetings, {} telemetry rows",
        count("kpi_time_series")?,
        count("agent_messages")?,
        count("calls")?,
        count("meetings")?,
        count("telemetry_metrics")?,
    )?;
    let today = store.today();
    drop(reader);
    writeln!(out, "  health as of {today}")?;
    out.flush()?;

    // one customer at a time: a random sample of customers, then the same customers again.
    // The first pass reads pages the OS may not have cached (a 100k-customer database does
    // not fit in memory next to everything else); the second is what an edit of a customer
    // just looked at costs.
    let span = u64::try_from(high - low + 1).unwrap_or(1).max(1);
    let mut picks = Picks(0x00C5_C0DE);
    let mut sample = Vec::with_capacity(args.samples);
    for _ in 0..args.samples {
        let rowid = low + i64::try_from(picks.next() % span).unwrap_or(0);
        if let Some(id) = book::customer_at_or_after(&store.reader(false)?, rowid)? {
            sample.push(id);
        }
    }
    writeln!(out, "one customer ({} samples):", args.samples)?;
    for pass in ["first look", "again"] {
        let mut recompute_times = Vec::with_capacity(sample.len());
        let mut edit_times = Vec::with_capacity(sample.len());
        for id in &sample {
            let (recompute, edit) = time_one(&mut store, id, today)?;
            recompute_times.push(recompute);
            edit_times.push(edit);
        }
        recompute_times.sort();
        edit_times.sort();
        writeln!(
            out,
            "  {pass:<10}  recompute median {}  p99 {}   edit + recompute median {}  p99 {}",
            ms(percentile(&recompute_times, 50.0)),
            ms(percentile(&recompute_times, 99.0)),
            ms(percentile(&edit_times, 50.0)),
            ms(percentile(&edit_times, 99.0))
        )?;
        out.flush()?;
    }

    // everyone: as stored (nothing to write when current), the next day (the daily
    // `cscx recompute`: windows move, today's rows are new), and from scratch. Like
    // `cscx recompute`, a batch of customers per transaction (health_sync::recompute_all);
    // each batch is rolled back.
    let ids = health_sync::customer_ids(&store.reader(false)?)?;
    for scenario in [Scenario::AsStored, Scenario::NextDay, Scenario::FromScratch] {
        store.set_today(match scenario {
            Scenario::NextDay => today.succ_opt(),
            _ => Some(today),
        });
        let mut elapsed = Duration::ZERO;
        let mut moved = 0usize;
        // as `cscx recompute` does it: planner threads read ahead of the writer
        // (health_sync/pipeline.rs), timed from start to end, waits for plans included. From
        // scratch clears the stored health inside each batch's transaction, which a planner
        // on its own connection cannot see: that one is timed on the one-thread path.
        let planners = if scenario == Scenario::FromScratch
            || ids.len() <= health_sync::BATCH
            || !health_sync::can_open_twice(store.path())
        {
            0
        } else {
            health_sync::planners()
        };
        if planners > 0 {
            let started = Instant::now();
            let path = store.path().to_owned();
            let mut pipeline = health_sync::Pipeline::start(
                &store,
                &path,
                ids.clone(),
                health_sync::BATCH,
                store.today(),
                planners,
            )?;
            while let Some(batch) = pipeline.next_batch()? {
                store
                    .write_or_rollback(|w| {
                        moved += pipeline.apply(w, batch)?.len();
                        Ok(Finish::Rollback(()))
                    })
                    .context("timing a full recompute")?;
            }
            elapsed = started.elapsed();
        } else {
            for chunk in ids.chunks(health_sync::BATCH) {
                store
                    .write_or_rollback(|w| {
                        if scenario == Scenario::FromScratch {
                            health_sync::forget(w, chunk)?;
                        }
                        let started = Instant::now();
                        moved += health_sync::recompute(w, Some(chunk))?.len();
                        elapsed += started.elapsed();
                        Ok(Finish::Rollback(()))
                    })
                    .context("timing a full recompute")?;
            }
        }
        let rate = customers as f64 / elapsed.as_secs_f64().max(1e-9);
        writeln!(
            out,
            "everyone, {}: {customers} customers in {:.2} s = {rate:.0} customers/s ({moved} scores moved{})",
            match scenario {
                Scenario::AsStored => "as stored",
                Scenario::NextDay => "the next day",
                Scenario::FromScratch => "from scratch (every row written)",
            },
            elapsed.as_secs_f64(),
            if planners > 0 {
                format!("; {planners} planner threads")
            } else {
                String::new()
            }
        )?;
        out.flush()?;
    }
    store.set_today(None);
    Ok(ExitCode::SUCCESS)
}
