//! Format-preserving edits of `.hs/settings.json` (docs/hubspot-cli.md, *.hs/settings.json*).
//!
//! The CLI rewrites the file with `JSON.stringify(settings, null, 2)`; we change only the
//! bytes that differ, in the file's own indentation and line breaks, so a hand-formatted file
//! (`"accounts": [123]` on one line) stays as it was written. A new file is written exactly as
//! the CLI writes one: see [`new_settings_text`].

use serde::Serialize;
use serde_json::{Map, Value};

use super::checked::{once, Editor};
use super::text::{column, line_content_start, line_start, newline, starts_line};
use super::{EditError, Result, TextEdit};
use crate::syntax::tree::{child_pointer, parent_pointer};
use crate::syntax::{Spans, TextRange, Tree};

/// Replace or insert the value at `pointer` (missing objects on the way are created).
pub fn set(text: &str, tree: &Tree, pointer: &str, value: &Value) -> Result<Vec<TextEdit>> {
    once(JsonEditor::with_tree(text, tree.clone()), |ed| ed.set(pointer, value))
}

/// Remove an object member or array element (and its comma).
pub fn remove(text: &str, tree: &Tree, pointer: &str) -> Result<Vec<TextEdit>> {
    once(JsonEditor::with_tree(text, tree.clone()), |ed| ed.remove(pointer))
}

/// Append to the array at `pointer` (created if missing).
pub fn append(text: &str, tree: &Tree, pointer: &str, value: &Value) -> Result<Vec<TextEdit>> {
    once(JsonEditor::with_tree(text, tree.clone()), |ed| ed.append(pointer, value))
}

/// A new `.hs/settings.json` as `hs account link` writes it: `JSON.stringify(x, null, 2)`,
/// `accounts` first, `localDefaultAccount` only when set, no final newline.
pub fn new_settings_text(accounts: &[i64], local_default_account: Option<i64>) -> String {
    let mut m = Map::new();
    m.insert("accounts".into(), Value::from(accounts.to_vec()));
    if let Some(id) = local_default_account {
        m.insert("localDefaultAccount".into(), Value::from(id));
    }
    stringify(&Value::Object(m), "  ", "", "\n")
}

/// A text being changed step by step (see `yaml::YamlEditor`; the same idea for JSON).
#[derive(Clone)]
pub struct JsonEditor {
    original: String,
    text: String,
    tree: Tree,
    /// One level of indentation (`"  "`, `"    "`, `"\t"`).
    unit: String,
    nl: &'static str,
}

impl JsonEditor {
    pub fn new(text: &str) -> Result<JsonEditor> {
        JsonEditor::with_tree(text, crate::syntax::json::parse(text))
    }

    pub fn with_tree(text: &str, tree: Tree) -> Result<JsonEditor> {
        if let Some(e) = tree.errors.first() {
            return Err(EditError::Unparsable { message: e.message.clone() });
        }
        let unit = detect_unit(text, &tree);
        Ok(JsonEditor { original: text.to_string(), nl: newline(text), text: text.to_string(), tree, unit })
    }

    fn spans_of(&self, pointer: &str) -> Result<Spans> {
        self.tree.spans(pointer).ok_or_else(|| EditError::NotFound { pointer: pointer.to_string() })
    }

    /// Whether the container at `pointer` is written over several lines.
    fn multiline(&self, pointer: &str) -> bool {
        self.tree.spans(pointer).is_some_and(|s| s.value.slice(&self.text).contains('\n'))
    }

    /// Leading whitespace of the line where the node at `pointer` starts.
    fn line_indent(&self, pointer: &str) -> String {
        let Some(s) = self.tree.spans(pointer) else { return String::new() };
        let at = s.entry.start as usize;
        self.text[line_start(&self.text, at)..line_content_start(&self.text, at)].to_string()
    }

    /// Indentation of the children of the container at `pointer` on their own lines.
    fn child_indent(&self, pointer: &str) -> String {
        let first = match self.tree.get(pointer) {
            Some(Value::Object(m)) => m.keys().next().map(|k| child_pointer(pointer, k)),
            Some(Value::Array(a)) if !a.is_empty() => Some(child_pointer(pointer, "0")),
            _ => None,
        };
        if let Some(s) = first.and_then(|p| self.tree.spans(&p)) {
            let at = s.entry.start as usize;
            if starts_line(&self.text, at) {
                return self.text[line_start(&self.text, at)..at].to_string();
            }
        }
        format!("{}{}", self.line_indent(pointer), self.unit)
    }

    /// Adds `{prefix}{value}` to the container at `container` after its last child `last`:
    /// on a line of its own when the container spans lines, else inline after a comma.
    fn add_after(&mut self, container: &str, last: &str, prefix: &str, value: &Value) -> Result<()> {
        let last = self.spans_of(last)?;
        let new_text = if self.multiline(container) {
            let indent = self.child_indent(container);
            format!(",{}{indent}{prefix}{}", self.nl, self.render(value, &indent))
        } else {
            format!(", {prefix}{}", stringify(value, "", "", ""))
        };
        self.commit(vec![TextEdit::insert(last.entry.end as usize, new_text)])
    }

    fn render(&self, value: &Value, indent: &str) -> String {
        stringify(value, &self.unit, indent, self.nl)
    }

