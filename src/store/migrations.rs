//! Embedded, ordered schema migrations, recorded in `PRAGMA user_version`.
//!
//! A database carries `PRAGMA application_id = 'cscx'` so that cscx never "migrates" some other
//! application's SQLite file into a mess: a file with foreign tables is refused.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::error::{Result, StoreError};

/// Every migration, in order. Migration `i` (0-based) takes the schema to version `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_schema",
        include_str!("../../assets/migrations/0001_schema.sql"),
    ),
    (
        "0002_updated_at",
        include_str!("../../assets/migrations/0002_updated_at.sql"),
    ),
    (
        "0003_search",
        include_str!("../../assets/migrations/0003_search.sql"),
    ),
    (
        "0004_derived",
        include_str!("../../assets/migrations/0004_derived.sql"),
    ),
    (
        "0005_dashboard",
        include_str!("../../assets/migrations/0005_dashboard.sql"),
    ),
    (
        "0006_search_prefix",
        include_str!("../../assets/migrations/0006_search_prefix.sql"),
    ),
    (
        "0007_call_dates",
        include_str!("../../assets/migrations/0007_call_dates.sql"),
    ),
    (
        "0008_history_rules",
        include_str!("../../assets/migrations/0008_history_rules.sql"),
    ),
    (
        "0009_access",
        include_str!("../../assets/migrations/0009_access.sql"),
    ),
    (
        "0010_list_order",
        include_str!("../../assets/migrations/0010_list_order.sql"),
    ),
    (
        "0011_playbooks_tasks",
        include_str!("../../assets/migrations/0011_playbooks_tasks.sql"),
    ),
    (
        "0012_search",
        include_str!("../../assets/migrations/0012_search.sql"),
    ),
    (
        "0013_mine",
        include_str!("../../assets/migrations/0013_mine.sql"),
    ),
    (
        "0014_etl_runs",
        include_str!("../../assets/migrations/0014_etl_runs.sql"),
    ),
];

/// Migrations that edit `sqlite_schema` in place (removing a CHECK): after one, the schema
/// cookie is bumped, so every other connection reloads the schema (SQLite's documented
/// procedure; `writable_schema = RESET` only reloads this connection's).
const EDITS_SCHEMA_TEXT: &[&str] = &["0008_history_rules"];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of a cscx database: the bytes "cscx".
pub const APPLICATION_ID: i64 = 0x6373_6378;

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Brings the database up to [`SCHEMA_VERSION`], one transaction per migration.
///
/// The version is read again inside each write transaction, so two processes opening the same
/// new file at once do not both apply a migration.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    check_compatible(conn, path)?;
    migrate_to(conn, path, SCHEMA_VERSION)
}

/// Applies migrations up to `target` (tests use it to build databases of older versions).
pub fn migrate_to(conn: &mut Connection, path: &Path, target: i64) -> Result<()> {
    // read without a transaction first: an up-to-date database is never write-locked here
    let version = user_version(conn)?;
    if (0..=SCHEMA_VERSION).contains(&version) && version >= target {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = user_version(&tx)?;
        if version > SCHEMA_VERSION {
            return Err(newer(path, version));
        }
        if version < 0 {
            return Err(bad_version(path, version));
        }
        if version >= target {
            return Ok(());
        }
        let (name, sql) = MIGRATIONS[version as usize];
        tx.execute_batch(sql)?;
        if EDITS_SCHEMA_TEXT.contains(&name) {
            let cookie: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
            tx.pragma_update(None, "schema_version", cookie + 1)?;
        }
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
    }
}

/// Refuses a file cscx must not touch: one of a newer cscx, one with a version no cscx
/// writes, one of another application. Reads only, so it runs before anything (the switch
/// to WAL included) changes the file.
pub fn check_compatible(conn: &Connection, path: &Path) -> Result<()> {
    let version = user_version(conn)?;
    if version > SCHEMA_VERSION {
        return Err(newer(path, version));
    }
    if version < 0 {
        return Err(bad_version(path, version));
    }
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        let foreign_tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
            [],
            |r| r.get(0),
        )?;
        if app_id != 0 || foreign_tables > 0 {
            return Err(StoreError::NotCscx {
                path: path.to_owned(),
            });
        }
    }
    Ok(())
}

fn bad_version(path: &Path, found: i64) -> StoreError {
    StoreError::BadSchemaVersion {
        path: path.to_owned(),
        found,
    }
}

fn newer(path: &Path, found: i64) -> StoreError {
    StoreError::NewerSchema {
        path: path.to_owned(),
        found,
        supported: SCHEMA_VERSION,
    }
}
