use std::time::{Duration, Instant};

use fake_hubspot::{Fault, FaultKind};
use serde_json::json;

use crate::*;

#[test]
fn status_faults_default_body_custom_body_and_times() {
    let fake = fake();
    let t = token(&fake);
    fake.fault(Fault::status("/cms/v3/functions/secrets", 500).times(1));
    let (s, v) = json_of(get(&fake, &t, "/cms/v3/functions/secrets"));
    assert_eq!((s, v["status"].as_str()), (500, Some("error")));
    assert!(v["correlationId"].is_string());
    assert_eq!(get(&fake, &t, "/cms/v3/functions/secrets").status(), 200, "used up");

    fake.fault(Fault::new("/nope", FaultKind::Status(404, json!({"status": "error", "message": "gone"}))).times(2));
    assert_eq!(json_of(get(&fake, &t, "/nope/x")), (404, json!({"status": "error", "message": "gone"})));
    assert_eq!(get(&fake, &t, "/nope").status(), 404);
    assert_eq!(get(&fake, &t, "/nope").status(), 200);

    // Forever, and only for one method.
    fake.fault(Fault::status("/crm", 401).method("delete"));
    for _ in 0..3 {
        let r = client().delete(format!("{}/crm/v3/x?portalId={HUB}", fake.url())).bearer_auth(&t).send().unwrap();
        let (s, v) = json_of(r);
        assert_eq!((s, v["category"].as_str()), (401, Some("INVALID_AUTHENTICATION")));
    }
    assert_eq!(get(&fake, &t, "/crm/v3/x").status(), 200);
    // Faults apply before authentication, and faulted requests are recorded.
    let before = fake.requests().len();
    assert_eq!(client().delete(format!("{}/crm/x", fake.url())).send().unwrap().status(), 401);
    assert_eq!(fake.requests().len(), before + 1);
    fake.clear_faults();
    let r = client().delete(format!("{}/crm/v3/x?portalId={HUB}", fake.url())).bearer_auth(&t).send().unwrap();
    assert_eq!(r.status(), 200);

    // The token exchange can be faulted too; the first matching fault wins.
    fake.fault(Fault::status("/localdevauth", 503).times(1));
    fake.fault(Fault::status("/localdevauth", 502).times(1));
    assert_eq!(exchange(&fake, PAK, Some(HUB)).status(), 503);
    assert_eq!(exchange(&fake, PAK, Some(HUB)).status(), 502);
    assert_eq!(exchange(&fake, PAK, Some(HUB)).status(), 200);
}

#[test]
fn rate_limit_fault() {
    let fake = fake();
    let t = token(&fake);
    fake.fault(Fault::new("/cms", FaultKind::RateLimit { retry_after_secs: 2 }).times(1));
    let r = get(&fake, &t, "/cms/v3/functions/secrets");
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    let (_, v) = json_of(r);
    assert_eq!(v["message"], "You have reached your secondly limit.");
    assert_eq!(v["errorType"], "RATE_LIMIT");
    assert_eq!(v["policyName"], "SECONDLY");
    assert_eq!(v["status"], "error");
    assert_eq!(get(&fake, &t, "/cms/v3/functions/secrets").status(), 200);
}

#[test]
fn slow_fault_delays_then_handles_normally() {
    let fake = fake();
    let t = token(&fake);
    fake.fault(Fault::new("/cms", FaultKind::Slow { millis: 300 }).times(1));
    let start = Instant::now();
    let (s, v) = json_of(get(&fake, &t, "/cms/v3/functions/secrets"));
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!((s, v), (200, json!({"results": []})));
    // A slow request holds up neither other requests nor the handle's drop: while one waits
    // out a minute-long fault (seen by the fake: it is recorded before the delay), another is
    // answered, and dropping the fake cuts the slow one off.
    fake.fault(Fault::new("/stuck", FaultKind::Slow { millis: 60_000 }));
    let url = fake.url();
    let stuck =
        std::thread::spawn(move || client().get(format!("{url}/stuck?portalId={HUB}")).bearer_auth(t).send().is_err());
    assert!(fake.wait_for_request(|r| r.path == "/stuck", fake_hubspot::deadline()).is_some());
    let t = token(&fake);
    assert_eq!(get(&fake, &t, "/fast").status(), 200);
    assert!(!stuck.is_finished(), "the slow request is still waiting");
    drop(fake);
    assert!(stuck.join().unwrap(), "the stuck request fails once the fake is gone");
}

#[test]
fn bad_json_fault() {
    let fake = fake();
    let t = token(&fake);
    fake.fault(Fault::new("/cms", FaultKind::BadJson).method("GET").times(1));
    let r = get(&fake, &t, "/cms/v3/functions/secrets");
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let text = r.text().unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err(), "{text}");
}

#[test]
fn raw_and_endless_faults() {
    let fake = fake();
    let t = token(&fake);
    let other = "http://127.0.0.1:9/collect";
    fake.fault(Fault::new("/cms", FaultKind::redirect(307, other)).times(1));
    let no_follow = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_follow.get(format!("{}/cms/v3/functions/secrets?portalId={HUB}", fake.url())).send().unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (307, other));
    fake.fault(Fault::new("/cms", FaultKind::retry_after("1e20")).times(1));
    let r = get(&fake, &t, "/cms/v3/functions/secrets");
    assert_eq!((r.status().as_u16(), r.headers()["retry-after"].to_str().unwrap()), (429, "1e20"));
    // An endless body: far more than anyone should read, and still coming.
    fake.fault(Fault::new("/cms", FaultKind::Endless).times(1));
    let mut r = get(&fake, &t, "/cms/v3/functions/secrets");
    assert_eq!(r.status(), 200);
    let mut buf = vec![0u8; 1024 * 1024];
    let mut total = 0;
    while total < 8 * 1024 * 1024 {
        total += std::io::Read::read(&mut r, &mut buf).unwrap();
    }
}
