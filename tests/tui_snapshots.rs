//! Snapshots (insta, TestBackend) of every tab and the account 360 on the fixed test book,
//! at 120×36 — and the proof that data holding escape sequences renders inert.

mod tui_support;

use cscx::store;
use cscx::tui::app::Options;
use cscx::tui::headless::Headless;

fn app(width: u16, height: u16) -> (Headless, tui_support::Book) {
    let mut s = store::open_in_memory().expect("store");
    let book = tui_support::build(&mut s);
    (Headless::inline(s, Options::default(), width, height), book)
}

#[test]
fn customers_tab() {
    let (h, _) = app(120, 36);
    insta::assert_snapshot!(h.terminal.backend());
}

#[test]
fn customers_tab_at_80x24() {
    let (h, _) = app(80, 24);
    insta::assert_snapshot!(h.terminal.backend());
}

#[test]
fn health_tab_customer_and_portfolio() {
    let (mut h, _) = app(120, 36);
    h.keys(&["2"]);
    insta::assert_snapshot!("health_customer", h.terminal.backend());
    h.keys(&["v"]);
    insta::assert_snapshot!("health_portfolio", h.terminal.backend());
}

/// On a fixed day (2026-06-13): the open action due 2026-06-10 reads "overdue 3d", every day.
#[test]
fn deals_tab() {
    let mut s = store::open_in_memory().expect("store");
    tui_support::build(&mut s);
    let utc = chrono::FixedOffset::east_opt(0).expect("UTC");
    let options = Options {
        clock: cscx::tui::clock::Clock::Fixed(
            chrono::TimeZone::with_ymd_and_hms(&utc, 2026, 6, 13, 12, 0, 0)
                .single()
                .expect("one instant"),
        ),
        ..Options::default()
    };
    let mut h = Headless::inline(s, options, 120, 36);
    h.keys(&["3"]);
    insta::assert_snapshot!(h.terminal.backend());
}

#[test]
fn calls_tab() {
    let (mut h, _) = app(120, 36);
    h.keys(&["4"]);
    insta::assert_snapshot!(h.terminal.backend());
}

#[test]
fn sessions_tab() {
    let (mut h, _) = app(120, 36);
    h.keys(&["5"]);
    insta::assert_snapshot!(h.terminal.backend());
}

#[test]
fn account_360() {
    let (mut h, _) = app(120, 40);
    h.keys(&["enter"]);
    insta::assert_snapshot!(written_now(&h.terminal.backend().to_string()));
}

/// The screen with the times of what the test itself wrote (the timeline's entries are
/// stamped by the wall clock, today) shown as `(written now)`: the rest is the book's own,
/// fixed data.
fn written_now(screen: &str) -> String {
    let today = chrono::Utc::now().date_naive().to_string();
    let mut out = String::with_capacity(screen.len());
    let mut rest = screen;
    while let Some(at) = rest.find(&today) {
        out.push_str(&rest[..at]);
        // `YYYY-MM-DD HH:MM`, 16 columns, replaced by as many
        let stamp: String = rest[at..].chars().take(16).collect();
        out.push_str("(written now)   ");
        rest = &rest[at + stamp.len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn help_popup() {
    let (mut h, _) = app(100, 50);
    h.keys(&["?"]);
    insta::assert_snapshot!(h.terminal.backend());
}

/// Every cell of the screen, with no control character anywhere.
fn assert_inert(h: &Headless) {
    let buf = h.terminal.backend().buffer();
    for cell in buf.content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)),
            "a control character reached the screen: {:?}",
            cell.symbol()
        );
    }
}

#[test]
fn escape_sequences_in_the_data_render_inert() {
    let (mut h, _) = app(120, 36);
    h.keys(&["/"]);
    h.type_text("evil");
    h.keys(&["enter"]);
    let screen = h.screen();
    assert!(
        screen.contains("Evil␛[2J␛[H␇Corp"),
        "the name shows its escapes as pictures:\n{screen}"
    );
    assert_inert(&h);
    h.keys(&["enter"]);
    assert!(h.screen().contains("Evil␛[2J"), "{}", h.screen());
    assert!(
        h.screen().contains("␛]0;pwned␇"),
        "call notes too:\n{}",
        h.screen()
    );
    assert_inert(&h);
    for tab in ["esc", "4", "5", "3", "2"] {
        h.keys(&[tab]);
        assert_inert(&h);
    }
}

/// Search everything, typed for real: `ctrl-f` over the Customers tab, a fragment from
/// inside the words of a call note (the hostile customer's, whose escape sequences show as
/// pictures), results grouped by kind with the match highlighted; `enter` lands on the
/// Calls tab with that call open.
#[test]
fn search_everything_finds_a_note_and_opens_the_call() {
    let (mut h, book) = app(120, 36);
    h.keys(&["ctrl-f"]);
    h.type_text("itle chan");
    h.settle();
    h.draw();
    let search = h.app.search().expect("the search is open");
    let hit = search.selected().expect("a hit").clone();
    assert_eq!(hit.kind, cscx::store::read::search::Found::Call);
    assert_eq!(hit.customer_id.as_deref(), Some(book.hostile.as_str()));
    insta::assert_snapshot!("search_results", h.terminal.backend());
    // the escape sequences of the note never reach the terminal as they are
    let screen = h.screen();
    assert!(
        !screen.contains('\u{1b}') && screen.contains("␛]0;pwned"),
        "{screen}"
    );
    h.keys(&["enter"]);
    assert!(h.app.search().is_none(), "the search closed");
    assert_eq!(h.app.tab_title(), "Calls");
    let open = h.calls().open_call().expect("the call is open");
    assert_eq!(open.row.id, hit.id);
    assert_eq!(
        h.calls().list().selected_row().map(|r| r.id.clone()),
        Some(hit.id.clone()),
        "the log's cursor is on the call"
    );
    insta::assert_snapshot!("search_lands_on_the_call", h.terminal.backend());
}

/// Too short to look up, then a customer by the inside of its name: enter opens its 360.
#[test]
fn search_everything_opens_a_customer_in_its_360() {
    let (mut h, _) = app(120, 36);
    h.keys(&["3", "ctrl-f"]);
    h.type_text("lo");
    h.settle();
    h.draw();
    assert!(
        h.screen().contains("type 3 or more characters"),
        "{}",
        h.screen()
    );
    h.type_text("be");
    h.settle();
    let hit = h
        .app
        .search()
        .and_then(|s| s.selected())
        .cloned()
        .expect("a hit");
    assert_eq!(hit.kind, cscx::store::read::search::Found::Customer);
    assert_eq!(hit.title, "Globex");
    h.keys(&["enter"]);
    assert!(h.app.search().is_none());
    assert_eq!(
        h.app.account().map(|a| a.customer_id().to_owned()),
        hit.customer_id
    );
}
