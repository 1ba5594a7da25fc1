use serde_json::json;

use super::*;
use crate::hubspot::edit::apply;
use crate::syntax::yaml::parse;

use crate::hubspot::test_support::fixture;

fn paths() -> (PathBuf, PathBuf) {
    (PathBuf::from("/p/hubspot.config.yml"), PathBuf::from("/home/u/.hscli/config.yml"))
}

/// Run a migration and return the new global text.
fn migrated(legacy: &str) -> (String, MigrateOutcome) {
    let (l, g) = paths();
    let plan = migrate(&l, legacy, &g, None).unwrap();
    let FileOp::Write { text, mode, path } = &plan.ops[0] else { panic!("{:?}", plan.ops) };
    assert_eq!((path, *mode), (&g, Some(0o600)));
    assert_eq!(plan.ops[1], FileOp::Rename { from: l, to: PathBuf::from("/p/archived.hubspot.config.yml") });
    (text.clone(), plan.outcome)
}

fn merged(global: &str, legacy: &str) -> (String, MigrateOutcome) {
    let (l, g) = paths();
    let plan = migrate(&l, legacy, &g, Some(global)).unwrap();
    let text = match &plan.ops[0] {
        FileOp::Edit { path, edits } => {
            assert_eq!(path, &g);
            apply(global, edits)
        }
        _ => global.to_string(),
    };
    assert!(matches!(plan.ops.last(), Some(FileOp::Rename { .. })));
    assert!(parse(&text).errors.is_empty(), "{text}");
    (text, plan.outcome)
}

#[test]
fn fixture_03_becomes_the_data_of_fixture_04_with_its_comments() {
    let (text, outcome) = migrated(&fixture("03-legacy-hubspot.config.yml"));
    assert_eq!(parse(&text).value, parse(&fixture("04-legacy-after-migrate.yml")).value, "\n{text}");
    assert!(!outcome.merged && outcome.conflicts.is_empty());
    let want = "\
# NOTE: the personalaccesskey account here has no auth.tokenInfo, exactly as in the input; the
# CLI would hit a TypeError the first time it needs a token for it (it reads auth.tokenInfo unguarded).
# Legacy (deprecated) project-level file. Found by walking up from the cwd ONLY when
# ~/.hscli/config.yml does not exist.
defaultAccount: 1002          # account NAME, not id
defaultCmsPublishMode: draft               # very old alias of defaultCmsPublishMode
httpTimeout: 30000
accounts:
  - name: legacy-a
    accountId: 1001
    authType: personalaccesskey
    personalAccessKey: pak-a
    accountType: DEVELOPMENT_SANDBOX   # -> accountType DEVELOPMENT_SANDBOX
  - name: legacy-b
    accountId: 1002
    authType: apikey
    apiKey: key-b
    accountType: STANDARD        # -> accountType STANDARD
  - name: legacy-c
    accountId: 1003
    accountType: STANDARD_SANDBOX   # already set: sandboxAccountType is left untouched
    authType: apikey
    apiKey: key-c
    sandboxAccountType: STANDARD
";
    assert_eq!(text, want);
}

#[test]
fn portals_replace_accounts_as_in_fixture_21() {
    let src = fixture("21-portals-and-accounts-both.yml");
    let (text, _) = migrated(&src);
    let want = normalize_parsed_config(&parse(&src).value).unwrap();
    assert_eq!(parse(&text).value, want);
    assert_eq!(
        want["accounts"],
        json!([{"name": "acct-old", "authType": "personalaccesskey", "personalAccessKey": "p2", "auth": {"tokenInfo": {}}, "accountId": 2, "accountType": "STANDARD"}])
    );
    assert!(text.contains("# Both `portals` and `accounts` present"));
}

