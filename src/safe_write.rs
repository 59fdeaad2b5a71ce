//! Writing files without losing data: the text goes to a temporary file in the target's
//! folder, is flushed to disk, and is renamed over the target in one step. A full disk or
//! a crash leaves the previous file whole and no temporary file behind. Symbolic links are
//! not written through unless asked (a dangling link could otherwise create a file
//! anywhere), and an existing file is replaced only when asked.

use crate::text as sanitize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a write may do to what is already there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Permit {
    /// Replace an existing file.
    pub overwrite: bool,
    /// Write to the target of a symbolic link (the link itself is kept).
    pub follow_symlinks: bool,
}

/// Why a write did not happen. Its `Display` names the file (sanitized) and the cause.
#[derive(Debug)]
pub enum WriteError {
    /// The file exists and overwriting was not permitted.
    Exists(PathBuf),
    /// The path is a symbolic link and following links was not permitted.
    Symlink(PathBuf),
    /// The path names something that is not a regular file (a folder, a device, a FIFO).
    NotAFile(PathBuf),
    /// The system refused: no space, no permission, no such folder...
    Io(PathBuf, std::io::Error),
}

impl WriteError {
    /// True when the file was refused because it exists (the UI asks before replacing).
    pub fn is_exists(&self) -> bool {
        matches!(self, WriteError::Exists(_))
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Exists(p) => write!(
                f,
                "{}: exists; not overwritten (give --force to replace it)",
                sanitize::path(p)
            ),
            WriteError::Symlink(p) => write!(
                f,
                "{}: is a symbolic link; not written through (export --follow-symlinks writes to its target)",
                sanitize::path(p)
            ),
            WriteError::NotAFile(p) => write!(
                f,
                "{}: is not a regular file; expected a file name to write",
                sanitize::path(p)
            ),
            WriteError::Io(p, e) => write!(
                f,
                "{}: cannot write: {}; nothing was changed",
                sanitize::path(p),
                sanitize::line(&e.to_string())
            ),
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, flushed, then
/// renamed), within what `permit` allows. Returns the path actually written (the link's
/// target when a link was followed).
pub fn write(path: &Path, bytes: &[u8], permit: Permit) -> Result<PathBuf, WriteError> {
    let io = |p: &Path, e| WriteError::Io(p.to_path_buf(), e);
    let mut target = path.to_path_buf();
    let mut exists = false;
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            if !permit.follow_symlinks {
                return Err(WriteError::Symlink(path.to_path_buf()));
            }
            // The link's final target; a dangling link has none and is refused.
            target = std::fs::canonicalize(path).map_err(|e| io(path, e))?;
            match std::fs::metadata(&target) {
                Ok(m) if m.is_file() => exists = true,
                Ok(_) => return Err(WriteError::NotAFile(path.to_path_buf())),
                Err(e) => return Err(io(path, e)),
            }
        }
        Ok(meta) if meta.is_file() => exists = true,
        Ok(_) => return Err(WriteError::NotAFile(path.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(path, e)),
    }
    if exists && !permit.overwrite {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cartsim-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The usual mode of a new file (the umask still applies); a replaced file
        // keeps its own.
        let mode = match exists {
            true => std::fs::metadata(&target).map(|m| m.permissions().mode() & 0o7777),
            false => Ok(0o666),
        }
        .unwrap_or(0o644);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temp = builder.tempfile_in(&dir).map_err(|e| io(path, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.flush())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| io(path, e))?;
    // On failure the temporary file is dropped, which deletes it.
    if exists {
        temp.persist(&target).map_err(|e| io(path, e.error))?;
    } else {
        temp.persist_noclobber(&target).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::Exists(path.to_path_buf())
            } else {
                io(path, e.error)
            }
        })?;
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".cartsim-"))
            .collect()
    }

    #[test]
    fn writes_refuses_to_overwrite_and_replaces_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        write(&p, b"one", Permit::default()).unwrap();
        let e = write(&p, b"two", Permit::default()).unwrap_err();
        assert!(e.is_exists(), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        let permit = Permit {
            overwrite: true,
            ..Permit::default()
        };
        write(&p, b"two", permit).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "keep").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink(dir.path().join("nowhere/x"), &dangling).unwrap();
        let all = Permit {
            overwrite: true,
            follow_symlinks: false,
        };
        for p in [&link, &dangling] {
            let e = write(p, b"x", all).unwrap_err();
            assert!(matches!(e, WriteError::Symlink(_)), "{e}");
        }
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
        assert!(!dir.path().join("nowhere").exists());
        let follow = Permit {
            overwrite: true,
            follow_symlinks: true,
        };
        assert!(write(&dangling, b"x", follow).is_err());
        write(&link, b"new", follow).unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "new");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_are_refused_and_a_failed_write_leaves_nothing() {
        let e = write(Path::new("/dev/full"), b"x", Permit::default()).unwrap_err();
        assert!(matches!(e, WriteError::NotAFile(_)), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let e = write(
            &dir.path().join("no/such/folder.md"),
            b"x",
            Permit::default(),
        );
        assert!(e.is_err());
        assert!(leftovers(dir.path()).is_empty());
    }
}
