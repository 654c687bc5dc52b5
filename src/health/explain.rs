//! The explanation of a score: the contract between the health engine, which fills it, and
//! the dashboard and `cscx explain`, which show it. It answers "why is this 62, and why did
//! it drop?": each component with its weight, value and contribution (contributions add up to
//! the score), the KPI categories behind the KPI component, the KPIs that crossed a band since
//! last month, and the previous score.

use serde::{Deserialize, Serialize};

/// Red below `red_below`, green from `green_from`, yellow between (per workspace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub red_below: u8,
    pub green_from: u8,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            red_below: 40,
            green_from: 70,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Red,
    Yellow,
    Green,
}

impl Thresholds {
    pub fn band(&self, score: f64) -> Band {
        if score < f64::from(self.red_below) {
            Band::Red
        } else if score < f64::from(self.green_from) {
            Band::Yellow
        } else {
            Band::Green
        }
    }
}

/// A KPI value's band against its reference range (seed 002's health_status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiStatus {
    Healthy,
    Risk,
    Critical,
}

impl KpiStatus {
    /// From worse to better.
    pub const ALL: [KpiStatus; 3] = [KpiStatus::Critical, KpiStatus::Risk, KpiStatus::Healthy];

    /// The band's name, as stored (`kpi_scores.health_status`), serialized and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            KpiStatus::Healthy => "healthy",
            KpiStatus::Risk => "risk",
            KpiStatus::Critical => "critical",
        }
    }

    /// The band named `name` (as `as_str` gives it), if any.
    pub fn from_name(name: &str) -> Option<KpiStatus> {
        KpiStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// One term of the overall score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// Stable key, e.g. `kpi`, `engagement`, `adoption`.
    pub key: String,
    /// What a person reads, e.g. "KPIs vs reference ranges".
    pub label: String,
    /// The weight as configured for the workspace.
    pub weight: f64,
    /// The weight actually applied, after leaving out components without data and
    /// normalising the rest to sum to 1.
    pub effective_weight: f64,
    /// The component's own 0-100 value; None when it had no data (and was left out).
    pub value: Option<f64>,
    /// `effective_weight * value`: the points it adds to the score.
    pub contribution: f64,
    /// One line on where the value comes from, e.g. "7 interactions in the last 30 days".
    pub detail: String,
}

/// One KPI category inside the KPI component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryScore {
    pub name: String,
    pub weight: f64,
    pub effective_weight: f64,
    /// None: no valid KPI in this category, so it was left out and the others re-weighted.
    pub score: Option<f64>,
    pub total_kpis: u32,
    pub valid_kpis: u32,
}

/// A KPI whose band changed since the previous month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crossing {
    pub kpi: String,
    pub category: String,
    pub from: Option<KpiStatus>,
    pub to: Option<KpiStatus>,
    pub previous_value: Option<f64>,
    pub value: Option<f64>,
}

/// An earlier score to compare with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Previous {
    pub score: f64,
    /// When it was the score: a date (`2026-10-21`) or a month (`2026-10`).
    pub as_of: String,
}

/// One KPI as it stood in the month scored: its latest value on or before that month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiLine {
    pub kpi: String,
    pub category: String,
    /// `kpis.weight` inside its category (None counts as 1).
    pub weight: Option<f64>,
    /// The month the value is from (`2026-10`); None when the KPI has no value yet.
    pub month: Option<String>,
    pub value: Option<f64>,
    /// None: no value, or no usable reference range (see `note`).
    pub status: Option<KpiStatus>,
    pub score: Option<f64>,
    /// Why there is no score, when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Explanation {
    pub customer_id: String,
    pub customer_name: String,
    /// The date the score was computed for (`2026-11-21`): windows end on it.
    #[serde(default)]
    pub as_of: String,
    /// The overall 0-100 score; None when the customer has no health input at all.
    pub score: Option<f64>,
    pub band: Option<Band>,
    pub thresholds: Thresholds,
    pub previous: Option<Previous>,
    pub components: Vec<Component>,
    pub categories: Vec<CategoryScore>,
    pub crossings: Vec<Crossing>,
    /// Every KPI of the customer as of the current month, by category then name.
    #[serde(default)]
    pub kpis: Vec<KpiLine>,
    /// Plain sentences for what a table cannot show, e.g. "Support & Experience has no valid
    /// KPI: left out, the other categories re-weighted".
    pub notes: Vec<String>,
}
