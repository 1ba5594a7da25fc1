//! `hubspot.secrets.list|add|update|delete`.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{args, CommandCtx};
use crate::hubspot::api::secrets;
use crate::hubspot::ops::{OpError, OpResult};
use crate::hubspot::secret::Secret;
use crate::hubspot::target;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Where {
    account: Option<String>,
    directory: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WithName {
    name: Option<String>,
    /// Only read into a `Secret`: never printed, never echoed back.
    value: Option<Secret>,
    account: Option<String>,
    directory: Option<String>,
}

fn target(ctx: &CommandCtx, account: Option<&str>, directory: Option<&str>) -> OpResult<target::Target> {
    target::resolve(&ctx.env, &ctx.directory(directory)?, account)
}

fn name_of(command: &str, a: &WithName) -> OpResult<String> {
    a.name.clone().filter(|n| !n.trim().is_empty()).ok_or_else(|| OpError::invalid(format!("{command} needs the secret's `name`.")))
}

fn value_of(command: &str, a: &WithName) -> OpResult<Secret> {
    a.value.clone().filter(|v| !v.is_empty()).ok_or_else(|| OpError::invalid(format!("{command} needs the secret's `value` (it is sent to HubSpot and never shown).")))
}

pub async fn list(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Where = args("hubspot.secrets.list", arg)?;
    let t = target(ctx, a.account.as_deref(), a.directory.as_deref())?;
    let names = secrets::list(&ctx.api, &t.caller).await?;
    Ok(json!({ "secrets": names, "accountId": t.caller.account.account_id }))
}

pub async fn add(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    set_value(ctx, arg, "hubspot.secrets.add").await
}

pub async fn update(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    set_value(ctx, arg, "hubspot.secrets.update").await
}

/// `add` and `update` take the same arguments and differ in one call.
async fn set_value(ctx: &CommandCtx, arg: Value, command: &str) -> OpResult<Value> {
    let a: WithName = args(command, arg)?;
    let (name, value) = (name_of(command, &a)?, value_of(command, &a)?);
    let t = target(ctx, a.account.as_deref(), a.directory.as_deref())?;
    if command.ends_with(".add") {
        secrets::add(&ctx.api, &t.caller, &name, &value).await?;
    } else {
        secrets::update(&ctx.api, &t.caller, &name, &value).await?;
    }
    Ok(json!({ "name": name, "accountId": t.caller.account.account_id }))
}

pub async fn delete(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    const C: &str = "hubspot.secrets.delete";
    let a: WithName = args(C, arg)?;
    let name = name_of(C, &a)?;
    let t = target(ctx, a.account.as_deref(), a.directory.as_deref())?;
    secrets::delete(&ctx.api, &t.caller, &name).await?;
    Ok(json!({ "name": name, "accountId": t.caller.account.account_id }))
}
