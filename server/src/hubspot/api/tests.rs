//! The API client against the fake HubSpot (tests/fake-hubspot): what goes on the wire,
//! what comes back, and what lands in the config file.

use std::sync::Arc;
use std::time::Duration;

use fake_hubspot::{AccountSpec, FakeHubSpot, Fault, FaultKind};
use reqwest::Method;
use serde_json::json;

use super::auth::NoStore;
use super::client::{ApiRequest, Caller, HubSpotClient};
use super::origin::Origins;
use super::{files, secrets};
use crate::hubspot::model::Config;
use crate::hubspot::secret::Secret;
use crate::hubspot::store::{ConfigFile, FileTokenStore};
use crate::hubspot::writer::Writer;

const PAK: &str = "pat-na1-11111111-2222-3333-4444-555555555555";

struct Setup {
    fake: FakeHubSpot,
    client: HubSpotClient,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let fake = FakeHubSpot::start();
        fake.add_account(AccountSpec::new(123, PAK));
        let client = HubSpotClient::new(Origins::new(Some(fake.url())));
        Setup { fake, client, dir: tempfile::tempdir().unwrap() }
    }

    /// A config file with one PAK account; `token` is the cached tokenInfo text.
    fn config(&self, extra: &str) -> std::path::PathBuf {
        let path = self.dir.path().join("config.yml");
        std::fs::write(
            &path,
            format!("# my accounts\ndefaultAccount: 123\n{extra}accounts:\n  - name: prod # the real one\n    accountId: 123\n    authType: personalaccesskey\n    personalAccessKey: {PAK}\n    auth:\n      tokenInfo: {{}}\n"),
        )
        .unwrap();
        path
    }

    fn caller(&self, path: &std::path::Path) -> Caller {
        let file = ConfigFile::load(path).unwrap();
        let account = file.config.accounts[0].clone();
        Caller::new(account, &file.config, Arc::new(FileTokenStore::new(path.to_path_buf(), Writer::default())))
    }

    fn paths(&self) -> Vec<String> {
        self.fake.requests().iter().map(|r| format!("{} {}", r.method, r.path)).collect()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn exchange_then_bearer_and_portal_id_and_write_back_keeping_comments() {
    let s = Setup::new();
    let path = s.config("");
    let caller = s.caller(&path);
    let names = rt().block_on(secrets::list(&s.client, &caller)).unwrap();
    assert!(names.is_empty());
    let reqs = s.fake.requests();
    assert_eq!(s.paths(), ["POST /localdevauth/v1/auth/refresh", "GET /cms/v3/functions/secrets"]);
    assert_eq!(reqs[0].query_value("portalId"), Some("123"));
    assert_eq!(reqs[0].body_json().unwrap(), json!({"encodedOAuthRefreshToken": PAK}));
    assert!(reqs[0].header("authorization").is_none());
    let ua = reqs[1].header("user-agent").unwrap();
    assert!(ua.starts_with("hubspot-ls/"), "{ua}");
    assert_eq!(reqs[1].query_value("portalId"), Some("123"));
    let bearer = reqs[1].header("authorization").unwrap().strip_prefix("Bearer ").unwrap().to_string();
    // Written back: the token and its expiry, comments and everything else untouched.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# my accounts\ndefaultAccount: 123\naccounts:\n  - name: prod # the real one\n"),
        "{text}"
    );
    let cfg = ConfigFile::load(&path).unwrap();
    let info = cfg.config.accounts[0].token_info().unwrap();
    assert_eq!(info.access_token.as_ref().map(Secret::expose), Some(bearer.as_str()));
    assert!(super::auth::parse_expiry(info.expires_at.as_deref().unwrap()).is_some());
}

