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
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
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
