//! Health scoring as pure functions over plain inputs (DESIGN.md section 4). No database, no
//! terminal: `store::health_sync` gathers the inputs and writes the results. docs/health.md
//! has the same formula with a worked example, which `tests::worked_example` reproduces.
//!
//! # The formula
//!
//! ```text
//! score            = Σ contribution(c)                       c ∈ {kpi, engagement, adoption}
//! contribution(c)  = round₀.₁(effective_weight(c) × value(c))
//! effective_weight = weight(c) / Σ weight(d) over the components d that count
//! health_score     = score rounded half up to a whole number (customers.health_score)
//! band             = red if health_score < red_below, green if ≥ green_from, else yellow
//! ```
//!
//! A component counts when it has a value and a weight above 0. Weights are the workspace's
//! `workspace_configs.component_weights` (default kpi 0.6, engagement 0.2, adoption 0.2);
//! thresholds are `red_below` / `green_from` (default 40 / 70).
//!
//! * **kpi** ([`kpi`], [`rollup`]): each KPI's latest value in or before the month is scored
//!   0-100 against its reference range (critical 0-39, risk 40-69, healthy 70-100, linear inside
//!   a band); a category's score is the `kpis.weight`-weighted mean of its valid KPI scores;
//!   the component is the category scores weighted by `category_weights` (default seed 002:
//!   Relationship Strength 0.20, Adoption & Engagement 0.25, Support & Experience 0.20,
//!   Product Value 0.20, Business Outcomes 0.15), normalised over the categories that have a
//!   valid KPI and a weight.
//! * **engagement** ([`signals`]): 10 points per interaction (a user's or agent's message, not
//!   a system one; completed call; scheduled or completed meeting) in the 30 days ending
//!   today, at most 100. It has no value
//!   when the customer has no interaction in the window and no other data either.
//! * **adoption** ([`signals`]): the mean of the signals present: mean training progress, the
//!   latest adoption score, and the share of the last 30 days with telemetry.
//!
//! Every intermediate value (KPI, category, component, contribution) is rounded to a tenth of
//! a point, so what an explanation shows is exactly what was added up. No counting component
//! means no score (`customers.health_score` NULL).

pub mod assess;
pub mod config;
pub mod explain;
pub mod kpi;
pub mod month;
pub mod overall;
pub mod rollup;
pub mod signals;

pub use assess::{Assessment, Inputs, KpiInput, assess, explain as explain_inputs};
pub use config::HealthConfig;
pub use explain::{
    Band, CategoryScore, Component, Crossing, Explanation, KpiLine, KpiStatus, Previous, Thresholds,
};
pub use month::YearMonth;

/// `x` in whole tenths, rounded half away from zero.
pub fn tenths(x: f64) -> i64 {
    (x * 10.0).round() as i64
}

/// `x` rounded to one decimal.
pub fn round_tenth(x: f64) -> f64 {
    tenths(x) as f64 / 10.0
}

#[cfg(test)]
mod tests;
