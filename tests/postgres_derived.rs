//! The customer row's derived columns on PostgreSQL (renewal date, open approvals, the CSM's
//! sort name): after loading the demo's export they equal SQLite's, and edits keep them —
//! also an edit by a CSM, whose policy does not let them write the customer row the count
//! lives on. Runs against a throwaway cluster (tests/pg_support); skips without PostgreSQL
//! outside CI.

mod common;
mod pg_support;

use std::collections::BTreeMap;

use pg_support::Cluster;

const DB: &str = "derived";

/// id → (renewal_date, open_approvals, csm_sort), as text.
type Derived = BTreeMap<String, (String, String, String)>;

fn from_pg(cluster: &Cluster) -> Derived {
    cluster
        .sql(
            DB,
            "\\pset format unaligned\n\\pset tuples_only on\n\
             SELECT id, coalesce(renewal_date::text, ''), open_approvals, coalesce(csm_sort, '') \
             FROM customers ORDER BY id;\n",
        )
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            (f.len() == 4).then(|| (f[0].to_owned(), (f[1].into(), f[2].into(), f[3].into())))
        })
        .collect()
}

fn from_sqlite(db: &std::path::Path) -> Derived {
    let conn = common::sql_at(db);
    let mut stmt = conn
        .prepare(
            "SELECT id, ifnull(renewal_date, ''), open_approvals, ifnull(csm_sort, '') \
             FROM customers ORDER BY id",
        )
        .expect("prepare");
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?.to_string(),
                r.get::<_, String>(3)?,
            ),
        ))
    })
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

