//! Which activities go with long cycles or with a bad outcome: for each activity, the cases
//! that have it against the cases that do not (docs/mining.md, "Explainability"). Computed
//! from the variants alone (every case of a variant has the same activities), so it costs
//! nothing per event and is the same on every run.

use super::Variant;

/// One activity's association with cycle time and outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityEffect {
    pub activity: String,
    pub cases_with: u64,
    pub cases_without: u64,
    /// Mean cycle time (seconds) of the cases with the activity; `None` without any.
    pub mean_cycle_with: Option<f64>,
    pub mean_cycle_without: Option<f64>,
    /// with − without, seconds: positive when the activity goes with longer cycles.
    pub difference: Option<f64>,
    /// Share of cases with the activity whose outcome was bad (`Variant::bad`).
    pub bad_rate_with: Option<f64>,
    pub bad_rate_without: Option<f64>,
    /// bad_rate_with / bad_rate_without; `None` when the cases without were never bad.
    pub lift: Option<f64>,
}

#[derive(Default, Clone, Copy)]
struct Side {
    cases: u64,
    cycle: i64,
    bad: u64,
}

impl Side {
    fn add(&mut self, v: &Variant) {
        self.cases += v.frequency;
        self.cycle += v.total_cycle;
        if v.bad {
            self.bad += v.frequency;
        }
    }
    fn mean(&self) -> Option<f64> {
        (self.cases > 0).then(|| self.cycle as f64 / self.cases as f64)
    }
    fn bad_rate(&self) -> Option<f64> {
        (self.cases > 0).then(|| self.bad as f64 / self.cases as f64)
    }
}

/// Every activity of `variants`, ordered by `difference` (largest first; none last), ties by
/// name.
pub fn effects(variants: &[Variant]) -> Vec<ActivityEffect> {
    let mut activities: Vec<&str> = variants
        .iter()
        .flat_map(|v| v.activities.iter().map(String::as_str))
        .collect();
    activities.sort_unstable();
    activities.dedup();
    let mut out: Vec<ActivityEffect> = activities
        .into_iter()
        .map(|activity| {
            let (mut with, mut without) = (Side::default(), Side::default());
            for v in variants {
                if v.activities.iter().any(|a| a == activity) {
                    with.add(v);
                } else {
                    without.add(v);
                }
            }
            let difference = with.mean().zip(without.mean()).map(|(a, b)| a - b);
            let lift = match (with.bad_rate(), without.bad_rate()) {
                (Some(a), Some(b)) if b > 0.0 => Some(a / b),
                _ => None,
            };
            ActivityEffect {
                activity: activity.to_owned(),
                cases_with: with.cases,
                cases_without: without.cases,
                mean_cycle_with: with.mean(),
                mean_cycle_without: without.mean(),
                difference,
                bad_rate_with: with.bad_rate(),
                bad_rate_without: without.bad_rate(),
                lift,
            }
        })
        .collect();
    out.sort_by(|a, b| match (a.difference, b.difference) {
        (Some(x), Some(y)) => y.total_cmp(&x).then(a.activity.cmp(&b.activity)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.activity.cmp(&b.activity),
    });
    out
}