#[test]
fn migration_edge_cases() {
    // No accounts at all: `accounts: []` is added.
    let (text, _) = migrated("# nothing yet\nhttpTimeout: 5000\n");
    assert_eq!(text, "# nothing yet\nhttpTimeout: 5000\naccounts: []\n");
    // An empty file.
    assert_eq!(migrated("").0, "accounts: []\n");
    // defaultPortal naming no account vanishes; a defaultMode overwrites defaultCmsPublishMode.
    let (text, _) = migrated("defaultPortal: nobody\ndefaultMode: draft\ndefaultCmsPublishMode: publish\nportals:\n  - name: a\n    portalId: 1\n");
    assert_eq!(
        text,
        "defaultCmsPublishMode: draft\naccounts:\n  - name: a\n    accountId: 1\n    accountType: STANDARD\n"
    );
    // defaultPortal by id, and a new-shape file at the legacy path.
    let (text, _) = migrated("defaultPortal: 7\naccounts:\n  - name: a\n    accountId: 7\n");
    assert_eq!(text, "defaultAccount: 7\naccounts:\n  - name: a\n    accountId: 7\n");
}

#[test]
fn broken_legacy_is_an_error_that_says_what_to_do() {
    let (l, g) = paths();
    let err = migrate(&l, "portals: [\n", &g, None).unwrap_err();
    assert!(matches!(err, MigrateError::Legacy { .. }));
    assert!(err.to_string().contains("fix that file first"), "{err}");
    assert!(matches!(migrate(&l, "portals: x\n", &g, Some("accounts: []\n")), Err(MigrateError::Legacy { .. })));
    assert!(matches!(migrate(&l, "a: 1\n", &g, Some("a: [\n")), Err(MigrateError::Global { .. })));
}

#[test]
fn merge_of_fixtures_17_and_18_keeps_global_values_and_renames_the_clash() {
    let (text, outcome) = merged(&fixture("17-merge-before-global.yml"), &fixture("18-merge-before-legacy.yml"));
    let want = "\
# Global config before `hs config migrate --force` (see 18 / 19).
defaultAccount: 111
httpTimeout: 20000
allowUsageTracking: false
defaultCmsPublishMode: draft
env: qa
accounts:
  - name: shared-name
    accountId: 111
    authType: apikey
    apiKey: k1
  - name: g2
    accountId: 222
    authType: apikey
    apiKey: k2
  - name: shared-name_333
    accountId: 333
    authType: apikey
    apiKey: k3
    accountType: STANDARD
  - name: unique
    accountId: 444
    authType: personalaccesskey
    personalAccessKey: pak4
    accountType: STANDARD_SANDBOX
";
    assert_eq!(text, want);
    assert_eq!(
        outcome.conflicts,
        vec![
            Conflict { property: "httpTimeout".into(), kept: json!(20000), ignored: json!(40000) },
            Conflict { property: "allowUsageTracking".into(), kept: json!(false), ignored: json!(true) },
            Conflict { property: "defaultAccount".into(), kept: json!(111), ignored: json!(333) },
        ]
    );
    assert_eq!(outcome.skipped, vec![json!(222)]);
    assert_eq!(outcome.renamed, vec![Renamed { from: "shared-name".into(), to: "shared-name_333".into() }]);
    let result = serde_json::to_value(&outcome).unwrap();
    assert_eq!(result["configPath"], json!("/home/u/.hscli/config.yml"));
    assert_eq!(result["archivedPath"], json!("/p/archived.hubspot.config.yml"));
    assert_eq!(result["renamed"][0], json!({"from": "shared-name", "to": "shared-name_333"}));
}

#[test]
fn merge_of_fixtures_22_and_23_appends_to_a_list_of_flow_mappings() {
    let global = fixture("22-merge-interactive-global-before.yml");
    let (text, outcome) = merged(&global, &fixture("23-merge-interactive-legacy.yml"));
    let appended = "  - name: legacy-one_333
    accountId: 333
    authType: personalaccesskey
    personalAccessKey: pak-333
    auth:
      tokenInfo: {}
    accountType: DEVELOPMENT_SANDBOX
";
    let filled = global.replace(
        "httpTimeout: 30000\n",
        "httpTimeout: 30000\ndefaultCmsPublishMode: draft\nallowUsageTracking: false\n",
    );
    assert_eq!(text, format!("{filled}{appended}"));
    let props: Vec<&str> = outcome.conflicts.iter().map(|c| c.property.as_str()).collect();
    assert_eq!(props, ["httpTimeout", "defaultAccount"]);
    assert_eq!(outcome.skipped, vec![json!(444)]);
    // Fixture 24 is the CLI's result with "yes" to the httpTimeout prompt and the clash kept:
    // ours differs from it in exactly those two places.
    let mut want = parse(&fixture("24-merge-interactive-after.yml")).value;
    want["httpTimeout"] = json!(30000);
    want["accounts"][2]["name"] = json!("legacy-one_333");
    assert_eq!(parse(&text).value, want);
}

