//! Rules that span several columns of a row, checked on every write (forms and import alike).
//! Single-column rules (kinds, enumerations, required) live in `fields`.

use rusqlite::Connection;
use rusqlite::types::Value;

use super::error::{FieldError, Result};
use super::rows::{self, Row};

/// Checks the cross-column rules of `table` for the complete row about to be stored.
pub fn check_row(_conn: &Connection, table: &str, row: &Row) -> Result<()> {
    let text = |c: &str| rows::text(row, c);
    match table {
        "calls"
            if text("outcome").as_deref() == Some("lost") && text("loss_reason_id").is_none() =>
        {
            return Err(FieldError::new(
                table,
                "loss_reason_id",
                "is required when the outcome is lost",
            )
            .into());
        }
        "approvals" => {
            let status = text("status");
            if status.as_deref() == Some("rejected")
                && text("comment").is_none_or(|c| c.trim().is_empty())
            {
                return Err(FieldError::new(table, "comment", "is required to reject").into());
            }
            if status.as_deref().is_some_and(|s| s != "pending") && text("resolved_at").is_none() {
                return Err(
                    FieldError::new(table, "resolved_at", "is required once resolved").into(),
                );
            }
        }
        "contracts" | "analysis_jobs" | "playbook_executions" | "training_progress" => {
            let (from, to) = match table {
                "contracts" => ("start_date", "end_date"),
                "analysis_jobs" => ("started_at", "finished_at"),
                _ => ("started_at", "completed_at"),
            };
            if let (Some(a), Some(b)) = (text(from), text(to))
                && b < a
            {
                return Err(
                    FieldError::new(table, to, format!("is before {from} ({a})"))
                        .with_value(b)
                        .into(),
                );
            }
        }
        "playbook_reports" => {
            if let (Some(Value::Integer(done)), Some(Value::Integer(total))) = (
                rows::get(row, "steps_completed"),
                rows::get(row, "total_steps"),
            ) && done > total
            {
                return Err(FieldError::new(
                    table,
                    "steps_completed",
                    format!("exceeds total_steps ({total})"),
                )
                .with_value(done.to_string())
                .into());
            }
        }
        _ => {}
    }
    Ok(())
}
