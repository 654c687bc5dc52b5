//! The command line as a whole, through the real binary: what every command does when the
//! reader of its stdout goes away early (`cscx schema | head`).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn cscx(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(common::cscx_bin());
    // no config file of whoever runs the tests (its `user` would change what --mine does)
    let home = db.parent().unwrap_or(db);
    c.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("CSCX_USER")
        .env_remove("CSCX_WORKSPACE")
        .env("XDG_CONFIG_HOME", home)
        .env("HOME", home)
        .stdin(Stdio::null());
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A demo database (the sample data), built with stdout read as usual.
fn demo_db() -> common::TempDb {
    let db = common::temp_db();
    let o = cscx(&db.path, &["demo", "--no-open"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

/// Runs the command with stdout on a pipe whose read end is closed before the command
/// writes anything, so that its first write fails whatever the timing (a reader that reads
/// a little first, like `head`, would race with outputs smaller than a pipe's buffer).
fn with_stdout_closed(mut command: Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_and_successfully() {
    let db = demo_db();
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("loss_reasons.csv");
    std::fs::write(&calls, "name,workspace_id\nSeasonality,Northwind CS\n").unwrap();
    let out = dir.path().join("out");
    let other = dir.path().join("other.db");
    let commands: Vec<Vec<&str>> = vec![
        vec!["schema"],
        vec!["explain", "Acme"],
        vec!["explain", "Acme", "--json"],
        vec!["recompute", "--check"],
        vec!["recompute"],
        vec!["import", calls.to_str().unwrap(), "--dry-run"],
        vec!["import", calls.to_str().unwrap()],
        vec![
            "export",
            "--table",
            "customers",
            "--out",
            out.to_str().unwrap(),
        ],
    ];
    for args in &commands {
        let o = with_stdout_closed(cscx(&db.path, args));
        assert_eq!(
            (o.status.code(), stderr(&o).as_str()),
            (Some(0), ""),
            "cscx {args:?}"
        );
    }
    // the commands that make a database
    for args in [
        vec!["demo", "--no-open"],
        vec!["generate", "--customers", "1"],
    ] {
        let _ = std::fs::remove_file(&other);
        let o = with_stdout_closed(cscx(&other, &args));
        assert_eq!(
            (o.status.code(), stderr(&o).as_str()),
            (Some(0), ""),
            "cscx {args:?}"
        );
    }
}

#[test]
fn a_check_that_found_drift_still_fails_when_its_reader_goes_away() {
    let db = demo_db();
    // a score that is not what a recompute gives
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE customers SET health_score = 3 WHERE name = 'Acme Corp'",
        [],
    )
    .unwrap();
    drop(conn);
    let o = with_stdout_closed(cscx(&db.path, &["recompute", "--check"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

fn help(args: &[&str]) -> String {
    let o = Command::new(common::cscx_bin())
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(o.status.success(), "cscx {args:?} --help: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const DASHBOARD_OPTIONS: [&str; 3] = ["--mine", "--no-mouse", "--theme"];

#[test]
fn dashboard_options_are_in_the_help_of_the_dashboard_commands_only() {
    for args in [&[][..], &["demo"]] {
        let text = help(args);
        for option in DASHBOARD_OPTIONS {
            assert!(text.contains(option), "cscx {args:?} --help lacks {option}");
        }
        assert!(text.contains("Dashboard options:"), "{text}");
    }
    // bench ui times the dashboard as --mine shows it; it has no colours or mouse to time
    let text = help(&["bench", "ui"]);
    assert!(text.contains("--mine"), "{text}");
    for args in [
        &["import"][..],
        &["export"],
        &["schema"],
        &["generate"],
        &["recompute"],
        &["explain"],
        &["bench"],
        &["bench", "health"],
        &["bench", "import"],
    ] {
        let text = help(args);
        for option in DASHBOARD_OPTIONS {
            assert!(
                !text.contains(option),
                "cscx {args:?} --help lists {option}"
            );
        }
        // the options every command shares are still there
        for option in ["--db", "--user", "--workspace"] {
            assert!(text.contains(option), "cscx {args:?} --help lacks {option}");
        }
    }
    let text = help(&["bench", "ui"]);
    for option in ["--no-mouse", "--theme"] {
        assert!(!text.contains(option), "bench ui --help lists {option}");
    }
}

#[test]
fn dashboard_options_work_where_they_mean_something() {
    let db = demo_db();
    // before or after `demo`, as before
    for args in [
        &["--mine", "--theme", "light", "demo", "--no-open", "--force"][..],
        &[
            "demo",
            "--no-open",
            "--force",
            "--mine",
            "--no-mouse",
            "--theme",
            "dark",
        ],
    ] {
        let o = cscx(&db.path, args).output().unwrap();
        assert!(o.status.success(), "cscx {args:?}: {}", stderr(&o));
    }
    // `cscx --mine` reaches the dashboard, which asks who "me" is (7 users, no --user)
    let o = cscx(&db.path, &["--mine"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--mine needs to know who you are"),
        "{}",
        stderr(&o)
    );
    // and so does bench ui's
    let o = cscx(&db.path, &["bench", "ui", "--mine", "--samples", "1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--mine needs to know who you are"),
        "{}",
        stderr(&o)
    );
    // after another command they are unknown options (exit 2)...
    let o = cscx(&db.path, &["schema", "--theme", "light"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("'--theme'"), "{}", stderr(&o));
    // ...and before it, as an alias (`alias cscx='cscx --theme light'`) puts them, accepted
    // and left to the dashboard
    let o = cscx(&db.path, &["--theme", "light", "recompute", "--check"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}
