//! What the account 360 asks of the database: everything about one customer.

use crate::health::Explanation;
use crate::store::read::account;
use crate::store::read::reader::Reader;
use crate::tui::worker::{DETAIL_ROWS, explanation};

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Load { customer_id: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Load,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// None: the customer is gone (or outside the workspace).
    Loaded(Box<Option<(account::Account, Option<Explanation>)>>),
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
    let Job::Load { customer_id } = job;
    let acc = account::load(r, customer_id, DETAIL_ROWS)?;
    let exp = match &acc {
        Some(_) => explanation(r, customer_id)?,
        None => None,
    };
    Ok(Answer::Loaded(Box::new(acc.map(|a| (a, exp)))))
}
