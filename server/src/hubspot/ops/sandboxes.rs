//! `hs sandbox create --force` / `hs sandbox delete --force`, without prompts: the parent
//! (a production account) creates the sandbox and issues its key, which is exchanged and saved
//! to the config like `hubspot.account.auth`; delete runs as the parent, then drops the entry.
//! Unlike the CLI, a name already in the config is refused before anything is created.

use std::path::Path;

use serde::Serialize;

use super::accounts::{self, AuthArgs};
use super::error::{OpError, OpResult};
use crate::hubspot::api::files::{OnProgress, Progress};
use crate::hubspot::api::sandboxes::{self as api, SandboxType, Usage};
use crate::hubspot::api::{ApiError, Caller, HubSpotClient, Origins};
use crate::hubspot::model::{Account, Config};
use crate::hubspot::store::ConfigFile;
use crate::hubspot::writer::Writer;

pub struct CreateArgs {
    /// As typed: HubSpot gets it so; the config gets [`config_name`] of it.
    pub name: String,
    pub kind: SandboxType,
    pub sync_object_records: bool,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct CreateResult {
    pub account_id: i64,
    pub name: String,
    pub account_type: String,
    pub parent_account_id: i64,
    /// As HubSpot reported it: `PENDING` while it builds the sandbox, `READY`, `FAILED`.
    pub status: Option<String>,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct DeleteResult {
    pub account_id: i64,
    pub parent_account_id: i64,
    #[serde(rename = "deletedInHubSpot")]
    pub deleted_in_hubspot: bool,
    /// The config's default account afterwards.
    pub default_account: Option<i64>,
}

/// The CLI's config name for a sandbox: lowercased, each space a `-` (other whitespace kept,
/// and then refused like any name with whitespace).
pub fn config_name(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

/// `hubspot.sandbox.usage` on `parent`, which must be a production account.
pub async fn usage(client: &HubSpotClient, parent: &Caller) -> OpResult<Usage> {
    let id = production_id(&parent.account)?;
    api::usage(client, parent, id).await.map_err(|e| explain(e, parent, None, "read the sandbox limits of"))
}

/// `hubspot.sandbox.create` under `parent`, saved to the config at `config_path`.
pub async fn create(
    client: &HubSpotClient,
    writer: &Writer,
    config_path: &Path,
    parent: &Caller,
    args: CreateArgs,
    progress: OnProgress<'_>,
) -> OpResult<CreateResult> {
    let parent_id = production_id(&parent.account)?;
    let name = args.name.trim();
    let local_name = config_name(name);
    check_free_name(&ConfigFile::load(config_path)?.config, &local_name, config_path)?;
    config_writable(writer, config_path)?;
    let step = |done, message: String| progress(Progress { done, total: Some(4), message });
    let kind = args.kind;

    step(0, format!("Checking the sandbox limits of {}", parent.account.label()));
    let usage = api::usage(client, parent, parent_id)
        .await
        .map_err(|e| explain(e, parent, Some(kind), "create a sandbox under"))?;
    let slots = usage.of(kind);
    if slots.available == 0 {
        return Err(limit_reached(&ConfigFile::load(config_path)?.config, parent, parent_id, kind, slots.limit));
    }

    step(1, format!("Creating the {} sandbox \"{name}\"", kind.label()));
    let created = api::create(client, parent, name, kind, args.sync_object_records)
        .await
        .map_err(|e| explain(e, parent, Some(kind), "create a sandbox under"))?;
    let id = created.sandbox_hub_id;
    // From here on the sandbox exists in HubSpot: every failure says so and how to finish.
    let unsaved = |e: OpError| {
        OpError::failed(format!(
            "The {} sandbox \"{name}\" ({id}) was created in HubSpot, but not added to {}: {} To add it, create a personal access key for it at {} and run hubspot.account.auth with it.",
            kind.label(),
            config_path.display(),
            e.message,
            Origins::pak_page(parent.account.env, Some(id)),
        ))
    };

    step(2, format!("Issuing the personal access key of \"{name}\" ({id})"));
    let key = api::personal_access_key(client, parent, id).await.map_err(|e| unsaved(e.into()))?;

    step(3, format!("Adding \"{local_name}\" to {}", config_path.display()));
    let auth = AuthArgs {
        parent_account_id: Some(parent_id),
        account_type: Some(kind.account_type().to_string()),
        suffix_taken_name: true,
        ..AuthArgs::new(key, Some(local_name), parent.account.env, Some(false))
    };
    let saved = accounts::auth(client, writer, config_path, auth).await.map_err(unsaved)?;
    tracing::info!(sandbox = id, parent = parent_id, "created sandbox");
    Ok(CreateResult {
        account_id: saved.account_id,
        name: saved.name,
        account_type: saved.account_type.unwrap_or_else(|| kind.account_type().to_string()),
        parent_account_id: parent_id,
        status: created.status,
    })
}

/// The sandbox `ident` names in `config` and its parent's id; both must be in the config.
pub fn sandbox_and_parent(config: &Config, ident: &str, path: &Path) -> OpResult<(Account, i64)> {
    let sandbox = crate::hubspot::target::find_account(config, ident, path)?;
    let label = sandbox.label();
    if !matches!(sandbox.account_type.as_deref(), Some("STANDARD_SANDBOX" | "DEVELOPMENT_SANDBOX")) {
        let kind = sandbox.account_type.as_deref().unwrap_or("no accountType");
        return Err(OpError::invalid(format!(
            "Account {label} is not a sandbox ({kind}); hubspot.sandbox.delete only deletes STANDARD_SANDBOX and DEVELOPMENT_SANDBOX accounts."
        )));
    }
    if sandbox.account_id.is_none() {
        return Err(OpError::invalid(format!("Sandbox {label} has no numeric accountId.")));
    }
    let Some(parent) = sandbox.parent_account_id else {
        return Err(OpError::invalid(format!(
            "Sandbox {label} has no parentAccountId: HubSpot deletes a sandbox only when its parent asks. Add `parentAccountId: <production account id>` to its entry."
        )));
    };
    if config.by_id(parent).is_none() {
        return Err(OpError::invalid(format!(
            "The parent account {parent} of sandbox {label} is not in {}: authenticate it first (hubspot.account.auth with a key from {}), then delete the sandbox.",
            path.display(),
            Origins::pak_page(sandbox.env, Some(parent))
        )));
    }
    Ok((sandbox, parent))
}

/// `hubspot.sandbox.delete`: deleted in HubSpot by `parent`, then removed from the config at
/// `config_path`; a default that pointed at it moves to the parent.
pub async fn delete(
    client: &HubSpotClient,
    writer: &Writer,
    config_path: &Path,
    sandbox: &Account,
    parent: &Caller,
) -> OpResult<DeleteResult> {
    let (Some(id), Some(parent_id)) = (sandbox.account_id, parent.account.account_id) else {
        return Err(OpError::invalid("The sandbox and its parent need numeric account ids."));
    };
    config_writable(writer, config_path)?;
    let deleted = api::delete(client, parent, id).await.map_err(|e| match e.status() {
        Some(401) => OpError::failed(format!(
            "HubSpot refused the key of the parent account {}, which deletes its sandboxes: authenticate it again with a current key from {} (hubspot.account.auth).",
            parent.account.label(),
            Origins::pak_page(parent.account.env, Some(parent_id))
        )),
        _ => explain(e, parent, None, "delete a sandbox of"),
    })?;

    let _locked = writer.lock([config_path]).await;
    let removed = remove_deleted(writer, config_path, id, parent_id).map_err(|e| {
        OpError::failed(format!(
            "The sandbox {} was deleted in HubSpot, but is still in {}: {} Remove its entry there.",
            sandbox.label(),
            config_path.display(),
            e.message
        ))
    })?;
    tracing::info!(sandbox = id, parent = parent_id, in_hubspot = deleted, "deleted sandbox");
    Ok(DeleteResult {
        account_id: id,
        parent_account_id: parent_id,
        deleted_in_hubspot: deleted,
        default_account: removed.config.default().and_then(|a| a.account_id),
    })
}

/// Before anything is done in HubSpot: the config must be able to take the outcome.
fn config_writable(writer: &Writer, path: &Path) -> OpResult<()> {
    drop(writer.buffers.check_saved(path, None).map_err(|e| {
        OpError::failed(format!("{} cannot be changed: {e}. Nothing was done in HubSpot.", path.display()))
    })?);
    Ok(())
}

/// The deleted sandbox's entry out of the config; a default that named it moves to the parent.
fn remove_deleted(writer: &Writer, config_path: &Path, id: i64, parent_id: i64) -> OpResult<ConfigFile> {
    let mut f = ConfigFile::load(config_path)?;
    let was_default = f.config.default().and_then(|a| a.account_id) == Some(id);
    if let Some(entry) = f.config.by_id(id).cloned() {
        f = f.with_edits(&f.remove(&entry.pointer)?)?;
    }
    if was_default {
        if let Some(p) = f.config.by_id(parent_id).cloned() {
            let value = accounts::default_value(&f, parent_id, p.name.as_deref().unwrap_or_default());
            f = f.with_edits(&f.set(accounts::default_key(&f), &value)?)?;
        }
    }
    f.write(&writer.buffers)?;
    Ok(f)
}

/// Sandboxes hang off production accounts: `accountType` STANDARD, or none (the CLI's rule).
fn production_id(a: &Account) -> OpResult<i64> {
    if let Some(t) = a.account_type.as_deref().filter(|t| *t != "STANDARD") {
        return Err(OpError::invalid(format!(
            "Account {} is a {t} account; sandboxes belong to a production (STANDARD) account: pass one as `account`.",
            a.label()
        )));
    }
    a.account_id.ok_or_else(|| OpError::invalid(format!("Account {} has no numeric accountId.", a.label())))
}

fn check_free_name(config: &Config, local_name: &str, path: &Path) -> OpResult<()> {
    if local_name.is_empty() {
        return Err(OpError::invalid("A sandbox needs a `name`."));
    }
    if local_name.chars().any(char::is_whitespace) {
        return Err(OpError::invalid(format!(
            "The sandbox name would be \"{local_name}\" in the config, and the CLI rejects names with whitespace other than spaces; use spaces or dashes."
        )));
    }
    let taken = config.find_str(local_name).or_else(|| {
        config.accounts.iter().find(|a| a.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(local_name)))
    });
    match taken {
        Some(a) => Err(OpError::invalid(format!(
            "The sandbox would be saved as \"{local_name}\", which account {} already uses in {}; choose another name.",
            a.label(),
            path.display()
        ))),
        None => Ok(()),
    }
}

fn limit_reached(config: &Config, parent: &Caller, parent_id: i64, kind: SandboxType, limit: u64) -> OpError {
    let label = parent.account.label();
    let local = config
        .accounts
        .iter()
        .filter(|a| a.parent_account_id == Some(parent_id) && a.account_type.as_deref() == Some(kind.account_type()))
        .map(Account::label)
        .collect::<Vec<_>>();
    let what_to_do = if local.is_empty() {
        format!(
            "See them at {}/sandboxes-developer/{parent_id}/{}, and delete one there or add it with hubspot.account.auth.",
            Origins::website(parent.account.env),
            kind.label()
        )
    } else {
        format!("Use one of them ({}), or delete one with hubspot.sandbox.delete.", local.join(", "))
    };
    OpError::invalid(format!("Account {label} reached its limit of {limit} {} sandboxes. {what_to_do}", kind.label()))
}

/// A sandbox call's failure with what to do: the missing scope and the key page, or the
/// user's missing permission, else the API error's own sentence.
fn explain(e: ApiError, parent: &Caller, kind: Option<SandboxType>, doing: &str) -> OpError {
    let label = parent.account.label();
    let page = Origins::pak_page(parent.account.env, parent.account.account_id);
    if let Some(scopes) = api::missing_scopes(&e) {
        let needed = if scopes.is_empty() {
            format!("{}sandbox permissions", kind.map_or(String::new(), |k| format!("{} ", k.label())))
        } else {
            format!("the scope {}", scopes.join(", "))
        };
        return OpError::failed(format!(
            "The personal access key of {label} lacks {needed}, needed to {doing} it. At {page}, create a key that includes it, then run hubspot.account.auth with the new key."
        ));
    }
    match (e.status(), e.category(), e.sub_category()) {
        (Some(403), Some("BANNED"), Some("SandboxErrors.USER_ACCESS_NOT_ALLOWED")) => OpError::failed(format!(
            "HubSpot refused to {doing} {label}: your user was removed from it or its permission set does not allow sandboxes; ask a super admin of {label}."
        )),
        (Some(403), Some("BANNED"), Some("SandboxErrors.DEVELOPMENT_SANDBOX_ACCESS_NOT_ALLOWED")) => {
            OpError::failed(format!("{label} is a developer account without access to development sandboxes."))
        }
        _ => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names_are_the_clis() {
        assert_eq!(config_name("Orbit Dev Box"), "orbit-dev-box");
        assert_eq!(config_name("ÉTÉ  Box"), "été--box");
        assert_eq!(config_name("tab\there"), "tab\there");
    }

    #[test]
    fn a_name_taken_in_any_case_or_as_an_id_is_refused() {
        let text = "accounts:\n  - name: Orbit-Dev-Box\n    accountId: 1\n  - name: other\n    accountId: 42\n";
        let config = crate::hubspot::load::parse_config(text).expect("parses");
        let p = Path::new("/c.yml");
        assert!(check_free_name(&config, "orbit-dev-box", p).unwrap_err().message.contains("Orbit-Dev-Box (1)"));
        assert!(check_free_name(&config, "42", p).is_err());
        assert!(check_free_name(&config, "fresh", p).is_ok());
        assert!(check_free_name(&config, "", p).is_err());
    }
}
