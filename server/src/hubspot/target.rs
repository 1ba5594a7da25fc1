//! What a command acts on: the config in force for a directory and the account it names, or,
//! with none named, the account in force there (spec 3.3). Unlike the CLI, an account that
//! matches nothing is an error, never a silent fall-back to the default.

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
use super::precedence::{self, InForceAccount};
use super::settings::HsAccount;
use super::store::{ConfigFile, FileTokenStore};
use super::write::write_atomic;

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

/// The config file in force for `dir`, for commands that change it.
pub fn config_file(env: &Env, dir: &Path) -> OpResult<ConfigFile> {
    match load(env, dir)?.location {
        ConfigLocation::File { path, .. } => Ok(ConfigFile::load(&path)?),
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
    env.config_file()
        .ok_or_else(|| OpError::failed("HOME is not set, so there is no ~/.hscli/config.yml to write; set HOME or HUBSPOT_CONFIG_PATH."))
}

/// An account by name or id (spec 1.6), or an error listing what there is.
pub fn find_account(config: &Config, ident: &str, path: &Path) -> OpResult<Account> {
    if let Some(a) = config.find_str(ident.trim()) {
        return Ok(a.clone());
    }
    let known: Vec<String> = config.accounts.iter().map(Account::label).collect();
    let known = if known.is_empty() { "it has no accounts".to_string() } else { format!("its accounts are {}", known.join(", ")) };
    Err(OpError::invalid(format!(
        "No account \"{ident}\" in {} ({known}). The CLI would silently use the default account instead; hubspot-ls refuses.",
        path.display()
    )))
}

/// The account a command acts on: `account` (name or id), else the one in force in `dir`.
pub fn resolve(env: &Env, dir: &Path, account: Option<&str>) -> OpResult<Target> {
    let loaded = load(env, dir)?;
    let config_path = loaded.location.path().map(Path::to_path_buf);
    let shown = config_path.clone().unwrap_or_else(|| PathBuf::from("the environment variables"));
    let account = match account.map(str::trim).filter(|a| !a.is_empty()) {
        Some(ident) => find_account(&loaded.config, ident, &shown)?,
        None => precedence::resolve_in(&loaded, env, dir, &Disk)
            .map_err(|e| OpError::invalid(format!("No `account` was given, and none is in force for {}: {e}", dir.display())))?
            .account
            .clone(),
    };
    // Env-var mode never writes tokens (spec 4.1), nor does any truthy USE_ENVIRONMENT_HUBSPOT_CONFIG.
    let store: Arc<dyn TokenStore> = match (&loaded.location, env.persists_tokens()) {
        (ConfigLocation::File { path, .. }, true) => Arc::new(FileTokenStore::new(path.clone())),
        _ => Arc::new(NoStore),
    };
    Ok(Target { caller: Caller::new(account, &loaded.config, store), config_path })
}

/// `hubspot.account.resolve`.
pub fn in_force(env: &Env, dir: &Path) -> OpResult<InForceAccount> {
    precedence::resolve(env, dir, &Disk).map_err(|e| OpError::failed(e.to_string()))
}

/// The ids linked to `dir` (empty when it is not linked or the file is unreadable).
pub fn linked_ids(dir: &Path) -> Vec<i64> {
    match precedence::read_settings(dir, &Disk) {
        Ok(Some((_, s))) => s.linked_ids().unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// `hubspot.account.use`: the local default when `dir` is linked and the account is among
/// its linked accounts, else the config's `defaultAccount` (what `hs account use` does
/// without a terminal).
pub fn use_account(file: &ConfigFile, account: &Account, dir: &Path) -> OpResult<Value> {
    let id = account.account_id.ok_or_else(|| OpError::invalid(format!("Account {} has no numeric accountId.", account.label())))?;
    if let Ok(Some((path, settings))) = precedence::read_settings(dir, &Disk) {
        let linked = settings.linked_ids().unwrap_or_default();
        if linked.contains(&id) {
            let text = std::fs::read_to_string(&path).map_err(|e| OpError::failed(format!("Cannot read {}: {e}.", path.display())))?;
            let tree = crate::syntax::json::parse(&text);
            let edits = edit::json::set(&text, &tree, "/localDefaultAccount", &json!(id))?;
            write_atomic(&path, edit::apply(&text, &edits).as_bytes(), edit::DEFAULT_NEW_FILE_MODE)
                .map_err(|e| OpError::failed(format!("Cannot write {}: {e}.", path.display())))?;
            return Ok(json!({"scope": "local", "accountId": id, "name": account.name, "path": path.display().to_string()}));
        }
    }
    accounts::set_default(file, account)?;
    Ok(json!({"scope": "global", "accountId": id, "name": account.name, "path": file.path.display().to_string()}))
}

/// After `clean` removed accounts: the nearest `.hsaccount` goes too, but only when it named
/// one of them (the CLI deletes it whichever account it names).
pub fn drop_stale_hsaccount(dir: &Path, removed: &[i64]) -> Option<PathBuf> {
    let path = find_up(dir, HSACCOUNT_FILE, &Disk)?;
    let text = std::fs::read_to_string(&path).ok()?;
    let id = HsAccount::parse(&text).ok()?.id;
    if removed.contains(&id) && std::fs::remove_file(&path).is_ok() {
        return Some(path);
    }
    None
}
