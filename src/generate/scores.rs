//! Telemetry (monthly totals for a year, daily active users for the last 30 days), dated
//! adoption scores with their components, and benchmarks against the
//! customer's industry and tier cohorts. All follow the customer's latent health month by
//! month (health scores themselves are the health engine's to write).

use std::fmt::Write as _;

use super::Gen;
use super::clock::{self, DAY, Day, HOUR, Ts};
use super::ids::Id;
use super::profile::Profile;
use super::rng::Rng;
use super::world::World;
use crate::store::error::Result;

pub const TELEMETRY_METRICS: &str = "\
    id workspace_id customer_id metric_name metric_value captured_at";
pub const CUSTOMER_SCORES: &str = "\
    customer_id score_dt score_type workspace_id score_value score_breakdown_json";
pub const ADOPTION_COMPONENTS: &str = "\
    customer_id component_id score_dt component_name component_score";
pub const CUSTOMER_BENCHMARKS: &str = "\
    dimension_id customer_id metric_name workspace_id customer_metric_value \
    cohort_avg_value variance";

/// Months of telemetry and of adoption scores.
const TELEMETRY_MONTHS: i64 = 12;
/// Days of daily telemetry before now.
const DAILY_DAYS: i64 = 30;
const SCORE_MONTHS: i64 = 24;

/// (metric, value at full health for a typical account)
const METRICS: &[(&str, f64)] = &[
    ("active_users", 400.0),
    ("api_calls", 250_000.0),
    ("storage_gb", 800.0),
];
const COMPONENTS: &[(&str, &str)] = &[
    ("logins", "Login frequency"),
    ("features", "Feature breadth"),
    ("integrations", "Integrations in use"),
    ("seats", "Seat activation"),
];
/// (metric, cohort average, spread of a customer around its level)
const BENCHMARKS: &[(&str, f64, f64)] = &[
    ("adoption_score", 64.0, 100.0),
    ("nps", 31.0, 120.0),
    ("licence_utilisation", 71.0, 100.0),
];

pub fn write(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    world: &World,
    workspace: Id,
) -> Result<()> {
    if p.prospect {
        return Ok(());
    }
    let first = clock::month_of(p.created);
    let size = [8.0, 3.0, 1.0, 0.3][p.tier];

    // monthly usage totals for a year
    for m in (g.clock.month - TELEMETRY_MONTHS + 1).max(first)..=g.clock.month {
        let at = (clock::month_start(m) + DAY + 2 * HOUR).min(g.clock.now - 1);
        let level = p.level_at(&g.clock, m);
        for (metric, full) in METRICS {
            let value = full * size * (0.2 + level) * rng.float(0.85, 1.15);
            g.ins.telemetry_metrics.row(rusqlite::params![
                g.ids.next_id(),
                workspace,
                p.id,
                metric,
                (value * 10.0).round() / 10.0,
                Ts::new(at),
            ])?;
        }
    }
    // and the daily active users of the last 30 days, on the days the product was used:
    // nearly every day for a healthy, engaged customer, rarely for a dormant or failing one
    let used = (0.15 + 0.85 * p.level()) * if p.recent > 0.0 { 1.0 } else { 0.3 };
    for day in (1..=DAILY_DAYS).rev() {
        let at = g.clock.now - day * DAY + rng.int(HOUR, 23 * HOUR);
        if at < p.created || !rng.chance(used) {
            continue;
        }
        let value = 400.0 * size * (0.2 + p.level()) * rng.float(0.6, 1.1) / 3.0;
        g.ins.telemetry_metrics.row(rusqlite::params![
            g.ids.next_id(),
            workspace,
            p.id,
            "daily_active_users",
            value.round(),
            Ts::new(at),
        ])?;
    }

    for m in (g.clock.month - SCORE_MONTHS + 1).max(first)..=g.clock.month {
        let level = p.level_at(&g.clock, m);
        let score = (100.0 * (level + rng.normal() * 0.05)).clamp(0.0, 100.0);
        g.buf.json.clear();
        g.buf.json.push('{');
        for (k, (id, _)) in COMPONENTS.iter().enumerate() {
            let part = (score + rng.normal() * 8.0).clamp(0.0, 100.0);
            let _ = write!(
                g.buf.json,
                "{}\"{id}\":{:.1}",
                if k > 0 { "," } else { "" },
                part
            );
        }
        g.buf.json.push('}');
        g.ins.customer_scores.row(rusqlite::params![
            p.id,
            Day::new(clock::month_start(m)),
            "adoption",
            workspace,
            (score * 10.0).round() / 10.0,
            g.buf.json,
        ])?;
    }

    // components are reviewed quarterly
    let mut q = clock::quarter_start(g.clock.month - SCORE_MONTHS + 1);
    while q <= g.clock.month {
        if q >= clock::quarter_start(first) {
            let level = p.level_at(&g.clock, q);
            let day = Day::new(clock::month_start(q).max(p.created - p.created.rem_euclid(DAY)));
            for (id, name) in COMPONENTS {
                let value = (100.0 * (level + rng.normal() * 0.1)).clamp(0.0, 100.0);
                g.ins.adoption_components.row(rusqlite::params![
                    p.id,
                    id,
                    day,
                    name,
                    (value * 10.0).round() / 10.0,
                ])?;
            }
        }
        q += 3;
    }

    for dimension in [world.industry_dims[p.industry], world.tier_dims[p.tier]] {
        for (metric, cohort, spread) in BENCHMARKS {
            let value =
                (cohort + (p.level() - 0.62) * spread + rng.normal() * 5.0).clamp(-100.0, 100.0);
            let value = (value * 10.0).round() / 10.0;
            g.ins.customer_benchmarks.row(rusqlite::params![
                dimension,
                p.id,
                metric,
                workspace,
                value,
                cohort,
                ((value - cohort) * 10.0).round() / 10.0,
            ])?;
        }
    }
    Ok(())
}
