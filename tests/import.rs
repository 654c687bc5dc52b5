//! `cscx import` end to end, through the real binary: every format, seed-named files,
//! references by natural key, dependency order, conflicts, dry runs, reject files, KPI
//! workbooks, and a corpus of bad files (tests/fixtures/import/bad/) each of which must be
//! reported as FILE:LINE[:COLUMN] and leave the database byte-for-byte as it was.

mod common;

use common::{cscx_db as cscx, stderr_of as stderr, stdout_of as stdout};

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn text(db: &Path, sql: &str) -> Option<String> {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// A database holding tests/fixtures/import/base (one workspace, two users, customers).
fn base_db() -> common::TempDb {
    let db = common::temp_db();
    let o = cscx(
        &db.path,
        &["import", fixtures().join("base").to_str().unwrap()],
    );
    assert!(o.status.success(), "base import: {}", stderr(&o));
    db
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn sample_data_loads_into_a_fresh_database_and_fills_every_table() {
    let db = common::temp_db();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let o = cscx(&db.path, &["import", sample.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("total"),
        "summary table: {}",
        stdout(&o)
    );
    let conn = Connection::open(&db.path).unwrap();
    let store = cscx::store::open(&db.path).unwrap();
    let mut empty = Vec::new();
    for t in store.catalog().tables() {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM \"{}\"", t.name), [], |r| {
                r.get(0)
            })
            .unwrap();
        if n == 0 {
            empty.push(t.name.clone());
        }
    }
    assert_eq!(store.catalog().len(), 56);
    assert!(empty.is_empty(), "tables without rows: {empty:?}");
    // derived columns are computed, not taken from files
    let drift = cscx::store::bulk::derived_drift(&common::sql(&store).into()).unwrap();
    assert!(drift.is_empty(), "{drift:?}");
    // one summary entry for the import, not one per row
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM activity_log WHERE action = 'import'"
        ),
        1
    );
}

#[test]
fn every_format_loads() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "loss_reasons.tsv",
        "name\tdescription\nTiming\t\"Not now, maybe Q3\"\n",
    );
    write(
        dir.path(),
        "products.json",
        r#"[{"product_name": "Gateway", "segment": "SMB"}, {"product_name": "Cloud"}]"#,
    );
    write(
        dir.path(),
        "deals.ndjson",
        "{\"customer_id\": \"Initech\", \"name\": \"Upsell\", \"amount_cents\": 1200.5, \"is_actionable\": true}\n\n{\"customer_id\": \"CRM-7\", \"name\": \"Renewal\", \"stage\": \"Closed Won\"}\n",
    );
    // a workbook of stakeholders, with a real date cell
    let xlsx = dir.path().join("stakeholders.xlsx");
    {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (i, h) in [
            "customer_id",
            "first_name",
            "last_name",
            "is_primary",
            "created_at",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, i as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "Initech").unwrap();
        sheet.write_string(1, 1, "Peter").unwrap();
        sheet.write_string(1, 2, "Gibbons").unwrap();
        sheet.write_boolean(1, 3, true).unwrap();
        let date = ExcelDateTime::from_ymd(2026, 3, 14).unwrap();
        sheet
            .write_datetime_with_format(1, 4, &date, &Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
        book.save(&xlsx).unwrap();
    }
    let o = cscx(&db.path, &["import", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "no progress bar on a pipe");
    assert_eq!(
        text(
            &db.path,
            "SELECT description FROM loss_reasons WHERE name = 'Timing'"
        )
        .as_deref(),
        Some("Not now, maybe Q3")
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM products"), 2);
    assert_eq!(
        count(
            &db.path,
            "SELECT amount_cents FROM deals WHERE name = 'Upsell'"
        ),
        120_050,
        "money in dollars"
    );
    assert_eq!(
        text(&db.path, "SELECT stage FROM deals WHERE name = 'Renewal'").as_deref(),
        Some("closed_won")
    );
    assert_eq!(
        text(
            &db.path,
            "SELECT name || '|' || is_primary || '|' || created_at FROM stakeholders"
        )
        .as_deref(),
        Some("Peter Gibbons|1|2026-03-14T00:00:00Z"),
        "name built from first and last name; spreadsheet date"
    );
    // the deal's workspace comes from its customer
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM deals WHERE workspace_id = '0196b000-0000-7000-8000-000000000001'"
        ),
        2
    );
}

