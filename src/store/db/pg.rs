//! The PostgreSQL engine behind [`super::Connection`]: one `postgres` client, statements
//! prepared once per SQL text (rendered for the dialect by [`super::render`]), parameters
//! encoded as the types the server inferred for them, rows decoded into the values SQLite
//! would have held ([`crate::store::pg_codec`]).
//!
//! Errors come back as rusqlite's, with SQLite's codes where the meaning is the same
//! (a unique or foreign-key violation is `SQLITE_CONSTRAINT`, a serialization failure or
//! deadlock `SQLITE_BUSY`), so the store's error handling — "that name is taken", "another
//! writer is at work" — is the same code on both engines.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::types::Value;

use super::{Error, Params, Result, Row};
use crate::store::pg_codec;

/// The advisory lock a writing transaction holds (an arbitrary key: "cscx" in ASCII).
const WRITE_LOCK: i64 = 0x6373_6378;

/// A connection to a PostgreSQL book.
pub struct PgConnection {
    client: RefCell<postgres::Client>,
    /// Prepared statements by their SQLite text (rendering and preparing happen once).
    statements: RefCell<HashMap<String, postgres::Statement>>,
    changes: Cell<u64>,
    /// Notifications received since the connection began listening (None: not yet).
    heard: Cell<Option<i64>>,
    /// Inside BEGIN … COMMIT (a failed statement there aborts the transaction).
    in_transaction: Cell<bool>,
    /// `users.id` of who acts and the workspace they are confined to ("" for none): set for
    /// the session and again, `SET LOCAL`, in each transaction (the policies read them
    /// through `cscx_actor()` and `cscx_rule`).
    actor: RefCell<(String, String)>,
}

/// One row, decoded.
pub struct PgRow {
    pub names: Arc<Vec<String>>,
    pub values: Vec<Value>,
}

/// Prepares `rendered`; where a parameter's type cannot be inferred from its first use (an
/// optional filter, `$1 IS NULL OR …`, or a parameter used only there), learns the types
/// from the statement without those tests, then casts each test to its type (text for a
/// parameter used nowhere else).
/// `guarded`: inside the savepoint `cscx_prepare`, which a failed attempt must roll back to
/// before the next (the failure aborted it).
fn prepare_typed(
    client: &mut postgres::Client,
    rendered: &str,
    guarded: bool,
) -> Result<postgres::Statement> {
    use postgres::error::SqlState;
    match client.prepare(rendered) {
        Ok(stmt) => Ok(stmt),
        Err(e)
            if e.code() == Some(&SqlState::AMBIGUOUS_PARAMETER)
                || e.code() == Some(&SqlState::INDETERMINATE_DATATYPE) =>
        {
            if guarded {
                client
                    .batch_execute("ROLLBACK TO SAVEPOINT cscx_prepare")
                    .map_err(pg_error)?;
            }
            let probe = super::render::null_tests(rendered, |_| None);
            let types = match client.prepare(&probe) {
                Ok(p) => p.params().to_vec(),
                Err(e) => return Err(with_sql(pg_error(e), &probe)),
            };
            // the probe prepared: the savepoint is still good for the typed statement
            let typed = super::render::null_tests(rendered, |n| {
                Some(types.get(n - 1).map_or("text", |t| t.name()).to_owned())
            });
            client
                .prepare(&typed)
                .map_err(|e| with_sql(pg_error(e), &typed))
        }
        Err(e) => Err(with_sql(pg_error(e), rendered)),
    }
}

/// A prepared statement on a [`PgConnection`].
pub struct PgStatement<'c> {
    conn: &'c PgConnection,
    stmt: postgres::Statement,
}

impl PgConnection {
    /// Connects with a libpq-style URL or key=value string (`postgres://dana@db/cscx`,
    /// `host=/run/postgresql dbname=cscx`).
    pub fn connect(url: &str) -> Result<PgConnection> {
        let client = postgres::Client::connect(url, postgres::NoTls).map_err(pg_error)?;
        Ok(PgConnection {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            changes: Cell::new(0),
            in_transaction: Cell::new(false),
            heard: Cell::new(None),
            actor: RefCell::new(Default::default()),
        })
    }

    /// Acts as `user_id` from now on, confined to `workspace_id` when given (None: nobody;
    /// the policies then show no row, unless the login role is a person's own).
    pub fn set_actor(&self, user_id: Option<&str>, workspace_id: Option<&str>) -> Result<()> {
        let setting = (
            user_id.unwrap_or_default().to_owned(),
            workspace_id.unwrap_or_default().to_owned(),
        );
        self.tell(&setting, false)?;
        *self.actor.borrow_mut() = setting;
        Ok(())
    }

