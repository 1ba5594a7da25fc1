//! `initialize` / `initialized`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::DocKind;
use crate::lsp::capabilities::{server_capabilities, ClientCaps};
use crate::lsp::from_proto;
use crate::lsp::server::Server;
use crate::lsp::session::InitOptions;

pub fn initialize(server: &Server, params: InitializeParams) -> Result<InitializeResult> {
    let options: InitOptions = params
        .initialization_options
        .clone()
        .and_then(|v| serde_json::from_value(v).map_err(|e| tracing::warn!("ignoring initializationOptions: {e}")).ok())
        .unwrap_or_default();
    let mut roots: Vec<_> =
        params.workspace_folders.iter().flatten().filter_map(|f| from_proto::path(&f.uri)).collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        roots.extend(params.root_uri.as_ref().and_then(from_proto::path));
    }
    {
        let mut s = server.session();
        s.caps = ClientCaps::from(&params.capabilities);
        s.options = options;
        s.workspace_roots = roots;
    }
    Ok(InitializeResult {
        capabilities: server_capabilities(),
        server_info: Some(ServerInfo { name: "hubspot-ls".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
        offset_encoding: None,
    })
}

pub async fn initialized(server: &Server) {
    let (dynamic, relative, global, world, roots) = {
        let s = server.session();
        (
            s.caps.watched_files_dynamic,
            s.caps.watched_files_relative_pattern,
            s.env().config_file(),
            s.world(),
            s.workspace_roots.clone(),
        )
    };
    // While the editor is still opening files: compile the schemas, and read and check the
    // configs in force for the workspace (every other file is checked against them, and
    // the editor is likely to open them), rather than on the first document's diagnostics.
    let global_file = global.clone();
    tokio::task::spawn_blocking(move || {
        world.disk.clone().read_ahead(|| {
            // The schemas compile on the other core while the configs are read (the first
            // check waits for them): an editor that opens the config right away waits for
            // this whole read.
            std::thread::spawn(crate::analysis::schema::compile);
            let in_force = roots.iter().filter_map(|dir| world.config_in_force(dir).file().cloned());
            let global = global_file.and_then(|g| world.source(&g, DocKind::GlobalConfig));
            let mut read: Vec<std::path::PathBuf> = Vec::new();
            for file in in_force.chain(global) {
                if !read.contains(&file.path) {
                    read.push(file.path.clone());
                    crate::analysis::diagnostics::prepare(&file);
                }
            }
        });
    });
    if dynamic {
        let mut watchers: Vec<FileSystemWatcher> =
            ["**/.hscli/config.yml", "**/hubspot.config.{yml,yaml}", "**/.hs/settings.json", "**/.hsaccount"]
                .into_iter()
                .map(|g| FileSystemWatcher { glob_pattern: GlobPattern::String(g.into()), kind: None })
                .collect();
        // The global config usually lives outside the workspace: watch it by absolute
        // location when the client understands relative patterns.
        if let (true, Some(global)) = (relative, global) {
            if let (Some(dir), Some(name)) = (global.parent(), global.file_name().and_then(|n| n.to_str())) {
                if let Some(base) = Uri::from_file_path(dir) {
                    watchers.push(FileSystemWatcher {
                        glob_pattern: GlobPattern::Relative(RelativePattern {
                            base_uri: OneOf::Right(base),
                            pattern: name.to_string(),
                        }),
                        kind: None,
                    });
                }
            }
        }
        let registration = Registration {
            id: "hubspot-ls-watched-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
        };
        if let Err(e) = server.client.register_capability(vec![registration]).await {
            tracing::warn!("client refused file watching ({e}); using our own watcher");
            crate::lsp::watcher::start(server);
        }
    } else {
        crate::lsp::watcher::start(server);
    }
}
