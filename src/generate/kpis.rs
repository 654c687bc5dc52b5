//! KPIs (seed 002): the reference ranges every value is scored against, and per customer a
//! KPI workbook upload, the KPIs it lists and their monthly values for up to 24 months.
//!
//! A value is drawn from the customer's latent health that month (plus a per-KPI bias and
//! autocorrelated noise) and mapped through the KPI's bands: a latent 0-0.4 lands in the
//! critical band, 0.4-0.7 in the risk band, 0.7-1 in the healthy band, whichever way the KPI
//! points. So the engine sees healthy, at-risk and critical customers, improving and
//! declining, as the profile says. Health scores and statuses are left to the engine.

use std::fmt::Write as _;

use super::Gen;
use super::clock::{self, DAY, HOUR, Ts};
use super::ids::Id;
use super::profile::Profile;
use super::rng::Rng;
use crate::store::error::Result;

pub const KPI_UPLOADS: &str = "\
    id workspace_id customer_id user_id uploaded_at version original_filename \
    raw_excel parsed_json";
pub const KPIS: &str = "\
    id upload_id customer_id category row_index health_score_comp weight data \
    source_review kpi_parameter impact_level measurement_freq last_edited_by \
    last_edited_at";
pub const KPI_TIME_SERIES: &str = "\
    id kpi_id customer_id workspace_id month year value created_at updated_at";

/// Seed 002's five categories, in the order of its default weights.
pub const CATEGORIES: [&str; 5] = [
    "Relationship Strength",
    "Adoption & Engagement",
    "Support & Experience",
    "Product Value",
    "Business Outcomes",
];

/// One KPI of the catalogue and its reference bands.
pub struct KpiDef {
    pub name: &'static str,
    pub category: usize,
    pub unit: &'static str,
    /// The worst value, where the risk band starts, where the healthy band starts, the best
    /// value: ascending when higher is better, descending when lower is better.
    pub scale: [f64; 4],
    pub decimals: i32,
    pub impact: &'static str,
    /// Where the number comes from (kpis.data).
    pub source: &'static str,
}

impl KpiDef {
    /// Its weight within its category: the more impact, the more it counts.
    pub fn weight(&self) -> f64 {
        match self.impact {
            "critical" => 2.0,
            "high" => 1.5,
            _ => 1.0,
        }
    }

    pub fn higher_is_better(&self) -> bool {
        self.scale[3] > self.scale[0]
    }

    /// (min, max) of the critical, risk and healthy bands.
    pub fn bands(&self) -> [(f64, f64); 3] {
        let [worst, risk, healthy, best] = self.scale;
        if self.higher_is_better() {
            [(worst, risk), (risk, healthy), (healthy, best)]
        } else {
            [(risk, worst), (healthy, risk), (best, healthy)]
        }
    }

    /// The value for a latent health `q` (0 to 1), rounded to the KPI's precision.
    pub fn value(&self, q: f64) -> f64 {
        let [worst, risk, healthy, best] = self.scale;
        let q = q.clamp(0.0, 1.0);
        let v = if q < 0.4 {
            worst + (risk - worst) * q / 0.4
        } else if q < 0.7 {
            risk + (healthy - risk) * (q - 0.4) / 0.3
        } else {
            healthy + (best - healthy) * (q - 0.7) / 0.3
        };
        let f = 10f64.powi(self.decimals);
        (v * f).round() / f
    }
}

const fn kpi(
    name: &'static str,
    category: usize,
    unit: &'static str,
    scale: [f64; 4],
    decimals: i32,
    impact: &'static str,
    source: &'static str,
) -> KpiDef {
    KpiDef {
        name,
        category,
        unit,
        scale,
        decimals,
        impact,
        source,
    }
}

