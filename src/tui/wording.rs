//! A refused write said in the form's words, not the store's: the store's errors name
//! tables, columns and ids (`loss_reasons.workspace_id, name: already exists (must be
//! unique)`, `customers 0196a000-… changed since it was opened (arr_cents)`, `calls 01a2…
//! not found`), which is right for an import report and wrong for someone at a form:
//! `a loss reason "Price" already exists`; `Acme Corp was changed by Fox Mulder at
//! 2026-06-01 10:02 UTC: ARR $220k → $250k`; `this call was deleted elsewhere`.

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value as Json;

use super::text::{minute, money};
use super::writes::{Failure, Write};
use crate::store::StoreError;
use crate::store::read::records::name_of;
use crate::store::rows::quote;

/// What a row of `table` is called in a sentence.
fn noun(table: &str) -> String {
    match table {
        "calls" => "call".into(),
        "customers" => "customer".into(),
        "loss_reasons" => "loss reason".into(),
        "stakeholders" => "stakeholder".into(),
        "deals" => "deal".into(),
        "deal_actions" => "deal action".into(),
        "insights" => "insight".into(),
        "meetings" => "meeting".into(),
        "approvals" => "approval".into(),
        "users" => "user".into(),
        other => other.trim_end_matches('s').replace('_', " "),
    }
}

/// What a column is called on a form: `arr_cents` → ARR, `csm_id` → CSM, `renewal_date` →
/// renewal date.
fn field(column: &str) -> String {
    match column {
        "arr_cents" => "ARR".into(),
        "csm_id" => "CSM".into(),
        "amount_cents" => "amount".into(),
        other => other
            .trim_end_matches("_cents")
            .trim_end_matches("_id")
            .trim_end_matches("_txt")
            .replace('_', " "),
    }
}

/// A stored value as the dashboard shows it.
fn shown(column: &str, v: &Json) -> String {
    match v {
        Json::Null => "—".into(),
        Json::Number(n) if column.ends_with("_cents") => money(n.as_i64()),
        Json::String(s) => crate::tui::text::clean(s).into_owned(),
        other => other.to_string(),
    }
}

/// The record as the form opened it, for the write that edits one.
fn base_of(write: &Write) -> Option<Json> {
    match write {
        Write::Call { base: Some(b), .. } => serde_json::to_value(b).ok(),
        Write::Customer { base, .. } => serde_json::to_value(base).ok(),
        Write::Stakeholder { base: Some(b), .. } => serde_json::to_value(b).ok(),
        Write::Deal { base, .. } => serde_json::to_value(base).ok(),
        Write::Insight { base, .. } => serde_json::to_value(base).ok(),
        _ => None,
    }
}

/// The name a write gives the row it creates (for "already exists").
fn created_name(write: &Write) -> Option<String> {
    match write {
        Write::LossReason { reason } => Some(reason.name.clone()),
        Write::Stakeholder { record, .. } => Some(record.name.clone()),
        _ => None,
    }
}

/// `e`, the reason `write` was refused, as a person at the form reads it. Reads what it
/// needs to say who changed what (the activity log, the row as stored) on `conn`; when a
/// read fails the store's own words are kept.
pub fn failure(conn: &Connection, write: &Write, e: StoreError) -> Failure {
    let (message, unique) = match &e {
        StoreError::Field(f) if f.reason.starts_with("already exists") => {
            let what = noun(&f.table);
            let text = match created_name(write) {
                Some(name) => format!("a {what} \"{}\" already exists", name.trim()),
                None => format!("this {what} already exists"),
            };
            (Some(text), f.column.contains(','))
        }
        StoreError::NotFound { entity, .. } => (
            Some(format!("this {} was deleted elsewhere", noun(entity))),
            false,
        ),
        StoreError::Conflict {
            entity,
            id,
            columns,
        } => (conflict(conn, write, entity, id, columns).ok(), false),
        _ => (None, false),
    };
    let mut failure = Failure::from(e);
    if let Some(text) = message {
        failure.message = text;
    }
    // a key of several columns: beside the field people type the name in
    if unique && let Some((_, column, reason)) = &mut failure.field {
        *column = "name".into();
        *reason = "already exists".into();
    }
    failure
}

/// `Acme Corp was changed by Fox Mulder at 2026-06-01 10:02 UTC: ARR $220k → $250k`.
fn conflict(
    conn: &Connection,
    write: &Write,
    table: &str,
    id: &str,
    columns: &str,
) -> crate::store::Result<String> {
    let who_when: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT a.created_at, u.name FROM activity_log a LEFT JOIN users u ON u.id = a.user_id
             WHERE a.entity_type = ?1 AND a.entity_id = ?2
             ORDER BY a.created_at DESC, a.rowid DESC LIMIT 1",
        )?
        .query_row([table, id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let name = name_of(conn, table, id)?.unwrap_or_else(|| format!("this {}", noun(table)));
    let mut text = format!("{} was changed", crate::tui::text::clean(&name));
    match who_when {
        Some((at, who)) => {
            text.push_str(&format!(
                " by {} at {} UTC",
                who.as_deref().unwrap_or("another process"),
                minute(&at)
            ));
        }
        None => text.push_str(" elsewhere"),
    }
    let base = base_of(write);
    let mut changes = Vec::new();
    for column in columns.split(", ") {
        let stored: Option<Json> = conn
            .prepare(&format!(
                "SELECT json_quote({}) FROM {} WHERE id = ?1",
                quote(column),
                quote(table)
            ))?
            .query_row([id], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|s| serde_json::from_str(&s).ok());
        let was = base.as_ref().and_then(|b| b.get(column)).cloned();
        match (was, stored) {
            (Some(was), Some(now)) => changes.push(format!(
                "{} {} → {}",
                field(column),
                shown(column, &was),
                shown(column, &now)
            )),
            _ => changes.push(field(column)),
        }
    }
    text.push_str(": ");
    text.push_str(&changes.join(", "));
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_tables_in_a_forms_words() {
        assert_eq!(field("arr_cents"), "ARR");
        assert_eq!(field("renewal_date"), "renewal date");
        assert_eq!(field("loss_reason_id"), "loss reason");
        assert_eq!(noun("loss_reasons"), "loss reason");
        assert_eq!(noun("calls"), "call");
        assert_eq!(shown("arr_cents", &Json::from(22_000_000)), "$220k");
        assert_eq!(shown("notes", &Json::Null), "—");
    }
}
