//! One customer of the lean detail (`cscx generate --detail lean`): what the customer list,
//! the account header and the portfolio need, and nothing else, so a million customers fit
//! on a laptop's disk (the full detail writes about 150 KiB a customer).
//!
//! The customer row is drawn exactly as in the full detail (same profile, same contracts
//! plan, same stage logic): one primary stakeholder, its contracts without entitlements, the
//! most recent agent sessions (short threads, with their approvals, so `open_approvals` and
//! the approvals queue are real), and a few KPIs over 12 months that the health engine
//! scores. No audit trail, calls, meetings, deals or adoption data: engagement comes from
//! the agent messages alone.

use super::customers::{self, Derived};
use super::profile::Profile;
use super::rng::Rng;
use super::world::World;
use super::{Gen, contracts, kpis, sessions};
use crate::store::error::Result;

/// Agent sessions kept per customer (its most recent) and messages per session at most.
const SESSIONS: usize = 2;
const MESSAGES: i64 = 4;

pub fn write(g: &mut Gen<'_>, world: &World, index: u64) -> Result<()> {
    let mut rng = Rng::stream(g.seed, index + 1);
    let id = g.ids.next_id();
    let p = Profile::draw(&mut rng, world, &g.clock, index, id, g.seed);
    let contract_plan = contracts::plan(&mut rng, &p, &g.clock);
    let mut session_plan = sessions::plan(&mut rng, &p, &g.clock);
    // the plan is oldest first: keep the newest sessions, where pending approvals are
    let old = session_plan.len().saturating_sub(SESSIONS);
    session_plan.drain(..old);
    for s in &mut session_plan {
        s.messages = s.messages.min(MESSAGES);
    }
    let renewal = contracts::renewal_date(&contract_plan);
    let stage = customers::stage(&mut rng, &p, renewal, g.clock.now);
    let ws = &world.workspaces[p.workspace];
    let derived = Derived {
        renewal,
        open_approvals: sessions::pending(&session_plan),
        // nothing audited: the row was last edited when it was created
        updated: p.created,
    };
    customers::customer_row(g, &mut rng, &p, ws.id, stage, &derived)?;
    customers::stakeholders(g, &mut rng, &p, 1)?;
    contracts::write(g, &mut rng, &p, ws, &contract_plan, false)?;
    sessions::write(g, &mut rng, &p, &session_plan)?;
    kpis::write_lean(g, &mut rng, &p, ws.id)
}
