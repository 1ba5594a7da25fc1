//! Computing and publishing diagnostics for open documents.

use tower_lsp_server::ls_types::Uri;

use crate::analysis::{self, DocKind};

use super::server::Server;
use super::to_proto;

/// After `uri` changed: that document, plus every other open document whose findings can
/// depend on it (settings and `.hsaccount` files read the global config; the global config
/// itself depends on no other file, so it is not re-checked for others' edits).
pub async fn refresh_after_change(server: &Server, uri: &Uri) {
    let targets: Vec<Uri> = {
        let s = server.session();
        s.documents
            .iter()
            .filter(|d| &d.uri == uri || d.file.kind != DocKind::GlobalConfig)
            .map(|d| d.uri.clone())
            .collect()
    };
    publish(server, targets).await;
}

/// Something outside the open documents changed: re-check everything open.
pub async fn refresh_all(server: &Server) {
    let targets: Vec<Uri> = server.session().documents.iter().map(|d| d.uri.clone()).collect();
    publish(server, targets).await;
}

async fn publish(server: &Server, uris: Vec<Uri>) {
    for uri in uris {
        let Some((doc, world, tags)) = ({
            let s = server.session();
            s.snapshot(&uri).map(|(d, w)| (d, w, s.caps.diagnostic_tags))
        }) else {
            continue;
        };
        let version = doc.version;
        let computed = tokio::task::spawn_blocking(move || {
            let found = analysis::diagnostics::compute(&doc.file, &world);
            found.iter().map(|d| to_proto::diagnostic(&doc.rope, d, tags)).collect::<Vec<_>>()
        })
        .await;
        let diagnostics = match computed {
            Ok(d) => d,
            Err(e) => {
                tracing::error!("analysis failed for {}: {e}", uri.as_str());
                continue;
            }
        };
        // A newer edit arrived meanwhile: its own refresh will publish.
        let current = server.session().documents.get(&uri).map(|d| d.version);
        if current == Some(version) {
            server.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
        }
    }
}
