use serde_json::json;

use super::*;
use crate::hubspot::settings::CAUSE_INVALID_ID;
use crate::hubspot::test_support::{env_of, fixture, MemFiles};

const GLOBAL: &str = "/h/.hscli/config.yml";
const ACCOUNTS: &str = "defaultAccount: 123\naccounts:\n  - {name: first, accountId: 123, authType: personalaccesskey, personalAccessKey: pak-1}\n  - {name: second, accountId: 456, authType: personalaccesskey}\n  - {name: third, accountId: 12345678, authType: personalaccesskey}\n  - {name: quoted, accountId: '789'}\n";

fn env(vars: &[(&str, &str)]) -> Env {
    let mut all = vec![("HOME", "/h")];
    all.extend_from_slice(vars);
    env_of(&all, "/")
}

fn at(fs: &MemFiles, dir: &str) -> Result<InForceAccount, ResolveError> {
    resolve(&env(&[]), Path::new(dir), fs)
}

fn chose(r: Result<InForceAccount, ResolveError>) -> (i64, Source, Option<String>) {
    let a = r.unwrap_or_else(|e| panic!("{e}"));
    (a.account_id.as_i64().unwrap(), a.source, a.path.map(|p| p.display().to_string()))
}

fn some(p: &str) -> Option<String> {
    Some(p.to_string())
}

#[test]
fn settings_beat_hsaccount_beat_default() {
    let fs = MemFiles::default()
        .with(GLOBAL, ACCOUNTS)
        .with("/p/.hs/settings.json", &fixture("12-settings-linked.json"))
        .with("/p/.hsaccount", &fixture("15-hsaccount-valid.hsaccount"))
        .with("/q/.hsaccount", &fixture("15-hsaccount-valid.hsaccount"))
        .with("/r/.hs/settings.json", &fixture("13-settings-after-unlink-all.json"));
    assert_eq!(chose(at(&fs, "/p/sub")), (456, Source::Settings, some("/p/.hs/settings.json")));
    assert_eq!(chose(at(&fs, "/q")), (12345678, Source::HsAccount, some("/q/.hsaccount")));
    // A settings file without a local default does not constrain the default.
    assert_eq!(chose(at(&fs, "/r")), (123, Source::Default, some(GLOBAL)));
    assert_eq!(chose(at(&fs, "/elsewhere")), (123, Source::Default, some(GLOBAL)));
}

#[test]
fn local_default_by_name_and_missing_accounts_list() {
    let fs = MemFiles::default()
        .with(GLOBAL, ACCOUNTS)
        .with("/n/.hs/settings.json", "{\"accounts\": [123], \"localDefaultAccount\": \"third\"}")
        .with("/m/.hs/settings.json", "{\"localDefaultAccount\": 456}")
        .with("/z/.hs/settings.json", "{\"accounts\": [123], \"localDefaultAccount\": 0}")
        .with("/z/.hsaccount", "456");
    assert_eq!(chose(at(&fs, "/n")).0, 12345678);
    // Fixture 26's shape: resolution works, the link-aware paths crash.
    assert_eq!(chose(at(&fs, "/m")).0, 456);
    assert_eq!(
        is_directory_linked(Path::new("/m"), &fs),
        Err(ResolveError::SettingsWithoutAccounts { path: "/m/.hs/settings.json".into() })
    );
    // A falsy local default falls through to `.hsaccount`.
    assert_eq!(chose(at(&fs, "/z")), (456, Source::HsAccount, some("/z/.hsaccount")));
}

