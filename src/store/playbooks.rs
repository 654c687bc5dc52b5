//! The playbook engine (docs/playbooks.md): triggers that fire on every edit, and executions
//! that move on as their step tasks are done.
//!
//! * **Firing.** After the health recompute of a write, inside the same transaction,
//!   [`after_write`] evaluates the rules of the workspace's enabled triggers
//!   (`playbook_triggers.auto_trigger_enabled = 1`, rules from `trigger_config`:
//!   [`rules`]) for exactly the customers the write touched (the health engine's set). A rule
//!   that holds opens its playbook: a `playbook_executions` row whose `execution_data` says
//!   why (the rule and the values at that moment), its step tasks
//!   ([`super::tasks::open_steps`]), the trigger's `trigger_count` and `last_triggered`, and
//!   one `activity_log` entry (`playbook_fired`). Every evaluated trigger gets
//!   `last_evaluated`.
//! * **Idempotent.** A rule does not fire for a customer who has an `in-progress` execution of
//!   its playbook, nor one started within the rule's `cooldown_days` (so an execution
//!   completed yesterday is not reopened by the next edit while the condition still holds).
//! * **Time.** A renewal window opens with the calendar, not with an edit: `cscx recompute`
//!   (the daily run) evaluates every customer ([`evaluate_all`]).
//! * **Completion.** A write that changes a step task (or an execution's status) brings the
//!   execution up to date: `current_step` is the number of done steps; all done completes it
//!   and writes its `playbook_reports` row; a cancelled execution cancels its open steps.
//! * **Check.** [`drift`] is a full evaluation that writes nothing: a customer for whom a
//!   rule holds and that is not blocked is one the incremental evaluation missed
//!   (`cscx playbooks --check`).
//!
//! Like health, these are the store's derived rows: written through the connection, not
//! recorded as changes.

mod completion;
mod conditions;
pub mod rules;

use std::collections::{BTreeSet, HashMap};

use crate::store::db::Connection;
use chrono::{Duration, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value as Json, json};

use super::error::{Result, StoreError};
use super::write::{Action, Activity, HealthChange, WriteTx};
use rules::{Band, Rule, When};

pub use completion::{cancel, sync};
use conditions::*;

/// An enabled trigger of a workspace, with its rules.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub id: String,
    pub playbook_type: String,
    pub rules: Vec<Rule>,
}

/// What a rule found: the customer, the rule and the values it saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Firing {
    pub customer_id: String,
    pub customer_name: String,
    pub workspace_id: String,
    pub trigger_id: String,
    pub playbook_type: String,
    pub rule: Rule,
    pub values: Json,
}

/// An execution opened by [`evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fired {
    pub execution_id: String,
    pub customer_id: String,
    pub playbook_id: String,
    pub steps: usize,
}

/// How the engine stamps what it writes. `deterministic`: execution ids derived from what
/// fired and `now` (generated books are reproducible), and no activity entry per firing
/// (generate logs one summary).
#[derive(Debug, Clone)]
pub struct Clock {
    pub now: String,
    pub deterministic: bool,
}

impl Clock {
    /// Now, on the day of the transaction's health clock: the wall clock, unless the store's
    /// day is fixed ([`super::Store::set_today`]: tests, reproducible demos), when it is noon
    /// of that day, so that an execution starts (and its steps fall due) on the day the rest
    /// of the write sees.
    pub fn wall(today: chrono::NaiveDate) -> Clock {
        let now = chrono::Utc::now();
        Clock {
            now: if now.date_naive() == today {
                super::ids::now()
            } else {
                format!("{today}T12:00:00Z")
            },
            deterministic: false,
        }
    }
}

/// Per-transaction caches: triggers and health thresholds by workspace.
#[derive(Default)]
pub struct Cache {
    triggers: HashMap<String, Vec<Trigger>>,
    thresholds: HashMap<String, crate::health::Thresholds>,
}

impl Cache {
    fn triggers(&mut self, conn: &Connection, workspace: &str) -> Result<&[Trigger]> {
        if !self.triggers.contains_key(workspace) {
            let list = triggers(conn, workspace)?;
            self.triggers.insert(workspace.to_owned(), list);
        }
        Ok(self
            .triggers
            .get(workspace)
            .map(Vec::as_slice)
            .unwrap_or_default())
    }

