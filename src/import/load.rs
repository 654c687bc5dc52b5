//! Loading the records of one file into its tables, row by row, inside the import's one
//! transaction: cells → values (`cells`), references by natural key (`refs`), the tenant
//! default, names built from first and last name, then the store's bulk insert. Every
//! problem becomes a `Problem` naming the file, the line and the column as the file names it.

use std::collections::HashMap;

use rusqlite::ErrorCode;
use rusqlite::types::Value;
use serde_json::Map;

use crate::store::rows::{self, Row};
use crate::store::write_bulk::{BulkState, Outcome};
use crate::store::{StoreError, WriteTx};

use super::Options;
use super::cells;
use super::progress::Progress;
use super::read::{self, Cell, ReadProblem, Records};
use super::refs::Resolver;
use super::reject::RejectWriter;
use super::report::{Problem, Report};
use super::route::{Link, Route};
use super::source::Source;

/// Rows read before deciding whether a file is big enough to pause its table's indexes.
const PAUSE_PROBE_ROWS: u64 = 256;
/// Estimated rows from which pausing pays off (rebuilding is one sorted pass).
const PAUSE_MIN_ROWS: u64 = 20_000;

/// A reference whose parent is loaded later in the same import (a nullable cycle such as
/// analysis_jobs.provenance_id → provenance): checked once everything is in.
struct Deferred {
    file: String,
    line: u64,
    header: String,
    table: String,
    column: String,
    value: Value,
}

/// The state of one import across its files.
pub struct Session<'a, 'w> {
    pub w: &'a mut WriteTx<'w>,
    pub st: BulkState,
    pub report: Report,
    pub reject: Option<RejectWriter>,
    pub opts: &'a Options,
    pub progress: &'a Progress,
    /// Bytes of the files already loaded (progress).
    pub done_bytes: u64,
    resolver: Resolver,
    deferred: Vec<Deferred>,
    /// Ids of rows merged into another row (table, id as the file gives it) → the id kept:
    /// 004's users with one email in two clients are one person, one cscx user.
    aliases: HashMap<(String, String), String>,
    /// The current file's values implied by its seed table (`Route::implied`).
    implied: Vec<(String, String)>,
    /// The workspace a row without one gets, when it cannot come from its customer:
    /// --workspace, or the only workspace there is (per file: a file may have added one).
    only_workspace: Option<Result<String, String>>,
}

/// One table's row under construction for the current record.
struct Buffer {
    table: String,
    row: Row,
    /// (file column, position in `row`) of the cells that feed this row.
    cells: Vec<(usize, usize)>,
    /// Column → the file's name for it, for messages.
    headers: HashMap<String, String>,
    link: Option<Link>,
}

impl Buffer {
    fn new(table: &str, route: &Route, columns: &[String], link: Option<Link>) -> Buffer {
        let mut b = Buffer {
            table: table.to_owned(),
            row: Row::new(),
            cells: Vec::new(),
            headers: HashMap::new(),
            link,
        };
        for (i, target) in route.targets.iter().enumerate() {
            if let Some(t) = target.as_ref().filter(|t| t.table == table) {
                b.cells.push((i, b.row.len()));
                b.row.push((t.column.clone(), Value::Null));
                let header = columns.get(i).cloned().unwrap_or_else(|| t.column.clone());
                b.headers.insert(t.column.clone(), header);
            }
        }
        b
    }

    fn reset(&mut self) {
        for (_, v) in self.row.iter_mut() {
            *v = Value::Null;
        }
    }

    fn header(&self, column: &str) -> String {
        self.headers
            .get(column)
            .cloned()
            .unwrap_or_else(|| column.to_owned())
    }

    fn has_cells(&self) -> bool {
        self.cells
            .iter()
            .any(|(_, pos)| self.row[*pos].1 != Value::Null)
    }
}

