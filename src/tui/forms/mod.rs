//! Forms (ratatui's input-form shape): a list of fields, one focused; each field handles its
//! own keys and draws itself. A form knows how to check each field as you leave it — through
//! the store's one definition of each rule (`store::fields` for a value, `store::human` for
//! durations and times, the column's enumeration from `store::enums`) — and how to become a
//! store write (`kinds`). Cross-field rules (`store::rules`) run on the database worker and
//! come back as an error beside the field they name.
//!
//! ```text
//! input.rs    the field kinds: text, choice, reference
//! kinds.rs    each form: its fields, how a record fills it, the write it saves as
//! picker.rs   a list to choose from, fuzzy-ranked as you type
//! confirm.rs  a question: delete? discard? reload or overwrite?
//! render.rs   drawing forms, pickers and questions
//! ```

pub mod confirm;
pub mod input;
pub mod kinds;
pub mod picker;
pub mod render;

use chrono::DateTime;
use rusqlite::types::{Value, ValueRef};
use serde_json::{Map, Value as Json};

use crate::store::catalog::{Catalog, Kind};
use crate::store::{fields, human, ids, rows};
use crate::tui::clock::Clock;
use input::Input;
pub use kinds::FormKind;

/// How a text field's text becomes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parse {
    /// As the column's kind says (`store::fields::parse_text`): text, numbers, money, dates.
    Column,
    /// `45m`, `1h5m`, `3900s`, `1:05:00` → seconds.
    Duration,
    /// The same, stored in whole minutes.
    Minutes,
    /// `2026-11-21 14:00`, `today 14:00`, `yesterday`, `now` → a UTC timestamp.
    When,
    /// `2026-11-21`, `today`, `tomorrow` → a date.
    Day,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// What the field is called in the form's record: the column name, or the form's own
    /// name for it (an action's id, `note`).
    pub key: String,
    pub label: String,
    /// The `table.column` the value is checked against and written to.
    pub column: Option<(&'static str, &'static str)>,
    pub parse: Parse,
    pub input: Input,
    /// Why the value is not acceptable, shown beside the field.
    pub error: Option<String>,
    /// A rule across fields that this field breaks (from the worker's check).
    pub rule: Option<String>,
    /// What to type, shown while empty.
    pub hint: &'static str,
}

impl Slot {
    pub fn new(
        key: &str,
        label: &str,
        column: Option<(&'static str, &'static str)>,
        input: Input,
    ) -> Slot {
        Slot {
            key: key.to_owned(),
            label: label.to_owned(),
            column,
            parse: Parse::Column,
            input,
            error: None,
            rule: None,
            hint: "",
        }
    }

