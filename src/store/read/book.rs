//! What a book holds, as the reader may see it: row counts for the summaries of `demo`,
//! `generate` and the benchmarks, and the customers a benchmark samples.

use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use super::reader::Reader;
use crate::store::error::{FieldError, Result};
use crate::store::rows::quote;

/// How many rows of `table` the reader may see (`dump::count` by table name).
pub fn count(r: &Reader<'_>, table: &str) -> Result<i64> {
    let t = r
        .catalog()
        .table(table)
        .ok_or_else(|| FieldError::new(table, "", "is not a table of the schema"))?;
    super::dump::count(r, t)
}

/// Whether the reader sees any row of `table`.
pub fn has_rows(r: &Reader<'_>, table: &str) -> Result<bool> {
    let t = r
        .catalog()
        .table(table)
        .ok_or_else(|| FieldError::new(table, "", "is not a table of the schema"))?;
    let mut params = Vec::new();
    let visible = super::dump::visible_sql(r.catalog(), t, r.scope(), &mut params);
    Ok(r.conn()
        .prepare(&format!(
            "SELECT EXISTS (SELECT 1 FROM {} t WHERE {visible})",
            quote(&t.name)
        ))?
        .query_row(crate::store::db::params_from_iter(params.iter()), |row| {
            row.get(0)
        })?)
}

/// The lowest and highest rowid of the customers the reader sees (None: no customer).
pub fn customer_rowids(r: &Reader<'_>) -> Result<Option<(i64, i64)>> {
    let mut params = Vec::new();
    let visible = r.scope().customers_sql("c", &mut params);
    let found: (Option<i64>, Option<i64>) = r
        .conn()
        .prepare_cached(&format!(
            "SELECT min(c.rowid), max(c.rowid) FROM customers c WHERE {visible}"
        ))?
        .query_row(crate::store::db::params_from_iter(params.iter()), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    Ok(found.0.zip(found.1))
}

/// The first customer the reader sees at or after `rowid` (a benchmark's random sample).
pub fn customer_at_or_after(r: &Reader<'_>, rowid: i64) -> Result<Option<String>> {
    let mut params = vec![Value::Integer(rowid)];
    let visible = r.scope().customers_sql("c", &mut params);
    Ok(r.conn()
        .prepare_cached(&format!(
            "SELECT c.id FROM customers c WHERE c.rowid >= ?1 AND {visible}
             ORDER BY c.rowid LIMIT 1"
        ))?
        .query_row(crate::store::db::params_from_iter(params.iter()), |row| {
            row.get(0)
        })
        .optional()?)
}
