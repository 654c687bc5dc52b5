//! Each form: its fields (in the order Tab walks them), how a stored record fills it, and the
//! write it saves as. Fields are bound to `table.column`s, so values are checked by the
//! store's rules for those columns and merged into the record as it was opened.

use rusqlite::types::Value;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};

use super::input::{Input, TextInput};
use super::{Form, Parse, Phase, Slot};
use crate::store::approvals::Decision;
use crate::store::catalog::Catalog;
use crate::store::entities::{Call, Contract, Customer, Insight, LossReason, Meeting, Stakeholder};
use crate::store::enums::*;
use crate::store::ids;
use crate::store::read::records::{CallRecord, CustomerRecord, DealRecord};
use crate::store::rows::{self, Row};
use crate::store::tasks::NewTask;
use crate::tui::clock::Clock;
use crate::tui::text::truncate;
use crate::tui::writes::{Renewal, Write};

/// What a form edits, and the record as it was opened (None until loaded, or for a new one).
// one per open form, a handful at most: boxing the larger records would buy nothing
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    Call {
        base: Option<Call>,
    },
    Account {
        base: Option<CustomerRecord>,
    },
    Stakeholder {
        customer_id: String,
        base: Option<Stakeholder>,
    },
    Deal {
        base: Option<DealRecord>,
    },
    Insight {
        base: Option<Insight>,
    },
    Meeting,
    Reject {
        ids: Vec<String>,
    },
    LossReason,
    /// A new task (the work queue).
    Task,
}

/// What building a write needs besides the form.
pub struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub clock: &'a Clock,
    pub user_id: Option<&'a str>,
    /// `--workspace`: new rows get it.
    pub workspace_id: Option<&'a str>,
}

const DURATION: &str = "45m, 1h5m, 3900s, 1:05:00";
const WHEN: &str = "now, today 14:00, yesterday, 2026-11-21 14:00";
const DAY: &str = "2027-03-31, today, tomorrow";

fn object<T: Serialize>(record: &T) -> Map<String, Json> {
    match serde_json::to_value(record) {
        Ok(Json::Object(m)) => m,
        _ => Map::new(),
    }
}

fn record<T: DeserializeOwned>(object: Map<String, Json>) -> Result<T, Option<String>> {
    serde_json::from_value(Json::Object(object))
        .map_err(|e| Some(format!("cannot build the record: {e}")))
}

// ---- the call form ------------------------------------------------------------------------

pub fn call_slots(clock: &Clock) -> Vec<Slot> {
    let t = |c| Some(("calls", c));
    vec![
        Slot::new(
            "customer_id",
            "Customer",
            t("customer_id"),
            Input::reference(None, None, false),
        )
        .hint("type to search"),
        Slot::new(
            "stakeholder_id",
            "Stakeholder",
            t("stakeholder_id"),
            Input::reference(None, None, false),
        )
        .hint("one of the customer's people, or type a name below"),
        Slot::new("prospect_name", "Name", t("prospect_name"), Input::text("")),
        Slot::new(
            "prospect_email",
            "Email",
            t("prospect_email"),
            Input::text(""),
        ),
        Slot::new(
            "prospect_phone",
            "Phone",
            t("prospect_phone"),
            Input::text(""),
        ),
        Slot::new(
            "call_type",
            "Type",
            t("call_type"),
            Input::choice(CallType::TEXTS, Some("outbound"), false),
        ),
        Slot::new(
            "status",
            "Status",
            t("status"),
            Input::choice(CallStatus::TEXTS, Some("completed"), false),
        ),
        Slot::new(
            "outcome",
            "Outcome",
            t("outcome"),
            Input::choice(CallOutcome::TEXTS, None, true),
        ),
        Slot::new(
            "loss_reason_id",
            "Loss reason",
            t("loss_reason_id"),
            Input::reference(None, None, true),
        )
        .hint("when lost: pick one, + adds a new one"),
        Slot::new(
            "call_duration",
            "Duration",
            t("call_duration"),
            Input::text(""),
        )
        .parse(Parse::Duration)
        .hint(DURATION),
        Slot::new(
            "scheduled_at",
            "Scheduled",
            t("scheduled_at"),
            Input::text(""),
        )
        .parse(Parse::When)
        .hint(WHEN),
        Slot::new(
            "completed_at",
            "Completed",
            t("completed_at"),
            Input::text(&clock.show(clock.now())),
        )
        .parse(Parse::When)
        .hint(WHEN),
        Slot::new("notes", "Notes", t("notes"), Input::notes("")),
    ]
}

