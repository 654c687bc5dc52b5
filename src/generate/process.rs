//! Process mining (seed 003) per workspace: connectors, analysis jobs over an order-to-cash
//! process with their provenance, the variants found, the cases and their events, and the
//! explanations of bottlenecks. Volumes grow slowly with the run size (jobs per workspace),
//! not with customers: process mining is a workspace's, not an account's.

use std::fmt::Write as _;

use super::Gen;
use super::clock::{DAY, HOUR, MINUTE, Ts};
use super::rng::{Rng, WORLD_STREAM};
use super::world::World;
use crate::mine::order_to_cash::{VARIANT_PATHS, typical_hours};
use crate::mine::variant_hash;
use crate::store::error::Result;

pub const CONNECTORS: &str = "id workspace_id type status config last_sync_at";
pub const ANALYSIS_JOBS: &str = "\
    id workspace_id status created_at started_at finished_at parameters \
    error_message provenance_id";
pub const PROVENANCE: &str = "\
    id analysis_id workspace_id etl_steps schemas mining_config \
    explainability_config created_at";
pub const VARIANTS: &str = "\
    workspace_id analysis_id variant_id variant_hash frequency \
    avg_cycle_time_seconds is_happy_path metadata";
pub const CASES: &str = "\
    workspace_id analysis_id global_case_id start_ts end_ts cycle_time_seconds \
    variant_id variant_hash feature_vector";
pub const EVENTS: &str = "\
    workspace_id analysis_id global_case_id system native_case_id activity \
    timestamp resource_id role org_unit schema_version partition_id attributes";
pub const EXPLAINABILITY: &str = "id analysis_id workspace_id scope target features summary";

/// (activity, system, role, org unit, typical hours until the next step)
fn step_info(activity: &str) -> (&'static str, &'static str, &'static str, i64) {
    let (system, role, unit) = match activity {
        "Create Order" => ("salesforce", "sales rep", "Sales"),
        "Credit Check" => ("sap", "credit analyst", "Finance"),
        "Approve Order" => ("sap", "order manager", "Operations"),
        "Change Order" => ("salesforce", "sales rep", "Sales"),
        "Reject Order" => ("sap", "order manager", "Operations"),
        "Ship Goods" => ("sap", "warehouse", "Logistics"),
        "Return Goods" => ("sap", "warehouse", "Logistics"),
        "Send Invoice" => ("sap", "billing clerk", "Finance"),
        "Payment Reminder" => ("sap", "collections", "Finance"),
        _ => ("sap", "accounts receivable", "Finance"),
    };
    (system, role, unit, typical_hours(activity))
}

const CONNECTOR_TYPES: &[&str] = &["salesforce", "sap", "zendesk", "jira", "snowflake"];

pub fn write(g: &mut Gen<'_>, world: &World) -> Result<()> {
    // a stream of its own, so the shared rows before it do not shift process mining
    let mut rng = Rng::stream(g.seed, WORLD_STREAM ^ 0x5eed);
    let jobs_per_workspace = 2 + world.workspaces.len() as i64 / 2;
    for ws in &world.workspaces {
        let mut picked = Vec::new();
        let k = rng.int(2, 4) as usize;
        rng.sample(CONNECTOR_TYPES.len(), k, &mut picked);
        for &k in &picked {
            let status = *rng.weighted(&[("connected", 80), ("error", 12), ("disabled", 8)]);
            g.buf.json.clear();
            let _ = write!(
                g.buf.json,
                r#"{{"instance":"{}.example","sync":"incremental","objects":["orders","invoices"]}}"#,
                CONNECTOR_TYPES[k]
            );
            let synced =
                (status != "disabled").then(|| Ts::new(g.clock.now - rng.int(MINUTE, 2 * DAY)));
            g.ins.connectors.row(rusqlite::params![
                g.ids.next_id(),
                ws.id,
                CONNECTOR_TYPES[k],
                status,
                g.buf.json,
                synced,
            ])?;
        }
        for j in 0..jobs_per_workspace {
            let last = j == jobs_per_workspace - 1;
            job(g, &mut rng, ws.id, j, jobs_per_workspace, last)?;
        }
    }
    Ok(())
}

