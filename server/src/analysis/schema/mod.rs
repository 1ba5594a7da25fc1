//! The JSON Schemas in `schemas/`, embedded: validation mapped to JSON pointers, and the
//! per-key documentation that completion and hover show.
//!
//! Validators are compiled once per process. Messages are our own text built from the
//! schema, never jsonschema's defaults, which print whole instances (and so secrets).

mod docs;

use std::sync::LazyLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;
use serde_json::Value;

pub use docs::{doc_at, keys_at, KeyDoc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    Config,
    Settings,
}

static CONFIG_SCHEMA: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../../schemas/config.schema.json")).unwrap_or(Value::Null)
});
static SETTINGS_SCHEMA: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../../schemas/settings.schema.json")).unwrap_or(Value::Null)
});

static CONFIG_VALIDATOR: LazyLock<Option<Validator>> = LazyLock::new(|| build(&CONFIG_SCHEMA));
static SETTINGS_VALIDATOR: LazyLock<Option<Validator>> = LazyLock::new(|| build(&SETTINGS_SCHEMA));

fn build(schema: &Value) -> Option<Validator> {
    match jsonschema::draft202012::new(schema) {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::error!("embedded schema does not compile: {e}");
            None
        }
    }
}

/// Compiles every validator (each is otherwise compiled on its first use).
pub fn compile() {
    let compiled = [&*CONFIG_VALIDATOR, &*SETTINGS_VALIDATOR];
    tracing::debug!("schemas compiled: {}", compiled.iter().filter(|v| v.is_some()).count());
}

pub fn schema(kind: SchemaKind) -> &'static Value {
    match kind {
        SchemaKind::Config => &CONFIG_SCHEMA,
        SchemaKind::Settings => &SETTINGS_SCHEMA,
    }
}

/// One schema violation, addressed by JSON pointer.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaFinding {
    /// The instance location: for `UnknownKey` the unknown key itself, for `Required` the
    /// mapping that lacks the key.
    pub pointer: String,
    pub kind: FindingKind,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FindingKind {
    UnknownKey { key: String, suggestion: Option<String> },
    Type { expected: String },
    Enum { allowed: Vec<String> },
    Required { missing: String },
    Other,
}

impl FindingKind {
    pub fn is_required(&self) -> bool {
        matches!(self, FindingKind::Required { .. })
    }
}

/// Every violation in `instance`, the whole document.
pub fn validate(kind: SchemaKind, instance: &Value) -> Vec<SchemaFinding> {
    let validator = match kind {
        SchemaKind::Config => CONFIG_VALIDATOR.as_ref(),
        SchemaKind::Settings => SETTINGS_VALIDATOR.as_ref(),
    };
    let mut out = Vec::new();
    if let Some(validator) = validator {
        collect(kind, validator, instance, &mut out);
    }
    out
}

/// The findings of validating `value`, the whole document.
fn collect(kind: SchemaKind, validator: &Validator, value: &Value, out: &mut Vec<SchemaFinding>) {
    let mut seen = std::collections::HashSet::new();
    for err in validator.iter_errors(value) {
        let pointer = err.instance_path().as_str().to_string();
        let found = value.pointer(err.instance_path().as_str());
        let finding = match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    let known: Vec<String> = keys_at(kind, &pointer).into_iter().map(|(k, _)| k).collect();
                    let suggestion = closest(key, &known);
                    let hint = suggestion.as_ref().map(|s| format!(" Did you mean `{s}`?")).unwrap_or_default();
                    out.push(SchemaFinding {
                        pointer: crate::syntax::tree::child_pointer(&pointer, key),
                        kind: FindingKind::UnknownKey { key: key.clone(), suggestion },
                        message: format!("Unknown key `{key}`: the CLI does not read it.{hint}"),
                    });
                }
                continue;
            }
            ValidationErrorKind::Type { .. } => {
                let doc = docs::doc_at(kind, &pointer);
                let expected = doc.as_ref().map(|d| d.type_name.clone()).unwrap_or_else(|| "another type".into());
                let name = docs::display_name(&pointer);
                SchemaFinding {
                    message: type_message(&name, &expected, found),
                    pointer,
                    kind: FindingKind::Type { expected },
                }
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).filter(|s| !s.is_empty()).map(String::from).collect())
                    .unwrap_or_default();
                let name = docs::display_name(&pointer);
                let got = found.and_then(Value::as_str).map(|s| format!(" \"{}\"", short(s))).unwrap_or_default();
                let mut message = format!(
                    "`{name}`{got} is not one of {}.",
                    allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                );
                if let Some(s) = found.and_then(Value::as_str) {
                    if let Some(exact) = allowed.iter().find(|a| a.eq_ignore_ascii_case(s)) {
                        message.push_str(&format!(" Values are case-sensitive: write `{exact}`."));
                    }
                }
                SchemaFinding { pointer, kind: FindingKind::Enum { allowed }, message }
            }
            ValidationErrorKind::Required { property } => {
                let missing = property.as_str().unwrap_or_default().to_string();
                SchemaFinding {
                    message: required_message(&missing, found),
                    pointer,
                    kind: FindingKind::Required { missing },
                }
            }
            ValidationErrorKind::Minimum { .. } => continue, // http-timeout-low says it better
            _ => SchemaFinding { pointer, kind: FindingKind::Other, message: format!("{}", err.masked()) },
        };
        // One finding of a kind per place (several schema branches can say the same thing);
        // a set, as a file can hold thousands of findings.
        if seen.insert((finding.pointer.clone(), std::mem::discriminant(&finding.kind))) {
            out.push(finding);
        }
    }
}

