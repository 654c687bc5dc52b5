//! The store: the only code that talks to SQLite.
//!
//! `open` creates or opens a database and brings its schema up to date. Reads go through the
//! modules under `read`; every write goes through [`Store::write`], which runs the caller's
//! typed operations in one `BEGIN IMMEDIATE` transaction that also appends to `activity_log`
//! and recomputes the health of every customer the write touched (DESIGN.md section 1).

pub mod access;
pub mod approvals;
pub mod bulk;
pub mod catalog;
pub mod db;
pub mod entities;
pub mod enums;
pub mod error;
pub mod etl_runs;
pub mod fields;
pub mod health_sync;
pub mod human;
pub mod ids;
pub mod integrity;
pub mod migrations;
pub mod mine;
pub mod pg_codec;
pub mod pg_text;
pub mod playbooks;
pub mod postgres;
pub mod prepared;
pub mod presence;
pub mod read;
pub mod rollups;
pub mod rows;
pub mod rules;
pub mod seed_map;
pub mod tasks;
pub mod undo;
pub mod wait;
pub mod write;
pub mod write_bulk;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::store::db::Connection;
use chrono::NaiveDate;
use rusqlite::OpenFlags;

pub use catalog::Catalog;
pub use error::{FieldError, Result, StoreError};
pub use write::{Actor, HealthChange, WriteTx, Written};

/// How long a writer waits for another process's lock before giving up with SQLITE_BUSY.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open cscx database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    catalog: Arc<Catalog>,
    actor: Actor,
    /// The date health windows are measured from; None = the real UTC date (see [`Store::today`]).
    today: Option<NaiveDate>,
    /// Held while the store is open: no other cscx replaces the file under it.
    presence: Option<presence::Presence>,
    /// How writes wait for another writer (None: SQLite's busy timeout).
    wait: Option<wait::WaitForWriter>,
}

/// Whether `--db` names a PostgreSQL book (`postgres://…`, `host=…`) rather than a file.
pub fn is_postgres(location: &Path) -> bool {
    location
        .to_str()
        .is_some_and(postgres::open::is_postgres_location)
}

/// `location` as shown to people: a PostgreSQL book without its password, a file as is.
pub fn redacted(location: &Path) -> String {
    let text = location.to_string_lossy();
    if is_postgres(location) {
        postgres::open::redacted(&text)
    } else {
        text.into_owned()
    }
}

/// Creates (mode 0600) or opens the database at `path` and migrates it to this build's schema.
///
/// Refuses a database written by a newer cscx, and a SQLite file of another application.
pub fn open(path: &Path) -> Result<Store> {
    if let Some(location) = path
        .to_str()
        .filter(|l| postgres::open::is_postgres_location(l))
    {
        return postgres::open::open(location);
    }
    create_private_file(path)?;
    // before the file is opened: a replacement under way finishes first
    let presence = presence::join(path);
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut store = Store::from_connection(conn, path)?;
    store.presence = presence;
    Ok(store)
}

/// Opens an existing database read-only (the dashboard's reader connections use this).
pub fn open_read_only(path: &Path) -> Result<Store> {
    // PostgreSQL: the role's privileges decide what it may write, not the connection
    if let Some(location) = path
        .to_str()
        .filter(|l| postgres::open::is_postgres_location(l))
    {
        return postgres::open::open(location);
    }
    let presence = presence::join(path);
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // as the writer's: health planning (health_sync's planner threads) caches its statements
    conn.set_prepared_statement_cache_capacity(128);
    stable_plans(&conn)?;
    let version = migrations::user_version(&conn)?;
    migrations::check_compatible(&conn, path)?;
    if version != migrations::SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: version,
            supported: migrations::SCHEMA_VERSION,
        });
    }
    let catalog = Arc::new(Catalog::load(&conn)?);
    Ok(Store {
        conn: conn.into(),
        path: path.to_owned(),
        catalog,
        actor: Actor::default(),
        today: None,
        presence,
        wait: None,
    })
}

/// Turns on SQLite's query planner stability guarantee: a statement's plan no longer depends
/// on the values bound to it. Without it, the planner marks nearly every `column = ?` as
/// plan-relevant, `sqlite3_clear_bindings` (which rusqlite's statement cache calls whenever a
/// statement goes back to the cache) then expires the statement, and every cached statement is
/// compiled again on every reuse: measured, 15-20% of a health recompute was SQL parsing. Our
/// queries are written for their indexes and never need value-specific plans.
fn stable_plans(conn: &rusqlite::Connection) -> Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// A private, migrated in-memory database (tests and benchmarks).
pub fn open_in_memory() -> Result<Store> {
    Store::from_connection(
        rusqlite::Connection::open_in_memory()?,
        Path::new(":memory:"),
    )
}

