//! A direct reader for the block YAML that the CLI writes and people edit: block mappings
//! and sequences by indentation, simple keys, plain and single-line quoted scalars, and
//! comments. It feeds the same [`Builder`] as the full parser, so values, spans and
//! duplicate-key findings come out identical; scalars resolve through the same
//! `scalar_value`. On anything else (flow collections, anchors, tags, block scalars,
//! multi-line scalars, escapes, tabs, CR line breaks, document markers, odd indentation,
//! syntax errors) it gives up and the full parser reads the text. A differential test
//! holds the two to the same results.
//!
//! Why: the full parser works char by char through a general state machine; for a
//! 20,000-account config it is most of the time of a keystroke.

use std::borrow::Cow;

use saphyr::ScalarStyle;
use serde_json::Value;

use super::handoff::Handoff;
use super::{scalar_value, Builder, Outcome};
use crate::syntax::range::TextRange;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
}

/// A `key:` or `-` whose value is on the following lines (or is empty).
#[derive(Clone, Copy)]
struct Pending {
    col: usize,
    /// Right after the colon or dash: where an empty value is.
    after: usize,
    item: bool,
}

/// `handoff`: where the items of the root's sequences go as they are read.
pub(super) fn run<'t>(text: &'t str, handoff: Option<Handoff<'t>>) -> Option<Outcome> {
    // Vectorised scans: byte by byte, this test was a twentieth of the read.
    let bytes = text.as_bytes();
    if text.is_empty()
        || memchr::memchr3(b'\t', b'\r', b'\\', bytes).is_some()
        || memchr::memchr(0, bytes).is_some()
        || text.starts_with('\u{feff}')
    {
        return None;
    }
    let mut b = Builder::new(text);
    b.handoff = handoff;
    let mut open: Vec<(Kind, usize)> = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut started = false;
    let mut line_start = 0usize;
    for line in lines(text) {
        let here = line_start;
        line_start += line.len() + 1;
        let col = line.len() - line.trim_start_matches(' ').len();
        let content = line[col..].trim_end_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if content.starts_with("---") || content.starts_with("...") || content.starts_with('%') {
            return None;
        }
        let at = here + col; // byte offset of the content
        let dash = is_dash(content);

        // A value announced on the previous line: a nested block, or nothing. The document's
        // first line opens the root block the same way.
        let opens_block = match pending.take() {
            Some(p) if col == p.col && !p.item && dash && open.last() == Some(&(Kind::Map, p.col)) => {
                // An indentless sequence starts, for the parser, at its first item's content.
                let rest = content[1..].trim_start_matches(' ');
                if rest.is_empty() || rest.starts_with('#') {
                    return None;
                }
                b.open_seq(at + content.len() - rest.len());
                open.push((Kind::Seq, col));
                false
            }
            Some(p) if col > p.col => true,
            Some(p) => {
                b.attach(Value::Null, TextRange::empty(p.after), Vec::new());
                false
            }
            None => !std::mem::replace(&mut started, true),
        };
        if opens_block {
            if dash {
                b.open_seq(at);
                open.push((Kind::Seq, col));
            } else {
                b.open_map(at);
                open.push((Kind::Map, col));
            }
        }
        // Close what this line's indentation ends.
        while let Some(&(kind, c)) = open.last() {
            if c > col || (c == col && kind == Kind::Seq && !dash) {
                b.close_container(None);
                open.pop();
            } else {
                break;
            }
        }
        let &(kind, c) = open.last()?; // none: a second top-level node
        if c != col {
            return None; // more (or oddly) indented: a continuation, or an error
        }
        match kind {
            Kind::Seq => {
                if !dash {
                    return None;
                }
                let rest = &content[1..];
                let skip = rest.len() - rest.trim_start_matches(' ').len();
                let rest = &rest[skip..];
                let rest_at = at + 1 + skip;
                if rest.is_empty() || rest.starts_with('#') {
                    // An empty item (`-` alone): the parser's placement of what follows is
                    // its own affair; let it read the file.
                    return None;
                } else if is_dash(rest) {
                    return None; // `- - x`
                } else if let Some(key_len) = key_len(rest) {
                    let item_col = col + 1 + skip;
                    b.open_map(rest_at);
                    open.push((Kind::Map, item_col));
                    pending = entry(&mut b, rest, rest_at, key_len, item_col)?;
                } else {
                    let (v, r) = scalar(rest, rest_at)?;
                    b.attach(v, r, Vec::new());
                }
            }
            Kind::Map => {
                if dash {
                    return None;
                }
                let key_len = key_len(content)?;
                pending = entry(&mut b, content, at, key_len, col)?;
            }
        }
    }
    if let Some(p) = pending {
        b.attach(Value::Null, TextRange::empty(p.after), Vec::new());
    }
    if !started {
        return None;
    }
    b.close_all();
    if b.lost {
        return None; // the items handed off did not come back
    }
    Some(b.finish(None))
}