    /// Sets the actor's settings for the session, or (`local`) for this transaction.
    fn tell(&self, (user, workspace): &(String, String), local: bool) -> Result<()> {
        self.client
            .borrow_mut()
            .execute(
                "SELECT set_config('cscx.user_id', $1, $3), set_config('cscx.workspace_id', $2, $3)",
                &[user, workspace, &local],
            )
            .map_err(pg_error)?;
        Ok(())
    }

    /// BEGIN, and tells the server who acts in it. A `writer` transaction first takes the
    /// book's write lock, held to its end: writers take turns, as SQLite's BEGIN IMMEDIATE
    /// makes them. Under READ COMMITTED two writers would otherwise both read a row, both
    /// find it unchanged since the form read it, and both write (a lost update); the health
    /// recompute and roll-ups each write touches shared rows too, so turns also keep them
    /// from deadlocking. Readers never wait for it.
    pub(super) fn begin(&self, writer: bool) -> Result<()> {
        let actor = self.actor.borrow().clone();
        let mut client = self.client.borrow_mut();
        client.batch_execute("BEGIN").map_err(pg_error)?;
        self.in_transaction.set(true);
        if writer {
            client
                .execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .map_err(pg_error)?;
        }
        drop(client);
        self.tell(&actor, true)
    }

    pub(super) fn prepare(&self, sql: &str) -> Result<PgStatement<'_>> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(PgStatement {
                conn: self,
                stmt: stmt.clone(),
            });
        }
        let rendered = super::render::render(sql);
        let stmt = self.prepare_rendered(&rendered)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), stmt.clone());
        Ok(PgStatement { conn: self, stmt })
    }

    /// Prepares PostgreSQL text. The store's optional filters (`?1 IS NULL OR
    /// workspace_id = ?1`) name a parameter first where PostgreSQL cannot infer its type
    /// (and it keeps that first, untyped use); such a statement is prepared once without
    /// the `IS NULL` tests to learn the types, then with each test cast to its type.
    fn prepare_rendered(&self, rendered: &str) -> Result<postgres::Statement> {
        let mut client = self.client.borrow_mut();
        // inside a transaction, a statement that fails to prepare must not abort it
        let guarded = self.in_transaction.get();
        if guarded {
            client
                .batch_execute("SAVEPOINT cscx_prepare")
                .map_err(pg_error)?;
        }
        let prepared = prepare_typed(&mut client, rendered, guarded);
        if guarded {
            let undo = if prepared.is_ok() {
                "RELEASE SAVEPOINT cscx_prepare"
            } else {
                "ROLLBACK TO SAVEPOINT cscx_prepare; RELEASE SAVEPOINT cscx_prepare"
            };
            client.batch_execute(undo).map_err(pg_error)?;
        }
        prepared
    }

    pub(super) fn execute_batch(&self, sql: &str) -> Result<()> {
        let rendered = super::render::render(sql);
        let word = sql.trim().to_ascii_uppercase();
        if word == "COMMIT" || word == "ROLLBACK" {
            self.in_transaction.set(false);
        }
        self.client
            .borrow_mut()
            .batch_execute(&rendered)
            .map_err(pg_error)
    }

    /// See [`super::Connection::data_version`]: listens from the first call on.
    pub(super) fn data_version(&self) -> Result<i64> {
        let heard = match self.heard.get() {
            Some(n) => n,
            None => {
                self.client
                    .borrow_mut()
                    .batch_execute("LISTEN cscx")
                    .map_err(pg_error)?;
                0
            }
        };
        let new = self.notifications(std::time::Duration::ZERO)?.len() as i64;
        self.heard.set(Some(heard + new));
        Ok(heard + new)
    }

    pub(super) fn cancel_token(&self) -> postgres::CancelToken {
        self.client.borrow().cancel_token()
    }

    pub(super) fn changes(&self) -> u64 {
        self.changes.get()
    }

    /// Waits up to `timeout` for the first notification on the channels this connection
    /// listens to, then takes whatever else has arrived; their payloads (table names).
    pub fn notifications(&self, timeout: std::time::Duration) -> Result<Vec<String>> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut client = self.client.borrow_mut();
        let mut n = client.notifications();
        let mut found = Vec::new();
        if let Some(note) = n.timeout_iter(timeout).next().map_err(pg_error)? {
            found.push(note.payload().to_owned());
        }
        let mut more = n.iter();
        while let Some(note) = more.next().map_err(pg_error)? {
            found.push(note.payload().to_owned());
        }
        Ok(found)
    }
}