/// The KPI catalogue: three per category (four for support), some where lower is better.
#[rustfmt::skip]
pub const DEFS: &[KpiDef] = &[
    kpi("Executive Sponsor Engagement", 0, "score 0-10", [0.0, 4.0, 7.0, 10.0], 1, "high", "CSM assessment"),
    kpi("Net Promoter Score", 0, "NPS", [-100.0, 0.0, 30.0, 100.0], 0, "high", "Survey"),
    kpi("Stakeholder Coverage", 0, "%", [0.0, 40.0, 70.0, 100.0], 0, "medium", "CRM"),
    kpi("Monthly Active Users", 1, "% of licences", [0.0, 40.0, 65.0, 100.0], 1, "critical", "Product analytics"),
    kpi("Feature Adoption Rate", 1, "%", [0.0, 30.0, 60.0, 100.0], 1, "high", "Product analytics"),
    kpi("Weekly Logins per User", 1, "logins", [0.0, 2.0, 5.0, 15.0], 1, "medium", "Product analytics"),
    kpi("Support Tickets per Month", 2, "tickets", [60.0, 25.0, 10.0, 0.0], 0, "medium", "Support desk"),
    kpi("Average Resolution Time", 2, "hours", [240.0, 72.0, 24.0, 1.0], 1, "high", "Support desk"),
    kpi("Customer Satisfaction (CSAT)", 2, "score 1-5", [1.0, 3.0, 4.0, 5.0], 2, "high", "Survey"),
    kpi("Escalations", 2, "count", [12.0, 4.0, 1.0, 0.0], 0, "critical", "Support desk"),
    kpi("Time to Value", 3, "days", [180.0, 60.0, 30.0, 7.0], 0, "high", "Onboarding tracker"),
    kpi("ROI Realized", 3, "%", [0.0, 50.0, 100.0, 300.0], 0, "high", "Business review"),
    kpi("Licence Utilisation", 3, "%", [0.0, 50.0, 75.0, 100.0], 1, "medium", "Billing"),
    kpi("Renewal Likelihood", 4, "%", [0.0, 50.0, 75.0, 100.0], 0, "critical", "CSM assessment"),
    kpi("Goal Attainment", 4, "%", [0.0, 50.0, 80.0, 120.0], 0, "high", "Business review"),
    kpi("Net Revenue Retention", 4, "%", [60.0, 90.0, 100.0, 130.0], 0, "critical", "Finance"),
];

/// Months of KPI history (the as-of month and the 23 before it).
pub const MONTHS: i64 = 24;

pub fn write(g: &mut Gen<'_>, rng: &mut Rng, p: &Profile, workspace: Id) -> Result<()> {
    if p.prospect {
        return Ok(());
    }
    let first = clock::month_of(p.created).max(g.clock.month - MONTHS + 1);

    // the workbook was uploaded when the account started reporting, and re-uploaded a few
    // times since; the KPIs belong to the latest version
    let versions = rng.int(1, 3);
    let mut upload = None;
    for v in 1..=versions {
        let month = first + (g.clock.month - first) * (v - 1) / versions;
        let at = (clock::month_start(month + 1) + rng.int(1, 5) * DAY + rng.int(8, 18) * HOUR)
            .min(g.clock.now - 1)
            .max(p.created);
        let id = g.ids.next_id();
        g.buf.a.clear();
        let _ = write!(g.buf.a, "{}_KPIs_v{v}.xlsx", p.slug);
        g.buf.json.clear();
        let _ = write!(
            g.buf.json,
            r#"{{"sheet":"KPIs","rows":{},"months":{},"version":{v}}}"#,
            rng.int(8, 14),
            g.clock.month - first + 1
        );
        g.ins.kpi_uploads.row(rusqlite::params![
            id,
            workspace,
            p.id,
            p.csm,
            Ts::new(at),
            v,
            g.buf.a,
            None::<Vec<u8>>, // the workbook's bytes are not kept for synthetic uploads
            g.buf.json,
        ])?;
        upload = Some((id, at));
    }

    let mut picked = Vec::new();
    let mut row_index = 1;
    for (category, _) in CATEGORIES.iter().enumerate() {
        let pool: Vec<usize> = (0..DEFS.len())
            .filter(|&k| DEFS[k].category == category)
            .collect();
        let take = *rng.weighted(&[(1usize, 20), (2, 60), (3, 20)]);
        rng.sample(pool.len(), take, &mut picked);
        for &k in &picked {
            let kpi = Kpi {
                def: &DEFS[pool[k]],
                row_index,
                upload,
            };
            write_kpi(g, rng, p, workspace, &kpi, first)?;
            row_index += 1;
        }
    }
    Ok(())
}

/// KPIs of the lean detail: `LEAN_KPIS` categories of five, one KPI each, valued for the
/// last 12 months (fewer for a younger customer), no workbook upload. Enough for the
/// engine's KPI component, a 12-month trend and a sparkline, at a sixth of the full rows.
pub fn write_lean(g: &mut Gen<'_>, rng: &mut Rng, p: &Profile, workspace: Id) -> Result<()> {
    if p.prospect {
        return Ok(());
    }
    let first = clock::month_of(p.created).max(g.clock.month - LEAN_MONTHS + 1);
    let mut categories = Vec::new();
    rng.sample(CATEGORIES.len(), LEAN_KPIS, &mut categories);
    categories.sort_unstable();
    let mut pool = Vec::new();
    for (row_index, &category) in (1..).zip(&categories) {
        pool.clear();
        pool.extend((0..DEFS.len()).filter(|&k| DEFS[k].category == category));
        let kpi = Kpi {
            def: &DEFS[pool[rng.index(pool.len())]],
            row_index,
            upload: None,
        };
        write_kpi(g, rng, p, workspace, &kpi, first)?;
    }
    Ok(())
}