fn job(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    workspace: super::ids::Id,
    j: i64,
    jobs: i64,
    last: bool,
) -> Result<()> {
    // jobs run every few weeks; the newest may still be queued or running
    let created = g.clock.now - (jobs - j) * 21 * DAY + rng.int(0, 5) * DAY;
    let status = if last {
        *rng.weighted(&[("succeeded", 60), ("running", 20), ("queued", 20)])
    } else {
        *rng.weighted(&[("succeeded", 90), ("failed", 10)])
    };
    let started = (status != "queued").then(|| created + rng.int(1, 30) * MINUTE);
    let finished = matches!(status, "succeeded" | "failed")
        .then(|| started.unwrap_or(created) + rng.int(5, 90) * MINUTE);
    let id = g.ids.next_id();
    let provenance = (status != "queued").then(|| g.ids.next_id());
    let cases = 150 + rng.int(0, 250);
    g.buf.json.clear();
    let _ = write!(
        g.buf.json,
        r#"{{"process":"order-to-cash","window_days":90,"min_variant_share":0.01,"cases":{cases}}}"#
    );
    let error = (status == "failed").then_some("Connector sap timed out after 3 retries");
    // provenance_id refers forward to the provenance row written next: the reference is
    // deferred to commit, which is how the schema closes the job <-> provenance cycle
    g.ins.analysis_jobs.row(rusqlite::params![
        id,
        workspace,
        status,
        Ts::new(created),
        started.map(Ts::new),
        finished.map(Ts::new),
        g.buf.json,
        error,
        provenance,
    ])?;
    let Some(provenance) = provenance else {
        return Ok(());
    };
    g.ins.provenance.row(rusqlite::params![
        provenance,
        id,
        workspace,
        r#"["extract","normalise timestamps","deduplicate","map case ids"]"#,
        r#"{"events":"v2","cases":"v1"}"#,
        r#"{"algorithm":"inductive miner","noise_threshold":0.2}"#,
        r#"{"method":"shap","top_features":5}"#,
        Ts::new(started.unwrap_or(created)),
    ])?;
    if status != "succeeded" && status != "running" {
        return Ok(());
    }

    // draw every case first (variant, start, hours per step) to know the variants'
    // frequencies and cycle times, which are written before the cases that refer to them
    let window_start = created - 90 * DAY;
    let weights: Vec<(usize, u32)> = VARIANT_PATHS
        .iter()
        .enumerate()
        .map(|(i, (_, w))| (i, *w))
        .collect();
    let mut drawn: Vec<(usize, i64, Vec<i64>)> = Vec::with_capacity(cases as usize);
    for _ in 0..cases {
        let v = *rng.weighted(&weights);
        let start = window_start + rng.int(0, 80 * DAY);
        let gaps = VARIANT_PATHS[v]
            .0
            .iter()
            .map(|a| (step_info(a).3 as f64 * rng.float(0.3, 2.5) * HOUR as f64) as i64)
            .collect();
        drawn.push((v, start, gaps));
    }
    for (v, (path, _)) in VARIANT_PATHS.iter().enumerate() {
        let of_v: Vec<i64> = drawn
            .iter()
            .filter(|(dv, _, _)| *dv == v)
            .map(|(_, _, gaps)| gaps[..gaps.len() - 1].iter().sum())
            .collect();
        let avg = (!of_v.is_empty()).then(|| of_v.iter().sum::<i64>() as f64 / of_v.len() as f64);
        g.buf.a.clear();
        let _ = write!(g.buf.a, "V{:02}", v + 1);
        g.buf.json.clear();
        let _ = write!(g.buf.json, r#"{{"steps":{}}}"#, path.len());
        g.ins.variants.row(rusqlite::params![
            workspace,
            id,
            g.buf.a,
            variant_hash(path),
            of_v.len() as i64,
            avg,
            i64::from(v == 0),
            g.buf.json,
        ])?;
    }
    for (c, (v, start, gaps)) in drawn.iter().enumerate() {
        let path = VARIANT_PATHS[*v].0;
        let cycle: i64 = gaps[..gaps.len() - 1].iter().sum();
        g.buf.a.clear();
        let _ = write!(g.buf.a, "O2C-{:06}", c + 1);
        g.buf.b.clear();
        let _ = write!(g.buf.b, "V{:02}", v + 1);
        g.buf.json.clear();
        let _ = write!(
            g.buf.json,
            "[{},{},{:.2}]",
            path.len(),
            i64::from(path.contains(&"Change Order")),
            rng.float(0.0, 1.0)
        );
        g.ins.cases.row(rusqlite::params![
            workspace,
            id,
            g.buf.a,
            Ts::new(*start),
            Ts::new(start + cycle),
            cycle as f64,
            g.buf.b,
            variant_hash(path),
            g.buf.json,
        ])?;
        let mut t = *start;
        for (k, activity) in path.iter().enumerate() {
            let (system, role, unit, _) = step_info(activity);
            g.buf.c.clear();
            let _ = write!(g.buf.c, "{}-{}", system.to_uppercase(), 100_000 + c);
            g.buf.json.clear();
            let _ = write!(
                g.buf.json,
                r#"{{"amount":{},"currency":"USD"}}"#,
                rng.int(100, 50_000)
            );
            g.buf.json2.clear();
            let _ = write!(g.buf.json2, "user{:03}", rng.int(1, 120));
            g.ins.events.row(rusqlite::params![
                workspace,
                id,
                g.buf.a,
                system,
                g.buf.c,
                activity,
                Ts::new(t),
                g.buf.json2,
                role,
                unit,
                "v2",
                "p0",
                g.buf.json,
            ])?;
            t += gaps[k];
        }
    }
    if status != "succeeded" {
        return Ok(());
    }
    for (scope, target, summary) in [
        (
            "global",
            "cycle_time",
            "Credit checks and order changes explain most of the cycle time.",
        ),
        (
            "bottleneck",
            "Payment Reminder",
            "Late payments add about ten days where reminders are sent.",
        ),
        (
            "bottleneck",
            "Credit Check",
            "Credit checks wait for the finance team's daily batch.",
        ),
        ("case", "O2C-000001", "This case followed the happy path."),
    ] {
        g.ins.explainability.row(rusqlite::params![
            g.ids.next_id(),
            id,
            workspace,
            scope,
            target,
            r#"{"credit_check":0.41,"change_order":0.27,"order_value":0.12}"#,
            summary,
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_hashes_are_stable_and_distinct() {
        let hashes: Vec<String> = VARIANT_PATHS.iter().map(|(p, _)| variant_hash(p)).collect();
        assert_eq!(hashes[0], variant_hash(VARIANT_PATHS[0].0));
        let mut unique = hashes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), hashes.len());
    }
}
