//! The table browser (tab 7, Tables): every table of the catalog opens by keys and a row of it
//! opens; keyset paging yields every row exactly once, in order, for every indexed sort of
//! every table, both ways; filters bind what is typed; a reference is a link (a customer opens
//! the 360, another row opens in the browser); a CSM who sees only assigned customers sees no
//! colleague's rows; and the list and a row at 80 columns, as snapshots.

mod common;
mod tui_support;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use cscx::generate::{self, Options as GenerateOptions};
use cscx::store::read::Anchor;
use cscx::store::read::browse::{self, BrowseRow, Filter, Op, Query, Shape};
use cscx::store::{self, Actor, Store};
use cscx::tui::app::Options;
use cscx::tui::browse::{BrowseScreen, Mode};
use cscx::tui::headless::Headless;
use rusqlite::Connection;

/// The fixed book of the dashboard tests, on a file (the tests' oracles read it with SQL).
fn book() -> Store {
    let mut s = common::scratch_store();
    tui_support::build(&mut s);
    s
}

fn dashboard(width: u16, height: u16) -> Headless {
    Headless::inline(book(), Options::default(), width, height)
}

fn browser(h: &Headless) -> &BrowseScreen {
    h.tab::<BrowseScreen>()
}

/// Opens `table` from the picker by keys: `t`, its name typed, then down until it is the
/// choice (a fuzzy match may rank a longer name first), `enter`.
fn open(h: &mut Headless, table: &str) {
    if !matches!(browser(h).mode(), Mode::Tables(_)) {
        h.keys(&["esc", "esc", "t"]);
    }
    assert!(
        matches!(browser(h).mode(), Mode::Tables(_)),
        "the table picker is open"
    );
    h.type_text(table);
    for _ in 0..80 {
        let Mode::Tables(p) = browser(h).mode() else {
            panic!("picker closed");
        };
        if p.chosen().map(|c| c.id.as_str()) == Some(table) {
            break;
        }
        h.keys(&["down"]);
    }
    h.keys(&["enter"]);
    assert_eq!(browser(h).query().table, table, "browsing {table}");
}

#[test]
fn every_table_of_the_catalog_opens_and_a_row_of_it_opens() {
    let mut h = dashboard(120, 36);
    h.keys(&["7"]);
    assert_eq!(h.app.tab_title(), "Tables");
    let tables: Vec<String> = h
        .store()
        .expect("inline")
        .catalog()
        .tables()
        .map(|t| t.name.clone())
        .collect();
    assert!(tables.len() > 40, "the whole schema: {}", tables.len());
    assert_eq!(
        browser(&h).tables(),
        tables.as_slice(),
        "the picker lists them all"
    );
    let mut with_rows = 0;
    for table in &tables {
        open(&mut h, table);
        let b = browser(&h);
        assert!(b.list().loaded, "{table}: the first page is read");
        let status = h.app.status().map(|s| s.text.clone()).unwrap_or_default();
        assert!(!status.contains("could not"), "{table}: {status}");
        assert!(h.screen().contains(table.as_str()), "{table} is drawn");
        let shape = b.shape().expect("shape").clone();
        assert!(
            !shape.columns.iter().any(|c| c.name == "password_hash"),
            "{table}: a secret is never read"
        );
        let Some(row) = b.list().selected_row().cloned() else {
            continue;
        };
        with_rows += 1;
        // the first column that is not a reference: enter opens the row there
        let Some(k) = shape.columns.iter().position(|c| c.reference.is_none()) else {
            continue;
        };
        for _ in 0..k {
            h.keys(&["l"]);
        }
        h.keys(&["enter"]);
        let Mode::Row(d) = browser(&h).mode() else {
            panic!("{table}: enter opens the row");
        };
        assert_eq!(d.rowid, row.rowid);
        let values = d.values.as_ref().expect("the row is read");
        assert_eq!(values.len(), shape.columns.len(), "{table}: every column");
        h.keys(&["esc"]);
        assert_eq!(browser(&h).mode(), &Mode::List);
    }
    assert!(with_rows >= 20, "the book fills most tables: {with_rows}");
}

/// Every row of `q` read in pages of `n`, forward from the start.
fn forward(s: &Store, shape: &Shape, q: &Query, n: usize) -> Vec<i64> {
    let r = s.reader(false).expect("reader");
    let mut out = Vec::new();
    let mut anchor = Anchor::Start;
    loop {
        let page: Vec<BrowseRow> = browse::page(&r, shape, q, &anchor, n).expect("page");
        out.extend(page.iter().map(|r| r.rowid));
        match page.last() {
            Some(last) if page.len() == n => anchor = Anchor::After(last.cursor.clone()),
            _ => return out,
        }
    }
}

