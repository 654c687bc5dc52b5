//! Keeps stored health in step with its inputs, inside the write transaction.
//!
//! Placeholder until the health engine lands: no score is recomputed yet.

use super::error::Result;
use super::write::{HealthChange, WriteTx};

/// Recomputes the health of every customer whose inputs `w` changed (see
/// `WriteTx::changes` and `WriteTx::forced`); returns the scores that moved. Called by
/// `Store::write` before every commit.
pub fn after_write(_w: &mut WriteTx<'_>) -> Result<Vec<HealthChange>> {
    Ok(Vec::new())
}

/// Recomputes from scratch the health of `customers` (every customer when None), with every
/// month of `health_trends` that has KPI data. Used by `cscx recompute`, `generate` and bulk
/// imports.
pub fn recompute(_w: &mut WriteTx<'_>, _customers: Option<&[String]>) -> Result<Vec<HealthChange>> {
    Ok(Vec::new())
}
