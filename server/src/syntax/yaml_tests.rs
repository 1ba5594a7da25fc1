//! Tests of `yaml.rs`: values, spans, recovery, limits.

use super::*;
use serde_json::json;

#[test]
fn values_follow_the_core_schema() {
    let t = parse("a: 123\nb: '123'\nc: yes\nd: true\ne: ~\nf:\ng: 1.5\nh: 0x10\n");
    assert!(t.errors.is_empty(), "{:?}", t.errors);
    assert_eq!(t.value, json!({"a":123,"b":"123","c":"yes","d":true,"e":null,"f":null,"g":1.5,"h":16}));
}

#[test]
fn spans_cover_keys_values_and_entries() {
    let text = "accounts:\n  - name: foo\n    accountId: 12\n";
    let t = parse(text);
    let s = t.spans("/accounts/0/accountId").unwrap();
    assert_eq!(s.key.unwrap().slice(text), "accountId");
    assert_eq!(s.value.slice(text), "12");
    let item = t.spans("/accounts/0").unwrap();
    assert_eq!(item.entry.slice(text), "- name: foo\n    accountId: 12");
    assert_eq!(t.spans("/accounts").unwrap().key.unwrap().slice(text), "accounts");
}

#[test]
fn a_missing_value_has_an_empty_span() {
    let text = "{a, b}\n";
    let t = parse(text);
    assert_eq!(t.value, json!({"a": null, "b": null}));
    for p in ["/a", "/b"] {
        let s = t.spans(p).unwrap();
        assert!(s.value.is_empty(), "{p}: {:?}", s.value.slice(text));
        assert_eq!(s.entry.slice(text), &p[1..]);
    }
}

#[test]
fn multibyte_text_gets_byte_ranges() {
    let text = "# héllo 😀\nname: \"é😀\"\nid: 5\n";
    let t = parse(text);
    assert_eq!(t.spans("/name").unwrap().value.slice(text), "\"é😀\"");
    assert_eq!(t.spans("/id").unwrap().value.slice(text), "5");
}

#[test]
fn quoted_scalars_end_at_their_quote() {
    let text = "a: \"456\"   # c\nb: 'it''s'  # d\nc: \"x\\\"y\"\n";
    let t = parse(text);
    assert_eq!(t.spans("/a").unwrap().value.slice(text), "\"456\"");
    assert_eq!(t.spans("/b").unwrap().value.slice(text), "'it''s'");
    assert_eq!(t.spans("/c").unwrap().value.slice(text), "\"x\\\"y\"");
    assert_eq!(t.value["c"], serde_json::json!("x\"y"));
}

#[test]
fn flow_collections_and_aliases() {
    let text = "a: &x {k: 1, j: [1, 2]}\nb: *x\n";
    let t = parse(text);
    assert_eq!(t.value["b"], json!({"k":1,"j":[1,2]}));
    assert_eq!(t.spans("/a").unwrap().value.slice(text), "{k: 1, j: [1, 2]}");
    assert_eq!(t.spans("/a/j/1").unwrap().value.slice(text), "2");
}

#[test]
fn duplicate_keys_are_errors() {
    let t = parse("a: 1\na: 2\n");
    assert_eq!(t.errors.len(), 1);
    assert_eq!(t.value, json!({"a": 1}));
    assert!(!t.complete);
}

#[test]
fn syntax_error_keeps_the_rest() {
    let text = "httpTimeout: 5000\nbad: [\nallowUsageTracking: maybe\n";
    let t = parse(text);
    assert!(!t.errors.is_empty());
    assert!(!t.complete);
    assert_eq!(t.value["httpTimeout"], json!(5000));
}

#[test]
fn error_in_the_middle_keeps_later_lines() {
    let text = "a: 1\nb: \"unterminated\n  c: : :\nd: 4\n";
    let t = parse(text);
    assert!(!t.errors.is_empty());
    assert_eq!(t.value["a"], json!(1));
}

#[test]
fn tab_indentation_is_an_error_with_position() {
    let text = "accounts:\n\t- name: x\n";
    let t = parse(text);
    assert!(!t.errors.is_empty());
    assert!(t.errors[0].range.start as usize >= "accounts:\n".len() - 1);
}

#[test]
fn empty_and_comment_only_documents() {
    assert_eq!(parse("").value, Value::Null);
    assert_eq!(parse("# nothing\n").value, Value::Null);
    assert!(parse("").errors.is_empty());
}

#[test]
fn alias_bombs_are_cut_off() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let t = parse(&text);
    assert!(t.errors.iter().any(|e| e.message.contains("Aliases")));
}

