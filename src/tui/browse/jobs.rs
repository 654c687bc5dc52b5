//! What the table browser asks of the database: the table names, a table's shape, a page, a
//! count, one row whole, and where a reference leads. All of it runs on the worker.

use rusqlite::types::Value;

use crate::store::read::Anchor;
use crate::store::read::browse::{self, BrowseRow, Cell, Query, Shape};
use crate::store::read::customers::Cursor;
use crate::store::read::reader::Reader;

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// Every table of the catalog, for the picker.
    Tables,
    /// The columns and indexed sorts of a table, and (when given) the row to open once it is
    /// shown.
    Shape {
        table: String,
        open: Option<i64>,
    },
    Page {
        shape: Box<Shape>,
        query: Query,
        anchor: Anchor<Cursor>,
        limit: usize,
    },
    Count {
        query: Query,
    },
    Row {
        shape: Box<Shape>,
        rowid: i64,
    },
    /// The row of `table` whose `column` is `value` (a reference followed).
    Follow {
        table: String,
        column: String,
        value: Value,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Tables,
    Shape,
    Page,
    Count,
    Row,
    Follow,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Tables(Vec<String>),
    Shape {
        shape: Box<Shape>,
        open: Option<i64>,
    },
    Page(Vec<BrowseRow>),
    Count {
        query: Query,
        n: i64,
    },
    Row {
        table: String,
        rowid: i64,
        values: Option<Vec<Cell>>,
    },
    Followed {
        shape: Box<Shape>,
        column: String,
        value: Value,
        rowid: Option<i64>,
    },
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Tables => Kind::Tables,
            Job::Shape { .. } => Kind::Shape,
            Job::Page { .. } => Kind::Page,
            Job::Count { .. } => Kind::Count,
            Job::Row { .. } => Kind::Row,
            Job::Follow { .. } => Kind::Follow,
        }
    }
}

impl Kind {
    /// A page and a count follow the filter as it is typed: a newer keystroke supersedes them
    /// (a count of a large table is cut short rather than waited for).
    pub fn interruptible(self) -> bool {
        matches!(self, Kind::Page | Kind::Count)
    }
}

pub fn execute(r: &Reader<'_>, job: &Job) -> crate::store::Result<Answer> {
    Ok(match job {
        Job::Tables => Answer::Tables(browse::tables(r)),
        Job::Shape { table, open } => Answer::Shape {
            shape: Box::new(browse::shape(r, table)?),
            open: *open,
        },
        Job::Page {
            shape,
            query,
            anchor,
            limit,
        } => Answer::Page(browse::page(r, shape, query, anchor, *limit)?),
        Job::Count { query } => Answer::Count {
            query: query.clone(),
            n: browse::count(r, query)?,
        },
        Job::Row { shape, rowid } => Answer::Row {
            table: shape.table.clone(),
            rowid: *rowid,
            values: browse::row(r, shape, *rowid)?,
        },
        Job::Follow {
            table,
            column,
            value,
        } => Answer::Followed {
            shape: Box::new(browse::shape(r, table)?),
            column: column.clone(),
            value: value.clone(),
            rowid: browse::find(r, table, column, value)?,
        },
    })
}
