//! `cscx schema`: the seed map as CSV on stdout.

use std::io::Write;
use std::process::ExitCode;

use crate::store::seed_map;

pub fn run() -> anyhow::Result<ExitCode> {
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
