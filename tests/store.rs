//! The store's one write path against a real SQLite file: typed round-trips, the activity
//! log, rejected writes that leave the database byte-for-byte unchanged, workspace scoping,
//! conflict detection, derived columns and paged reads.

mod common;

use cscx::store::entities::{
    Approval, Call, Contract, Customer, Deal, DealAction, DealNote, LossReason, Stakeholder,
};
use cscx::store::enums::*;
use cscx::store::ids::Timestamp;
use cscx::store::read::{Anchor, customers};
use cscx::store::rows::Row;
use cscx::store::write::{get, id_key};
use cscx::store::{self, Actor, StoreError};
use rusqlite::types::Value;
use serde_json::Value as Json;

fn activity(s: &store::Store, entity_id: &str) -> Vec<(String, Option<Json>, Option<Json>)> {
    common::sql(s)
        .prepare("SELECT action, old_values, new_values FROM activity_log WHERE entity_id = ?1 ORDER BY created_at, rowid")
        .unwrap()
        .query_map([entity_id], |r| {
            let parse = |v: Option<String>| v.map(|t| serde_json::from_str(&t).unwrap());
            Ok((r.get(0)?, parse(r.get(1)?), parse(r.get(2)?)))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn call_for(f: &common::Fixture) -> Call {
    Call {
        workspace_id: f.workspace.clone(),
        user_id: f.user.clone(),
        customer_id: Some(f.customer.clone()),
        prospect_name: "Bill Lumbergh".into(),
        call_type: CallType::Outbound,
        status: CallStatus::Completed,
        outcome: Some(CallOutcome::Tbd),
        call_duration: Some(45 * 60),
        completed_at: Some(Timestamp::now()),
        ..Default::default()
    }
}

#[test]
fn typed_records_round_trip_through_create_update_delete() {
    let db = common::temp_db();
    let mut s = store::open(&db.path).unwrap();
    let f = common::fixture(&mut s);

    let mut call = call_for(&f);
    let id = s.write(|w| w.create(&call)).unwrap().value;
    call.id = id.clone();
    let stored: Call = get(&common::sql(&s).into(), s.catalog(), &id).unwrap();
    assert_eq!(stored.prospect_name, call.prospect_name);
    assert_eq!(stored.call_duration, Some(2700));
    assert_eq!(stored.status, CallStatus::Completed);

    call.notes = Some("Wants the TPS reports\nby Friday".into());
    call.outcome = Some(CallOutcome::Won);
    s.write(|w| w.update(&id, &call)).unwrap();
    let stored: Call = get(&common::sql(&s).into(), s.catalog(), &id).unwrap();
    assert_eq!(stored, call);

    s.write(|w| w.delete::<Call>(&id)).unwrap();
    assert!(matches!(
        get::<Call>(&common::sql(&s).into(), s.catalog(), &id),
        Err(StoreError::NotFound { .. })
    ));

    // the other edited entities round-trip too
    let sh = s
        .write(|w| {
            w.create(&Stakeholder {
                customer_id: f.customer.clone(),
                name: "Peter Gibbons".into(),
                is_primary: true,
                sentiment: Some(Sentiment::Negative),
                ..Default::default()
            })
        })
        .unwrap()
        .value;
    let stored: Stakeholder = get(&common::sql(&s).into(), s.catalog(), &sh).unwrap();
    assert!(stored.is_primary);
    assert_eq!(stored.sentiment, Some(Sentiment::Negative));

    let deal = s
        .write(|w| {
            w.create(&Deal {
                customer_id: f.customer.clone(),
                name: Some("Expansion".into()),
                amount_cents: Some(5_000_000),
                stage: DealStage::Proposal,
                ..Default::default()
            })
        })
        .unwrap()
        .value;
    let note = s
        .write(|w| {
            w.create(&DealNote {
                deal_id: deal.clone(),
                note_txt: "Sent proposal".into(),
                ..Default::default()
            })
        })
        .unwrap()
        .value;
    let action = s
        .write(|w| {
            w.create(&DealAction {
                deal_id: deal.clone(),
                action_txt: "Follow up".into(),
                due_dt: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
                ..Default::default()
            })
        })
        .unwrap()
        .value;
    assert_eq!(
        get::<DealNote>(&common::sql(&s).into(), s.catalog(), &note)
            .unwrap()
            .note_txt,
        "Sent proposal"
    );
    assert_eq!(
        get::<DealAction>(&common::sql(&s).into(), s.catalog(), &action)
            .unwrap()
            .due_dt,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
    );
    // deleting the deal cascades to its notes and actions
    s.write(|w| w.delete::<Deal>(&deal)).unwrap();
    assert!(get::<DealNote>(&common::sql(&s).into(), s.catalog(), &note).is_err());
}

#[test]
fn every_write_appends_old_and_new_values_to_the_activity_log() {
    let db = common::temp_db();
    let mut s = store::open(&db.path).unwrap();
    let f = common::fixture(&mut s);
    s.set_actor(Actor {
        user_id: Some(f.user.clone()),
        ..Default::default()
    });

    let mut customer: Customer = get(&common::sql(&s).into(), s.catalog(), &f.customer).unwrap();
    customer.stage = CustomerStage::AtRisk;
    customer.arr_cents = Some(9_000_000);
    s.write(|w| w.update(&f.customer, &customer)).unwrap();

    let log = activity(&s, &f.customer);
    assert_eq!(log.len(), 2, "create then update: {log:?}");
    assert_eq!(log[0].0, "create");
    assert_eq!(log[0].2.as_ref().unwrap()["name"], "Initech");
    let (action, old, new) = &log[1];
    assert_eq!(action, "update");
    let (old, new) = (old.as_ref().unwrap(), new.as_ref().unwrap());
    assert_eq!(old["stage"], "prospect");
    assert_eq!(new["stage"], "at_risk");
    assert_eq!(old["arr_cents"], 12_000_000);
    assert_eq!(new["arr_cents"], 9_000_000);
    assert!(
        new.get("name").is_none(),
        "only changed columns are logged: {new}"
    );

    let (user, customer_id): (Option<String>, Option<String>) = common::sql(&s)
        .query_row(
            "SELECT user_id, customer_id FROM activity_log WHERE entity_id = ?1 AND action = 'update'",
            [&f.customer],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(user.as_deref(), Some(f.user.as_str()));
    assert_eq!(customer_id.as_deref(), Some(f.customer.as_str()));

    // an update that changes nothing is not logged
    s.write(|w| w.update(&f.customer, &customer)).unwrap();
    assert_eq!(activity(&s, &f.customer).len(), 2);

    // Dana is no member of Globex CS: the file's owner deletes its customer
    s.set_actor(Actor::default());
    s.write(|w| w.delete::<Customer>(&f.other_customer))
        .unwrap();
    let log = activity(&s, &f.other_customer);
    assert_eq!(log.last().unwrap().0, "delete");
    assert_eq!(log.last().unwrap().1.as_ref().unwrap()["name"], "Umbrella");
}

#[test]
fn rejected_writes_name_the_field_and_leave_the_file_unchanged() {
    let db = common::temp_db();
    let mut s = store::open(&db.path).unwrap();
    let f = common::fixture(&mut s);
    let before = common::dump(&db.path);

    // a value outside the CHECK set
    let patch: Row = vec![("stage".into(), Value::Text("exploded".into()))];
    let err = s
        .write(|w| w.update_row("customers", &id_key(&f.customer), patch))
        .unwrap_err();
    let field = err.field().expect("a field error");
    assert_eq!(
        (field.table.as_str(), field.column.as_str()),
        ("customers", "stage")
    );
    assert!(field.reason.contains("must be one of prospect"), "{err}");

    // a reference to nothing
    let mut call = call_for(&f);
    call.customer_id = Some("00000000-0000-4000-8000-000000000000".into());
    let err = s.write(|w| w.create(&call)).unwrap_err();
    assert_eq!(err.field().unwrap().column, "customer_id");
    assert!(err.to_string().contains("does not exist"), "{err}");

    // a cross-field rule: lost needs a reason
    let mut call = call_for(&f);
    call.outcome = Some(CallOutcome::Lost);
    let err = s.write(|w| w.create(&call)).unwrap_err();
    assert_eq!(err.field().unwrap().column, "loss_reason_id");

    // a required field
    let mut call = call_for(&f);
    call.prospect_name = String::new();
    let err = s.write(|w| w.create(&call)).unwrap_err();
    assert_eq!(err.field().unwrap().column, "prospect_name", "{err}");

    // a unique key
    let err = s
        .write(|w| {
            w.create(&cscx::store::entities::Workspace {
                name: "acme cs".into(),
                ..Default::default()
            })
        })
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");

    // a failure late in a transaction undoes its earlier writes
    let err = s
        .write(|w| {
            w.create(&call_for(&f))?;
            w.create(&Call {
                prospect_name: String::new(),
                ..call_for(&f)
            })
        })
        .unwrap_err();
    assert!(err.field().is_some());

    drop(s);
    assert_eq!(
        common::dump(&db.path),
        before,
        "no rejected write left a trace"
    );
}

#[test]
fn a_workspace_scoped_actor_cannot_touch_another_workspace() {
    let db = common::temp_db();
    let mut s = store::open(&db.path).unwrap();
    let f = common::fixture(&mut s);
    s.set_actor(Actor {
        workspace_id: Some(f.workspace.clone()),
        ..Default::default()
    });
    let before = common::dump(&db.path);

    let mut other: Customer = get(&common::sql(&s).into(), s.catalog(), &f.other_customer).unwrap();
    other.name = "Hijacked".into();
    assert!(matches!(
        s.write(|w| w.update(&f.other_customer, &other)),
        Err(StoreError::Scope(_))
    ));
    assert!(matches!(
        s.write(|w| w.delete::<Customer>(&f.other_customer)),
        Err(StoreError::Scope(_))
    ));

    // a row of this workspace may not point at a customer of another one
    let mut call = call_for(&f);
    call.customer_id = Some(f.other_customer.clone());
    let err = s.write(|w| w.create(&call)).unwrap_err();
    assert!(err.to_string().contains("another workspace"), "{err}");
    assert_eq!(common::dump(&db.path), before);

    // writes inside the scope work, and get the scope's workspace when they name none
    let reason = s
        .write(|w| {
            let row: Row = vec![("name".into(), Value::Text("Price".into()))];
            w.insert_row("loss_reasons", row)
        })
        .unwrap()
        .value;
    let reason_id = match &reason[0].1 {
        Value::Text(t) => t.clone(),
        v => panic!("{v:?}"),
    };
    let stored: LossReason = get(&common::sql(&s).into(), s.catalog(), &reason_id).unwrap();
    assert_eq!(stored.workspace_id, f.workspace);
}

#[test]
fn an_edit_over_a_changed_row_is_a_conflict_not_a_lost_update() {
    let db = common::temp_db();
    let mut s = store::open(&db.path).unwrap();
    let f = common::fixture(&mut s);
    let opened: Customer = get(&common::sql(&s).into(), s.catalog(), &f.customer).unwrap();

    // someone else (another cscx) changes the ARR meanwhile
    let mut other = store::open(&db.path).unwrap();
    let mut theirs = opened.clone();
    theirs.arr_cents = Some(1);
    other.write(|w| w.update(&f.customer, &theirs)).unwrap();

    let mut mine = opened.clone();
    mine.stage = CustomerStage::Renewal;
    match s.write(|w| w.update_unless_changed(&f.customer, &opened, &mine)) {
        Err(StoreError::Conflict { columns, .. }) => assert_eq!(columns, "arr_cents"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored: Customer = get(&common::sql(&s).into(), s.catalog(), &f.customer).unwrap();
    assert_eq!(stored.arr_cents, Some(1), "their edit survives");
    assert_eq!(
        stored.stage,
        CustomerStage::Prospect,
        "mine was not applied"
    );
}

#[test]
fn renewal_date_and_open_approvals_follow_their_sources() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    let customer = |s: &store::Store| -> (Option<String>, i64) {
        common::sql(s)
            .query_row(
                "SELECT renewal_date, open_approvals FROM customers WHERE id = ?1",
                [&f.customer],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let late = s
        .write(|w| {
            w.create(&Contract {
                customer_id: f.customer.clone(),
                end_date: date(2027, 6, 30),
                ..Default::default()
            })
        })
        .unwrap()
        .value;
    s.write(|w| {
        w.create(&Contract {
            customer_id: f.customer.clone(),
            end_date: date(2027, 1, 31),
            ..Default::default()
        })
    })
    .unwrap();
    assert_eq!(customer(&s).0.as_deref(), Some("2027-01-31"));
    s.write(|w| {
        w.update_row(
            "contracts",
            &id_key(&late),
            vec![("end_date".into(), Value::Text("2026-12-31".into()))],
        )
    })
    .unwrap();
    assert_eq!(customer(&s).0.as_deref(), Some("2026-12-31"));

    let pending = |s: &mut store::Store| {
        s.write(|w| {
            w.create(&Approval {
                session_id: f.session.clone(),
                agent_id: "renewal".into(),
                action: "Send renewal quote".into(),
                ..Default::default()
            })
        })
        .unwrap()
        .value
    };
    let a = pending(&mut s);
    pending(&mut s);
    assert_eq!(customer(&s).1, 2);
    s.write(|w| {
        w.update_row(
            "approvals",
            &id_key(&a),
            vec![
                ("status".into(), Value::Text("approved".into())),
                (
                    "resolved_at".into(),
                    Value::Text("2026-11-21T10:00:00Z".into()),
                ),
            ],
        )
    })
    .unwrap();
    assert_eq!(customer(&s).1, 1);
    s.write(|w| w.delete::<cscx::store::entities::AgentSession>(&f.session))
        .unwrap();
    assert_eq!(customer(&s).1, 0, "cascaded deletes are counted too");
}

#[test]
fn the_customer_list_pages_by_keyset_in_both_directions() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    s.write(|w| {
        for i in 0..57 {
            w.create(&Customer {
                workspace_id: f.workspace.clone(),
                name: format!("Customer {i:02}"),
                // ties on purpose: the id breaks them
                arr_cents: if i % 5 == 0 {
                    None
                } else {
                    Some((i % 7) * 1000)
                },
                ..Default::default()
            })?;
        }
        Ok(())
    })
    .unwrap();
    for sort in customers::Sort::ALL {
        for descending in [false, true] {
            let q = customers::Query {
                workspace_id: Some(f.workspace.clone()),
                sort,
                descending,
                ..Default::default()
            };
            let total = customers::count(&s.reader(false).unwrap(), &q).unwrap();
            assert_eq!(total, 58);
            let all = customers::page(&s.reader(false).unwrap(), &q, &Anchor::Start, 1000).unwrap();
            assert_eq!(all.len(), 58);
            // page forward 10 at a time
            let mut walked = Vec::new();
            let mut anchor = Anchor::Start;
            loop {
                let page = customers::page(&s.reader(false).unwrap(), &q, &anchor, 10).unwrap();
                if page.is_empty() {
                    break;
                }
                anchor = Anchor::After(page.last().unwrap().cursor.clone());
                walked.extend(page);
            }
            assert_eq!(walked, all, "{sort:?} desc={descending}: forward paging");
            // the last page, and stepping back from it
            let end = customers::page(&s.reader(false).unwrap(), &q, &Anchor::End, 10).unwrap();
            assert_eq!(end, all[48..], "{sort:?} desc={descending}: End");
            let before = customers::page(
                &s.reader(false).unwrap(),
                &q,
                &Anchor::Before(end[0].cursor.clone()),
                10,
            )
            .unwrap();
            assert_eq!(before, all[38..48], "{sort:?} desc={descending}: Before");
        }
    }
    // every word is a prefix of a word of the name: "cust 4" is Customer 40 to 49
    let q = customers::Query {
        search: "cust 4".into(),
        ..Default::default()
    };
    let hits = customers::page(&s.reader(false).unwrap(), &q, &Anchor::Start, 100).unwrap();
    let names: Vec<&str> = hits.iter().map(|r| r.name.as_str()).collect();
    let expected: Vec<String> = (40..50).map(|i| format!("Customer {i}")).collect();
    assert_eq!(names, expected);
    assert_eq!(customers::count(&s.reader(false).unwrap(), &q).unwrap(), 10);
}

#[test]
fn a_bulk_load_restores_the_schema_exactly_and_rebuilds_what_it_paused() {
    use cscx::store::bulk::BulkOptions;
    let db = common::temp_db();
    let mut s = store::open(&db.path).unwrap();
    let f = common::fixture(&mut s);
    let schema = |s: &store::Store| -> Vec<(String, String)> {
        common::sql(s)
            .prepare("SELECT name, ifnull(sql, '') FROM sqlite_schema ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = schema(&s);
    s.write(|w| {
        let load = w.begin_bulk_load(BulkOptions::all())?;
        let text = |v: &str| rusqlite::types::Value::Text(v.into());
        w.insert_row(
            "customers",
            vec![
                ("id".into(), text("bulk-1")),
                ("workspace_id".into(), text(&f.workspace)),
                ("name".into(), text("Bulkhead Ltd")),
            ],
        )?;
        w.insert_row(
            "contracts",
            vec![
                ("id".into(), text("k1")),
                ("customer_id".into(), text("bulk-1")),
                ("end_date".into(), text("2027-03-31")),
            ],
        )?;
        w.end_bulk_load(load)
    })
    .unwrap();
    assert_eq!(
        schema(&s),
        before,
        "triggers and indexes are back, as they were"
    );
    let hits: i64 = common::sql(&s)
        .query_row(
            "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'bulkhead'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hits, 1, "search index rebuilt");
    let renewal: Option<String> = common::sql(&s)
        .query_row(
            "SELECT renewal_date FROM customers WHERE id = 'bulk-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        renewal.as_deref(),
        Some("2027-03-31"),
        "derived columns recomputed"
    );
    assert!(s.derived_drift().unwrap().is_empty());

    // a failed load rolls the schema back too
    let err = s.write(|w| {
        let _load = w.begin_bulk_load(BulkOptions::all())?;
        let text = |v: &str| rusqlite::types::Value::Text(v.into());
        w.insert_row(
            "customers",
            vec![
                ("id".into(), text("x")),
                ("workspace_id".into(), text("nope")),
                ("name".into(), text("X")),
            ],
        )?;
        Ok(())
    });
    assert!(
        err.is_err(),
        "foreign key still enforced during a bulk load"
    );
    assert_eq!(schema(&s), before);
}

#[test]
fn derived_columns_do_not_count_as_edits_of_the_customer() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    let stamp = |s: &store::Store, when: &str| {
        common::sql(s)
            .execute(
                "UPDATE customers SET updated_at = ?1 WHERE id = ?2",
                rusqlite::params![when, f.customer],
            )
            .unwrap();
    };
    let updated_at = |s: &store::Store| -> String {
        common::sql(s)
            .query_row(
                "SELECT updated_at FROM customers WHERE id = ?1",
                [&f.customer],
                |r| r.get(0),
            )
            .unwrap()
    };
    stamp(&s, "2020-01-01T00:00:00Z");
    // a contract and an approval change renewal_date and open_approvals
    s.write(|w| {
        w.create(&Contract {
            customer_id: f.customer.clone(),
            end_date: chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
            ..Default::default()
        })?;
        w.create(&Approval {
            session_id: f.session.clone(),
            agent_id: "renewal".into(),
            action: "Send quote".into(),
            ..Default::default()
        })
    })
    .unwrap();
    assert_eq!(
        updated_at(&s),
        "2020-01-01T00:00:00Z",
        "derived columns moved, the customer was not edited"
    );
    // an edit of the customer's own data is
    let mut c: Customer = get(&common::sql(&s).into(), s.catalog(), &f.customer).unwrap();
    c.stage = CustomerStage::Renewal;
    s.write(|w| w.update(&f.customer, &c)).unwrap();
    assert!(updated_at(&s).as_str() > "2020-01-01T00:00:00Z");
}
