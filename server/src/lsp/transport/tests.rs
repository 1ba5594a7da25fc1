//! The transport end to end: JSON-RPC bytes in through a socket, bytes out, with a small
//! language server that answers, notifies and asks the client something.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

use super::run;

struct Echo {
    client: Client,
}

impl LanguageServer for Echo {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult::default())
    }
    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }
    /// Tells the client how long the text it was sent is.
    async fn did_open(&self, p: DidOpenTextDocumentParams) {
        self.client.log_message(MessageType::INFO, format!("{} chars", p.text_document.text.chars().count())).await;
    }
    /// Asks the client for its folders and answers with how many it has.
    async fn hover(&self, _: HoverParams) -> Result<Option<Hover>> {
        let n = self.client.workspace_folders().await?.unwrap_or_default().len();
        Ok(Some(Hover { contents: HoverContents::Scalar(MarkedString::String(format!("{n} folders"))), range: None }))
    }
}

struct Peer {
    input: UnixStream,
    output: BufReader<DuplexStream>,
}

impl Peer {
    fn start() -> Peer {
        let (input, ours) = UnixStream::pair().unwrap();
        let (out_ours, output) = tokio::io::duplex(1 << 20);
        let (service, socket) = LspService::new(|client| Echo { client });
        tokio::spawn(run(ours, out_ours, service, socket));
        Peer { input, output: BufReader::new(output) }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.input.write_all(bytes).unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    async fn next(&mut self) -> Value {
        tokio::time::timeout(Duration::from_secs(10), async {
            let mut length = 0;
            loop {
                let mut line = String::new();
                assert!(self.output.read_line(&mut line).await.unwrap() > 0, "output ended");
                match line.trim_end().split_once(": ") {
                    Some(("Content-Length", n)) => length = n.parse().unwrap(),
                    None if line == "\r\n" => break,
                    other => panic!("unexpected header {other:?}"),
                }
            }
            let mut body = vec![0; length];
            self.output.read_exact(&mut body).await.unwrap();
            serde_json::from_slice(&body).unwrap()
        })
        .await
        .expect("a message within 10 s")
    }

    async fn initialize(&mut self) {
        self.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
        assert_eq!(self.next().await["id"], 1);
        self.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    }
}

#[tokio::test]
async fn requests_are_answered_and_the_server_can_ask_the_client() {
    let mut peer = Peer::start();
    peer.initialize().await;
    let at = json!({"textDocument": {"uri": "file:///a.yml"}, "position": {"line": 0, "character": 0}});
    peer.send(json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": at}));
    let ask = peer.next().await;
    assert_eq!(ask["method"], "workspace/workspaceFolders");
    peer.send(json!({"jsonrpc": "2.0", "id": ask["id"], "result": [{"uri": "file:///w", "name": "w"}, {"uri": "file:///v", "name": "v"}]}));
    let answer = peer.next().await;
    assert_eq!(answer["id"], 2);
    assert_eq!(answer["result"]["contents"], "2 folders");
}

#[tokio::test]
async fn a_large_document_arrives_whole_in_pieces() {
    let mut peer = Peer::start();
    peer.initialize().await;
    let text: String = (0..200_000).map(|i| format!("  - name: \"acc {i}\" # é😀\n")).collect();
    let body = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///c.yml", "languageId": "yaml", "version": 1, "text": text}}}).to_string();
    let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    for piece in framed.as_bytes().chunks(100_003) {
        peer.send_raw(piece);
    }
    let log = peer.next().await;
    assert_eq!(log["method"], "window/logMessage");
    assert_eq!(log["params"]["message"], format!("{} chars", text.chars().count()));
}

#[tokio::test]
async fn what_cannot_be_read_is_answered_with_an_error_and_reading_goes_on() {
    let mut peer = Peer::start();
    peer.send_raw(b"Content-Length: 9\r\n\r\n{\"jsonrp}");
    let error = peer.next().await;
    assert_eq!(error["id"], Value::Null);
    assert_eq!(error["error"]["code"], -32700);
    peer.send_raw(b"Content-Type: text/plain\r\n\r\n");
    assert_eq!(peer.next().await["error"]["code"], -32700);
    peer.send(json!([1, 2]));
    assert_eq!(peer.next().await["error"]["code"], -32600);
    // And the next good message is served.
    peer.initialize().await;
}

#[tokio::test]
async fn exit_stops_the_transport() {
    let (mut input, ours) = UnixStream::pair().unwrap();
    let (out_ours, _output) = tokio::io::duplex(1 << 20);
    let (service, socket) = LspService::new(|client| Echo { client });
    let served = tokio::spawn(run(ours, out_ours, service, socket));
    let body = json!({"jsonrpc": "2.0", "method": "exit"}).to_string();
    // Input stays open after `exit`: the transport ends all the same.
    input.write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), served).await.expect("ends after exit").unwrap();
}
