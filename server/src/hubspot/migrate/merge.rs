//! Merging a legacy config into an existing global config: LDL's `mergeConfigProperties`
//! without force (existing values win, each differing one is a conflict), then
//! `mergeConfigAccounts`, as edits on the global file's text.

use serde_json::{Map, Value};

use super::{Conflict, Renamed};
use crate::hubspot::edit::yaml::YamlEditor;
use crate::hubspot::edit::{EditError, Editor, TextEdit};
use crate::hubspot::model::truthy;

pub struct Merge {
    pub edits: Vec<TextEdit>,
    pub conflicts: Vec<Conflict>,
    pub skipped: Vec<Value>,
    pub renamed: Vec<Renamed>,
}

pub enum MergeError {
    Global(String),
    Edit(EditError),
}

impl From<EditError> for MergeError {
    fn from(e: EditError) -> Self {
        MergeError::Edit(e)
    }
}

/// Settings filled when the global one is falsy (`||=`).
const FILLED_WHEN_FALSY: [&str; 4] = ["defaultCmsPublishMode", "httpTimeout", "env", "defaultAccount"];
/// Settings filled when the global one is absent.
const FILLED_WHEN_ABSENT: [&str; 4] = ["httpUseLocalhost", "allowUsageTracking", "autoOpenBrowser", "allowAutoUpdates"];
/// Conflicts are reported in LDL's `propertiesToCheck` order.
const CHECKED: [&str; 8] = [
    "defaultCmsPublishMode",
    "httpTimeout",
    "httpUseLocalhost",
    "allowUsageTracking",
    "autoOpenBrowser",
    "allowAutoUpdates",
    "env",
    "defaultAccount",
];

/// Merge the normalised legacy data into the global text (LDL `mergeConfigProperties` without
/// force, then `mergeConfigAccounts`, with the name-clash renames the CLI never applies).
pub fn merge_into(global_text: &str, legacy: &Value) -> std::result::Result<Merge, MergeError> {
    let mut ed = YamlEditor::new(global_text).map_err(|e| MergeError::Global(e.to_string()))?;
    match ed.value() {
        Value::Object(m) if m.contains_key("portals") => {
            return Err(MergeError::Global(
                "it is written in the legacy shape (`portals`); migrate it on its own first".into(),
            ))
        }
        Value::Object(_) | Value::Null => {}
        _ => return Err(MergeError::Global("it does not hold a YAML mapping".into())),
    }
    // The CLI reads the global config normalised too: a `defaultPortal` there becomes its
    // `defaultAccount` before the legacy values are merged in.
    super::normalize_in_place(&mut ed)?;
    let get = |ed: &YamlEditor, k: &str| ed.value().get(k).cloned();
    for p in FILLED_WHEN_FALSY {
        let cur = get(&ed, p);
        if cur.as_ref().is_some_and(truthy) {
            continue;
        }
        match legacy.get(p) {
            Some(v) => put(&mut ed, p, v)?,
            // `x ||= undefined` deletes a falsy x.
            None if cur.is_some() => ed.remove(&format!("/{p}"))?,
            None => {}
        }
    }
    for p in FILLED_WHEN_ABSENT {
        if get(&ed, p).is_none() {
            if let Some(v) = legacy.get(p) {
                put(&mut ed, p, v)?;
            }
        }
    }
    let mut conflicts = Vec::new();
    for p in CHECKED {
        if let (Some(kept), Some(ignored)) = (get(&ed, p), legacy.get(p)) {
            if !same_scalar(&kept, ignored) {
                conflicts.push(Conflict { property: p.to_string(), kept, ignored: ignored.clone() });
            }
        }
    }
    // flags: set union, global first.
    let global_flags = get(&ed, "flags");
    let legacy_flags = legacy.get("flags").cloned();
    if global_flags.as_ref().is_some_and(truthy) || legacy_flags.as_ref().is_some_and(truthy) {
        let have: Vec<Value> = global_flags.as_ref().and_then(Value::as_array).cloned().unwrap_or_default();
        let mut union = Vec::new();
        for f in have.iter().chain(legacy_flags.as_ref().and_then(Value::as_array).into_iter().flatten()) {
            if !union.contains(f) {
                union.push(f.clone());
            }
        }
        match global_flags {
            Some(Value::Array(_)) => {
                for f in union.iter().skip(have.len()) {
                    ed.append("/flags", f)?;
                }
            }
            _ => put(&mut ed, "flags", &Value::Array(union))?,
        }
    }
    // Accounts.
    let global_accounts = get(&ed, "accounts").and_then(|a| a.as_array().cloned()).unwrap_or_default();
    let mut ids: Vec<Value> = global_accounts.iter().filter_map(|a| a.get("accountId").cloned()).collect();
    let mut names: Vec<String> =
        global_accounts.iter().filter_map(|a| a.get("name").and_then(Value::as_str)).map(str::to_lowercase).collect();
    let mut skipped = Vec::new();
    let mut renamed = Vec::new();
    for acc in legacy.get("accounts").and_then(Value::as_array).into_iter().flatten() {
        let Some(a) = acc.as_object() else { continue };
        let id = a.get("accountId").cloned();
        if let Some(id) = &id {
            // Also skips a second legacy account with the same id (the CLI appends both).
            if ids.iter().any(|x| same_scalar(x, id)) {
                skipped.push(id.clone());
                continue;
            }
            ids.push(id.clone());
        }
        let mut a = write_order(a);
        if let Some(name) = a.get("name").and_then(Value::as_str).map(String::from) {
            let mut new = name.clone();
            let suffix = id.as_ref().map(id_text).unwrap_or_default();
            while names.contains(&new.to_lowercase()) {
                new = format!("{new}_{suffix}");
            }
            if new != name {
                a.insert("name".into(), Value::from(new.clone()));
                renamed.push(Renamed { from: name, to: new.clone() });
            }
            names.push(new.to_lowercase());
        }
        ed.append("/accounts", &Value::Object(a))?;
    }
    Ok(Merge { edits: ed.edits(), conflicts, skipped, renamed })
}

/// Set a top-level setting; a new one goes above `accounts`, where the CLI writes settings.
fn put(ed: &mut YamlEditor, key: &str, value: &Value) -> std::result::Result<(), EditError> {
    ed.insert_before("", key, value, "accounts")
}

/// `formatConfigForWrite`'s account key order: `name`, `accountId`, `env`, `authType`, then
/// the rest as they were.
fn write_order(a: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for k in ["name", "accountId", "env", "authType"] {
        if let Some(v) = a.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    for (k, v) in a {
        if !out.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// JavaScript `===` for what YAML scalars become (numbers compared as numbers).
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
