//! The public data types: what a test puts into the fake and what it reads back.
//!
//! All of them serialise as camelCase JSON, which is also the shape the admin API
//! (`/__fake/...`) accepts and returns.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One HubSpot account (portal) the fake knows, with every credential that may reach it.
///
/// `AccountSpec::new(hub_id, pak)` fills sensible defaults; the struct is plain data so
/// tests can also write `AccountSpec { account_type: "DEVELOPER_TEST".into(), ..AccountSpec::new(1, "k") }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Unknown fields are refused so that a typo in an admin call (`hub_id` for `hubId`) is a
// 400 instead of a silently different account.
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AccountSpec {
    /// The PAK accepted by `POST /localdevauth/v1/auth/refresh`. Empty = no PAK auth.
    pub personal_access_key: String,
    pub hub_id: u64,
    pub hub_name: String,
    /// One of `STANDARD`, `DEVELOPMENT_SANDBOX`, `STANDARD_SANDBOX`, `DEVELOPER_TEST`, `APP_DEVELOPER`.
    pub account_type: String,
    pub user_id: u64,
    pub scope_groups: Vec<String>,
    pub enabled_features: BTreeMap<String, i64>,
    /// Answered by `GET /sandbox-hubs/v1/self` (`parentHubId`) and
    /// `GET /integrators/test-portals/v2/self` (`parentPortalId`); `None` makes both 404.
    pub parent_hub_id: Option<u64>,
    /// Accepted as `?hapikey=` on API calls (legacy `apikey` accounts).
    pub api_key: Option<String>,
    /// OAuth2 app credentials and the initial refresh token for `POST /oauth/v1/token`.
    pub oauth_client_id: Option<String>,
    pub oauth_client_secret: Option<String>,
    pub oauth_refresh_token: Option<String>,
}

impl Default for AccountSpec {
    fn default() -> Self {
        AccountSpec {
            personal_access_key: String::new(),
            hub_id: 0,
            hub_name: String::new(),
            account_type: "STANDARD".into(),
            user_id: 1,
            scope_groups: vec!["cms.functions.read_write".into(), "files".into(), "sandboxes.write".into()],
            enabled_features: BTreeMap::new(),
            parent_hub_id: None,
            api_key: None,
            oauth_client_id: None,
            oauth_client_secret: None,
            oauth_refresh_token: None,
        }
    }
}

impl AccountSpec {
    /// A `STANDARD` account reachable with personal access key `pak`.
    pub fn new(hub_id: u64, pak: impl Into<String>) -> Self {
        AccountSpec {
            personal_access_key: pak.into(),
            hub_id,
            hub_name: format!("Fake Hub {hub_id}"),
            ..AccountSpec::default()
        }
    }

    pub fn with_account_type(mut self, account_type: impl Into<String>) -> Self {
        self.account_type = account_type.into();
        self
    }

    pub fn with_parent(mut self, parent_hub_id: u64) -> Self {
        self.parent_hub_id = Some(parent_hub_id);
        self
    }

    pub fn with_api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    pub fn with_oauth(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        self.oauth_client_id = Some(client_id.into());
        self.oauth_client_secret = Some(client_secret.into());
        self.oauth_refresh_token = Some(refresh_token.into());
        self
    }
}

/// What the token exchange says about a portal (active, or one of the two answers that
/// `hs account clean` treats as inactive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PortalState {
    /// Normal: the exchange succeeds.
    Active,
    /// 401 `LocalDevAuthErrorType.PORTAL_NOT_ACTIVE`.
    Inactive,
    /// 404 `LocalDevAuthErrorType.INVALID_PORTAL_ID`.
    Missing,
}

/// A scripted misbehaviour, matched (in the order added) against every non-admin request
/// before normal handling.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// `None` = any method; compared case-insensitively.
    pub method: Option<String>,
    /// Matched against the raw request path (without the query), e.g. `/cms/v3/functions/secrets`.
    pub path_prefix: String,
    /// How many requests it applies to; `0` = forever.
    pub times: u32,
    pub kind: FaultKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Answer with this status and JSON body; `Value::Null` = a HubSpot-like error body
    /// for the status (e.g. 404 `OBJECT_NOT_FOUND`).
    Status(u16, Value),
    /// 429 with `Retry-After` and HubSpot's secondly-limit body.
    RateLimit { retry_after_secs: u64 },
    /// Wait, then handle the request normally.
    Slow { millis: u64 },
    /// 200, `Content-Type: application/json`, a truncated body.
    BadJson,
    /// Exactly this answer: status, headers (e.g. `Location` of a redirect, an odd
    /// `Retry-After`) and body (`Content-Type: application/json` unless a header says otherwise).
    Raw { status: u16, headers: Vec<(String, String)>, body: String },
    /// 200, `Content-Type: application/json`, a chunked body that never ends.
    Endless,
}

