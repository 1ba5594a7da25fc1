//! The editing features at the level of the analysis: a config in a temporary home, the
//! files that reference it, and what completion, hover, navigation and symbols answer.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};

use super::completion::{self, ItemKind};
use super::{hover, navigation, symbols};
use crate::analysis::tests::Home;
use crate::analysis::world::{DiskCache, World};
use crate::analysis::{DocKind, SourceFile};

const CONFIG: &str = "defaultAccount: 123\naccounts:\n  - name: prod\n    accountId: 123\n    env: prod\n    authType: personalaccesskey\n    accountType: STANDARD\n    personalAccessKey: pak-secret-123\n    auth:\n      tokenInfo:\n        accessToken: token-secret\n        expiresAt: '2026-06-01T12:00:00.000Z'\n  - name: sandbox\n    accountId: 456\n    authType: personalaccesskey\n    personalAccessKey: pak-secret-456\n    auth:\n      tokenInfo: {}\n    parentAccountId: 123\n  - name: broken\n    accountId: 789\n    authType: personalaccesskey\n    personalAccessKey: pak-secret-789\n    auth:\n      tokenInfo:\n        accessToken: token-secret\n        expiresAt: someday\n";

struct Setup {
    home: Home,
    global: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let home = Home::new();
        let global = home.write_global(CONFIG);
        Setup { home, global }
    }

    fn world(&self, open: &[&SourceFile]) -> World {
        let overlay = open.iter().map(|f| (f.path.clone(), Arc::new((*f).clone()))).collect();
        World::new(overlay, Arc::new(DiskCache::default()), Arc::new(self.home.env.clone()))
    }

    fn file(&self, path: &Path, text: &str) -> SourceFile {
        let kind = DocKind::of_path(path, None).expect("a HubSpot file");
        SourceFile::parse(path.to_path_buf(), kind, text)
    }
}

/// The offset of the `n`th (0-based) occurrence of `needle` in `text`, plus `into`.
fn at(text: &str, needle: &str, n: usize, into: usize) -> usize {
    text.match_indices(needle).nth(n).map(|(i, _)| i + into).expect("needle present")
}

#[test]
fn completion_offers_missing_keys_values_and_account_ids() {
    let s = Setup::new();
    let text = "defaultAccount: \naccounts:\n  - name: x\n    accountId: 1\n    env: \n";
    let file = s.file(&s.global, text);
    let world = s.world(&[]);
    let opts = completion::Options { snippets: false };
    // An account reference: the configured ids, inserted as ids, named in the label or detail.
    let items = completion::complete(&file, None, &world, at(text, "defaultAccount: ", 0, 16), &opts);
    let ids: Vec<&str> = items.iter().filter(|i| i.kind == ItemKind::Account).map(|i| i.insert_text.as_str()).collect();
    assert_eq!(ids, ["1"], "ids of the accounts in this very text");
    // An enum value.
    let items = completion::complete(&file, None, &world, at(text, "env: ", 0, 5), &opts);
    let values: Vec<&str> = items.iter().map(|i| i.insert_text.as_str()).collect();
    assert!(values.contains(&"prod") && values.contains(&"qa"), "{values:?}");
    // Keys of an account not yet present (not `name`, which is there).
    let text2 = format!("{text}    ");
    let file2 = s.file(&s.global, &text2);
    let items = completion::complete(&file2, None, &world, text2.len(), &opts);
    let keys: Vec<&str> = items.iter().filter(|i| i.kind == ItemKind::Key).map(|i| i.label.as_str()).collect();
    assert!(keys.contains(&"authType") && !keys.contains(&"name") && !keys.contains(&"accountId"), "{keys:?}");
    assert!(items.iter().all(|i| !i.is_snippet), "no snippets for a client without them");
}

#[test]
fn completion_in_settings_names_the_global_config_s_accounts() {
    let s = Setup::new();
    let path = s.home.path("proj/.hs/settings.json");
    let text = r#"{"accounts": [], "localDefaultAccount": }"#;
    let file = s.file(&path, text);
    let items =
        completion::complete(&file, None, &s.world(&[]), at(text, "[]", 0, 1), &completion::Options { snippets: true });
    let accounts: Vec<(&str, String)> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Account)
        .map(|i| (i.insert_text.as_str(), format!("{} {}", i.label, i.detail.clone().unwrap_or_default())))
        .collect();
    assert_eq!(accounts.iter().map(|(id, _)| *id).collect::<Vec<_>>(), ["123", "456", "789"]);
    assert!(accounts[1].1.contains("sandbox"), "the name is shown: {:?}", accounts[1]);
}

