//! The file effects of `hs account link` / `hs account unlink` and of the `.hsaccount` ->
//! `.hs/settings.json` migration, without prompts, as plans (docs/hubspot-cli.md, *Link and
//! unlink*).
//!
//! These functions read what they need (settings, `.hsaccount`, `.gitignore` files, the
//! legacy-config search) and return the [`FileOp`]s to perform plus what they decided; they
//! write nothing. Where the CLI would prompt, the caller's arguments decide.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::edit::json::{new_settings_text, JsonEditor};
use super::edit::Editor;
use super::edit::FileOp;
use super::gitignore::{check_and_add_hs_folder_to_gitignore, find_up};
use super::model::{parse_int_js, Config};
use super::settings::as_integer;

/// `.hs/README.txt`, written with the first `.hs` folder (LDL `config/hsSettings.js`).
pub const HS_README: &str = include_str!("link/hs-folder-README.txt");

/// What a link, unlink or override migration decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkOutcome {
    /// The settings file written (the nearest existing one, else `<directory>/.hs/settings.json`).
    pub settings_path: PathBuf,
    /// Whether that file is new.
    pub created: bool,
    /// `accounts` afterwards.
    pub accounts: Vec<i64>,
    /// `localDefaultAccount` afterwards.
    pub local_default_account: Option<i64>,
    /// The `.hsaccount` file deleted (its id is now linked).
    pub removed_hsaccount: Option<PathBuf>,
    /// The `.gitignore` that gets the `.hs` block, if any.
    pub gitignore: Option<PathBuf>,
    /// False when nothing needed writing (unlink in a directory that is not linked).
    pub changed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkPlan {
    pub ops: Vec<FileOp>,
    pub outcome: LinkOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// A `hubspot.config.yml` up the tree: the CLI refuses to link.
    LegacyConfig {
        command: &'static str,
        path: PathBuf,
    },
    /// An id the global config does not have.
    UnknownAccount {
        id: i64,
    },
    /// A name (or other text) that names no account of the global config.
    UnknownAccountRef {
        given: String,
    },
    /// No account to link (the CLI requires at least one).
    NoAccounts,
    /// The requested default is not among the linked accounts.
    DefaultNotLinked {
        id: i64,
    },
    /// Unlink of an id the settings do not list.
    NotLinked {
        id: i64,
        settings: PathBuf,
    },
    /// The settings file does not parse as JSON (the CLI fails the same way).
    BadSettings {
        path: PathBuf,
        message: String,
    },
    /// An `.hsaccount` whose content is not an account id.
    BadHsaccount {
        path: PathBuf,
    },
    /// An `.hsaccount` naming an account the global config does not have.
    HsaccountUnknown {
        path: PathBuf,
        id: i64,
    },
    Io {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::LegacyConfig { command, path } => write!(
                f,
                "`hs account {command}` does not support deprecated config. Run `hs config migrate` to migrate to global config. Then re-run `hs account {command}` (found {})",
                path.display()
            ),
            LinkError::UnknownAccount { id } => write!(
                f,
                "account {id} is not in the global config; authenticate it first (`hs account auth`) or pick one of the configured accounts"
            ),
            LinkError::UnknownAccountRef { given } => write!(
                f,
                "no account `{given}` in the global config; give the name or id of a configured account (`hs account list`)"
            ),
            LinkError::NoAccounts => write!(f, "no account to link; pass at least one account id"),
            LinkError::DefaultNotLinked { id } => {
                write!(f, "defaultAccount {id} is not among the linked accounts; add it to `accounts` too")
            }
            LinkError::NotLinked { id, settings } => {
                write!(f, "account {id} is not linked in {}; nothing to unlink", settings.display())
            }
            LinkError::BadSettings { path, message } => write!(
                f,
                "An error occurred while reading from \"{}\" ({message}); fix or delete that file, then try again",
                path.display()
            ),
            LinkError::BadHsaccount { path } => write!(
                f,
                "Error in {}: it does not hold an account id; put the numeric id of an account in it or delete it",
                path.display()
            ),
            LinkError::HsaccountUnknown { path, id } => write!(
                f,
                "Error in {}: account {id} is not in the global config; put a configured account's id in it or delete it",
                path.display()
            ),
            LinkError::Io { path, message } => write!(f, "cannot read {}: {message}", path.display()),
        }
    }
}

