//! The HTTP client every command and code action goes through (docs/hubspot-cli.md,
//! *Authorised requests* and *401 and 429*): the account's origin, `portalId` on every call,
//! `Authorization: Bearer` (or `hapikey` for `apikey` accounts), a `User-Agent` naming
//! hubspot-ls, the config's `httpTimeout`, bounded waits on 429, and after a 401 one token
//! refresh and one retry (the CLI never retries).
//!
//! What a server can make it do is bounded ([`crate::hubspot::limits`]): answers are read up
//! to a size, `Retry-After` is clamped, redirects to another origin are not followed, and an
//! error that quotes the account's credentials or a secret's value is scrubbed before it
//! reaches a message, a result or a log.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::auth::TokenCache;
use super::error::ApiError;
use super::http::{redirect_policy, retry_after, transport_error, Head};
use super::origin::Origins;
use crate::hubspot::limits::{MAX_API_BODY_BYTES, MAX_DOWNLOAD_BYTES, MAX_RATE_LIMIT_RETRIES};
use crate::hubspot::model::{Account, AuthType};
use crate::hubspot::secret::Secret;

pub use super::request::{ApiRequest, ApiResponse, Body, Caller, FormPart};

pub const USER_AGENT: &str = concat!("hubspot-ls/", env!("CARGO_PKG_VERSION"));

/// The credential one attempt carries.
enum Credential {
    Bearer(Secret),
    ApiKey(Secret),
}

impl Credential {
    fn secret(&self) -> &Secret {
        match self {
            Credential::Bearer(s) | Credential::ApiKey(s) => s,
        }
    }
}

