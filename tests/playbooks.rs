//! The playbook engine through the store, on real SQLite files (docs/playbooks.md): an edit
//! that drops health below the red band opens `renewal-risk` at once with its step tasks, the
//! same edit again opens nothing more, completing every step completes the execution and
//! writes its report, a cancel cancels the open steps, incremental evaluation always equals
//! a full one, and `playbooks --check` is clean after `generate`.

mod common;
mod health_world;

use cscx::store::tasks::{self, Source};
use cscx::store::{self, Store, playbooks};
use health_world::*;
use rusqlite::types::Value;
use std::process::Command;

fn open(path: &std::path::Path) -> Store {
    let mut s = store::open(path).expect("open");
    s.set_today(Some(today()));
    s
}

const RED: &str =
    r#"{"rules": [{"when": "health_below", "band": "red", "playbook": "renewal-risk"}]}"#;

/// The fixture's customer with one KPI (Uptime, its November value `value`), and a renewal
/// trigger of the workspace with `config`. Returns (customer, KPI, the KPI's November row).
fn world(s: &mut Store, config: &str) -> (common::Fixture, String, String) {
    let f = common::fixture(s);
    let (kpi, value_row) = s
        .write(|w| {
            let some = Some;
            insert_range(
                w,
                "Uptime",
                true,
                (some(0.0), some(50.0)),
                (some(50.0), some(80.0)),
                (some(80.0), some(100.0)),
            )?;
            let kpi = insert_kpi(w, &f.customer, "Uptime", "Support & Experience", None)?;
            let row = insert_value(w, &f.customer, &kpi, 2026, 11, Some(95.0))?;
            w.insert_row(
                "playbook_triggers",
                row_of(&[
                    ("workspace_id", t(&f.workspace)),
                    ("playbook_type", t("renewal")),
                    ("trigger_config", t(config)),
                    ("auto_trigger_enabled", i(1)),
                ]),
            )?;
            Ok((kpi, row))
        })
        .expect("world")
        .value;
    (f, kpi, value_row)
}

fn row_of(pairs: &[(&str, Value)]) -> cscx::store::rows::Row {
    row(pairs)
}

fn set_value(s: &mut Store, value_row: &str, value: f64) {
    s.write(|w| {
        w.update_row(
            "kpi_time_series",
            &cscx::store::write::id_key(value_row),
            vec![("value".into(), Value::Real(value))],
        )
    })
    .expect("edit");
}

fn executions(s: &Store, customer: &str) -> Vec<(String, String, String, i64)> {
    let conn = common::sql(s);
    let mut stmt = conn
        .prepare(
            "SELECT execution_id, playbook_id, status, current_step FROM playbook_executions
             WHERE customer_id = ?1 ORDER BY id",
        )
        .unwrap();
    stmt.query_map([customer], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn step_tasks(s: &Store, execution: &str) -> Vec<(String, String, i64)> {
    let conn = common::sql(s);
    let mut stmt = conn
        .prepare(
            "SELECT id, status, step_position FROM tasks WHERE execution_id = ?1
             ORDER BY step_position",
        )
        .unwrap();
    stmt.query_map([execution], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn count(s: &Store, sql: &str) -> i64 {
    common::sql(s).query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_drop_below_red_opens_renewal_risk_at_once_and_only_once() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (f, _, value_row) = world(&mut s, RED);
    let healthy = stored_score(&s, &f.customer);
    assert!(
        healthy.is_some_and(|h| h >= 40),
        "starts out of red: {healthy:?}"
    );
    assert!(executions(&s, &f.customer).is_empty());

    set_value(&mut s, &value_row, 5.0);
    let score = stored_score(&s, &f.customer);
    assert!(score.is_some_and(|h| h < 40), "now red: {score:?}");
    let opened = executions(&s, &f.customer);
    assert_eq!(opened.len(), 1, "{opened:?}");
    let (execution, playbook, status, step) = &opened[0];
    assert_eq!(
        (playbook.as_str(), status.as_str(), *step),
        ("renewal-risk", "in-progress", 0)
    );
    // its four steps, open, owned by the customer's CSM or the workspace's admin
    let steps = step_tasks(&s, execution);
    assert_eq!(steps.len(), 4);
    assert!(steps.iter().all(|(_, st, _)| st == "open"));
    let owners = count(
        &s,
        &format!(
            "SELECT count(*) FROM tasks WHERE execution_id = '{execution}' AND owner_id = '{}'",
            f.user
        ),
    );
    assert_eq!(owners, 4, "Dana is the CSM and the admin");
    // why, in the execution: the rule and the values at that moment
    let data: String = common::sql(&s)
        .query_row(
            "SELECT execution_data FROM playbook_executions WHERE execution_id = ?1",
            [execution],
            |r| r.get(0),
        )
        .unwrap();
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["trigger"], "auto");
    assert_eq!(data["rule"]["when"], "health_below");
    assert_eq!(data["rule"]["band"], "red");
    assert_eq!(data["values"]["band"], "red");
    assert_eq!(data["values"]["health"], serde_json::json!(score));
    assert_eq!(data["values"]["health_before"], serde_json::json!(healthy));
    assert_eq!(data["steps_total"], 4);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'playbook_fired'"
        ),
        1
    );
    let (fired, triggered, evaluated): (i64, Option<String>, Option<String>) = common::sql(&s)
        .query_row(
            "SELECT trigger_count, last_triggered, last_evaluated FROM playbook_triggers",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(fired, 1);
    assert!(triggered.is_some() && evaluated.is_some());

    // the same edit again, and another: still one execution
    set_value(&mut s, &value_row, 5.0);
    set_value(&mut s, &value_row, 4.0);
    assert_eq!(executions(&s, &f.customer).len(), 1);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'playbook_fired'"
        ),
        1
    );
    let drift = playbooks::drift(&s.reader(false).unwrap(), None, today()).unwrap();
    assert!(drift.is_empty(), "{drift:?}");
}

