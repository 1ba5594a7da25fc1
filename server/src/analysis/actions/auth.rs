//! "Authenticate…": accounts whose credentials are missing, retired or unknown to the global
//! config. The action runs `hubspot.account.auth` without a key: the editor integrations ask
//! for it (masked), and a plain client gets an error that says where to create one. Also the
//! text fix for a missing `auth.tokenInfo`, which needs no new key at all.

use serde_json::{json, Map, Value};

use super::{Action, Call, Ctx, Effect};
use crate::analysis::checks::accounts::{entries, Entry};
use crate::analysis::{Code, Diagnostic, DocKind};
use crate::hubspot::edit::Editor;
use crate::syntax::tree::child_pointer;

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    match (d.code, cx.file.kind) {
        (Code::LinkedAccountUnknown, DocKind::Settings) | (Code::HsaccountUnknownAccount, DocKind::HsAccount) => {
            out.push(authenticate(d, None))
        }
        (Code::TokenInfoMissing, _) => {
            let Some(tree) = cx.tree() else { return };
            let es = entries(tree);
            let Some(e) = es.iter().find(|e| {
                pak(e)
                    && (tree.key_range(&e.key_pointer("auth")) == Some(d.range)
                        || tree.first_key_range(&e.pointer) == Some(d.range))
            }) else {
                return;
            };
            let effect = match e.get("auth") {
                Some(Value::Object(_)) => {
                    cx.set(&child_pointer(&e.key_pointer("auth"), "tokenInfo"), &Value::Object(Map::new()))
                }
                _ => cx.set(&e.key_pointer("auth"), &json!({ "tokenInfo": {} })),
            };
            if let Some(effect) = effect {
                out.push(Action::fix("Add an empty auth.tokenInfo", d, effect).preferred());
            }
            out.push(authenticate(d, Some(e)));
        }
        (Code::Required, DocKind::GlobalConfig | DocKind::LegacyConfig) => {
            let Some(tree) = cx.tree() else { return };
            let es = entries(tree);
            // On the entry's first key (a key missing), or on an empty value inside it.
            let inside = |e: &&super::super::checks::accounts::Entry<'_>| {
                tree.first_key_range(&e.pointer) == Some(d.range)
                    || tree
                        .value_range(&e.pointer)
                        .is_some_and(|r| r.contains(d.range.start as usize) && r.cover(d.range) == r)
            };
            let Some(e) = es.iter().find(inside) else { return };
            let lacks_key = e.get("personalAccessKey").and_then(Value::as_str).is_none_or(str::is_empty);
            if pak(e) && lacks_key {
                out.push(authenticate(d, Some(e)));
            }
            // Personal access keys are the only kind HubSpot still issues.
            if e.get("authType").is_none() && e.get("personalAccessKey").is_some() {
                if let Some(effect) = cx.set(&e.key_pointer("authType"), &Value::from("personalaccesskey")) {
                    out.push(Action::fix("Add authType: personalaccesskey", d, effect).preferred());
                }
            }
        }
        (Code::NoAccounts, _) => out.push(authenticate(d, None)),
        (Code::ExpiresAtInvalid, _) => {
            // Without a date the cached token is never refreshed: drop it, and the next call
            // exchanges the key for a new one.
            let (Some(tree), Some(pointer)) = (cx.tree(), cx.pointer_of(d.range)) else { return };
            let token_info = crate::syntax::tree::parent_pointer(&pointer).to_string();
            let access = child_pointer(&token_info, "accessToken");
            let effect = cx.yaml(|ed| {
                ed.remove(&pointer)?;
                if tree.get(&access).is_some() {
                    ed.remove(&access)?;
                }
                Ok(())
            });
            if let Some(effect) = effect {
                out.push(
                    Action::fix("Remove the cached token (a new one is fetched on the next call)", d, effect)
                        .preferred(),
                );
            }
        }
        (Code::Deprecated, _) => {
            // `authType: apikey`: HubSpot retired those keys; a personal access key replaces it.
            let Some(tree) = cx.tree() else { return };
            let es = entries(tree);
            if let Some(e) = es.iter().find(|e| {
                e.auth_type() == Some("apikey") && tree.value_range(&e.key_pointer("authType")) == Some(d.range)
            }) {
                out.push(authenticate(d, Some(e)));
            }
        }
        _ => {}
    }
}

fn pak(e: &Entry<'_>) -> bool {
    e.auth_type() == Some("personalaccesskey")
}

/// The command with what the entry says about the account (never its credentials).
fn authenticate(d: &Diagnostic, entry: Option<&Entry<'_>>) -> Action {
    let mut args = Map::new();
    let name = entry.and_then(Entry::name);
    if let Some(name) = name {
        args.insert("name".into(), Value::from(name));
    }
    if let Some(env) = entry.and_then(|e| e.get("env")).and_then(Value::as_str).filter(|e| matches!(*e, "prod" | "qa"))
    {
        args.insert("env".into(), Value::from(env));
    }
    let title = match name {
        Some(n) => format!("Authenticate {n}…"),
        None => "Authenticate…".to_string(),
    };
    Action::fix(title, d, Effect::Command(Call { name: "hubspot.account.auth", args: Value::Object(args) }))
}
