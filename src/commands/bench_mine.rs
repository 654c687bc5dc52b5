//! `cscx bench mine`: `cscx mine --source events` over a log of `--events` events, timed,
//! with the process's peak memory (VmHWM) while mining.
//!
//! A database without events (or none at `--db`) first gets a synthetic order-to-cash log of
//! that size (`WriteTx::write_synthetic_log`, committed, timed apart). The mining runs in a
//! write transaction that is rolled back, so runs repeat on the same book. Peak memory is
//! reset after the log is written (`/proc/self/clear_refs`), so it is the mining's own.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use super::Context;
use crate::cli::BenchMineArgs;
use crate::store::mine::{MineOptions, Source};
use crate::store::read::book;
use crate::store::write::Finish;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub fn run(ctx: &Context, args: &BenchMineArgs) -> anyhow::Result<ExitCode> {
    let mut store = ctx.open_or_create_store("bench mine")?;
    let mut text = String::new();
    let existing = book::count(&store.reader(false)?, "events")?;
    if existing == 0 {
        let started = Instant::now();
        store.write(|w| w.write_synthetic_log(args.events))?;
        let s = started.elapsed().as_secs_f64();
        let _ = writeln!(
            text,
            "wrote a synthetic log of {} events in {s:.1} s",
            args.events
        );
    } else {
        let _ = writeln!(text, "using the book's events ({existing} in all)");
    }
    super::stdout(&text)?;
    text.clear();
    // the peak from here on is the mining's (Linux: 5 resets VmHWM)
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let opts = MineOptions {
        source: Source::Events,
        analysis: None,
        success: None,
        failure: None,
        bottlenecks: 5,
    };
    let (report, _, _) = store.write_or_rollback(|w| {
        let started = Instant::now();
        let reports = w.mine(&opts)?;
        Ok(Finish::Rollback((reports, started.elapsed())))
    })?;
    let (reports, elapsed) = report;
    for r in &reports {
        super::mine::summary(&mut text, r);
    }
    let events: u64 = reports.iter().map(|r| r.mined.events).sum();
    let cases: u64 = reports.iter().map(|r| r.mined.cases).sum();
    let s = elapsed.as_secs_f64();
    let _ = writeln!(text, "mined {events} events, {cases} cases in {s:.2} s");
    let _ = writeln!(
        text,
        "events/s                 {:>10.0}",
        events as f64 / s.max(1e-9)
    );
    let _ = match peak_rss_mib() {
        Some(mib) => writeln!(text, "peak memory (VmHWM)      {mib:>10.1} MiB"),
        None => writeln!(text, "peak memory: /proc/self/status not readable"),
    };
    super::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
