//! Access tokens (docs/hubspot-cli.md, *Token exchange*, *Token cache and refresh* and *OAuth2
//! accounts*): where a call's token comes from, the personal-access-key exchange and the OAuth2
//! refresh, and the write-back to the config. The endpoints' errors are scrubbed of what they
//! sent (the key, the client secret, the refresh token), since HubSpot may echo it.

use std::time::Duration;

use chrono::Utc;

use super::auth::{self, AccessToken, CacheKey, ExchangeBody, OAuthBody, StoredToken};
use super::client::{build_url, missing_credential, Caller, HubSpotClient};
use super::error::{ApiError, RequestContext};
use super::http::{retry_after, transport_error, Head};
use super::origin::Origins;
use super::ApiResponse;
use crate::hubspot::limits::{MAX_API_BODY_BYTES, MAX_RATE_LIMIT_RETRIES};
use crate::hubspot::model::{Account, AuthType, HubEnv};
use crate::hubspot::secret::Secret;

impl HubSpotClient {
    /// A valid access token for a PAK or OAuth2 account: the in-process cache, else the
    /// config's cached token, else a refresh (written back through the caller's store).
    pub async fn access_token(&self, caller: &Caller, rejected: Option<&Secret>) -> Result<Secret, ApiError> {
        let a = &caller.account;
        let key = CacheKey::of(a);
        let now = Utc::now();
        if let Some(k) = &key {
            if let Some(t) = self.tokens.get(k, rejected, now) {
                self.save_unsaved(caller, k).await;
                return Ok(t);
            }
        }
        if let Some(t) = auth::fresh_config_token(a, now).filter(|t| Some(t) != rejected) {
            return Ok(t);
        }
        let Some(key) = key else {
            return Err(ApiError::Auth { account: a.label(), message: missing_credential(a) });
        };
        // On a task of its own: a command cancelled halfway through, after HubSpot rotated an
        // OAuth2 refresh token, would otherwise lose the new one.
        let (client, caller, rejected) = (self.clone(), caller.clone(), rejected.cloned());
        match tokio::spawn(async move { client.refresh(&caller, key, rejected.as_ref()).await }).await {
            Ok(token) => token,
            Err(e) => Err(ApiError::Local { message: format!("The token refresh stopped: {e}") }),
        }
    }

    async fn refresh(&self, caller: &Caller, key: CacheKey, rejected: Option<&Secret>) -> Result<Secret, ApiError> {
        let a = &caller.account;
        let lock = self.tokens.lock_for(&key);
        let _guard = lock.lock().await;
        // Someone else may have refreshed while we waited for the lock.
        if let Some(t) = self.tokens.get(&key, rejected, Utc::now()) {
            return Ok(t);
        }
        let stored = match a.auth_type {
            Some(AuthType::OAuth2) => self.refresh_oauth(caller, &key).await?,
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
        self.tokens.put(key.clone(), stored.access_token.clone(), expires);
        match caller.store.save(a, &stored, &self.tokens.replaceable(&key)).await {
            Ok(()) => self.tokens.saved(&key),
            Err(e) => {
                tracing::warn!(
                    account = a.account_id,
                    "could not write the refreshed token back to the config (tried again on the next call): {e}"
                );
                self.tokens.keep_unsaved(key, stored.clone());
            }
        }
        Ok(stored.access_token)
    }

    /// Writes a refreshed token the config could not take before, now that it may.
    async fn save_unsaved(&self, caller: &Caller, key: &CacheKey) {
        if self.tokens.unsaved(key).is_none() {
            return;
        }
        let lock = self.tokens.lock_for(key);
        let _guard = lock.lock().await;
        let Some(token) = self.tokens.unsaved(key) else { return };
        match caller.store.save(&caller.account, &token, &self.tokens.replaceable(key)).await {
            Ok(()) => self.tokens.saved(key),
            Err(e) => tracing::debug!(
                account = caller.account.account_id,
                "the refreshed token still cannot be written back: {e}"
            ),
        }
    }

    /// The tokens this client holds for `account` beyond what its config entry has: those
    /// obtained during a call, which the answer may echo.
    pub fn held_credentials(&self, account: &Account) -> Vec<Secret> {
        let Some(key) = CacheKey::of(account) else { return Vec::new() };
        self.tokens.held(&key).into_iter().chain(self.tokens.newest_refresh_token(&key)).collect()
    }

    /// The key exchange: `POST localdevauth/v1/auth/refresh` (with `portalId` once the id is known).
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
        self.exchange_unscrubbed(pak, env, portal_id, timeout, ctx)
            .await
            .map_err(|e| e.scrub(std::slice::from_ref(pak)))
    }

    async fn exchange_unscrubbed(
        &self,
        pak: &Secret,
        env: HubEnv,
        portal_id: Option<i64>,
        timeout: Duration,
        ctx: RequestContext,
    ) -> Result<AccessToken, ApiError> {
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
        let bad = |detail: String| ApiError::BadResponse { ctx: ctx.clone(), detail };
        let parsed: ExchangeBody =
            serde_json::from_slice(&resp.bytes).map_err(|e| bad(format!("not an access-token response: {e}")))?;
        let hub_id = parsed.hub_id();
        parsed.into_token().ok_or_else(|| bad(format!("hubId {hub_id} is not an account id")))
    }

    /// The OAuth2 refresh: `POST oauth/v1/token` with the refresh token.
    async fn refresh_oauth(&self, caller: &Caller, key: &CacheKey) -> Result<StoredToken, ApiError> {
        let a = &caller.account;
        let auth = a.auth.as_ref();
        let (Some(client_id), Some(secret), Some(refresh)) = (
            auth.and_then(|x| x.client_id.clone()),
            auth.and_then(|x| x.client_secret.clone()),
            auth.and_then(|x| x.token_info.as_ref()).and_then(|t| t.refresh_token.clone()),
        ) else {
            return Err(ApiError::Auth { account: a.label(), message: "an oauth2 account needs auth.clientId, auth.clientSecret and auth.tokenInfo.refreshToken; authenticate it again.".into() });
        };
        let refresh = self.tokens.refresh_token(key, refresh);
        let sent = [secret.clone(), refresh.clone()];
        let stored = self
            .refresh_oauth_unscrubbed(caller, &client_id, &secret, refresh.clone())
            .await
            .map_err(|e| e.scrub(&sent))?;
        if let Some(new) = &stored.refresh_token {
            self.tokens.rotated(key, &refresh, new);
        }
        Ok(stored)
    }

    async fn refresh_oauth_unscrubbed(
        &self,
        caller: &Caller,
        client_id: &str,
        secret: &Secret,
        refresh: Secret,
    ) -> Result<StoredToken, ApiError> {
        let ctx = caller.ctx("refresh the OAuth2 token");
        let url = build_url(&self.origins.token_exchange(caller.account.env), "oauth/v1/token")
            .map_err(|m| ApiError::Local { message: m })?;
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
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
        Ok(StoredToken {
            expires_at: auth::iso_millis(body.expires_at(Utc::now())),
            access_token: Secret::new(body.access_token),
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
            let head = Head::new(resp).refuse_redirect(|| ctx.clone())?;
            if head.status == 429 && tries < MAX_RATE_LIMIT_RETRIES {
                tries += 1;
                self.wait(retry_after(head.retry_after.as_deref())).await;
                continue;
            }
            return head.read(MAX_API_BODY_BYTES, || ctx.clone()).await;
        }
    }
}
