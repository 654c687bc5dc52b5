//! Bulk loading: what makes a load of millions of rows take minutes instead of hours.
//!
//! Inside a write transaction, [`BulkLoad::begin`] takes out of the way what costs per row
//! and can be rebuilt in one pass afterwards:
//!   * the FTS5 index triggers (`fts_*`): rebuilt with FTS5's `rebuild` command,
//!   * the derived-column triggers (`derived_*`): recomputed with one UPDATE,
//!   * optionally the secondary indexes: random keys make each insert touch a random page
//!     (DESIGN.md: 2-3x slower loads on this machine); recreated after, sorted once.
//!
//! [`BulkLoad::finish`] puts everything back from the exact SQL it read out of
//! `sqlite_schema`, so the schema after a load is the schema before it. DDL is transactional
//! in SQLite: if the load fails or the process dies, the rollback restores all of it.
//!
//! `generate` pauses the whole schema ([`BulkLoad::begin`]); an import pauses only the table
//! a large file fills ([`BulkLoad::begin_table`]): the indexes of the tables it reads (its
//! natural-key lookups) stay.

use crate::store::db::Connection;

use super::error::Result;
use super::rows::quote;

#[derive(Debug, Clone, Copy, Default)]
pub struct BulkOptions {
    /// Pause the full-text search triggers and rebuild the indexes at the end.
    pub pause_search: bool,
    /// Pause the renewal_date / open_approvals triggers and recompute both at the end.
    pub pause_derived: bool,
    /// Drop secondary (non-unique) indexes and recreate them at the end.
    pub drop_indexes: bool,
}

impl BulkOptions {
    /// Everything paused: for loading into a new or near-empty database.
    pub fn all() -> Self {
        BulkOptions {
            pause_search: true,
            pause_derived: true,
            drop_indexes: true,
        }
    }
}

/// What a bulk load took out, to be put back by [`BulkLoad::finish`].
#[must_use = "finish() restores the triggers and indexes"]
pub struct BulkLoad {
    options: BulkOptions,
    triggers: Vec<String>,
    indexes: Vec<String>,
    fts_tables: Vec<String>,
    /// A derived-column trigger was taken out: the derived columns are recomputed.
    derived: bool,
}

