//! The store's one boundary to its engine: SQLite (the embedded default) or PostgreSQL (a
//! team's shared book, issue 11).
//!
//! Everything above this module writes SQL once and speaks in rusqlite's values
//! (`Value`, `ValueRef`, `ToSql`, `FromSql`) and errors, so the write path, the typed paged
//! reads and the health engine are the same code on both engines. What differs lives here:
//! how a statement is prepared and bound, how a row is read back, how a transaction begins.
//! The PostgreSQL half ([`pg`]) renders the SQL text for its dialect ([`render`]) and turns
//! values into the parameter types the server inferred, and rows back into the values SQLite
//! would have held ([`super::pg_codec`]). Why this shape and not a query builder:
//! docs/postgres.md, "One store, two engines".
//!
//! The API mirrors the subset of rusqlite's that the store uses (`prepare_cached`,
//! `query_row`, `query_map`, `execute`, …) so that moving a module onto it is a change of
//! imports, not of code.

pub mod pg;
pub mod render;

use std::time::Duration;

use rusqlite::types::{FromSql, ValueRef};
pub use rusqlite::{Error, Result, ToSql};

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection to either engine.
pub enum Connection {
    Sqlite(rusqlite::Connection),
    Postgres(Box<pg::PgConnection>),
}

impl From<rusqlite::Connection> for Connection {
    fn from(c: rusqlite::Connection) -> Self {
        Connection::Sqlite(c)
    }
}

/// The error for an engine feature the other engine has not (a PRAGMA on PostgreSQL).
pub fn unsupported(what: &str) -> Error {
    Error::ToSqlConversionFailure(format!("{what} is SQLite's only").into())
}

impl Connection {
    pub fn engine(&self) -> Engine {
        match self {
            Connection::Sqlite(_) => Engine::Sqlite,
            Connection::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection, for the few things only SQLite has (pragmas, its catalog).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Connection::Sqlite(c) => Some(c),
            Connection::Postgres(_) => None,
        }
    }

    fn sqlite_or(&self, what: &str) -> Result<&rusqlite::Connection> {
        self.sqlite().ok_or_else(|| unsupported(what))
    }

    /// A statement prepared once for this call.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Connection::Sqlite(c) => Ok(Statement::Sqlite(Lite::Plain(c.prepare(sql)?))),
            Connection::Postgres(c) => Ok(Statement::Postgres(c.prepare(sql)?)),
        }
    }

    /// A statement from the connection's cache (prepared the first time its text is seen).
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Connection::Sqlite(c) => Ok(Statement::Sqlite(Lite::Cached(c.prepare_cached(sql)?))),
            Connection::Postgres(c) => Ok(Statement::Postgres(c.prepare(sql)?)),
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match self {
            Connection::Sqlite(c) => params.with(|p| c.execute(sql, p)),
            Connection::Postgres(c) => c.prepare(sql)?.execute(params),
        }
    }

    /// Runs statements separated by `;`, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Connection::Sqlite(c) => c.execute_batch(sql),
            Connection::Postgres(c) => c.execute_batch(sql),
        }
    }

    /// The first row of a query, mapped by `f` (`QueryReturnedNoRows` without one).
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        match self {
            Connection::Sqlite(c) => params.with(|p| c.query_row(sql, p, |r| f(&Row::Sqlite(r)))),
            Connection::Postgres(c) => c.prepare(sql)?.query_row(params, f),
        }
    }

    /// The rowid of the last row inserted (SQLite; on PostgreSQL the SQL says `RETURNING`).
    pub fn last_insert_rowid(&self) -> Result<i64> {
        match self {
            Connection::Sqlite(c) => Ok(c.last_insert_rowid()),
            // every table's rowid is an identity column: its sequence was the last one used
            Connection::Postgres(_) => self.query_row("SELECT lastval()", [], |r| r.get(0)),
        }
    }

    /// A handle that cuts short this connection's running query from another thread.
    pub fn interrupt_handle(&self) -> Interrupt {
        match self {
            Connection::Sqlite(c) => Interrupt::Sqlite(c.get_interrupt_handle()),
            Connection::Postgres(c) => Interrupt::Postgres(c.cancel_token()),
        }
    }

    /// Rows changed by the last statement.
    pub fn changes(&self) -> u64 {
        match self {
            Connection::Sqlite(c) => c.changes(),
            Connection::Postgres(c) => c.changes(),
        }
    }

    /// A number that changes when another connection has committed: SQLite's
    /// `PRAGMA data_version`; on PostgreSQL the count of `cscx` notifications received
    /// (every table notifies its name at commit, `postgres::notify_triggers`), so the
    /// dashboard's reload-on-change works the same on a shared book.
    pub fn data_version(&self) -> Result<i64> {
        match self {
            Connection::Sqlite(c) => c.query_row("PRAGMA data_version", [], |r| r.get(0)),
            Connection::Postgres(c) => c.data_version(),
        }
    }

    pub fn busy_timeout(&self, timeout: Duration) -> Result<()> {
        match self {
            Connection::Sqlite(c) => c.busy_timeout(timeout),
            // PostgreSQL waits for row locks, not for the file: nothing to set
            Connection::Postgres(_) => Ok(()),
        }
    }

    pub fn pragma_update<V: ToSql>(
        &self,
        schema: Option<&str>,
        name: &str,
        value: V,
    ) -> Result<()> {
        self.sqlite_or("PRAGMA")?.pragma_update(schema, name, value)
    }

    pub fn pragma_query_value<T, F>(&self, schema: Option<&str>, name: &str, f: F) -> Result<T>
    where
        F: FnOnce(&rusqlite::Row<'_>) -> Result<T>,
    {
        self.sqlite_or("PRAGMA")?
            .pragma_query_value(schema, name, f)
    }

    /// Whether the connection was opened read-only (PostgreSQL: decided by the role).
    pub fn is_readonly(&self) -> Result<bool> {
        match self {
            Connection::Sqlite(c) => c.is_readonly(rusqlite::MAIN_DB),
            Connection::Postgres(_) => Ok(false),
        }
    }
}

