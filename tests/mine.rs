//! `cscx mine` against hand-computed logs: a small order log in `events` and a small book's
//! customer journeys. Every expected number below is worked out in the comments.

mod common;

use std::process::Command;

use cscx::store::Store;
use cscx::store::mine::{MineOptions, MineReport, Source};
use rusqlite::types::Value;

const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const H: i64 = 3600;
const D: i64 = 86_400;

fn ts(t: i64) -> String {
    cscx::mine::format_timestamp(t)
}

/// Four orders (times in seconds after T0):
///   a: Create 0, Approve 1h, Pay 2h             → cycle 7 200
///   b: Create 0, Approve 2h, Pay 3h             → cycle 10 800 (same variant as a)
///   c: Create 0, Check 1h, Approve 25h, Pay 26h → cycle 93 600
///   d: Create 0, Reject 10min                   → cycle 600
const ORDERS: &[(&str, &str, i64)] = &[
    ("a", "Create", 0),
    ("a", "Approve", H),
    ("a", "Pay", 2 * H),
    ("b", "Create", 0),
    ("b", "Approve", 2 * H),
    ("b", "Pay", 3 * H),
    ("c", "Create", 0),
    ("c", "Check", H),
    ("c", "Approve", 25 * H),
    ("c", "Pay", 26 * H),
    ("d", "Create", 0),
    ("d", "Reject", 600),
];

/// A workspace and an analysis holding `log` as its events; returns the analysis id.
fn order_log(store: &mut Store, log: &[(&str, &str, &str)]) -> String {
    let fx = common::fixture(store);
    store
        .write(|w| {
            let job = w.insert_row(
                "analysis_jobs",
                vec![
                    ("workspace_id".into(), Value::Text(fx.workspace.clone())),
                    ("status".into(), Value::Text("succeeded".into())),
                ],
            )?;
            let Value::Text(job) = job[0].1.clone() else {
                unreachable!("ids are text")
            };
            for (case, activity, at) in log {
                w.insert_row(
                    "events",
                    vec![
                        ("workspace_id".into(), Value::Text(fx.workspace.clone())),
                        ("analysis_id".into(), Value::Text(job.clone())),
                        ("global_case_id".into(), Value::Text((*case).into())),
                        ("system".into(), Value::Text("erp".into())),
                        ("activity".into(), Value::Text((*activity).into())),
                        ("timestamp".into(), Value::Text((*at).into())),
                    ],
                )?;
            }
            Ok(job)
        })
        .expect("order log")
        .value
}

fn orders() -> Vec<(&'static str, &'static str, String)> {
    ORDERS
        .iter()
        .map(|(c, a, t)| (*c, *a, ts(T0 + t)))
        .collect()
}

fn borrowed<'a>(
    log: &'a [(&'static str, &'static str, String)],
) -> Vec<(&'static str, &'static str, &'a str)> {
    log.iter().map(|(c, a, t)| (*c, *a, t.as_str())).collect()
}

fn mine_events(store: &mut Store) -> MineReport {
    let opts = MineOptions {
        source: Source::Events,
        analysis: None,
        success: None,
        failure: None,
        bottlenecks: 3,
    };
    store
        .write(|w| w.mine(&opts))
        .expect("mine")
        .value
        .remove(0)
}