    fn thresholds(
        &mut self,
        conn: &Connection,
        workspace: &str,
    ) -> Result<crate::health::Thresholds> {
        if let Some(t) = self.thresholds.get(workspace) {
            return Ok(*t);
        }
        let t = super::read::health::config(conn, workspace)?
            .config
            .thresholds;
        self.thresholds.insert(workspace.to_owned(), t);
        Ok(t)
    }
}

/// The enabled triggers of `workspace`. A stored configuration that does not parse (written
/// around the store's checks) has no rules: it never fires, and `playbooks --check` agrees.
pub fn triggers(conn: &Connection, workspace: &str) -> Result<Vec<Trigger>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, playbook_type, trigger_config FROM playbook_triggers
         WHERE workspace_id = ?1 AND auto_trigger_enabled = 1 ORDER BY playbook_type",
    )?;
    let rows = stmt.query_map([workspace], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, config) = row?;
        let rules = rules::parse(config.as_deref(), &kind).unwrap_or_default();
        out.push(Trigger {
            id,
            playbook_type: kind,
            rules,
        });
    }
    Ok(out)
}

/// Checks a trigger configuration before it is stored (forms and import): it parses, and
/// every playbook it names is defined (shipped, or the workspace's own).
pub fn check_config(
    conn: &Connection,
    text: Option<&str>,
    playbook_type: &str,
    workspace: Option<&str>,
) -> std::result::Result<(), rules::ConfigError> {
    let parsed = rules::parse(text, playbook_type)?;
    for (i, rule) in parsed.iter().enumerate() {
        let known: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM playbooks WHERE playbook_id = ?1
                   AND (workspace_id IS NULL OR ?2 IS NULL OR workspace_id = ?2)",
                params![rule.playbook, workspace],
                |r| r.get(0),
            )
            .optional()
            .unwrap_or(None);
        if known.is_none() {
            return Err(rules::ConfigError {
                field: format!("trigger_config.rules[{i}].playbook"),
                reason: format!("names no playbook definition ({:?})", rule.playbook),
            });
        }
    }
    Ok(())
}

/// What should fire for `customer_id` as of `today`: the rules that hold and are not blocked,
/// one per playbook (the first rule, in trigger and rule order). Writes nothing.
pub fn due(
    conn: &Connection,
    customer_id: &str,
    today: NaiveDate,
    cache: &mut Cache,
) -> Result<Vec<Firing>> {
    let Some(c) = customer(conn, customer_id)? else {
        return Ok(Vec::new());
    };
    if !c.eligible {
        return Ok(Vec::new());
    }
    let triggers = cache.triggers(conn, &c.workspace_id)?.to_vec();
    if triggers.iter().all(|t| t.rules.is_empty()) {
        return Ok(Vec::new());
    }
    let t = cache.thresholds(conn, &c.workspace_id)?;
    let mut kpis = None;
    let mut out: Vec<Firing> = Vec::new();
    for trigger in &triggers {
        for rule in &trigger.rules {
            if out.iter().any(|f| f.rule.playbook == rule.playbook) {
                continue;
            }
            let Some(values) = holds(conn, &c, rule, t, today, &mut kpis)? else {
                continue;
            };
            let since =
                (rule.cooldown_days > 0).then(|| today - Duration::days(rule.cooldown_days));
            if blocked(conn, &c.id, &rule.playbook, since)? || !defined(conn, &rule.playbook)? {
                continue;
            }
            out.push(Firing {
                customer_id: c.id.clone(),
                customer_name: c.name.clone(),
                workspace_id: c.workspace_id.clone(),
                trigger_id: trigger.id.clone(),
                playbook_type: trigger.playbook_type.clone(),
                rule: rule.clone(),
                values,
            });
        }
    }
    Ok(out)
}

