//! `cscx explain` and `cscx recompute [--check]`, run as the real binary.

mod common;
mod health_world;

use std::process::{Command, Output};

use cscx::health::Explanation;
use cscx::store::{self, Store};
use health_world::*;

fn cscx(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cscx"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("CSCX_USER")
        .env_remove("CSCX_WORKSPACE")
        .output()
        .expect("run cscx")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The worked example's Acme (as Initech), scored as of its fixed date.
fn acme_db() -> (common::TempDb, common::Fixture) {
    let db = common::temp_db();
    let mut s = store::open(&db.path).expect("open");
    s.set_today(Some(today()));
    let f = common::fixture(&mut s);
    build_acme(
        &mut s,
        &Acme {
            customer: f.customer.clone(),
            workspace: f.workspace.clone(),
            user: f.user.clone(),
            session: f.session.clone(),
        },
    );
    (db, f)
}

/// Parses the component table of `cscx explain`: (contributions, score).
fn contributions(text: &str) -> (Vec<f64>, f64) {
    let mut lines = text.lines().skip_while(|l| !l.starts_with("component"));
    lines.next();
    let mut found = Vec::new();
    for line in lines.by_ref() {
        if line.trim_start().starts_with("-----") {
            break;
        }
        let last = line.split_whitespace().last().expect("a contribution");
        found.push(last.parse::<f64>().expect("a number"));
    }
    let score_line = lines.next().expect("the score line");
    assert!(score_line.starts_with("score"), "{score_line}");
    let score = score_line
        .split_whitespace()
        .last()
        .and_then(|s| s.parse().ok())
        .expect("score");
    (found, score)
}

#[test]
fn explain_prints_contributions_that_add_up_to_the_score() {
    let (db, _) = acme_db();
    let out = cscx(&db.path, &["explain", "init"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("Initech: health 60 (yellow), score 60.3 as of 2026-11-21"),
        "{text}"
    );
    let (parts, score) = contributions(&text);
    assert_eq!(parts, vec![38.8, 10.0, 11.5]);
    let tenths: i64 = parts.iter().map(|p| (p * 10.0).round() as i64).sum();
    assert_eq!(tenths, (score * 10.0).round() as i64, "{text}");
    assert!(
        text.contains("previous: 49.9 at the end of 2026-10, +10.4 since"),
        "{text}"
    );
    assert!(text.contains("NPS: risk → healthy (24.0 → 51.0)"), "{text}");
    assert!(
        text.contains("Business Outcomes has no valid KPI: left out"),
        "{text}"
    );

    // --json is the explanation itself
    let out = cscx(&db.path, &["explain", "Initech", "--json"]);
    assert!(out.status.success());
    let e: Explanation = serde_json::from_slice(&out.stdout).expect("json");
    let sum: i64 = e
        .components
        .iter()
        .map(|c| (c.contribution * 10.0).round() as i64)
        .sum();
    assert_eq!(Some(sum), e.score.map(|s| (s * 10.0).round() as i64));
}

#[test]
fn explain_refuses_an_unknown_or_ambiguous_customer() {
    let (db, f) = acme_db();
    let mut s = store::open(&db.path).unwrap();
    s.write(|w| {
        w.create(&store::entities::Customer {
            workspace_id: f.workspace.clone(),
            name: "Initrode".into(),
            ..Default::default()
        })
    })
    .unwrap();
    let out = cscx(&db.path, &["explain", "Init"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("matches several customers"), "{err}");
    let out = cscx(&db.path, &["explain", "Nobody"]);
    assert_eq!(out.status.code(), Some(1));
    // a customer with nothing to score says so
    let out = cscx(&db.path, &["explain", "Initrode"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).starts_with("Initrode: no health score"),
        "{}",
        stdout(&out)
    );
}

/// A database scored as of the real date (the binary's clock).
fn current_db() -> (common::TempDb, common::Fixture, Store) {
    let db = common::temp_db();
    let mut s = store::open(&db.path).expect("open");
    let f = common::fixture(&mut s);
    let today = s.today();
    s.write(|w| {
        insert_message(w, &f.session, today)?;
        let m = insert_module(w, "Basics")?;
        insert_progress(w, &f.customer, None, &m, 80)?;
        insert_call(w, &f.workspace, &f.user, &f.customer, "completed", today)
    })
    .unwrap();
    (db, f, s)
}

#[test]
fn recompute_check_finds_drift_and_recompute_repairs_it() {
    let (db, f, s) = current_db();
    let today = s.today();
    let out = cscx(&db.path, &["recompute", "--check"]);
    if s.today() != today {
        return; // the date changed under the test: nothing to conclude
    }
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("health is current"));

    // tamper with stored health behind the store's back
    common::sql(&s)
        .execute(
            "UPDATE customers SET health_score = 3 WHERE id = ?1",
            [&f.customer],
        )
        .unwrap();
    common::sql(&s)
        .execute(
            "UPDATE customers SET open_approvals = 7 WHERE id = ?1",
            [&f.other_customer],
        )
        .unwrap();
    let out = cscx(&db.path, &["recompute", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("Initech"), "{text}");
    assert!(
        text.contains("customers.health_score: stored 3, computed 50"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}: renewal_date or open_approvals",
            f.other_customer
        )),
        "{text}"
    );
    assert!(
        text.contains("1 customer(s) with stale health, 1 with stale derived columns"),
        "{text}"
    );

    // --customer narrows the check
    let out = cscx(
        &db.path,
        &["recompute", "--check", "--customer", "Umbrella"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let out = cscx(&db.path, &["recompute"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.contains("Initech: 3 → 50"), "{text}");
    assert!(
        text.contains(
            "recomputed 2 customer(s): 1 score(s) moved, derived columns of 1 customer(s) corrected"
        ),
        "{text}"
    );
    let out = cscx(&db.path, &["recompute", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn explain_on_a_generated_customer_adds_up_and_generate_leaves_no_drift() {
    let db = common::temp_db();
    let out = cscx(&db.path, &["generate", "--customers", "30", "--seed", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cscx(&db.path, &["recompute", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let s = store::open(&db.path).expect("open");
    let scored: Vec<String> = common::sql(&s)
        .prepare("SELECT id FROM customers WHERE health_score IS NOT NULL ORDER BY rowid LIMIT 5")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!scored.is_empty(), "generate gives customers a score");
    for id in scored {
        let out = cscx(&db.path, &["explain", &id]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = stdout(&out);
        let (parts, score) = contributions(&text);
        assert_eq!(parts.len(), 3, "{text}");
        let tenths: i64 = parts.iter().map(|p| (p * 10.0).round() as i64).sum();
        assert_eq!(tenths, (score * 10.0).round() as i64, "{text}");
        let stored: i64 = common::sql(&s)
            .query_row(
                "SELECT health_score FROM customers WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            text.contains(&format!(": health {stored} (")),
            "the explained score is the stored one ({stored}):\n{text}"
        );
    }
}
