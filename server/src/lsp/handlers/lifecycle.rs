//! `initialize` / `initialized`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

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
    let (dynamic, relative, global) = {
        let s = server.session();
        (s.caps.watched_files_dynamic, s.caps.watched_files_relative_pattern, s.env().config_file())
    };
    // Compiled now, off the request path, rather than inside the first diagnostics.
    tokio::task::spawn_blocking(crate::analysis::schema::compile);
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
