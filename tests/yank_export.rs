//! Issue 16 items 3 and 4 on the sample data in a real SQLite file, driven by keys: the
//! command palette (`:`) finds actions and tables by name, alias and fuzzy letters and runs
//! an action where it belongs; `y`/`Y` copy the selected row's id or whole row; `E`/`J`
//! write the list as shown — its filters and its order, every row — and say where.

mod common;

use cscx::store::{self, Store};
use cscx::tui::app::Options;
use cscx::tui::clock::Clock;
use cscx::tui::headless::Headless;

/// The sample, acting as `email` (Northwind CS), in a dashboard of `width`×`height` whose
/// exports go to `out`.
fn dashboard(email: &str, out: &std::path::Path) -> (common::TempDb, Headless) {
    let (db, s) = common::sample_as(email);
    let utc = chrono::FixedOffset::east_opt(0).expect("UTC");
    let options = Options {
        clock: Clock::Fixed(
            chrono::TimeZone::with_ymd_and_hms(&utc, 2026, 12, 4, 9, 30, 0)
                .single()
                .expect("one instant"),
        ),
        export_dir: out.to_owned(),
        ..Options::for_store(&s, false)
    };
    (db, Headless::inline(s, options, 120, 30))
}

/// The same dashboard with its jobs on the worker thread, as in the real dashboard.
fn threaded(email: &str, out: &std::path::Path) -> (common::TempDb, Headless) {
    let (db, h) = dashboard(email, out);
    let options = h.app.options().clone();
    drop(h);
    let mut s = store::open(&db.path).expect("store");
    let actor = common::northwind_actor(&db.path, email);
    s.set_actor(actor);
    s.set_today(chrono::NaiveDate::from_ymd_opt(2026, 12, 4));
    let h = Headless::threaded(s, options, 120, 30).expect("a worker");
    (db, h)
}

fn store_of(h: &Headless) -> &Store {
    h.store().expect("inline")
}

fn status(h: &Headless) -> String {
    h.app.status().map(|s| s.text.clone()).unwrap_or_default()
}

/// The file the status line says was written.
fn written(h: &Headless) -> std::path::PathBuf {
    let text = status(h);
    let path = text
        .split(" to ")
        .nth(1)
        .unwrap_or_else(|| panic!("no file in: {text}"));
    std::path::PathBuf::from(path)
}

#[test]
fn y_copies_the_selected_id_and_capital_y_the_whole_row() {
    let out = tempfile::tempdir().expect("dir");
    let (_db, mut h) = dashboard("dana@northwind.test", out.path());
    h.keys(&["j", "j"]);
    let id = h.customers().selected_id().expect("a selection");
    h.keys(&["y"]);
    assert_eq!(h.app.take_clipboard(), vec![id.clone()]);
    assert!(
        status(&h).contains(&format!("copied customer id {id}")),
        "{}",
        status(&h)
    );

    h.keys(&["Y"]);
    let copied = h.app.take_clipboard();
    assert_eq!(copied.len(), 1, "{copied:?}");
    let row: serde_json::Value = serde_json::from_str(&copied[0]).expect("JSON");
    let name: String = common::sql(store_of(&h))
        .query_row("SELECT name FROM customers WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .expect("the customer");
    assert_eq!(row["id"], serde_json::json!(id));
    assert_eq!(row["name"], serde_json::json!(name));
    assert!(row.get("arr_cents").is_some(), "every column: {row}");

    // in the 360 the row is the account's; on Calls, the call's
    h.keys(&["enter", "y"]);
    assert_eq!(h.app.take_clipboard(), vec![id]);
    h.keys(&["esc", "4", "y"]);
    let call = h.calls().list().selected_row().expect("a call").id.clone();
    assert_eq!(h.app.take_clipboard(), vec![call]);
}

#[test]
fn a_users_row_is_copied_without_its_secret() {
    let out = tempfile::tempdir().expect("dir");
    let (_db, h) = dashboard("dana@northwind.test", out.path());
    let s = store_of(&h);
    let (id, hash): (String, Option<String>) = common::sql(s)
        .query_row(
            "UPDATE users SET password_hash = 'secret-hash' WHERE email = 'dana@northwind.test'
             RETURNING id, password_hash",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a user");
    assert_eq!(hash.as_deref(), Some("secret-hash"));
    let r = s.reader(false).expect("reader");
    let users = s.catalog().table("users").expect("users");
    let json = cscx::import::export::row_json(&r, users, &id, None)
        .expect("read")
        .expect("Dana sees herself");
    assert!(json.contains("dana@northwind.test"), "{json}");
    assert!(
        !json.contains("secret-hash") && !json.contains("password_hash"),
        "{json}"
    );
}

#[test]
fn e_writes_the_filtered_list_in_its_order_and_j_the_same_as_json() {
    let out = tempfile::tempdir().expect("dir");
    let (_db, mut h) = dashboard("dana@northwind.test", out.path());
    // a filter and a reversed sort: the file must follow both
    h.keys(&["/"]);
    h.type_text("co");
    h.keys(&["enter", "S"]);
    let shown: Vec<String> = h
        .customers()
        .list()
        .rows
        .iter()
        .map(|r| r.name.clone())
        .collect();
    assert!(shown.len() >= 2 && shown.len() < 12, "{shown:?}");
    h.keys(&["E"]);
    let csv_path = written(&h);
    assert!(csv_path.starts_with(out.path()), "{}", csv_path.display());
    assert!(
        status(&h).starts_with(&format!("wrote {} rows", shown.len())),
        "{}",
        status(&h)
    );
    let mut reader = csv::Reader::from_path(&csv_path).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    let name_at = headers.iter().position(|c| c == "name").expect("name");
    let names: Vec<String> = reader
        .records()
        .map(|r| r.expect("record")[name_at].to_owned())
        .collect();
    assert_eq!(names, shown, "the file is the list as shown");

    h.keys(&["J"]);
    let json_path = written(&h);
    assert_ne!(json_path, csv_path);
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("read")).expect("JSON");
    let json_names: Vec<&str> = rows.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(json_names, shown);

    // a second export in the same second does not replace the first
    h.keys(&["E"]);
    let again = written(&h);
    assert_ne!(again, csv_path);
    assert!(csv_path.exists() && again.exists());
}