#[test]
fn files_named_after_seed_tables_route_through_the_seed_map() {
    let db = common::temp_db();
    let dir = tempfile::tempdir().unwrap();
    // 004 clients are workspaces; 004 users carry a membership (client_id, role)
    write(
        dir.path(),
        "clients.csv",
        "name,email,is_active\nNorthwind,cs@nw.test,true\n",
    );
    write(
        dir.path(),
        "users.csv",
        "email,name,role,client_id\nhank@nw.test,Hank Scorpio,ceo,Northwind\n",
    );
    // 002 accounts are customers (revenue in dollars is the ARR)
    write(
        dir.path(),
        "accounts.csv",
        "account_name,customer_id,revenue,account_status\nAcme,Northwind,\"$1,500.25\",churned\n",
    );
    // 000 partners: both seeds route these columns the same way
    write(
        dir.path(),
        "partners.csv",
        "partner_id,partner_name,workspace_id\n0196b000-0000-7000-8000-0000000000f1,Hooli,Northwind\n",
    );
    write(
        dir.path(),
        "workspan_core.deals.json",
        r#"[{"deal_id": "0196b000-0000-7000-8000-0000000000f2", "company_id": "Northwind",
             "partner_id": "Hooli", "amount_usd": 99.99, "stage": "proposal"}]"#,
    );
    // 004 calls, with our customer_id added
    write(
        dir.path(),
        "calls.csv",
        "client_id,user_id,customer_id,prospect_name,call_type,status\nNorthwind,hank@nw.test,Acme,Wile,outbound,completed\n",
    );
    let o = cscx(&db.path, &["import", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        text(
            &db.path,
            "SELECT m.role FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE u.email = 'hank@nw.test'"
        )
        .as_deref(),
        Some("ceo")
    );
    assert_eq!(
        text(
            &db.path,
            "SELECT arr_cents || status FROM customers WHERE name = 'Acme'"
        )
        .as_deref(),
        Some("150025churned")
    );
    assert_eq!(count(&db.path, "SELECT amount_cents FROM deals"), 9_999);
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM calls c JOIN customers k ON k.id = c.customer_id WHERE k.name = 'Acme'"
        ),
        1
    );
}

#[test]
fn references_resolve_by_natural_key_including_rows_of_the_same_import() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "loss_reasons.csv", "name\nCompetitor\n");
    write(
        dir.path(),
        "calls.csv",
        "prospect_name,call_type,status,outcome,user_id,customer_id,loss_reason_id\n\
         A,outbound,completed,lost,FOX@acme.test,initech,competitor\n\
         B,outbound,completed,won,dana@acme.test,CRM-7,\n\
         C,inbound,completed,lost,0196b000-0000-7000-8000-0000000000c1,Initech,Budget\n",
    );
    // user_id given as an id is wrong here on purpose: it is a customer id
    let o = cscx(&db.path, &["import", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("calls.csv:4:user_id: no row of users has this id or email"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        dir.path().join("calls.csv"),
        "prospect_name,call_type,status,outcome,user_id,customer_id,loss_reason_id\n\
         A,outbound,completed,lost,FOX@acme.test,initech,competitor\n\
         B,outbound,completed,won,dana@acme.test,CRM-7,\n",
    )
    .unwrap();
    let o = cscx(&db.path, &["import", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM calls c JOIN users u ON u.id = c.user_id
             JOIN loss_reasons l ON l.id = c.loss_reason_id
             WHERE u.email = 'fox@acme.test' AND l.name = 'Competitor'
               AND c.customer_id = '0196b000-0000-7000-8000-0000000000c1'"
        ),
        1
    );
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM calls WHERE customer_id = '0196b000-0000-7000-8000-0000000000c1'"
        ),
        2,
        "by CRM id too"
    );
}

