use std::time::Duration;

use fake_hubspot::{AccountSpec, PortalState};
use serde_json::json;

use crate::*;

#[test]
fn exchange_returns_the_account_and_a_fresh_token_each_time() {
    let fake = fake();
    fake.add_account(AccountSpec {
        hub_name: "My Test Hub, Inc.".into(),
        user_id: 42,
        scope_groups: vec!["cms.functions.read_write".into()],
        enabled_features: [("cms".to_string(), 1)].into(),
        ..AccountSpec::new(777, "pak-777").with_account_type("DEVELOPMENT_SANDBOX").with_parent(HUB)
    });
    let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let (status, v) = json_of(exchange(&fake, "pak-777", Some(777)));
    assert_eq!(status, 200);
    assert_eq!(v["hubId"], 777);
    assert_eq!(v["userId"], 42);
    assert_eq!(v["hubName"], "My Test Hub, Inc.");
    assert_eq!(v["accountType"], "DEVELOPMENT_SANDBOX");
    assert_eq!(v["scopeGroups"], json!(["cms.functions.read_write"]));
    assert_eq!(v["enabledFeatures"], json!({"cms": 1}));
    assert_eq!(v["encodedOAuthRefreshToken"], "pak-777");
    let exp = v["expiresAtMillis"].as_u64().unwrap();
    assert!(exp >= before + 3_599_000 && exp <= before + 3_700_000, "{exp} vs {before}");
    let t1 = v["oauthAccessToken"].as_str().unwrap().to_string();
    assert!(t1.starts_with("fake-at-777-"));
    // Without portalId (first exchange of `hs account auth`) works too, and differs.
    let (_, v2) = json_of(exchange(&fake, "pak-777", None));
    assert_ne!(v2["oauthAccessToken"].as_str().unwrap(), t1);
}

#[test]
fn exchange_errors_look_like_hubspot() {
    let fake = fake();
    let (s, v) = json_of(exchange(&fake, "nope", Some(HUB)));
    assert_eq!(s, 401);
    assert_eq!(v["status"], "error");
    assert_eq!(v["category"], "INVALID_AUTHENTICATION");
    assert_eq!(v["subCategory"], "LocalDevAuthErrorType.FAILED_TO_SIGN_REFRESH_TOKEN_DECODE");
    assert!(v["correlationId"].as_str().is_some_and(|c| c.len() == 36));

    fake.set_portal_state(HUB, PortalState::Inactive);
    let (s, v) = json_of(exchange(&fake, PAK, Some(HUB)));
    assert_eq!((s, v["subCategory"].as_str()), (401, Some("LocalDevAuthErrorType.PORTAL_NOT_ACTIVE")));
    assert_eq!(v["category"], "INVALID_AUTHENTICATION");

    fake.set_portal_state(HUB, PortalState::Missing);
    let (s, v) = json_of(exchange(&fake, PAK, Some(HUB)));
    assert_eq!((s, v["subCategory"].as_str()), (404, Some("LocalDevAuthErrorType.INVALID_PORTAL_ID")));
    assert_eq!(v["category"], "INVALID_AUTHENTICATION");

    fake.set_portal_state(HUB, PortalState::Active);
    assert_eq!(exchange(&fake, PAK, Some(HUB)).status(), 200);

    // A PAK presented for another portal.
    let (s, v) = json_of(exchange(&fake, PAK, Some(999)));
    assert_eq!(s, 401);
    assert_eq!(v["category"], "INVALID_AUTHENTICATION");

    // Malformed requests are 400s, not crashes.
    let url = format!("{}/localdevauth/v1/auth/refresh", fake.url());
    assert_eq!(client().post(&url).body("{not json").send().unwrap().status(), 400);
    assert_eq!(client().post(&url).json(&json!({"x": 1})).send().unwrap().status(), 400);
    let bad_portal = format!("{url}?portalId=abc");
    assert_eq!(client().post(bad_portal).json(&json!({"encodedOAuthRefreshToken": PAK})).send().unwrap().status(), 400);
    assert_eq!(client().get(&url).send().unwrap().status(), 405);
}

#[test]
fn api_calls_need_portal_id_and_a_valid_token_for_that_hub() {
    let fake = fake();
    fake.add_account(AccountSpec::new(456, "pak-456"));
    let t = token(&fake);
    let url = format!("{}/crm/v3/objects/contacts", fake.url());

    assert_eq!(client().get(&url).bearer_auth(&t).send().unwrap().status(), 400, "no portalId");
    assert_eq!(client().get(format!("{url}?portalId=x")).bearer_auth(&t).send().unwrap().status(), 400);
    assert_eq!(get(&fake, &t, "/crm/v3/objects/contacts").status(), 200);

    let (s, v) = json_of(client().get(format!("{url}?portalId={HUB}")).send().unwrap());
    assert_eq!(s, 401, "no credentials");
    assert_eq!(v["category"], "INVALID_AUTHENTICATION");
    assert!(v["message"].as_str().unwrap().starts_with("Authentication credentials not found."));
    assert_eq!(get(&fake, "fake-at-made-up", "/crm/v3/objects/contacts").status(), 401);
    let basic = client().get(format!("{url}?portalId={HUB}")).header("Authorization", "Basic abc").send().unwrap();
    assert_eq!(basic.status(), 401);
    // A token of another hub.
    assert_eq!(client().get(format!("{url}?portalId=456")).bearer_auth(&t).send().unwrap().status(), 401);
}

