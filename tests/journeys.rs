//! The Journeys tab on the sample data after `cscx mine`: the variants by frequency with
//! their cycle times and the happy path marked, the bottlenecks, and where the customer
//! selected on Customers stands — driven by keys at 80 columns. And the keyset paging of the
//! variants it reads.

mod common;

use cscx::store::Store;
use cscx::store::mine::{MineOptions, Source};
use cscx::store::read::journeys;
use cscx::tui::app::Options;
use cscx::tui::clock::Clock;
use cscx::tui::headless::Headless;
use cscx::tui::journeys::JourneysScreen;
use rusqlite::types::Value;

fn mine_journeys(s: &mut Store) {
    // what the import wrote at the wall clock's time (rows without their own: the sample's
    // accounts, the playbooks its import fired) is pinned, so the cycle times do not move
    let conn = common::sql(s);
    for (table, column) in [
        ("customers", "created_at"),
        ("playbook_executions", "started_at"),
        ("playbook_executions", "created_at"),
        ("meetings", "created_at"),
        ("calls", "created_at"),
        ("approvals", "created_at"),
        ("tasks", "completed_at"),
        ("activity_log", "created_at"),
    ] {
        conn.execute(
            &format!(
                "UPDATE {table} SET {column} = '2026-12-04T08:00:00Z' WHERE {column} > '2026-12-04'"
            ),
            [],
        )
        .expect("pinned");
    }
    drop(conn);
    let opts = MineOptions {
        source: Source::Journey,
        analysis: None,
        success: None,
        failure: None,
        bottlenecks: 3,
    };
    s.write(|w| w.mine(&opts)).expect("mine");
    // the job's times are the wall clock's: the snapshot shows a fixed one
    common::sql(s)
        .execute(
            "UPDATE analysis_jobs SET finished_at = '2026-12-04T08:30:00Z' WHERE status = 'succeeded'",
            [],
        )
        .expect("fixed time");
}

fn dashboard(s: Store) -> Headless {
    let utc = chrono::FixedOffset::east_opt(0).expect("UTC");
    let options = Options {
        clock: Clock::Fixed(
            chrono::TimeZone::with_ymd_and_hms(&utc, 2026, 12, 4, 9, 0, 0)
                .single()
                .expect("one instant"),
        ),
        ..Options::for_store(&s, false)
    };
    Headless::inline(s, options, 80, 32)
}

fn journeys_of(h: &Headless) -> &JourneysScreen {
    h.tab::<JourneysScreen>()
}

#[test]
fn before_mining_the_tab_says_how_to_mine() {
    let (_db, s) = common::sample_as("dana@northwind.test");
    let mut h = dashboard(s);
    // Journeys is the last tab: shift-tab from the first reaches it
    h.keys(&["1", "shift-tab"]);
    let screen = h.screen();
    assert!(
        screen.contains("No customer journey has been mined yet"),
        "{screen}"
    );
    assert!(journeys_of(&h).loaded().expect("read").analysis.is_none());
}