/// SQLite creates files 0644 under the usual umask; customer data should be readable by its
/// owner only. Creating the empty file first fixes the mode, and SQLite gives the -wal and
/// -shm files the mode of the database file.
fn create_private_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if path.exists() {
        return Ok(());
    }
    let create_err = |source| StoreError::Create {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(create_err)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        // another process created it between our check and now: theirs is as good
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(create_err(e)),
    }
}

impl Store {
    /// A store over an open, migrated connection (PostgreSQL's open path).
    pub(in crate::store) fn assemble(
        conn: Connection,
        path: PathBuf,
        catalog: Arc<Catalog>,
    ) -> Store {
        Store {
            conn,
            path,
            catalog,
            actor: Actor::default(),
            today: None,
            presence: None,
            wait: None,
        }
    }

    fn from_connection(mut conn: rusqlite::Connection, path: &Path) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // before anything writes to the file: another application's database is refused as
        // it was found (the switch to WAL below rewrites header bytes 18-19)
        migrations::check_compatible(&conn, path)?;
        // WAL: readers (the dashboard) never block the writer and the writer never blocks them
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL is durable across application crashes in WAL mode; only a power loss can
        // lose the last transactions, never corrupt the file
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.set_prepared_statement_cache_capacity(128);
        stable_plans(&conn)?;
        migrations::migrate(&mut conn, path)?;
        let catalog = Arc::new(Catalog::load(&conn)?);
        let conn = Connection::from(conn);
        health_sync::install(&conn)?;
        rollups::install(&conn)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            catalog,
            actor: Actor::default(),
            today: None,
            presence: None,
            wait: None,
        })
    }

    /// The connection, for the store's own code: everything outside `store` reads through
    /// [`Store::reader`] and writes through [`Store::write`].
    pub(in crate::store) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The SQLite connection, for what only SQLite has (its catalog, the schema export);
    /// an error naming `what` on PostgreSQL.
    pub(in crate::store) fn sqlite(&self) -> Result<&rusqlite::Connection> {
        self.conn.sqlite().ok_or_else(|| {
            StoreError::Config("this needs a SQLite book, not PostgreSQL".to_owned())
        })
    }

    /// Which engine holds this book.
    pub fn engine(&self) -> db::Engine {
        self.conn.engine()
    }

    /// The value of a connection pragma as this store's connection has it (`foreign_keys`,
    /// `synchronous`, `busy_timeout`: they are per connection, so only the store can say).
    pub fn pragma(&self, name: &str) -> Result<rusqlite::types::Value> {
        if !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(StoreError::Config(format!("not a pragma name: {name:?}")));
        }
        Ok(self
            .conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
    }

    /// Cuts short the query this store's connection is running, from another thread (the
    /// dashboard's worker, when a newer search supersedes the one running).
    pub fn interrupt_handle(&self) -> db::Interrupt {
        self.conn.interrupt_handle()
    }

    /// Trades durability for speed while a new file is built from nothing (`generate`: a
    /// crash leaves a temporary file that is thrown away): no journal to disk, no syncs, a
    /// cache of `cache_kib` KiB. [`Store::end_bulk_build`] goes back.
    /// The database's size on disk, in bytes (the file's, or PostgreSQL's database's).
    pub fn database_size(&self) -> Result<u64> {
        if self.engine() == db::Engine::Postgres {
            let n: i64 =
                self.conn
                    .query_row("SELECT pg_database_size(current_database())", [], |r| {
                        r.get(0)
                    })?;
            return Ok(u64::try_from(n).unwrap_or(0));
        }
        Ok(std::fs::metadata(&self.path).map_or(0, |m| m.len()))
    }

    pub fn begin_bulk_build(&self, cache_kib: i64) -> Result<()> {
        // PostgreSQL's durability is the server's to decide, not one client's
        if self.engine() == db::Engine::Postgres {
            return Ok(());
        }
        self.conn.pragma_update(None, "journal_mode", "MEMORY")?;
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        self.conn.pragma_update(None, "cache_size", -cache_kib)?;
        Ok(())
    }

    /// Back to the journal every cscx database uses (WAL).
    pub fn end_bulk_build(&self) -> Result<()> {
        if self.engine() == db::Engine::Postgres {
            return Ok(());
        }
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        Ok(())
    }

    /// Moves everything in the WAL into the database file and truncates the WAL (a
    /// benchmark starts from a file as a fresh open finds it).
    pub fn checkpoint(&self) -> Result<()> {
        // PostgreSQL's WAL is the server's
        if self.engine() == db::Engine::Postgres {
            return Ok(());
        }
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn catalog_arc(&self) -> Arc<Catalog> {
        Arc::clone(&self.catalog)
    }

    /// Who is writing and in which workspace (recorded in `activity_log`, enforced on writes).
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Acts as `actor` from now on (on PostgreSQL the policies are told too).
    pub fn set_actor(&mut self, actor: Actor) {
        // a connection that fails here is broken: its next statement says so, and each
        // transaction sets the actor again (SET LOCAL) from what the connection was told
        let _ = postgres::open::set_actor(&self.conn, &actor);
        self.actor = actor;
    }

    /// What the actor may see and do, as the database says now.
    pub fn access(&self) -> Result<access::Access> {
        access::Access::load(&self.conn, &self.actor)
    }

    /// The scope every read of this actor applies (`mine`: only customers assigned to them).
    pub fn scope(&self, mine: bool) -> Result<access::Scope> {
        Ok(self.access()?.scope(mine))
    }

    /// The one way to read: a [`read::reader::Reader`] carrying this actor's scope (`mine`:
    /// only the customers assigned to them), as the memberships and the policy say now.
    pub fn reader(&self, mine: bool) -> Result<read::reader::Reader<'_>> {
        Ok(read::reader::Reader::new(
            &self.conn,
            &self.catalog,
            self.scope(mine)?,
            self.today(),
        ))
    }

    /// Rows whose references point at rows that do not exist (changed outside cscx): how
    /// many, and the first `limit` of them ([`integrity::dangling_references`]).
    pub fn dangling_references(&self, limit: usize) -> Result<(usize, Vec<integrity::Dangling>)> {
        integrity::dangling_references(&self.conn, limit)
    }

    /// Benchmarks and adoption roll-ups of the customers the actor sees that differ from a
    /// recompute (`rollups::drift`).
    pub fn rollup_drift(&self, limit: usize) -> Result<rollups::Drift> {
        rollups::drift(&self.reader(false)?, limit)
    }

    /// The customers whose derived columns differ from their definitions
    /// ([`bulk::derived_drift`]).
    pub fn derived_drift(&self) -> Result<Vec<String>> {
        bulk::derived_drift(&self.conn)
    }

    /// Resolves `--user` / `--workspace` to an actor ([`access::identify`]).
    pub fn identify(
        &self,
        email: Option<&str>,
        workspace: Option<&str>,
        user_agent: Option<String>,
    ) -> std::result::Result<Actor, access::IdentityErrorOr> {
        access::identify(&self.conn, email, workspace, user_agent)
    }

    /// The single active user of the database, if there is exactly one (the dashboard acts
    /// as them when started without `--user`).
    pub fn only_user(&self) -> Result<Option<String>> {
        read::records::only_user(&self.conn)
    }

    /// The clock of health scores: "the last 30 days", "the current month" and "today's row
    /// of the score history" are all measured from this date. It is the real UTC date unless
    /// [`Store::set_today`] fixed it (tests, reproducible demos). Each write reads it once, so
    /// one transaction never straddles two days.
    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Utc::now().date_naive())
    }

    /// Fixes the health clock to `today` (None: back to the real UTC date).
    pub fn set_today(&mut self, today: Option<NaiveDate>) {
        self.today = today;
    }

    /// Runs `f` in one write transaction: validate, write, log, recompute health, commit.
    /// Any error rolls everything back.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&mut WriteTx<'_>) -> Result<T>,
    ) -> Result<Written<T>> {
        let (value, health, _) = self.write_or_rollback(|w| f(w).map(write::Finish::Commit))?;
        Ok(Written { value, health })
    }

    /// Makes writes wait for another writer as `wait` says, instead of failing after
    /// SQLite's busy timeout.
    pub fn set_wait(&mut self, wait: Option<wait::WaitForWriter>) {
        self.wait = wait;
    }

    /// Like [`Store::write`], but the closure decides whether to keep its work
    /// ([`write::Finish`]) and hands back a value either way. Returns the value, the health
    /// changes (empty after a rollback) and whether it committed.
    pub fn write_or_rollback<T>(
        &mut self,
        f: impl FnOnce(&mut WriteTx<'_>) -> Result<write::Finish<T>>,
    ) -> Result<(T, Vec<HealthChange>, bool)> {
        let today = self.today();
        // the actor's memberships and the policy, read before the write begins
        let access = self.access()?;
        // A second writer waits visibly (set_wait) instead of failing after the busy timeout.
        let tx = wait::begin_immediate(
            &self.conn,
            &self.path,
            self.wait.as_ref(),
            self.presence.as_ref(),
            BUSY_TIMEOUT,
        )?;
        let finished = write::run_to_finish(tx, &self.catalog, &self.actor, &access, today, f);
        if self.wait.is_some()
            && let Some(p) = &self.presence
        {
            p.clear_writer();
        }
        finished
    }
}
