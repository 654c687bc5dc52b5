//! XLSX through calamine: the first worksheet, first row = header. calamine reads a sheet
//! whole; spreadsheets are small by nature (Excel stops at 1,048,576 rows).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{Cell, ReadProblem, Records};

pub struct XlsxRecords {
    columns: Vec<String>,
    rows: Vec<Vec<Data>>,
    /// Spreadsheet row number of each row of `rows` (1-based, as Excel shows it).
    first_row: u64,
    next: usize,
    size: u64,
}

impl XlsxRecords {
    pub fn new(bytes: Vec<u8>) -> Result<XlsxRecords, ReadProblem> {
        let size = bytes.len() as u64;
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| ReadProblem::fatal(None, format!("not a readable XLSX workbook: {e}")))?;
        let Some(sheet) = book.sheet_names().first().cloned() else {
            return Err(ReadProblem::fatal(None, "the workbook has no worksheet"));
        };
        let range = book
            .worksheet_range(&sheet)
            .map_err(|e| ReadProblem::fatal(None, format!("worksheet {sheet}: {e}")))?;
        let (top, _) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows().map(|r| r.to_vec());
        let header = rows.next().unwrap_or_default();
        let columns = header.iter().map(header_text).collect();
        Ok(XlsxRecords {
            columns,
            rows: rows.collect(),
            first_row: u64::from(top) + 2,
            next: 0,
            size,
        })
    }
}

/// A header cell as text; a date in a header (a month column) as `YYYY-MM-DD`.
fn header_text(d: &Data) -> String {
    match d {
        Data::DateTime(t) => t
            .as_datetime()
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| t.to_string()),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string().trim().to_owned(),
    }
}

impl Records for XlsxRecords {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn advance(&mut self) -> Result<bool, ReadProblem> {
        while self.next < self.rows.len() {
            self.next += 1;
            // a row with no value is not a record
            if self.rows[self.next - 1]
                .iter()
                .any(|d| !matches!(d, Data::Empty))
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn line(&self) -> u64 {
        self.first_row + self.next.saturating_sub(1) as u64
    }

    fn cell(&self, i: usize) -> Cell<'_> {
        let Some(row) = self.next.checked_sub(1).and_then(|r| self.rows.get(r)) else {
            return Cell::Null;
        };
        match row.get(i) {
            None | Some(Data::Empty) => Cell::Null,
            Some(Data::String(s)) if s.trim().is_empty() => Cell::Null,
            Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => {
                Cell::Text(s)
            }
            Some(Data::Float(f)) => Cell::Float(*f),
            Some(Data::Int(n)) => Cell::Int(*n),
            Some(Data::Bool(b)) => Cell::Bool(*b),
            Some(Data::DateTime(t)) => match t.as_datetime() {
                Some(t) => Cell::DateTime(t),
                None => Cell::Error(format!("unreadable date {t}")),
            },
            Some(Data::Error(e)) => Cell::Error(format!("{e:?}")),
        }
    }

    fn position(&self) -> u64 {
        if self.rows.is_empty() {
            self.size
        } else {
            self.size * self.next as u64 / self.rows.len() as u64
        }
    }
}
