//! The worked example of docs/health.md, number for number, and properties of whole
//! explanations.

use chrono::NaiveDate;

use super::explain::{Band, KpiStatus};
use super::kpi::{Bounds, ReferenceRange};
use super::signals::{DayCount, Training};
use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn ym(y: i64, m: i64) -> YearMonth {
    YearMonth::new(y, m).expect("test month")
}

fn band(min: f64, max: f64) -> Bounds {
    Bounds::new(Some(min), Some(max))
}

fn kpi(
    name: &str,
    category: &str,
    weight: Option<f64>,
    range: Option<ReferenceRange>,
    values: &[(YearMonth, f64)],
) -> KpiInput {
    KpiInput {
        name: name.into(),
        category: category.into(),
        weight,
        range,
        values: values.to_vec(),
    }
}

fn day(s: &str, messages: u32, calls: u32, meetings: u32) -> DayCount {
    DayCount {
        day: d(s),
        messages,
        calls,
        meetings,
    }
}

/// Acme, as docs/health.md describes it, on 2026-11-21.
fn acme() -> Inputs {
    let nps = ReferenceRange {
        higher_is_better: true,
        critical: band(-100.0, 0.0),
        risk: band(0.0, 30.0),
        healthy: band(30.0, 100.0),
    };
    let wau = ReferenceRange {
        higher_is_better: true,
        critical: band(0.0, 40.0),
        risk: band(40.0, 60.0),
        healthy: band(60.0, 100.0),
    };
    let features = ReferenceRange {
        higher_is_better: true,
        critical: band(0.0, 20.0),
        risk: band(20.0, 50.0),
        healthy: band(50.0, 100.0),
    };
    let resolution = ReferenceRange {
        higher_is_better: false,
        critical: band(72.0, 240.0),
        risk: band(24.0, 72.0),
        healthy: band(0.0, 24.0),
    };
    let telemetry: Vec<NaiveDate> = [
        "2026-10-10",
        "2026-10-15",
        "2026-10-20",
        "2026-10-25",
        "2026-10-28",
        "2026-11-01",
        "2026-11-03",
        "2026-11-05",
        "2026-11-07",
        "2026-11-09",
        "2026-11-11",
        "2026-11-13",
        "2026-11-15",
        "2026-11-17",
        "2026-11-19",
    ]
    .into_iter()
    .map(d)
    .collect();
    Inputs {
        kpis: vec![
            kpi(
                "NPS",
                "Relationship Strength",
                None,
                Some(nps),
                &[(ym(2026, 10), 24.0), (ym(2026, 11), 51.0)],
            ),
            kpi(
                "Weekly active users %",
                "Adoption & Engagement",
                Some(2.0),
                Some(wau),
                &[(ym(2026, 9), 56.0), (ym(2026, 11), 50.0)],
            ),
            kpi(
                "Feature adoption %",
                "Adoption & Engagement",
                Some(1.0),
                Some(features),
                &[(ym(2026, 10), 29.0)],
            ),
            kpi(
                "Ticket resolution hours",
                "Support & Experience",
                None,
                Some(resolution),
                &[(ym(2026, 11), 30.0)],
            ),
            kpi(
                "Renewal forecast",
                "Business Outcomes",
                None,
                None,
                &[(ym(2026, 11), 0.9)],
            ),
        ],
        interactions: vec![
            day("2026-11-20", 2, 0, 0),
            day("2026-11-03", 1, 0, 0),
            day("2026-11-10", 0, 1, 0),
            day("2026-10-23", 0, 0, 1), // 29 days old: counts
            day("2026-10-21", 0, 1, 0), // 31 days old: does not
        ],
        training: Some(Training {
            modules: 2,
            mean_progress: 70.0,
        }),
        adoption_scores: vec![(d("2026-09-15"), 58.0), (d("2026-11-01"), 62.0)],
        telemetry_days: telemetry,
        first_telemetry: Some(d("2026-06-01")),
    }
}

fn today() -> NaiveDate {
    d("2026-11-21")
}

