//! What Calls asks of the database: a page of the log, its counts, who logged calls, one
//! call in full.

use crate::store::read::customers::Cursor;
use crate::store::read::reader::Reader;
use crate::store::read::records::{self, CallRecord};
use crate::store::read::{Anchor, calls};

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

pub fn execute(r: &Reader<'_>, job: &Job) -> crate::store::Result<Answer> {
    Ok(match job {
        Job::Page {
            filter,
            anchor,
            limit,
        } => Answer::Page(calls::page(r, filter, anchor, *limit)?),
        Job::Stats { filter } => Answer::Stats(calls::stats(r, filter, 6)?),
        Job::Owners => Answer::Owners(calls::owners(r, 200)?),
        Job::Call { call_id } => {
            Answer::Call(call_id.clone(), Box::new(records::call(r, call_id)?))
        }
    })
}
