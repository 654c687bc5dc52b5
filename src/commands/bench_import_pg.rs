//! `cscx bench import --postgres URL`: cscx's import of the same large calls CSV as
//! `bench import`, into a PostgreSQL book, against `psql`'s `\copy` of the same file into the
//! same table of an identical database, in one run.
//!
//! `URL` names a database on the server whose role may create databases: the run creates two
//! scratch databases there, prepares one (the generated schema, a workspace, users, customers,
//! stakeholders, loss reasons), clones it as the other (`CREATE DATABASE … TEMPLATE`), loads
//! the file into each, checks the row counts and drops both. Both loads fire the same
//! triggers (updated_at, the health queue, LISTEN/NOTIFY); cscx also validates every row.
//! Never part of `cargo test`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail};

use super::bench_import::{mb, measure_cscx, prepare, write_calls};

/// `location` with its database name replaced by `name` (a URL's path, or a `dbname=` that
/// comes last and so wins).
pub fn with_dbname(location: &str, name: &str) -> String {
    if let Some(scheme) = location.find("://") {
        let rest = &location[scheme + 3..];
        let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let after_host = &rest[host_end..];
        let query = after_host.find('?').map_or("", |q| &after_host[q..]);
        return format!(
            "{}{}/{name}{query}",
            &location[..scheme + 3],
            &rest[..host_end]
        );
    }
    format!("{location} dbname={name}")
}

fn connect(location: &str) -> anyhow::Result<postgres::Client> {
    postgres::Client::connect(location, postgres::NoTls).with_context(|| {
        format!(
            "connecting to {}",
            crate::store::redacted(Path::new(location))
        )
    })
}

pub fn run(admin: &str, rows: u64) -> anyhow::Result<String> {
    let tag = std::process::id();
    let (a, b) = (
        format!("cscx_bench_import_{tag}_cscx"),
        format!("cscx_bench_import_{tag}_copy"),
    );
    let mut server = connect(admin)?;
    for db in [&a, &b] {
        server.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))?;
    }
    let dir = std::env::temp_dir().join(format!("cscx-bench-import-pg-{tag}"));
    std::fs::create_dir_all(&dir)?;
    let result = bench(&mut server, admin, &a, &b, &dir, rows);
    for db in [&a, &b] {
        let _ = server.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn bench(
    server: &mut postgres::Client,
    admin: &str,
    a: &str,
    b: &str,
    dir: &Path,
    rows: u64,
) -> anyhow::Result<String> {
    server.batch_execute(&format!("CREATE DATABASE {a}"))?;
    let cscx_book = with_dbname(admin, a);
    let prepared = prepare(Path::new(&cscx_book))?;
    // the prepared book, twice: nobody is connected to it now
    server.batch_execute(&format!("CREATE DATABASE {b} TEMPLATE {a}"))?;
    let copy_book = with_dbname(admin, b);

    let csv = dir.join("calls.csv");
    write_calls(&csv, rows, &prepared)?;
    let size = std::fs::metadata(&csv)?.len();
    let header = std::fs::read_to_string(&csv)?
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();

    let (cscx_secs, cscx_peak) = measure_cscx(Path::new(&cscx_book), &csv, rows)?;
    let started = Instant::now();
    let copied = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &copy_book, "-c"])
        .arg(format!(
            "\\copy calls ({header}) FROM '{}' WITH (FORMAT csv, HEADER true)",
            csv.display()
        ))
        .output()
        .context("running psql (the PostgreSQL client) for the comparison")?;
    let copy_secs = started.elapsed().as_secs_f64();
    if !copied.status.success() {
        bail!(
            "psql \\copy failed: {}",
            String::from_utf8_lossy(&copied.stderr)
        );
    }
    let loaded: i64 = connect(&copy_book)?
        .query_one("SELECT count(*) FROM calls", &[])?
        .get(0);
    if loaded as u64 != rows {
        bail!("psql \\copy loaded {loaded} rows of {rows}");
    }
    let version: String = server.query_one("SHOW server_version", &[])?.get(0);
    let rate = |secs: f64| rows as f64 / secs;
    let mut out = format!(
        "cscx bench import --postgres: {rows} calls rows, {:.1} MB CSV, PostgreSQL {version}\n",
        size as f64 / 1e6
    );
    out.push_str(&format!(
        "  cscx import      {cscx_secs:>7.2} s  {:>9.0} rows/s  (every row validated; peak memory {})\n",
        rate(cscx_secs),
        mb(cscx_peak)
    ));
    out.push_str(&format!(
        "  psql \\copy       {copy_secs:>7.2} s  {:>9.0} rows/s\n",
        rate(copy_secs)
    ));
    out.push_str(&format!(
        "  ratio            {:.2}x  (cscx rows/s / \\copy rows/s; at least 1 is the target)\n",
        copy_secs / cscx_secs
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_is_replaced_in_urls_and_key_values() {
        assert_eq!(
            with_dbname("postgres://dana@db:5432/team?sslmode=disable", "x"),
            "postgres://dana@db:5432/x?sslmode=disable"
        );
        assert_eq!(with_dbname("postgresql://db", "x"), "postgresql://db/x");
        assert_eq!(
            with_dbname("host=/run/postgresql dbname=team", "x"),
            "host=/run/postgresql dbname=team dbname=x"
        );
    }
}
