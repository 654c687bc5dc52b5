//! What Agent sessions asks of the database: a page of sessions and their count, the
//! approvals queue, a thread and its pending approvals.

use crate::store::Store;
use crate::store::read::customers::Cursor;
use crate::store::read::records::{self, SessionApproval};
use crate::store::read::{Anchor, sessions};
use crate::tui::worker::{DETAIL_ROWS, Scope};

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

pub fn execute(store: &Store, scope: &Scope, job: &Job) -> crate::store::Result<Answer> {
    let conn = store.conn();
    Ok(match job {
        Job::Page {
            customer_id,
            anchor,
            limit,
        } => Answer::Page(sessions::page(
            conn,
            scope,
            customer_id.as_deref(),
            anchor,
            *limit,
        )?),
        Job::Count { customer_id } => {
            Answer::Count(sessions::count(conn, scope, customer_id.as_deref())?)
        }
        Job::Thread { session_id } => Answer::Thread(
            session_id.clone(),
            sessions::thread(conn, scope, session_id, 200)?,
        ),
        Job::Approvals { anchor, limit } => Answer::Approvals {
            rows: sessions::pending_approvals(conn, scope, anchor, *limit)?,
            pending: sessions::pending_count(conn, scope)?,
        },
        Job::Pending { session_id } => {
            scope.check(conn, "agent_sessions", session_id)?;
            Answer::Pending(
                session_id.clone(),
                records::session_pending(conn, session_id, DETAIL_ROWS)?,
            )
        }
    })
}
