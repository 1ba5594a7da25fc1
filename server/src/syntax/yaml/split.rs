//! Reading a large plain block-YAML file on two cores: the items of a block sequence in its
//! second half on one, everything else on the other, joined after.
//!
//! Why: opening a 2,000-account config is mostly reading it into the tree, one line after
//! another. The same property that lets an edit re-read one item (`incremental`) lets half
//! of the items be read apart: a run of whole items of a block sequence depends on its own
//! lines only. The other thread reads the text with that run blanked out (spaces keep every
//! offset), and the run's items are appended to the sequence they continue.
//!
//! Anything unusual answers `None` and the caller reads the text in one piece. A
//! differential test holds the result to the one-piece read.

use serde_json::Value;

use super::fast::{self, is_dash};
use super::{first_content_line, Outcome};
use crate::syntax::range::TextRange;
use crate::syntax::tree::SpanNode;

/// Below this size one thread reads faster than two start.
pub(super) const MIN_BYTES: usize = 128 * 1024;

pub(super) fn run(text: &str, min_bytes: usize) -> Option<Outcome> {
    if text.len() < min_bytes || std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return None;
    }
    let (run, column) = second_half_run(text)?;
    let mut blanked = text.as_bytes().to_vec();
    for b in blanked[run.clone()].iter_mut().filter(|b| **b != b'\n') {
        *b = b' ';
    }
    let blanked = String::from_utf8(blanked).ok()?; // only whole lines of ASCII were replaced
    let (rest, items) = std::thread::scope(|scope| {
        let items = scope.spawn(|| fast::run(&text[run.clone()]));
        let rest = fast::run(&blanked);
        (rest, items.join().ok().flatten())
    });
    join(text, rest?, items?, run.start, column)
}

/// From the middle of the text: the first line that starts an item of a block sequence
/// (`- ` at some column), through the last line before one with content left of that
/// column, or at it and not an item; the first such run that holds an eighth of the text
/// or more (a short one is a list inside an account). Returns the byte range and the column.
fn second_half_run(text: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let mut at = text[text.len() / 2..].find('\n')? + text.len() / 2 + 1;
    loop {
        let (start, column) = loop {
            let line = line_at(text, at)?;
            let indent = line.len() - line.trim_start_matches(' ').len();
            let content = &line[indent..];
            if is_dash(content) {
                break (at, indent);
            }
            at += line.len() + 1;
        };
        let end = run_end(text, start, column);
        if (end - start) * 8 >= text.len() {
            return Some((start..end, column));
        }
        at = end;
    }
}

/// Where the items at `column` starting at `start` end: at the first line with content
/// left of the column, or at it and not an item.
fn run_end(text: &str, start: usize, column: usize) -> usize {
    first_content_line(text, start, |indent, content| indent < column || (indent == column && !is_dash(content)))
}

fn line_at(text: &str, at: usize) -> Option<&str> {
    let rest = text.get(at..).filter(|r| !r.is_empty())?;
    Some(&rest[..rest.find('\n').unwrap_or(rest.len())])
}