#[test]
fn nesting_past_the_limit_is_an_error_not_a_crash() {
    let text = format!("accounts:\n  {}x\n", "- ".repeat(50_000));
    let t = parse(&text);
    assert!(!t.complete);
    assert!(t.errors.iter().any(|e| e.message.contains("nest deeper")), "{:?}", t.errors);
    let flow = format!("a: {}\n", "[".repeat(50_000));
    // Flow brackets this deep stop the parser itself first: a syntax error all the same.
    let t = parse(&flow);
    assert!(!t.complete && t.errors.iter().any(|e| e.message.contains("syntax error")), "{:?}", t.errors);
    // At the limit itself, still read.
    let deep = format!("{}x\n", "- ".repeat(MAX_NESTING));
    assert!(parse(&deep).errors.is_empty());
}

#[test]
fn second_document_is_an_error() {
    let t = parse("a: 1\n---\nb: 2\n");
    assert_eq!(t.errors.len(), 1);
    assert_eq!(t.value, json!({"a": 1}));
}

/// What js-yaml (the CLI's reader) says of each text: `None` when it reads it.
fn refusal(text: &str) -> Option<String> {
    let t = parse(text);
    t.errors.first().map(|e| format!("{} @{}", e.message, e.range.slice(text).escape_debug()))
}

#[test]
fn control_characters_are_refused_where_js_yaml_refuses_them() {
    for (text, refused) in [
        ("a: x\x1by\n", Some("non-printable characters")),
        ("x\x1by: 1\n", Some("non-printable characters")),
        ("a: |\n  x\x1by\n", Some("non-printable characters")),
        ("a: \"x\x1by\"\n", Some("expected valid JSON character")),
        ("a: 'x\x07y'\n", Some("expected valid JSON character")),
        ("a: x\u{7f}y\n", Some("non-printable characters")),
        ("a: x\u{90}y\n", Some("non-printable characters")),
        ("a: x\u{fffe}y\n", Some("non-printable characters")),
        // Accepted: quoted DEL and C1, NEL, escapes, comments, tabs.
        ("a: \"x\u{7f}\u{90}\u{fffe}y\"\n", None),
        ("a: x\u{85}y\n", None),
        ("a: \"x\\x1by\"\n", None),
        ("a: 1 # x\x1by\u{fffe}\n", None),
        ("a: x\ty\n", None),
    ] {
        let got = refusal(text);
        match refused {
            Some(reason) => {
                let got = got.unwrap_or_else(|| panic!("{text:?} read"));
                assert!(got.contains(reason) && got.contains("refuses the file"), "{text:?}: {got}");
            }
            None => assert_eq!(got, None, "{text:?}"),
        }
    }
    let t = parse("a: x\x1by\n");
    assert_eq!(t.errors[0].range.slice("a: x\x1by\n"), "\x1b", "on the character itself");
    assert!(t.errors[0].message.starts_with("A control character (U+001B) in this value"));
}

#[test]
fn tags_are_read_as_js_yaml_reads_them() {
    for (text, want) in [
        ("a: !!str 5\n", json!({"a": "5"})),
        ("a: !<tag:yaml.org,2002:str> 5\n", json!({"a": "5"})),
        ("a: ! 5\n", json!({"a": "5"})),
        ("a: !!int '7'\n", json!({"a": 7})),
        ("a: !!map {b: 1}\n", json!({"a": {"b": 1}})),
        ("a: !!set {x}\n", json!({"a": {"x": null}})),
        ("%TAG !e! tag:yaml.org,2002:\n---\na: !e!str 1\n", json!({"a": "1"})),
    ] {
        let t = parse(text);
        assert!(t.errors.is_empty(), "{text:?}: {:?}", t.errors);
        assert_eq!(t.value, want, "{text:?}");
    }
    for (text, reason) in [
        ("name: !secret a\n", "unknown tag !<!secret>"),
        ("a: !!foo 5\n", "unknown tag !<tag:yaml.org,2002:foo>"),
        ("a: !!seq {b: 1}\n", "unknown tag !<tag:yaml.org,2002:seq>"),
        ("a: !!str {b: 1}\n", "unknown tag !<tag:yaml.org,2002:str>"),
        ("a: !foo [1]\n", "unknown tag !<!foo>"),
        ("a: !!int x\n", "cannot resolve a node with !<tag:yaml.org,2002:int> explicit tag"),
    ] {
        let got = refusal(text).unwrap_or_else(|| panic!("{text:?} read"));
        assert!(got.contains(&format!("(\"{reason}\")")), "{text:?}: {got}");
    }
}
