//! Calls with the customer's stakeholders, logged by its CSM or a seller. Outcomes follow
//! the customer's health; a lost call always names one of the workspace's loss reasons.

use std::fmt::Write as _;

use super::Gen;
use super::clock::{DAY, HOUR, MINUTE, Ts};
use super::customers::Person;
use super::profile::Profile;
use super::rng::Rng;
use super::world::Workspace;
use crate::store::error::Result;

pub const CALLS: &str = "\
    id workspace_id user_id customer_id stakeholder_id prospect_name prospect_email \
    prospect_phone call_type status outcome loss_reason_id notes call_duration \
    scheduled_at completed_at created_at updated_at";

const NOTES: &[&str] = &[
    "Walked through the renewal timeline; they want a proposal by month end.",
    "Discussed the adoption drop in the finance team.",
    "Follow-up on the escalated ticket; customer satisfied with the fix.",
    "Introduced the new account executive.",
    "They asked about pricing for additional seats.",
    "Left a voicemail; will try again next week.",
    "Reviewed the onboarding plan and next milestones.",
    "Contact raised concerns about reliability last month.",
];

pub fn write(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    ws: &Workspace,
    people: &[Person],
) -> Result<()> {
    let count = (1 + rng.poisson(4.0 * p.activity)).min(30);
    for _ in 0..count {
        let person = &people[rng.index(people.len())];
        let caller = if rng.chance(0.65) {
            p.csm
        } else {
            ws.sales[rng.index(ws.sales.len())]
        };
        let at = p.interaction_time(rng, &g.clock);
        let status = *rng.weighted(&[("completed", 80), ("no-show", 10), ("rescheduled", 10)]);
        // a rescheduled call's new slot may lie ahead
        let scheduled = if status == "rescheduled" {
            at + rng.int(1, 10) * DAY
        } else {
            at
        };
        let level = p.level();
        let outcome = match status {
            "completed" => Some(*rng.weighted(&[
                ("won", (10.0 + 50.0 * level) as u32),
                ("lost", (5.0 + 35.0 * (1.0 - level)) as u32),
                ("tbd", 40),
            ])),
            "rescheduled" => Some("tbd"),
            _ => None,
        };
        let loss_reason =
            (outcome == Some("lost")).then(|| ws.loss_reasons[rng.index(ws.loss_reasons.len())]);
        let duration = (status == "completed").then(|| rng.int(5, 60) * MINUTE + rng.int(0, 59));
        let completed = duration.map(|d| (at + d).min(g.clock.now - 1));
        let created = (at - rng.int(0, 7) * DAY - rng.int(0, 8) * HOUR)
            .max(p.created)
            .min(g.clock.now - 1);
        let updated = completed.unwrap_or(created).max(created);
        person.name_into(&mut g.buf.a);
        person.email_into(&p.slug, &mut g.buf.b);
        g.buf.c.clear();
        let _ = write!(g.buf.c, "+1-555-{:04}", rng.int(100, 9999));
        g.ins.calls.row(rusqlite::params![
            g.ids.next_id(),
            ws.id,
            caller,
            p.id,
            person.id,
            g.buf.a,
            g.buf.b,
            rng.chance(0.8).then_some(g.buf.c.as_str()),
            *rng.pick(&["inbound", "outbound", "outbound"]),
            status,
            outcome,
            loss_reason,
            rng.chance(0.85).then(|| *rng.pick(NOTES)),
            duration,
            Ts::new(scheduled),
            completed.map(Ts::new),
            Ts::new(created),
            Ts::new(updated),
        ])?;
    }
    Ok(())
}
