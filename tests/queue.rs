//! The work queue (Today) on the sample data, as of 2026-12-04, against a real SQLite file:
//! what is due for whom, renewals, drops, and the writes (complete, snooze, hand over, add)
//! with the access policy deciding; then the screen itself, driven by keys.

mod common;

use chrono::NaiveDate;
use cscx::store::Store;
use cscx::store::read::queue;
use cscx::store::tasks::{self, NewTask, Source};
use cscx::tui::app::Options;
use cscx::tui::clock::Clock;
use cscx::tui::headless::Headless;
use cscx::tui::queue::QueueScreen;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).expect("a day")
}

fn titles(s: &Store, mine: bool) -> Vec<String> {
    let r = s.reader(false).expect("reader");
    queue::due(&r, mine, 0, 50)
        .expect("due")
        .0
        .into_iter()
        .map(|i| i.title)
        .collect()
}

fn task_id(s: &Store, title: &str) -> String {
    common::sql(s)
        .query_row("SELECT id FROM tasks WHERE title = ?1", [title], |r| {
            r.get(0)
        })
        .expect("the task")
}

#[test]
fn due_lists_overdue_and_today_but_not_later_snoozed_or_done() {
    let (_db, s) = common::sample_as("dana@northwind.test");
    let due = titles(&s, false);
    // overdue tasks of the workspace, Dana's and Fox's
    assert!(due.contains(&"Send the QBR deck".to_owned()), "{due:?}");
    assert!(due.contains(&"Confirm the renewal contacts".to_owned()));
    // an overdue deal action
    assert!(due.contains(&"Demo to IT".to_owned()), "{due:?}");
    // due on the 10th, snoozed to the 8th, done: not today's
    for later in [
        "Follow up on the support escalation",
        "Check in after the release",
        "Share the training plan",
    ] {
        assert!(!due.contains(&later.to_owned()), "{later} in {due:?}");
    }
    // most overdue first
    let r = s.reader(false).expect("reader");
    let (items, total) = queue::due(&r, false, 0, 50).expect("due");
    assert_eq!(total as usize, items.len());
    let days: Vec<i64> = items
        .iter()
        .filter_map(|i| i.overdue_days(today()))
        .collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
}

#[test]
fn mine_is_only_my_own_items() {
    let (_db, s) = common::sample_as("dana@northwind.test");
    let mine = titles(&s, true);
    assert!(mine.contains(&"Confirm the renewal contacts".to_owned()));
    assert!(!mine.contains(&"Send the QBR deck".to_owned()), "{mine:?}");
}

#[test]
fn renewals_are_the_next_90_days_soonest_first() {
    let (_db, s) = common::sample_as("dana@northwind.test");
    let r = s.reader(false).expect("reader");
    let (rows, total) = queue::renewals(&r, false, 90, 50).expect("renewals");
    assert!(!rows.is_empty());
    assert_eq!(total as usize, rows.len());
    assert!(rows.iter().all(|x| (0..=90).contains(&x.days)), "{rows:?}");
    assert!(rows.windows(2).all(|w| w[0].days <= w[1].days));
    assert!(rows.iter().any(|x| x.name == "Initech" && x.window() == 30));
}

#[test]
fn completing_snoozing_and_handing_over_go_through_the_policy() {
    let (_db, mut s) = common::sample_as("dana@northwind.test");
    let mine = task_id(&s, "Confirm the renewal contacts");
    let foxs = task_id(&s, "Send the QBR deck");

    // Fox's task is Fox's: a CSM may not close it, and the refusal names the rule
    let refused = s
        .write(|w| tasks::complete(w, Source::Task, &foxs))
        .expect_err("refused");
    assert!(
        refused
            .to_string()
            .contains("only their own calls, notes, sessions and tasks"),
        "{refused}"
    );

    // my own: snoozed out of today, back when the day comes
    s.write(|w| tasks::snooze(w, Source::Task, &mine, today() + chrono::Duration::days(1)))
        .expect("snooze");
    assert!(!titles(&s, false).contains(&"Confirm the renewal contacts".to_owned()));
    s.set_today(Some(today() + chrono::Duration::days(1)));
    assert!(titles(&s, false).contains(&"Confirm the renewal contacts".to_owned()));
    s.set_today(Some(today()));

    // handed to Fox: allowed (it was mine), and then it is his
    let fox: String = common::sql(&s)
        .query_row(
            "SELECT id FROM users WHERE email = 'fox@northwind.test'",
            [],
            |r| r.get(0),
        )
        .expect("fox");
    s.write(|w| tasks::reassign(w, Source::Task, &mine, &fox))
        .expect("hand over");
    assert!(
        s.write(|w| tasks::complete(w, Source::Task, &mine))
            .is_err(),
        "no longer mine"
    );
}

