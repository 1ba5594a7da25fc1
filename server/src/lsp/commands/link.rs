//! `hubspot.account.link|unlink`, `hubspot.override.migrate`, `hubspot.config.migrate`:
//! multi-file changes planned in `hubspot::link` / `hubspot::migrate` and applied here.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{args, CommandCtx};
use crate::analysis::{DocKind, SourceFile};
use crate::hubspot::edit::apply_ops;
use crate::hubspot::link::{self, LinkPlan};
use crate::hubspot::migrate;
use crate::hubspot::model::Config;
use crate::hubspot::ops::{OpError, OpResult};
use crate::hubspot::target;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Link {
    directory: Option<String>,
    #[serde(default)]
    accounts: Vec<Value>,
    default_account: Option<Value>,
}

/// Ids (or names) as given, resolved against the config: every one must exist.
fn ids(config: &Config, given: &[Value], path: &std::path::Path) -> OpResult<Vec<i64>> {
    given
        .iter()
        .map(|v| {
            let ident = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            target::find_account(config, &ident, path)?
                .account_id
                .ok_or_else(|| OpError::invalid(format!("Account \"{ident}\" has no numeric accountId to link.")))
        })
        .collect()
}

fn outcome(plan: &LinkPlan) -> Value {
    let o = &plan.outcome;
    json!({
        "settingsPath": o.settings_path.display().to_string(),
        "created": o.created,
        "accounts": o.accounts,
        "localDefaultAccount": o.local_default_account,
        "removedHsaccount": o.removed_hsaccount.as_ref().map(|p| p.display().to_string()),
        "gitignore": o.gitignore.as_ref().map(|p| p.display().to_string()),
        "changed": o.changed,
    })
}

fn apply(plan: LinkPlan) -> OpResult<Value> {
    apply_ops(&plan.ops).map_err(|e| OpError::failed(format!("Could not write the link: {e}.")))?;
    Ok(outcome(&plan))
}

fn link_error(e: link::LinkError) -> OpError {
    OpError::invalid(format!("{e}."))
}

pub fn link(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Link = args("hubspot.account.link", arg)?;
    let dir = ctx.directory(a.directory.as_deref())?;
    if a.accounts.is_empty() {
        return Err(OpError::invalid(
            "hubspot.account.link needs `accounts`: the ids (or names) of configured accounts to link.",
        ));
    }
    let file = target::config_file(&ctx.env, &dir)?;
    let accounts = ids(&file.config, &a.accounts, &file.path)?;
    let default = match &a.default_account {
        Some(d) => Some(ids(&file.config, std::slice::from_ref(d), &file.path)?[0]),
        None => None,
    };
    apply(link::link(&file.config, &dir, &accounts, default).map_err(link_error)?)
}

pub fn unlink(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Link = args("hubspot.account.unlink", arg)?;
    let dir = ctx.directory(a.directory.as_deref())?;
    if a.accounts.is_empty() {
        return Err(OpError::invalid("hubspot.account.unlink needs `accounts`: the linked ids to remove."));
    }
    // Ids that are no longer in the config can still be unlinked: take numbers as they are.
    let config = target::config(&ctx.env, &dir).unwrap_or_else(|_| Config::empty());
    let mut accounts = Vec::with_capacity(a.accounts.len());
    for v in &a.accounts {
        match v.as_i64() {
            Some(id) => accounts.push(id),
            None => accounts.extend(ids(&config, std::slice::from_ref(v), &dir)?),
        }
    }
    apply(link::unlink(&dir, &accounts).map_err(link_error)?)
}

/// `{path}`, the argument of the migrations and of `hubspot.config.fixPermissions`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PathArg {
    pub path: Option<String>,
}

pub fn migrate_override(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: PathArg = args("hubspot.override.migrate", arg)?;
    let path = ctx.path(a.path.as_deref().unwrap_or_default())?;
    let dir = path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let file = target::config_file(&ctx.env, &dir)?;
    apply(link::migrate_override(&file.config, &path).map_err(link_error)?)
}

/// `hubspot.config.migrate {path}`: the legacy file becomes (or is merged into) the global
/// config, then is archived; the result lists conflicts, skipped ids and renamed names.
pub fn migrate_config(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: PathArg = args("hubspot.config.migrate", arg)?;
    let legacy = ctx.path(a.path.as_deref().unwrap_or_default())?;
    let legacy_text = std::fs::read_to_string(&legacy)
        .map_err(|e| OpError::invalid(format!("Cannot read {}: {e}.", legacy.display())))?;
    let global = ctx
        .env
        .global_path()
        .ok_or_else(|| OpError::failed("HOME is not set, so there is no ~/.hscli/config.yml to migrate to."))?;
    let global_text = match std::fs::read_to_string(&global) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(OpError::failed(format!("Cannot read {}: {e}.", global.display()))),
    };
    // As the CLI: an existing global config is checked first, and one it refuses stops the
    // merge (which would only add to what is broken).
    if let Some(text) = &global_text {
        let file = SourceFile::parse(global.clone(), DocKind::GlobalConfig, text.as_str());
        if let Some(d) = crate::analysis::diagnostics::cli_refusal(&file) {
            let line = 1 + text[..(d.range.start as usize).min(text.len())].matches('\n').count();
            return Err(OpError::failed(format!(
                "{}:{line}: {} The CLI checks the global config before merging into it and stops there; fix it, then migrate.",
                global.display(),
                d.message
            )));
        }
    }
    let plan = migrate::migrate(&legacy, &legacy_text, &global, global_text.as_deref())
        .map_err(|e| OpError::invalid(format!("{e}.")))?;
    apply_ops(&plan.ops).map_err(|e| OpError::failed(format!("The migration could not write its files: {e}.")))?;
    serde_json::to_value(&plan.outcome).map_err(|e| OpError::failed(e.to_string()))
}
