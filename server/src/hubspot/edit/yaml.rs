//! Comment-preserving edits of the CLI's YAML config (global `~/.hscli/config.yml` and legacy
//! `hubspot.config.yml`).
//!
//! Every operation works on the text and its spanned [`Tree`] and returns byte-range
//! [`TextEdit`]s against the original text; everything it does not change (comments, blank
//! lines, key order, quoting, flow or block style, CRLF line breaks, a missing final newline)
//! stays byte for byte. New content follows the file's own style (indent width, sequences
//! indented under their key or not) and, where the file has none, js-yaml's `dump()`: two
//! spaces, block style, sequences indented, scalars quoted as `dump()` quotes them.
//!
//! Composite changes (replacing a mapping, a migration) run as a series of small steps on a
//! [`YamlEditor`], each step re-parsed and checked, and come back as a line diff of the
//! original text: edits never overlap and a step that would break the file is refused.

use serde_json::{Map, Value};

mod render;
mod spans;

use render::{detect_style, flow, is_empty_collection, is_inline, Style};
use spans::{after_colon, end_of_last_line, line_comment, node_spans};

use super::checked::{once, Editor};
use super::expected;
use super::scalar::yaml_string;
use super::text::{after_line_break, column, line_end, line_start, starts_line};
use super::{EditError, Result, TextEdit};
use crate::syntax::tree::{child_pointer, last_segment, parent_pointer};
use crate::syntax::{Spans, TextRange, Tree};

/// Set the value at `pointer`: replace it if it exists, else insert it, creating missing
/// mappings on the way. A mapping replacing a mapping is merged key by key (new keys appended,
/// keys the new value lacks removed), so the comments around untouched keys stay.
pub fn set(text: &str, tree: &Tree, pointer: &str, value: &Value) -> Result<Vec<TextEdit>> {
    once(YamlEditor::with_tree(text, tree.clone()), |ed| ed.set(pointer, value))
}

/// Remove a mapping key or a sequence item with all its lines (and comment lines indented
/// inside it). Removing the last entry of a collection leaves `{}` / `[]`, so a nested
/// `auth: {}` still means a mapping.
pub fn remove(text: &str, tree: &Tree, pointer: &str) -> Result<Vec<TextEdit>> {
    once(YamlEditor::with_tree(text, tree.clone()), |ed| ed.remove(pointer))
}

/// Append an item to the sequence at `seq_pointer` (created if missing; `[]` under a block
/// parent becomes a block sequence).
pub fn append(text: &str, tree: &Tree, seq_pointer: &str, value: &Value) -> Result<Vec<TextEdit>> {
    once(YamlEditor::with_tree(text, tree.clone()), |ed| ed.append(seq_pointer, value))
}

/// Rename the key of the mapping entry at `pointer`, keeping its value text as it is.
pub fn rename_key(text: &str, tree: &Tree, pointer: &str, new_key: &str) -> Result<Vec<TextEdit>> {
    once(YamlEditor::with_tree(text, tree.clone()), |ed| ed.rename_key(pointer, new_key))
}

/// A text being changed step by step. Each step edits the current text, re-parses it and
/// checks the result; [`YamlEditor::edits`] diffs the final text against the original.
#[derive(Clone)]
pub struct YamlEditor {
    original: String,
    text: String,
    tree: Tree,
    style: Style,
}

impl YamlEditor {
    pub fn new(text: &str) -> Result<YamlEditor> {
        YamlEditor::with_tree(text, crate::syntax::yaml::parse(text))
    }

