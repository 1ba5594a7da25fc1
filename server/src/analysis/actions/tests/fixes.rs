//! Single-file quick fixes: defaults, names, values, settings.json, `.hsaccount` content,
//! permissions.

use super::*;
use crate::analysis::tests::{set_mode, VALID};

/// Two accounts, comments and a flow mapping, in the CLI's layout.
const CONFIG: &str = "# HubSpot\ndefaultAccount: 999 # the default\nhttpTimeout: 1000\naccounts:\n  # the main one\n  - name: prod\n    accountId: 123\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n    auth:\n      tokenInfo: {}\n  - name: my  sandbox\n    accountId: '456'\n    authType: personalaccesskey\n    personalAccessKey: pak-456\n    auth: {tokenInfo: {}}\n";

#[test]
fn default_account_unknown_offers_each_account_by_id() {
    let home = Home::new();
    let p = home.write_global(CONFIG);
    let acts = actions_at(&home, &p, CONFIG, "999");
    let sets: Vec<&str> = titles(&acts).into_iter().filter(|t| t.starts_with("Set defaultAccount")).collect();
    // The quoted id is no id to the CLI: that account cannot be the default by id.
    assert_eq!(sets, vec!["Set defaultAccount to prod (123)"]);
    let after = applied(&acts, "Set defaultAccount to prod (123)", CONFIG);
    assert_eq!(after, CONFIG.replace("defaultAccount: 999 #", "defaultAccount: 123 #"));
    assert!(!fixed_codes(&home, &p, &after).contains(&"default-account-unknown"));
    assert_eq!(find(&acts, "Set defaultAccount to prod (123)").kind, ActionKind::QuickFix);
}

#[test]
fn default_portal_keeps_holding_a_name() {
    let home = Home::new();
    let text = "defaultPortal: nope\nportals:\n  - name: prod\n    portalId: 123\n    authType: personalaccesskey\n    personalAccessKey: k\n";
    let p = home.write("proj/hubspot.config.yml", text);
    let acts = actions_at(&home, &p, text, "nope");
    assert_eq!(applied(&acts, "Set defaultPortal to prod (123)", text), text.replace("nope", "prod"));
}

#[test]
fn name_whitespace_renames_with_dashes_and_its_references() {
    let home = Home::new();
    let text = CONFIG.replace("defaultAccount: 999", "defaultAccount: my  sandbox");
    let p = home.write_global(&text);
    let acts = actions_at(&home, &p, &text, "my  sandbox\n    accountId");
    let rename = find(&acts, "Rename to \"my-sandbox\"");
    assert!(rename.preferred);
    let after = applied(&acts, "Rename to \"my-sandbox\"", &text);
    assert_eq!(
        after,
        CONFIG
            .replace("defaultAccount: 999", "defaultAccount: my-sandbox")
            .replace("name: my  sandbox", "name: my-sandbox")
    );
    assert!(!fixed_codes(&home, &p, &after).contains(&"name-whitespace"));
}

#[test]
fn name_whitespace_skips_a_rename_that_would_clash() {
    let home = Home::new();
    let text = CONFIG.replace("name: prod", "name: My-Sandbox");
    let p = home.write_global(&text);
    let acts = actions_at(&home, &p, &text, "my  sandbox");
    assert!(!titles(&acts).iter().any(|t| t.starts_with("Rename to")), "{:?}", titles(&acts));
}

