//! What the Journeys tab asks of the database: the newest mined journey with a first page of
//! its variants, its explanations and one customer's journey; then further pages of variants
//! (keyset), never the whole table.

use crate::store::read::journeys::{self, Analysis, Explanation, Journey, VariantRow};
use crate::store::read::reader::Reader;

/// Variants per page.
pub const PAGE: usize = 100;
/// Explanations shown (the global ones and the bottlenecks).
pub const EXPLANATIONS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// The newest journey analysis (of the customer's workspace when one is given).
    Load { customer: Option<String> },
    /// The page of variants after (frequency, variant id).
    More {
        analysis: String,
        after: (i64, String),
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Load,
    More,
}

/// The tab's data as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    pub analysis: Option<Analysis>,
    pub variants: Vec<VariantRow>,
    pub happy: Vec<String>,
    pub explanations: Vec<Explanation>,
    /// The customer asked about, if it has a mined journey.
    pub journey: Option<Journey>,
    /// The customer asked about (shown even when it has no journey yet).
    pub customer: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Loaded(Box<Loaded>),
    More(Vec<VariantRow>),
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Load { .. } => Kind::Load,
            Job::More { .. } => Kind::More,
        }
    }
}

impl Kind {
    pub fn interruptible(self) -> bool {
        false
    }
}

pub fn execute(r: &Reader<'_>, job: &Job) -> crate::store::Result<Answer> {
    match job {
        Job::Load { customer } => {
            let workspace = match customer {
                Some(c) => journeys::workspace_of(r, c)?,
                None => None,
            };
            let analysis = match journeys::latest(r, workspace.as_deref())? {
                Some(a) => Some(a),
                None => journeys::latest(r, None)?,
            };
            let mut loaded = Loaded {
                customer: customer.clone(),
                ..Loaded::default()
            };
            if let Some(a) = &analysis {
                loaded.variants = journeys::variants(r, &a.id, None, PAGE)?;
                loaded.happy = journeys::happy_path(r, &a.id)?;
                loaded.explanations = journeys::explanations(r, &a.id, EXPLANATIONS)?;
                if let Some(c) = customer {
                    loaded.journey = journeys::journey(r, &a.id, c)?;
                }
            }
            loaded.analysis = analysis;
            Ok(Answer::Loaded(Box::new(loaded)))
        }
        Job::More { analysis, after } => Ok(Answer::More(journeys::variants(
            r,
            analysis,
            Some((after.0, &after.1)),
            PAGE,
        )?)),
    }
}
