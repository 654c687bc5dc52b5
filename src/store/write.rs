//! The one write path.
//!
//! [`Store::write`](super::Store::write) opens a `BEGIN IMMEDIATE` transaction and hands the
//! caller a [`WriteTx`]. Every insert, update and delete goes through it and is
//!   1. validated (column kinds via `fields`, cross-field rules via `rules`, references exist
//!      and stay inside one workspace),
//!   2. checked against the actor's workspace scope,
//!   3. written, and logged to `activity_log` with old and new values as JSON,
//!   4. remembered, so that before commit the health of exactly the customers it touched is
//!      recomputed (`health_sync`) in the same transaction.
//!
//! Any error rolls the whole transaction back: a rejected write leaves the database as it was.

use std::collections::BTreeSet;

use crate::store::db::{Connection, Transaction, params_from_iter};
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};

use super::access::{Access, CustomerRef, Target};
use super::catalog::{Catalog, CustomerLink, Table};
use super::enums::Permission;
use super::error::{FieldError, Result, StoreError};
use super::health_sync;
use super::ids;
use super::rows::{self, Row, quote};
use super::rules;

/// Who writes, and the workspace they are confined to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    /// Recorded as `activity_log.user_id` (and by callers as `calls.user_id`, `resolved_by`).
    pub user_id: Option<String>,
    /// When set, no row of another workspace can be written (or, by readers, shown).
    pub workspace_id: Option<String>,
    /// Recorded as `activity_log.user_agent`, e.g. `cscx/0.1 dashboard`.
    pub user_agent: Option<String>,
}

/// A customer whose health score a write changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthChange {
    pub customer_id: String,
    pub customer_name: String,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// What a write transaction returned, and the health scores it moved.
#[derive(Debug)]
pub struct Written<T> {
    pub value: T,
    pub health: Vec<HealthChange>,
}

/// One row written: the health engine reads these to decide what to recompute.
#[derive(Debug, Clone)]
pub struct Change {
    pub table: String,
    pub action: Action,
    /// The row's key (its id, or the columns of a composite key): what `store::undo` reverts.
    pub key: Row,
    /// Customers the row belonged to before and after the write.
    pub customers: Vec<String>,
    pub old: Option<Map<String, Json>>,
    pub new: Option<Map<String, Json>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// A typed record of one table: a serde struct whose fields are that table's columns.
pub trait Entity: Serialize + DeserializeOwned {
    const TABLE: &'static str;
    /// The row's id ("" for a record not yet created).
    fn id(&self) -> &str;
}

pub struct WriteTx<'c> {
    tx: Transaction<'c>,
    /// What the row operation being checked does (`create`, `update`, `delete`): a refusal
    /// says it ("refused (viewer: read only): delete calls 0190…").
    verb: std::cell::Cell<&'static str>,
    catalog: &'c Catalog,
    actor: &'c Actor,
    /// The actor's memberships and the policy, as the database said when the write began.
    access: &'c Access,
    /// An import: every row needs the `import` permission rather than `write`.
    importing: bool,
    changes: Vec<Change>,
    /// Customers whose health must be recomputed whatever changed (e.g. `recompute`).
    forced: BTreeSet<String>,
    /// Per-row activity entries; bulk loaders turn this off and log one summary instead.
    log_rows: bool,
    /// The health clock for this transaction ([`super::Store::today`]).
    today: NaiveDate,
    /// While an update of a row that can be handed over is checked: its owner as stored
    /// ([`HANDED_OVER`]).
    stored_owner: std::cell::RefCell<Option<String>>,
}

/// Tables whose rows their owner may give to someone else (a task, a deal action): an
/// update is allowed by who owns the row as stored, not by who will own it.
pub const HANDED_OVER: &[&str] = &["tasks", "deal_actions"];

/// How a write that may decide not to keep its work ends: keep the transaction, or undo it
/// and still hand back a value (a dry run's report, or the problems that stopped an import).
pub enum Finish<T> {
    Commit(T),
    Rollback(T),
}

