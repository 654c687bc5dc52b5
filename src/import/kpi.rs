//! KPI workbooks: seed 002's upload flow (file → kpi_uploads → kpis → kpi_time_series →
//! health trends).
//!
//! Layout (docs/import.md): the first worksheet (or a CSV), one KPI per row, columns
//! `Category`, `KPI Parameter` (required), `Weight`, `Impact Level`, `Measurement Frequency`,
//! `Source Review`, `Health Score Component`, `Data`, optionally `Customer` (when --customer
//! is not given), then one column per month headed `2026-01` (or a date in that month) holding
//! the KPI's value for the month. Headers are matched ignoring case, spaces and underscores.
//!
//! The file is stored as uploaded (`kpi_uploads.raw_excel`, with its name, the uploader and
//! the next version number for the customer) together with what was read from it
//! (`parsed_json`); each KPI is created or updated by (customer, KPI name), each month's value
//! created or updated by (KPI, year, month). A workbook always updates: --on-conflict does
//! not apply to it.

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use serde_json::json;

use crate::store::rows::{self, Row};
use crate::store::write_bulk::OnConflict;
use crate::store::{StoreError, ids};

use super::cells;
use super::load::Session;
use super::read::{self, Cell};
use super::source::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A column of `kpis`.
    Kpi(&'static str),
    Customer,
    Month(i32, u32),
}

