//! Computing and publishing diagnostics for open documents.
//!
//! Refreshes run concurrently (an edit's refresh can overtake the one before it), so every
//! snapshot gets a ticket, and a document's diagnostics are sent only from its newest ticket:
//! an older snapshot of the world never overwrites a newer one.

use std::collections::HashMap;

use tower_lsp_server::ls_types::{Diagnostic, Uri};

use crate::analysis::{self, DocKind, World};

use super::documents::Document;
use super::server::Server;
use super::to_proto;

/// The newest snapshot taken of each open document, by ticket.
#[derive(Default)]
pub struct Tickets {
    next: u64,
    newest: HashMap<Uri, u64>,
}

impl Tickets {
    fn issue(&mut self, uri: &Uri) -> u64 {
        self.next += 1;
        self.newest.insert(uri.clone(), self.next);
        self.next
    }

    fn is_newest(&self, uri: &Uri, ticket: u64) -> bool {
        self.newest.get(uri) == Some(&ticket)
    }
}

/// After `uri` changed: that document, plus every other open document whose findings can
/// depend on it (settings and `.hsaccount` files read the global config; the global config
/// itself depends on no other file, so it is not re-checked for others' edits).
pub async fn refresh_after_change(server: &Server, uri: &Uri) {
    publish(server, |d| &d.uri == uri || d.file.kind != DocKind::GlobalConfig).await;
}

/// Something outside the open documents changed: re-check everything open.
pub async fn refresh_all(server: &Server) {
    publish(server, |_| true).await;
}

/// A document was closed: clear what was published for it (its problems now belong to
/// `check`, not the editor). Sent under the same lock as every publish, so a refresh that
/// was computing it cannot send after this.
pub async fn clear(server: &Server, uri: Uri) {
    let _order = server.publish_order.lock().await;
    server.session().tickets.newest.remove(&uri);
    server.client.publish_diagnostics(uri, Vec::new(), None).await;
}

/// One document as it stood, with the world it is checked against.
struct Snapshot {
    ticket: u64,
    doc: Document,
    world: World,
    tags: bool,
}

async fn publish(server: &Server, include: impl Fn(&Document) -> bool) {
    for snap in snapshots(server, include) {
        if !server.session().tickets.is_newest(&snap.doc.uri, snap.ticket) {
            continue;
        }
        let (uri, ticket, version) = (snap.doc.uri.clone(), snap.ticket, snap.doc.version);
        match tokio::task::spawn_blocking(move || compute(&snap)).await {
            Ok(diagnostics) => send(server, uri, ticket, version, diagnostics).await,
            Err(e) => tracing::error!("analysis failed for {}: {e}", uri.as_str()),
        }
    }
}

/// One world and one ticket per document, taken together under the session lock.
fn snapshots(server: &Server, include: impl Fn(&Document) -> bool) -> Vec<Snapshot> {
    let mut s = server.session();
    let world = s.world();
    let tags = s.caps.diagnostic_tags;
    let docs: Vec<Document> = s.documents.iter().filter(|d| include(d)).cloned().collect();
    docs.into_iter()
        .map(|doc| Snapshot { ticket: s.tickets.issue(&doc.uri), doc, world: world.clone(), tags })
        .collect()
}

fn compute(snap: &Snapshot) -> Vec<Diagnostic> {
    let found = analysis::diagnostics::compute(&snap.doc.file, &snap.world);
    found.iter().map(|d| to_proto::diagnostic(&snap.doc.rope, d, snap.tags)).collect()
}

/// Checked and sent under one lock: a newer ticket's diagnostics always arrive last.
async fn send(server: &Server, uri: Uri, ticket: u64, version: i32, diagnostics: Vec<Diagnostic>) {
    let _order = server.publish_order.lock().await;
    if server.session().tickets.is_newest(&uri, ticket) {
        server.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
    }
}

#[cfg(test)]
#[path = "publish_tests.rs"]
mod tests;
