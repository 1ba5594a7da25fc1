//! Which HubSpot file a path is, and its parsed form.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::syntax::{json, yaml, Tree};

/// The four kinds of file hubspot-ls serves, recognised by path. Anything else gets nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// `~/.hscli/config.yml`, or the file `HUBSPOT_CONFIG_PATH`/`configPath` names.
    GlobalConfig,
    /// `hubspot.config.yml` / `hubspot.config.yaml` anywhere.
    LegacyConfig,
    /// `.hs/settings.json`.
    Settings,
    /// `.hsaccount`.
    HsAccount,
}

impl DocKind {
    /// Recognise a file by its path. `configured` is the explicit config path, if any
    /// (`HUBSPOT_CONFIG_PATH` or `initializationOptions.configPath`).
    pub fn of_path(path: &Path, configured: Option<&Path>) -> Option<DocKind> {
        if configured.is_some_and(|c| same_path(c, path)) {
            return Some(DocKind::GlobalConfig);
        }
        let name = path.file_name()?.to_str()?;
        let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str());
        match (name, parent) {
            ("config.yml", Some(".hscli")) => Some(DocKind::GlobalConfig),
            ("hubspot.config.yml" | "hubspot.config.yaml", _) => Some(DocKind::LegacyConfig),
            ("settings.json", Some(".hs")) => Some(DocKind::Settings),
            (".hsaccount", _) => Some(DocKind::HsAccount),
            _ => None,
        }
    }

    pub fn is_config(self) -> bool {
        matches!(self, DocKind::GlobalConfig | DocKind::LegacyConfig)
    }
}

/// Path equality as discovery does it (lexical, no symlinks), re-exported for the checks.
pub use crate::hubspot::discovery::{clean, same_path};

/// A document's text and what the parser made of it. Cheap to clone and share.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub kind: DocKind,
    /// Shared with every snapshot.
    pub text: Arc<String>,
    /// `None` for `.hsaccount`, which is plain text.
    pub tree: Option<Arc<Tree>>,
}

impl SourceFile {
    pub fn parse(path: PathBuf, kind: DocKind, text: impl Into<String>) -> SourceFile {
        let text: Arc<String> = Arc::new(text.into());
        let tree = match kind {
            DocKind::GlobalConfig | DocKind::LegacyConfig => Some(Arc::new(yaml::parse(&text))),
            DocKind::Settings => Some(Arc::new(json::parse(&text))),
            DocKind::HsAccount => None,
        };
        SourceFile { path, kind, text, tree }
    }

    /// The directory the file speaks for: a settings file's project folder (the parent of
    /// `.hs`), otherwise the folder holding the file.
    pub fn directory(&self) -> PathBuf {
        let dir = self.path.parent().unwrap_or(Path::new("/"));
        match self.kind {
            DocKind::Settings => dir.parent().unwrap_or(dir).to_path_buf(),
            _ => dir.to_path_buf(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_path() {
        let k = |p: &str| DocKind::of_path(Path::new(p), None);
        assert_eq!(k("/home/u/.hscli/config.yml"), Some(DocKind::GlobalConfig));
        assert_eq!(k("/home/u/.hscli/config.yaml"), None);
        assert_eq!(k("/p/hubspot.config.yaml"), Some(DocKind::LegacyConfig));
        assert_eq!(k("/p/.hs/settings.json"), Some(DocKind::Settings));
        assert_eq!(k("/p/settings.json"), None);
        assert_eq!(k("/p/sub/.hsaccount"), Some(DocKind::HsAccount));
        assert_eq!(k("/p/config.yml"), None);
        assert_eq!(
            DocKind::of_path(Path::new("/etc/hs/../hs/custom.yml"), Some(Path::new("/etc/hs/custom.yml"))),
            Some(DocKind::GlobalConfig)
        );
    }
}
