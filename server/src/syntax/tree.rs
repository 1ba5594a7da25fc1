//! One tree for YAML and JSON documents: the value plus a parallel tree of spans.

use std::borrow::Cow;

use serde_json::Value;

use super::range::TextRange;

/// Where a node sits in the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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

/// The spans of one node and of its children, parallel to the node's value: a mapping's
/// children in the mapping's (document) order, a sequence's items in order. Values that came
/// from an alias have no child spans. Looking a pointer up walks it segment by segment,
/// the value's own index giving the child's position, so no pointer string is stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpanNode {
    pub spans: Spans,
    pub children: Vec<SpanNode>,
    /// For a large mapping only: its keys, sorted, with their positions (a small one is
    /// searched in order).
    index: Option<KeyIndex>,
}

/// A large mapping's keys, sorted, with their positions among its children.
type KeyIndex = Box<[(Box<str>, u32)]>;

/// Mappings up to this many keys are searched key by key; past it a scan per lookup would make
/// the checks of a mapping with many keys (generated or hostile) quadratic.
const LINEAR_KEYS: usize = 32;

impl SpanNode {
    pub fn leaf(spans: Spans) -> SpanNode {
        SpanNode { spans, children: Vec::new(), index: None }
    }

    /// A node whose children are `children`; `value` is the node's value, which a large
    /// mapping's key index is built from.
    pub fn with_children(spans: Spans, children: Vec<SpanNode>, value: &Value) -> SpanNode {
        let index = match value {
            Value::Object(map) if map.len() > LINEAR_KEYS => {
                let mut keys: Vec<(Box<str>, u32)> =
                    map.keys().enumerate().map(|(i, k)| (Box::from(k.as_str()), i as u32)).collect();
                keys.sort_unstable();
                Some(keys.into_boxed_slice())
            }
            _ => None,
        };
        SpanNode { spans, children, index }
    }

    /// The child for `seg` of `value` (this node's value), with its value.
    fn child<'a>(&'a self, value: &'a Value, seg: &str) -> Option<(&'a SpanNode, &'a Value)> {
        match value {
            Value::Object(map) => match &self.index {
                Some(index) => {
                    let i = index.binary_search_by(|(k, _)| k.as_ref().cmp(seg)).ok().map(|j| index[j].1 as usize)?;
                    Some((self.children.get(i)?, map.get(seg)?))
                }
                // One pass finds both: hashing the key again for the value cost more than
                // the scan.
                None => map.iter().zip(&self.children).find(|((k, _), _)| *k == seg).map(|((_, v), n)| (n, v)),
            },
            Value::Array(items) => {
                let i = seg.parse::<usize>().ok()?;
                Some((self.children.get(i)?, items.get(i)?))
            }
            _ => None,
        }
    }

    /// Where this node and everything under it sit (key, value and entry together).
    fn extent(&self) -> (usize, usize) {
        let s = self.spans;
        let lo = s.entry.start.min(s.value.start);
        let hi = s.entry.end.max(s.value.end);
        (lo as usize, hi as usize)
    }

    fn count(&self) -> usize {
        1 + self.children.iter().map(SpanNode::count).sum::<usize>()
    }
}

/// A parsed document: what it says (`value`), where each part is (the span tree), and what
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
    root: Option<SpanNode>,
    pub errors: Vec<SyntaxError>,
    pub complete: bool,
}