#[test]
fn a_valid_cached_token_is_used_and_a_nearly_expired_one_is_refreshed() {
    let s = Setup::new();
    let rt = rt();
    let path = s.config("");
    let caller = s.caller(&path);
    rt.block_on(secrets::list(&s.client, &caller)).unwrap();
    // A new client (no in-process cache) reads the written-back token and uses it.
    let fresh_client = HubSpotClient::new(Origins::new(Some(s.fake.url())));
    s.fake.clear_requests();
    rt.block_on(secrets::list(&fresh_client, &s.caller(&path))).unwrap();
    assert_eq!(s.paths(), ["GET /cms/v3/functions/secrets"]);
    // Within 5 minutes of expiry: refreshed first.
    let soon = chrono::Utc::now() + chrono::Duration::minutes(4);
    let text = std::fs::read_to_string(&path).unwrap();
    let cfg = ConfigFile::load(&path).unwrap();
    let old = cfg.config.accounts[0].token_info().unwrap().expires_at.clone().unwrap();
    std::fs::write(&path, text.replace(&old, &super::auth::iso_millis(soon))).unwrap();
    s.fake.clear_requests();
    let third = HubSpotClient::new(Origins::new(Some(s.fake.url())));
    rt.block_on(secrets::list(&third, &s.caller(&path))).unwrap();
    assert_eq!(s.paths(), ["POST /localdevauth/v1/auth/refresh", "GET /cms/v3/functions/secrets"]);
}

#[test]
fn after_a_401_one_refresh_and_one_retry() {
    let s = Setup::new();
    let rt = rt();
    let path = s.config("");
    rt.block_on(secrets::list(&s.client, &s.caller(&path))).unwrap();
    s.fake.revoke_tokens();
    s.fake.clear_requests();
    let names = rt.block_on(secrets::list(&s.client, &s.caller(&path))).unwrap();
    assert!(names.is_empty());
    assert_eq!(
        s.paths(),
        ["GET /cms/v3/functions/secrets", "POST /localdevauth/v1/auth/refresh", "GET /cms/v3/functions/secrets"]
    );
    // A 401 that persists: exactly one retry, then an error that says what to do.
    s.fake.clear_requests();
    s.fake.fault(Fault::status("/cms/v3/functions/secrets", 401));
    let err = rt.block_on(secrets::list(&s.client, &s.caller(&path))).unwrap_err();
    assert_eq!(s.fake.requests().iter().filter(|r| r.path == "/cms/v3/functions/secrets").count(), 2);
    let m = err.to_string();
    assert!(
        m.contains("list secrets")
            && m.contains("prod (123)")
            && m.contains("unauthorized")
            && m.contains("hubspot.account.auth"),
        "{m}"
    );
    assert!(!m.contains(PAK));
}

#[test]
fn rate_limits_wait_and_retry_with_a_bound() {
    let s = Setup::new();
    let rt = rt();
    let path = s.config("");
    // The waits are noted instead of slept: what is checked is the wait asked for, not the clock.
    let (client, waits) = HubSpotClient::noting_waits(Origins::new(Some(s.fake.url())));
    s.fake.fault(Fault::new("/cms/v3/functions/secrets", FaultKind::RateLimit { retry_after_secs: 1 }).times(1));
    rt.block_on(secrets::list(&client, &s.caller(&path))).unwrap();
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1)], "waited as Retry-After said");
    assert_eq!(s.fake.requests().iter().filter(|r| r.path == "/cms/v3/functions/secrets").count(), 2);
    // Forever rate-limited: gives up after 3 retries.
    s.fake.clear_requests();
    waits.lock().unwrap().clear();
    s.fake.fault(Fault::new("/cms/v3/functions/secrets", FaultKind::RateLimit { retry_after_secs: 0 }));
    let err = rt.block_on(secrets::list(&client, &s.caller(&path))).unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(s.fake.requests().iter().filter(|r| r.path == "/cms/v3/functions/secrets").count(), 4);
    assert_eq!(waits.lock().unwrap().len(), 3);
}

