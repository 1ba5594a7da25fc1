use serde_json::json;

use super::*;

fn kinds(v: Value) -> Vec<(String, FindingKind)> {
    validate(SchemaKind::Config, &v).into_iter().map(|f| (f.pointer, f.kind)).collect()
}

#[test]
fn schemas_compile() {
    assert!(CONFIG_VALIDATOR.is_some());
    assert!(SETTINGS_VALIDATOR.is_some());
}

#[test]
fn a_valid_config_has_no_findings() {
    let v = json!({"defaultAccount": 1, "httpTimeout": 30000, "accounts": [
        {"name": "a", "accountId": 1, "env": "prod", "authType": "personalaccesskey", "personalAccessKey": "k", "auth": {"tokenInfo": {}}},
        {"name": "o", "accountId": 2, "env": "", "authType": "oauth2", "auth": {"clientId": "c", "clientSecret": "s", "scopes": ["content"], "tokenInfo": {"refreshToken": "r"}}},
    ]});
    assert_eq!(kinds(v), vec![]);
}

#[test]
fn unknown_keys_point_at_the_key_with_a_suggestion() {
    let f = validate(
        SchemaKind::Config,
        &json!({"accounts": [{"nmae": "x", "accountId": 1, "authType": "apikey", "apiKey": "k"}]}),
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].pointer, "/accounts/0/nmae");
    assert_eq!(f[0].kind, FindingKind::UnknownKey { key: "nmae".into(), suggestion: Some("name".into()) });
}

#[test]
fn types_enums_and_required() {
    let v = json!({"httpTimeout": "fast", "accounts": [
        {"name": 789, "accountId": "123", "authType": "PersonalAccessKey"},
        {"accountId": 5, "authType": "personalaccesskey"},
    ]});
    let k = kinds(v);
    assert!(k.contains(&("/httpTimeout".into(), FindingKind::Type { expected: "a number".into() })), "{k:?}");
    assert!(k.iter().any(|(p, k)| p == "/accounts/0/accountId" && matches!(k, FindingKind::Type { .. })));
    assert!(k.iter().any(|(p, k)| p == "/accounts/0/name" && matches!(k, FindingKind::Type { .. })));
    assert!(k.iter().any(|(p, k)| p == "/accounts/0/authType" && matches!(k, FindingKind::Enum { .. })));
    assert!(
        k.contains(&("/accounts/1".into(), FindingKind::Required { missing: "personalAccessKey".into() })),
        "{k:?}"
    );
}

#[test]
fn messages_never_carry_secret_values() {
    let secret = "pat-na1-SECRETSECRETSECRETSECRET1234";
    let v = json!({"accounts": [{"accountId": 1, "authType": secret, "personalAccessKey": 12, "apiKey": [secret], "auth": {"tokenInfo": {"accessToken": {"x": secret}}}}]});
    for f in validate(SchemaKind::Config, &v) {
        assert!(!f.message.contains("SECRET"), "{}", f.message);
    }
}

#[test]
fn docs_for_every_key() {
    for (pointer, needle) in [
        ("/httpTimeout", "milliseconds"),
        ("/accounts/3/auth/tokenInfo/expiresAt", "expires"),
        ("/portals/0/portalId", "accountId"),
    ] {
        let d = docs::doc_at(SchemaKind::Config, pointer).unwrap();
        assert!(d.description.contains(needle), "{pointer}: {}", d.description);
    }
    let keys: Vec<String> = keys_at(SchemaKind::Config, "/accounts/0").into_iter().map(|(k, _)| k).collect();
    assert!(keys.contains(&"personalAccessKey".to_string()));
    assert_eq!(
        docs::doc_at(SchemaKind::Config, "/accounts/0/authType").unwrap().enum_values,
        vec!["personalaccesskey", "oauth2", "apikey"]
    );
    assert!(docs::doc_at(SchemaKind::Settings, "/localDefaultAccount").is_some());
}
