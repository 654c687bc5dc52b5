//! Meetings (past ones completed, cancelled or missed; a few scheduled ahead), transcripts
//! of most completed ones, and the insights drawn from meetings and other sources, with
//! their follow-up actions. Low-health customers yield more concerns and risks.

use std::fmt::Write as _;

use super::Gen;
use super::clock::{DAY, Day, HOUR, MINUTE, Ts};
use super::customers::Person;
use super::ids::Id;
use super::profile::Profile;
use super::rng::Rng;
use crate::store::error::Result;

pub const MEETINGS: &str = "\
    id customer_id session_id title description scheduled_at duration status \
    meeting_url calendar_event_id attendees agenda metadata created_at updated_at";
pub const TRANSCRIPTS: &str = "\
    id meeting_id content duration speakers word_count language metadata created_at";
pub const INSIGHTS: &str = "\
    id workspace_id customer_id meeting_id source type content importance owner \
    due_date status metadata created_at";
pub const INSIGHT_ACTIONS: &str = "id insight_id action_txt priority status";

const TITLES: &[(&str, &str)] = &[
    (
        "Quarterly business review",
        "Review goals, adoption and the roadmap for the next quarter.",
    ),
    (
        "Onboarding check-in",
        "Progress on the onboarding plan and open blockers.",
    ),
    (
        "Renewal planning",
        "Timeline, stakeholders and commercial terms for the renewal.",
    ),
    (
        "Executive sync",
        "Strategic priorities and executive sponsorship.",
    ),
    (
        "Support escalation review",
        "Walk through escalated tickets and the remediation plan.",
    ),
    (
        "Product roadmap preview",
        "Upcoming features and early access opportunities.",
    ),
    (
        "Admin training",
        "Hands-on session for workspace administrators.",
    ),
];
const AGENDA: &[&str] = &[
    r#"["Introductions","Goals recap","Usage review","Next steps"]"#,
    r#"["Open tickets","Root causes","Prevention plan"]"#,
    r#"["Renewal timeline","Pricing","Decision makers"]"#,
    r#"["Roadmap","Feedback","Beta programme"]"#,
];
const CSM_LINES: &[&str] = &[
    "Thanks for joining. Let us start with how the rollout is going on your side.",
    "Looking at the usage data, the analytics team is your most active group.",
    "We shipped the export fix last week; has that unblocked the finance team?",
    "For the renewal, we would like to understand who else needs to be involved.",
    "I can set up a training for the new administrators next week.",
];
const CONTACT_LINES_GOOD: &[&str] = &[
    "The rollout went well; two more teams want access next quarter.",
    "The dashboards saved us a day of reporting every month.",
    "Our executives now review the weekly summary in their staff meeting.",
    "We would like to hear more about the AI assistant.",
];
const CONTACT_LINES_BAD: &[&str] = &[
    "Honestly, adoption has stalled since our champion left.",
    "The support response times have been a problem for us.",
    "Budget is under review and every tool is being questioned.",
    "The integration with our CRM keeps breaking after updates.",
];
const INSIGHTS_GOOD: &[(&str, &str)] = &[
    (
        "opportunity",
        "Two more teams want access next quarter: expansion opportunity.",
    ),
    (
        "quote",
        "\u{201c}The dashboards saved us a day of reporting every month.\u{201d}",
    ),
    (
        "decision",
        "They decided to standardise reporting on our platform.",
    ),
    ("action_item", "Send the AI assistant overview and pricing."),
    (
        "sentiment",
        "Executive sponsor is enthusiastic about the results.",
    ),
    (
        "observation",
        "Usage is concentrated in the analytics team.",
    ),
];
const INSIGHTS_BAD: &[(&str, &str)] = &[
    ("concern", "Adoption stalled after the champion left."),
    ("risk", "Budget review puts the renewal at risk."),
    (
        "concern",
        "Support response times are hurting the relationship.",
    ),
    (
        "action_item",
        "Escalate the CRM integration failures to engineering.",
    ),
    (
        "risk",
        "A competitor is running a pilot with one of their teams.",
    ),
    (
        "sentiment",
        "The main contact sounded frustrated about recent outages.",
    ),
];
const FOLLOW_UPS: &[&str] = &[
    "Schedule a call with the new champion",
    "Share the adoption report",
    "Prepare a success plan",
    "Loop in the account executive",
    "Review open tickets with support",
];

pub fn write(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    workspace: Id,
    people: &[Person],
    sessions: &[Id],
) -> Result<()> {
    let past = (1 + rng.poisson(3.0 * p.activity)).min(14);
    let ahead = if p.churned { 0 } else { rng.int(0, 2) as u32 };
    let mut transcribed: Vec<Id> = Vec::new();
    for k in 0..past + ahead {
        let future = k >= past;
        let at = if future {
            g.clock.now + rng.int(1, 30) * DAY + rng.int(8, 17) * HOUR
        } else {
            p.interaction_time(rng, &g.clock)
        };
        let status = if future {
            "scheduled"
        } else {
            *rng.weighted(&[("completed", 82), ("cancelled", 10), ("no_show", 8)])
        };
        let minutes = *rng.pick(&[30i64, 45, 60]);
        let (title, description) = *rng.pick(TITLES);
        let id = g.ids.next_id();
        g.buf.a.clear();
        let _ = write!(g.buf.a, "{title}: {}", p.name);
        g.buf.b.clear();
        let _ = write!(
            g.buf.b,
            "https://meet.example/{:08x}",
            rng.int(0, 0xffff_ffff)
        );
        g.buf.c.clear();
        let _ = write!(g.buf.c, "evt_{:012x}", rng.int(0, 0xffff_ffff_ffff));
        attendees(rng, p, people, &mut g.buf.json, &mut g.buf.json2);
        let created = (at - rng.int(1, 14) * DAY)
            .max(p.created)
            .min(g.clock.now - 1);
        let updated = if status == "completed" {
            (at + minutes * MINUTE).min(g.clock.now - 1).max(created)
        } else {
            created
        };
        let session = (!sessions.is_empty() && rng.chance(0.2)).then(|| *rng.pick(sessions));
        g.ins.meetings.row(rusqlite::params![
            id,
            p.id,
            session,
            g.buf.a,
            description,
            Ts::new(at),
            minutes,
            status,
            g.buf.b,
            g.buf.c,
            g.buf.json,
            *rng.pick(AGENDA),
            r#"{"recorded":true}"#,
            Ts::new(created),
            Ts::new(updated),
        ])?;
        if status == "completed" && rng.chance(0.7) {
            transcript(g, rng, p, people, id, at, minutes)?;
            transcribed.push(id);
        }
    }
    insights(g, rng, p, workspace, &transcribed)
}

