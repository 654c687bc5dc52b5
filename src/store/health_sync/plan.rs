//! What one customer's stored health should be, computed from its inputs, compared with what
//! is stored. The difference is a [`Plan`]: `recompute` applies it, `recompute --check`
//! reports it. Both use this one comparison, so "no drift" means exactly "a recompute would
//! write nothing".

use std::collections::{BTreeSet, HashMap};

use crate::store::db::Connection;
use chrono::NaiveDate;
use serde_json::Value as Json;

use crate::health::assess::{self, Assessment, Detail, Scorer};
use crate::health::config::same_name;
use crate::health::explain::KpiStatus;
use crate::health::overall::whole;
use crate::health::{Inputs, YearMonth};
use crate::store::error::Result;
use crate::store::read::health::{self as read, CustomerRef, StoredStatus, WorkspaceConfig};

/// The seed's five category columns of `health_trends`, and the default category each holds
/// (docs/schema.md, "Health trends").
pub const SEED_CATEGORY_COLUMNS: [(&str, &str); 5] = [
    ("Relationship Strength", "relationship_strength_score"),
    ("Adoption & Engagement", "product_usage_score"),
    ("Support & Experience", "support_score"),
    ("Product Value", "customer_sentiment_score"),
    ("Business Outcomes", "business_outcomes_score"),
];

/// Workspace configurations read so far in one recompute (most writes touch one workspace).
pub type Configs = HashMap<String, WorkspaceConfig>;

/// A `health_trends` row's computed columns.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    pub workspace_id: String,
    pub overall: Option<f64>,
    /// In the order of [`SEED_CATEGORY_COLUMNS`].
    pub seed: [Option<f64>; 5],
    /// `{"category": score or null, ...}` as stored.
    pub category_scores: String,
    pub total_kpis: i64,
    pub valid_kpis: i64,
}

impl TrendRow {
    fn of(a: &Assessment, workspace_id: &str) -> TrendRow {
        let mut seed = [None; 5];
        for (slot, (name, _)) in seed.iter_mut().zip(SEED_CATEGORY_COLUMNS) {
            *slot = a
                .categories
                .iter()
                .find(|c| same_name(&c.name, name))
                .and_then(|c| c.score);
        }
        // {"category": score or null, ...} in the categories' order, written directly (a
        // customer has a row per month; building a JSON map for each was measurable)
        let mut scores = String::with_capacity(32 * a.categories.len() + 2);
        scores.push('{');
        for (i, c) in a.categories.iter().enumerate() {
            if i > 0 {
                scores.push(',');
            }
            scores.push_str(&Json::String(c.name.clone()).to_string());
            scores.push(':');
            match c.score.and_then(serde_json::Number::from_f64) {
                Some(n) => scores.push_str(&n.to_string()),
                None => scores.push_str("null"),
            }
        }
        scores.push('}');
        TrendRow {
            workspace_id: workspace_id.to_owned(),
            overall: a.score,
            seed,
            category_scores: scores,
            total_kpis: i64::from(a.total_kpis),
            valid_kpis: i64::from(a.valid_kpis),
        }
    }
}

/// A monthly trend row to insert (no `id`) or update.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendFix {
    pub month: YearMonth,
    /// The stored row's rowid; None: a row to insert.
    pub rowid: Option<i64>,
    pub row: TrendRow,
    pub stored: Option<TrendRow>,
}

/// A stored KPI value whose score or status is not what its reference range gives.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiRowFix {
    pub rowid: i64,
    pub kpi: String,
    pub month: YearMonth,
    pub score: Option<f64>,
    pub status: Option<KpiStatus>,
    pub stored_score: Option<f64>,
    pub stored_status: StoredStatus,
}

/// Today's row of the score history (`customer_scores`, type `health`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    pub workspace_id: Option<String>,
    pub value: f64,
    pub breakdown: Option<String>,
}

