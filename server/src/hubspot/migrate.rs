//! `hs config migrate` without prompts (`hubspot.config.migrate`), as a plan of file
//! operations. See docs/hubspot-cli.md, *Config migrate and merge*.
//!
//! - No global config yet: the legacy file *becomes* the global one. Its normalisation
//!   (`portals` -> `accounts`, `portalId` -> `accountId`, `sandboxAccountType` ->
//!   `accountType`, `defaultPortal` -> `defaultAccount`, `defaultMode` ->
//!   `defaultCmsPublishMode`) is done by edits on the legacy text, so its comments survive
//!   (the CLI loses them). The new file is created `0600`.
//! - A global config exists: it is merged into, the global file edited in place (its
//!   comments kept): existing values win and every differing value is reported as a conflict
//!   (the CLI's non-`--force` merge with every prompt answered "keep"), `flags` are united,
//!   legacy accounts whose id exists are skipped, and a legacy account whose name clashes
//!   (ignoring case) is renamed `<name>_<id>`, the CLI's own rename, which its merge means
//!   to apply but never does (fixtures 19, 24).
//!
//! Either way the legacy file is then renamed `archived.hubspot.config.yml` in its directory.
//! The data written equals what the CLI's library writes, except for those renames; the
//! differential test `server/tests/migrate_oracle.rs` checks that against LDL itself.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

mod live;
mod merge;

pub use live::{refuse_live_config, LiveConfig};
use merge::{merge_into, MergeError};

use super::edit::yaml::YamlEditor;
use super::edit::Editor;
use super::edit::{EditError, FileOp};
use super::model::{parse_int_js, truthy};

/// What the CLI renames a migrated legacy file to, in its own directory.
pub const ARCHIVED_FILE_NAME: &str = "archived.hubspot.config.yml";

/// Mode of a global config we create: owner-only, since it holds credentials.
pub const NEW_GLOBAL_CONFIG_MODE: u32 = 0o600;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigratePlan {
    pub ops: Vec<FileOp>,
    pub outcome: MigrateOutcome,
}

/// The result of `hubspot.config.migrate`, serialised as
/// `{configPath, archivedPath, conflicts: [{property, kept, ignored}], skipped: [ids], renamed: [{from, to}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrateOutcome {
    pub config_path: PathBuf,
    pub archived_path: PathBuf,
    pub conflicts: Vec<Conflict>,
    pub skipped: Vec<Value>,
    pub renamed: Vec<Renamed>,
    /// True for a merge into an existing global config, false for a migration.
    #[serde(skip)]
    pub merged: bool,
}

/// A top-level setting both files have with different values; the global one is kept.
/// Only the merged settings (publish mode, timeout, env, booleans, default account) can
/// appear here, none of which is a credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub property: String,
    pub kept: Value,
    pub ignored: Value,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MigrateError {
    /// The legacy file has YAML errors (or is not a mapping).
    Legacy { path: PathBuf, message: String },
    /// The global config has YAML errors or is in a shape we cannot merge into.
    Global { path: PathBuf, message: String },
    /// An edit could not be made without rewriting the file.
    Edit { path: PathBuf, error: EditError },
}

