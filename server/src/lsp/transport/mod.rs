//! JSON-RPC over stdio: messages in ([`frames`], [`decode`]), the service's answers and its
//! own requests to the client out.
//!
//! tower-lsp-server's `Server` does the same with a byte-stream codec; this replaces only its
//! reading of messages (see [`frames`] and [`decode`] for what that cost on a large
//! document) and keeps its scheduling as it is: requests are started in the order they
//! arrive, up to four run at once, and answers go out as they are ready. So a `didChange`
//! is applied before any later request is looked at, as before.

mod decode;
mod frames;
mod unescape;

use std::io::Read;

use futures::channel::mpsc;
use futures::{future, join, stream, FutureExt, SinkExt, StreamExt, TryFutureExt};
use serde::Serialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ClientSocket;
use tower_service::Service;

use decode::{decode, Incoming};
use frames::{Frame, Frames};

/// Requests handled at once (tower-lsp-server's own default).
const CONCURRENCY: usize = 4;
/// Messages read ahead of the service (as tower-lsp-server's queue).
const QUEUE: usize = 100;

/// Serves `service` on standard input and output until the client says `exit` or goes.
pub async fn serve<S>(service: S, socket: ClientSocket)
where
    S: Service<Request, Response = Option<Response>> + Send + 'static,
    S::Error: std::fmt::Display,
    S::Future: Send,
{
    frames::enlarge_pipe(0);
    run(std::io::stdin(), tokio::io::stdout(), service, socket).await;
}

async fn run<S>(
    input: impl Read + Send + 'static,
    mut output: impl AsyncWrite + Unpin,
    mut service: S,
    socket: ClientSocket,
) where
    S: Service<Request, Response = Option<Response>> + Send + 'static,
    S::Error: std::fmt::Display,
    S::Future: Send,
{
    let mut incoming = read_on_a_thread(input);
    let (to_client, mut from_client) = socket.split();
    let (to_client, stop_requests) = stream::abortable(to_client);
    let (mut answers_tx, answers) = mpsc::channel::<Response>(0);
    let (mut tasks_tx, tasks) = mpsc::channel(QUEUE);

    let answer = tasks.buffer_unordered(CONCURRENCY).filter_map(future::ready).map(Ok).forward(answers_tx.clone());

    let write = async {
        let mut out = stream::select(answers.map(Outgoing::Response), to_client.map(Outgoing::Request));
        while let Some(message) = out.next().await {
            let bytes = match framed(&message) {
                Ok(bytes) => bytes,
                Err(e) => {
                    tracing::error!("cannot encode a message to the client: {e}");
                    continue;
                }
            };
            if let Err(e) = write_out(&mut output, &bytes).await {
                tracing::error!("writing to the client failed: {e}");
                return;
            }
        }
    };

    let read = async {
        while let Some(frame) = incoming.recv().await {
            // Decoded where it is handled; a document's text is made in its message's own
            // buffer (see `decode`), the rest is small.
            let message = match frame {
                Frame::Body(body) => decode(body),
                Frame::Bad(why) => {
                    tracing::error!("a message from the client could not be read: {why}");
                    Incoming::Invalid(Error::parse_error())
                }
            };
            match message {
                Incoming::Request(request) => {
                    if let Err(e) = future::poll_fn(|cx| service.poll_ready(cx)).await {
                        tracing::error!("the server cannot take requests: {e}");
                        break;
                    }
                    let exit = request.method() == "exit";
                    let task = service.call(request).unwrap_or_else(|e| {
                        tracing::error!("{e}");
                        None
                    });
                    let _ = tasks_tx.send(task).await;
                    if exit {
                        break;
                    }
                }
                Incoming::Response(response) => {
                    if let Err(e) = from_client.send(response).await {
                        tracing::error!("a response from the client went nowhere: {e}");
                        break;
                    }
                }
                Incoming::Invalid(error) => {
                    let _ = answers_tx.send(Response::from_error(Id::Null, error)).await;
                }
            }
        }
        tasks_tx.disconnect();
        answers_tx.disconnect();
        stop_requests.abort();
    };

    join!(answer.map(|_| ()), write, read);
}

/// What goes to the client: answers, and the server's own requests and notifications.
#[derive(Serialize)]
#[serde(untagged)]
enum Outgoing {
    Response(Response),
    Request(Request),
}

/// The message with its header. Its text is never logged: messages carry credentials.
fn framed(message: &Outgoing) -> serde_json::Result<Vec<u8>> {
    let body = serde_json::to_vec(message)?;
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(&body);
    Ok(out)
}

async fn write_out(output: &mut (impl AsyncWrite + Unpin), bytes: &[u8]) -> std::io::Result<()> {
    output.write_all(bytes).await?;
    output.flush().await
}

/// The messages of `input`, read and cut on a thread of its own; the end of input (or a
/// read error, logged) ends them.
fn read_on_a_thread(input: impl Read + Send + 'static) -> tokio::sync::mpsc::Receiver<Frame> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Frame>(8);
    let spawned = std::thread::Builder::new().name("hubspot-ls-stdin".into()).spawn(move || {
        let mut frames = Frames::new(input);
        loop {
            match frames.next() {
                Ok(Some(frame)) => {
                    if tx.blocking_send(frame).is_err() {
                        return; // the transport is gone
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    tracing::error!("reading standard input failed: {e}");
                    return;
                }
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start the standard input reader: {e}");
    }
    rx
}

#[cfg(test)]
mod tests;
