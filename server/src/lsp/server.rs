//! The `LanguageServer` implementation: a thin dispatcher, one handler module per method.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::handlers;
use super::session::Session;
use crate::hubspot::api::{HubSpotClient, Origins};

pub struct Server {
    pub client: Client,
    pub session: Arc<Mutex<Session>>,
    /// Built on the first command, not at start-up: most sessions never call HubSpot.
    api: Arc<OnceLock<Arc<HubSpotClient>>>,
    /// Set by `shutdown`: an `exit` without it ends the process with status 1.
    shut_down: Arc<AtomicBool>,
    /// Held while diagnostics are checked for staleness and sent, so they arrive in order.
    pub publish_order: Arc<tokio::sync::Mutex<()>>,
    /// One permit per command running (see `commands::MAX_RUNNING`).
    pub running_commands: Arc<tokio::sync::Semaphore>,
}

impl Server {
    pub fn new(client: Client, shut_down: Arc<AtomicBool>) -> Server {
        Server {
            client,
            session: Arc::new(Mutex::new(Session::default())),
            api: Arc::default(),
            shut_down,
            publish_order: Arc::default(),
            running_commands: Arc::new(tokio::sync::Semaphore::new(super::commands::MAX_RUNNING)),
        }
    }

    /// Another handle on the same server, for tasks spawned off the request path.
    pub fn handle(&self) -> Server {
        Server {
            client: self.client.clone(),
            session: self.session.clone(),
            api: self.api.clone(),
            shut_down: self.shut_down.clone(),
            publish_order: self.publish_order.clone(),
            running_commands: self.running_commands.clone(),
        }
    }

    /// The API client every command shares (one token cache, one connection pool).
    pub fn api(&self, session: &Session) -> Arc<HubSpotClient> {
        self.api
            .get_or_init(|| Arc::new(HubSpotClient::new(Origins::from_process(session.options.api_url.clone()))))
            .clone()
    }

    /// The session lock. A handler that panicked while holding it must not take the whole
    /// server down with it, so a poisoned lock is simply taken over.
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::lifecycle::initialize(self, params)
    }

    async fn initialized(&self, _: InitializedParams) {
        handlers::lifecycle::initialized(self).await
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::text_sync::did_open(self, params).await
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::text_sync::did_change(self, params).await
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        handlers::text_sync::did_save(self, params).await
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        handlers::text_sync::did_close(self, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        handlers::editing::completion(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        handlers::editing::hover(self, params).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        handlers::editing::definition(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        handlers::editing::references(self, params).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        handlers::editing::document_symbol(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        handlers::editing::folding_range(self, params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        handlers::editing::inlay_hint(self, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::code_action(self, params).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        handlers::watched_files::did_change_watched_files(self, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        super::commands::execute(self, params).await
    }
}
