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
    owner_only(&path)?;
    Ok(json!({ "path": path.display().to_string(), "mode": "600" }))
}

/// `chmod 600` of the config itself, never of what a symlink in its place points to: a link
/// named like a config could aim the change at any file of the user's.
fn owner_only(path: &Path) -> OpResult<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        let target = std::fs::canonicalize(path).map(|t| t.display().to_string()).unwrap_or_else(|_| "nothing".into());
        return Err(OpError::invalid(format!(
            "{} is a symbolic link (to {target}); hubspot-ls does not change the permissions of a link's target. Run `chmod 600` on the file it points to yourself.",
            path.display()
        )));
    }
    restrict(path).map_err(|e| {
        OpError::failed(format!(
            "Could not change the permissions of {}: {e}. Run `chmod 600 {}` yourself.",
            path.display(),
            path.display()
        ))
    })
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

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_link_named_like_a_config_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("id_rsa.pub");
        std::fs::write(&target, "x").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("hubspot.config.yml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = owner_only(&link).unwrap_err().message;
        assert!(err.contains("symbolic link") && err.contains("chmod 600"), "{err}");
        assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o644);
        let real = dir.path().join("config.yml");
        std::fs::write(&real, "accounts: []\n").unwrap();
        owner_only(&real).unwrap();
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
