//! `cscx bench ui`: the dashboard driven headless (TestBackend) on the database given with
//! --db, its jobs on the real worker thread. Measures open to first frame, key-to-frame
//! (key in → answers applied → frame drawn) for scroll, page down, jump to end, change sort
//! and each filter keystroke — median and p99 — and peak memory (VmHWM).

use super::bench_stats::{ms, percentile};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Context, UsageError};
use crate::cli::BenchUiArgs;
use crate::tui::app::Options;
use crate::tui::customers;
use crate::tui::headless::Headless;

/// Peak resident memory of this process (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn time_keys(h: &mut Headless, keys: &[&str], samples: usize) -> Vec<Duration> {
    let mut out = Vec::with_capacity(samples);
    for i in 0..samples {
        let key = keys[i % keys.len()];
        let start = Instant::now();
        h.keys(&[key]);
        out.push(start.elapsed());
    }
    out.sort();
    out
}

fn report(name: &str, times: &[Duration]) -> std::io::Result<()> {
    super::stdout(&format!(
        "{name:<24} median {:>10}   p99 {:>10}   max {:>10}   (n={})\n",
        ms(percentile(times, 50.0)),
        ms(percentile(times, 99.0)),
        ms(times.last().copied().unwrap_or_default()),
        times.len()
    ))
}

pub fn run(ctx: &Context, args: &BenchUiArgs, mine: bool) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store("bench ui")?;
    if mine && store.actor().user_id.is_none() {
        return Err(
            UsageError("--mine needs to know who you are: pass --user EMAIL".into()).into(),
        );
    }
    let customers = crate::store::read::book::count(&store.reader(false)?, "customers")
        .context("counting customers")?;
    super::stdout(&format!(
        "cscx bench ui: {} customers in {}\n",
        customers,
        ctx.db.display()
    ))?;
    let n = args.samples.max(1);

    let start = Instant::now();
    // as the dashboard would open for --user, --workspace and --mine (the headless one
    // captures no mouse)
    let options = Options::for_store(&store, mine);
    let mut h = Headless::threaded(store, options, 120, 40)?;
    let first = start.elapsed();
    super::stdout(&format!("open to first frame      {:>10}\n", ms(first)))?;

    report("scroll (j, k)", &time_keys(&mut h, &["j"], n))?;
    report("page down", &time_keys(&mut h, &["ctrl-d"], n))?;
    report("jump to end / start", &time_keys(&mut h, &["G", "g"], n))?;
    report("change sort (s)", &time_keys(&mut h, &["s"], n))?;
    h.keys(&["g"]);
    // filter keystrokes: type a real customer's name (from the middle of the book), clear
    // it, again. The first letters match a large share of a million names: the worst case.
    let word = sample_name(&ctx.db).unwrap_or_else(|| "acme holdings".to_owned());
    super::stdout(&format!(
        "filter types             {word:?}, then ctrl-u, repeated\n"
    ))?;
    h.keys(&["/"]);
    let chars: Vec<char> = word.chars().collect();
    let (mut rows, mut counted) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let key = match chars.get(i % (chars.len() + 1)) {
            Some(c) => KeyEvent::from(KeyCode::Char(*c)),
            None => KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
        };
        let start = Instant::now();
        // the filtered rows are on screen; their count follows in its own job
        h.press_until(key, customers::Kind::Page);
        rows.push(start.elapsed());
        h.settle();
        h.draw();
        counted.push(start.elapsed());
    }
    rows.sort();
    counted.sort();
    report("filter key → rows", &rows)?;
    report("filter key → count", &counted)?;
    h.keys(&["esc", "esc"]);
    super::stdout(&match peak_rss_mib() {
        Some(mib) => format!("peak memory (VmHWM)      {mib:>7.1} MiB\n"),
        None => "peak memory: /proc/self/status not readable\n".to_owned(),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The first two words of the name of the customer in the middle of the book, lower case:
/// what a CSM would type to find it. Read on a connection of its own.
fn sample_name(db: &std::path::Path) -> Option<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    let name: String = conn
        .query_row(
            "SELECT name FROM customers WHERE rowid >= (SELECT max(rowid) / 2 FROM customers)
             ORDER BY rowid LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok()?;
    let words: Vec<&str> = name.split_whitespace().take(2).collect();
    Some(words.join(" ").to_lowercase())
}
