//! The explainability rows of a mined log (docs/mining.md, "Explainability"): what goes
//! with long cycles, what goes with the bad outcome, and one row per bottleneck, each with
//! its figures as JSON and a sentence.

use serde_json::{Value as Json, json};

use super::duration;
use crate::mine::{self, Config, Mined};
use crate::store::error::Result;
use crate::store::write::WriteTx;

impl WriteTx<'_> {
    /// The explainability rows: cycle time and outcome (scope global), one per bottleneck.
    pub(super) fn write_explainability(
        &self,
        job: &str,
        workspace: &str,
        mined: &Mined,
        config: &Config,
    ) -> Result<usize> {
        let mut insert = self.conn().prepare(
            "INSERT INTO explainability (id, analysis_id, workspace_id, scope, target, features, summary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut n = 0usize;
        let mut row = |scope: &str, target: &str, features: Json, summary: String| -> Result<()> {
            n += 1;
            insert.execute(rusqlite::params![
                mine::derived_id(&[job, "explainability", &n.to_string()]),
                job,
                workspace,
                scope,
                target,
                features.to_string(),
                summary
            ])?;
            Ok(())
        };
        let cycle: Vec<Json> = mined
            .effects
            .iter()
            .map(|e| {
                json!({
                    "activity": e.activity,
                    "cases_with": e.cases_with,
                    "cases_without": e.cases_without,
                    "mean_cycle_with_seconds": e.mean_cycle_with,
                    "mean_cycle_without_seconds": e.mean_cycle_without,
                    "difference_seconds": e.difference,
                })
            })
            .collect();
        row(
            "global",
            "cycle_time",
            Json::Array(cycle),
            cycle_summary(mined),
        )?;
        let outcome_target = if config.failure.is_some() {
            "churn"
        } else {
            "unsuccessful"
        };
        // the activities that define the outcome say nothing about it
        let defining = [mined.success.as_deref(), config.failure.as_deref()];
        let mut by_lift: Vec<&mine::ActivityEffect> = mined
            .effects
            .iter()
            .filter(|e| !defining.contains(&Some(e.activity.as_str())))
            .collect();
        by_lift.sort_by(|a, b| {
            outcome_rank(b)
                .total_cmp(&outcome_rank(a))
                .then(a.activity.cmp(&b.activity))
        });
        let outcome: Vec<Json> = by_lift
            .iter()
            .map(|e| {
                json!({
                    "activity": e.activity,
                    "cases_with": e.cases_with,
                    "rate_with": e.bad_rate_with,
                    "rate_without": e.bad_rate_without,
                    "lift": e.lift,
                })
            })
            .collect();
        let pct = |r: Option<f64>| 100.0 * r.unwrap_or(0.0);
        let summary = match by_lift.first() {
            Some(e) if outcome_rank(e) == f64::INFINITY => format!(
                "{}: {:.0}% of the cases with it are {outcome_target}, none without",
                e.activity,
                pct(e.bad_rate_with)
            ),
            Some(e) if outcome_rank(e) > 1.0 => format!(
                "{} goes with {outcome_target} cases {:.2}× as often ({:.0}% with, {:.0}% without)",
                e.activity,
                e.lift.unwrap_or(0.0),
                pct(e.bad_rate_with),
                pct(e.bad_rate_without)
            ),
            _ => format!("no activity goes with {outcome_target} cases more often than without"),
        };
        row("global", outcome_target, Json::Array(outcome), summary)?;
        for b in &mined.bottlenecks {
            let target = format!("{} → {}", b.from, b.to);
            let summary = format!(
                "cases wait {} on average from {} to {} (longest {}, {} case{})",
                duration(b.mean_wait),
                b.from,
                b.to,
                duration(b.max_wait as f64),
                b.count,
                if b.count == 1 { "" } else { "s" }
            );
            row(
                "bottleneck",
                &target,
                json!({"from": b.from, "to": b.to, "cases": b.count,
                       "mean_wait_seconds": b.mean_wait, "max_wait_seconds": b.max_wait}),
                summary,
            )?;
        }
        Ok(n)
    }
}

/// How strongly an activity goes with the bad outcome: its lift; infinite when cases with it
/// had the bad outcome and the cases without it (there are some) never did; below everything
/// when there is nothing to compare.
fn outcome_rank(e: &mine::ActivityEffect) -> f64 {
    match (e.lift, e.bad_rate_with, e.bad_rate_without) {
        (Some(l), _, _) => l,
        (None, Some(w), Some(0.0)) if w > 0.0 => f64::INFINITY,
        _ => -1.0,
    }
}

fn cycle_summary(mined: &Mined) -> String {
    match mined.effects.iter().find(|e| e.difference.is_some()) {
        Some(e) => format!(
            "{} goes with cycles {} {} ({} with, {} without)",
            e.activity,
            duration(e.difference.unwrap_or(0.0).abs()),
            if e.difference.unwrap_or(0.0) >= 0.0 {
                "longer"
            } else {
                "shorter"
            },
            duration(e.mean_cycle_with.unwrap_or(0.0)),
            duration(e.mean_cycle_without.unwrap_or(0.0))
        ),
        None => "every case has the same activities".into(),
    }
}
