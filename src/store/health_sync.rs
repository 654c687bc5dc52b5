//! Keeps stored health in step with its inputs, inside the write transaction.
//!
//! Before every commit, [`after_write`] works out which customers the transaction touched
//! and recomputes exactly those (`crate::health` has the formula). For each one it computes,
//! from its inputs alone, what its stored health should be — `customers.health_score`, the
//! score and status of each of its `kpi_time_series` rows, a `health_trends` row for every
//! month with KPI data and the current month (other stored months are history it cannot
//! reproduce, and are left alone), today's `customer_scores` row of type
//! `health` with the explanation — and writes only what differs. A score that moves is logged
//! (`activity_log`, action `health_change`) and returned as a [`HealthChange`].
//!
//! Which customers a write touches:
//! * every customer named by a written row of an input table ([`INPUT_TABLES`]);
//! * every customer the write asked for with `WriteTx::touch_customer` (bulk loads that
//!   write around `insert_row`);
//! * every customer the triggers of [`PENDING_SQL`] put in `health_pending`: all customers
//!   with a KPI of a changed reference range's name, all customers of a workspace whose
//!   configuration changed, and those whose calls or training progress a delete cascaded
//!   away.
//!
//! These writes are the store's own derived data, not edits: they go straight through the
//! connection, are not recorded as changes, and only a moved score is logged.

mod pipeline;
mod plan;

use std::collections::BTreeSet;

use crate::store::db::{Connection, Engine};
use chrono::NaiveDate;
use serde_json::json;

pub use pipeline::{Batch, Pipeline, can_open_twice, planners};
pub use plan::{Plan, SEED_CATEGORY_COLUMNS};

use super::error::Result;
use super::write::{Activity, HealthChange, WriteTx};

/// Health inputs that change without the write naming the customers they affect:
/// * a reference range applies to every customer's KPI of that name;
/// * a workspace's configuration (weights, thresholds) applies to all its customers;
/// * deleting a user deletes their calls (seed 004: `calls.user_id ON DELETE CASCADE`);
/// * deleting a training module or a stakeholder deletes training progress (seed 001).
///
/// An update records only the columns that changed, so the write path cannot tell which range
/// or workspace an edit was about, and a cascade is invisible to it. These triggers put the
/// customers concerned into `health_pending`, which [`after_write`] empties in the same
/// transaction. Both are TEMP objects, installed on each writing connection by [`install`]:
/// bookkeeping of this process, not part of the schema (no migration, nothing to export).
pub const PENDING_SQL: &str = "
CREATE TEMP TABLE IF NOT EXISTS health_pending (
  customer_id TEXT PRIMARY KEY NOT NULL
) STRICT, WITHOUT ROWID;

-- kpis.kpi_parameter is COLLATE NOCASE, like kpi_reference_ranges.kpi_name: these
-- comparisons match names case-insensitively and use idx_kpis_parameter.
CREATE TEMP TRIGGER IF NOT EXISTS health_ranges_insert AFTER INSERT ON main.kpi_reference_ranges BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM main.kpis WHERE kpi_parameter = NEW.kpi_name;
END;
CREATE TEMP TRIGGER IF NOT EXISTS health_ranges_update AFTER UPDATE OF kpi_name, higher_is_better,
  critical_min, critical_max, risk_min, risk_max, healthy_min, healthy_max
ON main.kpi_reference_ranges BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM main.kpis WHERE kpi_parameter IN (OLD.kpi_name, NEW.kpi_name);
END;
CREATE TEMP TRIGGER IF NOT EXISTS health_ranges_delete AFTER DELETE ON main.kpi_reference_ranges BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM main.kpis WHERE kpi_parameter = OLD.kpi_name;
END;

CREATE TEMP TRIGGER IF NOT EXISTS health_configs_insert AFTER INSERT ON main.workspace_configs BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT id FROM main.customers WHERE workspace_id = NEW.workspace_id;
END;
CREATE TEMP TRIGGER IF NOT EXISTS health_configs_update AFTER UPDATE OF workspace_id,
  category_weights, component_weights, red_below, green_from
