use super::*;

fn check(text: &str) -> (Vec<Diagnostic>, String) {
    let home = Home::new();
    let p = home.write_global(text);
    (home.check(&p), text.to_string())
}

#[test]
fn a_valid_config_is_clean() {
    let (ds, _) = check(VALID);
    assert!(ds.is_empty(), "{ds:?}");
}

#[test]
fn syntax_error_is_placed_and_other_checks_still_run() {
    let text = "httpTimeout: 1000\naccounts: [\n";
    let (ds, t) = check(text);
    assert_eq!(found(&ds, Code::Syntax, &t).len(), 1);
    assert_eq!(found(&ds, Code::HttpTimeoutLow, &t), vec![(Severity::Warning, "1000")]);
    // Nothing "missing" is reported from a cut-short tree.
    assert!(found(&ds, Code::NoAccounts, &t).is_empty(), "{ds:?}");
}

#[test]
fn unknown_keys_warn_on_the_key_and_suggest() {
    let text = VALID.replace("    env: prod\n", "    nmae: prod\n");
    let (ds, t) = check(&text);
    let d = ds.iter().find(|d| d.code == Code::UnknownKey).unwrap();
    assert_eq!((d.severity, d.range.slice(&t)), (Severity::Warning, "nmae"));
    assert!(d.message.contains("`name`"), "{}", d.message);
}

#[test]
fn wrong_types_are_warnings_unless_the_cli_crashes_on_them() {
    let text = VALID
        .replace("accountId: 123", "accountId: \"123\"")
        .replace("defaultAccount: 123\n", "httpTimeout: fast\n")
        .replace("name: sandbox", "name: 789");
    let (ds, t) = check(&text);
    assert_eq!(
        found(&ds, Code::Type, &t),
        vec![(Severity::Warning, "fast"), (Severity::Warning, "\"123\""), (Severity::Error, "789")]
    );
    assert!(ds.iter().any(|d| d.message.contains("likely mistake")), "{ds:?}");
    let (ds, t) = check("accounts: {}\n");
    assert_eq!(found(&ds, Code::Type, &t), vec![(Severity::Error, "{}")]);
    // js-yaml makes a Date of an unquoted date, and validateConfig crashes on it.
    let (ds, t) = check(&VALID.replace("name: sandbox", "name: 2024-01-01"));
    assert_eq!(found(&ds, Code::Type, &t), vec![(Severity::Error, "2024-01-01")]);
}

#[test]
fn enums_are_warnings_the_cli_reads_them_all() {
    let text = VALID
        .replace(
            "authType: personalaccesskey\n    accountType: STANDARD",
            "authType: PersonalAccessKey\n    accountType: FOO",
        )
        .replace("env: prod", "env: staging");
    let (ds, t) = check(&text);
    assert_eq!(
        found(&ds, Code::Enum, &t),
        vec![(Severity::Warning, "staging"), (Severity::Warning, "PersonalAccessKey"), (Severity::Warning, "FOO")]
    );
}

#[test]
fn required_fields_land_on_the_first_key_of_the_entry() {
    let text = "accounts:\n  - name: a\n    authType: apikey\n    apiKey: k\n  - name: b\n    accountId: 2\n  - name: c\n    accountId: 3\n    authType: personalaccesskey\n    auth: {tokenInfo: {}}\n";
    let (ds, t) = check(text);
    let req: Vec<_> =
        ds.iter().filter(|d| d.code == Code::Required).map(|d| (d.range.slice(&t), d.message.clone())).collect();
    assert_eq!(req.len(), 3, "{req:?}");
    assert!(req.iter().all(|(at, _)| *at == "name"));
    assert!(req.iter().any(|(_, m)| m.contains("accountId")));
    assert!(req.iter().any(|(_, m)| m.contains("authType")));
    assert!(req.iter().any(|(_, m)| m.contains("personalAccessKey")));
}

#[test]
fn no_accounts() {
    for (text, at) in [
        ("accounts: []\n", "accounts"),
        ("defaultAccount: 1\n", "defaultAccount"),
        ("", ""),
        ("accounts:\n", "accounts"),
    ] {
        let (ds, t) = check(text);
        assert_eq!(found(&ds, Code::NoAccounts, &t), vec![(Severity::Error, at)], "{text:?}: {ds:?}");
    }
}

#[test]
fn duplicates_ids_and_names_ignoring_case() {
    let text = "accounts:\n  - {name: MyAcct, accountId: 1, authType: apikey, apiKey: k}\n  - {name: myacct, accountId: 1, authType: apikey, apiKey: k}\n  - {name: other, accountId: '1', authType: apikey, apiKey: k}\n";
    let (ds, t) = check(text);
    assert_eq!(found(&ds, Code::DuplicateAccountId, &t), vec![(Severity::Error, "1"), (Severity::Error, "'1'")]);
    // `MyAcct` then `myacct`: the CLI's check does not notice; `foo` then `Foo` it does.
    assert_eq!(found(&ds, Code::DuplicateAccountName, &t), vec![(Severity::Warning, "myacct")]);
    let (ds, t) = check("accounts:\n  - {name: foo, accountId: 1, authType: apikey, apiKey: k}\n  - {name: Foo, accountId: 2, authType: apikey, apiKey: k}\n");
    assert_eq!(found(&ds, Code::DuplicateAccountName, &t), vec![(Severity::Error, "Foo")]);
}

