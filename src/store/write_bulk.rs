//! The lean write path for bulk loads (`cscx import` of up to millions of rows).
//!
//! [`WriteTx::insert_row`] reads every row back and keeps a `Change` (old and new JSON) per
//! row, so that `activity_log` and the health engine know exactly what moved: right for a
//! form, too slow and not flat in memory for a million rows. [`WriteTx::bulk_insert`] applies
//! the same rules through the same functions — required columns (`Column::required`),
//! cross-column rules (`rules::check_row`), references and workspace crossing
//! (`WriteTx::check_reference`), the actor's scope (`WriteTx::check_scope_of`), SQLite's own
//! constraints translated by `constraint_error` — with cached prepared statements, no
//! read-back and no per-row `Change`. The customers it touches are collected in
//! [`BulkState`] so that the caller recomputes their health once, and the caller logs one
//! summary entry instead of one per row.
//!
//! Values are expected already parsed (`fields::parse_text` or `fields::check`).

use std::collections::{BTreeSet, HashMap};

use crate::store::db::params_from_iter;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use super::bulk::BulkLoad;
use super::catalog::{ForeignKey, Table};
use super::error::{FieldError, Result, StoreError};
use super::health_sync;
use super::ids;
use super::rows::{self, Row, quote};
use super::rules;
use super::write::{HealthChange, WriteTx, constraint_error, key_text, value_text};

/// What to do with a row whose key (or another UNIQUE set of its columns) already exists.
/// (`cscx import --on-conflict` takes these values by name: clap's derive is the only
/// knowledge of the command line here.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OnConflict {
    /// Fail on a row whose key exists (nothing is written)
    #[default]
    Abort,
    /// Keep the existing row
    Skip,
    /// Overwrite the existing row's columns (an UPDATE, never a DELETE: SQLite's REPLACE
    /// would cascade-delete the row's children)
    Replace,
}

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    Updated,
    Skipped,
}

/// Columns kept by triggers (`0004_derived.sql`, `0005_dashboard.sql`): a value from a file
/// would be double counted (open_approvals is incremented per pending approval) or stale (the
/// CSM's name), so bulk loads ignore it.
pub const DERIVED_COLUMNS: &[(&str, &str)] = &[
    ("customers", "renewal_date"),
    ("customers", "open_approvals"),
    ("customers", "csm_sort"),
];

pub fn is_derived(table: &str, column: &str) -> bool {
    DERIVED_COLUMNS.contains(&(table, column))
}

/// Caches below are cleared when they reach this many entries, so memory stays bounded
/// whatever the size of the load.
const CACHE_LIMIT: usize = 100_000;

/// Page cache of a paused (large) load, in KiB as `PRAGMA cache_size` takes it (negative).
const BULK_CACHE_KIB: i64 = -32 * 1024;

/// Referenced value → the row workspaces the reference was checked for.
type CheckedRefs = HashMap<String, Vec<Option<String>>>;

/// State of one bulk load: caches, paused indexes, the customers touched.
#[derive(Default)]
pub struct BulkState {
    /// (table, fk index) → referenced value → row workspaces it was checked for.
    refs_ok: HashMap<(String, usize), CheckedRefs>,
    /// max(rowid) of each table before this load first wrote it: rows above were written by
    /// this load (duplicates inside the load are told apart from rows that existed).
    start_rowid: HashMap<String, i64>,
    /// (table, bitmask of row positions) → column names and INSERT statement.
    insert_sql: HashMap<(String, u64), (Vec<String>, String)>,
    /// (table, column) whose reference is checked by the caller at the end of the load (the
    /// parent is loaded later: a nullable cycle such as analysis_jobs ↔ provenance).
    deferred: Vec<(String, String)>,
    /// What [`WriteTx::pause_table`] took out, per table, to be put back.
    paused: Vec<(String, BulkLoad)>,
    /// The page cache size before a pause grew it (restored by `finish_bulk`).
    cache_size: Option<i64>,
    touched: BTreeSet<String>,
}

impl BulkState {
    pub fn new() -> Self {
        Self::default()
    }

