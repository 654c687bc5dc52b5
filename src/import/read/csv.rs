//! CSV and TSV, streamed with the `csv` crate. Fields are read as bytes and checked as UTF-8
//! here, so that invalid UTF-8 is reported with its line and column; a UTF-8 byte order mark
//! is skipped. The `csv` crate does not report a quote left open at the end of the file, so a
//! small state machine watches the raw bytes for it. The same watch counts lines: the `csv`
//! crate's own count is one short per line for CRLF (and stays at 1 for CR-only files), so a
//! record's line is found from its byte offset, with `\n`, `\r\n` and a lone `\r` each ending
//! one line.

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
                    let line = e
                        .position()
                        .map(|p| self.reader.get_mut().line_at(p.byte()));
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
            self.line = match self.record.position() {
                Some(p) => self.reader.get_mut().line_at(p.byte()),
                None => self.line + 1,
            };
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

/// One line break in the raw bytes: where it starts and where the next line starts.
#[derive(Debug, Clone, Copy)]
struct Break {
    at: u64,
    next: u64,
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
    /// The line breaks after the first `lines_before`, read but not yet asked for.
    breaks: std::collections::VecDeque<Break>,
    lines_before: u64,
    after_cr: bool,
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
            breaks: std::collections::VecDeque::new(),
            lines_before: 0,
            after_cr: false,
        }
    }

    /// The 1-based line of the record the `csv` crate says starts at `offset`. Its offset
    /// can point at the blank lines before the record (or between the `\r` and `\n` of the
    /// break before it), so those are stepped over. Offsets must not decrease from one call
    /// to the next (records are asked for in order), which keeps the queue to what the
    /// parser has read ahead.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut offset = offset;
        while let Some(b) = self.breaks.front().copied().filter(|b| b.at <= offset) {
            self.breaks.pop_front();
            self.lines_before += 1;
            offset = offset.max(b.next);
        }
        self.lines_before + 1
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let start = self.bytes;
        self.bytes += n as u64;
        for (i, &b) in buf[..n].iter().enumerate() {
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
            let offset = start + i as u64;
            // \r\n is one line break: the \r counted it
            if b == b'\r' || (b == b'\n' && !self.after_cr) {
                self.line += 1;
                self.breaks.push_back(Break {
                    at: offset,
                    next: offset + 1,
                });
            } else if let (b'\n', Some(last)) = (b, self.breaks.back_mut()) {
                last.next = offset + 1;
            }
            self.after_cr = b == b'\r';
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

    fn lines_of_bad_cells(text: &'static [u8]) -> Vec<u64> {
        let mut r = CsvRecords::new(Box::new(text), b',').unwrap();
        let mut lines = Vec::new();
        while let Ok(true) = r.advance() {
            if r.cell(1).display() == "bad" {
                lines.push(r.line());
            }
        }
        lines
    }

    #[test]
    fn lines_are_right_for_lf_crlf_and_cr_endings() {
        // line 3 and line 6 (after a quoted field spanning two lines and a blank line)
        let lf = b"a,b\n1,ok\n2,bad\n3,\"two\nlines\"\n\n4,bad\n";
        let crlf = b"a,b\r\n1,ok\r\n2,bad\r\n3,\"two\r\nlines\"\r\n\r\n4,bad\r\n";
        let cr = b"a,b\r1,ok\r2,bad\r3,\"two\rlines\"\r\r4,bad\r";
        assert_eq!(lines_of_bad_cells(lf), [3, 7]);
        assert_eq!(lines_of_bad_cells(crlf), [3, 7]);
        assert_eq!(lines_of_bad_cells(cr), [3, 7]);
    }

    #[test]
    fn an_unterminated_quote_is_found_on_its_line_with_crlf() {
        let mut r =
            CsvRecords::new(Box::new(&b"a,b\r\n1,2\r\n3,\"open\r\n4,5\r\n"[..]), b',').unwrap();
        while let Ok(true) = r.advance() {}
        assert_eq!(r.finish().unwrap_err().line, Some(3));
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let (_, rows, _) = read(b"a,b\n1,\xff\xfe\n");
        let p = rows[0].as_ref().unwrap_err();
        assert_eq!((p.line, p.column.as_deref()), (Some(2), Some("b")));
    }
}
