//! What other systems write, imported through the real binary: line numbers of CRLF and
//! CR-only files, a pipe as input, an empty NDJSON, uppercase UUIDs, the seeds' free text
//! read as a member of cscx's sets (and said so), another system's daily health scores kept,
//! a company's map naming another company's partner, seed-shaped exports. The PostgreSQL
//! round trip itself is `tests/postgres_import.rs`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use rusqlite::Connection;

fn cscx(db: &Path, args: &[&str]) -> Output {
    Command::new(common::cscx_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run cscx")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn query<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// A database with one workspace, one user and one customer, by fixed ids.
fn base(dir: &Path) -> common::TempDb {
    let db = common::temp_db();
    let folder = dir.join("base");
    std::fs::create_dir_all(&folder).unwrap();
    write(
        &folder,
        "workspaces.csv",
        "id,name\n0196b000-0000-7000-8000-000000000001,Acme CS\n",
    );
    write(
        &folder,
        "users.csv",
        "id,email,name\n0196b000-0000-7000-8000-0000000000a1,dana@acme.test,Dana Scully\n",
    );
    write(
        &folder,
        "customers.csv",
        "id,name\n0196b000-0000-7000-8000-0000000000c1,Initech\n",
    );
    let o = cscx(&db.path, &["import", folder.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    db
}

#[test]
fn line_numbers_are_right_for_lf_crlf_and_cr_only_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = base(dir.path());
    let before = common::dump_but_runs(&db.path);
    for (name, end) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let body = [
            "customer_id,user_id,prospect_name,call_type,status",
            "Initech,dana@acme.test,Bill,inbound,completed",
            "Initech,dana@acme.test,\"Two",
            "lines\",sideways,completed",
        ]
        .join(end)
            + end;
        let f = write(dir.path(), &format!("{name}.csv"), &body);
        let o = cscx(
            &db.path,
            &["import", f.to_str().unwrap(), "--table", "calls"],
        );
        assert_eq!(o.status.code(), Some(1), "{name}: {}", text(&o));
        assert!(
            text(&o).contains(&format!("{name}.csv:3:call_type: must be one of")),
            "{name}: the record starts on line 3: {}",
            text(&o)
        );
    }
    assert_eq!(
        common::dump_but_runs(&db.path),
        before,
        "nothing was written"
    );
}

#[test]
fn a_pipe_is_read_once_and_an_empty_ndjson_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = base(dir.path());
    let mut child = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(&db.path)
        .args([
            "import",
            "/dev/stdin",
            "--format",
            "csv",
            "--table",
            "loss_reasons",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"name,description\nBudget,No budget\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        query::<i64>(&db.path, "SELECT count(*) FROM loss_reasons"),
        1
    );

    let before = common::dump_but_runs(&db.path);
    let empty = write(dir.path(), "loss_reasons.ndjson", "");
    let o = cscx(&db.path, &["import", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("loss_reasons.ndjson:1: the file is empty"),
        "{}",
        text(&o)
    );
    assert_eq!(common::dump_but_runs(&db.path), before);
}

#[test]
fn a_named_fifo_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = base(dir.path());
    let fifo = dir.path().join("loss_reasons.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::fs::write(
                &fifo,
                "name,description\nBudget,No budget\nTiming,Not now\n",
            )
            .unwrap()
        })
    };
    let o = cscx(&db.path, &["import", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        query::<i64>(&db.path, "SELECT count(*) FROM loss_reasons"),
        2
    );
}

