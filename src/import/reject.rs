//! The reject file (`--reject-file F`): each bad row with its reasons, as CSV with the columns
//! `file, line, problems, record` (the record as a JSON object of the file's columns), so
//! that rows of several files of different shapes fit in one file. It is written next to F
//! and moved into place only when the import commits.

use std::path::{Path, PathBuf};

pub struct RejectWriter {
    out: csv::Writer<std::fs::File>,
    temp: PathBuf,
    path: PathBuf,
}

impl RejectWriter {
    pub fn create(path: &Path) -> std::io::Result<RejectWriter> {
        let temp = path.with_extension("cscx-partial");
        // private, as the database is; never through a link left where the temp file goes
        let mut out = csv::Writer::from_writer(super::target::create_private(&temp)?);
        out.write_record(["file", "line", "problems", "record"])
            .map_err(std::io::Error::other)?;
        Ok(RejectWriter {
            out,
            temp,
            path: path.to_owned(),
        })
    }

    pub fn write(
        &mut self,
        file: &str,
        line: u64,
        problems: &[String],
        record: &serde_json::Map<String, serde_json::Value>,
    ) -> std::io::Result<()> {
        use super::formula::neutralise;
        let record = serde_json::Value::Object(record.clone()).to_string();
        let problems = problems.join("; ");
        // opened in a spreadsheet, a file name or a problem quoting `=cmd|...` must not run
        self.out
            .write_record([
                neutralise(file).as_ref(),
                &line.to_string(),
                neutralise(&problems).as_ref(),
                neutralise(&record).as_ref(),
            ])
            .map_err(std::io::Error::other)
    }

    /// Puts the file in place (the import committed).
    pub fn keep(mut self) -> std::io::Result<()> {
        self.out.flush()?;
        std::fs::rename(&self.temp, &self.path)
    }

    /// Removes it (the import was rolled back).
    pub fn discard(self) {
        let _ = std::fs::remove_file(&self.temp);
    }
}
