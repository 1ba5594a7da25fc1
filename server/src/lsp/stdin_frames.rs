//! stdin for tower-lsp-server's `Server`, frame by frame, without the frames it cannot decode.
//!
//! Its reader stops for good at the first undecodable message (tokio-util's `FramedRead` ends
//! after an error), so one malformed frame from a client would end the session. Here each
//! frame is read whole and checked with the same message types the server decodes; a frame
//! that is not a JSON-RPC message is dropped with a warning, and a header block without a
//! usable `Content-Length` is skipped. Only `Content-Length` is passed on.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::Id;

use crate::hubspot::limits::{MAX_HEADER_LINE_BYTES, MAX_MESSAGE_BYTES};

/// `input`, checked frame by frame, as a reader for the server.
pub fn checked(input: impl AsyncRead + Unpin + Send + 'static) -> impl AsyncRead + Unpin + Send {
    let (reader, writer) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        if let Err(e) = pump(input, writer, MAX_MESSAGE_BYTES).await {
            tracing::debug!("stdin: {e}");
        }
    });
    reader
}

/// Copies each decodable frame of `input` to `out` until `input` ends (or breaks off inside a
/// frame, which ends `out` too: the server then sees the end of its input).
async fn pump(input: impl AsyncRead + Unpin, mut out: impl AsyncWrite + Unpin, max: usize) -> std::io::Result<()> {
    let mut input = BufReader::new(input);
    while let Some(length) = content_length(&mut input).await? {
        if length > max {
            tracing::warn!("dropped a {length}-byte message: the limit is {max} bytes");
            tokio::io::copy(&mut (&mut input).take(length as u64), &mut tokio::io::sink()).await?;
            continue;
        }
        let mut body = vec![0; length];
        input.read_exact(&mut body).await?;
        match decodable(&body) {
            Ok(()) => {
                out.write_all(format!("Content-Length: {length}\r\n\r\n").as_bytes()).await?;
                out.write_all(&body).await?;
                out.flush().await?;
            }
            Err(why) => tracing::warn!("dropped a message that is not JSON-RPC: {why}"),
        }
    }
    Ok(())
}

/// Reads header blocks until one names a length; `None` at the end of the input.
async fn content_length(input: &mut (impl AsyncBufReadExt + Unpin)) -> std::io::Result<Option<usize>> {
    let mut length = None;
    let mut in_block = false;
    loop {
        let mut line = Vec::new();
        let n = input.take(MAX_HEADER_LINE_BYTES as u64).read_until(b'\n', &mut line).await?;
        if n == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            match length.take() {
                Some(l) => return Ok(Some(l)),
                None if in_block => tracing::warn!("skipped a header block without Content-Length"),
                None => {}
            }
            in_block = false;
            continue;
        }
        in_block = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
}

/// What the server's decoding requires of a message (tower-lsp-server's `Request`, which every
/// message it takes also parses as): UTF-8, `jsonrpc: "2.0"`, a string `method` if any, an id
/// that is a number, a string or null, and JSON throughout. Values are skipped, not copied.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    jsonrpc: Cow<'a, str>,
    #[serde(default, borrow)]
    #[allow(dead_code)]
    method: Cow<'a, str>,
    #[serde(default)]
    #[allow(dead_code)]
    id: Option<Id>,
    #[serde(default)]
    #[allow(dead_code)]
    params: Option<IgnoredAny>,
}

