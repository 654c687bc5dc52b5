//! `cscx bench import`: cscx's import of a large calls CSV against `sqlite3`'s `.import` of the
//! same file into the same table of an identical database, in one run; then cscx's peak
//! memory (VmHWM) at several file sizes, to show that it stays flat (the import streams).
//!
//! Both start from the same prepared database (a workspace, users, customers with
//! stakeholders, loss reasons) and load the same file, every column of `calls` in table
//! order. cscx validates every row (kinds, CHECK sets, references and workspace of each row,
//! the lost-call rule) and, for a file this size, rebuilds the table's indexes and full-text
//! index once at the end; sqlite3 maintains them row by row and checks nothing beyond the
//! schema (its shell leaves foreign keys off). Never part of `cargo test`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context as _, anyhow, bail};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Context;
use crate::cli::BenchImportArgs;
use crate::import::Format;
use crate::import::{self, Options, Source};
use crate::store::entities::{Customer, LossReason, Stakeholder, User, Workspace};
use crate::store::{self, WriteTx};

const USERS: usize = 20;
const CUSTOMERS: usize = 200;
const STAKEHOLDERS_PER_CUSTOMER: usize = 2;
const LOSS_REASONS: usize = 5;

/// The ids a generated calls file refers to.
pub(super) struct Prepared {
    workspace: String,
    users: Vec<String>,
    customers: Vec<(String, Vec<String>)>,
    loss_reasons: Vec<String>,
}

/// Set (to `DB<TAB>CSV<TAB>ROWS`) in the child process that runs one measured cscx import:
/// each measurement gets a fresh process, so its VmHWM is its own.
const CHILD: &str = "CSCX_BENCH_IMPORT_CHILD";