#[test]
fn explain_says_why_a_playbook_fired() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (_, _, value_row) = world(&mut s, RED);
    set_value(&mut s, &value_row, 5.0);
    drop(s);
    let o = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(&db.path)
        .args(["explain", "Initech"])
        .output()
        .expect("run cscx");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("playbooks:"), "{out}");
    assert!(
        out.contains("Renewal risk (renewal-risk): in-progress, 0/4 steps"),
        "{out}"
    );
    assert!(out.contains(r#""when":"health_below""#), "{out}");
    assert!(out.contains(r#""band":"red""#), "{out}");
}

#[test]
fn a_disabled_trigger_fires_nothing() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (f, _, value_row) = world(&mut s, RED);
    common::sql(&s)
        .execute("UPDATE playbook_triggers SET auto_trigger_enabled = 0", [])
        .unwrap();
    set_value(&mut s, &value_row, 5.0);
    assert!(executions(&s, &f.customer).is_empty());
}

#[test]
fn completing_every_step_completes_the_execution_and_writes_its_report() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (f, _, value_row) = world(&mut s, RED);
    set_value(&mut s, &value_row, 5.0);
    let (execution, ..) = executions(&s, &f.customer).remove(0);
    let steps = step_tasks(&s, &execution);
    for (n, (task, _, _)) in steps.iter().enumerate() {
        s.write(|w| tasks::complete(w, Source::Task, task))
            .expect("complete");
        let (_, _, status, step) = executions(&s, &f.customer).remove(0);
        if n + 1 < steps.len() {
            assert_eq!((status.as_str(), step), ("in-progress", n as i64 + 1));
            assert_eq!(count(&s, "SELECT count(*) FROM playbook_reports"), 0);
        } else {
            assert_eq!((status.as_str(), step), ("completed", 4));
        }
    }
    let (status, done, total, account, data, duration, completed): (
        String,
        i64,
        i64,
        String,
        String,
        Option<i64>,
        Option<String>,
    ) = common::sql(&s)
        .query_row(
            "SELECT status, steps_completed, total_steps, account_name, report_data, duration,
                    completed_at
             FROM playbook_reports WHERE execution_id = ?1",
            [&execution],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .unwrap();
    assert_eq!((status.as_str(), done, total), ("completed", 4, 4));
    assert_eq!(account, "Initech");
    assert!(duration.is_some_and(|d| d >= 0));
    assert!(completed.is_some());
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["raci"]["responsible"], "csm");
    assert_eq!(data["raci"]["accountable"], "admin");
    assert_eq!(data["outcomes"].as_array().map(Vec::len), Some(4));
    assert_eq!(data["rule"]["when"], "health_below");
    assert!(data["exit_criteria"].is_string());
    // health is still red, but the cool-down keeps the next edit from reopening it
    set_value(&mut s, &value_row, 3.0);
    assert_eq!(executions(&s, &f.customer).len(), 1);
}

#[test]
fn a_cancelled_execution_cancels_its_open_steps() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (f, _, value_row) = world(&mut s, RED);
    set_value(&mut s, &value_row, 5.0);
    let (execution, ..) = executions(&s, &f.customer).remove(0);
    let first = step_tasks(&s, &execution).remove(0).0;
    s.write(|w| tasks::complete(w, Source::Task, &first))
        .expect("complete");
    s.write(|w| playbooks::cancel(w, &execution))
        .expect("cancel");
    let (_, _, status, step) = executions(&s, &f.customer).remove(0);
    assert_eq!((status.as_str(), step), ("cancelled", 1));
    let statuses: Vec<String> = step_tasks(&s, &execution)
        .into_iter()
        .map(|(_, st, _)| st)
        .collect();
    assert_eq!(statuses, ["done", "cancelled", "cancelled", "cancelled"]);
    let (status, done): (String, i64) = common::sql(&s)
        .query_row(
            "SELECT status, steps_completed FROM playbook_reports WHERE execution_id = ?1",
            [&execution],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), done), ("cancelled", 1));
}

