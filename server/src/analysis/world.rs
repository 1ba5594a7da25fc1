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

/// Which config the CLI reads for a directory (spec 1.1), and the file itself.
#[derive(Clone, Debug)]
pub enum InForce {
    /// `USE_ENVIRONMENT_HUBSPOT_CONFIG=true`: one account from environment variables.
    Environment,
    /// A config file: `~/.hscli/config.yml`, a `HUBSPOT_CONFIG_PATH`, or a legacy file.
    File { kind: ConfigKind, file: Arc<SourceFile> },
    /// `HUBSPOT_CONFIG_PATH` names a missing file.
    Missing { path: PathBuf },
    /// No config anywhere.
    None,
    /// Both `USE_ENVIRONMENT_HUBSPOT_CONFIG=true` and `HUBSPOT_CONFIG_PATH`.
    Conflict,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigKind {
    Global,
    /// `HUBSPOT_CONFIG_PATH`/`configPath` pointing elsewhere than the global path.
    Custom,
    Legacy,
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

/// The process inputs that decide where the CLI looks.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub home: Option<PathBuf>,
    /// `HUBSPOT_CONFIG_PATH`, or `initializationOptions.configPath` (which wins).
    pub config_path: Option<PathBuf>,
    /// `USE_ENVIRONMENT_HUBSPOT_CONFIG` is exactly `true`.
    pub use_env: bool,
}

impl Env {
    pub fn from_process(config_path_override: Option<PathBuf>) -> Env {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        Env {
            home: var("HOME").map(PathBuf::from).map(|h| if h.is_absolute() { h } else { std::env::current_dir().unwrap_or_default().join(h) }),
            // The CLI joins a relative path onto the current directory.
            config_path: config_path_override
                .or_else(|| var("HUBSPOT_CONFIG_PATH").map(PathBuf::from))
                .map(|p| if p.is_absolute() { p } else { std::env::current_dir().unwrap_or_default().join(p) }),
            use_env: std::env::var("USE_ENVIRONMENT_HUBSPOT_CONFIG").as_deref() == Ok("true"),
        }
    }

    pub fn global_path(&self) -> Option<PathBuf> {
        self.home.as_ref().map(|h| h.join(".hscli").join("config.yml"))
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

    /// Spec 1.1: which config the CLI reads when run in `dir`.
    pub fn config_in_force(&self, dir: &Path) -> InForce {
        let env = &self.env;
        if env.use_env && env.config_path.is_some() {
            return InForce::Conflict;
        }
        if env.use_env {
            return InForce::Environment;
        }
        let global = env.global_path();
        if let Some(p) = &env.config_path {
            let kind = if global.as_deref().is_some_and(|g| super::document::same_path(g, p)) {
                ConfigKind::Global
            } else {
                ConfigKind::Custom
            };
            return match self.source(p, super::document::DocKind::GlobalConfig) {
                Some(file) => InForce::File { kind, file },
                None => InForce::Missing { path: p.clone() },
            };
        }
        if let Some(g) = global {
            if let Some(file) = self.source(&g, super::document::DocKind::GlobalConfig) {
                return InForce::File { kind: ConfigKind::Global, file };
            }
        }
        match self.legacy_above(dir) {
            Some(p) => match self.source(&p, super::document::DocKind::LegacyConfig) {
                Some(file) => InForce::File { kind: ConfigKind::Legacy, file },
                None => InForce::None,
            },
            None => InForce::None,
        }
    }

    /// The nearest `hubspot.config.yml` (then `.yaml`) walking up from `dir`.
    pub fn legacy_above(&self, dir: &Path) -> Option<PathBuf> {
        dir.ancestors().find_map(|d| {
            ["hubspot.config.yml", "hubspot.config.yaml"].iter().map(|n| d.join(n)).find(|p| self.is_file(p))
        })
    }

    /// The nearest `rel` (e.g. `.hs/settings.json`, `.hsaccount`) walking up from `dir`.
    pub fn find_up(&self, dir: &Path, rel: &str) -> Option<PathBuf> {
        dir.ancestors().map(|d| d.join(rel)).find(|p| self.is_file(p))
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
