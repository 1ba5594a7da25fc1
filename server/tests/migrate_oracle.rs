//! Differential test: our `hs config migrate` writes the same data as the HubSpot CLI's own
//! library (`@hubspot/local-dev-lib`, run by `tests/oracle/migrate.mjs`) for the same inputs.
//!
//! Needs `tests/oracle/node_modules`: run `tests/oracle/install.sh` first. Without it this test
//! fails (it never skips silently: a skipped oracle is a test that proves nothing).
//!
//! Deliberate differences, each applied to the oracle's result before comparing:
//! - a legacy account whose name equals a global one ignoring case is renamed
//!   `<name>_<accountId>`: the CLI means to (its rename on a name clash) but its check reads
//!   `portals` after normalisation removed it, so it appends a duplicate name that then fails
//!   validation ("Multiple accounts with name");
//! - a second legacy account with an id already merged is skipped like one the global config
//!   has: the CLI appends both, leaving a duplicate id.
//!
//! Every other byte of data, conflicts and skipped ids must match.

use std::path::{Path, PathBuf};
use std::process::Command;

use hubspot_ls::hubspot::edit::{apply_ops, FileOp};
use hubspot_ls::hubspot::migrate::{migrate, MigrateOutcome};
use serde_json::{json, Value};

#[path = "common/fixtures.rs"]
mod fixtures;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A spec fixture, else one of this test's own inputs in `tests/oracle-cases/`.
fn fixture(name: &str) -> PathBuf {
    let shared = fixtures::fixture_path(name);
    if shared.exists() {
        return shared;
    }
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle-cases").join(name);
    assert!(own.exists(), "no input file {name}");
    own
}

fn oracle_dir() -> PathBuf {
    let dir = repo_root().join("tests/oracle");
    let lib = dir.join("node_modules/@hubspot/local-dev-lib/package.json");
    assert!(
        lib.exists(),
        "{} is missing: run tests/oracle/install.sh (needs Node.js and npm) before cargo test; \
         this differential test compares our migration with the HubSpot CLI library and must not be skipped",
        lib.display()
    );
    dir
}

struct Oracle {
    config: Value,
    conflicts: Value,
    skipped: Value,
}

fn run_oracle(legacy: &Path, global: Option<&Path>) -> Oracle {
    let dir = oracle_dir();
    let mut cmd = Command::new("node");
    cmd.arg(dir.join("migrate.mjs")).arg(legacy).current_dir(&dir);
    if let Some(g) = global {
        cmd.arg(g);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}); install Node.js, then run tests/oracle/install.sh"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix("ORACLE_RESULT ")).unwrap_or_else(|| {
        panic!("oracle failed ({}):\n{stdout}\n{}", out.status, String::from_utf8_lossy(&out.stderr))
    });
    let v: Value = serde_json::from_str(line).unwrap();
    assert_eq!(
        (v["archived"].clone(), v["legacyRemains"].clone()),
        (json!(true), json!(false)),
        "the CLI archives the legacy file"
    );
    Oracle { config: v["config"].clone(), conflicts: v["conflicts"].clone(), skipped: v["skipped"].clone() }
}

struct Ours {
    config: Value,
    outcome: MigrateOutcome,
}

/// Our plan, applied in a temp HOME, the global file read back with our parser.
fn run_ours(legacy: &Path, global: Option<&Path>) -> Ours {
    let home = tempfile::tempdir().unwrap();
    let project = home.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    let legacy_path = project.join("hubspot.config.yml");
    let legacy_text = std::fs::read_to_string(legacy).unwrap();
    std::fs::write(&legacy_path, &legacy_text).unwrap();
    let global_path = home.path().join(".hscli/config.yml");
    let global_text = global.map(|g| std::fs::read_to_string(g).unwrap());
    if let Some(t) = &global_text {
        std::fs::create_dir_all(global_path.parent().unwrap()).unwrap();
        std::fs::write(&global_path, t).unwrap();
    }
    let plan =
        migrate(&legacy_path, &legacy_text, &global_path, global_text.as_deref()).unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.ops.iter().all(|op| !format!("{op:?}").contains("pak-")), "plans never print credentials");
    apply_ops(&Default::default(), &plan.ops, &Default::default()).unwrap();
    assert!(!legacy_path.exists() && project.join("archived.hubspot.config.yml").exists());
    assert_eq!(
        std::fs::read_to_string(project.join("archived.hubspot.config.yml")).unwrap(),
        legacy_text,
        "archived as it was"
    );
    let written = std::fs::read_to_string(&global_path).unwrap();
    if global.is_none() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&global_path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "a new global config is created 0600: it holds credentials");
        }
        assert!(plan.ops.iter().any(|op| matches!(op, FileOp::Write { .. })));
    }
    // Comments survive: every comment line of the file we edited is still there.
    let edited = if global.is_some() { global_text.clone().unwrap() } else { legacy_text.clone() };
    for comment in edited.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(written.contains(comment), "comment lost: {comment}\n{written}");
    }
    let tree = hubspot_ls::syntax::yaml::parse(&written);
    assert!(tree.errors.is_empty(), "{:?}\n{written}", tree.errors);
    Ours { config: tree.value, outcome: plan.outcome }
}

