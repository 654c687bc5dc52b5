//! `cscx playbooks [--check] [--customer C]`: evaluate every customer's playbook triggers, or
//! check that the evaluation on every edit left nothing out (docs/playbooks.md).
//!
//! `--check` is a full evaluation that writes nothing (`store::playbooks::drift`): a customer
//! for whom an enabled rule holds, with no open execution of its playbook and none started in
//! its cool-down, is listed, and the exit code is 1. Like health, playbooks depend on the
//! date (a renewal window opens with the calendar): a daily `cscx recompute` (or
//! `cscx playbooks`) opens what the days opened.

use std::io::Write as _;
use std::process::ExitCode;

use super::Context;
use super::explain::clean;
use crate::cli::PlaybooksArgs;
use crate::store::{self, playbooks};

/// How many customers `--check` lists before only counting.
const LISTED: usize = 50;

pub fn run(ctx: &Context, args: &PlaybooksArgs) -> anyhow::Result<ExitCode> {
    let mut store = ctx.open_store("playbooks")?;
    let only: Option<Vec<String>> = match &args.customer {
        Some(text) => Some(vec![
            store::read::lookup::customer(&store.reader(false)?, text)?.0,
        ]),
        None => None,
    };
    let mut out = std::io::stdout().lock();
    if args.check {
        let today = store.today();
        let drift = playbooks::drift(&store.reader(false)?, only.as_deref(), today)?;
        match list_drift(&mut out, &drift, today) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        }
        return Ok(if drift.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let fired = match &only {
        Some(ids) => {
            store.access()?.may_recompute()?;
            store
                .write(|w| playbooks::evaluate(w, ids, &[], &playbooks::Clock::wall(w.today())))?
                .value
        }
        None => playbooks::evaluate_all(&mut store, |_, _| {})?,
    };
    for f in fired.iter().take(LISTED) {
        writeln!(
            out,
            "{}: opened {} ({} step task(s))",
            clean(&f.customer_id),
            clean(&f.playbook_id),
            f.steps
        )?;
    }
    if fired.len() > LISTED {
        writeln!(out, "... and {} more", fired.len() - LISTED)?;
    }
    writeln!(out, "{} playbook execution(s) opened", fired.len())?;
    Ok(ExitCode::SUCCESS)
}

fn list_drift(
    out: &mut impl std::io::Write,
    drift: &[playbooks::Firing],
    today: chrono::NaiveDate,
) -> std::io::Result<()> {
    for d in drift.iter().take(LISTED) {
        writeln!(
            out,
            "{} ({}): {} should be open: {} {}",
            clean(&d.customer_name),
            clean(&d.customer_id),
            clean(&d.rule.playbook),
            clean(&serde_json::to_string(&d.rule.when).unwrap_or_default()),
            clean(&d.values.to_string())
        )?;
    }
    if drift.len() > LISTED {
        writeln!(out, "... and {} more", drift.len() - LISTED)?;
    }
    if drift.is_empty() {
        writeln!(
            out,
            "playbooks are current as of {today}: no customer lacks the execution its triggers open"
        )?;
    } else {
        writeln!(
            out,
            "{} playbook execution(s) missing (as of {today}); run `cscx playbooks` or `cscx recompute`",
            drift.len()
        )?;
    }
    out.flush()
}
