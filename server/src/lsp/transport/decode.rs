//! A message's bytes into a JSON-RPC request or response.
//!
//! Why not tower-lsp-server's decoder: it reads each message into an untagged enum, so
//! serde first copies the whole message into its own buffered form and then copies it
//! again into the variant that fits; with serde_json's scratch buffer the text of a
//! `didOpen` was made four times (~9 MB each for 20,000 accounts, 30-40 ms of that open).
//! Here the text of `didOpen` and `didChange` is written over the message that carried it
//! ([`unescape_to_front`]: no fresh memory for it, which on the VMs measured costs more
//! than the copying itself); every other
//! message, and anything the quick path does not vouch for, goes through serde_json's
//! general path into the same types, so the handlers cannot tell the difference.

use std::ops::Range;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use tower_lsp_server::jsonrpc::{Error, Request, Response};

use super::unescape::{unescape, unescape_to_front};

/// One message from the client.
#[derive(Debug)]
pub enum Incoming {
    Request(Request),
    Response(Response),
    /// What could not be read: answered with this error, without an id (as JSON-RPC says).
    Invalid(Error),
}

pub fn decode(body: Vec<u8>) -> Incoming {
    let Ok(text) = std::str::from_utf8(&body) else {
        return Incoming::Invalid(Error::parse_error());
    };
    let plan = match serde_json::from_str::<Head>(text) {
        Ok(head) => {
            let has_method = head.method.is_some();
            match head.plan(text) {
                Some(plan) => plan,
                None if has_method => return request(text),
                None => return response_or_request(text),
            }
        }
        Err(_) => return response_or_request(text),
    };
    match plan {
        Plan::Ready(request) => Incoming::Request(request),
        // What is left is the text: made where it lies in the message.
        Plan::Text { literal, fill } => match into_text(body, literal) {
            Ok(text) => Incoming::Request(fill.with(text)),
            Err(body) => std::str::from_utf8(&body).map_or(Incoming::Invalid(Error::parse_error()), request),
        },
    }
}

/// The body, its text literal written to its front, as that text; the body back if the
/// literal is one to leave to serde_json.
fn into_text(mut body: Vec<u8>, literal: Range<usize>) -> Result<String, Vec<u8>> {
    let Some(n) = unescape_to_front(&mut body, literal) else { return Err(body) };
    body.truncate(n);
    String::from_utf8(body).map_err(|e| e.into_bytes())
}

fn request(text: &str) -> Incoming {
    serde_json::from_str(text).map_or_else(invalid, Incoming::Request)
}

/// A response, or something that is neither: in the order tower-lsp-server tries them.
fn response_or_request(text: &str) -> Incoming {
    match serde_json::from_str::<Response>(text) {
        Ok(response) => Incoming::Response(response),
        Err(_) => request(text),
    }
}

/// JSON that is not JSON is a parse error; JSON that is not a message, an invalid request.
fn invalid(e: serde_json::Error) -> Incoming {
    Incoming::Invalid(if e.is_data() { Error::invalid_request() } else { Error::parse_error() })
}

/// The envelope. Why by hand: the parameters of a notification that carries a text are read
/// as they are met when the method came before them (as clients write it), in the one pass
/// over the message; otherwise they are kept as they are in it.
struct Head<'a> {
    jsonrpc: Option<&'a str>,
    method: Option<&'a str>,
    /// Whether there is one (`null` included): then it is not a notification.
    id: bool,
    params: Params<'a>,
}

enum Params<'a> {
    Missing,
    Raw(&'a RawValue),
    Open(OpenParams<'a>),
    Change(ChangeParams<'a>),
}

impl<'de> Deserialize<'de> for Head<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Head<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON-RPC message")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Head<'de>, A::Error> {
                let mut head = Head { jsonrpc: None, method: None, id: false, params: Params::Missing };
                let mut seen = [false; 4];
                // A key with escapes, or twice, fails here: the general path then decides.
                while let Some(key) = map.next_key::<&'de str>()? {
                    let field = match key {
                        "jsonrpc" => 0,
                        "method" => 1,
                        "id" => 2,
                        "params" => 3,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    if std::mem::replace(&mut seen[field], true) {
                        return Err(de::Error::custom("a key twice"));
                    }
                    match field {
                        0 => head.jsonrpc = Some(map.next_value()?),
                        1 => head.method = Some(map.next_value()?),
                        2 => {
                            map.next_value::<IgnoredAny>()?;
                            head.id = true;
                        }
                        _ => {
                            head.params = match head.method {
                                Some("textDocument/didOpen") => Params::Open(map.next_value()?),
                                Some("textDocument/didChange") => Params::Change(map.next_value()?),
                                _ => Params::Raw(map.next_value()?),
                            }
                        }
                    }
                }
                Ok(head)
            }
        }
        d.deserialize_map(Fields)
    }
}

