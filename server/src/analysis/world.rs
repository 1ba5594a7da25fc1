//! A snapshot of everything outside the document being analysed: the process environment,
//! open editor buffers (which win over the disk), and parsed files on disk. Where the CLI
//! looks is `hubspot::discovery`'s business; this module feeds it the files as the user
//! sees them and keeps the parsed results.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime};

use crate::hubspot::discovery::{self, ConfigLocation, Disk, Files};
pub use crate::hubspot::discovery::{ConfigKind, Env};

use super::document::{DocKind, SourceFile};

/// Parsed files read from disk, reused while the file's size and mtime are unchanged.
/// Shared between snapshots: a world is cheap to build per request.
#[derive(Default)]
pub struct DiskCache {
    entries: Mutex<HashMap<PathBuf, Stamped>>,
    /// True while a read ahead ([`DiskCache::read_ahead`]) runs.
    ahead: (Mutex<bool>, Condvar),
}

/// A file as read, with the modification time and size it had then.
type Stamped = (Option<SystemTime>, u64, Arc<SourceFile>);

/// How long an open waits for a read ahead before reading the text itself.
const AHEAD_WAIT: Duration = Duration::from_secs(20);

impl DiskCache {
    pub fn invalidate(&self, path: &Path) {
        if let Ok(mut e) = self.entries.lock() {
            e.remove(path);
        }
    }

    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }

    /// The file read from `path`, taken out of the cache, when the editor opens it with the
    /// very text read from disk: the open document then starts from that parse (and the
    /// per-account findings already worked out for it) instead of reading the text again.
    /// Taken out, because an open document speaks for its path from now on, and because a
    /// file held twice could not be updated in place by the next edit.
    ///
    /// While the start-up read ahead runs, a config's open waits for it (bounded) rather than
    /// read the same text beside it on the other core; not when the disk's size already says
    /// the editor's text is another (a buffer with unsaved changes, restored at start-up): that
    /// read could not serve it, and the open reads its own text meanwhile.
    pub fn adopt(&self, path: &Path, kind: DocKind, text: &str) -> Option<Arc<SourceFile>> {
        let differs = || std::fs::metadata(path).map_or(true, |m| m.len() != text.len() as u64);
        if kind.is_config() && !differs() {
            let (busy, done) = &self.ahead;
            if let Ok(busy) = busy.lock() {
                drop(done.wait_timeout_while(busy, AHEAD_WAIT, |busy| *busy));
            }
        }
        let mut e = self.entries.lock().ok()?;
        let same = e.get(path).is_some_and(|(_, _, f)| f.kind == kind && *f.text == *text);
        same.then(|| e.remove(path)).flatten().map(|(_, _, f)| f)
    }

    /// Runs `read` (which reads files into this cache ahead of their use) with opens waiting
    /// for it, see [`DiskCache::adopt`].
    pub fn read_ahead(&self, read: impl FnOnce()) {
        struct Done<'a>(&'a (Mutex<bool>, Condvar));
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                if let Ok(mut busy) = self.0 .0.lock() {
                    *busy = false;
                }
                self.0 .1.notify_all();
            }
        }
        if let Ok(mut busy) = self.ahead.0.lock() {
            *busy = true;
        }
        let _done = Done(&self.ahead); // also when `read` panics
        read();
    }

    fn load(&self, path: &Path, kind: DocKind) -> Option<Arc<SourceFile>> {
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        let stamp = (meta.modified().ok(), meta.len());
        if let Ok(e) = self.entries.lock() {
            if let Some((m, l, f)) = e.get(path) {
                if (*m, *l) == stamp && f.kind == kind {
                    return Some(f.clone());
                }
            }
        }
        let bytes = std::fs::read(path).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let file = Arc::new(SourceFile::parse(path.to_path_buf(), kind, text));
        if let Ok(mut e) = self.entries.lock() {
            e.insert(path.to_path_buf(), (stamp.0, stamp.1, file.clone()));
        }
        Some(file)
    }
}

/// Which config the CLI reads for a directory (spec 1.1, located by
/// [`discovery::locate`]), with the file itself parsed for analysis.
#[derive(Clone, Debug)]
pub enum InForce {
    /// `USE_ENVIRONMENT_HUBSPOT_CONFIG=true`: one account from environment variables.
    Environment,
    /// A config file: `~/.hscli/config.yml`, a `HUBSPOT_CONFIG_PATH`, or a legacy file.
    File { kind: ConfigKind, file: Arc<SourceFile> },
    /// `HUBSPOT_CONFIG_PATH` names a missing file (or the file in force cannot be read).
    Missing { path: PathBuf },
    /// No config anywhere.
    None,
    /// Both `USE_ENVIRONMENT_HUBSPOT_CONFIG=true` and `HUBSPOT_CONFIG_PATH`.
    Conflict,
}

impl InForce {
    pub fn file(&self) -> Option<&Arc<SourceFile>> {
        match self {
            InForce::File { file, .. } => Some(file),
            _ => None,
        }
    }

    /// `.hsaccount` is only honoured when the config in force is the global path (spec 3.3).
    pub fn honours_hsaccount(&self) -> bool {
        matches!(self, InForce::File { kind: ConfigKind::Global, .. })
    }
}

#[derive(Clone)]
pub struct World {
    /// Open documents by path: the editor's text wins over the disk.
    pub overlay: Arc<HashMap<PathBuf, Arc<SourceFile>>>,
    pub disk: Arc<DiskCache>,
    pub env: Arc<Env>,
}

impl World {
    pub fn new(overlay: HashMap<PathBuf, Arc<SourceFile>>, disk: Arc<DiskCache>, env: Arc<Env>) -> World {
        World { overlay: Arc::new(overlay), disk, env }
    }