/// The oracle's conflicts `{property, oldValue: legacy, newValue: global}` in our shape.
fn conflicts_as_ours(oracle: &Value) -> Value {
    Value::Array(
        oracle
            .as_array()
            .unwrap()
            .iter()
            .map(|c| json!({"property": c["property"], "kept": c["newValue"], "ignored": c["oldValue"]}))
            .collect(),
    )
}

fn check(legacy: &str, global: Option<&str>, fix_oracle: impl FnOnce(&mut Oracle)) -> Ours {
    let legacy = fixture(legacy);
    let global = global.map(fixture);
    let mut oracle = run_oracle(&legacy, global.as_deref());
    let ours = run_ours(&legacy, global.as_deref());
    fix_oracle(&mut oracle);
    assert_eq!(ours.config, oracle.config, "\nours:   {}\noracle: {}", ours.config, oracle.config);
    let outcome = serde_json::to_value(&ours.outcome).unwrap();
    assert_eq!(outcome["conflicts"], conflicts_as_ours(&oracle.conflicts));
    assert_eq!(outcome["skipped"], oracle.skipped);
    ours
}

fn rename(oracle: &mut Oracle, index: usize, to: &str) {
    oracle.config["accounts"][index]["name"] = json!(to);
}

#[test]
fn migration_of_fixture_03() {
    check("03-legacy-hubspot.config.yml", None, |_| {});
}

#[test]
fn migration_of_fixture_18_alone() {
    check("18-merge-before-legacy.yml", None, |_| {});
}

#[test]
fn migration_of_fixture_21_portals_replace_accounts() {
    check("21-portals-and-accounts-both.yml", None, |_| {});
}

#[test]
fn migration_of_a_legacy_file_already_in_the_new_shape() {
    check("own-legacy-new-shape.yml", None, |_| {});
}

#[test]
fn migration_with_every_normalised_key() {
    check("own-legacy-everything.yml", None, |_| {});
}

#[test]
fn merge_of_fixtures_17_and_18() {
    // Deliberate: legacy shared-name (333) clashes with global shared-name (111).
    let ours =
        check("18-merge-before-legacy.yml", Some("17-merge-before-global.yml"), |o| rename(o, 2, "shared-name_333"));
    assert_eq!(
        serde_json::to_value(&ours.outcome.renamed).unwrap(),
        json!([{"from": "shared-name", "to": "shared-name_333"}])
    );
}

#[test]
fn merge_of_fixtures_22_and_23() {
    // Deliberate: legacy legacy-one (333) clashes with global legacy-one (999).
    check("23-merge-interactive-legacy.yml", Some("22-merge-interactive-global-before.yml"), |o| {
        rename(o, 2, "legacy-one_333")
    });
}

#[test]
fn merge_into_a_commented_global_with_flags_and_a_falsy_timeout() {
    // Deliberate: legacy Alpha (2001) clashes with global alpha ignoring case.
    check("own-legacy-everything.yml", Some("own-global-commented.yml"), |o| rename(o, 1, "Alpha_2001"));
}

#[test]
fn merge_into_a_global_with_legacy_keys() {
    // The global's `defaultPortal` becomes its `defaultAccount` first: the legacy one conflicts.
    let ours = check("own-legacy-everything.yml", Some("own-global-default-portal.yml"), |_| {});
    assert!(ours.config.get("defaultPortal").is_none(), "{}", ours.config);
}

#[test]
fn merge_skips_a_repeated_legacy_id() {
    // Deliberate: the CLI appends both accounts with id 5; we keep the first and skip the second.
    check("own-legacy-duplicate-ids.yml", Some("17-merge-before-global.yml"), |o| {
        let accounts = o.config["accounts"].as_array_mut().unwrap();
        assert_eq!(accounts.len(), 4, "the CLI appends both");
        accounts.pop();
        o.skipped.as_array_mut().unwrap().push(json!(5));
    });
}
