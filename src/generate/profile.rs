//! A customer's hidden story, drawn first, that every table of the customer follows: how
//! healthy it is now and which way it is heading, how engaged it is lately, how big it is,
//! how long it has been a customer. KPIs, sentiment, call outcomes, training progress,
//! approvals and recent activity all read from it, so the health engine finds a coherent
//! mix of healthy, at-risk and critical customers with improving and declining trends.

use super::clock::{Clock, DAY};
use super::ids::Id;
use super::rng::Rng;
use super::words::{self, INDUSTRIES, REGION_WEIGHTS, REGIONS};
use super::world::{TIERS, World};

/// The health a customer is heading for (its KPIs land in the matching bands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    Healthy,
    AtRisk,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Improving,
    Stable,
    Declining,
}

/// Shares of the customer base: (band, weight).
const BANDS: &[(Band, u32)] = &[
    (Band::Healthy, 55),
    (Band::AtRisk, 30),
    (Band::Critical, 15),
];

/// Which way a customer of a band has been heading: most accounts at risk got there by
/// declining; healthy ones are more often stable or recovering.
fn trends(band: Band) -> &'static [(Trend, u32)] {
    match band {
        Band::Healthy => &[
            (Trend::Improving, 30),
            (Trend::Stable, 55),
            (Trend::Declining, 15),
        ],
        Band::AtRisk => &[
            (Trend::Improving, 20),
            (Trend::Stable, 35),
            (Trend::Declining, 45),
        ],
        Band::Critical => &[
            (Trend::Improving, 15),
            (Trend::Stable, 35),
            (Trend::Declining, 50),
        ],
    }
}

pub struct Profile {
    pub index: u64,
    pub id: Id,
    pub workspace: usize,
    pub csm: Id,
    pub name: String,
    /// Lowercase letters of the name: the customer's email domain is `{slug}.example`.
    pub slug: String,
    pub industry: usize,
    pub region: usize,
    pub country: &'static str,
    pub tier: usize,
    /// None for prospects (no contract signed yet).
    pub arr_cents: Option<i64>,
    /// When the customer was signed (Unix seconds).
    pub created: i64,
    pub band: Band,
    /// Latent health now, 0 (critical) to 1 (excellent): 0.4 and 0.7 are the band edges.
    level: f64,
    /// How far the level moved over the 24 months up to now (positive: improving).
    drift: f64,
    /// Probability that one of its interactions falls in the last 30 days (0: dormant).
    pub recent: f64,
    /// Interaction volume (1.0 = typical).
    pub activity: f64,
    pub churned: bool,
    pub prospect: bool,
    pub inactive: bool,
}

impl Profile {
    pub fn draw(
        rng: &mut Rng,
        world: &World,
        clock: &Clock,
        index: u64,
        id: Id,
        seed: u64,
    ) -> Profile {
        let workspace = *rng.weighted(&world.shares);
        let csms = &world.workspaces[workspace].csms;
        let csm = csms[rng.index(csms.len())];
        let mut name = String::new();
        words::company_name(index, seed, &mut name);
        let mut slug = String::new();
        words::slug(&name, &mut slug);
        let region = *rng.weighted(REGION_WEIGHTS);
        let country = *rng.pick(REGIONS[region].countries);
        let industry = rng.index(INDUSTRIES.len());

        // ARR is log-normal: many small accounts, a long tail of large ones
        let arr = (rng.lognormal(45_000.0, 1.1).clamp(5_000.0, 5_000_000.0) / 100.0).round() as i64
            * 10_000;
        let tier = TIERS
            .iter()
            .position(|(_, from)| arr >= *from)
            .unwrap_or(TIERS.len() - 1);

        let age_days = if rng.chance(0.15) {
            rng.int(15, 365)
        } else {
            rng.int(365, ((clock.now - world.founded) / DAY - 30).max(366))
        };
        let created = clock.now - age_days * DAY - rng.int(0, DAY - 1);

        let band = *rng.weighted(BANDS);
        let level = match band {
            Band::Healthy => rng.float(0.72, 0.96),
            Band::AtRisk => rng.float(0.44, 0.68),
            Band::Critical => rng.float(0.10, 0.38),
        };
        let drift = match *rng.weighted(trends(band)) {
            Trend::Improving => rng.float(0.15, 0.4),
            Trend::Stable => rng.float(-0.04, 0.04),
            Trend::Declining => -rng.float(0.15, 0.4),
        };
        let dormant_odds = match band {
            Band::Healthy => 0.08,
            Band::AtRisk => 0.25,
            Band::Critical => 0.45,
        };
        let recent = if rng.chance(dormant_odds) {
            0.0
        } else {
            rng.float(0.1, 0.45) * (0.6 + level * 0.6)
        };
        let tier_volume = [1.6, 1.3, 1.0, 0.8][tier];
        let activity = rng.float(0.6, 1.4) * tier_volume;

        let young = age_days < 365;
        let churned = !young && rng.chance(0.03);
        let prospect = !churned && rng.chance(0.03);
        let inactive = !churned && !prospect && rng.chance(0.02);
        Profile {
            index,
            id,
            workspace,
            csm,
            name,
            slug,
            industry,
            region,
            country,
            tier,
            arr_cents: (!prospect).then_some(arr),
            created,
            band,
            level,
            drift,
            recent: if churned { 0.0 } else { recent },
            activity,
            churned,
            prospect,
            inactive,
        }
    }

