//! A customer's inputs, scored as of a date: the overall score and everything behind it.
//!
//! Everything is a function of the inputs and one date, `as_of`. The current score uses
//! today; a month's `health_trends` row uses the last day of that month (or today, for the
//! current month); the previous score in an explanation uses the last day of last month.
//! A KPI counts with its latest value in or before `as_of`'s month, so a KPI measured
//! quarterly keeps its value between measurements.

use chrono::NaiveDate;

use super::config::HealthConfig;
use super::explain::{CategoryScore, Component, Crossing, Explanation, KpiLine, Previous};
use super::kpi::{self, KpiScore, ReferenceRange};
use super::month::YearMonth;
use super::overall::{self, ComponentInput};
use super::rollup::Layout;
use super::signals::{self, AdoptionSignals, DayCount, Training};

/// One KPI of the customer (`kpis` row) with its reference range and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiInput {
    pub name: String,
    pub category: String,
    pub weight: Option<f64>,
    /// None: no `kpi_reference_ranges` row has this KPI's name.
    pub range: Option<ReferenceRange>,
    /// Monthly values that are not NULL, in any order.
    pub values: Vec<(YearMonth, f64)>,
}

impl KpiInput {
    /// The latest value in or before `month`.
    pub fn value_as_of(&self, month: YearMonth) -> Option<(YearMonth, f64)> {
        self.values
            .iter()
            .filter(|(m, _)| *m <= month)
            .max_by_key(|(m, _)| *m)
            .copied()
    }
}

/// Everything the score of one customer depends on, read by the store.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inputs {
    pub kpis: Vec<KpiInput>,
    /// Interactions per day (any order; only the days needed may be present).
    pub interactions: Vec<DayCount>,
    pub training: Option<Training>,
    /// `customer_scores` rows of type adoption: date and value.
    pub adoption_scores: Vec<(NaiveDate, f64)>,
    /// Distinct days with telemetry (only the days needed may be present).
    pub telemetry_days: Vec<NaiveDate>,
    /// The first day the customer sent telemetry.
    pub first_telemetry: Option<NaiveDate>,
}

/// The score as of one date, with its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub as_of: NaiveDate,
    pub score: Option<f64>,
    pub components: Vec<Component>,
    pub categories: Vec<CategoryScore>,
    pub kpis: Vec<KpiLine>,
    pub notes: Vec<String>,
    pub total_kpis: u32,
    pub valid_kpis: u32,
}

/// Scores `inputs` as of `as_of` with `config` (the formula: `crate::health`).
pub fn assess(inputs: &Inputs, config: &HealthConfig, as_of: NaiveDate) -> Assessment {
    Scorer::new(inputs, config).assess(as_of, Detail::Full)
}

/// How much an assessment says besides its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every KPI line, component details and notes: for an explanation.
    Full,
    /// Scores, categories and counts only: for a monthly trend row (a customer has one per
    /// month, and text is most of the cost).
    Numbers,
}

/// One customer's inputs ready to be scored as of any date: which category each KPI falls
/// in, and the score of every KPI value, are worked out once (a customer is scored for every
/// month of its trend).
pub struct Scorer<'a> {
    inputs: &'a Inputs,
    config: &'a HealthConfig,
    layout: Layout,
    /// Each KPI's values with their scores, by month.
    scored: Vec<Vec<ScoredValue>>,
}

#[derive(Debug, Clone, Copy)]
struct ScoredValue {
    month: YearMonth,
    value: f64,
    score: Option<KpiScore>,
}

