//! JSON (an array of objects) and NDJSON (one object per line). Both stream: the array is
//! walked element by element with serde_json, never parsed whole. Object keys are the
//! columns; a key first seen in a later object adds a column.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Cell, ReadProblem, Records};

/// Columns seen so far and the current object's values by column.
#[derive(Default)]
struct Objects {
    columns: Vec<String>,
    index: HashMap<String, usize>,
    values: Vec<Value>,
}

impl Objects {
    fn set(&mut self, object: Map<String, Value>) {
        for v in &mut self.values {
            *v = Value::Null;
        }
        for (key, value) in object {
            let i = match self.index.get(&key) {
                Some(i) => *i,
                None => {
                    let i = self.columns.len();
                    self.columns.push(key.trim().to_owned());
                    self.index.insert(key, i);
                    self.values.push(Value::Null);
                    i
                }
            };
            self.values[i] = value;
        }
    }

    fn cell(&self, i: usize) -> Cell<'_> {
        match self.values.get(i) {
            None | Some(Value::Null) => Cell::Null,
            Some(Value::String(s)) => Cell::JsonString(s),
            Some(Value::Number(n)) => Cell::Number(n),
            Some(Value::Bool(b)) => Cell::Bool(*b),
            Some(v) => Cell::Json(v),
        }
    }
}

/// Bytes with a line count and one byte of lookahead. serde_json reads through it one byte
/// at a time (`io::Bytes`), so the count is exact at every element boundary.
struct Counted<R> {
    inner: BufReader<R>,
    line: u64,
    bytes: u64,
    peeked: Option<u8>,
    after_cr: bool,
}

impl<R: Read> Counted<R> {
    fn next_byte(&mut self) -> std::io::Result<Option<u8>> {
        if let Some(b) = self.peeked.take() {
            return Ok(Some(b));
        }
        let mut one = [0u8; 1];
        Ok(match self.inner.read(&mut one)? {
            0 => None,
            _ => {
                self.bytes += 1;
                // \n, \r\n and a lone \r each end one line
                if one[0] == b'\r' || (one[0] == b'\n' && !self.after_cr) {
                    self.line += 1;
                }
                self.after_cr = one[0] == b'\r';
                Some(one[0])
            }
        })
    }

    fn peek_byte(&mut self) -> std::io::Result<Option<u8>> {
        if self.peeked.is_none() {
            self.peeked = self.next_byte()?;
        }
        Ok(self.peeked)
    }

    fn skip_whitespace(&mut self) -> std::io::Result<()> {
        while let Some(b) = self.peek_byte()? {
            if !b.is_ascii_whitespace() {
                break;
            }
            self.peeked = None;
        }
        Ok(())
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        match self.next_byte()? {
            Some(b) => {
                buf[0] = b;
                Ok(1)
            }
            None => Ok(0),
        }
    }
}

pub struct JsonArrayRecords {
    src: Counted<Box<dyn Read>>,
    objects: Objects,
    first: bool,
    done: bool,
    line: u64,
}

fn io_problem(line: u64, e: std::io::Error) -> ReadProblem {
    ReadProblem::fatal(Some(line), format!("cannot read: {e}"))
}

impl JsonArrayRecords {
    pub fn new(input: Box<dyn Read>) -> Result<JsonArrayRecords, ReadProblem> {
        let mut src = Counted {
            inner: BufReader::with_capacity(256 * 1024, input),
            line: 1,
            bytes: 0,
            peeked: None,
            after_cr: false,
        };
        // a UTF-8 byte order mark is fine
        if src.peek_byte().map_err(|e| io_problem(1, e))? == Some(0xEF) {
            src.peeked = None;
            let bom = (src.next_byte(), src.next_byte());
            if !matches!(bom, (Ok(Some(0xBB)), Ok(Some(0xBF)))) {
                return Err(ReadProblem::fatal(Some(1), "is not valid UTF-8"));
            }
        }
        src.skip_whitespace().map_err(|e| io_problem(1, e))?;
        match src.next_byte().map_err(|e| io_problem(1, e))? {
            Some(b'[') => {}
            Some(_) => {
                return Err(ReadProblem::fatal(
                    Some(src.line),
                    "a .json file must hold an array of objects ([{...}, {...}]); for one \
                     object per line use .ndjson",
                ));
            }
            None => return Err(ReadProblem::fatal(Some(1), "the file is empty")),
        }
        Ok(JsonArrayRecords {
            src,
            objects: Objects::default(),
            first: true,
            done: false,
            line: 1,
        })
    }
}

