//! Playbook executions (seed 002) run for a customer, and the report of each finished one.
//! Struggling customers get more renewal and SLA playbooks; healthy ones expansion.

use std::fmt::Write as _;

use super::Gen;
use super::clock::{DAY, HOUR, MINUTE, Ts};
use super::ids::Id;
use super::profile::{Band, Profile};
use super::rng::Rng;
use crate::store::error::Result;

/// `id` is SQLite's rowid; `execution_id` is the public key reports refer to.
pub const PLAYBOOK_EXECUTIONS: &str = "\
    execution_id workspace_id customer_id playbook_id status current_step \
    execution_data started_at completed_at created_at updated_at";
pub const PLAYBOOK_REPORTS: &str = "\
    id execution_id workspace_id customer_id playbook_id playbook_name account_name \
    status report_data duration steps_completed total_steps started_at completed_at \
    report_generated_at created_at updated_at";

/// (playbook id, name, steps)
const PLAYBOOKS: &[(&str, &str, i64)] = &[
    ("renewal-standard-v2", "Renewal (standard)", 6),
    ("sla-recovery-v1", "SLA recovery", 4),
    ("activation-30d", "30-day activation", 5),
    ("voc-quarterly", "Voice of the customer", 3),
    ("expansion-seats", "Seat expansion", 4),
];

pub fn write(g: &mut Gen<'_>, rng: &mut Rng, p: &Profile, workspace: Id) -> Result<()> {
    let odds = match p.band {
        Band::Critical => 0.7,
        Band::AtRisk => 0.5,
        Band::Healthy => 0.25,
    };
    if p.prospect || !rng.chance(odds) {
        return Ok(());
    }
    for _ in 0..rng.int(1, 2) {
        let k = match p.band {
            Band::Healthy => *rng.pick(&[2, 3, 4]),
            _ => *rng.pick(&[0, 1, 3]),
        };
        let (playbook, name, steps) = PLAYBOOKS[k];
        let started = (g.clock.now - rng.int(1, 180) * DAY - rng.int(0, 23) * HOUR).max(p.created);
        let status = if g.clock.now - started < 30 * DAY {
            *rng.weighted(&[("in-progress", 70), ("completed", 20), ("cancelled", 10)])
        } else {
            *rng.weighted(&[("completed", 80), ("failed", 10), ("cancelled", 10)])
        };
        let done = match status {
            "completed" => steps,
            "in-progress" => rng.int(0, steps - 1),
            _ => rng.int(1, steps - 1),
        };
        let finished = (status != "in-progress").then(|| {
            (started + rng.int(2, 40) * DAY)
                .min(g.clock.now - MINUTE)
                .max(started)
        });
        let execution = g.ids.next_id();
        g.buf.json.clear();
        let _ = write!(
            g.buf.json,
            r#"{{"steps_total":{steps},"steps_done":{done},"owner":"{}","trigger":"{}"}}"#,
            p.csm,
            if rng.chance(0.6) { "auto" } else { "manual" }
        );
        let updated = finished
            .unwrap_or(started + done * DAY)
            .min(g.clock.now - 1);
        g.ins.playbook_executions.row(rusqlite::params![
            execution,
            workspace,
            p.id,
            playbook,
            status,
            done,
            g.buf.json,
            Ts::new(started),
            finished.map(Ts::new),
            Ts::new(started),
            Ts::new(updated.max(started)),
        ])?;
        if let Some(end) = finished {
            g.buf.json2.clear();
            let _ = write!(
                g.buf.json2,
                r#"{{"summary":"{name} {status} for {}","emails_sent":{},"meetings_booked":{}}}"#,
                p.name,
                rng.int(0, 6),
                rng.int(0, 3)
            );
            let generated = Ts::new((end + 5 * MINUTE).min(g.clock.now - 1));
            g.ins.playbook_reports.row(rusqlite::params![
                g.ids.next_id(),
                execution,
                workspace,
                p.id,
                playbook,
                name,
                p.name,
                status,
                g.buf.json2,
                end - started,
                done,
                steps,
                Ts::new(started),
                Ts::new(end),
                generated,
                generated,
                generated,
            ])?;
        }
    }
    Ok(())
}
