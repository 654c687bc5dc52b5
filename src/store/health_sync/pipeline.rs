//! A full recompute on two (or more) cores: planner threads, each with its own read-only
//! connection to the same file, compute the plans of the next batches while the writer
//! applies those of the current one in its write transaction.
//!
//! Why: measured on 100,000 customers, most of a daily recompute is reading a customer's
//! inputs and stored health (B-tree seeks, page reads) and computing its plan (with nothing
//! to write it took 24 s, the next day 33 s); writing what differs is the rest. Reads need no write lock, and WAL lets readers run beside
//! the writer, so the reading moves to other threads and the writer only writes.
//!
//! Why a plan made on another connection is still right when it is applied:
//! * recompute writes only derived rows of the customers of its batch (and `activity_log`,
//!   which no plan reads), and every customer is in one batch only: committing batch k
//!   changes no input or stored row that the plan of a customer of another batch reads;
//! * anything else that commits meanwhile is another connection (another `cscx`, the
//!   dashboard). The writer reads `PRAGMA data_version` (which changes only when another
//!   connection commits) at the start of each of its transactions, with the write lock held.
//!   Each plan records which of the writer's transactions had begun before its snapshot was
//!   taken; when the writer's data_version has moved since then, another connection may have
//!   committed after the snapshot, and the writer plans that batch again itself, inside its
//!   transaction, as the one-thread path does. So does a batch planned for another date
//!   (a recompute running over midnight).
//!
//! In-memory databases cannot be opened twice, one core gains nothing, and a list of one
//! batch has nothing to overlap: those take the one-thread path ([`super::recompute_all`]).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use chrono::NaiveDate;

use super::plan::{self, Plan};
use crate::store::error::{Result, StoreError};
use crate::store::write::{HealthChange, WriteTx};

/// Plans of one batch made by a planner thread.
pub struct Batch {
    /// Which batch (0, 1, ...): `ids[index * size ..]`.
    pub index: usize,
    /// Its customers.
    pub ids: Vec<String>,
    /// The writer's latest transaction begun before the plans' snapshot (-1: none yet).
    after: i64,
    today: NaiveDate,
    /// One per customer of `ids` (None: no such customer).
    plans: Result<Vec<Option<Plan>>>,
}

/// The planner threads of one full recompute, and the writer's side of the check above.
pub struct Pipeline {
    receivers: Vec<Receiver<Batch>>,
    threads: Vec<JoinHandle<()>>,
    next: usize,
    batches: usize,
    /// The writer's latest transaction begun (a batch index; -1: none yet).
    begun: Arc<AtomicI64>,
    /// `data_version` of the writer's connection: [0] before the planners started, [k + 1] at
    /// the start of batch k's transaction.
    versions: Vec<i64>,
}

/// Whether `path` is a database file that planner threads can open beside the writer.
pub fn can_open_twice(path: &Path) -> bool {
    path != Path::new(":memory:") && path.is_file()
}

/// How many planner threads a full recompute uses on this machine (0: the one-thread path).
pub fn planners() -> usize {
    match std::thread::available_parallelism().map_or(1, |n| n.get()) {
        0 | 1 => 0,
        n => n.min(4),
    }
}

impl Pipeline {
    /// Starts `planners` threads planning `ids` in batches of `size` as of `today`, reading the
    /// database at `path`; `conn` is the writer's connection.
    pub fn start(
        store: &crate::store::Store,
        path: &Path,
        ids: Vec<String>,
        size: usize,
        today: NaiveDate,
        planners: usize,
    ) -> Result<Pipeline> {
        let planners = planners.max(1);
        let size = size.max(1);
        let baseline = data_version(store.conn())?;
        let ids: Arc<[String]> = ids.into();
        let batches = ids.len().div_ceil(size);
        let begun = Arc::new(AtomicI64::new(-1));
        let mut receivers = Vec::with_capacity(planners);
        let mut threads = Vec::with_capacity(planners);
        for first in 0..planners {
            // one batch ready and one in the making per planner: plans of 1,000 customers
            // are a few MB
            let (tx, rx) = sync_channel(1);
            let (ids, begun, path) = (Arc::clone(&ids), Arc::clone(&begun), path.to_owned());
            let thread = std::thread::Builder::new()
                .name(format!("health planner {first}"))
                .spawn(move || {
                    plan_batches(&path, &ids, size, first, planners, today, &begun, &tx);
                })
                .map_err(|e| StoreError::Config(format!("cannot start a planner thread: {e}")))?;
            receivers.push(rx);
            threads.push(thread);
        }
        Ok(Pipeline {
            receivers,
            threads,
            next: 0,
            batches,
            begun,
            versions: vec![baseline],
        })
    }