/// A call's completion time follows its status: a call that did not take place (no-show,
/// rescheduled) was never completed, so leaving "completed" for another status empties the
/// field (its default of now dated a no-show at 08:16 before its 09:00 slot, and a call
/// rescheduled to tomorrow today); coming back to "completed" with the field empty fills in
/// now again.
pub fn status_changed(form: &mut Form, clock: &Clock) {
    if !matches!(form.kind, FormKind::Call { .. }) {
        return;
    }
    let took_place = form.slot("status").and_then(|s| s.input.choice_text()) == Some("completed");
    let Some(slot) = form.slot_mut("completed_at") else {
        return;
    };
    let Input::Text(t) = &mut slot.input else {
        return;
    };
    if !took_place {
        *t = TextInput::new("", false);
        slot.error = None;
    } else if t.text.trim().is_empty() {
        *t = TextInput::new(&clock.show(clock.now()), false);
    }
}

/// A new call, for `customer` (id, name, workspace) when known.
pub fn new_call(id: u64, customer: Option<(String, String, String)>, clock: &Clock) -> Form {
    let mut form = Form::new(
        id,
        FormKind::Call { base: None },
        "Log a call".into(),
        call_slots(clock),
    );
    if let Some((cid, name, ws)) = customer {
        if let Some(s) = form.slot_mut("customer_id") {
            s.input = Input::reference(Some(cid), Some(name), false);
        }
        form.workspace_id = Some(ws);
        form.focus = 1;
    }
    form
}

pub fn edit_call(id: u64, clock: &Clock) -> Form {
    let mut form = Form::new(
        id,
        FormKind::Call { base: None },
        "Edit the call".into(),
        call_slots(clock),
    );
    form.phase = Phase::Loading;
    form
}

pub fn fill_call(form: &mut Form, rec: CallRecord, catalog: &Catalog, clock: &Clock) {
    let labels = [
        ("customer_id", rec.customer.clone()),
        ("stakeholder_id", rec.stakeholder.clone()),
        ("loss_reason_id", rec.loss_reason.clone()),
    ];
    form.fill_from("calls", &object(&rec.call), &labels, catalog, clock);
    form.workspace_id = Some(rec.call.workspace_id.clone());
    form.kind = FormKind::Call {
        base: Some(rec.call),
    };
    form.phase = Phase::Editing;
}

// ---- account, stakeholder, deal, insight, meeting ------------------------------------------

pub fn edit_account(id: u64, name: &str) -> Form {
    let c = |col| Some(("customers", col));
    let mut form = Form::new(
        id,
        FormKind::Account { base: None },
        format!("Edit {}", truncate(name, 40)),
        vec![
            Slot::new(
                "stage",
                "Stage",
                c("stage"),
                Input::choice(CustomerStage::TEXTS, None, false),
            ),
            Slot::new("arr_cents", "ARR", c("arr_cents"), Input::text(""))
                .hint("120000, $1,250,000.50"),
            Slot::new(
                "csm_id",
                "CSM",
                c("csm_id"),
                Input::reference(None, None, false),
            )
            .hint("type a name or email"),
            Slot::new(
                "renewal",
                "Renewal",
                Some(("contracts", "end_date")),
                Input::text(""),
            )
            .parse(Parse::Day)
            .hint(DAY),
        ],
    );
    form.phase = Phase::Loading;
    form
}

