//! Executions moving on with their step tasks: `current_step`, completion with the
//! `playbook_reports` row, cancellation.

use super::*;

/// Brings an execution of a defined playbook up to date with its step tasks: `current_step`
/// counts the done steps; all done completes it with its report; a cancelled or failed one
/// cancels its open steps and gets its report. Returns the execution's customer.
pub fn sync(w: &mut WriteTx<'_>, execution_id: &str, clock: &Clock) -> Result<Option<String>> {
    let row: Option<(String, i64, String, Option<String>)> = w
        .conn()
        .prepare_cached(
            "SELECT status, current_step, playbook_id, customer_id FROM playbook_executions
             WHERE execution_id = ?1",
        )?
        .query_row([execution_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((status, current, playbook, customer)) = row else {
        return Ok(None);
    };
    let total: i64 = w.conn().query_row(
        "SELECT count(*) FROM playbook_steps WHERE playbook_id = ?1",
        [&playbook],
        |r| r.get(0),
    )?;
    if total == 0 {
        return Ok(customer); // a history's execution of a playbook cscx has no definition of
    }
    let done: i64 = w.conn().query_row(
        "SELECT count(*) FROM tasks WHERE execution_id = ?1 AND status = 'done'",
        [execution_id],
        |r| r.get(0),
    )?;
    match status.as_str() {
        "in-progress" => {
            if done >= total {
                w.conn()
                    .prepare_cached(
                        "UPDATE playbook_executions SET status = 'completed', current_step = ?2,
                           completed_at = ?3, updated_at = ?3,
                           execution_data = json_set(execution_data, '$.steps_done', ?2)
                         WHERE execution_id = ?1",
                    )?
                    .execute(params![execution_id, done, clock.now])?;
                report(w, execution_id, clock)?;
            } else if done != current {
                w.conn()
                    .prepare_cached(
                        "UPDATE playbook_executions SET current_step = ?2, updated_at = ?3,
                           execution_data = json_set(execution_data, '$.steps_done', ?2)
                         WHERE execution_id = ?1",
                    )?
                    .execute(params![execution_id, done, clock.now])?;
            }
        }
        "cancelled" | "failed" => {
            let cancelled = w.conn().execute(
                "UPDATE tasks SET status = 'cancelled', snoozed_until = NULL, updated_at = ?2
                 WHERE execution_id = ?1 AND status = 'open'",
                params![execution_id, clock.now],
            )?;
            let reported: bool = w
                .conn()
                .query_row(
                    "SELECT 1 FROM playbook_reports WHERE execution_id = ?1",
                    [execution_id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if cancelled > 0 || !reported {
                w.conn().execute(
                    "UPDATE playbook_executions SET current_step = ?2,
                       completed_at = coalesce(completed_at, ?3)
                     WHERE execution_id = ?1",
                    params![execution_id, done, clock.now],
                )?;
                report(w, execution_id, clock)?;
            }
        }
        _ => {}
    }
    Ok(customer)
}

/// Writes (or rewrites) the report of a finished execution: RACI and exit criteria from the
/// definition, each step's outcome, duration, steps done of total, the account's name now.
pub(super) fn report(w: &mut WriteTx<'_>, execution_id: &str, clock: &Clock) -> Result<()> {
    let conn = w.conn();
    type Head = (
        String,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
    );
    let head: Option<Head> = conn
        .query_row(
            "SELECT e.workspace_id, e.customer_id, e.playbook_id, e.status,
                    coalesce(e.started_at, e.created_at), e.completed_at, e.execution_data,
                    coalesce(c.name, '')
             FROM playbook_executions e LEFT JOIN customers c ON c.id = e.customer_id
             WHERE e.execution_id = ?1",
            [execution_id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )
        .optional()?;
    let Some((ws, customer, playbook, status, started, completed, data, account)) = head else {
        return Ok(());
    };
    let (name, raci, exit): (String, String, Option<String>) = conn.query_row(
        "SELECT name, raci, exit_criteria FROM playbooks WHERE playbook_id = ?1",
        [&playbook],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT s.position, s.title, s.owner_role, s.exit_criteria, t.status, t.completed_at,
                t.owner_id
         FROM playbook_steps s
         LEFT JOIN tasks t ON t.execution_id = ?2 AND t.step_position = s.position
         WHERE s.playbook_id = ?1 ORDER BY s.position",
    )?;
    let outcomes: Vec<Json> = stmt
        .query_map([&playbook, &execution_id.to_owned()], |r| {
            Ok(json!({
                "step": r.get::<_, i64>(0)?,
                "title": r.get::<_, String>(1)?,
                "owner_role": r.get::<_, String>(2)?,
                "exit_criteria": r.get::<_, Option<String>>(3)?,
                "status": r.get::<_, Option<String>>(4)?,
                "completed_at": r.get::<_, Option<String>>(5)?,
                "owner_id": r.get::<_, Option<String>>(6)?,
            }))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let total = outcomes.len() as i64;
    let done = outcomes
        .iter()
        .filter(|o| o["status"] == json!("done"))
        .count() as i64;
    let end = completed.unwrap_or_else(|| clock.now.clone());
    let duration = match (
        chrono::DateTime::parse_from_rfc3339(&started),
        chrono::DateTime::parse_from_rfc3339(&end),
    ) {
        (Ok(a), Ok(b)) => Some((b - a).num_seconds().max(0)),
        _ => None,
    };
    let data: Json = serde_json::from_str(&data).unwrap_or(Json::Null);
    let report = json!({
        "raci": serde_json::from_str::<Json>(&raci).unwrap_or(Json::Null),
        "exit_criteria": exit,
        "outcomes": outcomes,
        "trigger": data.get("trigger"),
        "rule": data.get("rule"),
        "values": data.get("values"),
    });
    drop(stmt);
    conn.prepare_cached(
        "INSERT INTO playbook_reports (id, execution_id, workspace_id, customer_id, playbook_id,
           playbook_name, account_name, status, report_data, duration, steps_completed,
           total_steps, started_at, completed_at, report_generated_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?15)
         ON CONFLICT (execution_id) DO UPDATE SET status = excluded.status,
           report_data = excluded.report_data, duration = excluded.duration,
           steps_completed = excluded.steps_completed, total_steps = excluded.total_steps,
           completed_at = excluded.completed_at, account_name = excluded.account_name,
           report_generated_at = excluded.report_generated_at, updated_at = excluded.updated_at",
    )?
    .execute(params![
        crate::store::ids::new_id(),
        execution_id,
        ws,
        customer,
        playbook,
        name,
        account,
        status,
        report.to_string(),
        duration,
        done,
        total,
        started,
        end,
        clock.now
    ])?;
    w.log(Activity {
        action: format!("playbook_{status}"),
        entity_type: Some("playbook_executions".into()),
        entity_id: Some(execution_id.to_owned()),
        customer_id: customer,
        workspace_id: Some(ws),
        old_values: None,
        new_values: Some(json!({"playbook_id": playbook, "steps_completed": done,
                                "total_steps": total, "duration": duration})),
    })?;
    Ok(())
}

/// Cancels an open execution through the write path (access decides, the change is logged
/// and undoable); the hook then cancels its open step tasks and writes its report.
pub fn cancel(w: &mut WriteTx<'_>, execution_id: &str) -> Result<()> {
    let id: Option<(i64, String)> = w
        .conn()
        .query_row(
            "SELECT id, status FROM playbook_executions WHERE execution_id = ?1",
            [execution_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((rowid, status)) = id else {
        return Err(StoreError::NotFound {
            entity: "playbook execution".into(),
            id: execution_id.to_owned(),
        });
    };
    if status != "in-progress" {
        return Ok(());
    }
    w.update_row(
        "playbook_executions",
        &vec![("id".to_owned(), Value::Integer(rowid))],
        vec![
            ("status".to_owned(), Value::Text("cancelled".into())),
            (
                "completed_at".to_owned(),
                Value::Text(crate::store::ids::now()),
            ),
        ],
    )
}
