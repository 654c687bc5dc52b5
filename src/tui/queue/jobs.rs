//! What Today asks of the database: the whole queue in one read (four bounded queries), so
//! its parts always agree with each other.

use crate::store::read::queue::{self, Drop, Item, Renewal};
use crate::store::read::reader::Reader;

/// At most this many rows per part: a queue longer than a screen is paged by doing it.
pub const DUE_ROWS: usize = 200;
pub const RENEWAL_ROWS: usize = 100;
pub const DROP_ROWS: usize = 20;
/// Renewals this many days ahead.
pub const RENEWAL_DAYS: i64 = 90;

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// `mine`: only my own items (`--mine`); `ahead`: what falls due within that many days
    /// is listed too (0: today).
    Load { mine: bool, ahead: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Load,
}

/// The queue as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Queue {
    /// The day it was read for (the store's clock): what "due today" means.
    pub today: chrono::NaiveDate,
    /// Days ahead the due part looks (0: today).
    pub ahead: i64,
    pub due: Vec<Item>,
    pub due_total: i64,
    pub renewals: Vec<Renewal>,
    pub renewals_total: i64,
    pub approvals: i64,
    pub drops: Vec<Drop>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Loaded(Box<Queue>),
}

impl Job {
    pub fn kind(&self) -> Kind {
        Kind::Load
    }
}

impl Kind {
    pub fn interruptible(self) -> bool {
        false
    }
}

pub fn execute(r: &Reader<'_>, job: &Job) -> crate::store::Result<Answer> {
    let Job::Load { mine, ahead } = job;
    let (due, due_total) = queue::due(r, *mine, *ahead, DUE_ROWS)?;
    let (renewals, renewals_total) = queue::renewals(r, *mine, RENEWAL_DAYS, RENEWAL_ROWS)?;
    Ok(Answer::Loaded(Box::new(Queue {
        today: r.today(),
        ahead: *ahead,
        due,
        due_total,
        renewals,
        renewals_total,
        approvals: queue::approvals_waiting(r)?,
        drops: queue::drops(r, *mine, DROP_ROWS)?,
    })))
}