pub fn fill_account(form: &mut Form, rec: CustomerRecord, catalog: &Catalog, clock: &Clock) {
    form.fill_from(
        "customers",
        &object(&rec.customer),
        &[("csm_id", rec.csm.clone())],
        catalog,
        clock,
    );
    if let Some(contract) = &rec.renewal {
        form.fill_from("contracts", &object(contract), &[], catalog, clock);
    }
    form.workspace_id = Some(rec.customer.workspace_id.clone());
    form.title = format!("Edit {}", truncate(&rec.customer.name, 40));
    form.kind = FormKind::Account { base: Some(rec) };
    form.phase = Phase::Editing;
}

fn stakeholder_slots() -> Vec<Slot> {
    let s = |c| Some(("stakeholders", c));
    vec![
        Slot::new("name", "Name", s("name"), Input::text("")),
        Slot::new("role", "Role", s("role"), Input::text("")),
        Slot::new("email", "Email", s("email"), Input::text("")),
        Slot::new("phone", "Phone", s("phone"), Input::text("")),
        Slot::new("is_primary", "Primary", s("is_primary"), Input::flag(false))
            .hint("the main contact (one per account)"),
        Slot::new(
            "sentiment",
            "Sentiment",
            s("sentiment"),
            Input::choice(Sentiment::TEXTS, None, true),
        ),
        Slot::new("notes", "Notes", s("notes"), Input::notes("")),
    ]
}

pub fn new_stakeholder(id: u64, customer_id: String, customer: &str) -> Form {
    Form::new(
        id,
        FormKind::Stakeholder {
            customer_id,
            base: None,
        },
        format!("New stakeholder at {}", truncate(customer, 40)),
        stakeholder_slots(),
    )
}

pub fn edit_stakeholder(id: u64, customer_id: String) -> Form {
    let mut form = Form::new(
        id,
        FormKind::Stakeholder {
            customer_id,
            base: None,
        },
        "Edit the stakeholder".into(),
        stakeholder_slots(),
    );
    form.phase = Phase::Loading;
    form
}

pub fn fill_stakeholder(form: &mut Form, s: Stakeholder, catalog: &Catalog, clock: &Clock) {
    form.fill_from("stakeholders", &object(&s), &[], catalog, clock);
    form.title = format!("Edit {}", truncate(&s.name, 40));
    form.kind = FormKind::Stakeholder {
        customer_id: s.customer_id.clone(),
        base: Some(s),
    };
    form.phase = Phase::Editing;
}

pub fn edit_deal(id: u64) -> Form {
    let mut form = Form::new(
        id,
        FormKind::Deal { base: None },
        "Edit the deal".into(),
        vec![
            Slot::new(
                "stage",
                "Stage",
                Some(("deals", "stage")),
                Input::choice(DealStage::TEXTS, None, false),
            ),
            Slot::new("note", "Add a note", None, Input::notes("")).hint("a new note (optional)"),
        ],
    );
    form.phase = Phase::Loading;
    form
}

pub fn fill_deal(form: &mut Form, rec: DealRecord, catalog: &Catalog, clock: &Clock) {
    form.fill_from("deals", &object(&rec.deal), &[], catalog, clock);
    form.title = format!(
        "Edit {} ({})",
        truncate(rec.deal.name.as_deref().unwrap_or("deal"), 30),
        truncate(&rec.customer, 24)
    );
    for action in &rec.actions {
        form.slots.push(Slot::new(
            &action.id,
            &truncate(&action.text, 13),
            Some(("deal_actions", "status")),
            Input::choice(DealActionStatus::TEXTS, Some(&action.status), false),
        ));
    }
    form.kind = FormKind::Deal { base: Some(rec) };
    form.phase = Phase::Editing;
}

pub fn edit_insight(id: u64) -> Form {
    let i = |c| Some(("insights", c));
    let mut form = Form::new(
        id,
        FormKind::Insight { base: None },
        "Edit the insight".into(),
        vec![
            Slot::new(
                "status",
                "Status",
                i("status"),
                Input::choice(InsightStatus::TEXTS, None, false),
            ),
            Slot::new(
                "importance",
                "Importance",
                i("importance"),
                Input::choice(Importance::TEXTS, None, false),
            ),
        ],
    );
    form.phase = Phase::Loading;
    form
}

