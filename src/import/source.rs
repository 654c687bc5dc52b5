//! What an import reads: files named on the command line, the data files of a folder, or
//! bytes built into the binary (`cscx demo`'s sample data).

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

/// The file formats an import reads (`--format` names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Tsv,
    Json,
    Ndjson,
    Xlsx,
}

/// One file to import.
#[derive(Debug, Clone)]
pub struct Source {
    /// As shown in messages: the path as given, or `sample-data/NAME` for embedded files.
    pub name: String,
    pub format: Format,
    data: Data,
}

#[derive(Debug, Clone)]
enum Data {
    File(PathBuf),
    Bytes(&'static [u8]),
    /// A pipe, a FIFO or `/dev/stdin`, read once, when first opened: an import reads a file
    /// twice (its header to plan, then its records), and a pipe gives its bytes only once.
    /// Read when opened, not when collected, so that what it gives is judged as data
    /// (a line without end is a bad file, not a bad command line).
    Read(
        PathBuf,
        std::sync::Arc<std::sync::OnceLock<Result<std::sync::Arc<[u8]>, String>>>,
    ),
}

/// A whole file, refused beyond [`limits::MAX_WORKBOOK_BYTES`] (whatever its size says:
/// `/dev/zero` says 0).
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use super::read::limits;
    let mut bytes = Vec::new();
    File::open(path)?
        .take(limits::MAX_WORKBOOK_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limits::MAX_WORKBOOK_BYTES {
        return Err(std::io::Error::other(format!(
            "is larger than {}, the largest workbook cscx reads",
            limits::mib(limits::MAX_WORKBOOK_BYTES)
        )));
    }
    Ok(bytes)
}

/// A path or flag that names no importable file (a usage error: exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(pub String);

impl Source {
    pub fn file(path: &Path, format: Format) -> Source {
        Source {
            name: path.display().to_string(),
            format,
            data: Data::File(path.to_owned()),
        }
    }

    pub fn bytes(name: &str, bytes: &'static [u8], format: Format) -> Source {
        Source {
            name: name.to_owned(),
            format,
            data: Data::Bytes(bytes),
        }
    }

    /// The file name without folders and extension: what names the table
    /// (`workspan_core.deals.json` → `workspan_core.deals`).
    pub fn stem(&self) -> String {
        let file = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        match file.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem.to_owned(),
            _ => file.to_owned(),
        }
    }

    /// The file read, if it is one (not bytes built into the binary).
    pub fn path(&self) -> Option<&Path> {
        match &self.data {
            Data::File(p) => Some(p),
            // a pipe was read whole: nothing can overwrite what it gave
            Data::Bytes(_) | Data::Read(..) => None,
        }
    }

    /// The file name without folders.
    pub fn file_name(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name)
    }

    pub fn open(&self) -> std::io::Result<Box<dyn Read>> {
        Ok(match &self.data {
            Data::File(p) => Box::new(BufReader::with_capacity(256 * 1024, File::open(p)?)),
            Data::Bytes(b) => Box::new(Cursor::new(*b)),
            Data::Read(..) => Box::new(Cursor::new(self.stream()?)),
        })
    }

    /// The whole file (KPI workbooks are stored as uploaded; spreadsheets are read whole).
    pub fn read_all(&self) -> std::io::Result<Vec<u8>> {
        match &self.data {
            Data::File(p) => read_bounded(p),
            Data::Bytes(b) => Ok(b.to_vec()),
            Data::Read(..) => Ok(self.stream()?.to_vec()),
        }
    }

    pub fn len(&self) -> u64 {
        match &self.data {
            Data::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Data::Bytes(b) => b.len() as u64,
            Data::Read(_, once) => match once.get() {
                Some(Ok(b)) => b.len() as u64,
                _ => 0,
            },
        }
    }

    /// A pipe's bytes, read on first use and kept.
    fn stream(&self) -> std::io::Result<std::sync::Arc<[u8]>> {
        let Data::Read(path, once) = &self.data else {
            return Err(std::io::Error::other("not a stream"));
        };
        once.get_or_init(|| {
            read_stream(path, self.format)
                .map(Into::into)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(std::io::Error::other)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The format a file name's extension says, if any.
pub fn format_of(name: &str) -> Option<Format> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Format::Csv),
        "tsv" | "tab" => Some(Format::Tsv),
        "json" => Some(Format::Json),
        "ndjson" | "jsonl" => Some(Format::Ndjson),
        "xlsx" | "xlsm" => Some(Format::Xlsx),
        _ => None,
    }
}

