//! Documentation of keys, read from the schema: what hover and completion show.

use serde_json::Value;

use super::{schema, SchemaKind};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeyDoc {
    pub title: Option<String>,
    pub description: String,
    pub enum_values: Vec<String>,
    pub deprecated: bool,
    /// Human form of the type: "an integer", "a string or an integer", ...
    pub type_name: String,
    pub default: Option<Value>,
}

/// Follow a local `$ref` (`#/$defs/x`).
fn resolve<'s>(root: &'s Value, node: &'s Value) -> &'s Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(ptr) => root.pointer(ptr).unwrap_or(node),
        None => node,
    }
}

/// The schema node describing the instance at `pointer`.
fn node_at(kind: SchemaKind, pointer: &str) -> Option<&'static Value> {
    let root = schema(kind);
    let mut node = root;
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let n = resolve(root, node);
        node = if let Some(p) = n.get("properties").and_then(|p| p.get(&seg)) {
            p
        } else if seg.parse::<usize>().is_ok() && n.get("items").is_some() {
            n.get("items")?
        } else {
            return None;
        };
    }
    Some(resolve(root, node))
}

pub fn doc_at(kind: SchemaKind, pointer: &str) -> Option<KeyDoc> {
    node_at(kind, pointer).map(doc_of)
}

fn doc_of(n: &Value) -> KeyDoc {
    let types: Vec<String> = match n.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => {
            ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").map(String::from).collect()
        }
        _ => Vec::new(),
    };
    let article = |t: &str| match t {
        "integer" => "an integer (a number without quotes)".to_string(),
        "array" => "a list".to_string(),
        "object" => "a mapping".to_string(),
        other => format!("a {other}"),
    };
    KeyDoc {
        title: n.get("title").and_then(Value::as_str).map(String::from),
        description: n.get("description").and_then(Value::as_str).unwrap_or_default().to_string(),
        enum_values: n
            .get("enum")
            .or_else(|| n.get("items").and_then(|i| i.get("enum")))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).filter(|s| !s.is_empty()).map(String::from).collect())
            .unwrap_or_default(),
        deprecated: n.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
        type_name: types.iter().map(|t| article(t)).collect::<Vec<_>>().join(" or "),
        default: n.get("default").cloned(),
    }
}

/// Known keys of the mapping at `pointer`, in schema order.
pub fn keys_at(kind: SchemaKind, pointer: &str) -> Vec<(String, KeyDoc)> {
    let root = schema(kind);
    let Some(node) = node_at(kind, pointer) else { return Vec::new() };
    node.get("properties")
        .and_then(Value::as_object)
        .map(|props| props.iter().map(|(k, v)| (k.clone(), doc_of(resolve(root, v)))).collect())
        .unwrap_or_default()
}

/// `/accounts/0/auth/tokenInfo/expiresAt` -> `expiresAt`; list items name their list.
pub fn display_name(pointer: &str) -> String {
    let segs: Vec<&str> = pointer.split('/').skip(1).collect();
    match segs.iter().rev().find(|s| s.parse::<usize>().is_err()) {
        Some(s) if segs.last().is_some_and(|l| l.parse::<usize>().is_ok()) => format!("{s} item"),
        Some(s) => s.replace("~1", "/").replace("~0", "~"),
        None => "the document".into(),
    }
}
