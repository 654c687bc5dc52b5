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
use crate::store::read::{Anchor, account, calls, deals, health, portfolio, sessions, trends};
use crate::store::rows::Row;
use crate::store::{StoreError, rules, write};
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

impl Load {
    fn table(self) -> &'static str {
        match self {
            Load::Call => "calls",
            Load::Customer => "customers",
            Load::Stakeholder => "stakeholders",
            Load::Deal => "deals",
            Load::Insight => "insights",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Call(CallRecord),
    Customer(CustomerRecord),
    Stakeholder(Stakeholder),
    Deal(DealRecord),
    Insight(Insight),
}

/// The fixed scope of every read: what the store says the actor may see
/// ([`Store::scope`](crate::store::Store::scope)); every read below applies it in SQL.
pub use crate::store::access::Scope;

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
fn explanation(store: &Store, customer_id: &str) -> crate::store::Result<Option<Explanation>> {
    match health::explanation(store.conn(), customer_id, store.today()) {
        Ok(e) => Ok(Some(e)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Rows per picker query.
const PICK_ROWS: usize = 200;

/// Runs one job against the store. Pure with respect to the UI: the threaded worker and the
/// headless test harness both call this. Reads use the connection; a `Write` is one
/// `Store::write`.
pub fn execute(store: &mut Store, scope: &Scope, job: &Job) -> crate::store::Result<Data> {
    if let Job::Write(w) = job {
        return Ok(Data::Written(Box::new(writes::run(store, w))));
    }
    let conn = store.conn();
    Ok(match job {
        Job::Write(_) => unreachable!("handled above"),
        Job::CustomerPage {
            query,
            anchor,
            limit,
        } => {
            let rows = customers::page(conn, scope, query, anchor, *limit)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let sparklines = trends::sparklines(conn, &ids, MONTHS)?;
            Data::CustomerPage { rows, sparklines }
        }
        Job::CustomerCount { query, all } => {
            let matching = customers::count(conn, scope, query)?;
            let all = if *all {
                let everyone = Query {
                    search: String::new(),
                    ..query.clone()
                };
                Some(if everyone == *query {
                    matching
                } else {
                    customers::count(conn, scope, &everyone)?
                })
            } else {
                None
            };
            Data::CustomerCount { matching, all }
        }
        Job::Account { customer_id } => {
            let acc = account::load(conn, scope, customer_id, DETAIL_ROWS)?;
            let exp = match &acc {
                Some(_) => explanation(store, customer_id)?,
                None => None,
            };
            Data::Account(Box::new(acc.map(|a| (a, exp))))
        }
        Job::Trends { customer_id } => {
            scope.check(conn, "customers", customer_id)?;
            let workspace_id = health::customer(conn, customer_id)?
                .map(|c| c.workspace_id)
                .unwrap_or_default();
            Data::Trends(Box::new(Trends {
                customer_id: customer_id.clone(),
                workspace_id,
                months: trends::months(conn, scope, customer_id, MONTHS)?,
                kpis: trends::kpis(conn, scope, customer_id, 100)?,
                explanation: explanation(store, customer_id)?,
            }))
        }
        Job::Portfolio => {
            let by_workspace = trends::thresholds(conn, scope)?;
            let mut all = by_workspace.values();
            let first = all.next().copied().unwrap_or_default();
            Data::Portfolio(Box::new(Portfolio {
                thresholds: all.all(|t| *t == first).then_some(first),
                bands: portfolio::bands(conn, scope, &by_workspace)?,
                movers: portfolio::movers(conn, scope, 20)?,
            }))
        }
        Job::Thresholds => Data::Thresholds(trends::thresholds(conn, scope)?),
        Job::Pipeline => Data::Pipeline(deals::pipeline(conn, scope)?),
        Job::Deals {
            stage,
            anchor,
            limit,
        } => Data::Deals(deals::page(conn, scope, *stage, anchor, *limit)?),
        Job::Deal { deal_id } => Data::Deal(
            deal_id.clone(),
            deals::detail(conn, scope, deal_id, DETAIL_ROWS)?,
        ),
        Job::Calls {
            filter,
            anchor,
            limit,
        } => Data::Calls(calls::page(conn, scope, filter, anchor, *limit)?),
        Job::CallStats { filter } => Data::CallStats(calls::stats(conn, scope, filter, 6)?),
        Job::CallOwners => Data::CallOwners(calls::owners(conn, scope, 200)?),
        Job::Sessions {
            customer_id,
            anchor,
            limit,
        } => Data::Sessions(sessions::page(
            conn,
            scope,
            customer_id.as_deref(),
            anchor,
            *limit,
        )?),
        Job::SessionCount { customer_id } => {
            Data::SessionCount(sessions::count(conn, scope, customer_id.as_deref())?)
        }
        Job::Thread { session_id } => Data::Thread(
            session_id.clone(),
            sessions::thread(conn, scope, session_id, 200)?,
        ),
        Job::Approvals { anchor, limit } => Data::Approvals {
            rows: sessions::pending_approvals(conn, scope, anchor, *limit)?,
            pending: sessions::pending_count(conn, scope)?,
        },
        Job::Pick { source, query } => Data::Candidates(match source {
            Source::Customers => pickers::customers(conn, scope, query, PICK_ROWS)?,
            Source::Stakeholders { customer_id } => {
                pickers::stakeholders(conn, scope, customer_id, PICK_ROWS)?
            }
            Source::LossReasons { workspace_id } => {
                pickers::loss_reasons(conn, scope, workspace_id, PICK_ROWS)?
            }
            Source::Users => {
                pickers::users(conn, scope, scope.single_workspace(), query, PICK_ROWS)?
            }
            Source::Fixed => Vec::new(),
        }),
        Job::Record { form, load, id } => {
            scope.check(conn, load.table(), id)?;
            let catalog = store.catalog();
            let record = match load {
                Load::Call => Record::Call(records::call(conn, catalog, id)?),
                Load::Customer => Record::Customer(records::customer(conn, catalog, id)?),
                Load::Stakeholder => Record::Stakeholder(write::get(conn, catalog, id)?),
                Load::Deal => Record::Deal(records::deal(conn, catalog, id, DETAIL_ROWS)?),
                Load::Insight => Record::Insight(write::get(conn, catalog, id)?),
            };
            Data::Record(*form, Box::new(record))
        }
        Job::Targets { customer_id } => {
            scope.check(conn, "customers", customer_id)?;
            Data::Targets(
                customer_id.clone(),
                records::edit_targets(conn, customer_id, DETAIL_ROWS)?,
            )
        }
        Job::SessionPending { session_id } => {
            scope.check(conn, "agent_sessions", session_id)?;
            Data::SessionPending(
                session_id.clone(),
                records::session_pending(conn, session_id, DETAIL_ROWS)?,
            )
        }
        Job::Validate { form, table, row } => Data::Validated {
            form: *form,
            error: match rules::check_row(conn, table, row, rules::Origin::Edit) {
                Ok(()) => None,
                Err(StoreError::Field(f)) => Some((f.table, f.column, f.reason)),
                Err(e) => return Err(e),
            },
        },
    })
}

/// Runs a request to a response (errors become text for the status line).
pub fn respond(store: &mut Store, scope: &Scope, req: &Request) -> Response {
    Response {
        seq: req.seq,
        kind: req.job.kind(),
        result: execute(store, scope, &req.job).map_err(|e| e.to_string()),
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
        scope: Scope,
        results: UnboundedSender<Response>,
    ) -> std::io::Result<Worker> {
        let shared = Arc::new(Shared {
            slots: Mutex::new(Slots::default()),
            wake: Condvar::new(),
            interrupt: store.conn().get_interrupt_handle(),
        });
        let inner = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("cscx-db".into())
            .spawn(move || run(store, scope, &inner, &results))?;
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

fn run(mut store: Store, scope: Scope, shared: &Shared, results: &UnboundedSender<Response>) {
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
        let response = respond(&mut store, &scope, &req);
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