pub fn fill_insight(form: &mut Form, insight: Insight, catalog: &Catalog, clock: &Clock) {
    form.fill_from("insights", &object(&insight), &[], catalog, clock);
    form.title = format!("Insight: {}", truncate(&insight.content, 50));
    form.kind = FormKind::Insight {
        base: Some(insight),
    };
    form.phase = Phase::Editing;
}

pub fn new_meeting(id: u64, customer: Option<(String, String)>, clock: &Clock) -> Form {
    let m = |c| Some(("meetings", c));
    let mut form = Form::new(
        id,
        FormKind::Meeting,
        "Log a meeting".into(),
        vec![
            Slot::new(
                "customer_id",
                "Customer",
                m("customer_id"),
                Input::reference(None, None, false),
            )
            .hint("type to search"),
            Slot::new("title", "Title", m("title"), Input::text("")),
            Slot::new(
                "scheduled_at",
                "When",
                m("scheduled_at"),
                Input::text(&clock.show(clock.now())),
            )
            .parse(Parse::When)
            .hint(WHEN),
            Slot::new("duration", "Duration", m("duration"), Input::text(""))
                .parse(Parse::Minutes)
                .hint(DURATION),
            Slot::new(
                "status",
                "Status",
                m("status"),
                Input::choice(MeetingStatus::TEXTS, Some("completed"), false),
            ),
            Slot::new("description", "Notes", m("description"), Input::notes("")),
        ],
    );
    if let Some((cid, name)) = customer {
        if let Some(s) = form.slot_mut("customer_id") {
            s.input = Input::reference(Some(cid), Some(name), false);
        }
        form.focus = 1;
    }
    form
}

// ---- deciding, and a new loss reason --------------------------------------------------------

pub fn reject(id: u64, ids: Vec<String>, what: &str) -> Form {
    let n = ids.len();
    Form::new(
        id,
        FormKind::Reject { ids },
        if n == 1 {
            format!("Reject {}", truncate(what, 90))
        } else {
            format!("Reject {n} approvals")
        },
        vec![
            Slot::new(
                "comment",
                "Comment",
                Some(("approvals", "comment")),
                Input::text(""),
            )
            .hint("why (required to reject)"),
        ],
    )
}

pub fn loss_reason(id: u64, workspace_id: String) -> Form {
    let l = |c| Some(("loss_reasons", c));
    let mut form = Form::new(
        id,
        FormKind::LossReason,
        "New loss reason".into(),
        vec![
            Slot::new("name", "Name", l("name"), Input::text("")),
            Slot::new(
                "description",
                "Description",
                l("description"),
                Input::text(""),
            ),
        ],
    );
    form.workspace_id = Some(workspace_id);
    form
}

/// A new task on `customer` (id, name), for me, due today unless changed.
pub fn new_task(id: u64, customer: (String, String)) -> Form {
    let t = |c| Some(("tasks", c));
    let mut form = Form::new(
        id,
        FormKind::Task,
        "Add a task".into(),
        vec![
            Slot::new(
                "customer_id",
                "Customer",
                t("customer_id"),
                Input::reference(Some(customer.0), Some(customer.1), false),
            )
            .hint("type to search"),
            Slot::new("title", "Task", t("title"), Input::text("")),
            Slot::new("due_date", "Due", t("due_date"), Input::text("today"))
                .parse(Parse::Day)
                .hint(DAY),
            Slot::new("notes", "Notes", t("notes"), Input::notes("")),
        ],
    );
    form.focus = 1;
    form
}

// ---- checks across fields, and saving ------------------------------------------------------

