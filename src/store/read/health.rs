//! Health reads: a customer's health inputs (for the engine), its workspace configuration, and
//! the explanation of its score (for the dashboard and `cscx explain`).
//!
//! Every query is an indexed lookup for one customer (prepared once per connection and
//! cached), so gathering a customer's inputs costs the same in a database of ten customers or
//! of a million.

use super::reader::Reader;
use std::collections::BTreeSet;

use crate::store::db::Connection;
use chrono::{Days, NaiveDate};
use rusqlite::OptionalExtension;
use rusqlite::types::ValueRef;

use crate::health::config::{self, HealthConfig};
use crate::health::kpi::{Bounds, ReferenceRange};
use crate::health::signals::{self, DayCount, Training};
use crate::health::{Explanation, Inputs, KpiInput, KpiStatus, YearMonth, assess};
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

/// Customer `id` as a health computation sees it, if the reader may see it.
pub fn visible_customer(r: &Reader<'_>, id: &str) -> Result<Option<CustomerRef>> {
    if !r.visible("customers", id)? {
        return Ok(None);
    }
    customer(r.conn(), id)
}

pub(crate) fn customer(conn: &Connection, id: &str) -> Result<Option<CustomerRef>> {
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
pub(crate) fn config(conn: &Connection, workspace_id: &str) -> Result<WorkspaceConfig> {
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
    /// The row's rowid (the health engine updates rows by it).
    pub rowid: i64,
    /// Index into the customer's KPIs (as returned by [`kpis`]).
    pub kpi: usize,
    pub month: YearMonth,
    pub value: Option<f64>,
    /// The stored `health_status`.
    pub status: StoredStatus,
    pub score: Option<f64>,
}

/// A stored `health_status`: NULL, one of the three statuses, or something else (which only a
/// write around the store's checks could leave, and which a recompute replaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredStatus {
    Null,
    Status(KpiStatus),
    Other,
}

impl StoredStatus {
    fn read(value: ValueRef<'_>) -> StoredStatus {
        match value {
            ValueRef::Null => StoredStatus::Null,
            ValueRef::Text(t) => std::str::from_utf8(t)
                .ok()
                .and_then(KpiStatus::from_name)
                .map_or(StoredStatus::Other, StoredStatus::Status),
            _ => StoredStatus::Other,
        }
    }

