//! Key-driven tests of deciding approvals (one, with a required comment to reject, several
//! at once), undo, conflicts with another writer, and the workspace scope of everything the
//! dashboard shows and writes.

mod common;

mod entry_support;

use cscx::store::entities::{
    AgentSession, Approval, Call, Customer, Deal, LossReason, Stakeholder, Workspace,
};
use cscx::store::write::get;
use cscx::store::{self, Store};
use cscx::tui::app::Options;
use cscx::tui::headless::Headless;
use cscx::tui::worker::{self, Data, Job, Load};
use cscx::tui::writes::Write;
use cscx::tui::{health, sessions};
use entry_support::*;

fn pending(h: &Headless) -> i64 {
    one(
        h,
        "SELECT count(*) FROM approvals WHERE status = 'pending'",
        "",
    )
}

#[test]
fn a_approves_the_selected_approval_with_who_when_a_message_and_a_log_entry() {
    let (mut h, book) = app();
    h.keys(&["5", "l"]);
    let first = h.sessions().approvals().rows[0].clone();
    assert_eq!(first.customer_name, "Acme Corp");
    let before = pending(&h);
    h.keys(&["a"]);
    assert_eq!(pending(&h), before - 1);
    assert!(
        status(&h).starts_with("approved: Offer a 10% renewal discount (Acme Corp)"),
        "{}",
        status(&h)
    );
    let stored: Approval = get(
        &common::sql(store(&h)).into(),
        store(&h).catalog(),
        &first.id,
    )
    .unwrap();
    assert_eq!(stored.resolved_by.as_deref(), Some(book.dana.as_str()));
    assert!(stored.resolved_at.is_some());
    let message: String = one(
        &h,
        "SELECT content FROM agent_messages WHERE session_id = ?1 AND role = 'system'",
        &first.session_id,
    );
    assert_eq!(
        message,
        "Approved by Dana Scully: Offer a 10% renewal discount"
    );
    let logged: i64 = one(
        &h,
        "SELECT count(*) FROM activity_log WHERE action = 'approve' AND entity_id = ?1",
        &first.id,
    );
    assert_eq!(logged, 1);
    assert_eq!(
        h.sessions().pending(),
        Some(before - 1),
        "the queue shows the new state"
    );
    assert!(
        h.sessions()
            .approvals()
            .rows
            .iter()
            .all(|a| a.id != first.id),
        "the decided approval left the queue"
    );
}