impl Records for JsonArrayRecords {
    fn columns(&self) -> &[String] {
        &self.objects.columns
    }

    fn advance(&mut self) -> Result<bool, ReadProblem> {
        if self.done {
            return Ok(false);
        }
        let line = |s: &Self| s.src.line;
        self.src
            .skip_whitespace()
            .map_err(|e| io_problem(line(self), e))?;
        let next = self
            .src
            .peek_byte()
            .map_err(|e| io_problem(line(self), e))?;
        match (self.first, next) {
            (_, Some(b']')) if self.first => {
                self.src.peeked = None;
                return self.end();
            }
            (false, Some(b',')) => {
                self.src.peeked = None;
                self.src
                    .skip_whitespace()
                    .map_err(|e| io_problem(line(self), e))?;
            }
            (false, Some(b']')) => {
                self.src.peeked = None;
                return self.end();
            }
            (true, Some(_)) => {}
            (_, None) => {
                return Err(ReadProblem::fatal(
                    Some(self.src.line),
                    "the file ends inside the array (missing ])",
                ));
            }
            (false, Some(b)) => {
                return Err(ReadProblem::fatal(
                    Some(self.src.line),
                    format!(
                        "bad JSON: expected , or ] between objects, found {:?}",
                        b as char
                    ),
                ));
            }
        }
        self.first = false;
        self.line = self.src.line;
        let start = self.line;
        let value = {
            let mut de = serde_json::Deserializer::from_reader(&mut self.src);
            Value::deserialize(&mut de)
        }
        .map_err(|e| {
            ReadProblem::fatal(
                Some(start + e.line().saturating_sub(1) as u64),
                format!("bad JSON: {}", strip_position(&e.to_string())),
            )
        })?;
        match value {
            Value::Object(object) => {
                self.objects.set(object);
                Ok(true)
            }
            other => Err(ReadProblem::fatal(
                Some(start),
                format!(
                    "bad JSON: each element must be an object, not {}",
                    kind(&other)
                ),
            )),
        }
    }

    fn line(&self) -> u64 {
        self.line
    }

    fn cell(&self, i: usize) -> Cell<'_> {
        self.objects.cell(i)
    }

    fn position(&self) -> u64 {
        self.src.bytes
    }
}

impl JsonArrayRecords {
    fn end(&mut self) -> Result<bool, ReadProblem> {
        self.done = true;
        self.src
            .skip_whitespace()
            .map_err(|e| io_problem(self.src.line, e))?;
        if self
            .src
            .peek_byte()
            .map_err(|e| io_problem(self.src.line, e))?
            .is_some()
        {
            return Err(ReadProblem::fatal(
                Some(self.src.line),
                "bad JSON: text after the closing ]",
            ));
        }
        Ok(false)
    }
}

/// serde_json's messages end in "at line L column C", relative to where it started; the
/// absolute line is reported separately.
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub struct NdjsonRecords {
    input: BufReader<Box<dyn Read>>,
    buffer: Vec<u8>,
    objects: Objects,
    next_line: u64,
    line: u64,
    bytes: u64,
    /// A line with something on it was read: a file without one is empty, an error as it
    /// is for the other formats (an empty CSV has no header, an empty JSON file no array).
    any_line: bool,
}

impl NdjsonRecords {
    pub fn new(input: Box<dyn Read>) -> NdjsonRecords {
        NdjsonRecords {
            input: BufReader::with_capacity(256 * 1024, input),
            buffer: Vec::new(),
            objects: Objects::default(),
            next_line: 1,
            line: 0,
            bytes: 0,
            any_line: false,
        }
    }
}

impl Records for NdjsonRecords {
    fn columns(&self) -> &[String] {
        &self.objects.columns
    }

