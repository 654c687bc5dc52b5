//! The pipeline: deals per stage with counts and amounts, one stage's deals a page at a time
//! (by close date), and a deal's notes and actions.

use super::reader::Reader;
use crate::store::db::params_from_iter;
use rusqlite::types::Value;

use super::Anchor;
use super::customers::Cursor;
use super::keyset::{Page, where_clause};
use crate::store::enums::DealStage;
use crate::store::error::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct StageTotal {
    pub stage: DealStage,
    pub count: i64,
    pub amount_cents: i64,
}

/// Every stage in pipeline order, with its deal count and amount (zero when empty).
pub fn pipeline(r: &Reader<'_>) -> Result<Vec<StageTotal>> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = Vec::new();
    let visible = scope.customers_sql("c", &mut params);
    let sql = format!(
        "SELECT d.stage, count(*), ifnull(sum(d.amount_cents), 0) FROM deals d
         JOIN customers c ON c.id = d.customer_id
         WHERE {visible}
         GROUP BY d.stage"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let found: Vec<(String, i64, i64)> = stmt
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(DealStage::ALL
        .iter()
        .map(|&stage| {
            let (count, amount_cents) = found
                .iter()
                .find(|(s, _, _)| s == stage.as_str())
                .map(|(_, n, a)| (*n, *a))
                .unwrap_or((0, 0));
            StageTotal {
                stage,
                count,
                amount_cents,
            }
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq)]
pub struct DealRow {
    pub id: String,
    pub name: Option<String>,
    pub customer_id: String,
    pub customer_name: String,
    pub product: Option<String>,
    pub amount_cents: Option<i64>,
    pub stage: String,
    pub close_dt: Option<String>,
    pub is_actionable: bool,
    pub cursor: Cursor,
}

const CLOSE_KEY: &str = "ifnull(d.close_dt, '9999-12-31')";

/// Deals of one stage by close date (undated last), a page from `anchor`.
pub fn page(
    r: &Reader<'_>,
    stage: DealStage,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> Result<Vec<DealRow>> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = vec![Value::Text(stage.as_str().to_owned())];
    let mut clauses = vec!["d.stage = ?1".to_owned()];
    if !scope.is_everything() {
        clauses.push(scope.customers_sql("c", &mut params));
    }
    let page = Page::new(CLOSE_KEY, "d.id", false, anchor, &mut params);
    clauses.extend(page.clause.clone());
    let dir = page.direction;
    let sql = format!(
        "SELECT d.id, d.name, d.customer_id, c.name, p.product_name, d.amount_cents, d.stage,
                d.close_dt, d.is_actionable, {CLOSE_KEY}
         FROM deals d JOIN customers c ON c.id = d.customer_id
         LEFT JOIN products p ON p.id = d.product_id
         {}
         ORDER BY {CLOSE_KEY} {dir}, d.id {dir} LIMIT {limit}",
        where_clause(&clauses)
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            let id: String = r.get(0)?;
            Ok(DealRow {
                name: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                product: r.get(4)?,
                amount_cents: r.get(5)?,
                stage: r.get(6)?,
                close_dt: r.get(7)?,
                is_actionable: r.get::<_, i64>(8)? != 0,
                cursor: Cursor {
                    key: r.get(9)?,
                    id: id.clone(),
                },
                id,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(page.finish(rows))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub author: Option<String>,
    pub text: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DealAction {
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealDetail {
    pub notes: Vec<Note>,
    pub actions: Vec<DealAction>,
    pub attributes: Vec<(String, Option<String>)>,
}

/// A deal's latest notes, its actions by due date, and its attributes (`limit` of each).
/// A deal outside `scope` is not found.
pub fn detail(r: &Reader<'_>, deal_id: &str, limit: usize) -> Result<DealDetail> {
    let (conn, scope) = (r.conn(), r.scope());
    scope.check(conn, "deals", deal_id)?;
    let notes = conn
        .prepare_cached(
            "SELECT u.name, n.note_txt, n.created_at FROM deal_notes n
             LEFT JOIN users u ON u.id = n.user_id
             WHERE n.deal_id = ?1 ORDER BY n.created_at DESC LIMIT ?2",
        )?
        .query_map(rusqlite::params![deal_id, limit as i64], |r| {
            Ok(Note {
                author: r.get(0)?,
                text: r.get(1)?,
                created_at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let actions = conn
        .prepare_cached(
            "SELECT a.action_txt, u.name, a.due_dt, a.status FROM deal_actions a
             LEFT JOIN users u ON u.id = a.owner_user_id
             WHERE a.deal_id = ?1 ORDER BY ifnull(a.due_dt, '9999-12-31'), a.id LIMIT ?2",
        )?
        .query_map(rusqlite::params![deal_id, limit as i64], |r| {
            Ok(DealAction {
                text: r.get(0)?,
                owner: r.get(1)?,
                due: r.get(2)?,
                status: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let attributes = conn
        .prepare_cached(
            "SELECT attr_name, attr_value FROM deal_attributes WHERE deal_id = ?1
             ORDER BY attr_name LIMIT ?2",
        )?
        .query_map(rusqlite::params![deal_id, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(DealDetail {
        notes,
        actions,
        attributes,
    })
}
