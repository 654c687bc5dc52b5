//! `cscx export`: tables to CSV, JSON (an array of objects) or NDJSON files, one per table,
//! named after it, in a form `cscx import` reads back to the same data: money in decimal
//! dollars (as the importer reads `*_cents` columns), booleans as true/false, JSON columns as
//! JSON, blobs in PostgreSQL's hex form (`\x0a1b`). Rows are streamed, never held.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use serde_json::Value as Json;

use crate::cli::ExportFormat;
use crate::store::Store;
use crate::store::catalog::{Column, Kind, Table};
use crate::store::rows::quote;

use super::cells::encode_hex;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Usage(String),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// How files are written.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Replace files that exist (otherwise the export refuses before writing any).
    pub force: bool,
    /// Write CSV text cells that look like formulas raw (see `import::formula`).
    pub keep_formulas: bool,
}

/// Exports `tables` (every table when empty) into `dir`; returns (file, rows) per table.
pub fn export(
    store: &Store,
    tables: &[String],
    format: ExportFormat,
    dir: &Path,
) -> Result<Vec<(PathBuf, u64)>, ExportError> {
    export_with(store, tables, format, dir, ExportOptions::default())
}

/// [`export`], with the options of `cscx export`.
pub fn export_with(
    store: &Store,
    tables: &[String],
    format: ExportFormat,
    dir: &Path,
    opts: ExportOptions,
) -> Result<Vec<(PathBuf, u64)>, ExportError> {
    let catalog = store.catalog();
    let chosen: Vec<&Table> = if tables.is_empty() {
        catalog.dependency_order()
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
    let paths: Vec<PathBuf> = chosen
        .iter()
        .map(|t| dir.join(format!("{}.{ext}", t.name)))
        .collect();
    // every file checked before the first is written: a refusal leaves nothing half done
    for path in &paths {
        if let Some(why) = super::target::refusal("export", path, store.path(), &[], opts.force) {
            return Err(ExportError::Usage(why));
        }
    }
    let mut written = Vec::new();
    for (table, path) in chosen.into_iter().zip(paths) {
        let rows = export_table(store, table, format, &path, opts)?;
        written.push((path, rows));
    }
    Ok(written)
}

fn export_table(
    store: &Store,
    table: &Table,
    format: ExportFormat,
    path: &Path,
    opts: ExportOptions,
) -> Result<u64, ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_owned(),
        source,
    };
    let columns: Vec<&Column> = table.data_columns().collect();
    let select: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY rowid",
        select.join(", "),
        quote(&table.name)
    );
    let mut out = BufWriter::new(super::target::create_private(path).map_err(io)?);
    let mut stmt = store.conn().prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut n = 0u64;
    match format {
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(columns.iter().map(|c| c.name.as_str()))
                .map_err(|e| io(e.into()))?;
            let mut record: Vec<String> = Vec::with_capacity(columns.len());
            while let Some(row) = rows.next()? {
                record.clear();
                for (i, c) in columns.iter().enumerate() {
                    let value = row.get_ref(i)?;
                    let text = text_of(c, value);
                    // only text: a negative amount is a number, not a formula
                    record.push(match value {
                        ValueRef::Text(_) if !opts.keep_formulas => {
                            super::formula::neutralise(&text).into_owned()
                        }
                        _ => text,
                    });
                }
                csv.write_record(&record).map_err(|e| io(e.into()))?;
                n += 1;
            }
            csv.flush().map_err(io)?;
        }
        ExportFormat::Json | ExportFormat::Ndjson => {
            let array = format == ExportFormat::Json;
            if array {
                out.write_all(b"[").map_err(io)?;
            }
            while let Some(row) = rows.next()? {
                let mut object = serde_json::Map::with_capacity(columns.len());
                for (i, c) in columns.iter().enumerate() {
                    object.insert(c.name.clone(), json_of(c, row.get_ref(i)?));
                }
                let sep: &[u8] = match (array, n) {
                    (true, 0) => b"\n",
                    (true, _) => b",\n",
                    (false, _) => b"",
                };
                out.write_all(sep).map_err(io)?;
                serde_json::to_writer(&mut out, &Json::Object(object)).map_err(|e| io(e.into()))?;
                if !array {
                    out.write_all(b"\n").map_err(io)?;
                }
                n += 1;
            }
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
