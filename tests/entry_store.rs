//! The store operations behind keyboard data entry: deciding approvals (resolved fields, the
//! system message and the activity entry in one write), undo from recorded changes (and its
//! refusal to overwrite a later edit), pickers narrowed in SQL, and reads by id kept inside
//! the workspace.

mod common;

use cscx::store::approvals::{self, Decision};
use cscx::store::entities::{AgentMessage, Approval, Call, Customer};
use cscx::store::enums::*;
use cscx::store::read::{pickers, records};
use cscx::store::write::{Change, get};
use cscx::store::{self, Actor, StoreError};

fn acting(s: &mut store::Store, f: &common::Fixture) {
    s.set_actor(Actor {
        user_id: Some(f.user.clone()),
        workspace_id: Some(f.workspace.clone()),
        user_agent: Some("test".into()),
    });
}

fn approval(s: &mut store::Store, f: &common::Fixture, action: &str) -> String {
    s.write(|w| {
        w.create(&Approval {
            session_id: f.session.clone(),
            agent_id: "renewal-bot".into(),
            action: action.into(),
            ..Default::default()
        })
    })
    .unwrap()
    .value
}

fn count(s: &store::Store, sql: &str, p: &str) -> i64 {
    common::sql(s).query_row(sql, [p], |r| r.get(0)).unwrap()
}

#[test]
fn approving_resolves_appends_a_system_message_and_logs_the_decision() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    acting(&mut s, &f);
    let id = approval(&mut s, &f, "Offer a 10% discount");
    let done = s
        .write(|w| approvals::resolve(w, std::slice::from_ref(&id), Decision::Approve, None))
        .unwrap()
        .value;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].customer_name, "Initech");
    let stored: Approval = get(&common::sql(&s).into(), s.catalog(), &id).unwrap();
    assert_eq!(stored.status, ApprovalStatus::Approved);
    assert_eq!(stored.resolved_by.as_deref(), Some(f.user.as_str()));
    assert!(stored.resolved_at.is_some());
    let message: AgentMessage =
        get(&common::sql(&s).into(), s.catalog(), &done[0].message_id).unwrap();
    assert_eq!(message.role, MessageRole::System);
    assert_eq!(message.session_id, f.session);
    assert_eq!(
        message.content,
        "Approved by Dana Scully: Offer a 10% discount"
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'approve' AND entity_id = ?1",
            &id
        ),
        1
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'approve' AND user_id = ?1",
            &f.user
        ),
        1,
        "the decision names who made it"
    );
}

#[test]
fn rejecting_needs_a_comment_and_a_decided_approval_cannot_be_decided_again() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    acting(&mut s, &f);
    let id = approval(&mut s, &f, "Email the CFO");
    let ids = vec![id.clone()];
    let e = s
        .write(|w| approvals::resolve(w, &ids, Decision::Reject, Some("  ")))
        .unwrap_err();
    let field = e.field().expect("a field error");
    assert_eq!(
        (field.column.as_str(), field.reason.as_str()),
        ("comment", "is required to reject")
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM agent_messages WHERE session_id = ?1",
            &f.session
        ),
        0,
        "a refused decision writes nothing"
    );
    s.write(|w| approvals::resolve(w, &ids, Decision::Reject, Some("Not before QBR")))
        .unwrap();
    let stored: Approval = get(&common::sql(&s).into(), s.catalog(), &id).unwrap();
    assert_eq!(stored.comment.as_deref(), Some("Not before QBR"));
    let e = s
        .write(|w| approvals::resolve(w, &ids, Decision::Approve, None))
        .unwrap_err();
    assert!(
        e.to_string().contains("is already rejected by Dana Scully"),
        "{e}"
    );
}

#[test]
fn deciding_without_a_user_is_refused_with_the_way_out() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    let id = approval(&mut s, &f, "Email the CFO");
    let e = s
        .write(|w| approvals::resolve(w, &[id], Decision::Approve, None))
        .unwrap_err();
    assert!(e.to_string().contains("--user EMAIL"), "{e}");
}

