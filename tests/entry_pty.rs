//! End to end, in a pseudo-terminal: the real binary, acting as Dana in Acme CS, logs a call
//! from the keyboard and approves an approval; then the database is asked what happened —
//! the call row, the activity_log entries naming Dana, the approval resolved, and the health
//! scores the status line reported.

#[path = "tui_support/mod.rs"]
mod tui_support;

mod pty_support;

use pty_support::Session;

/// cscx in a 120×40 terminal.
fn start(db: &std::path::Path, args: &[&str]) -> Session {
    pty_support::start(db, args, &[], (40, 120))
}

const TAB: &str = "\t";
const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";

/// What one run of the flow left behind.
struct Outcome {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    book: tui_support::Book,
    health_before: Option<i64>,
    call_status: String,
    approve_status: String,
}

/// Logs a call with Acme Corp and approves its agent's request, from the keyboard.
fn log_a_call_and_approve() -> Outcome {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("book.db");
    let (book, health_before) = {
        let mut store = cscx::store::open(&db).expect("store");
        let book = tui_support::build(&mut store);
        let h: Option<i64> = store
            .conn()
            .query_row(
                "SELECT health_score FROM customers WHERE id = ?1",
                [&book.customers[0]],
                |r| r.get(0),
            )
            .expect("acme");
        (book, h)
    };
    let mut s = start(&db, &["--user", "dana@acme.test", "--workspace", "Acme CS"]);
    s.wait_for("acting as Dana Scully");
    s.send_and_settle("4");
    s.wait_for("Call log");
    s.send_and_settle("n");
    s.wait_for("Log a call");
    s.send_and_settle("acme");
    s.wait_for("Acme Corp");
    s.send_and_settle(ENTER); // the customer
    s.send_and_settle(ENTER); // the stakeholder list
    s.wait_for("Pat Primary");
    s.send_and_settle(ENTER);
    for _ in 0..5 {
        s.send_and_settle(TAB); // name, email, phone, type, status → outcome
    }
    s.send_and_settle("w");
    s.send_and_settle(TAB);
    s.send_and_settle(TAB);
    s.send_and_settle("45m");
    s.send_and_settle(TAB);
    s.send_and_settle(TAB);
    s.send_and_settle(TAB);
    s.send_and_settle("Logged from a terminal");
    s.send_and_settle(CTRL_S);
    s.wait_for("call with Pat Primary (Acme Corp) logged");
    let call_status = s.screen();
    s.send_and_settle("5");
    s.wait_for("Pending approvals");
    s.send_and_settle("l");
    s.send_and_settle("a");
    s.wait_for("approved: Offer a 10% renewal discount (Acme Corp)");
    let approve_status = s.screen();
    s.send_and_settle("q");
    assert!(s.wait_exit().success());
    Outcome {
        _dir: dir,
        db,
        book,
        health_before,
        call_status,
        approve_status,
    }
}

