//! Comment-preserving edits of the CLI's YAML config (global `~/.hscli/config.yml` and legacy
//! `hubspot.config.yml`).
//!
//! Every operation works on the text and its spanned [`Tree`] and returns byte-range
//! [`TextEdit`]s against the original text; everything it does not change (comments, blank
//! lines, key order, quoting, flow or block style, CRLF line breaks, a missing final newline)
//! stays byte for byte. New content follows the file's own style (indent width, sequences
//! indented under their key or not) and, where the file has none, js-yaml's (spec 1.7): two
//! spaces, block style, sequences indented, scalars quoted as `dump()` quotes them.
//!
//! Composite changes (replacing a mapping, a migration) run as a series of small steps on a
//! [`YamlEditor`], each step re-parsed and checked, and come back as a line diff of the
//! original text: edits never overlap and a step that would break the file is refused.

use serde_json::{Map, Value};

use super::scalar::{yaml_scalar, yaml_string};
use super::text::{after_line_break, column, diff, line_content_start, line_end, line_start, newline, starts_line};
use super::{EditError, Result, TextEdit};
use crate::syntax::tree::{child_pointer, last_segment, parent_pointer};
use crate::syntax::{Spans, TextRange, Tree};

/// Set the value at `pointer`: replace it if it exists, else insert it, creating missing
/// mappings on the way. A mapping replacing a mapping is merged key by key (new keys appended,
/// keys the new value lacks removed), so the comments around untouched keys stay.
pub fn set(text: &str, tree: &Tree, pointer: &str, value: &Value) -> Result<Vec<TextEdit>> {
    let mut ed = YamlEditor::with_tree(text, tree.clone())?;
    ed.set(pointer, value)?;
    Ok(ed.edits())
}

/// Remove a mapping key or a sequence item with all its lines (and comment lines indented
/// inside it). Removing the last entry of a collection leaves `{}` / `[]`, so a nested
/// `auth: {}` still means a mapping.
pub fn remove(text: &str, tree: &Tree, pointer: &str) -> Result<Vec<TextEdit>> {
    let mut ed = YamlEditor::with_tree(text, tree.clone())?;
    ed.remove(pointer)?;
    Ok(ed.edits())
}

/// Append an item to the sequence at `seq_pointer` (created if missing; `[]` under a block
/// parent becomes a block sequence).
pub fn append(text: &str, tree: &Tree, seq_pointer: &str, value: &Value) -> Result<Vec<TextEdit>> {
    let mut ed = YamlEditor::with_tree(text, tree.clone())?;
    ed.append(seq_pointer, value)?;
    Ok(ed.edits())
}

/// Rename the key of the mapping entry at `pointer`, keeping its value text as it is.
pub fn rename_key(text: &str, tree: &Tree, pointer: &str, new_key: &str) -> Result<Vec<TextEdit>> {
    let mut ed = YamlEditor::with_tree(text, tree.clone())?;
    ed.rename_key(pointer, new_key)?;
    Ok(ed.edits())
}

