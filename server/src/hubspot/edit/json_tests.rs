use super::*;
use crate::hubspot::edit::apply;
use crate::syntax::json::parse;
use serde_json::json;

use crate::hubspot::test_support::fixture;

fn run(text: &str, f: impl FnOnce(&str, &Tree) -> Result<Vec<TextEdit>>) -> String {
    let out = apply(text, &f(text, &parse(text)).unwrap_or_else(|e| panic!("{e}")));
    assert!(parse(&out).errors.is_empty(), "does not parse:\n{out}");
    out
}

#[test]
fn new_file_is_json_stringify_with_two_spaces() {
    assert_eq!(new_settings_text(&[123, 456], Some(456)), fixture("12-settings-linked.json").trim_end());
    assert_eq!(new_settings_text(&[], None), fixture("13-settings-after-unlink-all.json"));
    assert_eq!(
        new_settings_text(&[987654, 555], Some(555)),
        "{\n  \"accounts\": [\n    987654,\n    555\n  ],\n  \"localDefaultAccount\": 555\n}"
    );
}

#[test]
fn append_in_a_pretty_file() {
    let text = fixture("12-settings-linked.json");
    let out = run(&text, |t, tr| append(t, tr, "/accounts", &json!(789)));
    assert_eq!(out, text.replace("    456\n", "    456,\n    789\n"));
    let out = run(&fixture("13-settings-after-unlink-all.json"), |t, tr| append(t, tr, "/accounts", &json!(1)));
    assert_eq!(out, "{\n  \"accounts\": [\n    1\n  ]\n}");
}

#[test]
fn one_line_arrays_stay_on_one_line() {
    let text = fixture("14-settings-invalid-default.json");
    let out = run(&text, |t, tr| append(t, tr, "/accounts", &json!(456)));
    assert_eq!(out, text.replace("[123]", "[123, 456]"));
    let out = run(&text, |t, tr| set(t, tr, "/accounts", &json!([1, 2, 3])));
    assert_eq!(out, text.replace("[123]", "[1, 2, 3]"));
}

#[test]
fn set_replaces_and_inserts() {
    let text = fixture("12-settings-linked.json");
    let out = run(&text, |t, tr| set(t, tr, "/localDefaultAccount", &json!(123)));
    assert_eq!(out, text.replace("\": 456\n", "\": 123\n"));
    let text = fixture("13-settings-after-unlink-all.json");
    let out = run(&text, |t, tr| set(t, tr, "/localDefaultAccount", &json!(7)));
    assert_eq!(out, "{\n  \"accounts\": [],\n  \"localDefaultAccount\": 7\n}");
    let out = run("{}", |t, tr| set(t, tr, "/accounts", &json!([1])));
    assert_eq!(out, "{\n  \"accounts\": [\n    1\n  ]\n}");
    let out = run("", |t, tr| set(t, tr, "/accounts", &json!([])));
    assert_eq!(out, "{\n  \"accounts\": []\n}");
}

#[test]
fn four_spaces_and_crlf_are_kept() {
    let text = "{\r\n    \"accounts\": [\r\n        1\r\n    ]\r\n}\r\n";
    let out = run(text, |t, tr| set(t, tr, "/localDefaultAccount", &json!(1)));
    assert_eq!(out, "{\r\n    \"accounts\": [\r\n        1\r\n    ],\r\n    \"localDefaultAccount\": 1\r\n}\r\n");
    let out = run(text, |t, tr| append(t, tr, "/accounts", &json!(2)));
    assert_eq!(out, "{\r\n    \"accounts\": [\r\n        1,\r\n        2\r\n    ]\r\n}\r\n");
}

#[test]
fn remove_members_and_elements() {
    let text = fixture("12-settings-linked.json");
    assert_eq!(
        run(&text, |t, tr| remove(t, tr, "/localDefaultAccount")),
        "{\n  \"accounts\": [\n    123,\n    456\n  ]\n}\n"
    );
    assert_eq!(run(&text, |t, tr| remove(t, tr, "/accounts/0")), text.replace("    123,\n", ""));
    assert_eq!(run(&text, |t, tr| remove(t, tr, "/accounts/1")), text.replace("    123,\n    456\n", "    123\n"));
    let t2 = "{\"accounts\": [5]}";
    assert_eq!(run(t2, |t, tr| remove(t, tr, "/accounts/0")), "{\"accounts\": []}");
    assert_eq!(
        run(&text, |t, tr| set(t, tr, "/accounts", &json!([]))),
        text.replace("[\n    123,\n    456\n  ]", "[]")
    );
}

#[test]
fn errors() {
    let bad = "{\"accounts\": [1,]}";
    assert!(matches!(set(bad, &parse(bad), "/accounts", &json!([])), Err(EditError::Unparsable { .. })));
    let t = "{\"a\": 1}";
    assert!(matches!(set(t, &parse(t), "/a/b", &json!(1)), Err(EditError::NotAContainer { .. })));
    assert!(matches!(append(t, &parse(t), "/a", &json!(1)), Err(EditError::NotASequence { .. })));
    assert!(matches!(remove(t, &parse(t), "/b"), Err(EditError::NotFound { .. })));
}

fn exercise(text: &str) {
    let tree = parse(text);
    if !tree.errors.is_empty() {
        // A broken file is never edited: the refusal is all there is to check.
        assert!(matches!(set(text, &tree, "/a", &json!(1)), Err(EditError::Unparsable { .. })), "{text:?}");
        return;
    }
    let mut pointers =
        vec![String::new(), "/accounts".to_string(), "/localDefaultAccount".to_string(), "/n/m".to_string()];
    fn walk(v: &Value, p: String, out: &mut Vec<String>) {
        out.push(p.clone());
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, child_pointer(&p, k), out)),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(v, child_pointer(&p, &i.to_string()), out)),
            _ => {}
        }
    }
    walk(&tree.value, String::new(), &mut pointers);
    for p in &pointers {
        for v in [json!(5), json!([1, {"a": "\"q\""}]), json!({})] {
            if let Ok(e) = set(text, &tree, p, &v) {
                let out = parse(&apply(text, &e));
                assert!(out.errors.is_empty() && out.value.pointer(p) == Some(&v), "set {p} on {text:?}");
            }
            if let Ok(e) = append(text, &tree, p, &v) {
                assert!(parse(&apply(text, &e)).errors.is_empty(), "append {p} on {text:?}");
            }
        }
        if let Ok(e) = remove(text, &tree, p) {
            assert!(parse(&apply(text, &e)).errors.is_empty(), "remove {p} on {text:?}");
        }
    }
}

#[test]
fn every_edit_of_odd_files_parses() {
    for t in [
        "",
        "{}",
        "[]",
        "null",
        "5",
        "{\"accounts\": {}}",
        "{\"a\":{\"b\":[[],{}]}}",
        "{\n\t\"accounts\": [\n\t\t1\n\t]\n}",
        "  {\"accounts\" : [ 1 , 2 ] }  ",
    ] {
        exercise(t);
    }
    for name in [
        "12-settings-linked.json",
        "13-settings-after-unlink-all.json",
        "14-settings-invalid-default.json",
        "26-settings-missing-accounts.json",
    ] {
        exercise(&fixture(name));
    }
}

proptest::proptest! {
    #![proptest_config(crate::test_support::proptest_config(200))]
    #[test]
    fn random_json_never_panics(text in "[\\[\\]{}:, \n\"a1é]{0,40}") {
        exercise(&text);
    }
}