/// RFC 6901 segments of a pointer, unescaped (`~1` is `/`, `~0` is `~`).
fn segments(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    pointer.split('/').skip(1).map(|seg| {
        if seg.contains('~') {
            Cow::Owned(seg.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(seg)
        }
    })
}

impl Tree {
    pub(crate) fn new(value: Value, root: Option<SpanNode>, errors: Vec<SyntaxError>) -> Self {
        let complete = errors.is_empty();
        Tree { value, root, errors, complete }
    }

    /// The deepest node on the way to `pointer`, and whether it is `pointer` itself.
    fn walk(&self, pointer: &str) -> Option<(Node<'_>, bool)> {
        Some(self.root()?.walk(pointer))
    }

    /// The root node, to look below it without pointers.
    pub fn root(&self) -> Option<Node<'_>> {
        Some(Node { spans: self.root.as_ref()?, value: &self.value })
    }

    /// The node at a JSON pointer.
    pub fn node(&self, pointer: &str) -> Option<Node<'_>> {
        self.walk(pointer).filter(|(_, exact)| *exact).map(|(n, _)| n)
    }

    /// Spans of the node at a JSON pointer (`""` is the root, `/accounts/0/name`).
    pub fn spans(&self, pointer: &str) -> Option<Spans> {
        self.node(pointer).map(|n| n.spans())
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

    /// Range of the first key of the mapping at `pointer` (a missing field is
    /// reported on the first key of the mapping or list item that lacks it).
    pub fn first_key_range(&self, pointer: &str) -> Option<TextRange> {
        match self.walk(pointer)? {
            (node, true) => Some(node.first_key_range()),
            (node, false) => Some(node.key_range(&[])),
        }
    }

    /// The value at a JSON pointer.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.value.pointer(pointer)
    }

    fn nearest(&self, pointer: &str) -> Option<Spans> {
        self.walk(pointer).map(|(n, _)| n.spans())
    }

    /// The spans of the children of the node at `pointer`, in order.
    pub fn child_spans(&self, pointer: &str) -> Vec<Spans> {
        match self.node(pointer) {
            Some(n) => n.spans.children.iter().map(|c| c.spans).collect(),
            None => Vec::new(),
        }
    }

    /// Every indexed pointer whose entry or value range touches `offset`, deepest first.
    /// Siblings are in document order, so each level is a binary search: the cost grows
    /// with the depth, not with the size of the document.
    pub fn pointers_at(&self, offset: usize) -> Vec<(String, Spans)> {
        let mut hits: Vec<(String, Spans, usize)> = Vec::new();
        let Some(root) = &self.root else { return Vec::new() };
        // (node, its value, its pointer, depth); bounded by the tree.
        let mut todo: Vec<(&SpanNode, &Value, String, usize)> = vec![(root, &self.value, String::new(), 0)];
        while let Some((node, value, pointer, depth)) = todo.pop() {
            let s = node.spans;
            if s.entry.touches(offset) || s.value.touches(offset) {
                hits.push((pointer.clone(), s, depth));
            }
            let kids = &node.children;
            let first = kids.partition_point(|c| c.extent().1 < offset);
            let entries: Box<dyn Iterator<Item = (Option<&str>, &Value)>> = match value {
                Value::Object(map) => Box::new(map.iter().map(|(k, v)| (Some(k.as_str()), v))),
                Value::Array(items) => Box::new(items.iter().map(|v| (None, v))),
                _ => Box::new(std::iter::empty()),
            };
            for (i, (child, (key, v))) in kids.iter().zip(entries).enumerate().skip(first) {
                if child.extent().0 > offset {
                    break;
                }
                let seg = key.map_or_else(|| Cow::Owned(i.to_string()), Cow::Borrowed);
                todo.push((child, v, child_pointer(&pointer, &seg), depth + 1));
            }
        }
        hits.sort_by_key(|(_, s, depth)| (std::cmp::Reverse(*depth), s.entry.len()));
        hits.into_iter().map(|(p, s, _)| (p, s)).collect()
    }

    /// Number of indexed nodes (for tests and benchmarks).
    pub fn node_count(&self) -> usize {
        self.root.as_ref().map_or(0, SpanNode::count)
    }
}

/// One node of a [`Tree`]: its value and spans, found once so that what is below it is
/// looked up from there (a check of one account asks for a dozen of its keys; walking each
/// pointer from the root, and building the pointers, was a third of checking an account).
#[derive(Clone, Copy, Debug)]
pub struct Node<'t> {
    spans: &'t SpanNode,
    value: &'t Value,
}

impl<'t> Node<'t> {
    /// The deepest node on the way to `pointer` (from this node), and whether it is
    /// `pointer` itself.
    pub fn walk(&self, pointer: &str) -> (Node<'t>, bool) {
        self.descend(segments(pointer))
    }

    /// Down `path` as far as it goes: the node reached, and whether that is the end.
    fn descend<S: AsRef<str>>(&self, path: impl IntoIterator<Item = S>) -> (Node<'t>, bool) {
        let mut node = *self;
        for seg in path {
            match node.child(seg.as_ref()) {
                Some(n) => node = n,
                None => return (node, false),
            }
        }
        (node, true)
    }