    /// Leave the reference check of `table.column` to the caller (see [`WriteTx::check_deferred`]).
    pub fn defer_reference(&mut self, table: &str, column: &str) {
        self.deferred.push((table.to_owned(), column.to_owned()));
    }

    pub fn is_deferred_reference(&self, table: &str, column: &str) -> bool {
        self.deferred.iter().any(|(t, c)| t == table && c == column)
    }

    /// Customers whose rows this load inserted or changed.
    pub fn touched_customers(&self) -> &BTreeSet<String> {
        &self.touched
    }

    pub fn is_paused(&self, table: &str) -> bool {
        self.paused.iter().any(|(t, _)| t == table)
    }
}

/// A search for the rows a name refers to: rows of `parent` whose `column` equals the text
/// (ignoring case unless `exact`), within `scope` (column = value; with `true`, a NULL in that
/// column matches too); their `referenced` column, at most `limit` of them.
#[derive(Debug, Clone, Copy)]
pub struct KeyLookup<'a> {
    pub parent: &'a str,
    pub referenced: &'a str,
    pub column: &'a str,
    pub exact: bool,
    pub scope: &'a [(&'a str, &'a Value, bool)],
    pub limit: usize,
}

/// The row that a new row collides with.
struct Existing {
    rowid: i64,
    key: Row,
    columns: Vec<String>,
}

impl<'c> WriteTx<'c> {
    /// Inserts `row` into `table_name` with the store's validation, or applies `on_conflict`
    /// when a row with the same key (or UNIQUE columns) exists. A generated key is written
    /// into `row`, and after a skip or replace `row` carries the existing row's key, so the
    /// caller can link other rows to it.
    pub fn bulk_insert(
        &mut self,
        st: &mut BulkState,
        table_name: &str,
        row: &mut Row,
        on_conflict: OnConflict,
    ) -> Result<Outcome> {
        self.set_verb("import");
        let table = self.table(table_name)?;
        self.note_start(st, table)?;
        let generated = generate_key(table, row);
        if on_conflict != OnConflict::Abort
            && let Some(existing) = self.find_existing(table, row)?
        {
            self.check_not_duplicate(st, table, row, &existing)?;
            if !generated && !same_key(&existing.key, row) {
                return Err(conflicting_key(table, &existing, row));
            }
            for (c, v) in &existing.key {
                rows::set(row, c, v.clone());
            }
            return match on_conflict {
                OnConflict::Skip => Ok(Outcome::Skipped),
                _ => {
                    self.bulk_replace(st, table, row, &existing)?;
                    Ok(Outcome::Updated)
                }
            };
        }
        self.validate_bulk(st, table, row, None)?;
        if let Err(e) = self.execute_insert(st, table, row) {
            return Err(self.explain_insert_error(st, table, row, e));
        }
        let customers = self.customers_of(table, row)?;
        st.touched.extend(customers);
        Ok(Outcome::Inserted)
    }

    /// Required columns, row rules, references (cached), workspace scope. `old` is the stored
    /// row a replace merges into (then only the columns of `patch` are checked as references).
    fn validate_bulk(
        &self,
        st: &mut BulkState,
        table: &Table,
        row: &Row,
        patch: Option<&Row>,
    ) -> Result<()> {
        for column in table.columns.iter().filter(|c| c.required()) {
            if !matches!(rows::get(row, &column.name), Some(v) if *v != Value::Null) {
                return Err(FieldError::new(&table.name, &column.name, "is required").into());
            }
        }
        rules::check_row(self.conn(), &table.name, row, rules::Origin::History)?;
        let workspace = self.workspace_of(table, row)?;
        for (i, fk) in table.foreign_keys.iter().enumerate() {
            if let Some(p) = patch
                && !fk.columns.iter().any(|c| rows::get(p, c).is_some())
            {
                continue;
            }
            if fk.parent == table.name && fk.parent_columns == table.key {
                continue;
            }
            if fk.columns.len() == 1 && st.is_deferred_reference(&table.name, &fk.columns[0]) {
                continue;
            }
            let values: Vec<&Value> = fk
                .columns
                .iter()
                .filter_map(|c| rows::get(row, c))
                .collect();
            if values.len() != fk.columns.len() || values.iter().any(|v| **v == Value::Null) {
                continue;
            }
            self.check_reference_cached(st, table, i, fk, &values, workspace.as_deref())?;
        }
        self.check_scope_of(workspace.as_deref(), table, row)
    }