#[test]
fn r_rejects_only_with_a_comment() {
    let (mut h, _) = app();
    h.keys(&["5", "l"]);
    let first = h.sessions().approvals().rows[0].clone();
    let before = pending(&h);
    h.keys(&["r"]);
    assert_eq!(h.app.forms().len(), 1, "r asks for a comment");
    h.keys(&["ctrl-s"]);
    assert_eq!(
        message(&h, "comment").as_deref(),
        Some("is required to reject")
    );
    assert!(
        h.screen().contains("✗ is required to reject"),
        "{}",
        h.screen()
    );
    assert_eq!(pending(&h), before, "refused: nothing written");
    h.type_text("Not before the QBR");
    h.keys(&["enter"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let stored: Approval = get(
        &common::sql(store(&h)).into(),
        store(&h).catalog(),
        &first.id,
    )
    .unwrap();
    assert_eq!(stored.status.as_str(), "rejected");
    assert_eq!(stored.comment.as_deref(), Some("Not before the QBR"));
    let message: String = one(
        &h,
        "SELECT content FROM agent_messages WHERE session_id = ?1 AND role = 'system'",
        &first.session_id,
    );
    assert_eq!(
        message,
        "Rejected by Dana Scully: Offer a 10% renewal discount — Not before the QBR"
    );
}

#[test]
fn space_marks_several_and_a_approves_them_together_after_asking() {
    let (mut h, _) = app();
    h.keys(&["5", "l", "space", "space", "space"]);
    assert_eq!(h.sessions().marked().len(), 3);
    assert!(h.screen().contains("3 marked"), "{}", h.screen());
    let marked: Vec<String> = h.sessions().marked().iter().cloned().collect();
    let before = pending(&h);
    h.keys(&["a"]);
    assert!(
        h.screen().contains("Approve 3 approvals?"),
        "{}",
        h.screen()
    );
    h.keys(&["y"]);
    assert_eq!(pending(&h), before - 3);
    assert!(h.sessions().marked().is_empty());
    assert!(
        status(&h).starts_with("approved 3 approvals"),
        "{}",
        status(&h)
    );
    for id in &marked {
        let status: String = one(&h, "SELECT status FROM approvals WHERE id = ?1", id);
        assert_eq!(status, "approved");
    }
    let decisions: i64 = one(
        &h,
        "SELECT count(*) FROM activity_log WHERE action = 'approve'",
        "",
    );
    assert_eq!(decisions, 3);
    // one edit: u takes all three back
    h.keys(&["u"]);
    assert_eq!(pending(&h), before);
}

#[test]
fn a_and_r_in_a_sessions_thread_decide_its_pending_approval() {
    let (mut h, _) = app();
    h.keys(&["5", "l", "l"]);
    let session = h
        .sessions()
        .thread_id()
        .map(str::to_owned)
        .expect("a thread");
    assert!(
        h.screen().contains("» waits for your decision"),
        "{}",
        h.screen()
    );
    h.keys(&["a"]);
    let left: i64 = one(
        &h,
        "SELECT count(*) FROM approvals WHERE session_id = ?1 AND status = 'pending'",
        &session,
    );
    assert_eq!(left, 0);
    assert!(
        h.screen().contains("Approved by Dana Scully"),
        "the thread shows the system message:\n{}",
        h.screen()
    );
    h.keys(&["a"]);
    assert_eq!(status(&h), "nothing in this session waits for a decision");
}

#[test]
fn u_undoes_this_sessions_last_edit_and_says_what() {
    let (mut h, _) = app();
    h.keys(&["u"]);
    assert_eq!(status(&h), "nothing to undo in this session");
    h.keys(&["5", "l"]);
    let before = pending(&h);
    h.keys(&["a"]);
    assert_eq!(pending(&h), before - 1);
    h.keys(&["u"]);
    assert_eq!(pending(&h), before);
    assert!(
        status(&h).starts_with("undone: approved: Offer a 10% renewal discount"),
        "{}",
        status(&h)
    );
    let messages: i64 = one(
        &h,
        "SELECT count(*) FROM agent_messages WHERE role = 'system'",
        "",
    );
    assert_eq!(messages, 0, "the system message went with the decision");
    let undos: i64 = one(
        &h,
        "SELECT count(*) FROM activity_log WHERE action = 'undo'",
        "",
    );
    assert_eq!(undos, 1);
    assert!(!h.app.can_undo());
}

/// The call on top of the log, opened in its edit form; then another cscx changes its notes.
fn conflict_setup() -> (tempfile::TempDir, Headless, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let (mut h, _) = app_at(Some(&path), true);
    h.keys(&["4"]);
    let id = h.calls().list().rows[0].id.clone();
    h.keys(&["e"]);
    assert!(
        h.app
            .forms()
            .last()
            .is_some_and(|f| f.record_id.as_deref() == Some(&id))
    );
    let mut other = store::open(&path).unwrap();
    let mut theirs: Call = get(&common::sql(&other).into(), other.catalog(), &id).unwrap();
    theirs.notes = Some("their notes".into());
    other.write(|w| w.update(&id, &theirs)).unwrap();
    focus(&mut h, "outcome");
    h.type_text("t");
    h.keys(&["ctrl-s"]);
    (dir, h, id)
}

#[test]
fn a_row_changed_on_disk_since_the_form_opened_is_a_conflict_reload_keeps_theirs() {
    let (_dir, mut h, id) = conflict_setup();
    let confirm = h.app.confirm().expect("a conflict question");
    // in the form's words: who changed what, from what to what (not "calls <id> changed")
    assert!(
        confirm
            .text
            .contains("this call was changed by another process at "),
        "{}",
        confirm.text
    );
    assert!(
        confirm
            .text
            .contains("notes Discussed renewal timeline → their notes"),
        "names the field and both values: {}",
        confirm.text
    );
    assert!(!confirm.text.contains(&id), "no id: {}", confirm.text);
    assert!(
        h.screen().contains("overwrite with yours"),
        "{}",
        h.screen()
    );
    let notes: String = one(&h, "SELECT notes FROM calls WHERE id = ?1", &id);
    assert_eq!(notes, "their notes", "nothing of mine was written");
    h.keys(&["r"]);
    let form = h.app.forms().last().expect("the form again");
    assert_eq!(form.slot("notes").map(|s| s.text()), Some("their notes"));
    set(&mut h, "prospect_name", "Pat P.");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let (notes, name): (String, String) = common::sql(store(&h))
        .query_row(
            "SELECT notes, prospect_name FROM calls WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (notes.as_str(), name.as_str()),
        ("their notes", "Pat P."),
        "both edits kept"
    );
}

#[test]
fn overwrite_after_a_conflict_saves_mine_by_choice() {
    let (_dir, mut h, id) = conflict_setup();
    h.keys(&["esc"]);
    assert!(
        h.app.confirm().is_none() && h.app.forms().len() == 1,
        "esc: back to the form"
    );
    h.keys(&["ctrl-s"]);
    assert!(h.app.confirm().is_some(), "still a conflict");
    h.keys(&["o"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let outcome: String = one(&h, "SELECT outcome FROM calls WHERE id = ?1", &id);
    assert_eq!(outcome, "tbd");
}

/// A second workspace whose every row has "Secret" in it.
struct Other {
    call: String,
    customer: String,
    session: String,
    approval: String,
    workspace: String,
}

fn other_workspace(s: &mut Store) -> Other {
    let user: String = common::sql(s)
        .query_row("SELECT id FROM users LIMIT 1", [], |r| r.get(0))
        .unwrap();
    s.write(|w| {
        let workspace = w.create(&Workspace {
            name: "Secret CS".into(),
            ..Default::default()
        })?;
        let customer = w.create(&Customer {
            workspace_id: workspace.clone(),
            name: "Umbrella Secret".into(),
            ..Default::default()
        })?;
        w.create(&Stakeholder {
            customer_id: customer.clone(),
            name: "Secret Person".into(),
            ..Default::default()
        })?;
        w.create(&LossReason {
            workspace_id: workspace.clone(),
            name: "Secret reason".into(),
            ..Default::default()
        })?;
        w.create(&Deal {
            workspace_id: Some(workspace.clone()),
            customer_id: customer.clone(),
            name: Some("Secret deal".into()),
            ..Default::default()
        })?;
        let call = w.create(&Call {
            workspace_id: workspace.clone(),
            user_id: user,
            customer_id: Some(customer.clone()),
            prospect_name: "Secret caller".into(),
            notes: Some("Secret notes".into()),
            ..Default::default()
        })?;
        let session = w.create(&AgentSession {
            customer_id: customer.clone(),
            ..Default::default()
        })?;
        let approval = w.create(&Approval {
            session_id: session.clone(),
            agent_id: "bot".into(),
            action: "Secret plan".into(),
            ..Default::default()
        })?;
        Ok(Other {
            call,
            customer,
            session,
            approval,
            workspace,
        })
    })
    .unwrap()
    .value
}

#[test]
fn nothing_of_another_workspace_is_shown_or_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut s = store::open(&path).unwrap();
    let book = tui_support::build(&mut s);
    let other = other_workspace(&mut s);
    act(&mut s, &book, true);
    let options = Options {
        clock: clock(),
        ..Options::for_store(&s, false)
    };
    let mut h = Headless::inline(s, options, 120, 40);
    let mut screens = vec![h.screen()];
    assert_eq!(
        h.customers().matching(),
        Some(40),
        "41 customers, 40 in Acme CS"
    );
    for keys in [
        &["/", "s", "e", "c", "enter"][..],
        &["esc", "2"],
        &["v"],
        &["3"],
        &["l"],
        &["l"],
        &["l"],
        &["l"],
        &["l"],
        &["4"],
        &["w", "w", "w", "w"],
        &["c", "5"],
        &["l"],
        &["l"],
    ] {
        h.keys(keys);
        screens.push(h.screen());
    }
    for screen in &screens {
        assert!(
            !screen.contains("Secret"),
            "another workspace shows:\n{screen}"
        );
    }
    assert_eq!(h.sessions().pending(), Some(10));
    assert_eq!(h.calls().stats().map(|s| s.total), Some(120));
    let movers = h
        .health()
        .portfolio()
        .map(|p| p.bands.red + p.bands.yellow + p.bands.green + p.bands.unscored);
    assert_eq!(movers, Some(40), "the portfolio counts one workspace");
    // pickers offer only this workspace's rows
    h.keys(&["4", "n"]);
    h.type_text("umbrella");
    let offered: Vec<String> = h
        .app
        .picker()
        .map(|p| p.ranked.iter().map(|&i| p.items[i].label.clone()).collect())
        .unwrap_or_default();
    assert_eq!(offered, ["Umbrella Health"]);
    h.keys(&["esc", "esc"]);

    // and by id, through the worker, as the dashboard would ask: refused
    let mut mine = store::open(&path).unwrap();
    act(&mut mine, &book, true);
    let before = dump(&path);
    let reads = [
        Job::Record {
            form: 1,
            load: Load::Call,
            id: other.call.clone(),
        },
        Job::Record {
            form: 1,
            load: Load::Customer,
            id: other.customer.clone(),
        },
        sessions::Job::Thread {
            session_id: other.session.clone(),
        }
        .into(),
        health::Job::Trends {
            customer_id: other.customer.clone(),
        }
        .into(),
        Job::Pick {
            source: cscx::tui::forms::picker::Source::Stakeholders {
                customer_id: other.customer.clone(),
            },
            query: String::new(),
        },
        Job::Pick {
            source: cscx::tui::forms::picker::Source::LossReasons {
                workspace_id: other.workspace.clone(),
            },
            query: String::new(),
        },
    ];
    for job in &reads {
        assert!(
            worker::execute(&mut mine, false, job).is_err(),
            "{job:?} read another workspace"
        );
    }
    let base: Call = get(&common::sql(&mine).into(), mine.catalog(), &other.call).unwrap();
    let writes = [
        Write::DeleteCall {
            id: other.call.clone(),
            label: "x".into(),
        },
        Write::Call {
            base: Some(base.clone()),
            call: Call {
                notes: Some("mine".into()),
                ..base.clone()
            },
            force: true,
        },
        Write::Decide {
            ids: vec![other.approval.clone()],
            decision: cscx::store::approvals::Decision::Approve,
            comment: None,
        },
    ];
    for write in writes {
        match worker::execute(&mut mine, false, &Job::Write(Box::new(write.clone()))) {
            Ok(Data::Written(result)) => {
                let failure = result.expect_err("refused");
                assert!(failure.message.contains("workspace"), "{}", failure.message);
            }
            other => panic!("{write:?}: {other:?}"),
        }
    }
    assert_eq!(dump(&path), before, "the other workspace is untouched");
}

/// Every row of every table (a full dump): equal dumps, equal databases.
fn dump(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                out.push_str(&format!("{:?}|", r.get_ref(i).unwrap()));
            }
            out.push('\n');
        }
    }
    out
}

