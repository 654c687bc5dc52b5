//! Opening a team's book on PostgreSQL: `cscx --db postgres://dana@db/cscx …`.
//!
//! The store is the same [`Store`] as on SQLite, over a [`db::Connection::Postgres`]; only
//! what SQLite keeps in the file is found elsewhere:
//! - the schema: a database without cscx's tables gets this build's generated script
//!   ([`super::script`]) in one transaction (the connecting role must be able to run it:
//!   a superuser or a role with BYPASSRLS, as `cscx schema --postgres | psql` needs);
//! - the catalog (tables, kinds, keys): read from this build's SQLite schema in memory, the
//!   same catalog the PostgreSQL schema was generated from;
//! - who acts: `cscx.user_id`, set for the session and `SET LOCAL` in every transaction.

use std::path::PathBuf;
use std::sync::Arc;

use crate::store::db::{self, pg::PgConnection};
use crate::store::error::{Result, StoreError};
use crate::store::{Actor, Store, health_sync, rollups};

/// Whether a `--db` value names a PostgreSQL book rather than a SQLite file.
pub fn is_postgres_location(location: &str) -> bool {
    location.starts_with("postgres://")
        || location.starts_with("postgresql://")
        || location.starts_with("host=")
        || location.starts_with("dbname=")
}

/// The location as shown to people: the URL without its password.
pub fn redacted(location: &str) -> String {
    match (location.find("://"), location.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &location[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    format!("{}{user}:***{}", &location[..scheme + 3], &location[at..])
                }
                None => location.to_owned(),
            }
        }
        _ => location
            .split_whitespace()
            .map(|kv| {
                if kv.starts_with("password=") {
                    "password=***"
                } else {
                    kv
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Connects, installs the schema into an empty database, and opens the store.
pub fn open(location: &str) -> Result<Store> {
    let shown = redacted(location);
    let conn = PgConnection::connect(location)
        .map_err(|e| StoreError::Config(format!("cannot connect to {shown}: {e}")))?;
    let conn = db::Connection::Postgres(Box::new(conn));
    // the catalog, and the script for a new book, come from this build's SQLite schema
    let model = crate::store::open_in_memory()?;
    let installed: bool = conn.query_row(
        "SELECT to_regclass('public.customers') IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    if !installed {
        conn.execute_batch(&super::script(&model)?)?;
    }
    health_sync::install(&conn)?;
    rollups::install(&conn)?;
    Ok(Store::assemble(
        conn,
        PathBuf::from(shown),
        Arc::new(model.catalog().clone()),
    ))
}

/// Tells the connection who acts (the policies read it).
pub(crate) fn set_actor(conn: &db::Connection, actor: &Actor) -> Result<()> {
    if let db::Connection::Postgres(pg) = conn {
        pg.set_actor(actor.user_id.as_deref(), actor.workspace_id.as_deref())?;
    }
    Ok(())
}

/// The login role, when the policies apply to it (not a superuser nor BYPASSRLS): it then
/// sees only what its actor may, and nothing while nobody acts. None on SQLite.
pub(crate) fn policed_role(conn: &db::Connection) -> Result<Option<String>> {
    if conn.engine() != db::Engine::Postgres {
        return Ok(None);
    }
    let (role, bypasses): (String, bool) = conn.query_row(
        "SELECT current_user::text, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((!bypasses).then_some(role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_key_values_are_postgres_paths_are_not() {
        assert!(is_postgres_location("postgres://dana@db/cscx"));
        assert!(is_postgres_location(
            "postgresql:///cscx?host=/run/postgresql"
        ));
        assert!(is_postgres_location("host=/tmp dbname=cscx"));
        assert!(!is_postgres_location("book.db"));
        assert!(!is_postgres_location("/home/dana/postgres/book.db"));
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            redacted("postgres://dana:s3cret@db/cscx"),
            "postgres://dana:***@db/cscx"
        );
        assert_eq!(
            redacted("postgres://dana@db/cscx"),
            "postgres://dana@db/cscx"
        );
        assert_eq!(
            redacted("host=/tmp password=s3cret dbname=x"),
            "host=/tmp password=*** dbname=x"
        );
    }
}