/// [`run`] for a closure that decides whether to commit. Returns the value, the health
/// changes (none after a rollback) and whether it committed. A rollback is the transaction's
/// own ending, not an error passed through the write path.
pub(crate) fn run_to_finish<T>(
    tx: Transaction<'_>,
    catalog: &Catalog,
    actor: &Actor,
    access: &Access,
    today: NaiveDate,
    f: impl FnOnce(&mut WriteTx<'_>) -> Result<Finish<T>>,
) -> Result<(T, Vec<HealthChange>, bool)> {
    let mut w = WriteTx {
        tx,
        verb: std::cell::Cell::new("write"),
        catalog,
        actor,
        access,
        importing: false,
        changes: Vec::new(),
        forced: BTreeSet::new(),
        log_rows: true,
        today,
        stored_owner: std::cell::RefCell::new(None),
    };
    match f(&mut w)? {
        Finish::Commit(value) => {
            // benchmarks and adoption roll-ups first: a moved adoption score is a health input
            super::rollups::after_write(&w.tx)?;
            let (touched, health) = health_sync::after_write_touched(&mut w)?;
            // playbooks fire on the same edit, in the same transaction, for the same customers
            super::playbooks::after_write(&mut w, &touched, &health)?;
            w.tx.commit()?;
            Ok((value, health, true))
        }
        Finish::Rollback(value) => {
            w.tx.rollback()?;
            Ok((value, Vec::new(), false))
        }
    }
}

/// References that point into another workspace by design: 000's `company_partner_map`
/// (our `workspace_customer_map`) maps a company to the global partner record of another
/// company, which is what the table is for.
const CROSSES_TENANTS: &[(&str, &str)] = &[("workspace_customer_map", "customer_id")];

impl<'c> WriteTx<'c> {
    /// The transaction's connection, for the store's own code inside the write (nothing
    /// outside `store` writes SQL of its own).
    pub(in crate::store) fn conn(&self) -> &Connection {
        &self.tx
    }

    /// Refuses unless the actor is the file's owner (no `--user`, no `--workspace`): what
    /// only the owner does (`generate`'s bulk build, which skips the per-row checks).
    pub fn require_owner(&self, what: &str) -> Result<()> {
        if self.access.owner && self.access.workspace_id.is_none() {
            Ok(())
        } else {
            Err(StoreError::Denied {
                rule: "only the file's owner (no --user, no --workspace)".into(),
                what: what.to_owned(),
            })
        }
    }

    /// Pauses search and derived triggers and secondary indexes for a big load
    /// ([`super::bulk::BulkLoad`]); [`WriteTx::end_bulk_load`] restores them.
    pub fn begin_bulk_load(
        &self,
        options: super::bulk::BulkOptions,
    ) -> Result<super::bulk::BulkLoad> {
        super::bulk::BulkLoad::begin(&self.tx, options)
    }

    pub fn end_bulk_load(&self, bulk: super::bulk::BulkLoad) -> Result<()> {
        bulk.finish(&self.tx)
    }

    /// Whether `customers.renewal_date` / `open_approvals` differ from their definitions
    /// (the customers that do), and [`WriteTx::recompute_derived`] to set them right.
    pub fn derived_drift(&self) -> Result<Vec<String>> {
        super::bulk::derived_drift(&self.tx)
    }

    pub fn recompute_derived(&self) -> Result<()> {
        super::bulk::recompute_derived(&self.tx)
    }

    /// Brings the benchmarks and adoption roll-ups this transaction touched up to date now
    /// (the write path does it before commit anyway): an import compares them with the file.
    pub fn apply_rollups(&self) -> Result<()> {
        super::rollups::after_write(&self.tx)
    }

    /// Recomputes every benchmark cohort and adoption roll-up (`store::rollups`); with
    /// `queue_health`, the customers whose adoption score moved get their health recomputed
    /// before commit (a caller that recomputes everyone's health itself passes false).
    pub fn recompute_rollups(&self, queue_health: bool) -> Result<super::rollups::Recomputed> {
        super::rollups::recompute_all(&self.tx, queue_health)
    }

    /// Notes an imported benchmark row's own variance and cohort average
    /// (`rollups::note_imported`).
    pub fn note_imported_benchmark(
        &self,
        file: &str,
        line: u64,
        key: (&str, &str, &str),
        variance: (&str, Option<f64>),
        average: (&str, Option<f64>),
    ) -> Result<()> {
        super::rollups::note_imported(&self.tx, file, line, key, variance, average)
    }

    /// The noted imported values cscx computed differently (`rollups::mismatches`).
    pub fn benchmark_mismatches(
        &self,
        limit: usize,
    ) -> Result<(Vec<super::rollups::Mismatch>, u64)> {
        super::rollups::mismatches(&self.tx, limit)
    }

    /// What the row operation about to be checked does, for a refusal's message.
    pub(crate) fn set_verb(&self, verb: &'static str) {
        self.verb.set(verb);
    }

    /// Record `id` of entity type `E` as this transaction sees it.
    pub fn get<E: Entity>(&self, id: &str) -> Result<E> {
        get(&self.tx, self.catalog, id)
    }

    /// The name of row `id` of a table with names (customers, users, stakeholders, loss
    /// reasons), as this transaction sees it: for the messages of a write.
    pub fn name_of(&self, table: &str, id: &str) -> Result<Option<String>> {
        super::read::records::name_of(&self.tx, table, id)
    }

    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    pub fn actor(&self) -> &'c Actor {
        self.actor
    }

    /// What the actor may do in this transaction.
    pub fn access(&self) -> &'c Access {
        self.access
    }

    /// Marks this write as an import: each row then needs the `import` permission of its
    /// workspace (admin, ceo) instead of `write`.
    /// True inside an import (`set_importing`).
    pub fn importing(&self) -> bool {
        self.importing
    }

    pub fn set_importing(&mut self, on: bool) {
        self.importing = on;
    }

    /// The date health is computed for in this transaction ([`super::Store::today`]).
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Rows written so far in this transaction.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Customers whose recompute was requested explicitly.
    pub fn forced(&self) -> &BTreeSet<String> {
        &self.forced
    }

    /// Ask for `customer_id`'s health to be recomputed at commit, whatever was written.
    pub fn touch_customer(&mut self, customer_id: &str) {
        self.forced.insert(customer_id.to_owned());
    }

    /// Turns per-row activity entries off (bulk loads log one summary with [`WriteTx::log`]).
    pub fn set_row_logging(&mut self, on: bool) {
        self.log_rows = on;
    }

    pub(crate) fn table(&self, name: &str) -> Result<&'c Table> {
        match self.catalog.table(name) {
            Some(t) if !t.is_view => Ok(t),
            _ => Err(FieldError::new(name, "", "is not a table of the schema").into()),
        }
    }

    // ---- typed entities -------------------------------------------------------------------

    /// Inserts a typed record; returns its id (generated when the record's id is empty).
    pub fn create<E: Entity>(&mut self, record: &E) -> Result<String> {
        let table = self.table(E::TABLE)?;
        let mut object = to_object(record)?;
        if record.id().is_empty() {
            object.remove("id");
        }
        let row = rows::json_to_row(table, &object)?;
        let key = self.insert_row(E::TABLE, row)?;
        Ok(key_text(&key))
    }

    /// Replaces the columns of record `id` with `record`'s fields.
    pub fn update<E: Entity>(&mut self, id: &str, record: &E) -> Result<()> {
        let table = self.table(E::TABLE)?;
        let mut object = to_object(record)?;
        object.remove("id");
        let row = rows::json_to_row(table, &object)?;
        self.update_row(E::TABLE, &id_key(id), row)
    }

    /// Like [`WriteTx::update`], but first checks that the stored row still equals `base`
    /// (what the caller read before editing); if another writer changed any of its fields in
    /// the meantime, fails with [`StoreError::Conflict`] naming them.
    pub fn update_unless_changed<E: Entity>(
        &mut self,
        id: &str,
        base: &E,
        record: &E,
    ) -> Result<()> {
        let table = self.table(E::TABLE)?;
        let stored = rows::read_json(&self.tx, table, &id_key(id))?
            .ok_or_else(|| not_found(E::TABLE, id))?;
        let base = to_object(base)?;
        let changed: Vec<&str> = base
            .iter()
            .filter(|(k, v)| stored.get(k.as_str()).is_some_and(|s| !same_json(s, v)))
            .map(|(k, _)| k.as_str())
            .collect();
        if !changed.is_empty() {
            return Err(StoreError::Conflict {
                entity: E::TABLE.to_owned(),
                id: id.to_owned(),
                columns: changed.join(", "),
            });
        }
        self.update(id, record)
    }

    pub fn delete<E: Entity>(&mut self, id: &str) -> Result<()> {
        self.delete_row(E::TABLE, &id_key(id))
    }

    // ---- rows -------------------------------------------------------------------------------

    /// Inserts `row` into `table`; returns the row's key (its generated id if it had none).
    pub fn insert_row(&mut self, table_name: &str, mut row: Row) -> Result<Row> {
        self.verb
            .set(if self.importing { "import" } else { "create" });
        let table = self.table(table_name)?;
        if table.key == ["id"] && !matches!(rows::get(&row, "id"), Some(Value::Text(_))) {
            rows::set(&mut row, "id", Value::Text(ids::new_id()));
        }
        // NULL for a column with a DEFAULT means "the default"
        row.retain(|(c, v)| {
            !(matches!(v, Value::Null) && table.column(c).is_some_and(|c| c.has_default))
        });
        if let (Some(scope), Some(_)) = (&self.actor.workspace_id, table.column("workspace_id"))
            && rows::get(&row, "workspace_id").is_none()
        {
            row.push(("workspace_id".into(), Value::Text(scope.clone())));
        }
        self.validate(table, &row, None)?;

        let columns: Vec<String> = row.iter().map(|(c, _)| quote(c)).collect();
        let marks = vec!["?"; row.len()].join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            quote(table_name),
            columns.join(", ")
        );
        self.tx
            .prepare_cached(&sql)?
            .execute(params_from_iter(row.iter().map(|(_, v)| v)))
            .map_err(|e| constraint_error(table, e))?;

        let key = self.key_of(table, &row)?;
        let new = rows::read_json(&self.tx, table, &key)?;
        let customers = self.customers_of(table, &row)?;
        self.record(table, Action::Create, &key, customers, None, new)?;
        self.one_primary(table, &row)?;
        Ok(key)
    }

    /// Sets the columns in `patch` on the row of `table` identified by `key`.
    pub fn update_row(&mut self, table_name: &str, key: &Row, patch: Row) -> Result<()> {
        self.verb
            .set(if self.importing { "import" } else { "update" });
        let table = self.table(table_name)?;
        let old = rows::read_json(&self.tx, table, key)?
            .ok_or_else(|| not_found(table_name, &key_text(key)))?;
        let old_row = rows::stored_row(table, &old)?;
        self.check_scope(table, &old_row)?;
        let mut merged = old_row.clone();
        for (c, v) in &patch {
            rows::set(&mut merged, c, v.clone());
        }
        let handed_over = HANDED_OVER.contains(&table_name)
            && owner_column(table_name).is_some_and(|c| rows::get(&patch, c).is_some());
        if handed_over {
            *self.stored_owner.borrow_mut() =
                owner_column(table_name).and_then(|c| rows::text(&old_row, c));
        }
        let valid = self.validate(table, &merged, Some(&patch));
        self.stored_owner.borrow_mut().take();
        valid?;
        if patch.is_empty() {
            return Ok(());
        }

        let sets: Vec<String> = patch
            .iter()
            .map(|(c, _)| format!("{} = ?", quote(c)))
            .collect();
        let filter: Vec<String> = key
            .iter()
            .map(|(c, _)| format!("{} = ?", quote(c)))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE {}",
            quote(table_name),
            sets.join(", "),
            filter.join(" AND ")
        );
        let params = patch
            .iter()
            .map(|(_, v)| v)
            .chain(key.iter().map(|(_, v)| v));
        self.tx
            .prepare_cached(&sql)?
            .execute(params_from_iter(params))
            .map_err(|e| constraint_error(table, e))?;

        // the key may itself have been patched
        let new_key: Row = key
            .iter()
            .map(|(c, v)| {
                (
                    c.clone(),
                    rows::get(&patch, c).cloned().unwrap_or_else(|| v.clone()),
                )
            })
            .collect();
        let new = rows::read_json(&self.tx, table, &new_key)?
            .ok_or_else(|| not_found(table_name, &key_text(key)))?;
        let changed: Vec<&str> = new
            .iter()
            .filter(|(k, v)| {
                k.as_str() != "updated_at" && old.get(k.as_str()).is_none_or(|o| !same_json(o, v))
            })
            .map(|(k, _)| k.as_str())
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let mut customers = self.customers_of(table, &old_row)?;
        customers.extend(self.customers_of(table, &merged)?);
        customers.sort();
        customers.dedup();
        let (old_changed, new_changed) = (rows::pick(&old, &changed), rows::pick(&new, &changed));
        self.record(
            table,
            Action::Update,
            &new_key,
            customers,
            Some(old_changed),
            Some(new_changed),
        )?;
        self.one_primary(table, &merged)
    }

    /// A stakeholder written as primary: the customer's other primaries step down in the same
    /// write, each a logged update (`rules::other_primaries`).
    fn one_primary(&mut self, table: &Table, row: &Row) -> Result<()> {
        if table.name != "stakeholders" || rows::get(row, "is_primary") != Some(&Value::Integer(1))
        {
            return Ok(());
        }
        let (Some(customer), Some(id)) = (rows::text(row, "customer_id"), rows::text(row, "id"))
        else {
            return Ok(());
        };
        for other in rules::other_primaries(&self.tx, &customer, &id)? {
            self.update_row(
                "stakeholders",
                &id_key(&other),
                vec![("is_primary".into(), Value::Integer(0))],
            )?;
        }
        Ok(())
    }

    pub fn delete_row(&mut self, table_name: &str, key: &Row) -> Result<()> {
        self.verb.set("delete");
        let table = self.table(table_name)?;
        let old = rows::read_json(&self.tx, table, key)?
            .ok_or_else(|| not_found(table_name, &key_text(key)))?;
        let old_row = rows::stored_row(table, &old)?;
        self.check_scope(table, &old_row)?;
        let customers = self.customers_of(table, &old_row)?;
        let filter: Vec<String> = key
            .iter()
            .map(|(c, _)| format!("{} = ?", quote(c)))
            .collect();
        let sql = format!(
            "DELETE FROM {} WHERE {}",
            quote(table_name),
            filter.join(" AND ")
        );
        self.tx
            .prepare_cached(&sql)?
            .execute(params_from_iter(key.iter().map(|(_, v)| v)))
            .map_err(|e| constraint_error(table, e))?;
        self.record(table, Action::Delete, key, customers, Some(old), None)
    }

    /// Appends one entry to `activity_log` (for events that are not a single row write:
    /// an import summary, a health change, an approval decision).
    pub fn log(&mut self, entry: Activity) -> Result<()> {
        let workspace = entry
            .workspace_id
            .or_else(|| self.actor.workspace_id.clone());
        self.tx
            .prepare_cached(
                "INSERT INTO activity_log (id, workspace_id, user_id, customer_id, action, entity_type,
                   entity_id, old_values, new_values, user_agent, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(rusqlite::params![
                ids::new_id(),
                workspace,
                self.actor.user_id,
                entry.customer_id,
                entry.action,
                entry.entity_type,
                entry.entity_id,
                entry.old_values.map(|v| v.to_string()),
                entry.new_values.map(|v| v.to_string()),
                self.actor.user_agent,
                ids::now(),
            ])?;
        Ok(())
    }

    // ---- internals --------------------------------------------------------------------------

    fn record(
        &mut self,
        table: &Table,
        action: Action,
        key: &Row,
        customers: Vec<String>,
        old: Option<Map<String, Json>>,
        new: Option<Map<String, Json>>,
    ) -> Result<()> {
        if self.log_rows && table.name != "activity_log" {
            let row_for_scope = old.as_ref().or(new.as_ref());
            let workspace = match row_for_scope {
                Some(obj) => self.workspace_of(table, &rows::stored_row(table, obj)?)?,
                None => None,
            };
            // a deleted customer cannot be referenced; its id stays in entity_id
            let customer = customers
                .first()
                .filter(|_| !(table.name == "customers" && action == Action::Delete))
                .cloned();
            self.log(Activity {
                action: action.as_str().to_owned(),
                entity_type: Some(table.name.clone()),
                entity_id: Some(key_text(key)),
                customer_id: customer,
                workspace_id: workspace,
                old_values: old.clone().map(Json::Object),
                new_values: new.clone().map(Json::Object),
            })?;
        }
        self.changes.push(Change {
            table: table.name.clone(),
            action,
            key: key.clone(),
            customers,
            old,
            new,
        });
        Ok(())
    }

    /// Kinds, required columns, cross-field rules, references and workspace scope of a row
    /// about to be written (`patch` = only these columns changed, for an update).
    fn validate(&self, table: &Table, row: &Row, patch: Option<&Row>) -> Result<()> {
        for (name, value) in patch.unwrap_or(row) {
            let column = table.column(name).ok_or_else(|| {
                FieldError::new(&table.name, name, "is not a column of this table")
            })?;
            super::fields::check(&table.name, column, value.clone())?;
        }
        if patch.is_none() {
            for column in table.columns.iter().filter(|c| c.required()) {
                if !matches!(rows::get(row, &column.name), Some(v) if *v != Value::Null) {
                    return Err(FieldError::new(&table.name, &column.name, "is required").into());
                }
            }
        }
        rules::check_row(self.conn(), &table.name, row, rules::Origin::Edit)?;
        let workspace = self.workspace_of(table, row)?;
        for fk in &table.foreign_keys {
            if let Some(p) = patch
                && !fk.columns.iter().any(|c| rows::get(p, c).is_some())
            {
                continue;
            }
            let values: Vec<&Value> = fk
                .columns
                .iter()
                .filter_map(|c| rows::get(row, c))
                .collect();
            if values.len() != fk.columns.len() || values.iter().any(|v| **v == Value::Null) {
                continue;
            }
            if fk.parent == table.name && fk.parent_columns == table.key {
                continue; // self reference to the row being written
            }
            self.check_reference(table, fk, &values, workspace.as_deref())?;
        }
        self.check_scope_of(workspace.as_deref(), table, row)
    }

    pub(crate) fn check_reference(
        &self,
        table: &Table,
        fk: &super::catalog::ForeignKey,
        values: &[&Value],
        workspace: Option<&str>,
    ) -> Result<()> {
        let parent = self.table(&fk.parent)?;
        let filter: Vec<String> = fk
            .parent_columns
            .iter()
            .map(|c| format!("{} = ?", quote(c)))
            .collect();
        let parent_workspace = if parent.has_column("workspace_id") {
            "workspace_id"
        } else if parent.name == "workspaces" {
            "id"
        } else {
            "NULL"
        };
        let sql = format!(
            "SELECT {parent_workspace} FROM {} WHERE {}",
            quote(&parent.name),
            filter.join(" AND ")
        );
        let found: Option<Option<String>> = {
            let mut stmt = self.tx.prepare_cached(&sql)?;
            let mut q = stmt.query(params_from_iter(values.iter().copied()))?;
            match q.next()? {
                Some(r) => Some(r.get(0)?),
                None => None,
            }
        };
        let shown = value_text(values[0]);
        match found {
            None => Err(FieldError::new(
                &table.name,
                &fk.columns[0],
                format!("refers to a row of {} that does not exist", fk.parent),
            )
            .with_value(shown)
            .into()),
            // tenant isolation: a row never points into another workspace, except where that
            // is the table's purpose
            Some(Some(pw))
                if workspace.is_some_and(|w| w != pw)
                    && !CROSSES_TENANTS
                        .contains(&(table.name.as_str(), fk.columns[0].as_str())) =>
            {
                Err(FieldError::new(
                    &table.name,
                    &fk.columns[0],
                    format!("refers to a row of {} in another workspace", fk.parent),
                )
                .with_value(shown)
                .into())
            }
            Some(_) => Ok(()),
        }
    }

    fn check_scope(&self, table: &Table, row: &Row) -> Result<()> {
        let workspace = self.workspace_of(table, row)?;
        self.check_scope_of(workspace.as_deref(), table, row)
    }

    /// Whether the actor may write `row` of `table` (in `workspace`): the workspace of
    /// `--workspace`, then the policy of their role there (`store::access`). Called for the
    /// stored row of an update or delete and for the row as it will be written.
    pub(crate) fn check_scope_of(
        &self,
        workspace: Option<&str>,
        table: &Table,
        row: &Row,
    ) -> Result<()> {
        if self.access.owner && self.access.workspace_id.is_none() {
            return Ok(());
        }
        let what = format!(
            "{} {} {}",
            self.verb.get(),
            table.name,
            key_text(&self.key_of(table, row).unwrap_or_default())
        );
        if self.access.owner {
            return self.access.authorize(
                &self.tx,
                &Target {
                    permission: Permission::Write,
                    what,
                    workspace_id: workspace,
                    customer: None,
                    owner: None,
                },
            );
        }
        let permission = if self.importing {
            Permission::Import
        } else {
            permission_for(&table.name)
        };
        let customer = self.customers_of(table, row)?.into_iter().next();
        let csm: Option<String> = match &customer {
            _ if table.name == "customers" => rows::text(row, "csm_id"),
            Some(c) => self
                .tx
                .prepare_cached("SELECT csm_id FROM customers WHERE id = ?1")?
                .query_row([c], |r| r.get(0))
                .optional()?
                .flatten(),
            None => None,
        };
        let owner = match self.stored_owner.borrow().clone() {
            Some(stored) => Some(stored),
            None => owner_column(&table.name).and_then(|c| rows::text(row, c)),
        };
        self.access.authorize(
            &self.tx,
            &Target {
                permission,
                what,
                workspace_id: workspace,
                customer: customer.as_deref().map(|id| CustomerRef {
                    id,
                    csm_id: csm.as_deref(),
                }),
                owner: owner.as_deref(),
            },
        )
    }

    /// The workspace a row belongs to: its own, or its customer's.
    pub fn workspace_of(&self, table: &Table, row: &Row) -> Result<Option<String>> {
        if table.name == "workspaces" {
            return Ok(rows::text(row, "id"));
        }
        if table.has_column("workspace_id")
            && let Some(w) = rows::text(row, "workspace_id")
        {
            return Ok(Some(w));
        }
        let Some(customer) = self.customers_of(table, row)?.into_iter().next() else {
            return Ok(None);
        };
        Ok(self
            .tx
            .prepare_cached("SELECT workspace_id FROM customers WHERE id = ?1")?
            .query_row([&customer], |r| r.get(0))
            .ok())
    }

    /// The customer a row belongs to (zero or one; a Vec for easy merging).
    pub fn customers_of(&self, table: &Table, row: &Row) -> Result<Vec<String>> {
        let found = match self.catalog.customer_link(&table.name) {
            None => None,
            Some(CustomerLink::Own) => rows::text(row, "id"),
            Some(CustomerLink::Column(c)) => rows::text(row, &c),
            Some(CustomerLink::Via {
                column,
                parent,
                parent_column,
            }) => match rows::get(row, &column) {
                Some(v @ Value::Text(_)) => {
                    let sql = format!(
                        "SELECT customer_id FROM {} WHERE {} = ?1",
                        quote(&parent),
                        quote(&parent_column)
                    );
                    self.tx
                        .prepare_cached(&sql)?
                        .query_row([v], |r| r.get::<_, Option<String>>(0))
                        .ok()
                        .flatten()
                }
                _ => None,
            },
        };
        Ok(found.into_iter().collect())
    }

    fn key_of(&self, table: &Table, row: &Row) -> Result<Row> {
        if table.key.is_empty() {
            // no key (events): the rowid SQLite just assigned
            return Ok(vec![(
                "rowid".into(),
                Value::Integer(self.tx.last_insert_rowid()?),
            )]);
        }
        table
            .key
            .iter()
            .map(|c| {
                rows::get(row, c)
                    .cloned()
                    .map(|v| (c.clone(), v))
                    .ok_or_else(|| FieldError::new(&table.name, c, "is required").into())
            })
            .collect()
    }
}

