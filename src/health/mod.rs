//! Health scoring as pure functions over plain inputs (DESIGN.md section 4). No database, no
//! terminal: `store::health_sync` gathers the inputs and writes the results.

pub mod explain;

pub use explain::{
    Band, CategoryScore, Component, Crossing, Explanation, KpiStatus, Previous, Thresholds,
};
