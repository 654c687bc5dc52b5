//! `cscx bench browse`: the table browser on the database given with --db, as `--user` sees
//! it. For the largest tables (by default activity_log, events, customers, calls), each sort
//! the browser offers (the rowid and every indexed column): the first page, and page after
//! page down by keyset, straight through the store (median, p99); then the dashboard itself,
//! its jobs on the real worker thread: `pagedown` → the next page on screen in the Tables tab.

use super::bench_stats::{ms, percentile};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};

use super::Context;
use crate::cli::BenchBrowseArgs;
use crate::store::read::Anchor;
use crate::store::read::browse::{self, Query};
use crate::tui::app::Options;
use crate::tui::headless::Headless;

/// Rows of a page: a tall terminal's.
const PAGE: usize = 40;

fn line(name: &str, times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "{name:<44} median {:>9}   p99 {:>9}   max {:>9}   (n={})\n",
        ms(percentile(times, 50.0)),
        ms(percentile(times, 99.0)),
        ms(times.last().copied().unwrap_or_default()),
        times.len()
    )
}

pub fn run(ctx: &Context, args: &BenchBrowseArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store("bench browse")?;
    let pages = args.pages.max(1);
    {
        let r = store.reader(false)?;
        super::stdout(&format!(
            "cscx bench browse: {} customers in {}, as {}; pages of {PAGE}, {pages} down per sort\n",
            crate::store::read::book::count(&r, "customers")?,
            ctx.db.display(),
            store
                .actor()
                .user_id
                .as_deref()
                .unwrap_or("the file's owner"),
        ))?;
        for table in &args.tables {
            let shape = browse::shape(&r, table)?;
            let sorts =
                std::iter::once(None).chain(shape.sorts.iter().map(|s| Some(s.column.clone())));
            for sort in sorts {
                let q = Query {
                    sort: sort.clone(),
                    ..Query::new(table)
                };
                let mut first = Vec::new();
                let mut down = Vec::new();
                for _ in 0..5 {
                    let start = Instant::now();
                    browse::page(&r, &shape, &q, &Anchor::Start, PAGE + 1)?;
                    first.push(start.elapsed());
                }
                let mut anchor = Anchor::Start;
                for _ in 0..pages {
                    let start = Instant::now();
                    let rows = browse::page(&r, &shape, &q, &anchor, PAGE + 1)?;
                    down.push(start.elapsed());
                    match rows.get(PAGE - 1) {
                        Some(last) => anchor = Anchor::After(last.cursor.clone()),
                        None => break,
                    }
                }
                let by = sort.as_deref().unwrap_or("rowid");
                super::stdout(&line(&format!("{table} by {by}: first page"), &mut first))?;
                super::stdout(&line(&format!("{table} by {by}: page down"), &mut down))?;
            }
        }
    }
    // the dashboard: pagedown in the Tables tab, key → the next page drawn
    let table = args
        .tables
        .first()
        .cloned()
        .unwrap_or_else(|| "activity_log".into());
    let options = Options::for_store(&store, false);
    let mut h = Headless::threaded(store, options, 120, PAGE as u16 + 5)?;
    let start = Instant::now();
    h.app.browse(&table);
    h.settle_kind(crate::tui::browse::Kind::Shape);
    h.settle_kind(crate::tui::browse::Kind::Page);
    h.draw();
    let opened = start.elapsed();
    // the count comes after, on the worker: the rows are on screen before it ("1 of …")
    h.settle();
    let counted = start.elapsed();
    let mut keys = Vec::new();
    for _ in 0..pages {
        let start = Instant::now();
        h.press_until(
            KeyEvent::from(KeyCode::PageDown),
            crate::tui::browse::Kind::Page,
        );
        keys.push(start.elapsed());
    }
    h.settle();
    super::stdout(&format!(
        "dashboard: {table} opened: first page on screen {}, counted {}\n",
        ms(opened),
        ms(counted)
    ))?;
    super::stdout(&line(
        &format!("dashboard: {table} pagedown → frame"),
        &mut keys,
    ))?;
    Ok(ExitCode::SUCCESS)
}
