//! What Deals asks of the database: the pipeline, a page of a stage's deals, one deal.

use crate::store::Store;
use crate::store::enums::DealStage;
use crate::store::read::customers::Cursor;
use crate::store::read::{Anchor, deals};
use crate::tui::worker::{DETAIL_ROWS, Scope};

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

pub fn execute(store: &Store, scope: &Scope, job: &Job) -> crate::store::Result<Answer> {
    let conn = store.conn();
    Ok(match job {
        Job::Pipeline => Answer::Pipeline(deals::pipeline(conn, scope)?),
        Job::Page {
            stage,
            anchor,
            limit,
        } => Answer::Page(deals::page(conn, scope, *stage, anchor, *limit)?),
        Job::Detail { deal_id } => Answer::Detail(
            deal_id.clone(),
            deals::detail(conn, scope, deal_id, DETAIL_ROWS)?,
        ),
    })
}