/// The permission a write of `table` needs (outside an import).
pub fn permission_for(table: &str) -> Permission {
    match table {
        "approvals" => Permission::Decide,
        // what a workspace is and who is in it, and what every workspace shares
        "workspaces"
        | "workspace_configs"
        | "workspace_members"
        | "user_customer_access"
        | "loss_reasons"
        | "kpi_reference_ranges"
        | "users" => Permission::Configure,
        _ => Permission::Write,
    }
}

/// The column naming the user a row belongs to: another user's row needs `write_others`.
pub fn owner_column(table: &str) -> Option<&'static str> {
    match table {
        "calls" | "deal_notes" | "agent_sessions" => Some("user_id"),
        "deal_actions" => Some("owner_user_id"),
        "tasks" => Some("owner_id"),
        _ => None,
    }
}

/// An `activity_log` entry that is not a single row write.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub customer_id: Option<String>,
    pub workspace_id: Option<String>,
    pub old_values: Option<Json>,
    pub new_values: Option<Json>,
}

fn to_object<E: Serialize>(record: &E) -> Result<Map<String, Json>> {
    match serde_json::to_value(record)? {
        Json::Object(m) => Ok(m),
        other => Err(StoreError::Json(serde::de::Error::custom(format!(
            "a record must serialise to an object, not {other}"
        )))),
    }
}