fn fold(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `2026-01`, `2026-01-31` (a spreadsheet date in the header reads as this), or a month's
/// name with its year as spreadsheets write it (`Jan 2026`, `January 2026`, `Mar-26`,
/// `mar 26`; a two-digit year is 20yy): a month column.
fn month_of(header: &str) -> Option<(i32, u32)> {
    let h = header.trim();
    let date = NaiveDate::parse_from_str(&format!("{h}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| h.len() == 7)
        .or_else(|| NaiveDate::parse_from_str(h, "%Y-%m-%d").ok());
    match date {
        Some(d) => Some((d.year(), d.month())),
        None => named_month(h),
    }
}

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `Jan 2026`, `Mar-26`: a month's name (three letters or whole) and a year.
fn named_month(h: &str) -> Option<(i32, u32)> {
    let (name, year) = h.split_once([' ', '-', '/', '.'])?;
    let name = name.trim().to_ascii_lowercase();
    let year = year.trim();
    let month = MONTH_NAMES
        .iter()
        .position(|m| name.len() >= 3 && m.starts_with(name.as_str()))?;
    if !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = match year.len() {
        2 => 2000 + year.parse::<i32>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    Some((year, month as u32 + 1))
}

fn role(header: &str) -> Option<Role> {
    if let Some((y, m)) = month_of(header) {
        return Some(Role::Month(y, m));
    }
    Some(match fold(header).as_str() {
        "category" => Role::Kpi("category"),
        "kpiparameter" | "kpi" | "kpiname" => Role::Kpi("kpi_parameter"),
        "weight" => Role::Kpi("weight"),
        "impactlevel" | "impact" => Role::Kpi("impact_level"),
        "measurementfrequency" | "measurementfreq" | "frequency" => Role::Kpi("measurement_freq"),
        "sourcereview" | "source" => Role::Kpi("source_review"),
        "healthscorecomponent" | "healthscorecomp" => Role::Kpi("health_score_comp"),
        "data" => Role::Kpi("data"),
        "customer" | "customerid" | "account" | "accountid" => Role::Customer,
        _ => return None,
    })
}

const KNOWN: &str = "Category, KPI Parameter, Weight, Impact Level, Measurement Frequency, \
                     Source Review, Health Score Component, Data, Customer, and months (YYYY-MM, Jan 2026, Mar-26)";

/// A header with a KPI name column and at least one month column is a KPI workbook.
pub fn is_workbook(columns: &[String]) -> bool {
    columns.iter().any(|c| month_of(c).is_some())
        && columns
            .iter()
            .any(|c| role(c) == Some(Role::Kpi("kpi_parameter")))
}

struct KpiRow {
    line: u64,
    customer: String,
    kpi: Row,
    values: Vec<(i32, u32, f64)>,
    json: serde_json::Map<String, serde_json::Value>,
}

pub fn load(s: &mut Session<'_, '_>, source: &Source) -> Result<(), StoreError> {
    s.progress.file(source.file_name());
    s.report
        .files
        .push((source.name.clone(), "KPI workbook".into()));
    let mut records = match read::open(source) {
        Ok(r) => r,
        Err(p) => {
            s.file_problem(source, p);
            return Ok(());
        }
    };
    let columns = records.columns().to_vec();
    let mut roles = Vec::new();
    for c in &columns {
        match role(c) {
            Some(r) => roles.push(Some(r)),
            None if s.opts.ignore_unknown => roles.push(None),
            None => {
                s.line_problem(
                    source,
                    Some(1),
                    Some(c.clone()),
                    format!("is not a column of a KPI workbook (known: {KNOWN})"),
                    None,
                );
                return Ok(());
            }
        }
    }
    for needed in ["kpi_parameter", "category"] {
        if !roles.contains(&Some(Role::Kpi(needed))) {
            s.line_problem(
                source,
                Some(1),
                None,
                format!("a KPI workbook needs a {needed} column (known: {KNOWN})"),
                None,
            );
            return Ok(());
        }
    }
    let fixed_customer = match &s.opts.customer {
        Some(text) => {
            let scope = s.w.actor().workspace_id.clone();
            match s.resolve_key("customers", text, scope.as_deref())? {
                Ok(id) => Some(id),
                Err(m) => {
                    s.line_problem(
                        source,
                        None,
                        Some("--customer".into()),
                        m,
                        Some(text.clone()),
                    );
                    return Ok(());
                }
            }
        }
        None => None,
    };
    if fixed_customer.is_none() && !roles.contains(&Some(Role::Customer)) {
        s.line_problem(
            source,
            Some(1),
            None,
            "whose KPIs are these? pass --customer or add a Customer column".into(),
            None,
        );
        return Ok(());
    }

    // read it all first: the upload row holds what was read, and names the customer only if
    // there is one (a workbook is small)
    let catalog = s.w.catalog();
    let (Some(kpis), Some(series)) = (catalog.table("kpis"), catalog.table("kpi_time_series"))
    else {
        return Ok(());
    };
    let Some(value_column) = series.column("value") else {
        return Ok(());
    };
    let mut rows: Vec<KpiRow> = Vec::new();
    let mut failed = false;
    loop {
        match records.advance() {
            Ok(true) => s.report.records_read += 1,
            Ok(false) => break,
            Err(p) if p.fatal => {
                s.file_problem(source, p);
                return Ok(());
            }
            Err(p) => {
                s.line_problem(source, p.line, p.column, p.message, None);
                failed = true;
                continue;
            }
        }
        let line = records.line();
        let mut row = KpiRow {
            line,
            customer: fixed_customer.clone().unwrap_or_default(),
            kpi: Row::new(),
            values: Vec::new(),
            json: serde_json::Map::new(),
        };
        for (i, r) in roles.iter().enumerate() {
            let cell = records.cell(i);
            let header = &columns[i];
            if cell == Cell::Null {
                continue;
            }
            match r {
                None => {}
                Some(Role::Kpi(column)) => {
                    let Some(c) = kpis.column(column) else {
                        continue;
                    };
                    match cells::to_value("kpis", c, &cell) {
                        Ok(v) => {
                            row.json.insert((*column).into(), json_of(&v));
                            row.kpi.push(((*column).into(), v));
                        }
                        Err(e) => {
                            s.line_problem(
                                source,
                                Some(line),
                                Some(header.clone()),
                                e.reason,
                                e.value,
                            );
                            failed = true;
                        }
                    }
                }
                Some(Role::Customer) if fixed_customer.is_some() => {}
                Some(Role::Customer) => {
                    let text = cell.display();
                    let scope = s.w.actor().workspace_id.clone();
                    match s.resolve_key("customers", &text, scope.as_deref())? {
                        Ok(id) => {
                            row.json.insert("customer".into(), json!(text));
                            row.customer = id;
                        }
                        Err(m) => {
                            s.line_problem(source, Some(line), Some(header.clone()), m, Some(text));
                            failed = true;
                        }
                    }
                }
                Some(Role::Month(y, m)) => {
                    match cells::to_value("kpi_time_series", value_column, &cell) {
                        Ok(Value::Real(v)) => row.values.push((*y, *m, v)),
                        Ok(_) => {}
                        Err(e) => {
                            s.line_problem(
                                source,
                                Some(line),
                                Some(header.clone()),
                                e.reason,
                                e.value,
                            );
                            failed = true;
                        }
                    }
                }
            }
        }
        if row.customer.is_empty() && !failed {
            s.line_problem(
                source,
                Some(line),
                Some("Customer".into()),
                "is required".into(),
                None,
            );
            failed = true;
        }
        rows.push(row);
    }
    if failed {
        return Ok(());
    }

    // the upload: one per file, of its customer (or of none, for a file spanning several)
    let mut customers: Vec<&str> = rows.iter().map(|r| r.customer.as_str()).collect();
    customers.sort();
    customers.dedup();
    let Some(customers_table) = catalog.table("customers") else {
        return Ok(());
    };
    let mut workspaces = Vec::new();
    for c in &customers {
        let probe: Row = vec![("id".into(), Value::Text((*c).to_owned()))];
        if let Some(w) = s.w.workspace_of(customers_table, &probe)?
            && !workspaces.contains(&w)
        {
            workspaces.push(w);
        }
    }
    let workspace = match workspaces.as_slice() {
        [w] => w.clone(),
        [] => return Ok(()),
        _ => {
            s.line_problem(
                source,
                None,
                Some("Customer".into()),
                "names customers of different workspaces; import one workbook per workspace".into(),
                None,
            );
            return Ok(());
        }
    };
    let upload_customer = match customers.as_slice() {
        [one] => Some((*one).to_owned()),
        _ => None,
    };
    let version =
        s.w.next_kpi_upload_version(&workspace, upload_customer.as_deref())?;
    let months: Vec<String> = roles
        .iter()
        .filter_map(|r| match r {
            Some(Role::Month(y, m)) => Some(format!("{y:04}-{m:02}")),
            _ => None,
        })
        .collect();
    let parsed = json!({
        "layout": "cscx KPI workbook 1",
        "file": source.file_name(),
        "months": months,
        "kpis": rows.iter().map(|r| {
            let mut o = r.json.clone();
            o.insert("row".into(), json!(r.line));
            o.insert("values".into(), serde_json::Value::Object(
                r.values.iter().map(|(y, m, v)| (format!("{y:04}-{m:02}"), json!(v))).collect()));
            serde_json::Value::Object(o)
        }).collect::<Vec<_>>(),
    });
    let bytes = source
        .read_all()
        .map_err(|e| StoreError::Config(format!("reading {} again: {e}", source.name)))?;
    let user = s.w.actor().user_id.clone();
    let text = |t: &str| Value::Text(t.to_owned());
    let opt = |t: &Option<String>| t.as_deref().map_or(Value::Null, text);
    let mut upload: Row = vec![
        ("workspace_id".into(), text(&workspace)),
        ("customer_id".into(), opt(&upload_customer)),
        ("user_id".into(), opt(&user)),
        ("version".into(), Value::Integer(version)),
        ("original_filename".into(), text(source.file_name())),
        ("raw_excel".into(), Value::Blob(bytes)),
        ("parsed_json".into(), Value::Text(parsed.to_string())),
    ];
    let header = |c: &str| c.to_owned();
    match s
        .w
        .bulk_insert(&mut s.st, "kpi_uploads", &mut upload, OnConflict::Abort)
    {
        Ok(o) => s.count("kpi_uploads", o),
        Err(e) => return s.row_error(source, None, e, header),
    }
    let upload_id = rows::get(&upload, "id").cloned().unwrap_or(Value::Null);
    let now = ids::now();
    let header_of = |column: &str| -> String {
        columns
            .iter()
            .find(|h| matches!(role(h), Some(Role::Kpi(c)) if c == column))
            .cloned()
            .unwrap_or_else(|| column.to_owned())
    };
    for r in rows {
        let mut kpi = r.kpi;
        rows::set(&mut kpi, "customer_id", text(&r.customer));
        rows::set(&mut kpi, "upload_id", upload_id.clone());
        rows::set(&mut kpi, "row_index", Value::Integer(r.line as i64));
        rows::set(&mut kpi, "last_edited_by", opt(&user));
        rows::set(&mut kpi, "last_edited_at", text(&now));
        match s
            .w
            .bulk_insert(&mut s.st, "kpis", &mut kpi, OnConflict::Replace)
        {
            Ok(o) => s.count("kpis", o),
            Err(e) => {
                s.row_error(source, Some(r.line), e, header_of)?;
                continue;
            }
        }
        let kpi_id = rows::get(&kpi, "id").cloned().unwrap_or(Value::Null);
        for (y, m, v) in r.values {
            let mut point: Row = vec![
                ("kpi_id".into(), kpi_id.clone()),
                ("customer_id".into(), text(&r.customer)),
                ("workspace_id".into(), text(&workspace)),
                ("year".into(), Value::Integer(i64::from(y))),
                ("month".into(), Value::Integer(i64::from(m))),
                ("value".into(), Value::Real(v)),
            ];
            match s.w.bulk_insert(
                &mut s.st,
                "kpi_time_series",
                &mut point,
                OnConflict::Replace,
            ) {
                Ok(o) => s.count("kpi_time_series", o),
                Err(e) => {
                    let month = format!("{y:04}-{m:02}");
                    let shown = columns
                        .iter()
                        .find(|h| month_of(h) == Some((y, m)))
                        .cloned()
                        .unwrap_or(month);
                    s.row_error(source, Some(r.line), e, |_| shown.clone())?;
                }
            }
        }
    }
    s.done_bytes += source.len();
    s.progress.set(s.done_bytes);
    Ok(())
}

fn json_of(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => json!(i),
        Value::Real(r) => json!(r),
        Value::Text(t) => json!(t),
        Value::Blob(b) => json!(format!("<{} bytes>", b.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_headers_as_spreadsheets_write_them() {
        assert_eq!(month_of("2026-01"), Some((2026, 1)));
        assert_eq!(month_of("2026-03-31"), Some((2026, 3)));
        assert_eq!(month_of("Jan 2026"), Some((2026, 1)));
        assert_eq!(month_of("January 2026"), Some((2026, 1)));
        assert_eq!(month_of("Mar-26"), Some((2026, 3)));
        assert_eq!(month_of("sep 25"), Some((2025, 9)));
        assert_eq!(month_of("Sept-2025"), Some((2025, 9)));
        for not_a_month in [
            "Ja 2026",
            "Jan",
            "Jan 202",
            "Weight",
            "Mar-2x",
            "Marching 26",
        ] {
            assert_eq!(month_of(not_a_month), None, "{not_a_month}");
        }
    }

    #[test]
    fn headers_are_recognised() {
        assert_eq!(role("KPI Parameter"), Some(Role::Kpi("kpi_parameter")));
        assert_eq!(role("impact_level"), Some(Role::Kpi("impact_level")));
        assert_eq!(role("2026-01"), Some(Role::Month(2026, 1)));
        assert_eq!(role("2026-02-28"), Some(Role::Month(2026, 2)));
        assert_eq!(role("2026-13"), None);
        assert_eq!(role("Owner"), None);
        let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_workbook(&cols(&[
            "Category",
            "KPI Parameter",
            "2026-01"
        ])));
        assert!(!is_workbook(&cols(&[
            "category",
            "kpi_parameter",
            "customer_id"
        ])));
    }
}
