//! What a rule reads of a customer (its columns, latest KPIs, its score on a day) and
//! whether the rule holds for it, or is blocked (an open execution, the cool-down).

use super::*;

/// The customer columns a rule reads.
pub(super) struct Customer {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) workspace_id: String,
    pub(super) health: Option<i64>,
    pub(super) renewal_date: Option<String>,
    pub(super) eligible: bool,
}

pub(super) fn customer(conn: &Connection, id: &str) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name, workspace_id, health_score, renewal_date,
                    status <> 'churned' AND stage <> 'churned'
             FROM customers WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Customer {
                id: r.get(0)?,
                name: r.get(1)?,
                workspace_id: r.get(2)?,
                health: r.get(3)?,
                renewal_date: r.get(4)?,
                eligible: r.get(5)?,
            })
        })
        .optional()?)
}

/// A KPI's latest month up to today.
pub(super) struct Kpi {
    pub(super) name: String,
    pub(super) category: String,
    pub(super) value: Option<f64>,
    pub(super) status: Option<String>,
}

pub(super) fn latest_kpis(conn: &Connection, customer: &str, today: NaiveDate) -> Result<Vec<Kpi>> {
    use chrono::Datelike;
    let mut stmt = conn.prepare_cached(
        "SELECT k.kpi_parameter, k.category, s.value, s.health_status
         FROM kpis k
         JOIN kpi_time_series s ON s.rowid = (
           SELECT s2.rowid FROM kpi_time_series s2
           WHERE s2.kpi_id = k.id AND (s2.year < ?2 OR (s2.year = ?2 AND s2.month <= ?3))
           ORDER BY s2.year DESC, s2.month DESC LIMIT 1)
         WHERE k.customer_id = ?1
         ORDER BY k.kpi_parameter",
    )?;
    let rows = stmt.query_map(params![customer, today.year(), today.month()], |r| {
        Ok(Kpi {
            name: r.get(0)?,
            category: r.get(1)?,
            value: r.get(2)?,
            status: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The customer's latest KPIs, read once per evaluation and only when a rule needs them.
pub(super) fn kpis_of<'a>(
    conn: &Connection,
    customer: &str,
    today: NaiveDate,
    kpis: &'a mut Option<Vec<Kpi>>,
) -> Result<&'a [Kpi]> {
    if kpis.is_none() {
        *kpis = Some(latest_kpis(conn, customer, today)?);
    }
    Ok(kpis.as_deref().unwrap_or_default())
}

/// The latest stored health score on or before `day`.
pub(super) fn score_on(
    conn: &Connection,
    customer: &str,
    day: NaiveDate,
) -> Result<Option<(String, f64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT score_dt, score_value FROM customer_scores
             WHERE customer_id = ?1 AND score_type = 'health' AND score_dt <= ?2
               AND score_value IS NOT NULL
             ORDER BY score_dt DESC LIMIT 1",
        )?
        .query_row(params![customer, crate::store::ids::date(day)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

pub(super) fn band_name(health: i64, t: crate::health::Thresholds) -> &'static str {
    if health < i64::from(t.red_below) {
        "red"
    } else if health < i64::from(t.green_from) {
        "yellow"
    } else {
        "green"
    }
}

/// Evaluates one rule for a customer: the values it saw when it holds.
pub(super) fn holds(
    conn: &Connection,
    c: &Customer,
    rule: &Rule,
    t: crate::health::Thresholds,
    today: NaiveDate,
    kpis: &mut Option<Vec<Kpi>>,
) -> Result<Option<Json>> {
    let health_values = |h: i64| {
        json!({"health": h, "band": band_name(h, t),
                                        "red_below": t.red_below, "green_from": t.green_from})
    };
    let critical = |list: &[Kpi], category: Option<&str>, kpi: Option<&str>| -> Vec<Json> {
        list.iter()
            .filter(|k| k.status.as_deref() == Some("critical"))
            .filter(|k| category.is_none_or(|cat| k.category.eq_ignore_ascii_case(cat)))
            .filter(|k| kpi.is_none_or(|n| k.name.eq_ignore_ascii_case(n)))
            .map(|k| json!({"kpi": k.name, "category": k.category, "value": k.value}))
            .collect()
    };
    let found = match &rule.when {
        When::HealthBelow { band } => {
            let limit = match band {
                Band::Red => t.red_below,
                Band::Yellow => t.green_from,
            };
            c.health
                .filter(|h| *h < i64::from(limit))
                .map(health_values)
        }
        When::HealthDrop { points, days } => match c.health {
            None => None,
            Some(h) => {
                let day = today - Duration::days(*days);
                score_on(conn, &c.id, day)?.and_then(|(on, before)| {
                    let fell = before - h as f64;
                    (fell >= *points as f64).then(|| {
                        let mut v = health_values(h);
                        v["before"] = json!(before);
                        v["before_on"] = json!(on);
                        v["dropped"] = json!(fell);
                        v
                    })
                })
            }
        },
        When::KpiCritical { category, kpi } => {
            let list = critical(
                kpis_of(conn, &c.id, today, kpis)?,
                category.as_deref(),
                kpi.as_deref(),
            );
            (!list.is_empty()).then(|| json!({"critical": list, "health": c.health}))
        }
        When::LowActivation { category } | When::SlaBreach { category } => {
            let list = critical(kpis_of(conn, &c.id, today, kpis)?, Some(category), None);
            (!list.is_empty()).then(|| json!({"critical": list, "health": c.health}))
        }
        When::RenewalWithin { days } => c
            .renewal_date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok())
            .and_then(|d| {
                let left = (d - today).num_days();
                (0..=*days).contains(&left).then(|| {
                    json!({"renewal_date": crate::store::ids::date(d), "days_left": left,
                                    "health": c.health})
                })
            }),
        When::NpsBelow { score, kpi } => kpis_of(conn, &c.id, today, kpis)?
            .iter()
            .find(|k| k.name.eq_ignore_ascii_case(kpi))
            .and_then(|k| k.value)
            .filter(|v| v < score)
            .map(|v| json!({"kpi": kpi, "value": v, "health": c.health})),
        When::ExpansionSignal {
            min_health,
            kpi,
            at_least,
        } => {
            let floor = min_health.unwrap_or(i64::from(t.green_from));
            match c.health.filter(|h| *h >= floor) {
                None => None,
                Some(h) => kpis_of(conn, &c.id, today, kpis)?
                    .iter()
                    .find(|k| k.name.eq_ignore_ascii_case(kpi))
                    .and_then(|k| k.value)
                    .filter(|v| v >= at_least)
                    .map(|v| {
                        let mut out = health_values(h);
                        out["kpi"] = json!(kpi);
                        out["value"] = json!(v);
                        out
                    }),
            }
        }
    };
    Ok(found)
}

/// True when `customer` has an open execution of `playbook`, or one started on or after
/// `since` (None: no cool-down).
pub(super) fn blocked(
    conn: &Connection,
    customer: &str,
    playbook: &str,
    since: Option<NaiveDate>,
) -> Result<bool> {
    let since = since.map_or_else(|| "9999-12-31".to_owned(), crate::store::ids::date);
    Ok(conn
        .prepare_cached(
            // `+playbook_id`: the customer's few executions (idx_playbook_executions_customer),
            // not every execution of the playbook (idx_playbook_executions_playbook, which
            // SQLite would otherwise pick: thousands of rows on a big book)
            "SELECT 1 FROM playbook_executions
             WHERE customer_id = ?1 AND +playbook_id = ?2
               AND (status = 'in-progress' OR coalesce(started_at, created_at) >= ?3)
             LIMIT 1",
        )?
        .query_row(params![customer, playbook, since], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(super) fn defined(conn: &Connection, playbook: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM playbooks WHERE playbook_id = ?1")?
        .query_row([playbook], |_| Ok(()))
        .optional()?
        .is_some())
}