impl ScoreRow {
    /// Equal, with explanations compared as JSON: PostgreSQL's jsonb keeps the document, not
    /// its text (keys in its own order, its own spacing).
    fn same_as(&self, other: &ScoreRow) -> bool {
        if self == other {
            return true;
        }
        let json = |t: &Option<String>| {
            t.as_deref()
                .map(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        };
        self.workspace_id == other.workspace_id
            && self.value == other.value
            && json(&self.breakdown) == json(&other.breakdown)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScoreRowFix {
    Put {
        row: ScoreRow,
        stored: Option<ScoreRow>,
    },
    Delete {
        stored: ScoreRow,
    },
}

/// Everything that differs between one customer's stored and computed health.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub customer: CustomerRef,
    pub today: NaiveDate,
    /// The computed `customers.health_score`.
    pub score: Option<i64>,
    pub kpi_rows: Vec<KpiRowFix>,
    pub trends: Vec<TrendFix>,
    pub score_row: Option<ScoreRowFix>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.score == self.customer.health_score
            && self.kpi_rows.is_empty()
            && self.trends.is_empty()
            && self.score_row.is_none()
    }

    /// One line per difference, for `recompute --check`.
    pub fn describe(&self) -> Vec<String> {
        let show = |v: Option<f64>| v.map_or("none".to_owned(), |v| format!("{v:.1}"));
        let mut lines = Vec::new();
        if self.score != self.customer.health_score {
            let whole = |v: Option<i64>| v.map_or("none".to_owned(), |v| v.to_string());
            lines.push(format!(
                "customers.health_score: stored {}, computed {}",
                whole(self.customer.health_score),
                whole(self.score)
            ));
        }
        for t in &self.trends {
            let what = match &t.stored {
                None => "missing".to_owned(),
                Some(s) if s.overall != t.row.overall => format!(
                    "overall stored {}, computed {}",
                    show(s.overall),
                    show(t.row.overall)
                ),
                Some(s) if (s.total_kpis, s.valid_kpis) != (t.row.total_kpis, t.row.valid_kpis) => {
                    format!(
                        "KPIs valid/total stored {}/{}, computed {}/{}",
                        s.valid_kpis, s.total_kpis, t.row.valid_kpis, t.row.total_kpis
                    )
                }
                Some(s) if s.workspace_id != t.row.workspace_id => "workspace differs".to_owned(),
                Some(_) => "category scores differ".to_owned(),
            };
            lines.push(format!("health_trends {}: {what}", t.month));
        }
        for k in &self.kpi_rows {
            let stored = match k.stored_status {
                StoredStatus::Null => "none",
                StoredStatus::Status(s) => status_text(s),
                StoredStatus::Other => "(not a status)",
            };
            lines.push(format!(
                "kpi_time_series {} {}: stored {} {}, computed {} {}",
                k.kpi,
                k.month,
                stored,
                show(k.stored_score),
                k.status.map_or("none", status_text),
                show(k.score)
            ));
        }
        match &self.score_row {
            None => {}
            Some(ScoreRowFix::Delete { .. }) => lines.push(format!(
                "customer_scores {} (health): stored, but there is no score",
                self.today
            )),
            Some(ScoreRowFix::Put { stored: None, .. }) => {
                lines.push(format!("customer_scores {} (health): missing", self.today));
            }
            Some(ScoreRowFix::Put {
                row,
                stored: Some(s),
            }) => lines.push(if s.value != row.value {
                format!(
                    "customer_scores {} (health): stored {:.1}, computed {:.1}",
                    self.today, s.value, row.value
                )
            } else {
                format!(
                    "customer_scores {} (health): explanation differs",
                    self.today
                )
            }),
        }
        lines
    }
}

pub fn status_text(s: KpiStatus) -> &'static str {
    s.as_str()
}

fn stored_trends(conn: &Connection, customer_id: &str) -> Result<Vec<(i64, YearMonth, TrendRow)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, year, month, ifnull(CAST(workspace_id AS TEXT), ''), overall_health_score,
                relationship_strength_score, product_usage_score, support_score,
                customer_sentiment_score, business_outcomes_score, category_scores,
                total_kpis, valid_kpis
         FROM health_trends WHERE customer_id = ?1",
    )?;
    let mut rows = stmt.query([customer_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let Some(month) = YearMonth::new(r.get(1)?, r.get(2)?) else {
            continue;
        };
        out.push((
            r.get(0)?,
            month,
            TrendRow {
                workspace_id: r.get(3)?,
                overall: r.get(4)?,
                seed: [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?],
                category_scores: r.get(10)?,
                total_kpis: r.get(11)?,
                valid_kpis: r.get(12)?,
            },
        ));
    }
    Ok(out)
}

fn stored_score_row(conn: &Connection, customer_id: &str, today: &str) -> Result<Option<ScoreRow>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT workspace_id, score_value, score_breakdown_json FROM customer_scores
             WHERE customer_id = ?1 AND score_dt = ?2 AND score_type = 'health'",
        )?
        .query_row([customer_id, today], |r| {
            Ok(ScoreRow {
                workspace_id: r.get(0)?,
                value: r.get(1)?,
                breakdown: r.get(2)?,
            })
        })
        .optional()?)
}

