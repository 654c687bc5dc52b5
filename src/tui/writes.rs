//! The dashboard's writes, run on the database worker: each one is a single `Store::write`
//! (validate, write, log, recompute health, commit — or nothing at all), and each returns the
//! changes it made so that `u` can take them back.
//!
//! Edits of a record opened in a form go through `update_unless_changed` with the record as it
//! was opened: if another cscx or an import changed it since, the write fails with a conflict
//! and the form offers to reload or overwrite (`force`).

use std::sync::Arc;

use crate::store::approvals::{self, Decision};
use crate::store::entities::{
    Call, Contract, Customer, Deal, DealAction, DealNote, Insight, LossReason, Meeting, Stakeholder,
};
use crate::store::enums::DealActionStatus;
use crate::store::tasks::{self, NewTask};
use crate::store::write::{Change, Entity, WriteTx};
use crate::store::{HealthChange, Store, StoreError, undo};

/// An edit that can be undone: what it was, and the rows it changed.
#[derive(Debug, Clone)]
pub struct Undoable {
    pub label: String,
    pub changes: Arc<Vec<Change>>,
}

impl PartialEq for Undoable {
    fn eq(&self, other: &Self) -> bool {
        self.label == other.label && Arc::ptr_eq(&self.changes, &other.changes)
    }
}

/// How the renewal date of an account changes with an account edit.
#[derive(Debug, Clone, PartialEq)]
pub enum Renewal {
    Keep,
    /// The end date of the contract that sets the renewal.
    Update {
        base: Contract,
        contract: Contract,
    },
    /// No active contract had an end date: a new active contract ending then.
    Create(Contract),
}

// one at a time, boxed on its way to the worker (`Job::Write`): the variants' sizes do not matter
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// A new call (`base` None) or an edit of one.
    Call {
        base: Option<Call>,
        call: Call,
        force: bool,
    },
    DeleteCall {
        id: String,
        label: String,
    },
    LossReason {
        reason: LossReason,
    },
    Decide {
        ids: Vec<String>,
        decision: Decision,
        comment: Option<String>,
    },
    Customer {
        base: Customer,
        customer: Customer,
        renewal: Renewal,
        force: bool,
    },
    Stakeholder {
        base: Option<Stakeholder>,
        record: Stakeholder,
        force: bool,
    },
    Deal {
        base: Deal,
        deal: Deal,
        note: Option<String>,
        /// (action id, status as opened, new status)
        actions: Vec<(String, DealActionStatus, DealActionStatus)>,
        force: bool,
    },
    Insight {
        base: Insight,
        record: Insight,
        force: bool,
    },
    Meeting {
        record: Meeting,
    },
    /// A new task (the work queue's `a`).
    Task {
        task: NewTask,
    },
    /// Complete, snooze or reassign an item of the work queue. `what` names it for the
    /// status line.
    Work {
        source: tasks::Source,
        id: String,
        what: String,
        op: WorkOp,
    },
    Undo {
        edit: Undoable,
    },
    /// Takes back an undo (`edit`: the changes the undo made).
    Redo {
        edit: Undoable,
    },
}

/// What happens to a work-queue item.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkOp {
    Complete,
    Snooze(chrono::NaiveDate),
    /// To this user (id, name).
    Reassign(String, String),
}

/// A write that was committed.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// For the status line: what happened.
    pub message: String,
    /// Health scores the write moved (`Acme 61 → 64 ▲`).
    pub health: Vec<HealthChange>,
    /// How to take it back (None for an undo itself).
    pub undo: Option<Undoable>,
    /// For an undo: how to take the undo back (`U`).
    pub redo: Option<Undoable>,
    /// The id and name of a row it created (a new loss reason is chosen in its form).
    pub created: Option<(String, String)>,
}

/// A write that was refused; nothing was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    /// `(table, column, reason)` when one value was wrong: shown beside its field.
    pub field: Option<(String, String, String)>,
    /// The columns another writer changed since the form opened.
    pub conflict: Option<String>,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        let message = e.to_string();
        match e {
            StoreError::Field(f) => Failure {
                message,
                field: Some((f.table, f.column, f.reason)),
                conflict: None,
            },
            StoreError::Conflict { columns, .. } => Failure {
                message,
                field: None,
                conflict: Some(columns),
            },
            _ => Failure {
                message,
                field: None,
                conflict: None,
            },
        }
    }
}

/// The outcome of a write's closure: what to say, what it created.
struct Done {
    message: String,
    created: Option<(String, String)>,
}

fn said(message: String) -> Done {
    Done {
        message,
        created: None,
    }
}

/// Runs `write` as one store transaction.
pub fn run(store: &mut Store, write: &Write) -> Result<Saved, Failure> {
    let written = match store.write(|w| {
        let done = apply(w, write)?;
        Ok((done, w.changes().to_vec()))
    }) {
        Ok(written) => written,
        // said in the form's words (who changed what, which call is gone)
        Err(e) => return Err(super::wording::failure(store, write, e)),
    };
    let (done, changes) = written.value;
    let (undo, redo) = match write {
        _ if changes.is_empty() => (None, None),
        // what an undo changed, under the edit's own name: `U` reverts it
        Write::Undo { edit } => (
            None,
            Some(Undoable {
                label: edit.label.clone(),
                changes: Arc::new(changes),
            }),
        ),
        Write::Redo { edit } => (
            Some(Undoable {
                label: edit.label.clone(),
                changes: Arc::new(changes),
            }),
            None,
        ),
        _ => (
            Some(Undoable {
                label: done.message.clone(),
                changes: Arc::new(changes),
            }),
            None,
        ),
    };
    Ok(Saved {
        message: done.message,
        health: written.health,
        undo,
        redo,
        created: done.created,
    })
}

