//! Contracts and their entitlements. A current customer has one active contract whose end
//! date (its renewal) falls in the coming 18 months, and expired ones before it back to its
//! signing; prospects have a draft or pending one; churned customers none active.

use std::fmt::Write as _;

use super::Gen;
use super::clock::{Clock, DAY, Day, Ts};
use super::profile::Profile;
use super::rng::Rng;
use super::world::Workspace;
use crate::store::error::Result;

pub const CONTRACTS: &str = "\
    id customer_id file_url file_name raw_text company_name arr_cents contract_term \
    start_date end_date status parsed_data pricing_terms technical_requirements \
    missing_info next_steps created_at updated_at";
pub const ENTITLEMENTS: &str = "\
    id contract_id name description quantity unit price_cents category metadata \
    created_at";

/// A contract to write: dates are midnights (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Planned {
    pub start: i64,
    pub end: i64,
    pub months: i64,
    pub status: &'static str,
    pub arr_cents: Option<i64>,
}

fn midnight(t: i64) -> i64 {
    t - t.rem_euclid(DAY)
}

/// The customer's contracts, oldest first.
pub fn plan(rng: &mut Rng, p: &Profile, clock: &Clock) -> Vec<Planned> {
    let months = *rng.weighted(&[(12i64, 60), (24, 25), (36, 15)]);
    let term = |m: i64| m * 365 / 12 * DAY;
    let signed = midnight(p.created);
    if p.prospect {
        let start = midnight(clock.now) + rng.int(10, 60) * DAY;
        let status = *rng.pick(&["draft", "pending"]);
        return vec![Planned {
            start,
            end: start + term(12),
            months: 12,
            status,
            arr_cents: Some(rng.int(50, 800) * 10_000),
        }];
    }
    // the current contract: ends in the coming 18 months (or ended, for a churned customer)
    let end = if p.churned {
        midnight(clock.now) - rng.int(20, 330) * DAY
    } else if signed + term(months) > clock.now {
        // still in its first term
        signed + term(months)
    } else {
        midnight(clock.now) + rng.int(1, 548) * DAY
    };
    let start = (end - term(months)).max(signed).min(end - 30 * DAY);
    let status = if p.churned {
        *rng.pick(&["terminated", "expired"])
    } else {
        "active"
    };
    let mut out = vec![Planned {
        start,
        end,
        months,
        status,
        arr_cents: p.arr_cents,
    }];
    // earlier yearly terms back to signing, each a little cheaper (renewal uplifts)
    let mut cursor = start;
    let mut arr = p.arr_cents.unwrap_or(0) as f64;
    while cursor - term(12) >= signed - 30 * DAY && out.len() < 4 {
        arr /= rng.float(1.03, 1.15);
        out.push(Planned {
            start: (cursor - term(12)).max(signed),
            end: cursor - DAY,
            months: 12,
            status: "expired",
            arr_cents: Some((arr / 10_000.0).round() as i64 * 10_000),
        });
        cursor -= term(12);
    }
    // some customers also bought an add-on on its own, co-terming or ending later
    if !p.churned && rng.chance(0.1) {
        let addon_end = end + rng.int(0, 1) * 90 * DAY;
        out.push(Planned {
            start: (midnight(clock.now) - rng.int(30, 200) * DAY).max(signed),
            end: addon_end,
            months: 12,
            status: "active",
            arr_cents: p.arr_cents.map(|a| (a / 10 / 10_000).max(1) * 10_000),
        });
    }
    out.sort_by_key(|c| (c.start, c.end));
    out
}

/// The customer's renewal date: the earliest end of its active contracts (the definition
/// of `customers.renewal_date`, which the store's triggers keep).
pub fn renewal_date(contracts: &[Planned]) -> Option<i64> {
    contracts
        .iter()
        .filter(|c| c.status == "active")
        .map(|c| c.end)
        .min()
}

const UNITS: &[(&str, i64, i64)] = &[
    ("seats", 10, 500),
    ("licences", 5, 200),
    ("hours", 10, 120),
    ("GB", 100, 5000),
];

