//! The book as a whole: customers by health band, ARR at risk, biggest movers this month.
//! Counts and sums come from SQL over the health index; nothing is loaded row by row.

use super::reader::Reader;
use std::collections::HashMap;

use crate::store::db::params_from_iter;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use crate::health::Thresholds;
use crate::store::error::Result;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bands {
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    /// No score yet (no health input at all).
    pub unscored: i64,
    /// ARR (cents) of red and of yellow customers: the ARR at risk.
    pub red_arr_cents: i64,
    pub yellow_arr_cents: i64,
}

/// Customers per band and the ARR of the red and yellow ones, in one workspace or all, each
/// customer banded by its own workspace's thresholds (`by_workspace`, as
/// [`super::trends::thresholds`] reads them; the defaults for a workspace not in it).
pub fn bands(r: &Reader<'_>, by_workspace: &HashMap<String, Thresholds>) -> Result<Bands> {
    let (conn, scope) = (r.conn(), r.scope());
    // one pass over the customers, each joined to its workspace's thresholds (handed in as
    // JSON: {"<workspace id>": [red_below, green_from], ...})
    let json: serde_json::Map<String, serde_json::Value> = by_workspace
        .iter()
        .map(|(ws, t)| (ws.clone(), serde_json::json!([t.red_below, t.green_from])))
        .collect();
    let default = Thresholds::default();
    let mut params = vec![
        Value::Text(serde_json::Value::Object(json).to_string()),
        Value::Integer(default.red_below.into()),
        Value::Integer(default.green_from.into()),
    ];
    let visible = scope.customers_sql("c", &mut params);
    let mut stmt = conn.prepare_cached(&format!(
        "WITH t(workspace_id, red, green) AS (
           SELECT key, CAST(json_extract(value, '$[0]') AS INTEGER),
                  CAST(json_extract(value, '$[1]') AS INTEGER)
           FROM json_each(?1)
         ),
         c AS (
           SELECT c.health_score AS score, c.arr_cents AS arr,
                  ifnull(t.red, ?2) AS red, ifnull(t.green, ?3) AS green
           FROM customers c LEFT JOIN t ON t.workspace_id = CAST(c.workspace_id AS TEXT)
           WHERE {visible}
         )
         SELECT
           count(*) FILTER (WHERE score IS NULL),
           count(*) FILTER (WHERE score < red),
           count(*) FILTER (WHERE score >= red AND score < green),
           count(*) FILTER (WHERE score >= green),
           ifnull(sum(arr) FILTER (WHERE score < red), 0),
           ifnull(sum(arr) FILTER (WHERE score >= red AND score < green), 0)
         FROM c"
    ))?;
    Ok(stmt.query_row(params_from_iter(params.iter()), |r| {
        Ok(Bands {
            unscored: r.get(0)?,
            red: r.get(1)?,
            yellow: r.get(2)?,
            green: r.get(3)?,
            red_arr_cents: r.get(4)?,
            yellow_arr_cents: r.get(5)?,
        })
    })?)
}

/// A customer whose overall score moved between the last two months.
#[derive(Debug, Clone, PartialEq)]
pub struct Mover {
    pub customer_id: String,
    pub name: String,
    pub from: f64,
    pub to: f64,
    /// `2026-11`
    pub month: String,
}

/// The latest month any customer has a health trend for: "this month" of the book.
pub fn latest_month(r: &Reader<'_>) -> Result<Option<(i32, u32)>> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params: Vec<Value> = Vec::new();
    let filter = match scope.workspaces() {
        Some(_) => format!("WHERE {}", scope.workspace_sql("workspace_id", &mut params)),
        None => String::new(),
    };
    let sql = format!(
        "SELECT year, month FROM health_trends {filter} ORDER BY year DESC, month DESC LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The `limit` customers whose score changed most since last month, largest change first
/// (drops and rises alike), by the one definition of change (`read::change`): the score now
/// against last month's, as whole numbers. A customer whose numbers are equal did not move
/// and is not listed. Only customers `scope` lets the reader see.
pub fn movers(r: &Reader<'_>, limit: usize) -> Result<Vec<Mover>> {
    let (conn, scope) = (r.conn(), r.scope());
    let Some((this, (py, pm))) = super::change::months(r)? else {
        return Ok(Vec::new());
    };
    let mut params = vec![Value::Integer(py.into()), Value::Integer(pm.into())];
    let visible = scope.customers_sql("c", &mut params);
    // whole(x) = floor(x + 0.5) for the scores 0-100 (health::overall::whole)
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.name, p.overall_health_score, c.health_score,
                c.health_score - CAST(p.overall_health_score + 0.5 AS INTEGER) AS moved
         FROM health_trends p
         JOIN customers c ON c.id = p.customer_id
         WHERE p.year = ?1 AND p.month = ?2 AND {visible}
           AND c.health_score IS NOT NULL AND p.overall_health_score IS NOT NULL
           AND moved <> 0
         ORDER BY abs(moved) DESC, c.name
         LIMIT {limit}"
    ))?;
    let label = super::change::label(this);
    let rows = stmt
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(Mover {
                customer_id: r.get(0)?,
                name: r.get(1)?,
                from: r.get(2)?,
                to: r.get::<_, i64>(3)? as f64,
                month: label.clone(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
