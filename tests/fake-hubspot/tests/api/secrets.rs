use serde_json::json;

use crate::*;

#[test]
fn secrets_list_add_update_delete() {
    let fake = fake();
    let t = token(&fake);
    let base = format!("{}/cms/v3/functions/secrets?portalId={HUB}", fake.url());
    let list = || json_of(get(&fake, &t, "/cms/v3/functions/secrets")).1["results"].clone();
    assert_eq!(list(), json!([]));

    let add =
        |k: &str, v: &str| client().post(&base).bearer_auth(&t).json(&json!({"key": k, "secret": v})).send().unwrap();
    assert!(add("API_KEY", "v1").status().is_success());
    assert!(add("OTHER KEY", "v2").status().is_success());
    assert_eq!(list(), json!(["API_KEY", "OTHER KEY"]));
    assert_eq!(fake.secrets(HUB), vec!["API_KEY", "OTHER KEY"]);
    assert_eq!(fake.secret_value(HUB, "API_KEY").as_deref(), Some("v1"));

    let (s, v) = json_of(add("API_KEY", "again"));
    assert_eq!(s, 409);
    assert_eq!(v["status"], "error");
    assert!(v["message"].as_str().unwrap().contains("API_KEY"));
    assert_eq!(fake.secret_value(HUB, "API_KEY").as_deref(), Some("v1"));

    let put =
        |k: &str, v: &str| client().put(&base).bearer_auth(&t).json(&json!({"key": k, "secret": v})).send().unwrap();
    assert!(put("API_KEY", "v3").status().is_success());
    assert_eq!(fake.secret_value(HUB, "API_KEY").as_deref(), Some("v3"));
    assert_eq!(put("MISSING", "x").status(), 404);
    assert!(fake.secret_value(HUB, "MISSING").is_none());

    let del = |name: &str| {
        client()
            .delete(format!("{}/cms/v3/functions/secrets/{name}?portalId={HUB}", fake.url()))
            .bearer_auth(&t)
            .send()
            .unwrap()
    };
    assert_eq!(del("OTHER%20KEY").status(), 204);
    assert_eq!(del("OTHER%20KEY").status(), 404);
    assert_eq!(fake.secrets(HUB), vec!["API_KEY"]);

    // Malformed bodies are 400s; the other hub's secrets are separate.
    assert_eq!(client().post(&base).bearer_auth(&t).body("{").send().unwrap().status(), 400);
    assert_eq!(client().post(&base).bearer_auth(&t).json(&json!({"key": "A"})).send().unwrap().status(), 400);
    assert_eq!(client().patch(&base).bearer_auth(&t).send().unwrap().status(), 405);
    assert!(fake.secrets(999).is_empty());
    // Unauthenticated: 401 and nothing changes.
    assert_eq!(client().post(&base).json(&json!({"key": "X", "secret": "y"})).send().unwrap().status(), 401);
    assert_eq!(fake.secrets(HUB), vec!["API_KEY"]);
}

#[test]
fn seeded_secrets_are_listed() {
    let fake = fake();
    fake.set_secret(HUB, "SEEDED", "s");
    fake.set_secret(HUB, "SEEDED", "s2");
    let t = token(&fake);
    assert_eq!(json_of(get(&fake, &t, "/cms/v3/functions/secrets")).1, json!({"results": ["SEEDED"]}));
    assert_eq!(fake.secret_value(HUB, "SEEDED").as_deref(), Some("s2"));
}