#[test]
fn uppercase_uuids_find_lowercase_ids_and_ids_must_be_uuids() {
    let dir = tempfile::tempdir().unwrap();
    let db = base(dir.path());
    let f = write(
        dir.path(),
        "stakeholders.csv",
        "id,customer_id,name\n\
         0196B000-0000-7000-8000-0000000000E1,0196B000-0000-7000-8000-0000000000C1,Bill\n",
    );
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let (id, customer): (String, String) = Connection::open(&db.path)
        .unwrap()
        .query_row("SELECT id, customer_id FROM stakeholders", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(id, "0196b000-0000-7000-8000-0000000000e1");
    assert_eq!(customer, "0196b000-0000-7000-8000-0000000000c1");

    let before = common::dump_but_runs(&db.path);
    let f = write(
        dir.path(),
        "bad_ids.csv",
        "id,customer_id,name\nrow-7,Initech,Ann\n",
    );
    let o = cscx(
        &db.path,
        &["import", f.to_str().unwrap(), "--table", "stakeholders"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("bad_ids.csv:2:id: is not a UUID (\"row-7\")"),
        "{}",
        text(&o)
    );
    assert_eq!(common::dump_but_runs(&db.path), before);
}

#[test]
fn the_seeds_free_text_is_read_as_a_member_of_the_set_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = base(dir.path());
    let f = write(
        dir.path(),
        "meetings.csv",
        "customer_id,title,status\nInitech,Kickoff,canceled\nInitech,Review,Canceled\n\
         Initech,Demo,completed\n",
    );
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("meetings.status 'canceled' -> 'cancelled'  (1 row)")
            && text(&o).contains("meetings.status 'Canceled' -> 'cancelled'  (1 row)"),
        "the summary says what was mapped: {}",
        text(&o)
    );
    assert_eq!(
        query::<i64>(
            &db.path,
            "SELECT count(*) FROM meetings WHERE status = 'cancelled'"
        ),
        2
    );
    // a word that is no member and no synonym is still an error
    let before = common::dump_but_runs(&db.path);
    let f = write(
        dir.path(),
        "m2.csv",
        "customer_id,title,status\nInitech,X,postponed\n",
    );
    let o = cscx(
        &db.path,
        &["import", f.to_str().unwrap(), "--table", "meetings"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(common::dump_but_runs(&db.path), before);
}

#[test]
fn another_systems_daily_health_score_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = base(dir.path());
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let f = write(
        dir.path(),
        "workspan_core.partner_scores.csv",
        &format!(
            "partner_id,score_dt,score_type,company_id,score_value\n\
             0196b000-0000-7000-8000-0000000000c1,{today},health,Acme CS,12.5\n"
        ),
    );
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let kept: f64 = query(
        &db.path,
        "SELECT score_value FROM customer_scores WHERE score_type = 'health'",
    );
    assert_eq!(kept, 12.5, "the imported score is not replaced by cscx's");
    let o = cscx(&db.path, &["recompute", "--check"]);
    assert!(o.status.success(), "no drift: {}", text(&o));
    let o = cscx(&db.path, &["recompute"]);
    assert!(o.status.success(), "{}", text(&o));
    let kept: f64 = query(
        &db.path,
        "SELECT score_value FROM customer_scores WHERE score_type = 'health'",
    );
    assert_eq!(kept, 12.5, "nor by a recompute");
}

#[test]
fn a_company_may_map_another_companys_partner() {
    let dir = tempfile::tempdir().unwrap();
    let db = base(dir.path());
    let f = write(
        dir.path(),
        "workspaces.csv",
        "id,name\n0196b000-0000-7000-8000-000000000002,Globex\n",
    );
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let f = write(
        dir.path(),
        "workspan_core.company_partner_map.csv",
        "company_id,partner_id,company_partner_key\nGlobex,Initech,GLX-0042\n",
    );
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let key: String = query(
        &db.path,
        "SELECT workspace_customer_key FROM workspace_customer_map
         WHERE workspace_id = '0196b000-0000-7000-8000-000000000002'
           AND customer_id = '0196b000-0000-7000-8000-0000000000c1'",
    );
    assert_eq!(key, "GLX-0042");
}

#[test]
fn an_etl_audit_row_is_inbound_and_nothing_more_is_made_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = base(dir.path());
    let f = write(
        dir.path(),
        "workspan_core.etl_audit.csv",
        "run_id\n0196b000-0000-7000-8000-0000000000f1\n",
    );
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let row: (String, Option<String>, Option<String>) = Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT direction, status, run_ts FROM etl_runs
             WHERE id = '0196b000-0000-7000-8000-0000000000f1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(row, ("inbound".to_owned(), None, None));
}