/// An id for an execution that `generate` opens: derived from what fired and when, so the
/// same book gives the same ids (FNV-1a, two seeds, as a version-4 UUID).
fn derived_id(parts: &[&str]) -> String {
    let hash = |seed: u64| {
        let mut h = seed;
        for p in parts {
            for b in p.bytes().chain([0]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x6c62_272e_07bb_0142));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Opens the execution of `f`: its row, its step tasks and (unless the clock is
/// deterministic) one activity entry ([`evaluate`] counts it on the trigger). `before`: the health score before this
/// write, when it moved.
fn fire(w: &mut WriteTx<'_>, f: &Firing, before: Option<i64>, clock: &Clock) -> Result<Fired> {
    let steps: i64 = w.conn().query_row(
        "SELECT count(*) FROM playbook_steps WHERE playbook_id = ?1",
        [&f.rule.playbook],
        |r| r.get(0),
    )?;
    let id = if clock.deterministic {
        derived_id(&[&f.customer_id, &f.rule.playbook, &clock.now])
    } else {
        // random, not a UUIDv7: step task ids keep the first 24 characters of their
        // execution's (tasks::open_steps), which two v7 ids of one millisecond share
        uuid::Uuid::new_v4().to_string()
    };
    let mut values = f.values.clone();
    if let (Some(b), Json::Object(map)) = (before, &mut values) {
        map.insert("health_before".into(), json!(b));
    }
    let data = json!({
        "trigger": "auto",
        "trigger_id": f.trigger_id,
        "playbook_type": f.playbook_type,
        "rule": f.rule,
        "values": values,
        "evaluated_on": super::ids::date(w.today()),
        "steps_total": steps,
        "steps_done": 0,
    });
    w.conn()
        .prepare_cached(
            "INSERT INTO playbook_executions (execution_id, workspace_id, customer_id, playbook_id,
               status, current_step, execution_data, started_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'in-progress', 0, ?5, ?6, ?6, ?6)",
        )?
        .execute(params![
            id,
            f.workspace_id,
            f.customer_id,
            f.rule.playbook,
            data.to_string(),
            clock.now
        ])?;
    let opened = super::tasks::open_steps(w, Some(&id))?;
    if !clock.deterministic {
        w.log(Activity {
            action: "playbook_fired".into(),
            entity_type: Some("playbook_executions".into()),
            entity_id: Some(id.clone()),
            customer_id: Some(f.customer_id.clone()),
            workspace_id: Some(f.workspace_id.clone()),
            old_values: None,
            new_values: Some(json!({
                "playbook_id": f.rule.playbook,
                "rule": f.rule,
                "values": values,
                "steps": opened,
            })),
        })?;
    }
    Ok(Fired {
        execution_id: id,
        customer_id: f.customer_id.clone(),
        playbook_id: f.rule.playbook.clone(),
        steps: opened,
    })
}

/// Evaluates the rules for `customers` and opens what holds; stamps `last_evaluated` on the
/// triggers of their workspaces. `moved`: health changes of this write (their `before` goes
/// into the execution's values).
pub fn evaluate(
    w: &mut WriteTx<'_>,
    customers: &[String],
    moved: &[HealthChange],
    clock: &Clock,
) -> Result<Vec<Fired>> {
    let today = w.today();
    let mut cache = Cache::default();
    let mut fired = Vec::new();
    let mut counts: HashMap<String, i64> = HashMap::new();
    for id in customers {
        let firings = due(w.conn(), id, today, &mut cache)?;
        for f in &firings {
            let before = moved
                .iter()
                .find(|m| m.customer_id == f.customer_id)
                .and_then(|m| m.before);
            fired.push(fire(w, f, before, clock)?);
            *counts.entry(f.trigger_id.clone()).or_default() += 1;
        }
    }
    // one bookkeeping update per evaluated trigger (a second update of a row in the same
    // second would let its updated_at trigger stamp the wall clock). An import keeps the
    // loaded triggers' last_evaluated as it was (a round trip through export and import
    // gives the same rows); it still counts what it fires.
    let importing = w.importing();
    let mut stmt = w.conn().prepare_cached(
        "UPDATE playbook_triggers SET trigger_count = trigger_count + ?2,
           last_triggered = CASE WHEN ?2 > 0 THEN ?3 ELSE last_triggered END,
           last_evaluated = CASE WHEN ?4 THEN last_evaluated ELSE ?3 END,
           updated_at = ?3
         WHERE id = ?1",
    )?;
    for trigger in cache.triggers.values().flatten() {
        let n = counts.get(&trigger.id).copied().unwrap_or(0);
        if importing && n == 0 {
            continue;
        }
        stmt.execute(params![trigger.id, n, clock.now, importing])?;
    }
    drop(stmt);
    Ok(fired)
}

/// The write path's hook, after the health recompute (`write::run_to_finish`): brings the
/// executions whose step tasks or status this write changed up to date, then evaluates the
/// customers the write touched.
pub fn after_write(
    w: &mut WriteTx<'_>,
    touched: &BTreeSet<String>,
    moved: &[HealthChange],
) -> Result<Vec<Fired>> {
    let executions = changed_executions(w)?;
    let clock = Clock::wall(w.today());
    let mut customers = touched.clone();
    customers.extend(rule_inputs(w)?);
    for id in &executions {
        // an execution that closed no longer blocks its rule (after its cool-down): its
        // customer is evaluated too
        if let Some(customer) = sync(w, id, &clock)? {
            customers.insert(customer);
        }
    }
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = customers.into_iter().collect();
    evaluate(w, &ids, moved, &clock)
}

/// Customers whose rule inputs this write changed outside the health inputs: a contract
/// (`renewal_date` is the earliest end of the active ones), and every customer of a workspace
/// whose triggers changed (a new rule applies to all of them at once).
fn rule_inputs(w: &WriteTx<'_>) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut workspaces = BTreeSet::new();
    for change in w.changes() {
        match change.table.as_str() {
            "contracts" => out.extend(change.customers.iter().cloned()),
            "playbook_triggers" => {
                let key = change.key.first().map(|(_, v)| v.clone());
                if let Some(key) = key {
                    let ws: Option<String> = w
                        .conn()
                        .prepare_cached("SELECT workspace_id FROM playbook_triggers WHERE id = ?1")?
                        .query_row([key], |r| r.get(0))
                        .optional()?;
                    workspaces.extend(ws);
                }
            }
            _ => {}
        }
    }
    for ws in workspaces {
        let mut stmt = w
            .conn()
            .prepare_cached("SELECT id FROM customers WHERE workspace_id = ?1")?;
        let ids = stmt.query_map([ws], |r| r.get::<_, String>(0))?;
        for id in ids {
            out.insert(id?);
        }
    }
    Ok(out)
}

/// Executions named by the step tasks and execution rows this write changed.
fn changed_executions(w: &WriteTx<'_>) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for change in w.changes() {
        let key = change.key.first().map(|(_, v)| v.clone());
        match (change.table.as_str(), change.action, key) {
            ("tasks", Action::Create | Action::Update, Some(key)) => {
                let e: Option<Option<String>> = w
                    .conn()
                    .prepare_cached("SELECT execution_id FROM tasks WHERE id = ?1")?
                    .query_row([key], |r| r.get(0))
                    .optional()?;
                if let Some(Some(e)) = e {
                    out.insert(e);
                }
            }
            ("playbook_executions", Action::Create | Action::Update, Some(key)) => {
                let e: Option<String> = w
                    .conn()
                    .prepare_cached(
                        "SELECT execution_id FROM playbook_executions
                         WHERE id = ?1 OR execution_id = ?1",
                    )?
                    .query_row([key], |r| r.get(0))
                    .optional()?;
                if let Some(e) = e {
                    out.insert(e);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Customers per transaction in [`evaluate_all`].
pub const BATCH: usize = 1000;

/// Evaluates every customer the actor sees, [`BATCH`] per transaction (`cscx recompute`:
/// renewal windows open with the calendar); returns what it opened.
pub fn evaluate_all(
    store: &mut super::Store,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<Fired>> {
    store.access()?.may_recompute()?;
    let ids = super::health_sync::customer_ids(&store.reader(false)?)?;
    let total = ids.len();
    let mut fired = Vec::new();
    let mut done = 0;
    for chunk in ids.chunks(BATCH) {
        let written = store.write(|w| evaluate(w, chunk, &[], &Clock::wall(w.today())))?;
        fired.extend(written.value);
        done += chunk.len();
        progress(done, total);
    }
    Ok(fired)
}

/// Every customer (of the transaction's actor's workspace, or all) evaluated in `w`:
/// `generate` calls this after its health recompute, with a deterministic clock.
pub fn evaluate_every(w: &mut WriteTx<'_>, clock: &Clock) -> Result<Vec<Fired>> {
    let mut stmt = w.conn().prepare_cached(
        "SELECT id FROM customers WHERE ?1 IS NULL OR workspace_id = ?1 ORDER BY rowid",
    )?;
    let ws = w.actor().workspace_id.clone();
    let ids: Vec<String> = stmt
        .query_map([ws], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    evaluate(w, &ids, &[], clock)
}

/// A full evaluation, writing nothing: what would fire now for the customers the reader sees
/// (None: all). Empty means the incremental evaluation left nothing out.
pub fn drift(
    r: &super::read::reader::Reader<'_>,
    customers: Option<&[String]>,
    today: NaiveDate,
) -> Result<Vec<Firing>> {
    let ids = match customers {
        Some(ids) => {
            for id in ids {
                r.scope().check(r.conn(), "customers", id)?;
            }
            ids.to_vec()
        }
        None => super::health_sync::customer_ids(r)?,
    };
    let mut cache = Cache::default();
    let mut out = Vec::new();
    for id in ids {
        out.extend(due(r.conn(), &id, today, &mut cache)?);
    }
    Ok(out)
}

/// A customer's playbook executions, newest first, with why each was opened
/// (`cscx explain`).
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub execution_id: String,
    pub playbook_id: String,
    pub playbook_name: Option<String>,
    pub status: String,
    pub current_step: i64,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
    pub data: Json,
}

pub fn executions(
    r: &super::read::reader::Reader<'_>,
    customer_id: &str,
) -> Result<Vec<Execution>> {
    r.scope().check(r.conn(), "customers", customer_id)?;
    let mut stmt = r.conn().prepare_cached(
        "SELECT e.execution_id, e.playbook_id, p.name, e.status, e.current_step, e.started_at,
                e.completed_at, e.execution_data
         FROM playbook_executions e LEFT JOIN playbooks p ON p.playbook_id = e.playbook_id
         WHERE e.customer_id = ?1
         ORDER BY coalesce(e.started_at, e.created_at) DESC, e.id DESC",
    )?;
    let rows = stmt.query_map([customer_id], |row| {
        Ok(Execution {
            execution_id: row.get(0)?,
            playbook_id: row.get(1)?,
            playbook_name: row.get(2)?,
            status: row.get(3)?,
            current_step: row.get(4)?,
            started_at: row.get(5)?,
            completed_at: row.get(6)?,
            data: row
                .get::<_, Option<String>>(7)?
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(Json::Null),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What should fire for `customer_id` inside `w`, writing nothing (the evaluation half of
/// [`evaluate`], with a fresh cache as every write has: `cscx bench playbooks`).
pub fn due_in(w: &WriteTx<'_>, customer_id: &str) -> Result<Vec<Firing>> {
    due(w.conn(), customer_id, w.today(), &mut Cache::default())
}

/// Gives every trigger `config` and enables it, inside a transaction the caller rolls back
/// (`cscx bench playbooks`: every rule kind evaluated on every edit). Only the file's owner.
pub fn bench_rules(w: &WriteTx<'_>, config: &str) -> Result<usize> {
    w.require_owner("rewrite every playbook trigger")?;
    Ok(w.conn().execute(
        "UPDATE playbook_triggers SET trigger_config = ?1, auto_trigger_enabled = 1",
        [config],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_uuids_and_differ_by_input() {
        let a = derived_id(&["c1", "renewal-risk", "2026-12-04T00:00:00Z"]);
        let b = derived_id(&["c1", "renewal-risk", "2026-12-04T00:00:00Z"]);
        let c = derived_id(&["c2", "renewal-risk", "2026-12-04T00:00:00Z"]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(super::super::ids::is_canonical_uuid(&a), "{a}");
    }

    #[test]
    fn bands_follow_the_thresholds() {
        let t = crate::health::Thresholds {
            red_below: 40,
            green_from: 70,
        };
        assert_eq!(band_name(39, t), "red");
        assert_eq!(band_name(40, t), "yellow");
        assert_eq!(band_name(70, t), "green");
    }
}