impl PgStatement<'_> {
    fn bind(
        &self,
        params: impl Params,
    ) -> Result<Vec<Box<dyn postgres::types::ToSql + Sync + Send>>> {
        let types = self.stmt.params();
        params.with(|values| {
            if values.len() != types.len() {
                return Err(Error::InvalidParameterCount(values.len(), types.len()));
            }
            values
                .iter()
                .zip(types)
                .map(|(v, ty)| {
                    let out = v.to_sql()?;
                    let value = match &out {
                        rusqlite::types::ToSqlOutput::Borrowed(r) => *r,
                        rusqlite::types::ToSqlOutput::Owned(v) => v.into(),
                        _ => return Err(super::unsupported("this parameter kind")),
                    };
                    pg_codec::encode(value, ty)
                        .map_err(|e| Error::ToSqlConversionFailure(Box::new(e)))
                })
                .collect()
        })
    }

    pub(super) fn execute(&mut self, params: impl Params) -> Result<usize> {
        let bound = self.bind(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            bound.iter().map(|b| b.as_ref() as _).collect();
        let n = self
            .conn
            .client
            .borrow_mut()
            .execute(&self.stmt, &refs)
            .map_err(pg_error)?;
        self.conn.changes.set(n);
        Ok(n as usize)
    }

    pub(super) fn query(&mut self, params: impl Params) -> Result<Vec<PgRow>> {
        let bound = self.bind(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            bound.iter().map(|b| b.as_ref() as _).collect();
        let rows = self
            .conn
            .client
            .borrow_mut()
            .query(&self.stmt, &refs)
            .map_err(pg_error)?;
        let names = Arc::new(
            self.stmt
                .columns()
                .iter()
                .map(|c| c.name().to_owned())
                .collect::<Vec<_>>(),
        );
        self.conn.changes.set(rows.len() as u64);
        rows.iter()
            .map(|r| {
                Ok(PgRow {
                    names: names.clone(),
                    values: pg_codec::decode_row(r)
                        .map_err(|e| Error::ToSqlConversionFailure(Box::new(e)))?,
                })
            })
            .collect()
    }

    pub(super) fn query_row<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        let rows = self.query(params)?;
        match rows.first() {
            Some(r) => f(&Row::Postgres(r)),
            None => Err(Error::QueryReturnedNoRows),
        }
    }
}

/// SQLite's result codes for PostgreSQL's SQLSTATE classes the store tells apart.
fn sqlite_code(state: &str) -> (i32, i32) {
    use rusqlite::ffi;
    match state {
        "23505" => (ffi::SQLITE_CONSTRAINT, ffi::SQLITE_CONSTRAINT_UNIQUE),
        "23503" => (ffi::SQLITE_CONSTRAINT, ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
        "23514" => (ffi::SQLITE_CONSTRAINT, ffi::SQLITE_CONSTRAINT_CHECK),
        "23502" => (ffi::SQLITE_CONSTRAINT, ffi::SQLITE_CONSTRAINT_NOTNULL),
        s if s.starts_with("23") => (ffi::SQLITE_CONSTRAINT, ffi::SQLITE_CONSTRAINT),
        // serialization failure, deadlock, lock not available: try again, as SQLITE_BUSY
        "40001" | "40P01" | "55P03" => (ffi::SQLITE_BUSY, ffi::SQLITE_BUSY),
        // insufficient privilege, row-level security refusals
        "42501" => (ffi::SQLITE_AUTH, ffi::SQLITE_AUTH),
        // query_canceled: cut short by Interrupt, as sqlite3_interrupt
        "57014" => (ffi::SQLITE_INTERRUPT, ffi::SQLITE_INTERRUPT),
        _ => (ffi::SQLITE_ERROR, ffi::SQLITE_ERROR),
    }
}

/// A PostgreSQL error as rusqlite's (see the module's comment).
pub fn pg_error(e: postgres::Error) -> Error {
    match e.as_db_error() {
        Some(db) => {
            let (code, extended) = sqlite_code(db.code().code());
            let mut message = db.message().to_owned();
            if code == rusqlite::ffi::SQLITE_INTERRUPT {
                // the words SQLite says it with, which callers look for (a search superseded)
                message = format!("interrupted ({message})");
            }
            if let Some(detail) = db.detail() {
                message.push_str(": ");
                message.push_str(detail);
            }
            Error::SqliteFailure(
                rusqlite::ffi::Error {
                    code: rusqlite::ffi::Error::new(code).code,
                    extended_code: extended,
                },
                Some(message),
            )
        }
        None => Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
            Some(format!("PostgreSQL: {e}")),
        ),
    }
}

fn with_sql(e: Error, sql: &str) -> Error {
    match e {
        Error::SqliteFailure(code, Some(m)) => {
            Error::SqliteFailure(code, Some(format!("{m} (in: {})", sql.trim())))
        }
        other => other,
    }
}
