//! KPI scores rolled up by category, then categories by the workspace's weights into the KPI
//! component (seed 002's flow: KPI scores → categories → health_trends).
//!
//! * A category's score is the mean of its valid KPIs' scores, weighted by each KPI's own
//!   `kpis.weight` (missing = 1). If those weights are all 0 the plain mean is used.
//! * A category counts with its weight from `category_weights` (names match
//!   case-insensitively). A category with no valid KPI, a weight of 0, or no weight at all is
//!   left out, and the others are re-weighted: effective weight = weight / sum of the weights
//!   of the categories that count. The explanation's notes say which and why.
//! * The KPI component is the sum of effective weight × category score; none when no category
//!   counts.

use super::config::same_name;
use super::explain::CategoryScore;
use super::round_tenth;

/// One KPI as the roll-up sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredKpi<'a> {
    pub category: &'a str,
    /// `kpis.weight`; None counts as 1.
    pub weight: Option<f64>,
    /// None: no value, or no usable reference range.
    pub score: Option<f64>,
}

/// The KPI component and how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    pub categories: Vec<CategoryScore>,
    pub value: Option<f64>,
    pub notes: Vec<String>,
}

/// Rolls `kpis` up by category with `weights` (rules in the module documentation).
pub fn roll_up(kpis: &[ScoredKpi<'_>], weights: &[(String, f64)]) -> Rollup {
    let layout = Layout::new(kpis.iter().map(|k| k.category), weights);
    let scores: Vec<(Option<f64>, Option<f64>)> =
        kpis.iter().map(|k| (k.weight, k.score)).collect();
    layout.roll_up(&scores, true)
}

/// Which category each KPI of a customer belongs to, worked out once: a customer is rolled up
/// for every month of its trend, and matching names is the expensive part.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Configured categories first, in configuration order, then the KPIs' own categories
    /// (sorted), with their configured weight (None: not configured).
    categories: Vec<(String, Option<f64>)>,
    /// The category index of each KPI, in the order the KPIs were given.
    of_kpi: Vec<usize>,
}