#[test]
fn a_folder_loads_in_dependency_order_whatever_the_names() {
    let db = common::temp_db();
    let dir = tempfile::tempdir().unwrap();
    // alphabetical order would load calls first
    write(
        dir.path(),
        "calls.csv",
        "prospect_name,call_type,status,user_id,customer_id\nAda,inbound,completed,a@x.test,Zeta\n",
    );
    write(dir.path(), "customers.csv", "name\nZeta\n");
    write(dir.path(), "users.csv", "email,name\na@x.test,A\n");
    write(dir.path(), "workspaces.csv", "name\nOnly one\n");
    let o = cscx(&db.path, &["import", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&db.path, "SELECT count(*) FROM calls"), 1);
    // the only workspace is every row's tenant
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM customers c JOIN workspaces w ON w.id = c.workspace_id"
        ),
        1
    );
}

#[test]
fn a_missing_tenant_is_an_error_when_several_workspaces_exist() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "workspaces.csv", "name\nOther CS\n");
    write(dir.path(), "loss_reasons.csv", "name\nTiming\n");
    let before = common::dump_but_runs(&db.path);
    let o = cscx(&db.path, &["import", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "loss_reasons.csv:2:workspace_id: is missing and several workspaces exist (Acme CS, Other CS)"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, common::dump_but_runs(&db.path));
    // --workspace chooses
    let o = cscx(
        &db.path,
        &[
            "--workspace",
            "Acme CS",
            "import",
            dir.path().join("loss_reasons.csv").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn on_conflict_abort_skip_replace() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "customers.csv",
        "id,name,arr_cents\n0196b000-0000-7000-8000-0000000000c1,Initech Renamed,999\n,Brand New,1\n",
    );
    let f = file.to_str().unwrap();
    let before = common::dump_but_runs(&db.path);
    let o = cscx(&db.path, &["import", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("customers.csv:2:id: already exists in the database"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, common::dump_but_runs(&db.path));

    let o = cscx(&db.path, &["import", f, "--on-conflict", "skip"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("customers"), "{}", stdout(&o));
    assert_eq!(
        text(
            &db.path,
            "SELECT name FROM customers WHERE crm_account_id = 'CRM-7'"
        )
        .as_deref(),
        Some("Initech")
    );
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM customers WHERE name = 'Brand New'"
        ),
        1
    );

    std::fs::write(
        &file,
        "id,name,arr_cents\n0196b000-0000-7000-8000-0000000000c1,Initech Renamed,999\n",
    )
    .unwrap();
    let o = cscx(&db.path, &["import", f, "--on-conflict", "replace"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        text(&db.path, "SELECT name || ' ' || arr_cents || ' ' || crm_account_id FROM customers WHERE id = '0196b000-0000-7000-8000-0000000000c1'")
            .as_deref(),
        Some("Initech Renamed 99900 CRM-7"),
        "replace sets the file's columns and keeps the others"
    );
    let summary = stdout(&o);
    let line = summary
        .lines()
        .find(|l| l.starts_with("customers"))
        .unwrap();
    assert_eq!(
        line.split_whitespace().collect::<Vec<_>>(),
        ["customers", "0", "1", "0", "0"]
    );
}

#[test]
fn dry_run_validates_and_writes_nothing() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "loss_reasons.csv", "name\nTiming\nPrice\n");
    let before = common::dump(&db.path);
    let o = cscx(&db.path, &["import", "--dry-run", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("nothing was written"));
    assert_eq!(before, common::dump(&db.path));
    // and finds the problems a real run would
    std::fs::write(&f, "name,is_active\nTiming,maybe\n").unwrap();
    let o = cscx(&db.path, &["import", "--dry-run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("loss_reasons.csv:2:is_active"),
        "{}",
        stderr(&o)
    );
}

/// The walkthrough's file: one good call and one lost call with no loss reason.
const ONE_GOOD_ONE_LOST_CALL: &str = "prospect_name,call_type,status,outcome,user_id\n\
     Good,outbound,completed,won,dana@acme.test\n\
     Bad,outbound,completed,lost,dana@acme.test\n";

#[test]
fn a_failed_import_claims_no_inserts() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "calls.csv", ONE_GOOD_ONE_LOST_CALL);
    let before = common::dump_but_runs(&db.path);
    for dry_run in [false, true] {
        let mut args = vec!["import", f.to_str().unwrap()];
        if dry_run {
            args.push("--dry-run");
        }
        let o = cscx(&db.path, &args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("calls.csv:3:loss_reason_id: is required when the outcome is lost"),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("nothing was written"), "{}", stderr(&o));
        // no table of counts: it said "calls 1 inserted" while nothing was
        assert_eq!(stdout(&o), "", "dry run {dry_run}");
    }
    assert_eq!(before, common::dump_but_runs(&db.path));
}

#[test]
fn a_dry_run_with_a_reject_file_says_which_rows_would_be_rejected() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "calls.csv", ONE_GOOD_ONE_LOST_CALL);
    let rejects = dir.path().join("rejects.csv");
    let before = common::dump(&db.path);
    let o = cscx(
        &db.path,
        &[
            "import",
            "--dry-run",
            f.to_str().unwrap(),
            "--reject-file",
            rejects.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("every row is valid"), "{out}");
    assert!(
        out.contains(&format!(
            "dry run: 1 row would be rejected to {}; the rest are valid; nothing was written",
            rejects.display()
        )),
        "{out}"
    );
    assert!(out.starts_with("dry run: nothing was written"), "{out}");
    // a dry run rolls back and discards the reject file: nothing to "see"
    assert!(!stderr(&o).contains("see "), "{}", stderr(&o));
    assert!(!rejects.exists());
    assert_eq!(before, common::dump(&db.path));
}

