//! The work queue: what a CSM has to do today. Four parts, each one bounded query:
//! * [`due`]: open tasks and playbook steps, deal actions and urgent insight actions that are
//!   overdue or due today, or within a few days (a snoozed task waits until its day);
//! * [`renewals`]: customers renewing in the next 90 days, with ARR and health;
//! * [`approvals_waiting`]: pending agent approvals;
//! * [`drops`]: customers whose score fell since last week, with the component that fell.
//!
//! Every part sees what the reader's scope lets it see; `mine` narrows to the reader's own
//! items (owner, or CSM of the customer where an item has no owner).

use crate::store::db::params_from_iter;
use chrono::{Duration, NaiveDate};
use rusqlite::types::Value;
use serde_json::Value as Json;

use super::reader::Reader;
use crate::store::error::Result;
use crate::store::tasks::Source;

/// Something to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub source: Source,
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub workspace_id: String,
    pub title: String,
    /// `YYYY-MM-DD`; an insight action has none.
    pub due: Option<String>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    /// A playbook step: `2/4 Renewal risk` (the step first: it is what a narrow column keeps).
    pub playbook: Option<String>,
    /// An insight action's priority.
    pub priority: Option<String>,
}

impl Item {
    /// Days past due (0: due today; negative: not yet due), for the queue's column.
    pub fn overdue_days(&self, today: NaiveDate) -> Option<i64> {
        let due = NaiveDate::parse_from_str(self.due.as_deref()?, "%Y-%m-%d").ok()?;
        Some((today - due).num_days())
    }
}

