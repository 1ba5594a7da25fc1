//! Moving to the current layout: a legacy `hubspot.config.yml` into the global config
//! (`hs config migrate`), and linking configured accounts to a folder
//! (`hs account link`). The migration is a plan of file operations with its
//! command beside it; a link runs as the command, which resolves the accounts itself.

use std::path::Path;

use serde_json::{json, Value};

use super::{path_arg, Action, Call, Ctx, Effect};
use crate::analysis::document::same_path;
use crate::analysis::world::{ConfigKind, InForce};
use crate::analysis::{Code, Diagnostic, DocKind};

const MIGRATE: &str = "Migrate to the global config";

pub(super) fn migrate_fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    match (d.code, cx.file.kind) {
        (Code::LegacyConfig | Code::LegacyConfigIgnored, DocKind::LegacyConfig) if migratable(cx, &cx.file.path) => {
            let action = Action::fix(MIGRATE, d, migrate_command(cx, &cx.file.path));
            out.push(if d.code == Code::LegacyConfig { action.preferred() } else { action });
        }
        // The legacy file elsewhere is what blocks this one: migrate that.
        (Code::LegacyConfigBlocksLink, _) | (Code::HsaccountIgnored, _) => {
            let Some(legacy) = cx.world.legacy_above(&cx.file.directory()) else { return };
            if d.code == Code::HsaccountIgnored
                && !matches!(
                    cx.world.config_in_force(&cx.file.directory()),
                    InForce::File { kind: ConfigKind::Legacy, .. }
                )
            {
                return;
            }
            out.push(Action::fix(
                format!("Migrate {} to the global config", legacy.display()),
                d,
                migrate_command(cx, &legacy),
            ));
        }
        _ => {}
    }
}

pub(super) fn source(cx: &Ctx, out: &mut Vec<Action>) {
    match cx.file.kind {
        DocKind::LegacyConfig if migratable(cx, &cx.file.path) => {
            out.push(Action::source(MIGRATE, migrate_command(cx, &cx.file.path)))
        }
        DocKind::Settings | DocKind::HsAccount => link_accounts(cx, out),
        _ => {}
    }
}

/// Not when a nearer legacy file is the one in force: migrating this one would leave that
/// one in charge of the folder and this one's accounts in a global config it ignores.
fn migratable(cx: &Ctx, path: &Path) -> bool {
    match cx.world.config_in_force(&cx.file.directory()) {
        InForce::File { kind: ConfigKind::Legacy, file } => same_path(&file.path, path),
        _ => true,
    }
}

/// The migration as a plan when it can be made (`hubspot::migrate`, from the files on disk,
/// as the command makes it), with the command for clients that take no resource operations;
/// a new global config is created `0600`, which only the command can do. When no plan can be
/// made the command alone is offered: its error says what is wrong with the files.
fn migrate_command(cx: &Ctx, legacy: &Path) -> Effect {
    let call = Call { name: "hubspot.config.migrate", args: json!({ "path": path_arg(legacy) }) };
    match migration_plan(cx, legacy) {
        Some(ops) => Effect::Files { ops, or_run: call },
        None => Effect::Command(call),
    }
}

fn migration_plan(cx: &Ctx, legacy: &Path) -> Option<Vec<crate::hubspot::edit::FileOp>> {
    let legacy_text = crate::hubspot::read::read_string(legacy).ok()?;
    let global = cx.world.env.global_path()?;
    let global_text = match crate::hubspot::read::read_string(&global) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(_) => return None,
    };
    let plan = crate::hubspot::migrate::migrate(legacy, &legacy_text, &global, global_text.as_deref());
    plan.map_err(|e| tracing::debug!("no migration plan: {e}")).ok().map(|p| p.ops)
}

/// "Link <name> (<id>) to this folder" for each configured account not linked yet, where
/// `hs account link` would run: a config file in force and no legacy config up the tree.
fn link_accounts(cx: &Ctx, out: &mut Vec<Action>) {
    let dir = cx.file.directory();
    if cx.world.legacy_above(&dir).is_some() || cx.world.config_in_force(&dir).file().is_none() {
        return;
    }
    let linked = linked_ids(cx, &dir);
    for account in cx.accounts() {
        let Some(id) = account.id.filter(|id| !linked.contains(id)) else { continue };
        let call =
            Call { name: "hubspot.account.link", args: json!({ "directory": path_arg(&dir), "accounts": [id] }) };
        out.push(Action::source(format!("Link {} to this folder", account.label()), Effect::Command(call)));
    }
}

/// The ids the settings in force for `dir` link: this document's own when it is one.
fn linked_ids(cx: &Ctx, dir: &Path) -> Vec<i64> {
    let value = match cx.file.kind {
        DocKind::Settings => cx.file.tree.as_ref().map(|t| t.value.clone()),
        _ => cx
            .world
            .find_up(dir, ".hs/settings.json")
            .and_then(|p| cx.world.source(&p, DocKind::Settings))
            .and_then(|s| s.tree.as_ref().map(|t| t.value.clone())),
    };
    value
        .as_ref()
        .and_then(|v| v.get("accounts"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}
