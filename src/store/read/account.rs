//! Everything about one account on one screen (the "account 360"): the customer, its people,
//! contracts and entitlements, recent calls and meetings, insights, open approvals and deals.
//! Each list is capped: the screen shows the latest, the tabs page through the rest.

use super::reader::Reader;
use rusqlite::OptionalExtension;

use crate::store::error::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub id: String,
    pub name: String,
    pub workspace: String,
    pub workspace_id: String,
    pub arr_cents: Option<i64>,
    pub stage: String,
    pub status: String,
    pub health_score: Option<i64>,
    pub csm: Option<String>,
    pub renewal_date: Option<String>,
    pub open_approvals: i64,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub tier: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub is_primary: bool,
    pub sentiment: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub name: Option<String>,
    pub status: String,
    pub arr_cents: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// (name, quantity, unit)
    pub entitlements: Vec<(String, Option<i64>, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// `call` or `meeting`
    pub kind: &'static str,
    pub when: Option<String>,
    pub title: String,
    pub status: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InsightRow {
    pub kind: String,
    pub importance: String,
    pub status: String,
    pub content: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalRow {
    pub id: String,
    pub agent_id: String,
    pub action: String,
    pub details: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DealRow {
    pub name: Option<String>,
    pub stage: String,
    pub amount_cents: Option<i64>,
    pub close_dt: Option<String>,
}

/// An open task on the account (a playbook step names its playbook).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    pub title: String,
    pub due: Option<String>,
    pub owner: Option<String>,
    pub playbook: Option<String>,
}

/// A playbook run for the account, newest first, with its report when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookRow {
    pub name: String,
    pub status: String,
    pub steps_done: i64,
    pub steps_total: i64,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
    /// Why it fired, in words (`health_below red: health 38.2`), when it says.
    pub why: Option<String>,
    /// The report: duration in seconds, who was responsible, the outcome.
    pub report: Option<Report>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub duration_secs: Option<i64>,
    pub steps_completed: i64,
    pub total_steps: i64,
    pub responsible: Option<String>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub header: Header,
    pub stakeholders: Vec<Person>,
    pub contracts: Vec<Contract>,
    /// Calls and meetings, newest first.
    pub interactions: Vec<Interaction>,
    pub insights: Vec<InsightRow>,
    pub approvals: Vec<ApprovalRow>,
    pub deals: Vec<DealRow>,
    pub tasks: Vec<TaskRow>,
    pub playbooks: Vec<PlaybookRow>,
    /// Who did what to the account, newest first (`activity_log`).
    pub timeline: Vec<super::timeline::Event>,
}

/// The account 360 of `customer_id`, with at most `limit` rows per list; None if no such
/// customer (or it is outside `scope`).
pub fn load(r: &Reader<'_>, customer_id: &str, limit: usize) -> Result<Option<Account>> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = vec![rusqlite::types::Value::Text(customer_id.to_owned())];
    let visible = scope.customers_sql("c", &mut params);
    let header = conn
        .prepare_cached(&format!(
            "SELECT c.id, c.name, w.name, c.arr_cents, c.stage, c.status, c.health_score,
                    u.name, c.renewal_date, c.open_approvals, c.industry, c.region, c.tier,
                    c.workspace_id
             FROM customers c JOIN workspaces w ON w.id = c.workspace_id
             LEFT JOIN users u ON u.id = c.csm_id
             WHERE c.id = ?1 AND {visible}"
        ))?
        .query_row(crate::store::db::params_from_iter(params.iter()), |r| {
            Ok(Header {
                id: r.get(0)?,
                name: r.get(1)?,
                workspace: r.get(2)?,
                arr_cents: r.get(3)?,
                stage: r.get(4)?,
                status: r.get(5)?,
                health_score: r.get(6)?,
                csm: r.get(7)?,
                renewal_date: r.get(8)?,
                open_approvals: r.get(9)?,
                industry: r.get(10)?,
                region: r.get(11)?,
                tier: r.get(12)?,
                workspace_id: r.get(13)?,
            })
        })
        .optional()?;
    let Some(header) = header else {
        return Ok(None);
    };
    let n = limit as i64;
    let p = rusqlite::params![customer_id, n];

    let stakeholders = conn
        .prepare_cached(
            "SELECT name, role, email, is_primary, sentiment FROM stakeholders
             WHERE customer_id = ?1 ORDER BY is_primary DESC, name LIMIT ?2",
        )?
        .query_map(p, |r| {
            Ok(Person {
                name: r.get(0)?,
                role: r.get(1)?,
                email: r.get(2)?,
                is_primary: r.get::<_, i64>(3)? != 0,
                sentiment: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut contracts: Vec<(String, Contract)> = conn
        .prepare_cached(
            "SELECT id, ifnull(file_name, contract_term), status, arr_cents, start_date, end_date
             FROM contracts WHERE customer_id = ?1
             ORDER BY status = 'active' DESC, ifnull(end_date, '9999-12-31') DESC LIMIT ?2",
        )?
        .query_map(p, |r| {
            Ok((
                r.get(0)?,
                Contract {
                    name: r.get(1)?,
                    status: r.get(2)?,
                    arr_cents: r.get(3)?,
                    start_date: r.get(4)?,
                    end_date: r.get(5)?,
                    entitlements: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut ents = conn.prepare_cached(
        "SELECT name, quantity, unit FROM entitlements WHERE contract_id = ?1 ORDER BY name LIMIT ?2",
    )?;
    for (id, contract) in &mut contracts {
        contract.entitlements = ents
            .query_map(rusqlite::params![id.as_str(), n], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
    }

    // the latest calls by their own date (`calls::WHEN`, indexed per customer): ordered by
    // completed_at, a call not completed (rescheduled, to come) sorted last and could be cut
    // by the limit however recent it is
    let when = super::calls::WHEN;
    let mut interactions: Vec<Interaction> = conn
        .prepare_cached(&format!(
            "SELECT {when}, k.prospect_name,
                    k.call_type || ' · ' || k.status || ifnull(' · ' || k.outcome, ''), k.notes
             FROM calls k WHERE k.customer_id = ?1
             ORDER BY {when} DESC, k.id DESC LIMIT ?2"
        ))?
        .query_map(p, |r| {
            Ok(Interaction {
                kind: "call",
                when: r.get(0)?,
                title: r.get(1)?,
                status: r.get(2)?,
                detail: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let meetings: Vec<Interaction> = conn
        .prepare_cached(
            "SELECT scheduled_at, title, status, description FROM meetings
             WHERE customer_id = ?1 ORDER BY scheduled_at DESC LIMIT ?2",
        )?
        .query_map(p, |r| {
            Ok(Interaction {
                kind: "meeting",
                when: r.get(0)?,
                title: r.get(1)?,
                status: r.get(2)?,
                detail: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    interactions.extend(meetings);
    interactions.sort_by(|a, b| b.when.cmp(&a.when));
    interactions.truncate(limit);

    let insights = conn
        .prepare_cached(
            "SELECT type, importance, status, content, created_at FROM insights
             WHERE customer_id = ?1 ORDER BY created_at DESC LIMIT ?2",
        )?
        .query_map(p, |r| {
            Ok(InsightRow {
                kind: r.get(0)?,
                importance: r.get(1)?,
                status: r.get(2)?,
                content: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let approvals = conn
        .prepare_cached(
            "SELECT a.id, a.agent_id, a.action, a.details, a.created_at
             FROM agent_sessions s JOIN approvals a ON a.session_id = s.id
             WHERE s.customer_id = ?1 AND a.status = 'pending'
             ORDER BY a.created_at LIMIT ?2",
        )?
        .query_map(p, |r| {
            Ok(ApprovalRow {
                id: r.get(0)?,
                agent_id: r.get(1)?,
                action: r.get(2)?,
                details: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let deals = conn
        .prepare_cached(
            "SELECT name, stage, amount_cents, close_dt FROM deals WHERE customer_id = ?1
             ORDER BY stage IN ('closed_won', 'closed_lost'), ifnull(close_dt, '9999-12-31') LIMIT ?2",
        )?
        .query_map(p, |r| {
            Ok(DealRow {
                name: r.get(0)?,
                stage: r.get(1)?,
                amount_cents: r.get(2)?,
                close_dt: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let tasks = conn
        .prepare_cached(
            "SELECT t.title, t.due_date, u.name,
                    (SELECT p.name || ' ' || t.step_position FROM playbook_executions e
                     JOIN playbooks p ON p.playbook_id = e.playbook_id
                     WHERE e.execution_id = t.execution_id)
             FROM tasks t LEFT JOIN users u ON u.id = t.owner_id
             WHERE t.customer_id = ?1 AND t.status = 'open'
             ORDER BY t.due_date IS NULL, t.due_date, t.title LIMIT ?2",
        )?
        .query_map(p, |r| {
            Ok(TaskRow {
                title: r.get(0)?,
                due: r.get(1)?,
                owner: r.get(2)?,
                playbook: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let playbooks = conn
        .prepare_cached(
            "SELECT coalesce(p.name, e.playbook_id), e.status, e.current_step,
                    coalesce(nullif((SELECT count(*) FROM playbook_steps s
                                     WHERE s.playbook_id = e.playbook_id), 0),
                             json_extract(e.execution_data, '$.steps_total'),
                             json_array_length(e.execution_data, '$.steps'), e.current_step),
                    e.started_at, e.completed_at, e.execution_data,
                    r.duration, r.steps_completed, r.total_steps, r.report_data, p.raci
             FROM playbook_executions e
             LEFT JOIN playbooks p ON p.playbook_id = e.playbook_id
             LEFT JOIN playbook_reports r ON r.execution_id = e.execution_id
             WHERE e.customer_id = ?1
             ORDER BY e.status <> 'in-progress', coalesce(e.started_at, e.created_at) DESC, e.playbook_id
             LIMIT ?2",
        )?
        .query_map(p, |r| {
            let data: Option<String> = r.get(6)?;
            let report_data: Option<String> = r.get(10)?;
            let raci: Option<String> = r.get(11)?;
            let steps_completed: Option<i64> = r.get(8)?;
            Ok(PlaybookRow {
                name: r.get(0)?,
                status: r.get(1)?,
                steps_done: r.get(2)?,
                steps_total: r.get(3)?,
                started_at: r.get(4)?,
                completed_at: r.get(5)?,
                why: data.as_deref().and_then(why_fired),
                report: steps_completed.map(|done| Report {
                    duration_secs: r.get(7).ok().flatten(),
                    steps_completed: done,
                    total_steps: r.get(9).unwrap_or(done),
                    responsible: responsible(report_data.as_deref(), raci.as_deref()),
                    outcome: report_data
                        .as_deref()
                        .and_then(|d| json_text(d, &["outcome", "summary", "exit_criteria"])),
                }),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let timeline = super::timeline::of_customer(conn, customer_id, limit)?;

    Ok(Some(Account {
        header,
        timeline,
        tasks,
        playbooks,
        stakeholders,
        contracts: contracts.into_iter().map(|(_, c)| c).collect(),
        interactions,
        insights,
        approvals,
        deals,
    }))
}

/// The first of `keys` that `json` (an object) holds as text: a report's outcome in words
/// (structured outcomes, one per step, are for `cscx explain` and the export, not a line).
fn json_text(json: &str, keys: &[&str]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    keys.iter()
        .find_map(|k| v.get(*k)?.as_str().map(str::to_owned))
}

/// Who was responsible: the report's RACI, else the definition's (a role).
fn responsible(report: Option<&str>, raci: Option<&str>) -> Option<String> {
    let from = |json: Option<&str>| -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(json?).ok()?;
        let r = v.get("raci").unwrap_or(&v).get("responsible")?;
        r.as_str().map(str::to_owned)
    };
    from(report).or_else(|| from(raci))
}

/// Why an execution fired, from its `execution_data`: the rule (`when` and its settings)
/// and the values at that moment, in one line; or how it was started (`manual`).
pub fn why_fired(data: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(data).ok()?;
    let pairs = |o: &serde_json::Value| -> String {
        o.as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| match v {
                        serde_json::Value::String(s) => format!("{k} {s}"),
                        other => format!("{k} {other}"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    match (v.get("rule"), v.get("values")) {
        (Some(rule), values) => {
            let when = rule.get("when").and_then(|w| w.as_str()).unwrap_or("rule");
            let mut settings = rule.clone();
            if let Some(m) = settings.as_object_mut() {
                m.remove("when");
                m.remove("playbook");
            }
            let mut s = when.replace('_', " ");
            let set = pairs(&settings);
            if !set.is_empty() {
                s.push_str(&format!(" ({set})"));
            }
            if let Some(values) = values {
                let at = pairs(values);
                if !at.is_empty() {
                    s.push_str(&format!(": {at}"));
                }
            }
            Some(s)
        }
        (None, _) => v
            .get("trigger")
            .and_then(|t| t.as_str())
            .map(|t| format!("{t} start")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn why_a_playbook_fired_reads_as_the_rule_and_the_values() {
        assert_eq!(
            why_fired(
                r#"{"trigger":"auto","rule":{"when":"health_below","band":"red","playbook":"renewal-risk"},"values":{"health":38.2,"band":"red"}}"#
            )
            .as_deref(),
            Some("health below (band red): band red, health 38.2")
        );
        assert_eq!(
            why_fired(r#"{"trigger":"manual","steps_total":4}"#).as_deref(),
            Some("manual start")
        );
        assert_eq!(why_fired("{}"), None);
        assert_eq!(why_fired("not json"), None);
    }

    #[test]
    fn the_report_names_who_was_responsible() {
        assert_eq!(
            responsible(Some(r#"{"raci":{"responsible":"Lisa Turtle"}}"#), None).as_deref(),
            Some("Lisa Turtle")
        );
        assert_eq!(
            responsible(None, Some(r#"{"responsible":"csm"}"#)).as_deref(),
            Some("csm")
        );
    }
}
