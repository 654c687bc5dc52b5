//! `cscx export` → `cscx import` into an empty database → `cscx export` again gives the same
//! files, in every format. Two differences are by design (docs/import.md): the second import
//! adds its own `import` entry to activity_log and its own run to etl_runs.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn cscx(db: &Path, args: &[&str]) -> Output {
    let o = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run cscx");
    assert!(
        o.status.success(),
        "cscx {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Every exported file as rows of (column → value), comparable across formats.
fn read_export(dir: &Path) -> BTreeMap<String, Vec<BTreeMap<String, serde_json::Value>>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let rows: Vec<BTreeMap<String, serde_json::Value>> =
            match path.extension().unwrap().to_str().unwrap() {
                "csv" => {
                    let mut r = csv::Reader::from_reader(text.as_bytes());
                    let headers = r.headers().unwrap().clone();
                    r.records()
                        .map(|rec| {
                            headers
                                .iter()
                                .zip(rec.unwrap().iter())
                                .map(|(h, v)| {
                                    (h.to_owned(), serde_json::Value::String(v.to_owned()))
                                })
                                .collect()
                        })
                        .collect()
                }
                "json" => serde_json::from_str(&text).unwrap(),
                _ => text
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect(),
            };
        out.insert(name, rows);
    }
    out
}

fn round_trip(format: &str) {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.db");
    let second = dir.path().join("second.db");
    let out1 = dir.path().join("out1");
    let out2 = dir.path().join("out2");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    cscx(&first, &["import", sample.to_str().unwrap()]);
    cscx(
        &first,
        &[
            "export",
            "--format",
            format,
            "--out",
            out1.to_str().unwrap(),
        ],
    );
    cscx(&second, &["import", out1.to_str().unwrap()]);
    cscx(
        &second,
        &[
            "export",
            "--format",
            format,
            "--out",
            out2.to_str().unwrap(),
        ],
    );

    let mut a = read_export(&out1);
    let mut b = read_export(&out2);
    // every table but the two that hold only what the schema ships (access_rules, the
    // shipped playbooks and their steps)
    assert_eq!(a.len(), 53, "one file per table");
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    // the second import logged itself: one more entry, of action "import"
    let log_a = a.remove("activity_log").unwrap();
    let mut log_b = b.remove("activity_log").unwrap();
    let extra = log_b.pop().unwrap();
    assert_eq!(extra["action"], serde_json::json!("import"));
    assert_eq!(log_a, log_b, "{format}: activity_log");
    // and recorded its run: one more etl_runs row, inbound (the exports' own runs are
    // recorded after their files are written, so neither export holds its own)
    let runs_a = a.remove("etl_runs").unwrap();
    let mut runs_b = b.remove("etl_runs").unwrap();
    let run = runs_b.pop().unwrap();
    assert_eq!(run["direction"], serde_json::json!("inbound"));
    assert_eq!(run["status"], serde_json::json!("succeeded"));
    assert!(
        run["feed_name"]
            .as_str()
            .is_some_and(|f| f.starts_with("cscx import ")),
        "{run:?}"
    );
    assert_eq!(runs_a, runs_b, "{format}: etl_runs");
    for (table, rows) in &a {
        assert_eq!(
            rows, &b[table],
            "{format}: table {table} differs after the round trip"
        );
        assert!(!rows.is_empty(), "{table} exported no rows");
    }
}

#[test]
fn csv_export_imports_back_to_the_same_data() {
    round_trip("csv");
}

#[test]
fn json_export_imports_back_to_the_same_data() {
    round_trip("json");
}

#[test]
fn ndjson_export_imports_back_to_the_same_data() {
    round_trip("ndjson");
}

#[test]
fn export_writes_chosen_tables_and_money_in_dollars() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    cscx(&db, &["import", sample.to_str().unwrap()]);
    let out = dir.path().join("out");
    cscx(
        &db,
        &[
            "export",
            "--table",
            "customers",
            "--table",
            "calls",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["calls.csv", "customers.csv"]);
    let text = std::fs::read_to_string(out.join("customers.csv")).unwrap();
    assert!(text.contains(",1250000.00,"), "{text}");
    let o = Command::new(common::cscx_bin())
        .arg("--db")
        .arg(&db)
        .args(["export", "--table", "nope", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
