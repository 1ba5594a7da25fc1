//! The `fake-hubspot` binary and its admin API (`/__fake/...`), as the Python tests use it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::blocking::{multipart, Client};
use serde_json::{json, Value};

struct Bin {
    child: Child,
    url: String,
}

impl Drop for Bin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Bin {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-hubspot"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn fake-hubspot");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("first line");
    let url =
        line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("bad first line {line:?}")).to_string();
    assert!(url.starts_with("http://127.0.0.1:"));
    Bin { child, url }
}

fn client() -> Client {
    Client::builder().timeout(fake_hubspot::deadline()).build().unwrap()
}

impl Bin {
    fn admin(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut rb = client().request(m, format!("{}/__fake/{path}", self.url));
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().unwrap();
        let s = r.status().as_u16();
        (s, r.json().unwrap_or(Value::Null))
    }

    fn token(&self, pak: &str, hub: u64) -> (u16, Value) {
        let r = client()
            .post(format!("{}/localdevauth/v1/auth/refresh?portalId={hub}", self.url))
            .json(&json!({"encodedOAuthRefreshToken": pak}))
            .send()
            .unwrap();
        (r.status().as_u16(), r.json().unwrap())
    }

    fn get(&self, token: &str, path: &str) -> reqwest::blocking::Response {
        let sep = if path.contains('?') { '&' } else { '?' };
        client().get(format!("{}{path}{sep}portalId=123", self.url)).bearer_auth(token).send().unwrap()
    }
}

fn started_with_account() -> (Bin, String) {
    let b = start(&[]);
    let (s, _) = b.admin(
        "POST",
        "accounts",
        Some(json!({"hubId": 123, "personalAccessKey": "pak-123", "hubName": "Admin Hub", "accountType": "STANDARD_SANDBOX", "parentHubId": 9, "scopeGroups": ["files"]})),
    );
    assert_eq!(s, 200);
    let (s, v) = b.token("pak-123", 123);
    assert_eq!(s, 200);
    assert_eq!(v["hubName"], "Admin Hub");
    assert_eq!(v["accountType"], "STANDARD_SANDBOX");
    assert_eq!(v["scopeGroups"], json!(["files"]));
    let t = v["oauthAccessToken"].as_str().unwrap().to_string();
    (b, t)
}

