//! Which HubSpot file a path is, and its parsed form.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::checks::items::{self, ItemMemo};
use crate::syntax::yaml::TextEdit;
use crate::syntax::{json, yaml, Tree};

/// The four kinds of file hubspot-ls serves (CONTRACT §3). Anything else gets nothing.
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

/// From this size (about 150 accounts) a config's accounts are checked while it is read:
/// below it, starting a thread costs more than it saves.
const CHECK_WHILE_READING: usize = 64 * 1024;

/// A document's text and what the parser made of it. Cheap to clone and share.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub kind: DocKind,
    /// Shared with every snapshot; an `Arc<String>` so that a new text (from the editor's
    /// rope, on every keystroke) is moved in rather than copied once more.
    pub text: Arc<String>,
    /// `None` for `.hsaccount`, which is plain text.
    pub tree: Option<Arc<Tree>>,
    /// A config's per-account findings, kept across edits that re-read one account.
    pub items: ItemMemo,
}

impl SourceFile {
    pub fn parse(path: PathBuf, kind: DocKind, text: impl Into<String>) -> SourceFile {
        let text: Arc<String> = Arc::new(text.into());
        let (tree, items) = match kind {
            // A large config's accounts are checked on another core while it is read.
            DocKind::GlobalConfig | DocKind::LegacyConfig if text.len() >= CHECK_WHILE_READING => {
                let (tree, reports) = yaml::parse_inspecting(&text, items::inspect);
                let items = ItemMemo::with(&tree, reports);
                (Some(Arc::new(tree)), items)
            }
            DocKind::GlobalConfig | DocKind::LegacyConfig => {
                let tree = yaml::parse(&text);
                let items = ItemMemo::new(&tree);
                (Some(Arc::new(tree)), items)
            }
            DocKind::Settings => (Some(Arc::new(json::parse(&text))), ItemMemo::default()),
            DocKind::HsAccount => (None, ItemMemo::default()),
        };
        SourceFile { path, kind, text, tree, items }
    }

    /// The file after an edit that made `text` of it. When `edit` (one replacement) fell
    /// inside one block-sequence item of a config and nothing else holds this file, only that
    /// item is read again (`yaml::reparse_edit`); otherwise the whole text is, and the file
    /// it replaced is returned (for the caller to keep its tree, or to free it elsewhere).
    #[must_use]
    pub fn update(file: &mut Arc<SourceFile>, text: String, edit: Option<TextEdit>) -> Option<Arc<SourceFile>> {
        if let (Some(edit), Some(f)) = (edit, Arc::get_mut(file)) {
            if f.kind.is_config() {
                if let Some(tree) = f.tree.as_mut().and_then(Arc::get_mut) {
                    if let Some(path) = yaml::reparse_edit(tree, &f.text, &text, edit) {
                        f.items.forget(tree, &path);
                        f.text = Arc::new(text);
                        return None;
                    }
                }
            }
        }
        let new = Arc::new(SourceFile::parse(file.path.clone(), file.kind, text));
        Some(std::mem::replace(file, new))
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
