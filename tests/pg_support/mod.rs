//! A throwaway PostgreSQL cluster for tests: `initdb` in a temp dir, a server listening only
//! on a unix socket in that dir (`listen_addresses=''`), `psql` to talk to it, and a stop at
//! the end, also when the test fails (Drop). As root the server runs as `nobody` (PostgreSQL
//! refuses to run as root), the temp dir owned by it.
//!
//! Without the binaries a test skips with a printed reason, except under CI (`CI=true`),
//! where a missing PostgreSQL is a failure: `.ci/run` installs it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    run_as: Option<&'static str>,
    stopped: bool,
}

/// The port only names the socket file (`.s.PGSQL.5432`): nothing listens on TCP.
const PORT: &str = "5432";

impl Cluster {
    /// A running cluster, or None (printed why) where PostgreSQL is not installed and this
    /// is not CI.
    pub fn start(test: &str) -> Option<Cluster> {
        let Some(bin) = find_bin() else {
            let why = "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin, \
                       $CSCX_PG_BIN or PATH)";
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{test}: {why}; CI must have it (.ci/run installs Debian's postgresql)");
            }
            eprintln!("{test}: skipped: {why}");
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("cscx-pg-")
            .tempdir()
            .expect("a temp dir for the cluster");
        let run_as = is_root().then_some("nobody");
        if let Some(user) = run_as {
            run(Command::new("chown").arg("-R").arg(user).arg(dir.path()));
        }
        let mut cluster = Cluster {
            dir,
            bin,
            run_as,
            stopped: true,
        };
        let data = cluster.data_dir();
        let out = cluster.server_command("initdb", |c| {
            c.args([
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "-U",
                "postgres",
                "-D",
            ])
            .arg(&data);
        });
        check(&out, "initdb");
        let options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -p {PORT} -c fsync=off",
            cluster.dir.path().display()
        );
        let log = cluster.dir.path().join("server.log");
        let out = cluster.server_command("pg_ctl", |c| {
            c.arg("-D")
                .arg(&data)
                .arg("-o")
                .arg(&options)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "start"]);
        });
        cluster.stopped = false;
        if !out.status.success() {
            let server_log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!(
                "pg_ctl start failed: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                server_log
            );
        }
        Some(cluster)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A folder the tests may write into (psql's \copy writes as the test's own user).
    pub fn scratch(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(&p).expect("scratch dir");
        p
    }

    /// Runs a server binary (initdb, pg_ctl) as the cluster's user.
    fn server_command(&self, name: &str, args: impl FnOnce(&mut Command)) -> Output {
        let program = self.bin.join(name);
        let mut c = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&program);
                c
            }
            None => Command::new(&program),
        };
        // a cwd the server's user can enter
        c.current_dir(self.dir.path());
        args(&mut c);
        c.output().unwrap_or_else(|e| panic!("running {name}: {e}"))
    }

    /// `psql` connected to `database`, stopping at the first error.
    pub fn psql(&self, database: &str) -> Command {
        let mut c = Command::new(self.psql_path());
        c.arg("-h")
            .arg(self.dir.path())
            .args(["-p", PORT, "-U", "postgres", "-d", database])
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1"]);
        c
    }

    fn psql_path(&self) -> PathBuf {
        let local = self.bin.join("psql");
        if local.exists() {
            local
        } else {
            PathBuf::from("psql")
        }
    }

    /// Runs SQL text (statements and psql meta-commands such as \copy) and returns stdout.
    pub fn sql(&self, database: &str, sql: &str) -> String {
        let script = self.dir.path().join("script.sql");
        std::fs::write(&script, sql).expect("write the script");
        let out = run(self.psql(database).arg("-f").arg(&script));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs one SQL file.
    pub fn sql_file(&self, database: &str, file: &Path) {
        run(self.psql(database).arg("-f").arg(file));
    }

    /// The connection string cscx takes (`--db`) for `database`, over the cluster's socket.
    pub fn url(&self, database: &str) -> String {
        format!(
            "host={} port={PORT} user=postgres dbname={database}",
            self.dir.path().display()
        )
    }

    /// [`Cluster::url`] logged in as `role` (a login role of the cluster).
    pub fn url_as(&self, database: &str, role: &str) -> String {
        format!(
            "host={} port={PORT} user='{role}' dbname={database}",
            self.dir.path().display()
        )
    }

    /// Creates a database.
    pub fn create_database(&self, name: &str) {
        self.sql("postgres", &format!("CREATE DATABASE \"{name}\";"));
    }

    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let data = self.data_dir();
        let _ = self.server_command("pg_ctl", |c| {
            c.arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"]);
        });
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn find_bin() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("CSCX_PG_BIN") {
        let dir = PathBuf::from(dir);
        return dir.join("initdb").exists().then_some(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
        .collect();
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(newest) = versions.pop() {
        return Some(newest);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|d| d.join("initdb").exists() && d.join("pg_ctl").exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn run(c: &mut Command) -> Output {
    let out = c.output().unwrap_or_else(|e| panic!("running {c:?}: {e}"));
    check(&out, &format!("{c:?}"));
    out
}

fn check(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