    fn advance(&mut self) -> Result<bool, ReadProblem> {
        loop {
            self.buffer.clear();
            let n = self
                .input
                .read_until(b'\n', &mut self.buffer)
                .map_err(|e| io_problem(self.next_line, e))?;
            if n == 0 && !self.any_line {
                return Err(ReadProblem::fatal(
                    Some(1),
                    "the file is empty (no JSON object on any line)",
                ));
            }
            if n == 0 {
                return Ok(false);
            }
            self.bytes += n as u64;
            self.line = self.next_line;
            self.next_line += 1;
            let mut bytes = self.buffer.as_slice();
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let Ok(text) = std::str::from_utf8(bytes) else {
                return Err(ReadProblem::record(self.line, None, "is not valid UTF-8"));
            };
            if text.trim().is_empty() {
                continue;
            }
            self.any_line = true;
            return match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(object)) => {
                    self.objects.set(object);
                    Ok(true)
                }
                Ok(other) => Err(ReadProblem::record(
                    self.line,
                    None,
                    format!(
                        "bad JSON: each line must be an object, not {}",
                        kind(&other)
                    ),
                )),
                Err(e) => Err(ReadProblem::record(
                    self.line,
                    None,
                    format!("bad JSON: {}", strip_position(&e.to_string())),
                )),
            };
        }
    }

    fn line(&self) -> u64 {
        self.line
    }

    fn cell(&self, i: usize) -> Cell<'_> {
        self.objects.cell(i)
    }

    fn position(&self) -> u64 {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<Result<(u64, Vec<String>), ReadProblem>>;

    fn all(mut r: impl Records) -> (Vec<String>, Rows) {
        let mut out = Vec::new();
        loop {
            match r.advance() {
                Ok(true) => out.push(Ok((
                    r.line(),
                    (0..r.columns().len())
                        .map(|i| r.cell(i).display())
                        .collect(),
                ))),
                Ok(false) => break,
                Err(p) => {
                    let fatal = p.fatal;
                    out.push(Err(p));
                    if fatal {
                        break;
                    }
                }
            }
        }
        (r.columns().to_vec(), out)
    }

    #[test]
    fn arrays_stream_with_lines_and_growing_columns() {
        let text: &'static [u8] =
            b"\xEF\xBB\xBF[\n  {\"a\": 1, \"b\": \"x\"},\n  {\"a\": 2,\n   \"c\": [1]}\n]\n";
        let (cols, rows) = all(JsonArrayRecords::new(Box::new(text)).unwrap());
        assert_eq!(cols, ["a", "b", "c"]);
        assert_eq!(
            rows[0].as_ref().unwrap(),
            &(2, vec!["1".into(), "x".into()])
        );
        assert_eq!(
            rows[1].as_ref().unwrap(),
            &(3, vec!["2".into(), "".into(), "[1]".into()])
        );
    }

    #[test]
    fn bad_json_names_its_line() {
        let text: &'static [u8] = b"[\n{\"a\": 1},\n{\"a\": 2,,}\n]";
        let (_, rows) = all(JsonArrayRecords::new(Box::new(text)).unwrap());
        let p = rows.last().unwrap().as_ref().unwrap_err();
        assert!(p.fatal);
        assert_eq!(p.line, Some(3), "{p:?}");
        let (_, rows) =
            all(JsonArrayRecords::new(Box::new(&b"[{\"a\":1} {\"a\":2}]"[..])).unwrap());
        assert!(
            rows.last()
                .unwrap()
                .as_ref()
                .unwrap_err()
                .message
                .contains("expected , or ]")
        );
        assert!(JsonArrayRecords::new(Box::new(&b"{\"a\":1}"[..])).is_err());
    }

    #[test]
    fn ndjson_problems_are_per_line() {
        let text: &'static [u8] = b"{\"a\":1}\n\nnot json\n{\"a\":3}\n";
        let (_, rows) = all(NdjsonRecords::new(Box::new(text)));
        assert_eq!(rows[0].as_ref().unwrap().0, 1);
        let p = rows[1].as_ref().unwrap_err();
        assert_eq!((p.line, p.fatal), (Some(3), false));
        assert_eq!(rows[2].as_ref().unwrap().0, 4);
    }

    #[test]
    fn an_empty_ndjson_file_is_a_problem_of_the_file() {
        for text in [&b""[..], b"\n\n  \n"] {
            let mut r = NdjsonRecords::new(Box::new(text));
            let p = r.advance().unwrap_err();
            assert!(p.fatal && p.message.contains("empty"), "{p:?}");
        }
    }

    #[test]
    fn json_lines_count_crlf_and_cr_endings_once() {
        for text in [
            &b"[\n{\"a\":1},\n{\"a\":2}\n]"[..],
            b"[\r\n{\"a\":1},\r\n{\"a\":2}\r\n]",
            b"[\r{\"a\":1},\r{\"a\":2}\r]",
        ] {
            let (_, rows) = all(JsonArrayRecords::new(Box::new(text)).unwrap());
            let lines: Vec<u64> = rows.iter().map(|r| r.as_ref().unwrap().0).collect();
            assert_eq!(lines, [2, 3], "{:?}", String::from_utf8_lossy(text));
        }
    }
}
