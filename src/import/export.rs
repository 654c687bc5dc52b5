//! `cscx export`: tables to CSV, JSON (an array of objects) or NDJSON files, one per table,
//! named after it, in a form `cscx import` reads back to the same data: money in decimal
//! dollars (as the importer reads `*_cents` columns), booleans as true/false, JSON columns as
//! JSON, blobs in PostgreSQL's hex form (`\x0a1b`). Rows are streamed, never held.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use serde_json::Value as Json;

use crate::cli::ExportFormat;
use crate::store::Store;
use crate::store::catalog::{Column, Kind, Table};
use crate::store::read::dump;

use super::cells::encode_hex;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Usage(String),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Store(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Exports `tables` (every table when empty) into `dir`; returns (file, rows) per table.
pub fn export(
    store: &Store,
    tables: &[String],
    format: ExportFormat,
    dir: &Path,
) -> Result<Vec<(PathBuf, u64)>, ExportError> {
    let catalog = store.catalog();
    let chosen: Vec<&Table> = if tables.is_empty() {
        // the policy belongs to the schema (its migration writes it), as the tables do:
        // exported on request only, so that every export imports into a fresh database
        catalog
            .dependency_order()
            .into_iter()
            .filter(|t| t.name != "access_rules")
            .collect()
    } else {
        tables
            .iter()
            .map(|name| {
                catalog
                    .table(&name.to_lowercase())
                    .filter(|t| !t.is_view)
                    .ok_or_else(|| {
                        ExportError::Usage(format!("--table {name}: no such table (cscx schema)"))
                    })
            })
            .collect::<Result<_, _>>()?
    };
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
        ExportFormat::Ndjson => "ndjson",
    };
    let mut written = Vec::new();
    for table in chosen {
        let path = dir.join(format!("{}.{ext}", table.name));
        let rows = export_table(store, table, format, &path)?;
        written.push((path, rows));
    }
    Ok(written)
}

fn export_table(
    store: &Store,
    table: &Table,
    format: ExportFormat,
    path: &Path,
) -> Result<u64, ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_owned(),
        source,
    };
    let columns = dump::columns(table);
    let scope = store
        .scope(false)
        .map_err(|e| ExportError::Store(e.to_string()))?;
    let failed = |e: Box<dyn std::error::Error>| match e.downcast::<rusqlite::Error>() {
        Ok(e) => ExportError::Sqlite(*e),
        Err(e) => io(std::io::Error::other(e.to_string())),
    };
    let out = BufWriter::new(File::create(path).map_err(io)?);
    let n;
    match format {
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(columns.iter().map(|c| c.name.as_str()))
                .map_err(|e| io(e.into()))?;
            let mut record: Vec<String> = Vec::with_capacity(columns.len());
            n = store
                .each_visible_row(&scope, table, |values| {
                    record.clear();
                    for (c, v) in columns.iter().zip(values) {
                        record.push(text_of(c, *v));
                    }
                    csv.write_record(&record)?;
                    Ok(())
                })
                .map_err(failed)?;
            csv.flush().map_err(io)?;
        }
        ExportFormat::Json | ExportFormat::Ndjson => {
            let array = format == ExportFormat::Json;
            let mut out = out;
            if array {
                out.write_all(b"[").map_err(io)?;
            }
            let mut first = true;
            n = store
                .each_visible_row(&scope, table, |values| {
                    let mut object = serde_json::Map::with_capacity(columns.len());
                    for (c, v) in columns.iter().zip(values) {
                        object.insert(c.name.clone(), json_of(c, *v));
                    }
                    let sep: &[u8] = match (array, first) {
                        (true, true) => b"\n",
                        (true, false) => b",\n",
                        (false, _) => b"",
                    };
                    first = false;
                    out.write_all(sep)?;
                    serde_json::to_writer(&mut out, &Json::Object(object))?;
                    if !array {
                        out.write_all(b"\n")?;
                    }
                    Ok(())
                })
                .map_err(failed)?;
            if array {
                out.write_all(b"\n]\n").map_err(io)?;
            }
            out.flush().map_err(io)?;
        }
    }
    Ok(n)
}

/// Cents as decimal dollars, exactly.
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

fn text_of(column: &Column, v: ValueRef<'_>) -> String {
    match (column.kind, v) {
        (_, ValueRef::Null) => String::new(),
        (Kind::Money, ValueRef::Integer(c)) => dollars(c),
        (Kind::Bool, ValueRef::Integer(b)) => (b != 0).to_string(),
        (_, ValueRef::Integer(i)) => i.to_string(),
        (_, ValueRef::Real(r)) => r.to_string(),
        (_, ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
        (_, ValueRef::Blob(b)) => encode_hex(b),
    }
}

fn json_of(column: &Column, v: ValueRef<'_>) -> Json {
    match (column.kind, v) {
        (_, ValueRef::Null) => Json::Null,
        (Kind::Money, ValueRef::Integer(c)) => {
            serde_json::from_str(&dollars(c)).unwrap_or(Json::Null)
        }
        (Kind::Bool, ValueRef::Integer(b)) => Json::Bool(b != 0),
        (Kind::Json, ValueRef::Text(t)) => {
            let s = String::from_utf8_lossy(t);
            serde_json::from_str(&s).unwrap_or_else(|_| Json::String(s.into_owned()))
        }
        (_, ValueRef::Integer(i)) => Json::from(i),
        (_, ValueRef::Real(r)) => serde_json::Number::from_f64(r).map_or(Json::Null, Json::Number),
        (_, ValueRef::Text(t)) => Json::String(String::from_utf8_lossy(t).into_owned()),
        (_, ValueRef::Blob(b)) => Json::String(encode_hex(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_in_dollars_exactly() {
        assert_eq!(dollars(123_456), "1234.56");
        assert_eq!(dollars(5), "0.05");
        assert_eq!(dollars(0), "0.00");
        assert_eq!(
            crate::store::fields::parse_money_cents(&dollars(987_654_321)),
            Ok(987_654_321)
        );
    }
}