fn logged_call(s: &mut store::Store, f: &common::Fixture) -> (String, Vec<Change>) {
    s.write(|w| {
        let id = w.create(&Call {
            workspace_id: f.workspace.clone(),
            user_id: f.user.clone(),
            customer_id: Some(f.customer.clone()),
            prospect_name: "Bill".into(),
            outcome: Some(CallOutcome::Tbd),
            ..Default::default()
        })?;
        Ok((id, w.changes().to_vec()))
    })
    .unwrap()
    .value
}

#[test]
fn undo_takes_back_a_create_an_update_and_a_delete() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    acting(&mut s, &f);
    let (id, created) = logged_call(&mut s, &f);

    let edited = s
        .write(|w| {
            let base: Call = w.get(&id)?;
            let mut call = base.clone();
            call.notes = Some("Went well".into());
            call.outcome = Some(CallOutcome::Won);
            w.update_unless_changed(&id, &base, &call)?;
            Ok(w.changes().to_vec())
        })
        .unwrap()
        .value;
    s.write(|w| store::undo::revert(w, &edited)).unwrap();
    let call: Call = get(&common::sql(&s).into(), s.catalog(), &id).unwrap();
    assert_eq!((call.notes, call.outcome), (None, Some(CallOutcome::Tbd)));

    let deleted = s
        .write(|w| {
            w.delete::<Call>(&id)?;
            Ok(w.changes().to_vec())
        })
        .unwrap()
        .value;
    s.write(|w| store::undo::revert(w, &deleted)).unwrap();
    let back: Call = get(&common::sql(&s).into(), s.catalog(), &id).unwrap();
    assert_eq!(
        back.prospect_name, "Bill",
        "the deleted call is back, same id"
    );

    s.write(|w| store::undo::revert(w, &created)).unwrap();
    assert!(
        get::<Call>(&common::sql(&s).into(), s.catalog(), &id).is_err(),
        "the created call is gone"
    );
    assert!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'undo' AND entity_id = ?1",
            &id
        ) >= 3
    );
}

#[test]
fn undo_refuses_to_overwrite_a_later_edit() {
    let db = common::temp_db();
    let mut s = store::open(&db.path).unwrap();
    let f = common::fixture(&mut s);
    acting(&mut s, &f);
    let (id, created) = logged_call(&mut s, &f);
    // another cscx edits the call after us
    let mut other = store::open(&db.path).unwrap();
    let mut theirs: Call = get(&common::sql(&other).into(), other.catalog(), &id).unwrap();
    theirs.notes = Some("their notes".into());
    other.write(|w| w.update(&id, &theirs)).unwrap();
    match s.write(|w| store::undo::revert(w, &created)) {
        Err(StoreError::Conflict { columns, .. }) => assert_eq!(columns, "notes"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let still: Call = get(&common::sql(&s).into(), s.catalog(), &id).unwrap();
    assert_eq!(still.notes.as_deref(), Some("their notes"));
}

#[test]
fn undoing_a_decision_puts_the_approval_back_in_the_queue() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    acting(&mut s, &f);
    let id = approval(&mut s, &f, "Email the CFO");
    let changes = s
        .write(|w| {
            approvals::resolve(w, std::slice::from_ref(&id), Decision::Approve, None)?;
            Ok(w.changes().to_vec())
        })
        .unwrap()
        .value;
    s.write(|w| store::undo::revert(w, &changes)).unwrap();
    let stored: Approval = get(&common::sql(&s).into(), s.catalog(), &id).unwrap();
    assert_eq!(stored.status, ApprovalStatus::Pending);
    assert_eq!(stored.resolved_by, None);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM agent_messages WHERE session_id = ?1",
            &f.session
        ),
        0,
        "the system message went with it"
    );
    assert_eq!(
        count(
            &s,
            "SELECT open_approvals FROM customers WHERE id = ?1",
            &f.customer
        ),
        1
    );
}

