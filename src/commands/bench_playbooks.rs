//! `cscx bench playbooks`: what playbook trigger evaluation adds to one edit, on the database
//! given by `--db` (made by `cscx generate --customers 100000` for the figures in
//! docs/benchmarks.md).
//!
//! `--samples` customers picked at random (the same ones every run) each get an edit (a new
//! meeting, through the store) and their health recompute, then what the write path runs
//! before commit for playbooks is timed (median, p99): the evaluation alone
//! (`store::playbooks::due_in`: every rule of the workspace's enabled triggers, writing
//! nothing), and evaluation with firing (`store::playbooks::evaluate`: the execution, its
//! step tasks, the bookkeeping). With the triggers as stored, and with every trigger enabled
//! and holding one rule of each kind (the most a workspace can ask for); each twice, a first
//! look (pages perhaps not cached) and the same customers again.
//! Then a full evaluation of every customer, writing nothing (`cscx playbooks --check`).
//!
//! Every edit runs in a write transaction that is rolled back: the database is left as it was.

use super::bench_stats::{Picks, ms, percentile};
use std::io::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use super::Context;
use crate::cli::BenchPlaybooksArgs;
use crate::store::read::book;
use crate::store::write::Finish;
use crate::store::{health_sync, playbooks};

/// One rule of each kind (docs/playbooks.md).
pub const EVERY_RULE: &str = r#"{"rules": [
  {"when": "health_below", "band": "red", "playbook": "renewal-risk"},
  {"when": "health_drop", "points": 15, "playbook": "renewal-risk"},
  {"when": "kpi_critical", "category": "Business Outcomes", "playbook": "renewal-risk"},
  {"when": "renewal_within", "days": 90, "playbook": "renewal-standard-v2"},
  {"when": "low_activation", "playbook": "activation-30d"},
  {"when": "sla_breach", "playbook": "sla-recovery-v1"},
  {"when": "nps_below", "score": 0, "playbook": "voc-quarterly"},
  {"when": "expansion_signal", "playbook": "expansion-seats"}
]}"#;

/// One edit of `id` with its health recompute and playbook evaluation, rolled back; returns
/// (the recompute's time, the evaluation's time, evaluation and firing's time, executions
/// opened).
fn time_one(
    store: &mut crate::store::Store,
    id: &str,
    today: chrono::NaiveDate,
    every_rule: bool,
) -> anyhow::Result<(Duration, Duration, Duration, usize)> {
    use rusqlite::types::Value;
    let (timings, _, _) = store
        .write_or_rollback(|w| {
            if every_rule {
                playbooks::bench_rules(w, EVERY_RULE)?;
            }
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
            let started = Instant::now();
            let moved = health_sync::recompute(w, Some(&[id.to_owned()]))?;
            let health = started.elapsed();
            let started = Instant::now();
            let due = playbooks::due_in(w, id)?;
            let evaluation = started.elapsed();
            std::hint::black_box(due);
            let started = Instant::now();
            let fired = playbooks::evaluate(
                w,
                &[id.to_owned()],
                &moved,
                &playbooks::Clock::wall(w.today()),
            )?;
            // measured, then rolled back: the book stays as it was
            Ok(Finish::Rollback((
                health,
                evaluation,
                started.elapsed(),
                fired.len(),
            )))
        })
        .context("timing one edit")?;
    Ok(timings)
}

pub fn run(ctx: &Context, args: &BenchPlaybooksArgs) -> anyhow::Result<ExitCode> {
    let mut store = super::bench::generated_book(ctx, "bench playbooks")?;
    let reader = store.reader(false)?;
    let customers = book::count(&reader, "customers")?;
    if customers == 0 {
        bail!(
            "{} has no customers: run `cscx generate` first",
            ctx.db.display()
        );
    }
    let executions = book::count(&reader, "playbook_executions")?;
    let (low, high) = book::customer_rowids(&reader)?.unwrap_or((0, 0));
    drop(reader);
    let today = store.today();
    let mut out = std::io::stdout().lock();
    writeln!(out, "database: {}", ctx.db.display())?;
    writeln!(
        out,
        "  {customers} customers, {executions} playbook executions; as of {today}"
    )?;
    let span = u64::try_from(high - low + 1).unwrap_or(1).max(1);
    let mut picks = Picks(0x00C5_C0DE);
    let mut sample = Vec::with_capacity(args.samples);
    for _ in 0..args.samples {
        let rowid = low + i64::try_from(picks.next() % span).unwrap_or(0);
        if let Some(id) = book::customer_at_or_after(&store.reader(false)?, rowid)? {
            sample.push(id);
        }
    }
    writeln!(out, "one edit ({} samples):", sample.len())?;
    for (label, every_rule) in [("triggers as stored", false), ("every rule kind", true)] {
        for pass in ["first look", "again"] {
            let mut health = Vec::with_capacity(sample.len());
            let mut evaluation = Vec::with_capacity(sample.len());
            let mut firing = Vec::with_capacity(sample.len());
            let mut fired = 0usize;
            for id in &sample {
                let (h, e, f, n) = time_one(&mut store, id, today, every_rule)?;
                health.push(h);
                evaluation.push(e);
                firing.push(f);
                fired += n;
            }
            health.sort();
            evaluation.sort();
            firing.sort();
            writeln!(
                out,
                "  {label}, {pass}: evaluation median {}  p99 {};  evaluation + firing median {}  p99 {}  ({fired} of {} edits opened a playbook; health recompute median {})",
                ms(percentile(&evaluation, 50.0)),
                ms(percentile(&evaluation, 99.0)),
                ms(percentile(&firing, 50.0)),
                ms(percentile(&firing, 99.0)),
                sample.len(),
                ms(percentile(&health, 50.0)),
            )?;
            out.flush()?;
        }
    }
    let started = Instant::now();
    let drift = playbooks::drift(&store.reader(false)?, None, today)?;
    let elapsed = started.elapsed();
    writeln!(
        out,
        "full evaluation (playbooks --check): {customers} customers in {:.2} s = {:.0} customers/s ({} missing)",
        elapsed.as_secs_f64(),
        customers as f64 / elapsed.as_secs_f64().max(1e-9),
        drift.len()
    )?;
    Ok(ExitCode::SUCCESS)
}
