//! Rendering new YAML content: the file's layout conventions ([`Style`]), block style at a
//! given column, flow style, and js-yaml scalars (`super::super::scalar`).

use serde_json::{Map, Value};

use super::super::scalar::{yaml_scalar, yaml_string};
use super::super::text::{column, newline};
use super::spans::node_spans;
use crate::syntax::tree::child_pointer;
use crate::syntax::Tree;

/// The file's layout conventions, read once from the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Style {
    pub(super) nl: &'static str,
    /// Indent of a nested mapping relative to its key.
    pub(super) unit: usize,
    /// Indent of a block sequence's dashes relative to its key (0: `key:\n- a`).
    pub(super) seq_indent: usize,
}

impl Style {
    /// A collection in block style whose first line starts at the current position and whose
    /// other lines are indented from column `col`.
    pub(super) fn block(&self, value: &Value, col: usize) -> String {
        let mut lines = Vec::new();
        self.block_lines(value, col, &mut lines);
        join_lines(&lines, self.nl)
    }

    /// `key: value` as a block entry at column `col` (first line not indented).
    pub(super) fn block_entry(&self, key: &str, value: &Value, col: usize) -> String {
        let mut m = Map::new();
        m.insert(key.to_string(), value.clone());
        self.block(&Value::Object(m), col)
    }

    fn block_lines(&self, value: &Value, col: usize, out: &mut Vec<(usize, String)>) {
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    let key = yaml_string(k, false);
                    if is_inline(v) {
                        out.push((col, format!("{key}: {}", flow_top(v))));
                    } else {
                        out.push((col, format!("{key}:")));
                        let child = col + if v.is_array() { self.seq_indent } else { self.unit };
                        self.block_lines(v, child, out);
                    }
                }
            }
            Value::Array(items) => {
                for v in items {
                    if is_inline(v) {
                        out.push((col, format!("- {}", flow_top(v))));
                    } else {
                        let mut sub = Vec::new();
                        self.block_lines(v, col + 2, &mut sub);
                        let mut sub = sub.into_iter();
                        if let Some((_, first)) = sub.next() {
                            out.push((col, format!("- {first}")));
                        }
                        out.extend(sub);
                    }
                }
            }
            scalar => out.push((col, flow_top(scalar))),
        }
    }
}

pub(super) fn is_empty_collection(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.is_empty()) || matches!(v, Value::Array(a) if a.is_empty())
}

/// Values written on the key's own line: scalars and empty collections.
pub(super) fn is_inline(v: &Value) -> bool {
    !matches!(v, Value::Object(m) if !m.is_empty()) && !matches!(v, Value::Array(a) if !a.is_empty())
}

/// A value in flow style, as found inside `{}`/`[]`.
pub(super) fn flow(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("{}: {}", yaml_string(k, true), flow(v))).collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(flow).collect::<Vec<_>>().join(", ")),
        scalar => yaml_scalar(scalar, true).unwrap_or_default(),
    }
}

/// A scalar or empty collection in block context (where `,` and brackets need no quotes).
pub(super) fn flow_top(v: &Value) -> String {
    yaml_scalar(v, false).unwrap_or_else(|| flow(v))
}

fn join_lines(lines: &[(usize, String)], nl: &str) -> String {
    let mut out = String::new();
    for (i, (col, line)) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(nl);
            out.push_str(&" ".repeat(*col));
        }
        out.push_str(line);
    }
    out
}

/// Indent width and sequence style, from the first examples in the file.
pub(super) fn detect_style(text: &str, tree: &Tree) -> Style {
    let mut unit = None;
    let mut seq = None;
    let mut stack = vec![(String::new(), &tree.value)];
    while let Some((pointer, v)) = stack.pop() {
        if unit.is_some() && seq.is_some() {
            break;
        }
        let children: Vec<(String, &Value)> = match v {
            Value::Object(m) => m.iter().map(|(k, v)| (child_pointer(&pointer, k), v)).collect(),
            Value::Array(a) => {
                a.iter().enumerate().map(|(i, v)| (child_pointer(&pointer, &i.to_string()), v)).collect()
            }
            _ => continue,
        };
        for (p, child) in &children {
            let Some(s) = node_spans(text, tree, p) else { continue };
            let Some(key) = s.key else { continue };
            let (ks, vs) = (key.start as usize, s.value.start as usize);
            if is_inline(child) || !text.get(ks..vs).is_some_and(|t| t.contains('\n')) {
                continue;
            }
            let d = column(text, vs).saturating_sub(column(text, ks));
            match child {
                Value::Object(_) if unit.is_none() && d > 0 => unit = Some(d),
                Value::Array(_) if seq.is_none() => seq = Some(d),
                _ => {}
            }
        }
        stack.extend(children.into_iter().rev());
    }
    let unit = unit.or(seq.filter(|d| *d > 0)).unwrap_or(2);
    Style { nl: newline(text), unit, seq_indent: seq.unwrap_or(unit) }
}
