//! Key-driven tests of the call form (atuin's style: keys in, state and screen out): a whole
//! valid call typed and saved; invalid values field by field with the reason beside each;
//! a new loss reason from the form; Esc asks before discarding; edit and delete; the form
//! without a user. Then the database is asked what was written.

mod common;

mod entry_support;

use entry_support::*;

fn calls(h: &Headless) -> i64 {
    one(h, "SELECT count(*) FROM calls", "")
}

use cscx::tui::headless::Headless;

#[test]
fn a_whole_call_typed_from_the_keyboard_is_saved_with_who_logged_it() {
    let (mut h, book) = app();
    let before = calls(&h);
    h.keys(&["4", "n"]);
    assert_eq!(h.app.forms().len(), 1, "n opens the call form");
    assert!(h.screen().contains("Log a call"), "{}", h.screen());
    // customer: typing opens the picker; fuzzy "acmcrp" finds Acme Corp
    h.type_text("acmcrp");
    let picker = h.app.picker().expect("the customer picker");
    assert_eq!(
        picker.chosen().map(|c| c.label.as_str()),
        Some("Acme Corp"),
        "{:?}",
        picker.items.iter().map(|c| &c.label).collect::<Vec<_>>()
    );
    h.keys(&["enter"]);
    // stakeholder: enter lists the customer's people, primary first
    h.keys(&["enter"]);
    assert_eq!(
        h.app
            .picker()
            .and_then(|p| p.chosen())
            .map(|c| c.label.clone()),
        Some("Pat Primary".into())
    );
    h.keys(&["enter"]);
    let form = h.app.forms().last().expect("form");
    assert_eq!(
        form.slot("prospect_name").map(|s| s.text()),
        Some("Pat Primary")
    );
    assert_eq!(
        form.slot("prospect_email").map(|s| s.text()),
        Some("pat@example.test"),
        "the stakeholder's email is copied"
    );
    focus(&mut h, "call_type");
    h.keys(&["right"]); // outbound → inbound
    focus(&mut h, "outcome");
    h.type_text("w"); // jumps to won
    set(&mut h, "call_duration", "1h5m");
    set(&mut h, "scheduled_at", "yesterday 14:00");
    set(&mut h, "completed_at", "today 9:30");
    focus(&mut h, "notes");
    h.type_text("Renewal looks good");
    h.keys(&["enter"]);
    h.type_text("Send the quote");
    h.keys(&["ctrl-s"]);
    assert!(
        h.app.forms().is_empty(),
        "saved and closed: {:?}",
        h.app.status()
    );
    assert!(
        status(&h).starts_with("call with Pat Primary (Acme Corp) logged"),
        "{}",
        status(&h)
    );
    assert_eq!(calls(&h), before + 1);
    let row: (
        String,
        String,
        String,
        i64,
        String,
        String,
        String,
        String,
        String,
    ) = common::sql(store(&h))
        .query_row(
            "SELECT k.user_id, k.workspace_id, c.name, k.call_duration, k.call_type, k.outcome,
                    k.scheduled_at, k.completed_at, k.notes
             FROM calls k JOIN customers c ON c.id = k.customer_id
             ORDER BY k.rowid DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(row.0, book.dana, "calls.user_id is the acting user");
    assert_eq!(row.1, book.workspace);
    assert_eq!(row.2, "Acme Corp");
    assert_eq!(row.3, 3900);
    assert_eq!((row.4.as_str(), row.5.as_str()), ("inbound", "won"));
    // the fixed clock is UTC+2: wall-clock times are stored in UTC
    assert_eq!(row.6, "2026-05-31T12:00:00Z");
    assert_eq!(row.7, "2026-06-01T07:30:00Z");
    assert_eq!(row.8, "Renewal looks good\nSend the quote");
    let logged: i64 = one(
        &h,
        "SELECT count(*) FROM activity_log WHERE entity_type = 'calls' AND action = 'create' AND user_id = ?1",
        &book.dana,
    );
    assert_eq!(logged, 1, "activity_log records who logged it");
    let top = &h.calls().list().rows[0];
    assert_eq!(
        (top.customer_name.as_deref(), top.notes.as_deref()),
        (
            Some("Acme Corp"),
            Some("Renewal looks good\nSend the quote")
        ),
        "the call log shows the new call at once, on top"
    );
    assert!(
        h.screen()
            .contains("Acme Corp          Pat Primary      Dana Scully    inbound")
    );
}

#[test]
fn every_field_is_checked_as_you_leave_it_with_the_reason_beside_it() {
    let (mut h, _) = app();
    let before = calls(&h);
    h.keys(&["4", "n"]);
    // name: required
    focus(&mut h, "prospect_name");
    h.keys(&["tab"]);
    assert_eq!(message(&h, "prospect_name").as_deref(), Some("is required"));
    assert!(h.screen().contains("✗ is required"), "{}", h.screen());
    // duration: not a duration
    set(&mut h, "call_duration", "45 minutes");
    h.keys(&["tab"]);
    assert_eq!(
        message(&h, "call_duration").as_deref(),
        Some("is not a duration (e.g. 45m, 1h5m, 3900s, 1:05:00)")
    );
    assert!(h.screen().contains("✗ is not a duration"), "{}", h.screen());
    set(&mut h, "call_duration", "25h");
    h.keys(&["tab"]);
    assert_eq!(
        message(&h, "call_duration").as_deref(),
        Some("is longer than 24 hours")
    );
    // times
    set(&mut h, "scheduled_at", "next tuesday");
    h.keys(&["tab"]);
    assert!(
        message(&h, "scheduled_at").is_some_and(|m| m.starts_with("is not a time")),
        "{:?}",
        message(&h, "scheduled_at")
    );
    set(&mut h, "completed_at", "today 25:00");
    h.keys(&["tab"]);
    assert!(message(&h, "completed_at").is_some_and(|m| m.starts_with("is not a time")));
    // outcome lost without a loss reason: the store's rule, beside the loss reason
    focus(&mut h, "outcome");
    h.type_text("l");
    h.keys(&["tab"]);
    assert_eq!(
        message(&h, "loss_reason_id").as_deref(),
        Some("is required when the outcome is lost")
    );
    assert!(
        h.screen()
            .contains("✗ is required when the outcome is lost"),
        "{}",
        h.screen()
    );
    // saving refuses, and says why; nothing is written
    h.keys(&["ctrl-s"]);
    assert_eq!(h.app.forms().len(), 1);
    assert!(status(&h).starts_with("not saved:"), "{}", status(&h));
    assert_eq!(calls(&h), before);
    // fix each field: the reasons go away
    set(&mut h, "prospect_name", "Bill Lumbergh");
    set(&mut h, "call_duration", "1:05:00");
    set(&mut h, "scheduled_at", "2026-05-29 14:00");
    set(&mut h, "completed_at", "now");
    h.keys(&["tab"]);
    for key in [
        "prospect_name",
        "call_duration",
        "scheduled_at",
        "completed_at",
    ] {
        assert_eq!(message(&h, key), None, "{key}");
    }
    // a customer gives the workspace whose loss reasons the picker offers
    focus(&mut h, "customer_id");
    h.type_text("globex");
    h.keys(&["enter"]);
    focus(&mut h, "loss_reason_id");
    h.keys(&["enter"]);
    let reasons: Vec<String> = h
        .app
        .picker()
        .map(|p| p.items.iter().map(|c| c.label.clone()).collect())
        .unwrap_or_default();
    assert_eq!(reasons, ["Competitor", "No budget", "Price", "Timing"]);
    h.keys(&["esc"]);
    // + adds a new reason in a small form over the call's; it is chosen when saved
    h.keys(&["+"]);
    assert_eq!(h.app.forms().len(), 2);
    h.type_text("Budget freeze");
    h.keys(&["ctrl-s"]);
    assert_eq!(h.app.forms().len(), 1, "{:?}", h.app.status());
    let form = h.app.forms().last().expect("the call form");
    assert!(matches!(&form.slot("loss_reason_id").map(|s| &s.input),
            Some(cscx::tui::forms::input::Input::Reference { label, .. }) if label == "Budget freeze"));
    assert_eq!(message(&h, "loss_reason_id"), None);
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let (reason, duration): (String, i64) = common::sql(store(&h))
        .query_row(
            "SELECT lr.name, k.call_duration FROM calls k JOIN loss_reasons lr ON lr.id = k.loss_reason_id
             ORDER BY k.rowid DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((reason.as_str(), duration), ("Budget freeze", 3900));
}

#[test]
fn esc_asks_before_discarding_and_an_untouched_form_just_closes() {
    let (mut h, _) = app();
    let before = calls(&h);
    h.keys(&["4", "n", "esc"]);
    assert!(h.app.forms().is_empty(), "nothing typed: esc closes");
    h.keys(&["n"]);
    set(&mut h, "prospect_name", "Someone");
    h.keys(&["esc"]);
    assert!(h.app.confirm().is_some(), "typed something: esc asks");
    assert!(
        h.screen().contains("Discard your changes?"),
        "{}",
        h.screen()
    );
    h.keys(&["n"]);
    assert_eq!(h.app.forms().len(), 1, "no: back to the form, text kept");
    assert_eq!(
        h.app.forms()[0].slot("prospect_name").map(|s| s.text()),
        Some("Someone")
    );
    h.keys(&["esc", "y"]);
    assert!(h.app.forms().is_empty());
    assert_eq!(calls(&h), before);
}

#[test]
fn e_edits_the_selected_call_and_d_deletes_it_after_asking() {
    let (mut h, book) = app();
    h.keys(&["4"]);
    let first = h.calls().list().rows[0].clone();
    h.keys(&["e"]);
    let form = h.app.forms().last().expect("the edit form");
    assert_eq!(
        form.slot("prospect_name").map(|s| s.text()),
        Some("Pat Primary")
    );
    assert_eq!(
        form.slot("call_duration").map(|s| s.text()),
        Some(cscx::store::human::format_duration(first.duration.unwrap_or(0)).as_str()),
        "the stored seconds shown as a duration"
    );
    set(&mut h, "notes", "Moved to Q3");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let notes: String = one(&h, "SELECT notes FROM calls WHERE id = ?1", &first.id);
    assert_eq!(notes, "Moved to Q3");
    let logged: i64 = one(
        &h,
        &format!(
            "SELECT count(*) FROM activity_log WHERE entity_id = ?1 AND action = 'update' AND user_id = '{}'",
            book.dana
        ),
        &first.id,
    );
    assert_eq!(logged, 1);

    let before = calls(&h);
    let selected = h.calls().list().selected_row().expect("a call").id.clone();
    h.keys(&["d"]);
    assert!(
        h.screen().contains("Delete the call with"),
        "{}",
        h.screen()
    );
    h.keys(&["n"]);
    assert_eq!(calls(&h), before, "no: nothing deleted");
    h.keys(&["d", "y"]);
    assert_eq!(calls(&h), before - 1);
    let gone: i64 = one(&h, "SELECT count(*) FROM calls WHERE id = ?1", &selected);
    assert_eq!(gone, 0);
    h.keys(&["u"]);
    assert_eq!(calls(&h), before, "u brings it back");
    assert!(
        status(&h).starts_with("undone: deleted the call"),
        "{}",
        status(&h)
    );
    // U does again what u took back, and u takes that back too
    h.keys(&["U"]);
    assert_eq!(calls(&h), before - 1, "U deletes it again");
    assert!(
        status(&h).starts_with("redone: deleted the call"),
        "{}",
        status(&h)
    );
    h.keys(&["u"]);
    assert_eq!(calls(&h), before, "and u brings it back again");
    // a new edit: nothing left to redo
    h.keys(&["d", "y"]);
    h.keys(&["U"]);
    assert!(status(&h).starts_with("nothing to redo"), "{}", status(&h));
}

#[test]
fn without_a_user_the_dashboard_is_read_only_and_says_how_to_change_that() {
    let (mut h, _) = app_at(None, false);
    h.keys(&["4", "n"]);
    assert!(h.app.forms().is_empty());
    assert!(status(&h).contains("--user EMAIL"), "{}", status(&h));
    h.keys(&["5", "l", "a"]);
    assert!(status(&h).contains("read-only"), "{}", status(&h));
}

#[test]
fn call_form_with_an_error_beside_a_field() {
    let (mut h, _) = app();
    h.keys(&["4", "n"]);
    h.type_text("acme");
    h.keys(&["enter"]);
    set(&mut h, "prospect_name", "Bill Lumbergh");
    set(&mut h, "call_duration", "45 minutes");
    h.keys(&["tab"]);
    insta::assert_snapshot!(h.terminal.backend());
}

/// Every cell of the screen, with no control character anywhere.
fn assert_inert(h: &Headless) {
    for cell in h.terminal.backend().buffer().content() {
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
fn escape_sequences_in_the_data_stay_inert_in_forms_pickers_and_menus() {
    let (mut h, _) = app();
    h.keys(&["4", "n"]);
    h.type_text("evil");
    assert!(h.screen().contains("Evil␛[2J"), "{}", h.screen());
    assert_inert(&h);
    h.keys(&["enter"]);
    assert_inert(&h);
    h.keys(&["esc", "y", "1", "/"]);
    h.type_text("evil");
    h.keys(&["enter", "enter", "e"]);
    assert!(h.app.picker().is_some(), "the 360's edit menu");
    assert_inert(&h);
    h.type_text("account");
    h.keys(&["enter"]);
    assert!(h.screen().contains("Edit Evil␛[2J"), "{}", h.screen());
    assert_inert(&h);
}

#[test]
fn notes_use_the_width_of_the_form_while_no_reason_stands_beside_them() {
    let (mut h, _) = app();
    h.keys(&["4", "n"]);
    let sentence = "Renewal signed verbally; expansion to the EU plant next quarter";
    set(&mut h, "notes", sentence);
    // at 120 columns the form is wide enough for the whole sentence on one line (the value
    // column alone, two fifths of the form, would wrap it after "verbally;")
    assert!(
        h.screen().lines().any(|l| l.contains(sentence)),
        "{}",
        h.screen()
    );
}

#[test]
fn an_email_must_be_an_address_and_a_duration_neither_negative_nor_shown_short() {
    let (mut h, _) = app();
    h.keys(&["4", "n"]);
    h.type_text("acme");
    h.keys(&["enter"]);
    set(&mut h, "prospect_name", "Bill Lumbergh");
    set(&mut h, "prospect_email", "not-an-email");
    h.keys(&["tab"]);
    assert_eq!(
        message(&h, "prospect_email").as_deref(),
        Some("is not an email address (e.g. pat@example.com)")
    );
    set(&mut h, "call_duration", "-5m");
    h.keys(&["tab"]);
    assert_eq!(
        message(&h, "call_duration").as_deref(),
        Some("must not be negative")
    );
    set(&mut h, "prospect_email", "bill@initech.test");
    set(&mut h, "call_duration", "12:30");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let duration: i64 = one(
        &h,
        "SELECT call_duration FROM calls ORDER BY rowid DESC LIMIT 1",
        "",
    );
    assert_eq!(duration, 750);
    let row = h
        .screen()
        .lines()
        .find(|l| l.contains("Bill Lumbergh"))
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(
        row.contains("12m 30s"),
        "the list shows the seconds: {row:?}"
    );
}

#[test]
fn a_call_that_did_not_take_place_has_no_completion_time_and_none_precedes_its_slot() {
    let (mut h, _) = app();
    h.keys(&["4", "n"]);
    h.type_text("acme");
    h.keys(&["enter"]);
    set(&mut h, "prospect_name", "Bill Lumbergh");
    let completed = |h: &Headless| {
        h.app
            .forms()
            .last()
            .and_then(|f| f.slot("completed_at"))
            .map(|s| s.text().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(completed(&h), "2026-06-01 10:00", "a completed call: now");
    // completed before it was scheduled: the store's rule, beside the field
    set(&mut h, "scheduled_at", "today 11:00");
    h.keys(&["tab"]);
    assert_eq!(
        message(&h, "completed_at").as_deref(),
        Some("is before the call was scheduled (2026-06-01T09:00:00Z)")
    );
    h.keys(&["ctrl-s"]);
    assert_eq!(h.app.forms().len(), 1, "not saved: {}", status(&h));
    // a no-show never completed: the field empties, and the call is dated by its slot
    focus(&mut h, "status");
    h.type_text("n");
    assert_eq!(completed(&h), "", "a no-show was not completed");
    h.keys(&["right"]); // rescheduled
    assert_eq!(completed(&h), "");
    set(&mut h, "scheduled_at", "tomorrow 9:00");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    let (status, scheduled, done): (String, String, Option<String>) = common::sql(store(&h))
        .query_row(
            "SELECT status, scheduled_at, completed_at FROM calls ORDER BY rowid DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (status.as_str(), scheduled.as_str(), done),
        ("rescheduled", "2026-06-02T07:00:00Z", None)
    );
    let row = h
        .screen()
        .lines()
        .find(|l| l.contains("Bill Lumbergh"))
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(row.contains("2026-06-02"), "dated by its new slot: {row:?}");
    // and back to completed: now again
    h.keys(&["n"]);
    h.type_text("acme");
    h.keys(&["enter"]);
    focus(&mut h, "status");
    h.keys(&["right", "right", "right"]); // no-show, rescheduled, completed
    assert_eq!(completed(&h), "2026-06-01 10:00");
}

/// Another cscx's changes showed only after ctrl-r: the dashboard notices other processes'
/// commits (`PRAGMA data_version`, asked on every tick) and reads what is on screen again.
#[test]
fn another_process_commit_shows_on_the_next_tick() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book.db");
    let (mut h, book) = app_at(Some(&path), true);
    let acme = book.customers[0].clone();
    let row = |h: &cscx::tui::headless::Headless| {
        h.screen()
            .lines()
            .find(|l| l.contains("Acme Corp"))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    h.app.on_tick();
    h.settle();
    h.draw();
    assert!(!row(&h).contains("$250k"), "{}", row(&h));
    // another process: its own connection, its own commit
    let other = rusqlite::Connection::open(&path).expect("another connection");
    other
        .execute(
            "UPDATE customers SET arr_cents = 25000000 WHERE id = ?1",
            [&acme],
        )
        .expect("their write");
    h.app.on_tick();
    h.settle();
    h.draw();
    assert!(row(&h).contains("$250k"), "seen within a tick: {}", row(&h));
}

/// After logging a call, the call log's cursor is on it (it stayed where it was).
#[test]
fn the_call_log_puts_its_cursor_on_a_call_just_logged() {
    let (mut h, _) = app();
    h.keys(&["4", "j", "j", "j", "n"]);
    h.type_text("acme");
    h.keys(&["enter"]);
    set(&mut h, "prospect_name", "Bill Lumbergh");
    h.keys(&["ctrl-s"]);
    assert!(h.app.forms().is_empty(), "{:?}", h.app.status());
    assert_eq!(
        h.calls()
            .list()
            .selected_row()
            .map(|r| r.prospect_name.as_str()),
        Some("Bill Lumbergh")
    );
}