/// The queue's first part: what is overdue or due within `ahead` days from today (0: today),
/// most overdue first, at most `limit` items, and how many there are. A task snoozed to a day
/// in that window is in it.
pub fn due(r: &Reader<'_>, mine: bool, ahead: i64, limit: usize) -> Result<(Vec<Item>, i64)> {
    let conn = r.conn();
    let until = (r.today() + Duration::days(ahead.max(0))).to_string();
    let mut params: Vec<Value> = vec![Value::Text(until)];
    let visible = r.scope().customers_sql("c", &mut params);
    let me = r.scope().user_id().map(str::to_owned);
    let (mine_task, mine_deal, mine_insight) = match (&me, mine) {
        (Some(me), true) => {
            params.push(Value::Text(me.clone()));
            let n = params.len();
            (
                format!("AND t.owner_id = ?{n}"),
                format!("AND a.owner_user_id = ?{n}"),
                format!("AND c.csm_id = ?{n}"),
            )
        }
        _ => Default::default(),
    };
    let items = format!(
        "SELECT 'tasks' AS source, t.id AS id, c.id AS customer_id, c.name AS customer_name,
                c.workspace_id AS workspace_id, t.title AS title, t.due_date AS due, t.owner_id AS owner_id,
                CASE WHEN t.execution_id IS NOT NULL THEN
                  t.step_position || '/' ||
                  (SELECT count(*) FROM tasks s WHERE s.execution_id = t.execution_id) || ' ' ||
                  coalesce((SELECT p.name FROM playbooks p JOIN playbook_executions e
                            ON e.playbook_id = p.playbook_id WHERE e.execution_id = t.execution_id), 'playbook')
                END,
                NULL AS priority
         FROM tasks t JOIN customers c ON c.id = t.customer_id
         WHERE t.status = 'open' AND t.due_date <= ?1
           AND (t.snoozed_until IS NULL OR t.snoozed_until <= ?1) AND {visible} {mine_task}
         UNION ALL
         SELECT 'deal_actions', a.id, c.id, c.name, c.workspace_id, a.action_txt, substr(a.due_dt, 1, 10),
                a.owner_user_id, 'deal ' || coalesce(d.name, ''), NULL
         FROM deal_actions a JOIN deals d ON d.id = a.deal_id JOIN customers c ON c.id = d.customer_id
         WHERE a.status IN ('open', 'in_progress') AND substr(a.due_dt, 1, 10) <= ?1
           AND {visible} {mine_deal}
         UNION ALL
         SELECT 'insight_actions', a.id, c.id, c.name, c.workspace_id, a.action_txt, NULL, c.csm_id, NULL, a.priority
         FROM insight_actions a JOIN insights i ON i.id = a.insight_id
         JOIN customers c ON c.id = i.customer_id
         WHERE a.status IN ('open', 'in_progress') AND a.priority IN ('high', 'critical')
           AND {visible} {mine_insight}"
    );
    let count: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM ({items})"))?
        .query_row(params_from_iter(params.iter()), |row| row.get(0))?;
    let sql = format!(
        "SELECT q.*, u.name FROM ({items}) q LEFT JOIN users u ON u.id = q.owner_id
         ORDER BY q.due IS NULL, q.due, q.customer_name, q.title, q.id LIMIT {limit}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(params.iter()), |row| {
            let table: String = row.get(0)?;
            Ok(Item {
                source: Source::parse(&table).unwrap_or(Source::Task),
                id: row.get(1)?,
                customer_id: row.get(2)?,
                customer_name: row.get(3)?,
                workspace_id: row.get(4)?,
                title: row.get(5)?,
                due: row.get(6)?,
                owner_id: row.get(7)?,
                playbook: row.get(8)?,
                priority: row.get(9)?,
                owner_name: row.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, count))
}

/// A customer renewing soon.
#[derive(Debug, Clone, PartialEq)]
pub struct Renewal {
    pub customer_id: String,
    pub name: String,
    pub workspace_id: String,
    pub renewal_date: String,
    pub days: i64,
    pub arr_cents: Option<i64>,
    pub health_score: Option<f64>,
}

impl Renewal {
    /// The 30/60/90-day window it falls in.
    pub fn window(&self) -> i64 {
        match self.days {
            ..=30 => 30,
            31..=60 => 60,
            _ => 90,
        }
    }
}

/// Customers (not churned) renewing within `days` from today, soonest first, at most
/// `limit`; and how many there are. Walks `idx_customers_renewal`.
pub fn renewals(
    r: &Reader<'_>,
    mine: bool,
    days: i64,
    limit: usize,
) -> Result<(Vec<Renewal>, i64)> {
    let today = r.today();
    let mut params = vec![
        Value::Text(today.to_string()),
        Value::Text((today + Duration::days(days)).to_string()),
    ];
    let visible = r.scope().customers_sql("c", &mut params);
    let mine_sql = match (r.scope().user_id(), mine) {
        (Some(me), true) => {
            params.push(Value::Text(me.to_owned()));
            format!("AND c.csm_id = ?{}", params.len())
        }
        _ => String::new(),
    };
    let filter = format!(
        "FROM customers c
         WHERE ifnull(c.renewal_date, '9999-12-31') >= ?1
           AND ifnull(c.renewal_date, '9999-12-31') <= ?2
           AND c.status <> 'churned' AND {visible} {mine_sql}"
    );
    let conn = r.conn();
    let count: i64 = conn
        .prepare_cached(&format!("SELECT count(*) {filter}"))?
        .query_row(params_from_iter(params.iter()), |row| row.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.name, c.renewal_date, c.arr_cents, c.health_score, c.workspace_id {filter}
         ORDER BY ifnull(c.renewal_date, '9999-12-31'), c.id LIMIT {limit}"
    ))?;
    let rows = stmt
        .query_map(params_from_iter(params.iter()), |row| {
            let date: String = row.get(2)?;
            let days = NaiveDate::parse_from_str(date.get(..10).unwrap_or(&date), "%Y-%m-%d")
                .map(|d| (d - today).num_days())
                .unwrap_or(0);
            Ok(Renewal {
                customer_id: row.get(0)?,
                name: row.get(1)?,
                workspace_id: row.get(5)?,
                renewal_date: date,
                days,
                arr_cents: row.get(3)?,
                health_score: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, count))
}

/// Pending agent approvals the reader may see (and decide, if their role decides).
pub fn approvals_waiting(r: &Reader<'_>) -> Result<i64> {
    let mut params = Vec::new();
    let visible = r.scope().customers_sql("c", &mut params);
    Ok(r.conn()
        .prepare_cached(&format!(
            "SELECT count(*) FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
             JOIN customers c ON c.id = s.customer_id
             WHERE a.status = 'pending' AND {visible}"
        ))?
        .query_row(params_from_iter(params.iter()), |row| row.get(0))?)
}

/// A customer whose score fell.
#[derive(Debug, Clone, PartialEq)]
pub struct Drop {
    pub customer_id: String,
    pub name: String,
    pub workspace_id: String,
    pub from: f64,
    pub to: f64,
    /// What the score is compared with: `2026-11-27` (a stored score a week or more old) or
    /// `2026-11` (last month's trend, when no score is that old).
    pub since: String,
    /// The component that fell most, in words: `KPIs vs reference ranges 74.6 → 48.7`; or,
    /// without a breakdown to compare, the weakest component now.
    pub reason: String,
}

/// The `limit` customers whose score fell most since last week: today's score against the
/// newest stored health score at least 7 days old, or, where none is that old, last month's
/// health trend (the movers' baseline). Whole-point drops only.
pub fn drops(r: &Reader<'_>, mine: bool, limit: usize) -> Result<Vec<Drop>> {
    let week_ago = (r.today() - Duration::days(7)).to_string();
    let last_month = super::change::months(r)?.map(|(_, prev)| prev);
    let (py, pm) = last_month.unwrap_or((0, 0));
    let mut params = vec![
        Value::Text(week_ago),
        Value::Integer(py.into()),
        Value::Integer(pm.into()),
    ];
    let visible = r.scope().customers_sql("c", &mut params);
    let mine_sql = match (r.scope().user_id(), mine) {
        (Some(me), true) => {
            params.push(Value::Text(me.to_owned()));
            format!("AND c.csm_id = ?{}", params.len())
        }
        _ => String::new(),
    };
    let sql = format!(
        "SELECT id, name, base, base_dt, now, base_json, now_json, workspace_id FROM (
           SELECT c.id, c.name, c.workspace_id, c.health_score AS now,
                  coalesce(w.score_value, t.overall_health_score) AS base,
                  CASE WHEN w.score_value IS NOT NULL THEN w.score_dt
                       ELSE printf('%04d-%02d', t.year, t.month) END AS base_dt,
                  w.score_breakdown_json AS base_json,
                  (SELECT s.score_breakdown_json FROM customer_scores s
                   WHERE s.customer_id = c.id AND s.score_type = 'health'
                   ORDER BY s.score_dt DESC LIMIT 1) AS now_json
           FROM customers c
           LEFT JOIN customer_scores w ON w.customer_id = c.id AND w.score_type = 'health'
             AND w.score_dt = (SELECT max(x.score_dt) FROM customer_scores x
                               WHERE x.customer_id = c.id AND x.score_type = 'health'
                                 AND x.score_dt <= ?1)
           LEFT JOIN health_trends t ON t.customer_id = c.id AND t.year = ?2 AND t.month = ?3
           WHERE c.health_score IS NOT NULL AND {visible} {mine_sql})
         WHERE base IS NOT NULL
           AND CAST(base + 0.5 AS INTEGER) - CAST(now + 0.5 AS INTEGER) > 0
         ORDER BY now - base, name LIMIT {limit}"
    );
    let mut stmt = r.conn().prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(params.iter()), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, f64>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, f64>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, Option<String>>(6)?,
                row.get::<_, String>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, from, since, to, base, now, workspace_id)| Drop {
                customer_id: id,
                name,
                workspace_id,
                from,
                to,
                since,
                reason: reason(base.as_deref(), now.as_deref()),
            },
        )
        .collect())
}

