//! Files cscx writes on request (`--reject-file F`, `export --out DIR`): checked before
//! anything is read or written, and created readable by their owner only.
//!
//! A target is refused when it is the database or one of SQLite's files beside it (writing
//! there destroys the database), a file the same run reads (an input overwritten while it
//! is read), a symbolic link (it may point anywhere, the database included), or a folder;
//! an existing file is replaced only with `--force`.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

/// `path` as the file system resolves it, also when the file does not exist yet (its
/// folder resolved, its name kept).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?,
    };
    Some(dir.join(name))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Why `target` may not be written, as `what PATH: reason`; None when it may.
pub fn refusal(
    what: &str,
    target: &Path,
    db: &Path,
    inputs: &[&Path],
    force: bool,
) -> Option<String> {
    let shown = target.display();
    if let Ok(meta) = std::fs::symlink_metadata(target) {
        if meta.file_type().is_symlink() {
            return Some(format!(
                "{what} {shown}: is a symbolic link; cscx writes only to a plain file it \
                 creates (give the path the link points to, if that is what you mean)"
            ));
        }
        if meta.is_dir() {
            return Some(format!("{what} {shown}: is a folder, not a file"));
        }
    }
    let target_at = resolved(target)?;
    if let Some(db_at) = resolved(db) {
        for suffix in ["", "-wal", "-shm", "-journal", "-lock"] {
            if target_at == with_suffix(&db_at, suffix) {
                return Some(format!(
                    "{what} {shown}: is {} {}; writing there would destroy it",
                    if suffix.is_empty() {
                        "the database"
                    } else {
                        "a file of the database"
                    },
                    db.display()
                ));
            }
        }
    }
    for input in inputs {
        if resolved(input).as_deref() == Some(target_at.as_path()) {
            return Some(format!(
                "{what} {shown}: is a file this import reads; choose another name"
            ));
        }
    }
    if !force && target.exists() {
        return Some(format!(
            "{what} {shown}: already exists; pass --force to replace it"
        ));
    }
    None
}

/// Creates `path` for writing, mode 0600, never through a link: an existing file (already
/// allowed by [`refusal`]) is removed first, and the new one is created exclusively.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_its_files_inputs_links_and_existing_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        std::fs::write(&db, b"x").unwrap();
        let input = dir.path().join("calls.csv");
        std::fs::write(&input, b"a\n").unwrap();
        let inputs = [input.as_path()];
        let refused = |t: &Path, force| refusal("--reject-file", t, &db, &inputs, force);
        assert!(refused(&db, true).unwrap().contains("is the database"));
        let wal = dir.path().join("r.db-wal");
        assert!(
            refused(&wal, true)
                .unwrap()
                .contains("file of the database")
        );
        // the same file by another spelling
        let dotted = dir.path().join(".").join("r.db");
        assert!(refused(&dotted, true).unwrap().contains("is the database"));
        assert!(refused(&input, true).unwrap().contains("this import reads"));
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        assert!(refused(&link, true).unwrap().contains("symbolic link"));
        let old = dir.path().join("old.csv");
        std::fs::write(&old, b"keep").unwrap();
        assert!(refused(&old, false).unwrap().contains("--force"));
        assert_eq!(refused(&old, true), None);
        assert_eq!(refused(&dir.path().join("new.csv"), false), None);
    }

    #[test]
    fn created_files_are_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, b"old").unwrap();
        drop(create_private(&path).unwrap());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"");
    }
}
