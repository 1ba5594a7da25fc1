//! The API client against a misbehaving HubSpot (the fake's raw faults): absurd
//! `Retry-After` values and token lifetimes, redirects to another origin, error bodies that
//! echo credentials, bodies without end, account ids that are none. Each test asserts what a
//! user would notice: the command fails (or succeeds) with a clear message, nothing panics,
//! nothing waits or grows without bound, no credential travels or shows.

use std::sync::Arc;

use fake_hubspot::{deadline, AccountSpec, FakeHubSpot, Fault, FaultKind, FileSpec};
use serde_json::json;

use super::client::{Caller, HubSpotClient};
use super::origin::Origins;
use super::{files, secrets};
use crate::hubspot::limits::{DEFAULT_RETRY_WAIT, MAX_RETRY_WAIT, MAX_TOKEN_LIFETIME};
use crate::hubspot::model::HubEnv;
use crate::hubspot::secret::Secret;
use crate::hubspot::store::{ConfigFile, FileTokenStore};
use crate::hubspot::writer::Writer;

const PAK: &str = "pat-na1-11111111-2222-3333-4444-55555555a1b2";
const EXCHANGE: &str = "/localdevauth/v1/auth/refresh";
const SECRETS: &str = "/cms/v3/functions/secrets";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

struct Setup {
    fake: FakeHubSpot,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let fake = FakeHubSpot::start();
        fake.add_account(AccountSpec::new(123, PAK));
        Setup { fake, dir: tempfile::tempdir().unwrap() }
    }

    fn client(&self) -> HubSpotClient {
        HubSpotClient::new(Origins::new(Some(self.fake.url())))
    }

    /// A config with one account (`entry`: its lines after `accountId: 123`), and its caller.
    fn caller(&self, entry: &str) -> Caller {
        let path = self.dir.path().join("config.yml");
        std::fs::write(&path, format!("accounts:\n  - name: prod\n    accountId: 123\n{entry}")).unwrap();
        let file = ConfigFile::load(&path).unwrap();
        let store = Arc::new(FileTokenStore::new(path.clone(), Writer::default()));
        Caller::new(file.config.accounts[0].clone(), &file.config, store)
    }

    fn pak_caller(&self) -> Caller {
        self.caller(&format!("    authType: personalaccesskey\n    personalAccessKey: {PAK}\n"))
    }
}

#[test]
fn an_absurd_retry_after_waits_the_longest_allowed_and_never_panics() {
    let s = Setup::new();
    let rt = rt();
    let caller = s.pak_caller();
    let cases = [
        ("1e20", MAX_RETRY_WAIT),
        ("18446744073709551616", MAX_RETRY_WAIT),
        ("1.8e308", MAX_RETRY_WAIT),
        ("-1", DEFAULT_RETRY_WAIT),
        ("NaN", DEFAULT_RETRY_WAIT),
    ];
    for (value, expected) in cases {
        // On an API call, and on the key exchange before it.
        let (client, waits) = HubSpotClient::noting_waits(Origins::new(Some(s.fake.url())));
        s.fake.fault(Fault::new(EXCHANGE, FaultKind::retry_after(value)).times(1));
        s.fake.fault(Fault::new(SECRETS, FaultKind::retry_after(value)).times(1));
        let names = rt.block_on(secrets::list(&client, &caller)).unwrap();
        assert!(names.is_empty());
        assert_eq!(*waits.lock().unwrap(), [expected, expected], "Retry-After: {value}");
    }
}