fn decodable(body: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(body).map_err(|e| e.to_string())?;
    match serde_json::from_str::<Envelope>(text) {
        Ok(e) if e.jsonrpc == "2.0" => Ok(()),
        Ok(_) => Err("not JSON-RPC 2.0".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::jsonrpc::{Request, Response};

    use super::*;

    async fn through(input: &[u8]) -> String {
        let mut out = Vec::new();
        pump(input, &mut out, 1000).await.unwrap();
        String::from_utf8(out).unwrap()
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[tokio::test]
    async fn good_frames_pass_with_only_their_length() {
        let req = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: {}\r\n\r\n{req}",
            req.len()
        );
        assert_eq!(through(input.as_bytes()).await, frame(req));
    }

    #[tokio::test]
    async fn undecodable_frames_are_dropped_and_the_next_one_passes() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let response = r#"{"jsonrpc":"2.0","id":3,"result":null}"#;
        let mut input = String::new();
        for bad in
            ["{not json", "[1,2,3]", r#"{"jsonrpc":"1.0","method":"x"}"#, r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#]
        {
            input += &frame(bad);
        }
        input += "X-Junk: 1\r\n\r\n"; // a header block without a length
        input += &frame(good);
        input += &frame(response);
        let mut bytes = input.into_bytes();
        bytes.extend(b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc"); // not UTF-8
        assert_eq!(through(&bytes).await, frame(good) + &frame(response));
    }

    #[tokio::test]
    async fn a_frame_over_the_limit_is_skipped_without_being_held() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized"}"#;
        let mut input = b"Content-Length: 1001\r\n\r\n".to_vec();
        input.resize(input.len() + 1001, b' ');
        input.extend(frame(good).as_bytes());
        assert_eq!(through(&input).await, frame(good));
    }

    #[test]
    fn the_check_agrees_with_the_servers_own_decoding() {
        let bodies = [
            r#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":[1,{"b":null}]}}"#,
            r#"{"jsonrpc":"2.0","method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":"s","result":null}"#,
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"m"}}"#,
            r#"{"jsonrpc":"2.0"}"#,
            r#"{"jsonrpc":"2.0","method":null}"#,
            r#"{"jsonrpc":"2.0","method":3}"#,
            r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","method":"x","method":"y"}"#,
            r#"{"jsonrpc":2,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":[1,}"#,
            r#"{"jsonrpc":"2.0","method":"x"} trailing"#,
            r#"{"jsonrpc":"2.0","method":"\ud800"}"#,
            "[]",
            "null",
        ];
        for body in bodies {
            let theirs =
                serde_json::from_str::<Response>(body).is_ok() || serde_json::from_str::<Request>(body).is_ok();
            assert_eq!(decodable(body.as_bytes()).is_ok(), theirs, "{body}");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::proptest_config(256))]
        /// Any byte changed, dropped or doubled in real messages: still the same verdict.
        #[test]
        fn mutated_messages_get_the_servers_verdict(which in 0usize..3, at in 0usize..200, byte in proptest::num::u8::ANY, op in 0u8..3) {
            let samples = [
                r#"{"jsonrpc":"2.0","id":12,"method":"textDocument/hover","params":{"position":{"line":1,"character":2}}}"#,
                r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"a: \"b\"\n"}]}}"#,
                r#"{"jsonrpc":"2.0","id":"x-1","error":{"code":-32601,"message":"no","data":null}}"#,
            ];
            let mut body = samples[which].as_bytes().to_vec();
            let at = at % body.len();
            match op {
                0 => body[at] = byte,
                1 => { body.remove(at); }
                _ => body.insert(at, body[at]),
            }
            let theirs = std::str::from_utf8(&body).is_ok_and(|t| {
                serde_json::from_str::<Response>(t).is_ok() || serde_json::from_str::<Request>(t).is_ok()
            });
            proptest::prop_assert_eq!(decodable(&body).is_ok(), theirs, "{}", String::from_utf8_lossy(&body));
        }
    }

    #[tokio::test]
    async fn input_cut_inside_a_frame_ends_the_output() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized"}"#;
        let input = frame(good) + "Content-Length: 50\r\n\r\n{\"jsonrpc\"";
        let mut out = Vec::new();
        assert!(pump(input.as_bytes(), &mut out, 1000).await.is_err());
        assert_eq!(String::from_utf8(out).unwrap(), frame(good));
    }
}
