//! What an import found and did: problems as `FILE:LINE[:COLUMN]: what is wrong (value)`,
//! per-table counts, and the health scores that moved.

use std::collections::BTreeMap;
use std::fmt;

use crate::store::HealthChange;

/// One thing wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<u64>,
    /// The column as the file names it.
    pub column: Option<String>,
    pub message: String,
    pub value: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ":{column}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(v) = &self.value {
            write!(f, " ({v:?})")?;
        }
        Ok(())
    }
}

/// Rows per outcome, for one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub inserted: u64,
    pub updated: u64,
    pub skipped: u64,
    pub rejected: u64,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Files in the order they were loaded, with the table they were read as.
    pub files: Vec<(String, String)>,
    pub tables: BTreeMap<String, Counts>,
    /// The first `max_errors` problems.
    pub problems: Vec<Problem>,
    /// All problems, listed or not.
    pub problem_count: u64,
    pub max_errors: usize,
    /// Rows written to the reject file.
    pub rejected: u64,
    pub health: Vec<HealthChange>,
    /// Values read as something else than their text says, and how many times: the seeds'
    /// free text mapped to a set (`meetings.status 'canceled' -> 'cancelled'`), rows merged.
    pub conversions: BTreeMap<String, u64>,
    pub dry_run: bool,
    pub committed: bool,
    /// Set by any problem that stops the import (every problem, unless --reject-file takes
    /// bad rows aside).
    pub failed: bool,
    /// What was imported but not kept as the file said, and did not stop the import (an
    /// imported variance cscx computes otherwise): the first `max_errors`.
    pub warnings: Vec<Problem>,
    pub warning_count: u64,
    /// Records read from the files (`etl_runs.records_read`).
    pub records_read: u64,
}

impl Report {
    pub fn problem(&mut self, p: Problem) {
        self.problem_count += 1;
        if self.problems.len() < self.max_errors {
            self.problems.push(p);
        }
    }

    pub fn counts(&mut self, table: &str) -> &mut Counts {
        self.tables.entry(table.to_owned()).or_default()
    }

    /// Counts one value read as something else than its text says.
    pub fn converted(&mut self, what: String) {
        *self.conversions.entry(what).or_default() += 1;
    }

    pub fn rows_written(&self) -> u64 {
        self.tables.values().map(|c| c.inserted + c.updated).sum()
    }

    /// The problems, one per line, then how many were not listed.
    pub fn problems_text(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            // values come from files: no escape sequence reaches the terminal
            out.push_str(&crate::import::safe_text(&p.to_string()));
            out.push('\n');
        }
        let hidden = self
            .problem_count
            .saturating_sub(self.problems.len() as u64);
        if hidden > 0 {
            out.push_str(&format!(
                "... and {hidden} more ({} problems in all; --max-errors shows more)\n",
                self.problem_count
            ));
        }
        out
    }

    /// The warnings, one per line (`warning: FILE:LINE:COLUMN: ...`), then how many were
    /// not listed.
    pub fn warnings_text(&self) -> String {
        let mut out = String::new();
        for p in &self.warnings {
            out.push_str("warning: ");
            out.push_str(&crate::import::safe_text(&p.to_string()));
            out.push('\n');
        }
        let hidden = self
            .warning_count
            .saturating_sub(self.warnings.len() as u64);
        if hidden > 0 {
            out.push_str(&format!(
                "... and {hidden} more warnings ({} in all; --max-errors shows more)\n",
                self.warning_count
            ));
        }
        out
    }

    /// The summary table: per table, rows inserted / updated / skipped / rejected, then the
    /// customers whose health changed.
    ///
    /// A failed import has no summary: it is all or nothing, so nothing was written, and the
    /// rows that passed before it stopped would not be written either once it is fixed (the
    /// counts would change with the fix). Printing them read as "calls 1 inserted" next to
    /// "nothing was written". A dry run's table is headed as what an import would do.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        if self.failed {
            return out;
        }
        if self.dry_run {
            out.push_str("dry run: nothing was written; an import would do this:\n");
        }
        let width = self
            .tables
            .keys()
            .map(String::len)
            .chain(std::iter::once(5))
            .max()
            .unwrap_or(5);
        out.push_str(&format!(
            "{:<width$}  {:>9}  {:>8}  {:>8}  {:>8}\n",
            "table", "inserted", "updated", "skipped", "rejected"
        ));
        let mut total = Counts::default();
        for (table, c) in &self.tables {
            out.push_str(&format!(
                "{table:<width$}  {:>9}  {:>8}  {:>8}  {:>8}\n",
                c.inserted, c.updated, c.skipped, c.rejected
            ));
            total.inserted += c.inserted;
            total.updated += c.updated;
            total.skipped += c.skipped;
            total.rejected += c.rejected;
        }
        out.push_str(&format!(
            "{:<width$}  {:>9}  {:>8}  {:>8}  {:>8}\n",
            "total", total.inserted, total.updated, total.skipped, total.rejected
        ));
        if !self.conversions.is_empty() {
            out.push_str("read as:\n");
            for (what, n) in &self.conversions {
                out.push_str(&format!(
                    "  {}  ({n} row{})\n",
                    crate::import::safe_text(what),
                    if *n == 1 { "" } else { "s" }
                ));
            }
        }
        let changed = if self.dry_run {
            "would change"
        } else {
            "changed"
        };
        if self.health.is_empty() {
            out.push_str(&format!("health: no customer's score {changed}\n"));
        } else {
            out.push_str(&format!(
                "health: {} customer{} {changed}\n",
                self.health.len(),
                if self.health.len() == 1 { "" } else { "s" }
            ));
            let score = |s: Option<i64>| s.map_or("-".to_owned(), |s| s.to_string());
            for h in self.health.iter().take(20) {
                out.push_str(&format!(
                    "  {}  {} -> {}\n",
                    crate::import::safe_text(&h.customer_name),
                    score(h.before),
                    score(h.after)
                ));
            }
            if self.health.len() > 20 {
                out.push_str(&format!("  ... and {} more\n", self.health.len() - 20));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_file_line_column_message_value() {
        let p = Problem {
            file: "calls.csv".into(),
            line: Some(3),
            column: Some("status".into()),
            message: "must be one of completed, no-show, rescheduled".into(),
            value: Some("done".into()),
        };
        assert_eq!(
            p.to_string(),
            "calls.csv:3:status: must be one of completed, no-show, rescheduled (\"done\")"
        );
        let p = Problem {
            line: None,
            column: None,
            value: None,
            ..p
        };
        assert_eq!(
            p.to_string(),
            "calls.csv: must be one of completed, no-show, rescheduled"
        );
    }

    #[test]
    fn problems_are_capped_then_counted() {
        let mut r = Report {
            max_errors: 2,
            ..Default::default()
        };
        for i in 0..5 {
            r.problem(Problem {
                file: "f".into(),
                line: Some(i),
                column: None,
                message: "bad".into(),
                value: None,
            });
        }
        let text = r.problems_text();
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains("3 more (5 problems in all"));
    }
}