/// Cuts short a connection's running query (a newer search supersedes it).
pub enum Interrupt {
    Sqlite(rusqlite::InterruptHandle),
    Postgres(postgres::CancelToken),
}

impl Interrupt {
    pub fn interrupt(&self) {
        match self {
            Interrupt::Sqlite(h) => h.interrupt(),
            // the cancel is a connection of its own to the server: sent from a thread of its
            // own, so the caller (the UI's event loop, inside tokio) neither waits for it nor
            // blocks a runtime inside its own; a cancel that fails finds the query finished
            Interrupt::Postgres(t) => {
                let token = t.clone();
                std::thread::spawn(move || {
                    let _ = token.cancel_query(postgres::NoTls);
                });
            }
        }
    }
}

/// How a write transaction begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    /// Reads first, takes the write lock at the first write (SQLite `BEGIN DEFERRED`).
    Deferred,
    /// Takes the write lock at once (SQLite `BEGIN IMMEDIATE`): a writer never finds,
    /// halfway, that another got in first. PostgreSQL locks rows, not the book, so its
    /// transactions begin plainly and conflicting row writes wait for each other.
    Immediate,
}

/// An open transaction on a borrowed connection, rolled back unless committed (also on
/// drop, as rusqlite's). Derefs to the connection, so code that takes `&Connection` runs
/// inside it.
pub struct Transaction<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Transaction<'c> {
    pub fn begin(conn: &'c Connection, how: Begin) -> Result<Transaction<'c>> {
        match conn {
            Connection::Sqlite(c) => c.execute_batch(match how {
                Begin::Deferred => "BEGIN DEFERRED",
                Begin::Immediate => "BEGIN IMMEDIATE",
            })?,
            Connection::Postgres(c) => c.begin(how == Begin::Immediate)?,
        }
        Ok(Transaction { conn, open: true })
    }

    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }

    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("ROLLBACK")
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            // nothing to report to: the error that dropped us is the one the caller sees
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// The parameters of a statement: rusqlite's forms (`params![…]`, `[a, b]`, `[]`, a slice
/// of `&dyn ToSql`, [`params_from_iter`]) so that call sites stay as they were.
pub trait Params {
    /// Calls `f` with the parameters as a slice.
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R;
}

impl Params for &[&dyn ToSql] {
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(self)
    }
}

impl Params for &Vec<&dyn ToSql> {
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(self.as_slice())
    }
}

/// `[]`: no parameters (a type of its own, as rusqlite's, or `[]` could not be inferred).
impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(&[])
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                let refs: Vec<&dyn ToSql> = self.iter().map(|v| v as &dyn ToSql).collect();
                f(&refs)
            }
        }
        impl<T: ToSql> Params for &[T; $n] {
            fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                let refs: Vec<&dyn ToSql> = self.iter().map(|v| v as &dyn ToSql).collect();
                f(&refs)
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

macro_rules! tuple_params {
    ($(($($t:ident $i:tt),*))*) => {$(
        impl<$($t: ToSql),*> Params for ($($t,)*) {
            fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                f(&[$(&self.$i as &dyn ToSql),*])
            }
        }
    )*};
}
tuple_params!((A 0) (A 0, B 1) (A 0, B 1, C 2) (A 0, B 1, C 2, D 3) (A 0, B 1, C 2, D 3, E 4));

/// Parameters from an iterator of values (rusqlite's `params_from_iter`).
pub struct ParamsFromIter<I>(I);

pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        let items: Vec<I::Item> = self.0.into_iter().collect();
        let refs: Vec<&dyn ToSql> = items.iter().map(|v| v as &dyn ToSql).collect();
        f(&refs)
    }
}

