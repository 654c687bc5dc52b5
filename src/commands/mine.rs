//! `cscx mine`: mine an event log into an analysis job (docs/mining.md) and print what was
//! found: the variants, the happy path, the bottlenecks.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use super::Context;
use crate::cli::MineArgs;
use crate::store::mine::{MineOptions, MineReport, duration};

/// How many variants the summary lists.
const LISTED: usize = 5;

pub fn options(args: &MineArgs) -> MineOptions {
    MineOptions {
        source: args.source,
        analysis: args.analysis.clone(),
        success: args.success.clone(),
        failure: args.failure.clone(),
        bottlenecks: args.bottlenecks,
    }
}

pub fn run(ctx: &Context, args: &MineArgs) -> anyhow::Result<ExitCode> {
    let mut store = ctx.open_store("mine")?;
    let opts = options(args);
    let started = Instant::now();
    let reports = store.write(|w| w.mine(&opts))?.value;
    let seconds = started.elapsed().as_secs_f64();
    let mut text = String::new();
    for r in &reports {
        summary(&mut text, r);
    }
    let events: u64 = reports.iter().map(|r| r.mined.events).sum();
    let _ = writeln!(
        text,
        "{} job(s), {events} events in {seconds:.2} s ({:.0} events/s)",
        reports.len(),
        events as f64 / seconds.max(1e-9)
    );
    super::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The summary of one job, as `cscx mine` prints it.
pub fn summary(out: &mut String, r: &MineReport) {
    let m = &r.mined;
    let _ = writeln!(
        out,
        "analysis {} (workspace {}{}): {} events, {} cases, {} variants",
        r.job_id,
        r.workspace_id,
        r.from_analysis
            .as_ref()
            .map(|a| format!(", events of {a}"))
            .unwrap_or_default(),
        m.events,
        m.cases,
        m.variants.len()
    );
    match m.happy_path() {
        Some(v) => {
            let _ = writeln!(
                out,
                "  happy path ({} case{}, mean {}): {}",
                v.frequency,
                if v.frequency == 1 { "" } else { "s" },
                duration(v.avg_cycle()),
                v.activities.join(" → ")
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  no happy path: no case reached {}",
                m.success.as_deref().unwrap_or("an end")
            );
        }
    }
    for v in m.variants.iter().take(LISTED) {
        let _ = writeln!(
            out,
            "  {:>7} cases  mean {:>8}  {}{}",
            v.frequency,
            duration(v.avg_cycle()),
            if v.happy { "* " } else { "" },
            v.activities.join(" → ")
        );
    }
    for b in &m.bottlenecks {
        let _ = writeln!(
            out,
            "  bottleneck {} → {}: mean wait {} over {} case{}",
            b.from,
            b.to,
            duration(b.mean_wait),
            b.count,
            if b.count == 1 { "" } else { "s" }
        );
    }
}