impl FaultKind {
    /// A redirect (`301`, `302`, `303`, `307`, `308`) to `location`.
    pub fn redirect(status: u16, location: impl Into<String>) -> FaultKind {
        FaultKind::Raw { status, headers: vec![("location".into(), location.into())], body: String::new() }
    }

    /// A 429 whose `Retry-After` is `value` as given (`1e20`, `NaN`, `-1` ...).
    pub fn retry_after(value: impl Into<String>) -> FaultKind {
        FaultKind::Raw {
            status: 429,
            headers: vec![("retry-after".into(), value.into())],
            body: r#"{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT"}"#
                .into(),
        }
    }
}

impl Fault {
    /// Applies to every method under `path_prefix`, forever; narrow it with `.method()` / `.times()`.
    pub fn new(path_prefix: impl Into<String>, kind: FaultKind) -> Self {
        Fault { method: None, path_prefix: path_prefix.into(), times: 0, kind }
    }

    /// `status` with the default HubSpot-like body.
    pub fn status(path_prefix: impl Into<String>, status: u16) -> Self {
        Fault::new(path_prefix, FaultKind::Status(status, Value::Null))
    }

    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }
}

/// One request as it reached the fake (admin calls are not recorded).
/// (The admin API's JSON form of it is built in `record.rs`, bodies base64 when not UTF-8.)
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub method: String,
    /// Raw (still percent-encoded) path, exactly as sent: `stat//a/b.txt` stays that way.
    pub path: String,
    /// Decoded query pairs in the order sent.
    pub query: Vec<(String, String)>,
    /// The query string as sent, without the `?`.
    pub raw_query: String,
    /// Lowercased names, in the order sent; repeated headers appear repeatedly.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The parsed parts when the body is `multipart/form-data` and parses.
    pub multipart: Option<Vec<Part>>,
}

impl Recorded {
    /// First value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }

    /// First value of a query parameter (exact name).
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The first multipart part with this name.
    pub fn part(&self, name: &str) -> Option<&Part> {
        self.multipart.as_ref()?.iter().find(|p| p.name == name)
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}

/// One successful `POST /filemanager/api/v3/files/upload`, as the client sent it.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadedFile {
    pub hub_id: u64,
    /// The `folderPath` part verbatim (`docs`, `/`, `/remote/dir`).
    pub folder_path: String,
    /// The `fileName` part.
    pub file_name: String,
    /// The `options` part parsed as JSON (`Value::Null` when absent).
    pub options: Value,
    pub bytes: Vec<u8>,
    /// The `file` part's own `Content-Type` and `filename`.
    pub content_type: Option<String>,
    pub filename: Option<String>,
    /// Id of the stored File Manager file (it can be fetched back via stat / the CDN URL).
    pub file_id: u64,
}

/// A file to seed into the File Manager tree of one hub.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FileSpec {
    /// Full path, e.g. `/docs/a.txt` (leading slash optional); parent folders are created.
    pub path: String,
    pub bytes: Vec<u8>,
    /// Served as `Content-Type` by the CDN; guessed from the extension when `None`.
    pub content_type: Option<String>,
    pub archived: bool,
    pub hidden: bool,
}

impl FileSpec {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FileSpec { path: path.into(), bytes: bytes.into(), ..FileSpec::default() }
    }

    pub fn archived(mut self) -> Self {
        self.archived = true;
        self
    }

    pub fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }
}

/// A folder to seed (its parents are created too).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FolderSpec {
    pub path: String,
    pub hidden: bool,
}

impl From<&str> for FolderSpec {
    fn from(path: &str) -> Self {
        FolderSpec { path: path.into(), hidden: false }
    }
}

impl From<String> for FolderSpec {
    fn from(path: String) -> Self {
        FolderSpec { path, hidden: false }
    }
}
