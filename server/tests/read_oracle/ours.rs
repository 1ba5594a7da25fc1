//! Our side of a case, in a fresh temporary HOME, and its comparison with the library's.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;

use hubspot_ls::check;
use hubspot_ls::hubspot::discovery::{Disk, Env};
use hubspot_ls::hubspot::load::{load_config, ConfigError};
use hubspot_ls::hubspot::ops::accounts::{self, AccountList};
use hubspot_ls::hubspot::target;
use hubspot_ls::hubspot::InForceAccount;
use serde_json::{json, Value};

use super::{Case, Disagreement};

#[derive(Default)]
pub struct Tally {
    pub checks: usize,
    pub resolutions: usize,
    pub listings: usize,
}

/// What `hubspot-ls check --format json` (no paths: the files in force) reports as errors,
/// run from the case's folder with only the case's environment.
fn check_errors(home: &Path, case: &Case, env: &Env) -> Vec<String> {
    let cwd = home.join(&case.cwd);
    let inputs = check::Inputs { cwd: cwd.clone(), start: cwd, env: env.clone() };
    let mut out = Vec::new();
    let code = check::run_in(
        &inputs,
        &check::Options { paths: Vec::new(), format: check::Format::Json, fix: false, diff: false },
        &mut out,
    );
    if code == check::EXIT_USAGE {
        // `check` refuses the setup itself (a HUBSPOT_CONFIG_PATH naming no file): a failure.
        return vec!["check: exit 2".to_string()];
    }
    let findings: Vec<Value> = serde_json::from_slice(&out).unwrap();
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            let file = f["path"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string();
            format!("{file}: {} {}", f["code"].as_str().unwrap_or_default(), f["message"].as_str().unwrap_or_default())
        })
        .collect();
    assert_eq!(code == check::EXIT_FINDINGS, !errors.is_empty(), "the exit status says whether there are errors");
    errors
}

fn env_of(home: &Path, case: &Case) -> Env {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("HOME".into(), home.to_string_lossy().into_owned());
    for (k, v) in &case.env {
        vars.insert(k.clone(), v.replace("{HOME}", &home.to_string_lossy()));
    }
    Env::from_vars(|k| vars.get(k).map(OsString::from), &home.join(&case.cwd), None)
}

/// Why the library says a command fails here, if it does.
fn oracle_failure(theirs: &Value) -> Option<String> {
    let failed = |v: &Value| v.get("error").map(|e| format!("{e} {}", v["message"]));
    if let Some(why) = failed(&theirs["read"]) {
        return Some(format!("getConfig throws: {why}"));
    }
    if let Some(why) = failed(&theirs["valid"]) {
        return Some(format!("validateConfig throws: {why}"));
    }
    if theirs["valid"]["ok"]["isValid"] == json!(false) {
        return Some(format!("validateConfig: {}", theirs["valid"]["ok"]["errors"]));
    }
    // No default at all is the user's choice (`--account` works); a default that names
    // nothing, or a per-folder file that breaks the lookup, fails every command.
    if theirs["default"].get("error").is_some_and(|e| e != "NO_DEFAULT_ACCOUNT") {
        return failed(&theirs["default"]).map(|w| format!("getConfigDefaultAccount: {w}"));
    }
    // `hs account list` and the other link-aware commands crash on a settings file that has
    // no list of linked accounts.
    if let Some(why) = failed(&theirs["linked"]) {
        return Some(format!("getLinkedOrAllConfigAccounts throws: {why}"));
    }
    None
}

/// A value the library held, as our JSON can hold it: a Date as its marker.
fn shown(v: &Value) -> String {
    v.to_string()
}

/// What we say about a case: computed without the library's answer, so both sides run at once.
pub struct Ours {
    errors: Vec<String>,
    no_file: bool,
    resolved: Result<InForceAccount, String>,
    listed: Result<AccountList, String>,
}

