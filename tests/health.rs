//! The health engine through the store, on real SQLite files: the worked example end to end,
//! recompute on every kind of edit (incremental always equal to a full recompute), bad
//! configuration refused with the database unchanged.

mod common;
mod health_world;

use cscx::health::{Band, Explanation, KpiStatus};
use cscx::store::rows::Row;
use cscx::store::write::id_key;
use cscx::store::{self, Store, StoreError, health_sync};
use health_world::*;
use rusqlite::types::Value;

fn open(path: &std::path::Path) -> Store {
    let mut s = store::open(path).expect("open");
    s.set_today(Some(today()));
    s
}

fn acme(s: &mut Store) -> (common::Fixture, Acme) {
    let f = common::fixture(s);
    let a = Acme {
        customer: f.customer.clone(),
        workspace: f.workspace.clone(),
        user: f.user.clone(),
        session: f.session.clone(),
    };
    build_acme(s, &a);
    (f, a)
}

#[test]
fn the_worked_example_end_to_end() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (f, _) = acme(&mut s);

    assert_eq!(stored_score(&s, &f.customer), Some(60));
    assert_eq!(
        stored_trends(&s, &f.customer),
        vec![
            ("2026-09".to_owned(), Some(46.4)),
            ("2026-10".to_owned(), Some(49.9)),
            ("2026-11".to_owned(), Some(60.3)),
        ]
    );
    // the current month's row: seed columns as docs/schema.md maps them, every category by
    // name, KPI counts
    let seed_columns: [Option<f64>; 5] = common::sql(&s)
        .query_row(
            "SELECT relationship_strength_score, product_usage_score, support_score,
                    customer_sentiment_score, business_outcomes_score
             FROM health_trends WHERE customer_id = ?1 AND year = 2026 AND month = 11",
            [&f.customer],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
        )
        .unwrap();
    let (cats, total, valid): (String, i64, i64) = common::sql(&s)
        .query_row(
            "SELECT category_scores, total_kpis, valid_kpis
             FROM health_trends WHERE customer_id = ?1 AND year = 2026 AND month = 11",
            [&f.customer],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    // relationship strength, product usage (Adoption & Engagement), support, sentiment
    // (Product Value), business outcomes
    assert_eq!(
        seed_columns,
        [Some(79.0), Some(52.6), Some(65.4), None, None]
    );
    let cats: serde_json::Value = serde_json::from_str(&cats).unwrap();
    assert_eq!(cats["Adoption & Engagement"], serde_json::json!(52.6));
    assert_eq!(cats["Product Value"], serde_json::Value::Null);
    assert_eq!((total, valid), (5, 4));

    // each KPI row carries its own score and status
    let nps: Vec<(i64, Option<String>, Option<f64>)> = common::sql(&s)
        .prepare(
            "SELECT ts.month, ts.health_status, ts.health_score FROM kpi_time_series ts
             JOIN kpis k ON k.id = ts.kpi_id WHERE k.kpi_parameter = 'NPS' ORDER BY ts.month",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        nps,
        vec![
            (10, Some("risk".to_owned()), Some(63.2)),
            (11, Some("healthy".to_owned()), Some(79.0))
        ]
    );
    let unranged: (Option<String>, Option<f64>) = common::sql(&s)
        .query_row(
            "SELECT ts.health_status, ts.health_score FROM kpi_time_series ts
             JOIN kpis k ON k.id = ts.kpi_id WHERE k.kpi_parameter = 'Renewal forecast'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(unranged, (None, None));

    // today's row of the score history holds the explanation, which the read API returns
    let (value, json): (f64, String) = common::sql(&s)
        .query_row(
            "SELECT score_value, score_breakdown_json FROM customer_scores
             WHERE customer_id = ?1 AND score_dt = '2026-11-21' AND score_type = 'health'",
            [&f.customer],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(value, 60.3);
    let stored: Explanation = serde_json::from_str(&json).unwrap();
    let e = store::read::health::explanation(&s.reader(false).unwrap(), &f.customer).unwrap();
    assert_eq!(e, stored);
    assert_eq!(e.score, Some(60.3));
    assert_eq!(e.band, Some(Band::Yellow));
    assert_eq!(e.previous.as_ref().map(|p| p.score), Some(49.9));
    let contributions: Vec<f64> = e.components.iter().map(|c| c.contribution).collect();
    assert_eq!(contributions, vec![38.8, 10.0, 11.5]);
    assert!(e.crossings.iter().any(|c| c.kpi == "NPS"
        && c.from == Some(KpiStatus::Risk)
        && c.to == Some(KpiStatus::Healthy)));
    // computed fresh, it is the same
    assert_eq!(
        store::read::health::explanation_as_of(&s.reader(false).unwrap(), &f.customer, today())
            .unwrap(),
        e
    );
    assert!(drift(&s).is_empty(), "{:?}", drift(&s));
}

#[test]
fn an_edit_recomputes_in_the_same_transaction_and_logs_the_move() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (f, _) = acme(&mut s);

    // a meeting today: engagement 50 → 60, contribution 10.0 → 12.0, score 60.3 → 62.3
    let written = s
        .write(|w| insert_meeting(w, &f.customer, "scheduled", today()))
        .unwrap();
    assert_eq!(written.health.len(), 1);
    let change = &written.health[0];
    assert_eq!(
        (change.customer_name.as_str(), change.before, change.after),
        ("Initech", Some(60), Some(62))
    );
    assert_eq!(stored_score(&s, &f.customer), Some(62));
    assert_eq!(
        stored_trends(&s, &f.customer).last(),
        Some(&("2026-11".to_owned(), Some(62.3)))
    );
    let logged: (String, String) = common::sql(&s)
        .query_row(
            "SELECT old_values, new_values FROM activity_log
             WHERE action = 'health_change' AND customer_id = ?1 ORDER BY rowid DESC LIMIT 1",
            [&f.customer],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        logged,
        (
            "{\"health_score\":60}".to_owned(),
            "{\"health_score\":62}".to_owned()
        )
    );

    // an edit that does not move the whole score: still recomputed, nothing reported
    let written = s
        .write(|w| insert_message(w, &f.session, days_ago(40)))
        .unwrap();
    assert!(written.health.is_empty());

    // an edit that touches no input: nothing recomputed
    let before = common::dump(&db.path);
    let written = s
        .write(|w| {
            w.update_row(
                "users",
                &id_key(&f.user),
                row(&[("department", t("Customer Success"))]),
            )
        })
        .unwrap();
    assert!(written.health.is_empty());
    let after = common::dump(&db.path);
    let health_rows = |d: &str| {
        d.lines()
            .filter(|l| l.contains("health"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(health_rows(&before), health_rows(&after));
    assert!(drift(&s).is_empty());
}

#[test]
fn engagement_window_29_days_counts_31_does_not() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let f = common::fixture(&mut s);
    let written = s
        .write(|w| insert_message(w, &f.session, days_ago(31)))
        .unwrap();
    assert!(written.health.is_empty(), "31 days old: still no score");
    assert_eq!(stored_score(&s, &f.customer), None);
    s.write(|w| insert_message(w, &f.session, days_ago(29)))
        .unwrap();
    assert_eq!(stored_score(&s, &f.customer), Some(10));
    s.write(|w| insert_message(w, &f.session, days_ago(30)))
        .unwrap();
    assert_eq!(
        stored_score(&s, &f.customer),
        Some(10),
        "30 days old is out"
    );
    s.write(|w| insert_call(w, &f.workspace, &f.user, &f.customer, "completed", today()))
        .unwrap();
    assert_eq!(stored_score(&s, &f.customer), Some(20));
}

#[test]
fn a_range_or_a_weight_change_recomputes_everyone_it_affects() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let f = common::fixture(&mut s);
    let some = Some;
    // two customers of the workspace and one of the other workspace have an NPS KPI
    let (second, range) = s
        .write(|w| {
            let second = w.create(&store::entities::Customer {
                workspace_id: f.workspace.clone(),
                name: "Hooli".into(),
                ..Default::default()
            })?;
            let range = insert_range(
                w,
                "NPS",
                true,
                (some(-100.0), some(0.0)),
                (some(0.0), some(30.0)),
                (some(30.0), some(100.0)),
            )?;
            for c in [&f.customer, &second, &f.other_customer] {
                let k = insert_kpi(w, c, "nps", "Relationship Strength", None)?;
                insert_value(w, c, &k, 2026, 11, Some(20.0))?;
            }
            Ok((second, range))
        })
        .unwrap()
        .value;
    // KPI: risk, 40 + 20/30 × 29 = 59.3; engagement 0 counts next to it (nobody talked to
    // them): 0.75 × 59.3 + 0.25 × 0 = 44.5 → 45
    for c in [&f.customer, &second, &f.other_customer] {
        assert_eq!(stored_score(&s, c), Some(45));
    }

    // moving the risk band: everyone with an NPS KPI, in every workspace
    let written = s
        .write(|w| {
            w.update_row(
                "kpi_reference_ranges",
                &id_key(&range),
                row(&[("risk_max", r(20.0)), ("healthy_min", r(20.0))]),
            )
        })
        .unwrap();
    assert_eq!(written.health.len(), 3);
    // healthy from 20: 20 is its worst end, 70; 0.75 × 70 = 52.5 → 53
    for c in [&f.customer, &second, &f.other_customer] {
        assert_eq!(stored_score(&s, c), Some(53));
    }
    assert!(drift(&s).is_empty());

    // workspace weights: only the workspace's customers
    let written = s
        .write(|w| {
            w.insert_row(
                "workspace_configs",
                row(&[
                    ("workspace_id", t(&f.workspace)),
                    ("red_below", i(90)),
                    ("green_from", i(95)),
                ]),
            )
        })
        .unwrap();
    assert!(
        written.health.is_empty(),
        "thresholds move bands, not scores"
    );
    let e = store::read::health::explanation(&s.reader(false).unwrap(), &f.customer).unwrap();
    assert_eq!(e.band, Some(Band::Red));
    let e = store::read::health::explanation(&s.reader(false).unwrap(), &f.other_customer).unwrap();
    assert_eq!(
        e.band,
        Some(Band::Yellow),
        "another workspace: default thresholds"
    );

    // deleting the range: nobody has a KPI score any more, so nobody has a score
    let written = s
        .write(|w| w.delete_row("kpi_reference_ranges", &id_key(&range)))
        .unwrap();
    assert_eq!(written.health.len(), 3);
    assert_eq!(stored_score(&s, &second), None);
    assert!(drift(&s).is_empty(), "{:?}", drift(&s));
}

#[test]
fn cascades_recompute_the_customers_they_reach() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let f = common::fixture(&mut s);
    let (caller, module, stakeholder) = s
        .write(|w| {
            let caller = w.create(&store::entities::User {
                email: "caller@acme.test".into(),
                name: "Caller".into(),
                ..Default::default()
            })?;
            insert_call(w, &f.workspace, &caller, &f.customer, "completed", today())?;
            insert_call(w, &f.workspace, &f.user, &f.customer, "completed", today())?;
            let module = insert_module(w, "Basics")?;
            let other = insert_module(w, "Advanced")?;
            let stakeholder = w.create(&store::entities::Stakeholder {
                customer_id: f.customer.clone(),
                name: "Peter".into(),
                ..Default::default()
            })?;
            insert_progress(w, &f.customer, None, &module, 100)?;
            insert_progress(w, &f.customer, Some(&stakeholder), &other, 0)?;
            Ok((caller, module, stakeholder))
        })
        .unwrap()
        .value;
    // engagement 20, adoption 50: 0.5 × 20 + 0.5 × 50 = 35
    assert_eq!(stored_score(&s, &f.customer), Some(35));

    // deleting a user deletes their calls (seed 004): engagement 10
    s.write(|w| w.delete_row("users", &id_key(&caller)))
        .unwrap();
    assert_eq!(stored_score(&s, &f.customer), Some(30));
    // deleting a stakeholder deletes their training progress: adoption 100
    s.write(|w| w.delete_row("stakeholders", &id_key(&stakeholder)))
        .unwrap();
    assert_eq!(stored_score(&s, &f.customer), Some(55));
    // deleting a module deletes everyone's progress in it: no adoption
    s.write(|w| w.delete_row("training_modules", &id_key(&module)))
        .unwrap();
    assert_eq!(stored_score(&s, &f.customer), Some(10));
    assert!(drift(&s).is_empty(), "{:?}", drift(&s));
    let pending = store::health_sync::pending(&s).unwrap();
    assert_eq!(pending, 0, "emptied in every write");

    // deleting the customer itself: nothing left to recompute, nothing fails
    let written = s
        .write(|w| w.delete_row("customers", &id_key(&f.customer)))
        .unwrap();
    assert!(written.health.is_empty());
    assert!(drift(&s).is_empty());
}

#[test]
fn a_tampered_derived_value_is_drift_and_a_recompute_repairs_it() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let (f, _) = acme(&mut s);
    common::sql(&s)
        .execute_batch(
            "UPDATE customers SET health_score = 12;
             UPDATE health_trends SET overall_health_score = 1 WHERE month = 9;
             UPDATE kpi_time_series SET health_status = 'critical' WHERE month = 11;",
        )
        .unwrap();
    let found = drift(&s);
    assert_eq!(found.len(), 2, "{found:?}");
    let initech = found.iter().find(|d| d.customer_id == f.customer).unwrap();
    let text = initech.differences.join("\n");
    assert!(
        text.contains("customers.health_score: stored 12, computed 60"),
        "{text}"
    );
    assert!(
        text.contains("health_trends 2026-09: overall stored 1.0, computed 46.4"),
        "{text}"
    );
    assert!(
        text.contains("kpi_time_series NPS 2026-11: stored critical"),
        "{text}"
    );

    let moved = s.write(|w| health_sync::recompute(w, None)).unwrap().value;
    assert_eq!(moved.len(), 2, "Initech 12 → 60, and Umbrella 12 → none");
    assert!(drift(&s).is_empty());
    assert_eq!(stored_score(&s, &f.customer), Some(60));
}

