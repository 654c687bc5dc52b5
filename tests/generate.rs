//! `cscx generate` against real SQLite files: every table filled, the database consistent
//! (integrity, foreign keys, derived columns, the store's rules), the same seed giving the
//! same bytes, a realistic mix of health, and a database with data never overwritten
//! without --force.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use cscx::store::{self, catalog::Kind};
use rusqlite::Connection;

const AS_OF: &str = "2026-03-15";

fn generate(db: &Path, extra: &[&str]) -> Output {
    Command::new(common::cscx_bin())
        .arg("--db")
        .arg(db)
        .args(["generate", "--customers", "200", "--as-of", AS_OF])
        .args(extra)
        .env_remove("CSCX_USER")
        .env_remove("CSCX_WORKSPACE")
        .output()
        .expect("run cscx")
}

fn generated(db: &Path, extra: &[&str]) -> String {
    let out = generate(db, extra);
    assert!(
        out.status.success(),
        "generate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Tables that may rightly be empty after a run: `health_pending` is the health engine's
/// work queue, empty between transactions.
fn may_be_empty(_conn: &Connection) -> BTreeSet<&'static str> {
    BTreeSet::from(["health_pending"])
}

#[test]
fn fills_every_table_consistently() {
    let db = common::temp_db();
    let summary = generated(&db.path, &[]);
    assert!(summary.contains("Generated 200 customers"), "{summary}");
    assert!(
        summary.contains("rows/s") && summary.contains("peak memory"),
        "{summary}"
    );
    assert!(
        !Path::new(&format!("{}.tmp", db.path.display())).exists(),
        "no temporary left"
    );

    let s = store::open(&db.path).unwrap();
    let conn = &common::sql(&s);
    let exempt = may_be_empty(conn);
    let tables: Vec<String> = s.catalog().tables().map(|t| t.name.clone()).collect();
    assert!(tables.len() >= 52, "the full schema: {}", tables.len());
    for t in &tables {
        let n = count(conn, &format!("SELECT count(*) FROM \"{t}\""));
        if !exempt.contains(t.as_str()) {
            assert!(n >= 1, "{t} is empty");
        }
        assert!(summary.contains(t.as_str()), "summary lists {t}");
    }
    assert_eq!(count(conn, "SELECT count(*) FROM customers"), 200);

    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let fk_problems = conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .count();
    assert_eq!(fk_problems, 0, "foreign_key_check");
    assert!(
        store::bulk::derived_drift(&common::sql(&s).into())
            .unwrap()
            .is_empty(),
        "derived columns drift"
    );

    // the schema is back as it was before the bulk load: indexes, search and triggers
    let objects = |kind: &str| {
        count(
            conn,
            &format!(
                "SELECT count(*) FROM sqlite_schema WHERE type = '{kind}' AND sql IS NOT NULL"
            ),
        )
    };
    let fresh = common::scratch_store();
    for kind in ["index", "trigger"] {
        let fresh_count: i64 = common::sql(&fresh)
            .query_row(
                &format!(
                    "SELECT count(*) FROM sqlite_schema WHERE type = '{kind}' AND sql IS NOT NULL"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(objects(kind), fresh_count, "{kind}s restored");
    }
    // search was rebuilt: a customer can be found by name
    let name: String = conn
        .query_row(
            "SELECT name FROM customers ORDER BY rowid LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let word = name.split(' ').next().unwrap();
    assert!(
        count(
            conn,
            &format!("SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '{word}'")
        ) >= 1,
        "search finds {word}"
    );
}

#[test]
fn the_store_rules_hold_on_generated_rows() {
    let db = common::temp_db();
    generated(&db.path, &[]);
    let s = store::open(&db.path).unwrap();
    let conn = &common::sql(&s);
    let none = |sql: &str| assert_eq!(count(conn, sql), 0, "{sql}");

    none("SELECT count(*) FROM calls WHERE outcome = 'lost' AND loss_reason_id IS NULL");
    assert!(count(conn, "SELECT count(*) FROM calls WHERE outcome = 'lost'") > 0);
    none(
        "SELECT count(*) FROM approvals WHERE status = 'rejected' AND (comment IS NULL OR comment = '')",
    );
    none(
        "SELECT count(*) FROM approvals WHERE status <> 'pending' AND (resolved_at IS NULL OR resolved_by IS NULL)",
    );
    none(
        "SELECT count(*) FROM approvals WHERE status = 'pending' AND (resolved_at IS NOT NULL OR resolved_by IS NOT NULL)",
    );
    none("SELECT count(*) FROM approvals WHERE resolved_at < created_at");
    for status in ["pending", "approved", "rejected"] {
        assert!(
            count(
                conn,
                &format!("SELECT count(*) FROM approvals WHERE status = '{status}'")
            ) > 0
        );
    }
    // one primary stakeholder per customer
    none(
        "SELECT count(*) FROM customers c WHERE (SELECT count(*) FROM stakeholders s WHERE s.customer_id = c.id AND s.is_primary = 1) <> 1",
    );
    // dates in order, nothing completed in the future
    none("SELECT count(*) FROM contracts WHERE end_date < start_date");
    none("SELECT count(*) FROM training_progress WHERE completed_at < started_at");
    none("SELECT count(*) FROM analysis_jobs WHERE finished_at < started_at");
    none("SELECT count(*) FROM playbook_executions WHERE completed_at < started_at");
    none("SELECT count(*) FROM calls WHERE completed_at > '2026-03-15T00:00:00Z'");
    none("SELECT count(*) FROM agent_messages WHERE created_at > '2026-03-15T00:00:00Z'");
    none(
        "SELECT count(*) FROM meetings WHERE status <> 'scheduled' AND scheduled_at > '2026-03-15T00:00:00Z'",
    );
    // messages of every role, some thinking, some with tool calls
    for role in ["user", "agent", "system"] {
        assert!(
            count(
                conn,
                &format!("SELECT count(*) FROM agent_messages WHERE role = '{role}'")
            ) > 0
        );
    }
    assert!(
        count(
            conn,
            "SELECT count(*) FROM agent_messages WHERE thinking = 1"
        ) > 0
    );
    assert!(
        count(
            conn,
            "SELECT count(*) FROM agent_messages WHERE json_valid(tool_calls)"
        ) > 0
    );
    // renewals spread over the coming 18 months
    assert!(
        count(
            conn,
            "SELECT count(*) FROM customers WHERE renewal_date BETWEEN '2026-03-15' AND '2026-06-15'"
        ) > 0
    );
    assert!(
        count(
            conn,
            "SELECT count(*) FROM customers WHERE renewal_date BETWEEN '2027-03-15' AND '2027-09-15'"
        ) > 0
    );
    // the knowledge base has embedded and not-yet-embedded articles
    assert!(
        count(
            conn,
            "SELECT count(*) FROM knowledge_base WHERE length(embedding) = 6144"
        ) > 0
    );
    assert!(
        count(
            conn,
            "SELECT count(*) FROM knowledge_base WHERE embedding IS NULL"
        ) > 0
    );

    // every enumeration value is in its set, every id is a canonical UUID
    for table in s.catalog().tables() {
        for column in &table.columns {
            let values: Vec<Option<String>> = conn
                .prepare(&format!(
                    "SELECT DISTINCT \"{}\" FROM \"{}\"",
                    column.name, table.name
                ))
                .unwrap()
                .query_map([], |r| r.get::<_, Option<String>>(0).or(Ok(None)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            if let Kind::Enum(allowed) = column.kind {
                for v in values.iter().flatten() {
                    assert!(
                        allowed.contains(&v.as_str()),
                        "{}.{} = {v}",
                        table.name,
                        column.name
                    );
                }
            } else if column.name == "id" && table.name != "playbook_executions" {
                for v in values.iter().flatten() {
                    assert!(store::ids::is_canonical_uuid(v), "{}.id = {v}", table.name);
                }
            }
        }
    }
    // the dashboard's CSM sort key is kept by its triggers during the load
    none(
        "SELECT count(*) FROM customers c WHERE csm_sort IS NOT (SELECT lower(name) FROM users WHERE id = c.csm_id)",
    );
    // a customer's updated_at is its last audited edit, whatever wrote after the load
    none("SELECT count(*) FROM customers c WHERE updated_at IS NOT (SELECT max(created_at) FROM activity_log
            WHERE entity_type = 'customers' AND entity_id = c.id AND action IN ('create', 'update'))");
    // health is the engine's: generate writes none of it
    none(
        "SELECT count(*) FROM customer_scores WHERE score_type = 'health' AND score_breakdown_json IS NULL",
    );
}

#[test]
fn the_same_seed_and_as_of_give_the_same_data() {
    let a = common::temp_db();
    let b = common::temp_db();
    let c = common::temp_db();
    generated(&a.path, &["--seed", "42"]);
    generated(&b.path, &["--seed", "42"]);
    generated(&c.path, &["--seed", "43"]);
    let (da, db, dc) = (
        generated_dump(&a.path),
        generated_dump(&b.path),
        generated_dump(&c.path),
    );
    assert!(da.len() > 1_000_000, "a real data set");
    assert!(da == db, "same seed, same data");
    assert!(da != dc, "another seed, other data");
}

/// Every row of every table, less what records when the run happened rather than what it
/// generated: the run's own audit entry (`generate`), and the health engine's bookkeeping
/// (its `health_change` entries, its random `health_trends` ids and clock stamps, and the
/// `updated_at` its score writes give `kpi_time_series` rows). The scores themselves are
/// compared.
fn generated_dump(path: &Path) -> String {
    let copy = tempfile::NamedTempFile::new().unwrap();
    std::fs::copy(path, copy.path()).unwrap();
    let conn = Connection::open(copy.path()).unwrap();
    let removed = conn
        .execute("DELETE FROM activity_log WHERE action = 'generate'", [])
        .unwrap();
    assert_eq!(removed, 1, "one summary entry per run");
    conn.execute_batch(
        "DELETE FROM activity_log WHERE action = 'health_change';
         UPDATE health_trends SET id = customer_id || '/' || year || '/' || month,
                                  created_at = '', updated_at = '';
         UPDATE kpi_time_series SET updated_at = created_at WHERE updated_at IS NOT created_at;",
    )
    .unwrap();
    common::dump_conn(&conn)
}

#[test]
fn the_health_mix_is_realistic() {
    let db = common::temp_db();
    generated(&db.path, &[]);
    let conn = Connection::open(&db.path).unwrap();
    // each customer's share of KPI values in the healthy and critical bands, this month and
    // 23 months ago (2026-03 and 2024-04)
    let band_share = |year: i64, month: i64, band: &str| -> Vec<f64> {
        let (lo, hi) = match band {
            "healthy" => ("healthy_min", "healthy_max"),
            _ => ("critical_min", "critical_max"),
        };
        let sql = format!(
            "SELECT avg(t.value BETWEEN r.{lo} AND r.{hi}) FROM kpi_time_series t
               JOIN kpis k ON k.id = t.kpi_id
               JOIN kpi_reference_ranges r ON r.kpi_name = k.kpi_parameter
              WHERE t.year = {year} AND t.month = {month} AND t.value IS NOT NULL
              GROUP BY t.customer_id"
        );
        conn.prepare(&sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let healthy_now = band_share(2026, 3, "healthy");
    let critical_now = band_share(2026, 3, "critical");
    let mostly = |shares: &[f64]| shares.iter().filter(|&&s| s >= 0.6).count();
    assert!(
        healthy_now.len() > 150,
        "most customers report KPIs this month"
    );
    assert!(mostly(&healthy_now) > 60, "many healthy customers");
    assert!(mostly(&critical_now) > 10, "some critical customers");
    let in_between = healthy_now
        .iter()
        .zip(&critical_now)
        .filter(|(h, c)| **h < 0.6 && **c < 0.6)
        .count();
    assert!(in_between > 20, "customers at risk");

    // trends both ways: customers whose healthy share moved by a third of their KPIs
    let moved = |dir: &str| {
        count(
            &conn,
            &format!(
                "WITH s AS (
                   SELECT t.customer_id, t.year * 12 + t.month AS m,
                          avg(t.value BETWEEN r.healthy_min AND r.healthy_max) AS h
                     FROM kpi_time_series t JOIN kpis k ON k.id = t.kpi_id
                     JOIN kpi_reference_ranges r ON r.kpi_name = k.kpi_parameter
                    WHERE t.value IS NOT NULL GROUP BY 1, 2)
                 SELECT count(*) FROM s a JOIN s b ON a.customer_id = b.customer_id
                  WHERE a.m = 2024 * 12 + 4 AND b.m = 2026 * 12 + 3 AND b.h {dir} a.h"
            ),
        )
    };
    assert!(moved("- 0.34 >") > 8, "improving customers");
    assert!(moved("+ 0.34 <") > 8, "declining customers");

    // recent engagement varies: some customers had interactions in the last 30 days, some none
    let recent = count(
        &conn,
        "SELECT count(*) FROM customers c WHERE
           EXISTS (SELECT 1 FROM calls WHERE customer_id = c.id AND completed_at >= '2026-02-13')
        OR EXISTS (SELECT 1 FROM meetings WHERE customer_id = c.id
                     AND scheduled_at BETWEEN '2026-02-13' AND '2026-03-15')
        OR EXISTS (SELECT 1 FROM agent_messages m JOIN agent_sessions s ON s.id = m.session_id
                    WHERE s.customer_id = c.id AND m.created_at >= '2026-02-13')",
    );
    assert!(
        (60..190).contains(&recent),
        "{recent} of 200 recently engaged"
    );
}

#[test]
fn a_database_with_data_is_replaced_only_with_force() {
    let db = common::temp_db();
    generated(&db.path, &["--seed", "1"]);
    let before = common::dump(&db.path);

    let refused = generate(&db.path, &["--seed", "2"]);
    assert_eq!(refused.status.code(), Some(2), "usage error");
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("--force"), "{message}");
    assert_eq!(common::dump(&db.path), before, "left untouched");

    generated(&db.path, &["--seed", "2", "--force"]);
    assert_ne!(common::dump(&db.path), before, "replaced");

    // a file that is not a database is not ours to replace either
    let other = common::temp_db();
    std::fs::write(&other.path, "not a database, but somebody's notes").unwrap();
    let refused = generate(&other.path, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&other.path).unwrap(),
        "not a database, but somebody's notes"
    );

    // an empty cscx database (created, never written) is fair game
    let empty = common::temp_db();
    drop(store::open(&empty.path).unwrap());
    generated(&empty.path, &[]);
}

/// Generated data scored by the health engine as of today: every customer with inputs has a
/// score, all three bands are well populated, trends exist for the history, and a recompute
/// from scratch finds nothing to change.
#[test]
fn the_health_engine_scores_generated_data_without_drift() {
    // recompute --check scores as of the real date, so generate as of it too (and retry in
    // the unlikely case the UTC date turns between the two)
    for _ in 0..2 {
        let today = chrono::Utc::now().date_naive().to_string();
        let db = common::temp_db();
        let out = Command::new(common::cscx_bin())
            .arg("--db")
            .arg(&db.path)
            .args(["generate", "--customers", "200", "--as-of", &today])
            .output()
            .expect("run cscx generate");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let check = Command::new(common::cscx_bin())
            .arg("--db")
            .arg(&db.path)
            .args(["recompute", "--check"])
            .output()
            .expect("run cscx recompute --check");
        if chrono::Utc::now().date_naive().to_string() != today {
            continue;
        }
        assert!(
            check.status.success(),
            "recompute --check found drift on freshly generated data:\n{}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        let conn = Connection::open(&db.path).unwrap();
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM customers WHERE health_score IS NULL AND stage <> 'prospect'"
            ),
            0,
            "every customer past prospect has a score"
        );
        for (band, range) in [
            ("red", "< 40"),
            ("yellow", "BETWEEN 40 AND 69"),
            ("green", ">= 70"),
        ] {
            let n = count(
                &conn,
                &format!("SELECT count(*) FROM customers WHERE health_score {range}"),
            );
            assert!(n >= 20, "{n} {band} customers of 200");
        }
        assert!(
            count(&conn, "SELECT count(*) FROM health_trends") >= 2400,
            "monthly trends for the history"
        );
        return;
    }
    panic!("the date kept changing");
}

#[test]
fn the_lean_detail_is_consistent_scored_and_much_smaller() {
    // as of the real date, so recompute --check (which scores as of today) can compare
    let today = chrono::Utc::now().date_naive().to_string();
    let lean = common::temp_db();
    let out = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(&lean.path)
        .args(["generate", "--customers", "300", "--detail", "lean"])
        .args(["--as-of", &today])
        .output()
        .expect("run cscx generate --detail lean");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("lean detail"));
    let conn = Connection::open(&lean.path).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM customers"), 300);
    let fk: i64 = count(&conn, "SELECT count(*) FROM pragma_foreign_key_check");
    assert_eq!(fk, 0, "dangling references in the lean detail");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    // what the list shows is derived consistently from the rows written
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM customers c WHERE c.open_approvals <> (
               SELECT count(*) FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
                WHERE s.customer_id = c.id AND a.status = 'pending')"
        ),
        0,
        "open_approvals matches the pending approvals"
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM customers c WHERE (SELECT count(*) FROM stakeholders s
               WHERE s.customer_id = c.id AND s.is_primary = 1) <> 1"
        ),
        0,
        "one primary stakeholder each"
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM customers WHERE health_score IS NULL AND stage <> 'prospect'"
        ),
        0,
        "every customer past prospect has a score"
    );
    assert!(
        count(
            &conn,
            "SELECT count(DISTINCT customer_id) FROM health_trends"
        ) >= 250,
        "a health history for the sparklines"
    );
    let check = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(&lean.path)
        .args(["recompute", "--check"])
        .output()
        .expect("run cscx recompute --check");
    if chrono::Utc::now().date_naive().to_string() == today {
        assert!(
            check.status.success(),
            "recompute --check found drift on lean data:\n{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }

    let full = common::temp_db();
    generated(&full.path, &[]);
    let rows = |path: &Path| -> i64 {
        let conn = Connection::open(path).unwrap();
        store::catalog::Catalog::load(&conn)
            .unwrap()
            .tables()
            .map(|t| count(&conn, &format!("SELECT count(*) FROM \"{}\"", t.name)))
            .sum()
    };
    let (lean_rows, full_rows) = (rows(&lean.path) * 200 / 300, rows(&full.path));
    assert!(
        lean_rows * 5 < full_rows,
        "lean is meant for a million customers: {lean_rows} rows per 200 customers vs {full_rows}"
    );
}
