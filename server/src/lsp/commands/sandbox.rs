//! `hubspot.sandbox.create|delete|usage`, with `$/progress` while a sandbox is created.

use serde::Deserialize;
use serde_json::Value;

use super::context::progress_pump;
use super::{args, to_value, CommandCtx, Where};
use crate::hubspot::api::sandboxes::SandboxType;
use crate::hubspot::ops::sandboxes::{self, CreateArgs};
use crate::hubspot::ops::{OpError, OpResult};
use crate::hubspot::store::ConfigFile;
use crate::hubspot::target;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Create {
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "super::account_ident")]
    account: Option<String>,
    directory: Option<String>,
    #[serde(default)]
    sync_object_records: bool,
}

/// `standard` or `development`; the CLI's `dev` / `developer` spellings are accepted too.
fn sandbox_type(kind: Option<&str>) -> OpResult<SandboxType> {
    match kind.map(|k| k.trim().to_ascii_lowercase()).as_deref() {
        Some("standard") => Ok(SandboxType::Standard),
        Some("development" | "developer" | "dev") => Ok(SandboxType::Development),
        Some(other) => Err(OpError::invalid(format!("`type` is \"standard\" or \"development\", not {other:?}."))),
        None => Err(OpError::invalid("hubspot.sandbox.create needs `type`: \"standard\" or \"development\".")),
    }
}

pub async fn create(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Create = args("hubspot.sandbox.create", arg)?;
    let kind = sandbox_type(a.kind.as_deref())?;
    let name = a.name.filter(|n| !n.trim().is_empty());
    let name = name.ok_or_else(|| OpError::invalid("hubspot.sandbox.create needs the sandbox's `name`."))?;
    let dir = ctx.directory(a.directory.as_deref())?;
    let parent = target::resolve(&ctx.env, &dir, a.account.as_deref(), &ctx.writer)?;
    let path = parent.config_path.clone().ok_or_else(|| {
        OpError::invalid("USE_ENVIRONMENT_HUBSPOT_CONFIG=true: there is no config file to add the sandbox to.")
    })?;
    let handle = ctx.begin_progress(&format!("Creating sandbox \"{}\"", name.trim())).await;
    let (on_progress, pump) = progress_pump(handle.clone());
    let args = CreateArgs { name, kind, sync_object_records: a.sync_object_records };
    let result = sandboxes::create(&ctx.api, &ctx.writer, &path, &parent.caller, args, &on_progress).await;
    drop(on_progress);
    let _ = pump.await;
    if let Some(h) = handle {
        h.end(match &result {
            Ok(r) => format!("created {} ({})", r.name, r.account_id),
            Err(_) => "sandbox not created".into(),
        })
        .await;
    }
    to_value(result?)
}

pub async fn delete(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    const C: &str = "hubspot.sandbox.delete";
    let a: Where = args(C, arg)?;
    let ident = a.account.filter(|s| !s.trim().is_empty());
    let ident = ident.ok_or_else(|| OpError::invalid(format!("{C} needs `account`, the sandbox's name or id.")))?;
    let dir = ctx.directory(a.directory.as_deref())?;
    let path = target::config_path(&ctx.env, &dir)?;
    let (sandbox, parent_id) = sandboxes::sandbox_and_parent(&ConfigFile::load(&path)?.config, &ident, &path)?;
    let parent = target::resolve(&ctx.env, &dir, Some(&parent_id.to_string()), &ctx.writer)?;
    to_value(sandboxes::delete(&ctx.api, &ctx.writer, &path, &sandbox, &parent.caller).await?)
}

pub async fn usage(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Where = args("hubspot.sandbox.usage", arg)?;
    let t = target::resolve(&ctx.env, &ctx.directory(a.directory.as_deref())?, a.account.as_deref(), &ctx.writer)?;
    to_value(sandboxes::usage(&ctx.api, &t.caller).await?)
}
