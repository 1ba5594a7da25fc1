//! The HTTP client every command and code action goes through (spec 6.4): the account's
//! origin, `portalId` on every call, `Authorization: Bearer` (or `hapikey` for `apikey`
//! accounts), a `User-Agent` naming hubspot-ls, the config's `httpTimeout`, bounded waits on
//! 429, and after a 401 one token refresh and one retry (the CLI never retries).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use reqwest::Method;
use serde_json::Value;

use super::auth::{self, AccessToken, CacheKey, ExchangeBody, OAuthBody, StoredToken, TokenCache, TokenStore};
use super::error::{ApiError, RequestContext};
use super::origin::Origins;
use crate::hubspot::model::{Account, AuthType, Config, HubEnv};
use crate::hubspot::secret::Secret;

pub const USER_AGENT: &str = concat!("hubspot-ls/", env!("CARGO_PKG_VERSION"));

/// At most this many 429 retries per call, each waiting at most `MAX_RETRY_WAIT`.
const MAX_RATE_LIMIT_RETRIES: u32 = 3;
const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);

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

    fn ctx(&self, what: &str) -> RequestContext {
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
    Json(Value),
    Multipart(Vec<FormPart>),
}

#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub method: Method,
    /// Relative to the API origin, without a leading slash (one is stripped), possibly with
    /// its own query string; or an absolute `http(s)://` URL (File Manager download URLs).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Body,
    /// For messages: `list secrets`, `upload "docs/a.txt"`.
    pub what: String,
    /// `Accept: application/octet-stream` (downloads).
    pub binary: bool,
}