/// The same, backward from the end, put back in display order.
fn backward(s: &Store, shape: &Shape, q: &Query, n: usize) -> Vec<i64> {
    let r = s.reader(false).expect("reader");
    let mut out = Vec::new();
    let mut anchor = Anchor::End;
    loop {
        let page: Vec<BrowseRow> = browse::page(&r, shape, q, &anchor, n).expect("page");
        for row in page.iter().rev() {
            out.push(row.rowid);
        }
        match page.first() {
            Some(first) if page.len() == n => anchor = Anchor::Before(first.cursor.clone()),
            _ => {
                out.reverse();
                return out;
            }
        }
    }
}

#[test]
fn keyset_paging_reads_every_row_once_in_order_for_every_indexed_sort() {
    let s = book();
    let conn = common::sql(&s);
    let r = s.reader(false).expect("reader");
    let mut checked = 0;
    let mut with_ties = 0;
    for table in browse::tables(&r) {
        let shape = browse::shape(&r, &table).expect("shape");
        let sorts = std::iter::once(None).chain(shape.sorts.iter().map(Some));
        for sort in sorts {
            for descending in [false, true] {
                let dir = if descending { "DESC" } else { "ASC" };
                let order = match sort {
                    None => format!("rowid {dir}"),
                    Some(k) => format!(
                        "\"{}\" COLLATE {} {dir}, rowid {dir}",
                        k.column, k.collation
                    ),
                };
                let oracle: Vec<i64> = conn
                    .prepare(&format!("SELECT rowid FROM \"{table}\" ORDER BY {order}"))
                    .expect("oracle")
                    .query_map([], |r| r.get(0))
                    .expect("rows")
                    .collect::<rusqlite::Result<_>>()
                    .expect("rowids");
                let q = Query {
                    sort: sort.map(|k| k.column.clone()),
                    descending,
                    ..Query::new(&table)
                };
                // pages of 3 cross every run of equal keys and the NULL/non-NULL boundary
                assert_eq!(
                    forward(&s, &shape, &q, 3),
                    oracle,
                    "{table} {order} forward"
                );
                assert_eq!(
                    backward(&s, &shape, &q, 3),
                    oracle,
                    "{table} {order} backward"
                );
                checked += 1;
                if let Some(k) = sort {
                    let ties: i64 = conn
                        .query_row(
                            &format!(
                                "SELECT count(*) - count(DISTINCT \"{0}\") FROM \"{table}\"",
                                k.column
                            ),
                            [],
                            |r| r.get(0),
                        )
                        .expect("ties");
                    with_ties += i64::from(ties > 3);
                }
            }
        }
    }
    assert!(checked > 100, "sorts checked: {checked}");
    assert!(with_ties > 10, "sorts with duplicates: {with_ties}");
}

#[test]
fn the_offered_sorts_are_the_indexed_columns() {
    let s = book();
    let r = s.reader(false).expect("reader");
    let calls = browse::shape(&r, "calls").expect("calls");
    let names: Vec<&str> = calls.sorts.iter().map(|k| k.column.as_str()).collect();
    assert!(names.contains(&"id"), "the primary key: {names:?}");
    assert!(
        names.contains(&"customer_id"),
        "a foreign key's index: {names:?}"
    );
    assert!(!names.contains(&"notes"), "no index on notes: {names:?}");
    // an unindexed sort is refused, not sorted in memory
    let q = Query {
        sort: Some("notes".into()),
        ..Query::new("calls")
    };
    assert!(browse::page(&r, &calls, &q, &Anchor::Start, 5).is_err());
    // a table the catalog does not know is refused before any SQL is made of it
    assert!(browse::shape(&r, "calls; DROP TABLE calls").is_err());
    let q = Query::new("no_such_table");
    assert!(browse::count(&r, &q).is_err());
}

