//! What the roll-ups (`store::rollups`) cost on a generated book:
//!
//! ```text
//! cscx --db /tmp/r.db generate --customers 20000
//! cargo run --release --example bench_rollups -- /tmp/r.db
//! ```
//!
//! * one edit of a benchmark value (its whole cohort recomputed), as a write through the
//!   store: median and p99 of 50, each rolled back;
//! * the same for one adoption component (its date rolled up, the customer's health);
//! * the full recompute of every cohort and roll-up (`cscx recompute`'s first step), rolled
//!   back, best of 3; and `recompute --check`'s comparison of all of them.
//!
//! Every write ends in `Finish::Rollback`, so the file is left as it was and runs repeat.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use cscx::store::write::Finish;

type Key = Vec<(String, Value)>;

fn text(v: &str) -> Value {
    Value::Text(v.to_owned())
}

fn summary(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{what}: median {:.2} ms, p99 {:.2} ms ({} runs)",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        times.len()
    );
}

fn main() -> anyhow::Result<()> {
    let path: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: bench_rollups DB (a generated book)"))?;
    let sql = Connection::open(&path)?;
    let counts: (i64, i64, i64) = sql.query_row(
        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM customer_benchmarks),
                (SELECT count(*) FROM adoption_components)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    // the largest cohort: the worst case of one edit
    let cohort: Option<(String, String, i64)> = sql
        .query_row(
            "SELECT dimension_id, metric_name, count(*) FROM customer_benchmarks
              GROUP BY dimension_id, metric_name ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    println!(
        "{} customers, {} benchmark rows, {} adoption components",
        counts.0, counts.1, counts.2
    );
    let mut store = cscx::store::open(&path)?;

    if let Some((dimension, metric, size)) = &cohort {
        let rows: Vec<String> = sql
            .prepare(
                "SELECT customer_id FROM customer_benchmarks
                  WHERE dimension_id = ?1 AND metric_name = ?2 ORDER BY customer_id LIMIT 50",
            )?
            .query_map([dimension, metric], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut times = Vec::new();
        for customer in &rows {
            let key: Key = vec![
                ("dimension_id".into(), text(dimension)),
                ("customer_id".into(), text(customer)),
                ("metric_name".into(), text(metric)),
            ];
            let started = Instant::now();
            store.write_or_rollback(|w| {
                w.update_row(
                    "customer_benchmarks",
                    &key,
                    vec![("customer_metric_value".into(), Value::Real(50.0))],
                )?;
                w.apply_rollups()?;
                Ok(Finish::Rollback(()))
            })?;
            times.push(started.elapsed());
        }
        summary(&format!("one benchmark edit, cohort of {size} rows"), times);
    }

    let components: Vec<(String, String, String)> = sql
        .prepare(
            "SELECT customer_id, component_id, score_dt FROM adoption_components
              ORDER BY rowid LIMIT 50",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    if !components.is_empty() {
        let mut times = Vec::new();
        for (customer, component, date) in &components {
            let key: Key = vec![
                ("customer_id".into(), text(customer)),
                ("component_id".into(), text(component)),
                ("score_dt".into(), text(date)),
            ];
            let started = Instant::now();
            // through the whole write path: roll-up, then the customer's health
            store.write_or_rollback(|w| {
                w.update_row(
                    "adoption_components",
                    &key,
                    vec![("component_score".into(), Value::Real(12.5))],
                )?;
                w.apply_rollups()?;
                let moved = cscx::store::health_sync::after_write(w)?;
                Ok(Finish::Rollback(moved.len()))
            })?;
            times.push(started.elapsed());
        }
        summary("one adoption component edit, roll-up and health", times);
    }

    let mut best = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        store.write_or_rollback(|w| {
            // every cohort and every dated roll-up computed and compared; nothing to write
            w.recompute_rollups(false)?;
            Ok(Finish::Rollback(()))
        })?;
        best = best.min(started.elapsed());
    }
    println!(
        "full roll-up recompute (already current): best of 3 {:.1} ms",
        best.as_secs_f64() * 1000.0
    );
    let started = Instant::now();
    let drift = store.rollup_drift(10)?;
    println!(
        "recompute --check of the roll-ups: {:.1} ms ({} benchmark rows, {} adoption dates differ)",
        started.elapsed().as_secs_f64() * 1000.0,
        drift.benchmark_rows,
        drift.adoption_dates
    );
    Ok(())
}
