//! Keeps stored health in step with its inputs, inside the write transaction.
//!
//! Placeholder until the health engine lands: no score is recomputed yet.

use super::error::Result;
use super::write::{HealthChange, WriteTx};

/// Recomputes the health of every customer whose inputs `w` changed; returns the scores that
/// moved.
pub fn after_write(_w: &mut WriteTx<'_>) -> Result<Vec<HealthChange>> {
    Ok(Vec::new())
}