impl Layout {
    pub fn new<'a>(
        kpi_categories: impl Iterator<Item = &'a str>,
        weights: &[(String, f64)],
    ) -> Layout {
        let mut categories: Vec<(String, Option<f64>)> =
            weights.iter().map(|(n, w)| (n.clone(), Some(*w))).collect();
        let kpi_categories: Vec<&str> = kpi_categories.collect();
        let mut unknown: Vec<String> = Vec::new();
        for c in &kpi_categories {
            if !categories.iter().any(|(n, _)| same_name(n, c))
                && !unknown.iter().any(|n| same_name(n, c))
            {
                unknown.push(c.trim().to_owned());
            }
        }
        unknown.sort_by_key(|n| n.to_lowercase());
        categories.extend(unknown.into_iter().map(|n| (n, None)));
        let of_kpi = kpi_categories
            .iter()
            .map(|c| {
                categories
                    .iter()
                    .position(|(n, _)| same_name(n, c))
                    .unwrap_or(0) // every KPI category was added above
            })
            .collect();
        Layout { categories, of_kpi }
    }

    /// Rolls up one month: `kpis[i]` is the i-th KPI's (`kpis.weight`, score). Notes are
    /// written only when asked for (the explanation), not for every trend month.
    pub fn roll_up(&self, kpis: &[(Option<f64>, Option<f64>)], with_notes: bool) -> Rollup {
        #[derive(Clone, Copy, Default)]
        struct Sums {
            total: u32,
            valid: u32,
            weight: f64,
            weighted: f64,
            plain: f64,
        }
        let mut sums = vec![Sums::default(); self.categories.len()];
        for (&c, &(weight, score)) in self.of_kpi.iter().zip(kpis) {
            let s = &mut sums[c];
            s.total += 1;
            if let Some(score) = score {
                let w = weight.unwrap_or(1.0).max(0.0);
                s.valid += 1;
                s.weight += w;
                s.weighted += w * score;
                s.plain += score;
            }
        }
        let mut notes = Vec::new();
        let mut categories: Vec<CategoryScore> = self
            .categories
            .iter()
            .zip(&sums)
            .map(|((name, weight), s)| {
                let score = match s.valid {
                    0 => None,
                    n if s.weight <= 0.0 => {
                        if with_notes {
                            notes.push(format!(
                                "{name}: every KPI weighs 0, so its KPIs are averaged equally"
                            ));
                        }
                        Some(round_tenth(s.plain / f64::from(n)))
                    }
                    _ => Some(round_tenth(s.weighted / s.weight)),
                };
                if with_notes {
                    match weight {
                        None => notes.push(format!(
                            "{name} is not among the workspace's category weights: its {} KPI(s) do not count",
                            s.total
                        )),
                        Some(w) if *w <= 0.0 && score.is_some() => {
                            notes.push(format!("{name} weighs 0 in this workspace: not counted"));
                        }
                        Some(_) => {}
                    }
                }
                CategoryScore {
                    name: name.clone(),
                    weight: weight.unwrap_or(0.0),
                    effective_weight: 0.0,
                    score,
                    total_kpis: s.total,
                    valid_kpis: s.valid,
                }
            })
            .collect();

        let counts = |c: &CategoryScore| c.score.is_some() && c.weight > 0.0;
        let total_weight: f64 = categories
            .iter()
            .filter(|c| counts(c))
            .map(|c| c.weight)
            .sum();
        let mut value = None;
        if total_weight > 0.0 {
            let mut sum = 0.0;
            for c in categories.iter_mut().filter(|c| counts(c)) {
                c.effective_weight = c.weight / total_weight;
                sum += c.effective_weight * c.score.unwrap_or(0.0);
            }
            value = Some(round_tenth(sum));
            if with_notes {
                for c in categories
                    .iter()
                    .filter(|c| c.weight > 0.0 && c.score.is_none())
                {
                    notes.push(format!(
                        "{} has no valid KPI: left out, the other categories re-weighted",
                        c.name
                    ));
                }
            }
        } else if with_notes && !kpis.is_empty() {
            notes.push(
                "no KPI category has both a valid KPI and a weight: the KPI component is left out"
                    .to_owned(),
            );
        }
        Rollup {
            categories,
            value,
            notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
        pairs.iter().map(|(n, w)| ((*n).to_owned(), *w)).collect()
    }

    fn k(category: &str, weight: Option<f64>, score: Option<f64>) -> ScoredKpi<'_> {
        ScoredKpi {
            category,
            weight,
            score,
        }
    }

    #[test]
    fn categories_are_weighted_means_and_weights_are_normalised() {
        // weights 2 and 6 (sum 8, not 1): effective 0.25 and 0.75
        let kpis = [
            k("A", None, Some(80.0)),
            k("A", Some(3.0), Some(40.0)),
            k("b", None, Some(60.0)), // "b" is category "B" in another case
        ];
        let r = roll_up(&kpis, &w(&[("A", 2.0), ("B", 6.0)]));
        let a = &r.categories[0];
        assert_eq!(a.score, Some(50.0), "(1×80 + 3×40) / 4");
        assert_eq!((a.total_kpis, a.valid_kpis), (2, 2));
        assert_eq!(a.effective_weight, 0.25);
        assert_eq!(r.categories[1].effective_weight, 0.75);
        assert_eq!(r.value, Some(57.5), "0.25×50 + 0.75×60");
        assert!(r.notes.is_empty(), "{:?}", r.notes);
    }

    #[test]
    fn a_category_without_a_valid_kpi_is_left_out_and_the_rest_reweighted() {
        let kpis = [
            k("A", None, Some(80.0)),
            k("B", None, None), // e.g. no reference range
        ];
        let r = roll_up(&kpis, &w(&[("A", 0.2), ("B", 0.6), ("C", 0.2)]));
        assert_eq!(r.value, Some(80.0), "A alone, effective weight 1");
        assert_eq!(r.categories[0].effective_weight, 1.0);
        assert_eq!(r.categories[1].score, None);
        assert_eq!(
            (r.categories[1].total_kpis, r.categories[1].valid_kpis),
            (1, 0)
        );
        assert_eq!(r.categories[1].effective_weight, 0.0);
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("B has no valid KPI: left out"))
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("C has no valid KPI: left out"))
        );
    }

    #[test]
    fn zero_weights() {
        // a category weighing 0 does not count
        let kpis = [k("A", None, Some(80.0)), k("B", None, Some(20.0))];
        let r = roll_up(&kpis, &w(&[("A", 1.0), ("B", 0.0)]));
        assert_eq!(r.value, Some(80.0));
        assert!(
            r.notes
                .iter()
                .any(|n| n == "B weighs 0 in this workspace: not counted")
        );
        // KPIs weighing 0 in a category: plain mean
        let kpis = [k("A", Some(0.0), Some(80.0)), k("A", Some(0.0), Some(20.0))];
        let r = roll_up(&kpis, &w(&[("A", 1.0)]));
        assert_eq!(r.value, Some(50.0));
        assert!(r.notes[0].contains("averaged equally"));
        // one KPI weighing 0 next to a weighted one contributes nothing
        let kpis = [k("A", Some(0.0), Some(80.0)), k("A", Some(2.0), Some(20.0))];
        assert_eq!(roll_up(&kpis, &w(&[("A", 1.0)])).value, Some(20.0));
    }

    #[test]
    fn unknown_categories_are_shown_but_do_not_count() {
        let kpis = [k("A", None, Some(80.0)), k("Security", None, Some(10.0))];
        let r = roll_up(&kpis, &w(&[("A", 1.0)]));
        assert_eq!(r.value, Some(80.0));
        assert_eq!(r.categories[1].name, "Security");
        assert_eq!(r.categories[1].score, Some(10.0));
        assert_eq!(r.categories[1].effective_weight, 0.0);
        assert!(r.notes.iter().any(|n| n.contains("Security is not among")));
    }

    #[test]
    fn no_valid_kpi_at_all_means_no_kpi_component() {
        let r = roll_up(&[k("A", None, None)], &w(&[("A", 1.0)]));
        assert_eq!(r.value, None);
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("KPI component is left out"))
        );
        // no KPIs at all: nothing to say
        let r = roll_up(&[], &w(&[("A", 1.0)]));
        assert_eq!(r.value, None);
        assert!(r.notes.is_empty());
    }
}
