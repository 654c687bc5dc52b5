//! `cscx recompute [--check] [--customer C]`: recompute health from scratch, or check that
//! what is stored equals a recompute.
//!
//! Both go through `store::health_sync`'s one comparison: `--check` lists what a recompute
//! would write (and the derived customer columns that drifted) and exits 1 if there is
//! anything; without `--check` it is written, a batch of customers per transaction
//! (`health_sync::recompute_all`; `--customer`: one transaction).
//!
//! Health depends on the date ("the last 30 days"): a score computed yesterday and not touched
//! since can differ from today's recompute. `--check` reports that too, because the stored
//! score is then out of date; a daily `cscx recompute` keeps every score current.

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use super::Context;
use super::explain::clean;
use crate::cli::RecomputeArgs;
use crate::store::{self, health_sync};

/// How many drifted customers `--check` lists before only counting.
const LISTED: usize = 50;

pub fn run(ctx: &Context, args: &RecomputeArgs) -> anyhow::Result<ExitCode> {
    let mut store = ctx.open_store("recompute")?;
    let only: Option<Vec<String>> = match &args.customer {
        Some(text) => Some(vec![
            store::read::lookup::customer(&store.reader(false)?, text)?.0,
        ]),
        None => None,
    };
    let mut out = std::io::stdout().lock();
    // references broken outside cscx: a recompute would fail on them, so neither --check
    // nor a recompute pretends otherwise; both name the rows
    let (broken, listed) = store.dangling_references(LISTED)?;
    if broken > 0 {
        let mut text = format!(
            "{broken} row(s) refer to rows that do not exist (changed outside cscx, with \
             foreign keys off):\n"
        );
        for d in &listed {
            text.push_str(&format!("  {d}\n"));
        }
        if broken > listed.len() {
            text.push_str(&format!("  ... and {} more\n", broken - listed.len()));
        }
        text.push_str("fix or delete these rows (PRAGMA foreign_key_check lists them), then run cscx recompute");
        return Err(anyhow::anyhow!(text));
    }

    if args.check {
        let today = store.today();
        // a read: what the actor sees
        let drift = health_sync::drift(&store.reader(false)?, only.as_deref(), today)?;
        // the derived customer columns are a whole-table check: only without --customer
        let derived = if only.is_none() {
            store.derived_drift()?
        } else {
            Vec::new()
        };
        // benchmarks and adoption roll-ups (store::rollups): whole-file too
        let rollups = if only.is_none() {
            store.rollup_drift(LISTED)?
        } else {
            store::rollups::Drift::default()
        };
        let current = drift.is_empty() && derived.is_empty() && rollups.is_empty();
        match list_rollup_drift(&mut out, &rollups)
            .and_then(|()| list_drift(&mut out, &drift, &derived, rollups.is_empty(), today))
        {
            // a reader that stopped reading (`recompute --check | head`) does not change the
            // verdict: a check that found drift still fails, quietly (commands::run would
            // turn the error into success)
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        }
        return Ok(if current {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }

    // the roll-ups first: a moved adoption score is a health input (store::rollups)
    let rolled = if only.is_none() {
        store.write(|w| w.recompute_rollups(true))?.value
    } else {
        store::rollups::Recomputed::default()
    };
    let mut count: i64 = 0;
    let moved = match &only {
        Some(ids) => {
            count = ids.len() as i64;
            health_sync::recompute_some(&mut store, ids)?
        }
        None => {
            // in batches: see health_sync::recompute_all
            let on_terminal = std::io::stderr().is_terminal();
            health_sync::recompute_all(&mut store, |done, total| {
                count = total as i64;
                if on_terminal && (done % (20 * health_sync::BATCH) == 0 || done == total) {
                    eprint!("\rrecomputing health: {done} of {total}");
                    if done == total {
                        eprintln!();
                    }
                }
            })?
        }
    };
    // time-based playbook triggers (renewal windows) open with the calendar, not with an
    // edit: the daily recompute evaluates every customer (docs/playbooks.md)
    let opened = match &only {
        Some(ids) => {
            store
                .write(|w| {
                    store::playbooks::evaluate(
                        w,
                        ids,
                        &moved,
                        &store::playbooks::Clock::wall(w.today()),
                    )
                })?
                .value
        }
        None => store::playbooks::evaluate_all(&mut store, |_, _| {})?,
    };
    let mut derived_fixed = 0usize;
    if only.is_none() {
        store.write(|w| {
            derived_fixed = w.derived_drift()?.len();
            if derived_fixed > 0 {
                w.recompute_derived()?;
            }
            Ok(())
        })?;
    }
    for m in moved.iter().take(LISTED) {
        let show = |v: Option<i64>| v.map_or("—".to_owned(), |v| v.to_string());
        writeln!(
            out,
            "{}: {} → {}",
            clean(&m.customer_name),
            show(m.before),
            show(m.after)
        )?;
    }
    if moved.len() > LISTED {
        writeln!(out, "... and {} more", moved.len() - LISTED)?;
    }
    if rolled.benchmark_rows > 0 || rolled.adoption_customers > 0 {
        writeln!(
            out,
            "roll-ups: {} benchmark row(s) and the adoption scores of {} customer(s) corrected",
            rolled.benchmark_rows, rolled.adoption_customers
        )?;
    }
    writeln!(
        out,
        "recomputed {count} customer(s): {} score(s) moved{}{}",
        moved.len(),
        if derived_fixed > 0 {
            format!(", derived columns of {derived_fixed} customer(s) corrected")
        } else {
            String::new()
        },
        if opened.is_empty() {
            String::new()
        } else {
            format!("; {} playbook execution(s) opened", opened.len())
        }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `--check`'s listing of the benchmarks and adoption scores that differ from a recompute.
fn list_rollup_drift(
    out: &mut impl std::io::Write,
    drift: &store::rollups::Drift,
) -> std::io::Result<()> {
    for line in &drift.listed {
        writeln!(out, "{}", clean(line))?;
    }
    let listed = drift.listed.len() as u64;
    let all = drift.benchmark_rows + drift.adoption_dates;
    if all > listed {
        writeln!(out, "... and {} more", all - listed)?;
    }
    if !drift.is_empty() {
        writeln!(
            out,
            "{} benchmark row(s) and {} adoption score(s) differ from their roll-up; run `cscx recompute`",
            drift.benchmark_rows, drift.adoption_dates
        )?;
    }
    Ok(())
}

/// `--check`'s listing: each customer that drifted and how, then the verdict.
fn list_drift(
    out: &mut impl std::io::Write,
    drift: &[health_sync::Drift],
    derived: &[String],
    rollups_current: bool,
    today: chrono::NaiveDate,
) -> std::io::Result<()> {
    for d in drift.iter().take(LISTED) {
        writeln!(
            out,
            "{} ({}):",
            clean(&d.customer_name),
            clean(&d.customer_id)
        )?;
        for line in &d.differences {
            writeln!(out, "  {}", clean(line))?;
        }
    }
    if drift.len() > LISTED {
        writeln!(out, "... and {} more", drift.len() - LISTED)?;
    }
    for id in derived.iter().take(LISTED) {
        writeln!(
            out,
            "{}: renewal_date or open_approvals differs from its definition",
            clean(id)
        )?;
    }
    if derived.len() > LISTED {
        writeln!(out, "... and {} more", derived.len() - LISTED)?;
    }
    if drift.is_empty() && derived.is_empty() && rollups_current {
        writeln!(out, "health is current as of {today}: nothing to recompute")?;
    } else if drift.is_empty() && derived.is_empty() {
        writeln!(
            out,
            "health is current as of {today}; the roll-ups above are not"
        )?;
    } else {
        writeln!(
            out,
            "{} customer(s) with stale health, {} with stale derived columns (as of {today}); run `cscx recompute`",
            drift.len(),
            derived.len()
        )?;
    }
    out.flush()
}