#[test]
fn filters_bind_what_is_typed() {
    let s = book();
    let conn = common::sql(&s);
    let r = s.reader(false).expect("reader");
    let shape = browse::shape(&r, "customers").expect("customers");
    let filtered = |op: Op, text: &str| -> BTreeSet<i64> {
        let q = Query {
            filter: Some(Filter {
                column: if op == Op::Contains { "name" } else { "stage" }.into(),
                op,
                text: text.into(),
            }),
            ..Query::new("customers")
        };
        let rows: BTreeSet<i64> = forward(&s, &shape, &q, 4).into_iter().collect();
        assert_eq!(browse::count(&r, &q).expect("count"), rows.len() as i64);
        rows
    };
    let oracle = |sql: &str| -> BTreeSet<i64> {
        conn.prepare(sql)
            .expect("oracle")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rowids")
    };
    let corp = filtered(Op::Contains, "CORP");
    assert_eq!(
        corp,
        oracle("SELECT rowid FROM customers WHERE name LIKE '%corp%'")
    );
    assert!(corp.len() >= 2, "Acme Corp, Tyrell Corp");
    assert_eq!(
        filtered(Op::Equals, "active"),
        oracle("SELECT rowid FROM customers WHERE stage = 'active'")
    );
    // LIKE's wildcards and a quote are text like any other
    assert!(filtered(Op::Contains, "%").is_empty());
    assert!(filtered(Op::Contains, "_").is_empty());
    assert!(filtered(Op::Contains, "' OR 1=1 --").is_empty());
}

#[test]
fn typing_a_filter_narrows_the_list_and_esc_clears_it() {
    let mut h = dashboard(120, 36);
    h.keys(&["7"]);
    open(&mut h, "customers");
    let name = browser(&h)
        .shape()
        .expect("shape")
        .columns
        .iter()
        .position(|c| c.name == "name")
        .expect("a name column");
    for _ in 0..name {
        h.keys(&["l"]);
    }
    h.keys(&["/"]);
    h.type_text("corp");
    let b = browser(&h);
    assert_eq!(
        b.query().filter,
        Some(Filter {
            column: "name".into(),
            op: Op::Contains,
            text: "corp".into()
        })
    );
    let names: Vec<String> = b
        .list()
        .rows
        .iter()
        .map(|r| r.values[name].text().to_lowercase())
        .collect();
    assert!(
        !names.is_empty() && names.iter().all(|n| n.contains("corp")),
        "{names:?}"
    );
    assert_eq!(b.count(), Some(names.len() as i64));
    assert!(
        h.screen().contains("name contains \"corp"),
        "{}",
        h.screen()
    );
    h.keys(&["enter", "esc"]);
    assert_eq!(browser(&h).query().filter, None);
    assert!(browser(&h).count() > Some(names.len() as i64));
}

#[test]
fn a_customer_reference_opens_the_360_and_another_opens_the_row_it_names() {
    let mut h = dashboard(120, 36);
    h.keys(&["7"]);
    open(&mut h, "deal_notes");
    let shape = browser(&h).shape().expect("shape").clone();
    let deal = shape
        .columns
        .iter()
        .position(|c| c.name == "deal_id")
        .expect("deal_id");
    assert_eq!(
        shape.columns[deal].reference,
        Some(("deals".into(), "id".into()))
    );
    let deal_id = browser(&h).list().selected_row().expect("a note").values[deal].text();
    for _ in 0..deal {
        h.keys(&["l"]);
    }
    h.keys(&["enter"]);
    // the deal opens in the browser, its row whole
    let b = browser(&h);
    assert_eq!(b.query().table, "deals");
    let Mode::Row(d) = b.mode() else {
        panic!("the referenced row opens")
    };
    let deals = b.shape().expect("deals").clone();
    let id = deals
        .columns
        .iter()
        .position(|c| c.name == "id")
        .expect("id");
    let values = d.values.as_ref().expect("read");
    assert_eq!(values[id].text(), deal_id);
    // and from the deal, its customer: enter on customer_id opens the account 360
    let customer = deals
        .columns
        .iter()
        .position(|c| c.name == "customer_id")
        .expect("customer_id");
    let customer_id = values[customer].text();
    for _ in 0..customer {
        h.keys(&["j"]);
    }
    h.keys(&["enter"]);
    let account = h.app.account().expect("the 360 opens");
    assert_eq!(account.customer_id(), customer_id);
    // esc closes the 360: back in the browser, on the deal
    h.keys(&["esc"]);
    assert!(h.app.account().is_none());
    assert!(matches!(browser(&h).mode(), Mode::Row(_)));
    // esc on the deal goes back where its reference was followed: the notes' list
    assert_eq!(browser(&h).trail().len(), 1);
    h.keys(&["esc"]);
    assert_eq!(browser(&h).query().table, "deal_notes");
    assert!(matches!(browser(&h).mode(), Mode::List));
    assert!(browser(&h).trail().is_empty());

    // followed from an open row, esc comes back to that row, open
    h.keys(&["g"]);
    for _ in 0..deal {
        h.keys(&["h"]);
    }
    h.keys(&["enter"]);
    let Mode::Row(note) = browser(&h).mode() else {
        panic!("the note opens")
    };
    let note_rowid = note.rowid;
    for _ in 0..deal {
        h.keys(&["j"]);
    }
    h.keys(&["enter"]);
    assert_eq!(browser(&h).query().table, "deals");
    h.keys(&["esc"]);
    let b = browser(&h);
    assert_eq!(b.query().table, "deal_notes");
    let Mode::Row(back) = b.mode() else {
        panic!("back on the note's row, open")
    };
    assert_eq!(back.rowid, note_rowid);
    // and esc there, with nothing left to go back to, closes the row
    h.keys(&["esc"]);
    assert!(matches!(browser(&h).mode(), Mode::List));
}

