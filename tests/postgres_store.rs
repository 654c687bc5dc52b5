//! The store on PostgreSQL (issue 11, "one store, two engines"): the same write path, health
//! engine and import as on SQLite, through `store::db`, against a throwaway cluster.
//! Skips with a printed reason where PostgreSQL is not installed (never under CI).

mod common;
mod pg_support;

use std::path::Path;

use cscx::store::entities::Call;
use cscx::store::enums::CallOutcome;
use cscx::store::{self, StoreError};

/// `cscx demo --no-open` into a fresh PostgreSQL database: the cluster and its URL.
fn demo_book(test: &str) -> Option<(pg_support::Cluster, String)> {
    let cluster = pg_support::Cluster::start(test)?;
    cluster.create_database("book");
    let url = cluster.url("book");
    common::cscx_ok(&["--db", &url, "demo", "--no-open"]);
    Some((cluster, url))
}

fn recompute_check(url: &str) -> String {
    common::stdout_of(&common::cscx_ok(&["--db", url, "recompute", "--check"]))
}

#[test]
fn the_demo_loads_and_its_health_is_the_same_as_on_sqlite() {
    let Some((cluster, url)) = demo_book("the_demo_loads_and_its_health_is_the_same_as_on_sqlite")
    else {
        return;
    };
    assert!(
        recompute_check(&url).contains("nothing to recompute"),
        "stored health = full recompute on PostgreSQL"
    );
    let lite = common::temp_db();
    common::cscx_db(&lite.path, &["demo", "--no-open"]);
    let conn = rusqlite::Connection::open(&lite.path).expect("the SQLite demo");
    let mut stmt = conn
        .prepare("SELECT name, health_score FROM customers ORDER BY name")
        .expect("prepare");
    let sqlite: Vec<String> = stmt
        .query_map([], |r| {
            Ok(format!(
                "{}|{}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?
                    .map_or(String::new(), |s| s.to_string())
            ))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let pg: Vec<String> = cluster
        .sql(
            "book",
            "\\pset format unaligned\n\\pset tuples_only on\nSELECT name, health_score FROM customers ORDER BY name;",
        )
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(pg.len(), 21, "{pg:?}");
    assert_eq!(pg, sqlite, "every customer's health, as SQLite computes it");
}

#[test]
fn a_csm_s_call_moves_health_in_its_transaction_and_undo_takes_it_back() {
    let Some((_cluster, url)) =
        demo_book("a_csm_s_call_moves_health_in_its_transaction_and_undo_takes_it_back")
    else {
        return;
    };
    let mut s = store::open(Path::new(&url)).expect("open the PostgreSQL book");
    assert_eq!(s.engine(), store::db::Engine::Postgres);
    let dana = s
        .identify(Some("dana@northwind.test"), None, Some("test".into()))
        .expect("dana");
    let (workspace, user) = (
        dana.workspace_id.clone(),
        dana.user_id.clone().expect("an id"),
    );
    s.set_actor(dana);
    let customer = {
        let r = s.reader(false).expect("reader");
        store::read::lookup::customer(&r, "Initech")
            .expect("Initech")
            .0
    };
    let workspace = match workspace {
        Some(w) => w,
        None => {
            let r = s.reader(false).expect("reader");
            store::read::journeys::workspace_of(&r, &customer)
                .expect("workspace")
                .expect("Initech has one")
        }
    };
    let written = s
        .write(|w| {
            let id = w.create(&Call {
                workspace_id: workspace.clone(),
                user_id: user.clone(),
                customer_id: Some(customer.clone()),
                prospect_name: "Bill".into(),
                outcome: Some(CallOutcome::Won),
                ..Default::default()
            })?;
            Ok((id, w.changes().to_vec()))
        })
        .expect("a call, written under Dana's policies");
    let (id, created) = written.value;
    assert!(
        recompute_check(&url).contains("nothing to recompute"),
        "the call's health was recomputed in its own transaction"
    );

    // another cscx (another connection) edits the call; ours, from the old base, is refused
    let mut other = store::open(Path::new(&url)).expect("a second process");
    let fox = other
        .identify(Some("dana@northwind.test"), None, None)
        .expect("dana again");
    other.set_actor(fox);
    let base: Call = s.write(|w| w.get(&id)).expect("base").value;
    other
        .write(|w| {
            let mut theirs: Call = w.get(&id)?;
            theirs.notes = Some("theirs".into());
            w.update_unless_changed(&id, &base, &theirs)
        })
        .expect("their edit");
    let mut mine = base.clone();
    mine.notes = Some("mine".into());
    let lost = s.write(|w| w.update_unless_changed(&id, &base, &mine));
    assert!(
        matches!(lost, Err(StoreError::Conflict { .. })),
        "no lost update across processes: {lost:?}"
    );

    s.write(|w| store::undo::revert(w, &created))
        .expect_err("undo refuses: the call was edited since");
    assert!(recompute_check(&url).contains("nothing to recompute"));
}