/// Computes `customer_id`'s health as of `today` and compares it with what is stored; None
/// when the customer does not exist (any more).
pub fn plan(
    conn: &Connection,
    customer_id: &str,
    today: NaiveDate,
    configs: &mut Configs,
) -> Result<Option<Plan>> {
    let Some(customer) = read::customer(conn, customer_id)? else {
        return Ok(None);
    };
    if !configs.contains_key(&customer.workspace_id) {
        let config = read::config(conn, &customer.workspace_id)?;
        configs.insert(customer.workspace_id.clone(), config);
    }
    let workspace = &configs[&customer.workspace_id];
    let config = &workspace.config;

    let (kpis, series) = read::kpis(conn, customer_id)?;
    let stored = stored_trends(conn, customer_id)?;

    // the months health computes: those with KPI data (up to now), and the current one when
    // there is anything to say about it. Other stored rows are history it cannot reproduce
    // (imported from seed 002 files, or a month gone by without KPI data, as it was last
    // computed): they are left as they are.
    let current = YearMonth::of(today);
    let mut months: BTreeSet<YearMonth> = read::kpi_months(&kpis, current);
    let earliest = months
        .iter()
        .map(|m| assess::trend_as_of(*m, today))
        .chain([today, current.prev().last_day()])
        .min()
        .unwrap_or(today);
    let mut inputs = Inputs {
        kpis,
        ..Default::default()
    };
    read::signals(
        conn,
        customer_id,
        read::window_start(earliest),
        today,
        &mut inputs,
    )?;

    let scorer = Scorer::new(&inputs, config);
    let recorded = read::recorded_previous(conn, customer_id, &inputs.kpis, today)?;
    let mut explanation = scorer.explain(&customer.id, &customer.name, today, recorded);
    explanation.notes.extend(workspace.notes.iter().cloned());
    let now = scorer.assess(today, Detail::Numbers);
    if now.score.is_some() || now.total_kpis > 0 {
        months.insert(current);
    }

    let mut trends = Vec::new();
    for month in months {
        let as_of = assess::trend_as_of(month, today);
        let row = if as_of == today {
            TrendRow::of(&now, &customer.workspace_id)
        } else {
            TrendRow::of(
                &scorer.assess(as_of, Detail::Numbers),
                &customer.workspace_id,
            )
        };
        let existing = stored.iter().find(|(_, m, _)| *m == month);
        if existing.is_some_and(|(_, _, s)| *s == row) {
            continue;
        }
        trends.push(TrendFix {
            month,
            rowid: existing.map(|(rowid, _, _)| *rowid),
            stored: existing.map(|(_, _, s)| s.clone()),
            row,
        });
    }

    let mut kpi_rows = Vec::new();
    for s in &series {
        let input = &inputs.kpis[s.kpi];
        // the row's own value, scored once by the scorer (NULL: no score)
        let scored = s.value.and(scorer.score_in(s.kpi, s.month));
        let score = scored.map(|k| k.score);
        let status = scored.map(|k| k.status);
        if score != s.score || !s.status.is(status) {
            kpi_rows.push(KpiRowFix {
                rowid: s.rowid,
                kpi: input.name.clone(),
                month: s.month,
                score,
                status,
                stored_score: s.score,
                stored_status: s.status,
            });
        }
    }

    let today_text = today.format("%Y-%m-%d").to_string();
    let stored_row = stored_score_row(conn, customer_id, &today_text)?;
    let score_row = match (explanation.score, stored_row) {
        // a row without cscx's explanation is another system's score for the day (an
        // imported workspan partner_scores row of type 'health'): history, not ours to redo
        (_, Some(stored)) if stored.breakdown.is_none() => None,
        (None, None) => None,
        (None, Some(stored)) => Some(ScoreRowFix::Delete { stored }),
        (Some(value), stored) => {
            let row = ScoreRow {
                workspace_id: Some(customer.workspace_id.clone()),
                value,
                breakdown: Some(serde_json::to_string(&explanation)?),
            };
            (!stored.as_ref().is_some_and(|s| s.same_as(&row)))
                .then_some(ScoreRowFix::Put { row, stored })
        }
    };

    Ok(Some(Plan {
        score: explanation.score.map(whole),
        customer,
        today,
        kpi_rows,
        trends,
        score_row,
    }))
}