    /// `tree` must be the parse of `text` (the caller usually has it already).
    pub fn with_tree(text: &str, mut tree: Tree) -> Result<YamlEditor> {
        crate::syntax::yaml::dates_as_text(&mut tree.value);
        if let Some(e) = tree.errors.first() {
            return Err(EditError::Unparsable { message: e.message.clone() });
        }
        let style = detect_style(text, &tree);
        Ok(YamlEditor { original: text.to_string(), text: text.to_string(), tree, style })
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Add the missing key `key` to the block mapping at `map_pointer` just above its entry
    /// `before` (and above the comment lines directly over it), e.g. a top-level setting
    /// above `accounts`, where the CLI writes them. Falls back to [`Self::set`]
    /// when the key exists or `before` is not a block entry on its own line.
    pub fn insert_before(&mut self, map_pointer: &str, key: &str, value: &Value, before: &str) -> Result<()> {
        let pointer = child_pointer(map_pointer, key);
        let target = self.node(&child_pointer(map_pointer, before)).filter(|s| s.key.is_some());
        let usable = self.tree.get(&pointer).is_none()
            && self.tree.get(map_pointer).is_some_and(Value::is_object)
            && !self.is_flow(map_pointer)
            && target.is_some_and(|s| starts_line(&self.text, s.entry.start as usize));
        let Some(target) = target.filter(|_| usable) else { return self.set(&pointer, value) };
        let want = expected::set(&self.tree.value, &pointer, value);
        self.transaction(want, |ed| {
            let col = column(&ed.text, target.entry.start as usize);
            let at = comments_above(&ed.text, line_start(&ed.text, target.entry.start as usize), col);
            let entry = ed.style.block_entry(key, value, col);
            ed.commit(vec![TextEdit::insert(at, format!("{}{entry}{}", " ".repeat(col), ed.style.nl))])
        })
    }

    pub fn rename_key(&mut self, pointer: &str, new_key: &str) -> Result<()> {
        let want = expected::rename(&self.tree.value, pointer, new_key);
        self.transaction(want, |ed| ed.rename_inner(pointer, new_key))
    }

    fn spans_of(&self, pointer: &str) -> Result<Spans> {
        self.node(pointer).ok_or_else(|| EditError::NotFound { pointer: pointer.to_string() })
    }

    fn node(&self, pointer: &str) -> Option<Spans> {
        node_spans(&self.text, &self.tree, pointer)
    }

    /// Whether the node at `pointer` is a flow collection (`{...}` / `[...]`).
    fn is_flow(&self, pointer: &str) -> bool {
        self.node(pointer).is_some_and(|s| matches!(s.value.slice(&self.text).as_bytes().first(), Some(b'{' | b'[')))
    }

    /// Whether the node at `pointer` sits inside a flow collection (so it must be flow too),
    /// maybe through a braceless one (`[a: ]`).
    fn in_flow(&self, pointer: &str) -> bool {
        let mut p = pointer;
        while !p.is_empty() {
            p = parent_pointer(p);
            if self.is_flow(p) {
                return true;
            }
        }
        false
    }

    /// Write a value into a document that has none (empty, or only comments).
    fn write_root(&mut self, value: &Value) -> Result<()> {
        let nl = self.style.nl;
        let body = if is_inline(value) { flow(value) } else { self.style.block(value, 0) };
        let at = self.text.len();
        let sep = if self.text.is_empty() || self.text.ends_with('\n') { "" } else { nl };
        self.commit(vec![TextEdit::insert(at, format!("{sep}{body}{nl}"))])
    }

    /// The whole lines of a block entry, plus comment lines indented inside it.
    /// `with_comments`: also the comment lines directly above it at its column (a list
    /// item's: `# the client's sandbox` over `- name: ...` goes with the item).
    fn entry_lines(&self, s: Spans, with_comments: bool) -> TextRange {
        let text = &self.text;
        let col = column(text, s.entry.start as usize);
        let start = line_start(text, s.entry.start as usize);
        let start = if with_comments { comments_above(text, start, col) } else { start };
        let end = end_of_last_line(text, s.entry.end as usize);
        let mut after = after_line_break(text, end);
        let mut last_end = end;
        loop {
            let e = line_end(text, after);
            let line = &text[after..e];
            let indent = line.len() - line.trim_start_matches(' ').len();
            if after < text.len() && line.trim_start().starts_with('#') && indent > col {
                last_end = e;
                after = after_line_break(text, e);
            } else {
                break;
            }
        }
        if after == last_end && start > 0 {
            // The last line of a file without a final newline: take the break before it instead.
            let prev_break = if text[..start].ends_with("\r\n") { 2 } else { 1 };
            return TextRange::new(start - prev_break, last_end);
        }
        TextRange::new(start, after)
    }

    fn rename_inner(&mut self, pointer: &str, new_key: &str) -> Result<()> {
        let s = self.spans_of(pointer)?;
        let Some(key) = s.key else { return Err(EditError::unsupported(pointer, "a list item has no key to rename")) };
        let parent = parent_pointer(pointer);
        if last_segment(pointer) == new_key {
            return Ok(());
        }
        if self.tree.get(parent).and_then(Value::as_object).is_some_and(|m| m.contains_key(new_key)) {
            return Err(EditError::KeyExists { pointer: parent.to_string(), key: new_key.to_string() });
        }
        let in_flow = self.in_flow(pointer);
        self.commit(vec![TextEdit::replace(key, yaml_string(new_key, in_flow))])
    }
}

/// Never reached (a flow collection with one entry is handled before); a harmless empty range.
fn unreachable_range(s: Spans) -> TextRange {
    TextRange::empty(s.entry.start as usize)
}

impl Editor for YamlEditor {
    const PARSE: fn(&str) -> Tree = crate::syntax::yaml::parse_for_edits;
    const NOT_AS_INTENDED: &'static str =
        "the change did not read back as intended (anchors, aliases or merge keys nearby?)";

