//! `hubspot.config.fixPermissions` and `hubspot.config.ignoreInGit`: the `config-permissions`
//! and `config-in-git` fixes, on disk. Neither is a general tool: they only take a file
//! hubspot-ls serves as a config (global, `HUBSPOT_CONFIG_PATH`/`configPath`, or legacy),
//! because those are the files holding credentials.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::link::PathArg;
use super::{args, CommandCtx};
use crate::analysis::DocKind;
use crate::hubspot::edit::apply_ops;
use crate::hubspot::gitignore::ignore_config_file;
use crate::hubspot::ops::{OpError, OpResult};

/// The `{path}` argument, which must name a config file.
fn config_path(ctx: &CommandCtx, command: &str, arg: Value) -> OpResult<PathBuf> {
    let a: PathArg = args(command, arg)?;
    let path = ctx.path(a.path.as_deref().unwrap_or_default())?;
    if !DocKind::of_path(&path, ctx.env.config_path.as_deref()).is_some_and(DocKind::is_config) {
        return Err(OpError::invalid(format!(
            "{} is not a HubSpot config file; {command} only takes ~/.hscli/config.yml, the file HUBSPOT_CONFIG_PATH names, or a hubspot.config.yml.",
            path.display()
        )));
    }
    Ok(path)
}

pub fn fix_permissions(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let path = config_path(ctx, "hubspot.config.fixPermissions", arg)?;
    restrict(&path).map_err(|e| {
        OpError::failed(format!(
            "Could not change the permissions of {}: {e}. Run `chmod 600 {}` yourself.",
            path.display(),
            path.display()
        ))
    })?;
    Ok(json!({ "path": path.display().to_string(), "mode": "600" }))
}

/// The `.gitignore` entry of `hubspot::gitignore::ignore_config_file`; `{gitignore, pattern}`,
/// or `{gitignore: null}` when git ignores the file already (or it is in no work tree).
pub fn ignore_in_git(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let path = config_path(ctx, "hubspot.config.ignoreInGit", arg)?;
    let failed =
        |e: std::io::Error| OpError::failed(format!("Could not update the .gitignore for {}: {e}.", path.display()));
    let Some((op, pattern)) = ignore_config_file(&path).map_err(failed)? else {
        return Ok(json!({ "gitignore": null }));
    };
    apply_ops(std::slice::from_ref(&op)).map_err(failed)?;
    Ok(json!({ "gitignore": op.path().display().to_string(), "pattern": pattern }))
}

#[cfg(unix)]
fn restrict(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

/// Elsewhere the file's ACLs are the user's business; there is no mode to set.
#[cfg(not(unix))]
fn restrict(_path: &std::path::Path) -> std::io::Result<()> {
    Ok(())
}