/// The row whose cross-field rules (`store::rules`) to check now, with what is typed so far.
pub fn rule_row(form: &Form, ctx: &Ctx) -> Option<(&'static str, Row)> {
    let (table, object) = match &form.kind {
        FormKind::Call { base } => {
            let base = object(&base.clone().unwrap_or_default());
            (
                "calls",
                form.merged_lenient("calls", base, ctx.catalog, ctx.clock),
            )
        }
        FormKind::Reject { .. } => {
            let mut base = Map::new();
            base.insert("status".into(), Json::String("rejected".into()));
            base.insert(
                "resolved_at".into(),
                Json::String(ids::timestamp(ctx.clock.now())),
            );
            (
                "approvals",
                form.merged_lenient("approvals", base, ctx.catalog, ctx.clock),
            )
        }
        FormKind::Account { base: Some(rec) } => {
            let contract = rec.renewal.clone()?;
            (
                "contracts",
                form.merged_lenient("contracts", object(&contract), ctx.catalog, ctx.clock),
            )
        }
        _ => return None,
    };
    let t = ctx.catalog.table(table)?;
    // only the columns that are set: a rule is about values, not the ones still missing
    let row: Row = rows::json_to_row(t, &object).ok()?;
    Some((
        table,
        row.into_iter().filter(|(_, v)| *v != Value::Null).collect(),
    ))
}