#[test]
fn whitespace_in_names() {
    let (ds, t) = check(&VALID.replace("name: prod", "name: my prod"));
    assert_eq!(found(&ds, Code::NameWhitespace, &t), vec![(Severity::Error, "my prod")]);
    assert!(ds.iter().any(|d| d.message.contains("my-prod")));
    // The message names what the fix writes (leading and trailing runs become `-` too).
    let (ds, _) = check(&VALID.replace("name: prod", "name: \" - a\""));
    assert!(ds.iter().any(|d| d.message.ends_with("Use `---a`.")), "{ds:?}");
    // JavaScript's `\s`: a no-break space and U+FEFF count, NEL (U+0085) does not.
    for (name, counts) in [("a\\u00a0b", true), ("a\\ufeffb", true), ("a\\u0085b", false)] {
        let (ds, _) = check(&VALID.replace("name: prod", &format!("name: \"{name}\"")));
        assert_eq!(ds.iter().any(|d| d.code == Code::NameWhitespace), counts, "{name}: {ds:?}");
    }
}

#[test]
fn default_account_must_resolve_by_id_or_name() {
    let (ds, t) = check(&VALID.replace("defaultAccount: 123", "defaultAccount: 999"));
    assert_eq!(found(&ds, Code::DefaultAccountUnknown, &t), vec![(Severity::Error, "999")]);
    let (ds, _) = check(&VALID.replace("defaultAccount: 123", "defaultAccount: sandbox"));
    assert!(found(&ds, Code::DefaultAccountUnknown, "").is_empty());
    // The CLI drops a `defaultPortal` that names nothing: a warning, and `defaultAccount` is used.
    let (ds, t) = check("defaultPortal: nobody\nportals:\n  - {name: a, portalId: 1, authType: apikey, apiKey: k}\n");
    assert_eq!(found(&ds, Code::DefaultAccountUnknown, &t), vec![(Severity::Warning, "nobody")]);
    let (ds, t) = check(&VALID.replace("defaultAccount: 123", "defaultPortal: nobody\ndefaultAccount: 123"));
    assert_eq!(found(&ds, Code::DefaultAccountUnknown, &t), vec![(Severity::Warning, "nobody")]);
    assert!(ds.iter().all(|d| d.severity != Severity::Error), "{ds:?}");
}

#[test]
fn a_default_portal_that_overrides_default_account_says_which_account_is_used() {
    let (ds, _) = check(&VALID.replace("defaultAccount: 123", "defaultPortal: sandbox\ndefaultAccount: 123"));
    let [d] = &ds.iter().filter(|d| d.code == Code::Deprecated).collect::<Vec<_>>()[..] else { panic!("{ds:?}") };
    assert!(
        d.message.ends_with("It wins on read: the default account is sandbox (456), not `defaultAccount`'s prod (123). Remove one of them."),
        "{}",
        d.message
    );
    // Both naming the same account: nothing is overridden.
    let (ds, _) = check(&VALID.replace("defaultAccount: 123", "defaultPortal: prod\ndefaultAccount: 123"));
    assert!(ds.iter().filter(|d| d.code == Code::Deprecated).all(|d| !d.message.contains("wins on read")), "{ds:?}");
}

#[test]
fn http_timeout_below_the_minimum() {
    let (ds, t) = check(&format!("httpTimeout: 2999\n{VALID}"));
    assert_eq!(found(&ds, Code::HttpTimeoutLow, &t), vec![(Severity::Warning, "2999")]);
    let (ds, _) = check(&format!("httpTimeout: 3000\n{VALID}"));
    assert!(found(&ds, Code::HttpTimeoutLow, "").is_empty());
}

#[test]
fn deprecated_keys_and_values_carry_the_tag() {
    let text = "defaultPortal: a\ndefaultMode: draft\nportals:\n  - name: a\n    portalId: 1\n    authType: apikey\n    apiKey: k\n    sandboxAccountType: DEVELOPER\n";
    let (ds, t) = check(text);
    let dep = found(&ds, Code::Deprecated, &t);
    assert_eq!(
        dep.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        vec!["defaultPortal", "defaultMode", "portals", "portalId", "apikey", "sandboxAccountType"]
    );
    assert!(ds.iter().filter(|d| d.code == Code::Deprecated).all(|d| d.tags == vec![super::super::Tag::Deprecated]));
}

#[test]
fn token_info_missing_and_expires_at_invalid() {
    let text = "accounts:\n  - name: a\n    accountId: 1\n    authType: personalaccesskey\n    personalAccessKey: p\n  - name: b\n    accountId: 2\n    authType: personalaccesskey\n    personalAccessKey: p\n    auth:\n      tokenInfo:\n        accessToken: t\n        expiresAt: garbage\n  - name: c\n    accountId: 3\n    authType: oauth2\n    auth:\n      tokenInfo:\n        expiresAt: Tue Jan 07 2025 10:00:00 GMT+0000\n";
    let (ds, t) = check(text);
    assert_eq!(found(&ds, Code::TokenInfoMissing, &t), vec![(Severity::Warning, "name")]);
    assert_eq!(found(&ds, Code::ExpiresAtInvalid, &t), vec![(Severity::Warning, "garbage")]);
}

