//! Protocol glue: the only layer that knows LSP types.

pub mod capabilities;
pub mod commands;
pub mod documents;
pub mod from_proto;
pub mod handlers;
pub mod publish;
pub mod server;
pub mod session;
pub mod to_proto;
pub mod watcher;

#[cfg(test)]
mod code_action_tests;

use tower_lsp_server::LspService;

/// Serve LSP on stdin/stdout until the client says `exit`.
pub async fn serve() {
    let (service, socket) = LspService::new(server::Server::new);
    tower_lsp_server::Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
}
