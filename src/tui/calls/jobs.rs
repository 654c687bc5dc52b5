//! What Calls asks of the database: a page of the log, its counts, who logged calls, one
//! call in full.

use crate::store::Store;
use crate::store::read::customers::Cursor;
use crate::store::read::records::{self, CallRecord};
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
    /// One call in full, for reading (`enter` on the log).
    Call {
        call_id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Page,
    Stats,
    Owners,
    Call,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Page(Vec<calls::CallRow>),
    Stats(calls::Stats),
    Owners(Vec<(String, String)>),
    Call(String, Box<CallRecord>),
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Page { .. } => Kind::Page,
            Job::Stats { .. } => Kind::Stats,
            Job::Owners => Kind::Owners,
            Job::Call { .. } => Kind::Call,
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
    Ok(match job {
        Job::Page {
            filter,
            anchor,
            limit,
        } => Answer::Page(calls::page(conn, scope, filter, anchor, *limit)?),
        Job::Stats { filter } => Answer::Stats(calls::stats(conn, scope, filter, 6)?),
        Job::Owners => Answer::Owners(calls::owners(conn, scope, 200)?),
        Job::Call { call_id } => {
            scope.check(conn, "calls", call_id)?;
            Answer::Call(
                call_id.clone(),
                Box::new(records::call(conn, store.catalog(), call_id)?),
            )
        }
    })
}