#[test]
fn settings_errors() {
    let fs = MemFiles::default()
        .with(GLOBAL, ACCOUNTS)
        .with("/i/.hs/settings.json", &fixture("14-settings-invalid-default.json"))
        .with("/j/.hs/settings.json", "{\"accounts\": [123],")
        .with("/k/.hs/settings.json", "null");
    let e = at(&fs, "/i").unwrap_err();
    assert_eq!(
        e,
        ResolveError::AccountNotFound {
            identifier: json!(999),
            source: Source::Settings,
            path: Some("/i/.hs/settings.json".into())
        }
    );
    assert!(e.to_string().contains("Default account is set to , but no account with that id exists in config"), "{e}");
    let e = at(&fs, "/j").unwrap_err();
    assert!(matches!(&e, ResolveError::SettingsInvalid { .. }), "{e:?}");
    assert!(e.to_string().starts_with("An error occurred while reading from \"/j/.hs/settings.json\""), "{e}");
    // `null` is no settings file at all.
    assert_eq!(chose(at(&fs, "/k")).1, Source::Default);
    assert_eq!(is_directory_linked(Path::new("/k"), &fs), Ok(false));
    let unreadable = MemFiles::default().with(GLOBAL, ACCOUNTS).unreadable("/u/.hs/settings.json");
    assert_eq!(at(&unreadable, "/u"), Err(ResolveError::SettingsUnreadable { path: "/u/.hs/settings.json".into() }));
}

#[test]
fn hsaccount_errors_break_resolution() {
    let fs = MemFiles::default()
        .with(GLOBAL, ACCOUNTS)
        .with("/a/.hsaccount", &fixture("16-hsaccount-invalid-name.hsaccount"))
        .with("/b/.hsaccount", "999")
        .with("/c/.hsaccount", "789");
    let e = at(&fs, "/a/deeper").unwrap_err();
    assert_eq!(e, ResolveError::HsAccount { path: "/a/.hsaccount".into(), error: HsAccountError::InvalidId });
    assert!(e.to_string().starts_with("Error in /a/.hsaccount (DEFAULT_ACCOUNT_OVERRIDE_ERROR_INVALID_ID)"), "{e}");
    assert!(e.to_string().contains(CAUSE_INVALID_ID));
    assert_eq!(
        at(&fs, "/b"),
        Err(ResolveError::HsAccount {
            path: "/b/.hsaccount".into(),
            error: HsAccountError::AccountNotFound { id: 999 }
        })
    );
    // A quoted id in the config is never found by `.hsaccount`.
    assert_eq!(
        at(&fs, "/c"),
        Err(ResolveError::HsAccount {
            path: "/c/.hsaccount".into(),
            error: HsAccountError::AccountNotFound { id: 789 }
        })
    );
}

#[test]
fn hsaccount_only_with_the_global_config() {
    let legacy =
        "defaultPortal: second\nportals:\n  - {name: first, portalId: 123}\n  - {name: second, portalId: 456}\n";
    let fs = MemFiles::default()
        .with("/p/hubspot.config.yml", legacy)
        .with("/p/.hsaccount", "123")
        .with("/custom.yml", ACCOUNTS)
        .with(GLOBAL, ACCOUNTS);
    let no_global = MemFiles::default().with("/p/hubspot.config.yml", legacy).with("/p/.hsaccount", "123");
    assert_eq!(chose(at(&no_global, "/p")), (456, Source::Default, some("/p/hubspot.config.yml")));
    let custom = env(&[("HUBSPOT_CONFIG_PATH", "/custom.yml")]);
    assert_eq!(chose(resolve(&custom, Path::new("/p"), &fs)), (123, Source::Default, some("/custom.yml")));
    let global_by_name = env(&[("HUBSPOT_CONFIG_PATH", GLOBAL)]);
    assert_eq!(chose(resolve(&global_by_name, Path::new("/p"), &fs)), (123, Source::HsAccount, some("/p/.hsaccount")));
}

