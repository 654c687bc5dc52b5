//! `cscx export --as-seed T`: a seed table in its own name and columns, read back through the
//! seed map, so the data can go back to the system the seed describes (`\copy T FROM ...
//! CSV HEADER`). Values are written in forms PostgreSQL reads into the seed's types: arrays
//! as `{a,b}`, vectors as `[0.1,...]`, money as decimal dollars, times as stored (UTC).
//!
//! A seed table whose columns live in two of our tables (004's `users`: `client_id` and
//! `role` are a membership) is read from its main table with each other column from the
//! linked row (the first membership of the user, by when it was made): one row per record of
//! the main table, as the seed has it.
//!
//! Unlike a plain export, text that looks like a spreadsheet formula is written as it is:
//! this file is for PostgreSQL's `\copy`, and a neutralised cell would not round-trip.

use std::path::{Path, PathBuf};

use crate::store::Store;
use crate::store::catalog::Catalog;
use crate::store::rows::quote;
use crate::store::seed_map::{self, Entry};

use super::export::{
    ExportError, ExportFormat, ExportOptions, Field, Shape, refuse_targets, write_rows,
};
use crate::store::access::Scope;
use crate::store::read::dump;
use rusqlite::types::Value;

/// Writes each seed table of `names` (`workspan_core.partner_scores`, `004:users`) into
/// `dir` as `NAME.EXT`; returns (file, rows) per table.
pub fn export_as_seed(
    store: &Store,
    names: &[String],
    format: ExportFormat,
    dir: &Path,
    force: bool,
) -> Result<Vec<(PathBuf, u64)>, ExportError> {
    let opts = ExportOptions {
        force,
        keep_formulas: true,
    };
    let entries =
        seed_map::entries().map_err(|e| ExportError::Usage(format!("the seed map: {e}")))?;
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.to_owned(),
        source,
    })?;
    // the actor's scope, as a plain export: rows outside it are never read
    let scope = store
        .scope(false)
        .map_err(|e| ExportError::Store(e.to_string()))?;
    let mut planned = Vec::new();
    for name in names {
        let columns = seed_columns(&entries, name)?;
        let (sql, fields) = select(store.catalog(), name, &columns, &scope)?;
        let file = columns[0].seed_table.clone();
        planned.push((
            dir.join(format!("{file}.{}", format.extension())),
            sql,
            fields,
        ));
    }
    let paths: Vec<PathBuf> = planned.iter().map(|(p, _, _)| p.clone()).collect();
    refuse_targets(store, &paths, opts)?;
    let mut written = Vec::new();
    for (path, (sql, params), fields) in planned {
        let each_row = |f: super::export::EachRow<'_>| {
            let mut stmt = store.conn().prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
            let mut n = 0u64;
            while let Some(row) = rows.next()? {
                let values = (0..fields.len())
                    .map(|i| row.get_ref(i))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                f(&values)?;
                n += 1;
            }
            Ok(n)
        };
        let rows = write_rows(each_row, &fields, format, Shape::Seed, &path, opts)?;
        written.push((path, rows));
    }
    Ok(written)
}