#[test]
fn http_timeout_and_quoted_ids_and_numeric_names() {
    let home = Home::new();
    let p = home.write_global(CONFIG);
    let acts = actions_at(&home, &p, CONFIG, "1000");
    assert_eq!(
        applied(&acts, "Set httpTimeout to 3000", CONFIG),
        CONFIG.replace("httpTimeout: 1000", "httpTimeout: 3000")
    );
    let acts = actions_at(&home, &p, CONFIG, "'456'");
    let after = applied(&acts, "Write the id as a number", CONFIG);
    assert_eq!(after, CONFIG.replace("accountId: '456'", "accountId: 456"));
    assert!(!fixed_codes(&home, &p, &after).contains(&"type"));

    let text = CONFIG.replace("name: prod", "name: 789");
    let acts = actions_at(&home, &p, &text, "789");
    assert_eq!(applied(&acts, "Write the name as text", &text), CONFIG.replace("name: prod", "name: '789'"));
    // The name as the user typed it, not the number it reads as.
    for typed in ["0x1F", "1e3", "12.50", "0o17"] {
        let text = CONFIG.replace("name: prod", &format!("name: {typed}"));
        let acts = actions_at(&home, &p, &text, typed);
        let want = CONFIG.replace("name: prod", &format!("name: '{typed}'"));
        assert_eq!(applied(&acts, "Write the name as text", &text), want, "{typed}");
    }
}

#[test]
fn settings_fixes() {
    let home = Home::new();
    home.write_global(VALID);
    let text = "{\n  \"accounts\": [123, 999, 123],\n  \"localDefaultAccount\": 456\n}";
    let p = home.write("proj/.hs/settings.json", text);

    let acts = actions_at(&home, &p, text, "999");
    assert_eq!(
        applied(&acts, "Remove 999 from accounts", text),
        "{\n  \"accounts\": [123, 123],\n  \"localDefaultAccount\": 456\n}"
    );
    assert_eq!(command(&acts, "Authenticate…"), &Call { name: "hubspot.account.auth", args: serde_json::json!({}) });

    let acts = actions_in(&home, &p, text, TextRange::new(text.rfind("123").unwrap(), text.rfind("123").unwrap() + 3));
    assert_eq!(
        applied(&acts, "Remove the duplicate 123", text),
        "{\n  \"accounts\": [123, 999],\n  \"localDefaultAccount\": 456\n}"
    );

    let acts = actions_at(&home, &p, text, "456");
    let after = applied(&acts, "Add 456 to accounts", text);
    assert_eq!(after, "{\n  \"accounts\": [123, 999, 123, 456],\n  \"localDefaultAccount\": 456\n}");
    assert!(!fixed_codes(&home, &p, &after).contains(&"local-default-not-linked"));

    let text = "{\n  \"accounts\": [123, 456],\n  \"localDefaultAccount\": 777\n}";
    let acts = actions_at(&home, &p, text, "777");
    let sets: Vec<&str> = titles(&acts).into_iter().filter(|t| t.starts_with("Set localDefaultAccount")).collect();
    assert_eq!(sets, vec!["Set localDefaultAccount to prod (123)", "Set localDefaultAccount to sandbox (456)"]);
    assert_eq!(applied(&acts, "Set localDefaultAccount to sandbox (456)", text), text.replace("777", "456"));

    let text = "{\"accounts\": [\"123\"]}";
    let acts = actions_at(&home, &p, text, "\"123\"");
    assert_eq!(applied(&acts, "Write the id as a number", text), "{\"accounts\": [123]}");
}

#[test]
fn hsaccount_name_becomes_its_id() {
    let home = Home::new();
    home.write_global(VALID);
    let p = home.write("proj/.hsaccount", "sandbox\n");
    let acts = actions_at(&home, &p, "sandbox\n", "sandbox");
    let fix = find(&acts, "Replace \"sandbox\" with its id 456");
    assert!(fix.preferred);
    assert_eq!(applied(&acts, "Replace \"sandbox\" with its id 456", "sandbox\n"), "456\n");
    for garbage in ["", "\n", "not-an-account\n"] {
        let acts = actions(&home, &p, garbage);
        assert_eq!(applied(&acts, "Set to sandbox (456)", garbage), "456", "{garbage:?}");
        assert_eq!(applied(&acts, "Set to prod (123)", garbage), "123");
    }
    let acts = actions(&home, &p, "999\n");
    assert_eq!(applied(&acts, "Set to sandbox (456)", "999\n"), "456");
    assert_eq!(command(&acts, "Authenticate…").name, "hubspot.account.auth");
}

