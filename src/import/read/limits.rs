//! Bounds on what a file may make cscx hold in memory, each refused with an error that
//! names it: a line without end (`/dev/zero`, a 100 MB line), a huge field, a workbook that
//! unpacks to gigabytes (a zip bomb) or a sheet whose last cell is `XFD1048576`.

use std::io::Read;

/// The longest line of a CSV, TSV or NDJSON file.
pub const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;
/// The longest field of a CSV or TSV record (a quoted field may span lines).
pub const MAX_FIELD_BYTES: usize = 4 * 1024 * 1024;
/// The largest XLSX file, read whole (it is also stored as the KPI upload).
pub const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;
/// The most a workbook may unpack to (sum of its parts' sizes).
pub const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
/// The most cells of a sheet's bounding box (rows × columns), which is what is allocated.
pub const MAX_SHEET_CELLS: u64 = 4_000_000;
/// The most read from a pipe, FIFO or device, which is held in memory so that it is read
/// only once (a file on disk is streamed and has no such bound).
pub const MAX_STREAM_BYTES: u64 = 1024 * 1024 * 1024;

pub fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// A reader that fails on a line longer than [`MAX_LINE_BYTES`], naming the line.
pub struct LineLimit<R> {
    inner: R,
    line: u64,
    in_line: u64,
}

impl<R> LineLimit<R> {
    pub fn new(inner: R) -> Self {
        LineLimit {
            inner,
            line: 1,
            in_line: 0,
        }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' {
                self.line += 1;
                self.in_line = 0;
            } else {
                self.in_line += 1;
                if self.in_line > MAX_LINE_BYTES {
                    return Err(std::io::Error::other(format!(
                        "line {} is longer than {}, the longest line cscx reads (is this a \
                         text file?)",
                        self.line,
                        mib(MAX_LINE_BYTES)
                    )));
                }
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_line_is_refused_with_its_number() {
        let input = b"a,b\n".chain(std::io::repeat(0));
        let mut limited = LineLimit::new(input);
        let mut sink = Vec::new();
        let e = limited.read_to_end(&mut sink).unwrap_err();
        assert!(
            e.to_string().contains("line 2 is longer than 16 MiB"),
            "{e}"
        );
        assert!(sink.len() as u64 <= MAX_LINE_BYTES + 64 * 1024);
    }
}
