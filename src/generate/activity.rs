//! The customer's audit trail: its creation, its stage moves, ARR changes and KPI uploads,
//! written as the dashboard and the importer would have logged them (old and new values as
//! JSON), by its CSM.

use std::fmt::Write as _;

use super::Gen;
use super::clock::{DAY, HOUR, Ts};
use super::ids::Id;
use super::profile::Profile;
use super::rng::Rng;
use crate::store::error::Result;

pub const ACTIVITY_LOG: &str = "\
    id workspace_id user_id customer_id action entity_type entity_id old_values \
    new_values ip_address user_agent created_at";

const AGENTS: &[&str] = &[
    "cscx/0.1 dashboard",
    "cscx/0.1 import",
    "Mozilla/5.0 (web console)",
];

/// When the customer row was edited after its creation: the audit entries below record
/// these edits, and the row's `updated_at` is the last of them.
pub struct Edits {
    created: i64,
    stage_at: Option<i64>,
    arr_at: Option<i64>,
}

impl Edits {
    /// The customer row's `updated_at`: its last audited edit (or its creation).
    pub fn last(&self) -> i64 {
        self.created
            .max(self.stage_at.unwrap_or(i64::MIN))
            .max(self.arr_at.unwrap_or(i64::MIN))
    }
}

fn first_stage(p: &Profile) -> &'static str {
    if p.prospect { "prospect" } else { "onboarding" }
}

/// Draws the customer's edits (before its row is written, which carries the last one).
pub fn plan(rng: &mut Rng, p: &Profile, stage: &str, now: i64) -> Edits {
    // the move from the first stage to today's, somewhere in the customer's life
    let stage_at = (stage != first_stage(p)).then(|| {
        let at = p.created + rng.int(30, ((now - p.created) / DAY).max(31)) * DAY;
        at.min(now - HOUR).max(p.created)
    });
    // half the customers had their ARR changed at a renewal or an upsell
    let arr_at = (p.arr_cents.is_some() && rng.chance(0.5))
        .then(|| (now - rng.int(20, 400) * DAY).max(p.created));
    Edits {
        created: p.created,
        stage_at,
        arr_at,
    }
}

pub fn write(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    workspace: Id,
    stage: &str,
    edits: &Edits,
) -> Result<()> {
    let first_stage = first_stage(p);
    g.buf.json.clear();
    let _ = write!(
        g.buf.json,
        r#"{{"name":"{}","stage":"{first_stage}","status":"active"}}"#,
        p.name
    );
    entry(g, rng, p, workspace, "create", p.created)?;
    if let Some(at) = edits.stage_at {
        g.buf.json.clear();
        let _ = write!(g.buf.json, r#"{{"stage":"{first_stage}"}}"#);
        g.buf.json2.clear();
        let _ = write!(g.buf.json2, r#"{{"stage":"{stage}"}}"#);
        entry(g, rng, p, workspace, "update", at)?;
    }
    if let (Some(at), Some(arr)) = (edits.arr_at, p.arr_cents) {
        g.buf.json.clear();
        let _ = write!(
            g.buf.json,
            r#"{{"arr_cents":{}}}"#,
            arr * 9 / 10 / 100 * 100
        );
        g.buf.json2.clear();
        let _ = write!(g.buf.json2, r#"{{"arr_cents":{arr}}}"#);
        entry(g, rng, p, workspace, "update", at)?;
    }
    Ok(())
}

/// One entry about the customer row: new values in `buf.json` for a create; old values in
/// `buf.json` and new ones in `buf.json2` for an update.
fn entry(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    workspace: Id,
    action: &str,
    at: i64,
) -> Result<()> {
    g.buf.a.clear();
    let _ = write!(
        g.buf.a,
        "10.{}.{}.{}",
        rng.int(0, 255),
        rng.int(0, 255),
        rng.int(1, 254)
    );
    let (old, new) = if action == "update" {
        (Some(g.buf.json.as_str()), g.buf.json2.as_str())
    } else {
        (None, g.buf.json.as_str())
    };
    g.ins.activity_log.row(rusqlite::params![
        g.ids.next_id(),
        workspace,
        p.csm,
        p.id,
        action,
        "customers",
        p.id,
        old,
        new,
        g.buf.a,
        *rng.pick(AGENTS),
        Ts::new(at),
    ])
}
