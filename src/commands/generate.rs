//! `cscx generate`: a database full of deterministic synthetic data.
//!
//! The data is built in `PATH.tmp` and renamed over `PATH` only once it is complete, so a run
//! that is killed or fails never leaves a half-filled database where the dashboard would
//! open it. Because nobody else can see the temporary file, it is written without the
//! safety nets a shared database needs (rollback journal in memory, no fsync per commit);
//! it is synced once before the rename.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use rusqlite::{Connection, OpenFlags};

use super::{Context, UsageError};
use crate::cli::{GenerateArgs, GenerateDetail};
use crate::generate::{self, Detail, Options, Step};
use crate::store::{self, Actor};

/// Page cache for the load: big enough for index builds to sort mostly in memory, bounded
/// whatever the number of customers.
const CACHE_KIB: i64 = 256 * 1024;

pub fn run(ctx: &Context, args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let options = Options {
        customers: args.customers,
        seed: args.seed,
        as_of: args
            .as_of
            .unwrap_or_else(|| chrono::Utc::now().date_naive()),
        detail: match args.detail {
            GenerateDetail::Full => Detail::Full,
            GenerateDetail::Lean => Detail::Lean,
        },
    };
    let target = &ctx.db;
    if store::is_postgres(target) {
        return generate_into_book(target, &options, started);
    }
    if !args.force {
        refuse_to_overwrite(target)?;
    }
    // fail before the build, not after it, when a dashboard has the target open
    drop(super::take_for_replacement(target)?);
    let tmp = with_suffix(target, ".tmp");
    remove_database(&tmp)?;
    let mut phases = Phases::default();
    let built = build(&tmp, &options, &mut phases);
    if built.is_err() {
        // a failed build leaves nothing behind; the target was never touched
        let _ = remove_database(&tmp);
    }
    built.with_context(|| format!("generating into {}", tmp.display()))?;
    if let Err(e) = replace(&tmp, target) {
        let _ = remove_database(&tmp);
        return Err(e);
    }

    phases.enter("counting rows");
    let rows = count_rows(target)?;
    phases.end();
    let elapsed = started.elapsed();
    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| peak_memory_kib(&s));
    super::stdout(&summary(
        target,
        &options,
        &rows,
        elapsed,
        &phases.done,
        peak,
        size,
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// On PostgreSQL: straight into the book, in one transaction (all of it or none), and only
/// into a book without customers. cscx never drops a team's database, so `--force` does not
/// apply: an administrator creates an empty one.
fn generate_into_book(
    target: &Path,
    options: &Options,
    started: Instant,
) -> anyhow::Result<ExitCode> {
    {
        let store = store::open(target)?;
        let reader = store.reader(false)?;
        let customers = store
            .catalog()
            .table("customers")
            .ok_or_else(|| anyhow::anyhow!("the catalog has no customers table"))?;
        let n = store::read::dump::count(&reader, customers)?;
        if n > 0 {
            return Err(UsageError(format!(
                "{} already holds {n} customers; cscx generates only into an empty PostgreSQL \
                 database (it never drops a team's book, --force or not): create one with \
                 `createdb` and point --db at it",
                store::redacted(target)
            ))
            .into());
        }
    }
    let mut phases = Phases::default();
    build(target, options, &mut phases)
        .with_context(|| format!("generating into {}", store::redacted(target)))?;
    phases.enter("counting rows");
    let rows = count_rows(target)?;
    phases.end();
    let size = {
        let store = store::open(target)?;
        store.database_size()?
    };
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| peak_memory_kib(&s));
    super::stdout(&summary(
        Path::new(&store::redacted(target)),
        options,
        &rows,
        started.elapsed(),
        &phases.done,
        peak,
        size,
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Refuses a target that holds rows, or that is not a database at all (--force overrides).
fn refuse_to_overwrite(target: &Path) -> anyhow::Result<()> {
    if std::fs::metadata(target).map_or(true, |m| m.len() == 0) {
        return Ok(());
    }
    let holds = Connection::open_with_flags(target, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|conn| tables_with_rows(&conn));
    match holds {
        Ok(tables) if tables.is_empty() => Ok(()),
        Ok(tables) => Err(UsageError(format!(
            "{} already holds data ({} tables with rows, e.g. {}); pass --force to replace it",
            target.display(),
            tables.len(),
            tables[0]
        ))
        .into()),
        Err(e) => Err(UsageError(format!(
            "{} exists and is not a database cscx can read ({e}); pass --force to replace it",
            target.display()
        ))
        .into()),
    }
}

/// Ordinary tables (not search-index internals, not the access policy and the playbook
/// definitions that migrations write)
/// that hold at least one row.
fn tables_with_rows(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
               AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
               AND name NOT IN ('access_rules', 'playbooks', 'playbook_steps')
             ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut with_rows = Vec::new();
    for name in names {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {})",
            store::rows::quote(&name)
        );
        if conn.query_row(&sql, [], |r| r.get::<_, bool>(0))? {
            with_rows.push(name);
        }
    }
    Ok(with_rows)
}

/// How long each phase of a run took, in order.
#[derive(Debug, Default)]
struct Phases {
    done: Vec<(&'static str, Duration)>,
    current: Option<(&'static str, Instant)>,
}

impl Phases {
    /// Ends the current phase (if any) and starts `name`, unless it is already running.
    fn enter(&mut self, name: &'static str) {
        if self.current.is_some_and(|(n, _)| n == name) {
            return;
        }
        self.end();
        self.current = Some((name, Instant::now()));
    }

    fn end(&mut self) {
        if let Some((name, since)) = self.current.take() {
            self.done.push((name, since.elapsed()));
        }
    }
}

fn build(tmp: &Path, options: &Options, phases: &mut Phases) -> anyhow::Result<()> {
    let mut store = store::open(tmp)?;
    // health is scored as of the data's own day, so --as-of gives the same scores any day
    store.set_today(Some(options.as_of));
    store.set_actor(Actor {
        user_id: None,
        workspace_id: None,
        user_agent: Some(format!("cscx/{} generate", env!("CARGO_PKG_VERSION"))),
    });
    store.begin_bulk_build(CACHE_KIB)?;
    let bar = progress_bar(options.customers);
    let mut progress = |step: Step| match step {
        Step::Shared => {
            phases.enter("shared rows");
            bar.set_message("workspaces, users, catalogues");
        }
        Step::Customers { done, .. } => {
            if done == 1 {
                phases.enter("customers");
                bar.set_message("customers");
            }
            bar.set_position(done);
        }
        Step::Indexes => {
            phases.enter("indexes and search");
            bar.set_message("rebuilding indexes and search");
        }
        Step::Health => {
            phases.enter("health");
            bar.set_message("scoring health");
        }
    };
    store.write(|w| {
        w.set_row_logging(false);
        generate::load(w, options, &mut progress)
    })?;
    phases.enter("commit and sync");
    bar.finish_and_clear();
    // back to the journal every cscx database uses, then close: SQLite checkpoints on close
    store.end_bulk_build()?;
    drop(store);
    if !store::is_postgres(tmp) {
        std::fs::File::open(tmp)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("syncing {}", tmp.display()))?;
    }
    phases.end();
    Ok(())
}

/// A bar on a terminal; nothing at all on a pipe.
fn progress_bar(customers: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(customers);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg:<30} [{bar:30}] {pos}/{len} customers, {elapsed} (eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// `path` with `suffix` added to its file name (`x.db` → `x.db.tmp`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Removes a database file and the journal files SQLite keeps beside it, if present.
fn remove_database(path: &Path) -> anyhow::Result<()> {
    for p in [
        path.to_owned(),
        with_suffix(path, "-wal"),
        with_suffix(path, "-shm"),
        with_suffix(path, "-journal"),
        with_suffix(path, "-lock"),
    ] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", p.display())),
        }
    }
    Ok(())
}

/// Puts the finished `tmp` in place of `target`. The old target's WAL and shared-memory
/// files go first: left beside the new file, SQLite would replay the old WAL onto it.
fn replace(tmp: &Path, target: &Path) -> anyhow::Result<()> {
    // held until the rename is done: nobody opens the old file meanwhile
    let _taken = super::take_for_replacement(target)?;
    let _ = std::fs::remove_file(with_suffix(tmp, "-lock"));
    for p in [with_suffix(target, "-wal"), with_suffix(target, "-shm")] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", p.display())),
        }
    }
    std::fs::rename(tmp, target)
        .with_context(|| format!("renaming {} to {}", tmp.display(), target.display()))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        // make the rename itself durable
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Rows per table of the finished database (generated rows and the health engine's).
fn count_rows(path: &Path) -> anyhow::Result<Vec<(String, u64)>> {
    let store = store::open_read_only(path)?;
    // the file's owner (no --user) reads everything
    let reader = store.reader(false)?;
    let mut out = Vec::new();
    for table in store.catalog().tables() {
        let n = store::read::dump::count(&reader, table)?;
        out.push((table.name.clone(), u64::try_from(n).unwrap_or(0)));
    }
    Ok(out)
}

/// VmHWM (the peak resident set size) in KiB, from the text of /proc/self/status.
pub fn peak_memory_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

fn summary(
    target: &Path,
    options: &Options,
    rows: &[(String, u64)],
    elapsed: Duration,
    phases: &[(&str, Duration)],
    peak_kib: Option<u64>,
    size: u64,
) -> String {
    use std::fmt::Write as _;
    let total: u64 = rows.iter().map(|(_, n)| n).sum();
    let secs = elapsed.as_secs_f64().max(1e-9);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Generated {} customers ({} detail, seed {}, as of {}) into {}",
        thousands(options.customers),
        options.detail.name(),
        options.seed,
        options.as_of,
        target.display()
    );
    let width = rows.iter().map(|(t, _)| t.len()).max().unwrap_or(5);
    for (table, n) in rows {
        let _ = writeln!(out, "  {table:<width$}  {:>12}", thousands(*n));
    }
    let _ = writeln!(out, "  {:<width$}  {:>12}", "total", thousands(total));
    let _ = writeln!(
        out,
        "{:.1} s, {} rows/s, peak memory {}, database {}",
        secs,
        thousands((total as f64 / secs) as u64),
        peak_kib.map_or_else(|| "unknown".to_owned(), |k| bytes(k * 1024)),
        bytes(size)
    );
    let parts: Vec<String> = phases
        .iter()
        .map(|(name, d)| format!("{name} {:.1} s", d.as_secs_f64()))
        .collect();
    let _ = writeln!(out, "phases: {}", parts.join(", "));
    out
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A byte count in MiB or GiB.
pub fn bytes(n: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let n = n as f64;
    if n >= 1024.0 * MIB {
        format!("{:.2} GiB", n / (1024.0 * MIB))
    } else {
        format!("{:.1} MiB", n / MIB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_peak_resident_set_from_proc_status() {
        let status = "Name:\tcscx\nVmPeak:\t  900 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(peak_memory_kib(status), Some(123_456));
        assert_eq!(peak_memory_kib("Name:\tcscx\n"), None);
        assert_eq!(peak_memory_kib("VmHWM:\tlots kB\n"), None);
    }

    #[test]
    fn formats_counts_and_sizes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
        assert_eq!(bytes(5 * 1024 * 1024), "5.0 MiB");
        assert_eq!(bytes(3 * 1024 * 1024 * 1024), "3.00 GiB");
    }

    #[test]
    fn temporary_names_sit_beside_the_target() {
        assert_eq!(
            with_suffix(Path::new("/data/cscx.db"), ".tmp"),
            PathBuf::from("/data/cscx.db.tmp")
        );
        assert_eq!(
            with_suffix(Path::new("book"), "-wal"),
            PathBuf::from("book-wal")
        );
    }
}