#[test]
fn a_bad_trigger_config_is_refused_naming_the_field() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let f = common::fixture(&mut s);
    for (config, field) in [
        (
            r#"{"rules": [{"when": "health_below", "band": "blue"}]}"#,
            "trigger_config.rules[0].band",
        ),
        (
            r#"{"rules": [{"when": "renewal_within", "days": 30, "playbook": "nope"}]}"#,
            "trigger_config.rules[0].playbook",
        ),
        (
            r#"{"days_before_renewal": "soon"}"#,
            "trigger_config.days_before_renewal",
        ),
    ] {
        let err = s
            .write(|w| {
                w.insert_row(
                    "playbook_triggers",
                    row_of(&[
                        ("workspace_id", t(&f.workspace)),
                        ("playbook_type", t("renewal")),
                        ("trigger_config", t(config)),
                    ]),
                )
            })
            .expect_err("refused");
        assert!(err.to_string().contains(field), "{config}: {err}");
    }
}

#[test]
fn renewal_windows_open_with_the_calendar_through_a_full_evaluation() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (f, _, _) = world(
        &mut s,
        r#"{"rules": [{"when": "renewal_within", "days": 90}]}"#,
    );
    // a contract that ends in 100 days: outside the window today
    let end = today() + chrono::Duration::days(100);
    s.write(|w| {
        w.insert_row(
            "contracts",
            row_of(&[
                ("customer_id", t(&f.customer)),
                ("status", t("active")),
                ("start_date", t("2026-01-01")),
                ("end_date", t(&end.format("%Y-%m-%d").to_string())),
            ]),
        )
    })
    .expect("contract");
    assert!(executions(&s, &f.customer).is_empty());
    // twenty days later the window is open: --check says so, a full evaluation opens it
    s.set_today(Some(today() + chrono::Duration::days(20)));
    let later = s.today();
    let drift = playbooks::drift(&s.reader(false).unwrap(), None, later).unwrap();
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(drift[0].rule.playbook, "renewal-standard-v2");
    let fired = playbooks::evaluate_all(&mut s, |_, _| {}).unwrap();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].steps, 6);
    assert!(
        playbooks::drift(&s.reader(false).unwrap(), None, later)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn playbooks_check_is_clean_after_generate() {
    let db = common::temp_db();
    let run = |args: &[&str]| {
        Command::new(common::cscx_bin())
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .output()
            .expect("run cscx")
    };
    let o = run(&["generate", "--customers", "300", "--seed", "7"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["playbooks", "--check"]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // the generated triggers opened what they say, with their step tasks
    let conn = common::sql_at(&db.path);
    let auto: i64 = conn
        .query_row(
            "SELECT count(*) FROM playbook_executions
             WHERE json_extract(execution_data, '$.rule.when') IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(auto > 0, "generate's triggers opened executions");
    let missing: i64 = conn
        .query_row(
            "SELECT count(*) FROM playbook_executions e
             WHERE status = 'in-progress' AND playbook_id IN (SELECT playbook_id FROM playbooks)
               AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.execution_id = e.execution_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(missing, 0);
}

mod property {
    use super::*;
    use proptest::prelude::*;

    const EVERY: &str = r#"{"rules": [
      {"when": "health_below", "band": "red", "playbook": "renewal-risk"},
      {"when": "health_drop", "points": 10, "days": 1, "playbook": "renewal-risk"},
      {"when": "kpi_critical", "kpi": "Uptime", "playbook": "sla-recovery-v1"},
      {"when": "nps_below", "score": 0, "kpi": "NPS", "playbook": "voc-quarterly"},
      {"when": "expansion_signal", "min_health": 70, "kpi": "Seats used", "at_least": 90,
       "playbook": "expansion-seats"},
      {"when": "health_below", "band": "yellow", "playbook": "activation-30d", "cooldown_days": 0},
      {"when": "renewal_within", "days": 60}
    ]}"#;

    #[derive(Debug, Clone)]
    enum Edit {
        Contract {
            customer: bool,
            days: u8,
        },
        Thresholds {
            red_below: u8,
        },
        Value {
            customer: bool,
            kpi: usize,
            value: i16,
        },
        Stage {
            customer: bool,
            active: bool,
        },
        Complete {
            customer: bool,
        },
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<bool>(), 0usize..3, -100i16..101).prop_map(|(customer, kpi, value)| {
                Edit::Value {
                    customer,
                    kpi,
                    value,
                }
            }),
            (any::<bool>(), any::<bool>())
                .prop_map(|(customer, active)| Edit::Stage { customer, active }),
            any::<bool>().prop_map(|customer| Edit::Complete { customer }),
            (any::<bool>(), 0u8..120)
                .prop_map(|(customer, days)| Edit::Contract { customer, days }),
            (20u8..70).prop_map(|red_below| Edit::Thresholds { red_below }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]
        #[test]
        fn incremental_evaluation_always_equals_a_full_one(
            edits in proptest::collection::vec(edit(), 1..25)
        ) {
            let db = common::temp_db();
            let mut s = open(&db.path);
            let (f, uptime, _) = world(&mut s, EVERY);
            // a second customer of the same workspace, and three KPIs each
            let (second, rows) = s.write(|w| {
                let second = w.create(&cscx::store::entities::Customer {
                    workspace_id: f.workspace.clone(),
                    name: "Hooli".into(),
                    csm_id: Some(f.user.clone()),
                    ..Default::default()
                })?;
                let some = Some;
                insert_range(w, "NPS", true, (some(-100.0), some(0.0)), (some(0.0), some(30.0)),
                             (some(30.0), some(100.0)))?;
                let mut rows = Vec::new();
                for c in [&f.customer, &second] {
                    let mut mine = Vec::new();
                    for (name, category) in [("Uptime", "Support & Experience"),
                                             ("NPS", "Relationship Strength"),
                                             ("Seats used", "Product Value")] {
                        let kpi = if c == &f.customer && name == "Uptime" {
                            uptime.clone()
                        } else {
                            insert_kpi(w, c, name, category, None)?
                        };
                        mine.push(kpi);
                    }
                    rows.push(mine);
                }
                Ok((second, rows))
            }).expect("second").value;
            let customers = [f.customer.clone(), second];
            for (n, e) in edits.iter().enumerate() {
                match e {
                    Edit::Value { customer, kpi, value } => {
                        let c = usize::from(*customer);
                        let kpi_id = rows[c][*kpi].clone();
                        let cust = customers[c].clone();
                        // the November value: insert or replace
                        let existing: Option<String> = common::sql(&s)
                            .query_row(
                                "SELECT id FROM kpi_time_series
                                 WHERE kpi_id = ?1 AND year = 2026 AND month = 11",
                                [&kpi_id],
                                |r| r.get(0),
                            )
                            .ok();
                        s.write(|w| {
                            match existing {
                                Some(id) => w.update_row("kpi_time_series",
                                    &cscx::store::write::id_key(&id),
                                    vec![("value".into(), Value::Real(f64::from(*value)))]),
                                None => insert_value(w, &cust, &kpi_id, 2026, 11,
                                                     Some(f64::from(*value))).map(|_| ()),
                            }
                        }).expect("value");
                    }
                    Edit::Stage { customer, active } => {
                        let cust = customers[usize::from(*customer)].clone();
                        s.write(|w| w.update_row("customers", &cscx::store::write::id_key(&cust),
                            vec![("stage".into(),
                                  Value::Text(if *active { "active" } else { "churned" }.into()))]))
                            .expect("stage");
                    }
                    Edit::Contract { customer, days } => {
                        let cust = customers[usize::from(*customer)].clone();
                        let end = today() + chrono::Duration::days(i64::from(*days));
                        s.write(|w| w.insert_row("contracts", row_of(&[
                            ("customer_id", t(&cust)),
                            ("status", t("active")),
                            ("start_date", t("2026-01-01")),
                            ("end_date", t(&end.format("%Y-%m-%d").to_string())),
                        ]))).expect("contract");
                    }
                    Edit::Thresholds { red_below } => {
                        // the workspace's bands move: every customer's health_below rules
                        let existing: Option<String> = common::sql(&s)
                            .query_row("SELECT id FROM workspace_configs WHERE workspace_id = ?1",
                                       [&f.workspace], |r| r.get(0))
                            .ok();
                        let red = i64::from(*red_below);
                        s.write(|w| match &existing {
                            Some(id) => w.update_row("workspace_configs",
                                &cscx::store::write::id_key(id),
                                vec![("red_below".into(), Value::Integer(red))]),
                            None => w.insert_row("workspace_configs", row_of(&[
                                ("workspace_id", t(&f.workspace)),
                                ("red_below", i(red)),
                                ("green_from", i(70)),
                            ])).map(|_| ()),
                        }).expect("thresholds");
                    }
                    Edit::Complete { customer } => {
                        let cust = customers[usize::from(*customer)].clone();
                        let open: Vec<String> = {
                            let conn = common::sql(&s);
                            let mut stmt = conn.prepare(
                                "SELECT id FROM tasks WHERE customer_id = ?1 AND status = 'open'
                                 ORDER BY id").unwrap();
                            stmt.query_map([&cust], |r| r.get(0)).unwrap()
                                .collect::<rusqlite::Result<_>>().unwrap()
                        };
                        for task in open {
                            s.write(|w| tasks::complete(w, Source::Task, &task)).expect("complete");
                        }
                    }
                }
                let found = playbooks::drift(&s.reader(false).unwrap(), None, today()).unwrap();
                prop_assert!(found.is_empty(), "after edit {n} {e:?}: {found:#?}");
                // never two open executions of one playbook for one customer
                let twice = count(&s, "SELECT count(*) FROM (SELECT 1 FROM playbook_executions
                    WHERE status = 'in-progress' GROUP BY customer_id, playbook_id
                    HAVING count(*) > 1)");
                prop_assert_eq!(twice, 0);
            }
        }
    }
}

/// A workspace's own playbook is data a CSV import brings (definition and steps); a step of
/// a playbook that does not exist is refused, naming the file, line and field, and nothing
/// is written.
#[test]
fn a_workspace_imports_its_own_playbook_and_a_bad_step_is_refused() {
    let db = common::temp_db();
    let run = |args: &[&str]| {
        Command::new(common::cscx_bin())
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .output()
            .expect("run cscx")
    };
    assert!(run(&["demo", "--no-open"]).status.success());
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("playbooks.csv"),
        "playbook_id,workspace_id,playbook_type,name,exit_criteria\n\
         northwind-onboarding,Northwind CS,activation,Northwind onboarding,Go-live signed off\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("playbook_steps.csv"),
        "playbook_id,position,title,owner_role,due_days\n\
         northwind-onboarding,1,Kick-off call,csm,0\n\
         northwind-onboarding,2,Go-live review,admin,14\n",
    )
    .expect("write");
    let dir_arg = dir.path().to_str().expect("utf-8");
    let o = run(&["--user", "walter@northwind.test", "import", dir_arg]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = store::open(&db.path).expect("store");
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM playbook_steps WHERE playbook_id = 'northwind-onboarding'"
        ),
        2
    );
    drop(s);

    // a failed import leaves only its failed run (docs/import.md, "Runs in etl_runs")
    let before = common::dump_but_runs(&db.path);
    let bad = tempfile::tempdir().expect("dir");
    std::fs::write(
        bad.path().join("playbook_steps.csv"),
        "playbook_id,position,title,owner_role,due_days\nno-such-playbook,1,Call,csm,0\n",
    )
    .expect("write");
    let o = run(&[
        "--user",
        "walter@northwind.test",
        "import",
        bad.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("playbook_steps.csv:2") && err.contains("playbook_id"),
        "{err}"
    );
    assert_eq!(common::dump_but_runs(&db.path), before, "nothing written");
}
