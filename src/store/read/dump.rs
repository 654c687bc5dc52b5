//! Whole tables, row by row, as the reader's scope allows: what `cscx export` writes.
//! Secret columns ([`SECRET_COLUMNS`](crate::store::catalog::SECRET_COLUMNS)) are never
//! selected, and a row outside the scope is never read.

use crate::store::db::params_from_iter;
use rusqlite::types::{Value, ValueRef};

use super::reader::Reader;

use crate::store::access::Scope;
use crate::store::catalog::{Column, CustomerLink, Table};
use crate::store::error::Result;
use crate::store::rows::quote;
use crate::store::write::owner_column;

/// The columns [`each_row`] yields for `table`, in order: every data column but the secrets.
pub fn columns(table: &Table) -> Vec<&Column> {
    table.data_columns().filter(|c| !c.secret).collect()
}

/// Rows the schema ships (its migrations write them, every database has them): the shipped
/// playbook definitions. An export leaves them out, so that it imports into a fresh
/// database, which has them already. (`access_rules` is all schema: left out whole.)
pub fn shipped_rows_sql(table: &str) -> Option<&'static str> {
    match table {
        "playbooks" => Some("t.workspace_id IS NULL"),
        "playbook_steps" => Some(
            "EXISTS (SELECT 1 FROM playbooks p WHERE p.playbook_id = t.playbook_id \
             AND p.workspace_id IS NULL)",
        ),
        _ => None,
    }
}

/// The condition (on alias `t`) that keeps the rows of `table` that `scope` may see.
pub(crate) fn visible_sql(
    catalog: &crate::store::Catalog,
    table: &Table,
    scope: &Scope,
    params: &mut Vec<Value>,
) -> String {
    if scope.is_everything() {
        return "TRUE".into();
    }
    let has_workspace = table.has_column("workspace_id");
    match catalog.customer_link(&table.name) {
        Some(CustomerLink::Own) => scope.customers_sql("t", params),
        Some(CustomerLink::Column(c)) if has_workspace => scope.row_sql(
            "t.workspace_id",
            &format!("t.{}", quote(&c)),
            owner_column(&table.name)
                .map(|o| format!("t.{o}"))
                .as_deref(),
            params,
        ),
        Some(CustomerLink::Column(c)) => {
            let cond = scope.customers_sql("sc", params);
            format!(
                "EXISTS (SELECT 1 FROM customers sc WHERE sc.id = t.{} AND {cond})",
                quote(&c)
            )
        }
        Some(CustomerLink::Via {
            column,
            parent,
            parent_column,
        }) => {
            let cond = scope.customers_sql("sc", params);
            format!(
                "EXISTS (SELECT 1 FROM {} p JOIN customers sc ON sc.id = p.customer_id
                         WHERE p.{} = t.{} AND {cond})",
                quote(&parent),
                quote(&parent_column),
                quote(&column)
            )
        }
        None if has_workspace => scope.workspace_sql("t.workspace_id", params),
        None if table.name == "workspaces" => scope.workspace_sql("t.id", params),
        None if table.name == "users" => {
            // people the reader works with: members of a workspace they see
            let ws = scope.workspace_sql("m.workspace_id", params);
            format!("EXISTS (SELECT 1 FROM workspace_members m WHERE m.user_id = t.id AND {ws})")
        }
        // what every workspace shares (KPI reference ranges, regions, the policy itself)
        None => "TRUE".into(),
    }
}

