//! Agent sessions, their message threads and the approvals agents asked for. Recent
//! sessions are often still active with approvals pending; older ones are completed with
//! their approvals resolved (a rejection always says why).

use std::fmt::Write as _;

use super::Gen;
use super::clock::{Clock, DAY, HOUR, MINUTE, Ts};
use super::ids::Id;
use super::profile::Profile;
use super::rng::Rng;
use crate::store::error::Result;

pub const AGENT_SESSIONS: &str = "\
    id customer_id user_id status active_agent deployed_agents context created_at \
    updated_at ended_at";
pub const AGENT_MESSAGES: &str = "\
    id session_id agent_id role content thinking requires_approval deployed_agent \
    tool_calls metadata created_at";
pub const APPROVALS: &str = "\
    id session_id agent_id action details status resolved_by resolved_at comment \
    metadata created_at";

const AGENTS: &[&str] = &["onboarding", "renewal", "adoption", "support", "expansion"];

/// A session to write. Approvals: statuses of the approvals it raised.
pub struct Planned {
    pub start: i64,
    pub status: &'static str,
    pub messages: i64,
    pub approvals: Vec<&'static str>,
}

pub fn plan(rng: &mut Rng, p: &Profile, clock: &Clock) -> Vec<Planned> {
    if p.prospect {
        return Vec::new();
    }
    let count = (1 + rng.poisson(1.5 * p.activity)).min(6);
    let mut out: Vec<Planned> = (0..count)
        .map(|_| {
            let start = p.interaction_time(rng, clock) - rng.int(0, 2 * HOUR);
            let start = start.max(p.created);
            let recent = clock.now - start < 7 * DAY;
            let status = if recent {
                *rng.weighted(&[("active", 55), ("paused", 15), ("completed", 30)])
            } else {
                *rng.weighted(&[("completed", 85), ("failed", 8), ("paused", 7)])
            };
            let open = status == "active" || status == "paused";
            let approvals = (0..rng.poisson(0.7).min(3))
                .map(|_| {
                    if open && rng.chance(0.75) {
                        "pending"
                    } else if rng.chance(0.75) {
                        "approved"
                    } else {
                        "rejected"
                    }
                })
                .collect();
            Planned {
                start,
                status,
                messages: rng.int(3, 12),
                approvals,
            }
        })
        .collect();
    out.sort_by_key(|s| s.start);
    out
}

/// Pending approvals across the sessions: the customer's `open_approvals`.
pub fn pending(sessions: &[Planned]) -> i64 {
    sessions
        .iter()
        .flat_map(|s| &s.approvals)
        .filter(|a| **a == "pending")
        .count() as i64
}

const USER_ASKS: &[&str] = &[
    "Summarise the open support issues for this account.",
    "Draft a renewal email to the primary contact.",
    "What changed in their product usage this month?",
    "Prepare an outline for the quarterly business review.",
    "Which stakeholders have we not spoken to in 60 days?",
    "Suggest next steps to raise feature adoption.",
    "Is there expansion potential in the analytics add-on?",
];
const AGENT_REPLIES: &[&str] = &[
    "Here is a summary: three open tickets, one escalated, average resolution 41 hours.",
    "I drafted the email below; it highlights the outcomes from the last two quarters.",
    "Monthly active users dropped 12% while API calls grew; the drop is in one team.",
    "Outline: goals recap, adoption metrics, support review, roadmap, next steps.",
    "Two stakeholders have had no contact in 60 days: the CFO and the IT lead.",
    "Recommend a workflow training and a check-in with the admin next week.",
    "Licence utilisation is at 92%; an expansion conversation is timely.",
];
const THINKING: &[&str] = &[
    "Checking the CRM record and the last three meetings...",
    "Comparing this month's usage with the trailing average...",
    "Looking for related knowledge base articles...",
];
const TOOLS: &[&str] = &[
    "crm.get_account",
    "usage.monthly",
    "tickets.search",
    "calendar.find_slot",
    "email.draft",
];
const ACTIONS: &[(&str, &str)] = &[
    (
        "send_email",
        "Send the drafted renewal email to the primary contact",
    ),
    (
        "offer_discount",
        "Offer a 10% multi-year discount on renewal",
    ),
    ("schedule_meeting", "Book a 45-minute QBR next week"),
    (
        "update_crm",
        "Move the opportunity to the negotiation stage",
    ),
    (
        "escalate_ticket",
        "Escalate the oldest open ticket to engineering",
    ),
];
const REJECTIONS: &[&str] = &[
    "Too early; wait for the usage review.",
    "Discount not approved by finance.",
    "The contact is on leave until next month.",
    "Wrong recipient; use the new champion.",
];

