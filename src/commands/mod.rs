//! The CLI's verbs, one module each. `run` opens what a verb needs and dispatches.

mod bench;
mod bench_browse;
mod bench_health;
mod bench_import;
mod bench_import_pg;
mod bench_mine;
mod bench_playbooks;
mod bench_search;
mod bench_stats;
mod bench_ui;
mod bench_writers;
mod dashboard;
mod demo;
mod explain;
mod export;
mod generate;
mod import;
mod mine;
mod playbooks;
mod recompute;
mod schema;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow};

use crate::cli::{Cli, Command};
use crate::store::{self, Actor, Store};

/// A mistake in how cscx was called (exit code 2), as opposed to bad data (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The process exit code for an error: 2 for usage errors, 1 for everything else.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if e.is::<UsageError>() { 2 } else { 1 }
}

/// What every verb may need from the global options.
#[derive(Debug, Clone)]
pub struct Context {
    pub db: PathBuf,
    pub user: Option<String>,
    pub workspace: Option<String>,
}

/// How long a headless command waits for another writer before giving up:
/// `CSCX_WAIT_SECS`, else ten minutes (a large import takes minutes, and a script that
/// runs `recompute` after it should not fail for that).
fn wait_for_writer(label: &str) -> store::wait::WaitForWriter {
    let secs = std::env::var("CSCX_WAIT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    store::wait::WaitForWriter {
        label: label.to_owned(),
        bound: std::time::Duration::from_secs(secs),
        report: |text| stderr(text),
    }
}

impl Context {
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Context> {
        let db = match &cli.db {
            // SQLite would read these as "a private in-memory database" or a URI, and cscx
            // would create a file of that name instead: a database here is always a file
            Some(p) if p.as_os_str() == ":memory:" || p.to_string_lossy().starts_with("file:") => {
                return Err(UsageError(format!(
                    "--db {}: cscx keeps its data in a file; give a file path (an in-memory \
                     database would be gone when the command ends)",
                    p.display()
                ))
                .into());
            }
            Some(p) => p.clone(),
            None => crate::paths::default_db_path().ok_or_else(|| {
                anyhow!("no home directory to keep the database in; pass --db PATH")
            })?,
        };
        Ok(Context {
            db,
            user: cli.user.clone(),
            workspace: cli.workspace.clone(),
        })
    }

    /// Opens the database, which must exist, and resolves --user and --workspace. Only
    /// the commands that make databases (`demo`, `generate`, `import`) create one: a
    /// mistyped `--db` is an error, not a new empty database.
    pub fn open_store(&self, user_agent: &str) -> anyhow::Result<Store> {
        // a PostgreSQL book's existence is the server's to say, when we connect
        if !self.db.exists() && !store::is_postgres(&self.db) {
            return Err(UsageError(format!(
                "{}: no such database (cscx demo, generate or import makes one)",
                self.db.display()
            ))
            .into());
        }
        self.open_or_create_store(user_agent)
    }

    /// Opens the database, creating it if there is none (`import`).
    pub fn open_or_create_store(&self, user_agent: &str) -> anyhow::Result<Store> {
        let mut store =
            store::open(&self.db).with_context(|| format!("opening {}", self.db.display()))?;
        let actor = self.actor(&store, user_agent)?;
        store.set_actor(actor);
        if user_agent != "dashboard" {
            store.set_wait(Some(wait_for_writer(user_agent)));
        }
        Ok(store)
    }

    /// `--user` must be an existing, active user and `--workspace` one of theirs (exit 2).
    fn actor(&self, store: &Store, user_agent: &str) -> anyhow::Result<Actor> {
        use store::access::IdentityErrorOr;
        store
            .identify(
                self.user.as_deref(),
                self.workspace.as_deref(),
                Some(format!("cscx/{} {user_agent}", env!("CARGO_PKG_VERSION"))),
            )
            .map_err(|e| match e {
                IdentityErrorOr::Identity(e) => anyhow!(UsageError(e.to_string())),
                IdentityErrorOr::Store(e) => anyhow!(e),
            })
    }
}

/// Runs the command the arguments name.
///
/// A reader that closes our stdout early (`cscx schema | head`) ends the command quietly and
/// successfully, as it does `cat` or `git`: the reader got all it wanted, so it is neither
/// a problem with the data nor with how cscx was called. Rust ignores SIGPIPE, so the
/// closed pipe arrives here as a write error; every command writes its output with
/// [`stdout`] (never `print!`, which would panic instead) so that it gets here.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match dispatch(cli) {
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

/// Whether an error is, or was caused by, writing to a pipe whose reader has gone.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            // the csv writer (`cscx schema`) wraps the io::Error in its own
            match cause.downcast_ref::<csv::Error>()?.kind() {
                csv::ErrorKind::Io(io) => Some(io),
                _ => None,
            }
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes `text` to stdout and flushes it, returning the error `print!` would panic on.
/// Everything a command prints goes through here, so no escape sequence from the data or a
/// file name reaches the terminal (`crate::sanitize`).
pub(crate) fn stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(crate::sanitize::escaped_output(text).as_bytes())?;
    out.flush()
}

/// Writes `text` to stderr, made safe as [`stdout`] makes its text.
pub(crate) fn stderr(text: &str) {
    eprint!("{}", crate::sanitize::escaped_output(text));
}

/// An error and its causes on one line, for the terminal. A cause whose text the message
/// already holds is not repeated ("File exists (os error 17)" once, not twice: many errors
/// name their source in their own message and also return it as their source).
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    crate::sanitize::escaped_output(&text).into_owned()
}

/// Takes the database at `path` for replacing it, or refuses while another cscx has it
/// open: that process would go on writing to a file nobody sees any more.
pub(crate) fn take_for_replacement(
    path: &std::path::Path,
) -> anyhow::Result<Option<store::presence::Exclusive>> {
    if !path.exists() {
        return Ok(None);
    }
    match store::presence::take_exclusive(path) {
        Ok(Some(taken)) => Ok(Some(taken)),
        Ok(None) => Err(UsageError(format!(
            "{} is open in another cscx (a dashboard, or a command still running): close it \
             first; nothing was replaced",
            path.display()
        ))
        .into()),
        // no lock file can be made beside it (a read-only folder): nor can anyone else
        Err(_) => Ok(None),
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::from_cli(&cli)?;
    match &cli.command {
        None => dashboard::run(&ctx, &cli.ui),
        Some(Command::Demo(args)) => demo::run(&ctx, args, &cli.ui.with(&args.ui)),
        Some(Command::Generate(args)) => generate::run(&ctx, args),
        Some(Command::Import(args)) => import::run(&ctx, args),
        Some(Command::Export(args)) => export::run(&ctx, args),
        Some(Command::Recompute(args)) => recompute::run(&ctx, args),
        Some(Command::Explain(args)) => explain::run(&ctx, args),
        Some(Command::Playbooks(args)) => playbooks::run(&ctx, args),
        Some(Command::Mine(args)) => mine::run(&ctx, args),
        Some(Command::Schema(args)) => schema::run(args),
        Some(Command::Bench(command)) => bench::run(&ctx, command, &cli.ui),
    }
}
