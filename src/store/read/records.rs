//! What an edit form opens: the record as stored (the base a conflict is detected against) and
//! the names its references show as. Also the lists the account's edit menu and a session's
//! decisions choose from. Each list is capped.

use crate::store::db::Connection;
use rusqlite::OptionalExtension;

use serde_json::Value as Json;

use super::reader::Reader;
use crate::store::catalog::Catalog;
use crate::store::entities::{Call, Contract, Customer, Deal};
use crate::store::error::Result;
use crate::store::rows::quote;
use crate::store::write;

/// The name of row `id` of a table with a `name` column (customers, users, stakeholders,
/// loss_reasons), if it exists. Crate-private: it reads past the scope (the write path's
/// messages); readers use [`name`].
pub(crate) fn name_of(conn: &Connection, table: &str, id: &str) -> Result<Option<String>> {
    let sql = match table {
        "customers" => "SELECT name FROM customers WHERE id = ?1",
        "users" => "SELECT name FROM users WHERE id = ?1",
        "stakeholders" => "SELECT name FROM stakeholders WHERE id = ?1",
        "loss_reasons" => "SELECT name FROM loss_reasons WHERE id = ?1",
        _ => return Ok(None),
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The name of row `id` of `table` (as [`name_of`]) if the reader may see the row; users are
/// seen when they are members of a workspace the reader sees (as `export` shows them).
pub fn name(r: &Reader<'_>, table: &str, id: &str) -> Result<Option<String>> {
    let Some(t) = r.catalog().table(table) else {
        return Ok(None);
    };
    if !matches!(
        table,
        "customers" | "users" | "stakeholders" | "loss_reasons"
    ) {
        return Ok(None);
    }
    let mut params = vec![rusqlite::types::Value::Text(id.to_owned())];
    let visible = super::dump::visible_sql(r.catalog(), t, r.scope(), &mut params);
    Ok(r.conn()
        .prepare_cached(&format!(
            "SELECT t.name FROM {} t WHERE t.id = ?1 AND {visible}",
            quote(table)
        ))?
        .query_row(crate::store::db::params_from_iter(params.iter()), |row| {
            row.get(0)
        })
        .optional()?)
}

/// A call as stored, with the names of its customer, stakeholder and loss reason.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    pub call: Call,
    pub customer: Option<String>,
    pub stakeholder: Option<String>,
    pub loss_reason: Option<String>,
}

/// Call `id`, if the reader may see it (else `NotFound`).
pub fn call(r: &Reader<'_>, id: &str) -> Result<CallRecord> {
    r.scope().check(r.conn(), "calls", id)?;
    call_record(r.conn(), r.catalog(), id)
}

fn call_record(conn: &Connection, catalog: &Catalog, id: &str) -> Result<CallRecord> {
    let call: Call = write::get(conn, catalog, id)?;
    let name = |table: &str, id: &Option<String>| match id {
        Some(id) => name_of(conn, table, id),
        None => Ok(None),
    };
    Ok(CallRecord {
        customer: name("customers", &call.customer_id)?,
        stakeholder: name("stakeholders", &call.stakeholder_id)?,
        loss_reason: name("loss_reasons", &call.loss_reason_id)?,
        call,
    })
}

/// A customer as stored, its CSM's name, and the contract whose end date is its renewal (the
/// active contract that ends first, as `customers.renewal_date` is kept).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRecord {
    pub customer: Customer,
    pub csm: Option<String>,
    pub renewal: Option<Contract>,
}