/// `text.split('\n')`, found in one vectorised scan rather than a search per (short) line.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())).map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        line
    })
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// The length of a simple key at the start of `s` followed by `:` and a space or the end.
fn key_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if !bytes.first().is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        return None;
    }
    let n = bytes.iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')).count();
    match bytes.get(n) {
        Some(b':') if matches!(bytes.get(n + 1), None | Some(b' ')) => Some(n),
        _ => None,
    }
}

/// `key: value` (or `key:`) at `at`; returns the pending value when it is on later lines.
fn entry(b: &mut Builder<'_>, content: &str, at: usize, key_len: usize, col: usize) -> Option<Option<Pending>> {
    let key = &content[..key_len];
    b.attach(scalar_value(Cow::Borrowed(key), ScalarStyle::Plain, None), TextRange::new(at, at + key_len), Vec::new());
    // An empty value sits on the colon, as the parser places it.
    let colon = at + key_len;
    let after = colon + 1;
    let rest = &content[key_len + 1..];
    let skip = rest.len() - rest.trim_start_matches(' ').len();
    let rest = &rest[skip..];
    if rest.is_empty() || rest.starts_with('#') {
        return Some(Some(Pending { col, after: colon, item: false }));
    }
    let (v, r) = scalar(rest, after + skip)?;
    b.attach(v, r, Vec::new());
    Some(None)
}

/// A scalar that is the rest of a line (`s`, starting at byte `at`), with a comment allowed
/// after it.
fn scalar(s: &str, at: usize) -> Option<(Value, TextRange)> {
    let bytes = s.as_bytes();
    match bytes[0] {
        b'"' => {
            let close = 1 + s[1..].find('"')?;
            tail_ok(&s[close + 1..])?;
            Some((Value::String(s[1..close].to_string()), TextRange::new(at, at + close + 1)))
        }
        b'\'' => {
            let mut out = String::new();
            let mut i = 1;
            loop {
                let j = i + s[i..].find('\'')?;
                out.push_str(&s[i..j]);
                if bytes.get(j + 1) == Some(&b'\'') {
                    out.push('\'');
                    i = j + 2;
                } else {
                    tail_ok(&s[j + 1..])?;
                    return Some((Value::String(out), TextRange::new(at, at + j + 1)));
                }
            }
        }
        b'&' | b'*' | b'!' | b'|' | b'>' | b'{' | b'[' | b']' | b'}' | b',' | b'%' | b'@' | b'`' | b'?' | b':'
        | b'#' => None,
        b'-' if matches!(bytes.get(1), None | Some(b' ')) => None,
        _ => {
            // One pass over the (short) rest of the line: a comment starts at a `#` after a
            // space; before it, a `:` followed by a space or the end would make this a
            // mapping.
            let mut end = s.len();
            for (i, &b) in bytes.iter().enumerate() {
                match b {
                    b'#' if i > 0 && bytes[i - 1] == b' ' => {
                        end = i - 1;
                        break;
                    }
                    b':' if matches!(bytes.get(i + 1), None | Some(b' ')) => return None,
                    _ => {}
                }
            }
            let raw = s[..end].trim_end_matches(' ');
            let v = scalar_value(Cow::Borrowed(raw), ScalarStyle::Plain, None);
            Some((v, TextRange::new(at, at + raw.len())))
        }
    }
}

/// After a quoted scalar: nothing, or spaces and a comment.
fn tail_ok(rest: &str) -> Option<()> {
    let trimmed = rest.trim_start_matches(' ');
    (trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())).then_some(())
}

