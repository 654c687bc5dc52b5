//! Deterministic synthetic data for every table, for demos and benchmarks (`cscx generate`).
//!
//! [`load`] runs inside one `Store::write`: it pauses what costs per row (`store::bulk`),
//! writes the shared rows (workspaces, users, catalogues, process mining: `world`, `process`),
//! then streams customers one at a time, each with all its rows (`customers` and the domain
//! modules it calls), rebuilds indexes and search, and asks the health engine to score
//! everyone. Nothing is held in memory beyond one customer and the small shared catalogues.
//!
//! Determinism: every customer draws from its own RNG stream (`rng`), ids come from a seeded
//! v7-shaped counter (`ids`), and every date is relative to the as-of day (`clock`), so the
//! same seed and as-of give the same rows. The data's shape (counts, distributions, the
//! health mix) is described in docs/generate.md.

mod activity;
mod calls;
mod clock;
mod contracts;
mod customers;
mod deals;
mod ids;
mod insert;
mod kpis;
mod lean;
mod meetings;
mod playbooks;
mod process;
mod profile;
mod rng;
mod scores;
mod sessions;
mod tasks;
mod training;
mod words;
mod world;

use chrono::NaiveDate;
use serde_json::json;

use crate::store::bulk::BulkOptions;
use crate::store::error::Result;
use crate::store::health_sync;
use crate::store::write::{Activity, WriteTx};

use clock::Clock;
use ids::IdGen;
use insert::Inserts;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub customers: u64,
    pub seed: u64,
    /// Every date is placed relative to this day; "now" is its start (00:00 UTC).
    pub as_of: NaiveDate,
    pub detail: Detail,
}

/// How much is generated per customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Every table (docs/generate.md): about 150 KiB a customer.
    #[default]
    Full,
    /// What the customer list and the portfolio need at scale (`lean`): customers, one
    /// primary stakeholder, contracts, 3 KPIs with 12 months of values, a few short agent
    /// sessions with their approvals; shared rows as in `Full` but no process mining.
    Lean,
}

impl Detail {
    /// As `--detail` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Detail::Full => "full",
            Detail::Lean => "lean",
        }
    }
}

/// Where a load is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Workspaces, users, catalogues and process mining.
    Shared,
    /// `done` of `total` customers written with all their rows.
    Customers { done: u64, total: u64 },
    /// Rebuilding indexes, search and derived columns.
    Indexes,
    /// The health engine scoring every customer.
    Health,
}

/// Rows the generator wrote, per table (health rows are the engine's and not counted here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    pub rows: Vec<(&'static str, u64)>,
}

impl Generated {
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

/// The state every domain writer shares: the prepared inserts, the id source, the clock,
/// and scratch text buffers reused from row to row (no allocation per row).
pub(crate) struct Gen<'c> {
    pub ins: Inserts<'c>,
    pub ids: IdGen,
    pub clock: Clock,
    pub seed: u64,
    pub buf: Buffers,
}

/// Reusable text: cleared and refilled for each row that needs composed text.
#[derive(Default)]
pub(crate) struct Buffers {
    pub a: String,
    pub b: String,
    pub c: String,
    pub json: String,
    pub json2: String,
}

/// Generates everything into the database of `w` (which should be empty), rebuilds what the
/// bulk load paused, recomputes health and logs one summary entry. Calls `progress` as it goes.
pub fn load(
    w: &mut WriteTx<'_>,
    options: &Options,
    progress: &mut dyn FnMut(Step),
) -> Result<Generated> {
    w.require_owner("generate")?;
    let bulk = w.begin_bulk_load(BulkOptions::all())?;
    let generated = {
        let mut g = Gen {
            ins: Inserts::prepare(w)?,
            ids: IdGen::new(options.seed, Clock::new(options.as_of).now),
            clock: Clock::new(options.as_of),
            seed: options.seed,
            buf: Buffers::default(),
        };
        progress(Step::Shared);
        let world = world::write(&mut g, options.customers)?;
        if options.detail == Detail::Full {
            process::write(&mut g, &world)?;
        }
        let total = options.customers;
        for index in 0..total {
            match options.detail {
                Detail::Full => customers::write(&mut g, &world, index)?,
                Detail::Lean => lean::write(&mut g, &world, index)?,
            }
            progress(Step::Customers {
                done: index + 1,
                total,
            });
        }
        Generated {
            rows: g.ins.counts(),
        }
    };
    progress(Step::Indexes);
    w.end_bulk_load(bulk)?;
    crate::store::tasks::open_steps(w, None)?;
    progress(Step::Health);
    // the generated benchmarks and adoption scores as cscx computes them (store::rollups),
    // before the health they feed; every customer's health is recomputed next
    w.recompute_rollups(false)?;
    health_sync::recompute(w, None)?;
    // the playbooks the generated book's triggers open as of its day: stamped with the
    // book's clock and derived ids, so the same seed gives the same executions
    let book = crate::store::playbooks::Clock {
        now: clock::Ts::new(Clock::new(options.as_of).now).to_string(),
        deterministic: true,
    };
    crate::store::playbooks::evaluate_every(w, &book)?;
    crate::store::bulk::keep_edit_times(w)?;
    w.log(Activity {
        action: "generate".into(),
        entity_type: None,
        entity_id: None,
        customer_id: None,
        workspace_id: None,
        old_values: None,
        new_values: Some(json!({
            "customers": options.customers,
            "seed": options.seed,
            "as_of": options.as_of.to_string(),
            "detail": options.detail.name(),
            "rows": generated.total(),
        })),
    })?;
    Ok(generated)
}
