//! Key-driven checks of what CSM walkthroughs found wrong on screen: each test sets up the
//! case on the fixed test book, drives the dashboard with keys and reads the screen.

mod tui_support;

use cscx::store::{self, Store};
use cscx::tui::app::Options;
use cscx::tui::headless::Headless;

fn book() -> (Store, tui_support::Book) {
    let mut s = store::open_in_memory().expect("store");
    let book = tui_support::build(&mut s);
    (s, book)
}

fn exec(s: &Store, sql: &str) {
    s.conn()
        .execute_batch(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The screen's line holding `needle`, or a failure showing the screen.
fn line_with(h: &Headless, needle: &str) -> String {
    let screen = h.screen();
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}:\n{screen}"))
        .to_owned()
}

/// A stored 16.5 is 17 in the customer list (rounded half up); the portfolio's biggest movers
/// showed it as 16 (`{:.0}` rounds halves to even).
#[test]
fn biggest_movers_round_half_up() {
    let (s, book) = book();
    let acme = &book.customers[0];
    // the biggest move of the book's last month: 16.5 in April, 90 in May
    exec(
        &s,
        &format!(
            "UPDATE health_trends SET overall_health_score = 16.5
              WHERE customer_id = '{acme}' AND year = 2026 AND month = 4;
             UPDATE health_trends SET overall_health_score = 90
              WHERE customer_id = '{acme}' AND year = 2026 AND month = 5;"
        ),
    );
    let mut h = Headless::inline(s, Options::default(), 120, 36);
    h.keys(&["2", "v"]);
    let row = line_with(&h, "Acme Corp");
    let numbers: Vec<&str> = row
        .split(['│', ' '])
        .filter(|w| w.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-'))
        .collect();
    assert_eq!(numbers, ["17", "90", "+73"], "{row}");
}
