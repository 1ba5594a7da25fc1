//! The fake through its Rust handle, driven by a real HTTP client.

mod auth;
mod echo;
mod faults;
mod files;
mod sandboxes;
mod secrets;

use fake_hubspot::{AccountSpec, FakeHubSpot};
use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};

pub const HUB: u64 = 123;
pub const PAK: &str = "pak-na1-test-123";

pub fn client() -> Client {
    Client::builder().timeout(fake_hubspot::deadline()).build().expect("client")
}

/// A fake with one standard account (`HUB`, `PAK`).
pub fn fake() -> FakeHubSpot {
    let fake = FakeHubSpot::start();
    fake.add_account(AccountSpec::new(HUB, PAK));
    fake
}

pub fn exchange(fake: &FakeHubSpot, pak: &str, portal: Option<u64>) -> Response {
    let url = match portal {
        Some(p) => format!("{}/localdevauth/v1/auth/refresh?portalId={p}", fake.url()),
        None => format!("{}/localdevauth/v1/auth/refresh", fake.url()),
    };
    client().post(url).json(&json!({ "encodedOAuthRefreshToken": pak })).send().expect("exchange")
}

/// A valid access token for `HUB`.
pub fn token(fake: &FakeHubSpot) -> String {
    let r = exchange(fake, PAK, Some(HUB));
    assert_eq!(r.status(), 200);
    let v: Value = r.json().expect("json");
    v["oauthAccessToken"].as_str().expect("token").to_string()
}

/// An authenticated GET of `path` (which may carry its own query) for `HUB`.
pub fn get(fake: &FakeHubSpot, token: &str, path: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    client().get(format!("{}{path}{sep}portalId={HUB}", fake.url())).bearer_auth(token).send().expect("get")
}

pub fn json_of(r: Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn works_inside_a_tokio_runtime() {
    let fake = fake();
    let r = reqwest::Client::new()
        .post(format!("{}/localdevauth/v1/auth/refresh", fake.url()))
        .json(&json!({ "encodedOAuthRefreshToken": PAK }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(fake.requests().len(), 1);
    // Dropping the handle inside the runtime must not panic or hang.
    drop(fake);
}

#[test]
fn dropping_stops_the_server() {
    let fake = fake();
    let url = fake.url();
    drop(fake);
    assert!(client().get(format!("{url}/x?portalId=1")).send().is_err());
}

#[test]
fn the_handle_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<FakeHubSpot>();
    let fake = fake();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(exchange(&fake, PAK, Some(HUB)).status(), 200));
        }
    });
    assert_eq!(fake.requests().len(), 4);
}

#[test]
fn garbage_on_the_socket_does_not_hurt_the_server() {
    use std::io::{Read, Write};
    let fake = fake();
    let addr = fake.url().trim_start_matches("http://").to_string();
    for junk in [
        &b"GARBAGE\r\n\r\n"[..],
        b"\x00\x01\x02\xff",
        b"GET /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
    ] {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(fake_hubspot::deadline())).unwrap();
        let _ = s.write_all(junk);
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
    }
    assert_eq!(exchange(&fake, PAK, Some(HUB)).status(), 200);
}
