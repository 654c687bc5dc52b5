//! Engagement and adoption: seed 001's `update_health_score` inputs, widened for this console,
//! and seed 000's adoption scores and telemetry.
//!
//! **The window.** "The last 30 days" as of a date D are the 30 calendar days ending on D:
//! D−29 through D. Something 29 days old counts, 30 or more days old does not, and anything
//! dated after D (a meeting next week) does not count yet. Dates are UTC calendar dates.
//!
//! **Engagement** (seed 001: `LEAST(100, COUNT(*) * 10)` over agent messages): 10 points per
//! interaction in the window, at most 100. Interactions are agent messages of role `user` or
//! `agent` (not `system`: bookkeeping such as an approval decided, which is not engagement),
//! calls that took place (status completed), and meetings not cancelled or missed (scheduled
//! or completed). The store's query selects them (`store::read::health::signals`).
//!
//! **Adoption** is the mean of the signals the customer has:
//! * training: the mean `progress` of its `training_progress` rows (seed 001), in percent;
//! * adoption score: the latest `customer_scores` row of type `adoption` dated on or before D
//!   (seed 000's `adoption_scores`), clamped to 0-100;
//! * telemetry: the share of the window's 30 days on which any telemetry was captured, in
//!   percent — once a customer has sent telemetry at all, silence counts as 0.
//!
//! A customer with none of the three has no adoption value (rather than seed 001's 0).

use chrono::{Days, NaiveDate};

use super::round_tenth;

/// Length of the engagement and telemetry window, in days.
pub const WINDOW_DAYS: u64 = 30;

/// Points per interaction, and the most engagement can reach.
const POINTS_PER_INTERACTION: u32 = 10;

/// Whether `day` is one of the 30 days ending on `as_of`.
pub fn in_window(day: NaiveDate, as_of: NaiveDate) -> bool {
    let first = as_of
        .checked_sub_days(Days::new(WINDOW_DAYS - 1))
        .unwrap_or(NaiveDate::MIN);
    first <= day && day <= as_of
}

/// The first day of the window ending on `as_of`.
pub fn window_start(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_days(Days::new(WINDOW_DAYS - 1))
        .unwrap_or(NaiveDate::MIN)
}

/// Interactions on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayCount {
    pub day: NaiveDate,
    pub messages: u32,
    pub calls: u32,
    pub meetings: u32,
}

/// Interactions in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Interactions {
    pub messages: u32,
    pub calls: u32,
    pub meetings: u32,
}

impl Interactions {
    pub fn total(&self) -> u32 {
        self.messages + self.calls + self.meetings
    }
}

/// The interactions of the window ending on `as_of`.
pub fn interactions(days: &[DayCount], as_of: NaiveDate) -> Interactions {
    days.iter()
        .filter(|d| in_window(d.day, as_of))
        .fold(Interactions::default(), |acc, d| Interactions {
            messages: acc.messages + d.messages,
            calls: acc.calls + d.calls,
            meetings: acc.meetings + d.meetings,
        })
}

/// Engagement 0-100 from a window's interactions.
pub fn engagement(i: Interactions) -> f64 {
    f64::from(i.total().saturating_mul(POINTS_PER_INTERACTION).min(100))
}

/// What a person reads next to the engagement value.
pub fn engagement_detail(i: Interactions) -> String {
    format!(
        "{} interaction(s) in the last 30 days ({} agent message(s), {} call(s), {} meeting(s)), 10 points each, at most 100",
        i.total(),
        i.messages,
        i.calls,
        i.meetings
    )
}

/// A customer's training progress (seed 001): how many module rows and their mean progress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Training {
    pub modules: u32,
    pub mean_progress: f64,
}

/// The adoption signals present as of a date.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AdoptionSignals {
    pub training: Option<Training>,
    /// The latest adoption score on or before the date, and its date.
    pub adoption_score: Option<(NaiveDate, f64)>,
    /// Days with telemetry in the window, when the customer has sent telemetry by then.
    pub telemetry_days: Option<u32>,
}

/// The latest adoption score dated on or before `as_of` (`scores` in any order).
pub fn latest_score(scores: &[(NaiveDate, f64)], as_of: NaiveDate) -> Option<(NaiveDate, f64)> {
    scores
        .iter()
        .filter(|(d, v)| *d <= as_of && v.is_finite())
        .max_by_key(|(d, _)| *d)
        .copied()
}

