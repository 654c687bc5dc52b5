//! Resolving what people type to ids.

use super::reader::Reader;
use crate::store::db::{Connection, params_from_iter};
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use crate::store::error::{Result, StoreError};

/// The id of the workspace named `name` (case-insensitive), or of the workspace with that id.
pub(crate) fn workspace_id(conn: &Connection, name: &str) -> Result<String> {
    // by id when it is one, else by name: one typed comparison each (on PostgreSQL an id
    // is a uuid, which a name cannot be compared with)
    let sql = if crate::store::ids::is_canonical_uuid(name) {
        "SELECT id FROM workspaces WHERE id = ?1"
    } else {
        "SELECT id FROM workspaces WHERE name = ?1"
    };
    conn.query_row(sql, [name], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            entity: "workspace".into(),
            id: name.into(),
        })
}

/// Finds one customer by id, exact name, or unique name prefix (case-insensitive), within
/// `workspace` when given. Several matches is an error that lists a few of them.
pub fn customer(r: &Reader<'_>, text: &str) -> Result<(String, String)> {
    let (conn, scope) = (r.conn(), r.scope());
    let text = text.trim();
    let mut params = vec![Value::Text(text.to_owned())];
    let visible = scope.customers_sql("c", &mut params);
    let key = if crate::store::ids::is_canonical_uuid(text) {
        "c.id = ?1"
    } else {
        "c.name = ?1 COLLATE NOCASE"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.name FROM customers c
         WHERE {key} AND {visible}
         LIMIT 2"
    ))?;
    let exact: Vec<(String, String)> = stmt
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if exact.len() == 1 {
        return Ok(exact.into_iter().next().expect("one"));
    }
    // a prefix: walk the name index from the prefix on (LIKE would scan every row)
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.name FROM customers c
         WHERE c.name COLLATE NOCASE >= ?1 AND {visible}
         ORDER BY c.name COLLATE NOCASE, c.id LIMIT 64"
    ))?;
    let lower = text.to_lowercase();
    let matches: Vec<(String, String)> = stmt
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?
        .into_iter()
        .take_while(|(_, name)| name.to_lowercase().starts_with(&lower))
        .take(6)
        .collect();
    match matches.len() {
        0 if exact.is_empty() => Err(StoreError::NotFound {
            entity: "customer".into(),
            id: text.into(),
        }),
        1 => Ok(matches.into_iter().next().expect("one")),
        _ => {
            let names: Vec<String> = exact
                .iter()
                .chain(&matches)
                .map(|(_, n)| n.clone())
                .collect();
            Err(StoreError::Ambiguous(format!(
                "\"{text}\" matches several customers: {}; be more specific or give the id",
                names.join(", ")
            )))
        }
    }
}
