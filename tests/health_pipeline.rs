//! The full recompute's two paths give the same database: one thread planning and writing
//! each customer in turn, and planner threads reading ahead of the writer
//! (`store/health_sync/pipeline.rs`); and a plan made before another connection committed is
//! not applied.

mod common;

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use cscx::store::{self, HealthChange, Store, health_sync};
use rusqlite::Connection;

const AS_OF: &str = "2026-03-15";
const CUSTOMERS: usize = 300;
/// Batches small enough for several in flight at once.
const SIZE: usize = 40;

fn next_day() -> NaiveDate {
    NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d")
        .unwrap()
        .succ_opt()
        .unwrap()
}

/// A generated database at `dir/name`, health as of [`AS_OF`].
fn generated(dir: &Path, name: &str) -> std::path::PathBuf {
    let db = dir.join(name);
    let out = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(&db)
        .args([
            "generate",
            "--customers",
            &CUSTOMERS.to_string(),
            "--as-of",
            AS_OF,
        ])
        .env_remove("CSCX_USER")
        .env_remove("CSCX_WORKSPACE")
        .output()
        .expect("run cscx");
    assert!(
        out.status.success(),
        "generate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// Stored health made stale in many ways, the same on every copy: a score, KPI statuses and
/// trend rows gone, an input edited behind the store's back.
fn disturb(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "UPDATE customers SET health_score = NULL WHERE rowid % 3 = 0;
         UPDATE kpi_time_series SET health_score = NULL, health_status = NULL WHERE rowid % 7 = 0;
         DELETE FROM health_trends WHERE rowid % 5 = 0;
         DELETE FROM customer_scores WHERE rowid % 4 = 0;
         UPDATE kpi_time_series SET value = value * 3 WHERE rowid % 11 = 0;",
    )
    .unwrap();
}

/// What a recompute writes, minus what legitimately differs between two runs (random ids of
/// new rows, clock times), in row order (the order things were written and logged in).
fn health_dump(path: &Path) -> String {
    let conn = Connection::open(path).unwrap();
    let mut out = String::new();
    for table in [
        "customers",
        "health_trends",
        "customer_scores",
        "kpi_time_series",
        "activity_log",
    ] {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .filter(|c: &String| !matches!(c.as_str(), "id" | "created_at" | "updated_at"))
            .collect();
        let select = columns
            .iter()
            .map(|c| format!("quote({c})"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut stmt = conn
            .prepare(&format!("SELECT {select} FROM {table} ORDER BY rowid"))
            .unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.push_str(&format!("== {table}\n"));
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

fn recompute(path: &Path, planners: usize) -> Vec<HealthChange> {
    let mut store = store::open(path).unwrap();
    store.set_today(Some(next_day()));
    let ids = health_sync::customer_ids(&store.reader(false).unwrap()).unwrap();
    assert_eq!(ids.len(), CUSTOMERS);
    let mut calls = 0;
    let moved = health_sync::recompute_batches(&mut store, ids, SIZE, planners, |done, total| {
        calls += 1;
        assert!(done <= total);
    })
    .unwrap();
    assert_eq!(calls, CUSTOMERS.div_ceil(SIZE));
    assert_current(&store);
    moved
}

fn assert_current(store: &Store) {
    let drift = health_sync::drift(&store.reader(false).unwrap(), None, next_day()).unwrap();
    assert!(drift.is_empty(), "drift after recompute: {drift:?}");
}

#[test]
fn planner_threads_write_what_one_thread_writes() {
    let dir = tempfile::tempdir().unwrap();
    let one = generated(dir.path(), "one.db");
    let threads = dir.path().join("threads.db");
    std::fs::copy(&one, &threads).unwrap();
    assert!(health_sync::can_open_twice(&threads));
    for path in [&one, &threads] {
        disturb(path);
    }
    let before = health_dump(&one);
    assert_eq!(before, health_dump(&threads));

    let moved_one = recompute(&one, 0);
    let moved_threads = recompute(&threads, 2);
    assert!(moved_one.len() > CUSTOMERS / 4, "{}", moved_one.len());
    assert_eq!(moved_one, moved_threads);
    let after = health_dump(&one);
    assert_ne!(before, after, "the recompute wrote nothing");
    assert_eq!(after, health_dump(&threads));
}

#[test]
fn a_plan_made_before_another_connection_committed_is_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = generated(dir.path(), "test.db");
    let mut store = store::open(&path).unwrap();
    store.set_today(Some(next_day()));
    let ids = health_sync::customer_ids(&store.reader(false).unwrap()).unwrap();
    let mut pipeline =
        health_sync::Pipeline::start(&store, &path, ids, SIZE, next_day(), 1).unwrap();
    let mut edited = 0;
    while let Some(batch) = pipeline.next_batch().unwrap() {
        // batch 0 planned before the writer began, batch 3 (most likely) while it wrote an
        // earlier one
        if [0, 3].contains(&batch.index) {
            // another process removes a customer's trend rows after the plans were made:
            // applied as planned, the plans would update rows that are gone
            let other = Connection::open(&path).unwrap();
            edited += other
                .execute(
                    "DELETE FROM health_trends WHERE customer_id = ?1",
                    [&batch.ids[0]],
                )
                .unwrap();
        }
        store.write(|w| pipeline.apply(w, batch)).unwrap();
    }
    assert!(edited > 0);
    assert_current(&store);
}
