//! Account operations on the config in force, as `hs account auth|list|info|use|remove|clean`
//! do them, with better manners: re-authenticating keeps the entry's other keys, an unknown
//! account is an error, `clean` only deletes an `.hsaccount` that named a removed account.
//!
//! Every write of the config reads it under the file's lock and writes it before letting go
//! ([`Writer::lock`]): commands running side by side (four `auth`s, an `auth` and a `remove`)
//! each see the others' changes, and every success is on disk.

use std::path::Path;
use std::sync::Arc;

use reqwest::Method;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::error::{OpError, OpResult};
pub use super::listing::{list, AccountList, AccountSummary, Links};
use crate::hubspot::api::auth::{iso_millis, kebab_case, AccessToken, NoStore};
use crate::hubspot::api::{ApiRequest, Caller, HubSpotClient, Origins};
use crate::hubspot::buffers::Buffers;
use crate::hubspot::model::{Account, HubEnv, Shape};
use crate::hubspot::secret::Secret;
use crate::hubspot::store::ConfigFile;
use crate::hubspot::writer::Writer;

pub struct AuthArgs {
    pub personal_access_key: Secret,
    pub name: Option<String>,
    pub env: HubEnv,
    pub make_default: Option<bool>,
    /// Set when a sandbox was just created under it: recorded without asking HubSpot.
    pub parent_account_id: Option<i64>,
    /// Recorded when the exchange reports no account type.
    pub account_type: Option<String>,
    /// A name another account took meanwhile becomes `<name>_<id>` (as `hs sandbox create
    /// --force` does) instead of an error: the account exists in HubSpot by then.
    pub suffix_taken_name: bool,
}

impl AuthArgs {
    pub fn new(personal_access_key: Secret, name: Option<String>, env: HubEnv, make_default: Option<bool>) -> Self {
        AuthArgs {
            personal_access_key,
            name,
            env,
            make_default,
            parent_account_id: None,
            account_type: None,
            suffix_taken_name: false,
        }
    }
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct AuthResult {
    pub account_id: i64,
    pub name: String,
    pub account_type: Option<String>,
    pub config_path: String,
    pub is_default: bool,
}

/// `hubspot.account.auth`: exchanges the key (docs/hubspot-cli.md, *Token exchange*), then
/// adds the account to the config at `config_path` (created `0600` when absent) or updates
/// its entry in place.
pub async fn auth(client: &HubSpotClient, writer: &Writer, config_path: &Path, args: AuthArgs) -> OpResult<AuthResult> {
    if args.personal_access_key.expose().trim().is_empty() {
        return Err(needs_key(args.env, None));
    }
    let before = ConfigFile::load_or_new(config_path)?;
    let timeout = std::time::Duration::from_millis(before.config.timeout_ms());
    let mut token = client.exchange(&args.personal_access_key, args.env, None, timeout).await?;
    if token.account_type.is_none() {
        token.account_type = args.account_type.clone();
    }
    // Refused names fail before any further call; checked again below on the file as it is then.
    choose_name(&before, &args, &token)?;
    let parent = match args.parent_account_id {
        Some(p) => Some(p),
        None => parent_account(client, &token, args.env).await,
    };

    let _locked = writer.lock([config_path]).await;
    let file = ConfigFile::load_or_new(config_path)?;
    let id = token.hub_id;
    let (name, existing) = choose_name(&file, &args, &token)?;
    let first = file.config.accounts.is_empty();
    let make_default = args.make_default.unwrap_or(first) || first;

    let mut entry = Map::new();
    entry.insert("name".into(), json!(name));
    entry.insert(id_key(&file).into(), json!(id));
    entry.insert("env".into(), json!(args.env.as_str()));
    entry.insert("authType".into(), json!("personalaccesskey"));
    if let Some(t) = &token.account_type {
        entry.insert("accountType".into(), json!(t));
    }
    entry.insert("personalAccessKey".into(), json!(args.personal_access_key.expose()));
    entry.insert(
        "auth".into(),
        json!({"tokenInfo": {"accessToken": token.token.expose(), "expiresAt": iso_millis(token.expires_at)}}),
    );
    if let Some(p) = parent {
        entry.insert("parentAccountId".into(), json!(p));
    }

    let mut f = file;
    // A new file starts with its default, as the CLI writes it.
    if make_default && f.text.trim().is_empty() {
        f = f.with_edits(&f.set(default_key(&f), &default_value(&f, id, &name))?)?;
    }
    match &existing {
        Some(a) => {
            // Update in place: keys we know change, every other key of the entry stays
            // (the CLI replaces the whole entry). The entry's index, so its pointer, holds.
            for (k, v) in &entry {
                let (pointer, v) = match k.as_str() {
                    "accountId" | "portalId" => continue,
                    "auth" => (format!("{}/auth/tokenInfo", a.pointer), v["tokenInfo"].clone()),
                    _ => (format!("{}/{k}", a.pointer), v.clone()),
                };
                f = f.with_edits(&f.set(&pointer, &v)?)?;
            }
        }
        None => {
            let list = format!("/{}", f.list_key());
            f = f.with_edits(&f.append(&list, &Value::Object(entry))?)?;
        }
    }
    if make_default && f.config.default().and_then(|a| a.account_id) != Some(id) {
        f = f.with_edits(&f.set(default_key(&f), &default_value(&f, id, &name))?)?;
    }
    f.write(&writer.buffers)?;
    tracing::info!(account = id, path = %config_path.display(), "authenticated account");
    Ok(AuthResult {
        account_id: id,
        name,
        account_type: token.account_type,
        config_path: config_path.display().to_string(),
        is_default: make_default,
    })
}

/// The name the account gets in `file` (the given one, its current one, the hub's name in
/// kebab case, or its id) and its current entry; a name with whitespace or taken by another
/// account is refused.
fn choose_name(file: &ConfigFile, args: &AuthArgs, token: &AccessToken) -> OpResult<(String, Option<Account>)> {
    let id = token.hub_id;
    let existing = file.config.by_id(id).cloned();
    let name = match args.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => existing
            .as_ref()
            .and_then(|a| a.name.clone())
            .or_else(|| token.hub_name.as_deref().map(kebab_case).filter(|n| !n.is_empty()))
            .unwrap_or_else(|| id.to_string()),
    };
    let taken = |name: &str| {
        file.config
            .accounts
            .iter()
            .find(|a| a.account_id != Some(id) && a.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
    };
    let name = if args.suffix_taken_name && taken(&name).is_some() { format!("{name}_{id}") } else { name };
    if name.chars().any(char::is_whitespace) {
        return Err(OpError::invalid(format!(
            "The account name \"{name}\" contains whitespace, which the CLI rejects for every command; use e.g. \"{}\".",
            kebab_case(&name)
        )));
    }
    if let Some(other) = taken(&name) {
        return Err(OpError::invalid(format!(
            "The name \"{name}\" is already used by account {}; pass another `name`.",
            other.label()
        )));
    }
    Ok((name, existing))
}

/// The error for a missing key. The VS Code and Neovim integrations recognise its wording,
/// ask for the key (masked) and run the command again: keep it saying a key is needed.
pub fn needs_key(env: HubEnv, account_id: Option<i64>) -> OpError {
    OpError::invalid(format!(
        "A personal access key is needed (argument `personalAccessKey`). Create or copy one at {}.",
        Origins::pak_page(env, account_id)
    ))
}

fn id_key(f: &ConfigFile) -> &'static str {
    match f.config.shape {
        Shape::Legacy => "portalId",
        Shape::Current => "accountId",
    }
}

