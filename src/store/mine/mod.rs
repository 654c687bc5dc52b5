//! `cscx mine` inside the write path: one analysis job per log mined, in one transaction.
//!
//! The job (`analysis_jobs`, status `running` → `succeeded`) and its `provenance` row go
//! through [`WriteTx::insert_row`]/[`WriteTx::update_row`] like any edit (validated, logged).
//! Its output — a `variants` row per variant, a `cases` row per case, `explainability` rows —
//! is written the way bulk loads write (write_bulk.rs): the actor's permission checked once
//! per table for the job's workspace, then cached prepared statements, one summary entry in
//! `activity_log`. Events are read with a cursor in case order and each case is written as
//! soon as it ends, so memory holds one case and the per-variant aggregates (`crate::mine`).
//!
//! Any error (an unknown analysis, a case without events, a time that is not a time) rolls
//! the transaction back: a failed mining leaves the book as it was, no `failed` job included
//! (docs/mining.md says why).

use crate::store::db::Statement;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;
use serde_json::{Value as Json, json};

use super::error::{FieldError, Result};
use super::ids;
use super::rows::Row;
use super::write::{Activity, WriteTx};
use crate::mine::{self, Config, FinishedCase, Mined, Miner, format_timestamp, parse_timestamp};

mod explain;
mod synthetic;

/// Where the event log comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// The `events` table of one analysis (a system's process log, seed 003)
    Events,
    /// cscx's own history: each customer's stages, calls, meetings, approvals and playbooks
    Journey,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Events => "events",
            Source::Journey => "journey",
        }
    }
}

/// What `cscx mine` was asked.
#[derive(Debug, Clone)]
pub struct MineOptions {
    pub source: Source,
    /// Events: the analysis whose events to mine [default: the newest one with events].
    pub analysis: Option<String>,
    pub success: Option<String>,
    pub failure: Option<String>,
    pub bottlenecks: usize,
}

/// One analysis job written.
#[derive(Debug, Clone)]
pub struct MineReport {
    pub job_id: String,
    pub workspace_id: String,
    pub from_analysis: Option<String>,
    pub mined: Mined,
}

/// The journey's milestones, success and churn (docs/mining.md).
pub const STAGE_PREFIX: &str = "stage:";
pub const JOURNEY_SUCCESS: &str = "stage:renewal";
pub const JOURNEY_FAILURE: &str = "stage:churned";

/// Events of one analysis in case order. Text order is time order for the store's one
/// timestamp form; a log in mixed forms is refused by the miner (out of order), not misread.
/// `idx_events_mine` (0013) covers the query: no table lookup, no sort.
const EVENTS_SQL: &str = "SELECT global_case_id, activity, timestamp, rowid FROM events
  WHERE analysis_id = ?1 ORDER BY global_case_id, timestamp, activity, rowid";

/// Each customer's journey: stage moves from the audit trail (creation and updates naming a
/// stage; a customer whose creation the log lacks starts at its stage as stored), and the
/// touches from their own tables (the trail of a generated or imported book does not hold
/// them, and reading both would count a dashboard edit twice). The `+` keeps the creation
/// probe on the customer's index: on `idx_activity_entity` it read every customer entry of
/// the log once per customer (minutes on 20,000 customers).
const JOURNEY_SQL: &str = "SELECT case_id, activity, at, 0 FROM (
  SELECT a.customer_id AS case_id, 'stage:' || json_extract(a.new_values, '$.stage') AS activity,
         a.created_at AS at, 0 AS k
    FROM activity_log a JOIN customers c ON c.id = a.customer_id
   WHERE c.workspace_id = ?1 AND a.entity_type = 'customers' AND a.action IN ('create', 'update')
     AND json_valid(a.new_values) AND json_extract(a.new_values, '$.stage') IS NOT NULL
  UNION ALL
  SELECT c.id, 'stage:' || c.stage, c.created_at, 0 FROM customers c
   WHERE c.workspace_id = ?1 AND NOT EXISTS (SELECT 1 FROM activity_log a
     WHERE a.customer_id = c.id AND +a.entity_type = 'customers' AND +a.action = 'create')
  UNION ALL
  SELECT customer_id, 'call', coalesce(completed_at, scheduled_at, created_at), 1 FROM calls
   WHERE workspace_id = ?1 AND customer_id IS NOT NULL
  UNION ALL
  SELECT m.customer_id, 'meeting', coalesce(m.scheduled_at, m.created_at), 1
    FROM meetings m JOIN customers c ON c.id = m.customer_id WHERE c.workspace_id = ?1
  UNION ALL
  SELECT s.customer_id, 'approval ' || p.status, coalesce(p.resolved_at, p.created_at), 1
    FROM approvals p JOIN agent_sessions s ON s.id = p.session_id
    JOIN customers c ON c.id = s.customer_id WHERE c.workspace_id = ?1
  UNION ALL
  SELECT x.customer_id, 'playbook:' || x.playbook_id, coalesce(x.started_at, x.created_at), 1
    FROM playbook_executions x WHERE x.workspace_id = ?1 AND x.customer_id IS NOT NULL
  UNION ALL
  SELECT t.customer_id, 'playbook step', t.completed_at, 1 FROM tasks t
   WHERE t.workspace_id = ?1 AND t.execution_id IS NOT NULL AND t.completed_at IS NOT NULL
) ORDER BY case_id, unixepoch(at), k, activity";

