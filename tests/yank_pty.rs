//! End to end, in a pseudo-terminal: the real binary copies the selected customer's id to
//! the terminal's clipboard (the OSC 52 sequence, base64, is in what it wrote), and `E`
//! writes the list to the directory the config file names.

mod common;

#[path = "tui_support/mod.rs"]
mod tui_support;

mod pty_support;

use base64::Engine as _;

#[test]
fn y_puts_the_id_on_the_terminals_clipboard_and_e_writes_where_the_config_says() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("book.db");
    let book = {
        let mut store = cscx::store::open(&db).expect("store");
        tui_support::build(&mut store)
    };
    let out = dir.path().join("exports");
    std::fs::create_dir_all(&out).expect("exports");
    std::fs::create_dir_all(dir.path().join("cscx")).expect("config dir");
    std::fs::write(
        dir.path().join("cscx/config.toml"),
        format!(
            "export_dir = \"{}\"\n[aliases]\nrunning = \"playbook_executions\"\n",
            out.display()
        ),
    )
    .expect("config");
    let mut s = pty_support::start(
        &db,
        &["--user", "dana@acme.test", "--workspace", "Acme CS"],
        &[],
        (30, 120),
    );
    s.wait_for("acting as Dana Scully");
    // the list's first customer (by name)
    let first: String = common::sql_at(&db)
        .query_row(
            "SELECT id FROM customers WHERE workspace_id = ?1 ORDER BY lower(name), id LIMIT 1",
            [&book.workspace],
            |r| r.get(0),
        )
        .expect("a customer");
    s.send_and_settle("y");
    s.wait_for("copied customer id");
    let osc = format!(
        "\x1b]52;c;{}\x1b\\",
        base64::engine::general_purpose::STANDARD.encode(first.as_bytes())
    );
    let raw = String::from_utf8_lossy(&s.raw.lock().expect("raw")).into_owned();
    assert!(raw.contains(&osc), "no {osc:?} in the output");

    s.send_and_settle("E");
    s.wait_for("wrote ");
    let files: Vec<_> = std::fs::read_dir(&out)
        .expect("exports")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let rows = csv::Reader::from_path(&files[0])
        .expect("the file")
        .records()
        .count() as i64;
    let customers: i64 = common::sql_at(&db)
        .query_row(
            "SELECT count(*) FROM customers WHERE workspace_id = ?1",
            [&book.workspace],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(
        rows, customers,
        "every customer of the list, not only the page on screen"
    );
    s.send("q");
    assert!(s.wait_exit().success());
}
