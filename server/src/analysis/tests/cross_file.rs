use super::*;

#[test]
fn legacy_config_in_force_or_ignored() {
    let home = Home::new();
    let legacy = home.write("proj/hubspot.config.yml", VALID);
    let ds = home.check(&legacy);
    assert_eq!(found(&ds, Code::LegacyConfig, VALID), vec![(Severity::Warning, "defaultAccount: 123")]);
    home.write_global(VALID);
    let ds = home.check(&legacy);
    assert_eq!(found(&ds, Code::LegacyConfigIgnored, VALID).len(), 1);
    assert!(found(&ds, Code::LegacyConfig, VALID).is_empty());
}

#[test]
fn settings_against_the_global_config() {
    let home = Home::new();
    home.write_global(VALID);
    let text = "{\n  \"accounts\": [123, 999, 123],\n  \"localDefaultAccount\": 456\n}";
    let p = home.write("proj/.hs/settings.json", text);
    let ds = home.check(&p);
    // The CLI leaves an unknown linked id out: likely a mistake, no failure.
    assert_eq!(found(&ds, Code::LinkedAccountUnknown, text), vec![(Severity::Warning, "999")]);
    assert_eq!(found(&ds, Code::DuplicateLinkedAccount, text), vec![(Severity::Warning, "123")]);
    assert_eq!(found(&ds, Code::LocalDefaultNotLinked, text), vec![(Severity::Warning, "456")]);
    let text = "{\"accounts\": [123], \"localDefaultAccount\": 999}";
    let ds = home.check_text(&p, text);
    assert_eq!(found(&ds, Code::LocalDefaultUnknown, text), vec![(Severity::Error, "999")]);
    assert!(found(&ds, Code::LocalDefaultNotLinked, text).is_empty());
    // A name is resolved, as the CLI does.
    let text = "{\"accounts\": [456], \"localDefaultAccount\": \"sandbox\"}";
    assert!(home.check_text(&p, text).is_empty(), "{:?}", home.check_text(&p, text));
    // Whole numbers written as decimals are those numbers to JSON.parse.
    let text = "{\"accounts\": [456.0, 1.23e2], \"localDefaultAccount\": 4.56e2}";
    assert!(home.check_text(&p, text).is_empty(), "{:?}", home.check_text(&p, text));
}

#[test]
fn settings_syntax_schema_and_missing_accounts() {
    let home = Home::new();
    home.write_global(VALID);
    let p = home.path("proj/.hs/settings.json");
    let text = "{\n  // linked\n  \"accounts\": [\"123\"],\n  \"extra\": 1,\n}";
    let ds = home.check_text(&p, text);
    assert_eq!(found(&ds, Code::Syntax, text).len(), 1);
    assert_eq!(found(&ds, Code::Type, text), vec![(Severity::Warning, "\"123\"")]);
    // An empty file: `JSON.parse` fails, and so does every command below it.
    let empty = home.check_text(&p, " \n");
    assert_eq!(empty.iter().map(|d| (d.code, d.severity)).collect::<Vec<_>>(), vec![(Code::Syntax, Severity::Error)]);
    assert_eq!(found(&ds, Code::UnknownKey, text), vec![(Severity::Warning, "\"extra\"")]);
    let text = "{\"localDefaultAccount\": 123}";
    assert_eq!(
        found(&home.check_text(&p, text), Code::Required, text),
        vec![(Severity::Error, "\"localDefaultAccount\"")]
    );
}

#[test]
fn legacy_config_blocks_link() {
    let home = Home::new();
    home.write_global(VALID);
    home.write("proj/hubspot.config.yml", VALID);
    let text = "{\"accounts\": [123]}";
    let p = home.write("proj/sub/.hs/settings.json", text);
    assert_eq!(found(&home.check(&p), Code::LegacyConfigBlocksLink, text).len(), 1);
}

#[test]
fn hsaccount_checks() {
    let home = Home::new();
    home.write_global(VALID);
    let p = home.path("proj/.hsaccount");
    let ds = home.check_text(&p, "456");
    assert_eq!(codes(&ds), vec!["hsaccount-deprecated"]);
    assert_eq!(ds[0].severity, Severity::Information);
    let ds = home.check_text(&p, "sandbox\n");
    assert_eq!(found(&ds, Code::HsaccountInvalid, "sandbox\n"), vec![(Severity::Error, "sandbox")]);
    assert!(ds.iter().any(|d| d.message.contains("write `456`")));
    assert_eq!(found(&ds, Code::HsaccountDeprecated, "sandbox\n"), vec![(Severity::Hint, "sandbox")]);
    assert_eq!(found(&home.check_text(&p, ""), Code::HsaccountInvalid, "").len(), 1);
    assert_eq!(
        found(&home.check_text(&p, " 999"), Code::HsaccountUnknownAccount, " 999"),
        vec![(Severity::Error, "999")]
    );
    // `parseInt` accepts trailing garbage, and so do we.
    assert!(found(&home.check_text(&p, "456abc"), Code::HsaccountInvalid, "").is_empty());
    home.write("proj/.hs/settings.json", "{\"accounts\": [123], \"localDefaultAccount\": 123}");
    assert_eq!(found(&home.check_text(&p, "456"), Code::HsaccountShadowed, "456").len(), 1);
}