    fn check_reference_cached(
        &self,
        st: &mut BulkState,
        table: &Table,
        index: usize,
        fk: &ForeignKey,
        values: &[&Value],
        workspace: Option<&str>,
    ) -> Result<()> {
        // single text keys are cached: the same customer or user is referenced by many rows
        let Value::Text(text) = values[0] else {
            return self.check_reference(table, fk, values, workspace);
        };
        if values.len() == 1 {
            let cache_key = (table.name.clone(), index);
            if let Some(seen) = st
                .refs_ok
                .get(&cache_key)
                .and_then(|m| m.get(text.as_str()))
                && seen.iter().any(|w| w.as_deref() == workspace)
            {
                return Ok(());
            }
            self.check_reference(table, fk, values, workspace)?;
            let cache = st.refs_ok.entry(cache_key).or_default();
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache
                .entry(text.clone())
                .or_default()
                .push(workspace.map(str::to_owned));
            return Ok(());
        }
        self.check_reference(table, fk, values, workspace)
    }

    /// Checks a reference whose check was deferred to the end of the load.
    pub fn check_deferred(&self, table_name: &str, column: &str, value: &Value) -> Result<()> {
        let table = self.table(table_name)?;
        let fk = table.reference(column).ok_or_else(|| {
            FieldError::new(table_name, column, "is not a reference of this table")
        })?;
        self.check_reference(table, fk, &[value], None)
    }

    fn note_start(&self, st: &mut BulkState, table: &Table) -> Result<()> {
        if !st.start_rowid.contains_key(&table.name) {
            let sql = format!("SELECT ifnull(max(rowid), 0) FROM {}", quote(&table.name));
            let max: i64 = self.conn().query_row(&sql, [], |r| r.get(0))?;
            st.start_rowid.insert(table.name.clone(), max);
        }
        Ok(())
    }

