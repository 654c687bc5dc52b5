//! Health reads: a customer's health inputs (for the engine), its workspace configuration, and
//! the explanation of its score (for the dashboard and `cscx explain`).
//!
//! Every query is an indexed lookup for one customer (prepared once per connection and
//! cached), so gathering a customer's inputs costs the same in a database of ten customers or
//! of a million.

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, OptionalExtension};

use crate::health::config::{self, HealthConfig};
use crate::health::kpi::{Bounds, ReferenceRange};
use crate::health::signals::{self, DayCount, Training};
use crate::health::{Explanation, Inputs, KpiInput, YearMonth, assess};
use crate::store::error::{Result, StoreError};

/// The customer a health computation is about.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRef {
    pub id: String,
    pub name: String,
    pub workspace_id: String,
    /// The stored `customers.health_score`.
    pub health_score: Option<i64>,
}

pub fn customer(conn: &Connection, id: &str) -> Result<Option<CustomerRef>> {
    Ok(conn
        .prepare_cached("SELECT id, name, workspace_id, health_score FROM customers WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(CustomerRef {
                id: r.get(0)?,
                name: r.get(1)?,
                workspace_id: r.get(2)?,
                health_score: r.get(3)?,
            })
        })
        .optional()?)
}

/// A workspace's health configuration, and notes on anything in it that could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceConfig {
    pub config: HealthConfig,
    /// Set when a stored value is invalid (written around the store's checks): the default
    /// replaces it, and the explanation says so.
    pub notes: Vec<String>,
}

/// The health configuration of `workspace_id`; the defaults when it has no `workspace_configs`
/// row.
pub fn config(conn: &Connection, workspace_id: &str) -> Result<WorkspaceConfig> {
    let row: Option<(String, String, i64, i64)> = conn
        .prepare_cached(
            "SELECT category_weights, component_weights, red_below, green_from
             FROM workspace_configs WHERE workspace_id = ?1",
        )?
        .query_row([workspace_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let mut result = WorkspaceConfig {
        config: HealthConfig::default(),
        notes: Vec::new(),
    };
    let Some((categories, components, red, green)) = row else {
        return Ok(result);
    };
    let mut invalid = |e: config::ConfigError| {
        result.notes.push(format!(
            "the workspace's {} is invalid ({}): the default is used",
            e.field, e.reason
        ));
    };
    match config::parse_category_weights(&categories) {
        Ok(w) => result.config.category_weights = w,
        Err(e) => invalid(e),
    }
    match config::parse_component_weights(&components) {
        Ok(w) => result.config.component_weights = w,
        Err(e) => invalid(e),
    }
    match config::check_thresholds(red, green) {
        Ok(t) => result.config.thresholds = t,
        Err(e) => invalid(e),
    }
    Ok(result)
}

/// One stored monthly KPI value with the score and status stored with it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub id: String,
    /// Index into the customer's KPIs (as returned by [`kpis`]).
    pub kpi: usize,
    pub month: YearMonth,
    pub value: Option<f64>,
    pub status: Option<String>,
    pub score: Option<f64>,
}

/// The customer's KPIs (by category, then name) with their reference ranges and values, and
/// every stored monthly row of them.
pub fn kpis(conn: &Connection, customer_id: &str) -> Result<(Vec<KpiInput>, Vec<SeriesRow>)> {
    let mut ids: Vec<String> = Vec::new();
    let mut kpis: Vec<KpiInput> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT k.id, k.kpi_parameter, k.category, k.weight, r.id IS NOT NULL,
                    r.higher_is_better, r.critical_min, r.critical_max, r.risk_min, r.risk_max,
                    r.healthy_min, r.healthy_max
             FROM kpis k LEFT JOIN kpi_reference_ranges r ON r.kpi_name = k.kpi_parameter
             WHERE k.customer_id = ?1
             ORDER BY k.category COLLATE NOCASE, k.kpi_parameter COLLATE NOCASE, k.id",
        )?;
        let mut rows = stmt.query([customer_id])?;
        while let Some(r) = rows.next()? {
            let has_range: bool = r.get(4)?;
            let bounds = |i: usize| -> rusqlite::Result<Bounds> {
                Ok(Bounds::new(r.get(i)?, r.get(i + 1)?))
            };
            let range = if has_range {
                Some(ReferenceRange {
                    higher_is_better: r.get::<_, Option<bool>>(5)?.unwrap_or(true),
                    critical: bounds(6)?,
                    risk: bounds(8)?,
                    healthy: bounds(10)?,
                })
            } else {
                None
            };
            ids.push(r.get(0)?);
            kpis.push(KpiInput {
                name: r.get(1)?,
                category: r.get(2)?,
                weight: r.get(3)?,
                range,
                values: Vec::new(),
            });
        }
    }
    let mut series = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, year, month, value, health_status, health_score
         FROM kpi_time_series WHERE kpi_id = ?1 ORDER BY year, month",
    )?;
    for (index, kpi_id) in ids.iter().enumerate() {
        let mut rows = stmt.query([kpi_id])?;
        while let Some(r) = rows.next()? {
            // the schema's CHECKs keep year and month valid; a row that is not is skipped
            let Some(month) = YearMonth::new(r.get(1)?, r.get(2)?) else {
                continue;
            };
            let value: Option<f64> = r.get(3)?;
            if let Some(v) = value {
                kpis[index].values.push((month, v));
            }
            series.push(SeriesRow {
                id: r.get(0)?,
                kpi: index,
                month,
                value,
                status: r.get(4)?,
                score: r.get(5)?,
            });
        }
    }
    Ok((kpis, series))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The date at the start of `text` (a store date or timestamp), if it has one.