/// Reads record `id` of entity type `E`.
pub fn get<E: Entity>(conn: &Connection, catalog: &Catalog, id: &str) -> Result<E> {
    let table = catalog
        .table(E::TABLE)
        .ok_or_else(|| FieldError::new(E::TABLE, "", "is not a table of the schema"))?;
    let object =
        rows::read_json(conn, table, &id_key(id))?.ok_or_else(|| not_found(E::TABLE, id))?;
    Ok(serde_json::from_value(Json::Object(object))?)
}

pub fn id_key(id: &str) -> Row {
    vec![("id".into(), Value::Text(id.to_owned()))]
}

/// A key as text: the id itself, or a JSON object of a composite key.
pub fn key_text(key: &Row) -> String {
    match key.as_slice() {
        [(_, v)] => value_text(v),
        _ => Json::Object(
            key.iter()
                .map(|(c, v)| (c.clone(), Json::String(value_text(v))))
                .collect(),
        )
        .to_string(),
    }
}

pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Null => String::new(),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

/// JSON equality that treats 1 and 1.0 as the same number (REAL columns read back as floats).
fn same_json(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn not_found(entity: &str, id: &str) -> StoreError {
    StoreError::NotFound {
        entity: entity.to_owned(),
        id: id.to_owned(),
    }
}

/// SQLite's constraint messages name the table and column ("UNIQUE constraint failed:
/// users.email"); turn them into field errors. Others pass through.
pub(crate) fn constraint_error(table: &Table, e: rusqlite::Error) -> StoreError {
    let message = e.to_string();
    let column_after = |prefix: &str| {
        message.split_once(prefix).map(|(_, rest)| {
            rest.split(", ")
                .map(|tc| tc.rsplit('.').next().unwrap_or(tc).trim().to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    if let Some(cols) = column_after("UNIQUE constraint failed: ") {
        return FieldError::new(&table.name, &cols, "already exists (must be unique)").into();
    }
    if let Some(cols) = column_after("NOT NULL constraint failed: ") {
        return FieldError::new(&table.name, &cols, "is required").into();
    }
    if let Some((_, expr)) = message.split_once("CHECK constraint failed: ") {
        let column = table
            .columns
            .iter()
            .find(|c| expr.contains(&c.name))
            .map_or("", |c| c.name.as_str());
        return FieldError::new(&table.name, column, format!("breaks the rule {expr}")).into();
    }
    StoreError::Sqlite(e)
}