#[test]
fn config_permissions_is_a_command() {
    let home = Home::new();
    let p = home.write_global(VALID);
    set_mode(&p, 0o644);
    let acts = actions_at(&home, &p, VALID, "defaultAccount");
    let call = command(&acts, "Make the config readable by you only (chmod 600)");
    assert_eq!(call.name, "hubspot.config.fixPermissions");
    assert_eq!(call.args, serde_json::json!({ "path": p.display().to_string() }));
}

#[test]
fn no_actions_and_no_panics_on_broken_files() {
    let home = Home::new();
    let p = home.write_global(VALID);
    for text in [
        "",
        "accounts: [\n",
        "- a\n- b",
        "accounts:\n  - name: a b\n    accountId: '1\n",
        "\u{feff}{",
        "defaultAccount: x\n",
    ] {
        let acts = actions(&home, &p, text);
        // Nothing edits a file that does not parse.
        if !crate::syntax::yaml::parse(text).errors.is_empty() {
            assert!(acts.iter().all(|a| !matches!(a.effect, Effect::Edits(_))), "{text:?}: {:?}", titles(&acts));
        }
    }
    let s = home.path("proj/.hs/settings.json");
    for text in ["", "{", "[]", "{\"accounts\": {}}", "{\"localDefaultAccount\": []}"] {
        actions(&home, &s, text);
    }
    let h = home.path("proj/.hsaccount");
    for text in ["", " ", "\n\n", "é", "12ab"] {
        actions(&home, &h, text);
    }
}

#[test]
fn unknown_keys_and_enum_case_take_the_spelling_the_cli_reads() {
    let home = Home::new();
    let text = "defaultAcount: 123 # typo\naccounts:\n  - name: prod\n    accountId: 123\n    authType: PersonalAccessKey\n    \"personalAccesKey\": k\n    auth:\n      tokenInfo: {}\n";
    let p = home.write_global(text);
    let acts = actions_at(&home, &p, text, "defaultAcount");
    assert_eq!(
        applied(&acts, "Rename the key to defaultAccount", text),
        text.replace("defaultAcount:", "defaultAccount:")
    );
    let acts = actions_at(&home, &p, text, "\"personalAccesKey\"");
    assert_eq!(
        applied(&acts, "Rename the key to personalAccessKey", text),
        text.replace("\"personalAccesKey\"", "\"personalAccessKey\"")
    );
    let acts = actions_at(&home, &p, text, "PersonalAccessKey");
    let after = applied(&acts, "Change to personalaccesskey", text);
    assert_eq!(after, text.replace("authType: PersonalAccessKey", "authType: personalaccesskey"));
    assert!(!fixed_codes(&home, &p, &after).contains(&"enum"));

    let s = home.path("proj/.hs/settings.json");
    let text = "{\n  \"acounts\": [123]\n}";
    let acts = actions_at(&home, &s, text, "\"acounts\"");
    assert_eq!(applied(&acts, "Rename the key to accounts", text), "{\n  \"accounts\": [123]\n}");
}

#[test]
fn a_selection_over_thousands_of_findings_fixes_the_first_ones_only() {
    // A flow-style config on one line: every account's name has whitespace. Each fix is
    // checked by reading the edited text again, so one request fixes a bounded number.
    let home = Home::new();
    let accounts: Vec<String> = (0..1000)
        .map(|i| format!("{{name: 'a {i}', accountId: {}, authType: personalaccesskey, personalAccessKey: k, auth: {{tokenInfo: {{}}}}}}", 1000 + i))
        .collect();
    let text = format!("accounts: [{}]\n", accounts.join(", "));
    let path = home.write_global(&text);
    let fixes: Vec<Action> =
        actions(&home, &path, &text).into_iter().filter(|a| a.title.starts_with("Rename to")).collect();
    assert_eq!(fixes.len(), crate::hubspot::limits::MAX_FINDINGS_FIXED_PER_REQUEST);
    assert_eq!(fixes[0].title, "Rename to \"a-0\"");
}