/// Enum values are short words; anything long is cut so no pasted secret ends up in a message.
fn short(s: &str) -> String {
    if s.chars().count() > 24 {
        format!("{}…", s.chars().take(12).collect::<String>())
    } else {
        s.to_string()
    }
}

fn type_message(name: &str, expected: &str, actual: Option<&Value>) -> String {
    let got = match actual {
        Some(Value::String(_)) => "a string",
        Some(Value::Number(_)) => "a number",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Null) => "empty",
        Some(Value::Array(_)) => "a list",
        Some(Value::Object(m)) if m.contains_key("$date") => {
            "a date (unquoted, the CLI's YAML reader makes a Date of it)"
        }
        Some(Value::Object(_)) => "a mapping",
        None => "missing",
    };
    let mut msg = format!("`{name}` must be {expected}, but it is {got}.");
    match (name, actual) {
        ("accountId" | "portalId" | "parentAccountId", Some(Value::String(s))) if s.trim().parse::<i64>().is_ok() => {
            msg.push_str(" The quotes make it a string: the CLI still uses the account (reached by name, or as the default by name), but never finds it by id (`--account`, `defaultAccount`, `.hsaccount` and settings.json with the number). Remove them.")
        }
        ("name", Some(v @ (Value::Number(_) | Value::Bool(true) | Value::Object(_) | Value::Array(_))))
            if crate::hubspot::model::truthy(v) =>
        {
            msg.push_str(" The CLI's config validation crashes on it (TypeError), so every command fails: quote it.")
        }
        ("accounts", Some(Value::Object(_))) => {
            msg.push_str(" The CLI crashes on a mapping here (TypeError): use a list of `- name: ...` entries.")
        }
        _ => {}
    }
    msg
}

pub fn required_message(missing: &str, parent: Option<&Value>) -> String {
    let id = parent
        .and_then(|p| p.get("accountId").or_else(|| p.get("portalId")))
        .filter(|v| !v.is_null())
        .map(|v| format!(" {}", v.as_str().map(String::from).unwrap_or_else(|| v.to_string())))
        .unwrap_or_default();
    match missing {
        "accountId" | "portalId" => "This account has no `accountId`: the CLI rejects the config (\"At least one account in config is missing accountId\").".into(),
        "authType" => format!("Account{id} has no `authType`: the CLI rejects the config. Use `personalaccesskey`."),
        "personalAccessKey" => format!("Account{id} has `authType: personalaccesskey` but no `personalAccessKey`: the CLI rejects the config. Re-run `hs account auth`."),
        "auth" => format!("Account{id} has `authType: oauth2` but no `auth` data: the CLI rejects the config."),
        "apiKey" => format!("Account{id} has `authType: apikey` but no `apiKey`: the CLI rejects the config."),
        other => format!("`{other}` is required here."),
    }
}

/// The closest known key, if it is close enough to be what the user meant.
pub fn closest(key: &str, known: &[String]) -> Option<String> {
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

#[cfg(test)]
mod tests;