    pub fn value(&self) -> &'t Value {
        self.value
    }

    pub fn spans(&self) -> Spans {
        self.spans.spans
    }

    /// The child for one pointer segment, unescaped: a key of a mapping or an index of a
    /// sequence.
    pub fn child(&self, seg: &str) -> Option<Node<'t>> {
        let (spans, value) = self.spans.child(self.value, seg)?;
        Some(Node { spans, value })
    }

    /// A mapping's entries in order, each with its node when it has spans (not when the
    /// mapping came from an alias).
    pub fn entries(&self) -> impl Iterator<Item = (&'t str, &'t Value, Option<Node<'t>>)> + 't {
        let children = &self.spans.children;
        self.value
            .as_object()
            .into_iter()
            .flatten()
            .enumerate()
            .map(move |(i, (k, value))| (k.as_str(), value, children.get(i).map(|spans| Node { spans, value })))
    }

    /// Item `i` of a sequence.
    pub fn item(&self, i: usize) -> Option<Node<'t>> {
        let value = self.value.as_array()?.get(i)?;
        Some(Node { spans: self.spans.children.get(i)?, value })
    }

    /// The deepest node on the way down `path` (this one if the first step is missing).
    pub fn nearest(&self, path: &[&str]) -> Node<'t> {
        self.descend(path).0
    }

    /// As [`Tree::value_range`], below this node.
    pub fn value_range(&self, path: &[&str]) -> TextRange {
        self.nearest(path).spans().value
    }

    /// As [`Tree::first_key_range`], of this node.
    pub fn first_key_range(&self) -> TextRange {
        let first = self.value.as_object().and_then(|m| m.keys().next()).and_then(|k| self.child(k));
        match first {
            Some(n) => n.key_range(&[]),
            None => self.key_range(&[]),
        }
    }

    /// As [`Tree::key_range`], below this node.
    pub fn key_range(&self, path: &[&str]) -> TextRange {
        let s = self.nearest(path).spans();
        s.key.unwrap_or(s.value)
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

    #[test]
    fn lookups_walk_the_span_tree() {
        let mut text = String::from("big:\n");
        for i in 0..40 {
            text.push_str(&format!("  k{i}: {i}\n"));
        }
        text.push_str("\"a/b~c\": [x, {y: 1}]\n");
        let t = crate::syntax::yaml::parse(&text);
        assert!(t.errors.is_empty(), "{:?}", t.errors);
        assert_eq!(t.spans("/big/k39").unwrap().value.slice(&text), "39");
        assert_eq!(t.spans("/big/k0").unwrap().key.unwrap().slice(&text), "k0");
        assert!(t.spans("/big/k40").is_none());
        assert_eq!(t.value_range("/big/k40"), t.spans("/big").map(|s| s.value));
        assert_eq!(t.spans("/a~1b~0c/1/y").unwrap().value.slice(&text), "1");
        assert!(t.spans("/a~1b~0c/2").is_none());
        let at = text.find("y: 1").unwrap();
        let hits: Vec<String> = t.pointers_at(at).into_iter().map(|(p, _)| p).collect();
        assert_eq!(hits, ["/a~1b~0c/1/y", "/a~1b~0c/1", "/a~1b~0c", ""]);
        assert_eq!(t.node_count(), 1 + 1 + 40 + 1 + 2 + 1);
    }

    #[test]
    fn nodes_answer_as_pointers_do() {
        let text = "accounts:\n  - name: a\n    auth:\n      tokenInfo: {expiresAt: x}\n  - accountId: 2\n";
        let t = crate::syntax::yaml::parse(text);
        let check = |t: &Tree| {
            let second = t.root().and_then(|r| r.child("accounts")).and_then(|l| l.item(1)).unwrap();
            assert_eq!(second.spans(), t.spans("/accounts/1").unwrap());
            assert_eq!(second.value_range(&["accountId"]), t.value_range("/accounts/1/accountId").unwrap());
            // A missing key lands on the nearest node that exists, as `value_range` does.
            assert_eq!(second.value_range(&["name"]), t.value_range("/accounts/1/name").unwrap());
            assert_eq!(second.first_key_range(), t.first_key_range("/accounts/1").unwrap());
            let first = t.node("/accounts/0").unwrap();
            assert_eq!(
                first.value_range(&["auth", "tokenInfo", "expiresAt"]),
                t.value_range("/accounts/0/auth/tokenInfo/expiresAt").unwrap()
            );
            assert_eq!(first.key_range(&["auth", "nope"]), t.key_range("/accounts/0/auth/nope").unwrap());
            assert!(t.node("/accounts/2").is_none());
        };
        check(&t);
        assert_eq!(t.node("/accounts/1").unwrap().value_range(&["accountId"]).slice(text), "2");
    }
}
