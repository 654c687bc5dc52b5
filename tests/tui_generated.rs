//! Snapshots (insta, TestBackend) of every tab and the account 360 on a database made by the
//! real generator (`cscx::generate::load`) with a fixed size, seed and as-of day — the data a
//! CSM would actually look at, where the hand-written book of `tui_snapshots.rs` is tidy —
//! and key-driven checks of what the screen says against SQL on that same database.
//!
//! Everything that could move with the real date is pinned: the store's health clock
//! (`Store::set_today`) and the dashboard's clock (`Options::clock`) are both the as-of day.

mod common;

use chrono::{FixedOffset, NaiveDate, TimeZone};
use cscx::generate::{self, Options as GenerateOptions};
use cscx::store::Store;
use cscx::tui::app::Options;
use cscx::tui::clock::Clock;
use cscx::tui::headless::Headless;

/// Small enough for a debug build to generate in well under a second per test, big enough
/// for every band, several CSMs, a pipeline in every stage and pending approvals.
const CUSTOMERS: u64 = 30;
const SEED: u64 = 42;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 15).expect("a valid date")
}

/// A fresh in-memory database filled by the generator.
fn generated() -> Store {
    let mut s = common::scratch_store();
    s.set_today(Some(as_of()));
    let options = GenerateOptions {
        customers: CUSTOMERS,
        seed: SEED,
        as_of: as_of(),
        // every table, as the snapshots were made
        detail: generate::Detail::Full,
    };
    s.write(|w| {
        w.set_row_logging(false);
        generate::load(w, &options, &mut |_| {})
    })
    .expect("generate");
    s
}

/// The dashboard's "now": midday UTC of the as-of day (generated events sit before its
/// start, scheduled ones after it).
fn clock() -> Clock {
    let noon = as_of().and_hms_opt(12, 0, 0).expect("a valid time");
    let utc = FixedOffset::east_opt(0).expect("UTC");
    Clock::Fixed(
        utc.from_local_datetime(&noon)
            .single()
            .expect("one instant"),
    )
}

fn app(width: u16, height: u16) -> Headless {
    let options = Options {
        clock: clock(),
        ..Options::default()
    };
    Headless::inline(generated(), options, width, height)
}

