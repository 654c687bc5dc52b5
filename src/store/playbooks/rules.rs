//! `playbook_triggers.trigger_config`: the rules a trigger fires on (docs/playbooks.md).
//!
//! Two shapes are read:
//! * `{"rules": [{"when": "health_below", "band": "red", "playbook": "renewal-risk"}, ...]}`,
//!   cscx's own, every rule naming a condition and (optionally) the playbook it opens;
//! * the seed's flat objects (`{"days_before_renewal": 90}`, `{"nps_below": 30}`): each key
//!   cscx knows becomes one rule with the shipped playbook of the trigger's type; other keys
//!   (`survey`, `min_stakeholders`, ...) are settings of the seed's own runner, kept as they
//!   are and not evaluated.

use serde::Serialize;
use serde_json::{Map, Value as Json};

/// What is wrong with a trigger configuration: the field (a path into the JSON) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub field: String,
    pub reason: String,
}

impl ConfigError {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> ConfigError {
        ConfigError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.reason)
    }
}

/// A health band below which a rule fires: `red` (below `red_below`) or `yellow` (below
/// `green_from`, red included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Red,
    Yellow,
}

/// A rule's condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "when", rename_all = "snake_case")]
pub enum When {
    /// Health below the band's threshold (the workspace's `red_below` / `green_from`).
    HealthBelow { band: Band },
    /// Health at least `points` lower than the last health score at least `days` old.
    HealthDrop { points: i64, days: i64 },
    /// A KPI whose latest month is critical (of `category`, or named `kpi`, or any).
    KpiCritical {
        #[serde(skip_serializing_if = "Option::is_none")]
        category: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        kpi: Option<String>,
    },
    /// The renewal date within `days` days from today (today included; not past).
    RenewalWithin { days: i64 },
    /// A KPI of `category` (default `Adoption & Engagement`) critical.
    LowActivation { category: String },
    /// A KPI of `category` (default `Support & Experience`) critical.
    SlaBreach { category: String },
    /// The latest value of the KPI `kpi` (default `Net Promoter Score`) below `score`.
    NpsBelow { score: f64, kpi: String },
    /// Health at least `min_health` (default: the workspace's `green_from`) and the latest
    /// value of the KPI `kpi` (default `Licence Utilisation`) at least `at_least`.
    ExpansionSignal {
        #[serde(skip_serializing_if = "Option::is_none")]
        min_health: Option<i64>,
        kpi: String,
        at_least: f64,
    },
}

pub const ADOPTION: &str = "Adoption & Engagement";
pub const SUPPORT: &str = "Support & Experience";
pub const NPS_KPI: &str = "Net Promoter Score";
pub const UTILISATION_KPI: &str = "Licence Utilisation";

/// Days after an execution of the same playbook started during which a rule does not open
/// another one (an execution completed yesterday is not reopened by the next edit).
pub const DEFAULT_COOLDOWN_DAYS: i64 = 30;

/// One rule: a condition, the playbook it opens, and its cool-down.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    #[serde(flatten)]
    pub when: When,
    pub playbook: String,
    pub cooldown_days: i64,
}

/// The playbook a rule of a trigger of `playbook_type` opens when it names none: the shipped
/// one of that type (renewal: `renewal-standard-v2` for a renewal window, `renewal-risk`
/// for everything else).
pub fn default_playbook(playbook_type: &str, when: &When) -> Option<&'static str> {
    Some(match playbook_type {
        "renewal" if matches!(when, When::RenewalWithin { .. }) => "renewal-standard-v2",
        "renewal" => "renewal-risk",
        "sla" => "sla-recovery-v1",
        "activation" => "activation-30d",
        "voc" => "voc-quarterly",
        "expansion" => "expansion-seats",
        _ => return None,
    })
}

/// Parses a trigger configuration of a trigger of `playbook_type`. An empty or null config
/// has no rules.
pub fn parse(text: Option<&str>, playbook_type: &str) -> Result<Vec<Rule>, ConfigError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Vec::new());
    };
    let json: Json = serde_json::from_str(text)
        .map_err(|e| ConfigError::new("trigger_config", format!("is not JSON ({e})")))?;
    parse_json(&json, playbook_type)
}

pub fn parse_json(json: &Json, playbook_type: &str) -> Result<Vec<Rule>, ConfigError> {
    let obj = match json {
        Json::Null => return Ok(Vec::new()),
        Json::Object(o) => o,
        _ => {
            return Err(ConfigError::new(
                "trigger_config",
                "must be an object ({\"rules\": [...]})",
            ));
        }
    };
    match obj.get("rules") {
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| rule(item, &format!("trigger_config.rules[{i}]"), playbook_type))
            .collect(),
        Some(_) => Err(ConfigError::new("trigger_config.rules", "must be a list")),
        None => legacy(obj, playbook_type),
    }
}

