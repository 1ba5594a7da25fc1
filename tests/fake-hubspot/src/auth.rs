//! Credentials: the PAK token exchange, the OAuth2 refresh and the check every other API call
//! goes through (docs/hubspot-cli.md, *Token exchange*, *OAuth2 accounts*, *Authorised
//! requests*).

use axum::response::Response;
use serde_json::{json, Value};

use crate::model::{PortalState, Recorded};
use crate::respond::{self, bad_request, error, unauthorized, NO_CREDENTIALS};
use crate::state::Shared;

/// `POST /localdevauth/v1/auth/refresh[?portalId=N]` with `{"encodedOAuthRefreshToken": PAK}`.
pub fn exchange(shared: &Shared, req: &Recorded) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return bad_request("The request body must be JSON: {\"encodedOAuthRefreshToken\": \"...\"}");
    };
    let Some(pak) = body.get("encodedOAuthRefreshToken").and_then(Value::as_str) else {
        return bad_request("encodedOAuthRefreshToken (string) is required");
    };
    let portal_id = match req.query_value("portalId") {
        None => None,
        Some(p) => match p.parse::<u64>() {
            Ok(p) => Some(p),
            Err(_) => return bad_request(&format!("portalId must be a number, got {p:?}")),
        },
    };

    let mut st = shared.lock();
    let Some(spec) = st
        .accounts
        .iter()
        .find(|a| !a.spec.personal_access_key.is_empty() && a.spec.personal_access_key == pak)
        .map(|a| a.spec.clone())
    else {
        return local_dev_auth_error(
            401,
            "FAILED_TO_SIGN_REFRESH_TOKEN_DECODE",
            "Failed to decode the personal access key; it is invalid or malformed",
        );
    };
    match st.portal_state(spec.hub_id) {
        PortalState::Active => {}
        PortalState::Inactive => {
            return local_dev_auth_error(401, "PORTAL_NOT_ACTIVE", &format!("The portal {} is not active", spec.hub_id))
        }
        PortalState::Missing => {
            return local_dev_auth_error(
                404,
                "INVALID_PORTAL_ID",
                &format!("The portal {} does not exist", spec.hub_id),
            )
        }
    }
    if let Some(p) = portal_id {
        if p != spec.hub_id {
            return local_dev_auth_error(
                401,
                "PORTAL_ID_MISMATCH",
                &format!("The personal access key does not belong to portal {p}"),
            );
        }
    }
    let (token, expires) = st.issue_token(spec.hub_id);
    let hub_name = if spec.hub_name.is_empty() { format!("Fake Hub {}", spec.hub_id) } else { spec.hub_name.clone() };
    let account_type = if spec.account_type.is_empty() { "STANDARD".to_string() } else { spec.account_type.clone() };
    respond::json(
        200,
        &json!({
            "hubId": spec.hub_id,
            "userId": spec.user_id,
            "oauthAccessToken": token,
            "expiresAtMillis": expires,
            "scopeGroups": spec.scope_groups,
            "enabledFeatures": spec.enabled_features,
            "encodedOAuthRefreshToken": pak,
            "hubName": hub_name,
            "accountType": account_type,
        }),
    )
}

fn local_dev_auth_error(status: u16, sub: &str, message: &str) -> Response {
    let mut body = respond::error_body("INVALID_AUTHENTICATION", message);
    body["subCategory"] = json!(format!("LocalDevAuthErrorType.{sub}"));
    respond::json(status, &body)
}

/// `POST /oauth/v1/token`, form-urlencoded `grant_type=refresh_token&client_id&client_secret&refresh_token`.
/// The refresh token is rotated: the old one stops working, so a client must store the new
/// one, as the CLI's library does.
pub fn oauth_token(shared: &Shared, req: &Recorded) -> Response {
    let form: Vec<(String, String)> =
        form_urlencoded::parse(&req.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if get("grant_type") != Some("refresh_token") {
        return respond::json(400, &json!({"status": "BAD_GRANT_TYPE", "message": "grant_type must be refresh_token"}));
    }
    let bad = |message: &str| respond::json(400, &json!({"status": "BAD_REFRESH_TOKEN", "message": message}));
    let (Some(cid), Some(secret), Some(rt)) = (get("client_id"), get("client_secret"), get("refresh_token")) else {
        return bad("client_id, client_secret and refresh_token are required");
    };
    let mut st = shared.lock();
    let lifetime = st.token_lifetime.as_secs();
    let Some(idx) = st.accounts.iter().position(|a| {
        a.spec.oauth_client_id.as_deref() == Some(cid)
            && a.spec.oauth_client_secret.as_deref() == Some(secret)
            && a.oauth_refresh_token.as_deref() == Some(rt)
    }) else {
        return bad("missing or unknown refresh token");
    };
    let hub_id = st.accounts[idx].spec.hub_id;
    let n = st.next_id();
    let new_rt = format!("fake-rt-{hub_id}-{n}-{:016x}", fastrand::u64(..));
    st.accounts[idx].oauth_refresh_token = Some(new_rt.clone());
    let (token, _) = st.issue_token(hub_id);
    respond::json(
        200,
        &json!({"refresh_token": new_rt, "access_token": token, "expires_in": lifetime, "token_type": "bearer"}),
    )
}

/// Checks the credentials of an API call; `Ok(hub_id)` or the error response.
///
/// `?portalId=` is required (the CLI always sends it); then either a Bearer token the fake
/// issued for that hub, unexpired and not revoked, or `?hapikey=` of that hub's account.
pub fn authenticate(shared: &Shared, req: &Recorded) -> Result<u64, Response> {
    let hub_id = match req.query_value("portalId") {
        None => return Err(bad_request("The portalId query parameter is required")),
        Some(p) => p.parse::<u64>().map_err(|_| bad_request(&format!("portalId must be a number, got {p:?}")))?,
    };
    let st = shared.lock();
    if let Some(auth) = req.header("authorization") {
        let token = match auth.split_once(' ') {
            Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
            _ => return Err(unauthorized(NO_CREDENTIALS)),
        };
        let Some(t) = st.tokens.get(token) else {
            return Err(unauthorized(NO_CREDENTIALS));
        };
        let now = st.now_ms();
        if t.expires_at_ms <= now {
            let ago = (now - t.expires_at_ms) / 1000;
            return Err(unauthorized(&format!("The OAuth token used to make this call expired {ago} second(s) ago.")));
        }
        if t.hub_id != hub_id {
            return Err(unauthorized(&format!(
                "The access token was issued for portal {}, not portal {hub_id}",
                t.hub_id
            )));
        }
        return Ok(hub_id);
    }
    if let Some(key) = req.query_value("hapikey") {
        let ok = st.account(hub_id).and_then(|a| a.spec.api_key.as_deref()) == Some(key);
        if ok {
            return Ok(hub_id);
        }
        return Err(error(
            401,
            "INVALID_AUTHENTICATION",
            "The API key provided is invalid. View or manage your API key here: https://app.hubspot.com/l/api-key/",
        ));
    }
    Err(unauthorized(NO_CREDENTIALS))
}