impl<'a, 'w> Session<'a, 'w> {
    pub fn new(
        w: &'a mut WriteTx<'w>,
        opts: &'a Options,
        progress: &'a Progress,
        reject: Option<RejectWriter>,
    ) -> Session<'a, 'w> {
        w.set_row_logging(false);
        let mut st = BulkState::new();
        // references whose parent table comes later in dependency order are checked at the end
        let order: Vec<String> = w
            .catalog()
            .dependency_order()
            .iter()
            .map(|t| t.name.clone())
            .collect();
        let position = |t: &str| order.iter().position(|o| o == t);
        for table in w.catalog().tables() {
            for fk in &table.foreign_keys {
                if fk.columns.len() == 1
                    && fk.parent != table.name
                    && position(&fk.parent) > position(&table.name)
                {
                    st.defer_reference(&table.name, &fk.columns[0]);
                }
            }
        }
        Session {
            w,
            st,
            report: Report {
                max_errors: opts.max_errors,
                dry_run: opts.dry_run,
                ..Default::default()
            },
            reject,
            opts,
            progress,
            done_bytes: 0,
            resolver: Resolver::default(),
            deferred: Vec::new(),
            aliases: HashMap::new(),
            implied: Vec::new(),
            only_workspace: None,
        }
    }

    /// A problem that stops the import, about the file as a whole or at one line.
    pub fn file_problem(&mut self, source: &Source, p: ReadProblem) {
        self.report.failed = true;
        self.report.problem(Problem {
            file: source.name.clone(),
            line: p.line,
            column: p.column,
            message: p.message,
            value: None,
        });
    }

    /// Loads every record of `source` as `route` says.
    pub fn load_file(&mut self, source: &Source, route: &Route) -> Result<(), StoreError> {
        self.progress.file(source.file_name());
        self.report
            .files
            .push((source.name.clone(), route.origin.clone()));
        let mut records = match read::open(source) {
            Ok(r) => r,
            Err(p) => {
                self.file_problem(source, p);
                return Ok(());
            }
        };
        let columns = &route.headers;
        let mut buffers = vec![Buffer::new(&route.main, route, columns, None)];
        for (column, _) in &route.implied {
            buffers[0].row.push((column.clone(), Value::Null));
        }
        self.implied = route.implied.clone();
        for link in &route.links {
            buffers.push(Buffer::new(&link.table, route, columns, Some(link.clone())));
        }
        self.only_workspace = None;
        let existing = self.w.count_rows(&route.main)?;
        let size = source.len();
        let mut seen = 0u64;
        loop {
            match records.advance() {
                Ok(true) => {
                    seen += 1;
                    self.report.records_read += 1;
                    self.load_record(source, records.as_ref(), &mut buffers)?;
                }
                Ok(false) => break,
                Err(p) if p.fatal => {
                    self.file_problem(source, p);
                    break;
                }
                Err(p) => {
                    let problem = Problem {
                        file: source.name.clone(),
                        line: p.line,
                        column: p.column,
                        message: p.message,
                        value: None,
                    };
                    self.fail_record(source, records.as_ref(), &route.main, vec![problem])?;
                }
            }
            if seen.is_multiple_of(1024) {
                self.progress.set(self.done_bytes + records.position());
            }
            if seen == PAUSE_PROBE_ROWS && !self.st.is_paused(&route.main) {
                let estimate = seen * size / records.position().max(1);
                if estimate >= PAUSE_MIN_ROWS && estimate.saturating_mul(4) >= existing as u64 {
                    self.w.pause_table(&mut self.st, &route.main)?;
                }
            }
        }
        if let Err(p) = records.finish() {
            self.file_problem(source, p);
        }
        self.done_bytes += size;
        self.progress.set(self.done_bytes);
        Ok(())
    }