/// The component that fell most between two health explanations (`components[].key`,
/// `label`, `value`), or the weakest one now when there is nothing to compare with.
pub fn reason(base: Option<&str>, now: Option<&str>) -> String {
    let parse = |s: Option<&str>| -> Vec<(String, String, f64)> {
        let Some(json) = s.and_then(|s| serde_json::from_str::<Json>(s).ok()) else {
            return Vec::new();
        };
        json.get("components")
            .and_then(Json::as_array)
            .map(|cs| {
                cs.iter()
                    .filter_map(|c| {
                        Some((
                            c.get("key")?.as_str()?.to_owned(),
                            c.get("label")?.as_str()?.to_owned(),
                            c.get("value")?.as_f64()?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (before, after) = (parse(base), parse(now));
    let fell = after
        .iter()
        .filter_map(|(key, label, v)| {
            let (_, _, b) = before.iter().find(|(k, _, _)| k == key)?;
            (v < b).then(|| (b - v, format!("{label} {b:.1} → {v:.1}")))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, words)) = fell {
        return words;
    }
    after
        .iter()
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(_, label, v)| format!("weakest now: {label} {v:.1}"))
        .unwrap_or_else(|| "no breakdown stored".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = r#"{"components":[
        {"key":"kpi","label":"KPIs vs reference ranges","value":74.6},
        {"key":"engagement","label":"Engagement","value":60.0}]}"#;
    const AFTER: &str = r#"{"components":[
        {"key":"kpi","label":"KPIs vs reference ranges","value":48.7},
        {"key":"engagement","label":"Engagement","value":55.0}]}"#;

    #[test]
    fn the_reason_is_the_component_that_fell_most() {
        assert_eq!(
            reason(Some(BEFORE), Some(AFTER)),
            "KPIs vs reference ranges 74.6 → 48.7"
        );
    }

    #[test]
    fn without_a_baseline_the_reason_is_the_weakest_component() {
        assert_eq!(
            reason(None, Some(AFTER)),
            "weakest now: KPIs vs reference ranges 48.7"
        );
        assert_eq!(reason(None, Some("not json")), "no breakdown stored");
    }

    #[test]
    fn renewal_windows_are_30_60_90() {
        let at = |days| Renewal {
            customer_id: String::new(),
            name: String::new(),
            workspace_id: String::new(),
            renewal_date: String::new(),
            days,
            arr_cents: None,
            health_score: None,
        };
        assert_eq!(
            [0, 30, 31, 60, 61, 90].map(|d| at(d).window()),
            [30, 30, 60, 60, 90, 90]
        );
    }
}
