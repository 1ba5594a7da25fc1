//! Commands that write the config, run side by side against the fake HubSpot: every one that
//! reports success has its change on disk.

use std::path::Path;
use std::sync::Arc;

use fake_hubspot::{AccountSpec, FakeHubSpot};

use super::accounts::{self, AuthArgs};
use crate::hubspot::api::auth::TokenStore;
use crate::hubspot::api::{HubSpotClient, Origins};
use crate::hubspot::model::HubEnv;
use crate::hubspot::secret::Secret;
use crate::hubspot::store::{ConfigFile, FileTokenStore};
use crate::hubspot::writer::Writer;

fn pak(id: i64) -> String {
    format!("pat-na1-{id:08}-aaaa-bbbb-cccc-000000000000")
}

fn auth_args(id: i64) -> AuthArgs {
    AuthArgs::new(Secret::new(pak(id)), None, HubEnv::Prod, None)
}

fn ids(path: &Path) -> Vec<i64> {
    let mut ids: Vec<i64> =
        ConfigFile::load(path).unwrap().config.accounts.iter().filter_map(|a| a.account_id).collect();
    ids.sort();
    ids
}

#[test]
fn auths_sent_together_all_land_in_the_config() {
    let fake = FakeHubSpot::start();
    for id in 1001..=1004 {
        fake.add_account(AccountSpec::new(id as u64, pak(id)));
    }
    let client = HubSpotClient::new(Origins::new(Some(fake.url())));
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join(".hscli/config.yml");
    let writer = Writer::default();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let results = rt.block_on(futures::future::join_all(
        (1001..=1004).map(|id| accounts::auth(&client, &writer, &path, auth_args(id))),
    ));
    let reported: Vec<i64> = results.into_iter().map(|r| r.unwrap().account_id).collect();
    assert_eq!(reported, [1001, 1002, 1003, 1004]);
    assert_eq!(ids(&path), [1001, 1002, 1003, 1004], "every success is on disk");
    // The first one written became the default, as for a lone first auth.
    let file = ConfigFile::load(&path).unwrap();
    assert!(file.config.default().and_then(|a| a.account_id).is_some_and(|d| (1001..=1004).contains(&d)));

    // Token write-backs and auths in flight together: neither loses the other.
    let store = Arc::new(FileTokenStore::new(path.clone(), writer.clone()));
    let account = file.config.by_id(1001).unwrap().clone();
    let token = crate::hubspot::api::auth::StoredToken {
        access_token: Secret::new("refreshed-token-1001"),
        expires_at: "2030-01-01T00:00:00.000Z".into(),
        refresh_token: None,
    };
    fake.add_account(AccountSpec::new(1005, pak(1005)));
    let (saved, authed) = rt.block_on(async {
        futures::join!(store.save(&account, &token, &[]), accounts::auth(&client, &writer, &path, auth_args(1005)))
    });
    saved.unwrap();
    authed.unwrap();
    assert_eq!(ids(&path), [1001, 1002, 1003, 1004, 1005]);
    let file = ConfigFile::load(&path).unwrap();
    let info = file.config.by_id(1001).unwrap().token_info().unwrap();
    assert_eq!(info.access_token.as_ref().map(Secret::expose), Some("refreshed-token-1001"));
}