#[test]
fn port_argument_and_usage_errors() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let b = start(&["--port", &free.to_string()]);
    assert_eq!(b.url, format!("http://127.0.0.1:{free}"));
    let (s, v) = b.admin("GET", "health", None);
    assert_eq!((s, v), (200, json!({"ok": true})));
    let out = Command::new(env!("CARGO_BIN_EXE_fake-hubspot")).args(["--port", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let out = Command::new(env!("CARGO_BIN_EXE_fake-hubspot")).arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn admin_accounts_requests_and_recording() {
    let (b, t) = started_with_account();
    let r = b.get(&t, "/sandbox-hubs/v1/self");
    assert_eq!(r.json::<Value>().unwrap()["parentHubId"], 9);
    // A binary body is reported as base64, text as UTF-8.
    client()
        .post(format!("{}/crm/v3/bin?portalId=123&x=1", b.url))
        .bearer_auth(&t)
        .body(vec![0xffu8, 0x00, 0x01])
        .send()
        .unwrap();
    let (s, v) = b.admin("GET", "requests", None);
    assert_eq!(s, 200);
    let reqs = v["requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 3, "admin calls are not recorded: {v}");
    assert_eq!(reqs[0]["path"], "/localdevauth/v1/auth/refresh");
    assert_eq!(reqs[0]["body"], r#"{"encodedOAuthRefreshToken":"pak-123"}"#);
    assert_eq!(reqs[0]["bodyEncoding"], "utf8");
    assert_eq!(reqs[0]["query"], json!([["portalId", "123"]]));
    assert_eq!(reqs[1]["headers"]["authorization"], format!("Bearer {t}"));
    assert_eq!(reqs[2]["rawQuery"], "portalId=123&x=1");
    assert_eq!(reqs[2]["bodyEncoding"], "base64");
    assert_eq!(reqs[2]["body"], "/wAB");
    assert_eq!(reqs[2]["multipart"], Value::Null);
    assert_eq!(b.admin("DELETE", "requests", None).0, 200);
    assert_eq!(b.admin("GET", "requests", None).1, json!({"requests": []}));

    // Bad admin input is a 400, unknown endpoints 404.
    let r = client().post(format!("{}/__fake/accounts", b.url)).body("{").send().unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(b.admin("POST", "accounts", Some(json!({"hubId": "x"}))).0, 400);
    assert_eq!(b.admin("POST", "accounts", Some(json!({"hub_id": 5}))).0, 400, "no hubId");
    assert_eq!(b.admin("POST", "accounts", Some(json!({"hubId": 5, "hubNmae": "typo"}))).0, 400);
    assert_eq!(b.admin("POST", "accounts", Some(json!([{"hubId": 5}, {"hubId": 6, "apiKey": "k"}]))).0, 200);
    assert_eq!(b.admin("GET", "nope", None).0, 404);
    let (s, v) = b.admin("GET", "accounts", None);
    assert_eq!((s, v["accounts"][0]["hubId"].as_u64()), (200, Some(123)));
}

#[test]
fn admin_faults_of_every_kind() {
    let (b, t) = started_with_account();
    let faults = json!([
        {"pathPrefix": "/a", "kind": "status", "status": 500, "times": 1},
        {"pathPrefix": "/b", "kind": "status", "status": 404, "body": {"message": "custom"}, "method": "GET"},
        {"pathPrefix": "/c", "kind": "rateLimit", "retryAfterSecs": 3, "times": 1},
        {"pathPrefix": "/d", "kind": "slow", "millis": 200, "times": 1},
        {"pathPrefix": "/e", "kind": "badJson", "times": 1}
    ]);
    assert_eq!(b.admin("POST", "faults", Some(faults)).0, 200);
    assert_eq!(b.admin("GET", "faults", None).1["faults"].as_array().unwrap().len(), 5);
    assert_eq!(b.get(&t, "/a").status(), 500);
    assert_eq!(b.get(&t, "/a").status(), 200);
    let r = b.get(&t, "/b");
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().unwrap(), json!({"message": "custom"}));
    let r = b.get(&t, "/c");
    assert_eq!((r.status().as_u16(), r.headers()["retry-after"].to_str().unwrap()), (429, "3"));
    let start = std::time::Instant::now();
    assert_eq!(b.get(&t, "/d").status(), 200);
    assert!(start.elapsed() >= Duration::from_millis(200));
    let r = b.get(&t, "/e");
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().is_err());
    assert_eq!(b.admin("DELETE", "faults", None).0, 200);
    assert_eq!(b.get(&t, "/b").status(), 200);
    for bad in [
        json!({"kind": "status"}),
        json!({"pathPrefix": "/", "kind": "what"}),
        json!({"pathPrefix": "/", "kind": "status", "status": 5}),
    ] {
        assert_eq!(b.admin("POST", "faults", Some(bad)).0, 400);
    }
    // A fault on "/" never blocks the admin API.
    b.admin("POST", "faults", Some(json!({"pathPrefix": "/", "kind": "status", "status": 503})));
    assert_eq!(b.admin("GET", "health", None).0, 200);
    assert_eq!(b.get(&t, "/anything").status(), 503);
}

#[test]
fn admin_secrets_tokens_and_portal_state() {
    let (b, t) = started_with_account();
    client()
        .post(format!("{}/cms/v3/functions/secrets?portalId=123", b.url))
        .bearer_auth(&t)
        .json(&json!({"key": "K1", "secret": "v1"}))
        .send()
        .unwrap();
    assert_eq!(b.admin("POST", "secrets/123", Some(json!({"key": "K0", "secret": "v0"}))).0, 200);
    let (s, v) = b.admin("GET", "secrets/123", None);
    assert_eq!((s, v), (200, json!({"names": ["K1", "K0"], "values": {"K1": "v1", "K0": "v0"}})));
    assert_eq!(b.admin("GET", "secrets/abc", None).0, 400);

    assert_eq!(b.admin("POST", "revoke", None).0, 200);
    assert_eq!(b.get(&t, "/x").status(), 401);
    assert_eq!(b.admin("POST", "token-lifetime", Some(json!({"seconds": 0}))).0, 200);
    let (_, v) = b.token("pak-123", 123);
    assert_eq!(b.get(v["oauthAccessToken"].as_str().unwrap(), "/x").status(), 401, "expired at once");
    assert_eq!(b.admin("POST", "token-lifetime", Some(json!({"seconds": -1}))).0, 400);
    assert_eq!(b.admin("POST", "token-lifetime", Some(json!({"seconds": 60}))).0, 200);
    let (_, v) = b.token("pak-123", 123);
    let exp = v["expiresAtMillis"].as_u64().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    assert!(exp > now + 50_000 && exp <= now + 61_000);
    let minute = v["oauthAccessToken"].as_str().unwrap().to_string();
    assert_eq!(b.get(&minute, "/x").status(), 200);
    assert_eq!(b.admin("POST", "advance-clock", Some(json!({"seconds": 61}))).0, 200);
    assert_eq!(b.get(&minute, "/x").status(), 401, "expired on the fake's moved clock");
    assert_eq!(b.admin("POST", "advance-clock", Some(json!({"seconds": "x"}))).0, 400);

    assert_eq!(b.admin("POST", "portal-state", Some(json!({"hubId": 123, "state": "inactive"}))).0, 200);
    let (s, v) = b.token("pak-123", 123);
    assert_eq!((s, v["subCategory"].as_str()), (401, Some("LocalDevAuthErrorType.PORTAL_NOT_ACTIVE")));
    assert_eq!(b.admin("POST", "portal-state", Some(json!({"hubId": 123, "state": "missing"}))).0, 200);
    assert_eq!(b.token("pak-123", 123).0, 404);
    assert_eq!(b.admin("POST", "portal-state", Some(json!({"hubId": 123, "state": "bogus"}))).0, 400);

    assert_eq!(b.admin("POST", "reset", None).0, 200);
    assert_eq!(b.token("pak-123", 123).0, 401, "accounts are gone after a reset");
}

#[test]
fn admin_files_folders_and_uploads() {
    let (b, t) = started_with_account();
    let (s, v) = b.admin("POST", "folders", Some(json!({"hubId": 123, "path": "/docs/sub"})));
    assert_eq!(s, 200);
    let sub = v["id"].as_u64().unwrap();
    let (s, v) = b.admin(
        "POST",
        "files",
        Some(json!({"hubId": 123, "path": "/docs/sub/a.txt", "content": "hi", "contentType": "text/plain"})),
    );
    assert_eq!(s, 200);
    let url = v["url"].as_str().unwrap().to_string();
    b.admin("POST", "files", Some(json!({"hubId": 123, "path": "/docs/sub/b.bin", "contentBase64": "AAEC"})));
    b.admin("POST", "files", Some(json!({"hubId": 123, "path": "/docs/sub/c.txt", "content": "x", "archived": true})));
    assert_eq!(b.admin("POST", "files", Some(json!({"hubId": 123, "path": "/docs/", "content": "x"}))).0, 400);
    assert_eq!(b.admin("POST", "page-size", Some(json!({"size": 10}))).0, 200);

    let v: Value =
        b.get(&t, &format!("/filemanager/api/v2/files/?hidden=0&offset=0&folder_id={sub}&archived=0")).json().unwrap();
    assert_eq!(v["total_count"], 2);
    let r = client().get(format!("{url}?portalId=123")).bearer_auth(&t).send().unwrap();
    assert_eq!(r.text().unwrap(), "hi");
    let v: Value = b.get(&t, "/filemanager/api/v2/files/stat//docs/sub/b.bin").json().unwrap();
    let bin =
        client().get(format!("{}?portalId=123", v["file"]["url"].as_str().unwrap())).bearer_auth(&t).send().unwrap();
    assert_eq!(bin.headers()["content-type"], "application/octet-stream");
    assert_eq!(bin.bytes().unwrap().to_vec(), vec![0u8, 1, 2]);

    let form = multipart::Form::new()
        .part("file", multipart::Part::bytes(vec![0xffu8, 0xfe]).file_name("x.png").mime_str("image/png").unwrap())
        .text("fileName", "x.png")
        .text("options", r#"{"access":"PUBLIC_INDEXABLE","overwrite":true}"#)
        .text("folderPath", "/");
    let r = client()
        .post(format!("{}/filemanager/api/v3/files/upload?portalId=123", b.url))
        .bearer_auth(&t)
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, v) = b.admin("GET", "uploads", None);
    let u = &v["uploads"][0];
    assert_eq!(u["folderPath"], "/");
    assert_eq!(u["fileName"], "x.png");
    assert_eq!(u["contentType"], "image/png");
    assert_eq!(u["options"]["overwrite"], true);
    assert_eq!((u["body"].as_str(), u["bodyEncoding"].as_str()), (Some("//4="), Some("base64")));
    let (_, v) = b.admin("GET", "requests", None);
    let up = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "/filemanager/api/v3/files/upload")
        .unwrap()
        .clone();
    let parts = up["multipart"].as_array().unwrap();
    assert_eq!(
        parts.iter().map(|p| p["name"].as_str().unwrap()).collect::<Vec<_>>(),
        ["file", "fileName", "options", "folderPath"]
    );
    assert_eq!(parts[0]["filename"], "x.png");
    assert_eq!(parts[0]["bodyEncoding"], "base64");
    assert_eq!(parts[3]["body"], "/");
}

/// With --parent-pid the fake goes away with the process that started it.
#[cfg(unix)]
#[test]
fn exits_with_its_parent() {
    // A shell starts the fake in the background (all output to /dev/null, so `output()`
    // does not wait for it), prints its pid and exits at once.
    let script = format!("'{}' --parent-pid $$ >/dev/null 2>&1 & echo $!", env!("CARGO_BIN_EXE_fake-hubspot"));
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(pid.parse::<u32>().is_ok(), "{pid:?}");
    // Gone or a zombie (its new parent reaps it in its own time).
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|st| !st.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')))
            .unwrap_or(false)
    };
    let deadline = std::time::Instant::now() + fake_hubspot::deadline();
    while alive() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(), "fake-hubspot {pid} outlived its parent");
    // And it does not exit while its parent lives (this test process): it checked the parent
    // before printing the address `start` read, and is still serving.
    let mut b = start(&["--parent-pid", &std::process::id().to_string()]);
    assert!(b.child.try_wait().unwrap().is_none());
    assert_eq!(b.admin("GET", "health", None).0, 200);
    assert!(
        Command::new(env!("CARGO_BIN_EXE_fake-hubspot")).args(["--parent-pid", "x"]).output().unwrap().status.code()
            == Some(2)
    );
}
