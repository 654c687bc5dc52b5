//! End to end, in a pseudo-terminal: the real binary, acting as Dana in Acme CS, opens
//! Today, finds her overdue task, marks it done from the keyboard; the database then says the
//! task is done, when, and that Dana did it.

mod common;

#[path = "tui_support/mod.rs"]
mod tui_support;

mod pty_support;

use cscx::store::tasks::{self, NewTask};

#[test]
fn a_task_is_completed_from_today() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("book.db");
    let (book, task) = {
        let mut store = cscx::store::open(&db).expect("store");
        let book = tui_support::build(&mut store);
        store.set_actor(cscx::store::Actor {
            user_id: Some(book.dana.clone()),
            workspace_id: Some(book.workspace.clone()),
            user_agent: Some("cscx test".into()),
        });
        let task = store
            .write(|w| {
                tasks::add(
                    w,
                    &NewTask {
                        customer_id: book.customers[0].clone(),
                        // long overdue: first in the queue whatever day the test runs
                        title: "Sign the order".into(),
                        due_date: chrono::NaiveDate::from_ymd_opt(2001, 1, 1),
                        ..NewTask::default()
                    },
                )
            })
            .expect("a task")
            .value;
        (book, task)
    };
    let mut s = pty_support::start(
        &db,
        &["--user", "dana@acme.test", "--workspace", "Acme CS"],
        &[],
        (40, 120),
    );
    s.wait_for("acting as Dana Scully");
    s.send_and_settle("6");
    s.wait_for("Due today and overdue");
    s.wait_for("Sign the order");
    s.send_and_settle("x");
    s.wait_for("done: Sign the order");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    let conn = common::sql_at(&db);
    let (status, completed, by): (String, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT t.status, t.completed_at,
                    (SELECT user_id FROM activity_log WHERE entity_type = 'tasks'
                     AND entity_id = t.id AND action = 'update')
             FROM tasks t WHERE t.id = ?1",
            [&task],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the task");
    assert_eq!(status, "done");
    assert!(completed.is_some());
    assert_eq!(by.as_deref(), Some(book.dana.as_str()));
}