    /// The next batch in order, once planned; None after the last.
    pub fn next_batch(&mut self) -> Result<Option<Batch>> {
        if self.next >= self.batches {
            return Ok(None);
        }
        let k = self.next;
        let batch = self.receivers[k % self.receivers.len()]
            .recv()
            .map_err(|_| StoreError::Config("a health planner thread stopped".into()))?;
        debug_assert_eq!(batch.index, k);
        self.next += 1;
        Ok(Some(batch))
    }

    /// Writes what `batch`'s plans found different, in `w` (which must be the transaction of
    /// this batch, the batches in order), planning again in `w` when the plans may be stale
    /// (module documentation); returns the scores that moved.
    pub fn apply(&mut self, w: &mut WriteTx<'_>, batch: Batch) -> Result<Vec<HealthChange>> {
        let version = data_version(w.conn())?;
        let index = i64::try_from(batch.index).unwrap_or(i64::MAX);
        if self.versions.len() != batch.index + 1 {
            return Err(StoreError::Config(
                "health batches applied out of order".into(),
            ));
        }
        self.versions.push(version);
        // SeqCst: a planner that sees this index takes its snapshot after this transaction
        // began, when the version above already counted every earlier commit of others
        self.begun.store(index, Ordering::SeqCst);
        let seen = usize::try_from(batch.after + 1).unwrap_or(0);
        let current = batch.today == w.today() && self.versions[seen] == version;
        match batch.plans {
            Ok(plans) if current => super::apply_plans(w, plans.into_iter().flatten()),
            // stale, or the planner failed (it could not open the database, say): plan here,
            // where a real error shows as it would on the one-thread path
            _ => super::recompute_each(w, batch.ids),
        }
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        // planners blocked on a full channel see it closed and stop
        self.receivers.clear();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn data_version(conn: &crate::store::db::Connection) -> Result<i64> {
    Ok(conn.data_version()?)
}

/// A planner thread: batches `first`, `first + step`, ... of `ids`, each from one snapshot.
#[allow(clippy::too_many_arguments)]
fn plan_batches(
    path: &Path,
    ids: &[String],
    size: usize,
    first: usize,
    step: usize,
    today: NaiveDate,
    begun: &AtomicI64,
    tx: &SyncSender<Batch>,
) {
    let store = crate::store::open_read_only(path);
    for (index, chunk) in ids.chunks(size).enumerate().skip(first).step_by(step) {
        let after = begun.load(Ordering::SeqCst);
        let plans = match &store {
            Ok(store) => plan_snapshot(store.conn(), chunk, today),
            Err(e) => Err(StoreError::Config(format!(
                "a health planner cannot open the database: {e}"
            ))),
        };
        let batch = Batch {
            index,
            ids: chunk.to_vec(),
            after,
            today,
            plans,
        };
        if tx.send(batch).is_err() {
            return; // the writer stopped
        }
    }
}

/// The plans of `ids` from one read transaction (one snapshot, taken after the caller read
/// the writer's progress).
fn plan_snapshot(
    conn: &crate::store::db::Connection,
    ids: &[String],
    today: NaiveDate,
) -> Result<Vec<Option<Plan>>> {
    conn.execute_batch("BEGIN DEFERRED")?;
    // one workspace configuration read per batch, as in the writer's own path
    let mut configs = plan::Configs::new();
    let plans = ids
        .iter()
        .map(|id| plan::plan(conn, id, today, &mut configs))
        .collect::<Result<Vec<_>>>();
    conn.execute_batch("COMMIT")?;
    plans
}
