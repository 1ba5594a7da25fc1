//! A snapshot of everything outside the document being analysed: the process environment,
//! open editor buffers (which win over the disk), and parsed files on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::document::{DocKind, SourceFile};

/// Parsed files read from disk, reused while the file's size and mtime are unchanged.
/// Shared between snapshots: a world is cheap to build per request.
#[derive(Default)]
pub struct DiskCache {
    entries: Mutex<HashMap<PathBuf, (Option<SystemTime>, u64, Arc<SourceFile>)>>,
}

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
        let bytes = std::fs::read(path).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let file = Arc::new(SourceFile::parse(path.to_path_buf(), kind, text));
        if let Ok(mut e) = self.entries.lock() {
            e.insert(path.to_path_buf(), (stamp.0, stamp.1, file.clone()));
        }
        Some(file)
    }
}

#[derive(Clone)]
pub struct World {
    /// Open documents by path: the editor's text wins over the disk.
    pub overlay: Arc<HashMap<PathBuf, Arc<SourceFile>>>,
    pub disk: Arc<DiskCache>,
}

impl World {
    pub fn new(overlay: HashMap<PathBuf, Arc<SourceFile>>, disk: Arc<DiskCache>) -> World {
        World { overlay: Arc::new(overlay), disk }
    }

    /// A file as the user sees it (open buffer, else disk), parsed as `kind`.
    pub fn source(&self, path: &Path, kind: DocKind) -> Option<Arc<SourceFile>> {
        if let Some(f) = self.overlay.get(path) {
            if f.kind == kind {
                return Some(f.clone());
            }
            return Some(Arc::new(SourceFile::parse(path.to_path_buf(), kind, f.text.clone())));
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
