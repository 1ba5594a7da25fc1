//! `hubspot.secrets.list|add|update|delete`.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{args, CommandCtx, Where};
use crate::hubspot::api::secrets;
use crate::hubspot::ops::{OpError, OpResult};
use crate::hubspot::secret::Secret;
use crate::hubspot::target;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WithName {
    name: Option<String>,
    /// Only read into a `Secret`: never printed, never echoed back.
    value: Option<Secret>,
    #[serde(default, deserialize_with = "super::account_ident")]
    account: Option<String>,
    directory: Option<String>,
}

fn target(ctx: &CommandCtx, account: Option<&str>, directory: Option<&str>) -> OpResult<target::Target> {
    target::resolve(&ctx.env, &ctx.directory(directory)?, account, &ctx.writer)
}

fn name_of(command: &str, a: &WithName) -> OpResult<String> {
    a.name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| OpError::invalid(format!("{command} needs the secret's `name`.")))
}

fn value_of(command: &str, a: &WithName) -> OpResult<Secret> {
    a.value.clone().filter(|v| !v.is_empty()).ok_or_else(|| {
        OpError::invalid(format!("{command} needs the secret's `value` (it is sent to HubSpot and never shown)."))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_argument_is_refused_not_ignored() {
        // Ignored, `acount` would have sent the command to the account in force instead.
        let e = args::<Where>("hubspot.secrets.list", json!({"acount": "sandbox"})).err().expect("refused");
        assert!(e.message.contains("unknown field `acount`"), "{}", e.message);
        let e = args::<WithName>("hubspot.secrets.add", json!({"name": "A", "value": "v-123456789", "acount": "x"}))
            .err()
            .expect("refused");
        assert!(!e.message.contains("v-123456789"), "{}", e.message);
        assert!(args::<WithName>("hubspot.secrets.add", json!({"name": "A", "value": "v", "account": 456})).is_ok());
    }
}