#[test]
fn logs_a_call_and_approves_an_approval_in_the_real_binary() {
    let Outcome { _dir, db, book, .. } = log_a_call_and_approve();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (call_id, user, duration, outcome, notes): (String, String, i64, String, String) = conn
        .query_row(
            "SELECT id, user_id, call_duration, outcome, notes FROM calls
             WHERE customer_id = ?1 ORDER BY rowid DESC LIMIT 1",
            [&book.customers[0]],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .expect("the call");
    assert_eq!(user, book.dana);
    assert_eq!((duration, outcome.as_str()), (2700, "won"));
    assert_eq!(notes, "Logged from a terminal");
    let entries: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT action, entity_type, ifnull(user_agent, '') FROM activity_log
             WHERE user_id = ?1 AND action IN ('create', 'update', 'approve')
             ORDER BY created_at, rowid",
        )
        .expect("prepare")
        .query_map([&book.dana], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let kinds: Vec<(&str, &str)> = entries
        .iter()
        .map(|(a, t, _)| (a.as_str(), t.as_str()))
        .collect();
    assert!(kinds.contains(&("create", "calls")), "{kinds:?}");
    assert!(kinds.contains(&("update", "approvals")), "{kinds:?}");
    assert!(kinds.contains(&("create", "agent_messages")), "{kinds:?}");
    assert!(kinds.contains(&("approve", "approvals")), "{kinds:?}");
    assert!(
        entries
            .iter()
            .all(|(_, _, agent)| agent.contains("dashboard")),
        "written by the dashboard: {entries:?}"
    );
    let logged_call: i64 = conn
        .query_row(
            "SELECT count(*) FROM activity_log WHERE entity_id = ?1 AND user_id = ?2",
            [&call_id, &book.dana],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(logged_call, 1);
    let (status, resolved_by): (String, String) = conn
        .query_row(
            "SELECT a.status, a.resolved_by FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
             WHERE s.customer_id = ?1",
            [&book.customers[0]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the approval");
    assert_eq!(
        (status.as_str(), resolved_by.as_str()),
        ("approved", book.dana.as_str())
    );
}

/// A save recomputes health in the same write, and the status line says how it moved.
#[test]
fn the_status_line_shows_the_health_change_the_database_holds() {
    let Outcome {
        _dir,
        db,
        book,
        health_before,
        call_status,
        approve_status,
        ..
    } = log_a_call_and_approve();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let health_after: Option<i64> = conn
        .query_row(
            "SELECT health_score FROM customers WHERE id = ?1",
            [&book.customers[0]],
            |r| r.get(0),
        )
        .expect("acme");
    assert_ne!(
        health_after, health_before,
        "logging a won call and approving moves Acme's health"
    );
    let arrow = format!(
        "Acme Corp {} → ",
        health_before.map_or("—".into(), |h| h.to_string())
    );
    assert!(
        call_status.contains(&arrow) || approve_status.contains(&arrow),
        "the status line showed the change:\n{call_status}\n{approve_status}"
    );
    assert!(
        approve_status.contains(&format!(
            "→ {}",
            health_after.map_or("—".into(), |h| h.to_string())
        )) || call_status.contains(&format!(
            "→ {}",
            health_after.map_or("—".into(), |h| h.to_string())
        ))
    );
}

/// Not a test: writes the test book to `$CSCX_BOOK` for trying the dashboard by hand
/// (`CSCX_BOOK=/tmp/entry.db cargo test --test entry_pty -- --ignored book_for_trying_by_hand`).
#[test]
#[ignore = "a helper: writes the test book to $CSCX_BOOK"]
fn book_for_trying_by_hand() {
    let Some(path) = std::env::var_os("CSCX_BOOK") else {
        return;
    };
    let mut store = cscx::store::open(std::path::Path::new(&path)).expect("store");
    tui_support::build(&mut store);
}

/// Waits for the status line and quits.
fn first_status(db: &std::path::Path, args: &[&str], config: Option<&str>) -> String {
    if let Some(text) = config {
        let dir = db.parent().expect("dir").join("cscx");
        std::fs::create_dir_all(&dir).expect("config dir");
        std::fs::write(dir.join("config.toml"), text).expect("config");
    }
    let mut s = start(db, args);
    s.wait_for("1 of ");
    let screen = s.screen();
    s.send_and_settle("q");
    assert!(s.wait_exit().success());
    // the greeting, then the key hints after a `·`
    let last = screen.lines().last().unwrap_or_default();
    last.split("  ·  ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[test]
fn who_am_i_comes_from_user_then_the_config_then_the_only_user() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("book.db");
    {
        let mut store = cscx::store::open(&db).expect("store");
        tui_support::build(&mut store);
    }
    // three users, no --user, no config: read-only, and it says how to change that
    let mut s = start(&db, &[]);
    s.wait_for("read-only: start with --user EMAIL");
    s.send_and_settle("4");
    s.send_and_settle("n");
    s.wait_for("read-only: start cscx with --user EMAIL");
    s.send_and_settle("q");
    assert!(s.wait_exit().success());
    // the config file's user
    assert_eq!(
        first_status(&db, &[], Some("user = \"fox@acme.test\"\n")),
        "acting as Fox Mulder"
    );
    // --user wins over the config
    assert_eq!(
        first_status(&db, &["--user", "abe@acme.test"], None),
        "acting as Abe Zed"
    );

    // a database with one user: that user
    let lone = dir.path().join("lone.db");
    {
        let mut store = cscx::store::open(&lone).expect("store");
        store
            .write(|w| {
                let ws = w.create(&cscx::store::entities::Workspace {
                    name: "Solo".into(),
                    ..Default::default()
                })?;
                w.create(&cscx::store::entities::User {
                    email: "solo@acme.test".into(),
                    name: "Sol Solo".into(),
                    ..Default::default()
                })?;
                w.create(&cscx::store::entities::Customer {
                    workspace_id: ws,
                    name: "Only Customer".into(),
                    ..Default::default()
                })
            })
            .expect("lone book");
    }
    std::fs::remove_file(dir.path().join("cscx").join("config.toml")).expect("no config");
    assert_eq!(
        first_status(&lone, &[], None),
        "acting as Sol Solo (the only user of this database)"
    );
}

/// A book on disk and cscx acting as Dana on it, in the call form with Acme Corp chosen and
/// the focus on the name of who was called.
fn in_a_new_call() -> (tempfile::TempDir, std::path::PathBuf, Session) {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("book.db");
    {
        let mut store = cscx::store::open(&db).expect("store");
        tui_support::build(&mut store);
    }
    let mut s = start(&db, &["--user", "dana@acme.test", "--workspace", "Acme CS"]);
    s.wait_for("acting as Dana Scully");
    s.send_and_settle("4");
    s.wait_for("Call log");
    s.send_and_settle("n");
    s.wait_for("Log a call");
    s.send_and_settle("acme");
    s.wait_for("Acme Corp");
    s.send_and_settle(ENTER); // the customer; the focus moves to the stakeholder
    s.send_and_settle(TAB); // the name
    (dir, db, s)
}

fn last_call(db: &std::path::Path) -> (String, Option<String>, Option<String>) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(
        "SELECT prospect_name, prospect_email, notes FROM calls ORDER BY rowid DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("the call")
}

/// With bracketed paste, pasted lines go into the focused field: they used to press enter
/// between them, moving through the fields and opening lists.
#[test]
fn a_bracketed_paste_goes_into_the_focused_field_only() {
    let (_dir, db, mut s) = in_a_new_call();
    s.send_and_settle("\x1b[200~Bill Lumbergh\rbill@initech.test\r555-0100\rwon\r\x1b[201~");
    s.wait_for("555-0100 won");
    assert!(
        !s.screen().contains("type to search"),
        "no list opened:\n{}",
        s.screen()
    );
    s.send_and_settle(CTRL_S);
    s.wait_for("logged");
    let (name, email, _) = last_call(&db);
    assert_eq!(name, "Bill Lumbergh bill@initech.test 555-0100 won");
    assert_eq!(email, None, "nothing spilled into the next field");
    s.send_and_settle("q");
    assert!(s.wait_exit().success());
}

/// 5,000 characters typed at once (a paste the terminal does not bracket) and ctrl-s: the
/// dashboard drew a frame per key and then stalled until the next key; now it handles
/// what is waiting before it draws.
#[test]
fn thousands_of_keys_at_once_are_handled_without_waiting_for_another() {
    let (_dir, db, mut s) = in_a_new_call();
    s.send_and_settle("Bill");
    for _ in 0..10 {
        s.send_and_settle(TAB); // email, phone, type, status, outcome, reason, duration,
        // scheduled, completed → notes
    }
    let notes: String = "lorem ipsum dolor sit amet "
        .chars()
        .cycle()
        .take(5_000)
        .collect();
    s.send(&notes);
    s.send(CTRL_S);
    s.wait_for("call with Bill (Acme Corp) logged");
    let (_, _, stored) = last_call(&db);
    assert_eq!(
        stored.as_deref(),
        Some(notes.as_str()),
        "every character, in order"
    );
    s.send_and_settle("q");
    assert!(s.wait_exit().success());
}

/// The first screen's greeting hid the key hints until a key was pressed.
#[test]
fn the_first_screen_shows_the_keys_beside_the_greeting() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("book.db");
    {
        let mut store = cscx::store::open(&db).expect("store");
        tui_support::build(&mut store);
    }
    let mut s = start(&db, &["--user", "dana@acme.test"]);
    s.wait_for("acting as Dana Scully");
    s.wait_for("1 of ");
    let screen = s.screen();
    let last = screen.lines().last().unwrap_or_default().to_owned();
    assert!(last.contains("acting as Dana Scully"), "{last}");
    assert!(last.contains("? help"), "the keys, before any key: {last}");
    assert!(last.contains("/ filter"), "{last}");
    s.send_and_settle("q");
    assert!(s.wait_exit().success());
}
