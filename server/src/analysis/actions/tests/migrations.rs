//! Multi-file actions: the `.hsaccount` migration as a plan, the legacy-config migration and
//! links as commands.

use serde_json::json;

use super::*;
use crate::analysis::tests::VALID;
use crate::hubspot::edit::{apply_ops, FileOp};

#[test]
fn hsaccount_migration_is_a_plan_with_its_command() {
    let home = Home::new();
    home.write_global(VALID);
    std::fs::create_dir_all(home.path("proj/.git")).unwrap();
    home.write("proj/.gitignore", "node_modules\n");
    let p = home.write("proj/.hsaccount", "456");
    let acts = actions(&home, &p, "456");
    let quick = find(&acts, "Migrate to .hs/settings.json");
    assert_eq!(quick.kind, ActionKind::QuickFix);
    assert!(quick.preferred);
    assert!(acts.iter().any(|a| a.title == "Migrate to .hs/settings.json" && a.kind == ActionKind::Source));
    let Effect::Files { ops, or_run } = &quick.effect else { panic!("{:?}", quick.effect) };
    assert_eq!(or_run, &Call { name: "hubspot.override.migrate", args: json!({ "path": p.display().to_string() }) });
    assert!(ops.contains(&FileOp::Delete { path: p.clone() }), "{ops:?}");
    apply_ops(&Default::default(), ops, &Default::default()).unwrap();
    assert_eq!(
        std::fs::read_to_string(home.path("proj/.hs/settings.json")).unwrap(),
        "{\n  \"accounts\": [\n    456\n  ],\n  \"localDefaultAccount\": 456\n}"
    );
    assert_eq!(
        std::fs::read_to_string(home.path("proj/.gitignore")).unwrap(),
        "node_modules\n\n# HubSpot link folder\n.hs\n"
    );
    assert!(!p.exists());
}

#[test]
fn no_hsaccount_migration_for_an_unknown_id_or_under_a_legacy_config() {
    let home = Home::new();
    home.write_global(VALID);
    let p = home.write("proj/.hsaccount", "999");
    assert!(!titles(&actions(&home, &p, "999")).contains(&"Migrate to .hs/settings.json"));
    let legacy = home.write("proj/hubspot.config.yml", VALID);
    let p = home.write("proj/.hsaccount", "456");
    let acts = actions(&home, &p, "456");
    assert!(!titles(&acts).contains(&"Migrate to .hs/settings.json"));
    // No link either: `hs account link` refuses under a legacy config.
    assert!(!titles(&acts).iter().any(|t| t.starts_with("Link ")), "{:?}", titles(&acts));
    let _ = legacy;
}

#[test]
fn legacy_config_migrates_by_command() {
    let home = Home::new();
    let p = home.write("proj/hubspot.config.yml", VALID);
    let acts = actions_at(&home, &p, VALID, "defaultAccount");
    let fix =
        acts.iter().find(|a| a.title == "Migrate to the global config" && a.kind == ActionKind::QuickFix).unwrap();
    assert!(fix.preferred);
    let Effect::Files { ops, or_run } = &fix.effect else { panic!("{:?}", fix.effect) };
    assert_eq!(or_run, &Call { name: "hubspot.config.migrate", args: json!({ "path": p.display().to_string() }) });
    // No global config yet: it is created 0600, and the legacy file archived.
    let archived = home.path("proj/archived.hubspot.config.yml");
    assert!(matches!(&ops[0], FileOp::Write { path, mode: Some(0o600), .. } if *path == home.global()), "{ops:?}");
    assert_eq!(ops[1], FileOp::Rename { from: p.clone(), to: archived.clone() });
    assert!(acts.iter().any(|a| a.title == "Migrate to the global config" && a.kind == ActionKind::Source));

    // A settings file below it is blocked from linking: migrate that file from here.
    home.write_global(VALID);
    let text = "{\"accounts\": [123]}";
    let s = home.write("proj/.hs/settings.json", text);
    let acts = actions(&home, &s, text);
    let title = format!("Migrate {} to the global config", p.display());
    assert_eq!(command(&acts, &title).args, json!({ "path": p.display().to_string() }));
}

#[test]
fn link_each_account_not_linked_yet() {
    let home = Home::new();
    home.write_global(VALID);
    let text = "{\n  \"accounts\": [123]\n}";
    let s = home.write("proj/.hs/settings.json", text);
    let acts = actions(&home, &s, text);
    let links: Vec<&Action> = acts.iter().filter(|a| a.title.starts_with("Link ")).collect();
    assert_eq!(links.len(), 1, "{:?}", titles(&acts));
    assert_eq!(links[0].title, "Link sandbox (456) to this folder");
    assert_eq!(links[0].kind, ActionKind::Source);
    assert_eq!(
        links[0].effect,
        Effect::Command(Call {
            name: "hubspot.account.link",
            args: json!({ "directory": home.path("proj").display().to_string(), "accounts": [456] })
        })
    );
    // From an `.hsaccount` in a folder without settings: every account.
    let h = home.write("other/.hsaccount", "123");
    let acts = actions(&home, &h, "123");
    assert!(
        titles(&acts).contains(&"Link prod (123) to this folder")
            && titles(&acts).contains(&"Link sandbox (456) to this folder")
    );
}

#[test]
fn config_in_git_gets_a_gitignore_entry() {
    let home = Home::new();
    std::fs::create_dir_all(home.path("proj/.git")).unwrap();
    home.write("proj/.gitignore", "node_modules");
    let p = home.write("proj/hubspot.config.yml", VALID);
    let acts = actions(&home, &p, VALID);
    let fix = find(&acts, "Add hubspot.config.yml to .gitignore");
    let Effect::Files { ops, or_run } = &fix.effect else { panic!("{:?}", fix.effect) };
    assert_eq!(or_run, &Call { name: "hubspot.config.ignoreInGit", args: json!({ "path": p.display().to_string() }) });
    apply_ops(&Default::default(), ops, &Default::default()).unwrap();
    assert_eq!(
        std::fs::read_to_string(home.path("proj/.gitignore")).unwrap(),
        "node_modules\n\n# HubSpot config file\nhubspot.config.yml\n"
    );
    assert!(!home.check(&p).iter().any(|d| d.code == crate::analysis::Code::ConfigInGit));
}

#[test]
fn legacy_config_merges_into_an_existing_global_config() {
    let home = Home::new();
    let global = home.write_global("# mine\ndefaultAccount: 123\naccounts:\n  - name: prod\n    accountId: 123\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo: {}\n");
    let legacy_text =
        "portals:\n  - name: dev\n    portalId: 456\n    authType: personalaccesskey\n    personalAccessKey: k2\n";
    let p = home.write("proj/hubspot.config.yml", legacy_text);
    let acts = actions(&home, &p, legacy_text);
    let Effect::Files { ops, .. } = &find(&acts, "Migrate to the global config").effect else { panic!() };
    assert!(matches!(&ops[0], FileOp::Edit { path, .. } if *path == global), "{ops:?}");
    apply_ops(&Default::default(), ops, &Default::default()).unwrap();
    assert_eq!(
        std::fs::read_to_string(&global).unwrap(),
        "# mine\ndefaultAccount: 123\naccounts:\n  - name: prod\n    accountId: 123\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo: {}\n  - name: dev\n    accountId: 456\n    authType: personalaccesskey\n    personalAccessKey: k2\n    accountType: STANDARD\n"
    );
    assert!(!p.exists() && home.path("proj/archived.hubspot.config.yml").is_file());
}
