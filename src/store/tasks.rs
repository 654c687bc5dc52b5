//! Tasks and the other things a CSM has to do: a manual task or a playbook step (`tasks`),
//! a deal action (`deal_actions`) or an insight action (`insight_actions`). The work queue
//! ([`super::read::queue`]) lists the three together as [`Item`]s; this module changes them:
//! add, complete, snooze, reassign, each through the write path (so the access policy
//! decides, the change is logged and undoable), and opens the steps of a playbook execution
//! as tasks ([`open_steps`]).

use chrono::NaiveDate;
use rusqlite::types::Value;

use super::error::{FieldError, Result, StoreError};
use super::write::{WriteTx, id_key};

/// Where a work item is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Task,
    DealAction,
    InsightAction,
}

impl Source {
    pub fn table(self) -> &'static str {
        match self {
            Source::Task => "tasks",
            Source::DealAction => "deal_actions",
            Source::InsightAction => "insight_actions",
        }
    }

    pub fn parse(table: &str) -> Option<Source> {
        match table {
            "tasks" => Some(Source::Task),
            "deal_actions" => Some(Source::DealAction),
            "insight_actions" => Some(Source::InsightAction),
            _ => None,
        }
    }

    /// How a CSM calls it, in the queue's kind column.
    pub fn label(self) -> &'static str {
        match self {
            Source::Task => "task",
            Source::DealAction => "deal action",
            Source::InsightAction => "insight action",
        }
    }
}

/// A new task on a customer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewTask {
    pub customer_id: String,
    pub title: String,
    pub due_date: Option<NaiveDate>,
    /// None: the acting user.
    pub owner_id: Option<String>,
    pub notes: Option<String>,
}

/// Adds a task; returns its id. The workspace is the customer's; the owner defaults to the
/// actor; the title must say something.
pub fn add(w: &mut WriteTx<'_>, task: &NewTask) -> Result<String> {
    let title = task.title.trim();
    if title.is_empty() {
        return Err(FieldError::new("tasks", "title", "is required").into());
    }
    let workspace: Option<String> = w
        .conn()
        .query_row(
            "SELECT workspace_id FROM customers WHERE id = ?1",
            [&task.customer_id],
            |r| r.get(0),
        )
        .ok();
    let Some(workspace) = workspace else {
        return Err(StoreError::NotFound {
            entity: "customer".into(),
            id: task.customer_id.clone(),
        });
    };
    let me = w.actor().user_id.clone();
    let owner = task.owner_id.clone().or_else(|| me.clone());
    let text = |s: Option<String>| s.map(Value::Text).unwrap_or(Value::Null);
    let row = vec![
        ("workspace_id".to_owned(), Value::Text(workspace)),
        (
            "customer_id".to_owned(),
            Value::Text(task.customer_id.clone()),
        ),
        ("title".to_owned(), Value::Text(title.to_owned())),
        (
            "notes".to_owned(),
            text(task.notes.clone().filter(|n| !n.trim().is_empty())),
        ),
        (
            "due_date".to_owned(),
            text(task.due_date.map(|d| d.to_string())),
        ),
        ("owner_id".to_owned(), text(owner)),
        ("created_by".to_owned(), text(me)),
    ];
    let key = w.insert_row("tasks", row)?;
    Ok(super::write::key_text(&key))
}

/// Marks an item done. A playbook step's execution moves on (and completes, with its
/// report, when it was the last step: [`super::playbooks`] is told through the write path).
pub fn complete(w: &mut WriteTx<'_>, source: Source, id: &str) -> Result<()> {
    let patch = match source {
        Source::Task => vec![
            ("status".to_owned(), Value::Text("done".into())),
            ("completed_at".to_owned(), Value::Text(super::ids::now())),
            ("snoozed_until".to_owned(), Value::Null),
        ],
        Source::DealAction | Source::InsightAction => {
            vec![("status".to_owned(), Value::Text("done".into()))]
        }
    };
    w.update_row(source.table(), &id_key(id), patch)
}

