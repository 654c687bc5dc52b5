//! What the Customers tab asks of the database: a page of the book, and how many match.

use std::collections::HashMap;

use crate::store::read::customers::{self, Cursor, Query};
use crate::store::read::reader::Reader;
use crate::store::read::{Anchor, change};
use crate::tui::worker::MONTHS;

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

pub fn execute(r: &Reader<'_>, job: &Job) -> crate::store::Result<Answer> {
    Ok(match job {
        Job::Page {
            query,
            anchor,
            limit,
        } => {
            let rows = customers::page(r, query, anchor, *limit)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            // a slot per calendar month up to the book's "this month"
            let sparklines = match change::months(r)? {
                Some((this, _)) => change::monthly(r, &ids, this, MONTHS)?,
                None => Default::default(),
            };
            Answer::Page { rows, sparklines }
        }
        Job::Count { query, all } => {
            let matching = customers::count(r, query)?;
            let all = if *all {
                let everyone = Query {
                    search: String::new(),
                    ..query.clone()
                };
                Some(if everyone == *query {
                    matching
                } else {
                    customers::count(r, &everyone)?
                })
            } else {
                None
            };
            Answer::Count { matching, all }
        }
    })
}
