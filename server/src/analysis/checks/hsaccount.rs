//! `.hsaccount`: the per-directory default account override.

use serde_json::Value;

use crate::analysis::diagnostic::{Code, Diagnostic, Severity};
use crate::analysis::document::SourceFile;
use crate::analysis::world::{ConfigKind, InForce, World};
use crate::hubspot::discovery::{file_ignoring_env_mode, EnvMode};
use crate::hubspot::model::truthy;
use crate::hubspot::secret::quotable;
use crate::hubspot::settings::HsAccount;
use crate::syntax::TextRange;

use super::accounts::{entries, find};

/// Where the content is: the first run of non-whitespace (the CLI reads nothing else).
pub fn content_range(text: &str) -> TextRange {
    let start = text.len() - text.trim_start().len();
    let len = text[start..].find(char::is_whitespace).unwrap_or(text.len() - start);
    TextRange::new(start, start + len)
}

pub fn check(file: &SourceFile, world: &World, out: &mut Vec<Diagnostic>) {
    let text = &*file.text;
    let range = content_range(text);
    let dir = file.directory();
    let in_force = world.config_in_force(&dir);
    let global_tree = in_force.file().and_then(|f| f.tree.clone());
    let accounts = global_tree.as_deref().map(entries).unwrap_or_default();
    let before = out.len();
    // Env mode still consults `.hsaccount` when a global config exists, against the
    // environment's account (docs/hubspot-cli.md, *Environment-variable mode*).
    let env_ids: Option<Vec<i64>> = match (&in_force, &world.env.mode) {
        (InForce::Environment, EnvMode::On(Ok(config)))
            if matches!(file_ignoring_env_mode(&world.env, &dir, world), Some((ConfigKind::Global, _))) =>
        {
            Some(config.accounts.iter().filter_map(|a| a.account_id).collect())
        }
        _ => None,
    };
    let shadowed_by = local_default_above(world, &dir);
    // Only a file the CLI reads can make its commands fail.
    let read = (in_force.honours_hsaccount() || env_ids.is_some()) && shadowed_by.is_none();
    let (severity, fails) = if read {
        (Severity::Error, "the CLI fails with \"Error in .hsaccount\" for every command in this folder")
    } else {
        (Severity::Warning, "the CLI does not read it here (see the other finding), but fails with \"Error in .hsaccount\" wherever it does")
    };

    match HsAccount::parse(text).ok().map(|h| h.id) {
        None if text.trim().is_empty() => out.push(Diagnostic::new(
            Code::HsaccountInvalid,
            severity,
            range,
            format!("`.hsaccount` is empty: {fails}. Write an account id, or delete the file."),
        )),
        None => {
            let word = range.slice(text);
            let named = find(&accounts, &Value::from(word)).and_then(|e| e.id().and_then(Value::as_i64));
            let hint = named
                .map(|id| format!(" `{word}` is the name of account {id}: write `{id}` instead."))
                .unwrap_or_default();
            // Not an account's name: possibly a key pasted in the wrong file, never quoted whole.
            let shown = if named.is_some() { word.to_string() } else { quotable(word) };
            out.push(Diagnostic::new(
                Code::HsaccountInvalid,
                severity,
                range,
                format!("`.hsaccount` must hold an account id (a number), not `{shown}`: {fails}.{hint}"),
            ));
        }
        Some(id) => {
            let known = match &env_ids {
                Some(ids) => ids.contains(&id),
                None => {
                    find(&accounts, &Value::from(id)).filter(|e| e.id().and_then(Value::as_i64) == Some(id)).is_some()
                }
            };
            if read && !known {
                let whose =
                    if env_ids.is_some() { "the environment's (HUBSPOT_ACCOUNT_ID)" } else { "in your global config" };
                out.push(Diagnostic::error(
                    Code::HsaccountUnknownAccount,
                    range,
                    format!("Account {id} is not {whose}: every `hs` command in this folder fails (\"Error in .hsaccount\"). Authenticate it with `hs account auth`, or fix the id."),
                ));
            }
        }
    }

    let ignored_because = match &in_force {
        InForce::File { kind: ConfigKind::Global, .. } => None,
        InForce::File { kind: ConfigKind::Legacy, file } => Some(format!(
            "the CLI reads the deprecated config {} here, and ignores `.hsaccount` with it",
            file.path.display()
        )),
        InForce::File { kind: ConfigKind::Custom, file } => Some(format!(
            "HUBSPOT_CONFIG_PATH points at {}, and the CLI only honours `.hsaccount` with the global config (named exactly as ~/.hscli/config.yml)",
            file.path.display()
        )),
        InForce::Environment if env_ids.is_some() => None,
        InForce::Environment => Some(
            "USE_ENVIRONMENT_HUBSPOT_CONFIG=true takes the account from environment variables, and there is no global config".to_string(),
        ),
        InForce::Missing { .. } | InForce::Unreadable { .. } => in_force.unusable_file(),
        InForce::None => Some("no global config (~/.hscli/config.yml) exists".to_string()),
        // `config-conflict` says why, for every file.
        InForce::Conflict => None,
    };
    if let Some(why) = ignored_because {
        out.push(Diagnostic::warning(Code::HsaccountIgnored, range, format!("This file has no effect: {why}.")));
    }

    if let Some(settings_path) = shadowed_by {
        out.push(Diagnostic::warning(
            Code::HsaccountShadowed,
            range,
            format!(
                "{} sets `localDefaultAccount`, which takes precedence over this file: it has no effect.",
                settings_path.display()
            ),
        ));
    }

    let nothing_else = out.len() == before;
    let severity = if nothing_else { Severity::Information } else { Severity::Hint };
    out.push(Diagnostic::new(
        Code::HsaccountDeprecated,
        severity,
        range,
        "`.hsaccount` is superseded by `.hs/settings.json` (`hs account link`). Use the quick fix to migrate: the id is linked and made the local default, and this file is deleted.",
    ));
}

/// The nearest settings file, when it sets a truthy `localDefaultAccount`: then the CLI never
/// reads `.hsaccount`.
fn local_default_above(world: &World, dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let path = world.find_up(dir, ".hs/settings.json")?;
    let local = world
        .source(&path, crate::analysis::DocKind::Settings)
        .and_then(|s| s.tree.as_ref().and_then(|t| t.value.get("localDefaultAccount").cloned()));
    local.is_some_and(|v| truthy(&v)).then_some(path)
}
