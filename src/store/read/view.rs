//! A list as the dashboard shows it — its table, filters and order — walked from its first
//! row to its last by the list's own paged read, the keys of its rows a page at a time. What
//! "export what you see" writes (`import::export::export_view`): the same rows in the same
//! order as on screen, never the whole table read at once.

use rusqlite::types::Value;

use super::reader::Reader;
use super::{Anchor, browse, calls, customers, deals, dump, sessions};
use crate::store::catalog::Table;
use crate::store::enums::DealStage;
use crate::store::error::Result;

/// Rows per page while walking a view: big enough that a page costs little per row, small
/// enough that a page of keys (and of full rows, when exported) stays small.
pub const PAGE: usize = 500;

/// A list of one table, filtered and ordered as a tab shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    /// The Customers tab: its workspace, name filter and sort.
    Customers(customers::Query),
    /// The Calls tab's filters (newest first).
    Calls(calls::Filter),
    /// One stage of the Deals tab (by close date).
    Deals(DealStage),
    /// The Agent sessions tab: every session, or one customer's.
    Sessions(Option<String>),
    /// A table in the browser: its filter and sort.
    Table(browse::Query),
}

impl View {
    /// The table whose rows the view lists.
    pub fn table(&self) -> &str {
        match self {
            View::Customers(_) => "customers",
            View::Calls(_) => "calls",
            View::Deals(_) => "deals",
            View::Sessions(_) => "agent_sessions",
            View::Table(q) => &q.table,
        }
    }

    /// The SQL (on alias `t`) of the key [`each_page`](Self::each_page) gives: the browser
    /// pages by rowid (every table has one), the tabs by their rows' ids.
    pub fn key_sql(&self, table: &Table) -> String {
        match self {
            View::Table(_) => "t.rowid".to_owned(),
            _ => dump::key_column(table),
        }
    }

    /// A name for the view in a file name: the table, and the stage for a deals view.
    pub fn name(&self) -> String {
        match self {
            View::Deals(stage) => format!("deals-{}", stage.as_str()),
            other => other.table().to_owned(),
        }
    }

    /// Calls `f` with the keys ([`key_sql`](Self::key_sql)) of the view's rows, in the view's order, a page at a time.
    /// Returns how many ids it gave.
    pub fn each_page(
        &self,
        r: &Reader<'_>,
        mut f: impl FnMut(&[Value]) -> std::result::Result<(), Box<dyn std::error::Error>>,
    ) -> std::result::Result<u64, Box<dyn std::error::Error>> {
        let mut anchor = Anchor::Start;
        let mut n = 0u64;
        let shape = match self {
            View::Table(q) => Some(browse::shape(r, &q.table)?),
            _ => None,
        };
        loop {
            let (ids, last) = self.page(r, shape.as_ref(), &anchor)?;
            n += ids.len() as u64;
            if !ids.is_empty() {
                f(&ids)?;
            }
            match last {
                Some(cursor) if ids.len() == PAGE => anchor = Anchor::After(cursor),
                _ => return Ok(n),
            }
        }
    }

    /// One page's ids from `anchor`, and the cursor of its last row.
    fn page(
        &self,
        r: &Reader<'_>,
        shape: Option<&browse::Shape>,
        anchor: &Anchor<customers::Cursor>,
    ) -> Result<(Vec<Value>, Option<customers::Cursor>)> {
        fn split<T>(
            rows: Vec<T>,
            parts: impl Fn(T) -> (String, customers::Cursor),
        ) -> (Vec<Value>, Option<customers::Cursor>) {
            let mut last = None;
            let ids = rows
                .into_iter()
                .map(|row| {
                    let (id, cursor) = parts(row);
                    last = Some(cursor);
                    Value::Text(id)
                })
                .collect();
            (ids, last)
        }
        Ok(match self {
            View::Customers(q) => split(customers::page(r, q, anchor, PAGE)?, |row| {
                (row.id, row.cursor)
            }),
            View::Calls(filter) => split(calls::page(r, filter, anchor, PAGE)?, |row| {
                (row.id, row.cursor)
            }),
            View::Deals(stage) => split(deals::page(r, *stage, anchor, PAGE)?, |row| {
                (row.id, row.cursor)
            }),
            View::Sessions(customer) => split(
                sessions::page(r, customer.as_deref(), anchor, PAGE)?,
                |row| (row.id, row.cursor),
            ),
            View::Table(q) => {
                let shape = match shape {
                    Some(s) => s.clone(),
                    None => browse::shape(r, &q.table)?,
                };
                let rows = browse::page(r, &shape, q, anchor, PAGE)?;
                let last = rows.last().map(|row| row.cursor.clone());
                let keys = rows
                    .into_iter()
                    .map(|row| Value::Integer(row.rowid))
                    .collect();
                (keys, last)
            }
        })
    }
}
