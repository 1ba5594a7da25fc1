//! OAuth2 refresh tokens against the fake HubSpot, which rotates them on every refresh (as
//! HubSpot may): whatever happens around a refresh (a config that cannot take the new token
//! yet, a user who authenticates again, a second refresh in one command, a cancelled command),
//! the next refresh sends the token HubSpot accepts and the config ends up holding it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use fake_hubspot::{deadline, AccountSpec, FakeHubSpot, Fault, FaultKind};
use serde_json::json;

use super::auth::NoStore;
use super::client::{Caller, HubSpotClient};
use super::origin::Origins;
use crate::hubspot::model::Config;
use crate::hubspot::store::{ConfigFile, FileTokenStore};
use crate::hubspot::writer::Writer;

const CONFIG: &str = "accounts:\n  - name: oa\n    accountId: 555\n    authType: oauth2\n    auth:\n      clientId: client-id\n      clientSecret: client-secret-xyz\n      tokenInfo:\n        refreshToken: refresh-1\n";

struct Setup {
    fake: FakeHubSpot,
    client: HubSpotClient,
    dir: tempfile::TempDir,
    writer: Writer,
    rt: tokio::runtime::Runtime,
}

impl Setup {
    fn new() -> Setup {
        let fake = FakeHubSpot::start();
        fake.add_account(AccountSpec::new(555, "").with_oauth("client-id", "client-secret-xyz", "refresh-1"));
        let client = HubSpotClient::new(Origins::new(Some(fake.url())));
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let s = Setup { fake, client, dir: tempfile::tempdir().unwrap(), writer: Writer::default(), rt };
        std::fs::write(s.path(), CONFIG).unwrap();
        s
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("config.yml")
    }

    /// A command's view of the account: the config as it is now.
    fn caller(&self) -> Caller {
        let file = ConfigFile::load(&self.path()).unwrap();
        let store = Arc::new(FileTokenStore::new(self.path(), self.writer.clone()));
        Caller::new(file.config.accounts[0].clone(), &file.config, store)
    }

    fn token(
        &self,
        caller: &Caller,
        rejected: Option<&crate::hubspot::secret::Secret>,
    ) -> crate::hubspot::secret::Secret {
        self.rt.block_on(self.client.access_token(caller, rejected)).unwrap()
    }

    /// The refresh token the config holds, and the one the fake accepts.
    fn refresh_tokens(&self) -> (Option<String>, Option<String>) {
        (written_refresh_token(&self.path()), self.fake.oauth_refresh_token(555))
    }

    /// The config open in the editor with changes not saved: write-backs are refused.
    fn edit_unsaved(&self) {
        let text = std::fs::read_to_string(self.path()).unwrap();
        self.writer.buffers.holds(&self.path(), Arc::new(format!("{text}# typing\n")));
    }
}

fn written_refresh_token(path: &Path) -> Option<String> {
    let file = ConfigFile::load(path).unwrap();
    file.config.accounts[0].token_info()?.refresh_token.as_ref().map(|r| r.expose().to_string())
}

#[test]
fn a_token_the_config_cannot_take_yet_is_kept_and_written_later() {
    let s = Setup::new();
    s.edit_unsaved();
    let caller = s.caller();
    let first = s.token(&caller, None);
    assert_eq!(std::fs::read_to_string(s.path()).unwrap(), CONFIG);
    assert_ne!(s.fake.oauth_refresh_token(555).as_deref(), Some("refresh-1"), "the fake rotated it");
    // HubSpot rejects that access token: the next refresh must send the rotated refresh token.
    let second = s.token(&caller, Some(&first));
    assert_ne!(second, first);
    // Once the editor has nothing unsaved, the next call writes the newest tokens.
    s.writer.buffers.closed(&s.path());
    assert_eq!(s.token(&caller, None), second);
    let (written, accepted) = s.refresh_tokens();
    assert_eq!(written, accepted);
    let file = ConfigFile::load(&s.path()).unwrap();
    assert_eq!(file.config.accounts[0].token_info().unwrap().access_token, Some(second));
}

#[test]
fn a_kept_token_never_overwrites_a_newer_one() {
    let s = Setup::new();
    s.edit_unsaved();
    let caller = s.caller();
    let first = s.token(&caller, None); // kept, not written
    s.writer.buffers.closed(&s.path()); // the user reverts
    s.token(&caller, Some(&first)); // refreshed again, and written
    s.token(&caller, None); // a call that finds the cache fresh
    let (written, accepted) = s.refresh_tokens();
    assert_eq!(written, accepted, "the config holds the token HubSpot accepts");
}

#[test]
fn a_kept_token_never_overwrites_a_grant_made_since() {
    let s = Setup::new();
    s.edit_unsaved();
    let caller = s.caller();
    s.token(&caller, None); // kept, not written
                            // The user authenticates again (in a terminal, say): a new grant in the config.
    s.writer.buffers.closed(&s.path());
    std::fs::write(s.path(), CONFIG.replace("refresh-1", "refresh-REAUTH")).unwrap();
    s.token(&caller, None);
    assert_eq!(written_refresh_token(&s.path()).as_deref(), Some("refresh-REAUTH"));
}

#[test]
fn a_second_refresh_in_one_command_sends_the_rotated_token() {
    let s = Setup::new();
    let caller = s.caller(); // read once, as a command does: it holds refresh-1 throughout
    let first = s.token(&caller, None);
    let second = s.token(&caller, Some(&first));
    assert_ne!(first, second);
    let (written, accepted) = s.refresh_tokens();
    assert_eq!(written, accepted);
}

#[test]
fn a_caller_that_never_writes_still_sends_the_rotated_token() {
    // Environment-variable mode: the refresh token lives only in memory after a rotation.
    let s = Setup::new();
    let cfg = Config::from_value(&json!({"accounts": [{"name": "oa", "accountId": 555, "authType": "oauth2",
        "auth": {"clientId": "client-id", "clientSecret": "client-secret-xyz", "tokenInfo": {"refreshToken": "refresh-1"}}}]}));
    let caller = Caller::new(cfg.accounts[0].clone(), &cfg, Arc::new(NoStore));
    let first = s.token(&caller, None);
    let second = s.token(&caller, Some(&first));
    assert_ne!(first, second);
}

#[test]
fn a_refresh_under_way_when_its_command_is_cancelled_still_lands() {
    let s = Setup::new();
    // The refresh is held at HubSpot until the command is gone.
    s.fake.fault(Fault::new("/oauth/v1/token", FaultKind::Slow { millis: 300 }).times(1));
    let (client, caller) = (s.client.clone(), s.caller());
    let command = s.rt.spawn(async move { client.access_token(&caller, None).await });
    assert!(s.fake.wait_for_request(|r| r.path == "/oauth/v1/token", deadline()).is_some());
    command.abort();
    let until = std::time::Instant::now() + deadline();
    loop {
        let (written, accepted) = s.refresh_tokens();
        if written == accepted && written.as_deref() != Some("refresh-1") {
            break;
        }
        assert!(std::time::Instant::now() < until, "config {written:?}, HubSpot {accepted:?}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