ON main.workspace_configs BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT id FROM main.customers WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
CREATE TEMP TRIGGER IF NOT EXISTS health_configs_delete AFTER DELETE ON main.workspace_configs BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT id FROM main.customers WHERE workspace_id = OLD.workspace_id;
END;

-- BEFORE DELETE: once the cascade has run, the rows that name the customers are gone.
CREATE TEMP TRIGGER IF NOT EXISTS health_users_delete BEFORE DELETE ON main.users BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM main.calls WHERE user_id = OLD.id AND customer_id IS NOT NULL;
END;
CREATE TEMP TRIGGER IF NOT EXISTS health_modules_delete BEFORE DELETE ON main.training_modules BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM main.training_progress WHERE module_id = OLD.id;
END;
CREATE TEMP TRIGGER IF NOT EXISTS health_stakeholders_delete BEFORE DELETE ON main.stakeholders BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM main.training_progress WHERE stakeholder_id = OLD.id;
END;
";

/// Installs [`PENDING_SQL`] on a connection that writes (after migrations: the triggers name
/// its tables). Called when the store opens a database.
pub fn install(conn: &Connection) -> Result<()> {
    match conn.engine() {
        Engine::Sqlite => conn.execute_batch(PENDING_SQL)?,
        // the triggers are in the PostgreSQL schema (postgres::pending)
        Engine::Postgres => {
            conn.execute_batch(&super::postgres::pending::temp_tables(PENDING_SQL))?
        }
    }
    Ok(())
}

/// Tables whose rows are health inputs of the customer they belong to. `customers` itself is
/// one (its workspace decides the configuration, its name is in the explanation), and so are
/// the derived tables, so that an edit to a derived row is put right in the same write.
pub const INPUT_TABLES: [&str; 11] = [
    "customers",
    "kpis",
    "kpi_time_series",
    "agent_sessions",
    "agent_messages",
    "calls",
    "meetings",
    "training_progress",
    "telemetry_metrics",
    "customer_scores",
    "health_trends",
];

/// Recomputes the health of every customer whose inputs `w` changed (see
/// `WriteTx::changes` and `WriteTx::forced`); returns the scores that moved. Called by
/// `Store::write` before every commit.
pub fn after_write(w: &mut WriteTx<'_>) -> Result<Vec<HealthChange>> {
    Ok(after_write_touched(w)?.1)
}

/// [`after_write`], also returning the customers the write touched (the playbook engine
/// evaluates exactly those: `store::playbooks::after_write`).
pub fn after_write_touched(w: &mut WriteTx<'_>) -> Result<(BTreeSet<String>, Vec<HealthChange>)> {
    let customers = touched(w)?;
    let moved = recompute_each(w, customers.iter().cloned())?;
    Ok((customers, moved))
}

/// Recomputes from scratch the health of `customers` (every customer when None, or every
/// customer of the actor's workspace when the actor has one), with every month of
/// `health_trends` that has KPI data. Used by `cscx recompute`, `generate` and bulk imports.
pub fn recompute(w: &mut WriteTx<'_>, customers: Option<&[String]>) -> Result<Vec<HealthChange>> {
    let ids = match customers {
        Some(ids) => ids.to_vec(),
        None => all_customers(w.conn(), w.actor().workspace_id.as_deref())?,
    };
    recompute_each(w, ids)
}

/// Customers per transaction in [`recompute_all`].
pub const BATCH: usize = 1000;

/// Recomputes every customer (of `workspace`, or all), [`BATCH`] customers per write
/// transaction; returns the scores that moved. `progress(done, total)` is called after each
/// batch.
///
/// Why not one transaction: a recompute from scratch rewrites millions of rows, and a
/// write-ahead log of gigabytes makes every page lookup in it slower (SQLite searches the
/// log's index segment by segment), so one huge transaction slows down as it grows.
/// Health is derived data: each batch is consistent on its own, and running the recompute
/// again repairs an interrupted one. Bulk loaders should commit their rows first and then
/// call this (not [`recompute`] inside the load's transaction).
///
/// On a database file and a machine with two cores or more, planner threads read and plan
/// the next batches while this thread writes the current one ([`recompute_batches`]).
///
/// A maintenance action: refused unless the actor may recompute
/// ([`super::access::Access::may_recompute`]); it covers the customers the actor sees.
pub fn recompute_all(
    store: &mut super::Store,
    progress: impl FnMut(usize, usize),
) -> Result<Vec<HealthChange>> {
    store.access()?.may_recompute()?;
    let ids = customer_ids(&store.reader(false)?)?;
    recompute_batches(store, ids, BATCH, pipeline::planners(), progress)
}

