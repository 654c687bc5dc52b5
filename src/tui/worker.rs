//! The database worker: a thread that owns the connection, so the UI never waits on SQLite.
//!
//! gitui's shape: per kind of job, one running and one pending; a newer request of a kind
//! replaces the pending one ("latest wins"), and when it arrives while a job of the same kind
//! runs, that query is interrupted (`sqlite3_interrupt`): typing "acme" quickly runs at most
//! the first and the last search, not four. Results go back over a channel the event loop
//! selects on.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use rusqlite::InterruptHandle;
use tokio::sync::mpsc::UnboundedSender;

use crate::health::{Explanation, Thresholds};
use crate::store::Store;
use crate::store::entities::{Insight, Stakeholder};
use crate::store::enums::DealStage;
use crate::store::read::customers::{self, Cursor, Query};
use crate::store::read::pickers::{self, Candidate};
use crate::store::read::records::{
    self, CallRecord, CustomerRecord, DealRecord, SessionApproval, Target,
};
use crate::store::read::{
    Anchor, account, calls, change, deals, health, portfolio, sessions, trends,
};
use crate::store::rows::Row;
use crate::store::{StoreError, rules};
use crate::tui::forms::picker::Source;
use crate::tui::writes::{self, Failure, Saved, Write};

/// What the app may ask of the database. One slot per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    CustomerPage,
    CustomerCount,
    Account,
    Trends,
    Portfolio,
    /// Every workspace's band thresholds (the colours of scores).
    Thresholds,
    Pipeline,
    Deals,
    Deal,
    Call,
    DataVersion,
    Calls,
    CallStats,
    CallOwners,
    Sessions,
    /// How many sessions the list holds (for "N of M").
    SessionCount,
    Thread,
    Approvals,
    /// Rows for a picker (as you type).
    Pick,
    /// The record a form edits.
    Record,
    /// What the account's edit menu offers.
    Targets,
    /// The pending approvals of the session whose thread is shown.
    SessionPending,
    /// A form's cross-field rules.
    Validate,
    /// A store write. Never replaced or interrupted: writes queue, in order.
    Write,
}

