//! One KPI value against its reference range (seed 002's `kpi_reference_ranges`): a status
//! (critical, risk, healthy) and a 0-100 score.
//!
//! Each status owns a slice of the score scale, so that a score always says its status:
//! critical 0-39, risk 40-69, healthy 70-100 (the same lines as the default red/yellow/green).
//!
//! 1. Turn the value so that bigger is better (negate it when `higher_is_better` is false).
//!    A band is `[min, max]`, both inclusive; a missing bound is open (−∞ or +∞); a band with
//!    no bound at all, or whose min exceeds its max, is not a band.
//! 2. A value inside a band takes that band; on a bound shared by two bands (or inside two
//!    overlapping bands) it takes the better one: reaching the threshold counts.
//!    Its score slides linearly across the band's slice, from the band's worse end to its
//!    better end. When the position cannot be measured (a band open at one end, or a single
//!    point) the score is the middle of the slice: 19.5, 54.5 or 85.
//! 3. A value in no band: better than every band → healthy, 100; worse than every band →
//!    critical, 0; in a gap between bands → the worse neighbour (it has not reached the better
//!    band yet), at the top of its slice: 39, 69.
//! 4. No usable band, or a value that is not a finite number → no score (the KPI is not
//!    valid and is left out of its category).
//!
//! Scores are rounded to a tenth of a point (see [`super::tenths`]).

use super::explain::KpiStatus;

/// One band of a reference range; `None` is an open end.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Bounds {
    pub fn new(min: Option<f64>, max: Option<f64>) -> Bounds {
        Bounds { min, max }
    }

    pub fn is_defined(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }
}

/// A KPI's reference range: three bands and which way is better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReferenceRange {
    pub higher_is_better: bool,
    pub critical: Bounds,
    pub risk: Bounds,
    pub healthy: Bounds,
}

impl ReferenceRange {
    /// The defined bands, worst first.
    pub fn bands(&self) -> [(KpiStatus, Bounds); 3] {
        [
            (KpiStatus::Critical, self.critical),
            (KpiStatus::Risk, self.risk),
            (KpiStatus::Healthy, self.healthy),
        ]
    }
}

/// A KPI value's status and score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiScore {
    pub status: KpiStatus,
    pub score: f64,
}

/// The slice of the 0-100 scale a status owns.
pub fn slice(status: KpiStatus) -> (f64, f64) {
    match status {
        KpiStatus::Critical => (0.0, 39.0),
        KpiStatus::Risk => (40.0, 69.0),
        KpiStatus::Healthy => (70.0, 100.0),
    }
}

fn rank(status: KpiStatus) -> u8 {
    match status {
        KpiStatus::Critical => 0,
        KpiStatus::Risk => 1,
        KpiStatus::Healthy => 2,
    }
}

/// A band in "bigger is better" coordinates.
#[derive(Debug, Clone, Copy)]
struct Oriented {
    status: KpiStatus,
    lo: f64,
    hi: f64,
}

/// The defined bands of `range`, in "bigger is better" coordinates (no allocation: scoring
/// runs for every KPI value of every customer).
fn oriented(range: &ReferenceRange) -> [Option<Oriented>; 3] {
    range.bands().map(|(status, b)| {
        if !b.is_defined() {
            return None;
        }
        let min = b.min.unwrap_or(f64::NEG_INFINITY);
        let max = b.max.unwrap_or(f64::INFINITY);
        if min.is_nan() || max.is_nan() || min > max {
            return None;
        }
        let (lo, hi) = if range.higher_is_better {
            (min, max)
        } else {
            (-max, -min)
        };
        Some(Oriented { status, lo, hi })
    })
}