/// Puts an item out of the queue until `until`. A task keeps its due date and comes back on
/// `until`; a deal action has no such field, so its due date moves; an insight action has no
/// date at all and cannot be snoozed (the caller says so).
pub fn snooze(w: &mut WriteTx<'_>, source: Source, id: &str, until: NaiveDate) -> Result<()> {
    let day = Value::Text(until.to_string());
    let patch = match source {
        Source::Task => vec![("snoozed_until".to_owned(), day)],
        Source::DealAction => vec![("due_dt".to_owned(), day)],
        Source::InsightAction => {
            return Err(FieldError::new(
                "insight_actions",
                "status",
                "has no date to snooze: complete or dismiss it",
            )
            .into());
        }
    };
    w.update_row(source.table(), &id_key(id), patch)
}

/// Gives an item to another user (a task or a deal action; an insight action has no owner).
pub fn reassign(w: &mut WriteTx<'_>, source: Source, id: &str, owner_id: &str) -> Result<()> {
    let column = match source {
        Source::Task => "owner_id",
        Source::DealAction => "owner_user_id",
        Source::InsightAction => {
            return Err(FieldError::new(
                "insight_actions",
                "owner",
                "has no owner: it belongs to the customer's CSM",
            )
            .into());
        }
    };
    w.update_row(
        source.table(),
        &id_key(id),
        vec![(column.to_owned(), Value::Text(owner_id.to_owned()))],
    )
}

/// Creates the missing step tasks of open executions of defined playbooks (`execution`:
/// one execution; None: every open one); returns how many it created. Steps at or before the
/// execution's `current_step` are done already. A step's owner is the customer's CSM, or for
/// a step of another role the workspace's first member of that role (the CSM when there is
/// none); it is due `due_days` after the execution started.
///
/// A step's id is its execution's with the position as the last group: the same execution
/// gives the same ids (generated books are reproducible), and the time and counter groups
/// of a UUIDv7 keep executions apart.
///
/// Derived rows, written through the connection like health: the edit that opened the
/// execution is what the activity log records.
pub fn open_steps(w: &WriteTx<'_>, execution: Option<&str>) -> Result<usize> {
    let filter = if execution.is_some() {
        "AND e.execution_id = ?1"
    } else {
        "AND ?1 IS NULL"
    };
    let sql = format!(
        "INSERT INTO tasks (id, workspace_id, customer_id, title, notes, due_date, owner_id, status,
                            execution_id, step_position, completed_at, created_at, updated_at)
         SELECT substr(e.execution_id, 1, 24) || printf('%012x', s.position),
                e.workspace_id, e.customer_id, s.title, s.exit_criteria,
                date(coalesce(e.started_at, e.created_at), '+' || s.due_days || ' days'),
                CASE WHEN s.owner_role = 'csm' THEN c.csm_id
                     ELSE coalesce((SELECT min(m.user_id) FROM workspace_members m
                                    WHERE m.workspace_id = e.workspace_id
                                      AND m.role = s.owner_role), c.csm_id) END,
                CASE WHEN s.position <= e.current_step THEN 'done' ELSE 'open' END,
                e.execution_id, s.position,
                CASE WHEN s.position <= e.current_step THEN e.updated_at END,
                coalesce(e.started_at, e.created_at), coalesce(e.started_at, e.created_at)
         FROM playbook_executions e
         JOIN customers c ON c.id = e.customer_id
         JOIN playbook_steps s ON s.playbook_id = e.playbook_id
         WHERE e.status = 'in-progress' {filter}
           AND NOT EXISTS (SELECT 1 FROM tasks t
                           WHERE t.execution_id = e.execution_id AND t.step_position = s.position)"
    );
    Ok(w.conn().execute(&sql, [execution])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_names_its_table_and_back() {
        for s in [Source::Task, Source::DealAction, Source::InsightAction] {
            assert_eq!(Source::parse(s.table()), Some(s));
        }
        assert_eq!(Source::parse("calls"), None);
    }
}
