//! cscx's own feeds as rows of `etl_runs` (seed 000's `cisco_ops.etl_runs` for what goes
//! out, `workspan_core.etl_audit` for what comes in): one row per `cscx import` (inbound)
//! and `cscx export` (outbound), with counts, status, times and the error of a failed run
//! (docs/import.md, "Runs in etl_runs").
//!
//! A run is the store's own bookkeeping, like an `activity_log` entry: it is written inside
//! the write path's transaction (the import's own, or one of its own for an export or a
//! failed import) but not through the access policy, so an export by a viewer, who may not
//! write, is still on record. It names the actor's workspace.

use super::error::Result;
use super::write::WriteTx;

/// One finished run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtlRun {
    pub direction: Direction,
    /// What ran: `cscx import calls.csv, customers.csv`.
    pub feed_name: String,
    /// `ids::now()` when the run started (`run_ts`).
    pub started_at: String,
    pub finished_at: String,
    /// Records read from the input (an import's rows of its files; an export's rows of the book).
    pub records_read: u64,
    /// Rows written (inserted or updated by an import; rows in the exported files).
    pub records_written: u64,
    /// Rows set aside (`--reject-file`) or refused.
    pub records_rejected: u64,
    pub status: Status,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `cscx import`.
    Inbound,
    /// `cscx export`.
    Outbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Succeeded,
    /// Committed, with rows set aside to the reject file.
    Partial,
    /// Nothing was written (the import rolled back, or the export stopped).
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "succeeded",
            Status::Partial => "partial",
            Status::Failed => "failed",
        }
    }
}

/// Longest `feed_name` / `error` kept: a run of ten thousand files is not a 1 MB row.
const MAX_TEXT: usize = 1000;

fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

impl WriteTx<'_> {
    /// Records `run`; returns its id.
    pub fn record_run(&self, run: &EtlRun) -> Result<String> {
        let id = super::ids::new_id();
        let (direction, sent) = match run.direction {
            Direction::Inbound => ("inbound", None),
            // seed 000's outbound count, the same number
            Direction::Outbound => ("outbound", Some(run.records_written as i64)),
        };
        self.conn()
            .prepare_cached(
                "INSERT INTO etl_runs (id, workspace_id, direction, feed_name, run_ts,
                   records_sent, status, records_read, records_written, records_rejected,
                   finished_at, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(rusqlite::params![
                id,
                self.actor().workspace_id,
                direction,
                bounded(&run.feed_name),
                run.started_at,
                sent,
                run.status.as_str(),
                run.records_read as i64,
                run.records_written as i64,
                run.records_rejected as i64,
                run.finished_at,
                run.error.as_deref().map(bounded),
            ])?;
        Ok(id)
    }
}

/// How long an export waits for another writer to record its run: a reader does not wait
/// for a writer (docs/safety.md), and an export is a reader.
const EXPORT_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

impl super::Store {
    /// Records `run` in a transaction of its own (a failed import, after its rollback),
    /// waiting for another writer as the store's writes do.
    pub fn record_run(&mut self, run: &EtlRun) -> Result<String> {
        Ok(self.write(|w| w.record_run(run))?.value)
    }

    /// Records `run` without waiting more than a moment for another writer (an export):
    /// `Err` (busy) when one holds the file, and the caller says the run went unrecorded.
    pub fn record_run_without_waiting(&mut self, run: &EtlRun) -> Result<String> {
        let wait = self.wait.take();
        self.conn.busy_timeout(EXPORT_WAIT)?;
        let recorded = self.record_run(run);
        self.conn.busy_timeout(super::BUSY_TIMEOUT)?;
        self.wait = wait;
        recorded
    }
}

impl super::Store {
    /// Records `run` from a read-only store too — the dashboard's exports run on one, beside
    /// its worker — through a connection of its own that may write; as
    /// [`record_run_without_waiting`](Self::record_run_without_waiting) otherwise.
    pub fn record_run_from_reader(&mut self, run: &EtlRun) -> Result<String> {
        if !self.conn.is_readonly()? {
            return self.record_run_without_waiting(run);
        }
        let mut writer = super::open(&self.path)?;
        writer.set_actor(self.actor.clone());
        writer.record_run_without_waiting(run)
    }
}

/// `cscx import a.csv, b.csv`: the names of a run's files, for `feed_name`.
pub fn feed_name(verb: &str, names: &[String]) -> String {
    if names.is_empty() {
        format!("cscx {verb}")
    } else {
        format!("cscx {verb} {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_at_a_character() {
        let long = "é".repeat(MAX_TEXT + 5);
        let cut = bounded(&long);
        assert_eq!(cut.chars().count(), MAX_TEXT + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(bounded("short"), "short");
    }

    #[test]
    fn feed_names_list_the_files() {
        assert_eq!(
            feed_name("import", &["a.csv".into(), "b.csv".into()]),
            "cscx import a.csv, b.csv"
        );
        assert_eq!(feed_name("export", &[]), "cscx export");
    }
}