    fn execute_insert(
        &self,
        st: &mut BulkState,
        table: &Table,
        row: &Row,
    ) -> std::result::Result<(), rusqlite::Error> {
        // NULL in a column with a DEFAULT means "the default"; derived columns are the
        // triggers' business
        let mut mask = 0u64;
        for (i, (c, v)) in row.iter().enumerate().take(64) {
            let has_default = table.column(c).is_some_and(|c| c.has_default);
            let skip = is_derived(&table.name, c) || (*v == Value::Null && has_default);
            if !skip {
                mask |= 1 << i;
            }
        }
        let included = |i: usize| i < 64 && mask & (1 << i) != 0;
        let key = (table.name.clone(), mask);
        let fresh = match st.insert_sql.get(&key) {
            Some((names, _)) => !row
                .iter()
                .enumerate()
                .filter(|(i, _)| included(*i))
                .map(|(_, (c, _))| c)
                .eq(names.iter()),
            None => true,
        };
        if fresh {
            let names: Vec<String> = row
                .iter()
                .enumerate()
                .filter(|(i, _)| included(*i))
                .map(|(_, (c, _))| c.clone())
                .collect();
            let columns: Vec<String> = names.iter().map(|c| quote(c)).collect();
            let marks = vec!["?"; names.len()].join(", ");
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({marks})",
                quote(&table.name),
                columns.join(", ")
            );
            st.insert_sql.insert(key.clone(), (names, sql));
        }
        let sql = &st.insert_sql[&key].1;
        self.conn().prepare_cached(sql)?.execute(params_from_iter(
            row.iter()
                .enumerate()
                .filter(|(i, _)| included(*i))
                .map(|(_, (_, v))| v),
        ))?;
        Ok(())
    }

    /// A failed INSERT as a field error: a UNIQUE collision says whether the other row came
    /// earlier in this load or was already there.
    fn explain_insert_error(
        &self,
        st: &BulkState,
        table: &Table,
        row: &Row,
        e: rusqlite::Error,
    ) -> StoreError {
        if e.to_string().contains("UNIQUE constraint failed")
            && let Ok(Some(existing)) = self.find_existing(table, row)
        {
            return match self.check_not_duplicate(st, table, row, &existing) {
                Err(duplicate) => duplicate,
                Ok(()) => FieldError::new(
                    &table.name,
                    &existing.columns.join(", "),
                    "already exists in the database (see --on-conflict)",
                )
                .with_value(shown(row, &existing.columns))
                .into(),
            };
        }
        constraint_error(table, e)
    }

    fn check_not_duplicate(
        &self,
        st: &BulkState,
        table: &Table,
        row: &Row,
        existing: &Existing,
    ) -> Result<()> {
        let start = st.start_rowid.get(&table.name).copied().unwrap_or(i64::MAX);
        if existing.rowid > start {
            return Err(FieldError::new(
                &table.name,
                &existing.columns.join(", "),
                "duplicates a row earlier in this import",
            )
            .with_value(shown(row, &existing.columns))
            .into());
        }
        Ok(())
    }

    /// The stored row sharing a UNIQUE set of columns (the key included) with `row`.
    fn find_existing(&self, table: &Table, row: &Row) -> Result<Option<Existing>> {
        for unique in &table.uniques {
            let values: Vec<&Value> = unique.iter().filter_map(|c| rows::get(row, c)).collect();
            if values.len() != unique.len() || values.iter().any(|v| **v == Value::Null) {
                continue;
            }
            let key_columns: Vec<String> = if table.key.is_empty() {
                vec!["rowid".into()]
            } else {
                table.key.clone()
            };
            let select: Vec<String> = key_columns.iter().map(|c| quote(c)).collect();
            let filter: Vec<String> = unique.iter().map(|c| format!("{} = ?", quote(c))).collect();
            let sql = format!(
                "SELECT rowid, {} FROM {} WHERE {} LIMIT 1",
                select.join(", "),
                quote(&table.name),
                filter.join(" AND ")
            );
            let found = self
                .conn()
                .prepare_cached(&sql)?
                .query_row(params_from_iter(values.iter().copied()), |r| {
                    let rowid: i64 = r.get(0)?;
                    let mut key = Row::with_capacity(key_columns.len());
                    for (i, c) in key_columns.iter().enumerate() {
                        key.push((c.clone(), r.get::<_, Value>(i + 1)?));
                    }
                    Ok((rowid, key))
                })
                .optional()?;
            if let Some((rowid, key)) = found {
                return Ok(Some(Existing {
                    rowid,
                    key,
                    columns: unique.clone(),
                }));
            }
        }
        Ok(None)
    }

    /// Overwrites the columns `row` gives on the existing row (the key stays).
    fn bulk_replace(
        &mut self,
        st: &mut BulkState,
        table: &Table,
        row: &Row,
        existing: &Existing,
    ) -> Result<()> {
        let old = rows::read_json(self.conn(), table, &existing.key)?.ok_or_else(|| {
            StoreError::NotFound {
                entity: table.name.clone(),
                id: key_text(&existing.key),
            }
        })?;
        let old_row = rows::stored_row(table, &old)?;
        let patch: Row = row
            .iter()
            .filter(|(c, v)| {
                let column = table.column(c);
                let is_key = existing.key.iter().any(|(k, _)| k == c);
                let is_rowid = column.is_some_and(|c| c.is_rowid_alias);
                let default = *v == Value::Null && column.is_some_and(|c| c.has_default);
                !(is_key || is_rowid || default || is_derived(&table.name, c))
            })
            .cloned()
            .collect();
        let mut merged = old_row.clone();
        for (c, v) in &patch {
            rows::set(&mut merged, c, v.clone());
        }
        self.check_row_scope(table, &old_row)?;
        self.validate_bulk(st, table, &merged, Some(&patch))?;
        if !patch.is_empty() {
            let set: Vec<String> = patch
                .iter()
                .map(|(c, _)| format!("{} = ?", quote(c)))
                .collect();
            let filter: Vec<String> = existing
                .key
                .iter()
                .map(|(c, _)| format!("{} = ?", quote(c)))
                .collect();
            let sql = format!(
                "UPDATE {} SET {} WHERE {}",
                quote(&table.name),
                set.join(", "),
                filter.join(" AND ")
            );
            self.conn()
                .prepare_cached(&sql)?
                .execute(params_from_iter(
                    patch.iter().chain(&existing.key).map(|(_, v)| v),
                ))
                .map_err(|e| constraint_error(table, e))?;
        }
        st.touched.extend(self.customers_of(table, &old_row)?);
        st.touched.extend(self.customers_of(table, &merged)?);
        Ok(())
    }

    fn check_row_scope(&self, table: &Table, row: &Row) -> Result<()> {
        let workspace = self.workspace_of(table, row)?;
        self.check_scope_of(workspace.as_deref(), table, row)
    }

    // ---- reads a load needs ---------------------------------------------------------------

    /// Values of `lookup.referenced` of the rows of `lookup.parent` whose `lookup.column`
    /// equals `text` (see [`KeyLookup`]). Used to resolve references given by natural key.
    pub fn find_keys(&self, lookup: &KeyLookup<'_>, text: &str) -> Result<Vec<String>> {
        let KeyLookup {
            parent,
            referenced,
            column,
            exact,
            scope,
            limit,
        } = *lookup;
        let table = self.table(parent)?;
        for c in [referenced, column]
            .into_iter()
            .chain(scope.iter().map(|(c, _, _)| *c))
        {
            if !table.has_column(c) {
                return Err(FieldError::new(parent, c, "is not a column of this table").into());
            }
        }
        let mut filter = vec![format!(
            "{} = ?{}",
            quote(column),
            if exact { "" } else { " COLLATE NOCASE" }
        )];
        for (c, _, or_null) in scope {
            filter.push(if *or_null {
                format!("({0} = ? OR {0} IS NULL)", quote(c))
            } else {
                format!("{} = ?", quote(c))
            });
        }
        let sql = format!(
            "SELECT DISTINCT CAST({} AS TEXT) FROM {} WHERE {} LIMIT {limit}",
            quote(referenced),
            quote(parent),
            filter.join(" AND ")
        );
        let text = Value::Text(text.to_owned());
        let params = std::iter::once(&text).chain(scope.iter().map(|(_, v, _)| *v));
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let found = stmt
            .query_map(params_from_iter(params), |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(found)
    }

    /// Up to `limit` workspaces (id, name), by name: the default tenant of a load is the only
    /// one there is.
    pub fn workspaces(&self, limit: usize) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name FROM workspaces ORDER BY name LIMIT ?1")?;
        let found = stmt
            .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(found)
    }

    /// The next version number of a customer's KPI uploads (seed 002: version increments per
    /// upload).
    pub fn next_kpi_upload_version(&self, workspace: &str, customer: Option<&str>) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT ifnull(max(version), 0) + 1 FROM kpi_uploads
             WHERE workspace_id = ?1 AND customer_id IS ?2",
            rusqlite::params![workspace, customer],
            |r| r.get(0),
        )?)
    }

    /// Rows of `table` (to decide whether pausing its indexes pays off).
    pub fn count_rows(&self, table: &str) -> Result<i64> {
        let table = self.table(table)?;
        let sql = format!("SELECT count(*) FROM {}", quote(&table.name));
        Ok(self.conn().query_row(&sql, [], |r| r.get(0))?)
    }

    // ---- pausing per-row work on a table ---------------------------------------------------

    /// Takes `table`'s secondary indexes, full-text triggers and derived-column triggers out of
    /// the way for a large load; [`WriteTx::finish_bulk`] rebuilds them in one pass each.
    /// Like `store::bulk::BulkLoad`, but for one table: the indexes of the tables a load reads
    /// (natural-key lookups by customer name, ...) stay. DDL is transactional: a failed or
    /// killed load restores everything with its rollback.
    pub fn pause_table(&mut self, st: &mut BulkState, table: &str) -> Result<()> {
        if st.is_paused(table) {
            return Ok(());
        }
        let conn = self.conn();
        let paused = BulkLoad::begin_table(conn, table)?;
        // a large load keeps its working set in memory instead of spilling pages of the open
        // transaction to the WAL and reading them back: a fixed 32 MiB, so memory stays flat
        if st.cache_size.is_none() && conn.engine() == crate::store::db::Engine::Sqlite {
            let before: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
            conn.pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
            st.cache_size = Some(before);
        }
        st.paused.push((table.to_owned(), paused));
        Ok(())
    }

    /// Puts back what [`WriteTx::pause_table`] took out: indexes (built sorted, once), full-text
    /// indexes (FTS5 `rebuild`), derived columns (recomputed), then the triggers.
    pub fn finish_bulk(&mut self, st: &mut BulkState) -> Result<()> {
        let conn = self.conn();
        // the index sorter takes as much memory as the page cache: back to the usual size
        // first, so that rebuilding the indexes of a huge table does not double the peak
        if let Some(size) = st.cache_size.take() {
            conn.pragma_update(None, "cache_size", size)?;
        }
        for (_, paused) in st.paused.drain(..) {
            paused.finish(conn)?;
        }
        Ok(())
    }

    /// Recomputes the health of every customer the load touched (once each); returns the
    /// scores that moved.
    pub fn recompute_touched(&mut self, st: &BulkState) -> Result<Vec<HealthChange>> {
        if st.touched.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = st.touched.iter().cloned().collect();
        // a load obeys the one-primary rule as a form does: the row loaded last stays primary
        for customer in &ids {
            super::rules::keep_last_primary(self.conn(), customer)?;
        }
        let moved = health_sync::recompute(self, Some(&ids))?;
        // the playbooks the loaded rows open, as an edit of these customers would
        super::playbooks::evaluate(
            self,
            &ids,
            &moved,
            &super::playbooks::Clock::wall(self.today()),
        )?;
        Ok(moved)
    }
}

