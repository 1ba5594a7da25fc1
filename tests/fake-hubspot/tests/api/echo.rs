use serde_json::json;

use crate::*;

#[test]
fn other_paths_echo_and_every_request_is_recorded() {
    let fake = fake();
    let t = token(&fake);
    fake.clear_requests();
    let r = client()
        .post(format!("{}/crm/v3/objects/contacts?limit=5&b=x%20y&limit=6&portalId={HUB}", fake.url()))
        .bearer_auth(&t)
        .header("X-Custom", "One")
        .json(&json!({"properties": {"email": "a@b.c"}}))
        .send()
        .unwrap();
    let (s, v) = json_of(r);
    assert_eq!(s, 200);
    assert_eq!(v["method"], "POST");
    assert_eq!(v["path"], "/crm/v3/objects/contacts");
    assert_eq!(v["query"]["limit"], "5");
    assert_eq!(v["body"], json!({"properties": {"email": "a@b.c"}}));

    let reqs = fake.requests();
    assert_eq!(reqs.len(), 1);
    let rec = &reqs[0];
    assert_eq!(rec.method, "POST");
    assert_eq!(rec.raw_query, format!("limit=5&b=x%20y&limit=6&portalId={HUB}"));
    let q: Vec<(&str, &str)> = rec.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(q, vec![("limit", "5"), ("b", "x y"), ("limit", "6"), ("portalId", "123")]);
    assert_eq!(rec.header("x-custom"), Some("One"));
    assert_eq!(rec.header("Authorization"), Some(format!("Bearer {t}").as_str()));
    assert!(rec.headers.iter().all(|(k, _)| *k == k.to_ascii_lowercase()));
    assert_eq!(rec.body_json(), Some(json!({"properties": {"email": "a@b.c"}})));
    assert_eq!(rec.query_value("portalId"), Some("123"));

    // A non-JSON body is echoed as a string; a missing one as null.
    let r =
        client().delete(format!("{}/nope?portalId={HUB}", fake.url())).bearer_auth(&t).body("plain").send().unwrap();
    assert_eq!(json_of(r).1["body"], "plain");
    assert_eq!(json_of(get(&fake, &t, "/nope")).1["body"], serde_json::Value::Null);

    // Unauthenticated usage tracking is accepted.
    let r = client().post(format!("{}/local/dev/tools/proxy/v1/usage", fake.url())).json(&json!({"eventName": "x"}));
    assert_eq!(r.send().unwrap().status(), 200);
    fake.clear_requests();
    assert!(fake.requests().is_empty());
}

#[test]
fn wait_for_request_sees_requests_made_in_the_background() {
    let fake = fake();
    let url = fake.url();
    let (waiting, waiting_rx) = std::sync::mpsc::channel();
    let bg = std::thread::spawn(move || {
        waiting_rx.recv().unwrap();
        client()
            .post(format!("{url}/localdevauth/v1/auth/refresh"))
            .json(&json!({"encodedOAuthRefreshToken": PAK}))
            .send()
            .unwrap();
    });
    // Started as the wait starts: the request arrives during the wait (or just before it,
    // which the wait must see as well).
    waiting.send(()).unwrap();
    let got = fake.wait_for_request(|r| r.path.starts_with("/localdevauth"), fake_hubspot::deadline());
    assert_eq!(got.map(|r| r.method), Some("POST".to_string()));
    bg.join().unwrap();
    assert!(fake.wait_for_request(|r| r.path == "/never", std::time::Duration::from_millis(50)).is_none());
}
