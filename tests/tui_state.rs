//! Key-driven state tests (atuin's style): keys go in, the app's state and screen come out.
//! Navigation, sort, filter as you type, paging, tabs, the account 360, help, resize.

mod tui_support;

use cscx::store;
use cscx::store::read::customers::Sort;
use cscx::tui::app::Options;
use cscx::tui::headless::Headless;

fn app(width: u16, height: u16) -> Headless {
    let mut s = store::open_in_memory().expect("store");
    tui_support::build(&mut s);
    Headless::inline(
        s,
        Options {
            mouse: true,
            ..Options::default()
        },
        width,
        height,
    )
}

fn names(h: &Headless) -> Vec<String> {
    h.customers()
        .list()
        .rows
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

#[test]
fn opens_on_the_first_page_sorted_by_name_with_a_count() {
    let h = app(100, 24);
    let c = h.customers();
    assert_eq!(c.list().rows.len(), 24 - 5, "one page fills the table");
    assert_eq!(c.matching(), Some(40));
    assert_eq!(names(&h)[0], "Acme Corp");
    assert!(h.screen().contains("1 of 40"), "{}", h.screen());
}

#[test]
fn moving_down_past_the_window_pages_by_keyset_and_back() {
    let mut h = app(100, 24);
    let page = h.customers().list().rows.len();
    for _ in 0..page {
        h.keys(&["j"]);
    }
    let c = &h.customers().list();
    assert_eq!(c.position(), Some(page as i64 + 1));
    assert_eq!(
        c.selected,
        page - 1,
        "the selection stays on the last row, the window moved"
    );
    assert_eq!(c.offset, Some(1));
    h.keys(&["ctrl-d"]);
    assert_eq!(h.customers().list().offset, Some(1 + page as i64));
    h.keys(&["G"]);
    let c = &h.customers().list();
    assert!(c.at_end);
    assert_eq!(c.position(), Some(40), "G selects the last customer");
    assert!(h.screen().contains("40 of 40"));
    h.keys(&["g"]);
    assert_eq!(h.customers().list().position(), Some(1));
    assert_eq!(names(&h)[0], "Acme Corp");
    h.keys(&["k"]);
    assert_eq!(
        h.customers().list().position(),
        Some(1),
        "up at the top stays"
    );
    h.keys(&["ctrl-d", "ctrl-u"]);
    assert_eq!(h.customers().list().offset, Some(0));
}

#[test]
fn every_column_sorts_both_ways() {
    let mut h = app(100, 24);
    for _ in 0..7 {
        h.keys(&["s"]);
        let sort = h.customers().query().sort;
        let rows = h.customers().list().rows.clone();
        let descending = h.customers().query().descending;
        let key = |r: &cscx::store::read::customers::Row| -> String {
            match sort {
                Sort::Name => r.name.to_lowercase(),
                Sort::Arr => format!("{:015}", r.arr_cents.unwrap_or(-1)),
                // the lifecycle's order, then the name
                Sort::Stage => format!(
                    "{}{}",
                    cscx::store::enums::CustomerStage::TEXTS
                        .iter()
                        .position(|s| *s == r.stage)
                        .unwrap_or(7),
                    r.name.to_lowercase()
                ),
                // unscored last both ways
                Sort::Health => format!(
                    "{:04}",
                    r.health_score.unwrap_or(if descending { -1 } else { 101 })
                ),
                Sort::Csm => r
                    .csm_name
                    .clone()
                    .map(|n| n.to_lowercase())
                    .unwrap_or("~".into()),
                Sort::Renewal => r.renewal_date.clone().unwrap_or("9999".into()),
                Sort::OpenApprovals => format!("{:05}", r.open_approvals),
            }
        };
        let keys: Vec<String> = rows.iter().map(key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        if descending {
            sorted.reverse();
        }
        assert_eq!(keys, sorted, "sorted by {sort:?} descending={descending}");
        h.keys(&["S"]);
        assert_eq!(h.customers().query().descending, !descending);
    }
    assert_eq!(
        h.customers().query().sort,
        Sort::Name,
        "s cycles back to name"
    );
}

#[test]
fn csm_sort_is_alphabetical_by_name_not_by_id() {
    let mut h = app(100, 50);
    while h.customers().query().sort != Sort::Csm {
        h.keys(&["s"]);
    }
    let csms: Vec<Option<String>> = h
        .customers()
        .list()
        .rows
        .iter()
        .map(|r| r.csm_name.clone())
        .collect();
    assert_eq!(csms.first().cloned().flatten().as_deref(), Some("Abe Zed"));
    assert_eq!(
        csms.last().cloned().flatten(),
        None,
        "customers without a CSM come last"
    );
}

#[test]
fn filter_as_you_type_narrows_the_list_and_esc_clears_it() {
    let mut h = app(100, 24);
    h.keys(&["/"]);
    assert!(h.customers().is_typing());
    h.type_text("cor");
    assert_eq!(h.customers().query().search, "cor");
    let found = names(&h);
    assert!(
        found.contains(&"Acme Corp".to_owned()) && found.contains(&"Tyrell Corp".to_owned()),
        "{found:?}"
    );
    assert!(
        found.iter().all(|n| n.to_lowercase().contains("cor")),
        "{found:?}"
    );
    assert_eq!(h.customers().matching(), Some(found.len() as i64));
    assert!(
        h.screen()
            .contains(&format!("1 of {} (of 40)", found.len())),
        "{}",
        h.screen()
    );
    h.keys(&["backspace", "backspace", "backspace"]);
    assert_eq!(h.customers().matching(), Some(40));
    h.type_text("zzz");
    assert!(h.customers().list().rows.is_empty());
    assert!(h.screen().contains("no customer matches"));
    h.keys(&["enter"]);
    assert!(
        !h.customers().is_typing(),
        "enter keeps the filter and gives the keys back"
    );
    assert_eq!(h.customers().query().search, "zzz");
    h.keys(&["esc"]);
    assert_eq!(h.customers().query().search, "");
    assert_eq!(h.customers().list().rows.len(), 19);
}

#[test]
fn q_typed_into_the_filter_is_text_not_quit() {
    let mut h = app(100, 24);
    h.keys(&["/"]);
    h.type_text("q");
    assert!(!h.app.wants_quit());
    h.keys(&["esc", "q"]);
    assert!(h.app.wants_quit());
}

#[test]
fn tabs_cycle_with_tab_shift_tab_and_numbers() {
    let mut h = app(100, 30);
    h.keys(&["tab"]);
    assert_eq!(h.app.tab_title(), "Health trends");
    h.keys(&["tab", "tab", "tab", "tab"]);
    assert_eq!(h.app.tab_title(), "Today");
    // Tables opens on its table list, a prompt: tab still goes on
    h.keys(&["tab"]);
    assert_eq!(h.app.tab_title(), "Tables");
    h.keys(&["tab"]);
    assert_eq!(h.app.tab_title(), "Journeys");
    h.keys(&["tab"]);
    assert_eq!(h.app.tab_title(), "Customers");
    h.keys(&["shift-tab"]);
    assert_eq!(h.app.tab_title(), "Journeys");
    h.keys(&["shift-tab"]);
    assert_eq!(h.app.tab_title(), "Tables");
    h.keys(&["shift-tab"]);
    assert_eq!(h.app.tab_title(), "Today");
    h.keys(&["shift-tab"]);
    assert_eq!(h.app.tab_title(), "Agent sessions");
    h.keys(&["3"]);
    assert_eq!(h.app.tab_title(), "Deals");
    assert!(h.deals().pipeline().is_some() && !h.deals().list().rows.is_empty());
    h.keys(&["l"]);
    assert_eq!(h.deals().stage().as_str(), "qualification");
    assert!(
        h.deals().detail().is_some(),
        "the selected deal's notes load"
    );
    h.keys(&["4"]);
    assert!(h.calls().stats().is_some_and(|s| s.total == 120));
    h.keys(&["o"]);
    let s = h.calls().stats().expect("stats");
    assert_eq!(s.total, 40, "outcome won");
    assert!(
        h.calls()
            .list()
            .rows
            .iter()
            .all(|c| c.outcome.as_deref() == Some("won"))
    );
    h.keys(&["c", "5"]);
    assert_eq!(h.sessions().pending(), Some(10));
    assert!(h.sessions().thread().is_some_and(|(_, m)| m.len() == 3));
}

#[test]
fn enter_opens_the_account_360_and_esc_returns() {
    let mut h = app(120, 40);
    h.keys(&["enter"]);
    let view = h.app.account().expect("open");
    let (acc, exp) = view.data().expect("loaded");
    assert_eq!(acc.header.name, "Acme Corp");
    assert_eq!(acc.stakeholders.len(), 2);
    assert!(exp.as_ref().is_some_and(|e| e.categories.len() == 5));
    // the 360 scrolls (j) when its sections do not fit: look at every screenful
    let mut screen = h.screen();
    for _ in 0..40 {
        h.keys(&["j"]);
        screen.push_str(&h.screen());
    }
    for section in [
        "Stakeholders",
        "Contracts",
        "Recent calls",
        "Insights",
        "Open approvals",
        "Deals",
        "why this score",
    ] {
        assert!(screen.contains(section), "{section} missing:\n{screen}");
    }
    h.keys(&["esc"]);
    assert!(h.app.account().is_none());
}

#[test]
fn help_lists_every_binding_and_closes() {
    let mut h = app(100, 60);
    h.keys(&["?"]);
    let screen = h.screen();
    assert!(
        screen.contains("filter by name as you type") && screen.contains("ctrl-d"),
        "{screen}"
    );
    h.keys(&["j"]);
    assert_eq!(h.app.help(), Some(1), "keys scroll the help, not the list");
    h.keys(&["esc"]);
    assert!(h.app.help().is_none());
}

#[test]
fn resize_refills_the_page_and_small_screens_say_so() {
    let mut h = app(100, 24);
    h.resize(100, 40);
    assert_eq!(h.customers().list().rows.len(), 35);
    h.resize(40, 10);
    assert!(h.screen().contains("at least 60×15"), "{}", h.screen());
    h.resize(80, 24);
    assert_eq!(h.customers().list().rows.len(), 19);
    assert!(h.screen().contains("Acme Corp"));
}

#[test]
fn health_tab_follows_the_selected_customer_and_shows_the_portfolio() {
    let mut h = app(120, 40);
    h.keys(&["j", "2"]);
    let t = h.health().trends().expect("trends");
    assert_eq!(
        t.customer_id,
        h.customers().selected_id().unwrap_or_default()
    );
    assert_eq!(t.months.len(), 12);
    assert_eq!(t.kpis.len(), 3);
    h.keys(&["v"]);
    let p = h.health().portfolio().expect("portfolio");
    assert_eq!(
        p.bands.red + p.bands.yellow + p.bands.green + p.bands.unscored,
        40
    );
    assert!(!p.movers.is_empty());
    h.keys(&["enter"]);
    assert!(
        h.app.account().is_some(),
        "enter on a mover opens its account"
    );
}

#[test]
fn mouse_wheel_scrolls_and_a_click_switches_tab() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut h = app(100, 24);
    let ev = |kind, column, row| MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    h.app.on_mouse(ev(MouseEventKind::ScrollDown, 10, 5));
    assert_eq!(h.customers().list().selected, 1);
    h.app
        .on_mouse(ev(MouseEventKind::Down(MouseButton::Left), 10, 6));
    assert_eq!(
        h.customers().list().selected,
        3,
        "row 6 is the fourth data row: tabs, border, header above"
    );
    let (_, rect) = &cscx::tui::layout::Layout::new(h.app.size())
        .tab_labels(&h.app.titles(), h.app.identity_room())[3];
    h.app
        .on_mouse(ev(MouseEventKind::Down(MouseButton::Left), rect.x + 1, 0));
    assert_eq!(h.app.tab_title(), "Calls");
}