    fn load_record(
        &mut self,
        source: &Source,
        records: &dyn Records,
        buffers: &mut [Buffer],
    ) -> Result<(), StoreError> {
        let line = records.line();
        let problem = |b: &Buffer, column: &str, message: String, value: Option<String>| Problem {
            file: source.name.clone(),
            line: Some(line),
            column: Some(b.header(column)),
            message,
            value,
        };
        let mut problems = Vec::new();
        let catalog = self.w.catalog();
        for b in buffers.iter_mut() {
            b.reset();
            if b.link.is_none() {
                for (column, value) in &self.implied {
                    rows::set(&mut b.row, column, Value::Text(value.clone()));
                }
            }
            let Some(table) = catalog.table(&b.table) else {
                continue;
            };
            for &(i, pos) in &b.cells {
                let cell = records.cell(i);
                if cell == Cell::Null {
                    continue;
                }
                let Some(column) = table.column(&b.row[pos].0) else {
                    continue;
                };
                match cells::to_value(&b.table, column, &cell) {
                    Ok(v) => b.row[pos].1 = v,
                    Err(e) => match synonym_of(&b.table, column, &cell) {
                        Some((from, to)) => {
                            b.row[pos].1 = Value::Text(to.to_owned());
                            self.report.converted(format!(
                                "{}.{} '{from}' -> '{to}'",
                                b.table, column.name
                            ));
                        }
                        None => problems.push(problem(b, &e.column, e.reason, e.value)),
                    },
                }
            }
        }
        if problems.is_empty() {
            let atomic = buffers.len() > 1 && self.reject.is_some();
            if atomic {
                self.w.begin_record()?;
            }
            let (main, links) = buffers.split_at_mut(1);
            let main = &mut main[0];
            let merged = self.merge_person(main, links)?;
            let written = match merged {
                true => Ok(()),
                false => self.write_row(source, line, main)?,
            };
            match written {
                Err(p) => problems.extend(p),
                Ok(()) => {
                    for link in links.iter_mut().filter(|l| l.has_cells()) {
                        if let Some(l) = &link.link {
                            let key = rows::get(&main.row, &l.parent_column).cloned();
                            rows::set(&mut link.row, &l.column, key.unwrap_or(Value::Null));
                        }
                        if let Err(p) = self.write_row(source, line, link)? {
                            problems.extend(p);
                            break;
                        }
                    }
                }
            }
            if atomic {
                if problems.is_empty() {
                    self.w.keep_record()?;
                } else {
                    self.w.undo_record()?;
                }
            }
        }
        if !problems.is_empty() {
            let table = buffers[0].table.clone();
            self.fail_record(source, records, &table, problems)?;
        }
        Ok(())
    }

    /// A user row whose email is already a user's (stored, or earlier in this import) under
    /// another id, from a file that also gives a membership (004's users, keyed by
    /// `UNIQUE(client_id, email)`): the same person in another client. cscx has one user per
    /// email, so the row becomes that user — its membership is written for it, and references
    /// to the row's id resolve to the user's — and the summary says so.
    fn merge_person(&mut self, main: &mut Buffer, links: &[Buffer]) -> Result<bool, StoreError> {
        if main.table != "users"
            || !links
                .iter()
                .any(|l| l.table == "workspace_members" && l.has_cells())
        {
            return Ok(false);
        }
        let (Some(id), Some(email)) = (rows::text(&main.row, "id"), rows::text(&main.row, "email"))
        else {
            return Ok(false);
        };
        let existing = match self
            .resolver
            .resolve(self.w, "users", "id", &email, None, None)?
        {
            Ok(existing) if existing != id => existing,
            _ => return Ok(false),
        };
        self.aliases
            .insert(("users".to_owned(), id), existing.clone());
        rows::set(&mut main.row, "id", Value::Text(existing));
        self.report.converted(
            "users: a user whose email another row of users has (another client's login): \
             that user, with a membership of this row's client"
                .to_owned(),
        );
        Ok(true)
    }