/// Appends the run's items (read from the text at `base`) to the sequence they continue in
/// `rest`: the sequence at `column` on the right edge of what `rest` read before `base`.
fn join(text: &str, mut rest: Outcome, items: Outcome, base: usize, column: usize) -> Option<Outcome> {
    if rest.error.is_some() || items.error.is_some() {
        return None;
    }
    let Value::Array(new_values) = items.value else { return None };
    let mut new_nodes = items.root?.children;
    if new_nodes.is_empty() || new_nodes.len() != new_values.len() {
        return None;
    }
    let shift = base as u32;
    for n in &mut new_nodes {
        n.map_offsets(&|x| x + shift);
    }
    let new_end = new_nodes.last()?.extent().1 as u32;
    // Walk down the right edge before `base`: at each level the last child starting before
    // it, which must also end before it (later children follow the run).
    let mut path = Vec::new();
    let (mut node, mut value) = (rest.root.as_ref()?, &rest.value);
    let old_end = loop {
        let kids = &node.children;
        let k = kids.partition_point(|c| c.extent().0 < base).checked_sub(1)?;
        if kids[k].extent().1 >= base {
            return None;
        }
        if let Value::Array(items) = value {
            let dash = kids[k].spans.entry.start as usize;
            let line_start = text[..dash].rfind('\n').map_or(0, |i| i + 1);
            if dash - line_start == column && text.as_bytes().get(dash) == Some(&b'-') {
                // The sequence the run continues: its last item must be this one.
                if k + 1 != items.len() {
                    return None;
                }
                break kids[k].extent().1 as u32;
            }
        }
        let child_value = match value {
            Value::Array(a) => a.get(k)?,
            Value::Object(m) => m.values().nth(k)?,
            _ => return None,
        };
        path.push(k);
        node = &kids[k];
        value = child_value;
    };
    let mut slot = &mut rest.value;
    for &i in &path {
        slot = match slot {
            Value::Array(a) => a.get_mut(i)?,
            Value::Object(m) => m.values_mut().nth(i)?,
            _ => return None,
        };
    }
    let Value::Array(seq) = slot else { return None };
    seq.extend(new_values);
    append(rest.root.as_mut()?, &path, new_nodes, old_end, new_end);
    rest.semantic_errors.extend(items.semantic_errors.into_iter().map(|mut e| {
        e.range = TextRange { start: e.range.start + shift, end: e.range.end + shift };
        e
    }));
    rest.semantic_errors.sort_by_key(|e| (e.range.start, e.range.end));
    Some(rest)
}

/// Appends `nodes` to the node at `path`; every node on the way that ended with the old last
/// item (`old_end`) now ends with the new one.
fn append(node: &mut SpanNode, path: &[usize], nodes: Vec<SpanNode>, old_end: u32, new_end: u32) {
    let s = &mut node.spans;
    for r in [&mut s.value, &mut s.entry] {
        if r.end == old_end {
            r.end = new_end;
        }
    }
    match path.split_first() {
        Some((&i, rest)) => {
            if let Some(child) = node.children.get_mut(i) {
                append(child, rest, nodes, old_end, new_end);
            }
        }
        None => node.children.extend(nodes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whenever the split read answers, it answers what the one-piece read does.
    fn same(text: &str) -> bool {
        let Some(split) = run(text, 0) else { return false };
        let whole = fast::run(text).expect("the split read took what the one-piece read refuses");
        assert_eq!(split.value, whole.value, "values differ for {text:?}");
        assert_eq!(split.root, whole.root, "spans differ for {text:?}");
        assert_eq!(split.semantic_errors, whole.semantic_errors, "findings differ for {text:?}");
        true
    }

    fn config(n: usize, tail: &str) -> String {
        let mut text = String::from("# head\ndefaultAccount: 1\naccounts:\n");
        for i in 0..n {
            text.push_str(&format!("  - name: p{i}\n    accountId: {i}\n    scopes:\n    - a\n    auth:\n      tokenInfo:\n        expiresAt: '2026'\n    # c\n\n"));
        }
        text.push_str(tail);
        text
    }

    #[test]
    fn agrees_with_the_one_piece_read() {
        let mut taken = 0;
        for n in [2, 3, 10, 31] {
            for tail in ["", "httpTimeout: 5\n", "other:\n  - x\n", "list:\n- q\n- r", "accounts: dup\n"] {
                let text = config(n, tail);
                // A list of many accounts splits (a short one may leave its second half
                // without another item to start from).
                assert!(same(&text) || n < 10, "{text}");
                // And with every line of the middle account cut or doubled.
                let lines: Vec<&str> = text.lines().collect();
                let mid = lines.len() / 2;
                for i in mid.saturating_sub(12)..(mid + 12).min(lines.len()) {
                    let mut cut = lines.clone();
                    cut.remove(i);
                    taken += same(&(cut.join("\n") + "\n")) as usize;
                    let mut doubled = lines.clone();
                    doubled.insert(i, lines[i]);
                    taken += same(&(doubled.join("\n") + "\n")) as usize;
                }
            }
        }
        assert!(taken > 150, "{taken}");
        // A sequence of scalars, nested sequences, and an indentless one.
        for text in ["a:\n  - 1\n  - 2\n  - 3\n  - 4\n", "- - x\n- y\n- z\n", "k:\n- a: 1\n- b: 2\n- c: 3\nz: 1\n"] {
            same(text);
        }
    }
}
