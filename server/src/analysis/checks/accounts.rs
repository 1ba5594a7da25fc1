//! The account entries of a config tree, as the CLI will see them after normalisation
//! (`portals` replaces `accounts`), with the pointers to find them in the text.

use serde_json::{Map, Value};

use crate::hubspot::model;
use crate::syntax::tree::child_pointer;
use crate::syntax::Tree;

pub struct Entry<'a> {
    /// `/accounts/3` or `/portals/3`.
    pub pointer: String,
    /// `None` when the item is not a mapping (a bare string, a null `-`).
    pub map: Option<&'a Map<String, Value>>,
    /// `accountId`, or `portalId` in a legacy entry.
    pub id_key: &'static str,
}

impl<'a> Entry<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.and_then(|m| m.get(key))
    }

    /// The id the CLI reads: a truthy `portalId` in a `portals` entry, else `accountId`.
    pub fn id(&self) -> Option<&'a Value> {
        self.get(self.id_key).filter(|v| model::truthy(v)).or_else(|| self.get("accountId"))
    }

    /// The key the id is read from: `id_key`, else `accountId`.
    pub fn id_key_read(&self) -> &'static str {
        if self.get(self.id_key).is_some_and(model::truthy) || self.get("accountId").is_none() {
            self.id_key
        } else {
            "accountId"
        }
    }

    pub fn id_pointer(&self) -> String {
        child_pointer(&self.pointer, self.id_key_read())
    }

    pub fn key_pointer(&self, key: &str) -> String {
        child_pointer(&self.pointer, key)
    }

    pub fn name(&self) -> Option<&'a str> {
        self.get("name").and_then(Value::as_str)
    }

    pub fn auth_type(&self) -> Option<&'a str> {
        self.get("authType").and_then(Value::as_str)
    }
}

/// Which list holds the accounts the CLI will use: `portals` wins when truthy (`portals:`
/// with no value is as good as absent; `portals: []` replaces `accounts` all the same).
pub fn list_key(tree: &Tree) -> Option<&'static str> {
    let root = tree.value.as_object()?;
    if root.get("portals").is_some_and(model::truthy) {
        Some("portals")
    } else if root.contains_key("accounts") {
        Some("accounts")
    } else {
        None
    }
}

pub fn entries(tree: &Tree) -> Vec<Entry<'_>> {
    let Some(key) = list_key(tree) else { return Vec::new() };
    list_items(tree).iter().enumerate().map(|(i, v)| entry(key, i, v)).collect()
}

/// The items of the list the CLI reads, without the pointers [`entries`] gives each (for a
/// question about all of them that needs no place).
pub fn list_items(tree: &Tree) -> &[Value] {
    match list_key(tree).and_then(|key| tree.value.get(key)) {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

/// Item `index` (`item`) of the list `list` (`accounts` or `portals`) as an entry.
pub fn entry<'a>(list: &str, index: usize, item: &'a Value) -> Entry<'a> {
    let id_key = if list == "portals" { "portalId" } else { "accountId" };
    Entry { pointer: format!("/{list}/{index}"), map: item.as_object(), id_key }
}

/// The CLI's "inferred identifier" lookup, over tree entries: the one
/// implementation in [`model::find_by_identifier`], with an entry's id only when it is an
/// integer in the tree.
pub fn find<'e, 'a>(entries: &'e [Entry<'a>], ident: &Value) -> Option<&'e Entry<'a>> {
    model::find_by_identifier(entries, ident, |e| e.id().and_then(Value::as_i64), |e| e.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_by_id_then_name() {
        let tree = crate::syntax::yaml::parse(
            "accounts:\n  - {name: '2024', accountId: 111}\n  - {name: b, accountId: '123'}\n  - {name: c, accountId: 2024}\n",
        );
        let es = entries(&tree);
        assert_eq!(find(&es, &json!(2024)).unwrap().name(), Some("c"));
        assert_eq!(find(&es, &json!("2024")).unwrap().name(), Some("c"));
        // A quoted id is never found by id.
        assert!(find(&es, &json!(123)).is_none());
        assert_eq!(find(&es, &json!("b")).unwrap().name(), Some("b"));
        assert_eq!(find(&es, &json!("111x")).unwrap().name(), Some("2024"));
    }
}