    pub fn parse(mut self, parse: Parse) -> Slot {
        self.parse = parse;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Slot {
        self.hint = hint;
        self
    }

    /// The message beside the field: its own error first, else a rule it breaks.
    pub fn message(&self) -> Option<&str> {
        self.error.as_deref().or(self.rule.as_deref())
    }

    pub fn is_text(&self) -> bool {
        matches!(self.input, Input::Text(_))
    }

    pub fn text(&self) -> &str {
        match &self.input {
            Input::Text(t) => &t.text,
            _ => "",
        }
    }

    /// The reference's id, if this field is one and it is set.
    pub fn id(&self) -> Option<&str> {
        match &self.input {
            Input::Reference { id, .. } => id.as_deref(),
            _ => None,
        }
    }

    /// The stored value this field holds, or why it cannot be stored. The one definition of
    /// each rule: `store::fields` for the column's kind and required-ness, `store::human` for
    /// durations and times.
    pub fn value(&self, catalog: &Catalog, clock: &Clock) -> Result<Value, String> {
        let column = self.column.and_then(|(t, c)| {
            catalog
                .table(t)
                .and_then(|t| t.column(c))
                .map(|col| (t, col))
        });
        let check = |v: Value| match column {
            Some((table, col)) => fields::check(table, col, v).map_err(|e| e.reason),
            None => Ok(v),
        };
        let required = column.is_some_and(|(_, c)| c.required());
        match &self.input {
            Input::Text(t) => {
                let text = t.text.trim();
                if text.is_empty() {
                    return if required {
                        Err("is required".into())
                    } else {
                        Ok(Value::Null)
                    };
                }
                match self.parse {
                    Parse::Column => match column {
                        Some((table, col)) => {
                            fields::parse_text(table, col, &t.text).map_err(|e| e.reason)
                        }
                        None => Ok(Value::Text(t.text.clone())),
                    },
                    Parse::Duration => check(Value::Integer(human::parse_duration(text)?)),
                    Parse::Minutes => {
                        check(Value::Integer(human::minutes(human::parse_duration(text)?)))
                    }
                    Parse::When => check(Value::Text(ids::timestamp(clock.parse_when(text)?))),
                    Parse::Day => check(Value::Text(ids::date(human::parse_day(
                        text,
                        clock.today(),
                    )?))),
                }
            }
            Input::Choice { .. } => {
                let v = match (self.input.choice_text(), column) {
                    (None, _) => Value::Null,
                    // a yes/no field of a boolean column
                    (Some(t), Some((_, col))) if col.kind == Kind::Bool => {
                        Value::Integer(i64::from(t == "yes"))
                    }
                    (Some(t), _) => Value::Text(t.to_owned()),
                };
                check(v)
            }
            Input::Reference { id, .. } => match id {
                Some(id) => Ok(Value::Text(id.clone())),
                None if required => Err("is required".into()),
                None => Ok(Value::Null),
            },
        }
    }

    /// Shows a stored value (a record's JSON field) in this field.
    pub fn fill(&mut self, stored: &Json, label: Option<String>, catalog: &Catalog, clock: &Clock) {
        let kind = self
            .column
            .and_then(|(t, c)| catalog.table(t).and_then(|t| t.column(c)))
            .map(|c| c.kind);
        let text = match stored {
            Json::Null => String::new(),
            Json::String(s) => s.clone(),
            Json::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
            other => other.to_string(),
        };
        match &mut self.input {
            Input::Text(t) => {
                let shown = match (self.parse, stored) {
                    (_, Json::Null) => String::new(),
                    (Parse::Duration, Json::Number(n)) => {
                        human::format_duration(n.as_i64().unwrap_or(0))
                    }
                    (Parse::Minutes, Json::Number(n)) => {
                        human::format_duration(n.as_i64().unwrap_or(0) * 60)
                    }
                    (Parse::When, Json::String(s)) => DateTime::parse_from_rfc3339(s)
                        .map(|t| clock.show(t.to_utc()))
                        .unwrap_or_else(|_| s.clone()),
                    (Parse::Column, Json::Number(n)) if kind == Some(Kind::Money) => {
                        money_text(n.as_i64().unwrap_or(0))
                    }
                    _ => text,
                };
                *t = input::TextInput::new(&shown, t.multiline);
            }
            Input::Choice { options, index, .. } => {
                *index = options.iter().position(|o| *o == text);
            }
            Input::Reference { id, label: l, .. } => {
                *id = (!text.is_empty()).then_some(text);
                *l = label.unwrap_or_default();
            }
        }
    }
}

/// Cents as the decimal dollars `fields::parse_money_cents` reads back: `120000`, `99.50`.
pub fn money_text(cents: i64) -> String {
    if cents % 100 == 0 {
        format!("{}", cents / 100)
    } else {
        format!("{}.{:02}", cents / 100, cents % 100)
    }
}

/// Some field's value is not acceptable; its reason is set beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the record it edits.
    Loading,
    Editing,
    /// Its write is on the worker.
    Saving,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// Tells answers for this form apart from answers for a form closed since.
    pub id: u64,
    pub kind: FormKind,
    pub title: String,
    pub slots: Vec<Slot>,
    pub focus: usize,
    pub phase: Phase,
    /// Something was changed since it opened (Esc asks before discarding).
    pub dirty: bool,
    /// The workspace the record belongs to (a call takes its customer's).
    pub workspace_id: Option<String>,
    /// The id of the record it edits (None for a new one): reloaded after a conflict.
    pub record_id: Option<String>,
}

impl Form {
    pub fn new(id: u64, kind: FormKind, title: String, slots: Vec<Slot>) -> Form {
        Form {
            id,
            kind,
            title,
            slots,
            focus: 0,
            phase: Phase::Editing,
            dirty: false,
            workspace_id: None,
            record_id: None,
        }
    }

    pub fn focused(&self) -> Option<&Slot> {
        self.slots.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut Slot> {
        self.slots.get_mut(self.focus)
    }

    pub fn slot(&self, key: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.key == key)
    }