/// Every credential an account's entry holds.
pub fn account_credentials(a: &Account) -> Vec<Secret> {
    let auth = a.auth.as_ref();
    let info = a.token_info();
    [
        a.personal_access_key.clone(),
        a.api_key.clone(),
        auth.and_then(|x| x.client_secret.clone()),
        info.and_then(|t| t.access_token.clone()),
        info.and_then(|t| t.refresh_token.clone()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Cheap to clone: the clones share one connection pool and one token cache.
#[derive(Clone)]
pub struct HubSpotClient {
    pub(super) http: reqwest::Client,
    pub origins: Origins,
    pub(super) tokens: Arc<TokenCache>,
    waits: Waits,
    /// [`MAX_DOWNLOAD_BYTES`], lower in tests.
    download_limit: u64,
}

/// How a 429's wait is spent: asleep, or (in tests) noted and skipped.
#[derive(Clone)]
enum Waits {
    Sleep,
    #[cfg(test)]
    Noted(std::sync::Arc<std::sync::Mutex<Vec<Duration>>>),
}

impl HubSpotClient {
    pub fn new(origins: Origins) -> HubSpotClient {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(Duration::from_secs(10))
            .redirect(redirect_policy())
            .build()
            .unwrap_or_default();
        HubSpotClient { http, origins, tokens: Arc::default(), waits: Waits::Sleep, download_limit: MAX_DOWNLOAD_BYTES }
    }

    /// The client with downloads cut off at `bytes`.
    #[cfg(test)]
    pub fn limit_downloads(mut self, bytes: u64) -> HubSpotClient {
        self.download_limit = bytes;
        self
    }

    /// A client whose 429 waits are noted in the returned list instead of slept.
    #[cfg(test)]
    pub fn noting_waits(origins: Origins) -> (HubSpotClient, std::sync::Arc<std::sync::Mutex<Vec<Duration>>>) {
        let noted = std::sync::Arc::default();
        let mut c = HubSpotClient::new(origins);
        c.waits = Waits::Noted(std::sync::Arc::clone(&noted));
        (c, noted)
    }

    pub(super) async fn wait(&self, how_long: Duration) {
        tracing::debug!(wait_ms = how_long.as_millis() as u64, "429: waiting as Retry-After says");
        match &self.waits {
            Waits::Sleep => tokio::time::sleep(how_long).await,
            #[cfg(test)]
            Waits::Noted(noted) => noted.lock().unwrap().push(how_long),
        }
    }

    /// An authenticated call as `caller`, with the retries described above; the
    /// answer is read whole, up to [`MAX_API_BODY_BYTES`]. Any status >= 400 after retries is
    /// an [`ApiError::Status`].
    pub async fn call(&self, caller: &Caller, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
        let mut used = Vec::new();
        let result = match self.respond(caller, req, &mut used).await {
            Ok(head) => head.read(MAX_API_BODY_BYTES, || caller.ctx(&req.what)).await,
            Err(e) => Err(e),
        };
        result.map_err(|e| e.scrub(&secrets_of(caller, req, used)))
    }

    /// `call`, with the answer's body streamed into `out` (a File Manager download), up to
    /// [`MAX_DOWNLOAD_BYTES`]; returns its length.
    pub async fn download<W: tokio::io::AsyncWrite + Unpin>(
        &self,
        caller: &Caller,
        req: &ApiRequest,
        out: &mut W,
    ) -> Result<u64, ApiError> {
        let mut used = Vec::new();
        let result = match self.respond(caller, req, &mut used).await {
            Ok(head) => head.stream_into(out, self.download_limit, || caller.ctx(&req.what)).await,
            Err(e) => Err(e),
        };
        result.map_err(|e| e.scrub(&secrets_of(caller, req, used)))
    }

    /// `call` and the body as JSON.
    pub async fn call_json(&self, caller: &Caller, req: &ApiRequest) -> Result<Value, ApiError> {
        let resp = self.call(caller, req).await?;
        resp.json().map_err(|detail| ApiError::BadResponse { ctx: caller.ctx(&req.what), detail })
    }

    /// Sends until an answer is final: a success (body unread), or an error. `used` collects
    /// the credentials sent, so an error that echoes one can be scrubbed.
    async fn respond(&self, caller: &Caller, req: &ApiRequest, used: &mut Vec<Secret>) -> Result<Head, ApiError> {
        let mut credential = self.credential(caller, None).await?;
        used.push(credential.secret().clone());
        let mut refreshed = false;
        let mut rate_limited = 0;
        let ctx = || caller.ctx(&req.what);
        loop {
            let head = self.send(caller, req, &credential).await?.refuse_redirect(ctx)?;
            match head.status {
                401 if !refreshed => {
                    // One refresh and one retry: the cached token may have been revoked early.
                    let Credential::Bearer(rejected) = &credential else {
                        return Err(status_error(caller, req, head.read(MAX_API_BODY_BYTES, ctx).await?));
                    };
                    tracing::debug!(account = caller.account.account_id, "401: refreshing the access token once");
                    refreshed = true;
                    credential = self.credential(caller, Some(&rejected.clone())).await?;
                    used.push(credential.secret().clone());
                }
                429 if rate_limited < MAX_RATE_LIMIT_RETRIES => {
                    rate_limited += 1;
                    self.wait(retry_after(head.retry_after.as_deref())).await;
                }
                s if s >= 400 => return Err(status_error(caller, req, head.read(MAX_API_BODY_BYTES, ctx).await?)),
                _ => return Ok(head),
            }
        }
    }

    async fn send(&self, caller: &Caller, req: &ApiRequest, credential: &Credential) -> Result<Head, ApiError> {
        let origin = self.origins.api(caller.account.env, caller.use_localhost);
        let mut url = match &req.url {
            Some(absolute) => url::Url::parse(absolute).map_err(|e| format!("\"{absolute}\" is not a valid URL: {e}")),
            None => build_url(&origin, &req.path),
        }
        .map_err(|detail| ApiError::Local { message: detail })?;
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
            Body::EmptyJson => b.header(reqwest::header::CONTENT_TYPE, "application/json"),
            Body::Json(v) => b.json(v),
            Body::Multipart(parts) => b.multipart(form(parts)?),
        };
        let resp = b.send().await.map_err(|e| transport_error(caller.ctx(&req.what), e))?;
        Ok(Head::new(resp))
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
}

/// What an error of this call must not show: the account's credentials, those sent, and the
/// request's sensitive values.
fn secrets_of(caller: &Caller, req: &ApiRequest, used: Vec<Secret>) -> Vec<Secret> {
    let mut all = account_credentials(&caller.account);
    all.extend(used);
    all.extend(req.sensitive.iter().cloned());
    all
}

pub(super) fn missing_credential(a: &Account) -> String {
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

/// `path` on `origin`, whatever it holds: `http://x` here is a path, never another host.
pub(super) fn build_url(origin: &str, path: &str) -> Result<url::Url, String> {
    let full = format!("{origin}/{}", path.strip_prefix('/').unwrap_or(path));
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
            // reqwest escapes a line break in a file name with a backslash and leaves it in
            // the part's header, where it would end the header early.
            if n.chars().any(char::is_control) {
                return Err(ApiError::Local {
                    message: format!("The file name {n:?} has a line break or another control character, which an upload cannot carry; rename the file."),
                });
            }
            part = part.file_name(n.clone());
        }
        if let Some(ct) = &p.content_type {
            part = part.mime_str(ct).map_err(|e| ApiError::Local { message: format!("bad content type {ct}: {e}") })?;
        }
        f = f.part(p.name.clone(), part);
    }
    Ok(f)
}

fn status_error(caller: &Caller, req: &ApiRequest, resp: ApiResponse) -> ApiError {
    ApiError::Status { ctx: caller.ctx(&req.what), status: resp.status, body: resp.body_value(), hint: None }
}
