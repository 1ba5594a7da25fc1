//! `.hs/settings.json` against the global config.

use std::collections::HashSet;

use serde_json::Value;

use crate::analysis::diagnostic::{Code, Diagnostic};
use crate::analysis::document::SourceFile;
use crate::analysis::world::{InForce, World};
use crate::hubspot::model::truthy;
use crate::hubspot::secret::quotable;
use crate::hubspot::settings::as_integer;
use crate::syntax::Tree;

use super::accounts::{entries, find};
use super::files::first_line;
use crate::hubspot::discovery::EnvMode;

pub fn check(file: &SourceFile, tree: &Tree, world: &World, out: &mut Vec<Diagnostic>) {
    if file.text.trim().is_empty() {
        out.push(Diagnostic::error(
            Code::Syntax,
            first_line(&file.text),
            "The file is empty: the CLI's `JSON.parse` fails on it, so every `hs` command in this folder fails to find its default account (\"An error occurred while reading from ...settings.json\"). Write `{\"accounts\": []}`, or delete it.",
        ));
        return;
    }
    let Some(root) = tree.value.as_object() else { return };
    let dir = file.directory();
    let in_force = world.config_in_force(&dir);
    let global_tree = in_force.file().and_then(|f| f.tree.clone());
    let entries_of = global_tree.as_deref().map(entries);
    // In env mode the accounts are the environment's one (`localDefaultAccount` still applies).
    let env_config = match (&in_force, &world.env.mode) {
        (InForce::Environment, EnvMode::On(Ok(config))) => Some(config),
        _ => None,
    };
    // The id (as written) of the account the CLI's lookup finds for `v`, if it finds one.
    let lookup = |v: &Value| -> Option<Value> {
        match (&entries_of, env_config) {
            (Some(accounts), _) => find(accounts, v).map(|e| e.id().cloned().unwrap_or(Value::Null)),
            (None, Some(config)) => config.find(v).map(|a| a.raw_account_id.clone().unwrap_or(Value::Null)),
            (None, None) => None,
        }
    };
    let global: Option<()> = (entries_of.is_some() || env_config.is_some()).then_some(());
    let no_global = match &in_force {
        InForce::File { .. } | InForce::Environment | InForce::Conflict => None,
        InForce::Missing { .. } | InForce::Unreadable { .. } => in_force.unusable_file(),
        InForce::None => Some("no global config (~/.hscli/config.yml) exists; run `hs account auth`".to_string()),
    };

    if tree.complete && !root.contains_key("accounts") {
        out.push(Diagnostic::error(
            Code::Required,
            tree.first_key_range("").unwrap_or_else(|| first_line(&file.text)),
            "No `accounts` list: `hs account list` and other link-aware commands crash (TypeError) on this file. Add `\"accounts\": [<id>, ...]`.",
        ));
    }

    let mut linked: Vec<i64> = Vec::new();
    if let Some(Value::Array(items)) = root.get("accounts") {
        let mut seen = HashSet::new();
        for (i, item) in items.iter().enumerate() {
            let pointer = format!("/accounts/{i}");
            let range = tree.value_range(&pointer).unwrap_or_default();
            let Some(id) = as_integer(item) else { continue }; // wrong types are the schema's
            linked.push(id);
            if !seen.insert(id) {
                out.push(Diagnostic::warning(
                    Code::DuplicateLinkedAccount,
                    range,
                    format!("Account {id} is already linked above; remove this duplicate."),
                ));
                continue;
            }
            // The CLI leaves out a linked id it does not know: a likely mistake, no failure.
            if let Some(why) = &no_global {
                out.push(Diagnostic::warning(
                    Code::LinkedAccountUnknown,
                    range,
                    format!("Account {id} cannot be resolved: {why}."),
                ));
            } else if global.is_some() && lookup(item).and_then(|v| v.as_i64()) != Some(id) {
                out.push(Diagnostic::warning(
                    Code::LinkedAccountUnknown,
                    range,
                    format!("Account {id} is not in your config: the CLI skips it (`hs account list` and `hs project dev` only offer the linked accounts it knows). Authenticate it (`hs account auth`) or unlink it."),
                ));
            }
        }
    }

    if let Some(local) = root.get("localDefaultAccount") {
        // The CLI ignores a falsy value (0, "", null) and falls through to .hsaccount/defaultAccount.
        if truthy(local) && (local.is_number() || local.is_string()) {
            let range = tree.value_range("/localDefaultAccount").unwrap_or_default();
            let resolved = lookup(local);
            match (&no_global, &global, resolved) {
                (Some(why), _, _) => out.push(Diagnostic::error(Code::LocalDefaultUnknown, range, format!("`localDefaultAccount` cannot be resolved: {why}."))),
                (None, Some(_), None) => out.push(Diagnostic::error(
                    Code::LocalDefaultUnknown,
                    range,
                    // It names no account: possibly a key pasted in the wrong place, never quoted whole.
                    format!("`localDefaultAccount` {} names no account in your config: every `hs` command in this folder fails to find its default account (\"Default account is set to , but no account with that id exists\").", shown(local)),
                )),
                (None, Some(_), Some(id)) if !id.as_i64().is_some_and(|i| linked.contains(&i)) && root.get("accounts").is_some_and(Value::is_array) => out.push(Diagnostic::warning(
                    Code::LocalDefaultNotLinked,
                    range,
                    format!("`localDefaultAccount` {local} is not among the linked `accounts`: `hs account link` will warn and reset it. Add {id} to `accounts`."),
                )),
                _ => {}
            }
        }
    }

    if let Some(legacy) = world.legacy_above(&dir) {
        out.push(Diagnostic::warning(
            Code::LegacyConfigBlocksLink,
            first_line(&file.text),
            format!("A deprecated config at {} makes `hs account link` and `unlink` refuse to run here. Migrate it (`hs config migrate`, or the Migrate action on that file).", legacy.display()),
        ));
    }
}

/// A value of `localDefaultAccount` as a message quotes it: a pasted key only redacted.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{}\"", quotable(s)),
        other => other.to_string(),
    }
}
