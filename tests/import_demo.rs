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
    assert!(out.contains("52 of 52 tables hold rows"), "{out}");
    assert!(out.contains("7 customers"), "{out}");
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
    let n: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 7);
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
