//! `hubspot.config.fixPermissions`: the `config-permissions` fix. Not a general `chmod`: it
//! only takes a file hubspot-ls serves as a config (global, `HUBSPOT_CONFIG_PATH`/
//! `configPath`, or legacy), because those are the files holding credentials.

use serde_json::{json, Value};

use super::link::PathArg;
use super::{args, CommandCtx};
use crate::analysis::DocKind;
use crate::hubspot::ops::{OpError, OpResult};

pub fn fix_permissions(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: PathArg = args("hubspot.config.fixPermissions", arg)?;
    let path = ctx.path(a.path.as_deref().unwrap_or_default())?;
    if !DocKind::of_path(&path, ctx.env.config_path.as_deref()).is_some_and(DocKind::is_config) {
        return Err(OpError::invalid(format!(
            "{} is not a HubSpot config file; hubspot.config.fixPermissions only restricts ~/.hscli/config.yml, the file HUBSPOT_CONFIG_PATH names, or a hubspot.config.yml.",
            path.display()
        )));
    }
    restrict(&path).map_err(|e| OpError::failed(format!("Could not change the permissions of {}: {e}. Run `chmod 600 {}` yourself.", path.display(), path.display())))?;
    Ok(json!({ "path": path.display().to_string(), "mode": "600" }))
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
