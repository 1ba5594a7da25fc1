//! The order of published diagnostics when refreshes overlap.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use futures::{FutureExt, StreamExt};
use serde_json::json;
use tower_lsp_server::jsonrpc::Request;
use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::{ClientSocket, LspService};
use tower_service::Service;

use super::*;

const ACCOUNT: &str =
    "accounts:\n  - name: prod\n    accountId: 123\n    authType: personalaccesskey\n    personalAccessKey: k\n";
const WITH_999: &str = "  - name: new\n    accountId: 999\n    authType: personalaccesskey\n    personalAccessKey: k\n";

struct Fixture {
    _dir: tempfile::TempDir,
    service: LspService<Server>,
    socket: ClientSocket,
    config: Uri,
    settings: Uri,
}

/// A global config without account 999, and an open settings file that links 999, in an
/// initialized server (the client drops notifications before `initialize`).
async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yml");
    std::fs::write(&config, ACCOUNT).unwrap();
    let settings = dir.path().join("proj/.hs/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, r#"{"accounts": [999]}"#).unwrap();
    let (mut service, socket) = LspService::new(|client| Server::new(client, Arc::new(AtomicBool::new(false))));
    let initialize = Request::build("initialize").params(json!({ "capabilities": {} })).id(1).finish();
    service.call(initialize).await.unwrap().expect("an answer to initialize");
    service.inner().session().options.config_path = Some(config.clone());
    let config_uri = open(&service, &config, ACCOUNT);
    let settings_uri = open(&service, &settings, r#"{"accounts": [999]}"#);
    Fixture { _dir: dir, service, socket, config: config_uri, settings: settings_uri }
}

fn open(service: &LspService<Server>, path: &Path, text: &str) -> Uri {
    let uri = Uri::from_file_path(path).unwrap();
    let mut s = service.inner().session();
    let kind = s.kind_of(path).unwrap();
    s.documents.open(uri.clone(), path.to_path_buf(), kind, 1, text.to_string());
    uri
}

fn add_account_999(f: &Fixture) {
    let change = super::super::documents::Change::Full(format!("{ACCOUNT}{WITH_999}"));
    f.service.inner().session().documents.change(&f.config, 2, vec![change]);
}

fn settings_snapshot(f: &Fixture) -> Snapshot {
    let mut snaps = snapshots(f.service.inner(), |d| d.uri == f.settings);
    assert_eq!(snaps.len(), 1);
    snaps.remove(0)
}

/// Sends what `snap` finds, and returns the codes of each notification that went out (the
/// client's channel holds one message, so it is read after every send).
async fn send_computed(f: &mut Fixture, snap: Snapshot) -> Vec<Vec<String>> {
    let diagnostics = compute(&snap);
    send(f.service.inner(), snap.doc.uri.clone(), snap.ticket, snap.doc.version, diagnostics).await;
    published(&mut f.socket)
}

fn published(socket: &mut ClientSocket) -> Vec<Vec<String>> {
    let mut sent = Vec::new();
    while let Some(Some(request)) = socket.next().now_or_never() {
        sent.push(codes(&request));
    }
    sent
}

fn codes(request: &Request) -> Vec<String> {
    assert_eq!(request.method(), "textDocument/publishDiagnostics");
    let params = request.params().unwrap();
    let diagnostics = params["diagnostics"].as_array().unwrap();
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn a_refresh_from_before_an_edit_never_overwrites_the_one_after_it() {
    let mut f = fixture().await;
    let before = settings_snapshot(&f);
    add_account_999(&f);
    let after = settings_snapshot(&f);
    // The later refresh finishes first, as it can when two run at once.
    assert_eq!(send_computed(&mut f, after).await, vec![Vec::<String>::new()], "the newer world: 999 is known");
    assert_eq!(send_computed(&mut f, before).await, Vec::<Vec<String>>::new(), "the older world is not sent");
}

#[tokio::test]
async fn refreshes_that_finish_in_order_each_publish() {
    let mut f = fixture().await;
    let before = settings_snapshot(&f);
    assert_eq!(send_computed(&mut f, before).await, vec![vec!["linked-account-unknown".to_string()]]);
    add_account_999(&f);
    let after = settings_snapshot(&f);
    assert_eq!(send_computed(&mut f, after).await, vec![Vec::<String>::new()]);
}

#[tokio::test]
async fn nothing_is_published_for_a_document_after_its_close_is_cleared() {
    let mut f = fixture().await;
    let before = settings_snapshot(&f);
    f.service.inner().session().documents.close(&f.settings);
    clear(f.service.inner(), f.settings.clone()).await;
    assert_eq!(published(&mut f.socket), vec![Vec::<String>::new()], "the clearing");
    assert_eq!(send_computed(&mut f, before).await, Vec::<Vec<String>>::new(), "nothing after it");
}