/// `(name, sql)` of the schema objects matching `filter`, of `table` only if given.
fn schema_sql(
    conn: &Connection,
    filter: &str,
    table: Option<&str>,
) -> Result<Vec<(String, String)>> {
    let sql = format!(
        "SELECT name, sql FROM sqlite_schema WHERE ({filter}) AND (?1 IS NULL OR tbl_name = ?1)
         ORDER BY name"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl BulkLoad {
    /// Call inside the load's transaction, before the inserts.
    pub fn begin(conn: &Connection, options: BulkOptions) -> Result<BulkLoad> {
        Self::take(conn, options, None)
    }

    /// Everything of `table` only: its secondary indexes, its full-text and derived-column
    /// triggers, its full-text index.
    pub fn begin_table(conn: &Connection, table: &str) -> Result<BulkLoad> {
        Self::take(conn, BulkOptions::all(), Some(table))
    }

    fn take(conn: &Connection, options: BulkOptions, table: Option<&str>) -> Result<BulkLoad> {
        if conn.engine() == super::db::Engine::Postgres {
            // PostgreSQL keeps its GIN search indexes and derived columns row by row, and a
            // DROP inside a team's book would lock every reader out of the table until the
            // load commits: nothing is paused there
            return Ok(BulkLoad {
                options: BulkOptions {
                    pause_search: false,
                    pause_derived: false,
                    drop_indexes: false,
                },
                triggers: Vec::new(),
                indexes: Vec::new(),
                fts_tables: Vec::new(),
                derived: false,
            });
        }
        let mut patterns = Vec::new();
        if options.pause_search {
            patterns.push("name LIKE 'fts\\_%' ESCAPE '\\'");
        }
        if options.pause_derived {
            patterns.push("name LIKE 'derived\\_%' ESCAPE '\\'");
        }
        let mut triggers = Vec::new();
        let mut derived = false;
        if !patterns.is_empty() {
            let filter = format!("type = 'trigger' AND ({})", patterns.join(" OR "));
            for (name, sql) in schema_sql(conn, &filter, table)? {
                conn.execute_batch(&format!("DROP TRIGGER {}", quote(&name)))?;
                derived |= name.starts_with("derived_");
                triggers.push(sql);
            }
        }
        let mut indexes = Vec::new();
        if options.drop_indexes {
            // only indexes created by CREATE INDEX (sql not null), never UNIQUE ones: they are
            // constraints the load must be checked against
            let filter = "type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'";
            for (name, sql) in schema_sql(conn, filter, table)? {
                conn.execute_batch(&format!("DROP INDEX {}", quote(&name)))?;
                indexes.push(sql);
            }
        }
        // a full-text index belongs to the table it indexes (`content='calls'`), not to
        // itself as sqlite_schema's tbl_name says
        let fts_tables = schema_sql(
            conn,
            "type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'",
            None,
        )?
        .into_iter()
        .filter(|(_, sql)| table.is_none_or(|t| sql.contains(&format!("content='{t}'"))))
        .map(|(name, _)| name)
        .collect();
        Ok(BulkLoad {
            options,
            triggers,
            indexes,
            fts_tables,
            derived,
        })
    }

    /// Rebuilds what `begin` paused, in the same transaction. Call after the inserts.
    pub fn finish(self, conn: &Connection) -> Result<()> {
        for sql in &self.indexes {
            conn.execute_batch(sql)?;
        }
        if self.options.pause_search {
            for t in &self.fts_tables {
                conn.execute_batch(&format!(
                    "INSERT INTO {0}({0}) VALUES ('rebuild')",
                    quote(t)
                ))?;
            }
        }
        if self.derived {
            recompute_derived(conn)?;
        }
        for sql in &self.triggers {
            conn.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// Recomputes customers.renewal_date and open_approvals for every customer (the same
/// definitions as the triggers in 0004_derived.sql).
///
/// Only customers whose values are wrong are updated: an UPDATE fires the `updated_at`
/// trigger, and a customer whose derived values did not change was not updated (a loader
/// that writes them correctly, like `generate`, keeps its own `updated_at`).
///
/// `CROSS JOIN` fixes the join order (a customer's sessions, then their approvals). Without
/// table statistics SQLite otherwise walks every pending approval for each customer through
/// idx_approvals_status: quadratic, 14 s for 10,000 customers, hours for 100,000.
pub fn recompute_derived(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "UPDATE customers SET
           renewal_date = (SELECT min(end_date) FROM contracts
                            WHERE customer_id = customers.id AND status = 'active'),
           open_approvals = (SELECT count(*) FROM agent_sessions s CROSS JOIN approvals a
                              WHERE a.session_id = s.id AND s.customer_id = customers.id
                                AND a.status = 'pending')
         WHERE renewal_date IS NOT (SELECT min(end_date) FROM contracts
                                     WHERE customer_id = customers.id AND status = 'active')
            OR open_approvals IS NOT (SELECT count(*) FROM agent_sessions s CROSS JOIN approvals a
                                       WHERE a.session_id = s.id AND s.customer_id = customers.id
                                         AND a.status = 'pending')",
    )?;
    Ok(())
}

/// Customers whose stored renewal_date or open_approvals differs from its definition
/// (`cscx recompute --check` reports these).
pub fn derived_drift(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM customers c WHERE
           c.renewal_date IS NOT (SELECT min(end_date) FROM contracts
                                   WHERE customer_id = c.id AND status = 'active')
           OR c.open_approvals IS NOT (SELECT count(*) FROM agent_sessions s CROSS JOIN approvals a
                                        WHERE a.session_id = s.id AND s.customer_id = c.id
                                          AND a.status = 'pending')",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Puts back `customers.updated_at` where a trigger or a later write moved it: the
/// dashboard's `csm_sort` trigger updates each customer as it is inserted, and the health
/// engine's UPDATE of `health_score` another time; each fires the `updated_at` trigger,
/// stamping the customer with the wall clock. A generated customer's `updated_at` is its last
/// audited edit (its creation when nothing was audited: the lean detail writes no audit
/// trail); a sort key or a computed score is not an edit. Touches only customers whose value
/// moved.
pub fn keep_edit_times(w: &super::WriteTx<'_>) -> Result<()> {
    w.conn().execute_batch(
        "UPDATE customers SET updated_at = coalesce((
           SELECT max(created_at) FROM activity_log
            WHERE entity_type = 'customers' AND entity_id = CAST(customers.id AS TEXT)
              AND action IN ('create', 'update')), created_at)
         WHERE updated_at IS NOT coalesce((
           SELECT max(created_at) FROM activity_log
            WHERE entity_type = 'customers' AND entity_id = CAST(customers.id AS TEXT)
              AND action IN ('create', 'update')), created_at)",
    )?;
    Ok(())
}