/// The prepared inserts of one job's output.
struct Sink<'s> {
    workspace: &'s str,
    job: &'s str,
    variant: Statement<'s>,
    case: Statement<'s>,
}

impl Sink<'_> {
    fn write(&mut self, c: &FinishedCase<'_>) -> Result<()> {
        if c.new_variant {
            // its figures are known at the end; the row must exist before its cases
            self.variant.execute(rusqlite::params![
                self.workspace,
                self.job,
                c.variant_hash,
                c.variant_hash
            ])?;
        }
        self.case.execute(rusqlite::params![
            self.workspace,
            self.job,
            c.case_id,
            format_timestamp(c.start),
            format_timestamp(c.end),
            c.cycle_seconds() as f64,
            c.variant_hash,
            c.variant_hash,
            format!(r#"{{"events":{},"steps":{}}}"#, c.events, c.steps),
        ])?;
        Ok(())
    }
}

fn text<'r>(row: &'r crate::store::db::Row<'_>, i: usize) -> Result<&'r str> {
    Ok(row.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
}

impl WriteTx<'_> {
    /// Mines what `opts` names and writes one analysis job per log.
    pub fn mine(&mut self, opts: &MineOptions) -> Result<Vec<MineReport>> {
        match opts.source {
            Source::Events => {
                let (analysis, workspace) = self.source_analysis(opts.analysis.as_deref())?;
                let config = Config {
                    milestone_prefix: None,
                    success: opts.success.clone(),
                    failure: opts.failure.clone(),
                    bottlenecks: opts.bottlenecks,
                };
                let report = self.mine_one(opts, config, &workspace, Some(&analysis))?;
                Ok(vec![report])
            }
            Source::Journey => {
                if opts.analysis.is_some() {
                    return Err(FieldError::new(
                        "mine",
                        "analysis",
                        "only --source events reads an analysis",
                    )
                    .into());
                }
                let config = Config {
                    milestone_prefix: Some(STAGE_PREFIX.into()),
                    success: Some(opts.success.clone().unwrap_or(JOURNEY_SUCCESS.into())),
                    failure: Some(opts.failure.clone().unwrap_or(JOURNEY_FAILURE.into())),
                    bottlenecks: opts.bottlenecks,
                };
                let mut out = Vec::new();
                for workspace in self.journey_workspaces()? {
                    out.push(self.mine_one(opts, config.clone(), &workspace, None)?);
                }
                if out.is_empty() {
                    return Err(
                        FieldError::new("mine", "source", "no customer has a journey yet")
                            .with_value("journey")
                            .into(),
                    );
                }
                Ok(out)
            }
        }
    }

    /// The analysis whose events are mined, and its workspace; checks it has events and that
    /// every case it lists has some.
    fn source_analysis(&self, wanted: Option<&str>) -> Result<(String, String)> {
        let scope = self.actor().workspace_id.clone();
        let found: Option<(String, String)> = match wanted {
            Some(id) => self
                .conn()
                .query_row(
                    "SELECT id, workspace_id FROM analysis_jobs
                      WHERE id = ?1 AND (?2 IS NULL OR workspace_id = ?2)",
                    rusqlite::params![id, scope],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?,
            None => self
                .conn()
                .query_row(
                    "SELECT j.id, j.workspace_id FROM analysis_jobs j
                      WHERE (?1 IS NULL OR j.workspace_id = ?1)
                        AND EXISTS (SELECT 1 FROM events e WHERE e.analysis_id = j.id)
                      ORDER BY j.created_at DESC, j.id DESC LIMIT 1",
                    [scope],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?,
        };
        let Some((analysis, workspace)) = found else {
            return Err(match wanted {
                Some(id) => {
                    FieldError::new("mine", "analysis", "no such analysis job").with_value(id)
                }
                None => FieldError::new("events", "analysis_id", "no analysis has events to mine"),
            }
            .into());
        };
        let has_events: Option<i64> = self
            .conn()
            .query_row(
                "SELECT 1 FROM events WHERE analysis_id = ?1 LIMIT 1",
                [&analysis],
                |r| r.get(0),
            )
            .optional()?;
        if has_events.is_none() {
            return Err(
                FieldError::new("events", "analysis_id", "this analysis has no events")
                    .with_value(analysis)
                    .into(),
            );
        }
        let empty: Option<String> = self
            .conn()
            .query_row(
                "SELECT c.global_case_id FROM cases c WHERE c.analysis_id = ?1 AND NOT EXISTS
                   (SELECT 1 FROM events e WHERE e.analysis_id = c.analysis_id
                       AND e.global_case_id = c.global_case_id)
                 ORDER BY c.global_case_id LIMIT 1",
                [&analysis],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(case) = empty {
            return Err(FieldError::new(
                "cases",
                "global_case_id",
                format!("case of analysis {analysis} has no events"),
            )
            .with_value(case)
            .into());
        }
        Ok((analysis, workspace))
    }

    /// The workspaces in scope that have customers, in id order.
    fn journey_workspaces(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare(
            "SELECT w.id FROM workspaces w WHERE (?1 IS NULL OR w.id = ?1)
               AND EXISTS (SELECT 1 FROM customers c WHERE c.workspace_id = w.id) ORDER BY w.id",
        )?;
        let rows = stmt.query_map([self.actor().workspace_id.clone()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The actor may write `table` in `workspace` (checked once for all of a job's rows).
    fn may_write(&self, table: &str, workspace: &str, job: &str) -> Result<()> {
        self.set_verb("create");
        let t = self.table(table)?;
        let row: Row = vec![
            ("workspace_id".into(), Value::Text(workspace.to_owned())),
            ("analysis_id".into(), Value::Text(job.to_owned())),
        ];
        self.check_scope_of(Some(workspace), t, &row)
    }

    fn mine_one(
        &mut self,
        opts: &MineOptions,
        config: Config,
        workspace: &str,
        from: Option<&str>,
    ) -> Result<MineReport> {
        let started = ids::now();
        let job = ids::new_id();
        let parameters = json!({
            "source": opts.source.as_str(),
            "analysis": from,
            "success": config.success,
            "failure": config.failure,
            "milestone_prefix": config.milestone_prefix,
            "bottlenecks": config.bottlenecks,
        });
        self.insert_row(
            "analysis_jobs",
            vec![
                ("id".into(), Value::Text(job.clone())),
                ("workspace_id".into(), Value::Text(workspace.to_owned())),
                ("status".into(), Value::Text("running".into())),
                ("created_at".into(), Value::Text(started.clone())),
                ("started_at".into(), Value::Text(started.clone())),
                ("parameters".into(), Value::Text(parameters.to_string())),
            ],
        )?;
        for table in ["variants", "cases", "explainability"] {
            self.may_write(table, workspace, &job)?;
        }
        let mined = self.stream(config.clone(), workspace, &job, from)?;
        self.write_variants(&job, &mined)?;
        let explained = self.write_explainability(&job, workspace, &mined, &config)?;
        let provenance = mine::derived_id(&[&job, "provenance"]);
        self.insert_row(
            "provenance",
            vec![
                ("id".into(), Value::Text(provenance.clone())),
                ("analysis_id".into(), Value::Text(job.clone())),
                ("workspace_id".into(), Value::Text(workspace.to_owned())),
                (
                    "etl_steps".into(),
                    Value::Text(etl_steps(opts.source, from, &mined).to_string()),
                ),
                (
                    "schemas".into(),
                    Value::Text(json!({"events": "cscx 0001 events", "journey": "cscx activity_log + calls, meetings, approvals, playbook_executions, tasks"}).to_string()),
                ),
                ("mining_config".into(), Value::Text(parameters.to_string())),
                (
                    "explainability_config".into(),
                    Value::Text(json!({
                        "cycle_time": "mean cycle time of cases with each activity minus without",
                        "outcome": "bad-outcome rate with each activity / without (lift)",
                        "bottlenecks": config.bottlenecks,
                        "rows": explained,
                    })
                    .to_string()),
                ),
                ("created_at".into(), Value::Text(started.clone())),
            ],
        )?;
        let key = vec![("id".to_owned(), Value::Text(job.clone()))];
        self.update_row(
            "analysis_jobs",
            &key,
            vec![
                ("status".into(), Value::Text("succeeded".into())),
                ("finished_at".into(), Value::Text(ids::now())),
                ("provenance_id".into(), Value::Text(provenance)),
            ],
        )?;
        self.log(Activity {
            action: "mine".into(),
            entity_type: Some("analysis_jobs".into()),
            entity_id: Some(job.clone()),
            customer_id: None,
            workspace_id: Some(workspace.to_owned()),
            old_values: None,
            new_values: Some(json!({
                "source": opts.source.as_str(),
                "events": mined.events,
                "cases": mined.cases,
                "variants": mined.variants.len(),
            })),
        })?;
        Ok(MineReport {
            job_id: job,
            workspace_id: workspace.to_owned(),
            from_analysis: from.map(str::to_owned),
            mined,
        })
    }

    /// Reads the log with a cursor, writing each case as it ends.
    fn stream(
        &self,
        config: Config,
        workspace: &str,
        job: &str,
        from: Option<&str>,
    ) -> Result<Mined> {
        let conn = self.conn();
        let mut sink = Sink {
            workspace,
            job,
            variant: conn.prepare(
                "INSERT INTO variants (workspace_id, analysis_id, variant_id, variant_hash, frequency)
                 VALUES (?1, ?2, ?3, ?4, 0)",
            )?,
            case: conn.prepare(
                "INSERT INTO cases (workspace_id, analysis_id, global_case_id, start_ts, end_ts,
                   cycle_time_seconds, variant_id, variant_hash, feature_vector)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?,
        };
        let (sql, table, param) = match from {
            Some(analysis) => (EVENTS_SQL, "events", analysis),
            None => (JOURNEY_SQL, "journey", workspace),
        };
        let mut read = conn.prepare(sql)?;
        let mut rows = read.query([param])?;
        let mut miner = Miner::new(config);
        let mut done = |c: FinishedCase<'_>| sink.write(&c);
        while let Some(r) = rows.next()? {
            let r = &r;
            let case = text(r, 0)?;
            let activity = text(r, 1)?;
            let at = match r.get_ref(2)? {
                rusqlite::types::ValueRef::Text(t) => {
                    std::str::from_utf8(t).ok().and_then(parse_timestamp)
                }
                _ => None,
            };
            let Some(at) = at else {
                let shown = match r.get_ref(2)? {
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    _ => "NULL".to_owned(),
                };
                let column = if table == "events" { "timestamp" } else { "at" };
                return Err(FieldError::new(
                    table,
                    column,
                    format!("case {case}, activity {activity}: not an ISO-8601 time"),
                )
                .with_value(shown)
                .into());
            };
            miner.push(case, activity, at, &mut done)?;
        }
        let mined = miner.finish(&mut done)?;
        if mined.cases == 0 {
            return Err(FieldError::new(table, "activity", "no events to mine").into());
        }
        Ok(mined)
    }

    fn write_variants(&self, job: &str, mined: &Mined) -> Result<()> {
        let mut update = self.conn().prepare(
            "UPDATE variants SET frequency = ?3, avg_cycle_time_seconds = ?4, is_happy_path = ?5,
               metadata = ?6 WHERE analysis_id = ?1 AND variant_id = ?2",
        )?;
        for (rank, v) in mined.variants.iter().enumerate() {
            let metadata = json!({
                "rank": rank + 1,
                "activities": v.activities,
                "steps": v.activities.len(),
                "min_cycle_seconds": v.min_cycle,
                "max_cycle_seconds": v.max_cycle,
                "successful": v.successful,
            });
            update.execute(rusqlite::params![
                job,
                v.hash,
                v.frequency as i64,
                v.avg_cycle(),
                i64::from(v.happy),
                metadata.to_string()
            ])?;
        }
        Ok(())
    }
}

/// Seconds as the largest whole unit that reads well: `3.5 d`, `4.0 h`, `12 min`, `40 s`.
pub fn duration(seconds: f64) -> String {
    if seconds >= 86_400.0 {
        format!("{:.1} d", seconds / 86_400.0)
    } else if seconds >= 3_600.0 {
        format!("{:.1} h", seconds / 3_600.0)
    } else if seconds >= 60.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{seconds:.0} s")
    }
}

fn etl_steps(source: Source, from: Option<&str>, mined: &Mined) -> Json {
    let read = match from {
        Some(a) => format!("events of analysis {a}, in case and time order"),
        None => {
            "each customer's stages (activity_log), calls, meetings, approvals, playbooks".into()
        }
    };
    json!([
        {"step": "read", "source": source.as_str(), "what": read, "events": mined.events},
        {"step": "group into cases", "cases": mined.cases},
        {"step": "variants", "variants": mined.variants.len(),
         "happy_path": mined.happy_path().map(|v| v.hash.clone())},
        {"step": "bottlenecks and explainability", "bottlenecks": mined.bottlenecks.len()},
    ])
}
