//! `kill -9` at random points of an import, a recompute and a generate: afterwards the
//! database is never corrupt (`PRAGMA integrity_check`), an import is all or nothing, and
//! stored health equals a recompute (`recompute --check`). The kill points come from a fixed
//! seed, and the number of kills is fixed, so the run is reproducible and bounded (about
//! half a minute on two cores).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;

const KILLS_PER_OPERATION: usize = 4;
const IMPORT_ROWS: usize = 20_000;

fn cscx(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cscx"));
    c.env_remove("CSCX_DB")
        .env_remove("CSCX_USER")
        .env_remove("CSCX_WORKSPACE")
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn ok(o: Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// xorshift64*: the kill points, the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

fn count(db: &Path, table: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn assert_sound(db: &Path, what: &str) {
    let conn = Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "{what}");
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0, "{what}: broken references");
    drop(conn);
    let check = cscx(db).args(["recompute", "--check"]).output().unwrap();
    ok(check, &format!("{what}: recompute --check"));
}

/// How many kills landed before the process finished on its own.
static INTERRUPTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs `command` to the end (timing it) or kills it after `kill_after`.
fn run_or_kill(mut command: Command, kill_after: Option<Duration>) -> Duration {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    match kill_after {
        None => {
            let status = child.wait().unwrap();
            assert!(status.success(), "{command:?}");
        }
        Some(after) => {
            while started.elapsed() < after {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            // SIGKILL, as kill -9 (a no-op if it already finished)
            if child.try_wait().unwrap().is_none() {
                INTERRUPTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
    started.elapsed()
}

fn calls_file(dir: &Path, db: &Path) -> PathBuf {
    let conn = Connection::open(db).unwrap();
    let customer: String = conn
        .query_row("SELECT id FROM customers ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let user: String = conn
        .query_row("SELECT id FROM users ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let path = dir.join("calls.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record([
        "customer_id",
        "user_id",
        "prospect_name",
        "call_type",
        "status",
        "outcome",
        "notes",
        "call_duration",
        "scheduled_at",
        "completed_at",
    ])
    .unwrap();
    for i in 0..IMPORT_ROWS {
        w.write_record([
            customer.as_str(),
            &user,
            "Pat Doe",
            "outbound",
            "completed",
            "won",
            &format!("call {i}"),
            "600",
            "2026-11-01T10:00:00Z",
            "2026-11-01T10:10:00Z",
        ])
        .unwrap();
    }
    w.flush().unwrap();
    path
}

#[test]
fn kills_at_random_points_never_corrupt_or_half_write() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.db");
    let generate = |db: &Path, customers: &str| {
        let mut c = cscx(db);
        // as of today: `recompute --check` measures health from today
        c.args(["generate", "--customers", customers, "--force"]);
        c
    };
    run_or_kill(generate(&book, "100"), None);
    let calls = calls_file(dir.path(), &book);
    let import = || {
        let mut c = cscx(&book);
        c.args(["import"]).arg(&calls).args(["--table", "calls"]);
        c
    };
    let recompute = || {
        let mut c = cscx(&book);
        c.arg("recompute");
        c
    };
    let stale = || {
        Connection::open(&book)
            .unwrap()
            .execute("UPDATE customers SET health_score = NULL", [])
            .unwrap();
    };
    // how long each takes uninterrupted: the kill points fall inside that
    let calls_before = count(&book, "calls");
    let import_time = run_or_kill(import(), None);
    assert_eq!(count(&book, "calls"), calls_before + IMPORT_ROWS as i64);
    stale();
    let recompute_time = run_or_kill(recompute(), None);
    assert_sound(&book, "after a whole recompute");
    let generated = dir.path().join("generated.db");
    let generate_time = run_or_kill(generate(&generated, "60"), None);
    let generated_customers = count(&generated, "customers");

    let mut rng = Rng(0x5EED_CA5C);
    let mut survived = 0;
    let point = |rng: &mut Rng, whole: Duration| {
        Duration::from_millis(rng.below(whole.as_millis() as u64 + 1))
    };
    for round in 0..KILLS_PER_OPERATION {
        let before = count(&book, "calls");
        let at = point(&mut rng, import_time);
        run_or_kill(import(), Some(at));
        let after = count(&book, "calls");
        assert!(
            after == before || after == before + IMPORT_ROWS as i64,
            "import killed at {at:?}: {after} calls, from {before}: half an import"
        );
        assert_sound(&book, &format!("import killed at {at:?} (round {round})"));
        survived += 1;

        stale();
        let customers = count(&book, "customers");
        let at = point(&mut rng, recompute_time);
        run_or_kill(recompute(), Some(at));
        assert_eq!(count(&book, "customers"), customers);
        // what a killed recompute left is finished by the next one
        run_or_kill(recompute(), None);
        assert_sound(
            &book,
            &format!("recompute killed at {at:?} (round {round})"),
        );
        survived += 1;

        let at = point(&mut rng, generate_time);
        run_or_kill(generate(&generated, "60"), Some(at));
        // the old file or the new one, never a part of either
        assert_eq!(
            count(&generated, "customers"),
            generated_customers,
            "generate killed at {at:?}"
        );
        assert_sound(
            &generated,
            &format!("generate killed at {at:?} (round {round})"),
        );
        survived += 1;
    }
    assert_eq!(survived, 3 * KILLS_PER_OPERATION);
    let interrupted = INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("{survived} kills survived, {interrupted} of them mid-operation");
    // the kill points fall inside each operation's own duration: most must interrupt it
    assert!(
        interrupted * 2 >= survived,
        "only {interrupted} kills interrupted anything"
    );
}
