use serde_json::json;

use super::*;
use crate::hubspot::edit::apply_ops;

fn config(ids: &[i64]) -> Config {
    let accounts: Vec<Value> = ids
        .iter()
        .map(|id| json!({"name": format!("a{id}"), "accountId": id, "authType": "personalaccesskey"}))
        .collect();
    Config::from_value(&json!({ "accounts": accounts }))
}

use crate::hubspot::test_support::fixture;

fn write(p: &Path, text: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

#[test]
fn link_from_a_subfolder_as_the_cli_does() {
    // <repo>/sub, <repo>/.hsaccount = 555, root .gitignore `node_modules\n`.
    let t = tempfile::tempdir().unwrap();
    let repo = t.path();
    fs::create_dir(repo.join(".git")).unwrap();
    write(&repo.join(".gitignore"), "node_modules\n");
    write(&repo.join(".hsaccount"), "555");
    let sub = repo.join("sub");
    fs::create_dir(&sub).unwrap();
    let plan = link(&config(&[987654, 555]), &sub, &[987654, 555], None).unwrap();
    assert_eq!(plan.outcome.local_default_account, Some(555));
    assert_eq!(plan.outcome.removed_hsaccount.as_deref(), Some(repo.join(".hsaccount").as_path()));
    assert!(plan.outcome.created);
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(
        read(&sub.join(".hs/settings.json")),
        "{\n  \"accounts\": [\n    987654,\n    555\n  ],\n  \"localDefaultAccount\": 555\n}"
    );
    assert_eq!(read(&sub.join(".hs/README.txt")), HS_README);
    assert!(!repo.join(".hsaccount").exists());
    assert_eq!(read(&repo.join(".gitignore")), fixture("29-gitignore-after-link.txt"));
}

#[test]
fn one_account_becomes_the_default_and_explicit_default_wins() {
    let t = tempfile::tempdir().unwrap();
    let plan = link(&config(&[1, 2]), t.path(), &[2], None).unwrap();
    assert_eq!(plan.outcome.local_default_account, Some(2));
    let plan = link(&config(&[1, 2]), t.path(), &[1, 2], Some(1)).unwrap();
    assert_eq!(plan.outcome.local_default_account, Some(1));
    let plan = link(&config(&[1, 2]), t.path(), &[1, 2], None).unwrap();
    assert_eq!(plan.outcome.local_default_account, None);
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(read(&t.path().join(".hs/settings.json")), "{\n  \"accounts\": [\n    1,\n    2\n  ]\n}");
}

#[test]
fn existing_settings_up_the_tree_are_edited_in_place() {
    let t = tempfile::tempdir().unwrap();
    let settings = t.path().join(".hs/settings.json");
    write(&settings, &fixture("12-settings-linked.json"));
    let deep = t.path().join("a/b");
    fs::create_dir_all(&deep).unwrap();
    let plan = link(&config(&[123, 456, 789]), &deep, &[789, 123], None).unwrap();
    assert_eq!(plan.outcome.settings_path, settings);
    assert!(!plan.outcome.created);
    assert_eq!(plan.outcome.accounts, vec![123, 456, 789]);
    assert_eq!(plan.outcome.local_default_account, Some(456));
    assert!(
        plan.ops.iter().all(|op| !matches!(op, FileOp::Write { .. })),
        "no README for an existing folder: {:?}",
        plan.ops
    );
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(read(&settings), fixture("12-settings-linked.json").replace("    456\n", "    456,\n    789\n"));
}

#[test]
fn a_local_default_that_is_not_linked_counts_as_unset() {
    let t = tempfile::tempdir().unwrap();
    let settings = t.path().join(".hs/settings.json");
    write(&settings, &fixture("14-settings-invalid-default.json"));
    let plan = link(&config(&[123, 456, 999]), t.path(), &[456], None).unwrap();
    assert_eq!(plan.outcome.local_default_account, None);
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(read(&settings), "{\n  \"accounts\": [123, 456]\n}\n");
}

#[test]
fn refusals() {
    let t = tempfile::tempdir().unwrap();
    let cfg = config(&[1]);
    assert_eq!(link(&cfg, t.path(), &[2], None), Err(LinkError::UnknownAccount { id: 2 }));
    assert_eq!(link(&cfg, t.path(), &[], None), Err(LinkError::NoAccounts));
    assert_eq!(link(&config(&[1, 2]), t.path(), &[1], Some(2)), Err(LinkError::DefaultNotLinked { id: 2 }));
    write(&t.path().join("hubspot.config.yml"), "portals: []\n");
    let sub = t.path().join("x");
    fs::create_dir(&sub).unwrap();
    let err = link(&cfg, &sub, &[1], None).unwrap_err();
    assert!(
        err.to_string().starts_with("`hs account link` does not support deprecated config. Run `hs config migrate`"),
        "{err}"
    );
    assert!(matches!(unlink(&sub, &[1]), Err(LinkError::LegacyConfig { command: "unlink", .. })));
}

#[test]
fn broken_settings_and_hsaccount_are_errors_that_say_what_to_do() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join(".hs/settings.json"), "{\"accounts\": [1,]}");
    let err = link(&config(&[1]), t.path(), &[1], None).unwrap_err();
    assert!(matches!(err, LinkError::BadSettings { .. }) && err.to_string().contains("fix or delete"), "{err}");
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join(".hsaccount"), "my-account");
    assert!(matches!(link(&config(&[1]), t.path(), &[1], None), Err(LinkError::BadHsaccount { .. })));
    write(&t.path().join(".hsaccount"), "77");
    let err = link(&config(&[1]), t.path(), &[1], None).unwrap_err();
    assert!(
        matches!(err, LinkError::HsaccountUnknown { id: 77, .. }) && err.to_string().contains("delete it"),
        "{err}"
    );
}

