//! Where YAML nodes really are, for an edit: the parser's spans corrected where they do not
//! fit (block scalars, value-less entries, items below their dash, flow collections followed
//! by comments), and small text scanners (colons, comments, closing brackets).

use serde_json::Value;

use super::super::text::{after_line_break, column, line_content_start, line_end, line_start};
use super::render::is_inline;
use crate::syntax::tree::{child_pointer, parent_pointer};
use crate::syntax::{Spans, TextRange, Tree};

/// The tree's spans, corrected where the parser's differ from what an edit needs: a flow
/// collection ends at its closing bracket (the parser's span can run on over blanks and a
/// comment), and a block sequence starts at its first dash (for a sequence not indented under
/// its key the parser starts it at the first item's value).
pub(super) fn node_spans(text: &str, tree: &Tree, pointer: &str) -> Option<Spans> {
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
    let is_header =
        token.starts_with(['|', '>']) && token[1..].bytes().all(|b| b == b'-' || b == b'+' || b.is_ascii_digit());
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
        if before.ends_with('-') && (before.len() == 1 || before[..before.len() - 1].ends_with([' ', '\t', '\n', '-']))
        {
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
    if trimmed.ends_with('-') {
        trimmed.len() - 1
    } else {
        start
    }
}

/// A sequence item with no value (`-  # comment`): the parser puts its empty span after the
/// comment; it belongs right after its dash.
fn empty_item(text: &str, s: &mut Spans) {
    let at = s.value.start as usize;
    let ls = line_start(text, at);
    let line = &text[ls..at];
    let code_end = line
        .match_indices('#')
        .find(|(i, _)| *i == 0 || line[..*i].ends_with([' ', '\t']))
        .map_or(line.len(), |(i, _)| i);
    let code = &line[..code_end];
    let dash =
        code.char_indices().rfind(|(i, c)| *c == '-' && code[i + 1..].chars().next().is_none_or(char::is_whitespace));
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
pub(super) fn flow_close(text: &str, open: usize) -> Option<usize> {
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
pub(super) fn after_colon(text: &str, key_end: usize) -> Option<usize> {
    let rest = &text[key_end.min(text.len())..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    rest[skipped..].starts_with(':').then_some(key_end + skipped + 1)
}

/// A `# comment` between `at` and the end of its line, if that is all there is.
pub(super) fn line_comment(text: &str, at: usize) -> Option<&str> {
    let rest = text[at.min(text.len())..line_end(text, at)].trim();
    rest.starts_with('#').then_some(rest)
}

/// End of the line on which a node ending at `end` ends (a block scalar's span can end at the
/// start of the next line, after its line break).
pub(super) fn end_of_last_line(text: &str, end: usize) -> usize {
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        line_end(text, end - 1)
    } else {
        line_end(text, end)
    }
}
