//! `cscx bench writers`: several cscx writers on one book at once (`--writers` threads, each
//! with its own connection, as many cscx processes would have), for `--seconds`, on SQLite
//! or PostgreSQL alike.
//!
//! Each writer loops: three times in four it logs a call for a customer picked at random
//! (through the store's one write path, so the customer's health is recomputed in the same
//! transaction); once in four it adds one to a counter every writer shares (a call's
//! duration), the way a form saves: it read the call earlier, and saves with
//! `update_unless_changed`, reading again and retrying when another writer got there first.
//! At the end the counter must equal the increments the writers were told succeeded and the
//! calls on record the calls they logged: a difference is a lost update. Any other error a
//! writer meets (a deadlock, a busy book) is counted as surfaced.
//!
//! The run then deletes what it wrote (through the store, so health follows) and checks that
//! every stored health score still equals a full recompute.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::Context;
use super::bench_stats::{Picks, ms, percentile};
use crate::cli::BenchWritersArgs;
use crate::store::entities::Call;
use crate::store::read::book;
use crate::store::{self, StoreError, health_sync};

/// A customer a writer logs calls for: (customer id, workspace id, the user who logs).
type Target = (String, String, String);

/// What one writer did.
#[derive(Default)]
struct Tally {
    calls: Vec<String>,
    increments: u64,
    conflicts: u64,
    surfaced: Vec<String>,
    latencies: Vec<Duration>,
}

/// How many customers the writers spread their calls over.
const TARGETS: i64 = 1000;

pub fn run(ctx: &Context, args: &BenchWritersArgs) -> anyhow::Result<ExitCode> {
    let mut store = super::bench::generated_book(ctx, "bench writers")?;
    let engine = match store.engine() {
        store::db::Engine::Sqlite => "SQLite",
        store::db::Engine::Postgres => "PostgreSQL",
    };
    let targets = targets(&store)?;
    if targets.is_empty() {
        anyhow::bail!(
            "no customer with a workspace and a user to log calls as: generate a book first"
        );
    }
    let (customer, workspace, user) = targets[0].clone();
    let counter = store
        .write(|w| {
            w.create(&Call {
                workspace_id: workspace,
                user_id: user,
                customer_id: Some(customer),
                prospect_name: "bench writers: the shared counter".into(),
                call_duration: Some(0),
                ..Default::default()
            })
        })
        .context("creating the shared counter")?
        .value;

    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let tallies: Vec<anyhow::Result<Tally>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..args.writers)
            .map(|n| {
                let (targets, counter, stop) = (&targets, &counter, &stop);
                scope.spawn(move || writer(ctx, n, targets, counter, stop))
            })
            .collect();
        std::thread::sleep(Duration::from_secs(args.seconds));
        stop.store(true, Ordering::Relaxed);
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a writer panicked")))
            })
            .collect()
    });
    let elapsed = started.elapsed();
    let mut all = Tally::default();
    for t in tallies {
        let t = t?;
        all.calls.extend(t.calls);
        all.increments += t.increments;
        all.conflicts += t.conflicts;
        all.surfaced.extend(t.surfaced);
        all.latencies.extend(t.latencies);
    }

    // what the book holds now, against what the writers were told
    let held: Call = store.write(|w| w.get(&counter))?.value;
    let counted = u64::try_from(held.call_duration.unwrap_or(0)).unwrap_or(0);
    let on_record = calls_on_record(&store, &all.calls)?;
    let lost = all.increments.abs_diff(counted) + (all.calls.len() as u64).abs_diff(on_record);

    // leave the book as it was, then check its health against a full recompute
    let mut mine = all.calls.clone();
    mine.push(counter);
    for chunk in mine.chunks(500) {
        store.write(|w| {
            for id in chunk {
                w.delete::<Call>(id)?;
            }
            Ok(())
        })?;
    }
    let drift = health_sync::drift(&store.reader(false)?, None, store.today())?;

    all.latencies.sort();
    let writes = all.calls.len() as u64 + all.increments;
    let secs = elapsed.as_secs_f64().max(1e-9);
    let mut out = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "{engine}: {} writers for {:.1} s on {}",
        args.writers,
        secs,
        store::redacted(&ctx.db)
    );
    let _ = writeln!(
        out,
        "  {writes} writes = {:.0} writes/s ({} calls logged with their health, {} counter \
         increments after {} conflicts retried)",
        writes as f64 / secs,
        all.calls.len(),
        all.increments,
        all.conflicts
    );
    let _ = writeln!(
        out,
        "  write latency median {}  p99 {}",
        ms(percentile(&all.latencies, 50.0)),
        ms(percentile(&all.latencies, 99.0))
    );
    let _ = writeln!(
        out,
        "  lost updates: {lost} (counter {counted} of {} increments; {on_record} of {} calls on record)",
        all.increments,
        all.calls.len()
    );
    let _ = writeln!(out, "  errors surfaced: {}", all.surfaced.len());
    for e in all.surfaced.iter().take(5) {
        let _ = writeln!(out, "    {e}");
    }
    let _ = writeln!(
        out,
        "  after cleaning up: {} customers whose stored health differs from a full recompute",
        drift.len()
    );
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(
        if lost == 0 && all.surfaced.is_empty() && drift.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}