#[test]
fn hsaccount_for_an_account_not_linked_is_left_alone() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join(".hsaccount"), "2");
    let plan = link(&config(&[1, 2]), t.path(), &[1], None).unwrap();
    assert_eq!(plan.outcome.removed_hsaccount, None);
    assert_eq!(plan.outcome.local_default_account, Some(1));
}

#[test]
fn unlink_as_the_cli_does() {
    let t = tempfile::tempdir().unwrap();
    let settings = t.path().join(".hs/settings.json");
    write(&settings, "{\n  \"accounts\": [\n    987654,\n    555\n  ],\n  \"localDefaultAccount\": 555\n}");
    let plan = unlink(t.path(), &[555]).unwrap();
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(read(&settings), "{\n  \"accounts\": [\n    987654\n  ],\n  \"localDefaultAccount\": 987654\n}");
    let plan = unlink(t.path(), &[987654]).unwrap();
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(read(&settings), fixture("13-settings-after-unlink-all.json"));
    assert!(t.path().join(".hs").is_dir());
    // Not linked any more: nothing to write.
    let plan = unlink(t.path(), &[1]).unwrap();
    assert!(plan.ops.is_empty() && !plan.outcome.changed);
}

#[test]
fn unlink_keeps_a_default_that_stays_and_refuses_unknown_ids() {
    let t = tempfile::tempdir().unwrap();
    let settings = t.path().join(".hs/settings.json");
    write(&settings, &fixture("12-settings-linked.json"));
    assert!(matches!(unlink(t.path(), &[7]), Err(LinkError::NotLinked { id: 7, .. })));
    let plan = unlink(t.path(), &[123]).unwrap();
    assert_eq!(plan.outcome.local_default_account, Some(456));
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(read(&settings), "{\n  \"accounts\": [\n    456\n  ],\n  \"localDefaultAccount\": 456\n}\n");
}

#[test]
fn override_migration() {
    let t = tempfile::tempdir().unwrap();
    let hsaccount = t.path().join("proj/.hsaccount");
    write(&hsaccount, " 123\n");
    let plan = migrate_override(&config(&[123]), &hsaccount).unwrap();
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(
        read(&t.path().join("proj/.hs/settings.json")),
        "{\n  \"accounts\": [\n    123\n  ],\n  \"localDefaultAccount\": 123\n}"
    );
    assert!(t.path().join("proj/.hs/README.txt").exists());
    assert!(!hsaccount.exists());
    // Unknown id: refused, nothing planned.
    write(&hsaccount, "999");
    assert_eq!(migrate_override(&config(&[123]), &hsaccount), Err(LinkError::UnknownAccount { id: 999 }));
}

#[test]
fn accounts_resolve_by_id_or_name() {
    let cfg = config(&[12, 34]);
    assert_eq!(resolve_account(&cfg, &json!(12)), Ok(12));
    assert_eq!(resolve_account(&cfg, &json!("34")), Ok(34));
    assert_eq!(resolve_account(&cfg, &json!("a12")), Ok(12));
    assert_eq!(resolve_account(&cfg, &json!(99)), Err(LinkError::UnknownAccount { id: 99 }));
    let err = resolve_account(&cfg, &json!("nobody")).unwrap_err();
    assert!(err.to_string().contains("`nobody`"), "{err}");
}

#[test]
fn ids_written_as_decimals_are_the_whole_numbers_the_cli_reads() {
    // JSON.parse reads 456.0 and 1.23e2 as 456 and 123.
    let t = tempfile::tempdir().unwrap();
    let settings = t.path().join(".hs/settings.json");
    let text = "{\"accounts\": [456.0, 1.23e2], \"localDefaultAccount\": 4.56e2}";
    write(&settings, text);
    let plan = link(&config(&[123, 456]), t.path(), &[123], None).unwrap();
    assert_eq!(
        (plan.outcome.accounts.as_slice(), plan.outcome.local_default_account),
        ([456, 123].as_slice(), Some(456))
    );
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(read(&settings), text, "123 is linked already, 456 the default");
    let plan = unlink(t.path(), &[456]).unwrap();
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert_eq!(read(&settings), "{\"accounts\": [1.23e2], \"localDefaultAccount\": 123}");
}