impl std::error::Error for LinkError {}

pub type Result<T> = std::result::Result<T, LinkError>;

/// `hs account link` in `directory`, linking `accounts` (ids of the global config) in that
/// order after those already linked, and making `default_account` the local default. With no
/// `default_account`: the `.hsaccount` id when it is now linked (the CLI's "keep as default?",
/// answered yes), else the only linked account, else the current default if still linked.
pub fn link(config: &Config, directory: &Path, accounts: &[i64], default_account: Option<i64>) -> Result<LinkPlan> {
    refuse_legacy("link", directory)?;
    // The CLI reads it with `getDefaultAccountOverrideAccountId`, which throws for content that
    // is not an id and for an id the global config lacks: so do we.
    let hsaccount = match find_up(directory, ".hsaccount") {
        Some(p) if p.is_file() => {
            let id = read_hsaccount(&p)?;
            if config.by_id(id).is_none() {
                return Err(LinkError::HsaccountUnknown { path: p, id });
            }
            Some((id, p))
        }
        _ => None,
    };
    link_with(config, directory, accounts, default_account, hsaccount)
}

/// `hubspot.override.migrate`: the `.hsaccount` at `path` becomes a link of its id in its
/// directory, made the local default; the `.hsaccount` is deleted (as `hs account link` does
/// when it links the override's account).
pub fn migrate_override(config: &Config, path: &Path) -> Result<LinkPlan> {
    let directory = path.parent().unwrap_or(Path::new("/"));
    refuse_legacy("link", directory)?;
    let id = read_hsaccount(path)?;
    link_with(config, directory, &[id], Some(id), Some((id, path.to_path_buf())))
}

/// `hs account unlink` in `directory` of `accounts`. Not linked (no settings, or an empty
/// `accounts`): nothing to do. Removing everything writes `{"accounts": []}` and keeps the file
/// and the `.hs` folder; removing the default makes the one remaining account the default, or
/// leaves none (where the CLI would ask).
pub fn unlink(directory: &Path, accounts: &[i64]) -> Result<LinkPlan> {
    refuse_legacy("unlink", directory)?;
    let Some(path) = find_settings(directory) else {
        return Ok(unchanged(directory.join(".hs/settings.json"), Vec::new(), None));
    };
    let (mut ed, linked, current_default) = read_settings(&path)?;
    if linked.is_empty() || accounts.is_empty() {
        return Ok(unchanged(path, linked, current_default));
    }
    if let Some(id) = accounts.iter().find(|id| !linked.contains(id)) {
        return Err(LinkError::NotLinked { id: *id, settings: path });
    }
    let remaining: Vec<i64> = linked.iter().copied().filter(|id| !accounts.contains(id)).collect();
    let default = match current_default {
        Some(d) if remaining.contains(&d) => Some(d),
        _ if remaining.len() == 1 => Some(remaining[0]),
        _ => None,
    };
    write_settings(&mut ed, &path, &remaining, default)?;
    let ops = vec![FileOp::Edit { path: path.clone(), edits: ed.edits() }];
    Ok(LinkPlan {
        ops,
        outcome: LinkOutcome {
            settings_path: path,
            created: false,
            accounts: remaining,
            local_default_account: default,
            removed_hsaccount: None,
            gitignore: None,
            changed: true,
        },
    })
}

