//! `cscx bench search`: Search everything driven headless on the database given with --db,
//! its jobs on the real worker thread, as `--user` (and `--workspace`) see the book. It types
//! real words and fragments of words (their inside: `enewa` of "renewal") taken from the
//! book's call notes, transcripts, agent messages, customer names and articles, a key at a
//! time, and measures key → results on screen (the frame drawn with the answer of that
//! keystroke's search), median and p99, over the keys that search (three characters or
//! more); then the same queries straight through the store, and each kind's share.

use super::bench_stats::{ms, percentile};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Context;
use crate::cli::BenchSearchArgs;
use crate::store::read::search;
use crate::tui::app::Options;
use crate::tui::headless::Headless;

fn report(name: &str, times: &mut [Duration]) -> std::io::Result<()> {
    times.sort();
    super::stdout(&format!(
        "{name:<28} median {:>10}   p99 {:>10}   max {:>10}   (n={})\n",
        ms(percentile(times, 50.0)),
        ms(percentile(times, 99.0)),
        ms(times.last().copied().unwrap_or_default()),
        times.len()
    ))
}

pub fn run(ctx: &Context, args: &BenchSearchArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store("bench search")?;
    let words = sample_words(&ctx.db, args.words.max(1));
    if words.is_empty() {
        super::stdout("cscx bench search: the book has no text to search\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    let customers = crate::store::read::book::count(&store.reader(false)?, "customers")?;
    super::stdout(&format!(
        "cscx bench search: {customers} customers in {}, as {}; {} words and fragments, e.g. {:?}\n",
        ctx.db.display(),
        store
            .actor()
            .user_id
            .as_deref()
            .unwrap_or("the file's owner"),
        words.len(),
        words.iter().take(6).collect::<Vec<_>>(),
    ))?;

    // straight through the store: each query once, each kind's share
    let mut direct = Vec::new();
    let mut found = 0usize;
    {
        let r = store.reader(false)?;
        for w in &words {
            let start = Instant::now();
            let results = search::search(&r, w, crate::tui::search::PER_KIND)?;
            direct.push(start.elapsed());
            found += results.len();
        }
    }

    let options = Options::for_store(&store, false);
    let mut h = Headless::threaded(store, options, 120, 40)?;
    h.keys(&["ctrl-f"]);
    let mut searched = Vec::new();
    let mut all = Vec::new();
    for w in &words {
        for (i, c) in w.chars().enumerate() {
            let start = Instant::now();
            h.press_until(
                KeyEvent::from(KeyCode::Char(c)),
                crate::tui::search::Kind::Search,
            );
            let took = start.elapsed();
            all.push(took);
            if i + 1 >= search::MIN_CHARS {
                searched.push(took);
            }
        }
        h.press_until(
            KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
            crate::tui::search::Kind::Search,
        );
    }
    h.settle();
    report("key → results (searching)", &mut searched)?;
    report("key → frame (every key)", &mut all)?;
    report("query in the store", &mut direct)?;
    super::stdout(&format!(
        "hits per query (at most {} a kind)  {:.1}\n",
        crate::tui::search::PER_KIND,
        found as f64 / words.len() as f64
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Words of five letters or more from texts spread over the book (call notes, transcripts,
/// agent messages, customer names, articles), every other one as its inside (the first and
/// last letters dropped), lower case: what someone half-remembering a note would type. Read
/// on a connection of its own.
fn sample_words(db: &std::path::Path, n: usize) -> Vec<String> {
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return Vec::new();
    };
    let sources = [
        ("calls", "notes"),
        ("transcripts", "content"),
        ("agent_messages", "content"),
        ("customers", "name"),
        ("knowledge_base", "title"),
    ];
    let mut out = Vec::new();
    let mut i = 0usize;
    while out.len() < n && i < n * 4 {
        let (table, column) = sources[i % sources.len()];
        i += 1;
        let max: i64 = conn
            .query_row(
                &format!("SELECT ifnull(max(rowid), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )
            .unwrap_or(0);
        if max == 0 {
            continue;
        }
        // spread over the table, the same rows every run
        let at = (max as u128 * ((i as u128 * 7919) % 1000 + 1) / 1001) as i64;
        let text: Option<String> = conn
            .query_row(
                &format!(
                    "SELECT {column} FROM {table} WHERE rowid >= ?1 AND {column} IS NOT NULL
                     ORDER BY rowid LIMIT 1"
                ),
                [at],
                |r| r.get(0),
            )
            .ok();
        let Some(text) = text else { continue };
        let candidates: Vec<String> = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 5)
            .map(str::to_lowercase)
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let word = candidates[i % candidates.len()].clone();
        let word = if out.len() % 2 == 1 {
            let chars: Vec<char> = word.chars().collect();
            chars[1..chars.len() - 1].iter().collect()
        } else {
            word
        };
        out.push(word);
    }
    out
}