/// Scores `value` against `range` (rules in the module documentation).
pub fn score(value: f64, range: &ReferenceRange) -> Option<KpiScore> {
    if !value.is_finite() {
        return None;
    }
    let all = oriented(range);
    let bands = || all.iter().flatten();
    // no usable band: no score
    bands().next()?;
    let u = if range.higher_is_better {
        value
    } else {
        -value
    };
    let scored = |status: KpiStatus, position: f64| {
        let (low, high) = slice(status);
        KpiScore {
            status,
            score: super::round_tenth(low + position * (high - low)),
        }
    };

    let containing = bands()
        .filter(|b| b.lo <= u && u <= b.hi)
        .max_by_key(|b| rank(b.status));
    if let Some(b) = containing {
        let position = if b.lo.is_finite() && b.hi.is_finite() && b.hi > b.lo {
            (u - b.lo) / (b.hi - b.lo)
        } else {
            0.5
        };
        return Some(scored(b.status, position.clamp(0.0, 1.0)));
    }
    // every band lies wholly below or wholly above the value
    let nearest_below = bands().filter(|b| b.hi < u).max_by(|a, b| {
        a.hi.total_cmp(&b.hi)
            .then(rank(a.status).cmp(&rank(b.status)))
    });
    let any_above = bands().any(|b| b.lo > u);
    Some(match (nearest_below, any_above) {
        (_, false) => scored(KpiStatus::Healthy, 1.0),
        (None, true) => scored(KpiStatus::Critical, 0.0),
        (Some(b), true) => scored(b.status, 1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use KpiStatus::*;

    fn range(hib: bool, c: (f64, f64), r: (f64, f64), h: (f64, f64)) -> ReferenceRange {
        ReferenceRange {
            higher_is_better: hib,
            critical: Bounds::new(Some(c.0), Some(c.1)),
            risk: Bounds::new(Some(r.0), Some(r.1)),
            healthy: Bounds::new(Some(h.0), Some(h.1)),
        }
    }

    fn s(value: f64, r: &ReferenceRange) -> (KpiStatus, f64) {
        let k = score(value, r).expect("scored");
        (k.status, k.score)
    }

    /// NPS-like: critical 0-30, risk 30-50, healthy 50-100, shared bounds.
    fn nps() -> ReferenceRange {
        range(true, (0.0, 30.0), (30.0, 50.0), (50.0, 100.0))
    }

    #[test]
    fn inside_a_band_the_score_slides_across_its_slice() {
        let r = nps();
        assert_eq!(s(0.0, &r), (Critical, 0.0), "the worst end of critical");
        assert_eq!(s(15.0, &r), (Critical, 19.5));
        assert_eq!(s(40.0, &r), (Risk, 54.5));
        assert_eq!(s(75.0, &r), (Healthy, 85.0));
        assert_eq!(s(100.0, &r), (Healthy, 100.0), "the best end of healthy");
    }

    #[test]
    fn on_a_shared_bound_the_better_band_wins() {
        let r = nps();
        assert_eq!(s(30.0, &r), (Risk, 40.0));
        assert_eq!(s(50.0, &r), (Healthy, 70.0));
        // just below a bound stays in the worse band, below its slice's top
        let (status, score) = s(29.99, &r);
        assert_eq!(status, Critical);
        assert!(score < 40.0, "{score}");
    }

    #[test]
    fn between_bands_the_worse_neighbour_at_the_top_of_its_slice() {
        // integer bands with gaps: 0-29, 31-49, 51-100
        let r = range(true, (0.0, 29.0), (31.0, 49.0), (51.0, 100.0));
        assert_eq!(s(30.0, &r), (Critical, 39.0));
        assert_eq!(s(50.0, &r), (Risk, 69.0));
        assert_eq!(s(29.0, &r), (Critical, 39.0), "on the critical band's max");
        assert_eq!(s(31.0, &r), (Risk, 40.0), "on the risk band's min");
    }

    #[test]
    fn outside_every_band() {
        let r = nps();
        assert_eq!(s(-5.0, &r), (Critical, 0.0), "worse than every band");
        assert_eq!(s(140.0, &r), (Healthy, 100.0), "better than every band");
    }

    #[test]
    fn lower_is_better_turns_everything_around() {
        // churn %: healthy 0-5, risk 5-10, critical 10-100
        let r = range(false, (10.0, 100.0), (5.0, 10.0), (0.0, 5.0));
        assert_eq!(s(0.0, &r), (Healthy, 100.0));
        assert_eq!(s(2.5, &r), (Healthy, 85.0));
        assert_eq!(s(5.0, &r), (Healthy, 70.0), "shared bound: the better band");
        assert_eq!(s(7.5, &r), (Risk, 54.5));
        assert_eq!(s(10.0, &r), (Risk, 40.0));
        assert_eq!(s(55.0, &r), (Critical, 19.5));
        assert_eq!(s(100.0, &r), (Critical, 0.0));
        assert_eq!(s(150.0, &r), (Critical, 0.0), "worse than every band");
        assert_eq!(s(-1.0, &r), (Healthy, 100.0), "better than every band");
    }

    #[test]
    fn lower_is_better_gap() {
        let r = range(false, (11.0, 100.0), (6.0, 10.0), (0.0, 5.0));
        assert_eq!(s(5.5, &r), (Risk, 69.0), "between healthy and risk: risk");
        assert_eq!(
            s(10.5, &r),
            (Critical, 39.0),
            "between risk and critical: critical"
        );
    }

    #[test]
    fn missing_bounds_make_open_bands() {
        // healthy from 90 up, risk 75-90, critical below 75
        let r = ReferenceRange {
            higher_is_better: true,
            critical: Bounds::new(None, Some(75.0)),
            risk: Bounds::new(Some(75.0), Some(90.0)),
            healthy: Bounds::new(Some(90.0), None),
        };
        assert_eq!(
            s(1000.0, &r),
            (Healthy, 85.0),
            "open band: the middle of its slice"
        );
        assert_eq!(s(90.0, &r), (Healthy, 85.0));
        assert_eq!(s(82.5, &r), (Risk, 54.5));
        assert_eq!(s(-1000.0, &r), (Critical, 19.5));
        assert_eq!(s(75.0, &r), (Risk, 40.0));

        // only a healthy threshold: below it is worse than every band
        let only_healthy = ReferenceRange {
            higher_is_better: true,
            critical: Bounds::default(),
            risk: Bounds::default(),
            healthy: Bounds::new(Some(80.0), None),
        };
        assert_eq!(s(80.0, &only_healthy), (Healthy, 85.0));
        assert_eq!(s(79.0, &only_healthy), (Critical, 0.0));
        // only critical and risk: better than both is healthy
        let no_healthy = ReferenceRange {
            healthy: Bounds::default(),
            ..nps()
        };
        assert_eq!(s(60.0, &no_healthy), (Healthy, 100.0));
    }

    #[test]
    fn no_usable_band_or_no_number_means_no_score() {
        let none = ReferenceRange {
            higher_is_better: true,
            critical: Bounds::default(),
            risk: Bounds::default(),
            healthy: Bounds::default(),
        };
        assert_eq!(score(50.0, &none), None);
        assert_eq!(score(f64::NAN, &nps()), None);
        assert_eq!(score(f64::INFINITY, &nps()), None);
        // a band whose min exceeds its max is not a band
        let inverted = ReferenceRange {
            critical: Bounds::new(Some(30.0), Some(0.0)),
            risk: Bounds::default(),
            healthy: Bounds::default(),
            ..nps()
        };
        assert_eq!(score(10.0, &inverted), None);
    }

    #[test]
    fn degenerate_and_overlapping_bands() {
        // a single-point healthy band: the middle of the slice
        let point = range(true, (0.0, 50.0), (50.0, 100.0), (100.0, 100.0));
        assert_eq!(s(100.0, &point), (Healthy, 85.0));
        assert_eq!(s(75.0, &point), (Risk, 54.5));
        // overlapping bands (rejected at write time, but scoring never panics): the better
        // band wins, and the position is measured in it
        let overlap = range(true, (0.0, 60.0), (40.0, 80.0), (80.0, 100.0));
        assert_eq!(s(50.0, &overlap), (Risk, 47.3));
        assert_eq!(s(20.0, &overlap), (Critical, 13.0));
    }

    #[test]
    fn a_score_always_lies_in_its_status_slice() {
        let ranges = [
            nps(),
            range(true, (0.0, 29.0), (31.0, 49.0), (51.0, 100.0)),
            range(false, (10.0, 100.0), (5.0, 10.0), (0.0, 5.0)),
            range(true, (0.0, 60.0), (40.0, 80.0), (80.0, 100.0)),
        ];
        for r in &ranges {
            for i in -200..=1200 {
                let v = f64::from(i) / 10.0;
                let k = score(v, r).unwrap();
                let (lo, hi) = slice(k.status);
                assert!(lo <= k.score && k.score <= hi, "{v} → {k:?} in {r:?}");
            }
        }
    }
}