#[test]
fn tokens_expire_and_can_be_revoked() {
    let fake = fake();
    fake.set_token_lifetime(Duration::ZERO);
    let (_, v) = json_of(exchange(&fake, PAK, Some(HUB)));
    let expired = v["oauthAccessToken"].as_str().unwrap().to_string();
    let (s, v) = json_of(get(&fake, &expired, "/crm/v3/objects/contacts"));
    assert_eq!(s, 401);
    assert_eq!(v["category"], "INVALID_AUTHENTICATION");

    // Expiry follows the fake's clock, moved forward instead of slept through: valid within
    // its lifetime (an hour), expired once the clock has passed it.
    fake.set_token_lifetime(Duration::from_secs(3600));
    let short = token(&fake);
    assert_eq!(get(&fake, &short, "/x").status(), 200);
    fake.advance_clock(Duration::from_secs(3000));
    assert_eq!(get(&fake, &short, "/x").status(), 200);
    fake.advance_clock(Duration::from_secs(600));
    let (s, v) = json_of(get(&fake, &short, "/x"));
    assert_eq!(s, 401);
    assert!(v["message"].as_str().unwrap().starts_with("The OAuth token used to make this call expired"), "{v}");
    // Tokens issued after the move are issued on the moved clock.
    let after = token(&fake);
    assert_eq!(get(&fake, &after, "/x").status(), 200);

    fake.set_token_lifetime(Duration::from_secs(3600));
    let t = token(&fake);
    assert_eq!(get(&fake, &t, "/x").status(), 200);
    fake.revoke_tokens();
    assert_eq!(get(&fake, &t, "/x").status(), 401);
    let fresh = token(&fake);
    assert_eq!(get(&fake, &fresh, "/x").status(), 200);
}

#[test]
fn api_key_accounts_use_hapikey() {
    let fake = fake();
    fake.add_account(AccountSpec { api_key: Some("hapi-333".into()), ..AccountSpec::new(333, "") });
    let ok = client().get(format!("{}/crm/v3/objects/contacts?limit=5&portalId=333&hapikey=hapi-333", fake.url()));
    assert_eq!(ok.send().unwrap().status(), 200);
    let wrong = client().get(format!("{}/crm/v3/objects/contacts?portalId=333&hapikey=nope", fake.url()));
    let (s, v) = json_of(wrong.send().unwrap());
    assert_eq!((s, v["category"].as_str()), (401, Some("INVALID_AUTHENTICATION")));
    let other_hub = client().get(format!("{}/x?portalId={HUB}&hapikey=hapi-333", fake.url()));
    assert_eq!(other_hub.send().unwrap().status(), 401);
    // An account without a PAK can never be exchanged with an empty one.
    assert_eq!(exchange(&fake, "", None).status(), 401);
}

#[test]
fn oauth_refresh_rotates_the_refresh_token() {
    let fake = fake();
    fake.add_account(AccountSpec::new(555, "").with_oauth("cid", "csecret", "rt-1"));
    let url = format!("{}/oauth/v1/token", fake.url());
    let form = |rt: &str| {
        client()
            .post(&url)
            .form(&[
                ("grant_type", "refresh_token"),
                ("client_id", "cid"),
                ("client_secret", "csecret"),
                ("refresh_token", rt),
            ])
            .send()
            .unwrap()
    };
    let (s, v) = json_of(form("rt-1"));
    assert_eq!(s, 200);
    let rt2 = v["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt2, "rt-1");
    assert_eq!(v["expires_in"], 3600);
    assert_eq!(fake.oauth_refresh_token(555).as_deref(), Some(rt2.as_str()));
    let at = v["access_token"].as_str().unwrap();
    let api = client().get(format!("{}/cms/v3/functions/secrets?portalId=555", fake.url())).bearer_auth(at);
    assert_eq!(api.send().unwrap().status(), 200);

    let (s, v) = json_of(form("rt-1"));
    assert_eq!((s, v["status"].as_str()), (400, Some("BAD_REFRESH_TOKEN")), "the old token is gone");
    assert_eq!(form(&rt2).status(), 200);
    let bad_client = client()
        .post(&url)
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "x"),
            ("client_secret", "csecret"),
            ("refresh_token", "rt-1"),
        ])
        .send()
        .unwrap();
    assert_eq!(bad_client.status(), 400);
    assert_eq!(client().post(&url).body("garbage").send().unwrap().status(), 400);
    // The request recorded is the form the CLI sends.
    let rec = fake.requests().into_iter().find(|r| r.path == "/oauth/v1/token").unwrap();
    assert!(rec.body_text().unwrap().starts_with("grant_type=refresh_token&client_id=cid"));
}

#[test]
fn sandbox_and_test_account_self() {
    let fake = fake();
    fake.add_account(AccountSpec::new(555, "pak-555").with_account_type("DEVELOPMENT_SANDBOX").with_parent(HUB));
    fake.add_account(AccountSpec::new(666, "pak-666").with_account_type("DEVELOPER_TEST").with_parent(HUB));
    let tok =
        |pak: &str, hub| json_of(exchange(&fake, pak, Some(hub))).1["oauthAccessToken"].as_str().unwrap().to_string();
    let t5 = tok("pak-555", 555);
    let r = client().get(format!("{}/sandbox-hubs/v1/self?portalId=555", fake.url())).bearer_auth(&t5);
    let (s, v) = json_of(r.send().unwrap());
    assert_eq!((s, v["parentHubId"].as_u64()), (200, Some(HUB)));
    let t6 = tok("pak-666", 666);
    let r = client().get(format!("{}/integrators/test-portals/v2/self?portalId=666", fake.url())).bearer_auth(&t6);
    let (s, v) = json_of(r.send().unwrap());
    assert_eq!((s, v["parentPortalId"].as_u64()), (200, Some(HUB)));
    // A standard account has no parent.
    let t = token(&fake);
    assert_eq!(get(&fake, &t, "/sandbox-hubs/v1/self").status(), 404);
    assert_eq!(get(&fake, &t, "/integrators/test-portals/v2/self").status(), 404);
}