/// The files the command line names: each file as given, and the data files directly inside
/// each folder (by name; other files, hidden files and subfolders are left alone).
pub fn collect(paths: &[PathBuf], format: Option<Format>) -> Result<Vec<Source>, SourceError> {
    let mut sources = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| SourceError(format!("{}: {e}", path.display())))?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| SourceError(format!("{}: {e}", path.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| !n.starts_with('.'))
                })
                .collect();
            entries.sort();
            let before = sources.len();
            for p in entries {
                let name = p.to_string_lossy().into_owned();
                if let Some(f) = format.or_else(|| format_of(&name)) {
                    sources.push(Source::file(&p, f));
                }
            }
            if sources.len() == before {
                return Err(SourceError(format!(
                    "{}: no CSV, TSV, JSON, NDJSON or XLSX file in this folder",
                    path.display()
                )));
            }
        } else {
            let name = path.to_string_lossy();
            let f = format.or_else(|| format_of(&name)).ok_or_else(|| {
                SourceError(format!(
                    "{}: cannot tell the format from the extension; use .csv, .tsv, .json, \
                     .ndjson or .xlsx, or pass --format",
                    path.display()
                ))
            })?;
            if meta.is_file() {
                sources.push(Source::file(path, f));
            } else {
                sources.push(Source {
                    name: path.display().to_string(),
                    format: f,
                    data: Data::Read(path.clone(), Default::default()),
                });
            }
        }
    }
    Ok(sources)
}

/// Everything a pipe or FIFO gives, read once, refused beyond
/// [`limits::MAX_STREAM_BYTES`] (`/dev/zero` never ends).
fn read_stream(path: &Path, format: Format) -> std::io::Result<Vec<u8>> {
    use super::read::limits;
    let (bound, what) = match format {
        Format::Xlsx => (
            limits::MAX_WORKBOOK_BYTES,
            "the largest workbook cscx reads",
        ),
        _ => (
            limits::MAX_STREAM_BYTES,
            "the most cscx reads from a pipe or device",
        ),
    };
    let file = File::open(path)?;
    // a line-oriented stream fails at its first endless line, long before the bound
    let reader: Box<dyn Read> = match format {
        Format::Csv | Format::Tsv | Format::Ndjson => Box::new(limits::LineLimit::new(file)),
        Format::Json | Format::Xlsx => Box::new(file),
    };
    let mut bytes = Vec::new();
    reader.take(bound + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > bound {
        return Err(std::io::Error::other(format!(
            "is larger than {}, {what}; save it to a file",
            limits::mib(bound)
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_keep_schema_prefixes() {
        let s = Source::bytes("a/b/workspan_core.deals.json", b"", Format::Json);
        assert_eq!(s.stem(), "workspan_core.deals");
        assert_eq!(s.file_name(), "workspan_core.deals.json");
        assert_eq!(Source::bytes("calls.csv", b"", Format::Csv).stem(), "calls");
    }

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(format_of("x.CSV"), Some(Format::Csv));
        assert_eq!(format_of("x.tsv"), Some(Format::Tsv));
        assert_eq!(format_of("x.jsonl"), Some(Format::Ndjson));
        assert_eq!(format_of("x.xlsx"), Some(Format::Xlsx));
        assert_eq!(format_of("README.md"), None);
        assert_eq!(format_of("noext"), None);
    }
}
