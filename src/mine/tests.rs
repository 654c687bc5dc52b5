use super::*;

type Log<'a> = &'a [(&'a str, &'a str, i64)];
/// (case, cycle seconds, first of its variant) of each case handed back.
type Cases = Vec<(String, i64, bool)>;

fn mine(config: Config, log: Log<'_>) -> Result<(Mined, Cases), MineError> {
    let mut miner = Miner::new(config);
    let mut cases = Vec::new();
    let mut done = |c: FinishedCase<'_>| -> Result<(), MineError> {
        cases.push((c.case_id.to_owned(), c.cycle_seconds(), c.new_variant));
        Ok(())
    };
    for (case, activity, at) in log {
        miner.push(case, activity, *at, &mut done)?;
    }
    let mined = miner.finish(&mut done)?;
    Ok((mined, cases))
}

const ORDERS: Log<'static> = &[
    ("a", "Create", 0),
    ("a", "Approve", 3600),
    ("a", "Pay", 7200),
    ("b", "Create", 0),
    ("b", "Approve", 7200),
    ("b", "Pay", 10800),
    ("c", "Create", 0),
    ("c", "Check", 3600),
    ("c", "Approve", 90000),
    ("c", "Pay", 93600),
    ("d", "Create", 0),
    ("d", "Reject", 600),
];

#[test]
fn variants_cycle_times_and_the_happy_path_by_hand() {
    let config = Config {
        bottlenecks: 10,
        ..Config::default()
    };
    let (mined, cases) = mine(config, ORDERS).unwrap();
    assert_eq!((mined.events, mined.cases), (12, 4));
    assert_eq!(
        cases,
        [
            ("a".to_owned(), 7200, true),
            ("b".to_owned(), 10800, false),
            ("c".to_owned(), 93600, true),
            ("d".to_owned(), 600, true)
        ]
    );
    let v = &mined.variants[0];
    assert_eq!(v.activities, ["Create", "Approve", "Pay"]);
    assert_eq!((v.frequency, v.avg_cycle(), v.happy), (2, 9000.0, true));
    assert_eq!(mined.success.as_deref(), Some("Pay"));
    assert_eq!(mined.variants.iter().filter(|v| v.happy).count(), 1);
    let tops: Vec<(&str, &str, f64)> = mined
        .bottlenecks
        .iter()
        .map(|b| (b.from.as_str(), b.to.as_str(), b.mean_wait))
        .collect();
    assert_eq!(
        tops,
        [
            ("Check", "Approve", 86400.0),
            ("Create", "Approve", 5400.0),
            ("Approve", "Pay", 3600.0),
            ("Create", "Check", 3600.0),
            ("Create", "Reject", 600.0)
        ]
    );
}

#[test]
fn milestones_count_other_activities_once_between_them() {
    let config = Config {
        milestone_prefix: Some("stage:".into()),
        success: Some("stage:renewal".into()),
        failure: Some("stage:churned".into()),
        bottlenecks: 3,
    };
    let log: Log<'_> = &[
        ("x", "stage:onboarding", 0),
        ("x", "call", 10),
        ("x", "meeting", 20),
        ("x", "call", 30),
        ("x", "stage:renewal", 40),
        ("x", "call", 50),
        ("y", "stage:onboarding", 0),
        ("y", "stage:renewal", 5),
        ("y", "stage:churned", 9),
    ];
    let (mined, _) = mine(config, log).unwrap();
    let x = mined
        .variants
        .iter()
        .find(|v| v.activities.len() == 5)
        .unwrap();
    assert_eq!(
        x.activities,
        [
            "stage:onboarding",
            "call",
            "meeting",
            "stage:renewal",
            "call"
        ]
    );
    // the collapsed call still ends nothing early: the cycle runs to the last event
    assert_eq!(x.total_cycle, 50);
    assert!(x.happy && x.successful);
    let y = mined
        .variants
        .iter()
        .find(|v| v.frequency == 1 && !v.happy)
        .unwrap();
    assert!(!y.successful, "churned after renewal is not a success");
}

#[test]
fn events_out_of_time_order_are_refused() {
    let log: Log<'_> = &[("a", "Create", 100), ("a", "Pay", 50)];
    let err = mine(Config::default(), log).unwrap_err();
    assert!(
        matches!(err, MineError::OutOfOrder { ref case, .. } if case == "a"),
        "{err}"
    );
}

#[test]
fn effects_by_hand() {
    let (mined, _) = mine(Config::default(), ORDERS).unwrap();
    let rows: Vec<(&str, Option<f64>, Option<f64>)> = mined
        .effects
        .iter()
        .map(|e| (e.activity.as_str(), e.difference, e.lift))
        .collect();
    assert_eq!(
        rows,
        [
            ("Check", Some(87400.0), Some(0.0)),
            ("Approve", Some(36600.0), Some(0.0)),
            ("Pay", Some(36600.0), Some(0.0)),
            ("Reject", Some(-36600.0), None),
            ("Create", None, None)
        ]
    );
}

#[test]
fn hashes_and_derived_ids_are_stable() {
    assert_eq!(variant_hash(&["a", "b"]), variant_hash(&["a", "b"]));
    assert_ne!(variant_hash(&["ab"]), variant_hash(&["a", "b"]));
    let id = derived_id(&["job", "explainability", "1"]);
    assert_eq!(id, derived_id(&["job", "explainability", "1"]));
    assert!(crate::store::ids::is_canonical_uuid(&id), "{id}");
}

#[test]
fn progress_follows_the_happy_path_in_order() {
    let happy = ["stage:onboarding", "call", "stage:active", "stage:renewal"];
    assert_eq!(
        progress(
            &happy,
            &["stage:onboarding", "meeting", "call", "stage:active"]
        ),
        [true, true, true, false]
    );
    // a call before onboarding does not count for the call after it
    assert_eq!(
        progress(&happy, &["call", "stage:onboarding", "stage:active"]),
        [true, false, true, false]
    );
    assert_eq!(progress(&happy, &[]), [false; 4]);
}
