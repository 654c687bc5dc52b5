//! CSV and TSV, streamed with the `csv` crate. Fields are read as bytes and checked as UTF-8
//! here, so that invalid UTF-8 is reported with its line and column; a UTF-8 byte order mark
//! is skipped. The `csv` crate does not report a quote left open at the end of the file, so a
//! small state machine watches the raw bytes for it.

use std::io::Read;

use super::{Cell, ReadProblem, Records};

pub struct CsvRecords {
    reader: csv::Reader<QuoteWatch<Box<dyn Read>>>,
    columns: Vec<String>,
    record: csv::ByteRecord,
    line: u64,
}

impl CsvRecords {
    pub fn new(input: Box<dyn Read>, delimiter: u8) -> Result<CsvRecords, ReadProblem> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(true)
            .from_reader(QuoteWatch::new(input, delimiter));
        let header = reader
            .byte_headers()
            .map_err(|e| ReadProblem::fatal(Some(1), format!("unreadable header: {e}")))?
            .clone();
        let mut columns = Vec::with_capacity(header.len());
        for (i, field) in header.iter().enumerate() {
            let field = if i == 0 {
                field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
            } else {
                field
            };
            let name = std::str::from_utf8(field).map_err(|_| {
                ReadProblem::fatal(
                    Some(1),
                    format!("column {} of the header is not valid UTF-8", i + 1),
                )
            })?;
            columns.push(name.trim().to_owned());
        }
        if columns.iter().all(|c| c.is_empty()) {
            return Err(ReadProblem::fatal(Some(1), "the file has no header line"));
        }
        Ok(CsvRecords {
            reader,
            columns,
            record: csv::ByteRecord::new(),
            line: 1,
        })
    }
}

impl Records for CsvRecords {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn advance(&mut self) -> Result<bool, ReadProblem> {
        loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| {
                    let line = e.position().map(|p| p.line());
                    match e.kind() {
                        csv::ErrorKind::Io(io) => {
                            ReadProblem::fatal(line, format!("cannot read: {io}"))
                        }
                        _ => ReadProblem::fatal(line, format!("malformed CSV: {e}")),
                    }
                })?;
            if !more {
                return Ok(false);
            }
            self.line = self.record.position().map_or(self.line + 1, |p| p.line());
            // a blank line is not a record
            if self.record.len() == 1 && self.record[0].is_empty() {
                continue;
            }
            if self.record.len() != self.columns.len() {
                return Err(ReadProblem::record(
                    self.line,
                    None,
                    format!(
                        "has {} fields but the header has {} (a ragged row, or a quote not closed)",
                        self.record.len(),
                        self.columns.len()
                    ),
                ));
            }
            for (i, field) in self.record.iter().enumerate() {
                if field.len() > super::limits::MAX_FIELD_BYTES {
                    return Err(ReadProblem::record(
                        self.line,
                        self.columns.get(i).cloned(),
                        format!(
                            "is {} bytes long; cscx reads fields up to {}",
                            field.len(),
                            super::limits::mib(super::limits::MAX_FIELD_BYTES as u64)
                        ),
                    ));
                }
                if std::str::from_utf8(field).is_err() {
                    return Err(ReadProblem::record(
                        self.line,
                        self.columns.get(i).cloned(),
                        "is not valid UTF-8 (save the file as UTF-8)",
                    ));
                }
            }
            return Ok(true);
        }
    }

    fn line(&self) -> u64 {
        self.line
    }

    fn cell(&self, i: usize) -> Cell<'_> {
        match self.record.get(i).map(std::str::from_utf8) {
            // an exported cell marked as text (`'=x`, see import::formula) reads as its value
            Some(Ok(s)) if !s.is_empty() => Cell::Text(crate::import::formula::restore(s)),
            _ => Cell::Null,
        }
    }

    fn position(&self) -> u64 {
        // where the current record starts: the reader itself reads ahead
        self.record
            .position()
            .map_or(self.reader.get_ref().bytes, |p| p.byte())
    }

    fn finish(&mut self) -> Result<(), ReadProblem> {
        match self.reader.get_ref().open_quote {
            Some(line) if self.reader.get_ref().state == QuoteState::Quoted => {
                Err(ReadProblem::fatal(
                    Some(line),
                    "a quoted field starts here and is never closed (unterminated quote)",
                ))
            }
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Follows RFC 4180 quoting over the raw bytes, as the `csv` crate parses them, to tell at
/// the end whether a quoted field was left open (and on which line it opened).
struct QuoteWatch<R> {
    inner: R,
    delimiter: u8,
    state: QuoteState,
    line: u64,
    open_quote: Option<u64>,
    bytes: u64,
}

impl<R> QuoteWatch<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        QuoteWatch {
            inner,
            delimiter,
            state: QuoteState::FieldStart,
            line: 1,
            open_quote: None,
            bytes: 0,
        }
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        for &b in &buf[..n] {
            let ends_field = b == self.delimiter || b == b'\n' || b == b'\r';
            self.state = match (self.state, b) {
                (QuoteState::FieldStart, b'"') => {
                    self.open_quote = Some(self.line);
                    QuoteState::Quoted
                }
                (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
                (QuoteState::Quoted, _) => QuoteState::Quoted,
                (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
                (_, _) if ends_field => QuoteState::FieldStart,
                (_, _) => QuoteState::Unquoted,
            };
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type ReadAll = (
        Vec<String>,
        Vec<Result<Vec<String>, ReadProblem>>,
        Result<(), ReadProblem>,
    );

    fn read(text: &'static [u8]) -> ReadAll {
        let mut r = CsvRecords::new(Box::new(text), b',').unwrap();
        let mut out = Vec::new();
        loop {
            match r.advance() {
                Ok(true) => out.push(Ok((0..r.columns().len())
                    .map(|i| r.cell(i).display())
                    .collect())),
                Ok(false) => break,
                Err(p) if p.fatal => {
                    out.push(Err(p));
                    break;
                }
                Err(p) => out.push(Err(p)),
            }
        }
        let finish = r.finish();
        (r.columns().to_vec(), out, finish)
    }

    #[test]
    fn reads_header_records_and_lines() {
        let (cols, rows, fin) = read(b"\xEF\xBB\xBFName ,b\nx,\"multi\nline\"\n\ny,2\n");
        assert_eq!(cols, ["Name", "b"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].as_ref().unwrap(), &["x", "multi\nline"]);
        assert!(fin.is_ok());
    }

    #[test]
    fn ragged_rows_are_record_problems() {
        let (_, rows, _) = read(b"a,b\n1,2,3\n4,5\n");
        let p = rows[0].as_ref().unwrap_err();
        assert_eq!(p.line, Some(2));
        assert!(!p.fatal);
        assert!(p.message.contains("3 fields"), "{p:?}");
        assert!(rows[1].is_ok());
    }

    #[test]
    fn an_unterminated_quote_is_found() {
        let (_, _, fin) = read(b"a,b\n1,\"open\n2,3\n");
        let p = fin.unwrap_err();
        assert_eq!(p.line, Some(2));
        assert!(p.message.contains("never closed"));
        let (_, _, fin) = read(b"a,b\n1,\"say \"\"hi\"\"\"\n");
        assert!(fin.is_ok());
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let (_, rows, _) = read(b"a,b\n1,\xff\xfe\n");
        let p = rows[0].as_ref().unwrap_err();
        assert_eq!((p.line, p.column.as_deref()), (Some(2), Some("b")));
    }
}
