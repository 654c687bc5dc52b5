//! Rules that span several columns of a row, checked on every write (forms and import alike).
//! Single-column rules (kinds, enumerations, required) live in `fields`.

use crate::store::db::Connection;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use super::error::{FieldError, Result, StoreError};
use super::rows::{self, Row};
use crate::health::config;
use crate::health::kpi::{Bounds, ReferenceRange};

/// Where a row comes from: a rule about how a decision is made applies to new edits, not to
/// the history an import loads (the seeds allow a rejected approval without a comment, an
/// approved one without `resolved_at`; a system's past is loaded as it was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A new edit (the dashboard, a typed write).
    Edit,
    /// Rows of an import: what happened, recorded elsewhere.
    History,
}

/// One primary contact per account (seed 001 `stakeholders.is_primary`): the ids of
/// `customer_id`'s other primary stakeholders, which a write making `keep` primary steps
/// down in the same transaction (`WriteTx` does, for every writer).
pub fn other_primaries(conn: &Connection, customer_id: &str, keep: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM stakeholders WHERE customer_id = ?1 AND is_primary = 1 AND id <> ?2",
        )?
        .query_map([customer_id, keep], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The one-primary rule after a bulk load: of `customer_id`'s primary stakeholders, the one
/// loaded last (highest rowid) stays primary. Returns how many stepped down.
pub fn keep_last_primary(conn: &Connection, customer_id: &str) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE stakeholders SET is_primary = 0
             WHERE customer_id = ?1 AND is_primary = 1
               AND rowid < (SELECT max(rowid) FROM stakeholders
                            WHERE customer_id = ?1 AND is_primary = 1)",
        )?
        .execute([customer_id])?)
}

/// The rules a form checks as its fields are typed ([`check_row`] of an edit), read through
/// the actor's reader: the dashboard's way to ask them before it saves.
pub fn check_edit(r: &super::read::reader::Reader<'_>, table: &str, row: &Row) -> Result<()> {
    check_row(r.conn(), table, row, Origin::Edit)
}

/// Checks the cross-column rules of `table` for the complete row about to be stored.
pub fn check_row(conn: &Connection, table: &str, row: &Row, origin: Origin) -> Result<()> {
    let text = |c: &str| rows::text(row, c);
    match table {
        "approvals" if origin == Origin::History => {}
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
        "analysis_jobs"
            if origin == Origin::Edit
                && text("status").as_deref() == Some("failed")
                && text("error_message").is_none() =>
        {
            return Err(
                FieldError::new(table, "error_message", "is required for a failed job").into(),
            );
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
        // the rules a trigger fires on (docs/playbooks.md): parsed, and naming defined
        // playbooks, before they are stored
        "playbook_triggers" => {
            let kind = text("playbook_type").unwrap_or_default();
            super::playbooks::check_config(
                conn,
                text("trigger_config").as_deref(),
                &kind,
                text("workspace_id").as_deref(),
            )
            .map_err(|e| FieldError::new(table, &e.field, e.reason))?;
        }
        "kpi_time_series" | "kpis" => {
            kpi_ownership(conn, table, row)?;
            if table == "kpis" {
                kpi_weight(row)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The largest KPI weight. Weights are relative to each other; beyond this their sum (and
/// the weighted mean of the KPI scores) overflows to infinity in the health engine and the
/// score becomes NaN, which the database refuses without saying which row caused it.
pub const MAX_KPI_WEIGHT: f64 = 1_000_000.0;

fn kpi_weight(row: &Row) -> Result<()> {
    let weight = match rows::get(row, "weight") {
        Some(Value::Real(r)) => *r,
        Some(Value::Integer(i)) => *i as f64,
        _ => return Ok(()),
    };
    if !(0.0..=MAX_KPI_WEIGHT).contains(&weight) {
        return Err(FieldError::new(
            "kpis",
            "weight",
            format!("must be between 0 and {MAX_KPI_WEIGHT} (weights are relative)"),
        )
        .with_value(weight.to_string())
        .into());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> Row {
        pairs
            .iter()
            .map(|(c, v)| ((*c).to_owned(), Value::Text((*v).to_owned())))
            .collect()
    }

    #[test]
    fn decision_rules_bind_new_edits_and_let_history_load() {
        let store = crate::store::open_in_memory().unwrap();
        let conn = store.conn();
        let rejected = row(&[
            ("status", "rejected"),
            ("resolved_at", "2024-05-01T09:10:00Z"),
        ]);
        let approved = row(&[("status", "approved"), ("comment", "fine")]);
        let failed = row(&[("status", "failed")]);
        for (table, r, column) in [
            ("approvals", &rejected, "comment"),
            ("approvals", &approved, "resolved_at"),
            ("analysis_jobs", &failed, "error_message"),
        ] {
            match check_row(conn, table, r, Origin::Edit) {
                Err(StoreError::Field(f)) => assert_eq!(f.column, column, "{table}"),
                other => panic!("{table}: an edit is refused, got {other:?}"),
            }
            assert!(
                check_row(conn, table, r, Origin::History).is_ok(),
                "{table}"
            );
        }
        // history still has to make sense where it says something
        let backwards = row(&[("started_at", "2024-05-02"), ("finished_at", "2024-05-01")]);
        assert!(check_row(conn, "analysis_jobs", &backwards, Origin::History).is_err());
    }

    #[test]
    fn the_schema_leaves_these_rules_to_the_store() {
        // migration 0008: the tables take the rows an import of history brings
        let store = crate::store::open_in_memory().unwrap();
        let sql: String = store
            .conn()
            .query_row(
                "SELECT group_concat(sql, ' ') FROM sqlite_schema
                 WHERE name IN ('approvals', 'analysis_jobs', 'etl_runs')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!sql.contains("resolved_at IS NOT NULL"), "{sql}");
        assert!(!sql.contains("comment <> ''"), "{sql}");
        assert!(!sql.contains("error_message IS NOT NULL"), "{sql}");
        assert!(!sql.contains("run_ts       TEXT NOT NULL"), "{sql}");
        assert!(sql.contains("CHECK (status IN ('pending', 'approved', 'rejected'))"));
    }
}