/// `approvals.details` was shown nowhere: a CSM approved "Offer a 10% renewal discount"
/// without seeing to whom or on what terms. The queue, the thread and the 360 show it; the
/// bulk question lists each approval; the reject form names the customer and the action.
#[test]
fn what_an_approval_proposes_is_shown_before_it_is_decided() {
    let (mut h, _) = app();
    common::sql(store(&h))
        .execute_batch(
            "UPDATE approvals SET details = 'Renewal proposal to michael@bluth.test: 10% for a 2-year renewal'",
        )
        .expect("details");
    h.keys(&["ctrl-r", "5", "l"]);
    let first = h.sessions().approvals().rows[0].clone();
    let screen = h.screen();
    let queue_bottom = screen
        .lines()
        .skip_while(|l| !l.contains("Pending approvals"))
        .find(|l| l.starts_with('└'))
        .unwrap_or_default();
    assert!(
        queue_bottom.contains("Renewal proposal to"),
        "the queue shows the selected one's details:\n{screen}"
    );
    h.keys(&["r"]);
    let title = h
        .app
        .forms()
        .last()
        .map(|f| f.title.clone())
        .unwrap_or_default();
    assert!(
        title.starts_with(&format!("Reject {}: {}", first.customer_name, first.action)),
        "the reject form names customer and action: {title}"
    );
    h.keys(&["esc"]);
    // the bulk question lists what it approves
    h.keys(&["space", "space", "a"]);
    let screen = h.screen();
    assert!(screen.contains("Approve 2 approvals?"), "{screen}");
    assert!(
        screen.contains(&format!("• {}: ", first.customer_name)),
        "each approval named:\n{screen}"
    );
    h.keys(&["n"]);
    // the thread
    h.keys(&["l"]);
    assert!(
        h.screen().contains("waits for your decision:"),
        "{}",
        h.screen()
    );
    assert!(h.screen().contains("Renewal proposal to"), "{}", h.screen());
    // the 360
    h.keys(&["h", "enter"]);
    let screen = h.screen();
    assert!(screen.contains("Open approvals (1)"), "{screen}");
    assert!(
        screen.contains("Renewal proposal to"),
        "the 360 shows it:\n{screen}"
    );
}