/// One statement as the app acting for `user` (cscx_app + SET LOCAL), under the policies.
fn as_user(cluster: &Cluster, user: &str, sql: &str) -> String {
    let out = cluster
        .psql(DB)
        .args([
            "-U",
            "app",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            &format!("BEGIN; SET LOCAL cscx.user_id = '{user}'; {sql}; COMMIT"),
        ])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn one(cluster: &Cluster, sql: &str) -> String {
    cluster
        .sql(
            DB,
            &format!("\\pset format unaligned\n\\pset tuples_only on\n{sql};\n"),
        )
        .trim()
        .to_owned()
}

#[test]
fn derived_columns_are_kept_on_postgres_as_on_sqlite() {
    let Some(cluster) = Cluster::start("postgres_derived") else {
        return;
    };
    let work = cluster.scratch("work");
    let db = work.join("demo.db");
    let db_arg = db.to_string_lossy().into_owned();
    common::cscx_ok(&["--db", &db_arg, "demo", "--no-open"]);
    let csv = work.join("csv");
    common::cscx_ok(&[
        "--db",
        &db_arg,
        "export",
        "--format",
        "csv",
        "--keep-formulas",
        "--out",
        &csv.to_string_lossy(),
    ]);
    cluster.create_database(DB);
    let ddl = common::cscx_ok(&["schema", "--postgres"]);
    cluster.sql(DB, &String::from_utf8_lossy(&ddl.stdout));
    let load = common::cscx_ok(&[
        "schema",
        "--postgres",
        "--copy-from",
        &csv.to_string_lossy(),
    ]);
    cluster.sql(DB, &String::from_utf8_lossy(&load.stdout));

    // (a) loaded: the same derived values as SQLite's, customer by customer
    let sqlite = from_sqlite(&db);
    assert!(
        sqlite.values().any(|(_, n, _)| n != "0"),
        "the demo has open approvals"
    );
    assert!(
        sqlite.values().any(|(r, _, _)| !r.is_empty()),
        "and renewal dates"
    );
    assert_eq!(from_pg(&cluster), sqlite);

    // (b) Dana (a CSM) adds a pending approval to a session of her customer: the count on
    // the customer row moves, though her policy gives her no UPDATE of that row's counts
    cluster.sql(DB, "CREATE ROLE app LOGIN IN ROLE cscx_app;\n");
    let dana = one(
        &cluster,
        "SELECT id FROM users WHERE email = 'dana@northwind.test'",
    );
    let (customer, session) = {
        let row = one(
            &cluster,
            &format!(
                "SELECT c.id || '|' || s.id FROM customers c JOIN agent_sessions s ON s.customer_id = c.id \
                 WHERE c.csm_id = '{dana}' ORDER BY c.name, s.id LIMIT 1"
            ),
        );
        let (c, s) = row.split_once('|').expect("a session of Dana's customer");
        (c.to_owned(), s.to_owned())
    };
    let before: i64 = one(
        &cluster,
        &format!("SELECT open_approvals FROM customers WHERE id = '{customer}'"),
    )
    .parse()
    .expect("a count");
    as_user(
        &cluster,
        &dana,
        &format!(
            "INSERT INTO approvals (session_id, agent_id, action) VALUES ('{session}', 'renewal-agent', 'send the quote')"
        ),
    );
    let after: i64 = one(
        &cluster,
        &format!("SELECT open_approvals FROM customers WHERE id = '{customer}'"),
    )
    .parse()
    .expect("a count");
    assert_eq!(after, before + 1);
    // deciding it takes it off again
    as_user(
        &cluster,
        &dana,
        &format!(
            "UPDATE approvals SET status = 'approved', resolved_by = '{dana}', resolved_at = now() \
             WHERE session_id = '{session}' AND action = 'send the quote'"
        ),
    );
    let decided: i64 = one(
        &cluster,
        &format!("SELECT open_approvals FROM customers WHERE id = '{customer}'"),
    )
    .parse()
    .expect("a count");
    assert_eq!(decided, before);

    // (c) a contract's end moves the renewal date to the earliest active end
    cluster.sql(
        DB,
        &format!(
            "INSERT INTO contracts (customer_id, end_date, status) VALUES ('{customer}', '2026-12-24', 'active');\n\
             INSERT INTO contracts (customer_id, end_date, status) VALUES ('{customer}', '2026-12-20', 'draft');\n"
        ),
    );
    assert_eq!(
        one(
            &cluster,
            &format!("SELECT renewal_date FROM customers WHERE id = '{customer}'")
        ),
        "2026-12-24",
        "the earliest active contract's end (a draft does not count)"
    );
    cluster.sql(
        DB,
        &format!(
            "DELETE FROM contracts WHERE customer_id = '{customer}' AND end_date = '2026-12-24';\n"
        ),
    );
    let renewal = one(
        &cluster,
        &format!("SELECT coalesce(renewal_date::text, '') FROM customers WHERE id = '{customer}'"),
    );
    assert_eq!(renewal, sqlite[&customer].0, "back to what it was");

    // (d) the CSM renamed: the sort name of each of her customers follows; a new CSM too
    cluster.sql(
        DB,
        &format!("UPDATE users SET name = 'Dana Zed' WHERE id = '{dana}';\n"),
    );
    let sorts = one(
        &cluster,
        &format!(
            "SELECT string_agg(DISTINCT csm_sort, ',') FROM customers WHERE csm_id = '{dana}'"
        ),
    );
    assert_eq!(sorts, "dana zed");

    // (f) every change notifies the tables it touched, by name only, at commit: what a
    // dashboard LISTENs for (a contract's insert touches customers too, by its trigger)
    let heard = cluster.sql(
        DB,
        &format!(
            "LISTEN cscx;\n\
             INSERT INTO contracts (customer_id, end_date, status) VALUES ('{customer}', '2027-01-15', 'active');\n\
             SELECT 1;\n"
        ),
    );
    for table in ["contracts", "customers"] {
        assert!(
            heard.contains(&format!(
                "Asynchronous notification \"cscx\" with payload \"{table}\""
            )),
            "{table}: {heard}"
        );
    }
    assert!(
        !heard.contains("payload \"calls\""),
        "only the tables touched: {heard}"
    );

    // (e) a session deleted takes its pending approvals off its customer's count
    let pending_in_session: i64 = one(
        &cluster,
        &format!(
            "SELECT count(*) FROM approvals WHERE session_id = '{session}' AND status = 'pending'"
        ),
    )
    .parse()
    .expect("a count");
    cluster.sql(
        DB,
        &format!("DELETE FROM agent_sessions WHERE id = '{session}';\n"),
    );
    let gone: i64 = one(
        &cluster,
        &format!("SELECT open_approvals FROM customers WHERE id = '{customer}'"),
    )
    .parse()
    .expect("a count");
    assert_eq!(gone, before - pending_in_session);
}