/// The write the form saves as; Err (with the reasons beside the fields, or a message for the
/// status line) if it cannot be saved yet.
pub fn to_write(form: &mut Form, ctx: &Ctx) -> Result<Write, Option<String>> {
    if !form.check_all(ctx.catalog, ctx.clock) {
        return Err(None);
    }
    let (catalog, clock) = (ctx.catalog, ctx.clock);
    let user = ctx.user_id.map(str::to_owned);
    match form.kind.clone() {
        FormKind::Call { base } => {
            let start = base.clone().unwrap_or_else(|| Call {
                workspace_id: form
                    .workspace_id
                    .clone()
                    .or(ctx.workspace_id.map(str::to_owned))
                    .unwrap_or_default(),
                user_id: user.clone().unwrap_or_default(),
                ..Call::default()
            });
            let mut call: Call = record(
                form.merged("calls", object(&start), catalog, clock)
                    .map_err(|_: super::Invalid| None)?,
            )?;
            // the call belongs to its customer's workspace (a new customer may move it)
            if let Some(ws) = form.workspace_id.clone() {
                call.workspace_id = ws;
            }
            if call.workspace_id.is_empty() {
                if let Some(s) = form.slot_mut("customer_id") {
                    s.error = Some("is required: the call takes its customer's workspace".into());
                }
                return Err(None);
            }
            Ok(Write::Call {
                base,
                call,
                force: false,
            })
        }
        FormKind::Account { base } => {
            let rec = base.ok_or_else(|| Some("still loading".to_owned()))?;
            let customer: Customer = record(
                form.merged("customers", object(&rec.customer), catalog, clock)
                    .map_err(|_: super::Invalid| None)?,
            )?;
            let end = match form.slot("renewal").map(|s| s.value(catalog, clock)) {
                Some(Ok(Value::Text(d))) => crate::store::fields::parse_date(&d).ok(),
                _ => None,
            };
            let renewal = match (&rec.renewal, end) {
                (Some(c), end) if c.end_date == end => Renewal::Keep,
                (Some(c), end) => Renewal::Update {
                    base: c.clone(),
                    contract: Contract {
                        end_date: end,
                        ..c.clone()
                    },
                },
                (None, None) => Renewal::Keep,
                (None, Some(end)) => Renewal::Create(Contract {
                    customer_id: rec.customer.id.clone(),
                    status: ContractStatus::Active,
                    end_date: Some(end),
                    ..Contract::default()
                }),
            };
            Ok(Write::Customer {
                base: rec.customer.clone(),
                customer,
                renewal,
                force: false,
            })
        }
        FormKind::Stakeholder { customer_id, base } => {
            let start = base.clone().unwrap_or_else(|| Stakeholder {
                customer_id,
                ..Stakeholder::default()
            });
            let record: Stakeholder = record(
                form.merged("stakeholders", object(&start), catalog, clock)
                    .map_err(|_: super::Invalid| None)?,
            )?;
            Ok(Write::Stakeholder {
                base,
                record,
                force: false,
            })
        }
        FormKind::Deal { base } => {
            let rec = base.ok_or_else(|| Some("still loading".to_owned()))?;
            let deal = record(
                form.merged("deals", object(&rec.deal), catalog, clock)
                    .map_err(|_: super::Invalid| None)?,
            )?;
            let note = form
                .slot("note")
                .map(|s| s.text().trim().to_owned())
                .filter(|t| !t.is_empty());
            let actions = rec
                .actions
                .iter()
                .filter_map(|a| {
                    let now = form.slot(&a.id)?.input.choice_text()?;
                    let (opened, status) = (
                        DealActionStatus::parse(&a.status)?,
                        DealActionStatus::parse(now)?,
                    );
                    (opened != status).then(|| (a.id.clone(), opened, status))
                })
                .collect();
            Ok(Write::Deal {
                base: rec.deal.clone(),
                deal,
                note,
                actions,
                force: false,
            })
        }
        FormKind::Insight { base } => {
            let base = base.ok_or_else(|| Some("still loading".to_owned()))?;
            let record = record(
                form.merged("insights", object(&base), catalog, clock)
                    .map_err(|_: super::Invalid| None)?,
            )?;
            Ok(Write::Insight {
                base,
                record,
                force: false,
            })
        }
        FormKind::Meeting => {
            let record: Meeting = record(
                form.merged("meetings", object(&Meeting::default()), catalog, clock)
                    .map_err(|_: super::Invalid| None)?,
            )?;
            Ok(Write::Meeting { record })
        }
        FormKind::Reject { ids } => {
            let comment = form.slot("comment").map(|s| s.text().trim().to_owned());
            if comment.as_deref().is_none_or(str::is_empty) {
                // the store's rule says the same; saying it here saves a round trip
                if let Some(s) = form.slot_mut("comment") {
                    s.error = Some("is required to reject".into());
                }
                return Err(None);
            }
            Ok(Write::Decide {
                ids,
                decision: Decision::Reject,
                comment,
            })
        }
        FormKind::Task => {
            let object = form
                .merged("tasks", Map::new(), ctx.catalog, ctx.clock)
                .map_err(|_: super::Invalid| None)?;
            let text = |k: &str| object.get(k).and_then(Json::as_str).map(str::to_owned);
            let title = text("title").unwrap_or_default();
            if title.trim().is_empty() {
                if let Some(s) = form.slot_mut("title") {
                    s.error = Some("is required".into());
                }
                return Err(None);
            }
            let task = NewTask {
                customer_id: text("customer_id").unwrap_or_default(),
                title,
                due_date: text("due_date")
                    .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                owner_id: None,
                notes: text("notes"),
            };
            Ok(Write::Task { task })
        }
        FormKind::LossReason => {
            let start = LossReason {
                workspace_id: form.workspace_id.clone().unwrap_or_default(),
                ..LossReason::default()
            };
            let reason = record(
                form.merged("loss_reasons", object(&start), catalog, clock)
                    .map_err(|_: super::Invalid| None)?,
            )?;
            Ok(Write::LossReason { reason })
        }
    }
}

/// The same write, saving over whatever is stored now (after a conflict, by choice).
pub fn forced(write: Write) -> Write {
    match write {
        Write::Call { base, call, .. } => Write::Call {
            base,
            call,
            force: true,
        },
        Write::Customer {
            base,
            customer,
            renewal,
            ..
        } => Write::Customer {
            base,
            customer,
            renewal,
            force: true,
        },
        Write::Stakeholder { base, record, .. } => Write::Stakeholder {
            base,
            record,
            force: true,
        },
        Write::Deal {
            base,
            deal,
            note,
            actions,
            ..
        } => Write::Deal {
            base,
            deal,
            note,
            actions,
            force: true,
        },
        Write::Insight { base, record, .. } => Write::Insight {
            base,
            record,
            force: true,
        },
        other => other,
    }
}
