//! The adversarial suite: hostile and careless input against the real binary, every
//! fixture made here (no committed blobs). A refused input exits non-zero, says what is
//! wrong, and leaves the database byte for byte as it was (an import that ran and failed
//! adds only its failed run to etl_runs).

mod common;

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use rusqlite::Connection;

fn cscx() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cscx"));
    c.env_remove("CSCX_DB")
        .env_remove("CSCX_USER")
        .env_remove("CSCX_WORKSPACE")
        .env("XDG_CONFIG_HOME", "/nonexistent-cscx-config")
        .stdin(Stdio::null());
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    cscx()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run cscx")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The demo database, built once and copied into each test's folder.
fn demo_template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let o = run(&path, &["demo", "--force", "--no-open"]);
        assert!(o.status.success(), "{}", stderr(&o));
        (dir, path)
    });
    path
}

/// A folder with a copy of the demo database in it.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    std::fs::copy(demo_template(), &path).unwrap();
    (dir, path)
}

/// The database's bytes: the file, and its WAL if one is left.
fn bytes(db: &Path) -> Vec<u8> {
    let mut b = std::fs::read(db).unwrap();
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    b.extend(std::fs::read(wal).unwrap_or_default());
    b
}

/// Failed runs in etl_runs; None for a file without the table (not a cscx database, or a
/// schema cscx does not write).
fn failed_runs(db: &Path) -> Option<i64> {
    // read-only: never creates the file a test expects not to exist
    Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ok()?
        .query_row(
            "SELECT count(*) FROM etl_runs WHERE status = 'failed'",
            [],
            |r| r.get(0),
        )
        .ok()
}