#[test]
fn merge_flags_and_fills() {
    let global = "flags:\n  - A\naccounts: []\nhttpTimeout: 0\n";
    let legacy = "flags: [A, B]\nallowAutoUpdates: true\nportals:\n  - name: X\n    portalId: 5\n  - name: x\n    portalId: 6\n  - name: y\n    portalId: 5\n";
    let (text, outcome) = merged(global, legacy);
    let v = parse(&text).value;
    assert_eq!(v["flags"], json!(["A", "B"]));
    assert_eq!(v["allowAutoUpdates"], json!(true));
    // `httpTimeout ||= undefined` removes the falsy 0, as the CLI does.
    assert!(v.get("httpTimeout").is_none(), "{text}");
    let names: Vec<&str> = v["accounts"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["X", "x_6"]);
    assert_eq!(outcome.skipped, vec![json!(5)]);
    assert!(text.starts_with("flags:\n  - A\n  - B\nallowAutoUpdates: true\naccounts:\n  - name: X\n"), "{text}");
}

#[test]
fn merge_into_an_empty_global_file() {
    let (text, _) = merged("", "portals:\n  - name: a\n    portalId: 1\n");
    assert_eq!(parse(&text).value, json!({"accounts": [{"name": "a", "accountId": 1, "accountType": "STANDARD"}]}));
}

#[test]
fn normalisation_matches_the_clis_read_time_rewrite() {
    let v = normalize_parsed_config(&parse(&fixture("03-legacy-hubspot.config.yml")).value).unwrap();
    assert_eq!(v, parse(&fixture("04-legacy-after-migrate.yml")).value);
    assert_eq!(normalize_parsed_config(&json!(null)).unwrap(), json!({"accounts": []}));
    assert_eq!(
        normalize_parsed_config(&json!({"defaultAccount": 0, "accounts": []})).unwrap(),
        json!({"accounts": []})
    );
    assert!(normalize_parsed_config(&json!([1])).is_err());
    let empty_entry = normalize_parsed_config(&json!({"portals": [{"portalId": 1}, null]})).unwrap_err();
    assert!(empty_entry.contains("entry 2 of `portals` is empty"), "{empty_entry}");
}

#[test]
fn every_fixture_pair_migrates_or_fails_cleanly() {
    let dir = crate::hubspot::test_support::SPEC_FIXTURES;
    let ymls: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let (l, g) = paths();
    for legacy in &ymls {
        let legacy_ok = parse(legacy).errors.is_empty();
        match migrate(&l, legacy, &g, None) {
            Ok(plan) => {
                let FileOp::Write { text, .. } = &plan.ops[0] else { panic!() };
                let want = normalize_parsed_config(&parse(legacy).value).unwrap();
                assert_eq!(parse(text).value, want);
            }
            Err(e) => assert!(!legacy_ok || matches!(e, MigrateError::Legacy { .. }), "{e}"),
        }
        for global in &ymls {
            let global_ok = parse(global).errors.is_empty() && !global.contains("\nportals:");
            match migrate(&l, legacy, &g, Some(global)) {
                Ok(plan) => {
                    if let FileOp::Edit { edits, .. } = &plan.ops[0] {
                        assert!(parse(&apply(global, edits)).errors.is_empty());
                    }
                }
                Err(e) => assert!(
                    !(legacy_ok && global_ok) || e.to_string().contains("is not a list"),
                    "{e}\n{legacy}\n{global}"
                ),
            }
        }
    }
}
