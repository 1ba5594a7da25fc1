//! JSON text -> [`Tree`]. Strict JSON as the CLI's `JSON.parse` reads it; comments and
//! trailing commas are errors, but the text is then read again leniently so the rest of the
//! file can still be checked and completed.

use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use serde_json::{Map, Number, Value};

use super::range::TextRange;
use super::tree::{SpanNode, Spans, SyntaxError, Tree};
use super::MAX_NESTING;

pub fn parse(text: &str) -> Tree {
    // The parser below recurses once per level: a deeper text is refused before it is read.
    if let Some(at) = nesting_past_limit(text) {
        let end = at + 1;
        let message = format!("JSON syntax error: nested deeper than {MAX_NESTING} levels; the file is not read.");
        return Tree::new(Value::Null, None, vec![SyntaxError { range: TextRange::new(at, end), message }]);
    }
    let collect = CollectOptions { comments: CommentCollectionStrategy::Off, tokens: false };
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let mut errors = Vec::new();
    let ast = match jsonc_parser::parse_to_ast(text, &collect, &strict) {
        Ok(r) => r.value,
        Err(e) => {
            errors.push(error_from(text, &e));
            // Lenient second reading: keeps comments/trailing commas from hiding every other finding.
            jsonc_parser::parse_to_ast(text, &collect, &ParseOptions::default()).ok().and_then(|r| r.value)
        }
    };
    if ast.is_none() && errors.is_empty() && !text.trim().is_empty() {
        errors.push(SyntaxError { range: TextRange::empty(0), message: "JSON syntax error".into() });
    }
    let (value, root) = match &ast {
        Some(node) => {
            let range = range_of(node);
            let (value, children) = build(node);
            let root = SpanNode::with_children(Spans { key: None, value: range, entry: range }, children, &value);
            (value, Some(root))
        }
        None => (Value::Null, None),
    };
    Tree::new(value, root, errors)
}

/// Where the text opens its first collection past [`MAX_NESTING`] levels, if it does (brackets
/// in strings and comments do not count).
fn nesting_past_limit(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(bytes.len(), |n| i + 2 + n + 1);
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

fn error_from(text: &str, e: &jsonc_parser::errors::ParseError) -> SyntaxError {
    let r = e.range();
    let mut range = TextRange::new(r.start.min(text.len()), r.end.min(text.len()));
    if range.is_empty() {
        // Point at one character so editors draw something (or the last one at end of file).
        let at = range.start as usize;
        range = match text[at..].chars().next() {
            Some(c) => TextRange::new(at, at + c.len_utf8()),
            None => text[..at].chars().next_back().map_or(range, |c| TextRange::new(at - c.len_utf8(), at)),
        };
    }
    SyntaxError { range, message: format!("JSON syntax error: {}", e.kind()) }
}

fn range_of(node: &Ast) -> TextRange {
    let r = match node {
        Ast::StringLit(n) => n.range,
        Ast::NumberLit(n) => n.range,
        Ast::BooleanLit(n) => n.range,
        Ast::Object(n) => n.range,
        Ast::Array(n) => n.range,
        Ast::NullKeyword(n) => n.range,
    };
    TextRange::new(r.start, r.end)
}

/// The value of `node`, and the span nodes of its children (in the value's order).
fn build(node: &Ast) -> (Value, Vec<SpanNode>) {
    match node {
        Ast::StringLit(s) => (Value::String(s.value.to_string()), Vec::new()),
        Ast::NumberLit(n) => (number(n.value), Vec::new()),
        Ast::BooleanLit(b) => (Value::Bool(b.value), Vec::new()),
        Ast::NullKeyword(_) => (Value::Null, Vec::new()),
        Ast::Array(a) => {
            let mut items = Vec::with_capacity(a.elements.len());
            let mut children = Vec::with_capacity(a.elements.len());
            for el in &a.elements {
                let r = range_of(el);
                let (v, kids) = build(el);
                children.push(SpanNode::with_children(Spans { key: None, value: r, entry: r }, kids, &v));
                items.push(v);
            }
            (Value::Array(items), children)
        }
        Ast::Object(o) => {
            let mut map = Map::new();
            let mut children: Vec<SpanNode> = Vec::with_capacity(o.properties.len());
            for prop in &o.properties {
                let (key, key_range) = match &prop.name {
                    ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                };
                let key_range = TextRange::new(key_range.start, key_range.end);
                let value_range = range_of(&prop.value);
                let (v, kids) = build(&prop.value);
                let node = SpanNode::with_children(
                    Spans {
                        key: Some(key_range),
                        value: value_range,
                        entry: TextRange::new(prop.range.start, prop.range.end),
                    },
                    kids,
                    &v,
                );
                // JSON.parse keeps the last of duplicated keys (in the first one's place).
                match map.contains_key(&key).then(|| map.keys().position(|k| *k == key)).flatten() {
                    Some(i) => children[i] = node,
                    None => children.push(node),
                }
                map.insert(key, v);
            }
            (Value::Object(map), children)
        }
    }
}

fn number(raw: &str) -> Value {
    if let Ok(i) = raw.parse::<i64>() {
        return Value::Number(i.into());
    }
    raw.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(raw.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nesting_past_the_limit_is_an_error_not_a_crash() {
        let t = parse(&format!("{{\"accounts\": {}", "[".repeat(50_000)));
        assert_eq!(t.errors.len(), 1);
        assert!(t.errors[0].message.contains("nested deeper"), "{:?}", t.errors);
        assert_eq!(t.errors[0].range.start as usize, "{\"accounts\": ".len() + MAX_NESTING - 1);
        // Brackets in strings and comments are not nesting; the limit itself is fine.
        let quoted = format!("{{\"a\": \"{}\\\"[\"}} // {}\n", "[".repeat(500), "{".repeat(500));
        assert!(!parse(&quoted).errors.iter().any(|e| e.message.contains("nested")), "{:?}", parse(&quoted).errors);
        let at_limit = format!("{}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(parse(&at_limit).errors.is_empty(), "{:?}", parse(&at_limit).errors);
    }

    #[test]
    fn strict_json_with_spans() {
        let text = "{\n  \"accounts\": [123, 456],\n  \"localDefaultAccount\": 456\n}";
        let t = parse(text);
        assert!(t.errors.is_empty());
        assert_eq!(t.value, json!({"accounts": [123, 456], "localDefaultAccount": 456}));
        assert_eq!(t.spans("/accounts/1").unwrap().value.slice(text), "456");
        assert_eq!(t.spans("/localDefaultAccount").unwrap().key.unwrap().slice(text), "\"localDefaultAccount\"");
    }

    #[test]
    fn comments_and_trailing_commas_are_errors_but_still_read() {
        let text = "{\n  // linked\n  \"accounts\": [1, 2,],\n}";
        let t = parse(text);
        assert!(!t.errors.is_empty());
        assert_eq!(t.value, json!({"accounts": [1, 2]}));
        assert!(t.errors[0].range.slice(text).starts_with("//"), "{:?}", t.errors);
    }

    #[test]
    fn garbage_is_an_error_with_null_value() {
        let t = parse("{\"accounts\": [1, ");
        assert!(!t.errors.is_empty());
        assert!(!t.complete);
    }
}