/// Runs `args`, expects a refusal with `code` and `message`, and the database unchanged:
/// byte for byte, or — an import that ran and failed — but for the one row that records
/// its failed run in etl_runs (docs/import.md, "Runs in etl_runs").
fn refused(db: &Path, args: &[&str], code: i32, message: &str) -> String {
    // read before the bytes: closing a connection may checkpoint the WAL
    let runs = failed_runs(db);
    let dump = runs.map(|_| common::dump_but_runs(db));
    let before = bytes(db);
    let o = run(db, args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(
        err.contains(message),
        "{args:?}: expected {message:?} in {err}"
    );
    let unchanged = bytes(db) == before;
    if !unchanged {
        let recorded = args.contains(&"import") && failed_runs(db) == runs.map(|n| n + 1);
        assert!(recorded, "{args:?} changed the database");
        assert!(
            dump == Some(common::dump_but_runs(db)),
            "{args:?} changed more than etl_runs"
        );
    }
    err
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

const BAD_CALL: &str = "customer_id,call_type\nAcme Corp,zzz\n";

// 1. Output targets

#[test]
fn a_reject_file_that_is_the_database_an_input_or_a_link_is_refused() {
    let (dir, db) = demo();
    let calls = write(dir.path(), "calls.csv", BAD_CALL);
    let wal = format!("{}-wal", db.display());
    refused(
        &db,
        &["import", s(&calls), "--reject-file", s(&db)],
        2,
        "is the database",
    );
    refused(
        &db,
        &["import", s(&calls), "--reject-file", &wal],
        2,
        "a file of the database",
    );
    let dotted = dir.path().join(".").join("book.db");
    refused(
        &db,
        &["import", s(&calls), "--reject-file", s(&dotted)],
        2,
        "is the database",
    );
    refused(
        &db,
        &["import", s(&calls), "--reject-file", s(&calls), "--force"],
        2,
        "this import reads",
    );
    assert_eq!(std::fs::read_to_string(&calls).unwrap(), BAD_CALL);
    let link = dir.path().join("rejects.csv");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    refused(
        &db,
        &["import", s(&calls), "--reject-file", s(&link), "--force"],
        2,
        "symbolic link",
    );
    let old = write(dir.path(), "old.csv", "keep me");
    refused(
        &db,
        &["import", s(&calls), "--reject-file", s(&old)],
        2,
        "pass --force",
    );
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "keep me");
}

#[test]
fn reject_files_are_private_and_replaced_only_with_force() {
    let (dir, db) = demo();
    let calls = write(dir.path(), "calls.csv", BAD_CALL);
    let rejects = write(dir.path(), "rejects.csv", "old");
    std::fs::set_permissions(&rejects, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = run(
        &db,
        &[
            "--user",
            "walter@northwind.test",
            "import",
            s(&calls),
            "--reject-file",
            s(&rejects),
            "--force",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&rejects), 0o600);
    assert!(std::fs::read_to_string(&rejects).unwrap().contains("zzz"));
}

#[test]
fn export_never_overwrites_without_force_and_writes_private_files() {
    let (dir, db) = demo();
    let out = dir.path().join("out");
    let o = run(&db, &["export", "--table", "customers", "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = out.join("customers.csv");
    assert_eq!(mode(&file), 0o600);
    let first = std::fs::read(&file).unwrap();
    refused(
        &db,
        &["export", "--table", "customers", "--out", s(&out)],
        2,
        "already exists",
    );
    assert_eq!(std::fs::read(&file).unwrap(), first);
    let o = run(
        &db,
        &[
            "export",
            "--table",
            "customers",
            "--out",
            s(&out),
            "--force",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // a link planted where a file will go is never followed
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&db, &file).unwrap();
    refused(
        &db,
        &[
            "export",
            "--table",
            "customers",
            "--out",
            s(&out),
            "--force",
        ],
        2,
        "symbolic link",
    );
    // the database's own folder, with a table named like it, is no way around it either
    let o = run(&db, &["export", "--table", "calls", "--out", s(dir.path())]);
    assert!(o.status.success(), "{}", stderr(&o));
}

// 2. Readers never wait for a writer; a second writer waits, visibly and up to a bound

/// Holds the write lock of `db` (as a long import does) while `f` runs.
fn while_locked<T>(db: &Path, f: impl FnOnce() -> T) -> T {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = f();
    conn.execute_batch("ROLLBACK").unwrap();
    out
}

#[test]
fn readers_do_not_wait_for_a_writer() {
    let (dir, db) = demo();
    let out = dir.path().join("out");
    while_locked(&db, || {
        for args in [
            vec!["explain", "Acme"],
            vec!["explain", "Acme", "--json"],
            vec!["recompute", "--check"],
            vec!["export", "--table", "calls", "--out", s(&out)],
        ] {
            let started = std::time::Instant::now();
            let o = run(&db, &args);
            assert!(
                o.status.success(),
                "{args:?} while an import writes: {}",
                stderr(&o)
            );
            // busy_timeout is 5 s: a reader that waited for the lock would have taken it
            assert!(started.elapsed().as_secs() < 5, "{args:?} waited");
        }
    });
}

#[test]
fn a_second_writer_says_whom_it_waits_for_and_gives_up_at_the_bound() {
    let (_dir, db) = demo();
    let lock = format!("{}-lock", db.display());
    let before = bytes(&db);
    let o = while_locked(&db, || {
        // as a cscx import holding the lock records itself (the test process stands in)
        std::fs::write(
            &lock,
            format!("import since 10:02\t{}\n", std::process::id()),
        )
        .unwrap();
        cscx()
            .arg("--db")
            .arg(&db)
            .args(["recompute"])
            .env("CSCX_WAIT_SECS", "2")
            .output()
            .unwrap()
    });
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("waiting for another cscx (import since 10:02)"),
        "{err}"
    );
    assert!(err.contains("up to 2 s"), "{err}");
    assert!(
        err.contains("still being written by another cscx (import since 10:02)"),
        "{err}"
    );
    assert!(bytes(&db) == before);
}

#[test]
fn a_waiting_writer_goes_on_when_the_lock_is_released() {
    let (_dir, db) = demo();
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let child = cscx()
        .arg("--db")
        .arg(&db)
        .arg("recompute")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    conn.execute_batch("ROLLBACK").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("waiting for another process"),
        "{}",
        stderr(&o)
    );
}

// 3. A database another cscx has open is not replaced under it

#[test]
fn a_database_open_elsewhere_is_not_replaced() {
    let (_dir, db) = demo();
    // the test process has it open, as a dashboard would
    let mut open = cscx::store::open(&db).unwrap();
    for args in [
        vec!["demo", "--force", "--no-open"],
        vec!["generate", "--customers", "3", "--force"],
    ] {
        refused(&db, &args, 2, "is open in another cscx");
    }
    // the open store's writes still land in the file everyone opens
    let first: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT id FROM calls WHERE rowid = (SELECT min(rowid) FROM calls)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    open.write(|w| w.delete_row("calls", &cscx::store::write::id_key(&first)))
        .unwrap();
    let n = |p: &Path| -> i64 {
        Connection::open(p)
            .unwrap()
            .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
            .unwrap()
    };
    let template_calls = n(demo_template());
    assert_eq!(n(&db), template_calls - 1);
    drop(open);
    let o = run(&db, &["demo", "--force", "--no-open"]);
    assert!(o.status.success(), "closed, it is replaced: {}", stderr(&o));
}

// 4. Nothing from the data or the file system reaches the terminal raw

const HOSTILE: &str = "Evil\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}fdp.exe";

fn assert_inert(what: &str, text: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!text.contains(bad), "{what} printed {bad:?} raw: {text:?}");
    }
}

#[test]
fn names_with_escape_sequences_are_printed_escaped_everywhere() {
    let (dir, db) = demo();
    let accounts = dir.path().join("customers.csv");
    let mut f = std::fs::File::create(&accounts).unwrap();
    writeln!(
        f,
        "name,workspace_id\n\"{HOSTILE} One\",Northwind CS\n\"{HOSTILE} Two\",Northwind CS"
    )
    .unwrap();
    drop(f);
    let o = run(&db, &["import", s(&accounts)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_inert("import", &(stdout(&o) + &stderr(&o)));
    // an ambiguous name echoes both matches
    let o = run(&db, &["explain", "Evil"]);
    assert!(!o.status.success());
    assert_inert("explain (ambiguous)", &stderr(&o));
    assert!(stderr(&o).contains("\\u{1b}"), "{}", stderr(&o));
    let o = run(&db, &["recompute", "--customer", "Evil"]);
    assert_inert("recompute --customer", &stderr(&o));
    let o = run(
        &db,
        &[
            "explain",
            "Evil\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}fdp.exe One",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_inert("explain", &stdout(&o));
    let o = run(&db, &["explain", &format!("{HOSTILE} One"), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_inert("explain --json", &stdout(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["customer_name"], format!("{HOSTILE} One"));
    // a stale score lists the customer: damage its stored score behind cscx's back
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE customers SET health_score = 1 WHERE name LIKE 'Evil%'",
            [],
        )
        .unwrap();
    let o = run(&db, &["recompute", "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_inert("recompute --check", &stdout(&o));
    assert!(stdout(&o).contains("Evil"));
}

#[test]
fn file_names_with_escape_sequences_are_printed_escaped() {
    let (dir, db) = demo();
    let name = dir.path().join("calls\u{1b}]0;pwned\u{7}.csv");
    std::fs::write(&name, BAD_CALL).unwrap();
    let err = refused(
        &db,
        &[
            "--user",
            "walter@northwind.test",
            "import",
            s(&name),
            "--table",
            "calls",
        ],
        1,
        "zzz",
    );
    assert_inert("import errors", &err);
    let missing = dir.path().join("gone\u{1b}[2J.csv");
    let err = refused(&db, &["import", s(&missing)], 2, "gone");
    assert_inert("import usage error", &err);
}

#[test]
fn ids_with_control_characters_are_refused() {
    let (dir, db) = demo();
    let file = write(
        dir.path(),
        "customers.csv",
        "id,name,workspace_id\n\"0190b0c4\u{1b}[2J\",Hidden Co,Northwind CS\n",
    );
    let err = refused(
        &db,
        &["import", s(&file)],
        1,
        "must not contain control characters",
    );
    assert!(err.contains("customers.csv:2:id"), "{err}");
    assert_inert("import", &err);
}

// 5. Bounds

#[test]
fn endless_and_huge_lines_are_refused_without_echoing_them() {
    let (dir, db) = demo();
    let err = refused(
        &db,
        &["import", "/dev/zero", "--format", "csv", "--table", "calls"],
        1,
        "longer than 16 MiB",
    );
    assert!(err.len() < 2000, "{} bytes on stderr", err.len());
    let err = refused(
        &db,
        &[
            "import",
            "/dev/zero",
            "--format",
            "ndjson",
            "--table",
            "calls",
        ],
        1,
        "longer than 16 MiB",
    );
    assert!(err.len() < 2000);
    let err = refused(
        &db,
        &[
            "import",
            "/dev/zero",
            "--format",
            "xlsx",
            "--table",
            "calls",
        ],
        1,
        "larger than 64 MiB",
    );
    assert!(err.len() < 2000);
    // a 17 MiB line without a newline
    let long = dir.path().join("calls.csv");
    let mut f = std::fs::File::create(&long).unwrap();
    f.write_all(b"customer_id,notes\nAcme Corp,").unwrap();
    f.write_all(&vec![b'x'; 17 << 20]).unwrap();
    drop(f);
    let err = refused(
        &db,
        &["import", s(&long)],
        1,
        "line 2 is longer than 16 MiB",
    );
    assert!(err.len() < 2000, "{} bytes on stderr", err.len());
    // a 5 MiB quoted field over many short lines
    let field = dir.path().join("notes.csv");
    let text = format!(
        "customer_id,notes\nAcme Corp,\"{}\"\n",
        "note\n".repeat(1 << 20)
    );
    std::fs::write(&field, text).unwrap();
    let err = refused(
        &db,
        &["import", s(&field), "--table", "calls"],
        1,
        "cscx reads fields up to 4 MiB",
    );
    assert!(err.len() < 2000);
}

#[test]
fn a_cell_at_the_last_row_and_column_is_refused_not_allocated() {
    let (dir, db) = demo();
    let path = dir.path().join("kpis.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "KPI Parameter").unwrap();
    sheet.write_string(1, 0, "NPS").unwrap();
    sheet.write_number(1_048_575, 16_383, 1.0).unwrap();
    book.save(&path).unwrap();
    let err = refused(
        &db,
        &["import", s(&path), "--customer", "Acme"],
        1,
        "a cell at XFD1048576",
    );
    assert!(err.contains("up to 4000000 cells"), "{err}");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    use zip::write::SimpleFileOptions;
    let (dir, db) = demo();
    let path = dir.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..520 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    assert!(
        std::fs::metadata(&path).unwrap().len() < 8 << 20,
        "a small file"
    );
    let err = refused(
        &db,
        &["import", s(&path), "--customer", "Acme"],
        1,
        "unpacks to 520 MiB",
    );
    assert!(err.contains("up to 512 MiB unpacked"), "{err}");
}

// 6, 7. Files cscx did not write

#[test]
fn a_schema_version_no_cscx_writes_is_an_error_not_a_panic() {
    let (_dir, db) = demo();
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", -1)
        .unwrap();
    for args in [
        vec!["explain", "Acme"],
        vec!["recompute"],
        vec![
            "--user",
            "walter@northwind.test",
            "import",
            "/dev/null",
            "--format",
            "csv",
            "--table",
            "calls",
        ],
    ] {
        refused(&db, &args, 1, "schema version -1");
    }
}

#[test]
fn another_applications_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x); INSERT INTO notes VALUES (1);")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    assert_eq!(&before[18..20], &[1, 1], "a rollback-journal file");
    for args in [
        vec!["explain", "Acme"],
        vec!["recompute", "--check"],
        vec!["export", "--out", "/tmp/none"],
    ] {
        refused(&db, &args, 1, "is not a cscx database");
        assert_eq!(std::fs::read(&db).unwrap(), before, "{args:?} touched it");
    }
    let o = run(&db, &["generate", "--customers", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

// 8. Formula injection

#[test]
fn exported_cells_never_run_as_formulas_and_read_back_the_same() {
    let (dir, db) = demo();
    let formula = "=HYPERLINK(\"http://evil.test\",\"click\")";
    let file = write(
        dir.path(),
        "customers.csv",
        &format!(
            "name,workspace_id,industry\n\"{}\",Northwind CS,@SUM(A1)\n",
            formula.replace('"', "\"\"")
        ),
    );
    let o = run(&db, &["import", s(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    let o = run(&db, &["export", "--table", "customers", "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(out.join("customers.csv")).unwrap();
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    assert!(text.contains(",'@SUM(A1),"), "{text}");
    assert!(!text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"));
    // amounts stay numbers
    assert!(!text.contains("'-"));
    // raw on request
    let raw = dir.path().join("raw");
    let o = run(
        &db,
        &[
            "export",
            "--table",
            "customers",
            "--out",
            s(&raw),
            "--keep-formulas",
        ],
    );
    assert!(o.status.success());
    assert!(
        std::fs::read_to_string(raw.join("customers.csv"))
            .unwrap()
            .contains("\"=HYPERLINK(")
    );
    // the marked file imports back to the very same value
    let fresh = dir.path().join("fresh.db");
    let o = run(
        &fresh,
        &[
            "import",
            s(&out.join("customers.csv")),
            "--on-conflict",
            "skip",
        ],
    );
    assert!(!stderr(&o).contains("'=HYPERLINK"), "{}", stderr(&o));
    let o = run(
        &db,
        &[
            "import",
            s(&out.join("customers.csv")),
            "--on-conflict",
            "replace",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let name: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT name FROM customers WHERE name LIKE '%HYPERLINK%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, formula);
}

#[test]
fn reject_files_neutralise_formulas() {
    let (dir, db) = demo();
    let calls = write(
        dir.path(),
        "calls.csv",
        "customer_id,call_type,notes\nAcme Corp,=cmd|' /C calc'!A0,x\n",
    );
    let rejects = dir.path().join("rejects.csv");
    let o = run(
        &db,
        &[
            "--user",
            "walter@northwind.test",
            "import",
            s(&calls),
            "--reject-file",
            s(&rejects),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&rejects).unwrap();
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with('='), "{text}");
        }
    }
    assert_eq!(mode(&rejects), 0o600);
}

// 10. SQLite's errors, said where

#[test]
fn an_overflowing_kpi_weight_names_its_cell() {
    let (dir, db) = demo();
    let file = write(
        dir.path(),
        "kpis.csv",
        "Category,KPI Parameter,Weight,2026-10,2026-11\nProduct Value,Feature adoption,1e308,50,60\nProduct Value,Uptime,1e308,99,99\n",
    );
    let err = refused(
        &db,
        &[
            "--user",
            "walter@northwind.test",
            "import",
            s(&file),
            "--customer",
            "Acme Corp",
        ],
        1,
        "kpis.csv:2:Weight",
    );
    assert!(err.contains("must be between 0 and 1000000"), "{err}");
    assert!(!err.contains("Error code"), "{err}");
}

#[test]
fn broken_references_made_outside_cscx_are_named() {
    let (_dir, db) = demo();
    {
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        conn.execute(
            "UPDATE calls SET customer_id = 'no-such-customer' WHERE rowid = 1",
            [],
        )
        .unwrap();
    }
    for args in [vec!["recompute"], vec!["recompute", "--check"]] {
        let err = refused(
            &db,
            &args,
            1,
            "calls row 1: customer_id = \"no-such-customer\" refers to no row of customers",
        );
        assert!(!err.contains("run `cscx recompute`"), "{err}");
    }
}

// 11. Ways out, odd paths, messages said once

#[test]
fn a_config_without_a_quit_key_is_refused() {
    let (dir, db) = demo();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("cscx")).unwrap();
    std::fs::write(config.join("cscx/config.toml"), "[keys]\nquit = []\n").unwrap();
    let o = cscx()
        .arg("--db")
        .arg(&db)
        .env("XDG_CONFIG_HOME", &config)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("[keys] quit: needs at least one key"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn memory_and_uri_names_are_refused_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for name in [":memory:", "file:x.db?mode=memory"] {
        let o = cscx()
            .current_dir(dir.path())
            .args([
                "--db",
                name,
                "import",
                "/dev/null",
                "--format",
                "csv",
                "--table",
                "calls",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("give a file path"), "{}", stderr(&o));
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a file was created"
    );
}

#[test]
fn a_mistyped_db_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.db");
    for args in [
        vec!["explain", "Acme"],
        vec!["recompute"],
        vec!["recompute", "--check"],
        vec!["export", "--out", "/tmp/cscx-none"],
        vec![],
    ] {
        let o = run(&typo, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("no such database"), "{}", stderr(&o));
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn an_error_and_its_cause_are_said_once() {
    let o = run(
        Path::new("/dev/null/x.db"),
        &["import", "/dev/null", "--format", "csv", "--table", "calls"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("(os error").count(), 1, "{err}");
}