#[test]
fn server_errors_timeouts_and_bad_json_are_clear() {
    let s = Setup::new();
    let rt = rt();
    let path = s.config("httpTimeout: 3000\n");
    let caller = s.caller(&path);
    s.fake.fault(Fault::status("/cms/v3/functions/secrets", 500).times(1));
    let m = rt.block_on(secrets::list(&s.client, &caller)).unwrap_err().to_string();
    assert!(m.contains("server error (500)") && m.contains("try again"), "{m}");
    s.fake.fault(Fault::new("/cms/v3/functions/secrets", FaultKind::BadJson).times(1));
    let m = rt.block_on(secrets::list(&s.client, &caller)).unwrap_err().to_string();
    assert!(m.contains("cannot read") && m.contains("invalid JSON"), "{m}");
    // The timeout runs on a paused clock, which jumps to the next timer whenever the runtime
    // is idle: a fake that never answers times the call out at the config's httpTimeout
    // exactly, whatever the machine's load. The calls above (on a real clock) cached the token,
    // so the only wait here is the call itself.
    s.fake.fault(Fault::new("/cms/v3/functions/secrets", FaultKind::Slow { millis: 600_000 }).times(1));
    let paused = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
    let (m, waited) = paused.block_on(async {
        let t0 = tokio::time::Instant::now();
        let m = secrets::list(&s.client, &caller).await.unwrap_err().to_string();
        (m, t0.elapsed())
    });
    assert!(m.contains("timed out") && m.contains("httpTimeout"), "{m}");
    let ms = waited.as_millis();
    assert!((3000..3010).contains(&ms), "timed out after {ms} ms on the paused clock; httpTimeout is 3000");
}

#[test]
fn concurrent_refreshes_share_one_exchange() {
    let s = Setup::new();
    let rt = rt();
    let path = s.config("");
    let caller = s.caller(&path);
    let client = &s.client;
    rt.block_on(async {
        let calls = (0..5).map(|_| secrets::list(client, &caller));
        for r in futures::future::join_all(calls).await {
            r.unwrap();
        }
    });
    let exchanges = s.fake.requests().iter().filter(|r| r.path == "/localdevauth/v1/auth/refresh").count();
    assert_eq!(exchanges, 1);
}

#[test]
fn apikey_accounts_send_hapikey_after_portal_id() {
    let fake = FakeHubSpot::start();
    fake.add_account(AccountSpec::new(333, "pat-unused").with_api_key("hapi-333-secret-key-value"));
    let client = HubSpotClient::new(Origins::new(Some(fake.url())));
    let cfg = Config::from_value(
        &crate::syntax::yaml::parse(
            "accounts:\n  - {name: old, accountId: 333, authType: apikey, apiKey: hapi-333-secret-key-value}\n",
        )
        .value,
    );
    let caller = Caller::new(cfg.accounts[0].clone(), &cfg, Arc::new(NoStore));
    let req = ApiRequest::new(Method::GET, "/crm/v3/objects/contacts?limit=5", "GET crm/v3/objects/contacts");
    rt().block_on(client.call(&caller, &req)).unwrap();
    let r = &fake.requests()[0];
    assert_eq!(r.raw_query, "limit=5&portalId=333&hapikey=hapi-333-secret-key-value");
    assert!(r.header("authorization").is_none());
}

#[test]
fn secrets_add_update_delete_on_the_wire() {
    let s = Setup::new();
    let rt = rt();
    let path = s.config("");
    let caller = s.caller(&path);
    let value = Secret::new("s3cr3t-value-never-shown");
    rt.block_on(secrets::add(&s.client, &caller, "API_TOKEN", &value)).unwrap();
    assert_eq!(s.fake.secret_value(123, "API_TOKEN").as_deref(), Some("s3cr3t-value-never-shown"));
    let post =
        s.fake.requests().into_iter().find(|r| r.method == "POST" && r.path == "/cms/v3/functions/secrets").unwrap();
    assert_eq!(post.body_json().unwrap(), json!({"key": "API_TOKEN", "secret": "s3cr3t-value-never-shown"}));
    let dup = rt.block_on(secrets::add(&s.client, &caller, "API_TOKEN", &value)).unwrap_err().to_string();
    assert!(dup.contains("already exists") && !dup.contains("s3cr3t"), "{dup}");
    rt.block_on(secrets::update(&s.client, &caller, "API_TOKEN", &Secret::new("v2"))).unwrap();
    assert_eq!(s.fake.secret_value(123, "API_TOKEN").as_deref(), Some("v2"));
    let missing = rt.block_on(secrets::update(&s.client, &caller, "NOPE", &Secret::new("x"))).unwrap_err().to_string();
    assert!(missing.contains("does not exist") && missing.contains("API_TOKEN"), "{missing}");
    rt.block_on(secrets::delete(&s.client, &caller, "API_TOKEN")).unwrap();
    assert!(s.fake.secrets(123).is_empty());
    assert!(rt.block_on(secrets::delete(&s.client, &caller, "API_TOKEN")).is_err());
}

