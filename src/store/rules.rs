//! Rules that span several columns of a row, checked on every write (forms and import alike).
//! Single-column rules (kinds, enumerations, required) live in `fields`.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::error::{FieldError, Result, StoreError};
use super::rows::{self, Row};
use crate::health::config;
use crate::health::kpi::{Bounds, ReferenceRange};

/// Checks the cross-column rules of `table` for the complete row about to be stored.
pub fn check_row(conn: &Connection, table: &str, row: &Row) -> Result<()> {
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
        // a call cannot end before it was due to start (a no-show scheduled 09:00 was
        // stored completed at 08:16: the form's default of "now")
        "calls"
            if text("completed_at")
                .zip(text("scheduled_at"))
                .is_some_and(|(done, due)| done < due) =>
        {
            let due = text("scheduled_at").unwrap_or_default();
            return Err(FieldError::new(
                table,
                "completed_at",
                format!("is before the call was scheduled ({due})"),
            )
            .with_value(text("completed_at").unwrap_or_default())
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
        "workspace_configs" | "kpi_reference_ranges" => health_config(table, row)?,
        "kpi_time_series" | "kpis" => kpi_ownership(conn, table, row)?,
        _ => {}
    }
    Ok(())
}

/// Health configuration that cannot be scored unambiguously is refused here, at write time,
/// naming the field (the checks are `health::config`'s, the ones scoring relies on).
fn health_config(table: &str, row: &Row) -> Result<()> {
    let refuse =
        |e: config::ConfigError| -> StoreError { FieldError::new(table, e.field, e.reason).into() };
    let number = |c: &str| match rows::get(row, c) {
        Some(Value::Real(r)) => Some(*r),
        Some(Value::Integer(i)) => Some(*i as f64),
        _ => None,
    };
    if table == "workspace_configs" {
        if let Some(text) = rows::text(row, "category_weights") {
            config::parse_category_weights(&text).map_err(refuse)?;
        }
        if let Some(text) = rows::text(row, "component_weights") {
            config::parse_component_weights(&text).map_err(refuse)?;
        }
        let integer = |c: &str, default: i64| match rows::get(row, c) {
            Some(Value::Integer(i)) => *i,
            _ => default,
        };
        let defaults = crate::health::Thresholds::default();
        config::check_thresholds(
            integer("red_below", i64::from(defaults.red_below)),
            integer("green_from", i64::from(defaults.green_from)),
        )
        .map_err(refuse)?;
        return Ok(());
    }
    let bounds = |band: &str| {
        Bounds::new(
            number(&format!("{band}_min")),
            number(&format!("{band}_max")),
        )
    };
    let range = ReferenceRange {
        higher_is_better: !matches!(rows::get(row, "higher_is_better"), Some(Value::Integer(0))),
        critical: bounds("critical"),
        risk: bounds("risk"),
        healthy: bounds("healthy"),
    };
    config::check_range(&range).map_err(refuse)
}

/// A KPI's monthly values belong to the KPI's customer: the health engine recomputes the
/// customer a written row names, so a value filed under another customer would leave the
/// KPI's own customer stale.
fn kpi_ownership(conn: &Connection, table: &str, row: &Row) -> Result<()> {
    let (Some(customer), Some(kpi)) = (
        rows::text(row, "customer_id"),
        rows::text(row, if table == "kpis" { "id" } else { "kpi_id" }),
    ) else {
        return Ok(());
    };
    if table == "kpi_time_series" {
        let owner: Option<String> = conn
            .prepare_cached("SELECT customer_id FROM kpis WHERE id = ?1")?
            .query_row([&kpi], |r| r.get(0))
            .optional()?;
        if let Some(owner) = owner
            && owner != customer
        {
            return Err(FieldError::new(
                table,
                "customer_id",
                format!("must be the KPI's customer ({owner})"),
            )
            .with_value(customer)
            .into());
        }
    } else {
        let elsewhere: Option<String> = conn
            .prepare_cached(
                "SELECT customer_id FROM kpi_time_series WHERE kpi_id = ?1 AND customer_id <> ?2 LIMIT 1",
            )?
            .query_row([&kpi, &customer], |r| r.get(0))
            .optional()?;
        if elsewhere.is_some() {
            return Err(FieldError::new(
                table,
                "customer_id",
                "cannot change: the KPI has monthly values of its customer (delete it and create it again)",
            )
            .with_value(customer)
            .into());
        }
    }
    Ok(())
}
