//! Where the cursor is, read from the text itself: completion must work on half-typed,
//! unparseable text, so this is a small indentation (YAML) and token (JSON) scanner rather
//! than a walk of the parsed tree.

use crate::syntax::tree::child_pointer;
use crate::syntax::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Typing a key of the mapping at `parent`.
    Key,
    /// Typing the value of `key` in the mapping at `parent`.
    Value { key: String },
    /// Typing an item of the list at `parent` (JSON `accounts: [12, |]`).
    Item,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// JSON pointer of the mapping (or list) being typed into.
    pub parent: String,
    pub slot: Slot,
    /// The text typed so far, which the completion replaces.
    pub prefix: String,
    pub replace: TextRange,
    /// The line starts a new list item (`- `), in a list at `parent`'s parent.
    pub new_item: bool,
    /// Column where a key on this line starts (for snippet indentation).
    pub indent: usize,
}

impl Context {
    pub fn pointer(&self) -> String {
        match &self.slot {
            Slot::Value { key } => child_pointer(&self.parent, key),
            _ => self.parent.clone(),
        }
    }
}

struct Line<'t> {
    spaces: usize,
    dash: bool,
    content_col: usize,
    content: &'t str,
}

fn split_line(line: &str) -> Line<'_> {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    let mut col = spaces;
    let mut rest = &line[spaces..];
    let mut dash = false;
    while rest.starts_with("- ") || rest == "-" {
        dash = true;
        let after = rest[1..].trim_start_matches(' ');
        col += rest.len() - after.len();
        rest = after;
    }
    Line { spaces, dash, content_col: col, content: rest }
}

/// `key:` with nothing (or only a comment) after it.
fn block_key(content: &str) -> Option<&str> {
    let (k, v) = content.split_once(':')?;
    let v = v.trim();
    (v.is_empty() || v.starts_with('#')).then(|| k.trim().trim_matches(['"', '\'']))
}

pub fn yaml(text: &str, offset: usize) -> Context {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let cur = split_line(before);
    // Key or value?
    let (slot, prefix) = match cur.content.split_once(": ").or_else(|| cur.content.strip_suffix(':').map(|k| (k, ""))) {
        Some((k, v)) if !k.contains('#') => {
            (Slot::Value { key: k.trim().trim_matches(['"', '\'']).to_string() }, v.trim_start().to_string())
        }
        _ => (Slot::Key, cur.content.to_string()),
    };
    let prefix_start = offset - prefix.len();

    // Walk up to find the parents.
    let mut segments: Vec<String> = Vec::new();
    let mut col = cur.content_col;
    let mut item_col: Option<usize> = cur.dash.then_some(cur.spaces);
    if cur.dash {
        col = cur.spaces;
    }
    let mut siblings_at_dash = 0usize;
    // Walk up from the cursor without collecting the lines above it (it usually stops within
    // a few lines, at the enclosing top-level key).
    for l in text[..line_start].lines().rev() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t == "---" {
            continue;
        }
        let ln = split_line(l);
        if let Some(dc) = item_col {
            if ln.dash && ln.spaces == dc {
                siblings_at_dash += 1;
                continue;
            }
            if ln.spaces < dc {
                segments.push(siblings_at_dash.to_string());
                item_col = None;
                siblings_at_dash = 0;
                col = dc;
                // fall through: this line may be the list's key
            } else {
                continue;
            }
        }
        if ln.dash && ln.spaces < col && ln.content_col <= col {
            // We are inside this list item's mapping.
            item_col = Some(ln.spaces);
            siblings_at_dash = 0;
            col = ln.spaces;
            continue;
        }
        if !ln.dash && ln.spaces < col {
            if let Some(k) = block_key(ln.content) {
                segments.push(k.to_string());
                col = ln.spaces;
                if col == 0 {
                    break;
                }
            }
        }
    }
    if let Some(_dc) = item_col {
        // A list at the very top of the file.
        segments.push(siblings_at_dash.to_string());
    }
    segments.reverse();
    let parent = segments.iter().fold(String::new(), |p, s| child_pointer(&p, s));
    Context {
        parent,
        slot,
        prefix,
        replace: TextRange::new(prefix_start, offset),
        new_item: cur.dash,
        indent: cur.content_col,
    }
}

