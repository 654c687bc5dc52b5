//! Two dashboards on one PostgreSQL book, each the real binary in a pseudo-terminal, as two
//! CSMs would run them: a call logged from the keyboard in one appears in the other without
//! a key pressed there (LISTEN/NOTIFY behind the dashboard's reload-on-change), both ways.
//! cscx connects as its `cscx_app` role and names who acts with --user, so the policies
//! decide what each sees. Skips without PostgreSQL, except under CI.

mod pg_support;
mod pty_support;

use std::path::Path;

use pty_support::Session;

fn dashboard(url: &str, email: &str, home: &Path) -> Session {
    let home = home.to_string_lossy().into_owned();
    pty_support::start(
        Path::new(url),
        &["--user", email],
        &[("HOME", &home), ("XDG_CONFIG_HOME", &home)],
        (40, 150),
    )
}

/// Logs a call with `who` for Acme Corp from the Calls tab, by keys.
fn log_call(s: &mut Session, who: &str) {
    s.send("4");
    s.wait_for("Call log");
    s.send("n");
    s.wait_for("Log a call");
    s.send("Acme");
    s.wait_for("Acme Corp  active");
    s.send("\r");
    // saving names what is missing and goes to it: the person called
    s.send("\x13");
    s.wait_for("Name: is required");
    s.send(who);
    s.send("\x13");
    s.wait_for(&format!("call with {who} (Acme Corp) logged"));
}

#[test]
fn two_dashboards_see_each_others_calls_live() {
    let Some(cluster) = pg_support::Cluster::start("two_dashboards_see_each_others_calls_live")
    else {
        return;
    };
    cluster.create_database("book");
    let owner = cluster.url("book");
    let demo = std::process::Command::new(env!("CARGO_BIN_EXE_cscx"))
        .args(["--db", &owner, "demo", "--no-open"])
        .output()
        .expect("run cscx demo");
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    cluster.sql("book", "CREATE ROLE cscx_console LOGIN IN ROLE cscx_app;");
    let app = cluster.url_as("book", "cscx_console");
    let home = cluster.scratch("home");

    let mut dana = dashboard(&app, "dana@northwind.test", &home);
    dana.wait_for("Dana Scully");
    let mut fox = dashboard(&app, "fox@northwind.test", &home);
    fox.wait_for("Fox Mulder");
    fox.send("4");
    fox.wait_for("Call log");

    log_call(&mut dana, "Ada Across");
    // on Fox's screen, with no key pressed there since
    fox.wait_for("Ada Across");

    log_call(&mut fox, "Bob Back");
    dana.wait_for("Bob Back");

    for s in [&mut dana, &mut fox] {
        s.send("q");
        assert!(s.wait_exit().success());
    }
}