#[test]
fn a_new_task_is_mine_and_due_and_its_completion_is_logged() {
    let (_db, mut s) = common::sample_as("dana@northwind.test");
    let umbrella: String = common::sql(&s)
        .query_row(
            "SELECT id FROM customers WHERE name = 'Umbrella Health'",
            [],
            |r| r.get(0),
        )
        .expect("Umbrella");
    let written = s
        .write(|w| {
            tasks::add(
                w,
                &NewTask {
                    customer_id: umbrella.clone(),
                    title: "  Call the CFO  ".into(),
                    due_date: Some(today()),
                    ..NewTask::default()
                },
            )
        })
        .expect("add");
    let id = written.value;
    assert!(titles(&s, true).contains(&"Call the CFO".to_owned()));
    s.write(|w| tasks::complete(w, Source::Task, &id))
        .expect("complete");
    assert!(!titles(&s, true).contains(&"Call the CFO".to_owned()));
    let (status, done_at, logged): (String, Option<String>, i64) = common::sql(&s)
        .query_row(
            "SELECT status, completed_at,
                    (SELECT count(*) FROM activity_log WHERE entity_type = 'tasks' AND entity_id = t.id)
             FROM tasks t WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the task");
    assert_eq!(status, "done");
    assert!(done_at.is_some());
    assert_eq!(logged, 2, "created and completed, each logged");

    let empty = s.write(|w| {
        tasks::add(
            w,
            &NewTask {
                customer_id: umbrella.clone(),
                title: "   ".into(),
                ..NewTask::default()
            },
        )
    });
    assert!(empty.is_err(), "a task must say something");
}

#[test]
fn an_insight_action_cannot_be_snoozed_or_handed_over() {
    let (_db, mut s) = common::sample_as("dana@northwind.test");
    let r = s.reader(false).expect("reader");
    let insight = queue::due(&r, false, 0, 50)
        .expect("due")
        .0
        .into_iter()
        .find(|i| i.source == Source::InsightAction)
        .expect("an urgent insight action in the sample");
    drop(r);
    let e = s
        .write(|w| tasks::snooze(w, Source::InsightAction, &insight.id, today()))
        .expect_err("no date");
    assert!(e.to_string().contains("no date to snooze"), "{e}");
    s.write(|w| tasks::complete(w, Source::InsightAction, &insight.id))
        .expect("complete");
    assert!(!titles(&s, false).contains(&insight.title));
}

// ---- the screen --------------------------------------------------------------------------

fn dashboard_as_dana() -> (common::TempDb, Headless) {
    dashboard_sized("dana@northwind.test", 30)
}

fn queue_of(h: &Headless) -> &QueueScreen {
    h.tab::<QueueScreen>()
}

#[test]
fn today_shows_the_queue_and_x_completes_the_selected_item() {
    let (_db, mut h) = dashboard_as_dana();
    h.keys(&["6"]);
    insta::assert_snapshot!("today_tab", h.terminal.backend());
    let before = queue_of(&h).queue().expect("loaded").due.len();
    // Fox's task first? Dana may not close it: pick one of hers
    let hers = queue_of(&h)
        .queue()
        .expect("loaded")
        .due
        .iter()
        .position(|i| i.owner_name.as_deref() == Some("Dana Scully"))
        .expect("one of Dana's");
    for _ in 0..hers {
        h.keys(&["j"]);
    }
    let item = queue_of(&h).selected_item().expect("selected").clone();
    h.keys(&["x"]);
    let after = queue_of(&h).queue().expect("loaded");
    assert_eq!(after.due.len(), before - 1, "{:?}", after.due);
    assert!(after.due.iter().all(|i| i.id != item.id));
    assert!(
        h.screen().contains(&format!("done: {}", item.title)),
        "{}",
        h.screen()
    );
    // u takes it back
    h.keys(&["u"]);
    assert!(
        queue_of(&h)
            .queue()
            .expect("loaded")
            .due
            .iter()
            .any(|i| i.id == item.id)
    );
}

#[test]
fn today_refuses_what_the_policy_refuses_and_says_why() {
    let (_db, mut h) = dashboard_as_dana();
    h.keys(&["6"]);
    let foxs = queue_of(&h)
        .queue()
        .expect("loaded")
        .due
        .iter()
        .position(|i| i.owner_name.as_deref() == Some("Fox Mulder") && i.source == Source::Task)
        .expect("one of Fox's tasks");
    for _ in 0..foxs {
        h.keys(&["j"]);
    }
    h.keys(&["z"]);
    assert!(
        h.screen()
            .contains("only their own calls, notes, sessions and tasks"),
        "{}",
        h.screen()
    );
}

#[test]
fn a_adds_a_task_on_the_selected_customer_and_enter_opens_it() {
    let (_db, mut h) = dashboard_as_dana();
    h.keys(&["6", "l"]);
    // the renewals pane: the first renewal's customer
    let customer = queue_of(&h).queue().expect("loaded").renewals[0]
        .name
        .clone();
    h.keys(&["a"]);
    h.type_text("Prepare the renewal deck");
    h.keys(&["ctrl-s"]);
    assert!(
        h.screen().contains(&format!(
            "task \"Prepare the renewal deck\" on {customer} added"
        )),
        "{}",
        h.screen()
    );
    h.keys(&["h"]);
    assert!(
        queue_of(&h)
            .queue()
            .expect("loaded")
            .due
            .iter()
            .any(|i| i.title == "Prepare the renewal deck" && i.customer_name == customer)
    );
    h.keys(&["l", "enter"]);
    assert!(
        h.screen().contains(&format!("{customer} · account 360")),
        "{}",
        h.screen()
    );
}

fn dashboard_as(email: &str) -> (common::TempDb, Headless) {
    dashboard_sized(email, 40)
}

/// The dashboard on the sample, acting as `email`, at 9:00 on the day of the tests.
fn dashboard_sized(email: &str, height: u16) -> (common::TempDb, Headless) {
    let (db, s) = common::sample_as(email);
    let utc = chrono::FixedOffset::east_opt(0).expect("UTC");
    let options = Options {
        clock: Clock::Fixed(
            chrono::TimeZone::with_ymd_and_hms(&utc, 2026, 12, 4, 9, 0, 0)
                .single()
                .expect("one instant"),
        ),
        ..Options::for_store(&s, false)
    };
    (db, Headless::inline(s, options, 120, height))
}

/// Puts the due pane's selection on the first item `pick` accepts; false if there is none.
fn select(h: &mut Headless, pick: impl Fn(&queue::Item) -> bool) -> bool {
    let Some(i) = queue_of(h)
        .queue()
        .expect("loaded")
        .due
        .iter()
        .position(pick)
    else {
        return false;
    };
    h.keys(&["g"]);
    for _ in 0..i {
        h.keys(&["j"]);
    }
    true
}

#[test]
fn v_looks_ahead_and_finishing_every_step_writes_the_report_seen_in_the_360() {
    // the sample's import opened the renewal risk playbook for Vandelay (health 28, red)
    let (_db, mut h) = dashboard_as("walter@northwind.test");
    h.keys(&["6"]);
    let is_step = |i: &queue::Item| {
        i.customer_name == "Vandelay Industries"
            && i.playbook
                .as_deref()
                .is_some_and(|p| p.ends_with("Renewal risk"))
    };
    let today: Vec<String> = queue_of(&h)
        .queue()
        .expect("loaded")
        .due
        .iter()
        .filter(|i| is_step(i))
        .map(|i| i.title.clone())
        .collect();
    assert_eq!(
        today,
        ["Review the health drivers and recent usage"],
        "only step 1 is due today"
    );
    h.keys(&["v"]);
    assert_eq!(queue_of(&h).ahead(), 7);
    assert!(
        h.screen().contains("Due this week and overdue"),
        "{}",
        h.screen()
    );
    h.keys(&["v"]);
    assert_eq!(queue_of(&h).ahead(), 30);
    let steps = queue_of(&h)
        .queue()
        .expect("loaded")
        .due
        .iter()
        .filter(|i| is_step(i))
        .count();
    assert_eq!(steps, 4, "every step within 30 days");
    assert!(h.screen().contains("in 10d"), "{}", h.screen());
    while select(&mut h, is_step) {
        h.keys(&["x"]);
    }
    // the 360 shows the playbook done, with its report
    assert!(select(&mut h, |i| i.customer_name == "Vandelay Industries"));
    h.keys(&["enter", "G"]);
    let screen = h.screen();
    assert!(
        screen.contains("Renewal risk · completed · step 4/4"),
        "{screen}"
    );
    assert!(screen.contains("report: 4/4 steps"), "{screen}");
    // and its timeline says who did it
    assert!(screen.contains("Timeline ("), "{screen}");
    assert!(
        screen.contains("Walter Skinner · changed task:"),
        "{screen}"
    );
    assert!(
        screen.contains("Walter Skinner · playbook completed"),
        "{screen}"
    );
}