#[test]
fn parent_account_must_exist() {
    let (ds, t) = check(&VALID.replace("parentAccountId: 123", "parentAccountId: 777"));
    assert_eq!(found(&ds, Code::ParentAccountUnknown, &t), vec![(Severity::Warning, "777")]);
}

#[test]
fn permissions_of_the_global_config() {
    let home = Home::new();
    let p = home.write_global(VALID);
    assert!(found(&home.check(&p), Code::ConfigPermissions, VALID).is_empty());
    set_mode(&p, 0o644);
    let ds = home.check(&p);
    assert_eq!(found(&ds, Code::ConfigPermissions, VALID), vec![(Severity::Warning, "defaultAccount: 123")]);
}

#[test]
fn credentials_in_a_git_work_tree() {
    let home = Home::new();
    std::fs::create_dir_all(home.path("repo/.git")).unwrap();
    let p = home.write("repo/hubspot.config.yml", VALID);
    assert_eq!(found(&home.check(&p), Code::ConfigInGit, VALID).len(), 1);
    home.write("repo/.gitignore", "hubspot.config.yml\n");
    assert!(found(&home.check(&p), Code::ConfigInGit, VALID).is_empty());
}

#[test]
fn portals_and_accounts_together() {
    let (ds, t) = check("accounts:\n  - {name: n, accountId: 1, authType: apikey, apiKey: k}\nportals:\n  - {name: o, portalId: 2, authType: apikey, apiKey: k}\n");
    assert_eq!(found(&ds, Code::PortalsReplaceAccounts, &t), vec![(Severity::Warning, "accounts")]);
    // `portals:` with no value is no list: `accounts` is used, nothing to report.
    let (ds, _) = check("portals:\naccounts:\n  - {name: n, accountId: 1, authType: apikey, apiKey: k}\n");
    assert!(ds.iter().all(|d| d.severity != Severity::Error), "{ds:?}");
}

#[test]
fn what_the_cli_refuses_is_found_in_an_account_too() {
    // `hs config migrate` (and most commands) stop on these; an account's missing `authType`
    // is one of them, found by the schema.
    let file = |text: &str| SourceFile::parse(PathBuf::from("/h/.hscli/config.yml"), DocKind::GlobalConfig, text);
    assert!(diagnostics::cli_refusal(&file(VALID)).is_none());
    let text = VALID.replace(
        "    authType: personalaccesskey\n    personalAccessKey: pak-456\n",
        "    personalAccessKey: pak-456\n",
    );
    let refusal = diagnostics::cli_refusal(&file(&text)).expect("a refusal");
    assert_eq!(refusal.code, Code::Required);
    assert!(refusal.message.contains("authType"), "{}", refusal.message);
    // Whitespace in a name: the CLI's own check.
    let text = VALID.replace("name: sandbox", "name: my sandbox");
    assert_eq!(diagnostics::cli_refusal(&file(&text)).map(|d| d.code), Some(Code::NameWhitespace));
}

#[test]
fn what_validate_config_counts_as_missing() {
    // Falsy is missing to the CLI: an id of 0, an empty key.
    let (ds, t) = check("accounts:\n  - {name: a, accountId: 0, authType: apikey, apiKey: k}\n");
    assert_eq!(found(&ds, Code::Required, &t), vec![(Severity::Error, "0")]);
    let (ds, t) = check("accounts:\n  - {name: a, accountId: 1, authType: personalaccesskey, personalAccessKey: ''}\n");
    assert_eq!(found(&ds, Code::Required, &t), vec![(Severity::Error, "''")]);
    // A `portals` entry with `accountId` (no `portalId`) keeps it: valid.
    let (ds, _) = check("portals:\n  - {name: a, accountId: 5, authType: apikey, apiKey: k}\n");
    assert!(found(&ds, Code::Required, "").is_empty(), "{ds:?}");
    // Merge keys are applied before anything is judged.
    let (ds, _) = check("b: &b {authType: apikey, apiKey: k}\naccounts:\n  - <<: *b\n    name: a\n    accountId: 1\n");
    assert!(ds.iter().all(|d| d.severity != Severity::Error), "{ds:?}");
}

#[test]
fn an_id_too_large_for_javascript_is_reported_not_clamped() {
    let (ds, t) = check("accounts:\n  - {name: a, accountId: 99999999999999999999, authType: apikey, apiKey: k}\n");
    assert_eq!(found(&ds, Code::Type, &t), vec![(Severity::Warning, "99999999999999999999")]);
    let config = crate::hubspot::model::Config::from_value(&crate::syntax::yaml::parse(&t).value);
    assert_eq!(config.accounts[0].account_id, None);
}
