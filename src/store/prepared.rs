//! Prepared INSERTs for building a book at full speed (`generate`): one statement per table,
//! prepared once, one or many rows per execution. They skip the write path's per-row checks,
//! so only the file's owner may use them ([`WriteTx::require_owner`]).

use crate::store::db::{Connection, Statement};
use rusqlite::ToSql;

use super::WriteTx;
use super::error::{FieldError, Result};
use super::rows::quote;

/// A prepared INSERT into one table and how many rows it has written.
pub struct Insert<'c> {
    conn: &'c Connection,
    table: &'static str,
    /// Quoted column names.
    columns: Vec<String>,
    stmt: Statement<'c>,
    /// `many[n]`: the statement inserting `n` rows at once, prepared on first use.
    many: Vec<Option<Statement<'c>>>,
    rows: u64,
}

impl<'c> Insert<'c> {
    /// An INSERT into `table` (`columns`: its column names separated by whitespace) inside
    /// the write `w`. Only the file's owner builds a book row by row past the write path's
    /// checks (`generate`, docs/access.md).
    pub fn new(w: &'c WriteTx<'_>, table: &'static str, columns: &str) -> Result<Self> {
        w.require_owner("generate")?;
        Insert::on(w.conn(), table, columns)
    }

    fn on(conn: &'c Connection, table: &'static str, columns: &str) -> Result<Self> {
        let columns: Vec<String> = columns.split_whitespace().map(quote).collect();
        let stmt = conn.prepare(&insert_sql(table, &columns, 1))?;
        Ok(Insert {
            conn,
            table,
            columns,
            stmt,
            many: Vec::new(),
            rows: 0,
        })
    }

    /// How many rows it has written.
    pub fn written(&self) -> u64 {
        self.rows
    }

    /// Inserts one row; the values in the order of the table's column list.
    pub fn row(&mut self, values: &[&dyn ToSql]) -> Result<()> {
        self.stmt
            .execute(values)
            .map_err(|e| rejected(self.table, e))?;
        self.rows += 1;
        Ok(())
    }

    /// Inserts `values.len() / columns` rows with one statement. For the biggest tables:
    /// the per-statement work (cursors, halt, reset) is paid once for all of them.
    pub fn rows(&mut self, values: &[&dyn ToSql]) -> Result<()> {
        let width = self.columns.len();
        let n = values.len() / width.max(1);
        if n == 0 {
            return Ok(());
        }
        if self.many.len() <= n {
            self.many.resize_with(n + 1, || None);
        }
        let stmt = match &mut self.many[n] {
            Some(stmt) => stmt,
            slot => slot.insert(
                self.conn
                    .prepare(&insert_sql(self.table, &self.columns, n))?,
            ),
        };
        stmt.execute(values).map_err(|e| rejected(self.table, e))?;
        self.rows += n as u64;
        Ok(())
    }
}

fn insert_sql(table: &str, columns: &[String], rows: usize) -> String {
    let mut next = 0;
    let tuples: Vec<String> = (0..rows)
        .map(|_| {
            let marks: Vec<String> = columns
                .iter()
                .map(|_| {
                    next += 1;
                    format!("?{next}")
                })
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {} ({}) VALUES {}",
        quote(table),
        columns.join(", "),
        tuples.join(", ")
    )
}

/// A generated row the schema rejects is a generator bug: say where.
fn rejected(table: &str, e: rusqlite::Error) -> crate::store::StoreError {
    FieldError::new(table, "", format!("generated row rejected: {e}")).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_statements_number_every_value() {
        let columns = vec![quote("a"), quote("b")];
        assert_eq!(
            insert_sql("t", &columns, 1),
            r#"INSERT INTO "t" ("a", "b") VALUES (?1, ?2)"#
        );
        assert_eq!(
            insert_sql("t", &columns, 3),
            r#"INSERT INTO "t" ("a", "b") VALUES (?1, ?2), (?3, ?4), (?5, ?6)"#
        );
    }

    #[test]
    fn many_rows_go_in_one_statement_and_are_counted() {
        let conn = Connection::from(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT)")
            .unwrap();
        let mut ins = Insert::on(&conn, "t", "a b").unwrap();
        ins.row(&[&1, &"one"]).unwrap();
        ins.rows(&[&2, &"two", &3, &"three"]).unwrap();
        ins.rows(&[]).unwrap();
        assert_eq!(ins.rows, 3);
        let sum: i64 = conn
            .query_row("SELECT sum(a) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sum, 6);
        let err = ins.row(&[&4]).unwrap_err().to_string();
        assert!(err.contains("t."), "{err}");
    }
}