#[test]
fn recorded_history_is_kept_and_months_with_kpi_data_are_recomputed() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let store_path = db.path.clone();
    let (f, _) = acme(&mut s);
    let ids = |_w: &store::WriteTx<'_>, sql: &str| -> cscx::store::Result<Vec<String>> {
        let conn = common::sql_at(&store_path);
        let mut stmt = conn.prepare(sql)?;
        let found = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(found)
    };
    let imported = |month: i64, overall: f64| {
        row(&[
            ("customer_id", t(&f.customer)),
            ("year", i(2026)),
            ("month", i(month)),
            ("overall_health_score", r(overall)),
        ])
    };
    // history imported from seed 002 files: June has no KPI data here, and October's KPI
    // values are deleted, so health cannot reproduce either; September has KPI data, so its
    // row is health's to compute whatever is written into it
    s.write(|w| {
        for id in ids(w, "SELECT id FROM kpi_time_series WHERE month = 10")? {
            w.delete_row("kpi_time_series", &id_key(&id))?;
        }
        for id in ids(w, "SELECT id FROM health_trends WHERE month IN (9, 10)")? {
            w.delete_row("health_trends", &id_key(&id))?;
        }
        w.insert_row("health_trends", imported(6, 55.0))?;
        w.insert_row("health_trends", imported(9, 1.0))?;
        w.insert_row("health_trends", imported(10, 44.0))
    })
    .unwrap();
    let trends = stored_trends(&s, &f.customer);
    assert!(
        trends.contains(&("2026-06".to_owned(), Some(55.0))),
        "{trends:?}"
    );
    assert!(
        trends.contains(&("2026-10".to_owned(), Some(44.0))),
        "{trends:?}"
    );
    assert!(
        trends
            .iter()
            .any(|(m, v)| m == "2026-09" && *v != Some(1.0)),
        "a month with KPI data is recomputed: {trends:?}"
    );
    // October's score can still be computed from engagement and adoption: computed wins
    let e = store::read::health::explanation(&s.reader(false).unwrap(), &f.customer).unwrap();
    assert!(
        e.previous.as_ref().is_some_and(|p| p.score != 44.0),
        "{:?}",
        e.previous
    );
    assert!(drift(&s).is_empty(), "{:?}", drift(&s));

    // a customer whose October the inputs cannot score: the recorded score stands in
    let other = f.other_customer.clone();
    s.write(|w| {
        w.insert_row(
            "health_trends",
            row(&[
                ("customer_id", t(&other)),
                ("year", i(2026)),
                ("month", i(10)),
                ("overall_health_score", r(44.0)),
            ]),
        )?;
        insert_call(w, &f.other_workspace, &f.user, &other, "completed", today())
    })
    .unwrap();
    let e = store::read::health::explanation(&s.reader(false).unwrap(), &other).unwrap();
    assert_eq!(e.score, Some(10.0));
    assert_eq!(
        e.previous,
        Some(cscx::health::Previous {
            score: 44.0,
            as_of: "2026-10".into()
        })
    );
    assert!(drift(&s).is_empty(), "{:?}", drift(&s));
}

