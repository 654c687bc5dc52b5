//! `cscx bench ...`: performance measurements whose figures go into docs/benchmarks.md.

use std::process::ExitCode;

use super::Context;
use crate::cli::{BenchCommand, UiOptions};

/// `ui`: the dashboard options given before the command (`cscx --mine bench ui`).
pub fn run(ctx: &Context, command: &BenchCommand, ui: &UiOptions) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Health(args) => super::bench_health::run(ctx, args),
        BenchCommand::Ui(args) => super::bench_ui::run(ctx, args, ui.mine || args.mine),
        BenchCommand::Import(args) => super::bench_import::run(ctx, args),
        BenchCommand::Search(args) => super::bench_search::run(ctx, args),
        BenchCommand::Playbooks(args) => super::bench_playbooks::run(ctx, args),
        BenchCommand::Mine(args) => super::bench_mine::run(ctx, args),
        BenchCommand::Browse(args) => super::bench_browse::run(ctx, args),
        BenchCommand::Writers(args) => super::bench_writers::run(ctx, args),
    }
}

/// The book a benchmark measures: `--db`, which must exist (a benchmark never creates an
/// empty one and measures nothing); the error says how to make one.
pub(super) fn generated_book(
    ctx: &super::Context,
    what: &str,
) -> anyhow::Result<crate::store::Store> {
    if !ctx.db.exists() && !crate::store::is_postgres(&ctx.db) {
        anyhow::bail!(
            "{} does not exist: make one with `cscx --db {} generate --customers 100000`",
            ctx.db.display(),
            ctx.db.display()
        );
    }
    ctx.open_store(what)
}
