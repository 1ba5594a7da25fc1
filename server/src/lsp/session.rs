//! The server's mutable state. Notifications mutate it on the main path; requests take a
//! snapshot (cheap `Arc` clones) and never hold the lock across an `.await`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::analysis::world::DiskCache;
use crate::analysis::{DocKind, World};
use crate::hubspot::writer::FileLocks;
use crate::hubspot::Env;

use super::capabilities::ClientCaps;
use super::documents::{Document, DocumentStore};

/// `initializationOptions`, all optional.
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
    /// One lock per file, shared by every command that writes one.
    pub locks: Arc<FileLocks>,
    pub tickets: super::publish::Tickets,
}

impl Session {
    /// The process inputs of discovery, with `configPath` winning over `HUBSPOT_CONFIG_PATH`.
    pub fn env(&self) -> Env {
        Env::from_process(self.options.config_path.clone())
    }

    /// The explicit global config path, if any: `configPath`, else `HUBSPOT_CONFIG_PATH`.
    pub fn configured_path(&self) -> Option<PathBuf> {
        self.env().config_path
    }

    pub fn kind_of(&self, path: &std::path::Path) -> Option<DocKind> {
        DocKind::of_path(path, self.configured_path().as_deref())
    }

    pub fn world(&self) -> World {
        let overlay: HashMap<_, _> = self.documents.iter().map(|d| (d.file.path.clone(), d.file.clone())).collect();
        World::new(overlay, self.disk.clone(), Arc::new(self.env()))
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<(Document, World)> {
        Some((self.documents.get(uri)?.clone(), self.world()))
    }
}