pub fn write(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    ws: &Workspace,
    contracts: &[Planned],
    with_entitlements: bool,
) -> Result<()> {
    let mut picked = Vec::new();
    for c in contracts {
        let id = g.ids.next_id();
        let (start, end) = (Day::new(c.start), Day::new(c.end));
        let created = (c.start - rng.int(5, 30) * DAY)
            .max(p.created)
            .min(g.clock.now);
        let updated = if c.status == "expired" || c.status == "terminated" {
            c.end.min(g.clock.now).max(created)
        } else {
            created
        };
        g.buf.a.clear();
        let _ = write!(g.buf.a, "https://files.example/contracts/{id}.pdf");
        g.buf.b.clear();
        let _ = write!(
            g.buf.b,
            "{}-order-form-{}.pdf",
            p.slug,
            &start.as_str()[..4]
        );
        g.buf.c.clear();
        let _ = write!(
            g.buf.c,
            "Order form between {} and {} for a term of {} months from {start} to {end}. \
             Fees are invoiced annually in advance. Either party may terminate for material \
             breach with 30 days' notice.",
            ws.name, p.name, c.months
        );
        g.buf.json.clear();
        let _ = write!(
            g.buf.json,
            r#"{{"parties":["{}","{}"],"auto_renew":{},"notice_days":{}}}"#,
            ws.name,
            p.name,
            rng.chance(0.6),
            *rng.pick(&[30, 60, 90])
        );
        g.buf.json2.clear();
        let _ = write!(
            g.buf.json2,
            r#"{{"billing":"annual","currency":"USD","discount_pct":{},"payment_terms_days":{}}}"#,
            rng.int(0, 25),
            *rng.pick(&[30, 45, 60])
        );
        let technical = *rng.pick(&[
            r#"{"sso":true,"data_residency":"EU"}"#,
            r#"{"sso":true,"data_residency":"US"}"#,
            r#"{"sso":false,"api_access":true}"#,
            r#"{"sso":true,"audit_log_retention_days":365}"#,
        ]);
        let draft = c.status == "draft" || c.status == "pending";
        let missing = if draft {
            r#"["signed order form","PO number"]"#
        } else {
            "[]"
        };
        let next = match c.status {
            "active" => r#"["Quarterly business review","Renewal planning 120 days out"]"#,
            "draft" | "pending" => r#"["Legal review","Countersignature"]"#,
            _ => r#"[]"#,
        };
        g.ins.contracts.row(rusqlite::params![
            id,
            p.id,
            g.buf.a,
            g.buf.b,
            g.buf.c,
            p.name,
            c.arr_cents,
            format_term(c.months),
            start,
            end,
            c.status,
            g.buf.json,
            g.buf.json2,
            technical,
            missing,
            next,
            Ts::new(created),
            Ts::new(updated),
        ])?;
        if !with_entitlements {
            continue;
        }

        let k = rng.int(2, 4) as usize;
        rng.sample(ws.products.len(), k, &mut picked);
        for &k in &picked {
            let product = &ws.products[k];
            let (unit, lo, hi) = *rng.pick(UNITS);
            g.buf.a.clear();
            let _ = write!(g.buf.a, "{} ({} family)", product.name, product.family);
            g.ins.entitlements.row(rusqlite::params![
                g.ids.next_id(),
                id,
                product.name,
                g.buf.a,
                rng.int(lo, hi),
                unit,
                (product.list_price_cents as f64 * rng.float(0.5, 1.5)).round() as i64,
                product.family,
                "{}",
                Ts::new(created),
            ])?;
        }
    }
    Ok(())
}

fn format_term(months: i64) -> &'static str {
    match months {
        12 => "12 months",
        24 => "24 months",
        36 => "36 months",
        _ => "custom",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(status: &'static str, end: i64) -> Planned {
        Planned {
            start: 0,
            end,
            months: 12,
            status,
            arr_cents: None,
        }
    }

    #[test]
    fn the_renewal_is_the_earliest_active_end() {
        let cs = [
            planned("expired", 5 * DAY),
            planned("active", 30 * DAY),
            planned("active", 20 * DAY),
            planned("draft", 10 * DAY),
        ];
        assert_eq!(renewal_date(&cs), Some(20 * DAY));
        assert_eq!(renewal_date(&cs[..1]), None);
    }
}
