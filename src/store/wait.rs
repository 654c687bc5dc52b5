//! A writer that finds another writer at work waits for it, visibly and up to a bound,
//! instead of failing after SQLite's busy timeout ("database is locked" after 5 s in the
//! middle of a long import).
//!
//! SQLite allows one writer at a time; in WAL mode readers never wait. `BEGIN IMMEDIATE` is
//! tried with a short timeout; while it is busy the caller is told once who holds the lock
//! (`presence::current_writer`: "import since 10:02") and how long it will wait, then it
//! tries again each second until the bound.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::store::db::{Begin, Connection, Transaction};
use rusqlite::ErrorCode;

use super::error::{Result, StoreError};
use super::presence::{self, Presence};

/// How a store's writes wait for another writer (headless commands; the dashboard keeps
/// SQLite's busy timeout and says so in its status line).
#[derive(Debug, Clone)]
pub struct WaitForWriter {
    /// What this process is doing, for others that wait for it ("import").
    pub label: String,
    /// How long to wait before giving up.
    pub bound: Duration,
    /// Where "waiting for ..." is said (stderr for the CLI).
    pub report: fn(&str),
}

/// The busy timeout of one attempt while waiting: short, so that waiting is said at once.
const ATTEMPT: Duration = Duration::from_millis(250);

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// `BEGIN IMMEDIATE`, waiting as `wait` says; then this process is named as the writer.
pub(crate) fn begin_immediate<'c>(
    conn: &'c Connection,
    path: &Path,
    wait: Option<&WaitForWriter>,
    presence: Option<&Presence>,
    busy_timeout: Duration,
) -> Result<Transaction<'c>> {
    let Some(wait) = wait else {
        return Ok(Transaction::begin(conn, Begin::Immediate)?);
    };
    let started = Instant::now();
    let mut told = false;
    conn.busy_timeout(ATTEMPT)?;
    let tx = loop {
        match Transaction::begin(conn, Begin::Immediate) {
            Ok(tx) => break Ok(tx),
            Err(e) if is_busy(&e) && started.elapsed() < wait.bound => {
                if !told {
                    told = true;
                    let who = presence::current_writer(path)
                        .map_or("another process".to_owned(), |w| {
                            format!("another cscx ({w})")
                        });
                    (wait.report)(&format!(
                        "waiting for {who} to finish writing {} (up to {})…\n",
                        path.display(),
                        minutes(wait.bound)
                    ));
                }
                std::thread::sleep(Duration::from_millis(750));
            }
            Err(e) if is_busy(&e) => {
                let who = presence::current_writer(path)
                    .map_or("another process".to_owned(), |w| {
                        format!("another cscx ({w})")
                    });
                break Err(StoreError::Busy {
                    path: path.to_owned(),
                    who,
                    waited: minutes(wait.bound),
                });
            }
            Err(e) => break Err(e.into()),
        }
    };
    conn.busy_timeout(busy_timeout)?;
    let tx = tx?;
    if let Some(p) = presence {
        p.announce_writer(&wait.label);
    }
    Ok(tx)
}

fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 120 && s.is_multiple_of(60) {
        format!("{} minutes", s / 60)
    } else {
        format!("{s} s")
    }
}
