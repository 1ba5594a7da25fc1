//! One tree for YAML and JSON documents: the value plus a JSON-pointer index of spans.

use std::collections::HashMap;

use serde_json::Value;

use super::range::TextRange;

/// Where a node sits in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spans {
    /// The key of a mapping entry (`None` for sequence items and the root).
    pub key: Option<TextRange>,
    /// The value node. For a missing value (`key:`) this is empty, right after the colon.
    pub value: TextRange,
    /// The whole entry: key through value for mapping entries, the `- ` dash through the value
    /// for block sequence items. Deleting this range removes the entry.
    pub entry: TextRange,
}

/// A syntax problem, positioned where the parser gave up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// A parsed document: what it says (`value`), where each part is (`spans`), and what
/// could not be parsed (`errors`).
///
/// `value` is always a usable value: after a syntax error it holds what was read before the
/// error (and, for YAML, after it, when skipping the offending line let the parser go on).
/// `complete` tells whether `value` is the whole document; checks for *missing* things
/// (required keys, empty lists) must not run on an incomplete tree, or every syntax error
/// would drag a cloud of false findings behind it.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub value: Value,
    spans: HashMap<String, Spans>,
    pub errors: Vec<SyntaxError>,
    pub complete: bool,
}

impl Tree {
    pub(crate) fn new(value: Value, spans: HashMap<String, Spans>, errors: Vec<SyntaxError>) -> Self {
        let complete = errors.is_empty();
        Tree { value, spans, errors, complete }
    }

    /// Spans of the node at a JSON pointer (`""` is the root, `/accounts/0/name`).
    pub fn spans(&self, pointer: &str) -> Option<Spans> {
        self.spans.get(pointer).copied()
    }

    /// The best range to point a finding about `pointer` at: the value, or the nearest
    /// ancestor that exists (a finding about a missing key lands on its parent).
    pub fn value_range(&self, pointer: &str) -> Option<TextRange> {
        self.nearest(pointer).map(|s| s.value)
    }

    /// The key's range for mapping entries, else the value's.
    pub fn key_range(&self, pointer: &str) -> Option<TextRange> {
        self.nearest(pointer).map(|s| s.key.unwrap_or(s.value))
    }

    /// Range of the first key of the mapping at `pointer` (CONTRACT: a missing field is
    /// reported on the first key of the mapping or list item that lacks it).
    pub fn first_key_range(&self, pointer: &str) -> Option<TextRange> {
        if let Some(Value::Object(map)) = self.get(pointer) {
            if let Some(first) = map.keys().next() {
                let child = child_pointer(pointer, first);
                if let Some(s) = self.spans(&child) {
                    return s.key.or(Some(s.value));
                }
            }
        }
        self.key_range(pointer)
    }

    /// The value at a JSON pointer.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.value.pointer(pointer)
    }

    fn nearest(&self, pointer: &str) -> Option<Spans> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(*s);
            }
            if p.is_empty() {
                return None;
            }
            p = parent_pointer(p);
        }
    }

    /// Every indexed pointer whose value range touches `offset`, deepest first.
    pub fn pointers_at(&self, offset: usize) -> Vec<(&str, Spans)> {
        let mut hits: Vec<(&str, Spans)> = self
            .spans
            .iter()
            .filter(|(_, s)| s.entry.touches(offset) || s.value.touches(offset))
            .map(|(p, s)| (p.as_str(), *s))
            .collect();
        hits.sort_by_key(|(p, s)| (std::cmp::Reverse(p.matches('/').count()), s.entry.len()));
        hits
    }

    /// Number of indexed nodes (for tests and benchmarks).
    pub fn node_count(&self) -> usize {
        self.spans.len()
    }
}

/// `/a/b` + `c` -> `/a/b/c`, escaping `~` and `/` as RFC 6901 says.
pub fn child_pointer(parent: &str, key: &str) -> String {
    let mut out = String::with_capacity(parent.len() + key.len() + 1);
    out.push_str(parent);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// `/a/b/c` -> `/a/b`; the root's parent is the root.
pub fn parent_pointer(pointer: &str) -> &str {
    match pointer.rfind('/') {
        Some(i) => &pointer[..i],
        None => "",
    }
}

/// The unescaped last segment of a pointer.
pub fn last_segment(pointer: &str) -> String {
    let seg = match pointer.rfind('/') {
        Some(i) => &pointer[i + 1..],
        None => pointer,
    };
    seg.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_split() {
        assert_eq!(child_pointer("/a", "x/y~z"), "/a/x~1y~0z");
        assert_eq!(parent_pointer("/a/x~1y"), "/a");
        assert_eq!(parent_pointer("/a"), "");
        assert_eq!(last_segment("/a/x~1y~0z"), "x/y~z");
    }
}