/// Recomputes the health of `customers` in one transaction (`cscx recompute --customer`):
/// refused unless the actor may recompute, and `NotFound` for a customer they do not see.
pub fn recompute_some(store: &mut super::Store, customers: &[String]) -> Result<Vec<HealthChange>> {
    store.access()?.may_recompute()?;
    {
        let r = store.reader(false)?;
        for id in customers {
            r.scope().check(r.conn(), "customers", id)?;
        }
    }
    let written = store.write(|w| recompute(w, Some(customers)))?;
    let mut moved = written.value;
    moved.extend(written.health);
    Ok(moved)
}

/// [`recompute_all`] of `ids`, `size` customers per transaction, with `planners` planner
/// threads reading ahead of the writer (`health_sync/pipeline.rs`: why, and why the result
/// is the same). The one-thread path when `planners` is 0, when the database cannot be
/// opened a second time (in memory) and for one batch or less. Public for the tests that
/// compare both paths.
pub fn recompute_batches(
    store: &mut super::Store,
    ids: Vec<String>,
    size: usize,
    planners: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<HealthChange>> {
    let size = size.max(1);
    let total = ids.len();
    let mut moved = Vec::new();
    let mut done = 0;
    if planners == 0 || total <= size || !pipeline::can_open_twice(store.path()) {
        for chunk in ids.chunks(size) {
            let written = store.write(|w| recompute(w, Some(chunk)))?;
            moved.extend(written.value);
            moved.extend(written.health);
            done += chunk.len();
            progress(done, total);
        }
        return Ok(moved);
    }
    let path = store.path().to_owned();
    let today = store.today();
    let mut pipeline = Pipeline::start(store, &path, ids, size, today, planners)?;
    while let Some(batch) = pipeline.next_batch()? {
        let count = batch.ids.len();
        let written = store.write(|w| pipeline.apply(w, batch))?;
        moved.extend(written.value);
        moved.extend(written.health);
        done += count;
        progress(done, total);
    }
    Ok(moved)
}

/// Every customer id the reader sees, in table order.
pub fn customer_ids(r: &super::read::reader::Reader<'_>) -> Result<Vec<String>> {
    let mut params = Vec::new();
    let visible = r.scope().customers_sql("c", &mut params);
    let mut stmt = r.conn().prepare_cached(&format!(
        "SELECT c.id FROM customers c WHERE {visible} ORDER BY c.rowid"
    ))?;
    let ids = stmt
        .query_map(crate::store::db::params_from_iter(params.iter()), |row| {
            row.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// How many customers wait in the engine's queue for a recompute. The queue is a TEMP table
/// of the store's own connection, emptied inside every write, so between writes this is 0;
/// a test (or a health check) that finds otherwise has found a write that skipped the engine.
pub fn pending(store: &super::Store) -> Result<i64> {
    Ok(store
        .conn()
        .query_row("SELECT count(*) FROM temp.health_pending", [], |r| r.get(0))?)
}

/// A customer whose stored health differs from a recompute, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    pub customer_id: String,
    pub customer_name: String,
    pub differences: Vec<String>,
}

/// Compares the stored health of `customers` (None: every customer the reader sees) with a
/// recompute as of `today`, writing nothing. Empty means a recompute would change nothing.
/// A read: a customer the reader does not see is `NotFound`.
pub fn drift(
    r: &super::read::reader::Reader<'_>,
    customers: Option<&[String]>,
    today: NaiveDate,
) -> Result<Vec<Drift>> {
    let conn = r.conn();
    let ids = match customers {
        Some(ids) => {
            for id in ids {
                r.scope().check(conn, "customers", id)?;
            }
            ids.to_vec()
        }
        None => customer_ids(r)?,
    };
    let mut configs = plan::Configs::new();
    let mut found = Vec::new();
    for id in ids {
        let Some(p) = plan::plan(conn, &id, today, &mut configs)? else {
            continue;
        };
        if !p.is_empty() {
            found.push(Drift {
                differences: p.describe(),
                customer_id: p.customer.id,
                customer_name: p.customer.name,
            });
        }
    }
    Ok(found)
}

/// Computes the plan of one customer without writing (benchmarks, tests); None for a
/// customer the reader does not see.
pub fn plan_for(
    r: &super::read::reader::Reader<'_>,
    customer_id: &str,
    today: NaiveDate,
) -> Result<Option<Plan>> {
    if !r.visible("customers", customer_id)? {
        return Ok(None);
    }
    plan::plan(r.conn(), customer_id, today, &mut plan::Configs::new())
}

fn all_customers(conn: &Connection, workspace: Option<&str>) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM customers WHERE ?1 IS NULL OR workspace_id = ?1 ORDER BY rowid",
    )?;
    let ids = stmt
        .query_map([workspace], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The customers `w` touched (module documentation), emptying `health_pending`.
fn touched(w: &WriteTx<'_>) -> Result<BTreeSet<String>> {
    let mut customers = w.forced().clone();
    for change in w.changes() {
        if INPUT_TABLES.contains(&change.table.as_str()) {
            customers.extend(change.customers.iter().cloned());
        }
    }
    let mut stmt = w
        .conn()
        .prepare_cached("DELETE FROM health_pending RETURNING customer_id")?;
    let pending = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for id in pending {
        customers.insert(id?);
    }
    Ok(customers)
}

fn recompute_each(
    w: &mut WriteTx<'_>,
    customers: impl IntoIterator<Item = String>,
) -> Result<Vec<HealthChange>> {
    let today = w.today();
    let now = super::ids::now();
    let mut configs = plan::Configs::new();
    let mut moved = Vec::new();
    for id in customers {
        let Some(p) = plan::plan(w.conn(), &id, today, &mut configs)? else {
            continue; // deleted in this transaction
        };
        apply_each(w, std::iter::once(p), &now, &mut moved)?;
    }
    Ok(moved)
}

/// Writes the plans (of one transaction, as of `w.today()`), logging and returning the
/// scores that moved.
fn apply_plans(
    w: &mut WriteTx<'_>,
    plans: impl IntoIterator<Item = Plan>,
) -> Result<Vec<HealthChange>> {
    let now = super::ids::now();
    let mut moved = Vec::new();
    apply_each(w, plans, &now, &mut moved)?;
    Ok(moved)
}

fn apply_each(
    w: &mut WriteTx<'_>,
    plans: impl IntoIterator<Item = Plan>,
    // derived rows say when they were rewritten; setting updated_at in the UPDATE itself
    // keeps the updated_at triggers from writing each row a second time
    now: &str,
    moved: &mut Vec<HealthChange>,
) -> Result<()> {
    for p in plans {
        if p.is_empty() {
            continue;
        }
        apply(w.conn(), &p, now)?;
        if p.score != p.customer.health_score {
            w.log(Activity {
                action: "health_change".into(),
                entity_type: Some("customers".into()),
                entity_id: Some(p.customer.id.clone()),
                customer_id: Some(p.customer.id.clone()),
                workspace_id: Some(p.customer.workspace_id.clone()),
                old_values: Some(json!({ "health_score": p.customer.health_score })),
                new_values: Some(json!({ "health_score": p.score })),
            })?;
            moved.push(HealthChange {
                customer_id: p.customer.id.clone(),
                customer_name: p.customer.name.clone(),
                before: p.customer.health_score,
                after: p.score,
            });
        }
    }
    Ok(())
}

/// Writes what `p` found different.
fn apply(conn: &Connection, p: &Plan, now: &str) -> Result<()> {
    let id = p.customer.id.as_str();
    for k in &p.kpi_rows {
        conn.prepare_cached(
            "UPDATE kpi_time_series SET health_score = ?2, health_status = ?3, updated_at = ?4
             WHERE rowid = ?1",
        )?
        .execute(rusqlite::params![
            k.rowid,
            k.score,
            k.status.map(plan::status_text),
            now
        ])?;
    }
    for t in &p.trends {
        let r = &t.row;
        match t.rowid {
            Some(rowid) => {
                conn.prepare_cached(
                    "UPDATE health_trends SET workspace_id = ?2, overall_health_score = ?3,
                       relationship_strength_score = ?4, product_usage_score = ?5,
                       support_score = ?6, customer_sentiment_score = ?7,
                       business_outcomes_score = ?8, category_scores = ?9, total_kpis = ?10,
                       valid_kpis = ?11, updated_at = ?12
                     WHERE rowid = ?1",
                )?
                .execute(rusqlite::params![
                    rowid,
                    r.workspace_id,
                    r.overall,
                    r.seed[0],
                    r.seed[1],
                    r.seed[2],
                    r.seed[3],
                    r.seed[4],
                    r.category_scores,
                    r.total_kpis,
                    r.valid_kpis,
                    now
                ])?;
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO health_trends (id, customer_id, workspace_id, year, month,
                       overall_health_score, relationship_strength_score, product_usage_score,
                       support_score, customer_sentiment_score, business_outcomes_score,
                       category_scores, total_kpis, valid_kpis)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )?
                .execute(rusqlite::params![
                    super::ids::new_id(),
                    id,
                    r.workspace_id,
                    t.month.year(),
                    t.month.month(),
                    r.overall,
                    r.seed[0],
                    r.seed[1],
                    r.seed[2],
                    r.seed[3],
                    r.seed[4],
                    r.category_scores,
                    r.total_kpis,
                    r.valid_kpis
                ])?;
            }
        }
    }
    let today = p.today.format("%Y-%m-%d").to_string();
    match &p.score_row {
        None => {}
        Some(plan::ScoreRowFix::Put { row, .. }) => {
            conn.prepare_cached(
                "INSERT INTO customer_scores (customer_id, score_dt, score_type, workspace_id,
                   score_value, score_breakdown_json)
                 VALUES (?1, ?2, 'health', ?3, ?4, ?5)
                 ON CONFLICT (customer_id, score_dt, score_type) DO UPDATE SET
                   workspace_id = excluded.workspace_id, score_value = excluded.score_value,
                   score_breakdown_json = excluded.score_breakdown_json",
            )?
            .execute(rusqlite::params![
                id,
                today,
                row.workspace_id,
                row.value,
                row.breakdown
            ])?;
        }
        Some(plan::ScoreRowFix::Delete { .. }) => {
            conn.prepare_cached(
                "DELETE FROM customer_scores
                 WHERE customer_id = ?1 AND score_dt = ?2 AND score_type = 'health'",
            )?
            .execute([id, today.as_str()])?;
        }
    }
    // not an edit of the customer: customers.updated_at stays (0002_updated_at.sql)
    if p.score != p.customer.health_score {
        conn.prepare_cached("UPDATE customers SET health_score = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![id, p.score])?;
    }
    Ok(())
}

/// Forgets the stored health of `customers` (scores, trends, KPI statuses), for a benchmark
/// of a recompute from scratch inside a transaction it rolls back. Only the file's owner.
pub fn forget(w: &WriteTx<'_>, customers: &[String]) -> Result<()> {
    w.require_owner("forget stored health")?;
    let conn = w.conn();
    // one customer at a time: an id list as JSON would need the engine's own JSON table
    // function, and each of these is an index lookup
    for sql in [
        "UPDATE customers SET health_score = NULL WHERE id = ?1",
        "UPDATE kpi_time_series SET health_score = NULL, health_status = NULL
         WHERE kpi_id IN (SELECT id FROM kpis WHERE customer_id = ?1)",
        "DELETE FROM health_trends WHERE customer_id = ?1",
        "DELETE FROM customer_scores WHERE score_type = 'health' AND customer_id = ?1",
    ] {
        let mut stmt = conn.prepare_cached(sql)?;
        for id in customers {
            stmt.execute([id])?;
        }
    }
    Ok(())
}