#[test]
fn hsaccount_ignored_without_a_global_config() {
    let home = Home::new();
    home.write("proj/hubspot.config.yml", VALID);
    let p = home.path("proj/.hsaccount");
    let ds = home.check_text(&p, "123");
    assert_eq!(found(&ds, Code::HsaccountIgnored, "123"), vec![(Severity::Warning, "123")]);
    assert!(found(&ds, Code::HsaccountUnknownAccount, "123").is_empty());
    // Content the CLI would refuse, in a file it does not read here: a warning, not an error.
    let ds = home.check_text(&p, "sandbox");
    assert_eq!(found(&ds, Code::HsaccountInvalid, "sandbox"), vec![(Severity::Warning, "sandbox")]);
    assert!(ds.iter().all(|d| d.severity != Severity::Error), "{ds:?}");
}

#[test]
fn custom_config_path_is_a_global_config() {
    let mut home = Home::new();
    let custom = home.write("etc/custom.yml", VALID);
    home.env.config_path = Some(custom.clone());
    set_mode(&custom, 0o600);
    assert!(home.check(&custom).is_empty());
    // `.hsaccount` only counts with the global path.
    let p = home.path("proj/.hsaccount");
    assert_eq!(found(&home.check_text(&p, "123"), Code::HsaccountIgnored, "123").len(), 1);
}

#[test]
fn a_key_pasted_where_an_account_belongs_is_never_quoted_whole() {
    const KEY: &str = "pat-na1-11111111-2222-3333-4444-55555555a1b2";
    let home = Home::new();
    home.write_global(VALID);
    let hsaccount = home.path("proj/.hsaccount");
    let text = format!("{KEY}\n");
    let ds = home.check_text(&hsaccount, &text);
    let invalid: Vec<_> = ds.iter().filter(|d| d.code == Code::HsaccountInvalid).collect();
    assert_eq!(invalid.len(), 1, "{ds:?}");
    assert!(invalid[0].message.contains("not `pat-na1-…a1b2`"), "{}", invalid[0].message);
    let settings = home.path("proj/.hs/settings.json");
    let text = format!("{{\"accounts\": [123], \"localDefaultAccount\": \"{KEY}\"}}");
    let ds = home.check_text(&settings, &text);
    let unknown: Vec<_> = ds.iter().filter(|d| d.code == Code::LocalDefaultUnknown).collect();
    assert_eq!(unknown.len(), 1, "{ds:?}");
    assert!(unknown[0].message.contains("\"pat-na1-…a1b2\" names no account"), "{}", unknown[0].message);
    for d in home.check_text(&hsaccount, &format!("{KEY}\n")).iter().chain(&ds) {
        assert!(!d.message.contains(KEY), "{}", d.message);
    }
    // A short unknown name is still quoted as typed.
    let ds = home.check_text(&hsaccount, "prdo\n");
    assert!(ds.iter().any(|d| d.message.contains("not `prdo`")), "{ds:?}");
}

#[test]
fn both_env_config_variables_set_is_a_conflict_on_every_file() {
    let mut home = Home::new();
    let global = home.write_global(VALID);
    let home_dir = home.path("home");
    let vars = |k: &str| match k {
        "USE_ENVIRONMENT_HUBSPOT_CONFIG" => Some("true".into()),
        "HUBSPOT_CONFIG_PATH" => Some(global.clone().into_os_string()),
        "HOME" => Some(home_dir.clone().into_os_string()),
        _ => None,
    };
    let root = home.dir.path().to_path_buf();
    home.env = Env::from_vars(vars, &root, None);
    let settings = home.write("proj/.hs/settings.json", "{\"accounts\": [123]}");
    let hsaccount = home.write("proj/sub/.hsaccount", "123");
    let legacy = home.write("proj/hubspot.config.yml", VALID);
    for p in [&global, &settings, &hsaccount, &legacy] {
        let ds = home.check(p);
        let text = std::fs::read_to_string(p).unwrap();
        let first = text.lines().next().unwrap();
        assert_eq!(found(&ds, Code::ConfigConflict, &text), vec![(Severity::Error, first)], "{p:?}: {ds:?}");
        // The one reason, not repeated as "ignored" by the checks of each kind.
        assert!(
            found(&ds, Code::HsaccountIgnored, &text).is_empty()
                && found(&ds, Code::LegacyConfigIgnored, &text).is_empty(),
            "{ds:?}"
        );
    }
    // One of the two alone is no conflict.
    home.env = Env::from_vars(|k| if k == "USE_ENVIRONMENT_HUBSPOT_CONFIG" { None } else { vars(k) }, &root, None);
    assert!(found(&home.check(&global), Code::ConfigConflict, VALID).is_empty());
}

/// The CLI takes any entry at the global path as its config (`fs.existsSync`) and then fails
/// reading a directory there: every file that depends on it says so, instead of "no config".
#[test]
fn a_global_config_that_is_a_directory_is_in_force_and_unreadable() {
    let home = Home::new();
    std::fs::create_dir_all(home.global()).unwrap();
    let text = "{\"accounts\": [123]}";
    let p = home.write("proj/.hs/settings.json", text);
    let ds = home.check(&p);
    let unknown: Vec<_> = ds.iter().filter(|d| d.code == Code::LinkedAccountUnknown).collect();
    assert_eq!(unknown.len(), 1, "{ds:?}");
    assert!(unknown[0].message.contains("exists but cannot be read"), "{}", unknown[0].message);
    let legacy = home.write("proj/hubspot.config.yml", VALID);
    let ds = home.check(&legacy);
    let ignored: Vec<_> = ds.iter().filter(|d| d.code == Code::LegacyConfigIgnored).collect();
    assert_eq!(ignored.len(), 1, "{ds:?}");
    assert!(ignored[0].message.contains("cannot be read"), "{}", ignored[0].message);
}