/// A prepared statement of either engine.
pub enum Statement<'c> {
    Sqlite(Lite<'c>),
    Postgres(pg::PgStatement<'c>),
}

/// SQLite's statement, from the cache or not.
pub enum Lite<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Plain(rusqlite::Statement<'c>),
}

impl<'c> Lite<'c> {
    fn get(&mut self) -> &mut rusqlite::Statement<'c> {
        match self {
            Lite::Cached(s) => s,
            Lite::Plain(s) => s,
        }
    }
}

/// The rows of a query mapped to values, one at a time (SQLite steps the statement;
/// PostgreSQL has them all).
pub struct MappedRows<'s, T>(Box<dyn Iterator<Item = Result<T>> + 's>);

impl<T> Iterator for MappedRows<'_, T> {
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        self.0.next()
    }
}

impl<'c> Statement<'c> {
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        match self {
            Statement::Sqlite(s) => params.with(|p| s.get().execute(p)),
            Statement::Postgres(s) => s.execute(params),
        }
    }

    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        match self {
            Statement::Sqlite(s) => params.with(|p| s.get().query_row(p, |r| f(&Row::Sqlite(r)))),
            Statement::Postgres(s) => s.query_row(params, f),
        }
    }

    pub fn query_map<'s, T, P, F>(&'s mut self, params: P, mut f: F) -> Result<MappedRows<'s, T>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T> + 's,
        T: 's,
    {
        match self {
            Statement::Sqlite(s) => {
                let rows = params.with(|p| s.get().query_map(p, move |r| f(&Row::Sqlite(r))))?;
                Ok(MappedRows(Box::new(rows)))
            }
            Statement::Postgres(s) => {
                let rows = s.query(params)?;
                Ok(MappedRows(Box::new(
                    rows.into_iter().map(move |r| f(&Row::Postgres(&r))),
                )))
            }
        }
    }

    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        match self {
            Statement::Sqlite(s) => Ok(Rows::Sqlite(params.with(|p| s.get().query(p))?)),
            Statement::Postgres(s) => Ok(Rows::Postgres {
                rows: s.query(params)?.into_iter(),
                current: None,
            }),
        }
    }

    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        let mut rows = self.query(params)?;
        Ok(rows.next()?.is_some())
    }
}

/// The rows of a query, stepped with `next`.
pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres {
        rows: std::vec::IntoIter<pg::PgRow>,
        current: Option<pg::PgRow>,
    },
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)] // a lending iterator, as rusqlite's
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(r) => Ok(r.next()?.map(Row::Sqlite)),
            Rows::Postgres { rows, current } => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// One row of a result.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r pg::PgRow),
}

/// A column of a row: by position or by name.
pub trait RowIndex: Copy {
    fn sqlite_get<T: FromSql>(self, row: &rusqlite::Row<'_>) -> Result<T>;
    fn sqlite_ref<'r>(self, row: &'r rusqlite::Row<'_>) -> Result<ValueRef<'r>>;
    fn position(self, row: &pg::PgRow) -> Result<usize>;
}

impl RowIndex for usize {
    fn sqlite_get<T: FromSql>(self, row: &rusqlite::Row<'_>) -> Result<T> {
        row.get(self)
    }
    fn sqlite_ref<'r>(self, row: &'r rusqlite::Row<'_>) -> Result<ValueRef<'r>> {
        row.get_ref(self)
    }
    fn position(self, row: &pg::PgRow) -> Result<usize> {
        if self < row.values.len() {
            Ok(self)
        } else {
            Err(Error::InvalidColumnIndex(self))
        }
    }
}

impl RowIndex for &str {
    fn sqlite_get<T: FromSql>(self, row: &rusqlite::Row<'_>) -> Result<T> {
        row.get(self)
    }
    fn sqlite_ref<'r>(self, row: &'r rusqlite::Row<'_>) -> Result<ValueRef<'r>> {
        row.get_ref(self)
    }
    fn position(self, row: &pg::PgRow) -> Result<usize> {
        row.names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(self))
            .ok_or_else(|| Error::InvalidColumnName(self.to_owned()))
    }
}

impl Row<'_> {
    /// A column as `T`, converted as rusqlite converts (so both engines fail alike on a
    /// value of the wrong kind).
    pub fn get<I: RowIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        if let Row::Sqlite(r) = self {
            return idx.sqlite_get(r);
        }
        let value = self.get_ref(idx)?;
        T::column_result(value).map_err(|e| match e {
            rusqlite::types::FromSqlError::InvalidType => {
                Error::InvalidColumnType(0, String::new(), value.data_type())
            }
            other => Error::FromSqlConversionFailure(0, value.data_type(), Box::new(other)),
        })
    }

    pub fn get_ref<I: RowIndex>(&self, idx: I) -> Result<ValueRef<'_>> {
        match self {
            Row::Sqlite(r) => idx.sqlite_ref(r),
            Row::Postgres(r) => Ok(ValueRef::from(&r.values[idx.position(r)?])),
        }
    }
}
