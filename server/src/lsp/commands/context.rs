//! What a command runs with: a snapshot taken under the session lock (never held across an
//! `.await`), the shared API client, and `$/progress` reporting when the client takes it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::{
    notification::Progress as ProgressNotification, request::WorkDoneProgressCreate, NumberOrString, ProgressParams,
    ProgressParamsValue, ProgressToken, WorkDoneProgress, WorkDoneProgressBegin, WorkDoneProgressCreateParams,
    WorkDoneProgressEnd, WorkDoneProgressReport,
};
use tower_lsp_server::Client;

use crate::hubspot::api::HubSpotClient;
use crate::hubspot::discovery::Env;
use crate::hubspot::ops::{OpError, OpResult};
use crate::hubspot::writer::Writer;

use super::super::server::Server;

pub struct CommandCtx {
    pub env: Env,
    /// The first workspace folder: the directory of commands that name none.
    pub root: Option<PathBuf>,
    pub api: Arc<HubSpotClient>,
    /// The session's buffers and file locks: every file a command writes goes through it.
    pub writer: Writer,
    client: Client,
    progress_supported: bool,
    token: Option<ProgressToken>,
}

impl CommandCtx {
    pub fn snapshot(server: &Server, token: Option<ProgressToken>) -> CommandCtx {
        let s = server.session();
        CommandCtx {
            env: s.env(),
            root: s.workspace_roots.first().cloned(),
            api: server.api(&s),
            writer: Writer::new(Arc::clone(s.documents.buffers()), Arc::clone(&s.locks)),
            client: server.client.clone(),
            progress_supported: s.caps.work_done_progress,
            token,
        }
    }

    /// `directory` made absolute, else the workspace root, else the server's cwd.
    pub fn directory(&self, directory: Option<&str>) -> OpResult<PathBuf> {
        let base = self.root.clone().or_else(|| std::env::current_dir().ok()).unwrap_or_else(|| PathBuf::from("/"));
        match directory {
            Some(d) if !d.trim().is_empty() => {
                let p = Path::new(d.trim());
                let p = if p.is_absolute() { p.to_path_buf() } else { base.join(p) };
                Ok(crate::hubspot::discovery::clean(&p))
            }
            _ => Ok(base),
        }
    }

    /// A path argument made absolute against the workspace root.
    pub fn path(&self, p: &str) -> OpResult<PathBuf> {
        if p.trim().is_empty() {
            return Err(OpError::invalid("A path is needed."));
        }
        self.directory(Some(p))
    }

    /// Starts `$/progress` for a long command, when the client advertised it.
    pub async fn begin_progress(&self, title: &str) -> Option<ProgressHandle> {
        if !self.progress_supported {
            return None;
        }
        let token = match &self.token {
            Some(t) => t.clone(),
            None => {
                let t = NumberOrString::String(format!("hubspot-ls/{}", next_id()));
                // A client that never answers must not hold the command up.
                let create = self
                    .client
                    .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: t.clone() });
                match tokio::time::timeout(std::time::Duration::from_secs(5), create).await {
                    Ok(Ok(())) => {}
                    _ => return None,
                }
                t
            }
        };
        let h = ProgressHandle { client: self.client.clone(), token };
        h.send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: title.to_string(),
            cancellable: Some(false),
            message: None,
            percentage: Some(0),
        }))
        .await;
        Some(h)
    }
}

fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[derive(Clone)]
pub struct ProgressHandle {
    client: Client,
    token: ProgressToken,
}

impl ProgressHandle {
    async fn send(&self, value: WorkDoneProgress) {
        self.client
            .send_notification::<ProgressNotification>(ProgressParams {
                token: self.token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            })
            .await;
    }

    pub async fn report(&self, message: String, percentage: Option<u32>) {
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(message),
            percentage,
        }))
        .await;
    }

    pub async fn end(&self, message: String) {
        self.send(WorkDoneProgress::End(WorkDoneProgressEnd { message: Some(message) })).await;
    }
}

/// Progress callbacks come from inside the API layer, which is synchronous about it: they
/// go through a channel to a task that sends the notifications in order.
pub fn progress_pump(
    handle: Option<ProgressHandle>,
) -> (impl Fn(crate::hubspot::api::files::Progress) + Send + Sync, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<crate::hubspot::api::files::Progress>();
    let task = tokio::spawn(async move {
        while let Some(p) = rx.recv().await {
            if let Some(h) = &handle {
                let pct = p.total.filter(|t| *t > 0).map(|t| (p.done * 100 / t) as u32);
                h.report(p.message, pct).await;
            }
        }
    });
    (move |p| drop(tx.send(p)), task)
}