pub fn run(_ctx: &Context, args: &BenchImportArgs) -> anyhow::Result<ExitCode> {
    if let Ok(job) = std::env::var(CHILD) {
        let parts: Vec<&str> = job.split('\t').collect();
        let [db, csv, rows] = parts.as_slice() else {
            bail!("{CHILD}: expected DB<TAB>CSV<TAB>ROWS");
        };
        let (secs, peak) = import_with_cscx(Path::new(db), Path::new(csv), rows.parse()?)?;
        super::stdout(&format!("{secs} {}\n", peak.unwrap_or(0)))?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.rows < 1000 {
        bail!("--rows must be at least 1000");
    }
    if let Some(server) = &args.postgres {
        super::stdout(&super::bench_import_pg::run(server, args.rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let sqlite3 = which_sqlite3()?;
    let dir = std::env::temp_dir().join(format!("cscx-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = bench(&dir, args.rows, &sqlite3);
    let _ = std::fs::remove_dir_all(&dir);
    super::stdout(&result?)?;
    Ok(ExitCode::SUCCESS)
}

fn bench(dir: &Path, rows: u64, sqlite3: &str) -> anyhow::Result<String> {
    let prepared_db = dir.join("prepared.db");
    let prepared = prepare(&prepared_db)?;
    let mut out = String::new();

    // the comparison, at full size
    let csv = dir.join("calls.csv");
    write_calls(&csv, rows, &prepared)?;
    let size = std::fs::metadata(&csv)?.len();
    let cscx_db = copy_db(&prepared_db, &dir.join("cscx.db"))?;
    let sqlite_db = copy_db(&prepared_db, &dir.join("sqlite3.db"))?;
    let (cscx_secs, cscx_peak) = measure_cscx(&cscx_db, &csv, rows)?;
    let sqlite_secs = import_with_sqlite3(sqlite3, &sqlite_db, &csv, rows)?;
    let rate = |secs: f64| rows as f64 / secs;
    out.push_str(&format!(
        "cscx bench import: {rows} calls rows, {:.1} MB CSV, into a database of {USERS} users, \
         {CUSTOMERS} customers\n",
        size as f64 / 1e6
    ));
    out.push_str(&format!(
        "  cscx import      {cscx_secs:>7.2} s  {:>9.0} rows/s  (every row validated; peak \
         memory {})\n",
        rate(cscx_secs),
        mb(cscx_peak)
    ));
    out.push_str(&format!(
        "  sqlite3 .import  {sqlite_secs:>7.2} s  {:>9.0} rows/s  (sqlite3 {})\n",
        rate(sqlite_secs),
        sqlite3_version(sqlite3)
    ));
    out.push_str(&format!(
        "  ratio            {:.2}x  (cscx rows/s / sqlite3 rows/s; at least 1 is the target)\n",
        sqlite_secs / cscx_secs
    ));
    std::fs::remove_file(&csv)?;
    for db in [&cscx_db, &sqlite_db] {
        remove_db(db);
    }

    // peak memory by file size: flat, because the import streams
    out.push_str("peak memory (VmHWM) of cscx import by file size:\n");
    let mut sizes = vec![rows / 10, rows / 3, rows];
    sizes.dedup();
    for n in sizes {
        let csv = dir.join(format!("calls-{n}.csv"));
        write_calls(&csv, n, &prepared)?;
        let size = std::fs::metadata(&csv)?.len();
        let db = copy_db(&prepared_db, &dir.join(format!("mem-{n}.db")))?;
        let (secs, peak) = measure_cscx(&db, &csv, n)?;
        out.push_str(&format!(
            "  {n:>9} rows  {:>7.1} MB file  {:>6.2} s  VmHWM {}\n",
            size as f64 / 1e6,
            secs,
            mb(peak)
        ));
        std::fs::remove_file(&csv)?;
        remove_db(&db);
    }
    Ok(out)
}

fn which_sqlite3() -> anyhow::Result<String> {
    let ok = Command::new("sqlite3")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        bail!(
            "the sqlite3 command-line shell is needed for the comparison (apt-get install sqlite3)"
        );
    }
    Ok("sqlite3".into())
}

fn sqlite3_version(sqlite3: &str) -> String {
    Command::new(sqlite3)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default()
}

/// The database both imports start from.
pub(super) fn prepare(path: &Path) -> anyhow::Result<Prepared> {
    let mut store = store::open(path)?;
    let prepared = store
        .write(|w: &mut WriteTx| {
            let workspace = w.create(&Workspace {
                name: "Bench CS".into(),
                ..Default::default()
            })?;
            let mut users = Vec::new();
            for i in 0..USERS {
                users.push(w.create(&User {
                    email: format!("csm{i}@bench.test"),
                    name: format!("CSM {i}"),
                    ..Default::default()
                })?);
            }
            let mut customers = Vec::new();
            for i in 0..CUSTOMERS {
                let id = w.create(&Customer {
                    workspace_id: workspace.clone(),
                    name: format!("Customer {i:03}"),
                    csm_id: Some(users[i % USERS].clone()),
                    ..Default::default()
                })?;
                let mut people = Vec::new();
                for j in 0..STAKEHOLDERS_PER_CUSTOMER {
                    people.push(w.create(&Stakeholder {
                        customer_id: id.clone(),
                        name: format!("Person {i}-{j}"),
                        ..Default::default()
                    })?);
                }
                customers.push((id, people));
            }
            let mut loss_reasons = Vec::new();
            for i in 0..LOSS_REASONS {
                loss_reasons.push(w.create(&LossReason {
                    workspace_id: workspace.clone(),
                    name: format!("Reason {i}"),
                    ..Default::default()
                })?);
            }
            Ok(Prepared {
                workspace,
                users,
                customers,
                loss_reasons,
            })
        })?
        .value;
    store.checkpoint()?;
    Ok(prepared)
}

/// A calls CSV of `rows` rows: every column of the table, in table order (what sqlite3's
/// .import into an existing table needs), deterministic.
pub(super) fn write_calls(path: &Path, rows: u64, p: &Prepared) -> anyhow::Result<()> {
    let mut f = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(
        f,
        "rowid,id,workspace_id,user_id,customer_id,stakeholder_id,prospect_name,prospect_email,\
         prospect_phone,call_type,status,outcome,loss_reason_id,notes,call_duration,scheduled_at,\
         completed_at,created_at,updated_at"
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    const WORDS: [&str; 12] = [
        "renewal",
        "pricing",
        "roadmap",
        "onboarding",
        "SSO",
        "latency",
        "budget",
        "pilot",
        "expansion",
        "support",
        "training",
        "integration",
    ];
    let start = chrono::DateTime::parse_from_rfc3339("2024-01-01T08:00:00Z")?.to_utc();
    for i in 0..rows {
        let (customer, people) = &p.customers[rng.random_range(0..p.customers.len())];
        let stakeholder = &people[rng.random_range(0..people.len())];
        let user = &p.users[rng.random_range(0..p.users.len())];
        let reason = &p.loss_reasons[rng.random_range(0..p.loss_reasons.len())];
        let at = start + chrono::Duration::seconds((i * 60) as i64);
        let ts = |t: chrono::DateTime<chrono::Utc>| store::ids::timestamp(t);
        let duration = rng.random_range(60..3600);
        writeln!(
            f,
            "{},01960000-0000-7000-8000-{:012x},{},{user},{customer},{stakeholder},Prospect {i},\
             p{i}@example.test,+1 555 {:04},{},{},{},{reason},\"Talked about {} and {}, next step: {}\",\
             {duration},{},{},{},{}",
            i + 1,
            i,
            p.workspace,
            i % 10_000,
            if rng.random_bool(0.5) {
                "inbound"
            } else {
                "outbound"
            },
            ["completed", "no-show", "rescheduled"][rng.random_range(0..3)],
            ["won", "lost", "tbd"][rng.random_range(0..3)],
            WORDS[rng.random_range(0..WORDS.len())],
            WORDS[rng.random_range(0..WORDS.len())],
            WORDS[rng.random_range(0..WORDS.len())],
            ts(at),
            ts(at + chrono::Duration::seconds(duration)),
            ts(at),
            ts(at),
        )?;
    }
    f.flush()?;
    Ok(())
}

fn copy_db(from: &Path, to: &Path) -> anyhow::Result<PathBuf> {
    std::fs::copy(from, to).with_context(|| format!("copying {}", from.display()))?;
    Ok(to.to_owned())
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Runs [`import_with_cscx`] in a child process (this binary again).
pub(super) fn measure_cscx(db: &Path, csv: &Path, rows: u64) -> anyhow::Result<(f64, Option<u64>)> {
    let output = Command::new(std::env::current_exe()?)
        .args(["bench", "import"])
        .env(
            CHILD,
            format!("{}\t{}\t{rows}", db.display(), csv.display()),
        )
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        bail!("the measured cscx import failed");
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut words = text.split_whitespace();
    let secs: f64 = words.next().unwrap_or("").parse()?;
    let peak: u64 = words.next().unwrap_or("0").parse()?;
    Ok((secs, (peak > 0).then_some(peak)))
}

/// Imports `csv` with cscx in this process; returns seconds (opening the database included)
/// and the process's peak resident memory.
fn import_with_cscx(db: &Path, csv: &Path, rows: u64) -> anyhow::Result<(f64, Option<u64>)> {
    let started = Instant::now();
    let mut store = store::open(db)?;
    let report = import::import(
        &mut store,
        &[Source::file(csv, Format::Csv)],
        &Options {
            table: Some("calls".into()),
            max_errors: 10,
            ..Default::default()
        },
    )
    .map_err(|e| anyhow!("{e}"))?;
    let secs = started.elapsed().as_secs_f64();
    let peak = peak_memory();
    if report.failed {
        bail!(
            "cscx rejected the benchmark file:\n{}",
            report.problems_text()
        );
    }
    let loaded = crate::store::read::book::count(&store.reader(false)?, "calls")?;
    if loaded as u64 != rows {
        bail!("cscx loaded {loaded} rows of {rows}");
    }
    Ok((secs, peak))
}

fn import_with_sqlite3(sqlite3: &str, db: &Path, csv: &Path, rows: u64) -> anyhow::Result<f64> {
    let script = format!(
        ".bail on\nPRAGMA synchronous = NORMAL;\n.import --csv --skip 1 '{}' calls\n",
        csv.display()
    );
    let started = Instant::now();
    let mut child = Command::new(sqlite3)
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or_else(|| anyhow!("no stdin for sqlite3"))?
        .write_all(script.as_bytes())?;
    let output = child.wait_with_output()?;
    let secs = started.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!(
            "sqlite3 .import failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let conn = rusqlite::Connection::open(db)?;
    let loaded: i64 = conn.query_row("SELECT count(*) FROM calls", [], |r| r.get(0))?;
    if loaded as u64 != rows {
        bail!("sqlite3 loaded {loaded} rows of {rows}");
    }
    Ok(secs)
}

/// VmHWM of this process, in bytes.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

pub(super) fn mb(bytes: Option<u64>) -> String {
    bytes.map_or("unknown".into(), |b| format!("{:.1} MB", b as f64 / 1e6))
}
