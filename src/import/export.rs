//! `cscx export`: tables to CSV, JSON (an array of objects) or NDJSON files, one per table,
//! named after it, in a form `cscx import` reads back to the same data: money in decimal
//! dollars (as the importer reads `*_cents` columns), booleans as true/false, JSON columns as
//! JSON, blobs in PostgreSQL's hex form (`\x0a1b`). Rows are streamed, never held.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rusqlite::types::{Value, ValueRef};
use serde_json::Value as Json;

use crate::store::Store;
use crate::store::catalog::{Column, Kind, Table};
use crate::store::read::dump;
use crate::store::read::reader::Reader;
use crate::store::read::view::View;
use crate::store::{fields, pg_text};

use super::cells::encode_hex;

/// The formats `cscx export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportFormat {
    #[default]
    Csv,
    Json,
    Ndjson,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Ndjson => "ndjson",
        }
    }
}

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
    // the actor's scope, secrets left out (store::read::dump)
    let reader = store
        .reader(false)
        .map_err(|e| ExportError::Store(e.to_string()))?;
    let chosen: Vec<&Table> = if tables.is_empty() {
        // the policy and the shipped playbooks belong to the schema (its migrations write
        // them), as the tables do: exported on request only, so that every export imports
        // into a fresh database
        let mut chosen = Vec::new();
        for t in catalog.dependency_order() {
            let shipped =
                dump::only_shipped(&reader, t).map_err(|e| ExportError::Store(e.to_string()))?;
            if t.name != "access_rules" && !shipped {
                chosen.push(t);
            }
        }
        chosen
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
    let paths: Vec<PathBuf> = chosen
        .iter()
        .map(|t| dir.join(format!("{}.{}", t.name, format.extension())))
        .collect();
    refuse_targets(store, &paths, opts)?;
    let mut written = Vec::new();
    for (table, path) in chosen.into_iter().zip(paths) {
        let columns = fields_of(table);
        let rows = write_rows(
            |each| dump::each_row(&reader, table, each),
            &columns,
            format,
            Shape::Ours,
            &path,
            opts,
        )?;
        written.push((path, rows));
    }
    Ok(written)
}

/// Writes the rows of `view` — what a tab lists, in its order, as the reader may see them —
/// as whole rows of the view's table into a new file in `dir` (`customers-20261204-213000.csv`,
/// `-2` added if that exists), the forms [`export`] writes. Returns the file and its rows.
pub fn export_view(
    reader: &Reader<'_>,
    db: &Path,
    view: &View,
    format: ExportFormat,
    dir: &Path,
    stamp: &str,
) -> Result<(PathBuf, u64), ExportError> {
    let table = reader
        .catalog()
        .table(view.table())
        .ok_or_else(|| ExportError::Usage(format!("no table {}", view.table())))?;
    let key = view.key_sql(table);
    let path = free_name(dir, &format!("{}-{stamp}", view.name()), format.extension());
    if let Some(why) = super::target::refusal("export", &path, db, &[], false) {
        return Err(ExportError::Usage(why));
    }
    let columns = fields_of(table);
    let rows = write_rows(
        |each| {
            view.each_page(reader, |keys| {
                dump::rows_by_key(reader, table, &key, keys, &mut *each).map(|_| ())
            })
        },
        &columns,
        format,
        Shape::Ours,
        &path,
        ExportOptions::default(),
    )?;
    Ok((path, rows))
}

/// One row of `table` as a JSON object (the forms of a JSON export; secrets left out), if
/// the reader may see it: what `Y` copies.
pub fn row_json(
    reader: &Reader<'_>,
    table: &Table,
    key: &str,
    rowid: Option<i64>,
) -> Result<Option<String>, ExportError> {
    let columns = dump::columns(table);
    let (key_sql, key) = match rowid {
        Some(n) => ("t.rowid".to_owned(), Value::Integer(n)),
        None => {
            let sql = dump::key_column(table);
            // a table keyed by several columns is named by its rowid
            let value = match key.parse::<i64>() {
                Ok(n) if sql == "t.rowid" => Value::Integer(n),
                _ => Value::Text(key.to_owned()),
            };
            (sql, value)
        }
    };
    let mut object = None;
    dump::rows_by_key(
        reader,
        table,
        &key_sql,
        std::slice::from_ref(&key),
        |values| {
            let mut map = serde_json::Map::with_capacity(columns.len());
            for (c, v) in columns.iter().zip(values) {
                map.insert(c.name.clone(), json_of(c, *v, Shape::Ours));
            }
            object = Some(Json::Object(map));
            Ok(())
        },
    )
    .map_err(|e| ExportError::Store(e.to_string()))?;
    Ok(object.map(|o| o.to_string()))
}

/// `dir/stem.ext`, or `dir/stem-2.ext`, `-3`... if that exists.
fn free_name(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let mut path = dir.join(format!("{stem}.{ext}"));
    let mut n = 2;
    while std::fs::symlink_metadata(&path).is_ok() {
        path = dir.join(format!("{stem}-{n}.{ext}"));
        n += 1;
    }
    path
}

/// The fields of a file of `table`'s rows: its columns, secrets left out.
fn fields_of(table: &Table) -> Vec<Field> {
    dump::columns(table)
        .into_iter()
        .map(|c| Field {
            name: c.name.clone(),
            column: Some(c.clone()),
        })
        .collect()
}

