//! The two token endpoints (docs/hubspot-cli.md, *Token exchange* and *OAuth2 accounts*): the personal-access-key exchange and the OAuth2
//! refresh. Their errors are scrubbed of what they sent (the key, the client secret, the
//! refresh token), since HubSpot may echo it.

use std::time::Duration;

use chrono::Utc;

use super::auth::{self, AccessToken, CacheKey, ExchangeBody, OAuthBody, StoredToken};
use super::client::{build_url, Caller, HubSpotClient};
use super::error::{ApiError, RequestContext};
use super::http::{retry_after, transport_error, Head};
use super::origin::Origins;
use super::ApiResponse;
use crate::hubspot::limits::{MAX_API_BODY_BYTES, MAX_RATE_LIMIT_RETRIES};
use crate::hubspot::model::HubEnv;
use crate::hubspot::secret::Secret;

impl HubSpotClient {
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
    pub(super) async fn refresh_oauth(&self, caller: &Caller) -> Result<StoredToken, ApiError> {
        let a = &caller.account;
        let auth = a.auth.as_ref();
        let (Some(client_id), Some(secret), Some(refresh)) = (
            auth.and_then(|x| x.client_id.clone()),
            auth.and_then(|x| x.client_secret.clone()),
            auth.and_then(|x| x.token_info.as_ref()).and_then(|t| t.refresh_token.clone()),
        ) else {
            return Err(ApiError::Auth { account: a.label(), message: "an oauth2 account needs auth.clientId, auth.clientSecret and auth.tokenInfo.refreshToken; authenticate it again.".into() });
        };
        let refresh = match CacheKey::of(a) {
            Some(key) => self.tokens.refresh_token(&key, refresh),
            None => refresh,
        };
        let sent = [secret.clone(), refresh.clone()];
        self.refresh_oauth_unscrubbed(caller, &client_id, &secret, refresh).await.map_err(|e| e.scrub(&sent))
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
