//! What a command acts on: the config in force for a directory and the account it names, or,
//! with none named, the account in force there (docs/hubspot-cli.md, *Account precedence*).
//! Unlike the CLI, an account that matches nothing is an error, never a silent fall-back to
//! the default.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};

use super::api::auth::{NoStore, TokenStore};
use super::api::Caller;
use super::discovery::{find_up, ConfigLocation, Disk, Env, HSACCOUNT_FILE};
use super::edit;
use super::load::{load_config, LoadedConfig};
use super::model::{Account, Config};
use super::ops::{accounts, OpError, OpResult};
use super::precedence::{self, InForceAccount, ResolveError, Source};
use super::settings::HsAccount;
use super::store::{ConfigFile, FileTokenStore};
use super::write::write_atomic;
use super::writer::{Fingerprint, Snapshot, Writer};

/// An account ready for API calls, and the config file it came from (none in env mode).
pub struct Target {
    pub caller: Caller,
    pub config_path: Option<PathBuf>,
}

fn load(env: &Env, dir: &Path) -> OpResult<LoadedConfig> {
    load_config(env, dir, &Disk).map_err(|e| OpError::failed(e.to_string()))
}

/// The config in force for `dir`, from its file or the environment.
pub fn config(env: &Env, dir: &Path) -> OpResult<Config> {
    Ok(load(env, dir)?.config)
}

/// The config file in force for `dir`, for commands that read it to change something else.
/// One that changes the config itself takes [`config_path`], locks it, then loads it.
pub fn config_file(env: &Env, dir: &Path) -> OpResult<ConfigFile> {
    Ok(ConfigFile::load(&config_path(env, dir)?)?)
}

/// Where the config file in force for `dir` is.
pub fn config_path(env: &Env, dir: &Path) -> OpResult<PathBuf> {
    match load(env, dir)?.location {
        ConfigLocation::File { path, .. } => Ok(path),
        _ => Err(OpError::invalid(
            "USE_ENVIRONMENT_HUBSPOT_CONFIG=true: the account comes from environment variables, so there is no config file to change.",
        )),
    }
}

/// Where `hubspot.account.auth` writes: `HUBSPOT_CONFIG_PATH`/`configPath`, else the global
/// config (created when absent, even if a legacy `hubspot.config.yml` is in force: that file
/// is then ignored by the CLI and offers its migration).
pub fn auth_config_path(env: &Env) -> OpResult<PathBuf> {
    if env.use_env() {
        return Err(OpError::invalid(
            "USE_ENVIRONMENT_HUBSPOT_CONFIG=true: accounts come from environment variables and nothing is written; unset it to authenticate into a config file.",
        ));
    }
    env.config_file().ok_or_else(|| {
        OpError::failed(
            "HOME is not set, so there is no ~/.hscli/config.yml to write; set HOME or HUBSPOT_CONFIG_PATH.",
        )
    })
}

/// An account by name or id (the CLI's lookup), or an error listing what there is.
pub fn find_account(config: &Config, ident: &str, path: &Path) -> OpResult<Account> {
    if let Some(a) = config.find_str(ident.trim()) {
        return Ok(a.clone());
    }
    let known: Vec<String> = config.accounts.iter().map(Account::label).collect();
    let known = if known.is_empty() {
        "it has no accounts".to_string()
    } else {
        format!("its accounts are {}", known.join(", "))
    };
    Err(OpError::invalid(format!(
        "No account \"{ident}\" in {} ({known}). The CLI would silently use the default account instead; hubspot-ls refuses.",
        path.display()
    )))
}

