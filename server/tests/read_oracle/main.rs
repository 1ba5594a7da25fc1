//! Differential test: we read every config, settings file and `.hsaccount` as the HubSpot
//! CLI's own library (`@hubspot/local-dev-lib`, run by `tests/oracle/read.mjs`) does.
//!
//! Each config (hand-written edge cases, then a seeded generator's) is tried as the global
//! config and as a legacy `hubspot.config.yml`; each resolution setup adds settings files,
//! `.hsaccount`s and environment variables. For every case three things must agree:
//! - `hubspot-ls check --format json` reports an error exactly when the library refuses the
//!   config (it cannot read it, `validateConfig` rejects it or throws) or a command fails
//!   because of the files (the default account names nothing, a settings file breaks);
//! - `hubspot.account.resolve` (`target::in_force`) finds the account
//!   `getConfigDefaultAccount` finds, or fails where it fails;
//! - `hubspot.account.list` lists what `getAllConfigAccounts` holds.
//!
//! Needs `tests/oracle/node_modules` (`tests/oracle/install.sh`); without it the test fails,
//! never skips. The deliberate differences are in `allowed.rs`, each with its reason.

mod allowed;
mod configs;
mod ours;
mod rng;
mod setups;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// One directory tree and environment, as both sides build it under their own HOME.
#[derive(Clone, Debug)]
pub struct Case {
    pub id: String,
    /// Path under HOME -> text.
    pub files: Vec<(String, String)>,
    /// The directory commands run in, under HOME.
    pub cwd: String,
    /// `{HOME}` in a value is the case's HOME.
    pub env: Vec<(String, String)>,
}

impl Case {
    fn to_json(&self) -> Value {
        let files: serde_json::Map<String, Value> =
            self.files.iter().map(|(p, t)| (p.clone(), Value::String(t.clone()))).collect();
        let env: serde_json::Map<String, Value> =
            self.env.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        json!({"id": self.id, "files": files, "cwd": self.cwd, "env": env})
    }
}

/// A config as the global file and as a legacy file in the project folder.
fn placements(id: &str, text: &str) -> [Case; 2] {
    let case = |suffix: &str, path: &str| Case {
        id: format!("{id} [{suffix}]"),
        files: vec![(path.to_string(), text.to_string())],
        cwd: "proj".into(),
        env: Vec::new(),
    };
    [case("global", ".hscli/config.yml"), case("legacy", "proj/hubspot.config.yml")]
}

fn oracle_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("tests/oracle");
    let lib = dir.join("node_modules/@hubspot/local-dev-lib/package.json");
    assert!(
        lib.exists(),
        "{} is missing: run tests/oracle/install.sh (needs Node.js and npm) before cargo test; \
         this differential test compares our reading of configs with the HubSpot CLI library and must not be skipped",
        lib.display()
    );
    dir
}

fn run_oracle(cases: &[Case]) -> Vec<Value> {
    let dir = oracle_dir();
    let input = tempfile::NamedTempFile::new().unwrap();
    let list: Vec<Value> = cases.iter().map(Case::to_json).collect();
    std::fs::write(input.path(), serde_json::to_vec(&list).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(dir.join("read.mjs"))
        .arg(input.path())
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}); install Node.js, then run tests/oracle/install.sh"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("ORACLE_RESULT "))
        .unwrap_or_else(|| panic!("oracle failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr)));
    let results: Vec<Value> = serde_json::from_str(line).unwrap();
    assert_eq!(results.len(), cases.len());
    results
}

/// One way in which we and the library disagree on a case.
#[derive(Debug)]
pub struct Disagreement {
    pub case: String,
    /// `check`, `resolve` or `list`.
    pub aspect: &'static str,
    pub detail: String,
}

#[test]
fn configs_settings_and_hsaccount_are_read_as_the_cli_reads_them() {
    let configs = configs::all();
    let setups = setups::all();
    assert!(configs.len() >= 300, "{} configs", configs.len());
    assert!(setups.len() >= 100, "{} setups", setups.len());
    let mut cases: Vec<Case> = configs.iter().flat_map(|(id, text)| placements(id, text)).collect();
    cases.extend(setups);

    // The library in its node process and we in two threads, all at once.
    let clock = std::time::Instant::now();
    let cases = &cases;
    let (oracle, ours) = std::thread::scope(|scope| {
        let oracle = scope.spawn(|| run_oracle(cases));
        let half = cases.len() / 2;
        let second = scope.spawn(move || cases[half..].iter().map(ours::run).collect::<Vec<_>>());
        let mut ours: Vec<ours::Ours> = cases[..half].iter().map(ours::run).collect();
        ours.extend(second.join().unwrap());
        (oracle.join().unwrap(), ours)
    });
    let mut found = Vec::new();
    let mut tally = ours::Tally::default();
    for ((case, mine), theirs) in cases.iter().zip(ours).zip(&oracle) {
        found.extend(ours::compare(case, mine, theirs, &mut tally));
    }
    let (allowed, disagreements): (Vec<_>, Vec<_>) = found.into_iter().partition(allowed::is_deliberate);
    println!("read oracle: both sides took {:.1}s", clock.elapsed().as_secs_f64());
    println!(
        "read oracle: {} configs ({} cases as global and legacy), {} resolution setups; \
         {} checks, {} resolutions, {} listings compared; {} deliberate differences allowed, {} disagreements",
        configs.len(),
        configs.len() * 2,
        cases.len() - configs.len() * 2,
        tally.checks,
        tally.resolutions,
        tally.listings,
        allowed.len(),
        disagreements.len()
    );
    for a in &allowed {
        println!("  allowed: {} {}: {}", a.case, a.aspect, a.detail);
    }
    let shown: Vec<String> =
        disagreements.iter().take(400).map(|d| format!("{} [{}]: {}", d.case, d.aspect, d.detail)).collect();
    assert!(
        disagreements.is_empty(),
        "{} disagreements with the CLI's library:\n{}",
        disagreements.len(),
        shown.join("\n")
    );
}
