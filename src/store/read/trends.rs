//! A customer's health over time: monthly `health_trends` rows (overall and category scores),
//! the 12-month sparkline values of a page of customers, KPIs against their reference ranges
//! and the workspace's band thresholds. (The explanation of a score is `read::health`'s.)

use super::reader::Reader;
use std::collections::HashMap;

use crate::store::db::params_from_iter;

use crate::health::{KpiStatus, Thresholds};
use crate::store::error::Result;

/// One month of a customer's health.
#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    pub overall: Option<f64>,
    /// Every category by name, in the order the workspace weights list them.
    pub categories: Vec<(String, Option<f64>)>,
    pub total_kpis: i64,
    pub valid_kpis: i64,
}

impl Month {
    /// `2026-11`
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// The five seed columns, for rows whose category_scores JSON is empty.
const SEED_CATEGORIES: [(&str, &str); 5] = [
    ("Relationship Strength", "relationship_strength_score"),
    ("Adoption & Engagement", "product_usage_score"),
    ("Support & Experience", "support_score"),
    ("Product Value", "customer_sentiment_score"),
    ("Business Outcomes", "business_outcomes_score"),
];

/// The last `n` months of `customer_id`'s health, oldest first.
/// A customer outside `scope` is not found.
pub fn months(r: &Reader<'_>, customer_id: &str, n: usize) -> Result<Vec<Month>> {
    let (conn, scope) = (r.conn(), r.scope());
    scope.check(conn, "customers", customer_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT year, month, overall_health_score, category_scores, total_kpis, valid_kpis,
                relationship_strength_score, product_usage_score, support_score,
                customer_sentiment_score, business_outcomes_score
         FROM health_trends WHERE customer_id = ?1
         ORDER BY year DESC, month DESC LIMIT ?2",
    )?;
    let mut rows: Vec<Month> = stmt
        .query_map(rusqlite::params![customer_id, n as i64], |r| {
            let json: String = r.get(3)?;
            let mut categories = categories_from_json(&json);
            if categories.is_empty() {
                for (i, (name, _)) in SEED_CATEGORIES.iter().enumerate() {
                    categories.push(((*name).to_owned(), r.get::<_, Option<f64>>(6 + i)?));
                }
            }
            Ok(Month {
                year: r.get(0)?,
                month: r.get(1)?,
                overall: r.get(2)?,
                categories,
                total_kpis: r.get(4)?,
                valid_kpis: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.reverse();
    Ok(rows)
}

/// `{"Name": 61.5, "Other": null}` → pairs in the JSON's order; anything else → empty.
fn categories_from_json(json: &str) -> Vec<(String, Option<f64>)> {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json) {
        Ok(map) => map.into_iter().map(|(k, v)| (k, v.as_f64())).collect(),
        Err(_) => Vec::new(),
    }
}

/// A KPI's latest value against its reference range.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    pub name: String,
    pub category: String,
    pub unit: Option<String>,
    pub higher_is_better: bool,
    pub value: Option<f64>,
    pub status: Option<KpiStatus>,
    pub score: Option<f64>,
    /// `2026-11`, the month of the value.
    pub month: Option<String>,
    pub critical: (Option<f64>, Option<f64>),
    pub risk: (Option<f64>, Option<f64>),
    pub healthy: (Option<f64>, Option<f64>),
}

fn kpi_status(s: Option<String>) -> Option<KpiStatus> {
    s.as_deref().and_then(KpiStatus::from_name)
}

/// Up to `limit` KPIs of the customer with their latest monthly value, by category and name.
/// A customer outside `scope` is not found.
pub fn kpis(r: &Reader<'_>, customer_id: &str, limit: usize) -> Result<Vec<Kpi>> {
    let (conn, scope) = (r.conn(), r.scope());
    scope.check(conn, "customers", customer_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT k.kpi_parameter, k.category, r.unit, ifnull(r.higher_is_better, 1),
                ts.value, ts.health_status, ts.health_score, ts.year, ts.month,
                r.critical_min, r.critical_max, r.risk_min, r.risk_max, r.healthy_min, r.healthy_max
         FROM kpis k
         LEFT JOIN kpi_reference_ranges r ON r.kpi_name = k.kpi_parameter
         LEFT JOIN kpi_time_series ts ON ts.id = (
           SELECT id FROM kpi_time_series WHERE kpi_id = k.id ORDER BY year DESC, month DESC LIMIT 1)
         WHERE k.customer_id = ?1
         ORDER BY k.category, k.kpi_parameter LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![customer_id, limit as i64], |r| {
            let year: Option<i32> = r.get(7)?;
            let month: Option<u32> = r.get(8)?;
            Ok(Kpi {
                name: r.get(0)?,
                category: r.get(1)?,
                unit: r.get(2)?,
                higher_is_better: r.get::<_, i64>(3)? != 0,
                value: r.get(4)?,
                status: kpi_status(r.get(5)?),
                score: r.get(6)?,
                month: year.zip(month).map(|(y, m)| format!("{y:04}-{m:02}")),
                critical: (r.get(9)?, r.get(10)?),
                risk: (r.get(11)?, r.get(12)?),
                healthy: (r.get(13)?, r.get(14)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The band thresholds of every workspace (or of the one given), by workspace id: what the
/// dashboard colours and counts scores by. A workspace without a configuration, or with
/// thresholds the health engine would refuse, has the defaults, as the engine scores it
/// (`read::health::config`, through the same check).
pub fn thresholds(r: &Reader<'_>) -> Result<HashMap<String, Thresholds>> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = Vec::new();
    let visible = scope.workspace_sql("w.id", &mut params);
    let rows: Vec<(String, Option<i64>, Option<i64>)> = conn
        .prepare_cached(&format!(
            "SELECT w.id, c.red_below, c.green_from
             FROM workspaces w LEFT JOIN workspace_configs c ON c.workspace_id = w.id
             WHERE {visible}"
        ))?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(ws, red, green)| {
            let t = red
                .zip(green)
                .and_then(|(r, g)| crate::health::config::check_thresholds(r, g).ok())
                .unwrap_or_default();
            (ws, t)
        })
        .collect())
}
