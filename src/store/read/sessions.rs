//! Agent sessions, their message threads, and the queue of pending approvals across accounts.

use super::reader::Reader;
use crate::store::db::params_from_iter;
use rusqlite::types::Value;

use super::Anchor;
use super::customers::Cursor;
use super::keyset::{Page, where_clause};
use crate::store::access::Scope;
use crate::store::error::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub user_name: Option<String>,
    pub status: String,
    pub active_agent: String,
    pub created_at: String,
    pub messages: i64,
    pub pending_approvals: i64,
    pub cursor: Cursor,
}

/// Sessions newest first, of one customer or of every customer (of a workspace).
pub fn page(
    r: &Reader<'_>,
    customer_id: Option<&str>,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> Result<Vec<SessionRow>> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = Vec::new();
    let mut clauses = filters(scope, customer_id, &mut params);
    let page = Page::new("s.created_at", "s.id", true, anchor, &mut params);
    clauses.extend(page.clause.clone());
    let dir = page.direction;
    let sql = format!(
        "SELECT s.id, s.customer_id, c.name, u.name, s.status, s.active_agent, s.created_at,
                (SELECT count(*) FROM agent_messages m WHERE m.session_id = s.id),
                (SELECT count(*) FROM approvals a WHERE a.session_id = s.id AND a.status = 'pending')
         FROM agent_sessions s JOIN customers c ON c.id = s.customer_id
         LEFT JOIN users u ON u.id = s.user_id
         {}
         ORDER BY s.created_at {dir}, s.id {dir} LIMIT {limit}",
        where_clause(&clauses)
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            let id: String = r.get(0)?;
            let created_at: String = r.get(6)?;
            Ok(SessionRow {
                customer_id: r.get(1)?,
                customer_name: r.get(2)?,
                user_name: r.get(3)?,
                status: r.get(4)?,
                active_agent: r.get(5)?,
                messages: r.get(7)?,
                pending_approvals: r.get(8)?,
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

/// What [`page`] and [`count`] filter on, over `agent_sessions s JOIN customers c`.
fn filters(scope: &Scope, customer_id: Option<&str>, params: &mut Vec<Value>) -> Vec<String> {
    let mut clauses = Vec::new();
    if !scope.is_everything() {
        clauses.push(scope.customers_sql("c", params));
    }
    if let Some(id) = customer_id {
        params.push(Value::Text(id.to_owned()));
        clauses.push(format!("s.customer_id = ?{}", params.len()));
    }
    clauses
}

/// How many sessions [`page`] lists for the same filters (the M of the title's "N of M").
pub fn count(r: &Reader<'_>, customer_id: Option<&str>) -> Result<i64> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = Vec::new();
    let clauses = filters(scope, customer_id, &mut params);
    // unfiltered, the join cannot drop a session (customer_id is NOT NULL and a foreign key)
    // and counting the table alone walks one small index instead of looking up a customer
    // per session
    let from = if scope.is_everything() {
        "agent_sessions s"
    } else {
        "agent_sessions s JOIN customers c ON c.id = s.customer_id"
    };
    let sql = format!("SELECT count(*) FROM {from} {}", where_clause(&clauses));
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |r| r.get(0))?)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: String,
    pub agent_id: Option<String>,
    pub content: String,
    pub thinking: bool,
    pub requires_approval: bool,
    /// The names of the tools called, in order (the arguments stay in the database).
    pub tool_calls: Vec<String>,
    pub created_at: String,
}

/// The first `limit` messages of a session, oldest first.
/// A session outside `scope` is not found.
pub fn thread(r: &Reader<'_>, session_id: &str, limit: usize) -> Result<Vec<Message>> {
    let (conn, scope) = (r.conn(), r.scope());
    scope.check(conn, "agent_sessions", session_id)?;
    let rows = conn
        .prepare_cached(
            "SELECT role, agent_id, content, thinking, requires_approval, tool_calls, created_at
             FROM agent_messages WHERE session_id = ?1
             ORDER BY created_at, rowid LIMIT ?2",
        )?
        .query_map(rusqlite::params![session_id, limit as i64], |r| {
            let tools: Option<String> = r.get(5)?;
            Ok(Message {
                role: r.get(0)?,
                agent_id: r.get(1)?,
                content: r.get(2)?,
                thinking: r.get::<_, i64>(3)? != 0,
                requires_approval: r.get::<_, i64>(4)? != 0,
                tool_calls: tools.map(|t| tool_names(&t)).unwrap_or_default(),
                created_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Tool names from a tool_calls JSON value: an array of calls, each a string or an object
/// with `name` (or `function.name`, OpenAI's shape); anything else is shown as "tool".
fn tool_names(json: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    let calls = match value {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Null => Vec::new(),
        other => vec![other],
    };
    calls
        .iter()
        .map(|c| {
            c.as_str()
                .or_else(|| c.get("name").and_then(|n| n.as_str()))
                .or_else(|| c.pointer("/function/name").and_then(|n| n.as_str()))
                .unwrap_or("tool")
                .to_owned()
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct PendingApproval {
    pub id: String,
    pub session_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub agent_id: String,
    pub action: String,
    pub details: Option<String>,
    pub created_at: String,
    pub cursor: Cursor,
}

/// Pending approvals of every account (of a workspace), oldest first: the queue to work off.
pub fn pending_approvals(
    r: &Reader<'_>,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> Result<Vec<PendingApproval>> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = Vec::new();
    // the partial index idx_approvals_pending serves this ordering
    let mut clauses = vec!["a.status = 'pending'".to_owned()];
    if !scope.is_everything() {
        clauses.push(scope.customers_sql("c", &mut params));
    }
    let page = Page::new("a.created_at", "a.id", false, anchor, &mut params);
    clauses.extend(page.clause.clone());
    let dir = page.direction;
    let sql = format!(
        "SELECT a.id, a.session_id, s.customer_id, c.name, a.agent_id, a.action, a.details,
                a.created_at
         FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
         JOIN customers c ON c.id = s.customer_id
         {}
         ORDER BY a.created_at {dir}, a.id {dir} LIMIT {limit}",
        where_clause(&clauses)
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            let id: String = r.get(0)?;
            let created_at: String = r.get(7)?;
            Ok(PendingApproval {
                session_id: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                agent_id: r.get(4)?,
                action: r.get(5)?,
                details: r.get(6)?,
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

/// How many approvals wait, across accounts (of a workspace).
pub fn pending_count(r: &Reader<'_>) -> Result<i64> {
    let (conn, scope) = (r.conn(), r.scope());
    if scope.is_everything() {
        // the partial index holds exactly the pending ones
        return Ok(conn
            .prepare_cached("SELECT count(*) FROM approvals WHERE status = 'pending'")?
            .query_row([], |r| r.get(0))?);
    }
    let mut params = Vec::new();
    let visible = scope.customers_sql("c", &mut params);
    let sql = format!("SELECT ifnull(sum(c.open_approvals), 0) FROM customers c WHERE {visible}");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_names_read_the_common_shapes() {
        assert_eq!(
            tool_names(r#"[{"name":"crm.lookup"},{"function":{"name":"send"}},"plain",3]"#),
            ["crm.lookup", "send", "plain", "tool"]
        );
        assert!(tool_names("not json").is_empty());
    }
}
