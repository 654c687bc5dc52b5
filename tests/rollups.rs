//! What cscx computes from seed 000's derived tables instead of trusting them
//! (`store::rollups`, `store::etl_runs`): benchmark cohorts and variances, adoption
//! components rolled up into adoption scores (and so into health), and `etl_runs` rows for
//! each import and export. Every expected number is worked out by hand in the comments.

mod common;

use common::{cscx_db as cscx, stderr_of as stderr, stdout_of as stdout};

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use cscx::store::rows::Row;
use cscx::store::{Store, WriteTx};

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn base_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/base")
}

/// A database holding tests/fixtures/import/base (workspace Acme CS, customers Initech and
/// Twin Co).
fn base_db() -> common::TempDb {
    let db = common::temp_db();
    let o = cscx(&db.path, &["import", base_fixtures().to_str().unwrap()]);
    assert!(o.status.success(), "base import: {}", stderr(&o));
    db
}

fn text(v: &str) -> Value {
    Value::Text(v.to_owned())
}

fn row(cells: &[(&str, Value)]) -> Row {
    cells
        .iter()
        .map(|(c, v)| ((*c).to_owned(), v.clone()))
        .collect()
}

/// (cohort_avg_value, variance) of a customer's benchmark row.
fn benchmark(conn: &Connection, customer: &str, dimension: &str, metric: &str) -> (f64, f64) {
    conn.query_row(
        "SELECT cohort_avg_value, variance FROM customer_benchmarks
          WHERE customer_id = ?1 AND dimension_id = ?2 AND metric_name = ?3",
        [customer, dimension, metric],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn adoption_score(conn: &Connection, customer: &str, date: &str) -> Option<f64> {
    conn.query_row(
        "SELECT score_value FROM customer_scores
          WHERE customer_id = ?1 AND score_dt = ?2 AND score_type = 'adoption'",
        [customer, date],
        |r| r.get(0),
    )
    .optional()
    .unwrap()
}

fn health(conn: &Connection, customer: &str) -> Option<i64> {
    conn.query_row(
        "SELECT health_score FROM customers WHERE id = ?1",
        [customer],
        |r| r.get(0),
    )
    .unwrap()
}

fn assert_current(store: &Store) {
    let drift = store.rollup_drift(10).unwrap();
    assert!(drift.is_empty(), "roll-ups drifted: {drift:?}");
}

// ---- item 2: benchmarks ------------------------------------------------------------------

#[test]
fn an_imported_variance_is_recomputed_and_the_mismatch_named_by_file_line_and_column() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "customers.csv", "name\nNorthwind\n");
    write(
        dir.path(),
        "benchmark_dimensions.csv",
        "id,dimension_name,dimension_value\n\
         0196b000-0000-7000-8000-0000000000d1,region,EMEA\n",
    );
    // the cohort EMEA / arr_per_seat: Initech 1530 and Northwind 870, mean (1530 + 870) / 2
    // = 1200; Initech's variance is 1530 − 1200 = 330 (the file says 999), Northwind's
    // 870 − 1200 = −330 (the file is right)
    write(
        dir.path(),
        "customer_benchmarks.csv",
        "dimension_id,customer_id,metric_name,customer_metric_value,cohort_avg_value,variance\n\
         0196b000-0000-7000-8000-0000000000d1,Initech,arr_per_seat,1530,1200,999\n\
         0196b000-0000-7000-8000-0000000000d1,Northwind,arr_per_seat,870,1200,-330\n",
    );
    let o = cscx(&db.path, &["import", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "customer_benchmarks.csv:2:variance: imported 999 but cscx computes 330; \
             the computed value is stored"
        ),
        "{err}"
    );
    assert_eq!(err.matches("warning:").count(), 1, "only Initech's: {err}");

    let conn = Connection::open(&db.path).unwrap();
    let stored: Vec<(String, f64, f64)> = conn
        .prepare(
            "SELECT c.name, b.cohort_avg_value, b.variance FROM customer_benchmarks b
               JOIN customers c ON c.id = b.customer_id ORDER BY c.name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        stored,
        vec![
            ("Initech".to_owned(), 1200.0, 330.0),
            ("Northwind".to_owned(), 1200.0, -330.0)
        ]
    );
    let check = cscx(&db.path, &["recompute", "--check"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn an_imported_cohort_average_of_another_cohort_is_reported_too() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "benchmark_dimensions.csv",
        "id,dimension_name,dimension_value\n\
         0196b000-0000-7000-8000-0000000000d2,industry,Retail\n",
    );
    // alone in its cohort: the average is its own value, 50, and the variance 0; the file's
    // average (40) and variance (10) are both someone else's arithmetic
    write(
        dir.path(),
        "customer_benchmarks.csv",
        "dimension_id,customer_id,metric_name,customer_metric_value,cohort_avg_value,variance\n\
         0196b000-0000-7000-8000-0000000000d2,Initech,nps,50,40,10\n",
    );
    let o = cscx(&db.path, &["import", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "customer_benchmarks.csv:2:cohort_avg_value: imported 40 but cscx computes 50"
        ),
        "{err}"
    );
    assert!(
        err.contains("customer_benchmarks.csv:2:variance: imported 10 but cscx computes 0"),
        "{err}"
    );
}

/// Ids of a book with two workspaces: a1, a2, a3 in Acme CS, b1 in Globex CS, and the
/// dimensions region = EMEA and industry = Retail.
struct Book {
    a: [String; 3],
    b1: String,
    emea: String,
    retail: String,
}

fn book(store: &mut Store) -> Book {
    let f = common::fixture(store);
    store
        .write(|w: &mut WriteTx| {
            let customer = |name: &str| cscx::store::entities::Customer {
                workspace_id: f.workspace.clone(),
                name: name.into(),
                ..Default::default()
            };
            let a2 = w.create(&customer("Hooli"))?;
            let a3 = w.create(&customer("Pied Piper"))?;
            let dimension = |w: &mut WriteTx, name: &str, value: &str| {
                w.insert_row(
                    "benchmark_dimensions",
                    row(&[
                        ("dimension_name", text(name)),
                        ("dimension_value", text(value)),
                    ]),
                )
                .map(|key| match &key[0].1 {
                    Value::Text(id) => id.clone(),
                    other => panic!("id {other:?}"),
                })
            };
            let emea = dimension(w, "region", "EMEA")?;
            let retail = dimension(w, "industry", "Retail")?;
            Ok(Book {
                a: [f.customer.clone(), a2, a3],
                b1: f.other_customer.clone(),
                emea,
                retail,
            })
        })
        .unwrap()
        .value
}

fn put_benchmark(w: &mut WriteTx, dimension: &str, customer: &str, metric: &str, value: f64) {
    w.insert_row(
        "customer_benchmarks",
        row(&[
            ("dimension_id", text(dimension)),
            ("customer_id", text(customer)),
            ("metric_name", text(metric)),
            ("customer_metric_value", Value::Real(value)),
        ]),
    )
    .unwrap();
}

fn benchmark_key(dimension: &str, customer: &str, metric: &str) -> Row {
    row(&[
        ("dimension_id", text(dimension)),
        ("customer_id", text(customer)),
        ("metric_name", text(metric)),
    ])
}

#[test]
fn cohort_averages_are_per_dimension_metric_and_workspace_and_follow_every_edit() {
    let (_db, mut store) = common::file_store();
    let b = book(&mut store);
    let [a1, a2, a3] = b.a.clone();
    store
        .write(|w| {
            // EMEA / seats: a1 10, a2 20 → mean 15
            put_benchmark(w, &b.emea, &a1, "seats", 10.0);
            put_benchmark(w, &b.emea, &a2, "seats", 20.0);
            // Retail / nps: a1 30, a2 60, a3 90 → mean 60
            put_benchmark(w, &b.retail, &a1, "nps", 30.0);
            put_benchmark(w, &b.retail, &a2, "nps", 60.0);
            put_benchmark(w, &b.retail, &a3, "nps", 90.0);
            // Globex's EMEA customer is in Globex's cohort alone: 100, variance 0
            put_benchmark(w, &b.emea, &b.b1, "seats", 100.0);
            Ok(())
        })
        .unwrap();
    let conn = common::sql(&store);
    assert_eq!(benchmark(&conn, &a1, &b.emea, "seats"), (15.0, -5.0));
    assert_eq!(benchmark(&conn, &a2, &b.emea, "seats"), (15.0, 5.0));
    assert_eq!(benchmark(&conn, &a1, &b.retail, "nps"), (60.0, -30.0));
    assert_eq!(benchmark(&conn, &a2, &b.retail, "nps"), (60.0, 0.0));
    assert_eq!(benchmark(&conn, &a3, &b.retail, "nps"), (60.0, 30.0));
    assert_eq!(benchmark(&conn, &b.b1, &b.emea, "seats"), (100.0, 0.0));
    assert_current(&store);

    // a2's seats 20 → 40: EMEA mean (10 + 40) / 2 = 25, so a1's variance moves too (−15)
    store
        .write(|w| {
            w.update_row(
                "customer_benchmarks",
                &benchmark_key(&b.emea, &a2, "seats"),
                row(&[("customer_metric_value", Value::Real(40.0))]),
            )
        })
        .unwrap();
    assert_eq!(benchmark(&conn, &a1, &b.emea, "seats"), (25.0, -15.0));
    assert_eq!(benchmark(&conn, &a2, &b.emea, "seats"), (25.0, 15.0));
    // the other workspace's cohort of the same dimension is untouched
    assert_eq!(benchmark(&conn, &b.b1, &b.emea, "seats"), (100.0, 0.0));

    // a variance typed in by hand is put right in the same write
    store
        .write(|w| {
            w.update_row(
                "customer_benchmarks",
                &benchmark_key(&b.retail, &a1, "nps"),
                row(&[("variance", Value::Real(999.0))]),
            )
        })
        .unwrap();
    assert_eq!(benchmark(&conn, &a1, &b.retail, "nps"), (60.0, -30.0));

    // deleting a3 cascades to its benchmark row: Retail mean (30 + 60) / 2 = 45
    store
        .write(|w| w.delete_row("customers", &cscx::store::write::id_key(&a3)))
        .unwrap();
    assert_eq!(benchmark(&conn, &a1, &b.retail, "nps"), (45.0, -15.0));
    assert_eq!(benchmark(&conn, &a2, &b.retail, "nps"), (45.0, 15.0));
    assert_current(&store);
}

#[test]
fn check_reports_a_variance_changed_behind_the_stores_back_and_recompute_repairs_it() {
    let (db, mut store) = common::file_store();
    let b = book(&mut store);
    let [a1, a2, _] = b.a.clone();
    store
        .write(|w| {
            put_benchmark(w, &b.emea, &a1, "seats", 1530.0);
            put_benchmark(w, &b.emea, &a2, "seats", 870.0);
            Ok(())
        })
        .unwrap();
    drop(store);
    let conn = common::sql_at(&db.path);
    conn.execute(
        "UPDATE customer_benchmarks SET variance = 999 WHERE customer_id = ?1",
        [&a1],
    )
    .unwrap();
    let check = cscx(&db.path, &["recompute", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    let out = stdout(&check);
    assert!(
        out.contains(
            "Initech: benchmark seats in region = EMEA: cohort average 1200 (computed 1200), \
             variance 999 (computed 330)"
        ),
        "{out}"
    );
    assert!(
        out.contains("1 benchmark row(s) and 0 adoption score(s)"),
        "{out}"
    );
    let fix = cscx(&db.path, &["recompute"]);
    assert!(fix.status.success(), "{}", stderr(&fix));
    assert!(
        stdout(&fix).contains("roll-ups: 1 benchmark row(s)"),
        "{}",
        stdout(&fix)
    );
    assert_eq!(benchmark(&conn, &a1, &b.emea, "seats"), (1200.0, 330.0));
    let check = cscx(&db.path, &["recompute", "--check"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

// ---- item 3: adoption roll-up ------------------------------------------------------------

fn put_component(w: &mut WriteTx, customer: &str, id: &str, date: &str, score: f64) {
    w.insert_row(
        "adoption_components",
        row(&[
            ("customer_id", text(customer)),
            ("component_id", text(id)),
            ("score_dt", text(date)),
            ("component_name", text(id)),
            ("component_score", Value::Real(score)),
        ]),
    )
    .unwrap();
}

fn component_key(customer: &str, id: &str, date: &str) -> Row {
    row(&[
        ("customer_id", text(customer)),
        ("component_id", text(id)),
        ("score_dt", text(date)),
    ])
}

#[test]
fn components_roll_up_into_the_adoption_score_and_health_follows_in_the_same_write() {
    let (_db, mut store) = common::file_store();
    let f = common::fixture(&mut store);
    let c = f.customer.clone();
    let conn = common::sql(&store);
    // Initech has no KPI and no interaction: health = engagement 0 and adoption, each
    // weighing 0.2 / (0.2 + 0.2) = 0.5, so health = round(0.5 × adoption)
    let written = store
        .write(|w| {
            // 2026-01-01: (80 + 70 + 66) / 3 = 72.0
            put_component(w, &c, "logins", "2026-01-01", 80.0);
            put_component(w, &c, "features", "2026-01-01", 70.0);
            put_component(w, &c, "integrations", "2026-01-01", 66.0);
            Ok(())
        })
        .unwrap();
    assert_eq!(adoption_score(&conn, &c, "2026-01-01"), Some(72.0));
    let breakdown: String = conn
        .query_row(
            "SELECT score_breakdown_json FROM customer_scores
              WHERE customer_id = ?1 AND score_type = 'adoption'",
            [&c],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        breakdown,
        r#"{"features":70.0,"integrations":66.0,"logins":80.0}"#
    );
    // 0.5 × 72.0 = 36
    assert_eq!(health(&conn, &c), Some(36));
    assert_eq!(written.health.len(), 1);
    assert_eq!(written.health[0].after, Some(36));

    // features 70 → 100: (80 + 100 + 66) / 3 = 82.0, health 41
    let written = store
        .write(|w| {
            w.update_row(
                "adoption_components",
                &component_key(&c, "features", "2026-01-01"),
                row(&[("component_score", Value::Real(100.0))]),
            )
        })
        .unwrap();
    assert_eq!(adoption_score(&conn, &c, "2026-01-01"), Some(82.0));
    assert_eq!(health(&conn, &c), Some(41));
    assert_eq!(
        (written.health[0].before, written.health[0].after),
        (Some(36), Some(41))
    );

    // a later date is the latest score: (90 + 55) / 2 = 72.5, health 0.5 × 72.5 = 36.25 → 36
    store
        .write(|w| {
            put_component(w, &c, "logins", "2026-06-01", 90.0);
            put_component(w, &c, "seats", "2026-06-01", 55.0);
            Ok(())
        })
        .unwrap();
    assert_eq!(adoption_score(&conn, &c, "2026-06-01"), Some(72.5));
    assert_eq!(health(&conn, &c), Some(36));

    // an adoption score typed over a rolled-up one is put back
    store
        .write(|w| {
            w.update_row(
                "customer_scores",
                &row(&[
                    ("customer_id", text(&c)),
                    ("score_dt", text("2026-06-01")),
                    ("score_type", text("adoption")),
                ]),
                row(&[("score_value", Value::Real(10.0))]),
            )
        })
        .unwrap();
    assert_eq!(adoption_score(&conn, &c, "2026-06-01"), Some(72.5));

    // the last components of 2026-06-01 go, and its score with them: back to 82.0, health 41
    store
        .write(|w| {
            w.delete_row(
                "adoption_components",
                &component_key(&c, "logins", "2026-06-01"),
            )?;
            w.delete_row(
                "adoption_components",
                &component_key(&c, "seats", "2026-06-01"),
            )
        })
        .unwrap();
    assert_eq!(adoption_score(&conn, &c, "2026-06-01"), None);
    assert_eq!(health(&conn, &c), Some(41));
    assert_current(&store);
    let drift = cscx::store::health_sync::drift(&store.reader(false).unwrap(), None, store.today())
        .unwrap();
    assert!(drift.is_empty(), "health = full recompute: {drift:?}");
}

#[test]
fn an_adoption_score_without_components_is_kept_as_imported() {
    let (_db, mut store) = common::file_store();
    let f = common::fixture(&mut store);
    let c = f.customer.clone();
    store
        .write(|w| {
            w.insert_row(
                "customer_scores",
                row(&[
                    ("customer_id", text(&c)),
                    ("score_dt", text("2026-02-01")),
                    ("score_type", text("adoption")),
                    ("score_value", Value::Real(64.0)),
                ]),
            )?;
            Ok(())
        })
        .unwrap();
    let conn = common::sql(&store);
    assert_eq!(adoption_score(&conn, &c, "2026-02-01"), Some(64.0));
    // 0.5 × 64 = 32
    assert_eq!(health(&conn, &c), Some(32));
    assert_current(&store);
}

#[test]
fn recompute_rolls_up_components_written_behind_the_stores_back_and_moves_health() {
    let (db, mut store) = common::file_store();
    let f = common::fixture(&mut store);
    drop(store);
    let conn = common::sql_at(&db.path);
    for (id, score) in [("logins", 40.0), ("seats", 60.0)] {
        conn.execute(
            "INSERT INTO adoption_components VALUES (?1, ?2, '2026-03-01', ?2, ?3)",
            rusqlite::params![f.customer, id, score],
        )
        .unwrap();
    }
    let check = cscx(&db.path, &["recompute", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains(
            "Initech: adoption score of 2026-03-01 is none but its components roll up to 50"
        ),
        "{}",
        stdout(&check)
    );
    let fix = cscx(&db.path, &["recompute"]);
    assert!(fix.status.success(), "{}", stderr(&fix));
    // (40 + 60) / 2 = 50, health 0.5 × 50 = 25
    assert_eq!(adoption_score(&conn, &f.customer, "2026-03-01"), Some(50.0));
    assert_eq!(health(&conn, &f.customer), Some(25));
    let check = cscx(&db.path, &["recompute", "--check"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

// ---- item 4: etl_runs --------------------------------------------------------------------

type Run = (
    String,
    String,
    String,
    Option<i64>,
    i64,
    i64,
    i64,
    Option<String>,
);

/// (direction, feed_name, status, records_sent, read, written, rejected, error) of every
/// run, oldest first.
fn runs(db: &Path) -> Vec<Run> {
    let conn = Connection::open(db).unwrap();
    conn.prepare(
        "SELECT direction, feed_name, status, records_sent, records_read, records_written,
                records_rejected, error
           FROM etl_runs ORDER BY run_ts, rowid",
    )
    .unwrap()
    .query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn an_import_is_recorded_with_its_counts_in_the_same_transaction() {
    let db = base_db();
    // the base import: 1 workspace, 2 users, 2 memberships, 1 loss reason, 3 customers
    // → 1 + 2 + 2 + 1 + 3 = 9 records read, 9 rows written
    let all = runs(&db.path);
    assert_eq!(all.len(), 1, "{all:?}");
    let (direction, feed, status, sent, read, written, rejected, error) = all[0].clone();
    assert_eq!(
        (
            direction.as_str(),
            status.as_str(),
            sent,
            read,
            written,
            rejected,
            error
        ),
        ("inbound", "succeeded", None, 9, 9, 0, None)
    );
    for file in [
        "customers.csv",
        "loss_reasons.csv",
        "users.csv",
        "workspace_members.csv",
        "workspaces.csv",
    ] {
        assert!(feed.contains(file), "{feed}");
    }
    let conn = Connection::open(&db.path).unwrap();
    let (started, finished): (String, String) = conn
        .query_row("SELECT run_ts, finished_at FROM etl_runs", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(started <= finished, "{started} .. {finished}");
}

#[test]
fn a_failed_import_rolls_back_but_its_run_is_recorded_after() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "calls.csv",
        "customer_id,notes,status\nInitech,Kickoff,done\n",
    );
    let before = common::dump_but_runs(&db.path);
    let o = cscx(&db.path, &["import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    // everything but etl_runs as it was
    assert_eq!(before, common::dump_but_runs(&db.path));
    let all = runs(&db.path);
    assert_eq!(all.len(), 2, "{all:?}");
    let (direction, feed, status, _, read, written, rejected, error) = all[1].clone();
    assert_eq!(
        (direction.as_str(), status.as_str(), read, written, rejected),
        ("inbound", "failed", 1, 0, 0)
    );
    assert_eq!(feed, format!("cscx import {}", file.display()));
    let error = error.expect("a failed run says why");
    assert!(
        error.starts_with(&format!("1 problem; first: {}:2:status", file.display())),
        "{error}"
    );
}

#[test]
fn a_dry_run_is_not_a_run() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "customers.csv", "name\nNorthwind\n");
    let o = cscx(&db.path, &["import", "--dry-run", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(runs(&db.path).len(), 1);
}

#[test]
fn an_export_is_recorded_as_an_outbound_run_even_for_a_viewer() {
    let db = base_db();
    // Fox becomes a viewer of Acme CS: may read, not write
    let conn = Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE workspace_members SET role = 'viewer'
          WHERE user_id = (SELECT id FROM users WHERE email = 'fox@acme.test')",
        [],
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = cscx(
        &db.path,
        &[
            "--user",
            "fox@acme.test",
            "--workspace",
            "Acme CS",
            "export",
            "--out",
            out.path().to_str().unwrap(),
            "--table",
            "customers",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let all = runs(&db.path);
    assert_eq!(all.len(), 2, "{all:?}");
    let (direction, feed, status, sent, read, written, rejected, error) = all[1].clone();
    // the three customers went out
    assert_eq!(
        (
            direction.as_str(),
            feed.as_str(),
            status.as_str(),
            sent,
            read,
            written,
            rejected,
            error
        ),
        (
            "outbound",
            "cscx export customers.csv",
            "succeeded",
            Some(3),
            3,
            3,
            0,
            None
        )
    );
    let workspace: Option<String> = conn
        .query_row(
            "SELECT r.workspace_id = w.id FROM etl_runs r, workspaces w
              WHERE r.direction = 'outbound'",
            [],
            |r| r.get::<_, Option<bool>>(0),
        )
        .unwrap()
        .map(|same| same.to_string());
    assert_eq!(workspace.as_deref(), Some("true"), "the viewer's workspace");
}

#[test]
fn an_export_does_not_wait_for_a_writer_to_record_its_run() {
    let db = base_db();
    let out = tempfile::tempdir().unwrap();
    // another writer holds the file (a long import)
    let writer = Connection::open(&db.path).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let o = cscx(
        &db.path,
        &[
            "export",
            "--out",
            out.path().to_str().unwrap(),
            "--table",
            "customers",
        ],
    );
    let took = started.elapsed();
    writer.execute_batch("ROLLBACK").unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.path().join("customers.csv").exists());
    assert!(
        stderr(&o).contains("warning: the export could not be recorded in etl_runs"),
        "{}",
        stderr(&o)
    );
    // the store's busy timeout is 5 s: an export that waited for the writer takes that long
    assert!(took.as_secs() < 5, "the export waited {took:?}");
    assert_eq!(runs(&db.path).len(), 1, "only the base import's run");
}