/// What the quick path made of a notification that carries a document's text.
enum Plan {
    /// All of it (several changes: each text made on its own).
    Ready(Request),
    /// All but one text, which is still in the message at `literal`.
    Text { literal: Range<usize>, fill: Fill },
}

/// A notification's parameters but for its text.
enum Fill {
    Open { uri: Value, language_id: Value, version: Value },
    Change { document: Value, change: Map<String, Value> },
}

impl Fill {
    fn with(self, text: String) -> Request {
        let (method, params) = match self {
            Fill::Open { uri, language_id, version } => {
                let document = Map::from_iter([
                    ("uri".to_owned(), uri),
                    ("languageId".to_owned(), language_id),
                    ("version".to_owned(), version),
                    ("text".to_owned(), Value::String(text)),
                ]);
                ("textDocument/didOpen", Map::from_iter([("textDocument".to_owned(), Value::Object(document))]))
            }
            Fill::Change { document, mut change } => {
                change.insert("text".into(), Value::String(text));
                let changes = Value::Array(vec![Value::Object(change)]);
                (
                    "textDocument/didChange",
                    Map::from_iter([("textDocument".to_owned(), document), ("contentChanges".to_owned(), changes)]),
                )
            }
        };
        Request::build(method).params(Value::Object(params)).finish()
    }
}

impl Head<'_> {
    fn plan(self, message: &str) -> Option<Plan> {
        if self.jsonrpc != Some("2.0") || self.id {
            return None;
        }
        let params = match self.params {
            // The method came after them.
            Params::Raw(raw) => match self.method? {
                "textDocument/didOpen" => Params::Open(serde_json::from_str(raw.get()).ok()?),
                "textDocument/didChange" => Params::Change(serde_json::from_str(raw.get()).ok()?),
                _ => return None,
            },
            p => p,
        };
        // Where a literal lies in the message.
        let at = |raw: &RawValue| {
            let start = raw.get().as_ptr() as usize - message.as_ptr() as usize;
            start..start + raw.get().len()
        };
        match params {
            Params::Open(OpenParams { document: d }) => {
                let fill = Fill::Open { uri: d.uri, language_id: d.language_id, version: d.version };
                Some(Plan::Text { literal: at(d.text), fill })
            }
            Params::Change(ChangeParams { document, changes }) => {
                if let [c] = changes.as_slice() {
                    return Some(Plan::Text {
                        literal: at(c.text),
                        fill: Fill::Change { document, change: c.fields() },
                    });
                }
                let mut out = Vec::with_capacity(changes.len());
                for c in &changes {
                    let mut change = c.fields();
                    change.insert("text".into(), Value::String(unescape(c.text.get())?));
                    out.push(Value::Object(change));
                }
                let params = Map::from_iter([
                    ("textDocument".to_owned(), document),
                    ("contentChanges".to_owned(), Value::Array(out)),
                ]);
                Some(Plan::Ready(Request::build("textDocument/didChange").params(Value::Object(params)).finish()))
            }
            Params::Missing | Params::Raw(_) => None,
        }
    }
}

#[derive(Deserialize)]
struct OpenParams<'a> {
    #[serde(rename = "textDocument", borrow)]
    document: OpenDocument<'a>,
}

#[derive(Deserialize)]
struct OpenDocument<'a> {
    uri: Value,
    #[serde(rename = "languageId")]
    language_id: Value,
    version: Value,
    #[serde(borrow)]
    text: &'a RawValue,
}

#[derive(Deserialize)]
struct ChangeParams<'a> {
    #[serde(rename = "textDocument")]
    document: Value,
    #[serde(rename = "contentChanges", borrow)]
    changes: Vec<Change<'a>>,
}

#[derive(Deserialize)]
struct Change<'a> {
    #[serde(default)]
    range: Option<Value>,
    #[serde(rename = "rangeLength", default)]
    range_length: Option<Value>,
    #[serde(borrow)]
    text: &'a RawValue,
}

