//! `deprecated`: the legacy keys rewritten in the current format, one key at a time or the
//! whole file at once (see docs/hubspot-cli.md, *Read-time normalisation*).
//!
//! Each step leaves a file the CLI reads exactly as before where the CLI itself converts
//! the key on read (`portals`, `portalId` and `sandboxAccountType` under `portals`,
//! `defaultPortal`, a top-level `defaultMode`), and does what the diagnostic recommends where
//! the CLI ignores the key (an account's `defaultMode`, `sandboxAccountType` under
//! `accounts`).

use serde_json::Value;

use super::{Action, ActionKind, Ctx, Fixed};
use crate::analysis::checks::accounts::{entries, find, list_key};
use crate::analysis::{Code, Diagnostic};
use crate::hubspot::edit::yaml::YamlEditor;
use crate::hubspot::edit::{Editor, Result};
use crate::hubspot::model::truthy;
use crate::syntax::tree::{child_pointer, last_segment, parent_pointer};

const WHOLE_FILE: &str = "Convert the whole file to the current format";

/// One conversion, run on an editor of the document.
type Step = Box<dyn FnOnce(&mut YamlEditor) -> Result<()>>;

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let (Some(tree), Some(pointer)) = (cx.tree(), cx.pointer_of(d.range)) else { return };
    let key = last_segment(&pointer);
    let parent = parent_pointer(&pointer).to_string();
    let top = parent.is_empty();
    let under_portals = parent.starts_with("/portals/");
    let has = |k: &str| tree.get(&child_pointer(&parent, k)).is_some();
    let single: Option<(String, Step)> = match key.as_str() {
        "portals" if top && !has("accounts") => Some(("Rename portals to accounts".into(), Box::new(portals))),
        "defaultPortal" if top => default_portal_target(tree.get("/defaultPortal"), tree).map(|id| {
            (
                format!("Replace defaultPortal with defaultAccount: {id}"),
                Box::new(move |ed: &mut YamlEditor| default_portal(ed, Some(id))) as Step,
            )
        }),
        "defaultMode" => {
            let at = parent.clone();
            let title = if has("defaultCmsPublishMode") {
                "Remove defaultMode (defaultCmsPublishMode is already set)"
            } else {
                "Rename defaultMode to defaultCmsPublishMode"
            };
            Some((title.into(), Box::new(move |ed: &mut YamlEditor| default_mode(ed, &at))))
        }
        "portalId" => {
            let at = parent.clone();
            let title = if has("accountId") && !under_portals {
                "Remove portalId (accountId is set)"
            } else {
                "Rename portalId to accountId"
            };
            Some((title.into(), Box::new(move |ed: &mut YamlEditor| portal_id(ed, &at, under_portals))))
        }
        "sandboxAccountType" => {
            let at = parent.clone();
            let title = if tree.get(&child_pointer(&parent, "accountType")).is_some_and(truthy) {
                "Remove sandboxAccountType (accountType is set)".to_string()
            } else {
                format!("Replace sandboxAccountType with accountType: {}", account_type_for(tree.get(&pointer)))
            };
            Some((title, Box::new(move |ed: &mut YamlEditor| sandbox_account_type(ed, &at))))
        }
        _ => None,
    };
    if let Some((title, step)) = single {
        if let Some(effect) = cx.yaml(step) {
            // A one-key rename is the obvious fix (and `check --fix` applies it). `portals`
            // rewrites every entry, and a `portalId` under it is what the schema requires
            // there: those stay choices.
            let action = Action::fix(title, d, effect);
            let choice = key == "portals" || (key == "portalId" && under_portals);
            out.push(if choice { action } else { action.preferred() });
        }
    }
    whole_file(cx, d, out);
}

/// One action converting every legacy key, resolving all the file's `deprecated` findings.
fn whole_file(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let Some(effect) = cx.yaml(convert_all) else { return };
    let mut action = Action::fix(WHOLE_FILE, d, effect);
    action.fixes = all_deprecated(cx);
    out.push(action);
}

/// The same conversion from anywhere in a file that has legacy keys, as a rewrite.
pub(super) fn rewrite(cx: &Ctx, out: &mut Vec<Action>) {
    let fixes = all_deprecated(cx);
    if fixes.is_empty() || !cx.file.kind.is_config() {
        return;
    }
    let Some(effect) = cx.yaml(convert_all) else { return };
    out.push(Action { title: WHOLE_FILE.into(), kind: ActionKind::RefactorRewrite, fixes, preferred: false, effect });
}

fn all_deprecated(cx: &Ctx) -> Vec<Fixed> {
    cx.diagnostics
        .iter()
        .filter(|d| d.code == Code::Deprecated)
        .map(|d| Fixed { code: d.code, range: d.range })
        .collect()
}