fn leading_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// Adds `(day, count)` rows of one kind of interaction to `days`.
fn add_days(
    days: &mut Vec<DayCount>,
    rows: Vec<(String, u32)>,
    kind: fn(&mut DayCount) -> &mut u32,
) {
    for (text, count) in rows {
        let Some(day) = leading_date(&text) else {
            continue;
        };
        let slot = match days.iter_mut().position(|d| d.day == day) {
            Some(i) => &mut days[i],
            None => {
                days.push(DayCount {
                    day,
                    ..Default::default()
                });
                let last = days.len() - 1;
                &mut days[last]
            }
        };
        *kind(slot) += count;
    }
}

/// Fills the engagement and adoption inputs of `customer_id`: interactions and telemetry
/// days from `from` to `today` (both included), training progress, and adoption scores up to
/// `today`.
pub fn signals(
    conn: &Connection,
    customer_id: &str,
    from: NaiveDate,
    today: NaiveDate,
    inputs: &mut Inputs,
) -> Result<()> {
    let from_text = date_text(from);
    let today_text = date_text(today);
    // timestamps are 'YYYY-MM-DDTHH:MM:SSZ': everything on `today` sorts below the next day
    let end_text = date_text(today.checked_add_days(Days::new(1)).unwrap_or(today));
    let per_day = |sql: &str| -> Result<Vec<(String, u32)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(rusqlite::params![customer_id, from_text, end_text], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    };
    let mut days = Vec::new();
    add_days(
        &mut days,
        per_day(
            "SELECT substr(m.created_at, 1, 10) AS day, count(*)
             FROM agent_sessions s JOIN agent_messages m ON m.session_id = s.id
             WHERE s.customer_id = ?1 AND m.created_at >= ?2 AND m.created_at < ?3
             GROUP BY day",
        )?,
        |d| &mut d.messages,
    );
    // a call took place when it completed; its time is when it completed, else when it was
    // scheduled, else when it was logged
    add_days(
        &mut days,
        per_day(
            "SELECT substr(coalesce(completed_at, scheduled_at, created_at), 1, 10) AS day, count(*)
             FROM calls
             WHERE customer_id = ?1 AND status = 'completed'
               AND coalesce(completed_at, scheduled_at, created_at) >= ?2
               AND coalesce(completed_at, scheduled_at, created_at) < ?3
             GROUP BY day",
        )?,
        |d| &mut d.calls,
    );
    add_days(
        &mut days,
        per_day(
            "SELECT substr(coalesce(scheduled_at, created_at), 1, 10) AS day, count(*)
             FROM meetings
             WHERE customer_id = ?1 AND status IN ('scheduled', 'completed')
               AND coalesce(scheduled_at, created_at) >= ?2
               AND coalesce(scheduled_at, created_at) < ?3
             GROUP BY day",
        )?,
        |d| &mut d.meetings,
    );
    inputs.interactions = days;

    let (modules, mean): (u32, Option<f64>) = conn
        .prepare_cached(
            "SELECT count(*), avg(progress) FROM training_progress WHERE customer_id = ?1",
        )?
        .query_row([customer_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    inputs.training = match (modules, mean) {
        (0, _) | (_, None) => None,
        (modules, Some(mean_progress)) => Some(Training {
            modules,
            mean_progress,
        }),
    };

    let mut stmt = conn.prepare_cached(
        "SELECT score_dt, score_value FROM customer_scores
         WHERE customer_id = ?1 AND score_type = 'adoption' AND score_dt <= ?2",
    )?;
    let scores: Vec<(String, f64)> = stmt
        .query_map([customer_id, today_text.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    inputs.adoption_scores = scores
        .into_iter()
        .filter_map(|(d, v)| Some((leading_date(&d)?, v)))
        .collect();

    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT substr(captured_at, 1, 10) FROM telemetry_metrics
         WHERE customer_id = ?1 AND captured_at >= ?2 AND captured_at < ?3",
    )?;
    let days: Vec<String> = stmt
        .query_map([customer_id, from_text.as_str(), end_text.as_str()], |r| {
            r.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    inputs.telemetry_days = days.iter().filter_map(|d| leading_date(d)).collect();
    let first: Option<String> = conn
        .prepare_cached("SELECT min(captured_at) FROM telemetry_metrics WHERE customer_id = ?1")?
        .query_row([customer_id], |r| r.get(0))?;
    inputs.first_telemetry = first.as_deref().and_then(leading_date);
    Ok(())
}

/// The first day whose interactions matter to a score as of `as_of`.
pub fn window_start(as_of: NaiveDate) -> NaiveDate {
    signals::window_start(as_of)
}

/// The explanation of `customer_id`'s stored score: the one saved with its latest recompute
/// (today's row of the score history, or the latest before it). A customer never scored
/// (no health input at all, or a database from before the engine) is explained as of the
/// real UTC date.
pub fn explanation(conn: &Connection, customer_id: &str) -> Result<Explanation> {
    let stored: Option<String> = conn
        .prepare_cached(
            "SELECT score_breakdown_json FROM customer_scores
             WHERE customer_id = ?1 AND score_type = 'health' AND score_breakdown_json IS NOT NULL
             ORDER BY score_dt DESC LIMIT 1",
        )?
        .query_row([customer_id], |r| r.get(0))
        .optional()?;
    if let Some(text) = stored
        && let Ok(explanation) = serde_json::from_str::<Explanation>(&text)
    {
        return Ok(explanation);
    }
    explanation_as_of(conn, customer_id, chrono::Utc::now().date_naive())
}

/// The explanation of `customer_id`'s score computed now from its inputs, as of `today`.
pub fn explanation_as_of(
    conn: &Connection,
    customer_id: &str,
    today: NaiveDate,
) -> Result<Explanation> {
    let customer = customer(conn, customer_id)?.ok_or_else(|| StoreError::NotFound {
        entity: "customer".into(),
        id: customer_id.into(),
    })?;
    let workspace = config(conn, &customer.workspace_id)?;
    let (kpis, _) = kpis(conn, customer_id)?;
    let mut inputs = Inputs {
        kpis,
        ..Default::default()
    };
    // the previous score is as of the end of last month
    let from = window_start(YearMonth::of(today).prev().last_day());
    signals(conn, customer_id, from, today, &mut inputs)?;
    let mut e = assess::explain(
        &customer.id,
        &customer.name,
        &inputs,
        &workspace.config,
        today,
    );
    e.notes.extend(workspace.notes);
    Ok(e)
}
