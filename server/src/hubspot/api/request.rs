//! What a call is made with and what comes back: the account ready to call ([`Caller`]), the
//! request ([`ApiRequest`]) and the answer read whole ([`ApiResponse`]).

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use super::auth::TokenStore;
use super::error::RequestContext;
use crate::hubspot::model::{Account, Config};
use crate::hubspot::secret::Secret;

/// An account ready to make calls: its config entry, the config-level HTTP settings, and
/// where refreshed tokens are written.
#[derive(Clone)]
pub struct Caller {
    pub account: Account,
    pub timeout: Duration,
    pub use_localhost: bool,
    pub store: Arc<dyn TokenStore>,
}

impl Caller {
    pub fn new(account: Account, config: &Config, store: Arc<dyn TokenStore>) -> Caller {
        Caller {
            account,
            timeout: Duration::from_millis(config.timeout_ms()),
            use_localhost: config.http_use_localhost,
            store,
        }
    }

    pub(super) fn ctx(&self, what: &str) -> RequestContext {
        RequestContext { what: what.to_string(), account: self.account.label(), account_id: self.account.account_id }
    }
}

/// One part of a multipart upload, kept as data so a retry can rebuild the form.
#[derive(Clone, Debug)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug)]
pub enum Body {
    Empty,
    /// No body, labelled `Content-Type: application/json` (endpoints that expect the header).
    EmptyJson,
    Json(Value),
    Multipart(Vec<FormPart>),
}

#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub method: Method,
    /// Relative to the API origin, without a leading slash (one is stripped), possibly with
    /// its own query string; a path even when it reads like a URL (`/http://x`), as the CLI's
    /// HTTP client joins it onto the origin.
    pub path: String,
    /// An absolute `http(s)://` URL instead of `path`: a File Manager download URL, named by
    /// HubSpot's answer, never by what a user typed.
    pub url: Option<String>,
    pub query: Vec<(String, String)>,
    pub body: Body,
    /// For messages: `list secrets`, `upload "docs/a.txt"`.
    pub what: String,
    /// `Accept: application/octet-stream` (downloads).
    pub binary: bool,
    /// Values the body carries that must never come back in a message (a secret's value):
    /// scrubbed from errors along with the account's credentials.
    pub sensitive: Vec<Secret>,
}

impl ApiRequest {
    pub fn new(method: Method, path: impl Into<String>, what: impl Into<String>) -> ApiRequest {
        ApiRequest {
            method,
            path: path.into(),
            url: None,
            query: Vec::new(),
            body: Body::Empty,
            what: what.into(),
            binary: false,
            sensitive: Vec::new(),
        }
    }

    /// A request of an absolute URL from HubSpot's own answer (a file's download URL).
    pub fn of_url(method: Method, url: impl Into<String>, what: impl Into<String>) -> ApiRequest {
        ApiRequest { url: Some(url.into()), ..ApiRequest::new(method, "", what) }
    }

    pub fn query(mut self, k: &str, v: impl Into<String>) -> ApiRequest {
        self.query.push((k.to_string(), v.into()));
        self
    }

    pub fn json(mut self, v: Value) -> ApiRequest {
        self.body = Body::Json(v);
        self
    }
}

#[derive(Clone, Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub content_disposition: Option<String>,
    /// `Retry-After` of a 429.
    pub retry_after: Option<String>,
    pub bytes: Vec<u8>,
}

impl ApiResponse {
    pub fn is_json(&self) -> bool {
        self.content_type.as_deref().is_some_and(|c| c.contains("json"))
    }

    /// The body as JSON; an empty body is `null`.
    pub fn json(&self) -> Result<Value, String> {
        if self.bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&self.bytes).map_err(|e| format!("invalid JSON: {e}"))
    }

    /// JSON when it says so and parses, else the text.
    pub fn body_value(&self) -> Value {
        if self.is_json() {
            if let Ok(v) = self.json() {
                return v;
            }
        }
        Value::String(String::from_utf8_lossy(&self.bytes).into_owned())
    }
}