#[test]
fn upload_a_folder_then_fetch_it_back() {
    let s = Setup::new();
    let rt = rt();
    let path = s.config("");
    let caller = s.caller(&path);
    let site = s.dir.path().join("site");
    std::fs::create_dir_all(site.join("css")).unwrap();
    std::fs::create_dir_all(site.join("node_modules/x")).unwrap();
    std::fs::write(site.join("index.html"), "<h1>hi</h1>").unwrap();
    std::fs::write(site.join("css/main.css"), "h1{}").unwrap();
    std::fs::write(site.join(".hsaccount"), "123").unwrap();
    std::fs::write(site.join("node_modules/x/a.js"), "x").unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let progress = |p: files::Progress| seen.lock().unwrap().push(p.done);
    let uploaded = rt.block_on(files::upload(&s.client, &caller, &site, "/assets/", &progress)).unwrap();
    // As the CLI's path.join: an absolute dest stays absolute.
    assert_eq!(uploaded, ["/assets/css/main.css", "/assets/index.html"]);
    let up = s.fake.uploaded();
    assert_eq!(
        up.iter().map(|u| (u.folder_path.as_str(), u.file_name.as_str())).collect::<Vec<_>>(),
        [("/assets/css", "main.css"), ("/assets", "index.html")]
    );
    assert_eq!(up[0].content_type.as_deref(), Some("text/css"));
    assert_eq!(up[0].options, json!({"access": "PUBLIC_INDEXABLE", "overwrite": true}));
    assert_eq!(*seen.lock().unwrap(), [0, 1, 2]);

    let out = s.dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let opts = files::FetchOptions { overwrite: false, include_archived: false, buffers: Default::default() };
    let got = rt.block_on(files::fetch(&s.client, &caller, "/assets", &out, &opts, &|_| {})).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("assets/index.html")).unwrap(), "<h1>hi</h1>");
    assert_eq!(std::fs::read_to_string(out.join("assets/css/main.css")).unwrap(), "h1{}");
    assert_eq!(got.written.len(), 2);
    let again = rt.block_on(files::fetch(&s.client, &caller, "/assets", &out, &opts, &|_| {})).unwrap();
    assert_eq!((again.written.len(), again.skipped.len()), (0, 2));
    // A single ignored file is refused, as the CLI does.
    let err = rt.block_on(files::upload(&s.client, &caller, &site.join(".hsaccount"), "x", &|_| {})).unwrap_err();
    assert!(err.to_string().contains("ignored"));
}

#[test]
fn an_upload_answer_that_does_not_parse_is_not_counted_as_uploaded() {
    let s = Setup::new();
    let rt = rt();
    let path = s.config("");
    let caller = s.caller(&path);
    let file = s.dir.path().join("hello.txt");
    std::fs::write(&file, "hi").unwrap();
    s.fake.fault(Fault::new("/filemanager/api/v3/files/upload", FaultKind::BadJson).times(1));
    let err = rt.block_on(files::upload(&s.client, &caller, &file, "docs/hello.txt", &|_| {})).unwrap_err().to_string();
    assert!(err.contains("upload \"docs/hello.txt\"") && err.contains("cannot read"), "{err}");
    assert!(s.fake.uploaded().is_empty());
}