/// Customer `id`, if the reader may see it (else `NotFound`).
pub fn customer(r: &Reader<'_>, id: &str) -> Result<CustomerRecord> {
    r.scope().check(r.conn(), "customers", id)?;
    let (conn, catalog) = (r.conn(), r.catalog());
    let customer: Customer = write::get(conn, catalog, id)?;
    let csm = match &customer.csm_id {
        Some(u) => name_of(conn, "users", u)?,
        None => None,
    };
    let contract_id: Option<String> = conn
        .prepare_cached(
            "SELECT id FROM contracts WHERE customer_id = ?1 AND status = 'active'
             AND end_date IS NOT NULL ORDER BY end_date, id LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let renewal = match contract_id {
        Some(c) => Some(write::get(conn, catalog, &c)?),
        None => None,
    };
    Ok(CustomerRecord {
        customer,
        csm,
        renewal,
    })
}

/// A deal's action, for its status to be edited.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRow {
    pub id: String,
    pub text: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DealRecord {
    pub deal: Deal,
    pub customer: String,
    /// Its actions by due date (at most the limit asked for).
    pub actions: Vec<ActionRow>,
}

/// Deal `id` and its actions, if the reader may see it (else `NotFound`).
pub fn deal(r: &Reader<'_>, id: &str, limit: usize) -> Result<DealRecord> {
    r.scope().check(r.conn(), "deals", id)?;
    let (conn, catalog) = (r.conn(), r.catalog());
    let deal: Deal = write::get(conn, catalog, id)?;
    let customer = name_of(conn, "customers", &deal.customer_id)?.unwrap_or_default();
    let actions = conn
        .prepare_cached(
            "SELECT id, action_txt, status FROM deal_actions WHERE deal_id = ?1
             ORDER BY ifnull(due_dt, '9999-12-31'), id LIMIT ?2",
        )?
        .query_map(rusqlite::params![id, limit as i64], |r| {
            Ok(ActionRow {
                id: r.get(0)?,
                text: r.get(1)?,
                status: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(DealRecord {
        deal,
        customer,
        actions,
    })
}

/// What the account's edit menu offers beyond the account itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Stakeholder,
    Insight,
    Deal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub kind: TargetKind,
    pub id: String,
    pub label: String,
    pub detail: String,
}

/// A customer's stakeholders, insights and deals (at most `limit` of each), for the edit menu.
/// `NotFound` for a customer the reader may not see.
pub fn edit_targets(r: &Reader<'_>, customer_id: &str, limit: usize) -> Result<Vec<Target>> {
    r.scope().check(r.conn(), "customers", customer_id)?;
    let conn = r.conn();
    let n = limit as i64;
    let mut out: Vec<Target> = conn
        .prepare_cached(
            "SELECT id, name, ifnull(role, '—') || ifnull(' · ' || sentiment, ''), is_primary
             FROM stakeholders WHERE customer_id = ?1 ORDER BY is_primary DESC, name, id LIMIT ?2",
        )?
        .query_map(rusqlite::params![customer_id, n], |r| {
            let primary = r.get::<_, i64>(3)? != 0;
            Ok(Target {
                kind: TargetKind::Stakeholder,
                id: r.get(0)?,
                label: r.get(1)?,
                detail: format!(
                    "{}{}",
                    if primary { "★ " } else { "" },
                    r.get::<_, String>(2)?
                ),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let insights: Vec<Target> = conn
        .prepare_cached(
            "SELECT id, content, type || ' · ' || importance || ' · ' || status FROM insights
             WHERE customer_id = ?1 ORDER BY created_at DESC, id LIMIT ?2",
        )?
        .query_map(rusqlite::params![customer_id, n], |r| {
            Ok(Target {
                kind: TargetKind::Insight,
                id: r.get(0)?,
                label: r.get(1)?,
                detail: r.get::<_, String>(2)?.replace('_', " "),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    out.extend(insights);
    let deals: Vec<Target> = conn
        .prepare_cached(
            "SELECT id, ifnull(name, 'deal'), stage FROM deals WHERE customer_id = ?1
             ORDER BY stage IN ('closed_won', 'closed_lost'), ifnull(close_dt, '9999-12-31'), id
             LIMIT ?2",
        )?
        .query_map(rusqlite::params![customer_id, n], |r| {
            Ok(Target {
                kind: TargetKind::Deal,
                id: r.get(0)?,
                label: r.get(1)?,
                detail: r.get::<_, String>(2)?.replace('_', " "),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    out.extend(deals);
    Ok(out)
}

/// A pending approval of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionApproval {
    pub id: String,
    pub agent_id: String,
    pub action: String,
    pub details: Option<String>,
}

/// The pending approvals of a session, oldest first.
/// `NotFound` for a session the reader may not see.
pub fn session_pending(
    r: &Reader<'_>,
    session_id: &str,
    limit: usize,
) -> Result<Vec<SessionApproval>> {
    r.scope().check(r.conn(), "agent_sessions", session_id)?;
    let conn = r.conn();
    let rows = conn
        .prepare_cached(
            "SELECT id, agent_id, action, details FROM approvals
             WHERE session_id = ?1 AND status = 'pending' ORDER BY created_at, id LIMIT ?2",
        )?
        .query_map(rusqlite::params![session_id, limit as i64], |r| {
            Ok(SessionApproval {
                id: r.get(0)?,
                agent_id: r.get(1)?,
                action: r.get(2)?,
                details: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The single active user of the database, if there is exactly one (the dashboard acts as
/// them when started without --user; [`crate::store::Store::only_user`]).
pub(crate) fn only_user(conn: &Connection) -> Result<Option<String>> {
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM users WHERE is_active = 1 LIMIT 2")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match ids.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    })
}

/// Who last changed row `id` of `table` and what it holds now: what a conflict message
/// says ("Acme Corp was changed by Fox Mulder at ...: ARR $220k → $250k").
#[derive(Debug, Clone, PartialEq)]
pub struct LastChange {
    /// The row's name, if it has one.
    pub name: Option<String>,
    /// `activity_log.created_at` and the user's name (None: no user, another process).
    pub by: Option<(String, Option<String>)>,
    /// Each asked column's stored value as JSON (None: the row or the column is gone).
    pub stored: Vec<(String, Option<Json>)>,
}

/// The last change of row `id` of `table` and the stored values of `columns` (each a column
/// of the catalog; others come back as None). `NotFound` if the reader may not see the row.
pub fn last_change(r: &Reader<'_>, table: &str, id: &str, columns: &[&str]) -> Result<LastChange> {
    r.scope().check(r.conn(), table, id)?;
    let conn = r.conn();
    let by: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT a.created_at, u.name FROM activity_log a LEFT JOIN users u ON u.id = a.user_id
             WHERE a.entity_type = ?1 AND a.entity_id = ?2
             ORDER BY a.created_at DESC, a.rowid DESC LIMIT 1",
        )?
        .query_row([table, id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let known = r.catalog().table(table);
    let mut stored = Vec::new();
    for column in columns {
        let value = match known.filter(|t| t.has_column(column)) {
            None => None,
            Some(_) => conn
                .prepare(&format!(
                    "SELECT json_quote({}) FROM {} WHERE id = ?1",
                    quote(column),
                    quote(table)
                ))?
                .query_row([id], |row| row.get::<_, String>(0))
                .optional()?
                .and_then(|s| serde_json::from_str(&s).ok()),
        };
        stored.push(((*column).to_owned(), value));
    }
    Ok(LastChange {
        name: name_of(conn, table, id)?,
        by,
        stored,
    })
}