    fn state(&mut self) -> (&mut String, &mut Tree) {
        (&mut self.text, &mut self.tree)
    }

    fn original(&self) -> &str {
        &self.original
    }

    fn current(&self) -> (&str, &Tree) {
        (&self.text, &self.tree)
    }

    /// Replace the node at `pointer` (which exists) by `value`, as a whole.
    fn replace_step(&mut self, pointer: &str, value: &Value) -> Result<()> {
        let nl = self.style.nl;
        let Some(s) = self.node(pointer) else {
            // An empty document (or only comments): the root has no node yet.
            return self.write_root(value);
        };
        let old_text = s.value.slice(&self.text);
        let old_is_flow = matches!(old_text.as_bytes().first(), Some(b'{' | b'['));
        let old_nonempty_flow = old_is_flow && !self.tree.get(pointer).is_some_and(is_empty_collection);
        let inline = is_inline(value);
        if self.in_flow(pointer) || (old_nonempty_flow && !inline) {
            // A flow entry without a value (`{a}`, `{a: }`) gets one after its colon, or a colon.
            if let (Some(key), true) = (s.key, s.value.is_empty()) {
                return self.commit(vec![match after_colon(&self.text, key.end as usize) {
                    Some(at) => TextEdit::insert(at, format!(" {}", flow(value))),
                    None => TextEdit::insert(key.end as usize, format!(": {}", flow(value))),
                }]);
            }
            return self.commit(vec![TextEdit::replace(s.value, flow(value))]);
        }
        if pointer.is_empty() && s.value.is_empty() {
            return self.write_root(value);
        }
        match s.key {
            Some(key) => {
                let after_colon = after_colon(&self.text, key.end as usize).ok_or_else(|| {
                    EditError::unsupported(pointer, "its key is written in the explicit `? key` form")
                })?;
                // A missing value (`key:`) has an empty span at the key's end.
                let value_start =
                    if s.value.is_empty() { after_colon } else { (s.value.start as usize).max(after_colon) };
                let on_next_line = self.text[after_colon..value_start].contains('\n');
                if inline {
                    if on_next_line {
                        // `key:\n  a: 1` -> `key: {}` (keeping a comment on the key's line).
                        let comment = line_comment(&self.text, after_colon);
                        let new_text =
                            format!(" {}{}", flow(value), comment.map(|c| format!(" {c}")).unwrap_or_default());
                        return self.commit(vec![TextEdit::replace(
                            TextRange::new(after_colon, s.value.end as usize),
                            new_text,
                        )]);
                    }
                    if s.value.is_empty() {
                        return self.commit(vec![TextEdit::insert(after_colon, format!(" {}", flow(value)))]);
                    }
                    return self.commit(vec![TextEdit::replace(s.value, flow(value))]);
                }
                if on_next_line && !old_is_flow && !s.value.is_empty() {
                    // A block collection replaced by another: same column as before, except
                    // that a mapping must sit deeper than its key (an unindented list need not).
                    let col = column(&self.text, s.value.start as usize);
                    let key_col = column(&self.text, key.start as usize);
                    let new_col = if value.is_object() && col <= key_col { key_col + self.style.unit } else { col };
                    let block = format!("{}{}", " ".repeat(new_col - col), self.style.block(value, new_col));
                    return self.commit(vec![TextEdit::replace(s.value, block)]);
                }
                // A scalar, an empty collection or nothing becomes a block under the key;
                // a comment after the old value moves up to the key's line.
                let key_col = column(&self.text, key.start as usize);
                let col = key_col + if value.is_array() { self.style.seq_indent } else { self.style.unit };
                let end = s.value.end.max(after_colon as u32) as usize;
                let (end, comment) = match line_comment(&self.text, end) {
                    Some(c) => (line_end(&self.text, end), format!(" {c}")),
                    None => (end, String::new()),
                };
                let new_text = format!("{comment}{nl}{}{}", " ".repeat(col), self.style.block(value, col));
                self.commit(vec![TextEdit::replace(TextRange::new(after_colon, end), new_text)])
            }
            None => {
                // A sequence item (after its dash) or the root. An item with no value (`-`,
                // maybe followed by a comment) gets its value right after the dash.
                let dash = s.entry.start as usize;
                let empty_item = s.value.is_empty() && self.text[dash..].starts_with('-');
                if inline {
                    let t = flow(value);
                    if empty_item {
                        return self.commit(vec![TextEdit::insert(dash + 1, format!(" {t}"))]);
                    }
                    return self.commit(vec![TextEdit::replace(s.value, t)]);
                }
                if empty_item {
                    let dash_col = column(&self.text, dash);
                    let block = format!(" {}", self.style.block(value, dash_col + 2));
                    return self.commit(vec![TextEdit::insert(dash + 1, block)]);
                }
                let block = self.style.block(value, column(&self.text, s.value.start as usize));
                self.commit(vec![TextEdit::replace(s.value, block)])
            }
        }
    }

