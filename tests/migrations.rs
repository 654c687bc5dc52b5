//! Opening databases: creation mode, pragmas, migrating old versions, refusing newer ones and
//! files that are not cscx databases.

mod common;

use std::os::unix::fs::PermissionsExt;

use cscx::store::{self, StoreError, migrations};
use rusqlite::Connection;

#[test]
fn a_new_database_is_private_and_fully_migrated() {
    let db = common::temp_db();
    let s = store::open(&db.path).unwrap();
    let mode = std::fs::metadata(&db.path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "database file mode");
    let wal = db.path.with_extension("db-wal");
    if wal.exists() {
        assert_eq!(
            std::fs::metadata(&wal).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let conn = &common::sql(&s);
    // connection pragmas are the store's connection's own
    let pragma = |p: &str| -> String { format!("{:?}", s.pragma(p).unwrap()) };
    assert_eq!(pragma("foreign_keys"), "Integer(1)");
    assert_eq!(pragma("journal_mode"), "Text(\"wal\")");
    assert_eq!(pragma("synchronous"), "Integer(1)", "NORMAL");
    assert!(pragma("busy_timeout") != "Integer(0)");
    assert_eq!(
        migrations::user_version(conn).unwrap(),
        migrations::SCHEMA_VERSION
    );
}

#[test]
fn the_default_directory_is_created_on_first_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/cscx.db");
    store::open(&path).unwrap();
    assert!(path.exists());
}

#[test]
fn opening_twice_changes_nothing() {
    let db = common::temp_db();
    drop(store::open(&db.path).unwrap());
    let before = common::dump(&db.path);
    drop(store::open(&db.path).unwrap());
    assert_eq!(common::dump(&db.path), before);
}

#[test]
fn an_older_database_is_migrated_and_keeps_its_rows() {
    let db = common::temp_db();
    {
        let mut conn = Connection::open(&db.path).unwrap();
        migrations::migrate_to(&mut conn, &db.path, 1).unwrap();
        assert_eq!(migrations::user_version(&conn).unwrap(), 1);
        conn.execute("INSERT INTO workspaces (id, name) VALUES ('w1', 'Old')", [])
            .unwrap();
        conn.execute(
            "INSERT INTO customers (id, workspace_id, name) VALUES ('c1', 'w1', 'Older Customer')",
            [],
        )
        .unwrap();
    }
    let s = store::open(&db.path).unwrap();
    assert_eq!(
        migrations::user_version(&common::sql(&s)).unwrap(),
        migrations::SCHEMA_VERSION
    );
    let name: String = common::sql(&s)
        .query_row("SELECT name FROM customers WHERE id = 'c1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "Older Customer");
    // the migrations after version 1 cover the kept rows: they are searchable
    let found: i64 = common::sql(&s)
        .query_row(
            "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'older'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        found, 1,
        "rows from before the search migration are indexed"
    );
}

#[test]
fn a_newer_database_is_refused_and_left_alone() {
    let db = common::temp_db();
    drop(store::open(&db.path).unwrap());
    {
        let conn = Connection::open(&db.path).unwrap();
        conn.pragma_update(None, "user_version", migrations::SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = common::dump(&db.path);
    match store::open(&db.path) {
        Err(e @ StoreError::NewerSchema { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("newer cscx"), "{msg}");
            assert!(
                msg.contains(&format!("version {}", migrations::SCHEMA_VERSION + 1)),
                "{msg}"
            );
        }
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("a newer database was opened"),
    }
    assert_eq!(common::dump(&db.path), before);
}

#[test]
fn another_applications_database_is_refused() {
    let db = common::temp_db();
    {
        let conn = Connection::open(&db.path).unwrap();
        conn.execute("CREATE TABLE notes (body TEXT)", []).unwrap();
    }
    match store::open(&db.path) {
        Err(StoreError::NotCscx { .. }) => {}
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("a foreign database was migrated"),
    }
    let conn = Connection::open(&db.path).unwrap();
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1, "nothing was added to the foreign file");
}

#[test]
fn the_one_letter_prefix_index_keeps_a_version_5_book_searchable() {
    let db = common::temp_db();
    {
        let mut conn = Connection::open(&db.path).unwrap();
        migrations::migrate_to(&mut conn, &db.path, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO workspaces (id, name) VALUES ('w1', 'Old');
             INSERT INTO customers (id, workspace_id, name) VALUES ('c1', 'w1', 'Lakeside Labs');",
        )
        .unwrap();
    }
    let s = store::open(&db.path).unwrap();
    // the definition changed: one-letter prefixes are indexed
    let sql: String = common::sql(&s)
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'customers_fts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sql.contains("prefix='1 2 3'"), "{sql}");
    // the row from before is indexed, and the 0003 triggers still feed the new table
    common::sql(&s)
        .execute(
            "INSERT INTO customers (id, workspace_id, name) VALUES ('c2', 'w1', 'Lumen Health')",
            [],
        )
        .unwrap();
    common::sql(&s)
        .execute(
            "UPDATE customers SET name = 'Zephyr Labs' WHERE id = 'c1'",
            [],
        )
        .unwrap();
    let matches = |q: &str| -> i64 {
        common::sql(&s)
            .query_row(
                "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ?1",
                [q],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(matches("\"l\"*"), 2, "Lumen Health and Zephyr Labs");
    assert_eq!(matches("\"lakeside\"*"), 0, "the old name left the index");
    assert_eq!(matches("\"z\"*"), 1);
}