/// An account as a command names it (`accounts` items, `defaultAccount`): an id, or its text,
/// or a name, found by the CLI's inferred-identifier rule. An account must have a
/// numeric `accountId` to be linked (settings store ids).
pub fn resolve_account(config: &Config, ident: &Value) -> Result<i64> {
    let given = match ident {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match config.find(ident).and_then(|a| a.account_id) {
        Some(id) => Ok(id),
        None => match ident.as_i64() {
            Some(id) => Err(LinkError::UnknownAccount { id }),
            None => Err(LinkError::UnknownAccountRef { given }),
        },
    }
}

/// The nearest `.hs/settings.json` at or above `directory`: the one the CLI rewrites.
pub fn find_settings(directory: &Path) -> Option<PathBuf> {
    find_up(directory, ".hs/settings.json").filter(|p| p.is_file())
}

/// The nearest `hubspot.config.yml` / `.yaml` at or above `directory` (LDL
/// `localConfigFileExists`).
pub fn find_legacy_config(directory: &Path) -> Option<PathBuf> {
    directory
        .ancestors()
        .find_map(|d| ["hubspot.config.yml", "hubspot.config.yaml"].iter().map(|n| d.join(n)).find(|p| p.is_file()))
}

fn refuse_legacy(command: &'static str, directory: &Path) -> Result<()> {
    match find_legacy_config(directory) {
        Some(path) => Err(LinkError::LegacyConfig { command, path }),
        None => Ok(()),
    }
}

fn unchanged(settings_path: PathBuf, accounts: Vec<i64>, local_default_account: Option<i64>) -> LinkPlan {
    LinkPlan {
        ops: Vec::new(),
        outcome: LinkOutcome {
            settings_path,
            created: false,
            accounts,
            local_default_account,
            removed_hsaccount: None,
            gitignore: None,
            changed: false,
        },
    }
}

fn link_with(
    config: &Config,
    directory: &Path,
    accounts: &[i64],
    default_account: Option<i64>,
    hsaccount: Option<(i64, PathBuf)>,
) -> Result<LinkPlan> {
    if accounts.is_empty() {
        return Err(LinkError::NoAccounts);
    }
    for id in accounts.iter().chain(default_account.iter()) {
        if config.by_id(*id).is_none() {
            return Err(LinkError::UnknownAccount { id: *id });
        }
    }
    let existing = find_settings(directory);
    let (mut editor, mut linked, mut current_default) = match &existing {
        Some(p) => {
            let (ed, linked, default) = read_settings(p)?;
            (Some(ed), linked, default)
        }
        None => (None, Vec::new(), None),
    };
    // As in the CLI, a local default that is not linked counts as unset.
    if current_default.is_some_and(|d| !linked.contains(&d)) {
        current_default = None;
    }
    for id in accounts {
        if !linked.contains(id) {
            linked.push(*id);
        }
    }
    if let Some(d) = default_account {
        if !linked.contains(&d) {
            return Err(LinkError::DefaultNotLinked { id: d });
        }
    }
    // As in the CLI, an `.hsaccount` whose id is now linked is deleted, whatever the default.
    let removed_hsaccount = hsaccount.as_ref().filter(|(id, _)| linked.contains(id)).map(|(_, p)| p.clone());
    let default = default_account
        .or_else(|| hsaccount.as_ref().filter(|(id, _)| linked.contains(id)).map(|(id, _)| *id))
        .or_else(|| (linked.len() == 1).then(|| linked[0]))
        .or(current_default);

    let mut ops = Vec::new();
    let (settings_path, created) = match (&existing, &mut editor) {
        (Some(path), Some(ed)) => {
            write_settings(ed, path, &linked, default)?;
            let edits = ed.edits();
            if !edits.is_empty() {
                ops.push(FileOp::Edit { path: path.clone(), edits });
            }
            (path.clone(), false)
        }
        _ => {
            let hs_dir = directory.join(".hs");
            let path = hs_dir.join("settings.json");
            ops.push(FileOp::Write { path: path.clone(), text: new_settings_text(&linked, default), mode: None });
            if !hs_dir.exists() {
                ops.push(FileOp::Write { path: hs_dir.join("README.txt"), text: HS_README.to_string(), mode: None });
            }
            (path, true)
        }
    };
    if let Some(p) = &removed_hsaccount {
        ops.push(FileOp::Delete { path: p.clone() });
    }
    // Gitignore failures are only debug-logged by the CLI.
    let gitignore = match check_and_add_hs_folder_to_gitignore(&settings_path, directory) {
        Ok(Some(op)) => {
            let p = op.path().to_path_buf();
            ops.push(op);
            Some(p)
        }
        Ok(None) => None,
        Err(e) => {
            tracing::debug!("gitignore check for {} failed: {e}", settings_path.display());
            None
        }
    };
    Ok(LinkPlan {
        ops,
        outcome: LinkOutcome {
            settings_path,
            created,
            accounts: linked,
            local_default_account: default,
            removed_hsaccount,
            gitignore,
            changed: true,
        },
    })
}

/// The settings file as an editor, its numeric `accounts` and its `localDefaultAccount`.
/// Non-numeric entries are kept in the file but not counted as links (the CLI never matches
/// `"222"`).
fn read_settings(path: &Path) -> Result<(JsonEditor, Vec<i64>, Option<i64>)> {
    let text = fs::read_to_string(path).map_err(|e| LinkError::Io { path: path.into(), message: e.to_string() })?;
    let ed =
        JsonEditor::new(&text).map_err(|e| LinkError::BadSettings { path: path.into(), message: e.to_string() })?;
    if !ed.value().is_object() {
        return Err(LinkError::BadSettings { path: path.into(), message: "it is not a JSON object".into() });
    }
    let linked = ed
        .value()
        .get("accounts")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(as_integer).collect())
        .unwrap_or_default();
    let default = ed.value().get("localDefaultAccount").and_then(as_integer);
    Ok((ed, linked, default))
}