#[test]
fn pickers_stay_in_the_workspace_and_find_prefixes_and_typos() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    // the file's owner confined to one workspace (--workspace)
    s.set_actor(cscx::store::Actor {
        workspace_id: Some(f.workspace.clone()),
        ..Default::default()
    });
    let ws = &s.reader(false).unwrap();
    let all = pickers::customers(ws, "", 50).unwrap();
    assert_eq!(
        all.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        ["Initech"]
    );
    assert_eq!(pickers::customers(ws, "ini", 50).unwrap().len(), 1);
    assert_eq!(
        pickers::customers(ws, "inteck", 50).unwrap().len(),
        1,
        "a typo falls back to the first letters, for the fuzzy matcher to rank"
    );
    assert!(pickers::customers(ws, "umbrella", 50).unwrap().is_empty());
    let one = ws.scope().single_workspace();
    assert_eq!(pickers::users(ws, one, "da", 50).unwrap().len(), 1);
    assert!(pickers::users(ws, one, "zz", 50).unwrap().is_empty());
    let mut everyone = common::scratch_store();
    common::fixture(&mut everyone);
    assert_eq!(
        pickers::customers(&everyone.reader(false).unwrap(), "umbrella", 50)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn reads_by_id_respect_the_workspace() {
    let mut s = common::scratch_store();
    let f = common::fixture(&mut s);
    {
        let everything = s.reader(false).unwrap();
        assert!(everything.visible("customers", &f.other_customer).unwrap());
    }
    s.set_actor(cscx::store::Actor {
        workspace_id: Some(f.workspace.clone()),
        ..Default::default()
    });
    let ws = &s.reader(false).unwrap();
    assert!(ws.visible("customers", &f.customer).unwrap());
    assert!(!ws.visible("customers", &f.other_customer).unwrap());
    assert!(ws.visible("agent_sessions", &f.session).unwrap());
    assert!(!ws.visible("customers", "no-such-id").unwrap());
    assert!(ws.visible("secrets", "x").is_err());
    assert!(records::customer(ws, &f.other_customer).is_err());
    let record = records::customer(ws, &f.customer).unwrap();
    assert_eq!(record.csm.as_deref(), Some("Dana Scully"));
    assert_eq!(record.renewal, None);
    let _: Customer = record.customer;
}

#[test]
fn the_worker_runs_every_write_in_order_and_never_replaces_one() {
    use cscx::store::entities::LossReason;
    use cscx::tui::forms::picker::Source;
    use cscx::tui::worker::{Data, Job, Request, Worker};
    use cscx::tui::writes::Write;

    let db = common::temp_db();
    let mut s = store::open(&db.path).unwrap();
    let f = common::fixture(&mut s);
    acting(&mut s, &f);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = Worker::start(s, false, tx).unwrap();
    let names = ["First", "Second", "Third", "Fourth"];
    let mut seq = 0;
    for name in names {
        seq += 1;
        worker.submit(Request {
            seq,
            job: Job::Write(Box::new(Write::LossReason {
                reason: LossReason {
                    workspace_id: f.workspace.clone(),
                    name: name.into(),
                    ..Default::default()
                },
            })),
        });
        // reads in between are replaced by newer ones (latest wins); writes are not
        seq += 1;
        worker.submit(Request {
            seq,
            job: Job::Pick {
                source: Source::Customers,
                query: name.to_lowercase(),
            },
        });
    }
    let mut written = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while written.len() < names.len() {
        assert!(
            std::time::Instant::now() < deadline,
            "writes went missing: {written:?}"
        );
        let Ok(r) = rx.try_recv() else {
            std::thread::sleep(std::time::Duration::from_millis(5));
            continue;
        };
        if let Ok(Data::Written(result)) = r.result {
            let saved = result.expect("saved");
            written.push((r.seq, saved.created.map(|(_, n)| n).unwrap_or_default()));
        }
    }
    drop(worker);
    assert_eq!(
        written,
        [
            (1, "First".to_owned()),
            (3, "Second".to_owned()),
            (5, "Third".to_owned()),
            (7, "Fourth".to_owned())
        ]
    );
    let s = store::open(&db.path).unwrap();
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM loss_reasons WHERE workspace_id = ?1",
            &f.workspace
        ),
        4
    );
}