#[test]
fn another_screen_opens_a_table_by_name() {
    let mut h = dashboard(120, 36);
    h.app.browse("calls");
    h.settle();
    h.draw();
    assert_eq!(h.app.tab_title(), "Tables");
    assert_eq!(browser(&h).query().table, "calls");
    assert!(browser(&h).list().loaded);
    assert_eq!(browser(&h).mode(), &Mode::List, "no picker over it");
}

/// The screen with every id (`01a24303-59bf-…`: made from the clock, new on each run) as
/// `xxxxxxxx-xxxx-…`, the same width, so a snapshot shows the layout and the values that are
/// the book's own.
fn redacted(h: &Headless) -> String {
    let text = h.terminal.backend().to_string();
    let chars: Vec<char> = text.chars().collect();
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let id =
            chars.len() > i + 9 && chars[i..i + 8].iter().all(|c| hex(*c)) && chars[i + 8] == '-';
        if !id {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        while i < chars.len() && (hex(chars[i]) || chars[i] == '-') {
            out.push(if chars[i] == '-' { '-' } else { 'x' });
            i += 1;
        }
    }
    out
}

#[test]
fn the_list_and_a_row_at_80_columns() {
    let mut h = dashboard(80, 24);
    h.keys(&["7"]);
    insta::assert_snapshot!("browse_picker", h.terminal.backend());
    open(&mut h, "customers");
    // by name, so the hostile name is on the first page
    while browser(&h).query().sort.as_deref() != Some("name") {
        h.keys(&["s"]);
    }
    insta::assert_snapshot!("browse_list", redacted(&h));
    let name = browser(&h)
        .shape()
        .expect("shape")
        .columns
        .iter()
        .position(|c| c.name == "name")
        .expect("a name column");
    for _ in 0..name {
        h.keys(&["l"]);
    }
    h.keys(&["/"]);
    h.type_text("Evil");
    h.keys(&["enter", "enter"]);
    assert!(matches!(browser(&h).mode(), Mode::Row(_)));
    let screen = h.screen();
    assert!(!screen.contains('\x1b'), "no escape reaches the terminal");
    insta::assert_snapshot!("browse_row", redacted(&h));
}

// ---- scope -------------------------------------------------------------------------------------