/// The attendees JSON into `json` (scratch used for the names: `scratch`).
fn attendees(
    rng: &mut Rng,
    p: &Profile,
    people: &[Person],
    json: &mut String,
    scratch: &mut String,
) {
    json.clear();
    json.push('[');
    let n = rng.int(1, people.len().min(3) as i64) as usize;
    for (i, person) in people.iter().take(n).enumerate() {
        if i > 0 {
            json.push(',');
        }
        person.email_into(&p.slug, scratch);
        let _ = write!(
            json,
            r#"{{"name":"{} {}","email":"{scratch}"}}"#,
            person.first, person.last
        );
    }
    json.push(']');
}

fn transcript(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    people: &[Person],
    meeting: Id,
    at: i64,
    minutes: i64,
) -> Result<()> {
    let contact = &people[rng.index(people.len())];
    let good = p.level() >= 0.55;
    g.buf.a.clear();
    let lines = rng.int(6, 14);
    for k in 0..lines {
        if k % 2 == 0 {
            g.buf.a.push_str("CSM: ");
            g.buf.a.push_str(rng.word(CSM_LINES));
        } else {
            let _ = write!(g.buf.a, "{} {}: ", contact.first, contact.last);
            // even healthy accounts voice some worries, and unhappy ones some praise
            let positive = if good {
                rng.chance(0.8)
            } else {
                rng.chance(0.25)
            };
            g.buf.a.push_str(if positive {
                rng.word(CONTACT_LINES_GOOD)
            } else {
                rng.word(CONTACT_LINES_BAD)
            });
        }
        g.buf.a.push('\n');
    }
    let words = g.buf.a.split_whitespace().count() as i64;
    g.buf.json.clear();
    let _ = write!(
        g.buf.json,
        r#"["CSM","{} {}"]"#,
        contact.first, contact.last
    );
    g.buf.json2.clear();
    let _ = write!(
        g.buf.json2,
        r#"{{"provider":"recorder","confidence":0.{}}}"#,
        rng.int(85, 99)
    );
    g.ins.transcripts.row(rusqlite::params![
        g.ids.next_id(),
        meeting,
        g.buf.a,
        minutes * 60 - rng.int(0, 300),
        g.buf.json,
        words,
        "en",
        g.buf.json2,
        Ts::new((at + minutes * MINUTE + HOUR).min(g.clock.now - 1)),
    ])
}

fn insights(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    workspace: Id,
    meetings: &[Id],
) -> Result<()> {
    let count = (rng.poisson(2.0 * p.activity) + u32::from(!meetings.is_empty())).min(10);
    for _ in 0..count {
        let from_meeting = !meetings.is_empty() && rng.chance(0.5);
        let source = if from_meeting {
            "meeting"
        } else {
            *rng.pick(&["email", "crm", "agent", "call", "analytics"])
        };
        let worried = rng.chance(1.0 - p.level());
        let (kind, content) = *rng.pick(if worried { INSIGHTS_BAD } else { INSIGHTS_GOOD });
        let importance = match (kind, worried) {
            ("risk", _) => *rng.pick(&["high", "critical"]),
            (_, true) => *rng.pick(&["medium", "high"]),
            _ => *rng.pick(&["low", "medium"]),
        };
        let created = p.interaction_time(rng, &g.clock);
        let open = created > g.clock.now - 45 * DAY;
        let status = if open {
            *rng.weighted(&[("open", 60), ("in_progress", 30), ("dismissed", 10)])
        } else {
            *rng.weighted(&[("resolved", 75), ("dismissed", 15), ("open", 10)])
        };
        let due = matches!(kind, "action_item" | "risk" | "concern")
            .then(|| Day::new(created + rng.int(3, 30) * DAY));
        let id = g.ids.next_id();
        g.ins.insights.row(rusqlite::params![
            id,
            workspace,
            p.id,
            from_meeting.then(|| *rng.pick(meetings)),
            source,
            kind,
            content,
            importance,
            if rng.chance(0.7) {
                Some("Account CSM")
            } else {
                None
            },
            due,
            status,
            r#"{"confidence":"model"}"#,
            Ts::new(created),
        ])?;
        if matches!(kind, "action_item" | "risk" | "concern" | "opportunity") {
            for _ in 0..rng.int(1, 2) {
                let done = status == "resolved" || rng.chance(0.3);
                g.ins.insight_actions.row(rusqlite::params![
                    g.ids.next_id(),
                    id,
                    *rng.pick(FOLLOW_UPS),
                    importance,
                    if done {
                        "done"
                    } else {
                        *rng.pick(&["open", "in_progress", "dismissed"])
                    },
                ])?;
            }
        }
    }
    Ok(())
}
