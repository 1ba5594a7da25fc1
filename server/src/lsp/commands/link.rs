//! `hubspot.account.link|unlink`, `hubspot.override.migrate`, `hubspot.config.migrate`:
//! multi-file changes planned in `hubspot::link` / `hubspot::migrate` and applied here, each
//! under the locks of the files it touches ([`apply_locked`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{json, Value};

use super::{args, CommandCtx};
use crate::analysis::{DocKind, SourceFile};
use crate::hubspot::edit::{apply_ops, touched, FileOp};
use crate::hubspot::link::{self, LinkPlan};
use crate::hubspot::migrate;
use crate::hubspot::model::Config;
use crate::hubspot::ops::{OpError, OpResult};
use crate::hubspot::target;
use crate::hubspot::writer::Snapshot;

/// Plans, then applies, a change of several files so that no other command's write to them
/// is lost and nothing is written over a change made meanwhile: the plan is made once to
/// learn its files, their locks are taken and what they hold noted, the plan is made again
/// from what they hold now, and applied (refused, nothing written, when a file changed on
/// disk since). A plan that now touches a file it did not before is made again with that
/// file locked too.
pub(super) async fn apply_locked<T>(
    ctx: &CommandCtx,
    what: &str,
    plan: impl Fn() -> OpResult<(Vec<FileOp>, T)>,
) -> OpResult<T> {
    let files = |ops: &[FileOp]| ops.iter().flat_map(touched).map(Path::to_path_buf).collect::<Vec<PathBuf>>();
    let mut paths = files(&plan()?.0);
    for _ in 0..3 {
        let _locked = ctx.writer.lock(&paths).await;
        let read = Snapshot::take(&paths).map_err(|e| OpError::failed(format!("{what}: {e}.")))?;
        let (ops, out) = plan()?;
        let more: Vec<PathBuf> = files(&ops).into_iter().filter(|p| !read.covers(p)).collect();
        if more.is_empty() {
            apply_ops(&ctx.writer.buffers, &ops, &read).map_err(|e| OpError::failed(format!("{what}: {e}.")))?;
            return Ok(out);
        }
        paths.extend(more);
    }
    Err(OpError::failed(format!("{what}: its files kept changing while it was planned; run it again.")))
}

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

async fn apply(ctx: &CommandCtx, plan: impl Fn() -> OpResult<LinkPlan>) -> OpResult<Value> {
    let split = || plan().map(|p| (p.ops.clone(), outcome(&p)));
    apply_locked(ctx, "Could not write the link", split).await
}

fn link_error(e: link::LinkError) -> OpError {
    OpError::invalid(format!("{e}."))
}

pub async fn link(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
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
    apply(ctx, || link::link(&file.config, &dir, &accounts, default).map_err(link_error)).await
}

pub async fn unlink(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
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
    apply(ctx, || link::unlink(&dir, &accounts).map_err(link_error)).await
}

/// `{path}`, the argument of the migrations and of `hubspot.config.fixPermissions`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PathArg {
    pub path: Option<String>,
}

pub async fn migrate_override(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: PathArg = args("hubspot.override.migrate", arg)?;
    let path = ctx.path(a.path.as_deref().unwrap_or_default())?;
    let dir = path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let file = target::config_file(&ctx.env, &dir)?;
    apply(ctx, || link::migrate_override(&file.config, &path).map_err(link_error)).await
}

/// `hubspot.config.migrate {path}`: the legacy file becomes (or is merged into) the global
/// config, then is archived; the result lists conflicts, skipped ids and renamed names. The
/// global config itself (or the file `HUBSPOT_CONFIG_PATH` names), however spelt, is refused:
/// "migrating" it would archive the live config.
pub async fn migrate_config(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: PathArg = args("hubspot.config.migrate", arg)?;
    let legacy = ctx.path(a.path.as_deref().unwrap_or_default())?;
    let global = ctx
        .env
        .global_path()
        .ok_or_else(|| OpError::failed("HOME is not set, so there is no ~/.hscli/config.yml to migrate to."))?;
    migrate::refuse_live_config(&legacy, &ctx.env).map_err(|e| OpError::invalid(format!("{e}.")))?;
    let plan = || {
        let plan = plan_migration(&legacy, &global)?;
        let outcome = serde_json::to_value(&plan.outcome).map_err(|e| OpError::failed(e.to_string()))?;
        Ok((plan.ops, outcome))
    };
    apply_locked(ctx, "The migration could not write its files", plan).await
}

fn plan_migration(legacy: &Path, global: &Path) -> OpResult<migrate::MigratePlan> {
    let legacy_text = crate::hubspot::read::read_string(legacy)
        .map_err(|e| OpError::invalid(format!("Cannot read {}: {e}.", legacy.display())))?;
    let global_text = match crate::hubspot::read::read_string(global) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(OpError::failed(format!("Cannot read {}: {e}.", global.display()))),
    };
    // As the CLI: an existing global config is checked first, and one it refuses stops the
    // merge (which would only add to what is broken).
    if let Some(text) = &global_text {
        let file = SourceFile::parse(global.to_path_buf(), DocKind::GlobalConfig, text.as_str());
        if let Some(d) = crate::analysis::diagnostics::cli_refusal(&file) {
            let line = 1 + text[..(d.range.start as usize).min(text.len())].matches('\n').count();
            return Err(OpError::failed(format!(
                "{}:{line}: {} The CLI checks the global config before merging into it and stops there; fix it, then migrate.",
                global.display(),
                d.message
            )));
        }
    }
    migrate::migrate(legacy, &legacy_text, global, global_text.as_deref())
        .map_err(|e| OpError::invalid(format!("{e}.")))
}
