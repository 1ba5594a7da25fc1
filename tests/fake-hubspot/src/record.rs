//! Turning an incoming request into a [`Recorded`] (which is also what handlers read), and
//! the admin API's JSON view of recorded requests.

use std::convert::Infallible;

use axum::body::Bytes;
use axum::http::request::Parts;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::model::{Part, Recorded};

pub async fn build(parts: &Parts, body: &Bytes) -> Recorded {
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let query = form_urlencoded::parse(raw_query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect::<Vec<_>>();
    let content_type = parts.headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let multipart = parse_multipart(content_type, body.clone()).await;
    Recorded {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query,
        raw_query,
        headers,
        body: body.to_vec(),
        multipart,
    }
}

/// `None` when the body is not `multipart/form-data` or does not parse (the upload
/// endpoint then answers 400; recording never fails).
async fn parse_multipart(content_type: &str, body: Bytes) -> Option<Vec<Part>> {
    if !content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let filename = field.file_name().map(str::to_string);
                let content_type = field.content_type().map(|m| m.to_string());
                let bytes = field.bytes().await.ok()?;
                parts.push(Part { name, filename, content_type, bytes: bytes.to_vec() });
            }
            Ok(None) => return Some(parts),
            Err(_) => return None,
        }
    }
}

/// Bytes as `{body, bodyEncoding}`: UTF-8 text when valid, else base64.
pub fn encode_body(bytes: &[u8], out: &mut Map<String, Value>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            out.insert("body".into(), Value::String(s.to_string()));
            out.insert("bodyEncoding".into(), json!("utf8"));
        }
        Err(_) => {
            let b = base64::engine::general_purpose::STANDARD.encode(bytes);
            out.insert("body".into(), Value::String(b));
            out.insert("bodyEncoding".into(), json!("base64"));
        }
    }
}

pub fn to_json(r: &Recorded) -> Value {
    let mut headers = Map::new();
    for (k, v) in &r.headers {
        // Repeated headers are joined as HTTP allows; the pair list keeps them apart.
        match headers.get_mut(k) {
            Some(Value::String(s)) => {
                s.push_str(", ");
                s.push_str(v);
            }
            _ => {
                headers.insert(k.clone(), Value::String(v.clone()));
            }
        }
    }
    let mut out = Map::new();
    out.insert("method".into(), json!(r.method));
    out.insert("path".into(), json!(r.path));
    out.insert("query".into(), json!(r.query));
    out.insert("rawQuery".into(), json!(r.raw_query));
    out.insert("headers".into(), Value::Object(headers));
    out.insert("headerList".into(), json!(r.headers));
    encode_body(&r.body, &mut out);
    let parts = r.multipart.as_ref().map(|parts| {
        parts
            .iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("name".into(), json!(p.name));
                m.insert("filename".into(), json!(p.filename));
                m.insert("contentType".into(), json!(p.content_type));
                encode_body(&p.bytes, &mut m);
                Value::Object(m)
            })
            .collect::<Vec<_>>()
    });
    out.insert("multipart".into(), json!(parts));
    Value::Object(out)
}
