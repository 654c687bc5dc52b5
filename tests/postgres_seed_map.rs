//! The seed map holds against the PostgreSQL catalog too (issue 11 item 2): every one of the
//! 556 seed columns the map gives a home has that table and column in the schema
//! `cscx schema --postgres` generates, loaded into a throwaway cluster; the rest are the
//! map's deliberate "not stored" rows, each with its reason. Skips without PostgreSQL
//! outside CI.

mod common;
mod pg_support;

use std::collections::BTreeSet;

use cscx::store::seed_map;
use pg_support::Cluster;

const DB: &str = "seedmap";

#[test]
fn every_home_of_the_seed_map_exists_in_the_postgres_schema() {
    let Some(cluster) = Cluster::start("postgres_seed_map") else {
        return;
    };
    let ddl = common::cscx_ok(&["schema", "--postgres"]);
    cluster.create_database(DB);
    cluster.sql(DB, &String::from_utf8_lossy(&ddl.stdout));
    let columns: BTreeSet<(String, String)> = cluster
        .sql(
            DB,
            "\\pset format unaligned\n\\pset tuples_only on\n\
             SELECT table_name || '|' || column_name FROM information_schema.columns \
             WHERE table_schema = 'public';\n",
        )
        .lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(t, c)| (t.to_owned(), c.to_owned()))
        .collect();
    assert!(
        columns.len() > 500,
        "the schema loaded: {} columns",
        columns.len()
    );

    let map = seed_map::entries().expect("the seed map");
    assert_eq!(map.len(), 556);
    let mut stored = 0;
    let mut problems = Vec::new();
    for e in &map {
        if !e.is_stored() {
            if e.note.trim().is_empty() {
                problems.push(format!(
                    "{}.{}: not stored without a reason",
                    e.seed_table, e.seed_column
                ));
            }
            continue;
        }
        stored += 1;
        if !columns.contains(&(e.table.clone(), e.column.clone())) {
            problems.push(format!(
                "{}.{} -> {}.{}: not in the PostgreSQL schema",
                e.seed_table, e.seed_column, e.table, e.column
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("seed map on PostgreSQL: {stored} of 556 columns stored, all present");
}
