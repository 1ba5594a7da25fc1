//! Document symbols, folding ranges and inlay hints.

use serde_json::Value;

use crate::analysis::checks::accounts::entries;
use crate::analysis::document::{DocKind, SourceFile};
use crate::analysis::world::World;
use crate::syntax::tree::{child_pointer, last_segment};
use crate::syntax::TextRange;

use super::accounts::{account_source, lookup, references};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Account,
    Key,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub range: TextRange,
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// Top-level keys; the accounts list holds one symbol per account (name and id).
pub fn document_symbols(file: &SourceFile) -> Vec<Symbol> {
    let Some(tree) = file.tree.as_deref() else { return Vec::new() };
    let Some(root) = tree.value.as_object() else { return Vec::new() };
    let accounts: Vec<_> = if file.kind.is_config() { entries(tree) } else { Vec::new() };
    root.keys()
        .filter_map(|k| {
            let p = child_pointer("", k);
            let s = tree.spans(&p)?;
            let children = accounts
                .iter()
                .filter(|e| e.pointer.starts_with(&format!("{p}/")))
                .filter_map(|e| {
                    let es = tree.spans(&e.pointer)?;
                    let name_span = tree.spans(&child_pointer(&e.pointer, "name")).map(|n| n.value);
                    Some(Symbol {
                        name: e.name().map(String::from).unwrap_or_else(|| "(no name)".into()),
                        detail: e.id().map(|v| v.to_string()),
                        kind: SymbolKind::Account,
                        range: es.entry,
                        selection: name_span.unwrap_or(es.value),
                        children: Vec::new(),
                    })
                })
                .collect();
            Some(Symbol {
                name: k.clone(),
                detail: None,
                kind: SymbolKind::Key,
                range: s.entry,
                selection: s.key.unwrap_or(s.value),
                children,
            })
        })
        .collect()
}

/// Every mapping or list that spans lines can fold (the caller drops one-line ranges).
pub fn folding_ranges(file: &SourceFile) -> Vec<TextRange> {
    let Some(tree) = file.tree.as_deref() else { return Vec::new() };
    let mut out = Vec::new();
    collect_folds(tree, "", tree.get("").unwrap_or(&Value::Null), &mut out);
    out
}

fn collect_folds(tree: &crate::syntax::Tree, pointer: &str, v: &Value, out: &mut Vec<TextRange>) {
    let children: Vec<String> = match v {
        Value::Object(m) => m.keys().map(|k| child_pointer(pointer, k)).collect(),
        Value::Array(a) => (0..a.len()).map(|i| child_pointer(pointer, &i.to_string())).collect(),
        _ => return,
    };
    if !pointer.is_empty() {
        if let Some(s) = tree.spans(pointer) {
            out.push(s.entry);
        }
    }
    for c in children {
        let child = tree.get(&c).cloned().unwrap_or(Value::Null);
        if child.is_object() || child.is_array() {
            collect_folds(tree, &c, &child, out);
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct InlayHint {
    /// The hint goes right after the id.
    pub at: usize,
    pub label: String,
}

/// The account name after each account id reference.
pub fn inlay_hints(file: &SourceFile, world: &World) -> Vec<InlayHint> {
    let Some((src, tree)) = account_source(file, world) else { return Vec::new() };
    references(file)
        .into_iter()
        .filter(|r| r.value.is_number() || file.kind == DocKind::HsAccount)
        .filter_map(|r| {
            let a = lookup(&src, &tree, &r.value)?;
            let name = a.name?;
            // The id as its text (a number prints as its digits): no hint that repeats it.
            let id_text = r.value.to_string();
            (last_segment(&name) != id_text).then(|| InlayHint { at: r.range.end as usize, label: format!(" {name}") })
        })
        .collect()
}