    fn append_step(&mut self, seq_pointer: &str, value: &Value) -> Result<()> {
        match self.tree.get(seq_pointer).cloned() {
            None => self.insert_step(seq_pointer, &Value::Array(vec![value.clone()])),
            Some(Value::Null) => self.replace_step(seq_pointer, &Value::Array(vec![value.clone()])),
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    return self.replace_step(seq_pointer, &Value::Array(vec![value.clone()]));
                }
                let last = self.spans_of(&child_pointer(seq_pointer, &(items.len() - 1).to_string()))?;
                if self.is_flow(seq_pointer) {
                    return self.commit(vec![TextEdit::insert(last.value.end as usize, format!(", {}", flow(value)))]);
                }
                let col = column(&self.text, last.entry.start as usize);
                let at = end_of_last_line(&self.text, last.entry.end as usize);
                let item = self.style.block(&Value::Array(vec![value.clone()]), col);
                self.commit(vec![TextEdit::insert(at, format!("{}{}{}", self.style.nl, " ".repeat(col), item))])
            }
            Some(_) => Err(EditError::NotASequence { pointer: seq_pointer.into() }),
        }
    }

    /// Add `key: value` to the mapping at `map_pointer` (which exists and has no such key).
    fn insert_entry(&mut self, map_pointer: &str, key: &str, value: &Value) -> Result<()> {
        let Some(Value::Object(map)) = self.tree.get(map_pointer).cloned() else {
            return Err(EditError::NotAContainer { pointer: map_pointer.into() });
        };
        let s = self.spans_of(map_pointer)?;
        let last = map.keys().next_back().map(|k| self.spans_of(&child_pointer(map_pointer, k))).transpose()?;
        // The last entry ends after its colon and blanks when it has no value (`{a: }`).
        let flow_end =
            |l: &Spans| match (l.key.and_then(|k| after_colon(&self.text, k.end as usize)), l.value.is_empty()) {
                (Some(colon), true) => {
                    colon + self.text[colon..].len() - self.text[colon..].trim_start_matches([' ', '\t']).len()
                }
                _ => l.entry.end as usize,
            };
        if self.is_flow(map_pointer) {
            let Some(last) = last else {
                let mut m = Map::new();
                m.insert(key.to_string(), value.clone());
                return self.replace_step(map_pointer, &Value::Object(m));
            };
            let entry = format!(", {}: {}", yaml_string(key, true), flow(value));
            return self.commit(vec![TextEdit::insert(flow_end(&last), entry)]);
        }
        if self.in_flow(map_pointer) {
            // A braceless pair in a flow list (`[a: 1]`) holds one entry: braces make room.
            let Some(last) = last else { return Err(EditError::NotFound { pointer: map_pointer.into() }) };
            let entry = format!(", {}: {}}}", yaml_string(key, true), flow(value));
            return self
                .commit(vec![TextEdit::insert(s.value.start as usize, "{"), TextEdit::insert(flow_end(&last), entry)]);
        }
        let Some(last) = last else {
            // A block mapping always has a key; an empty one is `{}` (flow) or null.
            return Err(EditError::unsupported(map_pointer, "the mapping has no entries to line up with"));
        };
        let col = column(&self.text, s.value.start as usize);
        let at = end_of_last_line(&self.text, last.entry.end as usize);
        let entry = self.style.block_entry(key, value, col);
        let new_text = format!("{}{}{}", self.style.nl, " ".repeat(col), entry);
        self.commit(vec![TextEdit::insert(at, new_text)])
    }

    fn remove_step(&mut self, pointer: &str) -> Result<()> {
        let (siblings, idx) = self.siblings(pointer)?;
        let s = self.spans_of(pointer)?;
        let parent = parent_pointer(pointer).to_string();
        let prev = idx.checked_sub(1).map(|i| self.spans_of(&siblings[i])).transpose()?;
        let next = siblings.get(idx + 1).map(|p| self.spans_of(p)).transpose()?;
        let empty = if self.tree.get(&parent).is_some_and(Value::is_array) {
            Value::Array(vec![])
        } else {
            Value::Object(Map::new())
        };
        if siblings.len() == 1 {
            // Keep an empty collection so the parent still means a mapping/list (`auth: {}`).
            if parent.is_empty() && !self.is_flow(&parent) {
                let root = self.spans_of("")?;
                return self.commit(vec![TextEdit::replace(root.value, flow(&empty))]);
            }
            return self.replace_step(&parent, &empty);
        }
        let range = if self.is_flow(&parent) {
            match (prev, next) {
                (_, Some(n)) => TextRange::new(s.entry.start as usize, n.entry.start as usize),
                (Some(p), None) => TextRange::new(p.entry.end as usize, s.entry.end as usize),
                (None, None) => unreachable_range(s),
            }
        } else if !starts_line(&self.text, s.entry.start as usize) {
            // The first key of a sequence item (`- name: x`): pull the next key up to the dash.
            match next {
                Some(n) => TextRange::new(s.entry.start as usize, n.entry.start as usize),
                None => return Err(EditError::unsupported(pointer, "it shares its line with other content")),
            }
        } else {
            // A key's comment lines stay (the one over the first key of a file is often the
            // file's own); an item's go with it.
            self.entry_lines(s, empty.is_array())
        };
        self.commit(vec![TextEdit::delete(range)])
    }

    fn changeable(&self, pointer: &str, old: &Value) -> Result<()> {
        if self.node(pointer).is_none() && !(pointer.is_empty() && old.is_null()) {
            return Err(EditError::unsupported(
                pointer,
                "it is not written here but comes from an alias or a merge key",
            ));
        }
        Ok(())
    }
}

/// From `at` (a line start), the start of the run of comment lines directly above it that
/// sit at column `col` (no blank line between); `at` when there are none.
fn comments_above(text: &str, mut at: usize, col: usize) -> usize {
    while at > 0 {
        let prev = line_start(text, at - 1);
        let line = &text[prev..at];
        if line.trim_start().starts_with('#') && line.len() - line.trim_start_matches(' ').len() == col {
            at = prev;
        } else {
            break;
        }
    }
    at
}

#[cfg(test)]
mod editor_tests;
#[cfg(test)]
mod tests;