impl ApiRequest {
    pub fn new(method: Method, path: impl Into<String>, what: impl Into<String>) -> ApiRequest {
        ApiRequest { method, path: path.into(), query: Vec::new(), body: Body::Empty, what: what.into(), binary: false }
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

/// The credential one attempt carries.
enum Credential {
    Bearer(Secret),
    ApiKey(Secret),
}

pub struct HubSpotClient {
    http: reqwest::Client,
    pub origins: Origins,
    tokens: TokenCache,
}

impl HubSpotClient {
    pub fn new(origins: Origins) -> HubSpotClient {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(Duration::from_secs(10))
            // Never follow a redirect with our Authorization header to another host.
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .unwrap_or_default();
        HubSpotClient { http, origins, tokens: TokenCache::default() }
    }

    /// An authenticated call as `caller` (spec 6.4), with the retries described above.
    /// Any status >= 400 after retries is an [`ApiError::Status`].
    pub async fn call(&self, caller: &Caller, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
        let mut credential = self.credential(caller, None).await?;
        let mut refreshed = false;
        let mut rate_limited = 0;
        loop {
            let resp = self.send(caller, req, &credential).await?;
            match resp.status {
                401 if !refreshed => {
                    // One refresh and one retry: the cached token may have been revoked early.
                    let Credential::Bearer(rejected) = &credential else { return Err(status_error(caller, req, resp)) };
                    tracing::debug!(account = caller.account.account_id, "401: refreshing the access token once");
                    refreshed = true;
                    credential = self.credential(caller, Some(&rejected.clone())).await?;
                }
                429 if rate_limited < MAX_RATE_LIMIT_RETRIES => {
                    rate_limited += 1;
                    let wait = retry_after(&resp).min(MAX_RETRY_WAIT);
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "429: waiting as Retry-After says");
                    tokio::time::sleep(wait).await;
                }
                s if s >= 400 => return Err(status_error(caller, req, resp)),
                _ => return Ok(resp),
            }
        }
    }

    /// `call` and the body as JSON.
    pub async fn call_json(&self, caller: &Caller, req: &ApiRequest) -> Result<Value, ApiError> {
        let resp = self.call(caller, req).await?;
        resp.json().map_err(|detail| ApiError::BadResponse { ctx: caller.ctx(&req.what), detail })
    }

    async fn send(&self, caller: &Caller, req: &ApiRequest, credential: &Credential) -> Result<ApiResponse, ApiError> {
        let origin = self.origins.api(caller.account.env, caller.use_localhost);
        let mut url = build_url(&origin, &req.path).map_err(|detail| ApiError::Local { message: detail })?;
        {
            let mut q = url.query_pairs_mut();
            for (k, v) in &req.query {
                q.append_pair(k, v);
            }
            if let Some(id) = caller.account.account_id {
                q.append_pair("portalId", &id.to_string());
            }
            if let Credential::ApiKey(key) = credential {
                q.append_pair("hapikey", key.expose());
            }
        }
        let mut b = self.http.request(req.method.clone(), url).timeout(caller.timeout);
        if let Credential::Bearer(token) = credential {
            b = b.bearer_auth(token.expose());
        }
        b = b.header(
            reqwest::header::ACCEPT,
            if req.binary { "application/octet-stream" } else { "application/json, text/plain, */*" },
        );
        b = match &req.body {
            Body::Empty => b,
            Body::Json(v) => b.json(v),
            Body::Multipart(parts) => b.multipart(form(parts)?),
        };
        let ctx = || caller.ctx(&req.what);
        let resp = b.send().await.map_err(|e| transport_error(ctx(), e))?;
        read_response(resp).await.map_err(|e| transport_error(ctx(), e))
    }

    /// The credential for the next attempt. `rejected` is the token the server just refused.
    async fn credential(&self, caller: &Caller, rejected: Option<&Secret>) -> Result<Credential, ApiError> {
        let a = &caller.account;
        let label = a.label();
        match a.auth_type.as_ref() {
            Some(AuthType::ApiKey) => match &a.api_key {
                Some(k) => Ok(Credential::ApiKey(k.clone())),
                None => Err(ApiError::Auth { account: label, message: "authType is apikey but the apiKey field is missing. HubSpot has retired API keys: authenticate with a personal access key (hubspot.account.auth).".into() }),
            },
            Some(AuthType::PersonalAccessKey) | Some(AuthType::OAuth2) => self.access_token(caller, rejected).await.map(Credential::Bearer),
            Some(AuthType::Other(t)) => Err(ApiError::Auth { account: label, message: format!("authType \"{t}\" is not one of personalaccesskey, oauth2, apikey (the CLI compares it case-sensitively).") }),
            None => Err(ApiError::Auth { account: label, message: "the account has no authType; authenticate it again with hubspot.account.auth.".into() }),
        }
    }

    /// A valid access token for a PAK or OAuth2 account: the in-process cache, else the
    /// config's cached token, else a refresh (written back through the caller's store).
    pub async fn access_token(&self, caller: &Caller, rejected: Option<&Secret>) -> Result<Secret, ApiError> {
        let a = &caller.account;
        let key = CacheKey::of(a);
        let now = Utc::now();
        if let Some(t) = key.as_ref().and_then(|k| self.tokens.get(k, rejected, now)) {
            return Ok(t);
        }
        if let Some(t) = auth::fresh_config_token(a, now).filter(|t| Some(t) != rejected) {
            return Ok(t);
        }
        let Some(key) = key else {
            return Err(ApiError::Auth { account: a.label(), message: missing_credential(a) });
        };
        let lock = self.tokens.lock_for(&key);
        let _guard = lock.lock().await;
        // Someone else may have refreshed while we waited for the lock.
        if let Some(t) = self.tokens.get(&key, rejected, Utc::now()) {
            return Ok(t);
        }
        let stored = match a.auth_type {
            Some(AuthType::OAuth2) => self.refresh_oauth(caller).await?,
            _ => {
                let pak = a
                    .personal_access_key
                    .clone()
                    .ok_or_else(|| ApiError::Auth { account: a.label(), message: missing_credential(a) })?;
                let t = self.exchange(&pak, a.env, a.account_id, caller.timeout).await?;
                StoredToken { access_token: t.token, expires_at: auth::iso_millis(t.expires_at), refresh_token: None }
            }
        };
        let expires = auth::parse_expiry(&stored.expires_at).unwrap_or_else(Utc::now);
        self.tokens.put(key, stored.access_token.clone(), expires);
        if let Err(e) = caller.store.save(a, &stored).await {
            tracing::warn!(account = a.account_id, "could not write the refreshed token back to the config: {e}");
        }
        Ok(stored.access_token)
    }

    /// Spec 6.2: `POST localdevauth/v1/auth/refresh` (with `portalId` once the id is known).
    pub async fn exchange(
        &self,
        pak: &Secret,
        env: HubEnv,
        portal_id: Option<i64>,
        timeout: Duration,
    ) -> Result<AccessToken, ApiError> {
        let ctx = RequestContext {
            what: "exchange the personal access key for an access token".into(),
            account: portal_id.map(|i| i.to_string()).unwrap_or_else(|| "(new)".into()),
            account_id: portal_id,
        };
        let mut url = build_url(&self.origins.token_exchange(env), "localdevauth/v1/auth/refresh")
            .map_err(|m| ApiError::Local { message: m })?;
        if let Some(id) = portal_id {
            url.query_pairs_mut().append_pair("portalId", &id.to_string());
        }
        let body = serde_json::json!({ "encodedOAuthRefreshToken": pak.expose() });
        let resp = self.post_with_rate_limit(&ctx, || self.http.post(url.clone()).timeout(timeout).json(&body)).await?;
        if resp.status >= 400 {
            let hint = (resp.status == 401).then(|| {
                format!("The personal access key was rejected: copy a current one from {} and authenticate again (hubspot.account.auth).", Origins::pak_page(env, portal_id))
            });
            return Err(ApiError::Status { ctx, status: resp.status, body: resp.body_value(), hint });
        }
        let parsed: ExchangeBody = serde_json::from_slice(&resp.bytes).map_err(|e| ApiError::BadResponse {
            ctx: ctx.clone(),
            detail: format!("not an access-token response: {e}"),
        })?;
        Ok(parsed.into_token())
    }

    /// Spec 6.6: `POST oauth/v1/token` with the refresh token.
    async fn refresh_oauth(&self, caller: &Caller) -> Result<StoredToken, ApiError> {
        let a = &caller.account;
        let auth = a.auth.as_ref();
        let (Some(client_id), Some(secret), Some(refresh)) = (
            auth.and_then(|x| x.client_id.clone()),
            auth.and_then(|x| x.client_secret.clone()),
            auth.and_then(|x| x.token_info.as_ref()).and_then(|t| t.refresh_token.clone()),
        ) else {
            return Err(ApiError::Auth { account: a.label(), message: "an oauth2 account needs auth.clientId, auth.clientSecret and auth.tokenInfo.refreshToken; authenticate it again.".into() });
        };
        let ctx = caller.ctx("refresh the OAuth2 token");
        let url = build_url(&self.origins.token_exchange(a.env), "oauth/v1/token")
            .map_err(|m| ApiError::Local { message: m })?;
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.expose()),
            ("refresh_token", refresh.expose()),
        ];
        let resp =
            self.post_with_rate_limit(&ctx, || self.http.post(url.clone()).timeout(caller.timeout).form(&form)).await?;
        if resp.status >= 400 {
            return Err(ApiError::Status {
                ctx,
                status: resp.status,
                body: resp.body_value(),
                hint: Some("The OAuth2 refresh token was refused: authenticate the account again.".into()),
            });
        }
        let body: OAuthBody = serde_json::from_slice(&resp.bytes)
            .map_err(|e| ApiError::BadResponse { ctx, detail: format!("not a token response: {e}") })?;
        // The CLI keeps 3/4 of the lifetime, as a safety margin.
        let expires = Utc::now() + chrono::Duration::seconds((body.expires_in as f64 * 0.75).round() as i64);
        Ok(StoredToken {
            access_token: Secret::new(body.access_token),
            expires_at: auth::iso_millis(expires),
            refresh_token: Some(body.refresh_token.map(Secret::new).unwrap_or(refresh)),
        })
    }

    async fn post_with_rate_limit(
        &self,
        ctx: &RequestContext,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<ApiResponse, ApiError> {
        let mut tries = 0;
        loop {
            let resp = build().send().await.map_err(|e| transport_error(ctx.clone(), e))?;
            let resp = read_response(resp).await.map_err(|e| transport_error(ctx.clone(), e))?;
            if resp.status == 429 && tries < MAX_RATE_LIMIT_RETRIES {
                tries += 1;
                tokio::time::sleep(retry_after(&resp).min(MAX_RETRY_WAIT)).await;
                continue;
            }
            return Ok(resp);
        }
    }
}

