//! The database worker: a thread that owns the connection, so the UI never waits on SQLite.
//!
//! gitui's shape: per kind of job, one running and one pending; a newer request of a kind
//! replaces the pending one ("latest wins"), and when it arrives while a job of the same kind
//! runs, that query is interrupted (`sqlite3_interrupt`): typing "acme" quickly runs at most
//! the first and the last search, not four. Results go back over a channel the event loop
//! selects on.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use crate::store::db::Interrupt as InterruptHandle;
use tokio::sync::mpsc::UnboundedSender;

use crate::health::{Explanation, Thresholds};
use crate::import::export::{self, ExportFormat};
use crate::store::Store;
use crate::store::entities::{Insight, Stakeholder};
use crate::store::read::pickers::{self, Candidate};
use crate::store::read::records::{self, CallRecord, CustomerRecord, DealRecord, Target};
use crate::store::read::view::View;
use crate::store::read::{change, health, trends};
use crate::store::rows::Row;
use crate::store::{StoreError, rules};
use crate::tui::forms::picker::Source;
use crate::tui::screens;
use crate::tui::writes::{self, Failure, Saved, Write};

/// What the app may ask of the database. One slot per kind: a screen's kinds are its own
/// (`Kind::Screen(screens::Kind::Calls(calls::Kind::Page))`), the rest serve the overlays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Screen(screens::Kind),
    /// Every workspace's band thresholds (the colours of scores).
    Thresholds,
    /// Rows for a picker (as you type).
    Pick,
    /// The record a form edits.
    Record,
    /// What the account's edit menu offers.
    Targets,
    /// A form's cross-field rules.
    Validate,
    /// Whether another process committed since (`PRAGMA data_version`).
    DataVersion,
    /// A store write. Never replaced or interrupted: writes queue, in order.
    Write,
    /// One whole row, as JSON, for the clipboard.
    CopyRow,
    /// A list as shown, written to a file.
    ExportView,
}

impl Kind {
    /// Jobs a newer request of the same kind may cut short: the searches a keystroke starts.
    fn interruptible(self) -> bool {
        match self {
            Kind::Screen(k) => k.interruptible(),
            Kind::Pick => true,
            _ => false,
        }
    }
}

/// Which record a form opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    Call,
    Customer,
    Stakeholder,
    Deal,
    Insight,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Call(CallRecord),
    Customer(CustomerRecord),
    Stakeholder(Stakeholder),
    Deal(DealRecord),
    Insight(Insight),
}

/// The scope of every read: what the store says the actor may see, carried by the
/// [`Reader`] the store builds for each job ([`Store::reader`]); every read applies it in SQL.
pub use crate::store::access::Scope;
use crate::store::read::reader::Reader;

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// A screen's own job (built with `From`: `calls::Job::Owners.into()`).
    Screen(screens::Job),
    Thresholds,
    Pick {
        source: Source,
        query: String,
    },
    Record {
        form: u64,
        load: Load,
        id: String,
    },
    Targets {
        customer_id: String,
    },
    Validate {
        form: u64,
        table: &'static str,
        row: Row,
    },
    /// `PRAGMA data_version`: it changes when another connection (another cscx, an import)
    /// commits, not for this connection's own writes.
    DataVersion,
    Write(Box<Write>),
    CopyRow {
        table: String,
        key: String,
        rowid: Option<i64>,
    },
    ExportView {
        view: View,
        format: ExportFormat,
        /// Where the file goes (empty: the current directory).
        dir: PathBuf,
        /// The time in its name, `20261204-213000`.
        stamp: String,
    },
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Screen(j) => Kind::Screen(j.kind()),
            Job::Thresholds => Kind::Thresholds,
            Job::Pick { .. } => Kind::Pick,
            Job::Record { .. } => Kind::Record,
            Job::Targets { .. } => Kind::Targets,
            Job::Validate { .. } => Kind::Validate,
            Job::DataVersion => Kind::DataVersion,
            Job::Write(_) => Kind::Write,
            Job::CopyRow { .. } => Kind::CopyRow,
            Job::ExportView { .. } => Kind::ExportView,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Increases with every request: the app keeps only the answer to its latest per kind.
    pub seq: u64,
    pub job: Job,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Screen(screens::Answer),
    Thresholds(HashMap<String, Thresholds>),
    Candidates(Vec<Candidate>),
    Record(u64, Box<Record>),
    Targets(String, Vec<Target>),
    /// A rule a form's fields break: (table, column, reason), or None.
    Validated {
        form: u64,
        error: Option<(String, String, String)>,
    },
    DataVersion(i64),
    Written(Box<Result<Saved, Failure>>),
    /// The row `Y` asked for (None: gone, or not the reader's to see).
    Copied {
        table: String,
        json: Option<String>,
    },
    /// The file an export wrote and its rows; `recorded`: why its run is not in
    /// `etl_runs`, if it is not.
    Exported {
        path: PathBuf,
        rows: u64,
        recorded: Result<(), String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub seq: u64,
    pub kind: Kind,
    pub result: Result<Data, String>,
}