#[test]
fn absurd_token_lifetimes_are_clamped_on_exchange_and_oauth_refresh() {
    let s = Setup::new();
    let rt = rt();
    let client = s.client();
    let at_most = chrono::Utc::now() + chrono::Duration::seconds(MAX_TOKEN_LIFETIME.as_secs() as i64 + 60);
    let answer = |millis: &str| {
        format!(
            r#"{{"hubId": 123, "userId": 1, "oauthAccessToken": "at-123-long-enough", "expiresAtMillis": {millis}}}"#
        )
    };
    for millis in [i64::MAX.to_string(), "8000000000000000".into()] {
        let raw = FaultKind::Raw { status: 200, headers: vec![], body: answer(&millis) };
        s.fake.fault(Fault::new(EXCHANGE, raw).times(1));
        let token = rt.block_on(client.exchange(&Secret::new(PAK), HubEnv::Prod, Some(123), deadline()));
        assert!(token.unwrap().expires_at <= at_most, "expiresAtMillis {millis}");
    }
    s.fake.add_account(AccountSpec::new(555, "").with_oauth("client-id", "client-secret-xyz", "refresh-1"));
    for expires_in in ["1e15", "9223372036854775807", "1.7e308"] {
        let caller = s.caller(
            "    authType: oauth2\n    auth:\n      clientId: client-id\n      clientSecret: client-secret-xyz\n      tokenInfo:\n        refreshToken: refresh-1\n",
        );
        let body =
            format!(r#"{{"access_token": "at-oauth", "refresh_token": "refresh-1", "expires_in": {expires_in}}}"#);
        s.fake.fault(Fault::new("/oauth/v1/token", FaultKind::Raw { status: 200, headers: vec![], body }).times(1));
        // A client of its own each time: nothing cached, so the token is refreshed.
        let token = rt.block_on(s.client().access_token(&caller, None)).unwrap();
        assert_eq!(token.expose(), "at-oauth");
        let file = ConfigFile::load(&s.dir.path().join("config.yml")).unwrap();
        let written = file.config.accounts[0].token_info().unwrap().expires_at.clone().unwrap();
        let expires = super::auth::parse_expiry(&written).unwrap();
        assert!(expires <= at_most, "expires_in {expires_in}: written {written}");
    }
}

#[test]
fn a_redirect_to_another_origin_carries_neither_the_key_nor_a_secret_value() {
    let s = Setup::new();
    let elsewhere = FakeHubSpot::start();
    let rt = rt();
    let value = Secret::new("s3cr3t-value-never-shown");
    for status in [301, 302, 303, 307, 308] {
        // A client of its own each time: no cached token, so the key is exchanged first.
        let client = s.client();
        let to = format!("{}/collect", elsewhere.url());
        s.fake.fault(Fault::new(EXCHANGE, FaultKind::redirect(status, &to)).times(1));
        let err = rt.block_on(secrets::add(&client, &s.pak_caller(), "API_TOKEN", &value)).unwrap_err().to_string();
        assert!(err.contains("redirected") && err.contains(&elsewhere.url()), "{err}");
        // Once the exchange went through, the secret's POST is redirected.
        s.fake.fault(Fault::new(SECRETS, FaultKind::redirect(status, &to)).method("POST").times(1));
        let err = rt.block_on(secrets::add(&client, &s.pak_caller(), "API_TOKEN", &value)).unwrap_err().to_string();
        assert!(err.contains("add secret \"API_TOKEN\"") && err.contains("another origin"), "{err}");
    }
    assert_eq!(elsewhere.requests(), [], "the other origin saw nothing at all");
    assert!(s.fake.secrets(123).is_empty());
    // Within the same origin, a redirect is followed as before.
    let moved = format!("{}{SECRETS}?portalId=123", s.fake.url());
    s.fake.fault(Fault::new("/cms/v3/functions/old", FaultKind::redirect(307, moved)));
    let req = super::ApiRequest::new(reqwest::Method::GET, "cms/v3/functions/old", "list secrets");
    let resp = rt.block_on(s.client().call(&s.pak_caller(), &req)).unwrap();
    assert_eq!(resp.json().unwrap(), json!({"results": []}));
}

#[test]
fn a_path_that_reads_like_a_url_stays_on_the_api_origin() {
    let s = Setup::new();
    let elsewhere = FakeHubSpot::start();
    let rt = rt();
    let other = elsewhere.url();
    let authority = other.trim_start_matches("http://");
    for path in
        [format!("/{other}/steal"), format!("{other}/steal"), format!(" {other}/steal"), format!("//{authority}/steal")]
    {
        let req = super::ApiRequest::new(reqwest::Method::GET, path.trim(), "GET");
        // The account's own origin answers (the fake echoes a path it does not know).
        let echoed = rt.block_on(s.client().call(&s.pak_caller(), &req)).unwrap().json().unwrap();
        assert!(echoed["path"].as_str().is_some_and(|p| p.ends_with("/steal")), "{path}: {echoed}");
    }
    assert_eq!(elsewhere.requests(), [], "the other host saw nothing at all");
}

#[test]
fn an_error_body_echoing_the_key_or_the_secret_value_is_scrubbed() {
    let s = Setup::new();
    let rt = rt();
    let client = s.client();
    let value = Secret::new("s3cr3t-value-never-shown");
    let echo = json!({"message": format!("bad request: key {PAK}, secret s3cr3t-value-never-shown"),
        "echo": {"secret": value.expose(), "encodedOAuthRefreshToken": PAK}});
    s.fake.fault(Fault::new(SECRETS, FaultKind::Status(400, echo.clone())).method("POST").times(1));
    let err = rt.block_on(secrets::add(&client, &s.pak_caller(), "API_TOKEN", &value)).unwrap_err();
    let (message, body) = (err.to_string(), err.body().unwrap().to_string());
    for shown in [&message, &body] {
        assert!(!shown.contains(PAK) && !shown.contains(value.expose()), "{shown}");
    }
    assert!(message.contains("key pat-na1-…a1b2") && message.contains("secret …hown"), "{message}");
    // The key exchange's own error, and the access token sent along.
    s.fake.fault(Fault::new(EXCHANGE, FaultKind::Status(401, echo)).times(1));
    let err = rt.block_on(client.exchange(&Secret::new(PAK), HubEnv::Prod, None, deadline())).unwrap_err();
    assert!(!format!("{err} {:?}", err.body()).contains(PAK), "{err}");
    let caller = s.pak_caller();
    let token = rt.block_on(client.access_token(&caller, None)).unwrap();
    let echo = json!({"message": format!("token {} is not allowed here", token.expose())});
    s.fake.fault(Fault::new(SECRETS, FaultKind::Status(403, echo)).times(1));
    let err = rt.block_on(secrets::list(&client, &caller)).unwrap_err().to_string();
    assert!(!err.contains(token.expose()) && err.contains("token fake-at-…"), "{err}");
}

#[test]
fn an_endless_body_is_cut_off_at_the_limit() {
    let s = Setup::new();
    let rt = rt();
    let client = s.client();
    let caller = s.pak_caller();
    s.fake.fault(Fault::new(SECRETS, FaultKind::Endless).times(1));
    let err = rt.block_on(secrets::list(&client, &caller)).unwrap_err().to_string();
    assert!(err.contains("larger than 32 MiB") && err.contains("list secrets"), "{err}");
    // A download is streamed to disk and cut off too (here at 1 MiB, not to fill the test's
    // disk with the real limit), leaving nothing behind.
    let client = s.client().limit_downloads(1024 * 1024);
    let id = s.fake.add_file(123, FileSpec::new("/docs/big.txt", "small"));
    let out = s.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    s.fake.fault(Fault::new(format!("/__cdn/{id}/"), FaultKind::Endless).times(1));
    let opts = files::FetchOptions { overwrite: false, include_archived: false, buffers: Default::default() };
    let err = rt.block_on(files::fetch(&client, &caller, "/docs/big.txt", &out, &opts, &|_| {}));
    let err = err.err().expect("cut off").to_string();
    assert!(err.contains("larger than 1 MiB") && err.contains("download \"big.txt\""), "{err}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "no file, no temporary file");
}

#[test]
fn a_listing_that_repeats_itself_ends() {
    // `total_count` is never reached: the same page comes back at every offset.
    let s = Setup::new();
    let rt = rt();
    let raw = |body: &str| FaultKind::Raw { status: 200, headers: vec![], body: body.into() };
    s.fake
        .fault(Fault::new("/filemanager/api/v2/files/stat/", raw(r#"{"folder": {"id": 7, "name": "docs"}}"#)).times(1));
    let page = format!(
        r#"{{"objects": [{{"name": "same", "extension": "txt", "url": "{}/__cdn/x"}}], "total_count": 1000000000000000}}"#,
        s.fake.url()
    );
    s.fake.fault(Fault::new("/filemanager/api/v2/files/", raw(&page)));
    s.fake.fault(Fault::new("/__cdn/x", raw("content")));
    let out = s.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let opts = files::FetchOptions { overwrite: false, include_archived: false, buffers: Default::default() };
    let err = rt.block_on(files::fetch(&s.client(), &s.pak_caller(), "/docs", &out, &opts, &|_| {}));
    let err = err.err().expect("an error, not an endless loop").to_string();
    assert!(err.contains("listed before"), "{err}");
}

#[test]
fn pages_that_overlap_are_not_a_repeat() {
    // A live and an archived file of one name; then the first page again, shifted by a file
    // added meanwhile.
    let s = Setup::new();
    let rt = rt();
    let raw = |body: String| FaultKind::Raw { status: 200, headers: vec![], body };
    let file = |id: u32, name: &str, archived: bool| {
        format!(
            r#"{{"id": {id}, "name": "{name}", "extension": "txt", "archived": {archived}, "url": "{}/__cdn/x"}}"#,
            s.fake.url()
        )
    };
    s.fake.fault(
        Fault::new("/filemanager/api/v2/files/stat/", raw(r#"{"folder": {"id": 7, "name": "docs"}}"#.into())).times(1),
    );
    let pages = [
        format!(r#"{{"objects": [{}], "total_count": 3}}"#, file(1, "a", false)),
        format!(r#"{{"objects": [{}], "total_count": 3}}"#, file(2, "a", true)),
        format!(r#"{{"objects": [{}, {}], "total_count": 4}}"#, file(2, "a", true), file(3, "b", false)),
    ];
    for page in pages {
        s.fake.fault(Fault::new("/filemanager/api/v2/files/", raw(page)).times(1));
    }
    s.fake.fault(Fault::new("/filemanager/api/v2/folders/", raw(r#"{"objects": []}"#.into())).times(1));
    s.fake.fault(Fault::new("/__cdn/x", raw("content".into())));
    let out = s.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let opts = files::FetchOptions { overwrite: true, include_archived: true, buffers: Default::default() };
    let got = rt.block_on(files::fetch(&s.client(), &s.pak_caller(), "/docs", &out, &opts, &|_| {})).unwrap();
    assert!(out.join("docs/b.txt").is_file(), "{:?}", got.written);
}

#[test]
fn a_key_exchange_naming_no_account_is_refused() {
    let s = Setup::new();
    let rt = rt();
    let client = s.client();
    for hub_id in [-1, 0, i64::MAX] {
        let body = format!(r#"{{"hubId": {hub_id}, "userId": 1, "oauthAccessToken": "at-x", "expiresAtMillis": 1}}"#);
        s.fake.fault(Fault::new(EXCHANGE, FaultKind::Raw { status: 200, headers: vec![], body }).times(1));
        let err = rt.block_on(client.exchange(&Secret::new(PAK), HubEnv::Prod, None, deadline()));
        let err = err.unwrap_err().to_string();
        assert!(err.contains(&format!("hubId {hub_id} is not an account id")), "{err}");
    }
}