fn missing_credential(a: &Account) -> String {
    match a.auth_type {
        Some(AuthType::OAuth2) => {
            "an oauth2 account needs auth.clientId, auth.clientSecret and auth.tokenInfo.refreshToken.".into()
        }
        _ if a.account_id.is_none() => "the account has no numeric accountId.".into(),
        _ => format!(
            "the personalAccessKey field is missing. Copy a key from {} and authenticate with hubspot.account.auth.",
            Origins::pak_page(a.env, a.account_id)
        ),
    }
}

fn build_url(origin: &str, path: &str) -> Result<url::Url, String> {
    let full = if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("{origin}/{}", path.strip_prefix('/').unwrap_or(path))
    };
    url::Url::parse(&full).map_err(|e| format!("\"{path}\" is not a valid API path: {e}"))
}

// ApiError carries the request's context into every message; these run once per call, where
// a 160-byte error costs nothing next to the request, so it is not boxed.
#[allow(clippy::result_large_err)]
fn form(parts: &[FormPart]) -> Result<reqwest::multipart::Form, ApiError> {
    let mut f = reqwest::multipart::Form::new();
    for p in parts {
        let mut part = reqwest::multipart::Part::bytes(p.bytes.clone());
        if let Some(n) = &p.file_name {
            part = part.file_name(n.clone());
        }
        if let Some(ct) = &p.content_type {
            part = part.mime_str(ct).map_err(|e| ApiError::Local { message: format!("bad content type {ct}: {e}") })?;
        }
        f = f.part(p.name.clone(), part);
    }
    Ok(f)
}