#[test]
fn reject_file_takes_bad_rows_aside_and_loads_the_rest() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "calls.csv",
        "prospect_name,call_type,status,user_id\nGood,outbound,completed,dana@acme.test\nBad,sideways,completed,dana@acme.test\nAlso good,inbound,no show,fox@acme.test\nGhost,inbound,completed,ghost@acme.test\n",
    );
    let rejects = dir.path().join("rejects.csv");
    let o = cscx(
        &db.path,
        &[
            "import",
            f.to_str().unwrap(),
            "--reject-file",
            rejects.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 rows rejected"), "{}", stderr(&o));
    assert_eq!(count(&db.path, "SELECT count(*) FROM calls"), 2);
    let mut r = csv::Reader::from_path(&rejects).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][1], "3");
    assert!(
        rows[0][2].contains("call_type: must be one of inbound, outbound"),
        "{:?}",
        rows[0]
    );
    assert!(rows[0][3].contains("\"sideways\""));
    assert_eq!(&rows[1][1], "5");
    assert!(rows[1][2].contains("user_id: no row of users"));
}

#[test]
fn kpi_workbooks_store_the_file_and_update_kpis_by_version() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "kpis.csv",
        "Category,KPI Parameter,Weight,Impact Level,Measurement Frequency,Source Review,2026-01,2026-02\n\
         Adoption & Engagement,Weekly active users,0.5,High,Weekly,Telemetry,61,64.5\n\
         Business Outcomes,Net revenue retention,0.5,Critical,Quarterly,Finance,101,\n",
    );
    let f = f.to_str().unwrap();
    let o = cscx(
        &db.path,
        &[
            "--user",
            "dana@acme.test",
            "import",
            f,
            "--customer",
            "Initech",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&db.path, "SELECT count(*) FROM kpis"), 2);
    assert_eq!(count(&db.path, "SELECT count(*) FROM kpi_time_series"), 3);
    assert_eq!(
        text(
            &db.path,
            "SELECT u.original_filename || ' v' || u.version || ' ' || us.email || ' ' || length(u.raw_excel)
             FROM kpi_uploads u JOIN users us ON us.id = u.user_id"
        )
        .as_deref(),
        Some(format!("kpis.csv v1 dana@acme.test {}", std::fs::metadata(f).unwrap().len()).as_str())
    );
    let parsed = text(&db.path, "SELECT parsed_json FROM kpi_uploads").unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&parsed).unwrap();
    assert_eq!(
        parsed["kpis"][0]["values"]["2026-02"],
        serde_json::json!(64.5)
    );

    // a second upload: version 2, values updated in place, a new month added
    std::fs::write(
        f,
        "Category,KPI Parameter,2026-02,2026-03\nAdoption & Engagement,Weekly active users,66,70\n",
    )
    .unwrap();
    let o = cscx(&db.path, &["import", f, "--customer", "initech"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&db.path, "SELECT max(version) FROM kpi_uploads"), 2);
    assert_eq!(count(&db.path, "SELECT count(*) FROM kpis"), 2);
    assert_eq!(
        count(
            &db.path,
            "SELECT CAST(value AS INTEGER) FROM kpi_time_series WHERE year = 2026 AND month = 2 AND kpi_id = (SELECT id FROM kpis WHERE kpi_parameter = 'Weekly active users')"
        ),
        66
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM kpi_time_series"), 4);
}