/// Customers the actor may see, with a workspace and someone to log a call as (the actor
/// when there is one).
fn targets(store: &store::Store) -> anyhow::Result<Vec<Target>> {
    let me = store.actor().user_id.clone();
    let found = book::call_targets(&store.reader(false)?, TARGETS)?;
    Ok(found
        .into_iter()
        .filter_map(|(customer, workspace, user)| {
            me.clone().or(user).map(|u| (customer, workspace, u))
        })
        .collect())
}

/// How many of `ids` are calls the book holds.
fn calls_on_record(store: &store::Store, ids: &[String]) -> anyhow::Result<u64> {
    Ok(book::present(&store.reader(false)?, "calls", ids)?)
}

/// One writer's loop, on a connection of its own, until `stop`.
fn writer(
    ctx: &Context,
    n: usize,
    targets: &[Target],
    counter: &str,
    stop: &AtomicBool,
) -> anyhow::Result<Tally> {
    let mut store = ctx.open_store("bench writers")?;
    // waiting for the others is the point of the run, not news: said by nobody
    store.set_wait(Some(store::wait::WaitForWriter {
        label: "bench writers".into(),
        bound: Duration::from_secs(60),
        report: |_| {},
    }));
    let mut picks = Picks(0xC5C0 + n as u64);
    let mut tally = Tally::default();
    let mut op = 0u64;
    while !stop.load(Ordering::Relaxed) {
        op += 1;
        let started = Instant::now();
        if op.is_multiple_of(4) {
            match increment(&mut store, counter, &mut tally.conflicts) {
                Ok(()) => tally.increments += 1,
                Err(e) => tally.surfaced.push(format!("writer {n}: increment: {e}")),
            }
        } else {
            let (customer, workspace, user) =
                &targets[(picks.next() % targets.len() as u64) as usize];
            let logged = store.write(|w| {
                w.create(&Call {
                    workspace_id: workspace.clone(),
                    user_id: user.clone(),
                    customer_id: Some(customer.clone()),
                    prospect_name: format!("bench writer {n}"),
                    notes: Some(format!("call {op} of writer {n}")),
                    ..Default::default()
                })
            });
            match logged {
                Ok(w) => tally.calls.push(w.value),
                Err(e) => tally.surfaced.push(format!("writer {n}: call: {e}")),
            }
        }
        tally.latencies.push(started.elapsed());
    }
    Ok(tally)
}

/// Adds one to the counter as a form would: from what was read, unless another writer
/// changed it since (then read again and retry).
fn increment(store: &mut store::Store, counter: &str, conflicts: &mut u64) -> store::Result<()> {
    loop {
        let base: Call = store.write(|w| w.get(counter))?.value;
        let mut next = base.clone();
        next.call_duration = Some(base.call_duration.unwrap_or(0) + 1);
        match store.write(|w| w.update_unless_changed(counter, &base, &next)) {
            Ok(_) => return Ok(()),
            Err(StoreError::Conflict { .. }) => *conflicts += 1,
            Err(e) => return Err(e),
        }
    }
}