/// Saves `record` over row `id`: checked against `base` unless forced.
fn save<E: Entity>(
    w: &mut WriteTx<'_>,
    id: &str,
    base: &E,
    record: &E,
    force: bool,
) -> crate::store::Result<()> {
    if force {
        w.update(id, record)
    } else {
        w.update_unless_changed(id, base, record)
    }
}

fn customer_name(w: &WriteTx<'_>, id: Option<&str>) -> crate::store::Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    w.name_of("customers", id)
}

fn apply(w: &mut WriteTx<'_>, write: &Write) -> crate::store::Result<Done> {
    Ok(match write {
        Write::Call { base, call, force } => {
            let with = customer_name(w, call.customer_id.as_deref())?
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            match base {
                None => {
                    let id = w.create(call)?;
                    Done {
                        message: format!("call with {}{with} logged", call.prospect_name),
                        // the call log puts its cursor on it
                        created: Some((id, call.prospect_name.clone())),
                    }
                }
                Some(base) => {
                    save(w, &base.id, base, call, *force)?;
                    said(format!("call with {}{with} saved", call.prospect_name))
                }
            }
        }
        Write::DeleteCall { id, label } => {
            w.delete::<Call>(id)?;
            said(format!("deleted the call with {label}"))
        }
        Write::LossReason { reason } => {
            let id = w.create(reason)?;
            Done {
                message: format!("loss reason \"{}\" added", reason.name),
                created: Some((id, reason.name.clone())),
            }
        }
        Write::Decide {
            ids,
            decision,
            comment,
        } => {
            let done = approvals::resolve(w, ids, *decision, comment.as_deref())?;
            said(match done.as_slice() {
                [one] => format!(
                    "{}: {} ({})",
                    decision.past(),
                    one.action,
                    one.customer_name
                ),
                many => format!("{} {} approvals", decision.past(), many.len()),
            })
        }
        Write::Customer {
            base,
            customer,
            renewal,
            force,
        } => {
            save(w, &base.id, base, customer, *force)?;
            match renewal {
                Renewal::Keep => {}
                Renewal::Update { base, contract } => save(w, &base.id, base, contract, *force)?,
                Renewal::Create(contract) => {
                    w.create(contract)?;
                }
            }
            said(format!("{} saved", customer.name))
        }
        Write::Stakeholder {
            base,
            record,
            force,
        } => {
            // one primary per account: the store steps the others down (store::rules)
            match base {
                None => {
                    w.create(record)?;
                }
                Some(base) => save(w, &base.id, base, record, *force)?,
            }
            said(format!(
                "stakeholder {} {}",
                record.name,
                if base.is_some() { "saved" } else { "added" }
            ))
        }
        Write::Deal {
            base,
            deal,
            note,
            actions,
            force,
        } => {
            save(w, &base.id, base, deal, *force)?;
            if let Some(text) = note {
                w.create(&DealNote {
                    deal_id: deal.id.clone(),
                    user_id: w.actor().user_id.clone(),
                    note_txt: text.clone(),
                    ..DealNote::default()
                })?;
            }
            for (id, opened, status) in actions {
                let stored: DealAction = w.get(id)?;
                let as_opened = DealAction {
                    status: *opened,
                    ..stored.clone()
                };
                let edited = DealAction {
                    status: *status,
                    ..stored.clone()
                };
                save(w, id, &as_opened, &edited, *force)?;
            }
            said(format!(
                "deal {} saved",
                deal.name.as_deref().unwrap_or("deal")
            ))
        }
        Write::Insight {
            base,
            record,
            force,
        } => {
            save(w, &base.id, base, record, *force)?;
            said("insight saved".to_owned())
        }
        Write::Task { task } => {
            let id = tasks::add(w, task)?;
            let on = customer_name(w, Some(&task.customer_id))?.unwrap_or_default();
            Done {
                message: format!("task \"{}\" on {on} added", task.title.trim()),
                created: Some((id, task.title.clone())),
            }
        }
        Write::Work {
            source,
            id,
            what,
            op,
        } => match op {
            WorkOp::Complete => {
                tasks::complete(w, *source, id)?;
                said(format!("done: {what}"))
            }
            WorkOp::Snooze(until) => {
                tasks::snooze(w, *source, id, *until)?;
                said(format!("snoozed until {until}: {what}"))
            }
            WorkOp::Reassign(user, name) => {
                tasks::reassign(w, *source, id, user)?;
                said(format!("given to {name}: {what}"))
            }
        },
        Write::Meeting { record } => {
            w.create(record)?;
            let with = customer_name(w, Some(&record.customer_id))?.unwrap_or_default();
            said(format!("meeting \"{}\" with {with} logged", record.title))
        }
        Write::Undo { edit } => {
            undo::revert(w, &edit.changes)?;
            said(format!("undone: {}", edit.label))
        }
        Write::Redo { edit } => {
            undo::revert(w, &edit.changes)?;
            said(format!("redone: {}", edit.label))
        }
    })
}

/// `Acme 61 → 64 ▲, Globex 40 → 38 ▼` for the status line.
pub fn health_text(changes: &[HealthChange]) -> String {
    changes
        .iter()
        .map(|h| {
            let score = |s: Option<i64>| s.map_or("—".to_owned(), |v| v.to_string());
            let arrow = match (h.before, h.after) {
                (Some(b), Some(a)) if a > b => "▲",
                (Some(b), Some(a)) if a < b => "▼",
                _ => "·",
            };
            format!(
                "{} {} → {} {arrow}",
                h.customer_name,
                score(h.before),
                score(h.after)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