#[test]
fn usage_mistakes_exit_2() {
    let db = common::temp_db();
    let dir = tempfile::tempdir().unwrap();
    let o = cscx(
        &db.path,
        &["import", dir.path().join("missing.csv").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let f = write(dir.path(), "notes.txt", "a\n");
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--format"));
    let f = write(dir.path(), "mystery.csv", "a\n1\n");
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no table or seed table is called \"mystery\""));
    let o = cscx(
        &db.path,
        &["import", f.to_str().unwrap(), "--table", "nope"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_utf8_bom_is_fine_and_headers_ignore_case() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("loss_reasons.csv");
    std::fs::write(&f, b"\xEF\xBB\xBFNAME,Description\nTiming,later\n").unwrap();
    let o = cscx(&db.path, &["import", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM loss_reasons WHERE name = 'Timing'"
        ),
        1
    );
    // --ignore-unknown drops unknown columns
    let f = write(
        dir.path(),
        "products.csv",
        "product_name,colour\nThing,red\n",
    );
    let o = cscx(
        &db.path,
        &["import", f.to_str().unwrap(), "--ignore-unknown"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn every_bad_file_names_file_line_column_and_changes_nothing() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus has {} cases", cases.len());
    let db = base_db();
    let before = common::dump_but_runs(&db.path);
    let mut failures = Vec::new();
    for case in &cases {
        let expect = std::fs::read_to_string(case.join("expect.txt")).unwrap();
        let expect = expect.trim();
        let data: Vec<PathBuf> = std::fs::read_dir(case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap() != "expect.txt")
            .collect();
        let mut args = vec!["import".to_string()];
        args.extend(data.iter().map(|p| p.to_str().unwrap().to_owned()));
        if case.ends_with("kpi_bad_value") {
            args.push("--customer".into());
            args.push("Initech".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = cscx(&db.path, &args);
        let err = stderr(&o);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if o.status.code() != Some(1) {
            failures.push(format!("{name}: exit {:?}: {err}", o.status.code()));
        } else if !err.lines().any(|l| l.contains(expect)) {
            failures.push(format!("{name}: expected {expect:?} in:\n{err}"));
        } else if !err
            .lines()
            .any(|l| l.starts_with(&data[0].display().to_string()))
        {
            failures.push(format!(
                "{name}: no message starts with the file's path:\n{err}"
            ));
        }
        if common::dump_but_runs(&db.path) != before {
            failures.push(format!("{name}: the database changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn problems_are_capped_by_max_errors_then_counted() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("prospect_name,call_type,status,user_id\n");
    for i in 0..30 {
        body.push_str(&format!("P{i},sideways,completed,dana@acme.test\n"));
    }
    let f = write(dir.path(), "calls.csv", &body);
    let o = cscx(
        &db.path,
        &["import", f.to_str().unwrap(), "--max-errors", "5"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(
        err.lines().filter(|l| l.contains("calls.csv:")).count(),
        5,
        "{err}"
    );
    assert!(err.contains("and 25 more (30 problems in all"), "{err}");
}

#[test]
fn a_killed_import_leaves_the_database_as_it_was() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    // big enough that the import is still running after it has written a lot
    let path = dir.path().join("calls.csv");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(f, "prospect_name,prospect_email,call_type,status,outcome,user_id,customer_id,notes,call_duration,completed_at").unwrap();
        for i in 0..600_000u32 {
            writeln!(
                f,
                "Prospect {i},p{i}@example.test,{},completed,won,dana@acme.test,Initech,Call number {i} about the renewal and the roadmap,{},2026-10-{:02}T10:00:00Z",
                if i % 2 == 0 { "inbound" } else { "outbound" },
                i % 3600,
                1 + i % 28
            )
            .unwrap();
        }
    }
    let before = common::dump(&db.path);
    let wal = PathBuf::from(format!("{}-wal", db.path.display()));
    let mut child = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(&db.path)
        .args(["import", path.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // wait until it has written (SQLite spills pages of the open transaction to the WAL)
    let start = std::time::Instant::now();
    loop {
        let written = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        if written > 4 * 1024 * 1024 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be killed"
        );
        assert!(start.elapsed().as_secs() < 120, "the import wrote nothing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "still running when killed"
    );
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert_eq!(
        before,
        common::dump(&db.path),
        "a killed import left rows behind"
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM calls"), 0);
}

#[test]
fn a_rejected_record_leaves_none_of_its_rows() {
    // 004 users write a user and a membership per record: a membership that fails after its
    // user was written takes the user with it
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "users.csv",
        "email,name,role,client_id\nok@acme.test,Ok,sales,Acme CS\nbad@acme.test,Bad,sales,Nowhere\n",
    );
    let rejects = dir.path().join("rejects.csv");
    let o = cscx(
        &db.path,
        &[
            "import",
            f.to_str().unwrap(),
            "--reject-file",
            rejects.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM users WHERE email = 'ok@acme.test'"
        ),
        1
    );
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM users WHERE email = 'bad@acme.test'"
        ),
        0
    );
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE u.email = 'ok@acme.test' AND m.role = 'sales'"
        ),
        1
    );
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        text.contains("users.csv:3:client_id: no row of workspaces"),
        "{text}"
    );
}

#[test]
fn durations_load_as_people_write_them_in_each_columns_unit() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let calls = write(
        dir.path(),
        "calls.csv",
        "prospect_name,call_type,status,call_duration,user_id\n\
         Clock,outbound,completed,1:05:00,dana@acme.test\n\
         Units,outbound,completed,45m,dana@acme.test\n\
         Seconds,outbound,completed,300,dana@acme.test\n",
    );
    let o = cscx(&db.path, &["import", calls.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (name, seconds) in [("Clock", 3900), ("Units", 2700), ("Seconds", 300)] {
        assert_eq!(
            count(
                &db.path,
                &format!("SELECT call_duration FROM calls WHERE prospect_name = '{name}'")
            ),
            seconds,
            "{name}"
        );
    }
    let before = common::dump_but_runs(&db.path);
    let bad = write(
        dir.path(),
        "calls.csv",
        "prospect_name,call_type,status,call_duration,user_id\n\
         Later,outbound,completed,soon,dana@acme.test\n",
    );
    let o = cscx(&db.path, &["import", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("calls.csv:2:call_duration: is not a duration (e.g. 45m"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, common::dump_but_runs(&db.path));
}

#[test]
fn calls_without_a_user_are_the_importers_and_without_one_an_error() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let calls = write(
        dir.path(),
        "calls.csv",
        "prospect_name,call_type,status\nNoUser,outbound,completed\n",
    );
    let before = common::dump_but_runs(&db.path);
    let o = cscx(&db.path, &["import", calls.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("calls.csv:2:user_id: is required"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, common::dump_but_runs(&db.path));
    let o = cscx(
        &db.path,
        &[
            "--user",
            "dana@acme.test",
            "import",
            calls.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        text(
            &db.path,
            "SELECT u.email FROM calls c JOIN users u ON u.id = c.user_id
              WHERE c.prospect_name = 'NoUser'"
        )
        .as_deref(),
        Some("dana@acme.test")
    );
}

#[test]
fn an_import_keeps_one_primary_stakeholder_per_customer_the_last_it_loaded() {
    let db = base_db();
    let dir = tempfile::tempdir().unwrap();
    let first = write(
        dir.path(),
        "stakeholders.csv",
        "customer_id,name,is_primary\nInitech,Bill Lumbergh,true\nInitech,Milton Waddams,false\n",
    );
    let o = cscx(&db.path, &["import", first.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // a second file names two more primaries: the last one loaded is the one primary left
    let second = write(
        dir.path(),
        "stakeholders.csv",
        "customer_id,name,is_primary\nInitech,Peter Gibbons,true\nInitech,Joanna,true\n",
    );
    let o = cscx(&db.path, &["import", second.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let conn = Connection::open(&db.path).unwrap();
    let primaries: Vec<String> = conn
        .prepare(
            "SELECT s.name FROM stakeholders s JOIN customers c ON c.id = s.customer_id
             WHERE c.name = 'Initech' AND s.is_primary = 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(primaries, ["Joanna"]);
}
