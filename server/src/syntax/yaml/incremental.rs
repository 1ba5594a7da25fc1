//! Re-reading one block-sequence item after an edit inside it, instead of the whole file.
//!
//! Why: a keystroke in a 2,000-account config changes one account, yet reading the file
//! again builds 2,000 accounts' values and spans (most of a keystroke's cost). In plain
//! block YAML (what the fast reader accepts: no anchors, aliases or flow collections) an
//! item of a block sequence depends on its own lines only: the lines after it start at the
//! sequence's column or left of it, which closes everything the item opened whatever it was.
//! So the item's lines, read alone as a document, give the item the whole-file reader would
//! give, and every other node only moves by the edit's length.
//!
//! Anything else (an edit that touches the dash or the indentation before it, that spills
//! into the next item, that adds an item, an item that no longer reads cleanly) answers
//! `None`, and the caller reads the whole file. A differential test holds the result to a
//! whole-file read, node for node.

use serde_json::Value;

use super::{fast, first_content_line};
use crate::syntax::tree::{self, Shift, Tree};

/// One replacement in a text: bytes `start..old_end` of the old text became `new_len` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub start: usize,
    pub old_end: usize,
    pub new_len: usize,
}

/// Applies `edit` (which turned `old_text` into `new_text`) to `tree` by re-reading the
/// innermost block-sequence item holding it. Returns the child-index path of the item that
/// was re-read, or `None` (and leaves `tree` as it was) when only a whole read will do.
pub fn reparse_edit(tree: &mut Tree, old_text: &str, new_text: &str, edit: TextEdit) -> Option<Vec<usize>> {
    if !tree.block_yaml || !tree.complete || edit.old_end < edit.start || edit.old_end > old_text.len() {
        return None;
    }
    if new_text.len() + (edit.old_end - edit.start) != old_text.len() + edit.new_len {
        return None;
    }
    let target = innermost_item(tree, old_text, edit)?;
    let delta = edit.new_len as i64 - (edit.old_end - edit.start) as i64;
    let new_end = (target.region.end as i64 + delta) as usize;
    let region = target.region.start..new_end;
    // The item's lines must still be whole lines of the new text.
    if new_end > new_text.len() || !(new_end == new_text.len() || new_text.as_bytes()[new_end - 1] == b'\n') {
        return None;
    }
    let outcome = fast::run(new_text.get(region.clone())?, None)?;
    if outcome.error.is_some() || !outcome.semantic_errors.is_empty() {
        return None;
    }
    let Value::Array(mut items) = outcome.value else { return None };
    let root = outcome.root?;
    if items.len() != 1 || root.children.len() != 1 {
        return None;
    }
    let mut node = root.children.into_iter().next()?;
    let base = region.start as u32;
    node.map_offsets(&|x| x + base);
    // Still an item of the same sequence: its dash where it was.
    if node.spans.entry.start as usize != target.dash {
        return None;
    }
    let (old_item_end, new_item_end) = (target.item_end as u32, node.extent(0).1 as u32);
    let old_region_end = target.region.end as u32;
    let value = items.pop()?;
    // Offsets after the item move by the edit's length; an ancestor that ended with the
    // item (it was the last one) now ends with the new item.
    let moved = move |x: u32| {
        if x == old_item_end {
            new_item_end
        } else if x >= old_region_end {
            (x as i64 + delta) as u32
        } else {
            x
        }
    };
    // Whatever starts after the item's lines starts after its end too (the region runs past
    // it): all of it moves by `delta`.
    let after = old_region_end.max(old_item_end + 1);
    tree.splice(&target.path, value, node, Shift { f: moved, after, delta }).then_some(target.path)
}

struct Target {
    path: Vec<usize>,
    /// The item's lines: from the start of its dash's line to the start of the first later
    /// line with content at the sequence's column or left of it (or the end of the text).
    region: std::ops::Range<usize>,
    dash: usize,
    item_end: usize,
}

/// The innermost block-sequence item whose lines hold the whole edit, strictly after its
/// dash.
fn innermost_item(tree: &Tree, text: &str, edit: TextEdit) -> Option<Target> {
    let mut node = tree.root_node()?;
    let mut value = &tree.value;
    let mut path = Vec::new();
    let mut best = None;
    let mut by = 0; // the shift owed to `node`
    loop {
        let kids = &node.children;
        let below = node.below(by);
        // Children are in document order: the one that could hold the edit is the last one
        // starting before it.
        let Some(k) = kids.partition_point(|c| c.extent(below).0 < edit.start).checked_sub(1) else { return best };
        let child = &kids[k];
        let child_value = match value {
            Value::Array(items) => items.get(k),
            Value::Object(map) => map.values().nth(k),
            _ => None,
        };
        let Some(child_value) = child_value else { return best };
        let (lo, hi) = child.extent(below);
        if matches!(value, Value::Array(_)) && child.spans.key.is_none() && text.as_bytes().get(lo) == Some(&b'-') {
            let line_start = text[..lo].rfind('\n').map_or(0, |i| i + 1);
            let column = lo - line_start;
            let region = line_start..lines_end(text, hi, column);
            // (An indentless sequence starts at its first item's content, which the edit
            // may move: only a whole read places it.)
            if !(lo < edit.start && edit.old_end <= region.end)
                || tree::shifted(node.spans, by).value.start as usize > lo
            {
                return best;
            }
            path.push(k);
            best = Some(Target { path: path.clone(), region, dash: lo, item_end: hi });
        } else {
            // A mapping entry: go on down; the item found below judges its own lines.
            path.push(k);
        }
        if child.children.is_empty() {
            return best;
        }
        node = child;
        value = child_value;
        by = below;
    }
}

/// From the end of an item at `from`, the start of the first following line whose content
/// starts at `column` or left of it; the end of the text if none.
fn lines_end(text: &str, from: usize, column: usize) -> usize {
    match text[from..].find('\n') {
        Some(i) => first_content_line(text, from + i + 1, |indent, _| indent <= column),
        None => text.len(),
    }
}

#[cfg(test)]
mod tests;