/// Months of history shown by sparklines and charts.
pub const MONTHS: usize = 12;
/// Rows per list in the account 360 and detail panes.
pub(crate) const DETAIL_ROWS: usize = 50;

/// The explanation of a customer's score: the store's one source of them, as of the store's
/// clock; its "since" by the one definition of change the list and the movers use too
/// (`read::change`): last month's stored score. None if the customer is gone (deleted since
/// it was listed).
pub(crate) fn explanation(
    r: &Reader<'_>,
    customer_id: &str,
) -> crate::store::Result<Option<Explanation>> {
    match health::explanation(r, customer_id) {
        Ok(mut e) => {
            e.previous = match change::months(r)? {
                Some((_, last)) => change::score_in(r, customer_id, last)?.map(|score| {
                    crate::health::explain::Previous {
                        score,
                        as_of: change::label(last),
                    }
                }),
                None => None,
            };
            Ok(Some(e))
        }
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Rows per picker query.
const PICK_ROWS: usize = 200;

/// Runs one job against the store. Pure with respect to the UI: the threaded worker and the
/// headless test harness both call this. Reads use the connection; a `Write` is one
/// `Store::write`. Every read goes through the store's [`Reader`] for the actor (`mine`: only
/// the customers assigned to them), built for each job from the memberships as they are now.
pub fn execute(store: &mut Store, mine: bool, job: &Job) -> crate::store::Result<Data> {
    if let Job::Write(w) = job {
        return Ok(Data::Written(Box::new(writes::run(store, w))));
    }
    let r = &store.reader(mine)?;
    Ok(match job {
        Job::Write(_) => unreachable!("handled above"),
        Job::Screen(j) => Data::Screen(screens::execute(r, j)?),
        Job::Thresholds => Data::Thresholds(trends::thresholds(r)?),
        Job::DataVersion => Data::DataVersion(r.data_version()?),
        Job::Pick { source, query } => Data::Candidates(match source {
            Source::Customers => pickers::customers(r, query, PICK_ROWS)?,
            Source::Stakeholders { customer_id } => {
                pickers::stakeholders(r, customer_id, PICK_ROWS)?
            }
            Source::LossReasons { workspace_id } => {
                pickers::loss_reasons(r, workspace_id, PICK_ROWS)?
            }
            Source::Users => pickers::users(r, r.scope().single_workspace(), query, PICK_ROWS)?,
            Source::Fixed => Vec::new(),
        }),
        Job::Record { form, load, id } => {
            let record = match load {
                Load::Call => Record::Call(records::call(r, id)?),
                Load::Customer => Record::Customer(records::customer(r, id)?),
                Load::Stakeholder => Record::Stakeholder(r.get(id)?),
                Load::Deal => Record::Deal(records::deal(r, id, DETAIL_ROWS)?),
                Load::Insight => Record::Insight(r.get(id)?),
            };
            Data::Record(*form, Box::new(record))
        }
        Job::Targets { customer_id } => Data::Targets(
            customer_id.clone(),
            records::edit_targets(r, customer_id, DETAIL_ROWS)?,
        ),
        Job::CopyRow { table, key, rowid } => {
            let Some(t) = r.catalog().table(table) else {
                return Err(StoreError::Export(format!("no table {table}")));
            };
            let json = export::row_json(r, t, key, *rowid)
                .map_err(|e| StoreError::Export(e.to_string()))?;
            Data::Copied {
                table: table.clone(),
                json,
            }
        }
        Job::ExportView {
            view,
            format,
            dir,
            stamp,
        } => {
            let started = crate::store::ids::now();
            let written = export::export_view(r, store.path(), view, *format, dir, stamp)
                .map_err(|e| e.to_string());
            let recorded = record_export(store, &started, view, &written);
            let (path, rows) = written.map_err(StoreError::Export)?;
            // said in full: the user needs to find it (a relative name is relative to where
            // cscx was started, which they may not remember)
            let path = std::path::absolute(&path).unwrap_or(path);
            Data::Exported {
                path,
                rows,
                recorded,
            }
        }
        Job::Validate { form, table, row } => Data::Validated {
            form: *form,
            error: match rules::check_edit(r, table, row) {
                Ok(()) => None,
                Err(StoreError::Field(f)) => Some((f.table, f.column, f.reason)),
                Err(e) => return Err(e),
            },
        },
    })
}

/// Records a view's export in `etl_runs`, as `cscx export` records its own: an export of what
/// a CSM sees is what an audit wants to see too. Err: why it went unrecorded.
fn record_export(
    store: &mut Store,
    started: &str,
    view: &View,
    written: &Result<(PathBuf, u64), String>,
) -> Result<(), String> {
    use crate::store::etl_runs::{Direction, EtlRun, Status, feed_name};
    let (file, rows, error) = match written {
        Ok((path, rows)) => (
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            *rows,
            None,
        ),
        Err(e) => (view.name(), 0, Some(e.clone())),
    };
    let run = EtlRun {
        direction: Direction::Outbound,
        feed_name: feed_name("dashboard export", &[file]),
        started_at: started.to_owned(),
        finished_at: crate::store::ids::now(),
        records_read: rows,
        records_written: rows,
        records_rejected: 0,
        status: if error.is_some() {
            Status::Failed
        } else {
            Status::Succeeded
        },
        error,
    };
    store
        .record_run_from_reader(&run)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Runs a request to a response (errors become text for the status line).
pub fn respond(store: &mut Store, mine: bool, req: &Request) -> Response {
    Response {
        seq: req.seq,
        kind: req.job.kind(),
        result: execute(store, mine, &req.job).map_err(|e| e.to_string()),
    }
}

#[derive(Default)]
struct Slots {
    pending: HashMap<Kind, Request>,
    /// Writes, in the order they were asked for.
    writes: VecDeque<Request>,
    running: Option<Kind>,
    closed: bool,
}

struct Shared {
    slots: Mutex<Slots>,
    wake: Condvar,
    interrupt: InterruptHandle,
}

impl Shared {
    /// The lock, even if a panicking thread poisoned it (the slots stay consistent: every
    /// change to them is a single insert or remove).
    fn lock(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The worker thread. Dropping it stops the thread after the job it is running.
pub struct Worker {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    pub fn start(
        store: Store,
        mine: bool,
        results: UnboundedSender<Response>,
    ) -> std::io::Result<Worker> {
        let shared = Arc::new(Shared {
            slots: Mutex::new(Slots::default()),
            wake: Condvar::new(),
            interrupt: store.interrupt_handle(),
        });
        let inner = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("cscx-db".into())
            .spawn(move || run(store, mine, &inner, &results))?;
        Ok(Worker {
            shared,
            thread: Some(thread),
        })
    }

    /// Queues `req`, replacing a pending request of its kind; interrupts a running search of
    /// its kind, which the newer one supersedes.
    pub fn submit(&self, req: Request) {
        let kind = req.job.kind();
        let mut slots = self.shared.lock();
        if kind == Kind::Write {
            slots.writes.push_back(req);
            self.shared.wake.notify_one();
            return;
        }
        if slots.running == Some(kind) && kind.interruptible() {
            self.shared.interrupt.interrupt();
        }
        slots.pending.insert(kind, req);
        self.shared.wake.notify_one();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.notify_one();
        self.shared.interrupt.interrupt();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A read-only connection to the worker's database, acting as its actor on its day, for a
/// job that runs beside the worker; None for a database without a file (then the job runs
/// in turn).
fn side_reader(store: &Store) -> Option<Store> {
    let mut side = crate::store::open_read_only(store.path()).ok()?;
    side.set_actor(store.actor().clone());
    side.set_today(Some(store.today()));
    Some(side)
}

/// Runs `req` on `side` in a thread of its own; its answer goes where the worker's go.
fn export_aside(
    mut side: Store,
    mine: bool,
    req: Request,
    shared: &Shared,
    results: &UnboundedSender<Response>,
) {
    shared.lock().running = None;
    let seq = req.seq;
    let sender = results.clone();
    let spawned = std::thread::Builder::new()
        .name("cscx-export".into())
        .spawn(move || {
            let _ = sender.send(respond(&mut side, mine, &req));
        });
    if let Err(e) = spawned {
        let _ = results.send(Response {
            seq,
            kind: Kind::ExportView,
            result: Err(format!("could not start the export: {e}")),
        });
    }
}

fn run(mut store: Store, mine: bool, shared: &Shared, results: &UnboundedSender<Response>) {
    if std::env::var_os("CSCX_DEBUG_PANIC").is_some_and(|v| v == "worker") {
        panic!("CSCX_DEBUG_PANIC=worker: the database worker panics on purpose");
    }
    loop {
        let req = {
            let mut slots = shared.lock();
            loop {
                if slots.closed {
                    return;
                }
                // oldest request first, so no kind starves
                let next = slots
                    .pending
                    .values()
                    .min_by_key(|r| r.seq)
                    .map(|r| (r.seq, r.job.kind()));
                let write_first = match (slots.writes.front(), next) {
                    (Some(w), Some((seq, _))) => w.seq < seq,
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                if write_first && let Some(req) = slots.writes.pop_front() {
                    slots.running = Some(Kind::Write);
                    break req;
                }
                if let Some((_, kind)) = next
                    && let Some(req) = slots.pending.remove(&kind)
                {
                    slots.running = Some(kind);
                    break req;
                }
                slots = shared.wake.wait(slots).unwrap_or_else(|p| p.into_inner());
            }
        };
        if matches!(req.job, Job::ExportView { .. })
            && let Some(side) = side_reader(&store)
        {
            // a whole list to a file can take seconds on a big book: on a connection of its
            // own, so the screens' reads and the writes do not wait behind it
            export_aside(side, mine, req, shared, results);
            continue;
        }
        let response = respond(&mut store, mine, &req);
        let interrupted = matches!(&response.result, Err(e) if e.contains("interrupted"));
        let mut slots = shared.lock();
        slots.running = None;
        if interrupted {
            if slots.closed {
                return;
            }
            // cut short for a newer request of its kind, or by a race with one of another
            // kind: in that case run it again
            slots.pending.entry(response.kind).or_insert(req);
            continue;
        }
        drop(slots);
        if results.send(response).is_err() {
            return; // the app is gone
        }
    }
}