pub(super) fn default_key(f: &ConfigFile) -> &'static str {
    match f.config.shape {
        Shape::Legacy => "/defaultPortal",
        Shape::Current => "/defaultAccount",
    }
}

/// The legacy shape names its default by account name.
pub(super) fn default_value(f: &ConfigFile, id: i64, name: &str) -> Value {
    match f.config.shape {
        Shape::Legacy => json!(name),
        Shape::Current => json!(id),
    }
}

/// As `hs account auth`: sandboxes and developer test accounts learn their parent. Failures are
/// only logged, as in the CLI.
async fn parent_account(client: &HubSpotClient, token: &AccessToken, env: HubEnv) -> Option<i64> {
    let (path, field) = match token.account_type.as_deref() {
        Some("STANDARD_SANDBOX" | "DEVELOPMENT_SANDBOX") => ("sandbox-hubs/v1/self", "parentHubId"),
        Some("DEVELOPER_TEST") => ("integrators/test-portals/v2/self", "parentPortalId"),
        _ => return None,
    };
    let account = Account::with_token(token.hub_id, env, token.token.clone(), iso_millis(token.expires_at));
    let caller = Caller {
        account,
        timeout: std::time::Duration::from_millis(15_000),
        use_localhost: false,
        store: Arc::new(NoStore),
    };
    match client.call_json(&caller, &ApiRequest::new(Method::GET, path, "look up the parent account")).await {
        Ok(v) => v.get(field).and_then(Value::as_i64),
        Err(e) => {
            tracing::debug!("parent account lookup failed: {e}");
            None
        }
    }
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    pub name: Option<String>,
    pub account_id: i64,
    pub account_type: Option<String>,
    pub scopes: Vec<String>,
}

