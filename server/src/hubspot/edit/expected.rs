//! What a document must hold after an edit: the same change made to its data. Editors check
//! the re-parsed result against this, so an edit can never change anything but its target.
//! `None`: the change makes no sense on this data (the edit will fail anyway).

use serde_json::{Map, Value};

use crate::syntax::tree::{last_segment, parent_pointer};

/// `value` at `pointer`, missing mappings created on the way, `-` or the length of a list
/// appending to it.
pub(crate) fn set(doc: &Value, pointer: &str, value: &Value) -> Option<Value> {
    let mut doc = doc.clone();
    if pointer.is_empty() {
        return Some(value.clone());
    }
    let segments: Vec<String> = pointer[1..].split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    let mut node = &mut doc;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if node.is_null() {
            *node = Value::Object(Map::new());
        }
        node = match node {
            Value::Object(m) => {
                if last {
                    m.insert(seg.clone(), value.clone());
                    return Some(doc);
                }
                m.entry(seg.clone()).or_insert(Value::Null)
            }
            Value::Array(a) => {
                let idx = if seg == "-" { a.len() } else { seg.parse::<usize>().ok()? };
                if idx == a.len() {
                    a.push(if last { value.clone() } else { Value::Null });
                } else if idx > a.len() {
                    return None;
                } else if last {
                    a[idx] = value.clone();
                }
                if last {
                    return Some(doc);
                }
                &mut a[idx]
            }
            _ => return None,
        };
    }
    Some(doc)
}

/// The document without the node at `pointer`.
pub(crate) fn remove(doc: &Value, pointer: &str) -> Option<Value> {
    let mut doc = doc.clone();
    let key = last_segment(pointer);
    match doc.pointer_mut(parent_pointer(pointer))? {
        Value::Object(m) => {
            m.shift_remove(&key)?;
        }
        Value::Array(a) => {
            let i: usize = key.parse().ok().filter(|i| *i < a.len())?;
            a.remove(i);
        }
        _ => return None,
    }
    Some(doc)
}

/// The document with `value` appended to the list at `pointer` (created if missing or null).
pub(crate) fn append(doc: &Value, pointer: &str, value: &Value) -> Option<Value> {
    match doc.pointer(pointer) {
        Some(Value::Array(a)) => {
            let mut a = a.clone();
            a.push(value.clone());
            set(doc, pointer, &Value::Array(a))
        }
        Some(Value::Null) | None => set(doc, pointer, &Value::Array(vec![value.clone()])),
        Some(_) => None,
    }
}

/// The document with the key at `pointer` renamed (keeping its value).
pub(crate) fn rename(doc: &Value, pointer: &str, new_key: &str) -> Option<Value> {
    let value = doc.pointer(pointer)?.clone();
    let mut doc = remove(doc, pointer)?;
    match doc.pointer_mut(parent_pointer(pointer))? {
        Value::Object(m) => {
            m.insert(new_key.to_string(), value);
        }
        _ => return None,
    }
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_on_data() {
        let d = json!({"a": {"b": 1}, "l": [1]});
        assert_eq!(set(&d, "/a/c/d", &json!(2)), Some(json!({"a": {"b": 1, "c": {"d": 2}}, "l": [1]})));
        assert_eq!(set(&d, "/l/1", &json!(2)), Some(json!({"a": {"b": 1}, "l": [1, 2]})));
        assert_eq!(set(&d, "/l/5", &json!(2)), None);
        assert_eq!(set(&d, "/a/b/c", &json!(2)), None);
        assert_eq!(set(&json!(null), "/x", &json!(1)), Some(json!({"x": 1})));
        assert_eq!(remove(&d, "/a/b"), Some(json!({"a": {}, "l": [1]})));
        assert_eq!(remove(&d, "/nope"), None);
        assert_eq!(append(&d, "/m", &json!(1)), Some(json!({"a": {"b": 1}, "l": [1], "m": [1]})));
        assert_eq!(rename(&d, "/a", "z"), Some(json!({"z": {"b": 1}, "l": [1]})));
    }
}
