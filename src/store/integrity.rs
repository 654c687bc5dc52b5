//! Damage made behind cscx's back (a `sqlite3` session with foreign keys off): rows whose
//! references point to no row. cscx's own writes never leave any; when they exist, the
//! commands that would trip over them name the rows instead of failing with SQLite's bare
//! "FOREIGN KEY constraint failed".

use crate::store::db::Connection;
use rusqlite::OptionalExtension;

use super::error::Result;
use super::rows::quote;

/// One broken reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dangling {
    pub table: String,
    pub rowid: Option<i64>,
    pub columns: String,
    pub value: Option<String>,
    pub parent: String,
}

impl std::fmt::Display for Dangling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let row = self.rowid.map_or(String::new(), |r| format!(" row {r}"));
        let value = self
            .value
            .as_ref()
            .map_or(String::new(), |v| format!(" = {v:?}"));
        write!(
            f,
            "{}{row}: {}{value} refers to no row of {}",
            self.table, self.columns, self.parent
        )
    }
}

/// The first `limit` broken references, and how many there are in all.
pub fn dangling_references(conn: &Connection, limit: usize) -> Result<(usize, Vec<Dangling>)> {
    // PostgreSQL checks every reference when it is written (the one deferred edge at
    // commit) and has no switch to turn them off: a book there cannot hold a broken one
    if conn.engine() == crate::store::db::Engine::Postgres {
        return Ok((0, Vec::new()));
    }
    let mut stmt =
        conn.prepare("SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check")?;
    let mut rows = stmt.query([])?;
    let mut total = 0;
    let mut listed = Vec::new();
    while let Some(r) = rows.next()? {
        total += 1;
        if listed.len() >= limit {
            continue;
        }
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        let fkid: i64 = r.get(3)?;
        let columns: Vec<String> = conn
            .prepare("SELECT \"from\" FROM pragma_foreign_key_list(?1) WHERE id = ?2 ORDER BY seq")?
            .query_map(rusqlite::params![table, fkid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let value = match (rowid, columns.as_slice()) {
            (Some(rowid), [column]) => conn
                .query_row(
                    &format!(
                        "SELECT CAST({} AS TEXT) FROM {} WHERE rowid = ?1",
                        quote(column),
                        quote(&table)
                    ),
                    [rowid],
                    |r| r.get::<_, Option<String>>(0),
                )
                .optional()?
                .flatten(),
            _ => None,
        };
        listed.push(Dangling {
            table,
            rowid,
            columns: columns.join(", "),
            value,
            parent,
        });
    }
    Ok((total, listed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_to_a_deleted_row_is_named() {
        let conn = Connection::from(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             CREATE TABLE p (id TEXT PRIMARY KEY);
             CREATE TABLE c (id TEXT PRIMARY KEY, p_id TEXT REFERENCES p(id));
             INSERT INTO p VALUES ('a');
             INSERT INTO c VALUES ('x', 'a'), ('y', 'gone');",
        )
        .unwrap();
        let (total, listed) = dangling_references(&conn, 10).unwrap();
        assert_eq!(total, 1);
        assert_eq!(
            listed[0].to_string(),
            "c row 2: p_id = \"gone\" refers to no row of p"
        );
    }
}