#[cfg(test)]
mod tests {
    use super::super::Builder;
    use super::*;

    /// Everything the full parser says about `text`.
    fn full(text: &str) -> Outcome {
        Builder::run(text)
    }

    fn same(text: &str) -> bool {
        let Some(fast) = run(text, None) else { return false };
        let slow = full(text);
        assert!(slow.error.is_none(), "fast path accepted what the parser rejects: {text:?}: {:?}", slow.error);
        assert_eq!(fast.value, slow.value, "values differ for {text:?}");
        assert_eq!(fast.root, slow.root, "spans differ for {text:?}");
        assert_eq!(fast.semantic_errors, slow.semantic_errors, "findings differ for {text:?}");
        true
    }

    const CASES: &[&str] = &[
        "a: 1\n",
        "a: 1",
        "a:\nb: 2\n",
        "a:\n",
        "a:",
        "a: # c\n  b: x\n",
        "accounts:\n- name: a\n  accountId: 1\nother: x\n",
        "accounts:\n  - name: a\n    accountId: 1\n  -\n  - x\n  - 'q''s'   # c\nz: \"dq\"\n",
        "accounts:\n  -   name: wide\n      id: 2\n",
        "# head\n\nk-1.x_y: -5\nn: ~\nt: true\nf: 1.5e3\nh: 0x1F\no: 0o17\ns: yes\ne: ''\nd: \"\"\nu: héllo wörld 😀\nnull: 3\n123: x\n",
        "a: b # c\nb: c#d\nc: http://x.y/z?q=1\nd:    spaced   \n",
        "a: 1\na: 2\n",
        "l:\n- 1\n- 2\n-\n",
        "- a\n- b: 1\n  c: 2\n- \n",
        "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
        "a:\n  b:\n  c: 1\n",
        "x: -\n",
        "x: a: b\n",
        "x: [1]\n",
        "x: &a 1\n",
        "x: |\n  y\n",
        "x: one\n  two\n",
        "  a: 1\n  b: 2\n",
        "a: 1\n b: 2\n",
        "---\na: 1\n",
        "a: \"x\"y\n",
        "a: 'x'#y\n",
        "a: \"x\" # ok\n",
        "\n\n# only\n",
    ];

    #[test]
    fn agrees_with_the_full_parser() {
        let mut accepted = 0;
        for c in CASES {
            if same(c) {
                accepted += 1;
            }
        }
        assert!(accepted >= 15, "the fast path should take the common cases ({accepted})");
    }

    #[test]
    fn takes_the_generated_configs_and_the_examples() {
        let mut text = String::from("defaultAccount: 20000001\nhttpTimeout: 30000\naccounts:\n");
        for i in 0..30 {
            text.push_str(&format!(
                "  - name: portal-{i}\n    accountId: {}\n    env: prod\n    authType: personalaccesskey\n    accountType: STANDARD\n    personalAccessKey: pat-na1-{i:08x}\n    auth:\n      tokenInfo:\n        accessToken: CN{i}abc\n        expiresAt: '2026-12-01T12:00:00.000Z'\n",
                20000001 + i
            ));
        }
        assert!(same(&text));
        same(include_str!("../../../../examples/home/.hscli/config.yml"));
    }

    /// Every one-byte deletion and a few insertions in a config: wherever the fast path
    /// accepts the mutant, it must agree with the full parser.
    #[test]
    fn agrees_on_mutants() {
        let base = "# c\ndefaultAccount: 1 # x\naccounts:\n  - name: a b\n    accountId: '2'\n    auth:\n      tokenInfo: \n        expiresAt: \"z\"\n  - name: c\nflags:\n- x\n";
        let inserts = [" ", "-", ":", "#", "'", "\"", "\n", "  ", "- ", ": ", "x"];
        let mut n = 0;
        for i in 0..base.len() {
            let mut m = String::from(&base[..i]);
            m.push_str(&base[i + 1..]);
            n += same(&m) as usize;
            for ins in inserts {
                let m = format!("{}{}{}", &base[..i], ins, &base[i..]);
                n += same(&m) as usize;
            }
        }
        assert!(n > 100, "{n}");
    }
}