/// Writes the planned sessions; returns their ids (meetings may link to them).
pub fn write(g: &mut Gen<'_>, rng: &mut Rng, p: &Profile, sessions: &[Planned]) -> Result<Vec<Id>> {
    let mut ids = Vec::with_capacity(sessions.len());
    for s in sessions {
        let id = g.ids.next_id();
        ids.push(id);
        let agent = *rng.pick(AGENTS);
        // the messages' times first: the session row carries the last one
        let mut times = [0i64; 12];
        let mut t = s.start;
        for slot in times.iter_mut().take(s.messages as usize) {
            *slot = t.min(g.clock.now - 1);
            t += rng.int(20, 15 * MINUTE);
        }
        let last = times[s.messages as usize - 1];
        let ended = matches!(s.status, "completed" | "failed").then(|| Ts::new(last + MINUTE));
        g.buf.json.clear();
        let _ = write!(g.buf.json, r#"["{agent}""#);
        for other in AGENTS.iter().filter(|a| **a != agent).take(rng.index(3)) {
            let _ = write!(g.buf.json, r#","{other}""#);
        }
        g.buf.json.push(']');
        g.buf.json2.clear();
        let _ = write!(
            g.buf.json2,
            r#"{{"account":"{}","goal":"{}","channel":"{}"}}"#,
            p.name,
            *rng.pick(&[
                "renewal prep",
                "adoption review",
                "ticket triage",
                "QBR prep"
            ]),
            *rng.pick(&["dashboard", "slack", "email"])
        );
        g.ins.agent_sessions.row(rusqlite::params![
            id,
            p.id,
            p.csm,
            s.status,
            agent,
            g.buf.json,
            g.buf.json2,
            Ts::new(s.start),
            Ts::new(last),
            ended,
        ])?;

        // approvals are raised by the agent message that needs them, in order
        let first_approval_at = (s.messages - s.approvals.len() as i64).max(1);
        let mut raised = 0;
        for (k, &at) in times.iter().enumerate().take(s.messages as usize) {
            let k = k as i64;
            let role = if k == 0 && rng.chance(0.25) {
                "system"
            } else if k % 2 == 0 {
                "user"
            } else {
                "agent"
            };
            let needs_approval =
                role == "agent" && raised < s.approvals.len() && k >= first_approval_at;
            let thinking = role == "agent" && !needs_approval && rng.chance(0.15);
            g.buf.a.clear();
            match role {
                "system" => {
                    let _ = write!(
                        g.buf.a,
                        "Session started with the {agent} agent for {}.",
                        p.name
                    );
                }
                "user" => g.buf.a.push_str(rng.word(USER_ASKS)),
                _ if thinking => g.buf.a.push_str(rng.word(THINKING)),
                _ => g.buf.a.push_str(rng.word(AGENT_REPLIES)),
            }
            let tool = (role == "agent" && rng.chance(0.3)).then(|| *rng.pick(TOOLS));
            g.buf.json.clear();
            if let Some(tool) = tool {
                let _ = write!(
                    g.buf.json,
                    r#"[{{"id":"call_{}","name":"{tool}","arguments":{{"account":"{}"}}}}]"#,
                    rng.int(100_000, 999_999),
                    p.slug
                );
            }
            g.buf.json2.clear();
            let _ = write!(
                g.buf.json2,
                r#"{{"tokens":{},"model":"cs-agent-1"}}"#,
                rng.int(40, 900)
            );
            g.ins.agent_messages.row(rusqlite::params![
                g.ids.next_id(),
                id,
                (role != "user").then_some(agent),
                role,
                g.buf.a,
                i64::from(thinking),
                i64::from(needs_approval),
                (role == "agent").then_some(agent),
                tool.map(|_| g.buf.json.as_str()),
                g.buf.json2,
                Ts::new(at),
            ])?;
            if needs_approval {
                approval(g, rng, p, id, agent, s.approvals[raised], at)?;
                raised += 1;
            }
        }
        // approvals no agent message happened to carry are raised at the end: the customer's
        // open_approvals was computed from the plan, so every planned approval is written
        for &status in &s.approvals[raised..] {
            approval(g, rng, p, id, agent, status, last)?;
        }
    }
    Ok(ids)
}

fn approval(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    session: Id,
    agent: &str,
    status: &str,
    at: i64,
) -> Result<()> {
    let (action, details) = *rng.pick(ACTIONS);
    let resolved = status != "pending";
    let resolved_at = resolved.then(|| {
        Ts::new(
            (at + rng.int(5 * MINUTE, 2 * DAY))
                .min(g.clock.now - 1)
                .max(at),
        )
    });
    let comment = match status {
        "rejected" => Some(*rng.pick(REJECTIONS)),
        "approved" if rng.chance(0.3) => Some("Looks good."),
        _ => None,
    };
    g.buf.json.clear();
    let _ = write!(
        g.buf.json,
        r#"{{"risk":"{}","account":"{}"}}"#,
        *rng.pick(&["low", "medium", "high"]),
        p.slug
    );
    g.ins.approvals.row(rusqlite::params![
        g.ids.next_id(),
        session,
        agent,
        action,
        details,
        status,
        resolved.then_some(p.csm),
        resolved_at,
        comment,
        g.buf.json,
        Ts::new(at),
    ])
}