fn rows(conn: &rusqlite::Connection, sql: &str, job: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([job], |r| {
        Ok((0..n)
            .map(|i| match r.get_ref(i).unwrap() {
                rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                rusqlite::types::ValueRef::Real(v) => v.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                rusqlite::types::ValueRef::Blob(_) => "blob".to_owned(),
            })
            .collect())
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn variants_cases_happy_path_and_bottlenecks_by_hand() {
    let (_db, mut store) = common::file_store();
    let log = orders();
    let source = order_log(&mut store, &borrowed(&log));
    let report = mine_events(&mut store);
    let job = report.job_id.clone();
    let conn = common::sql(&store);

    // variants: [Create, Approve, Pay] × 2, mean (7200 + 10800) / 2 = 9000, happy (the most
    // frequent ending in Pay, the end most cases reach: 3 of 4); the others once each
    let variants = rows(
        &conn,
        "SELECT frequency, avg_cycle_time_seconds, is_happy_path,
                json_extract(metadata, '$.activities') FROM variants
          WHERE analysis_id = ?1 ORDER BY frequency DESC, variant_id",
        &job,
    );
    let mut got: Vec<Vec<String>> = variants;
    got[1..].sort();
    assert_eq!(
        got,
        [
            vec!["2", "9000", "1", r#"["Create","Approve","Pay"]"#],
            vec!["1", "600", "0", r#"["Create","Reject"]"#],
            vec!["1", "93600", "0", r#"["Create","Check","Approve","Pay"]"#],
        ]
    );
    // every variant id is the hash of its activities
    let hashes = rows(
        &conn,
        "SELECT variant_id, variant_hash FROM variants WHERE analysis_id = ?1",
        &job,
    );
    assert!(
        hashes
            .iter()
            .any(|r| r[0] == cscx::mine::variant_hash(&["Create", "Approve", "Pay"]))
    );
    assert!(hashes.iter().all(|r| r[0] == r[1]));

    let cases = rows(
        &conn,
        "SELECT global_case_id, start_ts, end_ts, cycle_time_seconds FROM cases
          WHERE analysis_id = ?1 ORDER BY global_case_id",
        &job,
    );
    assert_eq!(
        cases,
        [
            vec!["a".to_owned(), ts(T0), ts(T0 + 2 * H), "7200".into()],
            vec!["b".to_owned(), ts(T0), ts(T0 + 3 * H), "10800".into()],
            vec!["c".to_owned(), ts(T0), ts(T0 + 26 * H), "93600".into()],
            vec!["d".to_owned(), ts(T0), ts(T0 + 600), "600".into()],
        ]
    );

    // bottlenecks by mean wait: Check → Approve 24h = 86400; Create → Approve (1h, 2h) =
    // 5400; then Approve → Pay (1h ×3) and Create → Check (1h) tie at 3600: by name
    let bottlenecks = rows(
        &conn,
        "SELECT target, json_extract(features, '$.mean_wait_seconds'),
                json_extract(features, '$.cases') FROM explainability
          WHERE analysis_id = ?1 AND scope = 'bottleneck' ORDER BY rowid",
        &job,
    );
    assert_eq!(
        bottlenecks,
        [
            vec!["Check → Approve", "86400", "1"],
            vec!["Create → Approve", "5400", "2"],
            vec!["Approve → Pay", "3600", "3"],
        ]
    );

    // cycle time with vs without: Check: 93600 − (7200 + 10800 + 600) / 3 = 87400;
    // Approve and Pay: (7200 + 10800 + 93600) / 3 − 600 = 36600; Reject: −36600
    let cycle = rows(
        &conn,
        "SELECT json_extract(value, '$.activity'), json_extract(value, '$.difference_seconds')
           FROM explainability, json_each(features)
          WHERE analysis_id = ?1 AND target = 'cycle_time' ORDER BY key",
        &job,
    );
    assert_eq!(
        cycle,
        [
            vec!["Check", "87400"],
            vec!["Approve", "36600"],
            vec!["Pay", "36600"],
            vec!["Reject", "-36600"],
            vec!["Create", "NULL"],
        ]
    );
    // unsuccessful (not reaching Pay): only d. Pay itself defines the outcome and is left
    // out. Reject: 1/1 with, 0/3 without: no lift (infinite), first; Approve: 0/3 with
    // against 1/1 without and Check: 0/1 against 1/3: lift 0 (by name); Create is in every
    // case: nothing to compare, last
    let outcome = rows(
        &conn,
        "SELECT json_extract(value, '$.activity'), json_extract(value, '$.rate_with'),
                json_extract(value, '$.lift')
           FROM explainability, json_each(features)
          WHERE analysis_id = ?1 AND target = 'unsuccessful' ORDER BY key",
        &job,
    );
    assert_eq!(
        outcome,
        [
            vec!["Reject", "1", "NULL"],
            vec!["Approve", "0", "0"],
            vec!["Check", "0", "0"],
            vec!["Create", "0.25", "NULL"],
        ]
    );
    let summary = rows(
        &conn,
        "SELECT summary FROM explainability WHERE analysis_id = ?1 AND target = 'unsuccessful'",
        &job,
    );
    assert_eq!(
        summary,
        [vec![
            "Reject: 100% of the cases with it are unsuccessful, none without"
        ]]
    );

    // the job: succeeded, its parameters, its provenance, one summary entry in the log
    let jobs = rows(
        &conn,
        "SELECT j.status, json_extract(j.parameters, '$.source'), json_extract(j.parameters, '$.analysis'),
                p.analysis_id = j.id, j.started_at IS NOT NULL AND j.finished_at >= j.started_at,
                json_extract(p.etl_steps, '$[1].cases')
           FROM analysis_jobs j JOIN provenance p ON p.id = j.provenance_id WHERE j.id = ?1",
        &job,
    );
    assert_eq!(
        jobs,
        [vec!["succeeded", "events", source.as_str(), "1", "1", "4"]]
    );
    let logged = rows(
        &conn,
        "SELECT json_extract(new_values, '$.events') FROM activity_log
          WHERE action = 'mine' AND entity_id = ?1",
        &job,
    );
    assert_eq!(logged, [vec!["12"]]);
}

#[test]
fn the_same_log_gives_the_same_rows() {
    let (_db, mut store) = common::file_store();
    let log = orders();
    order_log(&mut store, &borrowed(&log));
    let first = mine_events(&mut store).job_id;
    let second = mine_events(&mut store).job_id;
    assert_ne!(first, second, "two runs are two jobs");
    let conn = common::sql(&store);
    let same = |sql: &str| {
        assert_eq!(rows(&conn, sql, &first), rows(&conn, sql, &second), "{sql}");
    };
    same(
        "SELECT variant_id, frequency, avg_cycle_time_seconds, is_happy_path, metadata FROM variants WHERE analysis_id = ?1 ORDER BY variant_id",
    );
    same(
        "SELECT global_case_id, start_ts, end_ts, cycle_time_seconds, variant_id, feature_vector FROM cases WHERE analysis_id = ?1 ORDER BY global_case_id",
    );
    same(
        "SELECT scope, target, features, summary FROM explainability WHERE analysis_id = ?1 ORDER BY rowid",
    );
}

fn cscx(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(common::cscx_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run cscx")
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let (db, mut store) = common::file_store();
    let log = orders();
    let source = order_log(&mut store, &borrowed(&log));
    drop(store);
    // the write path refuses such a time; a log another system wrote may still hold one
    common::sql_at(&db.path)
        .execute(
            "UPDATE events SET timestamp = 'the second of May' WHERE global_case_id = 'b' AND activity = 'Approve'",
            [],
        )
        .unwrap();
    let before = common::dump(&db.path);

    let out = cscx(&db.path, &["mine", "--source", "events"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("events.timestamp")
            && err.contains("case b")
            && err.contains("the second of May"),
        "{err}"
    );
    assert_eq!(
        common::dump(&db.path),
        before,
        "a refused mining writes nothing"
    );

    let out = cscx(
        &db.path,
        &[
            "mine",
            "--source",
            "events",
            "--analysis",
            "0190b0c4-3d1e-7c2a-9f00-5b1d2e3f4a5b",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no such analysis job"), "{err}");

    let out = cscx(&db.path, &["mine", "--source", "tweets"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown source is a usage error"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("tweets"));

    // a case the analysis lists without any event
    let conn = common::sql_at(&db.path);
    conn.execute(
        "UPDATE events SET timestamp = ?1 WHERE timestamp = 'the second of May'",
        [ts(T0 + 2 * H)],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO cases (workspace_id, analysis_id, global_case_id)
         SELECT workspace_id, id, 'ghost' FROM analysis_jobs WHERE id = ?1",
        [&source],
    )
    .unwrap();
    drop(conn);
    let before = common::dump(&db.path);
    let out = cscx(&db.path, &["mine", "--source", "events"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cases.global_case_id") && err.contains("ghost") && err.contains("no events"),
        "{err}"
    );
    assert_eq!(common::dump(&db.path), before);

    // and with the ghost gone it mines, printing the happy path
    common::sql_at(&db.path)
        .execute("DELETE FROM cases WHERE global_case_id = 'ghost'", [])
        .unwrap();
    let out = cscx(&db.path, &["mine", "--source", "events"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("happy path (2 cases, mean 2.5 h): Create → Approve → Pay"),
        "{text}"
    );
}

/// Acme's two customers (times after T0):
///   Initech: created as prospect 0, calls 1d and 2d (the second counts no more: the same
///            activity since the last stage), onboarding 3d, meeting 5d, renewal 10d
///            → [stage:prospect, call, stage:onboarding, meeting, stage:renewal], 10 d
///   Hooli:   created as prospect 0, churned 4d → [stage:prospect, stage:churned], 4 d
#[test]
fn customer_journeys_by_hand() {
    let (_db, mut store) = common::file_store();
    let fx = common::fixture(&mut store);
    let hooli = store
        .write(|w| {
            let hooli = w.create(&cscx::store::entities::Customer {
                workspace_id: fx.workspace.clone(),
                name: "Hooli".into(),
                ..Default::default()
            })?;
            for (day, status) in [(1, "completed"), (2, "completed")] {
                w.insert_row(
                    "calls",
                    vec![
                        ("workspace_id".into(), Value::Text(fx.workspace.clone())),
                        ("user_id".into(), Value::Text(fx.user.clone())),
                        ("customer_id".into(), Value::Text(fx.customer.clone())),
                        ("prospect_name".into(), Value::Text("Bill".into())),
                        ("call_type".into(), Value::Text("outbound".into())),
                        ("status".into(), Value::Text(status.into())),
                        ("completed_at".into(), Value::Text(ts(T0 + day * D))),
                    ],
                )?;
            }
            w.insert_row(
                "meetings",
                vec![
                    ("customer_id".into(), Value::Text(fx.customer.clone())),
                    ("title".into(), Value::Text("Kick-off".into())),
                    ("scheduled_at".into(), Value::Text(ts(T0 + 5 * D))),
                ],
            )?;
            let key = |id: &str| vec![("id".to_owned(), Value::Text(id.to_owned()))];
            for stage in ["onboarding", "renewal"] {
                w.update_row(
                    "customers",
                    &key(&fx.customer),
                    vec![("stage".into(), Value::Text(stage.into()))],
                )?;
            }
            w.update_row(
                "customers",
                &key(&hooli),
                vec![("stage".into(), Value::Text("churned".into()))],
            )?;
            Ok(hooli)
        })
        .expect("journeys")
        .value;
    // the audit trail's times are the wall clock's: set them to the story's
    let conn = common::sql(&store);
    for (customer, stage, at) in [
        (&fx.customer, "prospect", T0),
        (&fx.customer, "onboarding", T0 + 3 * D),
        (&fx.customer, "renewal", T0 + 10 * D),
        (&hooli, "prospect", T0),
        (&hooli, "churned", T0 + 4 * D),
    ] {
        conn.execute(
            "UPDATE activity_log SET created_at = ?3 WHERE customer_id = ?1 AND entity_type = 'customers'
               AND json_extract(new_values, '$.stage') = ?2",
            rusqlite::params![customer, stage, ts(at)],
        )
        .unwrap();
    }
    // the session's approvals and the like are not in this story
    conn.execute("DELETE FROM agent_sessions", []).unwrap();
    let opts = MineOptions {
        source: Source::Journey,
        analysis: None,
        success: None,
        failure: None,
        bottlenecks: 2,
    };
    let reports = store.write(|w| w.mine(&opts)).expect("mine").value;
    // one job per workspace with customers: Acme and Globex (Umbrella, created now)
    assert_eq!(reports.len(), 2);
    let acme = reports
        .iter()
        .find(|r| r.workspace_id == fx.workspace)
        .unwrap();
    let m = &acme.mined;
    assert_eq!(m.cases, 2);
    let happy = m.happy_path().expect("Initech renewed");
    assert_eq!(
        happy.activities,
        [
            "stage:prospect",
            "call",
            "stage:onboarding",
            "meeting",
            "stage:renewal"
        ]
    );
    assert_eq!((happy.frequency, happy.total_cycle), (1, 10 * D));
    let churned = m.variants.iter().find(|v| !v.happy).unwrap();
    assert_eq!(churned.activities, ["stage:prospect", "stage:churned"]);
    assert_eq!(churned.total_cycle, 4 * D);
    // bottlenecks: onboarding → meeting... waits: prospect→call 1d, call→onboarding 2d,
    // onboarding→meeting 2d, meeting→renewal 5d, prospect→churned 4d: top two 5d, 4d
    let tops: Vec<(&str, &str, f64)> = m
        .bottlenecks
        .iter()
        .map(|b| (b.from.as_str(), b.to.as_str(), b.mean_wait))
        .collect();
    assert_eq!(
        tops,
        [
            ("meeting", "stage:renewal", (5 * D) as f64),
            ("stage:prospect", "stage:churned", (4 * D) as f64)
        ]
    );
    // churn: the cases with a call churned 0 of 1, those without 1 of 1: lift 0
    let call = m.effects.iter().find(|e| e.activity == "call").unwrap();
    assert_eq!(
        (call.bad_rate_with, call.bad_rate_without, call.lift),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    let rows = rows(
        &conn,
        "SELECT count(*) FROM explainability WHERE analysis_id = ?1 AND target = 'churn'",
        &acme.job_id,
    );
    assert_eq!(rows, [vec!["1"]]);
}

#[test]
fn a_viewer_may_not_mine_and_an_admin_may() {
    let (_db, mut store) = common::file_store();
    let log = orders();
    let source = order_log(&mut store, &borrowed(&log));
    let workspace: String = common::sql(&store)
        .query_row(
            "SELECT workspace_id FROM analysis_jobs WHERE id = ?1",
            [&source],
            |r| r.get(0),
        )
        .unwrap();
    let viewer = store
        .write(|w| {
            let v = w.create(&cscx::store::entities::User {
                email: "val@acme.test".into(),
                name: "Val Viewer".into(),
                ..Default::default()
            })?;
            w.insert_row(
                "workspace_members",
                vec![
                    ("workspace_id".into(), Value::Text(workspace.clone())),
                    ("user_id".into(), Value::Text(v.clone())),
                    ("role".into(), Value::Text("viewer".into())),
                ],
            )?;
            Ok(v)
        })
        .unwrap()
        .value;
    let jobs = |s: &Store| -> i64 {
        common::sql(s)
            .query_row("SELECT count(*) FROM analysis_jobs", [], |r| r.get(0))
            .unwrap()
    };
    let before = jobs(&store);
    store.set_actor(cscx::store::Actor {
        user_id: Some(viewer),
        workspace_id: Some(workspace.clone()),
        user_agent: Some("cscx test".into()),
    });
    let opts = MineOptions {
        source: Source::Events,
        analysis: None,
        success: None,
        failure: None,
        bottlenecks: 3,
    };
    let err = store.write(|w| w.mine(&opts)).unwrap_err().to_string();
    assert!(err.contains("viewer"), "{err}");
    assert_eq!(jobs(&store), before, "a refused mining writes no job");

    let admin: String = common::sql(&store)
        .query_row(
            "SELECT user_id FROM workspace_members WHERE role = 'admin'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    store.set_actor(cscx::store::Actor {
        user_id: Some(admin),
        workspace_id: Some(workspace),
        user_agent: Some("cscx test".into()),
    });
    store.write(|w| w.mine(&opts)).expect("an admin mines");
    assert_eq!(jobs(&store), before + 1);
}