#[test]
fn the_calls_export_follows_the_type_filter_and_the_360_exports_nothing() {
    let out = tempfile::tempdir().expect("dir");
    let (_db, mut h) = dashboard("dana@northwind.test", out.path());
    h.keys(&["4", "t"]);
    let call_type = status(&h);
    h.keys(&["E"]);
    let path = written(&h);
    let mut reader = csv::Reader::from_path(&path).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    let type_at = headers.iter().position(|c| c == "call_type").expect("type");
    let id_at = headers.iter().position(|c| c == "id").expect("id");
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let types: std::collections::BTreeSet<&str> = records.iter().map(|r| &r[type_at]).collect();
    assert_eq!(types.len(), 1, "one type: {types:?} ({call_type})");
    let the_type = *types.iter().next().expect("a type");
    // every call of that type in Dana's workspace (the oracle: SQL; she sees the whole
    // workspace's calls), newest first as listed
    let expected: i64 = common::sql(store_of(&h))
        .query_row(
            "SELECT count(*) FROM calls k JOIN workspaces w ON w.id = k.workspace_id
             WHERE k.call_type = ?1 AND w.name = 'Northwind CS'",
            [the_type],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(records.len() as i64, expected);
    let ids: Vec<&str> = records.iter().map(|r| &r[id_at]).collect();
    let listed: Vec<String> = h.calls().list().rows.iter().map(|c| c.id.clone()).collect();
    assert_eq!(
        ids[..listed.len().min(ids.len())],
        listed[..listed.len().min(ids.len())]
    );

    // the account 360 is not a list of one table
    h.keys(&["1", "enter", "E"]);
    assert!(
        status(&h).starts_with("nothing to export here"),
        "{}",
        status(&h)
    );
}

#[test]
fn on_the_worker_thread_an_export_runs_on_a_connection_of_its_own_and_answers() {
    let out = tempfile::tempdir().expect("dir");
    let (db, mut h) = threaded("dana@northwind.test", out.path());
    h.keys(&["4"]);
    h.keys(&["E"]);
    h.settle_kind(cscx::tui::worker::Kind::ExportView);
    let path = written(&h);
    let rows = csv::Reader::from_path(&path)
        .expect("csv")
        .records()
        .count() as i64;
    let calls: i64 = common::sql_at(&db.path)
        .query_row(
            "SELECT count(*) FROM calls k JOIN workspaces w ON w.id = k.workspace_id
             WHERE w.name = 'Northwind CS'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(rows, calls, "{}", status(&h));
    // on record, as `cscx export` is: written by a connection that may write, since the
    // export itself ran on a read-only one
    let (feed, written, state): (String, i64, String) = common::sql_at(&db.path)
        .query_row(
            "SELECT feed_name, records_written, status FROM etl_runs WHERE feed_name LIKE 'cscx dashboard export %'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the export's run");
    let file = path
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    assert_eq!(feed, format!("cscx dashboard export {file}"));
    assert_eq!((written, state.as_str()), (calls, "succeeded"));
}

#[test]
fn the_palette_finds_by_alias_and_runs_an_action_on_its_own_tab() {
    let out = tempfile::tempdir().expect("dir");
    let (_db, mut h) = dashboard("dana@northwind.test", out.path());
    h.keys(&[":"]);
    h.type_text("pe");
    insta::assert_snapshot!("palette_pe", h.terminal.backend());
    let picker = h.app.picker().expect("the palette");
    let first = picker.chosen().expect("a match");
    assert_eq!(first.label, "playbook_executions");
    h.keys(&["esc"]);
    assert!(h.app.picker().is_none());

    // an action of another tab: the palette goes there and runs it
    assert_eq!(h.app.tab(), 0);
    h.keys(&[":"]);
    h.type_text("calls_type");
    h.keys(&["enter"]);
    assert_eq!(h.app.tab_title(), "Calls");
    // the type filter moved on from "all types" to the first type
    let ty = h
        .calls()
        .list()
        .rows
        .first()
        .map(|c| c.call_type.clone())
        .expect("a call");
    assert!(
        h.calls().list().rows.iter().all(|c| c.call_type == ty),
        "{}",
        h.screen()
    );

    // :q quits, as in vim
    h.keys(&[":"]);
    h.type_text("q");
    h.keys(&["enter"]);
    assert!(h.app.wants_quit());
}

#[test]
fn an_action_the_palette_cannot_reach_says_where_it_works() {
    let out = tempfile::tempdir().expect("dir");
    let (_db, mut h) = dashboard("dana@northwind.test", out.path());
    h.keys(&[":"]);
    h.type_text("mark or unmark");
    h.keys(&["enter"]);
    assert!(
        status(&h).contains("works in Approvals (queue or thread)"),
        "{}",
        status(&h)
    );
}

#[test]
fn a_table_from_the_palette_opens_in_the_browser_where_y_y_and_e_work_too() {
    let out = tempfile::tempdir().expect("dir");
    let (_db, mut h) = dashboard("dana@northwind.test", out.path());
    h.keys(&[":"]);
    h.type_text("calls");
    h.keys(&["enter"]);
    assert_eq!(h.app.tab_title(), "Tables");
    let browser = h.tab::<cscx::tui::browse::BrowseScreen>();
    assert_eq!(browser.query().table, "calls");
    let row = browser.list().selected_row().expect("a call").clone();
    let id_at = browser
        .shape()
        .expect("the shape")
        .columns
        .iter()
        .position(|c| c.name == "id")
        .expect("an id column");
    let id = row.values[id_at].text();

    h.keys(&["y"]);
    assert_eq!(h.app.take_clipboard(), vec![id.clone()]);
    h.keys(&["Y"]);
    let copied = h.app.take_clipboard();
    let json: serde_json::Value = serde_json::from_str(&copied[0]).expect("JSON");
    assert_eq!(json["id"], serde_json::json!(id));

    // a filter on the column under the cursor (the first, id), then E: exactly that call
    h.keys(&["="]);
    h.type_text(&id);
    h.keys(&["enter", "E"]);
    let path = written(&h);
    let ids: Vec<String> = csv::Reader::from_path(&path)
        .expect("csv")
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|r| r.expect("row")["id"].clone())
        .collect();
    assert_eq!(ids, vec![id]);

    // a table keyed by several columns: y copies its rowid, Y still finds the row
    h.keys(&[":"]);
    h.type_text("workspace_members");
    h.keys(&["enter"]);
    let browser = h.tab::<cscx::tui::browse::BrowseScreen>();
    assert_eq!(browser.query().table, "workspace_members");
    let rowid = browser.list().selected_row().expect("a member").rowid;
    h.keys(&["y"]);
    assert_eq!(h.app.take_clipboard(), vec![rowid.to_string()]);
    h.keys(&["Y"]);
    let copied = h.app.take_clipboard();
    let json: serde_json::Value = serde_json::from_str(&copied[0]).expect("JSON");
    assert!(
        json.get("user_id").is_some() && json.get("role").is_some(),
        "{json}"
    );
}