impl fmt::Display for MigrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MigrateError::Legacy { path, message } => {
                write!(
                    f,
                    "cannot migrate {}: {message}; fix that file first, then run the migration again",
                    path.display()
                )
            }
            MigrateError::Global { path, message } => write!(
                f,
                "cannot merge into the global config {}: {message}; fix it first, then run the migration again",
                path.display()
            ),
            MigrateError::Edit { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for MigrateError {}

pub type Result<T> = std::result::Result<T, MigrateError>;

/// Plan `hs config migrate` of the legacy file at `legacy_path` (text `legacy_text`) into the
/// global config at `global_path`, whose text is `global_text` when it exists.
pub fn migrate(
    legacy_path: &Path,
    legacy_text: &str,
    global_path: &Path,
    global_text: Option<&str>,
) -> Result<MigratePlan> {
    let archived = archived_path(legacy_path);
    let legacy_err = |message: String| MigrateError::Legacy { path: legacy_path.into(), message };
    let (mut ops, conflicts, skipped, renamed) = match global_text {
        None => {
            let text = migrated_text(legacy_text).map_err(|e| match e {
                EditError::Unparsable { message } => legacy_err(message),
                error => MigrateError::Edit { path: legacy_path.into(), error },
            })?;
            let op = FileOp::Write { path: global_path.into(), text, mode: Some(NEW_GLOBAL_CONFIG_MODE) };
            (vec![op], Vec::new(), Vec::new(), Vec::new())
        }
        Some(global_text) => {
            let legacy_tree = crate::syntax::yaml::parse(legacy_text);
            if let Some(e) = legacy_tree.errors.first() {
                return Err(legacy_err(e.message.clone()));
            }
            let legacy = normalize_parsed_config(&legacy_tree.value).map_err(legacy_err)?;
            let merge = merge_into(global_text, &legacy).map_err(|e| match e {
                MergeError::Global(message) => MigrateError::Global { path: global_path.into(), message },
                MergeError::Edit(error) => MigrateError::Edit { path: global_path.into(), error },
            })?;
            let mut ops = Vec::new();
            if !merge.edits.is_empty() {
                ops.push(FileOp::Edit { path: global_path.into(), edits: merge.edits });
            }
            (ops, merge.conflicts, merge.skipped, merge.renamed)
        }
    };
    ops.push(FileOp::Rename { from: legacy_path.into(), to: archived.clone() });
    Ok(MigratePlan {
        ops,
        outcome: MigrateOutcome {
            config_path: global_path.into(),
            archived_path: archived,
            conflicts,
            skipped,
            renamed,
            merged: global_text.is_some(),
        },
    })
}

/// `archived.hubspot.config.yml` next to the legacy file (whatever its own spelling).
pub fn archived_path(legacy_path: &Path) -> PathBuf {
    legacy_path.parent().unwrap_or(Path::new("")).join(ARCHIVED_FILE_NAME)
}

/// LDL `normalizeParsedConfig` followed by what `formatConfigForWrite` drops (a falsy
/// `defaultAccount`), on plain data: what the CLI holds after reading a file, and writes.
/// Errors where the CLI would crash (`portals` that is not a list).
pub fn normalize_parsed_config(raw: &Value) -> std::result::Result<Value, String> {
    let mut c = match raw {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => return Err("it does not hold a YAML mapping".into()),
    };
    let portals_truthy = c.get("portals").is_some_and(truthy);
    if !portals_truthy && !c.get("accounts").is_some_and(truthy) {
        c.insert("accounts".into(), Value::Array(Vec::new()));
    }
    if portals_truthy {
        let Some(Value::Array(portals)) = c.get("portals").cloned() else {
            return Err("`portals` is not a list".into());
        };
        // Each entry's `portalId` is read: a TypeError on an empty one (`-` alone).
        if let Some(i) = portals.iter().position(Value::is_null) {
            return Err(format!(
                "entry {} of `portals` is empty, which the CLI crashes on (TypeError); remove it or fill it in",
                i + 1
            ));
        }
        let accounts = portals.into_iter().map(normalize_portal).collect();
        c.insert("accounts".into(), Value::Array(accounts));
        c.shift_remove("portals");
    }
    if let Some(portal) = c.get("defaultPortal").filter(|v| truthy(v)).cloned() {
        let accounts = c.get("accounts").and_then(Value::as_array).cloned().unwrap_or_default();
        if let Some(acc) = find_inferred(&accounts, &portal) {
            match acc.get("accountId") {
                Some(id) => c.insert("defaultAccount".into(), id.clone()),
                None => c.shift_remove("defaultAccount"),
            };
        }
        c.shift_remove("defaultPortal");
    }
    if let Some(mode) = c.get("defaultMode").filter(|v| truthy(v)).cloned() {
        c.insert("defaultCmsPublishMode".into(), mode);
        c.shift_remove("defaultMode");
    }
    if c.get("defaultAccount").is_some_and(|v| !truthy(v)) {
        c.shift_remove("defaultAccount");
    }
    Ok(Value::Object(c))
}

fn normalize_portal(account: Value) -> Value {
    let Value::Object(mut a) = account else { return account };
    if let Some(id) = a.get("portalId").filter(|v| truthy(v)).cloned() {
        a.insert("accountId".into(), id);
        a.shift_remove("portalId");
    }
    if !a.get("accountType").is_some_and(truthy) {
        let t = account_type_for(a.get("sandboxAccountType"));
        a.insert("accountType".into(), Value::from(t));
        a.shift_remove("sandboxAccountType");
    }
    Value::Object(a)
}

/// LDL `getAccountType`.
fn account_type_for(sandbox: Option<&Value>) -> &'static str {
    match sandbox.and_then(Value::as_str).map(str::to_uppercase).as_deref() {
        Some("DEVELOPER") => "DEVELOPMENT_SANDBOX",
        Some("STANDARD") => "STANDARD_SANDBOX",
        _ => "STANDARD",
    }
}

