//! What Deals asks of the database: the pipeline, a page of a stage's deals, one deal.

use crate::store::enums::DealStage;
use crate::store::read::customers::Cursor;
use crate::store::read::reader::Reader;
use crate::store::read::{Anchor, deals};
use crate::tui::worker::DETAIL_ROWS;

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Pipeline,
    Page {
        stage: DealStage,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    Detail {
        deal_id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Pipeline,
    Page,
    Detail,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Pipeline(Vec<deals::StageTotal>),
    Page(Vec<deals::DealRow>),
    Detail(String, deals::DealDetail),
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Pipeline => Kind::Pipeline,
            Job::Page { .. } => Kind::Page,
            Job::Detail { .. } => Kind::Detail,
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
        Job::Pipeline => Answer::Pipeline(deals::pipeline(r)?),
        Job::Page {
            stage,
            anchor,
            limit,
        } => Answer::Page(deals::page(r, *stage, anchor, *limit)?),
        Job::Detail { deal_id } => {
            Answer::Detail(deal_id.clone(), deals::detail(r, deal_id, DETAIL_ROWS)?)
        }
    })
}
