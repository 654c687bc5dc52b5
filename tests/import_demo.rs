//! `cscx demo`: a fresh database from the sample data built into the binary.

mod common;

use std::process::{Command, Stdio};

fn demo(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(common::cscx_bin())
        .arg("--db")
        .arg(db)
        .arg("demo")
        .args(args)
        // from another directory: the sample data must not be looked up on disk
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .output()
        .expect("run cscx demo")
}

#[test]
fn demo_creates_a_database_from_the_built_in_sample_data() {
    let db = common::temp_db();
    let o = demo(&db.path, &["--no-open"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("56 of 56 tables hold rows"), "{out}");
    assert!(out.contains("21 customers"), "{out}");
}

#[test]
fn an_existing_database_is_replaced_only_when_asked() {
    let db = common::temp_db();
    std::fs::write(&db.path, b"precious").unwrap();
    let o = demo(&db.path, &["--no-open"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read(&db.path).unwrap(), b"precious");

    let o = demo(&db.path, &["--no-open", "--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = cscx::store::open(&db.path).unwrap();
    let n: i64 = common::sql(&store)
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 21);
}

#[test]
fn the_built_in_list_is_the_sample_data_folder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| cscx::import::source::format_of(n).is_some())
        .collect();
    on_disk.sort();
    let mut built_in: Vec<String> = cscx::import::sample::FILES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    built_in.sort();
    assert_eq!(built_in, on_disk);
    for (name, bytes) in cscx::import::sample::FILES {
        assert_eq!(
            *bytes,
            std::fs::read(dir.join(name)).unwrap().as_slice(),
            "{name}"
        );
    }
}

#[test]
fn the_sample_workbook_is_a_kpi_workbook_of_acme() {
    use calamine::{Reader, Xlsx, open_workbook};
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/kpi-workbook-acme.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range("KPIs").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(&header[..3], ["Customer", "Category", "KPI Parameter"]);
    assert_eq!(range.get_value((1, 0)).unwrap().to_string(), "Acme Corp");
    assert_eq!(range.height(), 6);
}

/// A demo database built by the real binary, and a store on it.
fn demo_store() -> (common::TempDb, cscx::store::Store) {
    let db = common::temp_db();
    let o = demo(&db.path, &["--no-open"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = cscx::store::open(&db.path).unwrap();
    (db, store)
}

/// A customer of the demo book: name, stage, status, ARR, CSM, active contracts, contracts.
type BookRow = (
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    i64,
    i64,
);

/// The demo book reads like a real one: a CSM walkthrough found customers with contracts
/// and ARR in stage `prospect` and no customer with a CSM in Northwind.
#[test]
fn the_demo_book_has_stages_that_agree_with_contracts_and_csms() {
    let (db, store) = demo_store();
    let rows: Vec<BookRow> = common::sql(&store)
        .prepare(
            "SELECT c.name, c.stage, c.status, c.arr_cents, c.csm_id,
                    (SELECT count(*) FROM contracts k WHERE k.customer_id = c.id AND k.status = 'active'),
                    (SELECT count(*) FROM contracts k WHERE k.customer_id = c.id)
             FROM customers c ORDER BY c.name",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!((15..=25).contains(&rows.len()), "{} customers", rows.len());
    for (name, stage, status, arr, csm, active, contracts) in &rows {
        match stage.as_str() {
            // a prospect has signed nothing yet
            "prospect" => {
                assert_eq!((*contracts, *arr), (0, None), "{name}: a prospect");
            }
            // a churned customer's contracts ended, and so did its ARR
            "churned" => {
                assert_eq!(*active, 0, "{name}: churned with an active contract");
                assert!(*contracts > 0, "{name}: churned but never signed");
                assert_eq!((status.as_str(), *arr), ("churned", None), "{name}");
                assert!(csm.is_some(), "{name}: no CSM");
            }
            _ => {
                assert_eq!(*active, 1, "{name}: {stage} needs one active contract");
                assert!(arr.is_some(), "{name}: {stage} without ARR");
                assert!(csm.is_some(), "{name}: {stage} without a CSM");
            }
        }
    }
    for stage in [
        "prospect",
        "onboarding",
        "active",
        "expansion",
        "renewal",
        "at_risk",
        "churned",
    ] {
        assert!(
            rows.iter().any(|r| r.1 == stage),
            "no customer in stage {stage}"
        );
    }
    // and what a recompute from scratch gives is what the import stored
    let o = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(&db.path)
        .args(["recompute", "--check"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

/// `cscx --user dana@northwind.test --mine` showed nobody: no Northwind customer had a CSM.
#[test]
fn mine_as_dana_shows_danas_customers() {
    use cscx::tui::app::Options;
    use cscx::tui::headless::Headless;
    let (_db, mut store) = demo_store();
    let dana = common::sql(&store)
        .query_row(
            "SELECT id FROM users WHERE email = ?1",
            ["dana@northwind.test"],
            |r| r.get(0),
        )
        .unwrap();
    store.set_actor(cscx::store::Actor {
        user_id: Some(dana),
        ..Default::default()
    });
    let options = Options::for_store(&store, true);
    let h = Headless::inline(store, options, 120, 30);
    let names: Vec<&str> = h
        .customers()
        .list()
        .rows
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Acme Corp",
            "Oscorp",
            "Tyrell Corp",
            "Umbrella Health",
            "Vandelay Industries"
        ]
    );
    assert!(h.screen().contains("1 of 5"), "{}", h.screen());
}