    /// Resolves references, fills the tenant and the name, and inserts one row.
    fn write_row(
        &mut self,
        source: &Source,
        line: u64,
        b: &mut Buffer,
    ) -> Result<Result<(), Vec<Problem>>, StoreError> {
        let catalog = self.w.catalog();
        let Some(table) = catalog.table(&b.table) else {
            return Ok(Ok(()));
        };
        let mut problems = Vec::new();
        let problem = |b: &Buffer, column: &str, message: String, value: Option<String>| Problem {
            file: source.name.clone(),
            line: Some(line),
            column: Some(b.header(column)),
            message,
            value,
        };
        let link_column = b.link.as_ref().map(|l| l.column.clone());
        let has_workspace = table.has_column("workspace_id");

        // the tenant first: it scopes the other lookups
        self.resolve(b, "workspace_id", None, None, &mut problems)?;
        let mut workspace = rows::text(&b.row, "workspace_id");
        let tentative = match (&workspace, &self.w.actor().workspace_id) {
            (Some(w), _) | (None, Some(w)) => Some(w.clone()),
            (None, None) => self.only_workspace()?.ok(),
        };
        if link_column.as_deref() != Some("customer_id") {
            // a company's map names partners of other companies too (its purpose): look the
            // customer up in every workspace
            let scope = match b.table.as_str() {
                "workspace_customer_map" => None,
                _ => tentative.as_deref(),
            };
            self.resolve(b, "customer_id", scope, None, &mut problems)?;
        }
        if has_workspace && workspace.is_none() && problems.is_empty() {
            // the customer's workspace, else --workspace, else the only one (if required)
            let required = table.column("workspace_id").is_some_and(|c| c.required());
            let from_customer = self.w.workspace_of(table, &b.row)?;
            let chosen = match (from_customer.as_ref(), &self.w.actor().workspace_id) {
                (Some(w), _) | (None, Some(w)) => Some(w.clone()),
                (None, None) if required => match self.only_workspace()? {
                    Ok(w) => Some(w),
                    Err(message) => {
                        problems.push(problem(b, "workspace_id", message, None));
                        None
                    }
                },
                (None, None) => None,
            };
            if let Some(w) = &chosen {
                rows::set(&mut b.row, "workspace_id", Value::Text(w.clone()));
            }
            workspace = chosen;
        }
        let workspace = workspace.or(tentative);
        // a row that must name who did it (a call's user_id) and does not was done by the
        // person importing it (--user), as it would be when typed in the dashboard
        if let (Some(column), Some(me)) = (table.column("user_id"), &self.w.actor().user_id)
            && column.required()
            && rows::get(&b.row, "user_id").is_none_or(|v| *v == Value::Null)
        {
            rows::set(&mut b.row, "user_id", Value::Text(me.clone()));
        }
        let customer = rows::text(&b.row, "customer_id");
        for fk in &table.foreign_keys {
            let [column] = fk.columns.as_slice() else {
                continue;
            };
            if column == "workspace_id"
                || column == "customer_id"
                || Some(column) == link_column.as_ref()
            {
                continue;
            }
            if self.st.is_deferred_reference(&b.table, column) {
                if let Some(v) = rows::get(&b.row, column).filter(|v| **v != Value::Null) {
                    self.deferred.push(Deferred {
                        file: source.name.clone(),
                        line,
                        header: b.header(column),
                        table: b.table.clone(),
                        column: column.clone(),
                        value: v.clone(),
                    });
                }
                continue;
            }
            self.resolve(
                b,
                column,
                workspace.as_deref(),
                customer.as_deref(),
                &mut problems,
            )?;
        }
        fill_name(table, &mut b.row);
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        match self
            .w
            .bulk_insert(&mut self.st, &b.table, &mut b.row, self.opts.on_conflict)
        {
            Ok(outcome) => {
                let counts = self.report.counts(&b.table);
                match outcome {
                    Outcome::Inserted => counts.inserted += 1,
                    Outcome::Updated => counts.updated += 1,
                    Outcome::Skipped => counts.skipped += 1,
                }
                if outcome != Outcome::Skipped {
                    self.resolver.invalidate(&b.table);
                    if b.table == "customer_benchmarks" {
                        self.note_benchmark(source, line, b)?;
                    }
                }
                Ok(Ok(()))
            }
            Err(e) => {
                let p = store_problem(e, |column, message, value| {
                    problem(b, column, message, value)
                })?;
                Ok(Err(vec![p]))
            }
        }
    }

    /// Keeps a benchmark row's variance and cohort average as the file gave them: cscx
    /// computes both (`store::rollups`), and [`Session::report_recomputed`] names the lines
    /// whose values it did not keep.
    fn note_benchmark(&mut self, source: &Source, line: u64, b: &Buffer) -> Result<(), StoreError> {
        let number = |column: &str| match rows::get(&b.row, column) {
            Some(Value::Real(v)) => Some(*v),
            Some(Value::Integer(v)) => Some(*v as f64),
            _ => None,
        };
        let key = |column: &str| rows::text(&b.row, column).unwrap_or_default();
        let (dimension, customer, metric) =
            (key("dimension_id"), key("customer_id"), key("metric_name"));
        self.w.note_imported_benchmark(
            &source.name,
            line,
            (&dimension, &customer, &metric),
            (&b.header("variance"), number("variance")),
            (&b.header("cohort_avg_value"), number("cohort_avg_value")),
        )
    }

    /// Computes the benchmarks (and adoption roll-ups) the import touched now, and warns of
    /// every imported variance or cohort average that differs from cscx's: the row is kept
    /// with the computed value (docs/import.md, "Computed columns").
    pub fn report_recomputed(&mut self) -> Result<(), StoreError> {
        self.w.apply_rollups()?;
        let (listed, count) = self.w.benchmark_mismatches(self.opts.max_errors)?;
        let show = |v: Option<f64>| v.map_or("none".to_owned(), |v| format!("{v}"));
        for m in listed {
            self.report.warnings.push(Problem {
                file: m.file,
                line: Some(m.line),
                column: Some(m.header),
                message: format!(
                    "imported {} but cscx computes {}; the computed value is stored",
                    m.imported,
                    show(m.computed)
                ),
                value: None,
            });
        }
        self.report.warning_count += count;
        Ok(())
    }

