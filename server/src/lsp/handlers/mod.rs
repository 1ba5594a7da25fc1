//! One module per LSP method (or small family of methods).

pub mod code_action;
pub mod editing;
pub mod lifecycle;
pub mod text_sync;
pub mod watched_files;

use tower_lsp_server::jsonrpc::{Error, Result};

/// Runs `work` on a blocking thread, off the task that reads messages and answers requests:
/// analysis may read files from disk.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!("a request's work failed: {e}");
        Error::internal_error()
    })
}
