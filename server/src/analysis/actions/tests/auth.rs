//! "Authenticate…" and the missing `auth.tokenInfo`.

use serde_json::json;

use super::*;

#[test]
fn token_info_missing_offers_the_text_fix_and_authentication() {
    let home = Home::new();
    let text = "accounts:\n  - name: prod\n    accountId: 123\n    env: qa\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n  - name: dev\n    accountId: 456\n    authType: personalaccesskey\n    personalAccessKey: pak-456\n    auth:\n      clientId: x\n";
    let p = home.write_global(text);
    let acts = actions_at(&home, &p, text, "name: prod");
    let after = applied(&acts, "Add an empty auth.tokenInfo", text);
    assert_eq!(after, text.replace("pak-123\n", "pak-123\n    auth:\n      tokenInfo: {}\n"));
    assert_eq!(
        command(&acts, "Authenticate prod…"),
        &Call { name: "hubspot.account.auth", args: json!({ "name": "prod", "env": "qa" }) }
    );
    // No credential in any title or argument.
    assert!(acts.iter().all(|a| !a.title.contains("pak-") && !format!("{:?}", a.effect).contains("pak-")));

    let acts = actions_at(&home, &p, text, "auth:");
    assert_eq!(
        applied(&acts, "Add an empty auth.tokenInfo", text),
        text.replace("clientId: x\n", "clientId: x\n      tokenInfo: {}\n")
    );
    // prod still lacks it; dev is fixed.
    let left = fixed_codes(&home, &p, &applied(&acts, "Add an empty auth.tokenInfo", text));
    assert_eq!(left.iter().filter(|c| **c == "token-info-missing").count(), 1, "{left:?}");
}

#[test]
fn a_missing_key_and_a_retired_api_key_offer_authentication() {
    let home = Home::new();
    let text = "accounts:\n  - name: prod\n    accountId: 123\n    authType: personalaccesskey\n    auth:\n      tokenInfo: {}\n  - name: old\n    accountId: 456\n    authType: apikey\n    apiKey: abc\n";
    let p = home.write_global(text);
    let acts = actions_at(&home, &p, text, "name: prod");
    assert_eq!(command(&acts, "Authenticate prod…").args, json!({ "name": "prod" }));
    let acts = actions_at(&home, &p, text, "apikey");
    assert_eq!(command(&acts, "Authenticate old…").args, json!({ "name": "old" }));
    // An empty key is missing to the CLI: the finding sits on it, and offers the same.
    let text = "accounts:\n  - name: prod\n    accountId: 123\n    authType: personalaccesskey\n    personalAccessKey: ''\n    auth:\n      tokenInfo: {}\n";
    let p = home.write_global(text);
    let acts = actions_at(&home, &p, text, "''");
    assert_eq!(command(&acts, "Authenticate prod…").args, json!({ "name": "prod" }));
}

#[test]
fn no_accounts_a_bad_expiry_and_a_missing_auth_type() {
    let home = Home::new();
    let p = home.write_global("accounts: []\n");
    let acts = actions(&home, &p, "accounts: []\n");
    assert_eq!(command(&acts, "Authenticate…").args, json!({}));

    let text = "accounts:\n  - name: prod\n    accountId: 123\n    personalAccessKey: k\n    auth:\n      tokenInfo:\n        accessToken: tok\n        expiresAt: soon\n        refreshToken: r\n";
    let acts = actions_at(&home, &p, text, "soon");
    let title = "Remove the cached token (a new one is fetched on the next call)";
    assert_eq!(applied(&acts, title, text), text.replace("        accessToken: tok\n        expiresAt: soon\n", ""));
    let acts = actions_at(&home, &p, text, "name: prod");
    assert_eq!(
        applied(&acts, "Add authType: personalaccesskey", text),
        text.replace("        refreshToken: r\n", "        refreshToken: r\n    authType: personalaccesskey\n")
    );
}
