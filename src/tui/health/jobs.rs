//! What Health trends asks of the database: one customer's months and KPIs, or the portfolio.

use crate::health::{Explanation, Thresholds};
use crate::store::read::reader::Reader;
use crate::store::read::{health, portfolio, trends};
use crate::tui::worker::{MONTHS, explanation};

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Trends { customer_id: String },
    Portfolio,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Trends,
    Portfolio,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Trends(Box<Trends>),
    Portfolio(Box<Portfolio>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    pub customer_id: String,
    /// The customer's workspace: its thresholds colour the score.
    pub workspace_id: String,
    pub months: Vec<trends::Month>,
    pub kpis: Vec<trends::Kpi>,
    pub explanation: Option<Explanation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// The band thresholds, when every workspace shown has the same; None when they differ
    /// (each customer is banded by its own workspace's).
    pub thresholds: Option<Thresholds>,
    pub bands: portfolio::Bands,
    pub movers: Vec<portfolio::Mover>,
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Trends { .. } => Kind::Trends,
            Job::Portfolio => Kind::Portfolio,
        }
    }
}

impl Kind {
    pub fn interruptible(self) -> bool {
        false
    }
}

pub fn execute(r: &Reader<'_>, job: &Job) -> crate::store::Result<Answer> {
    Ok(match job {
        Job::Trends { customer_id } => {
            let workspace_id = health::visible_customer(r, customer_id)?
                .map(|c| c.workspace_id)
                .unwrap_or_default();
            Answer::Trends(Box::new(Trends {
                customer_id: customer_id.clone(),
                workspace_id,
                months: trends::months(r, customer_id, MONTHS)?,
                kpis: trends::kpis(r, customer_id, 100)?,
                explanation: explanation(r, customer_id)?,
            }))
        }
        Job::Portfolio => {
            let by_workspace = trends::thresholds(r)?;
            let mut all = by_workspace.values();
            let first = all.next().copied().unwrap_or_default();
            Answer::Portfolio(Box::new(Portfolio {
                thresholds: all.all(|t| *t == first).then_some(first),
                bands: portfolio::bands(r, &by_workspace)?,
                movers: portfolio::movers(r, 20)?,
            }))
        }
    })
}