    /// Spec 1.1: which config the CLI reads when run in `dir`, as the user sees the files.
    pub fn config_in_force(&self, dir: &Path) -> InForce {
        match discovery::locate(&self.env, dir, self) {
            ConfigLocation::Environment => InForce::Environment,
            ConfigLocation::Conflict => InForce::Conflict,
            ConfigLocation::None => InForce::None,
            ConfigLocation::Missing { path } => InForce::Missing { path },
            ConfigLocation::File { kind, path } => {
                let doc = if kind == ConfigKind::Legacy { DocKind::LegacyConfig } else { DocKind::GlobalConfig };
                match (self.source(&path, doc), kind) {
                    (Some(file), _) => InForce::File { kind, file },
                    // Found but unreadable: the CLI fails reading it, which is `Missing` to
                    // the checks; a legacy file that vanished leaves nothing in force.
                    (None, ConfigKind::Legacy) => InForce::None,
                    (None, _) => InForce::Missing { path },
                }
            }
        }
    }

    /// The nearest `hubspot.config.yml` (then `.yaml`) walking up from `dir`.
    pub fn legacy_above(&self, dir: &Path) -> Option<PathBuf> {
        discovery::legacy_above(dir, self)
    }

    /// The nearest `rel` (e.g. `.hs/settings.json`, `.hsaccount`) walking up from `dir`.
    pub fn find_up(&self, dir: &Path, rel: &str) -> Option<PathBuf> {
        discovery::find_up(dir, rel, self)
    }

    /// A file as the user sees it (open buffer, else disk), parsed as `kind`.
    pub fn source(&self, path: &Path, kind: DocKind) -> Option<Arc<SourceFile>> {
        if let Some(f) = self.overlay.get(path) {
            if f.kind == kind {
                return Some(f.clone());
            }
            return Some(Arc::new(SourceFile::parse(path.to_path_buf(), kind, f.text.as_str())));
        }
        self.disk.load(path, kind)
    }

    pub fn read_to_string(&self, path: &Path) -> Option<String> {
        match self.overlay.get(path) {
            Some(f) => Some(f.text.to_string()),
            None => std::fs::read_to_string(path).ok(),
        }
    }

    pub fn exists(&self, path: &Path) -> bool {
        self.overlay.contains_key(path) || path.exists()
    }

    pub fn is_file(&self, path: &Path) -> bool {
        self.overlay.contains_key(path) || path.is_file()
    }
}

/// Discovery sees open buffers before the disk, like everything else in analysis.
impl Files for World {
    fn is_file(&self, path: &Path) -> bool {
        World::is_file(self, path)
    }

    fn read(&self, path: &Path) -> Option<String> {
        match self.overlay.get(path) {
            Some(f) => Some(f.text.to_string()),
            None => Disk.read(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_takes_over_the_disk_read_of_the_same_text_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        let text = "httpTimeout: 1000\naccounts: []\n";
        std::fs::write(&path, text).unwrap();
        let disk = DiskCache::default();
        let read = disk.load(&path, DocKind::GlobalConfig).unwrap();
        // Another text, or the same text as another kind of file: the disk read stays.
        assert!(disk.adopt(&path, DocKind::GlobalConfig, "httpTimeout: 1000\n").is_none());
        assert!(disk.adopt(&path, DocKind::LegacyConfig, text).is_none());
        let adopted = disk.adopt(&path, DocKind::GlobalConfig, text).expect("the same text is taken over");
        assert!(Arc::ptr_eq(&read, &adopted));
        // Taken out: the next read of the path reads the disk again.
        assert!(disk.adopt(&path, DocKind::GlobalConfig, text).is_none());
        assert!(!Arc::ptr_eq(&disk.load(&path, DocKind::GlobalConfig).unwrap(), &adopted));
    }

    /// A read ahead of `path` that takes `takes`, started on a thread and under way on return.
    fn slow_read_ahead(disk: &Arc<DiskCache>, path: &Path, takes: Duration) -> std::thread::JoinHandle<()> {
        let (started, running) = std::sync::mpsc::channel();
        let (disk, path) = (disk.clone(), path.to_path_buf());
        let ahead = std::thread::spawn(move || {
            disk.read_ahead(|| {
                started.send(()).unwrap();
                std::thread::sleep(takes);
                disk.load(&path, DocKind::GlobalConfig);
            })
        });
        running.recv().unwrap();
        ahead
    }

    #[test]
    fn an_open_waits_for_the_read_ahead_of_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        let text = "accounts: []\n";
        std::fs::write(&path, text).unwrap();
        let disk = Arc::new(DiskCache::default());
        let ahead = slow_read_ahead(&disk, &path, Duration::from_millis(200));
        // Asked while the read is under way: the open gets that read, not a miss.
        assert!(disk.adopt(&path, DocKind::GlobalConfig, text).is_some());
        ahead.join().unwrap();
        // A read ahead that panics does not leave opens waiting.
        let d = disk.clone();
        assert!(std::thread::spawn(move || d.read_ahead(|| panic!("unreadable"))).join().is_err());
        let t = std::time::Instant::now();
        assert!(disk.adopt(&path, DocKind::GlobalConfig, text).is_none());
        assert!(t.elapsed() < AHEAD_WAIT);
        // Text of another size than the disk's: no wait for a read that cannot serve it.
        let ahead = slow_read_ahead(&disk, &path, Duration::from_millis(2000));
        let t = std::time::Instant::now();
        assert!(disk.adopt(&path, DocKind::GlobalConfig, "accounts: [] # not saved\n").is_none());
        assert!(t.elapsed() < Duration::from_millis(1000), "waited {:?}", t.elapsed());
        ahead.join().unwrap();
    }
}
