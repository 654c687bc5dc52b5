//! What Agent sessions asks of the database: a page of sessions and their count, the
//! approvals queue, a thread and its pending approvals.

use crate::store::read::customers::Cursor;
use crate::store::read::reader::Reader;
use crate::store::read::records::{self, SessionApproval};
use crate::store::read::{Anchor, sessions};
use crate::tui::worker::DETAIL_ROWS;

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Page {
        customer_id: Option<String>,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    /// A job of its own (like the customers' count), so the first page does not wait for it.
    Count {
        customer_id: Option<String>,
    },
    Thread {
        session_id: String,
    },
    Approvals {
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    /// The pending approvals of the session whose thread is shown.
    Pending {
        session_id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Page,
    Count,
    Thread,
    Approvals,
    Pending,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Page(Vec<sessions::SessionRow>),
    Count(i64),
    Thread(String, Vec<sessions::Message>),
    Approvals {
        rows: Vec<sessions::PendingApproval>,
        pending: i64,
    },
    Pending(String, Vec<SessionApproval>),
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Page { .. } => Kind::Page,
            Job::Count { .. } => Kind::Count,
            Job::Thread { .. } => Kind::Thread,
            Job::Approvals { .. } => Kind::Approvals,
            Job::Pending { .. } => Kind::Pending,
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
            customer_id,
            anchor,
            limit,
        } => Answer::Page(sessions::page(r, customer_id.as_deref(), anchor, *limit)?),
        Job::Count { customer_id } => Answer::Count(sessions::count(r, customer_id.as_deref())?),
        Job::Thread { session_id } => {
            Answer::Thread(session_id.clone(), sessions::thread(r, session_id, 200)?)
        }
        Job::Approvals { anchor, limit } => Answer::Approvals {
            rows: sessions::pending_approvals(r, anchor, *limit)?,
            pending: sessions::pending_count(r)?,
        },
        Job::Pending { session_id } => Answer::Pending(
            session_id.clone(),
            records::session_pending(r, session_id, DETAIL_ROWS)?,
        ),
    })
}
