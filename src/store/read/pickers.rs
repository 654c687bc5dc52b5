//! Candidates for the forms' pickers: customers, a customer's stakeholders, a workspace's loss
//! reasons, the users who can be a CSM. Each query is narrowed in SQL (workspace, an index, a
//! full-text prefix match) and capped: a picker never reads a whole table. The dashboard ranks
//! what comes back with a fuzzy matcher.

use super::reader::Reader;
use crate::store::db::{Connection, params_from_iter};
use rusqlite::types::Value;

use super::customers::fts_query;
use crate::store::access::Scope;
use crate::store::error::{Result, StoreError};

/// Something a picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub label: String,
    /// A second, dimmer line of context (stage and CSM, role and email, ...).
    pub detail: String,
    /// The workspace the row belongs to (a call takes its customer's).
    pub workspace_id: Option<String>,
    /// A person's email and phone (stakeholders: a call form copies them).
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Candidate {
    /// A fixed choice (a menu entry, an enumeration value).
    pub fn fixed(id: &str, label: &str, detail: &str) -> Candidate {
        Candidate {
            id: id.to_owned(),
            label: label.to_owned(),
            detail: detail.to_owned(),
            workspace_id: None,
            email: None,
            phone: None,
        }
    }
}

/// Customers of `workspace` (all workspaces when None) for a picker query: every word of
/// `query` a prefix of a word of the name (FTS5), by name. When that finds nothing (a typo,
/// letters from the middle of a word), the customers whose names have a word starting with
/// the query's first two letters, for the fuzzy matcher to rank.
pub fn customers(r: &Reader<'_>, query: &str, limit: usize) -> Result<Vec<Candidate>> {
    let (conn, scope) = (r.conn(), r.scope());
    let found = customers_matching(conn, scope, fts_query(query), limit)?;
    if !found.is_empty() || query.trim().is_empty() {
        return Ok(found);
    }
    let start: String = query
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .take(2)
        .collect();
    customers_matching(conn, scope, fts_query(&start), limit.max(200))
}

fn customers_matching(
    conn: &Connection,
    scope: &Scope,
    fts: Option<String>,
    limit: usize,
) -> Result<Vec<Candidate>> {
    let mut params: Vec<Value> = Vec::new();
    let mut clauses = Vec::new();
    if !scope.is_everything() {
        clauses.push(scope.customers_sql("c", &mut params));
    }
    if let Some(m) = fts {
        params.push(Value::Text(m));
        clauses.push(format!(
            "c.rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?{})",
            params.len()
        ));
    }
    params.push(Value::Integer(limit as i64));
    let sql = format!(
        "SELECT c.id, c.name, c.workspace_id, c.stage, u.name, c.health_score
         FROM customers c LEFT JOIN users u ON u.id = c.csm_id
         {}
         ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?{}",
        super::keyset::where_clause(&clauses),
        params.len()
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            let stage: String = r.get(3)?;
            let csm: Option<String> = r.get(4)?;
            let health: Option<i64> = r.get(5)?;
            Ok(Candidate {
                id: r.get(0)?,
                label: r.get(1)?,
                detail: format!(
                    "{} · CSM {} · health {}",
                    stage.replace('_', " "),
                    csm.as_deref().unwrap_or("—"),
                    health.map_or("—".into(), |h| h.to_string())
                ),
                workspace_id: r.get(2)?,
                email: None,
                phone: None,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The stakeholders of one customer, primary first, then by name.
/// A customer outside `scope` is not found.
pub fn stakeholders(r: &Reader<'_>, customer_id: &str, limit: usize) -> Result<Vec<Candidate>> {
    let (conn, scope) = (r.conn(), r.scope());
    scope.check(conn, "customers", customer_id)?;
    let rows = conn
        .prepare_cached(
            "SELECT id, name, role, email, is_primary, phone FROM stakeholders WHERE customer_id = ?1
             ORDER BY is_primary DESC, name, id LIMIT ?2",
        )?
        .query_map(rusqlite::params![customer_id, limit as i64], |r| {
            let role: Option<String> = r.get(2)?;
            let email: Option<String> = r.get(3)?;
            let primary: bool = r.get::<_, i64>(4)? != 0;
            Ok(Candidate {
                id: r.get(0)?,
                label: r.get(1)?,
                detail: format!(
                    "{}{} · {}",
                    if primary { "primary · " } else { "" },
                    role.as_deref().unwrap_or("—"),
                    email.as_deref().unwrap_or("—")
                ),
                workspace_id: None,
                email,
                phone: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The active loss reasons of a workspace, by name.
/// A workspace outside `scope` has none to show.
pub fn loss_reasons(r: &Reader<'_>, workspace_id: &str, limit: usize) -> Result<Vec<Candidate>> {
    let (conn, scope) = (r.conn(), r.scope());
    if scope
        .workspaces()
        .is_some_and(|ws| !ws.contains(&workspace_id))
    {
        return Err(StoreError::Scope(
            "loss reasons of another workspace".into(),
        ));
    }
    let rows = conn
        .prepare_cached(
            "SELECT id, name, description FROM loss_reasons
             WHERE workspace_id = ?1 AND is_active = 1 ORDER BY name, id LIMIT ?2",
        )?
        .query_map(rusqlite::params![workspace_id, limit as i64], |r| {
            Ok(Candidate {
                id: r.get(0)?,
                label: r.get(1)?,
                detail: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                workspace_id: Some(workspace_id.to_owned()),
                email: None,
                phone: None,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// People who can be a customer's CSM: the members of `workspace` (everyone when the workspace
/// lists no members, or when there is no workspace), active ones, whose name or email starts
/// with `query`, by name. Outside the owner's scope, only people who share a workspace with
/// the reader.
pub fn users(
    r: &Reader<'_>,
    workspace: Option<&str>,
    query: &str,
    limit: usize,
) -> Result<Vec<Candidate>> {
    let (conn, scope) = (r.conn(), r.scope());
    let prefix = format!(
        "{}%",
        query
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let mut params = vec![
        workspace.map_or(Value::Null, |w| Value::Text(w.to_owned())),
        Value::Text(prefix),
        Value::Integer(limit as i64),
    ];
    let shared = if scope.is_everything() {
        "1".to_owned()
    } else {
        let ws = scope.workspace_sql("sm.workspace_id", &mut params);
        format!("EXISTS (SELECT 1 FROM workspace_members sm WHERE sm.user_id = u.id AND {ws})")
    };
    let rows = conn
        .prepare_cached(&format!(
            "SELECT u.id, u.name, u.email FROM users u
             WHERE u.is_active = 1
               AND (u.name LIKE ?2 ESCAPE '\\' OR u.email LIKE ?2 ESCAPE '\\')
               AND (?1 IS NULL
                    OR NOT EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id = ?1)
                    OR EXISTS (SELECT 1 FROM workspace_members m
                               WHERE m.workspace_id = ?1 AND m.user_id = u.id))
               AND {shared}
             ORDER BY u.name, u.id LIMIT ?3"
        ))?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(Candidate {
                id: r.get(0)?,
                label: r.get(1)?,
                detail: r.get(2)?,
                workspace_id: None,
                email: None,
                phone: None,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