async fn read_response(resp: reqwest::Response) -> Result<ApiResponse, reqwest::Error> {
    let status = resp.status().as_u16();
    let header = |n: reqwest::header::HeaderName| resp.headers().get(n).and_then(|v| v.to_str().ok()).map(String::from);
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let content_disposition = header(reqwest::header::CONTENT_DISPOSITION);
    let retry_after = header(reqwest::header::RETRY_AFTER);
    let bytes = resp.bytes().await?.to_vec();
    Ok(ApiResponse { status, content_type, content_disposition, retry_after, bytes })
}

/// `Retry-After` in seconds (the HTTP-date form is not used by HubSpot); 1 s when absent.
fn retry_after(resp: &ApiResponse) -> Duration {
    resp.retry_after
        .as_deref()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(Duration::from_secs(1))
}

fn status_error(caller: &Caller, req: &ApiRequest, resp: ApiResponse) -> ApiError {
    ApiError::Status { ctx: caller.ctx(&req.what), status: resp.status, body: resp.body_value(), hint: None }
}

/// A transport failure without its URL (which may carry `hapikey`).
fn transport_error(ctx: RequestContext, e: reqwest::Error) -> ApiError {
    let timed_out = e.is_timeout();
    let e = e.without_url();
    let mut detail = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        let s_text = s.to_string();
        if !detail.contains(&s_text) {
            detail.push_str(": ");
            detail.push_str(&s_text);
        }
        src = s.source();
    }
    ApiError::Transport { ctx, detail, timed_out }
}