#[test]
fn env_mode() {
    let vars = [
        ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"),
        ("HUBSPOT_PORTAL_ID", "4343"),
        ("HUBSPOT_PERSONAL_ACCESS_KEY", "k"),
    ];
    let e = env(&vars);
    // With a global file: the env account, not the file's default.
    let fs = MemFiles::default().with(GLOBAL, ACCOUNTS);
    assert_eq!(
        resolve(&e, Path::new("/p"), &fs),
        Ok(InForceAccount { account_id: json!(4343), name: Some("4343".into()), source: Source::Env, path: None })
    );
    // No config file anywhere: the CLI fails without `--use-env`.
    assert_eq!(resolve(&e, Path::new("/p"), &MemFiles::default()), Err(ResolveError::EnvModeWithoutConfigFile));
    // A legacy file is enough, and `.hsaccount` is then not consulted.
    let legacy = MemFiles::default().with("/p/hubspot.config.yml", "accounts: []\n").with("/p/.hsaccount", "1");
    assert_eq!(resolve(&e, Path::new("/p"), &legacy).map(|a| a.source), Ok(Source::Env));
    // With the global file, `.hsaccount` is consulted against the env account, and fails.
    let fs = MemFiles::default().with(GLOBAL, ACCOUNTS).with("/p/.hsaccount", "123");
    assert!(matches!(
        resolve(&e, Path::new("/p"), &fs),
        Err(ResolveError::HsAccount { error: HsAccountError::AccountNotFound { id: 123 }, .. })
    ));
    let fs = MemFiles::default().with(GLOBAL, ACCOUNTS).with("/p/.hsaccount", "4343");
    assert_eq!(resolve(&e, Path::new("/p"), &fs).map(|a| a.source), Ok(Source::HsAccount));
    // Settings are checked even in env mode.
    let fs = MemFiles::default().with("/p/.hs/settings.json", "{\"accounts\": [4343], \"localDefaultAccount\": 4343}");
    assert_eq!(resolve(&e, Path::new("/p"), &fs).map(|a| a.source), Ok(Source::Settings));
    let nan = env(&[vars[0], ("HUBSPOT_ACCOUNT_ID", "abc"), vars[2]]);
    let fs = MemFiles::default().with(GLOBAL, ACCOUNTS);
    assert_eq!(resolve(&nan, Path::new("/p"), &fs), Err(ResolveError::NoDefault { source: Source::Env, path: None }));
    let broken = env(&[vars[0]]);
    assert!(matches!(resolve(&broken, Path::new("/p"), &fs), Err(ResolveError::Config(ConfigError::Environment(_)))));
}

#[test]
fn default_account_by_name_and_unusable_ones() {
    let fs = MemFiles::default().with(GLOBAL, &fixture("08-edge-string-account-id-and-default-by-name.yml"));
    assert_eq!(chose(at(&fs, "/p")), (456, Source::Default, some(GLOBAL)));
    let fs =
        MemFiles::default().with(GLOBAL, "defaultAccount: first\naccounts:\n  - {name: first, accountId: '123'}\n");
    // The CLI goes on with the quoted id (its requests send it as it is): so do we.
    let a = at(&fs, "/p").unwrap();
    assert_eq!((a.account_id, a.name.as_deref()), (json!("123"), Some("first")));
    let fs = MemFiles::default().with(GLOBAL, "accounts:\n  - {name: first, accountId: 1}\n");
    assert_eq!(at(&fs, "/p"), Err(ResolveError::NoDefault { source: Source::Default, path: Some(GLOBAL.into()) }));
    let fs = MemFiles::default().with(GLOBAL, "defaultAccount: nobody\naccounts:\n  - {name: first, accountId: 1}\n");
    let e = at(&fs, "/p").unwrap_err();
    assert!(e.to_string().starts_with("`defaultAccount` \"nobody\" in /h/.hscli/config.yml names no account"), "{e}");
    assert!(e.to_string().contains("fail with “An account needs to be supplied either via \"--account\" or through setting a \"defaultAccount\"”."), "{e}");
    assert!(matches!(at(&MemFiles::default(), "/p"), Err(ResolveError::Config(ConfigError::NotFound))));
}