fn legacy(obj: &Map<String, Json>, playbook_type: &str) -> Result<Vec<Rule>, ConfigError> {
    let mut rules = Vec::new();
    let mut push = |when: When, field: &str| -> Result<(), ConfigError> {
        let playbook = default_playbook(playbook_type, &when).ok_or_else(|| {
            ConfigError::new(
                format!("trigger_config.{field}"),
                format!("has no shipped playbook for type {playbook_type}"),
            )
        })?;
        rules.push(Rule {
            when,
            playbook: playbook.to_owned(),
            cooldown_days: DEFAULT_COOLDOWN_DAYS,
        });
        Ok(())
    };
    if obj.contains_key("days_before_renewal") {
        let days = days(obj, "days_before_renewal", "trigger_config")?.unwrap_or(90);
        push(When::RenewalWithin { days }, "days_before_renewal")?;
    }
    if let Some(v) = obj.get("nps_below") {
        let score = v
            .as_f64()
            .filter(|s| (-100.0..=100.0).contains(s))
            .ok_or_else(|| {
                ConfigError::new(
                    "trigger_config.nps_below",
                    "must be a number from -100 to 100",
                )
            })?;
        push(
            When::NpsBelow {
                score,
                kpi: NPS_KPI.to_owned(),
            },
            "nps_below",
        )?;
    }
    Ok(rules)
}

/// A non-negative whole number of days at `key`, or None when absent.
fn days(obj: &Map<String, Json>, key: &str, at: &str) -> Result<Option<i64>, ConfigError> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .filter(|d| (0..=3650).contains(d))
            .map(Some)
            .ok_or_else(|| {
                ConfigError::new(
                    format!("{at}.{key}"),
                    "must be a whole number of days from 0 to 3650",
                )
            }),
    }
}

fn text(obj: &Map<String, Json>, key: &str, at: &str) -> Result<Option<String>, ConfigError> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(ConfigError::new(
            format!("{at}.{key}"),
            "must be a non-empty text",
        )),
    }
}

fn number(obj: &Map<String, Json>, key: &str, at: &str) -> Result<Option<f64>, ConfigError> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => v
            .as_f64()
            .filter(|n| n.is_finite())
            .map(Some)
            .ok_or_else(|| ConfigError::new(format!("{at}.{key}"), "must be a number")),
    }
}

fn percent(obj: &Map<String, Json>, key: &str, at: &str) -> Result<Option<i64>, ConfigError> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .filter(|p| (0..=100).contains(p))
            .map(Some)
            .ok_or_else(|| {
                ConfigError::new(
                    format!("{at}.{key}"),
                    "must be a whole number from 0 to 100",
                )
            }),
    }
}

const KNOWN: &[&str] = &[
    "health_below",
    "health_drop",
    "kpi_critical",
    "renewal_within",
    "low_activation",
    "sla_breach",
    "nps_below",
    "expansion_signal",
];

