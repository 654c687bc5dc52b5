//! End to end: the real binary in a pseudo-terminal (portable-pty), its output read by a
//! terminal emulator (vt100). Walk the tabs, quit, and find the terminal restored: main screen,
//! cursor shown, mouse reporting off. Also: a panic in the database worker restores the
//! terminal and exits with the message.

mod tui_support;

mod pty_support;

use pty_support::Session;

/// cscx in a 110×30 terminal, with `env`.
fn start(db: &std::path::Path, env: &[(&str, &str)]) -> Session {
    pty_support::start(db, &[], env, (30, 110))
}

fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = cscx::store::open(&dir.path().join("book.db")).expect("store");
    tui_support::build(&mut store);
    dir
}

#[test]
fn walks_the_tabs_quits_and_restores_the_terminal() {
    let dir = book();
    let mut s = start(&dir.path().join("book.db"), &[]);
    s.wait_for("1 of 40");
    assert!(
        s.parser.lock().unwrap().screen().alternate_screen(),
        "the dashboard uses the alternate screen"
    );
    s.wait_for("Evil␛[2J");
    s.send("2");
    s.wait_for("KPIs vs reference ranges");
    s.send("3");
    s.wait_for("Pipeline");
    s.send("4");
    s.wait_for("Call log");
    s.send("5");
    s.wait_for("Pending approvals");
    s.send("1");
    s.send("/glob");
    s.wait_for("filter: glob");
    s.send("\r\r");
    s.wait_for("account 360");
    s.send("\x1b");
    s.wait_for("1 of 1");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let parser = s.parser.lock().unwrap();
    let screen = parser.screen();
    assert!(!screen.alternate_screen(), "back on the main screen");
    assert!(!screen.hide_cursor(), "cursor shown again");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting off"
    );
    let raw = s.raw.lock().unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(
        !text.contains("\x1b[2J\x1b[H\x07Corp"),
        "the data's escape sequence never reached the terminal"
    );
}

#[test]
fn a_panic_in_the_worker_restores_the_terminal_and_says_why() {
    let dir = book();
    let mut s = start(
        &dir.path().join("book.db"),
        &[("CSCX_DEBUG_PANIC", "worker")],
    );
    let status = s.wait_exit();
    assert!(!status.success());
    let parser = s.parser.lock().unwrap();
    assert!(
        !parser.screen().alternate_screen(),
        "back on the main screen"
    );
    assert!(!parser.screen().hide_cursor());
    let raw = s.raw.lock().unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains("the database worker panics on purpose"),
        "{text}"
    );
}

/// Search everything in the real binary: `ctrl-f` on the Customers tab, a word from inside
/// a call note, `enter`, and the Calls tab shows that call open with its notes.
#[test]
fn search_finds_a_notes_word_and_lands_on_the_call() {
    let dir = book();
    let db = dir.path().join("book.db");
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute(
            "INSERT INTO calls (workspace_id, user_id, customer_id, prospect_name, call_type,
                                status, notes, created_at)
             SELECT c.workspace_id, c.csm_id, c.id, 'Hal Emmerich', 'outbound', 'completed',
                    'They want the zeppelin integration before renewal', '2026-05-20T10:00:00Z'
             FROM customers c WHERE c.name = 'Globex'",
            [],
        )
        .expect("a call with a note");
    }
    let mut s = start(&db, &[]);
    s.wait_for("1 of 40");
    s.send("\x06"); // ctrl-f
    s.wait_for("Search everything");
    s.send("eppeli");
    s.wait_for("Hal Emmerich · Globex");
    s.send("\r");
    s.wait_for("Call with Hal Emmerich");
    s.wait_for("zeppelin integration before renewal");
    // on the Calls tab: its outcome counts are above the open call
    assert!(s.screen().contains("Outcomes"), "{}", s.screen());
    s.send("\x1b");
    s.wait_for("Call log");
    s.send("q");
    assert!(s.wait_exit().success());
}
