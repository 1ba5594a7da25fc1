use fake_hubspot::AccountSpec;
use serde_json::json;

use crate::*;

fn post(
    fake: &fake_hubspot::FakeHubSpot,
    token: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let req = client().post(format!("{}{path}?portalId={HUB}", fake.url())).bearer_auth(token);
    let req = match body {
        Some(b) => req.json(&b),
        None => req.header("content-type", "application/json"),
    };
    json_of(req.send().unwrap())
}

#[test]
fn a_sandbox_is_created_keyed_counted_and_deleted() {
    let fake = fake();
    let t = token(&fake);
    let usage = || json_of(get(&fake, &t, &format!("/sandbox-hubs/v1/parent/{HUB}/usage"))).1["usage"].clone();
    assert_eq!(usage()["DEVELOPER"], json!({"used": 0, "available": 2, "limit": 2}));
    assert_eq!(usage()["STANDARD"], json!({"used": 0, "available": 1, "limit": 1}));

    let (s, created) = post(
        &fake,
        &t,
        "/sandbox-hubs/v2/sandboxes",
        Some(json!({"name": "Dev Box", "type": "DEVELOPER", "syncObjectRecords": false})),
    );
    assert_eq!(s, 200, "{created}");
    assert_eq!(created["status"], "PENDING");
    assert_eq!(created["parentHubId"], HUB);
    let id = created["sandboxHubId"].as_u64().unwrap();
    assert_eq!(usage()["DEVELOPER"]["used"], 1);

    // The issued key exchanges for a token of the sandbox, which knows its parent.
    let (s, key) = post(&fake, &t, &format!("/sandbox-hubs/v2/sandboxes/{id}/personal-access-key"), None);
    assert_eq!(s, 200);
    let pak = key["personalAccessKey"]["encodedOAuthRefreshToken"].as_str().unwrap().to_string();
    let (s, ex) = json_of(exchange(&fake, &pak, None));
    assert_eq!((s, ex["hubId"].as_u64(), ex["accountType"].as_str()), (200, Some(id), Some("DEVELOPMENT_SANDBOX")));
    assert_eq!(ex["hubName"], "Dev Box");
    assert_eq!(fake.sandboxes()[0]["name"], "Dev Box");

    let del = || {
        client().delete(format!("{}/sandbox-hubs/v1/{id}?portalId={HUB}", fake.url())).bearer_auth(&t).send().unwrap()
    };
    assert_eq!(del().status(), 204);
    let (s, gone) = json_of(del());
    assert_eq!((s, gone["subCategory"].as_str()), (404, Some("SandboxErrors.SANDBOX_NOT_FOUND")));
    assert!(fake.sandboxes().is_empty());
    assert_eq!(exchange(&fake, &pak, None).status(), 401, "a deleted sandbox's key no longer works");
}

#[test]
fn limits_scopes_and_bad_bodies_are_refused() {
    let fake = fake();
    let t = token(&fake);
    fake.set_sandbox_limits(HUB, 0, 2);
    let (s, v) = post(&fake, &t, "/sandbox-hubs/v2/sandboxes", Some(json!({"name": "S", "type": "STANDARD"})));
    assert_eq!(
        (s, v["subCategory"].as_str()),
        (400, Some("SandboxErrors.NUM_STANDARD_SANDBOXES_LIMIT_EXCEEDED_ERROR"))
    );
    for bad in [json!({"name": "S", "type": "OTHER"}), json!({"type": "DEVELOPER"}), json!("x")] {
        assert_eq!(post(&fake, &t, "/sandbox-hubs/v2/sandboxes", Some(bad)).0, 400);
    }
    assert!(fake.sandboxes().is_empty());

    fake.add_account(AccountSpec { scope_groups: vec!["files".into()], ..AccountSpec::new(HUB, PAK) });
    let (s, v) = json_of(get(&fake, &t, &format!("/sandbox-hubs/v1/parent/{HUB}/usage")));
    assert_eq!((s, v["category"].as_str()), (403, Some("MISSING_SCOPES")));
    assert_eq!(v["errors"][0]["context"]["requiredScopes"], json!(["sandboxes.write"]));
}