impl<'a> Scorer<'a> {
    pub fn new(inputs: &'a Inputs, config: &'a HealthConfig) -> Scorer<'a> {
        let layout = Layout::new(
            inputs.kpis.iter().map(|k| k.category.as_str()),
            &config.category_weights,
        );
        let scored = inputs
            .kpis
            .iter()
            .map(|k| {
                let mut values: Vec<ScoredValue> = k
                    .values
                    .iter()
                    .map(|&(month, value)| ScoredValue {
                        month,
                        value,
                        score: k.range.as_ref().and_then(|r| kpi::score(value, r)),
                    })
                    .collect();
                values.sort_by_key(|v| v.month);
                values
            })
            .collect();
        Scorer {
            inputs,
            config,
            layout,
            scored,
        }
    }

    /// KPI `i`'s latest value in or before `month`.
    fn value_as_of(&self, i: usize, month: YearMonth) -> Option<ScoredValue> {
        let values = &self.scored[i];
        let n = values.partition_point(|v| v.month <= month);
        n.checked_sub(1).map(|j| values[j])
    }

    /// The score of KPI `i`'s value of exactly `month`, if it has one (what its
    /// `kpi_time_series` row stores).
    pub fn score_in(&self, i: usize, month: YearMonth) -> Option<KpiScore> {
        self.value_as_of(i, month)
            .filter(|v| v.month == month)
            .and_then(|v| v.score)
    }

    fn kpi_line(&self, i: usize, month: YearMonth) -> KpiLine {
        let k = &self.inputs.kpis[i];
        let value = self.value_as_of(i, month);
        let scored = value.and_then(|v| v.score);
        let note = match (&k.range, value, scored) {
            (None, _, _) => Some("no reference range with this name".to_owned()),
            (Some(_), None, _) => Some(format!("no value in or before {month}")),
            (Some(_), Some(_), None) => Some("the reference range has no usable band".to_owned()),
            _ => None,
        };
        KpiLine {
            kpi: k.name.clone(),
            category: k.category.clone(),
            weight: k.weight,
            month: value.map(|v| v.month.to_string()),
            value: value.map(|v| v.value),
            status: scored.map(|s| s.status),
            score: scored.map(|s| s.score),
            note,
        }
    }

    /// KPIs whose status in `today`'s month differs from their status in the month before.
    pub fn crossings(&self, today: NaiveDate) -> Vec<Crossing> {
        let now = YearMonth::of(today);
        let before = now.prev();
        let status = |i: usize, m: YearMonth| {
            let v = self.value_as_of(i, m);
            (
                v.and_then(|v| v.score).map(|s| s.status),
                v.map(|v| v.value),
            )
        };
        self.inputs
            .kpis
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                let (from, previous_value) = status(i, before);
                let (to, value) = status(i, now);
                (from != to).then(|| Crossing {
                    kpi: k.name.clone(),
                    category: k.category.clone(),
                    from,
                    to,
                    previous_value,
                    value,
                })
            })
            .collect()
    }

    /// The score as of `as_of`.
    pub fn assess(&self, as_of: NaiveDate, detail: Detail) -> Assessment {
        let (inputs, config) = (self.inputs, self.config);
        let full = detail == Detail::Full;
        let month = YearMonth::of(as_of);
        let mut notes = Vec::new();

        // KPIs → categories → the KPI component
        let mut lines = Vec::new();
        let mut scores: Vec<(Option<f64>, Option<f64>)> = Vec::with_capacity(inputs.kpis.len());
        for (i, k) in inputs.kpis.iter().enumerate() {
            let score = self.value_as_of(i, month).and_then(|v| v.score);
            if full {
                lines.push(self.kpi_line(i, month));
            }
            scores.push((k.weight, score.map(|s| s.score)));
        }
        let rollup = self.layout.roll_up(&scores, full);
        let total_kpis = inputs.kpis.len() as u32;
        let valid_kpis = scores.iter().filter(|(_, s)| s.is_some()).count() as u32;
        if full {
            let unranged: Vec<&str> = inputs
                .kpis
                .iter()
                .filter(|k| k.range.is_none())
                .map(|k| k.name.as_str())
                .collect();
            if !unranged.is_empty() {
                notes.push(format!(
                    "{} KPI(s) have no reference range and are not scored: {}",
                    unranged.len(),
                    unranged.join(", ")
                ));
            }
        }
        notes.extend(rollup.notes);

        // engagement and adoption
        let interactions = signals::interactions(&inputs.interactions, as_of);
        let adoption_signals = AdoptionSignals {
            training: inputs.training,
            adoption_score: signals::latest_score(&inputs.adoption_scores, as_of),
            telemetry_days: signals::telemetry_days(
                &inputs.telemetry_days,
                inputs.first_telemetry,
                as_of,
            ),
        };
        let adoption = signals::adoption(&adoption_signals);
        // an engagement of 0 is a finding next to other data, but alone it is no data at all
        let engagement = (interactions.total() > 0 || rollup.value.is_some() || adoption.is_some())
            .then(|| signals::engagement(interactions));

        let weights = config.component_weights;
        let kpi_detail = if !full {
            String::new()
        } else if total_kpis == 0 {
            "no KPIs".to_owned()
        } else {
            let counted = rollup
                .categories
                .iter()
                .filter(|c| c.effective_weight > 0.0)
                .count();
            format!(
                "{valid_kpis} of {total_kpis} KPI(s) scored as of {month}; {counted} categor{} counted",
                if counted == 1 { "y" } else { "ies" }
            )
        };
        let text = |f: &dyn Fn() -> String| if full { f() } else { String::new() };
        let combined = overall::combine(vec![
            ComponentInput {
                key: "kpi",
                label: "KPIs vs reference ranges",
                weight: weights.kpi,
                value: rollup.value,
                detail: kpi_detail,
            },
            ComponentInput {
                key: "engagement",
                label: "Engagement",
                weight: weights.engagement,
                value: engagement,
                detail: text(&|| signals::engagement_detail(interactions)),
            },
            ComponentInput {
                key: "adoption",
                label: "Adoption",
                weight: weights.adoption,
                value: adoption,
                detail: text(&|| signals::adoption_detail(&adoption_signals)),
            },
        ]);
        if full {
            match combined.score {
                None if combined.components.iter().all(|c| c.value.is_none()) => notes.push(
                    "no KPI score, no adoption data and no interaction in the last 30 days: no score"
                        .to_owned(),
                ),
                None => {
                    notes.push("no component with a weight above 0 has data: no score".to_owned())
                }
                Some(_) => {
                    for c in combined.components.iter().filter(|c| c.value.is_none()) {
                        notes.push(format!(
                            "{} has no data: left out, the other components re-weighted",
                            c.label
                        ));
                    }
                }
            }
        }

        Assessment {
            as_of,
            score: combined.score,
            components: combined.components,
            categories: rollup.categories,
            kpis: lines,
            notes,
            total_kpis,
            valid_kpis,
        }
    }

    /// The full explanation of the score as of `today`. The previous score is the score as of
    /// the end of last month; when the inputs cannot give one, `recorded_previous` (last
    /// month's score as history recorded it) stands in.
    pub fn explain(
        &self,
        customer_id: &str,
        customer_name: &str,
        today: NaiveDate,
        recorded_previous: Option<f64>,
    ) -> Explanation {
        let current = self.assess(today, Detail::Full);
        let last_month = YearMonth::of(today).prev();
        let previous = self
            .assess(last_month.last_day(), Detail::Numbers)
            .score
            .or(recorded_previous)
            .map(|score| Previous {
                score,
                as_of: last_month.to_string(),
            });
        Explanation {
            customer_id: customer_id.to_owned(),
            customer_name: customer_name.to_owned(),
            as_of: today.format("%Y-%m-%d").to_string(),
            score: current.score,
            band: current
                .score
                .map(|s| self.config.thresholds.band(overall::whole(s) as f64)),
            thresholds: self.config.thresholds,
            previous,
            components: current.components,
            categories: current.categories,
            crossings: self.crossings(today),
            kpis: current.kpis,
            notes: current.notes,
        }
    }
}

/// The date a month's `health_trends` row is scored as of: its last day, or `today` for the
/// current month (and any later one).
pub fn trend_as_of(month: YearMonth, today: NaiveDate) -> NaiveDate {
    month.last_day().min(today)
}

/// The full explanation of a customer's score as of `today`.
pub fn explain(
    customer_id: &str,
    customer_name: &str,
    inputs: &Inputs,
    config: &HealthConfig,
    today: NaiveDate,
) -> Explanation {
    Scorer::new(inputs, config).explain(customer_id, customer_name, today, None)
}