impl Change<'_> {
    /// The change's fields but its text.
    fn fields(&self) -> Map<String, Value> {
        let mut change = Map::new();
        if let Some(range) = &self.range {
            change.insert("range".into(), range.clone());
        }
        if let Some(n) = &self.range_length {
            change.insert("rangeLength".into(), n.clone());
        }
        change
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(m: &Value) -> Request {
        match decode(m.to_string().into_bytes()) {
            Incoming::Request(r) => r,
            other => panic!("not a request: {other:?}"),
        }
    }

    /// What the general path (serde_json into tower-lsp-server's own type) makes of it.
    fn general(m: &Value) -> Request {
        serde_json::from_value(m.clone()).unwrap()
    }

    #[test]
    fn document_texts_read_as_the_general_path_reads_them() {
        let text = "accounts:\n  - name: \"prod\" # é 😀\r\n\tx: \\ \u{2028} \u{0}\u{1f}\n";
        for m in [
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///c.yml", "languageId": "yaml", "version": 3, "text": text}}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///c.yml", "version": 4}, "contentChanges": [
                {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "rangeLength": 1, "text": text},
                {"text": text},
            ]}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///c.yml", "version": 5}, "contentChanges": [{"text": text}]}}),
            // The method after the parameters (key order is the client's).
            json!({"params": {"textDocument": {"text": text, "version": 3, "languageId": "yaml", "uri": "file:///c.yml"}}, "method": "textDocument/didOpen", "jsonrpc": "2.0"}),
        ] {
            let quick = request(&m);
            assert_eq!(quick, general(&m));
            let raw = m.to_string();
            assert!(serde_json::from_str::<Head>(&raw).unwrap().plan(&raw).is_some(), "quick path taken");
        }
    }

    #[test]
    fn anything_else_takes_the_general_path_and_reads_the_same() {
        for m in [
            // Other methods, a request with an id, fields the quick path does not know.
            json!({"jsonrpc": "2.0", "method": "initialize", "id": 1, "params": {"capabilities": {}}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "id": 7, "params": {"textDocument": {"uri": "file:///a", "languageId": "yaml", "version": 1, "text": "x"}}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///a", "version": 1, "text": "x"}}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///a", "version": 2}, "contentChanges": "not a list"}}),
            json!({"jsonrpc": "2.0", "method": "exit"}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "id": null, "params": {"textDocument": {"uri": "file:///a", "languageId": "yaml", "version": 1, "text": "x"}}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///a", "languageId": "yaml", "version": 1, "text": "a path C:\\users\\me"}}}),
        ] {
            assert_eq!(request(&m), general(&m), "{m}");
        }
        // A lone surrogate escape: serde_json's general path refuses it, as before.
        let raw = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a","languageId":"yaml","version":1,"text":"\ud800"}}}"#;
        assert!(matches!(decode(raw.as_bytes().to_vec()), Incoming::Invalid(_) | Incoming::Request(_)));
        assert_eq!(
            format!("{:?}", decode(raw.as_bytes().to_vec())),
            format!("{:?}", serde_json::from_str::<Request>(raw).map_or_else(invalid, Incoming::Request))
        );
    }

    #[test]
    fn responses_from_the_client_are_responses() {
        let ok = json!({"jsonrpc": "2.0", "id": 3, "result": [{"x": 1}]});
        let Incoming::Response(r) = decode(ok.to_string().into_bytes()) else { panic!() };
        assert_eq!(r, serde_json::from_value::<Response>(ok).unwrap());
        let err = json!({"jsonrpc": "2.0", "id": 4, "error": {"code": -32601, "message": "no"}});
        assert!(matches!(decode(err.to_string().into_bytes()), Incoming::Response(r) if r.is_error()));
    }

    #[test]
    fn what_is_not_a_message_is_answered_with_the_jsonrpc_error_for_it() {
        let code = |b: &[u8]| match decode(b.to_vec()) {
            Incoming::Invalid(e) => e.code.code(),
            other => panic!("read as {other:?}"),
        };
        assert_eq!(code(b"{\"jsonrpc\": \"2.0\", \"method\": "), -32700, "cut short");
        assert_eq!(code(b"\xff\xfe"), -32700, "not UTF-8");
        assert_eq!(code(b"[1, 2]"), -32600, "JSON, not a message");
        assert_eq!(code(br#"{"jsonrpc": "1.0", "method": "initialize", "id": 1}"#), -32600, "wrong version");
    }
}
