//! The call log: newest first, a page at a time, filtered by type, status, outcome, owner and
//! a date range; and at a glance, how the calls of that filter ended and why deals were lost.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Anchor;
use super::customers::Cursor;
use super::keyset::{Page, where_clause};
use crate::store::enums::{CallOutcome, CallStatus, CallType};
use crate::store::error::Result;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub workspace_id: Option<String>,
    pub call_type: Option<CallType>,
    pub status: Option<CallStatus>,
    pub outcome: Option<CallOutcome>,
    /// The user who logged the call.
    pub owner_id: Option<String>,
    /// Inclusive dates `YYYY-MM-DD` of `created_at`.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filter {
    fn clauses(&self, params: &mut Vec<Value>) -> Vec<String> {
        let mut clauses = Vec::new();
        let mut eq = |column: &str, value: Option<&str>, params: &mut Vec<Value>| {
            if let Some(v) = value {
                params.push(Value::Text(v.to_owned()));
                clauses.push(format!("{column} = ?{}", params.len()));
            }
        };
        eq("k.workspace_id", self.workspace_id.as_deref(), params);
        eq("k.call_type", self.call_type.map(|v| v.as_str()), params);
        eq("k.status", self.status.map(|v| v.as_str()), params);
        eq("k.outcome", self.outcome.map(|v| v.as_str()), params);
        eq("k.user_id", self.owner_id.as_deref(), params);
        if let Some(from) = &self.from {
            params.push(Value::Text(from.clone()));
            clauses.push(format!("k.created_at >= ?{}", params.len()));
        }
        if let Some(to) = &self.to {
            // the whole last day: every timestamp of that day sorts before the next day
            params.push(Value::Text(format!("{to}T99")));
            clauses.push(format!("k.created_at < ?{}", params.len()));
        }
        clauses
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallRow {
    pub id: String,
    pub created_at: String,
    pub customer_name: Option<String>,
    pub prospect_name: String,
    pub owner: String,
    pub call_type: String,
    pub status: String,
    pub outcome: Option<String>,
    pub loss_reason: Option<String>,
    /// seconds
    pub duration: Option<i64>,
    pub notes: Option<String>,
    pub cursor: Cursor,
}

/// Calls matching `filter`, newest first, a page from `anchor`.
pub fn page(
    conn: &Connection,
    filter: &Filter,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> Result<Vec<CallRow>> {
    let mut params = Vec::new();
    let mut clauses = filter.clauses(&mut params);
    let page = Page::new("k.created_at", "k.id", true, anchor, &mut params);
    clauses.extend(page.clause.clone());
    let dir = page.direction;
    let sql = format!(
        "SELECT k.id, k.created_at, c.name, k.prospect_name, u.name, k.call_type, k.status,
                k.outcome, lr.name, k.call_duration, k.notes
         FROM calls k
         LEFT JOIN customers c ON c.id = k.customer_id
         LEFT JOIN users u ON u.id = k.user_id
         LEFT JOIN loss_reasons lr ON lr.id = k.loss_reason_id
         {}
         ORDER BY k.created_at {dir}, k.id {dir} LIMIT {limit}",
        where_clause(&clauses)
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            let id: String = r.get(0)?;
            let created_at: String = r.get(1)?;
            Ok(CallRow {
                customer_name: r.get(2)?,
                prospect_name: r.get(3)?,
                owner: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                call_type: r.get(5)?,
                status: r.get(6)?,
                outcome: r.get(7)?,
                loss_reason: r.get(8)?,
                duration: r.get(9)?,
                notes: r.get(10)?,
                cursor: Cursor {
                    key: Value::Text(created_at.clone()),
                    id: id.clone(),
                },
                created_at,
                id,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(page.finish(rows))
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub total: i64,
    /// (outcome or None for no outcome yet, calls), in the order won, lost, tbd, none.
    pub outcomes: Vec<(Option<CallOutcome>, i64)>,
    /// Lost calls per loss reason, most frequent first ("(none)" for a reason deleted since).
    pub loss_reasons: Vec<(String, i64)>,
}

/// Outcome counts and the top `reasons` loss reasons of the calls matching `filter`.
pub fn stats(conn: &Connection, filter: &Filter, reasons: usize) -> Result<Stats> {
    let mut params = Vec::new();
    let clauses = filter.clauses(&mut params);
    let sql = format!(
        "SELECT k.outcome, count(*) FROM calls k {} GROUP BY k.outcome",
        where_clause(&clauses)
    );
    let found: Vec<(Option<String>, i64)> = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let count_of = |o: Option<&str>| {
        found
            .iter()
            .find(|(k, _)| k.as_deref() == o)
            .map_or(0, |(_, n)| *n)
    };
    let mut outcomes: Vec<(Option<CallOutcome>, i64)> = CallOutcome::ALL
        .iter()
        .map(|&o| (Some(o), count_of(Some(o.as_str()))))
        .collect();
    outcomes.push((None, count_of(None)));
    let total = found.iter().map(|(_, n)| n).sum();

    let mut lost = filter.clone();
    lost.outcome = Some(CallOutcome::Lost);
    let mut params = Vec::new();
    let clauses = lost.clauses(&mut params);
    let sql = format!(
        "SELECT ifnull(lr.name, '(none)'), count(*) AS n FROM calls k
         LEFT JOIN loss_reasons lr ON lr.id = k.loss_reason_id
         {} GROUP BY 1 ORDER BY n DESC, 1 LIMIT {reasons}",
        where_clause(&clauses)
    );
    let loss_reasons = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Stats {
        total,
        outcomes,
        loss_reasons,
    })
}

/// People who logged calls (id, name), by name: the owner filter's choices.
pub fn owners(
    conn: &Connection,
    workspace_id: Option<&str>,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let rows = conn
        .prepare_cached(
            "SELECT u.id, u.name FROM users u
             WHERE EXISTS (SELECT 1 FROM calls k WHERE k.user_id = u.id
                             AND (?1 IS NULL OR k.workspace_id = ?1))
             ORDER BY u.name, u.id LIMIT ?2",
        )?
        .query_map(rusqlite::params![workspace_id, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
