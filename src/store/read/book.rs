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

/// The first `limit` customers the reader sees that have a workspace, each with someone to
/// log a call as: their CSM, else a member of their workspace (a benchmark's writers).
pub fn call_targets(r: &Reader<'_>, limit: i64) -> Result<Vec<(String, String, Option<String>)>> {
    let mut params = Vec::new();
    let visible = r.scope().customers_sql("c", &mut params);
    params.push(Value::Integer(limit));
    let sql = format!(
        "SELECT c.id, c.workspace_id, coalesce(c.csm_id, (SELECT min(m.user_id)
                  FROM workspace_members m WHERE m.workspace_id = c.workspace_id))
         FROM customers c WHERE c.workspace_id IS NOT NULL AND {visible}
         ORDER BY c.rowid LIMIT ?{}",
        params.len()
    );
    let mut stmt = r.conn().prepare(&sql)?;
    let rows = stmt.query_map(crate::store::db::params_from_iter(params.iter()), |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many of `ids` are rows of `table` (by its `id`) the book holds.
pub fn present(r: &Reader<'_>, table: &str, ids: &[String]) -> Result<u64> {
    let t = r
        .catalog()
        .table(table)
        .ok_or_else(|| FieldError::new(table, "", "is not a table of the schema"))?;
    let mut stmt = r.conn().prepare_cached(&format!(
        "SELECT count(*) FROM {} WHERE id = ?1",
        quote(&t.name)
    ))?;
    let mut n = 0u64;
    for id in ids {
        let found: i64 = stmt.query_row([id], |row| row.get(0))?;
        n += u64::try_from(found).unwrap_or(0);
    }
    Ok(n)
}
