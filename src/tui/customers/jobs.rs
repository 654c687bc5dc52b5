//! What the Customers tab asks of the database: a page of the book, and how many match.

use std::collections::HashMap;

use crate::store::Store;
use crate::store::read::customers::{self, Cursor, Query};
use crate::store::read::{Anchor, change};
use crate::tui::worker::{MONTHS, Scope};

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Page {
        query: Query,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    /// How many match `query`, and (when `all` is asked) how many there are without the search.
    Count { query: Query, all: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Page,
    Count,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Page {
        rows: Vec<customers::Row>,
        sparklines: HashMap<String, Vec<Option<f64>>>,
    },
    Count {
        matching: i64,
        all: Option<i64>,
    },
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Page { .. } => Kind::Page,
            Job::Count { .. } => Kind::Count,
        }
    }
}

impl Kind {
    /// Both follow the filter as it is typed: a newer keystroke supersedes them.
    pub fn interruptible(self) -> bool {
        true
    }
}

pub fn execute(store: &Store, scope: &Scope, job: &Job) -> crate::store::Result<Answer> {
    let conn = store.conn();
    Ok(match job {
        Job::Page {
            query,
            anchor,
            limit,
        } => {
            let rows = customers::page(conn, scope, query, anchor, *limit)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            // a slot per calendar month up to the book's "this month"
            let sparklines = match change::months(conn, scope)? {
                Some((this, _)) => change::monthly(conn, &ids, this, MONTHS)?,
                None => Default::default(),
            };
            Answer::Page { rows, sparklines }
        }
        Job::Count { query, all } => {
            let matching = customers::count(conn, scope, query)?;
            let all = if *all {
                let everyone = Query {
                    search: String::new(),
                    ..query.clone()
                };
                Some(if everyone == *query {
                    matching
                } else {
                    customers::count(conn, scope, &everyone)?
                })
            } else {
                None
            };
            Answer::Count { matching, all }
        }
    })
}