/// The file's layout conventions, read once from the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Style {
    nl: &'static str,
    /// Indent of a nested mapping relative to its key.
    unit: usize,
    /// Indent of a block sequence's dashes relative to its key (0: `key:\n- a`).
    seq_indent: usize,
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
    pub fn with_tree(text: &str, tree: Tree) -> Result<YamlEditor> {
        if let Some(e) = tree.errors.first() {
            return Err(EditError::Unparsable { message: e.message.clone() });
        }
        let style = detect_style(text, &tree);
        Ok(YamlEditor { original: text.to_string(), text: text.to_string(), tree, style })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    pub fn value(&self) -> &Value {
        &self.tree.value
    }

    /// The changes so far, as edits of the original text.
    pub fn edits(&self) -> Vec<TextEdit> {
        diff(&self.original, &self.text)
    }

    pub fn set(&mut self, pointer: &str, value: &Value) -> Result<()> {
        if last_segment(pointer) == "-" && !pointer.is_empty() {
            return self.append(parent_pointer(pointer), value);
        }
        self.transaction(|ed| {
            ed.set_inner(pointer, value)?;
            ed.expect(pointer, Some(value))
        })
    }

    /// Add the missing key `key` to the block mapping at `map_pointer` just above its entry
    /// `before` (and above the comment lines directly over it), e.g. a top-level setting
    /// above `accounts`, where the CLI writes them (spec 1.4). Falls back to [`Self::set`]
    /// when the key exists or `before` is not a block entry on its own line.
    pub fn insert_before(&mut self, map_pointer: &str, key: &str, value: &Value, before: &str) -> Result<()> {
        let pointer = child_pointer(map_pointer, key);
        let target = self.node(&child_pointer(map_pointer, before)).filter(|s| s.key.is_some());
        let usable = self.tree.get(&pointer).is_none()
            && self.tree.get(map_pointer).is_some_and(Value::is_object)
            && !self.is_flow(map_pointer)
            && target.is_some_and(|s| starts_line(&self.text, s.entry.start as usize));
        let Some(target) = target.filter(|_| usable) else { return self.set(&pointer, value) };
        self.transaction(|ed| {
            let col = column(&ed.text, target.entry.start as usize);
            let mut at = line_start(&ed.text, target.entry.start as usize);
            while at > 0 {
                let prev = line_start(&ed.text, at - 1);
                let line = &ed.text[prev..at];
                if line.trim_start().starts_with('#') && line.len() - line.trim_start_matches(' ').len() == col {
                    at = prev;
                } else {
                    break;
                }
            }
            let entry = ed.block_entry(key, value, col);
            ed.commit(vec![TextEdit::insert(at, format!("{}{entry}{}", " ".repeat(col), ed.style.nl))])?;
            ed.expect(&pointer, Some(value))
        })
    }

    pub fn remove(&mut self, pointer: &str) -> Result<()> {
        let parent = parent_pointer(pointer).to_string();
        let before = self.tree.get(&parent).cloned();
        self.transaction(|ed| {
            ed.remove_inner(pointer)?;
            // A removed sequence item shifts its followers: check the parent shrank by one.
            let mut want = before.clone().unwrap_or(Value::Null);
            match &mut want {
                Value::Object(m) => {
                    m.shift_remove(&last_segment(pointer));
                }
                Value::Array(a) => {
                    if let Ok(i) = last_segment(pointer).parse::<usize>() {
                        if i < a.len() {
                            a.remove(i);
                        }
                    }
                }
                _ => {}
            }
            ed.expect(&parent, Some(&want))
        })
    }

    pub fn append(&mut self, seq_pointer: &str, value: &Value) -> Result<()> {
        let mut want = match self.tree.get(seq_pointer) {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        want.push(value.clone());
        let want = Value::Array(want);
        self.transaction(|ed| {
            ed.append_inner(seq_pointer, value)?;
            ed.expect(seq_pointer, Some(&want))
        })
    }

    pub fn rename_key(&mut self, pointer: &str, new_key: &str) -> Result<()> {
        let value = self.tree.get(pointer).cloned();
        let target = child_pointer(parent_pointer(pointer), new_key);
        self.transaction(|ed| {
            ed.rename_inner(pointer, new_key)?;
            ed.expect(&target, value.as_ref())
        })
    }

    /// Run steps; on any error put the text back as it was.
    fn transaction(&mut self, f: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        let saved = (self.text.clone(), self.tree.clone());
        let r = f(self);
        if r.is_err() {
            (self.text, self.tree) = saved;
        }
        r
    }

    fn expect(&self, pointer: &str, want: Option<&Value>) -> Result<()> {
        if self.tree.get(pointer) == want {
            Ok(())
        } else {
            Err(unsupported(pointer, "the change did not read back as intended (anchors, aliases or merge keys nearby?)"))
        }
    }

    /// Apply one step's edits and re-parse; a step that breaks the syntax is refused.
    fn commit(&mut self, edits: Vec<TextEdit>) -> Result<()> {
        let text = super::apply(&self.text, &edits);
        let tree = crate::syntax::yaml::parse(&text);
        if !tree.errors.is_empty() {
            return Err(unsupported("", "the result would not parse"));
        }
        self.text = text;
        self.tree = tree;
        Ok(())
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

    /// Whether the node at `pointer` sits inside a flow collection (so it must be flow too).
    fn in_flow(&self, pointer: &str) -> bool {
        !pointer.is_empty() && self.is_flow(parent_pointer(pointer))
    }

    fn set_inner(&mut self, pointer: &str, value: &Value) -> Result<()> {
        if let Some(old) = self.tree.get(pointer).cloned() {
            if &old == value {
                return Ok(());
            }
            if self.node(pointer).is_none() && !(pointer.is_empty() && old.is_null()) {
                return Err(unsupported(pointer, "it is not written here but comes from an alias or a merge key"));
            }
            match (&old, value) {
                (Value::Object(o), Value::Object(n)) if !o.is_empty() && !n.is_empty() => {
                    for (k, v) in n {
                        self.set_inner(&child_pointer(pointer, k), v)?;
                    }
                    for k in o.keys().filter(|k| !n.contains_key(*k)) {
                        self.remove_inner(&child_pointer(pointer, k))?;
                    }
                    Ok(())
                }
                (Value::Array(o), Value::Array(n)) if !o.is_empty() && o.len() == n.len() => {
                    for (i, v) in n.iter().enumerate() {
                        self.set_inner(&child_pointer(pointer, &i.to_string()), v)?;
                    }
                    Ok(())
                }
                _ => self.replace_value(pointer, value),
            }
        } else {
            self.insert_missing(pointer, value)
        }
    }

    /// `pointer` does not exist: find its deepest existing ancestor and add what is missing.
    fn insert_missing(&mut self, pointer: &str, value: &Value) -> Result<()> {
        let mut segments = Vec::new();
        let mut anc = pointer;
        while self.tree.get(anc).is_none() {
            if anc.is_empty() {
                break;
            }
            segments.push(last_segment(anc));
            anc = parent_pointer(anc);
        }
        let anc = anc.to_string();
        let Some(first) = segments.pop() else { return Err(EditError::NotFound { pointer: pointer.into() }) };
        // The rest of the path becomes nested mappings around the value.
        let nested = segments.iter().fold(value.clone(), |v, k| {
            let mut m = Map::new();
            m.insert(k.clone(), v);
            Value::Object(m)
        });
        match self.tree.get(&anc).cloned() {
            Some(Value::Object(_)) => self.insert_key(&anc, &first, &nested),
            Some(Value::Array(items)) => {
                if first == "-" || first == items.len().to_string() {
                    self.append_inner(&anc, &nested)
                } else {
                    Err(EditError::NotFound { pointer: child_pointer(&anc, &first) })
                }
            }
            Some(Value::Null) | None => {
                let mut m = Map::new();
                m.insert(first, nested);
                self.replace_value(&anc, &Value::Object(m))
            }
            Some(_) => Err(EditError::NotAContainer { pointer: anc }),
        }
    }

    /// Add `key: value` to the mapping at `map_pointer` (which exists and has no such key).
    fn insert_key(&mut self, map_pointer: &str, key: &str, value: &Value) -> Result<()> {
        let Some(Value::Object(map)) = self.tree.get(map_pointer).cloned() else {
            return Err(EditError::NotAContainer { pointer: map_pointer.into() });
        };
        let s = self.spans_of(map_pointer)?;
        let last = map.keys().next_back().map(|k| self.spans_of(&child_pointer(map_pointer, k))).transpose()?;
        if self.is_flow(map_pointer) {
            let Some(last) = last else {
                let mut m = Map::new();
                m.insert(key.to_string(), value.clone());
                return self.replace_value(map_pointer, &Value::Object(m));
            };
            let entry = format!(", {}: {}", yaml_string(key, true), flow(value));
            return self.commit(vec![TextEdit::insert(last.entry.end as usize, entry)]);
        }
        let Some(last) = last else {
            // A block mapping always has a key; an empty one is `{}` (flow) or null.
            return Err(unsupported(map_pointer, "the mapping has no entries to line up with"));
        };
        let col = column(&self.text, s.value.start as usize);
        let at = end_of_last_line(&self.text, last.entry.end as usize);
        let entry = self.block_entry(key, value, col);
        let new_text = format!("{}{}{}", self.style.nl, " ".repeat(col), entry);
        self.commit(vec![TextEdit::insert(at, new_text)])
    }

    /// Replace the node at `pointer` (which exists) by `value`, as a whole.
    fn replace_value(&mut self, pointer: &str, value: &Value) -> Result<()> {
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
            return self.commit(vec![TextEdit::replace(s.value, flow(value))]);
        }
        if pointer.is_empty() && s.value.is_empty() {
            return self.write_root(value);
        }
        match s.key {
            Some(key) => {
                let after_colon = after_colon(&self.text, key.end as usize)
                    .ok_or_else(|| unsupported(pointer, "its key is written in the explicit `? key` form"))?;
                // A missing value (`key:`) has an empty span at the key's end.
                let value_start = if s.value.is_empty() { after_colon } else { (s.value.start as usize).max(after_colon) };
                let on_next_line = self.text[after_colon..value_start].contains('\n');
                if inline {
                    if on_next_line {
                        // `key:\n  a: 1` -> `key: {}` (keeping a comment on the key's line).
                        let comment = line_comment(&self.text, after_colon);
                        let new_text = format!(" {}{}", flow(value), comment.map(|c| format!(" {c}")).unwrap_or_default());
                        return self.commit(vec![TextEdit::replace(TextRange::new(after_colon, s.value.end as usize), new_text)]);
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
                    let block = format!("{}{}", " ".repeat(new_col - col), self.block(value, new_col));
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
                let new_text = format!("{comment}{nl}{}{}", " ".repeat(col), self.block(value, col));
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
                let (at, prefix, col) = if empty_item {
                    let dash_col = column(&self.text, dash);
                    let block = format!(" {}", self.block(value, dash_col + 2));
                    return self.commit(vec![TextEdit::insert(dash + 1, block)]);
                } else if s.value.is_empty() {
                    (s.value.start as usize, "", column(&self.text, s.value.start as usize))
                } else {
                    (s.value.start as usize, "", column(&self.text, s.value.start as usize))
                };
                let block = format!("{prefix}{}", self.block(value, col));
                self.commit(vec![TextEdit::replace(TextRange::new(at, s.value.end as usize), block)])
            }
        }
    }

    /// Write a value into a document that has none (empty, or only comments).
    fn write_root(&mut self, value: &Value) -> Result<()> {
        let nl = self.style.nl;
        let body = if is_inline(value) { flow(value) } else { self.block(value, 0) };
        let at = self.text.len();
        let sep = if self.text.is_empty() || self.text.ends_with('\n') { "" } else { nl };
        self.commit(vec![TextEdit::insert(at, format!("{sep}{body}{nl}"))])
    }

    fn append_inner(&mut self, seq_pointer: &str, value: &Value) -> Result<()> {
        match self.tree.get(seq_pointer).cloned() {
            None => self.insert_missing(seq_pointer, &Value::Array(vec![value.clone()])),
            Some(Value::Null) => self.replace_value(seq_pointer, &Value::Array(vec![value.clone()])),
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    return self.replace_value(seq_pointer, &Value::Array(vec![value.clone()]));
                }
                let last = self.spans_of(&child_pointer(seq_pointer, &(items.len() - 1).to_string()))?;
                if self.is_flow(seq_pointer) {
                    return self.commit(vec![TextEdit::insert(last.value.end as usize, format!(", {}", flow(value)))]);
                }
                let col = column(&self.text, last.entry.start as usize);
                let at = end_of_last_line(&self.text, last.entry.end as usize);
                let item = self.block(&Value::Array(vec![value.clone()]), col);
                self.commit(vec![TextEdit::insert(at, format!("{}{}{}", self.style.nl, " ".repeat(col), item))])
            }
            Some(_) => Err(EditError::NotASequence { pointer: seq_pointer.into() }),
        }
    }

    fn remove_inner(&mut self, pointer: &str) -> Result<()> {
        if pointer.is_empty() {
            return Err(unsupported(pointer, "the whole document cannot be removed"));
        }
        let s = self.spans_of(pointer)?;
        let parent = parent_pointer(pointer).to_string();
        let siblings: Vec<String> = match self.tree.get(&parent) {
            Some(Value::Object(m)) => m.keys().map(|k| child_pointer(&parent, k)).collect(),
            Some(Value::Array(a)) => (0..a.len()).map(|i| child_pointer(&parent, &i.to_string())).collect(),
            _ => return Err(EditError::NotFound { pointer: pointer.into() }),
        };
        let idx = siblings.iter().position(|p| p == pointer).ok_or_else(|| EditError::NotFound { pointer: pointer.into() })?;
        let prev = idx.checked_sub(1).map(|i| self.spans_of(&siblings[i])).transpose()?;
        let next = siblings.get(idx + 1).map(|p| self.spans_of(p)).transpose()?;
        let empty = if self.tree.get(&parent).is_some_and(Value::is_array) { Value::Array(vec![]) } else { Value::Object(Map::new()) };
        if siblings.len() == 1 {
            // Keep an empty collection so the parent still means a mapping/list (`auth: {}`).
            if parent.is_empty() && !self.is_flow(&parent) {
                let root = self.spans_of("")?;
                return self.commit(vec![TextEdit::replace(root.value, flow(&empty))]);
            }
            return self.replace_value(&parent, &empty);
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
                None => return Err(unsupported(pointer, "it shares its line with other content")),
            }
        } else {
            self.entry_lines(s)
        };
        self.commit(vec![TextEdit::delete(range)])
    }

    /// The whole lines of a block entry, plus comment lines indented inside it.
    fn entry_lines(&self, s: Spans) -> TextRange {
        let text = &self.text;
        let start = line_start(text, s.entry.start as usize);
        let col = column(text, s.entry.start as usize);
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
        let Some(key) = s.key else { return Err(unsupported(pointer, "a list item has no key to rename")) };
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

    /// A collection in block style whose first line starts at the current position and whose
    /// other lines are indented from column `col`.
    fn block(&self, value: &Value, col: usize) -> String {
        let mut lines = Vec::new();
        self.block_lines(value, col, &mut lines);
        join_lines(&lines, self.style.nl)
    }

    /// `key: value` as a block entry at column `col` (first line not indented).
    fn block_entry(&self, key: &str, value: &Value, col: usize) -> String {
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
                        let child = col + if v.is_array() { self.style.seq_indent } else { self.style.unit };
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

fn unsupported(pointer: &str, why: &str) -> EditError {
    EditError::Unsupported { pointer: pointer.to_string(), why: why.to_string() }
}

/// Never reached (a flow collection with one entry is handled before); a harmless empty range.
fn unreachable_range(s: Spans) -> TextRange {
    TextRange::empty(s.entry.start as usize)
}

fn is_empty_collection(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.is_empty()) || matches!(v, Value::Array(a) if a.is_empty())
}

/// Values written on the key's own line: scalars and empty collections.
fn is_inline(v: &Value) -> bool {
    !matches!(v, Value::Object(m) if !m.is_empty()) && !matches!(v, Value::Array(a) if !a.is_empty())
}

/// A value in flow style, as found inside `{}`/`[]`.
fn flow(v: &Value) -> String {
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
fn flow_top(v: &Value) -> String {
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

/// The tree's spans, corrected where the parser's differ from what an edit needs: a flow
/// collection ends at its closing bracket (the parser's span can run on over blanks and a
/// comment), and a block sequence starts at its first dash (for a sequence not indented under
/// its key the parser starts it at the first item's value).
fn node_spans(text: &str, tree: &Tree, pointer: &str) -> Option<Spans> {
    let mut s = tree.spans(pointer)?;
    // First the dash: an unindented block sequence of flow items must not look like a flow node.
    if tree.get(pointer).and_then(Value::as_array).is_some_and(|a| !a.is_empty()) {
        if let Some(first) = tree.spans(&child_pointer(pointer, "0")) {
            s.value.start = s.value.start.min(first.entry.start);
        }
    }
    if s.key.is_none() && !pointer.is_empty() && tree.get(parent_pointer(pointer)).is_some_and(Value::is_array) {
        if s.value.is_empty() {
            empty_item(text, &mut s);
        } else if s.entry.start == s.value.start {
            // `-` alone on its line, the value below it: the entry starts at that dash.
            if let Some(dash) = dash_above(text, s.value.start as usize) {
                s.entry.start = dash as u32;
            }
        }
    }
    let start = s.value.start as usize;
    let end = if matches!(text.as_bytes().get(start), Some(b'{' | b'[')) {
        flow_close(text, start)
    } else if tree.get(pointer).is_some_and(|v| v.is_string()) {
        block_scalar(text, &mut s, pointer.is_empty());
        None
    } else if tree.get(pointer).is_some_and(|v| !is_inline(v)) {
        // A block collection whose last entry has no value (`a:`) ends, for the parser, before
        // that entry's colon; it really ends after it. (Computed from the start: after a block
        // scalar the parser's end is too far.)
        Some(block_end(text, tree, pointer, s.value.start as usize))
    } else {
        None
    };
    if let Some(end) = end {
        if s.entry.end == s.value.end {
            s.entry.end = end as u32;
        }
        s.value.end = end as u32;
    }
    Some(s)
}

/// A block scalar (`|`, `>-`, ...): the parser's span starts at its first content line (or
/// at the header when there is none) and ends wherever the next token starts; for an edit it
/// runs from the header through the last content line, the lines indented deeper than the
/// key (or dash) that introduces it.
fn block_scalar(text: &str, s: &mut Spans, root: bool) {
    let start = s.value.start as usize;
    let header = if text[start..].starts_with(['|', '>']) {
        start
    } else {
        let mut line = line_start(text, start);
        if line == 0 || !text[line..start].trim().is_empty() {
            return;
        }
        // The header is on the last non-blank line before: `key: |-  # comment`.
        let mut prev = line_start(text, line - 1);
        while prev > 0 && text[prev..line].trim().is_empty() {
            line = prev;
            prev = line_start(text, line - 1);
        }
        let head = &text[prev..line];
        let code = match head.find(" #") {
            Some(i) => &head[..i],
            None => head,
        }
        .trim_end();
        let token = code.rsplit([' ', '\t']).next().unwrap_or("");
        prev + code.len() - token.len()
    };
    let token_len = text[header..].bytes().take_while(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')).count();
    let token = &text[header..header + token_len];
    let is_header = token.starts_with(['|', '>']) && token[1..].bytes().all(|b| b == b'-' || b == b'+' || b.is_ascii_digit());
    if !is_header {
        return;
    }
    // Content lines are indented deeper than the key or dash; at the root, anything goes.
    let parent_col = if root { -1 } else { column(text, line_content_start(text, header)) as isize };
    let mut end = header + token_len;
    let mut at = after_line_break(text, line_end(text, header));
    while at < text.len() {
        let e = line_end(text, at);
        let line = &text[at..e];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if !line.trim().is_empty() {
            if indent as isize <= parent_col {
                break;
            }
            end = e;
        }
        let next = after_line_break(text, e);
        if next == e {
            break;
        }
        at = next;
    }
    s.value = TextRange::new(header, end);
    if s.key.is_none() {
        s.entry.start = dash_before(text, header) as u32;
    }
    s.entry.end = s.value.end;
}

/// The `-` of a block sequence item whose value starts on a later line, looking back over
/// blanks, line breaks and comments.
fn dash_above(text: &str, start: usize) -> Option<usize> {
    let mut p = start;
    loop {
        let before = text[..p].trim_end_matches([' ', '\t', '\r', '\n']);
        if before.ends_with('-') && (before.len() == 1 || before[..before.len() - 1].ends_with([' ', '\t', '\n', '-'])) {
            return Some(before.len() - 1);
        }
        // A comment line (or a trailing comment) between the dash and the value.
        let ls = line_start(text, before.len());
        let line = &text[ls..before.len()];
        match line.match_indices('#').find(|(i, _)| *i == 0 || line[..*i].ends_with([' ', '\t'])) {
            Some((i, _)) if ls + i < p => p = ls + i,
            _ => return None,
        }
    }
}

/// The `-` of the sequence item whose value starts at `start`, or `start` itself.
fn dash_before(text: &str, start: usize) -> usize {
    let trimmed = text[..start].trim_end_matches([' ', '\t']);
    if trimmed.ends_with('-') { trimmed.len() - 1 } else { start }
}

/// A sequence item with no value (`-  # comment`): the parser puts its empty span after the
/// comment; it belongs right after its dash.
fn empty_item(text: &str, s: &mut Spans) {
    let at = s.value.start as usize;
    let ls = line_start(text, at);
    let line = &text[ls..at];
    let code_end = line.match_indices('#').find(|(i, _)| *i == 0 || line[..*i].ends_with([' ', '\t'])).map_or(line.len(), |(i, _)| i);
    let code = &line[..code_end];
    let dash = code.char_indices().filter(|(i, c)| *c == '-' && code[i + 1..].chars().next().is_none_or(char::is_whitespace)).last();
    if let Some((i, _)) = dash {
        s.entry = TextRange::new(ls + i, ls + i + 1);
        s.value = TextRange::empty(ls + i + 1);
    }
}

/// The end of the block node at `pointer`, following its last entries down to the innermost
/// one and past a value-less entry's colon.
fn block_end(text: &str, tree: &Tree, pointer: &str, mut end: usize) -> usize {
    let mut p = pointer.to_string();
    loop {
        let last = match tree.get(&p) {
            Some(Value::Object(m)) => m.keys().next_back().map(|k| child_pointer(&p, k)),
            Some(Value::Array(a)) => a.len().checked_sub(1).map(|i| child_pointer(&p, &i.to_string())),
            _ => None,
        };
        let Some(last) = last else { return end };
        let Some(mut s) = tree.spans(&last) else { return end };
        if tree.get(&last).is_some_and(Value::is_string) {
            block_scalar(text, &mut s, false);
        }
        if matches!(text.as_bytes().get(s.value.start as usize), Some(b'{' | b'[')) {
            return flow_close(text, s.value.start as usize).map_or(end, |e| end.max(e));
        }
        end = end.max(s.entry.end as usize);
        if let (Some(key), true) = (s.key, s.value.is_empty()) {
            end = end.max(after_colon(text, key.end as usize).unwrap_or(key.end as usize));
        }
        p = last;
    }
}

/// Just past the bracket closing the flow collection opened at `open`.
fn flow_close(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\'' => {
                i += 1;
                while i < b.len() && !(b[i] == b'\'' && b.get(i + 1) != Some(&b'\'')) {
                    i += if b[i] == b'\'' { 2 } else { 1 };
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' if i > 0 && matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Just after the `:` that follows a key ending at `key_end`.
fn after_colon(text: &str, key_end: usize) -> Option<usize> {
    let rest = &text[key_end.min(text.len())..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    rest[skipped..].starts_with(':').then_some(key_end + skipped + 1)
}

/// A `# comment` between `at` and the end of its line, if that is all there is.
fn line_comment(text: &str, at: usize) -> Option<&str> {
    let rest = text[at.min(text.len())..line_end(text, at)].trim();
    rest.starts_with('#').then_some(rest)
}

/// End of the line on which a node ending at `end` ends (a block scalar's span can end at the
/// start of the next line, after its line break).
fn end_of_last_line(text: &str, end: usize) -> usize {
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        line_end(text, end - 1)
    } else {
        line_end(text, end)
    }
}

/// Indent width and sequence style, from the first examples in the file.
fn detect_style(text: &str, tree: &Tree) -> Style {
    let mut unit = None;
    let mut seq = None;
    let mut stack = vec![(String::new(), &tree.value)];
    while let Some((pointer, v)) = stack.pop() {
        if unit.is_some() && seq.is_some() {
            break;
        }
        let children: Vec<(String, &Value)> = match v {
            Value::Object(m) => m.iter().map(|(k, v)| (child_pointer(&pointer, k), v)).collect(),
            Value::Array(a) => a.iter().enumerate().map(|(i, v)| (child_pointer(&pointer, &i.to_string()), v)).collect(),
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

#[cfg(test)]
mod tests;
