//! Legacy keys, one at a time and the whole file.

use super::*;

const LEGACY: &str = "# old project config\ndefaultPortal: dev # by name\ndefaultMode: draft\nhttpTimeout: 30000\nportals:\n  - name: prod\n    portalId: 123 # production\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n  - name: dev\n    portalId: 456\n    sandboxAccountType: DEVELOPER\n    authType: personalaccesskey\n    personalAccessKey: pak-456\n";

const CURRENT: &str = "# old project config\ndefaultAccount: 456 # by name\ndefaultCmsPublishMode: draft\nhttpTimeout: 30000\naccounts:\n  - name: prod\n    accountId: 123 # production\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n    accountType: STANDARD\n  - name: dev\n    accountId: 456\n    accountType: DEVELOPMENT_SANDBOX\n    authType: personalaccesskey\n    personalAccessKey: pak-456\n";

#[test]
fn whole_file_conversion_keeps_comments_and_order() {
    let home = Home::new();
    let p = home.write("proj/hubspot.config.yml", LEGACY);
    let acts = actions_at(&home, &p, LEGACY, "defaultMode");
    let whole = find(&acts, "Convert the whole file to the current format");
    // It resolves every `deprecated` finding of the file, not only the one asked about.
    assert_eq!(whole.fixes.len(), 6, "{:?}", whole.fixes);
    let after = applied(&acts, "Convert the whole file to the current format", LEGACY);
    assert_eq!(after, CURRENT);
    // From anywhere in the file too, as a rewrite doing the same.
    let anywhere = actions_at(&home, &p, LEGACY, "httpTimeout");
    let rewrite = anywhere.iter().find(|a| a.kind == ActionKind::RefactorRewrite).expect("a rewrite");
    assert_eq!(
        (rewrite.title.as_str(), &rewrite.effect, rewrite.fixes.len()),
        (whole.title.as_str(), &whole.effect, 6)
    );
    assert!(!fixed_codes(&home, &p, &after).contains(&"deprecated"));
    // The CLI reads both the same way.
    let before = crate::hubspot::model::Config::from_value(&crate::syntax::yaml::parse(LEGACY).value);
    let now = crate::hubspot::model::Config::from_value(&crate::syntax::yaml::parse(&after).value);
    assert_eq!(before.default_account, now.default_account);
    assert_eq!(before.default_cms_publish_mode, now.default_cms_publish_mode);
    let ids = |c: &crate::hubspot::model::Config| {
        c.accounts.iter().map(|a| (a.account_id, a.account_type.clone())).collect::<Vec<_>>()
    };
    assert_eq!(ids(&before), ids(&now));
}

#[test]
fn one_key_at_a_time() {
    let home = Home::new();
    let p = home.write("proj/hubspot.config.yml", LEGACY);
    let one = |marker: &str, title: &str| applied(&actions_at(&home, &p, LEGACY, marker), title, LEGACY);
    let preferred = |marker: &str, title: &str| find(&actions_at(&home, &p, LEGACY, marker), title).preferred;
    // A one-key rename is the obvious fix; `portals` (every entry rewritten) and the whole
    // file stay choices.
    for (marker, title) in [
        ("defaultPortal", "Replace defaultPortal with defaultAccount: 456"),
        ("defaultMode", "Rename defaultMode to defaultCmsPublishMode"),
        ("sandboxAccountType", "Replace sandboxAccountType with accountType: DEVELOPMENT_SANDBOX"),
    ] {
        assert!(preferred(marker, title), "{title} is preferred");
    }
    assert!(!preferred("portals", "Rename portals to accounts"));
    // Under `portals` the entry is checked for its `portalId`: renaming it alone is no fix.
    assert!(!preferred("portalId: 456", "Rename portalId to accountId"));
    assert!(!preferred("defaultMode", "Convert the whole file to the current format"));

    let after = one("portals", "Rename portals to accounts");
    assert_eq!(
        after,
        LEGACY
            .replace("portals:", "accounts:")
            .replace("portalId", "accountId")
            .replace("personalAccessKey: pak-123\n", "personalAccessKey: pak-123\n    accountType: STANDARD\n")
            .replace("sandboxAccountType: DEVELOPER", "accountType: DEVELOPMENT_SANDBOX")
    );
    assert_eq!(
        one("defaultPortal", "Replace defaultPortal with defaultAccount: 456"),
        LEGACY.replace("defaultPortal: dev", "defaultAccount: 456")
    );
    assert_eq!(
        one("defaultMode", "Rename defaultMode to defaultCmsPublishMode"),
        LEGACY.replace("defaultMode:", "defaultCmsPublishMode:")
    );
    assert_eq!(one("portalId: 456", "Rename portalId to accountId"), LEGACY.replace("portalId: 456", "accountId: 456"));
    assert_eq!(
        one("sandboxAccountType", "Replace sandboxAccountType with accountType: DEVELOPMENT_SANDBOX"),
        LEGACY.replace("sandboxAccountType: DEVELOPER", "accountType: DEVELOPMENT_SANDBOX")
    );
}

#[test]
fn existing_current_keys_win_and_the_title_says_so() {
    let home = Home::new();
    let text = "defaultMode: draft\ndefaultCmsPublishMode: publish\naccounts:\n  - name: prod\n    accountId: 123\n    portalId: 123\n    accountType: STANDARD\n    sandboxAccountType: STANDARD\n    defaultMode: draft\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo: {}\n";
    let p = home.write_global(text);
    let one = |marker: &str, title: &str| applied(&actions_at(&home, &p, text, marker), title, text);
    assert_eq!(
        one("defaultMode", "Remove defaultMode (defaultCmsPublishMode is already set)"),
        text.replacen("defaultMode: draft\n", "", 1)
    );
    assert_eq!(one("portalId", "Remove portalId (accountId is set)"), text.replace("    portalId: 123\n", ""));
    assert!(find(&actions_at(&home, &p, text, "portalId"), "Remove portalId (accountId is set)").preferred);
    assert_eq!(
        one("sandboxAccountType", "Remove sandboxAccountType (accountType is set)"),
        text.replace("    sandboxAccountType: STANDARD\n", "")
    );
    assert_eq!(
        one("    defaultMode", "Rename defaultMode to defaultCmsPublishMode"),
        text.replace("    defaultMode: draft", "    defaultCmsPublishMode: draft")
    );
    let all = applied(&actions_at(&home, &p, text, "portalId"), "Convert the whole file to the current format", text);
    assert_eq!(
        all,
        "defaultCmsPublishMode: publish\naccounts:\n  - name: prod\n    accountId: 123\n    accountType: STANDARD\n    defaultCmsPublishMode: draft\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo: {}\n"
    );
}

#[test]
fn portals_beside_accounts_is_not_renamed() {
    let home = Home::new();
    let text = "portals:\n  - name: a\n    portalId: 1\n    authType: personalaccesskey\n    personalAccessKey: k\naccounts: []\n";
    let p = home.write("proj/hubspot.config.yml", text);
    let acts = actions_at(&home, &p, text, "portals");
    assert!(!titles(&acts).contains(&"Rename portals to accounts"));
}