pub fn run(case: &Case) -> Ours {
    let home = tempfile::tempdir().unwrap();
    for (rel, text) in &case.files {
        let p = home.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    let dir = home.path().join(&case.cwd);
    std::fs::create_dir_all(&dir).unwrap();
    let env = env_of(home.path(), case);
    Ours {
        errors: check_errors(home.path(), case, &env),
        // With no config file at all there is no file for `check` to report on.
        no_file: matches!(load_config(&env, &dir, &Disk), Err(ConfigError::NotFound | ConfigError::Missing { .. })),
        resolved: target::in_force(&env, &dir).map_err(|e| e.to_string()),
        listed: target::config(&env, &dir)
            .map(|c| accounts::list(&c, Default::default(), None))
            .map_err(|e| e.to_string()),
    }
}

pub fn compare(case: &Case, ours: Ours, theirs: &Value, tally: &mut Tally) -> Vec<Disagreement> {
    let Ours { errors, no_file, resolved, listed } = ours;
    let mut out = Vec::new();
    let mut disagree = |aspect: &'static str, detail: String| {
        out.push(Disagreement { case: case.id.clone(), aspect, detail });
    };

    tally.checks += 1;
    match (oracle_failure(theirs), errors.is_empty()) {
        (Some(why), true) if no_file => {
            disagree("check", format!("no config file: the CLI fails ({why}), we report no error"))
        }
        (Some(why), true) => disagree("check", format!("the CLI fails ({why}), we report no error")),
        (None, false) => disagree("check", format!("the CLI works, we report errors: {}", errors.join(" | "))),
        _ => {}
    }

    tally.resolutions += 1;
    match (resolved, &theirs["default"]) {
        (Ok(a), t) if t.get("ok").is_some() => {
            let want = &t["ok"];
            let got = json!({"name": a.name, "accountId": a.account_id});
            if !same(&want["accountId"], &got["accountId"]) || (want["name"].is_string() && got["name"] != want["name"])
            {
                disagree("resolve", format!("we resolve {got}, the CLI {}", shown(want)));
            }
        }
        (Ok(a), t) => disagree("resolve", format!("we resolve {}, the CLI fails: {}", a.account_id, t["message"])),
        (Err(e), t) if t.get("ok").is_some() => {
            disagree("resolve", format!("the CLI resolves {}, we fail: {e}", shown(&t["ok"])))
        }
        (Err(_), _) => {}
    }

    tally.listings += 1;
    match (listed, &theirs["accounts"]) {
        (Ok(list), t) if t.get("ok").is_some() => {
            // Entries that are not mappings are the library's too, but `hs account list` and
            // validateConfig stop at them: we list accounts only (the check reports the rest).
            let want: Vec<Value> = t["ok"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a.is_object())
                .map(|a| json!({"name": a["name"], "accountId": a["accountId"]}))
                .collect();
            let got: Vec<Value> = list
                .accounts
                .iter()
                .map(|a| json!({"name": a.name.clone().unwrap_or(Value::Null), "accountId": a.account_id.clone().unwrap_or(Value::Null)}))
                .collect();
            if !same_list(&want, &got) {
                disagree("list", format!("we list {}, the CLI {}", Value::from(got), Value::from(want)));
            }
        }
        (Ok(list), t) => {
            disagree("list", format!("we list {} accounts, the CLI fails: {}", list.accounts.len(), t["message"]))
        }
        (Err(e), t) if t.get("ok").is_some() => disagree("list", format!("the CLI lists {}, we fail: {e}", t["ok"])),
        (Err(_), _) => {}
    }
    out
}

/// A value the library holds and JSON cannot: a Date (`{"$date": <ISO>}` from the library,
/// `{"$date": <as written>}` to us), Infinity and NaN (`{"$number": ...}`).
fn same(want: &Value, got: &Value) -> bool {
    let date = |v: &Value| v.get("$date").is_some();
    match want.get("$number").and_then(Value::as_str) {
        // NaN is null to us (falsy, as NaN is), an infinity its text.
        Some("NaN") => got.is_null(),
        Some(_) => got.is_string(),
        None => want == got || (date(want) && date(got)),
    }
}

fn same_list(want: &[Value], got: &[Value]) -> bool {
    want.len() == got.len()
        && want.iter().zip(got).all(|(w, g)| same(&w["accountId"], &g["accountId"]) && same(&w["name"], &g["name"]))
}
