//! What Calls asks of the database: a page of the log, its counts, who logged calls.

use crate::store::Store;
use crate::store::read::customers::Cursor;
use crate::store::read::{Anchor, calls};
use crate::tui::worker::Scope;

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Page {
        filter: calls::Filter,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    Stats {
        filter: calls::Filter,
    },
    Owners,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Page,
    Stats,
    Owners,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Page(Vec<calls::CallRow>),
    Stats(calls::Stats),
    Owners(Vec<(String, String)>),
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Page { .. } => Kind::Page,
            Job::Stats { .. } => Kind::Stats,
            Job::Owners => Kind::Owners,
        }
    }
}

impl Kind {
    pub fn interruptible(self) -> bool {
        false
    }
}

pub fn execute(store: &Store, scope: &Scope, job: &Job) -> crate::store::Result<Answer> {
    let conn = store.conn();
    let ws = scope.workspace_id.as_deref();
    Ok(match job {
        Job::Page {
            filter,
            anchor,
            limit,
        } => Answer::Page(calls::page(conn, filter, anchor, *limit)?),
        Job::Stats { filter } => Answer::Stats(calls::stats(conn, filter, 6)?),
        Job::Owners => Answer::Owners(calls::owners(conn, ws, 200)?),
    })
}
