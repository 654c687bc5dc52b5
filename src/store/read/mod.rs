//! Reads. Lists are paged by keyset on an index (never whole tables); lookups resolve the
//! names people type (a workspace name, a user's email, a customer name prefix) to ids.

pub mod customers;
pub mod health;
pub mod lookup;

/// Where a page starts: at either end of the ordering, or just past a row already shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchor<C> {
    Start,
    End,
    After(C),
    Before(C),
}

// Reads of the dashboard's tabs.
pub mod account;
pub mod calls;
pub mod change;
pub mod deals;
pub mod journeys;
pub mod keyset;
pub mod portfolio;
pub mod queue;
pub mod sessions;
pub mod timeline;
pub mod trends;
pub mod view;

// Reads of the forms and pickers.
pub mod book;
pub mod browse;
pub mod dump;
pub mod pickers;
pub mod reader;
pub mod records;
pub mod scope;
pub mod search;

/// What the paging tests of the lists build their books from.
#[cfg(test)]
pub(crate) mod fixture {
    /// A fresh in-memory store with workspaces `w1` (North) and `w2` (South) and users `u1`
    /// Ann, `u2` Bo and `u3` Cy.
    pub fn tenants() -> crate::store::Store {
        let s = crate::store::open_in_memory().expect("store");
        s.conn()
            .execute_batch(
                "INSERT INTO workspaces (id, name) VALUES ('w1', 'North'), ('w2', 'South');
                 INSERT INTO users (id, email, name) VALUES ('u1', 'a@x.test', 'Ann'),
                   ('u2', 'bo@x.test', 'Bo'), ('u3', 'cy@x.test', 'Cy');",
            )
            .expect("workspaces and users");
        s
    }

    /// SQLite's plan for `sql` with `params`, one line per step (EXPLAIN QUERY PLAN's
    /// details): what the paging tests read to prove a page seeks an index and never sorts.
    pub fn query_plan(
        conn: &crate::store::db::Connection,
        sql: &str,
        params: &[rusqlite::types::Value],
    ) -> String {
        let steps: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain")
            .query_map(crate::store::db::params_from_iter(params.iter()), |r| {
                r.get(3)
            })
            .expect("plan")
            .collect::<rusqlite::Result<_>>()
            .expect("plan rows");
        steps.join("\n")
    }

    /// The next draw of a deterministic sequence (a 64-bit LCG, its high bits): spreads the
    /// rows of a test book the same way on every run.
    pub fn draw(x: &mut u64) -> u64 {
        *x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *x >> 33
    }
}