    /// The key of the row of `parent` that `text` names (id or natural key), or why none.
    pub fn resolve_key(
        &mut self,
        parent: &str,
        text: &str,
        workspace: Option<&str>,
    ) -> Result<Result<String, String>, StoreError> {
        self.resolver
            .resolve(self.w, parent, "id", text, workspace, None)
    }

    /// Counts an outcome of a row written by a caller of `bulk_insert`.
    pub fn count(&mut self, table: &str, outcome: Outcome) {
        let counts = self.report.counts(table);
        match outcome {
            Outcome::Inserted => counts.inserted += 1,
            Outcome::Updated => counts.updated += 1,
            Outcome::Skipped => counts.skipped += 1,
        }
    }

    /// A problem at one line of a file; the import will fail.
    pub fn line_problem(
        &mut self,
        source: &Source,
        line: Option<u64>,
        column: Option<String>,
        message: String,
        value: Option<String>,
    ) {
        self.report.failed = true;
        self.report.problem(Problem {
            file: source.name.clone(),
            line,
            column,
            message,
            value,
        });
    }

    /// A store error about a row written by a caller, as a problem at `line` (`header` maps
    /// a column to the file's name for it).
    pub fn row_error(
        &mut self,
        source: &Source,
        line: Option<u64>,
        e: StoreError,
        header: impl Fn(&str) -> String,
    ) -> Result<(), StoreError> {
        let p = store_problem(e, |column, message, value| Problem {
            file: source.name.clone(),
            line,
            column: Some(header(column)),
            message,
            value,
        })?;
        self.report.failed = true;
        self.report.problem(p);
        Ok(())
    }

    /// Replaces the text in `column` by the key of the row it names (id or natural key).
    fn resolve(
        &mut self,
        b: &mut Buffer,
        column: &str,
        workspace: Option<&str>,
        customer: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> Result<(), StoreError> {
        let Some(Value::Text(text)) = rows::get(&b.row, column).cloned() else {
            return Ok(());
        };
        let Some(fk) = self
            .w
            .catalog()
            .table(&b.table)
            .and_then(|t| t.reference(column))
        else {
            return Ok(());
        };
        let original = text.clone();
        let text = match super::cells::canonical_uuid(&text)
            .and_then(|id| self.aliases.get(&(fk.parent.clone(), id)))
        {
            Some(kept) => kept.clone(),
            None => text,
        };
        match self.resolver.resolve(
            self.w,
            &fk.parent,
            &fk.parent_columns[0],
            &text,
            workspace,
            customer,
        )? {
            Ok(key) => {
                if key != original {
                    rows::set(&mut b.row, column, Value::Text(key));
                }
            }
            Err(message) => problems.push(Problem {
                file: String::new(),
                line: None,
                column: Some(b.header(column)),
                message,
                value: Some(text),
            }),
        }
        Ok(())
    }

    fn only_workspace(&mut self) -> Result<Result<String, String>, StoreError> {
        if self.only_workspace.is_none() {
            let found = self.w.workspaces(4)?;
            self.only_workspace = Some(match found.as_slice() {
                [(id, _)] => Ok(id.clone()),
                [] => Err(
                    "is missing and there is no workspace yet (import workspaces first, \
                           or give workspace_id)"
                        .to_owned(),
                ),
                several => Err(format!(
                    "is missing and several workspaces exist ({}{}): pass --workspace or give \
                     workspace_id",
                    several
                        .iter()
                        .take(3)
                        .map(|(_, n)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if several.len() > 3 { ", ..." } else { "" }
                )),
            });
        }
        Ok(self
            .only_workspace
            .clone()
            .unwrap_or_else(|| Err(String::new())))
    }

    /// Reports the problems of a record; with --reject-file the record goes there and the
    /// import goes on, otherwise the import will fail.
    fn fail_record(
        &mut self,
        source: &Source,
        records: &dyn Records,
        table: &str,
        problems: Vec<Problem>,
    ) -> Result<(), StoreError> {
        let line = records.line();
        let mut texts = Vec::new();
        for mut p in problems {
            if p.file.is_empty() {
                p.file = source.name.clone();
                p.line = Some(line);
            }
            texts.push(p.to_string());
            self.report.problem(p);
        }
        match &mut self.reject {
            Some(writer) => {
                let record: Map<String, serde_json::Value> = records
                    .columns()
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        (
                            c.clone(),
                            serde_json::Value::String(records.cell(i).display()),
                        )
                    })
                    .collect();
                writer
                    .write(&source.name, line, &texts, &record)
                    .map_err(|e| StoreError::Config(format!("writing the reject file: {e}")))?;
                self.report.rejected += 1;
                self.report.counts(table).rejected += 1;
            }
            None => self.report.failed = true,
        }
        Ok(())
    }