    fn write_root(&mut self, value: &Value) -> Result<()> {
        if !self.text.trim().is_empty() {
            return Err(EditError::unsupported("", "the file holds no JSON value"));
        }
        let text = stringify(value, &self.unit, "", self.nl);
        self.commit(vec![TextEdit::replace(TextRange::new(0, self.text.len()), text)])
    }
}

/// `JSON.stringify(value, null, unit)` with every line after the first prefixed by `indent`
/// and `nl` as the line break. An empty `unit` gives the compact form with `, ` and `: `.
fn stringify(value: &Value, unit: &str, indent: &str, nl: &str) -> String {
    if unit.is_empty() {
        // serde's compact form has no spaces; add them after `,` and `:` outside strings.
        return compact(value);
    }
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    let pretty = String::from_utf8(out).unwrap_or_default();
    pretty.split('\n').collect::<Vec<_>>().join(&format!("{nl}{indent}"))
}

fn compact(value: &Value) -> String {
    match value {
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap_or_default(), compact(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Array(a) => format!("[{}]", a.iter().map(compact).collect::<Vec<_>>().join(", ")),
        v => v.to_string(),
    }
}

/// The indentation step of the file: the indent of the first member on its own line, relative
/// to its container's line. Two spaces when the file has none (`JSON.stringify(x, null, 2)`).
fn detect_unit(text: &str, tree: &Tree) -> String {
    let Some(Value::Object(m)) = Some(&tree.value) else { return "  ".into() };
    for k in m.keys() {
        let Some(s) = tree.spans(&child_pointer("", k)) else { continue };
        let at = s.entry.start as usize;
        if starts_line(text, at) && column(text, at) > 0 {
            return text[line_start(text, at)..at].to_string();
        }
    }
    "  ".into()
}

impl Editor for JsonEditor {
    const PARSE: fn(&str) -> Tree = crate::syntax::json::parse;
    const NOT_AS_INTENDED: &'static str = "the change did not read back as intended";

    fn state(&mut self) -> (&mut String, &mut Tree) {
        (&mut self.text, &mut self.tree)
    }

    fn original(&self) -> &str {
        &self.original
    }

    fn current(&self) -> (&str, &Tree) {
        (&self.text, &self.tree)
    }

    fn replace_step(&mut self, pointer: &str, value: &Value) -> Result<()> {
        let Some(s) = self.tree.spans(pointer) else { return self.write_root(value) };
        let single_line_array =
            matches!(self.tree.get(pointer), Some(Value::Array(a)) if !a.is_empty()) && !self.multiline(pointer);
        let text = match value {
            // A hand-written `[123]` stays on one line.
            Value::Array(items) if single_line_array => {
                format!("[{}]", items.iter().map(|v| stringify(v, "", "", "")).collect::<Vec<_>>().join(", "))
            }
            _ => self.render(value, &self.line_indent(pointer)),
        };
        self.commit(vec![TextEdit::replace(s.value, text)])
    }

    fn append_step(&mut self, pointer: &str, value: &Value) -> Result<()> {
        match self.tree.get(pointer).cloned() {
            None => self.insert_step(pointer, &Value::Array(vec![value.clone()])),
            Some(Value::Null) => self.replace_step(pointer, &Value::Array(vec![value.clone()])),
            Some(Value::Array(items)) if items.is_empty() => {
                // `[]` becomes what JSON.stringify writes when the file is pretty-printed.
                let s = self.spans_of(pointer)?;
                let pretty = self.text.contains('\n');
                let text = if pretty {
                    self.render(&Value::Array(vec![value.clone()]), &self.line_indent(pointer))
                } else {
                    format!("[{}]", stringify(value, "", "", ""))
                };
                self.commit(vec![TextEdit::replace(s.value, text)])
            }
            Some(Value::Array(items)) => {
                self.add_after(pointer, &child_pointer(pointer, &(items.len() - 1).to_string()), "", value)
            }
            Some(_) => Err(EditError::NotASequence { pointer: pointer.into() }),
        }
    }

    fn insert_entry(&mut self, obj: &str, key: &str, value: &Value) -> Result<()> {
        let Some(Value::Object(map)) = self.tree.get(obj).cloned() else {
            return Err(EditError::NotAContainer { pointer: obj.into() });
        };
        let s = self.spans_of(obj)?;
        let key_text = serde_json::to_string(key).unwrap_or_default();
        match map.keys().next_back() {
            None => {
                let mut m = Map::new();
                m.insert(key.to_string(), value.clone());
                let indent = self.line_indent(obj);
                self.commit(vec![TextEdit::replace(s.value, self.render(&Value::Object(m), &indent))])
            }
            Some(last) => self.add_after(obj, &child_pointer(obj, last), &format!("{key_text}: "), value),
        }
    }

    fn remove_step(&mut self, pointer: &str) -> Result<()> {
        let (siblings, idx) = self.siblings(pointer)?;
        let s = self.spans_of(pointer)?;
        let parent = parent_pointer(pointer).to_string();
        if siblings.len() == 1 {
            let empty = if self.tree.get(&parent).is_some_and(Value::is_array) { "[]" } else { "{}" };
            let ps = self.spans_of(&parent)?;
            return self.commit(vec![TextEdit::replace(ps.value, empty)]);
        }
        let range = match siblings.get(idx + 1) {
            Some(next) => TextRange::new(s.entry.start as usize, self.spans_of(next)?.entry.start as usize),
            None => TextRange::new(self.spans_of(&siblings[idx - 1])?.entry.end as usize, s.entry.end as usize),
        };
        self.commit(vec![TextEdit::delete(range)])
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