/// Bring the settings to `accounts` / `default` by small edits: new ids appended, removed ids
/// deleted, `localDefaultAccount` set or removed.
fn write_settings(ed: &mut JsonEditor, path: &Path, accounts: &[i64], default: Option<i64>) -> Result<()> {
    let bad = |e: super::edit::EditError| LinkError::BadSettings { path: path.into(), message: e.to_string() };
    match ed.value().get("accounts").cloned() {
        Some(Value::Array(items)) => {
            // Remove from the end so indices stay valid; keep entries that are not ids we drop.
            for (i, v) in items.iter().enumerate().rev() {
                if as_integer(v).is_some_and(|id| !accounts.contains(&id)) {
                    ed.remove(&format!("/accounts/{i}")).map_err(bad)?;
                }
            }
            let present: Vec<i64> = items.iter().filter_map(as_integer).collect();
            for id in accounts.iter().filter(|id| !present.contains(id)) {
                ed.append("/accounts", &Value::from(*id)).map_err(bad)?;
            }
        }
        _ => ed.set("/accounts", &Value::from(accounts.to_vec())).map_err(bad)?,
    }
    match default {
        Some(d) if ed.value().get("localDefaultAccount").and_then(as_integer) != Some(d) => {
            ed.set("/localDefaultAccount", &Value::from(d)).map_err(bad)?
        }
        Some(_) => {}
        None if ed.value().get("localDefaultAccount").is_some() => ed.remove("/localDefaultAccount").map_err(bad)?,
        None => {}
    }
    Ok(())
}

/// `.hsaccount` content by `parseInt`, as the CLI reads it: `" 333\n"` is 333, `abc` is an error.
fn read_hsaccount(path: &Path) -> Result<i64> {
    let text = fs::read_to_string(path).map_err(|e| LinkError::Io { path: path.into(), message: e.to_string() })?;
    parse_int_js(&text).ok_or_else(|| LinkError::BadHsaccount { path: path.into() })
}

#[cfg(test)]
mod tests;
