//! What the screens show, read off the screen: rounding, call dates, "N of M" at the ends of
//! lists, band colours by each workspace's thresholds, empty bands, a terminal too small for
//! a form. Each test sets up its case on the fixed test book and drives the app with keys.

mod common;

mod tui_support;

use chrono::{FixedOffset, TimeZone};
use cscx::store::Store;
use cscx::tui::app::Options;
use cscx::tui::clock::Clock;
use cscx::tui::headless::Headless;
use ratatui::style::Color;

fn book() -> (Store, tui_support::Book) {
    let mut s = common::scratch_store();
    let book = tui_support::build(&mut s);
    (s, book)
}

fn exec(s: &Store, sql: &str) {
    common::sql(s)
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
    // the biggest move of the book's last month: 16.5 in April, 90 in May and now
    exec(
        &s,
        &format!(
            "UPDATE health_trends SET overall_health_score = 16.5
              WHERE customer_id = '{acme}' AND year = 2026 AND month = 4;
             UPDATE health_trends SET overall_health_score = 90
              WHERE customer_id = '{acme}' AND year = 2026 AND month = 5;
             UPDATE customers SET health_score = 90 WHERE id = '{acme}';"
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

/// The dashboard's "now": the end of the book's May 2026, midday UTC.
fn may_31() -> Clock {
    let utc = FixedOffset::east_opt(0).expect("UTC");
    Clock::Fixed(
        utc.with_ymd_and_hms(2026, 5, 31, 12, 0, 0)
            .single()
            .expect("one instant"),
    )
}

/// The data rows of the screen's table under the header line holding `header`.
fn rows_under(h: &Headless, header: &str) -> Vec<String> {
    let screen = h.screen();
    screen
        .lines()
        .skip_while(|l| !l.contains(header))
        .skip(1)
        .take_while(|l| !l.starts_with('└'))
        .map(str::to_owned)
        .collect()
}

/// The Calls tab dates a call by when it took place (else when it is scheduled, else when it
/// was logged): shown, ordered newest first and filtered by period on that date, not on the
/// day it was logged.
#[test]
fn calls_are_dated_by_when_they_take_place() {
    let (s, book) = book();
    let acme = &book.customers[0];
    let ids: Vec<String> = common::sql(&s)
        .prepare("SELECT id FROM calls WHERE customer_id = ?1 ORDER BY id")
        .expect("calls")
        .query_map([acme], |r| r.get(0))
        .expect("ids")
        .collect::<Result<_, _>>()
        .expect("ids");
    let [logged_early, to_come, done_long_ago] = &ids[..] else {
        panic!("Acme has three calls: {ids:?}");
    };
    exec(
        &s,
        &format!(
            // logged in January, completed yesterday
            "UPDATE calls SET created_at = '2026-01-02T09:00:00Z',
                              completed_at = '2026-05-30T15:00:00Z', prospect_name = 'Early Logged'
              WHERE id = '{logged_early}';
             -- rescheduled to June 3rd: not completed
             UPDATE calls SET created_at = '2026-05-02T09:00:00Z', completed_at = NULL,
                              scheduled_at = '2026-06-03T10:00:00Z', prospect_name = 'To Come'
              WHERE id = '{to_come}';
             -- logged yesterday, for a call that took place in March
             UPDATE calls SET created_at = '2026-05-30T08:00:00Z',
                              completed_at = '2026-03-01T10:00:00Z', prospect_name = 'Long Ago'
              WHERE id = '{done_long_ago}';"
        ),
    );
    let options = Options {
        clock: may_31(),
        ..Options::default()
    };
    let mut h = Headless::inline(s, options, 140, 40);
    h.keys(&["4"]);
    let rows = rows_under(&h, "Date");
    assert!(
        rows[0].contains("2026-06-03") && rows[0].contains("To Come"),
        "the scheduled day, newest first:\n{}",
        h.screen()
    );
    assert!(
        rows[1].contains("2026-05-30") && rows[1].contains("Early Logged"),
        "the day it was completed:\n{}",
        h.screen()
    );
    // the oldest call of the book: the last row
    h.keys(&["G"]);
    let rows = rows_under(&h, "Date");
    let last = rows.last().expect("rows");
    assert!(
        last.contains("2026-03-01") && last.contains("Long Ago"),
        "{}",
        h.screen()
    );
    // the last 7 days (from May 25th): by the call's date, not the day it was logged
    h.keys(&["p"]);
    let store = h.store().expect("inline store");
    let n: i64 = common::sql(store)
        .query_row(
            "SELECT count(*) FROM calls
              WHERE ifnull(completed_at, ifnull(scheduled_at, created_at)) >= '2026-05-25'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    let screen = h.screen();
    assert!(screen.contains("p since:2026-05-25"), "{screen}");
    assert!(
        screen.contains(&format!("│{n} calls ")),
        "{n} calls:\n{screen}"
    );
    assert!(screen.contains("Early Logged"), "{screen}");
    assert!(screen.contains("To Come"), "{screen}");
    assert!(!screen.contains("Long Ago"), "{screen}");
}

/// The account 360 lists the latest calls by the same date: a call to come is not cut by
/// the 360's limit behind older completed ones (it was, ordered by completed_at).
#[test]
fn the_account_360_shows_a_call_to_come_among_the_latest() {
    let (s, book) = book();
    let acme = &book.customers[0];
    let (ws, dana) = (&book.workspace, &book.dana);
    let mut sql = String::new();
    for d in 0..60 {
        sql.push_str(&format!(
            "INSERT INTO calls (workspace_id, user_id, customer_id, prospect_name, call_type,
               status, completed_at, created_at)
             VALUES ('{ws}', '{dana}', '{acme}', 'Pat Primary', 'inbound', 'completed',
               '2026-04-{:02}T10:00:00Z', '2026-04-01T10:00:00Z');",
            1 + d % 28
        ));
    }
    sql.push_str(&format!(
        "INSERT INTO calls (workspace_id, user_id, customer_id, prospect_name, call_type,
           status, scheduled_at, created_at)
         VALUES ('{ws}', '{dana}', '{acme}', 'Wile Rescheduled', 'outbound', 'rescheduled',
           '2026-06-03T10:00:00Z', '2026-05-02T10:00:00Z');"
    ));
    exec(&s, &sql);
    let mut h = Headless::inline(s, Options::default(), 120, 40);
    h.keys(&["enter"]);
    let rows = rows_under(&h, "Recent calls and meetings");
    assert!(
        rows.first()
            .is_some_and(|r| r.contains("2026-06-03 call    Wile Resched")),
        "the newest by its own date comes first:\n{}",
        h.screen()
    );
}

/// The title of the framed list whose title holds `name`, e.g. "Call log 1 of 120 · ...".
fn title_of(h: &Headless, name: &str) -> String {
    line_with(h, &format!("┌ {name} "))
}

/// An empty list reads "0 of 0" (it said "1 of 0": the selection index of an empty list is
/// 0 too), and a count of one is singular ("1 deal", not "1 deals").
#[test]
fn empty_lists_and_single_counts_read_right() {
    let (s, _) = book();
    exec(
        &s,
        "DELETE FROM approvals;
         DELETE FROM deals WHERE stage = 'prospecting';
         DELETE FROM deals WHERE stage = 'qualification'
           AND id <> (SELECT min(id) FROM deals WHERE stage = 'qualification');
         DELETE FROM calls WHERE id <> (SELECT min(id) FROM calls);",
    );
    let mut h = Headless::inline(s, Options::default(), 120, 36);
    h.keys(&["5"]);
    assert!(
        title_of(&h, "Pending approvals").contains("Pending approvals 0 of 0 "),
        "{}",
        h.screen()
    );
    h.keys(&["3"]);
    assert!(
        title_of(&h, "Deals").contains("prospecting · 0 of 0 "),
        "{}",
        h.screen()
    );
    let strip = line_with(&h, "0 deals");
    assert!(strip.contains(" 1 deal "), "{strip}");
    h.keys(&["l"]);
    assert!(
        title_of(&h, "Deals").contains("qualification · 1 of 1 "),
        "{}",
        h.screen()
    );
    h.keys(&["4"]);
    line_with(&h, "│1 call ");
    assert!(
        title_of(&h, "Call log").contains("Call log 1 of 1 "),
        "{}",
        h.screen()
    );
}

/// `G` reads the last window from the end of the list; its position comes from the list's
/// count. The call log (and a stage's deals) passed no count and said "? of 120".
#[test]
fn the_end_of_a_list_knows_its_position() {
    let (s, book) = book();
    // enough deals in one stage for more than a page
    let (ws, acme) = (&book.workspace, &book.customers[0]);
    let mut sql = String::new();
    for d in 0..40 {
        sql.push_str(&format!(
            "INSERT INTO deals (workspace_id, customer_id, name, stage, close_dt)
             VALUES ('{ws}', '{acme}', 'Deal {d}', 'prospecting', '2026-07-{:02}');",
            1 + d % 28
        ));
    }
    exec(&s, &sql);
    let deals: i64 = common::sql(&s)
        .query_row(
            "SELECT count(*) FROM deals WHERE stage = 'prospecting'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    let mut h = Headless::inline(s, Options::default(), 120, 36);
    h.keys(&["4", "G"]);
    assert!(
        title_of(&h, "Call log").contains("Call log 120 of 120 "),
        "{}",
        h.screen()
    );
    h.keys(&["3", "G"]);
    assert!(
        title_of(&h, "Deals").contains(&format!("prospecting · {deals} of {deals} ")),
        "{}",
        h.screen()
    );
}

/// The foreground colour of `needle` (of its first character that is not a space) on the
/// screen line holding `line`.
fn colour_of(h: &Headless, line: &str, needle: &str) -> Color {
    let screen = h.screen();
    let (y, text) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line))
        .unwrap_or_else(|| panic!("no line with {line:?}:\n{screen}"));
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in {text:?}"));
    // the column of its first character that is not a space: the characters before it
    // (every one here is one cell wide)
    let lead = needle.len() - needle.trim_start().len();
    let x = text[..at + lead].chars().count();
    let buf = h.terminal.backend().buffer();
    buf[(x as u16, y as u16)].fg
}

/// Scores are coloured by their own workspace's band thresholds (workspace_configs), in the
/// customer list, the 360 and the Health tab, and the portfolio counts by them: the list
/// used the default 40/70 whatever the workspace had configured.
#[test]
fn scores_are_coloured_by_their_workspaces_thresholds() {
    let (s, book) = book();
    let ws = &book.workspace;
    let (acme, globex) = (&book.customers[0], &book.customers[1]);
    exec(
        &s,
        &format!(
            "UPDATE workspace_configs SET red_below = 50, green_from = 80
              WHERE workspace_id = '{ws}';
             INSERT INTO workspaces (id, name) VALUES ('w-beta', 'Beta CS');
             INSERT INTO workspace_configs (workspace_id, red_below, green_from)
               VALUES ('w-beta', 20, 30);
             UPDATE customers SET health_score = 45 WHERE id = '{acme}';
             UPDATE customers SET workspace_id = 'w-beta', health_score = 25
              WHERE id = '{globex}';"
        ),
    );
    let red_in_acme_cs: i64 = common::sql(&s)
        .query_row(
            &format!(
                "SELECT count(*) FROM customers WHERE workspace_id = '{ws}' AND health_score < 50"
            ),
            [],
            |r| r.get(0),
        )
        .expect("count");
    let mut h = Headless::inline(s, Options::default(), 120, 36);
    // 45 is red below 50 (yellow by the defaults); 25 yellow from 20 (red by the defaults)
    assert_eq!(colour_of(&h, "Acme Corp", " 45 "), Color::LightRed);
    assert_eq!(colour_of(&h, "│Globex", " 25 "), Color::Yellow);
    // the Health tab and the 360 colour Acme's score (its explanation's) by 50/80 as well
    h.keys(&["2"]);
    let score = line_with(&h, "Score ");
    let shown: i64 = score
        .split("Score ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a score");
    let expected = match shown {
        ..50 => Color::LightRed,
        50..80 => Color::Yellow,
        _ => Color::LightGreen,
    };
    assert_eq!(colour_of(&h, "Score ", &format!(" {shown} ")), expected);
    line_with(&h, "bands: red <50 ≤ yellow <80 ≤ green");
    h.keys(&["enter"]);
    assert_eq!(colour_of(&h, "Score ", &format!(" {shown} ")), expected);
    line_with(&h, "bands: red <50 ≤ yellow <80 ≤ green");
    // the portfolio bands each customer by its workspace's thresholds
    h.keys(&["esc", "v"]);
    line_with(&h, "bands: each workspace's thresholds");
    let screen = h.screen();
    let labels = screen
        .lines()
        .position(|l| l.contains("red") && l.contains("yellow") && l.contains("green"))
        .expect("the bar labels");
    let counts = screen.lines().nth(labels - 1).expect("the bars' last row");
    let first: String = counts
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(
        first,
        red_in_acme_cs.to_string(),
        "red customers (Globex is yellow in Beta CS):\n{screen}"
    );
    // read again after a reload (and after every write): another cscx or an import may
    // have changed a workspace's configuration
    exec(
        h.store().expect("inline store"),
        &format!(
            "UPDATE workspace_configs SET red_below = 40, green_from = 70
              WHERE workspace_id = '{ws}';"
        ),
    );
    h.keys(&["v", "1", "ctrl-r"]);
    assert_eq!(colour_of(&h, "Acme Corp", " 45 "), Color::Yellow);
}

/// A band with nobody in it shows its 0 (ratatui writes no value on an empty bar).
#[test]
fn empty_bands_show_their_zero() {
    let (s, _) = book();
    let count = |sql: &str| -> i64 { common::sql(&s).query_row(sql, [], |r| r.get(0)).expect(sql) };
    let red = count("SELECT count(*) FROM customers WHERE health_score < 40");
    let yellow = count("SELECT count(*) FROM customers WHERE health_score BETWEEN 40 AND 69");
    let green = count("SELECT count(*) FROM customers WHERE health_score >= 70");
    assert_eq!(
        count("SELECT count(*) FROM customers WHERE health_score IS NULL"),
        0,
        "every customer of the book is scored: the 'none' band is empty"
    );
    let mut h = Headless::inline(s, Options::default(), 120, 36);
    h.keys(&["2", "v"]);
    let screen = h.screen();
    let labels = screen
        .lines()
        .position(|l| l.contains("red") && l.contains("yellow") && l.contains("none"))
        .expect("the bar labels");
    // the bars' bottom row in the left panel: one run of cells per bar, its count on it
    let row = screen.lines().nth(labels - 1).expect("the bars' last row");
    let panel = row.trim_start_matches('│').split('│').next().unwrap_or("");
    let values: Vec<String> = panel
        .split_whitespace()
        .map(|bar| bar.chars().filter(char::is_ascii_digit).collect())
        .collect();
    assert_eq!(
        values,
        [red, yellow, green, 0].map(|n| n.to_string()),
        "{screen}"
    );
}

/// The sessions title says "N of M" like every other list (it said only N): the count of the
/// sessions listed, all or the selected customer's, and `G` at the end of a long list knows
/// where it is.
#[test]
fn sessions_say_n_of_m() {
    let (s, book) = book();
    let acme = &book.customers[0];
    // more sessions than a page
    let mut sql = String::new();
    for d in 0..30 {
        sql.push_str(&format!(
            "INSERT INTO agent_sessions (customer_id, created_at)
             VALUES ('{}', '2026-04-{:02}T08:00:00Z');",
            book.customers[1 + d % 3],
            1 + d % 28
        ));
    }
    exec(&s, &sql);
    let count = |sql: &str| -> i64 { common::sql(&s).query_row(sql, [], |r| r.get(0)).expect(sql) };
    let all = count("SELECT count(*) FROM agent_sessions");
    let acme_only = count(&format!(
        "SELECT count(*) FROM agent_sessions WHERE customer_id = '{acme}'"
    ));
    let mut h = Headless::inline(s, Options::default(), 120, 36);
    h.keys(&["5"]);
    assert!(
        title_of(&h, "Sessions").contains(&format!("Sessions 1 of {all} · all customers")),
        "{}",
        h.screen()
    );
    h.keys(&["G"]);
    assert!(
        title_of(&h, "Sessions").contains(&format!("Sessions {all} of {all} ")),
        "{}",
        h.screen()
    );
    h.keys(&["v"]);
    assert!(
        title_of(&h, "Sessions").contains(&format!("Sessions 1 of {acme_only} · this customer")),
        "{}",
        h.screen()
    );
}

/// The dashboard acting as Dana in the book's workspace (forms open; the default is
/// read-only), at 120×40.
fn as_dana() -> (Headless, tui_support::Book) {
    let (mut s, book) = book();
    s.set_actor(cscx::store::Actor {
        user_id: Some(book.dana.clone()),
        workspace_id: Some(book.workspace.clone()),
        user_agent: Some("cscx test".into()),
    });
    let options = Options {
        clock: may_31(),
        ..Options::for_store(&s, false)
    };
    (Headless::inline(s, options, 120, 40), book)
}

/// The text of field `key` of the form on top.
fn field(h: &Headless, key: &str) -> String {
    h.app
        .forms()
        .last()
        .and_then(|f| f.slot(key))
        .map(|s| s.text().to_owned())
        .unwrap_or_default()
}

/// The screen's text as one line (a message wrapped over several reads as written).
fn said(h: &Headless) -> String {
    h.screen().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Below the minimum size the screen only says so: no key reaches a form hidden behind the
/// message (`q` went into the focused field), and `q` quits only when that loses no typing.
#[test]
fn a_terminal_too_small_passes_no_key_to_a_form() {
    let (mut h, _) = as_dana();
    h.keys(&["4", "n", "tab", "tab"]);
    let focused = h.app.forms()[0].focused().map(|s| s.key.clone());
    assert_eq!(focused.as_deref(), Some("prospect_name"), "{}", h.screen());
    h.type_text("Pat");
    h.resize(50, 12);
    assert!(
        said(&h).contains("Enlarge it to go back to your form: it has unsaved changes."),
        "{}",
        h.screen()
    );
    h.keys(&["q", "x", "backspace", "ctrl-c", "esc"]);
    assert!(!h.app.wants_quit(), "q would lose the typing");
    assert_eq!(h.app.forms().len(), 1, "the form is still open");
    assert!(
        h.app.confirm().is_none(),
        "nothing was asked behind the message"
    );
    assert_eq!(field(&h, "prospect_name"), "Pat", "no key reached the form");
    h.resize(120, 40);
    assert!(h.screen().contains("Log a call"), "{}", h.screen());
    // a form without changes: q quits (nothing is lost)
    h.keys(&["esc", "y", "n"]);
    assert!(
        h.app.forms().len() == 1 && !h.app.unsaved(),
        "{}",
        h.screen()
    );
    h.resize(50, 12);
    assert!(
        said(&h).contains("Enlarge it, or press q to quit."),
        "{}",
        h.screen()
    );
    h.keys(&["x"]);
    assert!(!h.app.wants_quit());
    h.keys(&["q"]);
    assert!(h.app.wants_quit(), "q quits: the form has nothing to lose");
}

/// A field that has lost the focus shows the start of its text, cut with `…`; it showed the
/// part where the cursor was, the end of what was typed. The same for notes: the first lines.
#[test]
fn an_unfocused_field_shows_the_start_of_its_text() {
    let (mut h, _) = as_dana();
    h.keys(&["4", "n", "tab", "tab"]);
    h.type_text("Bartholomew Jojo Simpson-Featherstonehaugh the Third of Springfield");
    let typing = line_with(&h, "› Name");
    assert!(
        typing.contains("of Springfield"),
        "focused: the cursor's part\n{typing}"
    );
    h.keys(&["tab"]);
    let name = line_with(&h, "  Name");
    assert!(name.contains("Bartholomew Jojo Simpson-"), "{name}");
    assert!(
        name.contains('…') && !name.contains("Springfield"),
        "{name}"
    );
    // notes: the first of their lines, `…` after the last shown
    let form = h.app.forms().last().expect("the call form");
    let notes = form.index_of("notes").expect("a notes field");
    while h.app.forms().last().map(|f| f.focus) != Some(notes) {
        h.keys(&["tab"]);
    }
    for (k, l) in ["first", "second", "third", "fourth", "fifth", "sixth"]
        .iter()
        .enumerate()
    {
        if k > 0 {
            h.keys(&["enter"]);
        }
        h.type_text(&format!("{l} line"));
    }
    h.keys(&["tab"]);
    let screen = h.screen();
    let at = screen
        .lines()
        .position(|l| l.contains("│  Notes  "))
        .expect("the notes field");
    let shown: Vec<&str> = screen.lines().skip(at).take(4).collect();
    assert!(shown[0].contains("first line"), "{screen}");
    assert!(shown[3].contains("fourth line…"), "{screen}");
    assert!(!screen.contains("sixth line"), "{screen}");
}

/// The body of the screen: between the tab bar and the status line.
fn body(h: &Headless) -> Vec<String> {
    let screen = h.screen();
    let lines: Vec<&str> = screen.lines().collect();
    lines[1..lines.len().saturating_sub(1)]
        .iter()
        .map(|l| l.to_string())
        .collect()
}

/// 300 `j` then 260 `k` left the 360 blank (it scrolled on past its end); `G`, `g` went
/// nowhere, and PgDn in the help moved a fixed ten lines of a page of thirty.
#[test]
fn the_360_and_the_help_scroll_to_their_end_and_no_further() {
    let (mut h, _) = as_dana();
    h.keys(&["enter"]);
    let top = body(&h);
    h.keys(&["G"]);
    let bottom = body(&h);
    assert_ne!(top, bottom, "G goes to the end of the page");
    for _ in 0..300 {
        h.keys(&["j"]);
    }
    assert_eq!(body(&h), bottom, "j stops at the end");
    h.keys(&["k"]);
    assert_ne!(body(&h), bottom, "one k moves up at once");
    h.keys(&["g"]);
    assert_eq!(body(&h), top, "g goes back to the top");
    h.keys(&["esc", "?"]);
    let first = body(&h);
    h.keys(&["pgdn"]);
    let paged = body(&h);
    // the line that was at the bottom of the popup's text is now above it: a page moved
    let last_shown = first[first.len() - 3].clone();
    assert!(
        !paged.contains(&last_shown)
            || last_shown.trim_matches(|c| c == '│' || c == ' ').is_empty(),
        "PgDn moves a page:\n{}",
        paged.join("\n")
    );
    h.keys(&["G"]);
    assert!(
        h.screen().contains("a conflict: save yours over theirs"),
        "G shows the help's last line:\n{}",
        h.screen()
    );
    for _ in 0..50 {
        h.keys(&["j"]);
    }
    let end = body(&h);
    h.keys(&["k"]);
    assert_ne!(body(&h), end, "one k moves up at once");
}

/// `enter` on a call did nothing (the help said it opens), and the notes were a
/// nine-character column: it opens the call, with every field and the whole notes.
#[test]
fn enter_opens_a_call_with_every_field_and_the_whole_notes() {
    let (s, book) = book();
    let long: String = (1..=80).map(|i| format!("word{i} ")).collect();
    common::sql(&s)
        .execute(
            "UPDATE calls SET notes = ?1, prospect_email = 'pat@example.test',
                    scheduled_at = '2026-05-28T09:00:00Z'
             WHERE id = (SELECT id FROM calls ORDER BY coalesce(completed_at, scheduled_at, created_at) DESC, id DESC LIMIT 1)",
            [long.trim_end()],
        )
        .expect("notes");
    let _ = book;
    let options = Options {
        clock: may_31(),
        ..Options::for_store(&s, false)
    };
    let mut h = Headless::inline(s, options, 120, 40);
    h.keys(&["4", "enter"]);
    let screen = h.screen();
    assert!(screen.contains("Call with Pat Primary"), "{screen}");
    for field in [
        "Email",
        "pat@example.test",
        "Logged by",
        "Scheduled",
        "2026-05-28 09:00 UTC",
        "Completed",
    ] {
        assert!(screen.contains(field), "{field}:\n{screen}");
    }
    assert!(screen.contains("word1 word2"), "{screen}");
    assert!(
        screen.contains("word80"),
        "the whole notes, wrapped:\n{screen}"
    );
    h.keys(&["esc"]);
    assert!(!h.screen().contains("Call with Pat Primary"), "esc closes");
    assert!(h.screen().contains("Call log"));
}

/// The customers' names in the list on screen, top to bottom.
fn listed(h: &Headless) -> Vec<String> {
    h.customers()
        .list()
        .rows
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

/// Stage sorted alphabetically (active, at risk, churned, …): it follows the lifecycle now,
/// ties by name; ascending health put the unscored first: they are last both ways; the
/// filter matched word prefixes only (`cme` found nothing): it matches inside words.
#[test]
fn stage_follows_the_lifecycle_unscored_sort_last_and_the_filter_finds_inside_words() {
    let (s, _) = book();
    exec(
        &s,
        "UPDATE customers SET health_score = NULL WHERE name = 'Acme Corp'",
    );
    let options = Options {
        clock: may_31(),
        ..Options::for_store(&s, false)
    };
    let mut h = Headless::inline(s, options, 120, 60);
    h.keys(&["s", "s"]); // ARR, then stage
    let header = line_with(&h, "Stage▲");
    assert!(header.contains("Stage▲"), "{header}");
    let order = cscx::store::enums::CustomerStage::TEXTS;
    let rows = h.customers().list().rows.clone();
    let ranks: Vec<(usize, String)> = rows
        .iter()
        .map(|r| {
            (
                order.iter().position(|s| *s == r.stage).unwrap_or(99),
                r.name.to_lowercase(),
            )
        })
        .collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted, "by lifecycle, then name");
    assert!(
        ranks.first().is_some_and(|(r, _)| *r == 0),
        "prospects first"
    );
    // health: unscored last going up and going down
    h.keys(&["s"]);
    assert!(line_with(&h, "Health▲").contains("Health▲"));
    h.keys(&["G"]);
    assert_eq!(listed(&h).last().map(String::as_str), Some("Acme Corp"));
    h.keys(&["S", "G"]);
    assert!(line_with(&h, "Health▼").contains("Health▼"));
    assert_eq!(listed(&h).last().map(String::as_str), Some("Acme Corp"));
    h.keys(&["g"]);
    assert_ne!(listed(&h).first().map(String::as_str), Some("Acme Corp"));
    // the filter: inside words, and short words still as prefixes
    h.keys(&["/"]);
    h.type_text("cme");
    assert_eq!(listed(&h), ["Acme Corp"], "{}", h.screen());
    h.keys(&["ctrl-u"]);
    h.type_text("ynamic");
    assert_eq!(listed(&h), ["Massive Dynamic"], "{}", h.screen());
    h.keys(&["ctrl-u"]);
    h.type_text("ac co");
    assert_eq!(listed(&h), ["Acme Corp"], "a short word is a word's start");
}

/// Three screens had three "last month" scores: the list's arrow compared the last two
/// months it had (October, when November was missing), the 360 recomputed one (`+0 since
/// 2026-11`), the movers needed both of the latest two months (and left the biggest drops
/// out) and listed `+0` rows. One definition now: the score shown against last month's.
/// And a month without a score is a gap in its own column of the sparkline.
#[test]
fn the_list_the_360_and_the_movers_share_one_change_since_last_month() {
    let (s, _) = book();
    let (this, id, now): (i64, String, i64) = common::sql(&s)
        .query_row(
            "SELECT (SELECT max(year * 12 + month - 1) FROM health_trends), id, health_score
             FROM customers WHERE name = 'Hooli'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the book's month");
    let last = this - 1;
    let (ly, lm) = (last / 12, last % 12 + 1);
    // last month Hooli was at 99.6 (shown 100); this month's trend row is missing, and one
    // from three months ago
    exec(
        &s,
        &format!(
            "DELETE FROM health_trends WHERE customer_id = '{id}' AND year * 12 + month - 1 IN ({this}, {})
             ; UPDATE health_trends SET overall_health_score = 99.6
               WHERE customer_id = '{id}' AND year * 12 + month - 1 = {last}",
            this - 3
        ),
    );
    let drop = now - 100;
    let options = Options {
        clock: may_31(),
        ..Options::for_store(&s, false)
    };
    let mut h = Headless::inline(s, options, 120, 40);
    let spark = h.customers().sparkline(&id).cloned().unwrap_or_default();
    assert_eq!(spark.len(), 12, "a slot per month");
    assert_eq!(spark[11], None, "this month: a gap in its own column");
    assert_eq!(spark[10], Some(99.6), "last month stays in its column");
    assert_eq!(spark[8], None);
    let row = line_with(&h, "Hooli");
    assert!(row.contains(&format!("{now} ▼")), "{row}");
    // the 360: the same change, against the same month
    let since = format!("{drop} since {ly:04}-{lm:02} (100)");
    h.keys(&["/"]);
    h.type_text("hooli");
    h.keys(&["enter", "enter"]);
    assert!(h.screen().contains(&since), "{since}:\n{}", h.screen());
    // the movers: Hooli's drop first, and nobody who did not move
    h.keys(&["esc", "esc", "2", "v"]);
    let movers = rows_under(&h, "Biggest movers");
    let movers: Vec<String> = movers
        .iter()
        .map(|m| m.rsplit('│').nth(1).unwrap_or_default().trim().to_owned())
        .filter(|m| !m.is_empty() && !m.starts_with("Customer"))
        .collect();
    assert!(
        movers
            .iter()
            .any(|m| m.starts_with("Hooli") && m.ends_with(&format!("100     {now}    {drop}"))),
        "{movers:?}"
    );
    let changes: Vec<i64> = movers
        .iter()
        .filter_map(|m| m.rsplit(' ').next().and_then(|d| d.parse::<i64>().ok()))
        .collect();
    assert!(
        changes.windows(2).all(|w| w[0].abs() >= w[1].abs()),
        "largest change first: {changes:?}"
    );
    assert!(
        movers.iter().all(|m| !m.contains(" +0")),
        "no +0 rows: {movers:?}"
    );
}

/// A clock at midday UTC on 2026-06-`day`.
fn june(day: u32) -> Clock {
    let utc = FixedOffset::east_opt(0).expect("UTC");
    Clock::Fixed(
        utc.with_ymd_and_hms(2026, 6, day, 12, 0, 0)
            .single()
            .expect("one instant"),
    )
}

/// An open deal action past its due date looked like any other: it says "overdue Nd" first,
/// in the error colour. Not yet due, done or cancelled, it says nothing.
#[test]
fn overdue_deal_actions_are_flagged() {
    let deals = |clock: Clock, sql: &str| {
        let (s, _) = book();
        exec(&s, sql);
        let options = Options {
            clock,
            ..Options::for_store(&s, false)
        };
        let mut h = Headless::inline(s, options, 120, 36);
        h.keys(&["3"]);
        h
    };
    // the book's actions: "Send pilot proposal", open, due 2026-06-10
    let h = deals(june(13), "");
    let line = line_with(&h, "Send pilot proposal");
    assert!(line.contains("[open] overdue 3d · Send pilot"), "{line}");
    assert_eq!(
        colour_of(&h, "Send pilot proposal", "overdue 3d"),
        Color::LightRed,
        "in the error style"
    );
    assert_ne!(
        colour_of(&h, "Send pilot proposal", "Send pilot"),
        Color::LightRed
    );
    // the day it is due, it is not late yet
    let h = deals(june(10), "");
    assert!(!h.screen().contains("overdue"), "{}", h.screen());
    for status in ["done", "cancelled"] {
        let h = deals(
            june(13),
            &format!("UPDATE deal_actions SET status = '{status}'"),
        );
        assert!(!h.screen().contains("overdue"), "{status}:\n{}", h.screen());
    }
    // still to do, a day late
    let h = deals(june(11), "UPDATE deal_actions SET status = 'in_progress'");
    assert!(
        line_with(&h, "Send pilot proposal").contains("[in progress] overdue 1d"),
        "{}",
        h.screen()
    );
}

/// At 80 columns the health chart left its legend out, and its six lines (overall and five
/// categories) could not be told apart. A compact legend under the plot names each one
/// beside a marker in its line's colour.
#[test]
fn the_health_chart_keeps_a_legend_at_80_columns() {
    let (s, _) = book();
    let options = Options {
        clock: may_31(),
        ..Options::for_store(&s, false)
    };
    let mut h = Headless::inline(s, options, 80, 24);
    h.keys(&["2"]);
    let screen = h.screen();
    let buf = h.terminal.backend().buffer();
    let mut named = Vec::new();
    for (y, line) in screen.lines().enumerate() {
        // the chart is the left panel: up to the explanation's border
        let chart: String = line.chars().take(44).collect();
        let cells: Vec<char> = chart.chars().collect();
        for (x, c) in cells.iter().enumerate() {
            if *c != '━' {
                continue;
            }
            let name: String = cells[x + 2..]
                .iter()
                .take_while(|c| !c.is_whitespace() && **c != '━' && **c != '│')
                .collect();
            named.push((name, buf[(x as u16, y as u16)].fg));
        }
    }
    let mut names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Adoption",
            "Business",
            "Product",
            "Relationship",
            "Support",
            "overall"
        ],
        "every series named under the plot:\n{screen}"
    );
    let mut colours: Vec<Color> = named.iter().map(|(_, c)| *c).collect();
    colours.sort_by_key(|c| format!("{c:?}"));
    colours.dedup();
    assert_eq!(colours.len(), 6, "each in its own colour: {named:?}");
}

/// `▲`, `▼`, `·` and a blank beside a score were explained nowhere: the customer list says
/// what they mean under the table, and the help has a section for every mark.
#[test]
fn the_trend_marks_are_explained_on_the_list_and_in_the_help() {
    let (s, _) = book();
    let options = Options {
        clock: may_31(),
        ..Options::for_store(&s, false)
    };
    let mut h = Headless::inline(s, options, 80, 24);
    let bottom = line_with(&h, "since last month");
    assert!(
        bottom.starts_with('└'),
        "on the table's bottom border: {bottom}"
    );
    assert!(
        bottom.contains("▲▼ since last month   · same   blank: no score last month"),
        "{bottom}"
    );
    h.keys(&["?", "G"]);
    let help = h.screen();
    assert!(help.contains("What the marks mean"), "{help}");
    for (mark, meaning) in [
        ("▲ ▼", "health up / down since last month's score"),
        ("·", "health the same as last month's"),
        ("(blank)", "no score last month to compare with"),
    ] {
        let line = line_with(&h, meaning);
        assert!(line.contains(mark), "{line}");
    }
}