/// The account a command acts on: `account` (name or id), else the one in force in `dir`.
/// Refreshed tokens are written back to its config through `writer`.
pub fn resolve(env: &Env, dir: &Path, account: Option<&str>, writer: &Writer) -> OpResult<Target> {
    let loaded = load(env, dir)?;
    let config_path = loaded.location.path().map(Path::to_path_buf);
    let shown = config_path.clone().unwrap_or_else(|| PathBuf::from("the environment variables"));
    let account = match account.map(str::trim).filter(|a| !a.is_empty()) {
        Some(ident) => find_account(&loaded.config, ident, &shown)?,
        None => match precedence::resolve_in(&loaded, env, dir, &Disk) {
            Ok(chosen) => chosen.account.clone(),
            Err(ResolveError::EnvModeWithoutConfigFile) => env_default(&loaded.config)?.clone(),
            Err(e) => {
                return Err(OpError::invalid(format!(
                    "No `account` was given, and none is in force for {}: {e}",
                    dir.display()
                )))
            }
        },
    };
    // Env-var mode never writes tokens, nor does any truthy USE_ENVIRONMENT_HUBSPOT_CONFIG.
    let store: Arc<dyn TokenStore> = match (&loaded.location, env.persists_tokens()) {
        (ConfigLocation::File { path, .. }, true) => Arc::new(FileTokenStore::new(path.clone(), writer.clone())),
        _ => Arc::new(NoStore),
    };
    Ok(Target { caller: Caller::new(account, &loaded.config, store), config_path })
}

/// `hubspot.account.resolve`.
pub fn in_force(env: &Env, dir: &Path) -> OpResult<InForceAccount> {
    match precedence::resolve(env, dir, &Disk) {
        Ok(a) => Ok(a),
        Err(ResolveError::EnvModeWithoutConfigFile) => {
            let a = env_default(&config(env, dir)?)?.clone();
            Ok(InForceAccount {
                account_id: a.raw_account_id.clone().unwrap_or_default(),
                name: a.name,
                source: Source::Env,
                path: None,
            })
        }
        Err(e) => Err(OpError::failed(e.to_string())),
    }
}

/// Env-var mode with no config file anywhere: the CLI without `--use-env` fails to find a
/// default (it still asks for a config file); hubspot-ls does what `--use-env` does and takes
/// `HUBSPOT_ACCOUNT_ID`'s account, the only one there is.
fn env_default(config: &Config) -> OpResult<&Account> {
    config.default().filter(|a| a.account_id.is_some()).ok_or_else(|| {
        OpError::invalid(
            "USE_ENVIRONMENT_HUBSPOT_CONFIG=true but HUBSPOT_ACCOUNT_ID names no account; set it to the account id.",
        )
    })
}

/// What `dir`'s settings link: ids and local default (empty when unlinked or unreadable).
pub fn links(dir: &Path) -> accounts::Links {
    match precedence::read_settings(dir, &Disk) {
        Ok(Some((_, s))) => accounts::Links {
            linked: s.linked_ids().unwrap_or_default(),
            local_default: s.local_default().and_then(super::settings::as_integer),
        },
        _ => accounts::Links::default(),
    }
}

/// The config in force for `dir` and its file (none in environment-variable mode).
pub fn config_and_path(env: &Env, dir: &Path) -> OpResult<(Config, Option<PathBuf>)> {
    let loaded = load(env, dir)?;
    let path = loaded.location.path().map(Path::to_path_buf);
    Ok((loaded.config, path))
}

/// The settings file `hubspot.account.use` may write for `dir` (to lock it with the config).
pub fn settings_path(dir: &Path) -> Option<PathBuf> {
    precedence::read_settings(dir, &Disk).ok().flatten().map(|(path, _)| path)
}

/// `hubspot.account.use`: the local default when `dir` is linked and the account is among
/// its linked accounts, else the config's `defaultAccount` (what `hs account use` does
/// without a terminal). The caller holds the locks of the config and of [`settings_path`].
pub fn use_account(writer: &Writer, file: &ConfigFile, account: &Account, dir: &Path) -> OpResult<Value> {
    let id = account
        .account_id
        .ok_or_else(|| OpError::invalid(format!("Account {} has no numeric accountId.", account.label())))?;
    if let Ok(Some((path, settings))) = precedence::read_settings(dir, &Disk) {
        let linked = settings.linked_ids().unwrap_or_default();
        if linked.contains(&id) {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| OpError::failed(format!("Cannot read {}: {e}.", path.display())))?;
            let tree = crate::syntax::json::parse(&text);
            let edits = edit::json::set(&text, &tree, "/localDefaultAccount", &json!(id))?;
            let cannot_write = |e| OpError::failed(format!("Cannot write {}: {e}.", path.display()));
            Fingerprint::of(Some(text.as_bytes())).check(&path).map_err(cannot_write)?;
            write_atomic(&writer.buffers, &path, edit::apply(&text, &edits).as_bytes(), edit::DEFAULT_NEW_FILE_MODE)
                .map_err(cannot_write)?;
            return Ok(
                json!({"scope": "local", "accountId": id, "name": account.name, "path": path.display().to_string()}),
            );
        }
    }
    accounts::set_default(&writer.buffers, file, account)?;
    Ok(json!({"scope": "global", "accountId": id, "name": account.name, "path": file.path.display().to_string()}))
}

