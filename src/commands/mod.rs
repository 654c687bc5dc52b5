//! The CLI's verbs, one module each. `run` opens what a verb needs and dispatches.

mod bench;
mod bench_health;
mod bench_import;
mod bench_ui;
mod dashboard;
mod demo;
mod explain;
mod export;
mod generate;
mod import;
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

impl Context {
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Context> {
        let db = match &cli.db {
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

    /// Opens (creating if needed) the database and resolves --user and --workspace.
    pub fn open_store(&self, user_agent: &str) -> anyhow::Result<Store> {
        let mut store =
            store::open(&self.db).with_context(|| format!("opening {}", self.db.display()))?;
        let actor = self.actor(&store, user_agent)?;
        store.set_actor(actor);
        Ok(store)
    }

    /// `--user` must be an existing, active user and `--workspace` one of theirs (exit 2).
    fn actor(&self, store: &Store, user_agent: &str) -> anyhow::Result<Actor> {
        use store::access::{IdentityErrorOr, identify};
        identify(
            store.conn(),
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
pub(crate) fn stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
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
        Some(Command::Schema) => schema::run(),
        Some(Command::Bench(command)) => bench::run(&ctx, command, &cli.ui),
    }
}