/// The CLI's account lookup on raw accounts: a number (or a string `parseInt` reads)
/// matches a numeric `accountId`; then the exact name; then the name equal to the
/// identifier's text.
fn find_inferred<'a>(accounts: &'a [Value], ident: &Value) -> Option<&'a Value> {
    let as_id = match ident {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_int_js(s).map(|i| i as f64),
        _ => None,
    };
    if let Some(id) = as_id {
        if let Some(a) = accounts.iter().find(|a| a.get("accountId").and_then(Value::as_f64) == Some(id)) {
            return Some(a);
        }
    }
    let text = match ident {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    accounts.iter().find(|a| a.get("name").and_then(Value::as_str) == Some(text.as_str()))
}

/// The legacy text turned into the global config's shape by edits (comments kept).
fn migrated_text(legacy_text: &str) -> std::result::Result<String, EditError> {
    let mut ed = YamlEditor::new(legacy_text)?;
    normalize_in_place(&mut ed)?;
    Ok(ed.text().to_string())
}

/// [`normalize_parsed_config`] as edits of the text (comments kept), checked against the
/// normalisation of the same data. The CLI normalises both files of a merge on read.
fn normalize_in_place(ed: &mut YamlEditor) -> std::result::Result<(), EditError> {
    let raw = ed.value().clone();
    let want = normalize_parsed_config(&raw).map_err(|message| EditError::Unparsable { message })?;
    let map = raw.as_object().cloned().unwrap_or_default();
    let has = |k: &str| map.contains_key(k);
    let portals_truthy = map.get("portals").is_some_and(truthy);
    if portals_truthy {
        if has("accounts") {
            // The CLI lets `portals` replace `accounts` (fixture 21).
            ed.remove("/accounts")?;
        }
        let portals = map.get("portals").and_then(Value::as_array).cloned().unwrap_or_default();
        for (i, acc) in portals.iter().enumerate() {
            let Some(a) = acc.as_object() else { continue };
            let p = format!("/portals/{i}");
            if let Some(id) = a.get("portalId").filter(|v| truthy(v)) {
                if a.contains_key("accountId") {
                    ed.set(&format!("{p}/accountId"), id)?;
                    ed.remove(&format!("{p}/portalId"))?;
                } else {
                    ed.rename_key(&format!("{p}/portalId"), "accountId")?;
                }
            }
            if !a.get("accountType").is_some_and(truthy) {
                let t = Value::from(account_type_for(a.get("sandboxAccountType")));
                if a.contains_key("sandboxAccountType") && !a.contains_key("accountType") {
                    ed.rename_key(&format!("{p}/sandboxAccountType"), "accountType")?;
                    ed.set(&format!("{p}/accountType"), &t)?;
                } else {
                    ed.set(&format!("{p}/accountType"), &t)?;
                    if a.contains_key("sandboxAccountType") {
                        ed.remove(&format!("{p}/sandboxAccountType"))?;
                    }
                }
            }
        }
        ed.rename_key("/portals", "accounts")?;
    } else if !map.get("accounts").is_some_and(truthy) {
        ed.set("/accounts", &Value::Array(Vec::new()))?;
    }
    if map.get("defaultPortal").is_some_and(truthy) {
        match want.get("defaultAccount") {
            Some(id) if !has("defaultAccount") => {
                ed.rename_key("/defaultPortal", "defaultAccount")?;
                ed.set("/defaultAccount", id)?;
            }
            Some(id) => {
                ed.set("/defaultAccount", id)?;
                ed.remove("/defaultPortal")?;
            }
            None => {
                ed.remove("/defaultPortal")?;
            }
        }
    }
    if let Some(mode) = map.get("defaultMode").filter(|v| truthy(v)) {
        if has("defaultCmsPublishMode") {
            ed.set("/defaultCmsPublishMode", mode)?;
            ed.remove("/defaultMode")?;
        } else {
            ed.rename_key("/defaultMode", "defaultCmsPublishMode")?;
        }
    }
    if ed.value().get("defaultAccount").is_some_and(|v| !truthy(v)) {
        ed.remove("/defaultAccount")?;
    }
    if ed.value() != &want {
        return Err(EditError::Unsupported {
            pointer: String::new(),
            why: "the edited file would not hold what the CLI's migration writes".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
