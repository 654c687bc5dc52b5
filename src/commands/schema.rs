//! `cscx schema`: the seed map as CSV on stdout; `--postgres`: the PostgreSQL schema and its
//! row-level security (docs/postgres.md), generated from this build's SQLite schema.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::SchemaArgs;
use crate::store::{self, seed_map};

pub fn run(args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    if args.postgres {
        let store = store::open_in_memory()?;
        let script = match &args.copy_from {
            Some(dir) => {
                anyhow::ensure!(
                    dir.is_dir(),
                    "--copy-from {}: no such folder",
                    dir.display()
                );
                let dir = dir.canonicalize()?;
                store::postgres::load_csv_script(store.catalog(), &dir)
            }
            None => store::postgres::script(&store)?,
        };
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        out.write_all(script.as_bytes())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    // re-serialised rather than copied, so what is printed is what the importer parsed
    let entries = seed_map::entries()?;
    let stdout = std::io::stdout();
    let mut out = csv::Writer::from_writer(stdout.lock());
    for entry in &entries {
        out.serialize(entry)?;
    }
    out.flush()?;
    std::io::stdout().flush()?;
    Ok(ExitCode::SUCCESS)
}