/// Days of the window ending on `as_of` with telemetry, or None when the customer had sent no
/// telemetry by `as_of` (`first` is its first telemetry day, `days` distinct days).
pub fn telemetry_days(
    days: &[NaiveDate],
    first: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Option<u32> {
    let first = first?;
    if first > as_of {
        return None;
    }
    Some(days.iter().filter(|d| in_window(**d, as_of)).count() as u32)
}

/// Adoption 0-100, the mean of the signals present; None when there is none.
pub fn adoption(s: &AdoptionSignals) -> Option<f64> {
    let values: Vec<f64> = [
        s.training.map(|t| t.mean_progress.clamp(0.0, 100.0)),
        s.adoption_score.map(|(_, v)| v.clamp(0.0, 100.0)),
        s.telemetry_days
            .map(|d| f64::from(d.min(WINDOW_DAYS as u32)) * 100.0 / WINDOW_DAYS as f64),
    ]
    .into_iter()
    .flatten()
    .map(round_tenth)
    .collect();
    if values.is_empty() {
        return None;
    }
    Some(round_tenth(
        values.iter().sum::<f64>() / values.len() as f64,
    ))
}

/// What a person reads next to the adoption value.
pub fn adoption_detail(s: &AdoptionSignals) -> String {
    let mut parts = Vec::new();
    if let Some(t) = s.training {
        parts.push(format!(
            "training {:.1}% mean progress over {} module(s)",
            round_tenth(t.mean_progress),
            t.modules
        ));
    }
    if let Some((d, v)) = s.adoption_score {
        parts.push(format!(
            "adoption score {:.1} of {d}",
            round_tenth(v.clamp(0.0, 100.0))
        ));
    }
    if let Some(days) = s.telemetry_days {
        parts.push(format!("telemetry on {days} of the last 30 days"));
    }
    if parts.is_empty() {
        "no training, adoption score or telemetry".to_owned()
    } else {
        format!("mean of: {}", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ago(today: NaiveDate, days: u64) -> NaiveDate {
        today.checked_sub_days(Days::new(days)).unwrap()
    }

    #[test]
    fn the_window_is_the_30_days_ending_today() {
        let today = d("2026-11-21");
        assert!(in_window(today, today));
        assert!(in_window(ago(today, 29), today), "29 days old counts");
        assert!(!in_window(ago(today, 30), today), "30 days old does not");
        assert!(!in_window(ago(today, 31), today), "31 days old does not");
        assert!(
            !in_window(d("2026-11-22"), today),
            "tomorrow does not count yet"
        );
        assert_eq!(window_start(today), d("2026-10-23"));
    }

    #[test]
    fn engagement_counts_interactions_in_the_window() {
        let today = d("2026-11-21");
        let days = [
            DayCount {
                day: ago(today, 29),
                messages: 2,
                calls: 1,
                meetings: 0,
            },
            DayCount {
                day: ago(today, 31),
                messages: 5,
                calls: 0,
                meetings: 1,
            },
            DayCount {
                day: today,
                messages: 0,
                calls: 0,
                meetings: 1,
            },
            DayCount {
                day: d("2026-11-25"),
                messages: 9,
                calls: 0,
                meetings: 0,
            },
        ];
        let i = interactions(&days, today);
        assert_eq!(
            i,
            Interactions {
                messages: 2,
                calls: 1,
                meetings: 1
            }
        );
        assert_eq!(engagement(i), 40.0);
        // the 31-day-old day leaves the window, the 29-day-old one is in it
        assert_eq!(interactions(&days[1..2], today).total(), 0);
        assert_eq!(interactions(&days[0..1], today).total(), 3);
        // capped at 100
        let busy = [DayCount {
            day: today,
            messages: 40,
            calls: 0,
            meetings: 0,
        }];
        assert_eq!(engagement(interactions(&busy, today)), 100.0);
        assert_eq!(engagement(Interactions::default()), 0.0);
    }

    #[test]
    fn adoption_is_the_mean_of_the_signals_present() {
        let today = d("2026-11-21");
        assert_eq!(adoption(&AdoptionSignals::default()), None);
        let training = Some(Training {
            modules: 3,
            mean_progress: 50.0,
        });
        assert_eq!(
            adoption(&AdoptionSignals {
                training,
                ..Default::default()
            }),
            Some(50.0)
        );
        let scores = [
            (d("2026-11-01"), 71.0),
            (d("2026-10-01"), 20.0),
            (d("2026-12-01"), 99.0),
        ];
        let latest = latest_score(&scores, today);
        assert_eq!(latest, Some((d("2026-11-01"), 71.0)), "not the future one");
        let tele_days = [today, ago(today, 1), ago(today, 40)];
        let telemetry = telemetry_days(&tele_days, Some(ago(today, 40)), today);
        assert_eq!(telemetry, Some(2));
        let s = AdoptionSignals {
            training,
            adoption_score: latest,
            telemetry_days: telemetry,
        };
        // (50 + 71 + 6.7) / 3 = 42.566.. → 42.6
        assert_eq!(adoption(&s), Some(42.6));
        assert!(adoption_detail(&s).contains("telemetry on 2 of the last 30 days"));
        // telemetry went silent: 0, not absent
        assert_eq!(
            telemetry_days(&[ago(today, 40)], Some(ago(today, 40)), today),
            Some(0)
        );
        // never any telemetry by then: absent
        assert_eq!(telemetry_days(&[], None, today), None);
        assert_eq!(telemetry_days(&[today], Some(today), ago(today, 1)), None);
        // adoption scores outside 0-100 are clamped
        let wild = AdoptionSignals {
            adoption_score: Some((today, 140.0)),
            ..Default::default()
        };
        assert_eq!(adoption(&wild), Some(100.0));
    }
}
