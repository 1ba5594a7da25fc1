//! A snapshot of everything outside the document being analysed: the process environment,
//! open editor buffers (which win over the disk), and parsed files on disk. Where the CLI
//! looks is `hubspot::discovery`'s business; this module feeds it the files as the user
//! sees them and keeps the parsed results.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::hubspot::discovery::{self, ConfigLocation, Disk, Files};
pub use crate::hubspot::discovery::{ConfigKind, Env};

use super::document::{DocKind, SourceFile};

/// Parsed files read from disk, reused while the file's size and mtime are unchanged.
/// Shared between snapshots: a world is cheap to build per request.
#[derive(Default)]
pub struct DiskCache {
    entries: Mutex<HashMap<PathBuf, Stamped>>,
}

/// A file as read, with the modification time and size it had then.
type Stamped = (Option<SystemTime>, u64, Arc<SourceFile>);

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
        let bytes = crate::hubspot::read::read_bytes(path).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let file = Arc::new(SourceFile::parse(path.to_path_buf(), kind, text));
        if let Ok(mut e) = self.entries.lock() {
            e.insert(path.to_path_buf(), (stamp.0, stamp.1, file.clone()));
        }
        Some(file)
    }
}

/// Which config the CLI reads for a directory (located by
/// [`discovery::locate`]), with the file itself parsed for analysis.
#[derive(Clone, Debug)]
pub enum InForce {
    /// `USE_ENVIRONMENT_HUBSPOT_CONFIG=true`: one account from environment variables.
    Environment,
    /// A config file: `~/.hscli/config.yml`, a `HUBSPOT_CONFIG_PATH`, or a legacy file.
    File { kind: ConfigKind, file: Arc<SourceFile> },
    /// `HUBSPOT_CONFIG_PATH` names a missing file.
    Missing { path: PathBuf },
    /// The file in force exists but cannot be read (a directory, a FIFO, no permission): every
    /// CLI command fails on it.
    Unreadable { path: PathBuf },
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

    /// For a config file in force that gives no accounts (missing, or not readable as a file),
    /// why, as a clause of a finding's message.
    pub fn unusable_file(&self) -> Option<String> {
        match self {
            InForce::Missing { path } => Some(format!("the config file {} does not exist", path.display())),
            InForce::Unreadable { path } => Some(format!(
                "the config file {} exists but cannot be read as a file, and every CLI command fails on it",
                path.display()
            )),
            _ => None,
        }
    }

    /// `.hsaccount` is only honoured when the config in force is the global path.
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

    /// Which config the CLI reads when run in `dir`, as the user sees the files.
    pub fn config_in_force(&self, dir: &Path) -> InForce {
        match discovery::locate(&self.env, dir, self) {
            ConfigLocation::Environment => InForce::Environment,
            ConfigLocation::Conflict => InForce::Conflict,
            ConfigLocation::None => InForce::None,
            ConfigLocation::Missing { path } => InForce::Missing { path },
            ConfigLocation::File { kind, path } => {
                let doc = if kind == ConfigKind::Legacy { DocKind::LegacyConfig } else { DocKind::GlobalConfig };
                match self.source(&path, doc) {
                    Some(file) => InForce::File { kind, file },
                    None => InForce::Unreadable { path },
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

    pub fn exists(&self, path: &Path) -> bool {
        self.overlay.contains_key(path) || path.exists()
    }
}

/// Discovery sees open buffers before the disk, like everything else in analysis.
impl Files for World {
    fn exists(&self, path: &Path) -> bool {
        World::exists(self, path)
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
    fn a_disk_read_is_reused_until_the_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "accounts: []\n").unwrap();
        let disk = DiskCache::default();
        let first = disk.load(&path, DocKind::GlobalConfig).unwrap();
        assert!(Arc::ptr_eq(&first, &disk.load(&path, DocKind::GlobalConfig).unwrap()));
        // Read as another kind of file: parsed as that kind.
        assert_eq!(disk.load(&path, DocKind::LegacyConfig).unwrap().kind, DocKind::LegacyConfig);
        // Another size: read again.
        std::fs::write(&path, "httpTimeout: 5000\naccounts: []\n").unwrap();
        let second = disk.load(&path, DocKind::GlobalConfig).unwrap();
        assert_eq!(second.text.as_str(), "httpTimeout: 5000\naccounts: []\n");
        disk.invalidate(&path);
        assert!(!Arc::ptr_eq(&second, &disk.load(&path, DocKind::GlobalConfig).unwrap()));
    }
}
