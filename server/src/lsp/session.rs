//! The server's mutable state. Notifications mutate it on the main path; requests take a
//! snapshot (cheap `Arc` clones) and never hold the lock across an `.await`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::analysis::{DocKind, World};
use crate::analysis::world::DiskCache;

use super::capabilities::ClientCaps;
use super::documents::{Document, DocumentStore};

/// `initializationOptions` (CONTRACT §2), all optional.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitOptions {
    pub config_path: Option<PathBuf>,
    pub api_url: Option<String>,
}

#[derive(Default)]
pub struct Session {
    pub documents: DocumentStore,
    pub caps: ClientCaps,
    pub options: InitOptions,
    pub workspace_roots: Vec<PathBuf>,
    pub disk: Arc<DiskCache>,
}

impl Session {
    /// The explicit global config path, if any: `configPath`, else `HUBSPOT_CONFIG_PATH`.
    pub fn configured_path(&self) -> Option<PathBuf> {
        self.options
            .config_path
            .clone()
            .or_else(|| std::env::var_os("HUBSPOT_CONFIG_PATH").filter(|v| !v.is_empty()).map(PathBuf::from))
    }

    pub fn kind_of(&self, path: &std::path::Path) -> Option<DocKind> {
        DocKind::of_path(path, self.configured_path().as_deref())
    }

    pub fn world(&self) -> World {
        let overlay: HashMap<_, _> =
            self.documents.iter().map(|d| (d.file.path.clone(), d.file.clone())).collect();
        World::new(overlay, self.disk.clone(), std::sync::Arc::new(crate::analysis::world::Env::from_process(self.options.config_path.clone())))
    }

    /// Where the CLI looks, as this server sees it (`configPath` wins over the environment).
    pub fn env(&self) -> crate::hubspot::discovery::Env {
        crate::hubspot::discovery::Env::from_process(self.options.config_path.clone())
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<(Document, World)> {
        Some((self.documents.get(uri)?.clone(), self.world()))
    }
}
