//! `hubspot.config.fixPermissions` and `hubspot.config.ignoreInGit`: the `config-permissions`
//! and `config-in-git` fixes, on disk. Neither is a general tool: they only take a file
//! hubspot-ls serves as a config (global, `HUBSPOT_CONFIG_PATH`/`configPath`, or legacy),
//! because those are the files holding credentials.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::link::{apply_locked, PathArg};
use super::{args, CommandCtx};
use crate::analysis::DocKind;
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
pub async fn ignore_in_git(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let path = config_path(ctx, "hubspot.config.ignoreInGit", arg)?;
    let failed =
        |e: std::io::Error| OpError::failed(format!("Could not update the .gitignore for {}: {e}.", path.display()));
    let plan = || {
        Ok(match ignore_config_file(&path).map_err(failed)? {
            Some((op, pattern)) => {
                let result = json!({ "gitignore": op.path().display().to_string(), "pattern": pattern });
                (vec![op], result)
            }
            None => (Vec::new(), json!({ "gitignore": null })),
        })
    };
    let what = format!("Could not update the .gitignore for {}", path.display());
    apply_locked(ctx, &what, plan).await
}

#[cfg(unix)]
fn restrict(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

/// Elsewhere the file's ACLs are the user's business; there is no mode to set.
#[cfg(not(unix))]
fn restrict(_path: &Path) -> std::io::Result<()> {
    Ok(())
}