fn rule(item: &Json, at: &str, playbook_type: &str) -> Result<Rule, ConfigError> {
    let Json::Object(obj) = item else {
        return Err(ConfigError::new(at, "must be an object with \"when\""));
    };
    let Some(kind) = obj.get("when").and_then(Json::as_str) else {
        return Err(ConfigError::new(
            format!("{at}.when"),
            format!("is required, one of {}", KNOWN.join(", ")),
        ));
    };
    let when = match kind {
        "health_below" => {
            let band = match obj.get("band").and_then(Json::as_str) {
                Some("red") => Band::Red,
                Some("yellow") => Band::Yellow,
                _ => {
                    return Err(ConfigError::new(
                        format!("{at}.band"),
                        "must be \"red\" or \"yellow\"",
                    ));
                }
            };
            When::HealthBelow { band }
        }
        "health_drop" => {
            let points = percent(obj, "points", at)?
                .filter(|p| *p >= 1)
                .ok_or_else(|| {
                    ConfigError::new(
                        format!("{at}.points"),
                        "is required, a whole number from 1 to 100",
                    )
                })?;
            let days = days(obj, "days", at)?.unwrap_or(7).max(1);
            When::HealthDrop { points, days }
        }
        "kpi_critical" => When::KpiCritical {
            category: text(obj, "category", at)?,
            kpi: text(obj, "kpi", at)?,
        },
        "renewal_within" => {
            let days = days(obj, "days", at)?.ok_or_else(|| {
                ConfigError::new(
                    format!("{at}.days"),
                    "is required, a whole number of days from 0 to 3650",
                )
            })?;
            When::RenewalWithin { days }
        }
        "low_activation" => When::LowActivation {
            category: text(obj, "category", at)?.unwrap_or_else(|| ADOPTION.to_owned()),
        },
        "sla_breach" => When::SlaBreach {
            category: text(obj, "category", at)?.unwrap_or_else(|| SUPPORT.to_owned()),
        },
        "nps_below" => {
            let score = number(obj, "score", at)?
                .ok_or_else(|| ConfigError::new(format!("{at}.score"), "is required, a number"))?;
            When::NpsBelow {
                score,
                kpi: text(obj, "kpi", at)?.unwrap_or_else(|| NPS_KPI.to_owned()),
            }
        }
        "expansion_signal" => When::ExpansionSignal {
            min_health: percent(obj, "min_health", at)?,
            kpi: text(obj, "kpi", at)?.unwrap_or_else(|| UTILISATION_KPI.to_owned()),
            at_least: number(obj, "at_least", at)?.unwrap_or(85.0),
        },
        other => {
            return Err(ConfigError::new(
                format!("{at}.when"),
                format!("is {other:?}: must be one of {}", KNOWN.join(", ")),
            ));
        }
    };
    let playbook = match text(obj, "playbook", at)? {
        Some(p) => p,
        None => default_playbook(playbook_type, &when)
            .ok_or_else(|| {
                ConfigError::new(
                    format!("{at}.playbook"),
                    format!("is required (type {playbook_type} has no shipped playbook)"),
                )
            })?
            .to_owned(),
    };
    let cooldown_days = days(obj, "cooldown_days", at)?.unwrap_or(DEFAULT_COOLDOWN_DAYS);
    Ok(Rule {
        when,
        playbook,
        cooldown_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, kind: &str) -> Rule {
        let mut rules = parse(Some(text), kind).expect("parses");
        assert_eq!(rules.len(), 1, "{rules:?}");
        rules.remove(0)
    }

    #[test]
    fn reads_the_rules_shape() {
        let r = one(
            r#"{"rules":[{"when":"health_below","band":"red","playbook":"renewal-risk"}]}"#,
            "renewal",
        );
        assert_eq!(r.when, When::HealthBelow { band: Band::Red });
        assert_eq!(r.playbook, "renewal-risk");
        assert_eq!(r.cooldown_days, DEFAULT_COOLDOWN_DAYS);
        let r = one(
            r#"{"rules":[{"when":"health_drop","points":15,"cooldown_days":0}]}"#,
            "renewal",
        );
        assert_eq!(
            r.when,
            When::HealthDrop {
                points: 15,
                days: 7
            }
        );
        assert_eq!(r.playbook, "renewal-risk");
        assert_eq!(r.cooldown_days, 0);
        let r = one(
            r#"{"rules":[{"when":"renewal_within","days":90}]}"#,
            "renewal",
        );
        assert_eq!(r.playbook, "renewal-standard-v2");
        let r = one(r#"{"rules":[{"when":"sla_breach"}]}"#, "sla");
        assert_eq!(
            r.when,
            When::SlaBreach {
                category: SUPPORT.into()
            }
        );
        assert_eq!(r.playbook, "sla-recovery-v1");
        let r = one(
            r#"{"rules":[{"when":"expansion_signal","min_health":75}]}"#,
            "expansion",
        );
        assert_eq!(
            r.when,
            When::ExpansionSignal {
                min_health: Some(75),
                kpi: UTILISATION_KPI.into(),
                at_least: 85.0
            }
        );
    }

    #[test]
    fn reads_the_seed_shapes() {
        let r = one(r#"{"days_before_renewal": 90}"#, "renewal");
        assert_eq!(r.when, When::RenewalWithin { days: 90 });
        assert_eq!(r.playbook, "renewal-standard-v2");
        let r = one(r#"{"nps_below": 30}"#, "voc");
        assert_eq!(
            r.when,
            When::NpsBelow {
                score: 30.0,
                kpi: NPS_KPI.into()
            }
        );
        assert_eq!(r.playbook, "voc-quarterly");
        // the seed runner's own settings: kept, not evaluated
        assert!(
            parse(Some(r#"{"survey":"nps","send_after_days":90}"#), "voc")
                .expect("parses")
                .is_empty()
        );
        assert!(parse(None, "voc").expect("parses").is_empty());
        assert!(parse(Some("{}"), "voc").expect("parses").is_empty());
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        let field = |text: &str| parse(Some(text), "renewal").expect_err("refused").field;
        assert_eq!(field("[1]"), "trigger_config");
        assert_eq!(field("not json"), "trigger_config");
        assert_eq!(field(r#"{"rules": 3}"#), "trigger_config.rules");
        assert_eq!(
            field(r#"{"rules":[{"when":"health_below","band":"blue"}]}"#),
            "trigger_config.rules[0].band"
        );
        assert_eq!(
            field(r#"{"rules":[{"when":"renewal_within"},{"when":"x"}]}"#),
            "trigger_config.rules[0].days"
        );
        assert_eq!(
            field(r#"{"rules":[{"when":"sla_breach"},{"when":"x"}]}"#),
            "trigger_config.rules[1].when"
        );
        assert_eq!(
            field(r#"{"rules":[{"when":"health_drop","points":0}]}"#),
            "trigger_config.rules[0].points"
        );
        assert_eq!(
            field(r#"{"days_before_renewal": "soon"}"#),
            "trigger_config.days_before_renewal"
        );
        assert_eq!(field(r#"{"nps_below": 300}"#), "trigger_config.nps_below");
    }

    #[test]
    fn a_rule_serialises_to_what_it_says() {
        let r = one(
            r#"{"rules":[{"when":"health_below","band":"red"}]}"#,
            "renewal",
        );
        let json = serde_json::to_value(&r).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"when": "health_below", "band": "red",
                               "playbook": "renewal-risk", "cooldown_days": 30})
        );
    }
}
