//! Deals on the workspace's products, with notes, follow-up actions and attributes. Open
//! deals close in the coming months; closed ones closed in the past.

use std::fmt::Write as _;

use super::Gen;
use super::clock::{DAY, Day, Ts};
use super::profile::Profile;
use super::rng::Rng;
use super::world::Workspace;
use crate::store::error::Result;

pub const DEALS: &str = "\
    id workspace_id customer_id product_id name amount_cents stage close_dt \
    is_actionable created_at updated_at";
pub const DEAL_NOTES: &str = "id deal_id user_id note_txt created_at";
pub const DEAL_ACTIONS: &str = "id deal_id action_txt owner_user_id due_dt status";
pub const DEAL_ATTRIBUTES: &str = "deal_id attr_name attr_value";

const NOTES: &[&str] = &[
    "Champion confirmed budget for next fiscal year.",
    "Procurement asked for a security questionnaire.",
    "Competing offer on the table; price sensitivity is high.",
    "Legal redlines received; mostly liability caps.",
    "Technical validation passed with the IT team.",
    "Decision moved to the next quarterly board meeting.",
    "Verbal yes from the economic buyer.",
];
const ACTIONS: &[&str] = &[
    "Send the revised quote",
    "Book a technical deep-dive",
    "Share customer references",
    "Complete the security questionnaire",
    "Align with finance on payment terms",
];
/// (attribute, possible values)
const ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "lead_source",
        &[
            "inbound",
            "partner",
            "outbound",
            "event",
            "existing customer",
        ],
    ),
    (
        "competitor",
        &["none", "Competitor A", "Competitor B", "in-house build"],
    ),
    ("forecast_category", &["pipeline", "best case", "commit"]),
    (
        "deal_type",
        &["new business", "upsell", "cross-sell", "renewal"],
    ),
    (
        "next_step",
        &["demo", "proposal", "legal review", "signature"],
    ),
];

pub fn write(g: &mut Gen<'_>, rng: &mut Rng, p: &Profile, ws: &Workspace) -> Result<()> {
    let count = if p.churned {
        0
    } else {
        rng.poisson(1.2 * p.activity).min(5)
    };
    let mut picked = Vec::new();
    for _ in 0..count {
        let product = &ws.products[rng.index(ws.products.len())];
        let stage = *rng.weighted(&[
            ("prospecting", 15),
            ("qualification", 15),
            ("proposal", 15),
            ("negotiation", 10),
            ("closed_won", 30),
            ("closed_lost", 15),
        ]);
        let closed = stage.starts_with("closed");
        let created = p.created.max(g.clock.now - 540 * DAY) + rng.int(0, 300) * DAY;
        let created = created.min(g.clock.now - DAY);
        let close = if closed {
            (created + rng.int(20, 180) * DAY).min(g.clock.now - DAY)
        } else {
            g.clock.now + rng.int(7, 270) * DAY
        };
        let id = g.ids.next_id();
        g.buf.a.clear();
        let _ = write!(g.buf.a, "{} - {}", p.name, product.name);
        let amount = (product.list_price_cents as f64 * rng.float(0.6, 2.5) / 10_000.0).round()
            as i64
            * 10_000;
        let updated = if closed {
            close
        } else {
            (created + rng.int(1, 60) * DAY).min(g.clock.now - 1)
        };
        g.ins.deals.row(rusqlite::params![
            id,
            ws.id,
            p.id,
            product.id,
            g.buf.a,
            amount,
            stage,
            Day::new(close),
            i64::from(!closed && rng.chance(0.4)),
            Ts::new(created),
            Ts::new(updated.max(created)),
        ])?;
        for k in 0..rng.int(1, 3) {
            let author = if rng.chance(0.6) {
                p.csm
            } else {
                ws.sales[rng.index(ws.sales.len())]
            };
            let at = (created + (k + 1) * rng.int(1, 20) * DAY).min(g.clock.now - 1);
            g.ins.deal_notes.row(rusqlite::params![
                g.ids.next_id(),
                id,
                author,
                *rng.pick(NOTES),
                Ts::new(at)
            ])?;
        }
        if !closed || rng.chance(0.3) {
            for _ in 0..rng.int(0, 2) {
                let status = if closed {
                    *rng.pick(&["done", "cancelled"])
                } else {
                    *rng.pick(&["open", "in_progress", "done"])
                };
                g.ins.deal_actions.row(rusqlite::params![
                    g.ids.next_id(),
                    id,
                    *rng.pick(ACTIONS),
                    p.csm,
                    Day::new(close - rng.int(1, 20) * DAY),
                    status,
                ])?;
            }
        }
        let k = rng.int(2, 4) as usize;
        rng.sample(ATTRIBUTES.len(), k, &mut picked);
        for &k in &picked {
            let (name, values) = ATTRIBUTES[k];
            g.ins
                .deal_attributes
                .row(rusqlite::params![id, name, *rng.pick(values)])?;
        }
    }
    Ok(())
}
