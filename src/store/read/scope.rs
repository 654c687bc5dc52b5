//! Workspace scope for reads by id. Lists filter by workspace in their own queries; a read that
//! names one row (a customer's trends, a deal's notes, a session's thread, a record opened in a
//! form) asks here first, so an id from elsewhere shows nothing of another workspace.

use rusqlite::{Connection, OptionalExtension};

use crate::store::error::{Result, StoreError};

/// The workspace `table`'s row `id` belongs to (None: no such row).
pub fn workspace_of(conn: &Connection, table: &str, id: &str) -> Result<Option<String>> {
    let sql = match table {
        // these carry their own workspace
        "customers" => "SELECT workspace_id FROM customers WHERE id = ?1",
        "calls" => "SELECT workspace_id FROM calls WHERE id = ?1",
        "loss_reasons" => "SELECT workspace_id FROM loss_reasons WHERE id = ?1",
        "deals" => {
            "SELECT c.workspace_id FROM deals x JOIN customers c ON c.id = x.customer_id
             WHERE x.id = ?1"
        }
        "stakeholders" => {
            "SELECT c.workspace_id FROM stakeholders x JOIN customers c ON c.id = x.customer_id
             WHERE x.id = ?1"
        }
        "contracts" => {
            "SELECT c.workspace_id FROM contracts x JOIN customers c ON c.id = x.customer_id
             WHERE x.id = ?1"
        }
        "insights" => {
            "SELECT c.workspace_id FROM insights x JOIN customers c ON c.id = x.customer_id
             WHERE x.id = ?1"
        }
        "meetings" => {
            "SELECT c.workspace_id FROM meetings x JOIN customers c ON c.id = x.customer_id
             WHERE x.id = ?1"
        }
        "agent_sessions" => {
            "SELECT c.workspace_id FROM agent_sessions x JOIN customers c ON c.id = x.customer_id
             WHERE x.id = ?1"
        }
        "approvals" => {
            "SELECT c.workspace_id FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
             JOIN customers c ON c.id = s.customer_id WHERE a.id = ?1"
        }
        other => {
            return Err(StoreError::Scope(format!(
                "no workspace rule for reads of {other}"
            )));
        }
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Whether row `id` of `table` exists and may be shown to an actor confined to `workspace`
/// (any existing row when None).
pub fn visible(conn: &Connection, workspace: Option<&str>, table: &str, id: &str) -> Result<bool> {
    Ok(match workspace_of(conn, table, id)? {
        None => false,
        Some(w) => workspace.is_none_or(|scope| scope == w),
    })
}