/// Sets a fresh id when the row's single text key (`id`, `execution_id`) is missing; true if
/// it did.
fn generate_key(table: &Table, row: &mut Row) -> bool {
    let [key] = table.key.as_slice() else {
        return false;
    };
    let is_text_key = table
        .column(key)
        .is_some_and(|c| !c.is_rowid_alias && c.kind == super::catalog::Kind::Text);
    if is_text_key && !matches!(rows::get(row, key), Some(Value::Text(_))) {
        rows::set(row, key, Value::Text(ids::new_id()));
        return true;
    }
    false
}

fn same_key(key: &Row, row: &Row) -> bool {
    key.iter().all(|(c, v)| match (rows::get(row, c), v) {
        (Some(a), b) => a == b,
        (None, _) => true,
    })
}

fn conflicting_key(table: &Table, existing: &Existing, row: &Row) -> StoreError {
    FieldError::new(
        &table.name,
        &existing.columns.join(", "),
        format!(
            "belongs to another row ({}) than this row's key",
            key_text(&existing.key)
        ),
    )
    .with_value(shown(row, &existing.columns))
    .into()
}

fn shown(row: &Row, columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| rows::get(row, c).map(value_text).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(", ")
}

impl WriteTx<'_> {
    /// Starts a savepoint around one record of a load that writes several rows per record, so
    /// that a record rejected halfway leaves none of its rows.
    pub fn begin_record(&self) -> Result<()> {
        Ok(self.conn().execute_batch("SAVEPOINT cscx_record")?)
    }

    pub fn keep_record(&self) -> Result<()> {
        Ok(self.conn().execute_batch("RELEASE cscx_record")?)
    }

    pub fn undo_record(&self) -> Result<()> {
        Ok(self
            .conn()
            .execute_batch("ROLLBACK TO cscx_record; RELEASE cscx_record")?)
    }
}