/// Refuses, before the first file is written, any target that is the database, a symlink
/// or (without `--force`) a file that exists: a refusal leaves nothing half done.
pub(super) fn refuse_targets(
    store: &Store,
    paths: &[PathBuf],
    opts: ExportOptions,
) -> Result<(), ExportError> {
    for path in paths {
        if let Some(why) = super::target::refusal("export", path, store.path(), &[], opts.force) {
            return Err(ExportError::Usage(why));
        }
    }
    Ok(())
}

/// One column of an exported file: its name in the file, the stored column it comes from
/// (None: a seed column cscx does not store, written empty).
pub(super) struct Field {
    pub name: String,
    pub column: Option<Column>,
}

/// Whose forms the values are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// What `cscx import` reads back to the same data.
    Ours,
    /// What PostgreSQL's `\copy ... FROM ... CSV HEADER` reads into the seed's own types:
    /// arrays as `{a,b}`, vectors as pgvector's `[0.1,...]`.
    Seed,
}

/// Each row of a file, handed to the writer as values in the fields' order.
pub(super) type EachRow<'a> =
    &'a mut dyn FnMut(&[ValueRef<'_>]) -> Result<(), Box<dyn std::error::Error>>;

/// Writes the rows `rows` yields (it calls its argument once per row and returns how many)
/// into `path` in `format`; text that looks like a formula is neutralised in CSV unless
/// `opts.keep_formulas`.
pub(super) fn write_rows(
    rows: impl FnOnce(EachRow<'_>) -> Result<u64, Box<dyn std::error::Error>>,
    columns: &[Field],
    format: ExportFormat,
    shape: Shape,
    path: &Path,
    opts: ExportOptions,
) -> Result<u64, ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_owned(),
        source,
    };
    let failed = |e: Box<dyn std::error::Error>| match e.downcast::<rusqlite::Error>() {
        Ok(e) => ExportError::Sqlite(*e),
        Err(e) => io(std::io::Error::other(e.to_string())),
    };
    let mut out = BufWriter::new(super::target::create_private(path).map_err(io)?);
    let n;
    match format {
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record(columns.iter().map(|f| f.name.as_str()))
                .map_err(|e| io(e.into()))?;
            let mut record: Vec<String> = Vec::with_capacity(columns.len());
            n = rows(&mut |values| {
                record.clear();
                for (f, value) in columns.iter().zip(values) {
                    record.push(match &f.column {
                        Some(c) => {
                            let text = text_of(c, *value, shape);
                            // only text: a negative amount is a number, not a formula
                            match value {
                                ValueRef::Text(_) if !opts.keep_formulas => {
                                    super::formula::neutralise(&text).into_owned()
                                }
                                _ => text,
                            }
                        }
                        None => String::new(),
                    });
                }
                csv.write_record(&record)?;
                Ok(())
            })
            .map_err(failed)?;
            csv.flush().map_err(io)?;
        }
        ExportFormat::Json | ExportFormat::Ndjson => {
            let array = format == ExportFormat::Json;
            if array {
                out.write_all(b"[").map_err(io)?;
            }
            let mut first = true;
            n = rows(&mut |values| {
                let mut object = serde_json::Map::with_capacity(columns.len());
                for (f, value) in columns.iter().zip(values) {
                    let value = match &f.column {
                        Some(c) => json_of(c, *value, shape),
                        None => Json::Null,
                    };
                    object.insert(f.name.clone(), value);
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
        }
    }
    out.flush().map_err(io)?;
    Ok(n)
}

/// Cents as decimal dollars, exactly.
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

fn text_of(column: &Column, v: ValueRef<'_>, shape: Shape) -> String {
    match (column.kind, v) {
        (_, ValueRef::Null) => String::new(),
        (Kind::Json, ValueRef::Text(t)) if shape == Shape::Seed && column.json_array => {
            let s = String::from_utf8_lossy(t);
            serde_json::from_str::<Json>(&s)
                .ok()
                .and_then(|v| pg_text::json_to_array(&v))
                .unwrap_or_else(|| s.into_owned())
        }
        (Kind::Blob, ValueRef::Blob(b)) if shape == Shape::Seed && fields::is_vector(column) => {
            pg_text::blob_to_vector(b).unwrap_or_else(|| encode_hex(b))
        }
        (Kind::Money, ValueRef::Integer(c)) => dollars(c),
        (Kind::Bool, ValueRef::Integer(b)) => (b != 0).to_string(),
        (_, ValueRef::Integer(i)) => i.to_string(),
        (_, ValueRef::Real(r)) => r.to_string(),
        (_, ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
        (_, ValueRef::Blob(b)) => encode_hex(b),
    }
}

fn json_of(column: &Column, v: ValueRef<'_>, shape: Shape) -> Json {
    match (column.kind, v) {
        (_, ValueRef::Null) => Json::Null,
        (Kind::Blob, ValueRef::Blob(b)) if shape == Shape::Seed && fields::is_vector(column) => {
            pg_text::blob_to_vector(b).map_or_else(|| Json::String(encode_hex(b)), Json::String)
        }
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
