//! The schema against its contract: every seed column has a home, the enum sets match the
//! CHECK constraints, tables are STRICT, references are indexed, search works.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use cscx::store::{self, enums, seed_map};
use rusqlite::Connection;

/// The seed columns as the five documents define them (a copy kept in the repository, so the
/// test does not reach outside it).
fn seed_columns() -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/seed-columns.csv"
    ))
    .expect("fixture");
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            (r[0].to_owned(), r[1].to_owned(), r[2].to_owned())
        })
        .collect()
}

fn columns_of(conn: &Connection, table: &str) -> BTreeSet<String> {
    conn.prepare("SELECT name FROM pragma_table_xinfo(?1)")
        .unwrap()
        .query_map([table], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn every_seed_column_has_exactly_one_row_in_the_map() {
    let seeds = seed_columns();
    assert_eq!(seeds.len(), 556, "the fixture lists 556 seed columns");
    let map = seed_map::entries().expect("seed map parses");
    let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for e in &map {
        *counts
            .entry((e.seed.clone(), e.seed_table.clone(), e.seed_column.clone()))
            .or_default() += 1;
    }
    let missing: Vec<_> = seeds.iter().filter(|k| !counts.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "seed columns without a row in the map: {missing:?}"
    );
    let doubled: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        doubled.is_empty(),
        "seed columns with more than one row: {doubled:?}"
    );
    let unknown: Vec<_> = counts.keys().filter(|k| !seeds.contains(k)).collect();
    assert!(
        unknown.is_empty(),
        "map rows for columns no seed defines: {unknown:?}"
    );
}

#[test]
fn every_home_in_the_map_exists_in_the_migrated_database() {
    let db = common::temp_db();
    drop(store::open(&db.path).unwrap());
    let conn = Connection::open(&db.path).unwrap();
    let mut problems = Vec::new();
    for e in seed_map::entries().unwrap() {
        if !e.is_stored() {
            if e.note.trim().is_empty() {
                problems.push(format!(
                    "{}.{}: not stored without a reason",
                    e.seed_table, e.seed_column
                ));
            }
            continue;
        }
        if !columns_of(&conn, &e.table).contains(&e.column) {
            problems.push(format!(
                "{}.{} -> {}.{} does not exist",
                e.seed_table, e.seed_column, e.table, e.column
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_001_view_exists_with_its_columns() {
    let s = common::scratch_store();
    let cols = columns_of(&common::sql(&s), "customer_health_view");
    for c in [
        "id",
        "name",
        "arr",
        "health_score",
        "stage",
        "stakeholder_count",
        "meeting_count",
        "concern_count",
        "last_meeting",
        "last_interaction",
    ] {
        assert!(cols.contains(c), "customer_health_view lacks {c}");
    }
}

/// `CHECK (col IN ('a', 'b'))` sets in the schema SQL, by table.column.
fn check_sets(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut sets = BTreeMap::new();
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (table, sql) in tables {
        let mut rest = sql.as_str();
        while let Some(i) = rest.find("CHECK (") {
            rest = &rest[i + 7..];
            let Some((col, after)) = rest.split_once(" IN (") else {
                continue;
            };
            if col.contains(' ') || !after.starts_with('\'') {
                continue;
            }
            let list = &after[..after.find(')').unwrap()];
            let values = list
                .split(',')
                .map(|v| v.trim().trim_matches('\'').to_owned())
                .collect();
            sets.insert(format!("{table}.{col}"), values);
        }
    }
    sets
}

#[test]
fn rust_enums_are_the_schema_check_sets() {
    let s = common::scratch_store();
    let sql_sets = check_sets(&common::sql(&s));
    let mut rust_sets = BTreeMap::new();
    for (cols, texts) in enums::REGISTRY {
        for c in *cols {
            rust_sets.insert(
                c.to_string(),
                texts.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            );
        }
    }
    assert_eq!(
        sql_sets, rust_sets,
        "every CHECK set is a Rust enum with the same values"
    );
    assert!(
        sql_sets.len() >= 30,
        "found only {} sets: the parser is broken",
        sql_sets.len()
    );
}

#[test]
fn every_table_is_strict_and_every_reference_is_indexed() {
    let s = common::scratch_store();
    let conn = &common::sql(&s);
    let catalog = s.catalog();
    assert_eq!(catalog.len(), 56);
    let mut problems = Vec::new();
    for table in catalog.tables() {
        let strict: i64 = conn
            .query_row(
                "SELECT strict FROM pragma_table_list WHERE name = ?1",
                [&table.name],
                |r| r.get(0),
            )
            .unwrap();
        if strict != 1 {
            problems.push(format!("{} is not STRICT", table.name));
        }
        let indexes: Vec<Vec<String>> = conn
            .prepare("SELECT name FROM pragma_index_list(?1)")
            .unwrap()
            .query_map([&table.name], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|name| {
                conn.prepare("SELECT ifnull(name, '') FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno")
                    .unwrap()
                    .query_map([name.unwrap()], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            })
            .collect();
        for fk in &table.foreign_keys {
            let covered = indexes.iter().any(|ix| ix.starts_with(&fk.columns))
                || table
                    .columns
                    .iter()
                    .any(|c| c.is_rowid_alias && fk.columns == [c.name.clone()]);
            if !covered {
                problems.push(format!(
                    "{}({}) -> {} has no index",
                    table.name,
                    fk.columns.join(", "),
                    fk.parent
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn full_text_search_follows_inserts_updates_and_deletes() {
    let s = common::scratch_store();
    let conn = &common::sql(&s);
    conn.execute("INSERT INTO workspaces (id, name) VALUES ('w', 'W')", [])
        .unwrap();
    conn.execute(
        "INSERT INTO customers (id, workspace_id, name) VALUES ('c', 'w', 'Zürich Widgets')",
        [],
    )
    .unwrap();
    let hits = |s: &store::Store, q: &str| -> i64 {
        common::sql(s)
            .query_row(
                "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ?1",
                [q],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(hits(&s, "zurich"), 1, "diacritics are folded");
    assert_eq!(hits(&s, "wid*"), 1);
    common::sql(&s)
        .execute(
            "UPDATE customers SET name = 'Basel Gears' WHERE id = 'c'",
            [],
        )
        .unwrap();
    assert_eq!(hits(&s, "widgets"), 0);
    assert_eq!(hits(&s, "gears"), 1);
    common::sql(&s)
        .execute("DELETE FROM customers WHERE id = 'c'", [])
        .unwrap();
    assert_eq!(hits(&s, "gears"), 0);
    // FTS5's own consistency check of the index against the content table
    common::sql(&s)
        .execute(
            "INSERT INTO customers_fts(customers_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .expect("customers_fts agrees with customers");
}

#[test]
fn schema_command_prints_the_map() {
    let out = std::process::Command::new(common::cscx_bin())
        .arg("schema")
        .output()
        .expect("run cscx schema");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("seed,seed_table,seed_column,table,column,note")
    );
    assert_eq!(lines.count(), 556);
}