    /// Checks the references left for the end, then puts back what bulk loading paused.
    pub fn finish(&mut self) -> Result<(), StoreError> {
        for d in std::mem::take(&mut self.deferred) {
            if let Err(e) = self.w.check_deferred(&d.table, &d.column, &d.value) {
                let p = store_problem(e, |_, message, value| Problem {
                    file: d.file.clone(),
                    line: Some(d.line),
                    column: Some(d.header.clone()),
                    message,
                    value,
                })?;
                self.report.failed = true;
                self.report.problem(p);
            }
        }
        self.w.finish_bulk(&mut self.st)
    }
}

/// The set's member that a cell of an enumeration column names by one of the seeds' words
/// for it (`enums::SYNONYMS`), with the cell's text.
fn synonym_of(
    table: &str,
    column: &crate::store::catalog::Column,
    cell: &Cell<'_>,
) -> Option<(String, &'static str)> {
    if !matches!(column.kind, crate::store::catalog::Kind::Enum(_)) {
        return None;
    }
    let (Cell::Text(text) | Cell::JsonString(text)) = cell else {
        return None;
    };
    crate::store::enums::synonym(table, &column.name, text).map(|to| (text.trim().to_owned(), to))
}

/// `name` from `first_name` and `last_name` when the file gave no name (000's contacts and
/// users have only those; docs/schema.md).
fn fill_name(table: &crate::store::catalog::Table, row: &mut Row) {
    if !(table.has_column("name")
        && table.has_column("first_name")
        && table.has_column("last_name"))
    {
        return;
    }
    if matches!(rows::get(row, "name"), Some(Value::Text(_))) {
        return;
    }
    let parts: Vec<String> = ["first_name", "last_name"]
        .iter()
        .filter_map(|c| rows::text(row, c))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if !parts.is_empty() {
        rows::set(row, "name", Value::Text(parts.join(" ")));
    }
}

/// A store error about one row as a problem; errors that are not about the data (the disk,
/// the database) stop the import.
fn store_problem(
    e: StoreError,
    make: impl Fn(&str, String, Option<String>) -> Problem,
) -> Result<Problem, StoreError> {
    match e {
        StoreError::Field(f) => {
            let mut p = make(&f.column, f.reason, f.value);
            if f.column.is_empty() {
                p.column = None;
            }
            Ok(p)
        }
        StoreError::Scope(m) => {
            let mut p = make("", format!("outside --workspace: {m}"), None);
            p.column = None;
            Ok(p)
        }
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, m))
            if matches!(
                f.code,
                ErrorCode::ConstraintViolation | ErrorCode::TypeMismatch
            ) =>
        {
            let mut p = make("", m.unwrap_or_else(|| f.to_string()), None);
            p.column = None;
            Ok(p)
        }
        e @ (StoreError::NotFound { .. }
        | StoreError::Ambiguous(_)
        | StoreError::Conflict { .. }) => {
            let mut p = make("", e.to_string(), None);
            p.column = None;
            Ok(p)
        }
        other => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_built_from_first_and_last() {
        let s = crate::store::open_in_memory().unwrap();
        let users = s.catalog().table("users").unwrap();
        let mut row: Row = vec![
            ("first_name".into(), Value::Text("Dana".into())),
            ("last_name".into(), Value::Text(" Scully".into())),
        ];
        fill_name(users, &mut row);
        assert_eq!(rows::text(&row, "name").as_deref(), Some("Dana Scully"));
        let mut row: Row = vec![
            ("name".into(), Value::Text("D. S.".into())),
            ("first_name".into(), Value::Text("Dana".into())),
        ];
        fill_name(users, &mut row);
        assert_eq!(rows::text(&row, "name").as_deref(), Some("D. S."));
        let calls = s.catalog().table("calls").unwrap();
        let mut row: Row = vec![("first_name".into(), Value::Text("x".into()))];
        fill_name(calls, &mut row);
        assert_eq!(rows::get(&row, "name"), None);
    }
}