/// The JSON of `.hs/settings.json`: which key's value or which list the cursor is in.
pub fn json(text: &str, offset: usize) -> Context {
    let offset = offset.min(text.len());
    // Containers open at the cursor, with the last key read before each.
    let mut stack: Vec<(char, Option<String>)> = Vec::new();
    let mut last_string: Option<String> = None;
    let mut pending_key: Option<String> = None;
    let mut chars = text[..offset].char_indices().peekable();
    let mut after_colon = false;
    while let Some((_, c)) = chars.next() {
        match c {
            '"' => {
                let mut s = String::new();
                let mut closed = false;
                while let Some((_, d)) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        d => s.push(d),
                    }
                }
                if closed {
                    last_string = Some(s);
                }
            }
            ':' => {
                pending_key = last_string.take();
                after_colon = true;
            }
            '{' | '[' => {
                stack.push((c, pending_key.take()));
                after_colon = false;
            }
            '}' | ']' => {
                stack.pop();
                after_colon = false;
            }
            ',' => {
                pending_key = None;
                after_colon = false;
            }
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    // After the last character that cannot be part of the token (which may be wider than a byte).
    let token_start = text[..offset]
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '"'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let prefix = text[token_start..offset].trim_start_matches('"').to_string();
    let replace = TextRange::new(token_start, offset);
    let parent: String = stack.iter().filter_map(|(_, k)| k.as_ref()).fold(String::new(), |p, k| child_pointer(&p, k));
    let slot = match stack.last() {
        Some(('[', Some(_))) => Slot::Item,
        Some(('{', _)) if after_colon => Slot::Value { key: pending_key.clone().unwrap_or_default() },
        _ => Slot::Key,
    };
    Context { parent, slot, prefix, replace, new_item: false, indent: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Context {
        let off = text.find('|').unwrap();
        let t = text.replace('|', "");
        if t.trim_start().starts_with('{') {
            json(&t, off)
        } else {
            yaml(&t, off)
        }
    }

    #[test]
    fn yaml_keys_and_values_in_account_items() {
        let c = at("defaultAccount: 1\naccounts:\n  - name: a\n    accountId: 1\n    auth|\n");
        assert_eq!((c.parent.as_str(), &c.slot, c.prefix.as_str()), ("/accounts/0", &Slot::Key, "auth"));
        let c = at("accounts:\n  - name: a\n  - name: b\n    env: q|");
        assert_eq!(
            (c.parent.as_str(), &c.slot, c.prefix.as_str()),
            ("/accounts/1", &Slot::Value { key: "env".into() }, "q")
        );
        let c = at("defaultAccount: |\naccounts:\n  - name: a\n");
        assert_eq!((c.parent.as_str(), &c.slot), ("", &Slot::Value { key: "defaultAccount".into() }));
        let c = at("accounts:\n  - name: a\n    auth:\n      tokenInfo:\n        exp|");
        assert_eq!(c.parent, "/accounts/0/auth/tokenInfo");
        let c = at("accounts:\n  - name: a\n  - |");
        assert_eq!((c.parent.as_str(), c.new_item), ("/accounts/1", true));
        let c = at("http|");
        assert_eq!((c.parent.as_str(), &c.slot, c.prefix.as_str()), ("", &Slot::Key, "http"));
    }

    #[test]
    fn half_typed_yaml_still_resolves() {
        let c = at("accounts:\n  - name: \"unterminated\n    authType: |\n  - name: b\n");
        assert_eq!((c.parent.as_str(), &c.slot), ("/accounts/0", &Slot::Value { key: "authType".into() }));
    }

    #[test]
    fn json_contexts() {
        let c = at("{\n  \"accounts\": [123, |\n");
        assert_eq!((c.parent.as_str(), &c.slot), ("/accounts", &Slot::Item));
        let c = at("{\"accounts\": [1], \"localDefaultAccount\": 4|}");
        assert_eq!(
            (c.parent.as_str(), &c.slot, c.prefix.as_str()),
            ("", &Slot::Value { key: "localDefaultAccount".into() }, "4")
        );
        let c = at("{\"accounts\": [1], \"lo|\"}");
        assert_eq!((c.parent.as_str(), &c.slot, c.prefix.as_str()), ("", &Slot::Key, "lo"));
        // A token after a character wider than one byte (found by the no-panic test).
        let c = at("{\"accounts\": [1],\n\u{fffd}\u{fffd}  Kk|");
        assert_eq!(c.prefix.as_str(), "Kk");
    }
}
