//! The overall score: components combined by the workspace's `component_weights`.
//!
//! A component counts when it has a value and a weight above 0; the weights of those that
//! count are normalised to sum to 1 (effective weights). Each contribution is effective
//! weight × value rounded to a tenth of a point, and the score is the sum of the
//! contributions — so the contributions an explanation shows add up to its score exactly.
//! No component counting means no score.

use super::explain::Component;

/// One component before combination.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentInput {
    pub key: &'static str,
    pub label: &'static str,
    pub weight: f64,
    pub value: Option<f64>,
    pub detail: String,
}

/// Components with their effective weights and contributions, and the score they add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Combined {
    pub components: Vec<Component>,
    pub score: Option<f64>,
}

pub fn combine(inputs: Vec<ComponentInput>) -> Combined {
    let counts = |c: &ComponentInput| c.value.is_some() && c.weight > 0.0;
    let total: f64 = inputs.iter().filter(|c| counts(c)).map(|c| c.weight).sum();
    let mut score_tenths: i64 = 0;
    let mut any = false;
    let components = inputs
        .into_iter()
        .map(|c| {
            let (effective_weight, contribution) = match c.value {
                Some(v) if c.weight > 0.0 && total > 0.0 => {
                    let effective = c.weight / total;
                    let tenths = super::tenths(effective * v);
                    score_tenths += tenths;
                    any = true;
                    (effective, tenths as f64 / 10.0)
                }
                _ => (0.0, 0.0),
            };
            Component {
                key: c.key.to_owned(),
                label: c.label.to_owned(),
                weight: c.weight,
                effective_weight,
                value: c.value,
                contribution,
                detail: c.detail,
            }
        })
        .collect();
    Combined {
        components,
        score: any.then(|| score_tenths as f64 / 10.0),
    }
}

/// The whole-number score shown in lists and stored in `customers.health_score`: the score
/// rounded half up.
pub fn whole(score: f64) -> i64 {
    (super::tenths(score) + 5).div_euclid(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(key: &'static str, weight: f64, value: Option<f64>) -> ComponentInput {
        ComponentInput {
            key,
            label: key,
            weight,
            value,
            detail: String::new(),
        }
    }

    #[test]
    fn contributions_add_up_to_the_score() {
        let r = combine(vec![
            c("kpi", 0.6, Some(61.7)),
            c("engagement", 0.2, Some(40.0)),
            c("adoption", 0.2, Some(33.3)),
        ]);
        let contributions: Vec<f64> = r.components.iter().map(|c| c.contribution).collect();
        // 37.02 → 37.0, 8.0, 6.66 → 6.7
        assert_eq!(contributions, vec![37.0, 8.0, 6.7]);
        assert_eq!(r.score, Some(51.7));
        assert_eq!(whole(51.7), 52);
        assert_eq!(whole(51.5), 52, "half up");
        assert_eq!(whole(51.4), 51);
    }

    #[test]
    fn components_without_data_or_weight_are_left_out_and_the_rest_renormalised() {
        let r = combine(vec![
            c("kpi", 0.6, None),
            c("engagement", 0.2, Some(40.0)),
            c("adoption", 0.2, Some(80.0)),
        ]);
        assert_eq!(r.components[0].effective_weight, 0.0);
        assert_eq!(r.components[1].effective_weight, 0.5);
        assert_eq!(r.score, Some(60.0));
        let r = combine(vec![
            c("kpi", 0.0, Some(90.0)),
            c("engagement", 1.0, Some(40.0)),
        ]);
        assert_eq!(r.score, Some(40.0), "a zero weight does not count");
        assert_eq!(r.components[0].contribution, 0.0);
    }

    #[test]
    fn nothing_to_count_means_no_score() {
        let r = combine(vec![c("kpi", 0.6, None), c("engagement", 0.2, None)]);
        assert_eq!(r.score, None);
        assert!(r.components.iter().all(|c| c.contribution == 0.0));
    }
}