/// Calls `f` with each visible row of `table` (values in [`columns`] order), in rowid order.
/// Returns how many rows it read.
pub fn each_row(
    r: &Reader<'_>,
    table: &Table,
    mut f: impl FnMut(&[ValueRef<'_>]) -> std::result::Result<(), Box<dyn std::error::Error>>,
) -> std::result::Result<u64, Box<dyn std::error::Error>> {
    let columns = columns(table);
    let select: Vec<String> = columns
        .iter()
        .map(|c| format!("t.{}", quote(&c.name)))
        .collect();
    let (conn, catalog, scope) = (r.conn(), r.catalog(), r.scope());
    let mut params = Vec::new();
    let mut visible = visible_sql(catalog, table, scope, &mut params);
    if let Some(shipped) = shipped_rows_sql(&table.name) {
        visible = format!("{visible} AND NOT ({shipped})");
    }
    let order = if table.is_view {
        ""
    } else {
        "ORDER BY t.rowid"
    };
    let sql = format!(
        "SELECT {} FROM {} t WHERE {visible} {order}",
        select.join(", "),
        quote(&table.name)
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        let values = (0..columns.len())
            .map(|i| row.get_ref(i))
            .collect::<rusqlite::Result<Vec<ValueRef<'_>>>>()?;
        f(&values)?;
        n += 1;
    }
    Ok(n)
}

/// The column that names one row of `table` in [`rows_by_key`]: its single key column, or
/// SQLite's rowid where the key has several columns (or none).
pub fn key_column(table: &Table) -> String {
    match table.key.as_slice() {
        [one] => format!("t.{}", quote(one)),
        _ => "t.rowid".to_owned(),
    }
}

/// Calls `f` with each row of `table` (values in [`columns`] order) whose `key` (SQL on
/// alias `t`: [`key_column`], or `t.rowid`) is in `keys`, in the order of `keys`; rows the reader may not see, or
/// that are gone, are skipped. Returns how many rows it gave. Keys are bound as parameters,
/// a few hundred at a time (a view's page).
pub fn rows_by_key(
    r: &Reader<'_>,
    table: &Table,
    key: &str,
    keys: &[Value],
    mut f: impl FnMut(&[ValueRef<'_>]) -> std::result::Result<(), Box<dyn std::error::Error>>,
) -> std::result::Result<u64, Box<dyn std::error::Error>> {
    if keys.is_empty() {
        return Ok(0);
    }
    let columns = columns(table);
    let select: Vec<String> = columns
        .iter()
        .map(|c| format!("t.{}", quote(&c.name)))
        .collect();
    let mut params = Vec::new();
    let visible = visible_sql(r.catalog(), table, r.scope(), &mut params);
    let first = params.len() + 1;
    params.extend(keys.iter().cloned());
    let placeholders: Vec<String> = (first..first + keys.len())
        .map(|i| format!("?{i}"))
        .collect();
    let sql = format!(
        "SELECT {key}, {} FROM {} t WHERE {visible} AND {key} IN ({})",
        select.join(", "),
        quote(&table.name),
        placeholders.join(", ")
    );
    let mut stmt = r.conn().prepare(&sql)?;
    let mut found: std::collections::HashMap<KeyOf, Vec<Value>> =
        std::collections::HashMap::with_capacity(keys.len());
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    while let Some(row) = rows.next()? {
        let k = KeyOf::of(row.get_ref(0)?);
        let values = (1..=columns.len())
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<Value>>>()?;
        found.insert(k, values);
    }
    let mut n = 0u64;
    for k in keys {
        if let Some(values) = found.get(&KeyOf::of(ValueRef::from(k))) {
            let refs: Vec<ValueRef<'_>> = values.iter().map(ValueRef::from).collect();
            f(&refs)?;
            n += 1;
        }
    }
    Ok(n)
}

/// A key as a map key (SQLite values are not `Hash`: reals are not).
#[derive(PartialEq, Eq, Hash)]
enum KeyOf {
    Int(i64),
    Text(Vec<u8>),
    Other,
}

impl KeyOf {
    fn of(v: ValueRef<'_>) -> KeyOf {
        match v {
            ValueRef::Integer(i) => KeyOf::Int(i),
            ValueRef::Text(t) | ValueRef::Blob(t) => KeyOf::Text(t.to_vec()),
            _ => KeyOf::Other,
        }
    }
}

/// Whether [`each_row`] would yield nothing because every row of `table` is shipped with the
/// schema ([`shipped_rows_sql`]): an export of everything leaves such a table out.
pub fn only_shipped(r: &Reader<'_>, table: &Table) -> Result<bool> {
    let Some(shipped) = shipped_rows_sql(&table.name) else {
        return Ok(false);
    };
    let sql = format!(
        "SELECT NOT EXISTS (SELECT 1 FROM {} t WHERE NOT ({shipped}))",
        quote(&table.name)
    );
    Ok(r.conn().query_row(&sql, [], |row| row.get(0))?)
}

/// How many rows of `table` `scope` may see (the test matrix compares it with an oracle).
pub fn count(r: &Reader<'_>, table: &Table) -> Result<i64> {
    let (conn, catalog, scope) = (r.conn(), r.catalog(), r.scope());
    let mut params = Vec::new();
    let visible = visible_sql(catalog, table, scope, &mut params);
    let sql = format!(
        "SELECT count(*) FROM {} t WHERE {visible}",
        quote(&table.name)
    );
    Ok(conn
        .prepare(&sql)?
        .query_row(params_from_iter(params.iter()), |r| r.get(0))?)
}

/// One column of a projection of a table (`export --as-seed`): a column of the row itself, a
/// column of the first row of another table that refers to it, or nothing (a column the
/// schema does not store, or a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Null,
    Own(String),
    /// `table.column` of the first row (by rowid) whose `fk` equals this row's `parent`.
    Linked {
        table: String,
        column: String,
        fk: String,
        parent: String,
    },
}

/// The SELECT of [`each_projected_row`] and its parameters.
pub(crate) fn projected_sql(r: &Reader<'_>, main: &Table, picks: &[Pick]) -> (String, Vec<Value>) {
    let exprs: Vec<String> = picks
        .iter()
        .map(|p| match p {
            Pick::Null => "NULL".to_owned(),
            Pick::Own(c) => format!("t.{}", quote(c)),
            Pick::Linked {
                table,
                column,
                fk,
                parent,
            } => format!(
                "(SELECT l.{} FROM {} l WHERE l.{} = t.{} ORDER BY l.rowid LIMIT 1)",
                quote(column),
                quote(table),
                quote(fk),
                quote(parent)
            ),
        })
        .collect();
    let mut params = Vec::new();
    let visible = visible_sql(r.catalog(), main, r.scope(), &mut params);
    (
        format!(
            "SELECT {} FROM {} t WHERE {visible} ORDER BY t.rowid",
            exprs.join(", "),
            quote(&main.name)
        ),
        params,
    )
}

/// Calls `f` with the `picks` of each row of `main` the reader may see, in rowid order.
/// Returns how many rows it read.
pub fn each_projected_row(
    r: &Reader<'_>,
    main: &Table,
    picks: &[Pick],
    mut f: impl FnMut(&[ValueRef<'_>]) -> std::result::Result<(), Box<dyn std::error::Error>>,
) -> std::result::Result<u64, Box<dyn std::error::Error>> {
    let (sql, params) = projected_sql(r, main, picks);
    let mut stmt = r.conn().prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        let values = (0..picks.len())
            .map(|i| row.get_ref(i))
            .collect::<rusqlite::Result<Vec<ValueRef<'_>>>>()?;
        f(&values)?;
        n += 1;
    }
    Ok(n)
}
