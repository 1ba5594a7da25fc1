//! YAML merge keys (`<<: *base`, `<<: [*a, *b]`), as js-yaml applies them: the merged
//! mapping's keys are added unless the mapping already has them, and a key written later
//! replaces a merged one without counting as a duplicate.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::tree::{SpanNode, Spans};

/// Merges `value` (a mapping, or a list of them; the first to hold a key wins) into `map`.
/// Merged entries are placed on the `<<` entry itself (`spans`), having no text of their own.
pub fn merge(
    map: &mut Map<String, Value>,
    children: &mut Vec<SpanNode>,
    merged: &mut HashSet<String>,
    value: &Value,
    spans: Spans,
) -> Result<(), String> {
    let sources: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    if sources.iter().any(|s| !s.is_object()) {
        return Err("A merge key (`<<`) takes a mapping or a list of mappings: the CLI's YAML reader (js-yaml) refuses the file (\"cannot merge mappings\").".into());
    }
    for source in sources.into_iter().filter_map(Value::as_object) {
        for (k, v) in source {
            if !map.contains_key(k) {
                children.push(SpanNode::with_children(spans, Vec::new(), v));
                map.insert(k.clone(), v.clone());
                merged.insert(k.clone());
            }
        }
    }
    Ok(())
}

/// A key written after a merge gave it a value: the written value replaces the merged one in
/// place (key order is kept, as in JavaScript objects).
pub fn replace(map: &mut Map<String, Value>, children: &mut [SpanNode], key: String, value: Value, node: SpanNode) {
    if let Some(i) = map.keys().position(|k| *k == key) {
        if let Some(slot) = children.get_mut(i) {
            *slot = node;
        }
    }
    map.insert(key, value);
}

#[cfg(test)]
mod tests {
    use crate::syntax::yaml::parse;
    use serde_json::json;

    #[test]
    fn merge_keys_as_js_yaml_applies_them() {
        let t = parse("x: &a {k: 1, j: 2}\ny: &b {k: 3, m: 4}\nz:\n  <<: [*a, *b]\n  j: 5\n");
        assert!(t.errors.is_empty(), "{:?}", t.errors);
        assert_eq!(t.value["z"], json!({"k": 1, "j": 5, "m": 4}));
        let t = parse("x: &a {k: 1}\nz:\n  k: 0\n  <<: *a\n");
        assert_eq!(t.value["z"], json!({"k": 0}));
        // A key written twice is still a duplicate; a merge of a scalar is refused.
        assert_eq!(parse("x: &a {k: 1}\nz:\n  <<: *a\n  k: 2\n  k: 3\n").errors.len(), 1);
        assert_eq!(parse("x: &a 5\nz:\n  <<: *a\n").errors.len(), 1);
        // A quoted `<<` is an ordinary key.
        assert_eq!(parse("z:\n  '<<': {k: 1}\n").value["z"], json!({"<<": {"k": 1}}));
    }

    #[test]
    fn tabs_where_js_yaml_takes_them() {
        let t = parse("accounts:\n  - name: a\n    accountId:\t123\n    authType:\tpersonalaccesskey\n");
        assert!(t.errors.is_empty() && t.complete, "{:?}", t.errors);
        assert_eq!(t.value["accounts"][0]["accountId"], json!(123));
        assert!(!parse("accounts:\n  -\tname: a\n    accountId: 1\n").errors.is_empty());
        assert!(parse("flags:\n  -\tA\n").errors.is_empty());
    }
}
