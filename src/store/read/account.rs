//! Everything about one account on one screen (the "account 360"): the customer, its people,
//! contracts and entitlements, recent calls and meetings, insights, open approvals and deals.
//! Each list is capped: the screen shows the latest, the tabs page through the rest.

use rusqlite::{Connection, OptionalExtension};

use crate::store::access::Scope;
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
}

/// The account 360 of `customer_id`, with at most `limit` rows per list; None if no such
/// customer (or it is outside `scope`).
pub fn load(
    conn: &Connection,
    scope: &Scope,
    customer_id: &str,
    limit: usize,
) -> Result<Option<Account>> {
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
        .query_row(rusqlite::params_from_iter(params.iter()), |r| {
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

    Ok(Some(Account {
        header,
        stakeholders,
        contracts: contracts.into_iter().map(|(_, c)| c).collect(),
        interactions,
        insights,
        approvals,
        deals,
    }))
}
