//! What the search asks of the database: the hits of every kind for what is typed (one job,
//! every kind in turn), and a knowledge base article to read.

use crate::store::read::reader::Reader;
use crate::store::read::search::{self, Results};

/// Hits shown of each kind (one more is read, to say there are more).
pub const PER_KIND: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Search { text: String },
    Article { id: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Search,
    Article,
}

/// An article: title, category, content.
pub type Article = (String, Option<String>, String);

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The results of a search for `text`.
    Found {
        text: String,
        results: Results,
    },
    Article(String, Option<Article>),
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Search { .. } => Kind::Search,
            Job::Article { .. } => Kind::Article,
        }
    }
}

impl Kind {
    /// A search follows what is typed: a newer keystroke cuts a running one short.
    pub fn interruptible(self) -> bool {
        self == Kind::Search
    }
}

pub fn execute(r: &Reader<'_>, job: &Job) -> crate::store::Result<Answer> {
    Ok(match job {
        Job::Search { text } => Answer::Found {
            text: text.clone(),
            results: search::search(r, text, PER_KIND)?,
        },
        Job::Article { id } => Answer::Article(id.clone(), search::article(r, id)?),
    })
}