    /// Whether this is exactly `status` (None: NULL).
    pub fn is(self, status: Option<KpiStatus>) -> bool {
        match (self, status) {
            (StoredStatus::Null, None) => true,
            (StoredStatus::Status(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// The customer's KPIs (by category, then name) with their reference ranges and values, and
/// every stored monthly row of them.
pub(crate) fn kpis(
    conn: &Connection,
    customer_id: &str,
) -> Result<(Vec<KpiInput>, Vec<SeriesRow>)> {
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
    if ids.is_empty() {
        return Ok((kpis, series));
    }
    // one pass over the customer's KPI rows; a row belongs to its KPI, found by id without
    // copying the id out of SQLite
    let mut stmt = conn.prepare_cached(
        "SELECT ts.kpi_id, ts.rowid, ts.year, ts.month, ts.value, ts.health_status, ts.health_score
         FROM kpis k CROSS JOIN kpi_time_series ts ON ts.kpi_id = k.id
         WHERE k.customer_id = ?1",
    )?;
    let mut rows = stmt.query([customer_id])?;
    while let Some(r) = rows.next()? {
        let ValueRef::Text(kpi_id) = r.get_ref(0)? else {
            continue;
        };
        let Some(index) = ids.iter().position(|id| id.as_bytes() == kpi_id) else {
            continue;
        };
        // the schema's CHECKs keep year and month valid; a row that is not is skipped
        let Some(month) = YearMonth::new(r.get(2)?, r.get(3)?) else {
            continue;
        };
        let value: Option<f64> = r.get(4)?;
        if let Some(v) = value {
            kpis[index].values.push((month, v));
        }
        series.push(SeriesRow {
            rowid: r.get(1)?,
            kpi: index,
            month,
            value,
            status: StoredStatus::read(r.get_ref(5)?),
            score: r.get(6)?,
        });
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

/// The date at the start of a text value, if it has one.
fn date_of(value: ValueRef<'_>) -> Option<NaiveDate> {
    match value {
        ValueRef::Text(t) => leading_date(std::str::from_utf8(t).ok()?),
        _ => None,
    }
}

/// Adds `(day, count)` rows of one kind of interaction to `days` (merged by day later).
fn add_days(
    days: &mut Vec<DayCount>,
    rows: Vec<(NaiveDate, u32)>,
    kind: fn(&mut DayCount) -> &mut u32,
) {
    for (day, count) in rows {
        let mut d = DayCount {
            day,
            ..Default::default()
        };
        *kind(&mut d) = count;
        days.push(d);
    }
}

/// One entry per day, in date order.
fn merge_days(mut days: Vec<DayCount>) -> Vec<DayCount> {
    days.sort_unstable_by_key(|d| d.day);
    let mut merged: Vec<DayCount> = Vec::with_capacity(days.len());
    for d in days {
        match merged.last_mut() {
            Some(last) if last.day == d.day => {
                last.messages += d.messages;
                last.calls += d.calls;
                last.meetings += d.meetings;
            }
            _ => merged.push(d),
        }
    }
    merged
}

/// Fills the engagement and adoption inputs of `customer_id`: interactions and telemetry
/// days from `from` to `today` (both included), training progress, and adoption scores up to
/// `today`.
pub(crate) fn signals(
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
    let per_day = |sql: &str| -> Result<Vec<(NaiveDate, u32)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params![customer_id, from_text, end_text])?;
        let mut days = Vec::new();
        while let Some(r) = rows.next()? {
            if let Some(day) = date_of(r.get_ref(0)?) {
                days.push((day, r.get(1)?));
            }
        }
        Ok(days)
    };
    let mut days = Vec::new();
    // a message counts when someone took part: the person working the account ('user') or
    // the agent ('agent'). 'system' messages are bookkeeping (a session started, an approval
    // decided): counting them made deciding an approval raise the customer's health.
    // (docs/health.md, "Engagement")
    add_days(
        &mut days,
        per_day(
            "SELECT substr(m.created_at, 1, 10) AS day, count(*)
             FROM agent_sessions s JOIN agent_messages m ON m.session_id = s.id
             WHERE s.customer_id = ?1 AND m.created_at >= ?2 AND m.created_at < ?3
               AND m.role IN ('user', 'agent')
             GROUP BY day",
        )?,
        |d| &mut d.messages,
    );
    // a call took place when it completed; its time is when it completed, else when it was
    // scheduled, else when it was logged. `+status`: never walk the status index (most calls
    // are completed: that would read every call of every customer); the customer's index is
    // the one to use, whatever the statistics say. Same for meetings.
    // (The same goes for every query here: one customer's rows, through its index.)
    add_days(
        &mut days,
        per_day(
            "SELECT substr(coalesce(completed_at, scheduled_at, created_at), 1, 10) AS day, count(*)
             FROM calls
             WHERE customer_id = ?1 AND +status = 'completed'
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
             WHERE customer_id = ?1 AND +status IN ('scheduled', 'completed')
               AND coalesce(scheduled_at, created_at) >= ?2
               AND coalesce(scheduled_at, created_at) < ?3
             GROUP BY day",
        )?,
        |d| &mut d.meetings,
    );
    inputs.interactions = merge_days(days);

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
    let mut rows = stmt.query([customer_id, from_text.as_str(), end_text.as_str()])?;
    inputs.telemetry_days.clear();
    while let Some(r) = rows.next()? {
        if let Some(day) = date_of(r.get_ref(0)?) {
            inputs.telemetry_days.push(day);
        }
    }
    let first: Option<String> = conn
        .prepare_cached("SELECT min(captured_at) FROM telemetry_metrics WHERE customer_id = ?1")?
        .query_row([customer_id], |r| r.get(0))?;
    inputs.first_telemetry = first.as_deref().and_then(leading_date);
    Ok(())
}

/// The months whose `health_trends` row health computes from KPI data: those in which any
/// KPI has a value, up to `current`.
pub fn kpi_months(kpis: &[KpiInput], current: YearMonth) -> BTreeSet<YearMonth> {
    kpis.iter()
        .flat_map(|k| k.values.iter().map(|(m, _)| *m))
        .filter(|m| *m <= current)
        .collect()
}

/// Last month's overall score as `health_trends` recorded it, when health does not compute
/// that month (no KPI data then): the explanation's previous score when it cannot be
/// computed from the inputs (e.g. history imported from seed 002 files).
pub(crate) fn recorded_previous(
    conn: &Connection,
    customer_id: &str,
    kpis: &[KpiInput],
    today: NaiveDate,
) -> Result<Option<f64>> {
    let last = YearMonth::of(today).prev();
    if kpi_months(kpis, last).contains(&last) {
        return Ok(None);
    }
    Ok(conn
        .prepare_cached(
            "SELECT overall_health_score FROM health_trends
             WHERE customer_id = ?1 AND year = ?2 AND month = ?3",
        )?
        .query_row(
            rusqlite::params![customer_id, last.year(), last.month()],
            |r| r.get::<_, Option<f64>>(0),
        )
        .optional()?
        .flatten())
}

/// The first day whose interactions matter to a score as of `as_of`.
pub fn window_start(as_of: NaiveDate) -> NaiveDate {
    signals::window_start(as_of)
}

/// The explanation of `customer_id`'s stored score: the one saved with its latest recompute
/// (today's row of the score history, or the latest before it). A customer never scored
/// (no health input at all, or a database from before the engine) is explained from its
/// inputs as of `today` (the store's clock, `Store::today`: not the wall clock, so a fixed
/// clock gives the same answer any day). The one source of every explanation shown: the
/// dashboard and `cscx explain` both read it here.
/// `NotFound` for a customer the reader may not see, as for one that does not exist.
pub fn explanation(r: &Reader<'_>, customer_id: &str) -> Result<Explanation> {
    r.scope().check(r.conn(), "customers", customer_id)?;
    explanation_at(r.conn(), customer_id, r.today())
}

pub(crate) fn explanation_at(
    conn: &Connection,
    customer_id: &str,
    today: NaiveDate,
) -> Result<Explanation> {
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
    computed_as_of(conn, customer_id, today)
}

/// The explanation of `customer_id`'s score computed now from its inputs, as of `today`
/// (`NotFound` for a customer the reader may not see).
pub fn explanation_as_of(
    r: &Reader<'_>,
    customer_id: &str,
    today: NaiveDate,
) -> Result<Explanation> {
    r.scope().check(r.conn(), "customers", customer_id)?;
    computed_as_of(r.conn(), customer_id, today)
}

fn computed_as_of(conn: &Connection, customer_id: &str, today: NaiveDate) -> Result<Explanation> {
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
    let recorded = recorded_previous(conn, customer_id, &inputs.kpis, today)?;
    let mut e = assess::Scorer::new(&inputs, &workspace.config).explain(
        &customer.id,
        &customer.name,
        today,
        recorded,
    );
    e.notes.extend(workspace.notes);
    Ok(e)
}