/// Bad configuration is refused naming the field, and the file stays byte-for-byte the same.
#[test]
fn bad_configuration_is_refused_with_the_database_unchanged() {
    let db = common::temp_db();
    let mut s = open(&db.path);
    let store_path = db.path.clone();
    let (f, _) = acme(&mut s);
    let config = s
        .write(|w| {
            w.insert_row(
                "workspace_configs",
                row(&[("workspace_id", t(&f.workspace))]),
            )
        })
        .unwrap()
        .value;
    let range: String = common::sql(&s)
        .query_row(
            "SELECT id FROM kpi_reference_ranges WHERE kpi_name = 'NPS'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = common::dump(&db.path);

    let refuse = |s: &mut Store, table: &str, key: &Row, patch: Row, column: &str, says: &str| {
        let err = s
            .write(|w| w.update_row(table, key, patch.clone()))
            .expect_err("refused");
        let field = match &err {
            StoreError::Field(e) => e.clone(),
            other => panic!("{table}: not a field error: {other}"),
        };
        assert_eq!(
            (field.table.as_str(), field.column.as_str()),
            (table, column),
            "{err}"
        );
        assert!(err.to_string().contains(says), "{err}");
    };
    let weights = |v: &str| row(&[("category_weights", t(v))]);
    refuse(
        &mut s,
        "workspace_configs",
        &config,
        weights("[0.5, 0.5]"),
        "category_weights",
        "JSON object",
    );
    refuse(
        &mut s,
        "workspace_configs",
        &config,
        weights("\"heavy\""),
        "category_weights",
        "JSON object",
    );
    refuse(
        &mut s,
        "workspace_configs",
        &config,
        weights(r#"{"Product Value": -0.2, "Business Outcomes": 1}"#),
        "category_weights",
        "negative",
    );
    refuse(
        &mut s,
        "workspace_configs",
        &config,
        weights(r#"{"Product Value": "lots"}"#),
        "category_weights",
        "must be a number",
    );
    refuse(
        &mut s,
        "workspace_configs",
        &config,
        weights(r#"{"Product Value": 0, "Business Outcomes": 0}"#),
        "category_weights",
        "above 0",
    );
    refuse(
        &mut s,
        "workspace_configs",
        &config,
        row(&[("component_weights", t(r#"{"kpi": 1, "luck": 1}"#))]),
        "component_weights",
        "luck",
    );
    refuse(
        &mut s,
        "workspace_configs",
        &config,
        row(&[(
            "component_weights",
            t(r#"{"kpi": 0, "engagement": 0, "adoption": 0}"#),
        )]),
        "component_weights",
        "above 0",
    );
    refuse(
        &mut s,
        "workspace_configs",
        &config,
        row(&[("red_below", i(80)), ("green_from", i(70))]),
        "red_below",
        "green_from",
    );
    let range_key = id_key(&range);
    refuse(
        &mut s,
        "kpi_reference_ranges",
        &range_key,
        row(&[("risk_min", r(-10.0))]),
        "risk_min",
        "overlap",
    );
    refuse(
        &mut s,
        "kpi_reference_ranges",
        &range_key,
        row(&[("healthy_min", r(120.0))]),
        "healthy_min",
        "empty",
    );
    refuse(
        &mut s,
        "kpi_reference_ranges",
        &range_key,
        row(&[("higher_is_better", i(0))]),
        "risk_min",
        "below",
    );
    // a new range is checked the same way
    let err = s
        .write(|w| {
            let some = Some;
            insert_range(
                w,
                "CSAT",
                true,
                (some(0.0), some(60.0)),
                (some(50.0), some(80.0)),
                (None, None),
            )
        })
        .expect_err("overlapping bands");
    assert!(err.to_string().contains("overlap"), "{err}");
    // a KPI value filed under another customer than its KPI's
    let err = s
        .write(|w| {
            let kpi: String = common::sql_at(&store_path).query_row(
                "SELECT id FROM kpis WHERE kpi_parameter = 'NPS'",
                [],
                |r| r.get(0),
            )?;
            insert_value(w, &f.other_customer, &kpi, 2026, 8, Some(1.0))
        })
        .expect_err("another customer's KPI");
    assert!(err.to_string().contains("KPI's customer"), "{err}");

    assert_eq!(
        common::dump(&db.path),
        before,
        "every refused write left no trace"
    );

    // the same values written correctly are accepted, and rescore
    s.write(|w| {
        w.update_row(
            "workspace_configs",
            &config,
            row(&[("component_weights", t(r#"{"kpi": 1}"#))]),
        )
    })
    .unwrap();
    assert_eq!(
        stored_score(&s, &f.customer),
        Some(65),
        "KPI component alone: 64.7"
    );
    assert!(drift(&s).is_empty());
}

/// Random sequences of edits through the store: after each one, the stored health equals a
/// full recompute (incremental = full).
mod random_edits {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Edit {
        Kpi {
            customer: usize,
            name: usize,
            category: usize,
            weight: Option<u8>,
        },
        Value {
            kpi: usize,
            months_ago: u8,
            value: Option<i16>,
        },
        DeleteValue {
            index: usize,
        },
        DeleteKpi {
            index: usize,
        },
        Range {
            name: usize,
            higher_is_better: bool,
            cuts: (i16, i16, i16, i16),
            open_top: bool,
        },
        DeleteRange {
            name: usize,
        },
        Weights {
            customer_workspace: bool,
            kpi: u8,
            engagement: u8,
            adoption: u8,
            categories: u8,
        },
        Message {
            session: usize,
            days_ago: u8,
        },
        Call {
            customer: usize,
            days_ago: u8,
            completed: bool,
            by_other_user: bool,
        },
        Meeting {
            customer: usize,
            days_ago: u8,
            cancelled: bool,
        },
        MoveSession {
            session: usize,
            customer: usize,
        },
        Training {
            customer: usize,
            module: usize,
            progress: u8,
            with_stakeholder: bool,
        },
        AdoptionScore {
            customer: usize,
            days_ago: u8,
            value: u8,
        },
        Telemetry {
            customer: usize,
            days_ago: u8,
        },
        DeleteUser,
        DeleteModule {
            module: usize,
        },
        DeleteStakeholder {
            customer: usize,
        },
        DeleteCustomer {
            customer: usize,
        },
        Rename {
            customer: usize,
        },
        DeleteMessage {
            index: usize,
        },
    }

    const NAMES: [&str; 4] = ["NPS", "Uptime", "Tickets", "Logins"];
    const CATEGORIES: [&str; 4] = [
        "Relationship Strength",
        "Adoption & Engagement",
        "support & experience",
        "Security",
    ];

    fn edit() -> impl Strategy<Value = Edit> {
        let c = 0usize..4;
        prop_oneof![
            (
                c.clone(),
                0usize..4,
                0usize..4,
                proptest::option::of(0u8..4)
            )
                .prop_map(|(customer, name, category, weight)| Edit::Kpi {
                    customer,
                    name,
                    category,
                    weight
                }),
            (0usize..16, 0u8..5, proptest::option::of(-20i16..140)).prop_map(
                |(kpi, months_ago, value)| Edit::Value {
                    kpi,
                    months_ago,
                    value
                }
            ),
            (0usize..32).prop_map(|index| Edit::DeleteValue { index }),
            (0usize..16).prop_map(|index| Edit::DeleteKpi { index }),
            (
                0usize..4,
                any::<bool>(),
                (0i16..40, 0i16..40, 0i16..40, 0i16..40),
                any::<bool>()
            )
                .prop_map(|(name, higher_is_better, cuts, open_top)| Edit::Range {
                    name,
                    higher_is_better,
                    cuts,
                    open_top
                }),
            (0usize..4).prop_map(|name| Edit::DeleteRange { name }),
            (any::<bool>(), 0u8..4, 0u8..4, 0u8..4, 0u8..4).prop_map(
                |(customer_workspace, kpi, engagement, adoption, categories)| Edit::Weights {
                    customer_workspace,
                    kpi,
                    engagement,
                    adoption,
                    categories
                }
            ),
            (0usize..4, 0u8..70)
                .prop_map(|(session, days_ago)| Edit::Message { session, days_ago }),
            (c.clone(), 0u8..70, any::<bool>(), any::<bool>()).prop_map(
                |(customer, days_ago, completed, by_other_user)| Edit::Call {
                    customer,
                    days_ago,
                    completed,
                    by_other_user
                }
            ),
            (c.clone(), 0u8..70, any::<bool>()).prop_map(|(customer, days_ago, cancelled)| {
                Edit::Meeting {
                    customer,
                    days_ago,
                    cancelled,
                }
            }),
            (0usize..4, c.clone())
                .prop_map(|(session, customer)| Edit::MoveSession { session, customer }),
            (c.clone(), 0usize..2, 0u8..=100, any::<bool>()).prop_map(
                |(customer, module, progress, with_stakeholder)| Edit::Training {
                    customer,
                    module,
                    progress,
                    with_stakeholder
                }
            ),
            (c.clone(), 0u8..70, 0u8..=100).prop_map(|(customer, days_ago, value)| {
                Edit::AdoptionScore {
                    customer,
                    days_ago,
                    value,
                }
            }),
            (c.clone(), 0u8..70)
                .prop_map(|(customer, days_ago)| Edit::Telemetry { customer, days_ago }),
            Just(Edit::DeleteUser),
            (0usize..2).prop_map(|module| Edit::DeleteModule { module }),
            c.clone()
                .prop_map(|customer| Edit::DeleteStakeholder { customer }),
            c.clone()
                .prop_map(|customer| Edit::DeleteCustomer { customer }),
            c.clone().prop_map(|customer| Edit::Rename { customer }),
            (0usize..32).prop_map(|index| Edit::DeleteMessage { index }),
        ]
    }

    /// The world the edits act on: ids by position (looked up fresh, since edits delete).
    struct World {
        workspaces: [String; 2],
        user: String,
        other_user: String,
        modules: Vec<String>,
    }

    fn ids(s: &Store, sql: &str) -> Vec<String> {
        common::sql(s)
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn pick(list: &[String], n: usize) -> Option<&String> {
        (!list.is_empty()).then(|| &list[n % list.len()])
    }

    fn setup(s: &mut Store) -> World {
        let f = common::fixture(s);
        s.write(|w| {
            let other_user = w.create(&store::entities::User {
                email: "other@acme.test".into(),
                name: "Other".into(),
                ..Default::default()
            })?;
            let mut customers = vec![f.customer.clone(), f.other_customer.clone()];
            for (name, ws) in [("Hooli", &f.workspace), ("Vandelay", &f.other_workspace)] {
                customers.push(w.create(&store::entities::Customer {
                    workspace_id: ws.clone(),
                    name: name.into(),
                    ..Default::default()
                })?);
            }
            for c in &customers[1..] {
                w.create(&store::entities::AgentSession {
                    customer_id: c.clone(),
                    ..Default::default()
                })?;
            }
            for c in &customers {
                w.create(&store::entities::Stakeholder {
                    customer_id: c.clone(),
                    name: "Pat".into(),
                    ..Default::default()
                })?;
            }
            let modules = vec![insert_module(w, "Basics")?, insert_module(w, "Advanced")?];
            Ok(World {
                workspaces: [f.workspace.clone(), f.other_workspace.clone()],
                user: f.user.clone(),
                other_user,
                modules,
            })
        })
        .unwrap()
        .value
    }

    /// Applies `edit`; a refused edit (bad range, vanished row) is fine, a broken invariant
    /// is not.
    fn apply(s: &mut Store, world: &World, edit: &Edit) {
        let store_path = s.path().to_owned();
        let customers = ids(s, "SELECT id FROM customers ORDER BY rowid");
        let kpis = ids(s, "SELECT id FROM kpis ORDER BY rowid");
        let values = ids(s, "SELECT id FROM kpi_time_series ORDER BY rowid");
        let sessions = ids(s, "SELECT id FROM agent_sessions ORDER BY rowid");
        let messages = ids(s, "SELECT id FROM agent_messages ORDER BY rowid");
        let modules: Vec<String> = ids(s, "SELECT id FROM training_modules ORDER BY rowid");
        let _ = &world.modules;
        let ago = |d: u8| days_ago(u64::from(d));
        let result = s.write(|w| -> cscx::store::Result<()> {
            match edit {
                Edit::Kpi { customer, name, category, weight } => {
                    if let Some(c) = pick(&customers, *customer) {
                        insert_kpi(w, c, NAMES[*name], CATEGORIES[*category], weight.map(f64::from))?;
                    }
                }
                Edit::Value { kpi, months_ago, value } => {
                    if let Some(k) = pick(&kpis, *kpi) {
                        let owner: String =
                            common::sql_at(&store_path).query_row("SELECT customer_id FROM kpis WHERE id = ?1", [k], |r| r.get(0))?;
                        // months_ago 0 is next month: values in the future are stored, not counted
                        let month = cscx::health::YearMonth::of(today()).next();
                        let mut m = month;
                        for _ in 0..*months_ago {
                            m = m.prev();
                        }
                        let existing: Option<String> = common::sql_at(&store_path)
                            .query_row(
                                "SELECT id FROM kpi_time_series WHERE kpi_id = ?1 AND year = ?2 AND month = ?3",
                                rusqlite::params![k, m.year(), m.month()],
                                |r| r.get(0),
                            )
                            .ok();
                        let v = value.map(f64::from);
                        match existing {
                            Some(id) => w.update_row(
                                "kpi_time_series",
                                &id_key(&id),
                                row(&[("value", v.map_or(Value::Null, Value::Real))]),
                            )?,
                            None => {
                                insert_value(w, &owner, k, i64::from(m.year()), i64::from(m.month()), v)?;
                            }
                        }
                    }
                }
                Edit::DeleteValue { index } => {
                    if let Some(v) = pick(&values, *index) {
                        w.delete_row("kpi_time_series", &id_key(v))?;
                    }
                }
                Edit::DeleteKpi { index } => {
                    if let Some(k) = pick(&kpis, *index) {
                        w.delete_row("kpis", &id_key(k))?;
                    }
                }
                Edit::Range { name, higher_is_better, cuts, open_top } => {
                    let mut c = [cuts.0, cuts.1, cuts.2, cuts.3].map(|x| f64::from(x) * 3.0);
                    c.sort_by(f64::total_cmp);
                    let some = Some;
                    let top = if *open_top { None } else { some(c[3]) };
                    let (crit, risk, healthy) = if *higher_is_better {
                        ((some(c[0]), some(c[1])), (some(c[1]), some(c[2])), (some(c[2]), top))
                    } else {
                        ((some(c[2]), top), (some(c[1]), some(c[2])), (some(c[0]), some(c[1])))
                    };
                    let existing: Option<String> = common::sql_at(&store_path)
                        .query_row(
                            "SELECT id FROM kpi_reference_ranges WHERE kpi_name = ?1",
                            [NAMES[*name]],
                            |r| r.get(0),
                        )
                        .ok();
                    let opt = |v: Option<f64>| v.map_or(Value::Null, Value::Real);
                    match existing {
                        Some(id) => w.update_row(
                            "kpi_reference_ranges",
                            &id_key(&id),
                            row(&[
                                ("higher_is_better", i(i64::from(*higher_is_better))),
                                ("critical_min", opt(crit.0)),
                                ("critical_max", opt(crit.1)),
                                ("risk_min", opt(risk.0)),
                                ("risk_max", opt(risk.1)),
                                ("healthy_min", opt(healthy.0)),
                                ("healthy_max", opt(healthy.1)),
                            ]),
                        )?,
                        None => {
                            insert_range(w, NAMES[*name], *higher_is_better, crit, risk, healthy)?;
                        }
                    }
                }
                Edit::DeleteRange { name } => {
                    let existing: Option<String> = common::sql_at(&store_path)
                        .query_row(
                            "SELECT id FROM kpi_reference_ranges WHERE kpi_name = ?1",
                            [NAMES[*name]],
                            |r| r.get(0),
                        )
                        .ok();
                    if let Some(id) = existing {
                        w.delete_row("kpi_reference_ranges", &id_key(&id))?;
                    }
                }
                Edit::Weights { customer_workspace, kpi, engagement, adoption, categories } => {
                    let ws = &world.workspaces[usize::from(!*customer_workspace)];
                    let components = format!(
                        r#"{{"kpi": {kpi}, "engagement": {engagement}, "adoption": {adoption}}}"#
                    );
                    let cats = format!(
                        r#"{{"Relationship Strength": {categories}, "Adoption & Engagement": 1, "Support & Experience": 0.5}}"#
                    );
                    let existing: Option<String> = common::sql_at(&store_path)
                        .query_row(
                            "SELECT id FROM workspace_configs WHERE workspace_id = ?1",
                            [ws],
                            |r| r.get(0),
                        )
                        .ok();
                    let patch = row(&[
                        ("component_weights", t(&components)),
                        ("category_weights", t(&cats)),
                        ("red_below", i(i64::from(*kpi) * 10)),
                    ]);
                    match existing {
                        Some(id) if *kpi == 3 => w.delete_row("workspace_configs", &id_key(&id))?,
                        Some(id) => w.update_row("workspace_configs", &id_key(&id), patch)?,
                        None => {
                            let mut new = patch;
                            new.push(("workspace_id".into(), t(ws)));
                            w.insert_row("workspace_configs", new)?;
                        }
                    }
                }
                Edit::Message { session, days_ago } => {
                    if let Some(sid) = pick(&sessions, *session) {
                        insert_message(w, sid, ago(*days_ago))?;
                    }
                }
                Edit::DeleteMessage { index } => {
                    if let Some(m) = pick(&messages, *index) {
                        w.delete_row("agent_messages", &id_key(m))?;
                    }
                }
                Edit::Call { customer, days_ago, completed, by_other_user } => {
                    if let Some(c) = pick(&customers, *customer) {
                        let ws: String = common::sql_at(&store_path).query_row(
                            "SELECT workspace_id FROM customers WHERE id = ?1",
                            [c],
                            |r| r.get(0),
                        )?;
                        let user = if *by_other_user { &world.other_user } else { &world.user };
                        let status = if *completed { "completed" } else { "no-show" };
                        insert_call(w, &ws, user, c, status, ago(*days_ago))?;
                    }
                }
                Edit::Meeting { customer, days_ago, cancelled } => {
                    if let Some(c) = pick(&customers, *customer) {
                        let status = if *cancelled { "cancelled" } else { "completed" };
                        insert_meeting(w, c, status, ago(*days_ago))?;
                    }
                }
                Edit::MoveSession { session, customer } => {
                    if let (Some(sid), Some(c)) = (pick(&sessions, *session), pick(&customers, *customer)) {
                        w.update_row("agent_sessions", &id_key(sid), row(&[("customer_id", t(c))]))?;
                    }
                }
                Edit::Training { customer, module, progress, with_stakeholder } => {
                    if let (Some(c), Some(m)) = (pick(&customers, *customer), pick(&modules, *module)) {
                        let stakeholder: Option<String> = if *with_stakeholder {
                            common::sql_at(&store_path)
                                .query_row(
                                    "SELECT id FROM stakeholders WHERE customer_id = ?1 LIMIT 1",
                                    [c],
                                    |r| r.get(0),
                                )
                                .ok()
                        } else {
                            None
                        };
                        let existing: Option<String> = common::sql_at(&store_path)
                            .query_row(
                                "SELECT id FROM training_progress WHERE customer_id = ?1 AND module_id = ?2
                                   AND stakeholder_id IS ?3",
                                rusqlite::params![c, m, stakeholder],
                                |r| r.get(0),
                            )
                            .ok();
                        match existing {
                            Some(id) => w.update_row(
                                "training_progress",
                                &id_key(&id),
                                row(&[("progress", i(i64::from(*progress)))]),
                            )?,
                            None => {
                                insert_progress(w, c, stakeholder.as_deref(), m, i64::from(*progress))?;
                            }
                        }
                    }
                }
                Edit::AdoptionScore { customer, days_ago, value } => {
                    if let Some(c) = pick(&customers, *customer) {
                        let day = ago(*days_ago).format("%Y-%m-%d").to_string();
                        let key = row(&[("customer_id", t(c)), ("score_dt", t(&day)), ("score_type", t("adoption"))]);
                        let exists: bool = common::sql_at(&store_path).query_row(
                            "SELECT count(*) FROM customer_scores WHERE customer_id = ?1 AND score_dt = ?2 AND score_type = 'adoption'",
                            [c, &day],
                            |r| r.get(0),
                        )?;
                        if exists {
                            w.update_row("customer_scores", &key, row(&[("score_value", r(f64::from(*value)))]))?;
                        } else {
                            insert_adoption_score(w, c, ago(*days_ago), f64::from(*value))?;
                        }
                    }
                }
                Edit::Telemetry { customer, days_ago } => {
                    if let Some(c) = pick(&customers, *customer) {
                        insert_telemetry(w, c, ago(*days_ago))?;
                    }
                }
                Edit::DeleteUser => {
                    let exists: bool = common::sql_at(&store_path).query_row(
                        "SELECT count(*) FROM users WHERE id = ?1",
                        [&world.other_user],
                        |r| r.get(0),
                    )?;
                    if exists {
                        w.delete_row("users", &id_key(&world.other_user))?;
                    }
                }
                Edit::DeleteModule { module } => {
                    if let Some(m) = pick(&modules, *module) {
                        w.delete_row("training_modules", &id_key(m))?;
                    }
                }
                Edit::DeleteStakeholder { customer } => {
                    if let Some(c) = pick(&customers, *customer) {
                        let sh: Option<String> = common::sql_at(&store_path)
                            .query_row(
                                "SELECT id FROM stakeholders WHERE customer_id = ?1 LIMIT 1",
                                [c],
                                |r| r.get(0),
                            )
                            .ok();
                        if let Some(sh) = sh {
                            w.delete_row("stakeholders", &id_key(&sh))?;
                        }
                    }
                }
                Edit::DeleteCustomer { customer } => {
                    // keep at least two customers so the sequence stays interesting
                    if customers.len() > 2
                        && let Some(c) = pick(&customers, *customer)
                    {
                        w.delete_row("customers", &id_key(c))?;
                    }
                }
                Edit::Rename { customer } => {
                    if let Some(c) = pick(&customers, *customer) {
                        w.update_row("customers", &id_key(c), row(&[("name", t("Renamed Co"))]))?;
                    }
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            // refusals are allowed (e.g. a KPI name a customer already has); anything else
            // is a bug
            assert!(
                matches!(e, StoreError::Field(_)),
                "{edit:?} failed unexpectedly: {e}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
        #[test]
        fn incremental_recompute_always_equals_a_full_one(edits in proptest::collection::vec(edit(), 1..40)) {
            let db = common::temp_db();
            let mut s = open(&db.path);
            let world = setup(&mut s);
            for (n, edit) in edits.iter().enumerate() {
                apply(&mut s, &world, edit);
                let found = drift(&s);
                prop_assert!(found.is_empty(), "after edit {n} {edit:?}: {found:#?}");
                let pending = store::health_sync::pending(&s).unwrap();
                prop_assert_eq!(pending, 0);
            }
        }
    }
}

#[test]
fn deciding_an_approval_leaves_health_as_it_was() {
    use cscx::store::approvals::{self, Decision};
    let db = common::temp_db();
    // the real clock, not today(): the decision's system message is stamped with it, and a
    // message after a fixed "today" would not count whatever its role
    let mut s = store::open(&db.path).expect("open");
    let f = common::fixture(&mut s);
    let today = s.today();
    let approvals: Vec<String> = s
        .write(|w| {
            insert_message(w, &f.session, today)?;
            let mut ids = Vec::new();
            for action in ["send the renewal quote", "email the sponsor"] {
                let key = w.insert_row(
                    "approvals",
                    row(&[
                        ("session_id", t(&f.session)),
                        ("agent_id", t("renewal")),
                        ("action", t(action)),
                    ]),
                )?;
                ids.push(id_of(&key));
            }
            Ok(ids)
        })
        .expect("approvals")
        .value;
    // one agent message: engagement 10, the only component
    assert_eq!(stored_score(&s, &f.customer), Some(10));

    s.set_actor(store::Actor {
        user_id: Some(f.user.clone()),
        ..Default::default()
    });
    let approved = s
        .write(|w| approvals::resolve(w, &approvals[..1], Decision::Approve, None))
        .expect("approve");
    assert_eq!(approved.health, vec![], "approving moved a score");
    let rejected = s
        .write(|w| {
            approvals::resolve(
                w,
                &approvals[1..],
                Decision::Reject,
                Some("not this quarter"),
            )
        })
        .expect("reject");
    assert_eq!(rejected.health, vec![], "rejecting moved a score");
    assert_eq!(stored_score(&s, &f.customer), Some(10));
    // the decisions did write their system messages, in the window
    let system: i64 = common::sql(&s)
        .query_row(
            "SELECT count(*) FROM agent_messages WHERE role = 'system' AND session_id = ?1
               AND substr(created_at, 1, 10) = ?2",
            [f.session.as_str(), today.to_string().as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(system, 2);
    assert_eq!(drift(&s), vec![]);
}