/// The seed map's entries of one seed table, in the seed's column order: `NNN:table` picks
/// the seed where several define a table of that name.
fn seed_columns<'e>(entries: &'e [Entry], name: &str) -> Result<Vec<&'e Entry>, ExportError> {
    let (seed, table) = match name.split_once(':') {
        Some((s, t)) if s.len() == 3 && s.chars().all(|c| c.is_ascii_digit()) => (Some(s), t),
        _ => (None, name),
    };
    let groups: Vec<Vec<&Entry>> = seed_map::for_seed_table(entries, table)
        .into_iter()
        .filter(|g| seed.is_none_or(|s| g[0].seed.starts_with(s)))
        .collect();
    match groups.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(ExportError::Usage(format!(
            "--as-seed {name}: no seed table has this name (cscx schema lists them)"
        ))),
        several => Err(ExportError::Usage(format!(
            "--as-seed {name}: several seeds have a table of this name; pick one: {}",
            several
                .iter()
                .map(|g| format!("{}:{}", g[0].seed_number(), g[0].seed_table))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The SELECT that reads a seed table's rows, and its columns as the file names them.
/// A SELECT and its parameters.
type Statement = (String, Vec<Value>);

/// The statement (and its parameters) that reads seed table `name` for `scope`, and its
/// fields. Secret columns (`users.password_hash`) are written empty, as not stored ones.
fn select(
    catalog: &Catalog,
    name: &str,
    columns: &[&Entry],
    scope: &Scope,
) -> Result<(Statement, Vec<Field>), ExportError> {
    // the main table: where the most columns live (the seed's key is among them)
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for e in columns.iter().filter(|e| e.is_stored()) {
        match counts.iter_mut().find(|(t, _)| *t == e.table) {
            Some((_, n)) => *n += 1,
            None => counts.push((&e.table, 1)),
        }
    }
    let main_name = counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(t, _)| *t)
        .ok_or_else(|| {
            ExportError::Usage(format!("--as-seed {name}: none of its columns is stored"))
        })?;
    let main = catalog
        .table(main_name)
        .ok_or_else(|| ExportError::Usage(format!("--as-seed {name}: no table {main_name}")))?;
    let mut fields = Vec::with_capacity(columns.len());
    for e in columns {
        let secret = catalog
            .table(&e.table)
            .and_then(|t| t.column(&e.column))
            .is_some_and(|c| c.secret);
        let field = if !e.is_stored() || secret {
            Field {
                name: e.seed_column.clone(),
                column: None,
                sql: "NULL".to_owned(),
            }
        } else {
            let table = catalog.table(&e.table).ok_or_else(|| {
                ExportError::Usage(format!("--as-seed {name}: no table {}", e.table))
            })?;
            let column = table.column(&e.column).cloned().ok_or_else(|| {
                ExportError::Usage(format!(
                    "--as-seed {name}: no column {}.{}",
                    e.table, e.column
                ))
            })?;
            let sql = if e.table == main.name {
                format!("t.{}", quote(&e.column))
            } else {
                // a linked row: the one that refers to this row (the first, by rowid)
                let fk = table
                    .foreign_keys
                    .iter()
                    .find(|fk| fk.parent == main.name && fk.columns.len() == 1)
                    .ok_or_else(|| {
                        ExportError::Usage(format!(
                            "--as-seed {name}: {}.{} is not linked to {}",
                            e.table, e.column, main.name
                        ))
                    })?;
                format!(
                    "(SELECT l.{} FROM {} l WHERE l.{} = t.{} ORDER BY l.rowid LIMIT 1)",
                    quote(&e.column),
                    quote(&table.name),
                    quote(&fk.columns[0]),
                    quote(&fk.parent_columns[0])
                )
            };
            Field {
                name: e.seed_column.clone(),
                column: Some(column),
                sql,
            }
        };
        fields.push(field);
    }
    let mut params = Vec::new();
    let visible = dump::visible_sql(catalog, main, scope, &mut params);
    let sql = format!(
        "SELECT {} FROM {} t WHERE {visible} ORDER BY t.rowid",
        fields
            .iter()
            .map(|f| f.sql.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        quote(&main.name)
    );
    Ok(((sql, params), fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_table_is_named_once_or_with_its_seed() {
        let entries = seed_map::entries().unwrap();
        let e = seed_columns(&entries, "users").unwrap_err();
        assert!(e.to_string().contains("004:users"), "{e}");
        let users = seed_columns(&entries, "004:users").unwrap();
        assert!(users.iter().any(|e| e.seed_column == "password_hash"));
        assert!(seed_columns(&entries, "workspan_core.partner_scores").is_ok());
        assert!(seed_columns(&entries, "nope").is_err());
    }

    #[test]
    fn linked_columns_come_from_the_first_linked_row() {
        let store = crate::store::open_in_memory().unwrap();
        let entries = seed_map::entries().unwrap();
        let users = seed_columns(&entries, "004:users").unwrap();
        let scope = store.scope(false).unwrap();
        let ((sql, _), fields) = select(store.catalog(), "004:users", &users, &scope).unwrap();
        assert!(sql.contains("FROM \"users\" t"), "{sql}");
        let role = fields.iter().find(|f| f.name == "role").unwrap();
        assert!(role.sql.contains("workspace_members"), "{}", role.sql);
        // the statement is valid SQL over the schema
        store.conn().prepare(&sql).unwrap();
    }
}
