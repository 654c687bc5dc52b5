//! Readers: one per file format, each turning a file into a header and a stream of records
//! with their line numbers. They stream (one record in memory at a time) except XLSX, which
//! calamine reads whole (spreadsheets are small by nature).

mod csv;
mod json;
pub mod limits;
mod xlsx;

pub use self::csv::CsvRecords;
pub use self::json::{JsonArrayRecords, NdjsonRecords};
pub use self::xlsx::XlsxRecords;

use super::source::{Format, Source};

/// One cell as the file gave it, before the column's kind interprets it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Empty, absent or null.
    Null,
    /// Text from CSV, TSV or a spreadsheet.
    Text(&'a str),
    /// A JSON string.
    JsonString(&'a str),
    /// A JSON number, as written.
    Number(&'a serde_json::Number),
    Bool(bool),
    /// A JSON array or object.
    Json(&'a serde_json::Value),
    /// A spreadsheet number.
    Float(f64),
    Int(i64),
    /// A spreadsheet date or time.
    DateTime(chrono::NaiveDateTime),
    /// A spreadsheet error value (`#DIV/0!`).
    Error(String),
}

impl Cell<'_> {
    /// The cell as text, for reject files and messages.
    pub fn display(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) | Cell::JsonString(s) => (*s).to_owned(),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Json(v) => v.to_string(),
            Cell::Float(f) => f.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::DateTime(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A problem a reader found: in one record (the reader goes on with the next) or in the file
/// (it cannot go on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadProblem {
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
    pub fatal: bool,
}

impl ReadProblem {
    pub fn fatal(line: Option<u64>, message: impl Into<String>) -> Self {
        ReadProblem {
            line,
            column: None,
            message: message.into(),
            fatal: true,
        }
    }

    pub fn record(line: u64, column: Option<String>, message: impl Into<String>) -> Self {
        ReadProblem {
            line: Some(line),
            column,
            message: message.into(),
            fatal: false,
        }
    }
}

/// A file as a header and records. `advance` moves to the next record; `cell` reads the
/// current one. Columns may grow while reading (a JSON object with a key not seen before).
pub trait Records {
    fn columns(&self) -> &[String];
    /// Moves to the next record: Ok(false) at the end.
    fn advance(&mut self) -> Result<bool, ReadProblem>;
    /// Line (or spreadsheet row) where the current record starts, 1-based.
    fn line(&self) -> u64;
    /// Cell `i` of the current record (`Cell::Null` if the record has no such cell).
    fn cell(&self, i: usize) -> Cell<'_>;
    /// Bytes consumed so far (progress).
    fn position(&self) -> u64;
    /// Checks that need the whole file read (an unterminated quote).
    fn finish(&mut self) -> Result<(), ReadProblem> {
        Ok(())
    }
}

/// Opens `source` with the reader of its format.
pub fn open(source: &Source) -> Result<Box<dyn Records>, ReadProblem> {
    let io = |e: std::io::Error| ReadProblem::fatal(None, format!("cannot read: {e}"));
    Ok(match source.format {
        Format::Csv => Box::new(CsvRecords::new(lines(source).map_err(io)?, b',')?),
        Format::Tsv => Box::new(CsvRecords::new(lines(source).map_err(io)?, b'\t')?),
        Format::Json => Box::new(JsonArrayRecords::new(source.open().map_err(io)?)?),
        Format::Ndjson => Box::new(NdjsonRecords::new(lines(source).map_err(io)?)),
        Format::Xlsx => Box::new(XlsxRecords::new(source.read_all().map_err(io)?)?),
    })
}

/// A line-oriented file, its lines bounded ([`limits::LineLimit`]).
fn lines(source: &Source) -> std::io::Result<Box<dyn std::io::Read>> {
    Ok(Box::new(limits::LineLimit::new(source.open()?)))
}
