//! A customer's health over time: monthly `health_trends` rows (overall and category scores),
//! the 12-month sparkline values of a page of customers, KPIs against their reference ranges,
//! and the explanation of the current score as stored.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use crate::health::{CategoryScore, Component, Explanation, KpiStatus, Previous, Thresholds};
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
pub fn months(conn: &Connection, customer_id: &str, n: usize) -> Result<Vec<Month>> {
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

/// The overall score of the last `n` months (oldest first) of each customer in `ids`: the
/// sparkline and trend arrow of the visible rows of the customer list.
pub fn sparklines(
    conn: &Connection,
    ids: &[String],
    n: usize,
) -> Result<HashMap<String, Vec<Option<f64>>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT overall_health_score FROM health_trends WHERE customer_id = ?1
         ORDER BY year DESC, month DESC LIMIT ?2",
    )?;
    let mut out = HashMap::with_capacity(ids.len());
    for id in ids {
        let mut values: Vec<Option<f64>> = stmt
            .query_map(rusqlite::params![id, n as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        values.reverse();
        out.insert(id.clone(), values);
    }
    Ok(out)
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
    match s.as_deref() {
        Some("healthy") => Some(KpiStatus::Healthy),
        Some("risk") => Some(KpiStatus::Risk),
        Some("critical") => Some(KpiStatus::Critical),
        _ => None,
    }
}

/// Up to `limit` KPIs of the customer with their latest monthly value, by category and name.
pub fn kpis(conn: &Connection, customer_id: &str, limit: usize) -> Result<Vec<Kpi>> {
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

/// The band thresholds of a workspace (defaults when it has no configuration).
pub fn thresholds(conn: &Connection, workspace_id: Option<&str>) -> Result<Thresholds> {
    let Some(ws) = workspace_id else {
        return Ok(Thresholds::default());
    };
    let found: Option<(i64, i64)> = conn
        .query_row(
            "SELECT red_below, green_from FROM workspace_configs WHERE workspace_id = ?1",
            [ws],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match found {
        Some((red, green)) => Thresholds {
            red_below: u8::try_from(red).unwrap_or(40),
            green_from: u8::try_from(green).unwrap_or(70),
        },
        None => Thresholds::default(),
    })
}

/// The explanation of the customer's current score as the database holds it: the health
/// engine's own (the latest daily `customer_scores` row of type `health` keeps it as JSON),
/// else one pieced together from the stored score and the latest two `health_trends` months
/// (categories with the workspace's weights). None if the customer does not exist.
pub fn stored_explanation(conn: &Connection, customer_id: &str) -> Result<Option<Explanation>> {
    let head: Option<(String, String, Option<f64>)> = conn
        .query_row(
            "SELECT name, workspace_id, health_score FROM customers WHERE id = ?1",
            [customer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((name, workspace_id, score)) = head else {
        return Ok(None);
    };
    let breakdown: Option<String> = conn
        .query_row(
            "SELECT score_breakdown_json FROM customer_scores
             WHERE customer_id = ?1 AND score_type = 'health' AND score_breakdown_json IS NOT NULL
             ORDER BY score_dt DESC LIMIT 1",
            [customer_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(e) = breakdown.and_then(|j| serde_json::from_str::<Explanation>(&j).ok()) {
        return Ok(Some(e));
    }
    let thresholds = thresholds(conn, Some(&workspace_id))?;
    let weights: HashMap<String, f64> = conn
        .query_row(
            "SELECT category_weights FROM workspace_configs WHERE workspace_id = ?1",
            [&workspace_id],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_else(|| {
            [0.20, 0.25, 0.20, 0.20, 0.15]
                .iter()
                .zip(SEED_CATEGORIES)
                .map(|(w, (n, _))| (n.to_owned(), *w))
                .collect()
        });
    let recent = months(conn, customer_id, 2)?;
    let latest = recent.last();
    let previous = (recent.len() == 2)
        .then(|| &recent[0])
        .and_then(|m| m.overall.map(|s| (s, m.label())))
        .map(|(score, as_of)| Previous { score, as_of });
    let categories: Vec<CategoryScore> = latest
        .map(|m| {
            let present: f64 = m
                .categories
                .iter()
                .filter(|(_, s)| s.is_some())
                .map(|(n, _)| weights.get(n).copied().unwrap_or(0.0))
                .sum();
            m.categories
                .iter()
                .map(|(n, s)| {
                    let weight = weights.get(n).copied().unwrap_or(0.0);
                    CategoryScore {
                        name: n.clone(),
                        weight,
                        effective_weight: match s {
                            Some(_) if present > 0.0 => weight / present,
                            _ => 0.0,
                        },
                        score: *s,
                        total_kpis: 0,
                        valid_kpis: 0,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let components = categories
        .iter()
        .map(|c| Component {
            key: c.name.to_lowercase().replace([' ', '&'], "_"),
            label: c.name.clone(),
            weight: c.weight,
            effective_weight: c.effective_weight,
            value: c.score,
            contribution: c.effective_weight * c.score.unwrap_or(0.0),
            detail: match latest {
                Some(m) => format!(
                    "{} of {} KPIs valid in {}",
                    m.valid_kpis,
                    m.total_kpis,
                    m.label()
                ),
                None => String::new(),
            },
        })
        .collect();
    let mut notes = vec![
        "Pieced together from the stored monthly trend; the health engine's own breakdown \
         was not found."
            .to_owned(),
    ];
    if latest.is_none() {
        notes.push("No monthly health trend is stored for this customer.".to_owned());
    }
    Ok(Some(Explanation {
        customer_id: customer_id.to_owned(),
        customer_name: name,
        score,
        band: score.map(|s| thresholds.band(s)),
        thresholds,
        previous,
        components,
        categories,
        crossings: Vec::new(),
        notes,
        ..Default::default()
    }))
}
