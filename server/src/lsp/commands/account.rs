//! `hubspot.account.*` except link/unlink (see `link.rs`).

use serde::Deserialize;
use serde_json::{json, Value};

use super::{args, to_value, CommandCtx, Where};
use crate::hubspot::model::HubEnv;
use crate::hubspot::ops::{accounts, OpError, OpResult};
use crate::hubspot::secret::Secret;
use crate::hubspot::store::ConfigFile;
use crate::hubspot::target;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Auth {
    personal_access_key: Option<Secret>,
    name: Option<String>,
    env: Option<String>,
    make_default: Option<bool>,
}

pub async fn auth(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Auth = args("hubspot.account.auth", arg)?;
    let env = match a.env.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("prod") => HubEnv::Prod,
        Some("qa") => HubEnv::Qa,
        Some(other) => return Err(OpError::invalid(format!("`env` is \"prod\" or \"qa\", not {other:?}."))),
    };
    let Some(key) = a.personal_access_key.filter(|k| !k.expose().trim().is_empty()) else {
        return Err(accounts::needs_key(env, None));
    };
    let path = target::auth_config_path(&ctx.env)?;
    let result =
        accounts::auth(&ctx.api, &ctx.writer, &path, accounts::AuthArgs::new(key, a.name, env, a.make_default)).await?;
    to_value(result)
}

pub fn list(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Where = args("hubspot.account.list", arg)?;
    let dir = ctx.directory(a.directory.as_deref())?;
    let (config, path) = target::config_and_path(&ctx.env, &dir)?;
    to_value(accounts::list(&config, target::links(&dir), path.as_deref()))
}

pub fn resolve(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Where = args("hubspot.account.resolve", arg)?;
    let dir = ctx.directory(a.directory.as_deref())?;
    to_value(target::in_force(&ctx.env, &dir)?)
}

pub async fn info(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Where = args("hubspot.account.info", arg)?;
    let t = target::resolve(&ctx.env, &ctx.directory(a.directory.as_deref())?, a.account.as_deref(), &ctx.writer)?;
    to_value(accounts::info(&ctx.api, &t.caller).await?)
}

fn required_account(command: &str, a: &Where) -> OpResult<String> {
    a.account
        .clone()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| OpError::invalid(format!("{command} needs `account`, a name or an id.")))
}

pub async fn use_account(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    const C: &str = "hubspot.account.use";
    let a: Where = args(C, arg)?;
    let ident = required_account(C, &a)?;
    let dir = ctx.directory(a.directory.as_deref())?;
    let path = target::config_path(&ctx.env, &dir)?;
    let _locked = ctx.writer.lock([Some(path.clone()), target::settings_path(&dir)].into_iter().flatten()).await;
    let file = ConfigFile::load(&path)?;
    let account = target::find_account(&file.config, &ident, &file.path)?;
    target::use_account(&ctx.writer, &file, &account, &dir)
}

pub async fn remove(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    const C: &str = "hubspot.account.remove";
    let a: Where = args(C, arg)?;
    let ident = required_account(C, &a)?;
    let path = target::config_path(&ctx.env, &ctx.directory(a.directory.as_deref())?)?;
    let _locked = ctx.writer.lock([&path]).await;
    let file = ConfigFile::load(&path)?;
    let account = target::find_account(&file.config, &ident, &file.path)?;
    let default_cleared = accounts::remove(&ctx.writer.buffers, &file, &account)?;
    Ok(json!({ "removed": account.account_id, "name": account.name, "defaultCleared": default_cleared }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Clean {
    #[serde(default)]
    dry_run: bool,
    directory: Option<String>,
}

pub async fn clean(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Clean = args("hubspot.account.clean", arg)?;
    let dir = ctx.directory(a.directory.as_deref())?;
    let path = target::config_path(&ctx.env, &dir)?;
    let result = accounts::clean(&ctx.api, &ctx.writer, &path, a.dry_run).await?;
    if !a.dry_run && !result.removed.is_empty() {
        target::drop_stale_hsaccount(&ctx.writer, &dir, &result.removed).await;
    }
    to_value(result)
}
