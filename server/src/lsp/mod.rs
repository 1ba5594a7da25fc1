//! Protocol glue: the only layer that knows LSP types.

pub mod capabilities;
pub mod commands;
pub mod documents;
pub mod from_proto;
pub mod handlers;
pub mod publish;
pub mod server;
pub mod session;
mod stdin_frames;
pub mod to_proto;
mod unknown_requests;
pub mod watcher;

#[cfg(test)]
mod code_action_tests;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp_server::LspService;

/// Serves LSP on stdin/stdout until the client says `exit` (or closes stdin); true when the
/// client asked for `shutdown` first, which is what makes the exit clean.
pub async fn serve() -> bool {
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = shut_down.clone();
    let (service, socket) = LspService::new(move |client| server::Server::new(client, flag.clone()));
    let service = unknown_requests::Answered(service);
    let stdin = stdin_frames::checked(tokio::io::stdin());
    // Every message, edits included, waits for one of these slots; running commands hold at
    // most `MAX_RUNNING` of them.
    let slots = commands::MAX_RUNNING + 8;
    tower_lsp_server::Server::new(stdin, tokio::io::stdout(), socket).concurrency_level(slots).serve(service).await;
    shut_down.load(Ordering::SeqCst)
}