#[test]
fn hover_shows_an_account_and_each_token_state_never_a_credential() {
    let s = Setup::new();
    let path = s.home.path("proj/.hs/settings.json");
    let text = r#"{"accounts": [123, 456, 789, 999], "localDefaultAccount": 123}"#;
    let file = s.file(&path, text);
    let world = s.world(&[]);
    let before = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let after = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let on = |n: usize, now| hover::hover(&file, &world, at(text, ["123", "456", "789", "999"][n], 0, 1), now);
    let valid = on(0, before).expect("a hover").contents;
    assert!(valid.contains("**prod**") && valid.contains("`123`") && valid.contains("`STANDARD`"), "{valid}");
    assert!(valid.contains("valid until 2026-06-01 12:00 UTC"), "{valid}");
    assert!(on(0, after).unwrap().contents.contains("expired 2026-06-01 12:00 UTC"));
    assert!(on(1, before).unwrap().contents.contains("no cached token"));
    assert!(on(2, before).unwrap().contents.contains("expiry unreadable"));
    assert!(on(3, before).unwrap().contents.contains("No account `999`"));
    for n in 0..3 {
        let c = on(n, before).unwrap().contents;
        assert!(!c.contains("pak-secret") && !c.contains("token-secret"), "{c}");
    }
    // A key: its documentation.
    let key = hover::hover(&file, &world, at(text, "localDefaultAccount", 0, 2), before).expect("key docs");
    assert!(key.contents.starts_with("**localDefaultAccount**"), "{}", key.contents);
    // A personal access key pasted as the local default: named, never shown.
    let text = r#"{"accounts": [123], "localDefaultAccount": "pat-na1-11111111-2222-3333-4444-55555555a1b2"}"#;
    let file = s.file(&path, text);
    let h = hover::hover(&file, &world, at(text, "pat-na1", 0, 3), before).expect("a hover").contents;
    assert!(h.contains("No account `\"pat-na1-…a1b2\"`") && !h.contains("55555555"), "{h}");
}

#[test]
fn definition_and_references_connect_an_account_and_the_files_naming_it() {
    let s = Setup::new();
    let settings_path = s.home.path("proj/.hs/settings.json");
    let settings = s.file(&settings_path, r#"{"accounts": [456], "localDefaultAccount": 456}"#);
    let hsaccount_path = s.home.write("proj/sub/.hsaccount", "456\n");
    let world = s.world(&[&settings]);
    let def = navigation::definition(&settings, &world, at(&settings.text, "456", 0, 1)).expect("a definition");
    assert_eq!(def.path, s.global);
    assert_eq!(def.range.slice(CONFIG), "sandbox");
    // From the account's entry: the config's own reference (parent of nothing here: none), the
    // open settings.json twice, and the .hsaccount found under the workspace folder.
    let config = s.file(&s.global, CONFIG);
    let refs = navigation::references_to(&config, &world, at(CONFIG, "name: sandbox", 0, 7), &[s.home.path("proj")]);
    let mut places: Vec<(PathBuf, String)> =
        refs.iter().map(|l| (l.path.clone(), l.range.slice(&l.text).to_string())).collect();
    places.sort();
    assert_eq!(
        places,
        [(settings_path.clone(), "456".into()), (settings_path, "456".into()), (hsaccount_path, "456".into())]
    );
}

#[test]
fn symbols_folding_and_inlay_hints() {
    let s = Setup::new();
    let config = s.file(&s.global, CONFIG);
    let syms = symbols::document_symbols(&config);
    let top: Vec<&str> = syms.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(top, ["defaultAccount", "accounts"]);
    let accounts: Vec<(String, Option<String>)> =
        syms[1].children.iter().map(|c| (c.name.clone(), c.detail.clone())).collect();
    assert_eq!(accounts[0].0, "prod");
    assert!(accounts[0].1.as_deref().is_some_and(|d| d.contains("123")), "{accounts:?}");
    let folds = symbols::folding_ranges(&config);
    assert!(folds.iter().any(|r| r.slice(CONFIG).starts_with("- name: sandbox")), "each account folds");
    // The name after each id reference.
    let hints = symbols::inlay_hints(&config, &s.world(&[]));
    let labels: Vec<(&str, &str)> =
        hints.iter().map(|h| (&CONFIG[..h.at][CONFIG[..h.at].len() - 3..], h.label.as_str())).collect();
    assert!(labels.iter().any(|(id, l)| *id == "123" && l.contains("prod")), "{labels:?}");
}

#[test]
fn completion_in_hsaccount_after_a_wide_space_offers_the_accounts() {
    // U+00A0 is whitespace two bytes wide (found by the no-panic test).
    let s = Setup::new();
    let path = s.home.path("proj/.hsaccount");
    let text = "my-ac\u{a0}pr";
    let file = s.file(&path, text);
    let items = completion::complete(&file, None, &s.world(&[]), text.len(), &completion::Options { snippets: false });
    assert!(items.iter().all(|i| i.replace.slice(text) == "pr"), "the token after the space is replaced");
    assert!(!items.is_empty());
}

#[test]
fn a_new_account_entry_is_a_snippet_only_for_a_client_that_takes_snippets() {
    let s = Setup::new();
    let text = "accounts:\n  - name: a\n    accountId: 1\n  - ";
    let file = s.file(&s.global, text);
    let world = s.world(&[]);
    let entry = |snippets| {
        let items = completion::complete(&file, None, &world, text.len(), &completion::Options { snippets });
        items.into_iter().find(|i| i.label == "New account").expect("a New account entry")
    };
    let snippet = entry(true);
    assert!(snippet.is_snippet);
    assert!(snippet.insert_text.starts_with("name: ${1:account-name}\n    accountId: ${2:"), "{}", snippet.insert_text);
    let plain = entry(false);
    assert!(!plain.is_snippet);
    assert!(!plain.insert_text.contains('$'), "{}", plain.insert_text);
    assert!(
        plain.insert_text.ends_with("    auth:\n      tokenInfo: {}"),
        "indented for its line: {}",
        plain.insert_text
    );
}
