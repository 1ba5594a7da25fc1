//! `didOpen` / `didChange` / `didSave` / `didClose`. Each applies its change to the store
//! before its first `.await`, so edits are never reordered.

use tower_lsp_server::ls_types::*;

use crate::lsp::from_proto;
use crate::lsp::publish;
use crate::lsp::server::Server;

pub async fn did_open(server: &Server, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    {
        let mut s = server.session();
        let Some(path) = from_proto::path(&doc.uri) else { return };
        let Some(kind) = s.kind_of(&path) else { return };
        s.documents.open(doc.uri.clone(), path, kind, doc.version, doc.text);
    }
    publish::refresh_after_change(server, &doc.uri).await;
}

pub async fn did_change(server: &Server, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let superseded = {
        let mut s = server.session();
        let changes = params.content_changes.into_iter().map(from_proto::change).collect();
        s.documents.change(&uri, params.text_document.version, changes)
    };
    if let Some(previous_parse) = superseded {
        publish::refresh_after_change(server, &uri).await;
        drop(previous_parse);
    }
}

pub async fn did_save(server: &Server, params: DidSaveTextDocumentParams) {
    // Saving changes file permissions and git status facts nothing else tells us about.
    server.session().disk.clear();
    publish::refresh_after_change(server, &params.text_document.uri).await;
}

pub async fn did_close(server: &Server, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let closed = server.session().documents.close(&uri).is_some();
    if closed {
        publish::clear(server, uri).await;
        publish::refresh_all(server).await;
    }
}