#[test]
fn journeys_show_variants_the_happy_path_and_where_the_customer_is() {
    let (_db, mut s) = common::sample_as("dana@northwind.test");
    mine_journeys(&mut s);
    let mut h = dashboard(s);
    h.keys(&["1", "shift-tab"]);
    insta::assert_snapshot!("journeys_80", h.terminal.backend());

    let loaded = journeys_of(&h).loaded().expect("read").clone();
    let analysis = loaded.analysis.as_ref().expect("a journey analysis");
    // by frequency, most first, and the counts add up to the cases
    let freqs: Vec<i64> = loaded.variants.iter().map(|v| v.frequency).collect();
    assert!(freqs.windows(2).all(|p| p[0] >= p[1]), "{freqs:?}");
    assert_eq!(freqs.iter().sum::<i64>(), analysis.cases);
    // the happy path is marked, and it is the most frequent variant reaching renewal
    let happy = loaded
        .variants
        .iter()
        .find(|v| v.happy)
        .expect("a happy path");
    assert!(
        happy.activities.contains(&"stage:renewal".to_owned()),
        "{happy:?}"
    );
    assert!(
        loaded
            .variants
            .iter()
            .filter(|v| v.activities.contains(&"stage:renewal".to_owned())
                && !v.activities.contains(&"stage:churned".to_owned()))
            .all(|v| v.frequency <= happy.frequency)
    );
    assert_eq!(loaded.happy, happy.activities);
    // the first customer of the list is the one shown on the journey
    let journey = loaded
        .journey
        .as_ref()
        .expect("the selected customer's journey");
    let screen = h.screen();
    assert!(screen.contains(&journey.name), "{screen}");
    assert!(screen.contains("Bottlenecks and why"), "{screen}");
    let done = cscx::mine::progress(&loaded.happy, &journey.activities);
    assert_eq!(
        screen.matches("[x]").count(),
        done.iter().filter(|d| **d).count(),
        "{screen}"
    );
    // eight tabs (or seven) fit the bar at 80 columns: the last one's number is on it
    let bar = screen.lines().next().unwrap_or_default().to_owned();
    assert!(
        bar.contains("Journeys") && bar.contains("1 Customers"),
        "{bar}"
    );

    // j moves down the variants; enter opens the customer's account
    if loaded.variants.len() > 1 {
        h.keys(&["j"]);
        assert_eq!(journeys_of(&h).selected(), 1);
    }
    h.keys(&["enter"]);
    let screen = h.screen();
    assert!(
        screen.contains("Account 360") || screen.contains(&journey.name),
        "{screen}"
    );
}

/// 150 variants of different frequencies (case i of variant k: ["start", "step k"]), paged
/// seven at a time: every variant exactly once, by frequency then id.
#[test]
fn variants_page_by_keyset_each_exactly_once_in_order() {
    let (_db, mut s) = common::file_store();
    let fx = common::fixture(&mut s);
    s.write(|w| {
        let job = w.insert_row(
            "analysis_jobs",
            vec![("workspace_id".into(), Value::Text(fx.workspace.clone()))],
        )?;
        let job = job[0].1.clone();
        for k in 0..150 {
            // frequencies 1..=5 repeat: many ties, broken by the variant id
            for c in 0..(k % 5 + 1) {
                for (activity, at) in [
                    ("start", "2026-01-01T00:00:00Z"),
                    (&*format!("step {k}"), "2026-01-02T00:00:00Z"),
                ] {
                    w.insert_row(
                        "events",
                        vec![
                            ("workspace_id".into(), Value::Text(fx.workspace.clone())),
                            ("analysis_id".into(), job.clone()),
                            ("global_case_id".into(), Value::Text(format!("c{k}-{c}"))),
                            ("system".into(), Value::Text("erp".into())),
                            ("activity".into(), Value::Text(activity.into())),
                            ("timestamp".into(), Value::Text(at.into())),
                        ],
                    )?;
                }
            }
        }
        Ok(())
    })
    .expect("log");
    let opts = MineOptions {
        source: Source::Events,
        analysis: None,
        success: None,
        failure: None,
        bottlenecks: 1,
    };
    let job = s
        .write(|w| w.mine(&opts))
        .expect("mine")
        .value
        .remove(0)
        .job_id;
    let r = s.reader(false).expect("reader");
    let mut seen: Vec<(i64, String)> = Vec::new();
    loop {
        let after = seen.last().map(|(f, id)| (*f, id.as_str()));
        let page = journeys::variants(&r, &job, after, 7).expect("page");
        if page.is_empty() {
            break;
        }
        seen.extend(page.into_iter().map(|v| (v.frequency, v.variant_id)));
    }
    assert_eq!(seen.len(), 150);
    let mut expected = seen.clone();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    expected.dedup();
    assert_eq!(seen, expected, "in order, none twice");
    assert_eq!(seen[0].0, 5);
}
