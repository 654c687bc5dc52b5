//! Tasks a CSM keeps on their accounts: a few follow-ups per customer, some overdue, some
//! due today, some done. The steps of open playbook executions become tasks after the load
//! ([`crate::store::tasks::open_steps`]), from the shipped definitions.

use super::Gen;
use super::clock::{DAY, Day, HOUR, Ts};
use super::profile::{Band, Profile};
use super::rng::Rng;
use crate::store::error::Result;

/// The RNG stream tasks draw from, XORed with the customer's (customer streams count up
/// from 1, ids use `u64::MAX`).
pub const STREAM: u64 = 0x7a5c_0000_0000_0000;

pub const TASKS: &str = "\
    id workspace_id customer_id title notes due_date owner_id status snoozed_until \
    execution_id step_position created_by completed_at created_at updated_at";

const TITLES: &[&str] = &[
    "Send the QBR deck",
    "Follow up on the support escalation",
    "Confirm the renewal contacts",
    "Share the training plan",
    "Check in after the release",
    "Book the executive business review",
    "Chase the usage report",
    "Introduce the new support engineer",
];

pub fn write(g: &mut Gen<'_>, rng: &mut Rng, p: &Profile, workspace: super::ids::Id) -> Result<()> {
    if p.prospect || p.churned {
        return Ok(());
    }
    let mean = match p.band {
        Band::Critical => 2.0,
        Band::AtRisk => 1.5,
        Band::Healthy => 0.8,
    };
    for _ in 0..rng.poisson(mean).min(4) {
        // due from two weeks ago to three weeks ahead: some overdue, a few today
        let due = g.clock.now + rng.int(-14, 21) * DAY;
        let created = (due - rng.int(3, 30) * DAY)
            .max(p.created)
            .min(g.clock.now - HOUR);
        let done = due < g.clock.now && rng.chance(0.4);
        let finished =
            done.then(|| Ts::new((due - rng.int(0, 2) * DAY).clamp(created, g.clock.now - 1)));
        let notes = rng.chance(0.3).then_some("Agreed on the last call");
        g.ins.tasks.row(rusqlite::params![
            g.ids.next_id(),
            workspace,
            p.id,
            *rng.pick(TITLES),
            notes,
            Day::new(due),
            p.csm,
            if done { "done" } else { "open" },
            None::<String>,
            None::<String>,
            None::<i64>,
            p.csm,
            finished,
            Ts::new(created),
            finished.unwrap_or(Ts::new(created)),
        ])?;
    }
    Ok(())
}
