//! One module per LSP method (or small family of methods).

pub mod code_action;
pub mod editing;
pub mod lifecycle;
pub mod text_sync;
pub mod watched_files;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};

/// Runs `work` on a blocking thread, off the task that reads messages and answers requests:
/// analysis may read files from disk.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    blocking_cancellable(|_: &Cancel| work()).await
}

/// Set once the request is dropped (`$/cancelRequest`, or the server shutting down): the
/// client has its answer by then, so long work on the blocking pool may stop early.
#[derive(Clone, Default, Debug)]
pub(crate) struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub(crate) fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Sets the flag when the request's future is dropped before the work finished.
struct SetOnDrop(Cancel);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0 .0.store(true, Ordering::Relaxed);
    }
}

/// [`blocking`], where `work` sees whether the request was cancelled.
pub(crate) async fn blocking_cancellable<T: Send + 'static>(
    work: impl FnOnce(&Cancel) -> T + Send + 'static,
) -> Result<T> {
    let cancel = Cancel::default();
    let guard = SetOnDrop(cancel.clone());
    let result = tokio::task::spawn_blocking(move || work(&cancel)).await;
    std::mem::forget(guard);
    result.map_err(|e| {
        tracing::error!("a request's work failed: {e}");
        Error::internal_error()
    })
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_dropped_request_tells_its_blocking_work_to_stop() {
        let (cancel_tx, cancel_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let mut request = Box::pin(blocking_cancellable(move |c: &Cancel| {
            cancel_tx.send(c.clone()).unwrap();
            let _ = go_rx.recv_timeout(Duration::from_secs(30));
            c.is_set()
        }));
        // Polled once, as the server does before a cancellation arrives: the work starts.
        assert!(tokio::time::timeout(Duration::ZERO, &mut request).await.is_err());
        let cancel = tokio::task::spawn_blocking(move || cancel_rx.recv().unwrap()).await.unwrap();
        assert!(!cancel.is_set());
        drop(request);
        assert!(cancel.is_set(), "dropping the request sets the flag");
        drop(go_tx);
    }

    #[tokio::test]
    async fn a_finished_request_is_not_cancelled() {
        let cancel = blocking_cancellable(|c: &Cancel| c.clone()).await.unwrap();
        assert!(!cancel.is_set());
    }
}
