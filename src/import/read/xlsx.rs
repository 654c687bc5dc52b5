//! XLSX through calamine: the first worksheet, first row = header. calamine reads a sheet
//! whole; spreadsheets are small by nature (Excel stops at 1,048,576 rows).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{Cell, ReadProblem, Records, limits};

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
        check_unpacked_size(&bytes)?;
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| ReadProblem::fatal(None, format!("not a readable XLSX workbook: {e}")))?;
        let Some(sheet) = book.sheet_names().first().cloned() else {
            return Err(ReadProblem::fatal(None, "the workbook has no worksheet"));
        };
        let range = bounded_range(&mut book, &sheet)?;
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

/// Refuses a workbook whose parts unpack to more than [`limits::MAX_UNPACKED_BYTES`]: a
/// zip bomb (a 2 MB file holding 2 GiB) is refused before any of it is unpacked.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), ReadProblem> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // not a zip at all: calamine says so in its words
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| ReadProblem::fatal(None, format!("not a readable XLSX workbook: {e}")))?;
        total = total.saturating_add(part.size());
    }
    if total > limits::MAX_UNPACKED_BYTES {
        return Err(ReadProblem::fatal(
            None,
            format!(
                "the workbook unpacks to {} MiB; cscx reads workbooks of up to {} unpacked",
                total / (1024 * 1024),
                limits::mib(limits::MAX_UNPACKED_BYTES)
            ),
        ));
    }
    Ok(())
}

/// The first sheet's cells as a dense range, refused when its bounding box (what a dense
/// range allocates: one cell at `XFD1048576` makes it 17 billion cells) or its number of
/// cells exceeds [`limits::MAX_SHEET_CELLS`]. Cells are streamed and counted first.
fn bounded_range(
    book: &mut Xlsx<Cursor<Vec<u8>>>,
    sheet: &str,
) -> Result<calamine::Range<Data>, ReadProblem> {
    let fail = |e: calamine::XlsxError| ReadProblem::fatal(None, format!("worksheet {sheet}: {e}"));
    let mut reader = book.worksheet_cells_reader(sheet).map_err(fail)?;
    let mut cells = Vec::new();
    let (mut rows, mut cols) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
    while let Some(cell) = reader.next_cell().map_err(fail)? {
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        let (r, c) = cell.get_position();
        rows = (rows.0.min(r), rows.1.max(r));
        cols = (cols.0.min(c), cols.1.max(c));
        let area = u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1);
        if area > limits::MAX_SHEET_CELLS {
            return Err(ReadProblem::fatal(
                None,
                format!(
                    "worksheet {sheet} spans {} rows × {} columns (a cell at {}); cscx reads \
                     sheets of up to {} cells",
                    rows.1 - rows.0 + 1,
                    cols.1 - cols.0 + 1,
                    cell_name(r, c),
                    limits::MAX_SHEET_CELLS
                ),
            ));
        }
        cells.push(calamine::Cell::new((r, c), value));
    }
    Ok(calamine::Range::from_sparse(cells))
}

/// `(0, 0)` → `A1`, as a spreadsheet names a cell.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        c -= 1;
        letters.push(b'A' + (c % 26) as u8);
        c /= 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
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