    pub fn slot_mut(&mut self, key: &str) -> Option<&mut Slot> {
        self.slots.iter_mut().find(|s| s.key == key)
    }

    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.key == key)
    }

    /// Checks field `i` on its own; true if it is fine.
    pub fn check(&mut self, i: usize, catalog: &Catalog, clock: &Clock) -> bool {
        let Some(slot) = self.slots.get_mut(i) else {
            return true;
        };
        slot.error = slot.value(catalog, clock).err();
        slot.error.is_none()
    }

    /// Checks every field; focuses the first that is wrong. True if all are fine.
    pub fn check_all(&mut self, catalog: &Catalog, clock: &Clock) -> bool {
        let mut first_bad = None;
        for i in 0..self.slots.len() {
            if !self.check(i, catalog, clock) && first_bad.is_none() {
                first_bad = Some(i);
            }
        }
        if let Some(i) = first_bad {
            self.focus = i;
        }
        first_bad.is_none()
    }

    /// Moves the focus, checking the field it leaves.
    pub fn move_focus(&mut self, forward: bool, catalog: &Catalog, clock: &Clock) {
        self.check(self.focus, catalog, clock);
        let n = self.slots.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// Puts an error from the store (a field error naming `table.column`) beside the field
    /// that writes that column; false if no field does.
    pub fn place_error(&mut self, table: &str, column: &str, reason: &str, rule: bool) -> bool {
        let Some(i) = self
            .slots
            .iter()
            .position(|s| s.column.is_some_and(|(t, c)| t == table && c == column))
        else {
            return false;
        };
        let slot = &mut self.slots[i];
        if rule {
            slot.rule = Some(reason.to_owned());
        } else {
            slot.error = Some(reason.to_owned());
            self.focus = i;
        }
        true
    }

    pub fn clear_rules(&mut self) {
        for s in &mut self.slots {
            s.rule = None;
        }
    }

    /// `base` (a record as JSON) with the values of the fields that write `table`'s columns;
    /// Err if a field's value is not acceptable (its error is set).
    pub fn merged(
        &mut self,
        table: &str,
        base: Map<String, Json>,
        catalog: &Catalog,
        clock: &Clock,
    ) -> Result<Map<String, Json>, Invalid> {
        let mut object = base;
        let mut ok = true;
        for slot in &mut self.slots {
            let Some((t, c)) = slot.column.filter(|(t, _)| *t == table) else {
                continue;
            };
            match slot.value(catalog, clock) {
                Ok(v) => {
                    let column = catalog.table(t).and_then(|t| t.column(c));
                    let json = match column {
                        Some(col) => rows::sql_to_json(col, ValueRef::from(&v)),
                        None => Json::Null,
                    };
                    object.insert(c.to_owned(), json);
                }
                Err(e) => {
                    slot.error = Some(e);
                    ok = false;
                }
            }
        }
        if ok { Ok(object) } else { Err(Invalid) }
    }

    /// Like [`Form::merged`] but leaves out fields that are not acceptable (for checking
    /// rules across fields while some are still being typed).
    pub fn merged_lenient(
        &self,
        table: &str,
        base: Map<String, Json>,
        catalog: &Catalog,
        clock: &Clock,
    ) -> Map<String, Json> {
        let mut object = base;
        for slot in &self.slots {
            let Some((t, c)) = slot.column.filter(|(t, _)| *t == table) else {
                continue;
            };
            if let (Ok(v), Some(col)) = (
                slot.value(catalog, clock),
                catalog.table(t).and_then(|t| t.column(c)),
            ) {
                object.insert(c.to_owned(), rows::sql_to_json(col, ValueRef::from(&v)));
            }
        }
        object
    }

    /// Fills the fields that show `table`'s columns from a stored record.
    pub fn fill_from(
        &mut self,
        table: &str,
        record: &Map<String, Json>,
        labels: &[(&str, Option<String>)],
        catalog: &Catalog,
        clock: &Clock,
    ) {
        for slot in &mut self.slots {
            let Some((_, c)) = slot.column.filter(|(t, _)| *t == table) else {
                continue;
            };
            let label = labels
                .iter()
                .find(|(k, _)| *k == c)
                .and_then(|(_, l)| l.clone());
            slot.fill(record.get(c).unwrap_or(&Json::Null), label, catalog, clock);
        }
    }
}
