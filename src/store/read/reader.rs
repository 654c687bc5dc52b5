//! The one way in to every read: a [`Reader`] carries the connection and the scope of the
//! acting user, and only [`Store::reader`](crate::store::Store::reader) builds one, from the
//! store's actor and the access policy as the database says now.
//!
//! Every public read of `store::read` takes a `&Reader`, so a read that forgets the actor's
//! scope does not compile: there is no public way to hand a read a connection, or a scope
//! of one's own making.

use crate::store::db::Connection;
use chrono::NaiveDate;

use crate::store::access::Scope;
use crate::store::catalog::Catalog;
use crate::store::error::Result;
use crate::store::write::Entity;

/// A read-only view of the store as one actor may see it.
pub struct Reader<'s> {
    conn: &'s Connection,
    catalog: &'s Catalog,
    scope: Scope,
    today: NaiveDate,
}

impl<'s> Reader<'s> {
    /// Crate-private: a reader is made from the store's actor ([`crate::store::Store::reader`]).
    pub(crate) fn new(
        conn: &'s Connection,
        catalog: &'s Catalog,
        scope: Scope,
        today: NaiveDate,
    ) -> Reader<'s> {
        Reader {
            conn,
            catalog,
            scope,
            today,
        }
    }

    pub(in crate::store) fn conn(&self) -> &'s Connection {
        self.conn
    }

    /// What this reader may see (the UI asks it, e.g., for the one workspace it is in).
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn catalog(&self) -> &'s Catalog {
        self.catalog
    }

    /// The store's health clock ([`crate::store::Store::today`]).
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Record `id` of entity type `E`, if this reader may see it (else `NotFound`, as for a
    /// record that does not exist).
    pub fn get<E: Entity>(&self, id: &str) -> Result<E> {
        self.scope.check(self.conn, E::TABLE, id)?;
        crate::store::write::get(self.conn, self.catalog, id)
    }

    /// Whether row `id` of `table` exists and this reader may see it.
    pub fn visible(&self, table: &str, id: &str) -> Result<bool> {
        self.scope.visible(self.conn, table, id)
    }

    /// `PRAGMA data_version`: changes when another connection commits (the dashboard polls
    /// it to know when to reload).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.data_version()?)
    }
}
