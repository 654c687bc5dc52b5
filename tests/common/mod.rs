//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rusqlite::Connection;

/// A temporary directory with a database path inside it (dropped with the guard).
pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn temp_db() -> TempDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.db");
    TempDb { dir, path }
}

/// Every row of every table, as text, in a stable order: equal dumps mean equal databases.
pub fn dump(path: &Path) -> String {
    let conn = Connection::open(path).expect("open for dump");
    dump_conn(&conn)
}

pub fn dump_conn(conn: &Connection) -> String {
    dump_tables(conn, &[])
}

/// [`dump`] of every table but `etl_runs`: a failed import leaves the database as it was
/// except for the row that records its failure (docs/import.md, "Runs in etl_runs").
pub fn dump_but_runs(path: &Path) -> String {
    let conn = Connection::open(path).expect("open for dump");
    dump_tables(&conn, &["etl_runs"])
}

fn dump_tables(conn: &Connection, except: &[&str]) -> String {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap()
        .into_iter()
        .filter(|t| !except.contains(&t.as_str()))
        .collect();
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("== {t}\n"));
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push_str(&cells.join("|"));
            out.push('\n');
        }
    }
    out
}

/// The path of the cscx binary cargo built for these tests.
pub fn cscx_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cscx"))
}

use cscx::store::entities::{AgentSession, Approval, Customer, User, Workspace};
use cscx::store::{Store, WriteTx};

/// Ids of a small fixture: one workspace with a user and a customer, and a second workspace.
pub struct Fixture {
    pub workspace: String,
    pub other_workspace: String,
    pub user: String,
    pub customer: String,
    pub other_customer: String,
    pub session: String,
}

pub fn fixture(store: &mut Store) -> Fixture {
    store
        .write(|w: &mut WriteTx| {
            let workspace = w.create(&Workspace {
                name: "Acme CS".into(),
                ..Default::default()
            })?;
            let other_workspace = w.create(&Workspace {
                name: "Globex CS".into(),
                ..Default::default()
            })?;
            let user = w.create(&User {
                email: "dana@acme.test".into(),
                name: "Dana Scully".into(),
                ..Default::default()
            })?;
            // Dana is the admin of Acme CS (and of nothing in Globex CS)
            w.insert_row(
                "workspace_members",
                vec![
                    ("workspace_id".into(), workspace.clone().into()),
                    ("user_id".into(), user.clone().into()),
                    ("role".into(), "admin".to_owned().into()),
                ],
            )?;
            let customer = w.create(&Customer {
                workspace_id: workspace.clone(),
                name: "Initech".into(),
                arr_cents: Some(12_000_000),
                csm_id: Some(user.clone()),
                ..Default::default()
            })?;
            let other_customer = w.create(&Customer {
                workspace_id: other_workspace.clone(),
                name: "Umbrella".into(),
                ..Default::default()
            })?;
            let session = w.create(&AgentSession {
                customer_id: customer.clone(),
                user_id: Some(user.clone()),
                ..Default::default()
            })?;
            let _ = Approval::default();
            Ok(Fixture {
                workspace,
                other_workspace,
                user,
                customer,
                other_customer,
                session,
            })
        })
        .expect("fixture")
        .value
}

/// A plain SQLite connection to `store`'s database file, for a test to check (or arrange)
/// what is stored behind the store's back: the store's own connection is private to it.
/// Foreign keys on and a busy timeout, as the store opens it.
pub fn sql(store: &cscx::store::Store) -> Connection {
    let path = store.path();
    assert!(
        path != Path::new(":memory:"),
        "a test that reads the database with SQL needs a file (common::temp_db), not open_in_memory"
    );
    let conn = Connection::open(path).expect("open the test's database");
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .expect("busy timeout");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("foreign keys");
    conn
}

/// A migrated store on a fresh file, and the guard that removes the file.
pub fn file_store() -> (TempDb, cscx::store::Store) {
    let db = temp_db();
    let store = cscx::store::open(&db.path).expect("store");
    (db, store)
}

/// [`sql`] by path: a write closure's reads of what is committed (the write's own
/// connection is the store's).
pub fn sql_at(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("open the test's database");
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .expect("busy timeout");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("foreign keys");
    conn
}

/// A fresh migrated store on a file under cargo's per-target temporary directory, for
/// tests that used an in-memory store and now check the file with [`sql`] (the store's
/// connection is its own). The files stay under `target/tmp` (a few hundred KB each).
pub fn scratch_store() -> cscx::store::Store {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "scratch-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    cscx::store::open(&dir.join("test.db")).expect("store")
}

/// The sample data (`sample-data/`, as `cscx demo` imports it) in a file, acting as `email`
/// in Northwind CS, on the day the tests are written for (2026-12-04: the import's playbook
/// firings and every health window are as of that day, whatever day the tests run).
pub fn sample_as(email: &str) -> (TempDb, Store) {
    let db = temp_db();
    let mut s = cscx::store::open(&db.path).expect("store");
    s.set_today(chrono::NaiveDate::from_ymd_opt(2026, 12, 4));
    let report = cscx::import::import(
        &mut s,
        &cscx::import::sample::sources(),
        &Default::default(),
    )
    .expect("import");
    assert!(!report.failed, "{}", report.problems_text());
    s.set_actor(northwind_actor(&db.path, email));
    (db, s)
}

/// `email` acting in Northwind CS (the sample's first workspace).
pub fn northwind_actor(db: &Path, email: &str) -> cscx::store::Actor {
    let (user, workspace): (String, String) = sql_at(db)
        .query_row(
            "SELECT u.id, w.id FROM users u, workspaces w WHERE u.email = ?1 AND w.name = 'Northwind CS'",
            [email],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a user");
    cscx::store::Actor {
        user_id: Some(user),
        workspace_id: Some(workspace),
        user_agent: Some("cscx test".into()),
    }
}

/// Runs the cscx binary with `args`; fails the test, with its stderr, unless it succeeds.
pub fn cscx_ok(args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(cscx_bin())
        .args(args)
        .output()
        .expect("run cscx");
    assert!(
        out.status.success(),
        "cscx {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs `cscx --db DB ARGS...` and returns what it did, success or not (the test decides).
pub fn cscx_db(db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(cscx_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run cscx")
}

pub fn stderr_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
