//! A workspace's health configuration (`workspace_configs`), parsed and validated.
//!
//! The same functions reject bad configuration at write time (`store::rules`) and read it at
//! scoring time, so what is accepted is exactly what can be scored. Every error names the
//! field it is about.

use serde_json::Value as Json;

use super::explain::Thresholds;
use super::kpi::{Bounds, ReferenceRange};

/// Seed 002's default category weights (`customer_configs.category_weights`).
pub const DEFAULT_CATEGORY_WEIGHTS: [(&str, f64); 5] = [
    ("Relationship Strength", 0.20),
    ("Adoption & Engagement", 0.25),
    ("Support & Experience", 0.20),
    ("Product Value", 0.20),
    ("Business Outcomes", 0.15),
];

/// The components of the overall score, by their key in `component_weights`.
pub const COMPONENT_KEYS: [&str; 3] = ["kpi", "engagement", "adoption"];

/// Weights of the overall score's components. A component missing from the JSON object
/// weighs 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ComponentWeights {
    pub kpi: f64,
    pub engagement: f64,
    pub adoption: f64,
}

impl Default for ComponentWeights {
    fn default() -> Self {
        ComponentWeights {
            kpi: 0.6,
            engagement: 0.2,
            adoption: 0.2,
        }
    }
}

/// Everything about a workspace that scoring needs.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthConfig {
    /// Category name → weight, in the order they are shown (sorted by name).
    pub category_weights: Vec<(String, f64)>,
    pub component_weights: ComponentWeights,
    pub thresholds: Thresholds,
}

impl Default for HealthConfig {
    fn default() -> Self {
        let mut category_weights: Vec<(String, f64)> = DEFAULT_CATEGORY_WEIGHTS
            .iter()
            .map(|(n, w)| ((*n).to_owned(), *w))
            .collect();
        // the order a parsed configuration has (see parse_weights)
        category_weights.sort_by(|a, b| a.0.cmp(&b.0));
        HealthConfig {
            category_weights,
            component_weights: ComponentWeights::default(),
            thresholds: Thresholds::default(),
        }
    }
}

/// A configuration value that cannot be scored with, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The column at fault, e.g. `category_weights`, `risk_min`.
    pub field: &'static str,
    pub reason: String,
}