    /// The latent health in month number `month` (0 to 1), before per-KPI noise: the level
    /// now, minus the drift spread over the 24 months before.
    pub fn level_at(&self, clock: &Clock, month: i64) -> f64 {
        let back = ((clock.month - month) as f64 / 23.0).clamp(0.0, 1.0);
        (self.level - self.drift * back).clamp(0.0, 1.0)
    }

    /// The latent health now.
    pub fn level(&self) -> f64 {
        self.level
    }

    /// An instant for one interaction: in the last 30 days with probability `recent`,
    /// otherwise uniformly between signing and 30 days ago.
    pub fn interaction_time(&self, rng: &mut Rng, clock: &Clock) -> i64 {
        let from = self.created.max(clock.now - 2 * 365 * DAY);
        if rng.chance(self.recent) {
            clock.now - rng.int(60, 30 * DAY - 60)
        } else {
            let to = (clock.now - 30 * DAY).max(from + 1);
            rng.int(from.min(to - 1), to)
        }
    }

    /// Sentiment-like choice: positive odds follow the level.
    pub fn mood(&self, rng: &mut Rng) -> &'static str {
        let x = self.level + rng.normal() * 0.18;
        if x >= 0.65 {
            "positive"
        } else if x >= 0.4 {
            "neutral"
        } else {
            "negative"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(level: f64, drift: f64) -> Profile {
        Profile {
            index: 0,
            id: super::super::ids::IdGen::new(1, 0).next_id(),
            workspace: 0,
            csm: super::super::ids::IdGen::new(2, 0).next_id(),
            name: "Test Co".into(),
            slug: "testco".into(),
            industry: 0,
            region: 0,
            country: "Canada",
            tier: 0,
            arr_cents: Some(1),
            created: 0,
            band: Band::Healthy,
            level,
            drift,
            recent: 0.5,
            activity: 1.0,
            churned: false,
            prospect: false,
            inactive: false,
        }
    }

    #[test]
    fn the_level_moves_by_the_drift_over_24_months() {
        let clock = Clock::new(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        let p = profile(0.8, 0.3);
        assert!((p.level_at(&clock, clock.month) - 0.8).abs() < 1e-9);
        assert!((p.level_at(&clock, clock.month - 23) - 0.5).abs() < 1e-9);
        assert!(
            (p.level_at(&clock, clock.month - 40) - 0.5).abs() < 1e-9,
            "clamped"
        );
        let declining = profile(0.3, -0.9);
        assert_eq!(
            declining.level_at(&clock, clock.month - 23),
            1.0,
            "stays within 0..1"
        );
    }

    #[test]
    fn interactions_fall_between_signing_and_now() {
        let clock = Clock::new(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        let mut p = profile(0.8, 0.0);
        p.created = clock.now - 400 * DAY;
        let mut rng = Rng::stream(1, 1);
        let mut recent = 0;
        for _ in 0..2000 {
            let t = p.interaction_time(&mut rng, &clock);
            assert!(t >= p.created && t < clock.now);
            recent += usize::from(t >= clock.now - 30 * DAY);
        }
        assert!((800..1200).contains(&recent), "{recent}");
        p.recent = 0.0;
        assert!((0..500).all(|_| p.interaction_time(&mut rng, &clock) < clock.now - 30 * DAY));
    }
}
