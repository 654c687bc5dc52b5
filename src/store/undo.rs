//! Undo: put back what an earlier write changed, from the changes it recorded
//! (`WriteTx::changes`: each row's key, and its old and new values).
//!
//! An undo is a write like any other — validated, logged, health recomputed — and it refuses
//! to overwrite: if a row is no longer as the edit left it (someone edited it since, here or
//! in another cscx), undoing would silently lose that later edit, so it fails with
//! [`StoreError::Conflict`] naming the columns, and nothing is written.

use serde_json::{Map, Value as Json};

use super::error::{Result, StoreError};
use super::rows;
use super::write::{Action, Activity, Change, WriteTx, key_text};

/// Reverts `changes` (newest first): a created row is deleted, an updated row gets its old
/// values back, a deleted row is inserted again. Returns how many rows were put back.
pub fn revert(w: &mut WriteTx<'_>, changes: &[Change]) -> Result<usize> {
    let mut reverted = 0;
    for change in changes.iter().rev() {
        let table = w
            .catalog()
            .table(&change.table)
            .ok_or_else(|| StoreError::NotFound {
                entity: "table".into(),
                id: change.table.clone(),
            })?;
        let current = rows::read_json(w.conn(), table, &change.key)?;
        match change.action {
            Action::Create => {
                let Some(current) = current else {
                    continue; // already gone: nothing to take back
                };
                unchanged_since(change, &current)?;
                w.delete_row(&change.table, &change.key)?;
            }
            Action::Update => {
                let current = current.ok_or_else(|| StoreError::NotFound {
                    entity: change.table.clone(),
                    id: key_text(&change.key),
                })?;
                unchanged_since(change, &current)?;
                let old = change.old.clone().unwrap_or_default();
                let patch = rows::json_to_row(table, &old)?;
                w.update_row(&change.table, &change.key, patch)?;
            }
            Action::Delete => {
                if current.is_some() {
                    return Err(conflict(change, "a row with this key exists again".into()));
                }
                let old = change.old.clone().unwrap_or_default();
                let row = rows::stored_row(table, &old)?;
                w.insert_row(&change.table, row)?;
            }
        }
        reverted += 1;
    }
    if let Some(first) = changes.first() {
        w.log(Activity {
            action: "undo".into(),
            entity_type: Some(first.table.clone()),
            entity_id: Some(key_text(&first.key)),
            customer_id: first.customers.first().cloned(),
            new_values: Some(serde_json::json!({ "reverted_rows": reverted })),
            ..Activity::default()
        })?;
    }
    Ok(reverted)
}

/// Fails unless every column the change wrote still holds what it wrote.
fn unchanged_since(change: &Change, current: &Map<String, Json>) -> Result<()> {
    let written = change.new.as_ref().cloned().unwrap_or_default();
    let differ: Vec<&str> = written
        .iter()
        .filter(|(column, _)| column.as_str() != "updated_at")
        .filter(|(column, value)| current.get(*column).is_some_and(|c| !same(c, value)))
        .map(|(column, _)| column.as_str())
        .collect();
    if differ.is_empty() {
        Ok(())
    } else {
        Err(conflict(change, differ.join(", ")))
    }
}

fn conflict(change: &Change, columns: String) -> StoreError {
    StoreError::Conflict {
        entity: change.table.clone(),
        id: key_text(&change.key),
        columns,
    }
}

/// JSON equality that treats 1 and 1.0 as the same number (REAL columns read back as floats).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}