impl ConfigError {
    fn new(field: &'static str, reason: impl Into<String>) -> ConfigError {
        ConfigError {
            field,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// Parses a weights object: every value a finite number ≥ 0, at least one above 0.
fn parse_weights(field: &'static str, text: &str) -> Result<Vec<(String, f64)>, ConfigError> {
    let json: Json = serde_json::from_str(text)
        .map_err(|e| ConfigError::new(field, format!("is not valid JSON: {e}")))?;
    let Json::Object(object) = json else {
        return Err(ConfigError::new(
            field,
            format!("must be a JSON object of name → weight, not {text}"),
        ));
    };
    let mut weights = Vec::with_capacity(object.len());
    for (name, value) in object {
        let weight = value.as_f64().filter(|w| w.is_finite()).ok_or_else(|| {
            ConfigError::new(
                field,
                format!("weight of \"{name}\" must be a number, not {value}"),
            )
        })?;
        if weight < 0.0 {
            return Err(ConfigError::new(
                field,
                format!("weight of \"{name}\" must not be negative ({weight})"),
            ));
        }
        if name.trim().is_empty() {
            return Err(ConfigError::new(field, "a name must not be empty"));
        }
        weights.push((name, weight));
    }
    // one order whatever serde_json's map keeps (sorted, or insertion order with the
    // preserve_order feature): categories are shown in it
    weights.sort_by(|a, b| a.0.cmp(&b.0));
    if !weights.iter().any(|(_, w)| *w > 0.0) {
        return Err(ConfigError::new(
            field,
            "needs at least one weight above 0 (all zero or empty)",
        ));
    }
    Ok(weights)
}

/// `workspace_configs.category_weights`: KPI category name → weight. Names are matched
/// case-insensitively, so two spellings of one name are refused.
pub fn parse_category_weights(text: &str) -> Result<Vec<(String, f64)>, ConfigError> {
    let weights = parse_weights("category_weights", text)?;
    for (i, (a, _)) in weights.iter().enumerate() {
        if let Some((b, _)) = weights[i + 1..].iter().find(|(b, _)| same_name(a, b)) {
            return Err(ConfigError::new(
                "category_weights",
                format!("\"{a}\" and \"{b}\" name the same category"),
            ));
        }
    }
    Ok(weights)
}

/// `workspace_configs.component_weights`: weights of `kpi`, `engagement` and `adoption`.
pub fn parse_component_weights(text: &str) -> Result<ComponentWeights, ConfigError> {
    let mut weights = ComponentWeights {
        kpi: 0.0,
        engagement: 0.0,
        adoption: 0.0,
    };
    for (name, weight) in parse_weights("component_weights", text)? {
        match name.as_str() {
            "kpi" => weights.kpi = weight,
            "engagement" => weights.engagement = weight,
            "adoption" => weights.adoption = weight,
            _ => {
                return Err(ConfigError::new(
                    "component_weights",
                    format!(
                        "\"{name}\" is not a component (known: {})",
                        COMPONENT_KEYS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(weights)
}

/// `red_below` and `green_from`: 0-100, red_below ≤ green_from.
pub fn check_thresholds(red_below: i64, green_from: i64) -> Result<Thresholds, ConfigError> {
    let percent = |field: &'static str, v: i64| {
        u8::try_from(v)
            .ok()
            .filter(|v| *v <= 100)
            .ok_or_else(|| ConfigError::new(field, format!("must be 0-100, not {v}")))
    };
    let red = percent("red_below", red_below)?;
    let green = percent("green_from", green_from)?;
    if red > green {
        return Err(ConfigError::new(
            "red_below",
            format!("({red}) must not be above green_from ({green})"),
        ));
    }
    Ok(Thresholds {
        red_below: red,
        green_from: green,
    })
}

/// A reference range can be scored unambiguously: each band's min ≤ max, no two bands
/// overlap (sharing a bound is fine), and the bands lie in the order `higher_is_better` says
/// (critical, risk, healthy from worse to better).
pub fn check_range(range: &ReferenceRange) -> Result<(), ConfigError> {
    // the columns of each band, in the order of `KpiStatus::ALL`
    const FIELDS: [(&str, &str); 3] = [
        ("critical_min", "critical_max"),
        ("risk_min", "risk_max"),
        ("healthy_min", "healthy_max"),
    ];
    let bands: Vec<(usize, Bounds)> = [range.critical, range.risk, range.healthy]
        .into_iter()
        .enumerate()
        .filter(|(_, b)| b.is_defined())
        .collect();
    for (i, b) in &bands {
        let (min_field, max_field) = FIELDS[*i];
        let name = super::explain::KpiStatus::ALL[*i].as_str();
        for (field, v) in [(min_field, b.min), (max_field, b.max)] {
            if v.is_some_and(|v| !v.is_finite()) {
                return Err(ConfigError::new(field, "must be a finite number"));
            }
        }
        if let (Some(min), Some(max)) = (b.min, b.max)
            && min > max
        {
            return Err(ConfigError::new(
                min_field,
                format!("({min}) is above {max_field} ({max}): the {name} band is empty"),
            ));
        }
    }
    let lo = |b: &Bounds| b.min.unwrap_or(f64::NEG_INFINITY);
    let hi = |b: &Bounds| b.max.unwrap_or(f64::INFINITY);
    for (x, (i, a)) in bands.iter().enumerate() {
        for (j, b) in &bands[x + 1..] {
            let a_name = super::explain::KpiStatus::ALL[*i].as_str();
            let b_name = super::explain::KpiStatus::ALL[*j].as_str();
            let (b_min, _) = FIELDS[*j];
            if lo(a).max(lo(b)) < hi(a).min(hi(b)) {
                return Err(ConfigError::new(
                    b_min,
                    format!("the {a_name} and {b_name} bands overlap"),
                ));
            }
            // no overlap: one lies wholly below the other; worse must be below when higher
            // is better, above when lower is better (band i is worse than band j)
            let worse_is_below = hi(a) <= lo(b);
            if worse_is_below != range.higher_is_better {
                let direction = if range.higher_is_better {
                    "higher"
                } else {
                    "lower"
                };
                return Err(ConfigError::new(
                    b_min,
                    format!(
                        "the {b_name} band must lie {} the {a_name} band when {direction} is better",
                        if range.higher_is_better {
                            "above"
                        } else {
                            "below"
                        }
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Category names match case-insensitively, ignoring surrounding spaces. (No allocation: the
/// roll-up compares names many times per customer and month.)
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_seed_002s_and_valid() {
        let c = HealthConfig::default();
        let sum: f64 = c.category_weights.iter().map(|(_, w)| w).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        // the migration's column defaults parse to the same thing
        let from_db = parse_category_weights(
            r#"{"Relationship Strength":0.20,"Adoption & Engagement":0.25,"Support & Experience":0.20,"Product Value":0.20,"Business Outcomes":0.15}"#,
        )
        .unwrap();
        assert_eq!(from_db, c.category_weights);
        assert_eq!(
            parse_component_weights(r#"{"kpi":0.60,"engagement":0.20,"adoption":0.20}"#).unwrap(),
            ComponentWeights::default()
        );
    }

    #[test]
    fn bad_weights_are_refused_naming_the_field() {
        let err = |t: &str| parse_category_weights(t).unwrap_err();
        assert_eq!(err("[0.5, 0.5]").field, "category_weights");
        assert!(err("[0.5, 0.5]").reason.contains("JSON object"));
        assert!(err("{not json").reason.contains("not valid JSON"));
        assert!(err(r#"{"A": -0.1, "B": 1}"#).reason.contains("negative"));
        assert!(err(r#"{"A": "0.5"}"#).reason.contains("must be a number"));
        assert!(err(r#"{"A": null}"#).reason.contains("must be a number"));
        assert!(err(r#"{"A": 0, "B": 0}"#).reason.contains("above 0"));
        assert!(err("{}").reason.contains("above 0"));
        assert!(
            err(r#"{"Product Value": 1, "product value ": 1}"#)
                .reason
                .contains("same")
        );
        let e = parse_component_weights(r#"{"kpi": 1, "vibes": 1}"#).unwrap_err();
        assert_eq!(e.field, "component_weights");
        assert!(e.reason.contains("vibes"));
        assert_eq!(
            parse_component_weights(r#"{"kpi":0,"engagement":0}"#)
                .unwrap_err()
                .field,
            "component_weights"
        );
    }

    #[test]
    fn weights_not_summing_to_one_are_accepted() {
        let w = parse_category_weights(r#"{"A": 2, "B": 6}"#).unwrap();
        assert_eq!(w, vec![("A".into(), 2.0), ("B".into(), 6.0)]);
        // a missing component weighs 0
        let c = parse_component_weights(r#"{"kpi": 3}"#).unwrap();
        assert_eq!((c.kpi, c.engagement, c.adoption), (3.0, 0.0, 0.0));
    }

    #[test]
    fn names_match_ignoring_case_and_spaces() {
        assert!(same_name("Product Value", " product value "));
        assert!(same_name("Übersicht", "ÜBERSICHT"));
        assert!(!same_name("Product Value", "Product Values"));
    }

    #[test]
    fn thresholds() {
        assert_eq!(
            check_thresholds(40, 70).unwrap(),
            Thresholds {
                red_below: 40,
                green_from: 70
            }
        );
        assert!(check_thresholds(50, 50).is_ok());
        assert_eq!(check_thresholds(71, 70).unwrap_err().field, "red_below");
        assert_eq!(check_thresholds(-1, 70).unwrap_err().field, "red_below");
        assert_eq!(check_thresholds(40, 101).unwrap_err().field, "green_from");
    }

    fn r(
        hib: bool,
        c: [Option<f64>; 2],
        k: [Option<f64>; 2],
        h: [Option<f64>; 2],
    ) -> ReferenceRange {
        ReferenceRange {
            higher_is_better: hib,
            critical: Bounds::new(c[0], c[1]),
            risk: Bounds::new(k[0], k[1]),
            healthy: Bounds::new(h[0], h[1]),
        }
    }

    #[test]
    fn ranges() {
        let s = Some;
        // shared bounds, gaps, open ends and missing bands are all fine
        assert!(
            check_range(&r(
                true,
                [s(0.0), s(30.0)],
                [s(30.0), s(50.0)],
                [s(50.0), s(100.0)]
            ))
            .is_ok()
        );
        assert!(
            check_range(&r(
                true,
                [s(0.0), s(29.0)],
                [s(31.0), s(49.0)],
                [s(51.0), None]
            ))
            .is_ok()
        );
        assert!(
            check_range(&r(
                false,
                [s(10.0), None],
                [s(5.0), s(10.0)],
                [None, s(5.0)]
            ))
            .is_ok()
        );
        assert!(check_range(&r(true, [None, None], [None, None], [s(80.0), None])).is_ok());
        assert!(check_range(&r(true, [s(5.0), s(5.0)], [None, None], [s(5.0), s(9.0)])).is_ok());

        let e = check_range(&r(true, [s(30.0), s(0.0)], [None, None], [None, None])).unwrap_err();
        assert_eq!(e.field, "critical_min");
        assert!(e.reason.contains("empty"), "{e}");
        let e = check_range(&r(
            true,
            [s(0.0), s(40.0)],
            [s(30.0), s(50.0)],
            [None, None],
        ))
        .unwrap_err();
        assert_eq!(e.field, "risk_min");
        assert!(e.reason.contains("overlap"), "{e}");
        // open ends overlap too: critical up to 50, healthy from 40 up
        let e = check_range(&r(true, [None, s(50.0)], [None, None], [s(40.0), None])).unwrap_err();
        assert!(e.reason.contains("overlap"), "{e}");
        // the right bands in the wrong order for the direction
        let e = check_range(&r(
            true,
            [s(50.0), s(100.0)],
            [s(30.0), s(50.0)],
            [s(0.0), s(30.0)],
        ))
        .unwrap_err();
        assert!(e.reason.contains("above"), "{e}");
        let e = check_range(&r(
            false,
            [s(0.0), s(30.0)],
            [s(30.0), s(50.0)],
            [None, None],
        ))
        .unwrap_err();
        assert!(e.reason.contains("below"), "{e}");
        let e = check_range(&r(
            true,
            [s(f64::INFINITY), None],
            [None, None],
            [None, None],
        ))
        .unwrap_err();
        assert_eq!(e.field, "critical_min");
    }
}