/// One value from SQL on the dashboard's own database.
fn sql<T: rusqlite::types::FromSql>(h: &Headless, query: &str) -> T {
    let store = h.store().expect("inline store");
    common::sql(store)
        .query_row(query, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn sql_i64(h: &Headless, query: &str) -> i64 {
    sql(h, query)
}

#[test]
fn customers_tab() {
    let h = app(120, 36);
    insta::assert_snapshot!("gen_customers_tab", h.terminal.backend());
}

#[test]
fn health_tab_customer_and_portfolio() {
    let mut h = app(120, 36);
    h.keys(&["2"]);
    insta::assert_snapshot!("gen_health_customer", h.terminal.backend());
    h.keys(&["v"]);
    insta::assert_snapshot!("gen_health_portfolio", h.terminal.backend());
}

#[test]
fn deals_tab() {
    let mut h = app(120, 36);
    h.keys(&["3"]);
    insta::assert_snapshot!("gen_deals_tab", h.terminal.backend());
}

#[test]
fn calls_tab() {
    let mut h = app(120, 36);
    h.keys(&["4"]);
    insta::assert_snapshot!("gen_calls_tab", h.terminal.backend());
}

/// `p` twice: the calls of the last 30 days by the dashboard's clock (the as-of day), the
/// same calls SQL counts from 29 days before it, by each call's own date.
#[test]
fn calls_of_the_last_30_days() {
    let mut h = app(120, 36);
    h.keys(&["4", "p", "p"]);
    let since = as_of() - chrono::Duration::days(29);
    assert!(
        line(&h, 1).contains(&format!("p since:{since}")),
        "{}",
        h.screen()
    );
    let n = sql_i64(
        &h,
        // a call's date: when it took place, else when scheduled, else when it was logged
        &format!(
            "SELECT count(*) FROM calls
              WHERE coalesce(completed_at, scheduled_at, created_at) >= '{since}'"
        ),
    );
    assert!(n > 0 && n < sql_i64(&h, "SELECT count(*) FROM calls"));
    assert!(
        line(&h, 2).contains(&format!("│{n} calls ")),
        "{}",
        h.screen()
    );
    insta::assert_snapshot!("gen_calls_last_30_days", h.terminal.backend());
}

#[test]
fn sessions_tab() {
    let mut h = app(120, 36);
    h.keys(&["5"]);
    insta::assert_snapshot!("gen_sessions_tab", h.terminal.backend());
}

#[test]
fn account_360() {
    let mut h = app(120, 40);
    h.keys(&["enter"]);
    insta::assert_snapshot!("gen_account_360", h.terminal.backend());
}

/// At 80×24, the smallest usual terminal, every tab and the 360 still show their data.
#[test]
fn every_view_at_80x24() {
    let mut h = app(80, 24);
    insta::assert_snapshot!("gen_80x24_customers", h.terminal.backend());
    h.keys(&["2"]);
    insta::assert_snapshot!("gen_80x24_health_customer", h.terminal.backend());
    h.keys(&["v"]);
    insta::assert_snapshot!("gen_80x24_health_portfolio", h.terminal.backend());
    h.keys(&["v", "3"]);
    insta::assert_snapshot!("gen_80x24_deals", h.terminal.backend());
    h.keys(&["4"]);
    insta::assert_snapshot!("gen_80x24_calls", h.terminal.backend());
    h.keys(&["5"]);
    insta::assert_snapshot!("gen_80x24_sessions", h.terminal.backend());
    h.keys(&["1", "enter"]);
    insta::assert_snapshot!("gen_80x24_account_360", h.terminal.backend());
    h.resize(59, 14);
    insta::assert_snapshot!("gen_below_minimum", h.terminal.backend());
}

/// The screen's line `y`, trimmed at the right.
fn line(h: &Headless, y: usize) -> String {
    h.screen().lines().nth(y).unwrap_or_default().to_owned()
}

#[test]
fn sorting_by_health_puts_the_lowest_score_first_then_the_highest() {
    let mut h = app(120, 36);
    // s: ARR, Stage, Health — ascending, as the column's header arrow says
    h.keys(&["s", "s", "s"]);
    assert!(line(&h, 2).contains("Health▲"), "{}", h.screen());
    let lowest = sql_i64(&h, "SELECT min(health_score) FROM customers");
    let name: String = sql(
        &h,
        "SELECT name FROM customers ORDER BY ifnull(health_score, -1), id LIMIT 1",
    );
    let first = line(&h, 3);
    assert!(
        first.contains(&name) && first.contains(&format!(" {lowest} ")),
        "the first row is {name} at {lowest}:\n{}",
        h.screen()
    );
    h.keys(&["S"]);
    assert!(line(&h, 2).contains("Health▼"), "{}", h.screen());
    let highest = sql_i64(&h, "SELECT max(health_score) FROM customers");
    assert!(
        line(&h, 3).contains(&format!(" {highest} ")),
        "reversed, the first row is at {highest}:\n{}",
        h.screen()
    );
}

#[test]
fn filtering_by_a_word_prefix_counts_what_sql_counts() {
    let mut h = app(120, 36);
    let prefix = "gr";
    // every customer with a word of its name starting with the prefix (names are words of
    // letters, so this is what the search index's word prefixes match)
    let expected = sql_i64(
        &h,
        "SELECT count(*) FROM customers WHERE ' ' || lower(name) LIKE '% gr%'",
    );
    assert!(expected >= 2, "the generated book has several: {expected}");
    h.keys(&["/"]);
    h.type_text(prefix);
    h.keys(&["enter"]);
    let title = line(&h, 1);
    assert!(
        title.contains(&format!("1 of {expected} (of {CUSTOMERS})")),
        "{}",
        h.screen()
    );
    let rows: Vec<String> = h
        .screen()
        .lines()
        .skip(3)
        .take(usize::try_from(expected).unwrap_or(0))
        .map(str::to_owned)
        .collect();
    for row in &rows {
        let name = row.trim_start_matches('│').split("  ").next().unwrap_or("");
        assert!(
            name.split(' ')
                .any(|w| w.to_lowercase().starts_with(prefix)),
            "{name:?} matches {prefix}:\n{}",
            h.screen()
        );
    }
}

/// The portfolio's bars say what SQL says: per band the count, in the band's colour; and
/// the ARR at risk is the sum of the red and of the yellow customers' ARR.
#[test]
fn the_portfolio_bars_are_the_band_counts() {
    let mut h = app(120, 36);
    h.keys(&["2", "v"]);
    let count = |sql: &str| sql_i64(&h, sql);
    let red = count("SELECT count(*) FROM customers WHERE health_score < 40");
    let yellow =
        count("SELECT count(*) FROM customers WHERE health_score >= 40 AND health_score < 70");
    let green = count("SELECT count(*) FROM customers WHERE health_score >= 70");
    assert!(red > 0 && yellow > 0 && green > 0, "every band is present");
    let screen = h.screen();
    let labels = screen
        .lines()
        .position(|l| l.contains("red") && l.contains("yellow") && l.contains("green"))
        .expect("the bar labels");
    let y = u16::try_from(labels - 1).unwrap_or(0);
    let buf = h.terminal.backend().buffer().clone();
    // the bottom row of the bars: each bar a run of cells, its count written on it
    let mut bars: Vec<(String, Vec<ratatui::style::Color>)> = Vec::new();
    let mut x = 1;
    while x < 52 {
        let mut text = String::new();
        let mut colours = Vec::new();
        while x < 52 && buf[(x, y)].symbol() != " " {
            text.push_str(buf[(x, y)].symbol());
            colours.push(buf[(x, y)].fg);
            x += 1;
        }
        if !text.is_empty() {
            bars.push((text, colours));
        }
        x += 1;
    }
    let unscored = count("SELECT count(*) FROM customers WHERE health_score IS NULL");
    let expected = [
        (red, ratatui::style::Color::LightRed),
        (yellow, ratatui::style::Color::Yellow),
        (green, ratatui::style::Color::LightGreen),
        // an empty band still says 0 (in the dim colour of "none")
        (unscored, ratatui::style::Color::DarkGray),
    ];
    assert_eq!(
        bars.len(),
        4,
        "red, yellow, green, none (0, shown all the same): {bars:?}"
    );
    for ((text, colours), (n, colour)) in bars.iter().zip(expected) {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits, n.to_string(), "{text}");
        assert!(colours.iter().all(|c| *c == colour), "{text}: {colours:?}");
    }
    let arr = |sql: &str| cscx::tui::text::money(Some(sql_i64(&h, sql)));
    let red_arr = arr("SELECT ifnull(sum(arr_cents), 0) FROM customers WHERE health_score < 40");
    let yellow_arr = arr("SELECT ifnull(sum(arr_cents), 0) FROM customers
         WHERE health_score >= 40 AND health_score < 70");
    assert!(
        screen.contains(&format!("red {red_arr}  ·  yellow {yellow_arr}")),
        "{screen}"
    );
}

/// The Health tab explains the score the store explains (`cscx explain` reads the same).
#[test]
fn the_health_tab_shows_the_stores_explanation() {
    let mut h = app(120, 36);
    h.keys(&["j", "j", "2"]);
    let store = h.store().expect("inline store");
    let id = h.health().customer_id().expect("a customer").to_owned();
    let e = cscx::store::read::health::explanation(&store.reader(false).unwrap(), &id)
        .expect("explanation");
    let score = cscx::tui::text::score(e.score.expect("a scored customer"));
    let screen = h.screen();
    assert!(
        screen.contains(&format!("Score {score} ")),
        "Score {score}:\n{screen}"
    );
    for c in &e.components {
        let points = cscx::tui::text::tenth(c.contribution);
        let label: String = c.label.chars().take(12).collect();
        assert!(
            screen
                .lines()
                .any(|l| l.contains(&label) && l.contains(&points)),
            "{} {points}:\n{screen}",
            c.label
        );
    }
}
