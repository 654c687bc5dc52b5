//! Key-driven tests of account edits: stage, ARR, CSM and renewal; stakeholders added and
//! edited (one primary per account); a deal's stage, a note and an action's status; an
//! insight's status; a meeting logged. Same form machinery, same rules as import.

mod common;

mod entry_support;

use entry_support::*;

#[test]
fn e_on_a_customer_edits_stage_arr_csm_and_renewal() {
    let (mut h, book) = app();
    let acme = book.customers[0].clone();
    h.keys(&["e"]);
    let form = h.app.forms().last().expect("the account form");
    assert_eq!(form.title, "Edit Acme Corp");
    assert_eq!(
        form.slot("stage").and_then(|s| s.input.choice_text()),
        Some("prospect")
    );
    // ARR: money as people write it, checked by store::fields
    set(&mut h, "arr_cents", "12.345");
    h.keys(&["tab"]);
    assert_eq!(
        message(&h, "arr_cents").as_deref(),
        Some("has more than two decimals")
    );
    set(&mut h, "arr_cents", "$1,250,000.50");
    focus(&mut h, "stage");
    h.keys(&["right", "right"]);
    focus(&mut h, "csm_id");
    h.type_text("fox");
    h.keys(&["enter"]);
    set(&mut h, "renewal", "2026-02-30");
    h.keys(&["tab"]);
    assert!(message(&h, "renewal").is_some_and(|m| m.starts_with("is not a date")));
    set(&mut h, "renewal", "2026-06-03");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    assert_eq!(status(&h), "Acme Corp saved");
    let (stage, arr, csm, renewal): (String, i64, String, String) = common::sql(store(&h))
        .query_row(
            "SELECT c.stage, c.arr_cents, u.name, c.renewal_date FROM customers c
             JOIN users u ON u.id = c.csm_id WHERE c.id = ?1",
            [&acme],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (stage.as_str(), arr, csm.as_str(), renewal.as_str()),
        ("active", 125_000_050, "Fox Mulder", "2026-06-03"),
        "renewal_date follows the contract's end date"
    );
    assert!(h.screen().contains("Fox Mulder"), "{}", h.screen());
}