/// After `clean` removed accounts: the nearest `.hsaccount` goes too, but only when it named
/// one of them (the CLI deletes it whichever account it names).
/// Not while the editor holds unsaved changes to it.
pub async fn drop_stale_hsaccount(writer: &Writer, dir: &Path, removed: &[i64]) -> Option<PathBuf> {
    let path = find_up(dir, HSACCOUNT_FILE, &Disk)?;
    let _locked = writer.lock([&path]).await;
    let read = Snapshot::take([&path]).ok()?;
    let text = std::fs::read_to_string(&path).ok()?;
    let id = HsAccount::parse(&text).ok()?.id;
    if !removed.contains(&id) {
        return None;
    }
    match edit::apply_ops(&writer.buffers, &[edit::FileOp::Delete { path: path.clone() }], &read) {
        Ok(()) => Some(path),
        Err(e) => {
            tracing::info!("kept {}: {e}", path.display());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;

    fn env(vars: &[(&str, &str)], home: &Path) -> Env {
        let mut all: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        all.push(("HOME".into(), home.display().to_string()));
        Env::from_vars(|k| all.iter().find(|(n, _)| n == k).map(|(_, v)| OsString::from(v)), home, None)
    }

    const CONFIG: &str = "defaultAccount: 111\naccounts:\n  - {name: prod, accountId: 111, authType: personalaccesskey, personalAccessKey: pak-1, auth: {tokenInfo: {}}}\n  - {name: sandbox, accountId: 222, authType: personalaccesskey, personalAccessKey: pak-2, auth: {tokenInfo: {}}}\n";

    #[test]
    fn named_accounts_must_exist_and_precedence_applies_otherwise() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".hscli")).unwrap();
        std::fs::write(home.path().join(".hscli/config.yml"), CONFIG).unwrap();
        let proj = home.path().join("proj");
        std::fs::create_dir_all(&proj).unwrap();
        let e = env(&[], home.path());
        assert_eq!(
            resolve(&e, &proj, Some("sandbox"), &Writer::default()).unwrap().caller.account.account_id,
            Some(222)
        );
        assert_eq!(resolve(&e, &proj, None, &Writer::default()).unwrap().caller.account.account_id, Some(111));
        let err = resolve(&e, &proj, Some("sandbx"), &Writer::default()).err().unwrap().message;
        assert!(err.contains("No account \"sandbx\"") && err.contains("prod (111), sandbox (222)"), "{err}");
        std::fs::write(proj.join(".hsaccount"), "222").unwrap();
        assert_eq!(resolve(&e, &proj, None, &Writer::default()).unwrap().caller.account.account_id, Some(222));
        let r = in_force(&e, &proj).unwrap();
        assert_eq!((r.account_id, r.source), (json!(222), Source::HsAccount));
    }

    #[test]
    fn env_mode_without_a_config_file_uses_the_env_account() {
        let home = tempfile::tempdir().unwrap();
        let e = env(
            &[
                ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"),
                ("HUBSPOT_ACCOUNT_ID", "4343"),
                ("HUBSPOT_PERSONAL_ACCESS_KEY", "pak-env"),
            ],
            home.path(),
        );
        let t = resolve(&e, home.path(), None, &Writer::default()).unwrap();
        assert_eq!(t.caller.account.account_id, Some(4343));
        assert!(t.config_path.is_none());
        let r = in_force(&e, home.path()).unwrap();
        assert_eq!((r.account_id, r.source, r.path), (json!(4343), Source::Env, None));
        assert!(config_file(&e, home.path()).is_err(), "nothing to edit in env mode");
        assert!(auth_config_path(&e).is_err());
    }
}