#[test]
fn worked_example() {
    let config = HealthConfig::default();
    let inputs = acme();
    let e = explain_inputs("acme-id", "Acme", &inputs, &config, today());

    // KPI scores
    let kpi_scores: Vec<(&str, Option<KpiStatus>, Option<f64>)> = e
        .kpis
        .iter()
        .map(|k| (k.kpi.as_str(), k.status, k.score))
        .collect();
    assert_eq!(
        kpi_scores,
        vec![
            ("NPS", Some(KpiStatus::Healthy), Some(79.0)),
            ("Weekly active users %", Some(KpiStatus::Risk), Some(54.5)),
            ("Feature adoption %", Some(KpiStatus::Risk), Some(48.7)),
            ("Ticket resolution hours", Some(KpiStatus::Risk), Some(65.4)),
            ("Renewal forecast", None, None),
        ]
    );
    assert_eq!(
        e.kpis[2].month.as_deref(),
        Some("2026-10"),
        "carried forward"
    );

    // categories
    let cats: Vec<(&str, Option<f64>, u32, u32)> = e
        .categories
        .iter()
        .map(|c| (c.name.as_str(), c.score, c.total_kpis, c.valid_kpis))
        .collect();
    assert_eq!(
        cats,
        vec![
            ("Adoption & Engagement", Some(52.6), 2, 2),
            ("Business Outcomes", None, 1, 0),
            ("Product Value", None, 0, 0),
            ("Relationship Strength", Some(79.0), 1, 1),
            ("Support & Experience", Some(65.4), 1, 1),
        ]
    );
    let eff = |name: &str| {
        e.categories
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.effective_weight)
            .unwrap_or(f64::NAN)
    };
    assert!((eff("Relationship Strength") - 0.2 / 0.65).abs() < 1e-12);
    assert!((eff("Adoption & Engagement") - 0.25 / 0.65).abs() < 1e-12);
    assert_eq!(eff("Product Value"), 0.0);

    // components
    let comps: Vec<(&str, f64, Option<f64>, f64)> = e
        .components
        .iter()
        .map(|c| (c.key.as_str(), c.effective_weight, c.value, c.contribution))
        .collect();
    assert_eq!(
        comps,
        vec![
            ("kpi", 0.6, Some(64.7), 38.8),
            ("engagement", 0.2, Some(50.0), 10.0),
            ("adoption", 0.2, Some(57.3), 11.5),
        ]
    );
    assert_eq!(e.score, Some(60.3));
    assert_eq!(overall::whole(60.3), 60);
    assert_eq!(e.band, Some(Band::Yellow));

    // last month, and what moved since
    assert_eq!(
        e.previous,
        Some(Previous {
            score: 49.9,
            as_of: "2026-10".into()
        })
    );
    let crossed: Vec<(&str, Option<KpiStatus>, Option<KpiStatus>)> = e
        .crossings
        .iter()
        .map(|c| (c.kpi.as_str(), c.from, c.to))
        .collect();
    assert_eq!(
        crossed,
        vec![
            ("NPS", Some(KpiStatus::Risk), Some(KpiStatus::Healthy)),
            ("Ticket resolution hours", None, Some(KpiStatus::Risk)),
        ]
    );
    assert!(
        e.notes.iter().any(|n| n
            == "Business Outcomes has no valid KPI: left out, the other categories re-weighted"),
        "{:?}",
        e.notes
    );
    assert!(e.notes.iter().any(|n| n.contains("Renewal forecast")));

    // the monthly trend rows
    let month = |m: YearMonth| assess(&inputs, &config, assess::trend_as_of(m, today()));
    let sep = month(ym(2026, 9));
    assert_eq!(
        (sep.score, sep.valid_kpis, sep.total_kpis),
        (Some(46.4), 1, 5)
    );
    let oct = month(ym(2026, 10));
    assert_eq!((oct.score, oct.valid_kpis), (Some(49.9), 3));
    let oct_cats: Vec<Option<f64>> = oct.categories.iter().map(|c| c.score).collect();
    assert_eq!(oct_cats, vec![Some(58.4), None, None, Some(63.2), None]);
    let nov = month(ym(2026, 11));
    assert_eq!((nov.score, nov.valid_kpis), (Some(60.3), 4));
}

#[test]
fn contributions_always_add_up_to_the_score() {
    let inputs = acme();
    let mut config = HealthConfig::default();
    for weights in [
        (0.6, 0.2, 0.2),
        (1.0, 1.0, 1.0),
        (0.0, 0.3, 0.7),
        (5.0, 0.0, 0.0),
    ] {
        config.component_weights = config::ComponentWeights {
            kpi: weights.0,
            engagement: weights.1,
            adoption: weights.2,
        };
        for offset in 0..90 {
            let today = today() - chrono::Days::new(offset);
            let e = explain_inputs("c", "C", &inputs, &config, today);
            let sum: i64 = e.components.iter().map(|c| tenths(c.contribution)).sum();
            assert_eq!(sum, e.score.map_or(0, tenths), "{weights:?} {today}");
            let weight_sum: f64 = e.components.iter().map(|c| c.effective_weight).sum();
            assert!(e.score.is_none() || (weight_sum - 1.0).abs() < 1e-9);
        }
    }
}

#[test]
fn a_customer_with_nothing_has_no_score() {
    let e = explain_inputs(
        "c",
        "C",
        &Inputs::default(),
        &HealthConfig::default(),
        today(),
    );
    assert_eq!(e.score, None);
    assert_eq!(e.band, None);
    assert_eq!(e.previous, None);
    assert!(e.notes.iter().any(|n| n.ends_with("no score")));
    // one interaction is enough for a (low) score
    let inputs = Inputs {
        interactions: vec![day("2026-11-21", 1, 0, 0)],
        ..Default::default()
    };
    let e = explain_inputs("c", "C", &inputs, &HealthConfig::default(), today());
    assert_eq!(e.score, Some(10.0));
    assert_eq!(e.band, Some(Band::Red));
    assert!(
        e.notes
            .iter()
            .any(|n| n.starts_with("KPIs vs reference ranges has no data"))
    );
}

#[test]
fn thresholds_decide_the_band_of_the_whole_score() {
    let mut config = HealthConfig::default();
    let inputs = acme(); // 60.3 → 60
    config.thresholds = Thresholds {
        red_below: 61,
        green_from: 80,
    };
    assert_eq!(
        explain_inputs("c", "C", &inputs, &config, today()).band,
        Some(Band::Red)
    );
    config.thresholds = Thresholds {
        red_below: 10,
        green_from: 60,
    };
    assert_eq!(
        explain_inputs("c", "C", &inputs, &config, today()).band,
        Some(Band::Green)
    );
}

#[test]
fn kpi_band_names_read_back_as_the_band() {
    for s in KpiStatus::ALL {
        assert_eq!(KpiStatus::from_name(s.as_str()), Some(s));
        // the name is the serialized form, which the schema's CHECK and explanations use
        assert_eq!(
            serde_json::to_value(s).ok(),
            Some(serde_json::Value::String(s.as_str().into()))
        );
    }
    assert_eq!(KpiStatus::from_name("Healthy"), None);
}