#[test]
fn the_account_menu_adds_a_primary_stakeholder_and_the_old_one_steps_down() {
    let (mut h, book) = app();
    let acme = book.customers[0].clone();
    h.keys(&["enter", "e"]);
    let menu: Vec<String> = h
        .app
        .picker()
        .map(|p| p.items.iter().map(|c| c.label.clone()).collect())
        .unwrap_or_default();
    assert!(
        menu.contains(&"Stakeholder: Pat Primary".to_owned()),
        "{menu:?}"
    );
    assert!(menu.iter().any(|m| m.starts_with("Insight: ")), "{menu:?}");
    assert!(menu.iter().any(|m| m.starts_with("Deal: ")), "{menu:?}");
    h.type_text("new stake");
    h.keys(&["enter"]);
    assert_eq!(
        h.app.forms().last().map(|f| f.title.as_str()),
        Some("New stakeholder at Acme Corp")
    );
    h.keys(&["tab"]);
    assert_eq!(message(&h, "name").as_deref(), Some("is required"));
    set(&mut h, "name", "Quinn Champion");
    set(&mut h, "email", "quinn@acme.test");
    focus(&mut h, "is_primary");
    h.keys(&["space"]);
    focus(&mut h, "sentiment");
    h.type_text("p");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let primaries: Vec<String> = common::sql(store(&h))
        .prepare("SELECT name FROM stakeholders WHERE customer_id = ?1 AND is_primary = 1")
        .unwrap()
        .query_map([&acme], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(primaries, ["Quinn Champion"], "one primary per account");
    assert!(
        h.screen().contains("★ Quinn Champion"),
        "the 360 shows it:\n{}",
        h.screen()
    );

    // edit an existing one: Sam's sentiment
    h.keys(&["e"]);
    h.type_text("sam");
    h.keys(&["enter"]);
    focus(&mut h, "sentiment");
    h.type_text("p");
    h.keys(&["ctrl-s"]);
    let sentiment: String = one(
        &h,
        "SELECT sentiment FROM stakeholders WHERE customer_id = ?1 AND name = 'Sam Second'",
        &acme,
    );
    assert_eq!(sentiment, "positive");
}

#[test]
fn e_on_a_deal_changes_its_stage_adds_a_note_and_moves_an_action() {
    let (mut h, book) = app();
    h.keys(&["3"]);
    let deal = h.deals().list().rows[0].clone();
    h.keys(&["e"]);
    let form = h.app.forms().last().expect("the deal form");
    assert_eq!(form.slots.len(), 3, "stage, note, one action");
    focus(&mut h, "stage");
    h.keys(&["right"]);
    focus(&mut h, "note");
    h.type_text("Pilot agreed");
    h.keys(&["tab", "right"]); // the action: open → in progress
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let stage: String = one(&h, "SELECT stage FROM deals WHERE id = ?1", &deal.id);
    assert_eq!(stage, "qualification");
    let note: String = one(
        &h,
        &format!(
            "SELECT note_txt FROM deal_notes WHERE deal_id = ?1 AND user_id = '{}'
             ORDER BY rowid DESC LIMIT 1",
            book.dana
        ),
        &deal.id,
    );
    assert_eq!(note, "Pilot agreed");
    let action: String = one(
        &h,
        "SELECT status FROM deal_actions WHERE deal_id = ?1",
        &deal.id,
    );
    assert_eq!(action, "in_progress");
}

#[test]
fn an_insight_status_from_the_menu_and_a_meeting_logged_with_m() {
    let (mut h, book) = app();
    let acme = book.customers[0].clone();
    h.keys(&["enter", "e"]);
    h.type_text("insight");
    h.keys(&["enter"]);
    focus(&mut h, "status");
    h.type_text("r");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let status_: String = one(
        &h,
        "SELECT status FROM insights WHERE customer_id = ?1",
        &acme,
    );
    assert_eq!(status_, "resolved");

    h.keys(&["m"]);
    assert_eq!(
        h.app.forms().last().map(|f| f.title.as_str()),
        Some("Log a meeting")
    );
    h.type_text("Renewal kickoff");
    set(&mut h, "duration", "1h5m");
    set(&mut h, "scheduled_at", "yesterday 15:00");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let (duration, when): (i64, String) = common::sql(store(&h))
        .query_row(
            "SELECT duration, scheduled_at FROM meetings WHERE title = 'Renewal kickoff' AND customer_id = ?1",
            [&acme],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (duration, when.as_str()),
        (65, "2026-05-31T13:00:00Z"),
        "minutes, UTC"
    );
}

#[test]
fn a_choice_list_opens_on_the_value_it_holds_so_enter_twice_changes_nothing() {
    let (mut h, book) = app();
    let acme = book.customers[0].clone();
    h.keys(&["e"]);
    focus(&mut h, "stage");
    h.type_text("a"); // jumps to the first stage starting with a: active
    h.type_text("a"); // then at risk
    let chosen = |h: &cscx::tui::headless::Headless| {
        h.app
            .forms()
            .last()
            .and_then(|f| f.slot("stage"))
            .and_then(|s| s.input.choice_text())
    };
    assert_eq!(chosen(&h), Some("at_risk"));
    h.keys(&["enter"]);
    assert!(
        h.screen().contains("at risk"),
        "the list is open:\n{}",
        h.screen()
    );
    assert_eq!(
        h.app
            .picker()
            .and_then(|p| p.chosen())
            .map(|c| c.id.as_str()),
        Some("at_risk"),
        "the list opens on the current stage"
    );
    h.keys(&["enter", "ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let stage: String = one(&h, "SELECT stage FROM customers WHERE id = ?1", &acme);
    assert_eq!(stage, "at_risk");

    // a deal action moved to done stays done through enter, enter
    h.keys(&["3"]);
    let deal = h.deals().list().rows[0].clone();
    h.keys(&["e"]);
    focus(&mut h, "stage");
    h.keys(&["tab", "tab", "right", "right"]); // the action: open → in progress → done
    h.keys(&["enter", "enter", "ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let action: String = one(
        &h,
        "SELECT status FROM deal_actions WHERE deal_id = ?1",
        &deal.id,
    );
    assert_eq!(action, "done");
}
