use super::*;
use serde_json::json;

fn cfg(yaml: &str) -> Config {
    Config::from_value(&crate::syntax::yaml::parse(yaml).value)
}

#[test]
fn legacy_shape_is_normalised() {
    let c = cfg("defaultPortal: old\ndefaultMode: draft\ndefaultCmsPublishMode: publish\nportals:\n  - name: old\n    portalId: 123\n    authType: personalaccesskey\n    sandboxAccountType: DEVELOPER\n  - name: std\n    portalId: 456\n    sandboxAccountType: standard\n  - name: plain\n    portalId: 789\n    accountType: APP_DEVELOPER\n");
    assert_eq!(c.shape, Shape::Legacy);
    assert_eq!(c.accounts.iter().map(|a| a.account_id).collect::<Vec<_>>(), vec![Some(123), Some(456), Some(789)]);
    assert_eq!(c.accounts[0].account_type.as_deref(), Some("DEVELOPMENT_SANDBOX"));
    assert_eq!(c.accounts[1].account_type.as_deref(), Some("STANDARD_SANDBOX"));
    assert_eq!(c.accounts[2].account_type.as_deref(), Some("APP_DEVELOPER"));
    assert_eq!(c.default_account, Some(json!(123)));
    assert_eq!(c.default_cms_publish_mode.as_deref(), Some("draft"));
    assert_eq!(c.accounts[0].pointer, "/portals/0");
}

#[test]
fn portals_replace_accounts_and_unknown_default_portal_vanishes() {
    let c = cfg(
        "defaultPortal: nobody\naccounts:\n  - {name: lost, accountId: 1}\nportals:\n  - {name: kept, portalId: 2}\n",
    );
    assert_eq!(c.accounts.len(), 1);
    assert_eq!(c.accounts[0].name.as_deref(), Some("kept"));
    assert_eq!(c.default_account, None);
    let c = cfg("portals: ~\naccounts:\n  - {name: kept, accountId: 1}\n");
    assert_eq!((c.shape, c.accounts.len()), (Shape::Current, 1));
}

#[test]
fn values_are_not_coerced() {
    let c = cfg("defaultAccount: prod\nhttpTimeout: 0\naccounts:\n  - {name: 789, accountId: '123', authType: PersonalAccessKey, env: QA}\n  - {name: prod, accountId: 5, auth: {}}\n");
    let a = &c.accounts[0];
    assert_eq!(a.name, None);
    assert_eq!(a.account_id, None);
    assert_eq!(a.raw_account_id, Some(json!("123")));
    assert_eq!(a.auth_type, Some(AuthType::Other("PersonalAccessKey".into())));
    assert_eq!(a.env, HubEnv::Qa);
    assert_eq!(c.timeout_ms(), 15_000);
    assert_eq!(c.default().and_then(|a| a.account_id), Some(5));
    assert_eq!(c.accounts[1].auth.as_ref().map(|a| a.token_info.is_none()), Some(true));
}

#[test]
fn inferred_identifier_lookup() {
    let c = cfg("accounts:\n  - {name: '2024', accountId: 111}\n  - {name: b, accountId: '123'}\n  - {name: c, accountId: 2024}\n");
    assert_eq!(c.find(&json!(2024)).and_then(|a| a.name.as_deref()), Some("c"));
    assert_eq!(c.find_str("2024").and_then(|a| a.name.as_deref()), Some("c"));
    assert!(c.find(&json!(123)).is_none());
    assert_eq!(c.find_str("b").and_then(|a| a.name.as_deref()), Some("b"));
    assert_eq!(c.find_str("111x").and_then(|a| a.name.as_deref()), Some("2024"));
    assert_eq!(c.find(&json!(2024.0)).and_then(|a| a.name.as_deref()), Some("c"));
    assert!(c.find(&json!(true)).is_none());
}

#[test]
fn parse_int_like_javascript() {
    assert_eq!(parse_int_js("  222abc\n"), Some(222));
    assert_eq!(parse_int_js("12 ab"), Some(12));
    assert_eq!(parse_int_js("\u{feff}\u{a0}7"), Some(7));
    assert_eq!(parse_int_js("\u{85}7"), None);
    assert_eq!(parse_int_js("0x1A"), Some(26));
    assert_eq!(parse_int_js("0x"), None);
    assert_eq!(parse_int_js("-0X10"), Some(-16));
    assert_eq!(parse_int_js("abc"), None);
    assert_eq!(parse_int_js(""), None);
    assert_eq!(parse_int_js("-5"), Some(-5));
    assert_eq!(parse_int_js("+"), None);
    assert_eq!(parse_int_js("99999999999999999999"), None);
}

#[test]
fn secrets_never_print() {
    let c = cfg("accounts:\n  - name: a\n    accountId: 1\n    authType: personalaccesskey\n    personalAccessKey: pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeee1234\n    auth: {tokenInfo: {accessToken: CJDVnLanLxICAQEYu_hardly_a_token_9876, expiresAt: '2030-01-01T00:00:00.000Z'}}\n");
    let dump = format!("{c:?}");
    assert!(!dump.contains("aaaaaaaa"), "{dump}");
    assert!(!dump.contains("hardly_a_token"), "{dump}");
    assert_eq!(c.accounts[0].token_info().and_then(|t| t.expires_at.as_deref()), Some("2030-01-01T00:00:00.000Z"));
}