/// KPIs per customer in the lean detail, and their months of history.
pub const LEAN_KPIS: usize = 3;
pub const LEAN_MONTHS: i64 = 12;

/// One KPI row to write: which KPI, its row in the workbook, the upload listing it (id, when).
struct Kpi<'a> {
    def: &'a KpiDef,
    row_index: i64,
    upload: Option<(Id, i64)>,
}

/// A KPI row and its monthly values from month `first` to this month.
fn write_kpi(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    workspace: Id,
    kpi: &Kpi<'_>,
    first: i64,
) -> Result<()> {
    let def = kpi.def;
    let category = CATEGORIES[def.category];
    let id = g.ids.next_id();
    g.ins.kpis.row(rusqlite::params![
        id,
        kpi.upload.map(|(u, _)| u),
        p.id,
        category,
        kpi.row_index,
        category.split(' ').next().unwrap_or(""),
        def.weight(),
        def.source,
        *rng.pick(&["Reviewed by CSM", "Automated feed", "Customer reported"]),
        def.name,
        def.impact,
        "Monthly",
        p.csm,
        kpi.upload.map(|(_, at)| Ts::new(at)),
    ])?;
    series(g, rng, p, workspace, id, def, first)
}

fn series(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    workspace: Id,
    kpi: Id,
    def: &KpiDef,
    first: i64,
) -> Result<()> {
    // each KPI sits a little above or below the account's overall level, and wanders
    let bias = rng.normal() * 0.07;
    let mut noise = rng.normal() * 0.04;
    let mut points: Vec<Point> = Vec::with_capacity(MONTHS as usize);
    for m in first..=g.clock.month {
        noise = 0.6 * noise + rng.normal() * 0.04;
        let q = p.level_at(&g.clock, m) + bias + noise;
        let (year, month) = clock::year_month(m);
        // a month's value is reported in the first days of the next month
        let at = (clock::month_start(m + 1) + rng.int(1, 4) * DAY + rng.int(0, 23) * HOUR)
            .min(g.clock.now - HOUR);
        points.push(Point {
            id: g.ids.next_id(),
            month,
            year,
            // about one value in fifty is missing (not reported that month)
            value: (!rng.chance(0.02)).then(|| def.value(q)),
            at: Ts::new(at),
        });
    }
    // a KPI's months in one statement: this is the biggest table by far
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(points.len() * 9);
    for pt in &points {
        values.extend_from_slice(&[
            &pt.id, &kpi, &p.id, &workspace, &pt.month, &pt.year, &pt.value, &pt.at, &pt.at,
        ]);
    }
    g.ins.kpi_time_series.rows(&values)
}

/// One month of a KPI, as written to kpi_time_series.
struct Point {
    id: Id,
    month: i64,
    year: i64,
    value: Option<f64>,
    at: Ts,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band_of(def: &KpiDef, v: f64) -> usize {
        let bands = def.bands();
        // the band whose interval holds v (boundaries belong to the better band)
        (0..3)
            .rev()
            .find(|&b| v >= bands[b].0 && v <= bands[b].1)
            .unwrap_or(9)
    }

    #[test]
    fn latent_health_lands_in_the_matching_band() {
        for def in DEFS {
            for (q, band) in [
                (0.05, 0),
                (0.3, 0),
                (0.5, 1),
                (0.65, 1),
                (0.75, 2),
                (1.0, 2),
            ] {
                let v = def.value(q);
                assert_eq!(band_of(def, v), band, "{} q={q} v={v}", def.name);
            }
        }
    }

    #[test]
    fn bands_are_ordered_and_contiguous() {
        for def in DEFS {
            let [c, r, h] = def.bands();
            for (lo, hi) in [c, r, h] {
                assert!(lo <= hi, "{}", def.name);
            }
            if def.higher_is_better() {
                assert_eq!((c.1, r.1), (r.0, h.0), "{}", def.name);
            } else {
                assert_eq!((h.1, r.1), (r.0, c.0), "{}", def.name);
            }
        }
        assert!(DEFS.iter().any(|d| !d.higher_is_better()));
        for category in 0..CATEGORIES.len() {
            assert!(DEFS.iter().filter(|d| d.category == category).count() >= 3);
        }
    }
}