/// `hubspot.account.info`: a fresh exchange (not written back, as `hs account info`).
pub async fn info(client: &HubSpotClient, caller: &Caller) -> OpResult<AccountInfo> {
    let a = &caller.account;
    let id =
        a.account_id.ok_or_else(|| OpError::invalid(format!("Account {} has no numeric accountId.", a.label())))?;
    let Some(pak) = a
        .personal_access_key
        .clone()
        .filter(|_| a.auth_type == Some(crate::hubspot::model::AuthType::PersonalAccessKey))
    else {
        return Err(OpError::invalid(format!(
            "Account {} does not use a personal access key; account info (scopes) is only available for personalaccesskey accounts, as in `hs account info`.",
            a.label()
        )));
    };
    let t = client.exchange(&pak, a.env, Some(id), caller.timeout).await?;
    Ok(AccountInfo {
        name: a.name.clone(),
        account_id: id,
        account_type: t.account_type.or_else(|| a.account_type.clone()),
        scopes: t.scope_groups,
    })
}

/// Sets the config's default account (`defaultAccount`, or `defaultPortal` in the legacy shape)
/// and drops the other key: the CLI lets a `defaultPortal` that names an account override
/// `defaultAccount`, and writes back only the key of the file's shape. The caller holds the
/// file's lock since it read `file`.
pub fn set_default(buffers: &Buffers, file: &ConfigFile, account: &Account) -> OpResult<()> {
    let id = account.account_id.ok_or_else(|| {
        OpError::invalid(format!("Account {} has no numeric accountId to make the default.", account.label()))
    })?;
    let name = account.name.clone().unwrap_or_default();
    let key = default_key(file);
    let mut f = file.with_edits(&file.set(key, &default_value(file, id, &name))?)?;
    for other in ["/defaultAccount", "/defaultPortal"].into_iter().filter(|k| *k != key) {
        if f.tree.get(other).is_some() {
            f = f.with_edits(&f.remove(other)?)?;
        }
    }
    f.write(buffers)?;
    Ok(())
}

/// `hubspot.account.remove`: the entry, and `defaultAccount` when it pointed there.
/// Returns whether the default was cleared. The caller holds the file's lock since it read
/// `file`.
pub fn remove(buffers: &Buffers, file: &ConfigFile, account: &Account) -> OpResult<bool> {
    let was_default = file.config.default().map(|d| d.pointer.as_str()) == Some(account.pointer.as_str());
    let mut f = file.with_edits(&file.remove(&account.pointer)?)?;
    if was_default {
        f = without_default(f)?;
    }
    f.write(buffers)?;
    Ok(was_default)
}

/// The file without its default (`defaultAccount`, or `defaultPortal` in the legacy shape),
/// as the CLI leaves it when the default account is removed.
fn without_default(mut f: ConfigFile) -> OpResult<ConfigFile> {
    for key in ["/defaultAccount", "/defaultPortal"] {
        if f.tree.get(key).is_some() {
            f = f.with_edits(&f.remove(key)?)?;
        }
    }
    Ok(f)
}

#[derive(Serialize, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct CleanResult {
    pub removed: Vec<i64>,
    /// Accounts whose check failed for another reason (kept, as the CLI keeps them).
    pub kept: Vec<Value>,
    pub dry_run: bool,
}

/// `hubspot.account.clean` (docs/hubspot-cli.md, *Inactive accounts*): every non-QA
/// personal-access-key account of the config at `path` whose key exchange says the portal is
/// inactive or gone is removed (all of them, unless `dry_run`). The exchanges run unlocked; the
/// removal reads the file again under its lock, so changes made meanwhile are kept.
pub async fn clean(client: &HubSpotClient, writer: &Writer, path: &Path, dry_run: bool) -> OpResult<CleanResult> {
    let file = ConfigFile::load(path)?;
    let timeout = std::time::Duration::from_millis(file.config.timeout_ms());
    let mut result = CleanResult { dry_run, ..CleanResult::default() };
    let mut inactive: Vec<i64> = Vec::new();
    for a in file.config.accounts.iter().filter(|a| a.env != HubEnv::Qa) {
        let (Some(id), Some(pak)) = (a.account_id, a.personal_access_key.as_ref()) else { continue };
        match client.exchange(pak, a.env, Some(id), timeout).await {
            Ok(_) => {}
            Err(e) if e.is_inactive_account() => inactive.push(id),
            Err(e) => result.kept.push(json!({"accountId": id, "reason": e.to_string()})),
        }
    }
    if !dry_run && !inactive.is_empty() {
        let _locked = writer.lock([path]).await;
        let mut f = ConfigFile::load(path)?;
        let default_id = f.config.default().and_then(|a| a.account_id);
        for id in &inactive {
            if let Some(a) = f.config.by_id(*id).cloned() {
                f = f.with_edits(&f.remove(&a.pointer)?)?;
            }
        }
        if default_id.is_some_and(|d| inactive.contains(&d)) {
            f = without_default(f)?;
        }
        f.write(&writer.buffers)?;
    }
    result.removed = inactive;
    Ok(result)
}
