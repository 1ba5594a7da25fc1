//! What may write the user's files in one language-server session, and how writers keep out
//! of each other's way:
//!
//! - [`Buffers`]: the files open in the editor (nothing with unsaved changes is written);
//! - [`FileLocks`]: one async lock per file, by canonical path (`./x`, `a/../x` and a symlink
//!   to `x` are one file), that every command changing a config, a settings file or a
//!   `.gitignore` holds from the moment it reads the file until it has written it, so two
//!   commands never both read the old text and the second write throw the first away.
//!   Never hold one across an API call: a token refresh writes the config back under the
//!   config's lock, and would wait for the command holding it;
//! - [`Fingerprint`] / [`Snapshot`]: what a file held when it was read, so that a write
//!   refuses (and writes nothing) when another program changed the file in between.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use super::buffers::Buffers;
use super::discovery::clean;

/// The session's write context; cheap to clone. `Writer::default()` is a session of its own
/// with nothing open (the `check` command, tests).
#[derive(Clone, Default, Debug)]
pub struct Writer {
    pub buffers: Arc<Buffers>,
    pub locks: Arc<FileLocks>,
}

impl Writer {
    pub fn new(buffers: Arc<Buffers>, locks: Arc<FileLocks>) -> Writer {
        Writer { buffers, locks }
    }

    /// Waits for the locks of all `paths` (see [`FileLocks::lock`]).
    pub async fn lock<P: AsRef<Path>>(&self, paths: impl IntoIterator<Item = P>) -> Locked {
        self.locks.lock(paths).await
    }
}

/// One async lock per file.
#[derive(Default)]
pub struct FileLocks {
    locks: Mutex<HashMap<PathBuf, Weak<AsyncMutex<()>>>>,
}

impl std::fmt::Debug for FileLocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileLocks")
    }
}

/// Held locks; dropping it releases them.
#[must_use]
pub struct Locked {
    _guards: Vec<OwnedMutexGuard<()>>,
}

impl FileLocks {
    /// Waits until no one else holds any of `paths`, then holds them all. Locks are taken in
    /// one order (sorted canonical paths), so two callers wanting overlapping sets cannot each
    /// hold what the other waits for.
    pub async fn lock<P: AsRef<Path>>(&self, paths: impl IntoIterator<Item = P>) -> Locked {
        let mut keys: Vec<PathBuf> = paths.into_iter().map(|p| canonical(p.as_ref())).collect();
        keys.sort();
        keys.dedup();
        let mutexes: Vec<Arc<AsyncMutex<()>>> = {
            let mut map = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            map.retain(|_, m| m.strong_count() > 0);
            keys.into_iter()
                .map(|k| match map.get(&k).and_then(Weak::upgrade) {
                    Some(m) => m,
                    None => {
                        let m = Arc::new(AsyncMutex::new(()));
                        map.insert(k, Arc::downgrade(&m));
                        m
                    }
                })
                .collect()
        };
        let mut guards = Vec::with_capacity(mutexes.len());
        for m in mutexes {
            guards.push(m.lock_owned().await);
        }
        Locked { _guards: guards }
    }
}

/// The path with every symlink resolved, `.` and `..` applied: the nearest ancestor that
/// exists is canonicalised and the rest appended, so a file that does not exist yet gets the
/// name it will have once created.
pub fn canonical(path: &Path) -> PathBuf {
    let path = clean(path);
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    let mut at = path.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                at = parent;
            }
            _ => return path,
        }
    }
}

/// Whether two paths name one file, however spelt (symlinks, `.`, `..`, doubled slashes).
pub fn same_file(a: &Path, b: &Path) -> bool {
    canonical(a) == canonical(b)
}

/// What a file held when it was read: a digest of its bytes, or that it did not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint(Option<u64>);

impl Fingerprint {
    /// The bytes read (`None`: there was no file).
    pub fn of(bytes: Option<&[u8]>) -> Fingerprint {
        Fingerprint(bytes.map(|b| {
            let mut h = DefaultHasher::new();
            b.hash(&mut h);
            h.finish()
        }))
    }

    /// The file as it is now.
    pub fn read(path: &Path) -> io::Result<Fingerprint> {
        match super::read::read_bytes(path) {
            Ok(bytes) => Ok(Fingerprint::of(Some(&bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Fingerprint(None)),
            Err(e) => Err(e),
        }
    }

    /// Refuses when the file no longer holds what it held when this was taken.
    pub fn check(&self, path: &Path) -> io::Result<()> {
        if Fingerprint::read(path)? == *self {
            Ok(())
        } else {
            Err(changed_on_disk())
        }
    }
}

/// The error of a write refused because the file changed since it was read.
pub fn changed_on_disk() -> io::Error {
    io::Error::other(
        "it changed on disk after hubspot-ls read it (another program wrote it meanwhile), so nothing was written; run the command again",
    )
}

/// Fingerprints of the files a plan touches, taken (under their locks) before the plan reads
/// them; [`super::edit::apply_ops`] refuses a step whose file no longer matches.
#[derive(Debug, Default)]
pub struct Snapshot(HashMap<PathBuf, Fingerprint>);

impl Snapshot {
    pub fn take<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> io::Result<Snapshot> {
        let mut map = HashMap::new();
        for p in paths {
            let p = clean(p.as_ref());
            let f = Fingerprint::read(&p)?;
            map.insert(p, f);
        }
        Ok(Snapshot(map))
    }

    /// Refuses when `path` was snapshotted and has changed since; a path not in the snapshot
    /// passes.
    pub fn check(&self, path: &Path) -> io::Result<()> {
        match self.0.get(&clean(path)) {
            Some(f) => f.check(path),
            None => Ok(()),
        }
    }

    pub fn covers(&self, path: &Path) -> bool {
        self.0.contains_key(&clean(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_file_is_one_canonical_path() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("config.yml"), "x").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        let want = canonical(&real.join("config.yml"));
        for p in ["real/./config.yml", "real/../real/config.yml", "link/config.yml", "link//config.yml"] {
            assert_eq!(canonical(&dir.path().join(p)), want, "{p}");
        }
        // Not there yet: the name it will have.
        assert_eq!(canonical(&dir.path().join("link/new/x.json")), canonical(&real).join("new/x.json"));
        assert!(same_file(&dir.path().join("link/config.yml"), &real.join("config.yml")));
    }

    #[tokio::test]
    async fn a_second_writer_of_the_same_file_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let locks = FileLocks::default();
        let a = dir.path().join("a.yml");
        let first = locks.lock([&a]).await;
        let same = dir.path().join("./a.yml");
        let mut second = std::pin::pin!(locks.lock([&same]));
        assert!(futures::poll!(second.as_mut()).is_pending(), "held by the first");
        // Another file is not held up.
        drop(locks.lock([dir.path().join("b.yml")]).await);
        drop(first);
        drop(second.await);
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("settings.json");
        let absent = Snapshot::take([&p]).unwrap();
        absent.check(&p).unwrap();
        std::fs::write(&p, "{}").unwrap();
        let err = absent.check(&p).unwrap_err().to_string();
        assert!(err.contains("changed on disk") && err.contains("nothing was written"), "{err}");
        let read = Snapshot::take([&p]).unwrap();
        read.check(&p).unwrap();
        std::fs::write(&p, "{\"accounts\": []}").unwrap();
        assert!(read.check(&p).is_err());
        assert!(Snapshot::default().check(&p).is_ok(), "not snapshotted: not checked");
    }
}