/// A generated book with one workspace seen `assigned`; the CSM acting there.
fn assigned_csm(path: &std::path::Path) -> (Store, String, String) {
    let mut s = store::open(path).expect("store");
    let as_of = NaiveDate::from_ymd_opt(2026, 3, 15).expect("date");
    s.set_today(Some(as_of));
    s.write(|w| {
        w.set_row_logging(false);
        generate::load(
            w,
            &GenerateOptions {
                customers: 60,
                seed: 7,
                as_of,
                detail: generate::Detail::Full,
            },
            &mut |_| {},
        )
    })
    .expect("generate");
    let conn = Connection::open(path).expect("open");
    let ws: String = conn
        .query_row("SELECT id FROM workspaces ORDER BY name LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("a workspace");
    conn.execute(
        "UPDATE workspaces SET visibility = 'assigned' WHERE id = ?1",
        [&ws],
    )
    .expect("assigned");
    let csm: String = conn
        .query_row(
            "SELECT m.user_id FROM workspace_members m WHERE m.workspace_id = ?1 AND m.role = 'csm'
               AND (SELECT count(*) FROM workspace_members o WHERE o.user_id = m.user_id) = 1
             ORDER BY m.user_id LIMIT 1",
            [&ws],
            |r| r.get(0),
        )
        .expect("a csm");
    s.set_actor(Actor {
        user_id: Some(csm.clone()),
        workspace_id: None,
        user_agent: Some("cscx browse test".into()),
    });
    (s, csm, ws)
}

#[test]
fn a_csm_who_sees_assigned_customers_browses_no_colleagues_rows() {
    let db = common::temp_db();
    let (s, csm, ws) = assigned_csm(&db.path);
    let conn = Connection::open(&db.path).expect("open");
    let ids = |sql: &str| -> BTreeSet<String> {
        conn.prepare(sql)
            .expect("sql")
            .query_map([&csm, &ws], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("ids")
    };
    // the oracle of tests/access.rs for a CSM of an assigned workspace: their own customers
    // and those granted to them
    let visible = ids("SELECT c.id FROM customers c WHERE c.workspace_id = ?2
           AND (c.csm_id = ?1 OR EXISTS (SELECT 1 FROM user_customer_access g
                                         WHERE g.user_id = ?1 AND g.customer_id = c.id))");
    let colleagues = ids(
        "SELECT c.id FROM customers c WHERE c.workspace_id = ?2 AND c.csm_id IS NOT ?1
           AND NOT EXISTS (SELECT 1 FROM user_customer_access g
                           WHERE g.user_id = ?1 AND g.customer_id = c.id)",
    );
    assert!(!visible.is_empty() && !colleagues.is_empty());
    let r = s.reader(false).expect("reader");
    for (table, column) in [
        ("customers", "id"),
        ("deals", "customer_id"),
        ("stakeholders", "customer_id"),
        ("activity_log", "customer_id"),
    ] {
        let shape = browse::shape(&r, table).expect("shape");
        let k = shape
            .columns
            .iter()
            .position(|c| c.name == column)
            .expect("column");
        let q = Query::new(table);
        let mut seen = BTreeSet::new();
        let mut anchor = Anchor::Start;
        loop {
            let page = browse::page(&r, &shape, &q, &anchor, 50).expect("page");
            for row in &page {
                seen.insert(row.values[k].text());
            }
            match page.last() {
                Some(last) if page.len() == 50 => anchor = Anchor::After(last.cursor.clone()),
                _ => break,
            }
        }
        seen.remove("");
        assert!(
            seen.is_subset(&visible),
            "{table}: only the CSM's customers ({} extra)",
            seen.difference(&visible).count()
        );
        assert!(seen.is_disjoint(&colleagues), "{table}: no colleague's row");
        if table == "customers" {
            assert_eq!(seen, visible, "every visible customer is listed");
        }
    }
    // a colleague's customer, asked for by its reference, is not found either
    let other = colleagues.iter().next().expect("a colleague's customer");
    let found = browse::find(
        &r,
        "customers",
        "id",
        &rusqlite::types::Value::Text(other.clone()),
    )
    .expect("find");
    assert_eq!(found, None);
    drop(r);
    // and the dashboard's browser counts what the oracle counts
    let options = Options::for_store(&s, false);
    let mut h = Headless::inline(s, options, 120, 36);
    h.keys(&["7"]);
    open(&mut h, "customers");
    assert_eq!(browser(&h).count(), Some(visible.len() as i64));
}

#[test]
fn e_opens_the_form_the_write_path_has_and_other_tables_stay_read_only() {
    let s = book();
    let dana: String = common::sql(&s)
        .query_row(
            "SELECT id FROM users WHERE email = 'dana@acme.test'",
            [],
            |r| r.get(0),
        )
        .expect("dana");
    let options = Options {
        user_id: Some(dana),
        ..Options::default()
    };
    let mut h = Headless::inline(s, options, 120, 36);
    h.keys(&["7"]);
    open(&mut h, "calls");
    assert!(h.app.forms().is_empty());
    h.keys(&["e"]);
    assert_eq!(
        h.app.forms().len(),
        1,
        "the call form opens: {:?}",
        h.app.status().map(|s| &s.text)
    );
    h.keys(&["esc"]);
    assert!(h.app.forms().is_empty(), "nothing typed: it closes");
    open(&mut h, "kpi_reference_ranges");
    h.keys(&["e"]);
    assert!(h.app.forms().is_empty());
    let status = h.app.status().expect("a status line");
    assert!(
        status.error && status.text.contains("read-only"),
        "{}",
        status.text
    );
}
