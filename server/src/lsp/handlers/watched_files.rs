//! `workspace/didChangeWatchedFiles`: a HubSpot file changed on disk.

use tower_lsp_server::ls_types::*;

use crate::lsp::from_proto;
use crate::lsp::publish;
use crate::lsp::server::Server;

pub async fn did_change_watched_files(server: &Server, params: DidChangeWatchedFilesParams) {
    {
        let s = server.session();
        for change in &params.changes {
            if let Some(p) = from_proto::path(&change.uri) {
                s.disk.invalidate(&p);
            }
        }
    }
    publish::refresh_all(server).await;
}