impl Kind {
    /// Jobs a newer request of the same kind may cut short: the searches a keystroke starts.
    fn interruptible(self) -> bool {
        matches!(self, Kind::CustomerPage | Kind::CustomerCount | Kind::Pick)
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
    CustomerPage {
        query: Query,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    /// How many match `query`, and (when `all` is asked) how many there are without the search.
    CustomerCount {
        query: Query,
        all: bool,
    },
    Account {
        customer_id: String,
    },
    Trends {
        customer_id: String,
    },
    Portfolio,
    Thresholds,
    Pipeline,
    Deals {
        stage: DealStage,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    Deal {
        deal_id: String,
    },
    /// `PRAGMA data_version`: it changes when another connection (another cscx, an import)
    /// commits, not for this connection's own writes.
    DataVersion,
    /// One call in full, for reading (`enter` on the log).
    Call {
        call_id: String,
    },
    Calls {
        filter: calls::Filter,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    CallStats {
        filter: calls::Filter,
    },
    CallOwners,
    Sessions {
        customer_id: Option<String>,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    /// A job of its own (like the customers' count), so the first page does not wait for it.
    SessionCount {
        customer_id: Option<String>,
    },
    Thread {
        session_id: String,
    },
    Approvals {
        anchor: Anchor<Cursor>,
        limit: usize,
    },
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
    SessionPending {
        session_id: String,
    },
    Validate {
        form: u64,
        table: &'static str,
        row: Row,
    },
    Write(Box<Write>),
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::CustomerPage { .. } => Kind::CustomerPage,
            Job::CustomerCount { .. } => Kind::CustomerCount,
            Job::Account { .. } => Kind::Account,
            Job::Trends { .. } => Kind::Trends,
            Job::Portfolio => Kind::Portfolio,
            Job::Thresholds => Kind::Thresholds,
            Job::Pipeline => Kind::Pipeline,
            Job::Deals { .. } => Kind::Deals,
            Job::Deal { .. } => Kind::Deal,
            Job::Call { .. } => Kind::Call,
            Job::DataVersion => Kind::DataVersion,
            Job::Calls { .. } => Kind::Calls,
            Job::CallStats { .. } => Kind::CallStats,
            Job::CallOwners => Kind::CallOwners,
            Job::Sessions { .. } => Kind::Sessions,
            Job::SessionCount { .. } => Kind::SessionCount,
            Job::Thread { .. } => Kind::Thread,
            Job::Approvals { .. } => Kind::Approvals,
            Job::Pick { .. } => Kind::Pick,
            Job::Record { .. } => Kind::Record,
            Job::Targets { .. } => Kind::Targets,
            Job::SessionPending { .. } => Kind::SessionPending,
            Job::Validate { .. } => Kind::Validate,
            Job::Write(_) => Kind::Write,
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
pub struct Trends {
    pub customer_id: String,
    /// The customer's workspace: its thresholds colour the score.
    pub workspace_id: String,
    pub months: Vec<trends::Month>,
    pub kpis: Vec<trends::Kpi>,
    pub explanation: Option<Explanation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// The band thresholds, when every workspace shown has the same; None when they differ
    /// (each customer is banded by its own workspace's).
    pub thresholds: Option<Thresholds>,
    pub bands: portfolio::Bands,
    pub movers: Vec<portfolio::Mover>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    CustomerPage {
        rows: Vec<customers::Row>,
        sparklines: HashMap<String, Vec<Option<f64>>>,
    },
    CustomerCount {
        matching: i64,
        all: Option<i64>,
    },
    Account(Box<Option<(account::Account, Option<Explanation>)>>),
    Trends(Box<Trends>),
    Portfolio(Box<Portfolio>),
    Thresholds(HashMap<String, Thresholds>),
    Pipeline(Vec<deals::StageTotal>),
    Deals(Vec<deals::DealRow>),
    Deal(String, deals::DealDetail),
    Call(String, Box<CallRecord>),
    DataVersion(i64),
    Calls(Vec<calls::CallRow>),
    CallStats(calls::Stats),
    CallOwners(Vec<(String, String)>),
    Sessions(Vec<sessions::SessionRow>),
    SessionCount(i64),
    Thread(String, Vec<sessions::Message>),
    Approvals {
        rows: Vec<sessions::PendingApproval>,
        pending: i64,
    },
    Candidates(Vec<Candidate>),
    Record(u64, Box<Record>),
    Targets(String, Vec<Target>),
    SessionPending(String, Vec<SessionApproval>),
    /// A rule a form's fields break: (table, column, reason), or None.
    Validated {
        form: u64,
        error: Option<(String, String, String)>,
    },
    Written(Box<Result<Saved, Failure>>),
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
const DETAIL_ROWS: usize = 50;

/// The explanation of a customer's score: the store's one source of them, as of the store's
/// clock. None if the customer is gone (deleted since it was listed).
/// The explanation of a score, its "since" by the one definition of change the list and the
/// movers use too (`read::change`): last month's stored score, not a recomputation as of the
/// end of last month.
fn explanation(r: &Reader<'_>, customer_id: &str) -> crate::store::Result<Option<Explanation>> {
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
        Job::CustomerPage {
            query,
            anchor,
            limit,
        } => {
            let rows = customers::page(r, query, anchor, *limit)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            // a slot per calendar month up to the book's "this month"
            let sparklines = match change::months(r)? {
                Some((this, _)) => change::monthly(r, &ids, this, MONTHS)?,
                None => Default::default(),
            };
            Data::CustomerPage { rows, sparklines }
        }
        Job::CustomerCount { query, all } => {
            let matching = customers::count(r, query)?;
            let all = if *all {
                let everyone = Query {
                    search: String::new(),
                    ..query.clone()
                };
                Some(if everyone == *query {
                    matching
                } else {
                    customers::count(r, &everyone)?
                })
            } else {
                None
            };
            Data::CustomerCount { matching, all }
        }
        Job::Account { customer_id } => {
            let acc = account::load(r, customer_id, DETAIL_ROWS)?;
            let exp = match &acc {
                Some(_) => explanation(r, customer_id)?,
                None => None,
            };
            Data::Account(Box::new(acc.map(|a| (a, exp))))
        }
        Job::Trends { customer_id } => {
            let workspace_id = health::visible_customer(r, customer_id)?
                .ok_or_else(|| StoreError::NotFound {
                    entity: "customers".into(),
                    id: customer_id.clone(),
                })?
                .workspace_id;
            Data::Trends(Box::new(Trends {
                customer_id: customer_id.clone(),
                workspace_id,
                months: trends::months(r, customer_id, MONTHS)?,
                kpis: trends::kpis(r, customer_id, 100)?,
                explanation: explanation(r, customer_id)?,
            }))
        }
        Job::Portfolio => {
            let by_workspace = trends::thresholds(r)?;
            let mut all = by_workspace.values();
            let first = all.next().copied().unwrap_or_default();
            Data::Portfolio(Box::new(Portfolio {
                thresholds: all.all(|t| *t == first).then_some(first),
                bands: portfolio::bands(r, &by_workspace)?,
                movers: portfolio::movers(r, 20)?,
            }))
        }
        Job::Thresholds => Data::Thresholds(trends::thresholds(r)?),
        Job::Pipeline => Data::Pipeline(deals::pipeline(r)?),
        Job::Deals {
            stage,
            anchor,
            limit,
        } => Data::Deals(deals::page(r, *stage, anchor, *limit)?),
        Job::Deal { deal_id } => {
            Data::Deal(deal_id.clone(), deals::detail(r, deal_id, DETAIL_ROWS)?)
        }
        Job::DataVersion => Data::DataVersion(r.data_version()?),
        Job::Call { call_id } => Data::Call(call_id.clone(), Box::new(records::call(r, call_id)?)),
        Job::Calls {
            filter,
            anchor,
            limit,
        } => Data::Calls(calls::page(r, filter, anchor, *limit)?),
        Job::CallStats { filter } => Data::CallStats(calls::stats(r, filter, 6)?),
        Job::CallOwners => Data::CallOwners(calls::owners(r, 200)?),
        Job::Sessions {
            customer_id,
            anchor,
            limit,
        } => Data::Sessions(sessions::page(r, customer_id.as_deref(), anchor, *limit)?),
        Job::SessionCount { customer_id } => {
            Data::SessionCount(sessions::count(r, customer_id.as_deref())?)
        }
        Job::Thread { session_id } => {
            Data::Thread(session_id.clone(), sessions::thread(r, session_id, 200)?)
        }
        Job::Approvals { anchor, limit } => Data::Approvals {
            rows: sessions::pending_approvals(r, anchor, *limit)?,
            pending: sessions::pending_count(r)?,
        },
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
        Job::SessionPending { session_id } => Data::SessionPending(
            session_id.clone(),
            records::session_pending(r, session_id, DETAIL_ROWS)?,
        ),
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