#[test]
fn linked_accounts_of_a_directory() {
    let fs = MemFiles::default()
        .with(GLOBAL, ACCOUNTS)
        .with("/p/.hs/settings.json", &fixture("12-settings-linked.json"))
        .with("/r/.hs/settings.json", &fixture("13-settings-after-unlink-all.json"));
    let config = load_config(&env(&[]), Path::new("/p"), &fs).unwrap().config;
    let ids = |dir: &str| {
        linked_or_all_accounts(&config, Path::new(dir), &fs)
            .map(|v| v.iter().filter_map(|a| a.account_id).collect::<Vec<_>>())
    };
    assert_eq!(ids("/p/a"), Ok(vec![123, 456]));
    assert_eq!(ids("/r"), Ok(vec![123, 456, 12345678]));
    assert_eq!(ids("/"), Ok(vec![123, 456, 12345678]));
    assert_eq!(is_directory_linked(Path::new("/p/a"), &fs), Ok(true));
    assert_eq!(is_directory_linked(Path::new("/r"), &fs), Ok(false));
    assert_eq!(is_directory_linked(Path::new("/"), &fs), Ok(false));
}

#[test]
fn serialises_as_the_resolve_command_answers() {
    let a = InForceAccount {
        account_id: json!(456),
        name: Some("second".into()),
        source: Source::HsAccount,
        path: Some("/p/.hsaccount".into()),
    };
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        json!({"accountId": 456, "name": "second", "source": "hsaccount", "path": "/p/.hsaccount"})
    );
    let e = InForceAccount { account_id: json!(1), name: None, source: Source::Env, path: None };
    assert_eq!(serde_json::to_value(&e).unwrap(), json!({"accountId": 1, "name": null, "source": "env", "path": null}));
    for (s, text) in [(Source::Settings, "settings"), (Source::Default, "default")] {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(text));
    }
}

proptest::proptest! {
    #![proptest_config(crate::test_support::proptest_config(200))]

    /// Any content in any of the three files, in or out of env mode: an answer, never a panic.
    #[test]
    fn any_files_resolve_without_panic(config in "\\PC{0,120}", settings in "\\PC{0,60}", hsaccount in "\\PC{0,12}", env_mode: bool, pick in 0usize..4) {
        let seeds = [ACCOUNTS, "{\"accounts\": [123], \"localDefaultAccount\": \"first\"}", "0x7b", "portals:\n  - {portalId: 1}\n"];
        let fs = MemFiles::default().with(GLOBAL, if pick == 0 { seeds[0] } else { &config }).with("/p/.hs/settings.json", if pick == 1 { seeds[1] } else { &settings }).with("/p/.hsaccount", if pick == 2 { seeds[2] } else { &hsaccount }).with("/p/hubspot.config.yml", seeds[3]);
        let e = if env_mode { env(&[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"), ("HUBSPOT_ACCOUNT_ID", &hsaccount), ("HUBSPOT_API_KEY", "k")]) } else { env(&[]) };
        let r = resolve(&e, Path::new("/p/q"), &fs);
        let _ = r.as_ref().map_err(ToString::to_string);
        let _ = is_directory_linked(Path::new("/p"), &fs);
        if let Ok(loaded) = load_config(&e, Path::new("/p"), &fs) {
            let _ = linked_or_all_accounts(&loaded.config, Path::new("/p"), &fs);
        }
    }
}

#[test]
fn nothing_secret_in_errors_or_results() {
    let fs = MemFiles::default().with(GLOBAL, ACCOUNTS).with("/p/.hsaccount", "pak-1");
    let e = at(&fs, "/p").unwrap_err();
    let chosen = at(&MemFiles::default().with(GLOBAL, ACCOUNTS), "/p").unwrap();
    for text in [e.to_string(), format!("{e:?}"), format!("{chosen:?}"), serde_json::to_string(&chosen).unwrap()] {
        assert!(!text.contains("pak-1"), "{text}");
    }
}