/// Every step below that applies, in an order where each sees the result of the last; a
/// step that cannot be made by small edits is left out rather than failing the rest.
fn convert_all(ed: &mut YamlEditor) -> Result<()> {
    let root = ed.value().clone();
    let keep_going = |r: Result<()>| {
        if let Err(e) = r {
            tracing::debug!("whole-file conversion: a step was skipped: {e}");
        }
    };
    if root.get("portals").is_some() && root.get("accounts").is_none() {
        keep_going(portals(ed));
    }
    if let Some(list) = list_key(ed.tree()) {
        let count = ed.value().get(list).and_then(Value::as_array).map_or(0, Vec::len);
        for i in 0..count {
            let at = format!("/{list}/{i}");
            let entry = ed.value().pointer(&at).and_then(Value::as_object).cloned().unwrap_or_default();
            if entry.contains_key("portalId") {
                keep_going(portal_id(ed, &at, list == "portals"));
            }
            if entry.contains_key("sandboxAccountType") {
                keep_going(sandbox_account_type(ed, &at));
            }
            if entry.contains_key("defaultMode") {
                keep_going(default_mode(ed, &at));
            }
        }
    }
    if ed.value().get("defaultPortal").is_some() {
        let target = default_portal_target(ed.value().get("defaultPortal"), ed.tree());
        keep_going(default_portal(ed, target));
    }
    if ed.value().get("defaultMode").is_some() {
        keep_going(default_mode(ed, ""));
    }
    Ok(())
}

/// `portals` -> `accounts`, converting each entry as the CLI does when it reads `portals`
/// (those conversions only happen under `portals`, so they must be written out): the id,
/// the sandbox type, and `accountType: STANDARD` where neither type is given.
fn portals(ed: &mut YamlEditor) -> Result<()> {
    let count = ed.value().get("portals").and_then(Value::as_array).map_or(0, Vec::len);
    for i in 0..count {
        let at = format!("/portals/{i}");
        let Some(entry) = ed.value().pointer(&at).and_then(Value::as_object).cloned() else { continue };
        if entry.get("portalId").is_some_and(truthy) {
            portal_id(ed, &at, true)?;
        }
        if !entry.get("accountType").is_some_and(truthy) {
            if entry.contains_key("sandboxAccountType") {
                sandbox_account_type(ed, &at)?;
            } else {
                ed.set(&child_pointer(&at, "accountType"), &Value::from("STANDARD"))?;
            }
        }
    }
    ed.rename_key("/portals", "accounts")
}

/// Under `portals` a truthy `portalId` overwrites `accountId`; under `accounts` it is ignored.
fn portal_id(ed: &mut YamlEditor, entry: &str, under_portals: bool) -> Result<()> {
    let legacy = child_pointer(entry, "portalId");
    let current = child_pointer(entry, "accountId");
    let value = ed.value().pointer(&legacy).cloned().unwrap_or(Value::Null);
    match ed.value().pointer(&current) {
        None => ed.rename_key(&legacy, "accountId"),
        Some(_) if under_portals && truthy(&value) => {
            ed.set(&current, &value)?;
            ed.remove(&legacy)
        }
        Some(_) => ed.remove(&legacy),
    }
}

/// `sandboxAccountType` -> `accountType` in place, unless `accountType` is already set.
fn sandbox_account_type(ed: &mut YamlEditor, entry: &str) -> Result<()> {
    let legacy = child_pointer(entry, "sandboxAccountType");
    let current = child_pointer(entry, "accountType");
    if ed.value().pointer(&current).is_some_and(truthy) {
        return ed.remove(&legacy);
    }
    let value = Value::from(account_type_for(ed.value().pointer(&legacy)));
    if ed.value().pointer(&current).is_some() {
        ed.set(&current, &value)?;
        return ed.remove(&legacy);
    }
    ed.rename_key(&legacy, "accountType")?;
    ed.set(&current, &value)
}

/// local-dev-lib's `getAccountType`: what the CLI makes of `sandboxAccountType` on read.
fn account_type_for(sandbox: Option<&Value>) -> &'static str {
    match sandbox.and_then(Value::as_str).map(str::to_uppercase).as_deref() {
        Some("DEVELOPER") => "DEVELOPMENT_SANDBOX",
        Some("STANDARD") => "STANDARD_SANDBOX",
        _ => "STANDARD",
    }
}

/// The id `defaultPortal` resolves to, as the CLI resolves it on read.
fn default_portal_target(portal: Option<&Value>, tree: &crate::syntax::Tree) -> Option<i64> {
    let portal = portal.filter(|v| truthy(v))?;
    let es = entries(tree);
    find(&es, portal).and_then(|e| e.id()).and_then(Value::as_i64)
}

/// `defaultPortal: <name>` -> `defaultAccount: <id>`. One that resolves to nothing is
/// removed: the CLI drops it on read anyway.
fn default_portal(ed: &mut YamlEditor, id: Option<i64>) -> Result<()> {
    match id {
        Some(id) if ed.value().get("defaultAccount").is_none() => {
            ed.rename_key("/defaultPortal", "defaultAccount")?;
            ed.set("/defaultAccount", &Value::from(id))
        }
        // The CLI lets a resolvable `defaultPortal` win over `defaultAccount`.
        Some(id) => {
            ed.set("/defaultAccount", &Value::from(id))?;
            ed.remove("/defaultPortal")
        }
        None => ed.remove("/defaultPortal"),
    }
}

/// `defaultMode` -> `defaultCmsPublishMode` in the mapping at `at` (the root or an account);
/// where that key is already set, `defaultMode` is removed and the set value stays.
fn default_mode(ed: &mut YamlEditor, at: &str) -> Result<()> {
    let legacy = child_pointer(at, "defaultMode");
    if ed.value().pointer(&child_pointer(at, "defaultCmsPublishMode")).is_some() {
        ed.remove(&legacy)
    } else {
        ed.rename_key(&legacy, "defaultCmsPublishMode")
    }
}
