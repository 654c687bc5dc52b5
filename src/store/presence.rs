//! Which cscx processes have a database open, and what the one writing is doing.
//!
//! Beside `x.db` lives `x.db-lock` (mode 0600, never removed). Every open [`Store`](super::Store)
//! holds a shared `flock` on it for as long as it lives; replacing the database
//! (`demo --force`, `generate --force`) first takes it exclusively, which fails while any
//! other cscx has the file open: that dashboard's next save would otherwise go to a file
//! nobody sees any more ("deleted", and lost). `flock` locks are released by the kernel when
//! a process dies, so a `kill -9` leaves nothing stale.
//!
//! The file's contents say who holds the write lock of a long write ("import since 10:02,
//! pid 4242"), for a second writer to show while it waits (`Store::write`). Only the holder
//! of SQLite's write lock writes them, so writers never race on them.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long opening waits for a replacement in progress (a `demo` loading) to finish.
const REPLACING_WAIT: Duration = Duration::from_secs(30);

/// The lock file of database `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-lock");
    PathBuf::from(name)
}

fn open_lock(db: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(lock_path(db))
}

/// This process's presence at a database: a shared lock, held until dropped.
#[derive(Debug)]
pub struct Presence {
    file: File,
}

/// Joins the processes that have `db` open. None where no lock file can be made (a
/// read-only folder): such a database cannot be replaced by cscx either.
pub fn join(db: &Path) -> Option<Presence> {
    let file = open_lock(db).ok()?;
    let started = Instant::now();
    loop {
        match file.try_lock_shared() {
            Ok(()) => return Some(Presence { file }),
            // a replacement is under way: open what it leaves, not what it removes
            Err(TryLockError::WouldBlock) if started.elapsed() < REPLACING_WAIT => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(_) => return None,
        }
    }
}

impl Presence {
    /// Records that this process holds the write lock, doing `what` (shown to waiters).
    pub fn announce_writer(&self, what: &str) {
        let line = format!(
            "{what} since {}\t{}\n",
            chrono::Local::now().format("%H:%M"),
            std::process::id()
        );
        let mut f = &self.file;
        let _ = f
            .set_len(0)
            .and_then(|()| f.seek(SeekFrom::Start(0)).map(|_| ()))
            .and_then(|()| f.write_all(line.as_bytes()));
    }

    /// The write lock is released.
    pub fn clear_writer(&self) {
        let _ = self.file.set_len(0);
    }
}

/// What the cscx writing to `db` said it is doing ("import since 10:02"), if a live
/// process said so.
pub fn current_writer(db: &Path) -> Option<String> {
    let mut text = String::new();
    File::open(lock_path(db))
        .ok()?
        .read_to_string(&mut text)
        .ok()?;
    let (what, pid) = text.trim_end().split_once('\t')?;
    let pid: u32 = pid.parse().ok()?;
    // a writer that was killed left its line: only a live process is named
    (pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists())
        .then(|| what.to_owned())
}

/// Exclusive hold of a database, for replacing it; released when dropped.
#[derive(Debug)]
pub struct Exclusive {
    _file: File,
}

/// Takes `db` for replacement; None if another cscx has it open.
pub fn take_exclusive(db: &Path) -> std::io::Result<Option<Exclusive>> {
    let file = open_lock(db)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Exclusive { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_database_cannot_be_taken_for_replacement() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let presence = join(&db).unwrap();
        assert!(take_exclusive(&db).unwrap().is_none());
        drop(presence);
        let taken = take_exclusive(&db).unwrap();
        assert!(taken.is_some());
    }

    #[test]
    fn a_writer_is_named_only_while_it_lives() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let presence = join(&db).unwrap();
        presence.announce_writer("import");
        // our own pid is never "another cscx"
        assert_eq!(current_writer(&db), None);
        std::fs::write(lock_path(&db), "import since 10:02\t1\n").unwrap();
        assert_eq!(current_writer(&db).as_deref(), Some("import since 10:02"));
        std::fs::write(lock_path(&db), "import since 10:02\t4000000000\n").unwrap();
        assert_eq!(current_writer(&db), None);
        presence.clear_writer();
        assert_eq!(current_writer(&db), None);
    }
}
